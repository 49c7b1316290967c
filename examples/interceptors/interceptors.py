"""Gateway interceptors for `toolcontract check examples/interceptors/interceptors.json`.

Each function is a Lambda handler (`python -m awslambdaric interceptors.<name>`). The first two
keep the interceptor contract; the others are the classic bugs, one each.
"""

import base64
import json

VERSION = {"interceptorOutputVersion": "1.0"}


def _forward(event):
    """The REQUEST output that forwards the request unchanged."""
    return {**VERSION, "mcp": {"transformedGatewayRequest": {"body": event["mcp"]["gatewayRequest"]["body"]}}}


def _keep_response(event):
    """The RESPONSE output that keeps the target's answer."""
    response = event["mcp"]["gatewayResponse"]
    return {**VERSION, "mcp": {"transformedGatewayResponse": {
        "statusCode": response.get("statusCode", 200),
        "body": response["body"],
    }}}


def _is_response(event):
    return bool(event["mcp"].get("gatewayResponse"))


def passthrough(event, context):
    """Correct: passes every message through, at REQUEST and at RESPONSE."""
    return _keep_response(event) if _is_response(event) else _forward(event)


def _claims(event):
    headers = {k.lower(): v for k, v in event["mcp"]["gatewayRequest"].get("headers", {}).items()}
    token = headers.get("authorization", "").removeprefix("Bearer ")
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


def authorize(event, context):
    """Correct: answers tools/call of cancel_order itself (a short-circuit) unless the token
    has the orders/admin scope; the answer is a JSON-RPC response with the request's id."""
    if _is_response(event):
        return _keep_response(event)
    body = event["mcp"]["gatewayRequest"]["body"]
    if body.get("method") == "tools/call" and body["params"]["name"].endswith("___cancel_order"):
        if "orders/admin" not in _claims(event).get("scope", "").split():
            return {**VERSION, "mcp": {"transformedGatewayResponse": {
                "statusCode": 200,
                "body": {"jsonrpc": "2.0", "id": body["id"], "result": {
                    "isError": True,
                    "content": [{"type": "text", "text": "cancel_order needs the orders/admin scope"}],
                }},
            }}}
    return _forward(event)


def invented_shape(event, context):
    """Bug: an output shape of its own, not interceptorOutputVersion + mcp.transformed*."""
    return {"statusCode": 200, "body": event["mcp"]["gatewayRequest"]["body"]}


def string_body(event, context):
    """Bug: the body returned as a JSON string (json.dumps) instead of the object."""
    if _is_response(event):
        out = _keep_response(event)
        out["mcp"]["transformedGatewayResponse"]["body"] = json.dumps(event["mcp"]["gatewayResponse"]["body"])
        return out
    out = _forward(event)
    out["mcp"]["transformedGatewayRequest"]["body"] = json.dumps(event["mcp"]["gatewayRequest"]["body"])
    return out


def id_dropped(event, context):
    """Bug: the short-circuit answer to a denied tools/call has no id."""
    if _is_response(event):
        return _keep_response(event)
    body = event["mcp"]["gatewayRequest"]["body"]
    if body.get("method") == "tools/call" and body["params"]["name"].endswith("___cancel_order"):
        return {**VERSION, "mcp": {"transformedGatewayResponse": {
            "statusCode": 403,
            "body": {"jsonrpc": "2.0", "error": {"code": -32001, "message": "forbidden"}},
        }}}
    return _forward(event)


def tools_call_only(event, context):
    """Bug: a tool filter written for tools/call: it reads params.name of every message, so
    initialize, tools/list, ping and notifications crash it."""
    if _is_response(event):
        return _keep_response(event)
    body = event["mcp"]["gatewayRequest"]["body"]
    tool = body["params"]["name"]
    if tool.endswith("___cancel_order"):
        body = {**body, "params": {**body["params"], "arguments": {**body["params"]["arguments"], "reason": "via interceptor"}}}
    return {**VERSION, "mcp": {"transformedGatewayRequest": {"body": body}}}


def response_filter_breaks_tools_list(event, context):
    """Bug: a RESPONSE filter that redacts tool results rewrites every result as a tools/call
    result, so the tools/list answer loses its `tools`."""
    if not _is_response(event):
        return _forward(event)
    body = dict(event["mcp"]["gatewayResponse"]["body"])
    if "result" in body:
        body["result"] = {"content": [{"type": "text", "text": "[redacted]"}], "isError": False}
    return {**VERSION, "mcp": {"transformedGatewayResponse": {"statusCode": 200, "body": body}}}
