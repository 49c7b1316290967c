"""A correct AgentCore Gateway Lambda target in Python: two tools, add and multiply.

The Gateway sends only the tool's arguments as the event; the tool name arrives as
`<target>___<tool>` in context.client_context.custom["bedrockAgentCoreToolName"].

    toolcontract check examples/python/calculator/tools.json \
        --cwd examples/python/calculator -- ../../../.venv/bin/python -m awslambdaric app.handler
"""


def tool_name(context):
    """The tool the Gateway asked for, without the `<target>___` prefix."""
    client_context = context.client_context
    custom = (client_context.custom or {}) if client_context else {}
    qualified = custom.get("bedrockAgentCoreToolName", "")
    return qualified.split("___", 1)[1] if "___" in qualified else qualified


def answer(text, is_error=False):
    result = {"content": [{"type": "text", "text": text}]}
    if is_error:
        result["isError"] = True
    return result


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def handler(event, context):
    tool = tool_name(context)
    if tool not in ("add", "multiply"):
        return answer(f"unknown tool {tool!r}", is_error=True)
    a, b = event.get("a"), event.get("b")
    if not (is_number(a) and is_number(b)):
        return answer(f"{tool} needs two numbers, a and b", is_error=True)
    result = a + b if tool == "add" else a * b
    return answer(str(result))
