// Drives `toolcontract serve` with the official MCP TypeScript SDK client
// (@modelcontextprotocol/sdk, pinned in package.json; tests/cli/serve.rs).
//
//     node mcp_client.mjs URL CALLS_JSON
//
// Over streamable HTTP: connects (initialize), lists the tools, then makes each call of
// CALLS_JSON, a list of [tool name, arguments], in order. Prints one JSON document: the listed
// tools (name, inputSchema) and, per call, the result (content, isError, _meta) or the JSON-RPC
// error (code, and the server's message without the SDK's "MCP error CODE: " prefix).

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";

const [url, callsJson] = process.argv.slice(2);
const calls = JSON.parse(callsJson);

const client = new Client({ name: "toolcontract-serve-test", version: "0.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const listed = await client.listTools();
const tools = listed.tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema }));
const results = [];
for (const [name, args] of calls) {
    try {
        const result = await client.callTool({ name, arguments: args });
        results.push({ result });
    } catch (error) {
        if (!(error instanceof McpError)) throw error;
        const prefix = `MCP error ${error.code}: `;
        const message = error.message.startsWith(prefix)
            ? error.message.slice(prefix.length)
            : error.message;
        results.push({ error: { code: error.code, message } });
    }
}
await client.close();
process.stdout.write(JSON.stringify({ tools, calls: results }) + "\n");
