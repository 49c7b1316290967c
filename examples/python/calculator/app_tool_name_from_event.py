"""The classic bug, in Python: the tool name is read from the EVENT.

A Gateway sends only the tool's arguments as the event, so `event.get("name")` is always None
and every call is answered as an unknown tool: toolcontract reports `tool_reachable`.
"""


def handler(event, context):
    tool = event.get("name")  # BUG: the name is in context.client_context.custom
    a, b = event.get("a"), event.get("b")
    if tool == "add":
        return {"content": [{"text": str(a + b)}]}
    if tool == "multiply":
        return {"content": [{"text": str(a * b)}]}
    return {"content": [{"text": f"unknown tool {tool!r}"}], "isError": True}
