"""The `orders` Gateway target behind the example interceptors (a Lambda target handler).

`toolcontract serve orders-tools.json --target-name orders --config serve.toml -- python3 -m
awslambdaric orders.handler` serves it behind the interceptors that `serve.toml` configures.
"""


def handler(event, context):
    tool = context.client_context.custom["bedrockAgentCoreToolName"].split("___", 1)[1]
    order_id = event.get("order_id", "")
    if tool == "get_order":
        return {"order_id": order_id, "status": "shipped"}
    if tool == "cancel_order":
        return {"order_id": order_id, "status": "cancelled", "reason": event.get("reason", "")}
    raise ValueError(f"unknown tool {tool}")
