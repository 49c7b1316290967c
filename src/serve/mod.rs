//! `toolcontract serve`: a local AgentCore Gateway in front of a handler process, so that any
//! MCP client or agent can call an undeployed Lambda target (issue 14).
//!
//! [`LocalGateway`] behaves as a Gateway with one or more Lambda targets ([`ServedTarget`],
//! each a definition in front of its own handler process; `contract-facts.md` section 1),
//! built on the official Rust MCP SDK (`rmcp`):
//! - `initialize`, and `tools/list` with every target's `<target>___<tool>` names and the
//!   definitions' input (and output) schemas;
//! - `tools/call` validates the arguments against the tool's input schema (compiled once) and
//!   answers a violation with a JSON-RPC error (`ValidationError`), rejects undeclared names
//!   itself (`Unknown tool`: the handler never sees them), routes by the part before the
//!   first `___`, and otherwise invokes that target's handler
//!   through the Lambda Runtime API with the Gateway's event (the arguments only) and client
//!   context (the same template `check` sends);
//! - the handler's answer becomes the MCP result with the mapping `check` judges
//!   ([`crate::gateway::received`]): function errors, timeouts and oversize answers come back
//!   as the Gateway's generic error, or in the debug form with debug messages on;
//! - allow-listed request headers and query parameters (HTTP only) reach the handler in the
//!   client context's `bedrockAgentCorePropagatedHeaders` / `...QueryParameters` objects
//!   ([`ServedTarget::propagate`]).
//!
//! Every call goes through `LocalGateway::call` (routing, validation, the target's invocation,
//! the log line): the place for Gateway interceptors, a REQUEST hook before the routing and a
//! RESPONSE hook where the target's answer comes back.
//!
//! The pieces: `target` (the tool tables and one call, transport-free), `http` (streamable
//! HTTP at `/mcp` on a loopback listener, with a request size limit and JSON-RPC errors for
//! bodies rmcp cannot read), stdio
//! ([`LocalGateway::serve_stdio`]) and `record` (`--record DIR`: each call that reached the
//! handler kept as a snapshot case, made by the same code as `toolcontract snapshot`'s). Calls
//! reach a target's handler process one at a time, as a Lambda function with reserved
//! concurrency 1; calls to different targets run side by side.

mod http;
mod intercept;
mod record;
mod target;

pub use http::MAX_REQUEST_BYTES;
pub use intercept::Interceptors;
pub use target::{
    CallRecord, LocalGateway, MAX_PROPAGATED, MAX_PROPAGATED_VALUE_BYTES, ServedTarget,
};
