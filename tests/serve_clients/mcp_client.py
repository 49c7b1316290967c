"""Drives `toolcontract serve` with the official MCP Python SDK client (tests/serve.rs).

    python mcp_client.py http URL CALLS_JSON
    python mcp_client.py stdio SERVER_COMMAND_JSON CALLS_JSON

CALLS_JSON is a list of [tool name, arguments]. Over HTTP, the environment variable
MCP_CLIENT_HEADERS (a JSON object) adds request headers. Prints one JSON document: the listed tools
(name, inputSchema) and, per call, the result (content, isError, _meta) or the JSON-RPC error
(code, message).
"""

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError


async def drive(streams, calls):
    read, write = streams[0], streams[1]
    async with ClientSession(read, write) as session:
        await session.initialize()
        listed = await session.list_tools()
        tools = [{"name": t.name, "inputSchema": t.input_schema} for t in listed.tools]
        results = []
        for name, arguments in calls:
            try:
                result = await session.call_tool(name, arguments)
                results.append({"result": result.model_dump(mode="json", by_alias=True, exclude_none=True)})
            except MCPError as error:
                results.append({"error": {"code": error.code, "message": error.message}})
        return {"tools": tools, "calls": results}


async def main():
    mode, where, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if mode == "http":
        headers = json.loads(os.environ.get("MCP_CLIENT_HEADERS", "{}"))
        async with create_mcp_http_client(headers=headers) as http:
            async with streamable_http_client(where, http_client=http) as streams:
                out = await drive(streams, calls)
    else:
        command = json.loads(where)
        params = StdioServerParameters(command=command[0], args=command[1:])
        async with stdio_client(params) as streams:
            out = await drive(streams, calls)
    print(json.dumps(out, sort_keys=True))


asyncio.run(main())
