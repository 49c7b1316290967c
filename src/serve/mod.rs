//! `toolcontract serve`: a local AgentCore Gateway in front of a handler process, so that any
//! MCP client or agent can call an undeployed Lambda target (issue 14).
//!
//! [`LocalGateway`] behaves as a Gateway with one Lambda target (`contract-facts.md`
//! section 1), built on the official Rust MCP SDK (`rmcp`):
//! - `initialize`, and `tools/list` with `<target>___<tool>` names and the definition's input
//!   (and output) schemas;
//! - `tools/call` validates the arguments against the tool's input schema (compiled once) and
//!   answers a violation with a JSON-RPC error (`ValidationError`), rejects undeclared names
//!   itself (`Unknown tool`: the handler never sees them), and otherwise invokes the handler
//!   through the Lambda Runtime API with the Gateway's event (the arguments only) and client
//!   context (the same template `check` sends);
//! - the handler's answer becomes the MCP result with the mapping `check` judges
//!   ([`crate::gateway::received`]): function errors, timeouts and oversize answers come back
//!   as the Gateway's generic error, or in the debug form with debug messages on;
//! - allow-listed request headers and query parameters (HTTP only) reach the handler in the
//!   client context's `bedrockAgentCorePropagatedHeaders` / `...QueryParameters` objects
//!   ([`LocalGateway::propagate`]).
//!
//! The pieces: `target` (the tool table and one call, transport-free), `http` (streamable
//! HTTP at `/mcp` on a loopback listener, with a request size limit), stdio
//! ([`LocalGateway::serve_stdio`]) and `record` (`--record DIR`: each call that reached the
//! handler kept as a snapshot case, made by the same code as `toolcontract snapshot`'s). Calls reach the one handler process one at a time, as a
//! Lambda function with reserved concurrency 1.

mod http;
mod record;
mod target;

pub use http::MAX_REQUEST_BYTES;
pub use target::{
    CallRecord, LocalGateway, MAX_PROPAGATED, MAX_PROPAGATED_VALUE_BYTES, ServedTarget,
};
