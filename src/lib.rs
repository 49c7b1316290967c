//! # toolcontract
//!
//! Contract tests for AWS Lambda functions that serve as agent tools: targets of an Amazon
//! Bedrock AgentCore Gateway ([`Gateway`]), and Amazon Bedrock Agents action groups
//! ([`ActionGroup`]).
//!
//! A Lambda behind a Gateway target gets only the tool's arguments as its event; the tool name,
//! `<target>___<tool>`, arrives in `context.client_context.custom["bedrockAgentCoreToolName"]`.
//! `toolcontract` generates arguments from each tool's own input schema, calls your handler as
//! the Gateway would, judges what the agent receives, and shrinks every failure to a minimal
//! case. The rules are JSON Schemas in `contracts/` (see [`Contract`]).
//!
//! This page walks a handler author through the library: a first check, a property of your
//! own, snapshots, and replaying a finding. Every example runs as a test of this crate.
//!
//! # A first check
//!
//! Add `toolcontract` as a dev-dependency (the library alone: no command line, no process
//! handling; see [Features](#features)) and check any `tower::Service<LambdaEvent<Value>>`,
//! for example `lambda_runtime::service_fn(handler)`:
//!
//! ```
//! use lambda_runtime::{Error, LambdaEvent, service_fn};
//! use serde_json::{Value, json};
//! use toolcontract::{CheckName, Definition, Gateway};
//!
//! /// The tool the Gateway asked for: the name after the first `___`.
//! fn tool_name(event: &LambdaEvent<Value>) -> Option<&str> {
//!     let custom = &event.context.client_context.as_ref()?.custom;
//!     let qualified = custom.get("bedrockAgentCoreToolName")?;
//!     Some(qualified.split_once("___").map_or(qualified.as_str(), |(_, tool)| tool))
//! }
//!
//! async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     let args = &event.payload;
//!     Ok(match tool_name(&event) {
//!         Some("add") => json!({ "sum": args["a"].as_f64().unwrap_or(0.0) + args["b"].as_f64().unwrap_or(0.0) }),
//!         other => json!({
//!             "content": [{ "type": "text", "text": format!("unknown tool {other:?}") }],
//!             "isError": true,
//!         }),
//!     })
//! }
//!
//! // The definition you deploy (here inline; usually `Gateway::from_path("tools.json")`).
//! let definition = Definition::from_str("tools.json", r#"[{
//!     "name": "add",
//!     "description": "Add two numbers.",
//!     "inputSchema": {
//!         "type": "object",
//!         "properties": { "a": { "type": "number" }, "b": { "type": "number" } },
//!         "required": ["a", "b"]
//!     }
//! }]"#)?;
//! let gateway = Gateway::new(definition.clone())?;
//! gateway.check(service_fn(handler)).assert_ok(); // panics with every finding
//!
//! // The classic bug: the tool name read from the event, where the Gateway never puts it.
//! async fn reads_the_event(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     Ok(match event.payload.get("tool").and_then(Value::as_str) {
//!         Some("add") => json!({ "sum": 0 }),
//!         _ => json!({ "content": [{ "type": "text", "text": "unknown tool" }], "isError": true }),
//!     })
//! }
//! let report = gateway.check(service_fn(reads_the_event));
//! assert!(!report.is_ok());
//! assert_eq!(report.findings[0].check, CheckName::ToolReachable);
//! # Ok::<(), toolcontract::Error>(())
//! ```
//!
//! [`Gateway::check`] blocks (it works inside a runtime too); [`Gateway::check_async`] is the
//! same for `#[tokio::test]`. Options are builder calls: [`cases`](Gateway::cases),
//! [`seed`](Gateway::seed), [`target_name`](Gateway::target_name),
//! [`profile`](Gateway::profile), [`negative`](Gateway::negative),
//! [`known_good`](Gateway::known_good), [`check_level`](Gateway::check_level), and
//! [`Gateway::from_path`] also applies the `toolcontract.toml` it finds ([`Config`]). The
//! checks and their severities are listed in [`CheckName`].
//!
//! # A property of your own
//!
//! [`Gateway::arguments`] is the strategy of valid arguments of a tool, for
//! [proptest](https://docs.rs/proptest); [`Gateway::invoke`] calls the handler once, with the
//! event and context the Gateway would send:
//!
//! ```
//! # use lambda_runtime::{Error, LambdaEvent, service_fn};
//! # use serde_json::{Value, json};
//! # async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//! #     let args = &event.payload;
//! #     Ok(json!({ "sum": args["a"].as_f64().unwrap_or(0.0) + args["b"].as_f64().unwrap_or(0.0) }))
//! # }
//! use proptest::prelude::*;
//! use toolcontract::Gateway;
//!
//! let gateway = Gateway::from_path("examples/calculator/tools.json")?;
//! proptest!(|(args in gateway.arguments("add").unwrap())| {
//!     let answer = gateway.invoke(service_fn(handler), "add", &args).unwrap();
//!     let body = answer.outcome.response().expect("a JSON answer");
//!     // Whatever the numbers, the sum is a number or, past f64, null: never an error.
//!     prop_assert!(body.get("isError").is_none(), "{body}");
//!     prop_assert!(body["sum"].is_number() || body["sum"].is_null());
//! });
//! # Ok::<(), toolcontract::Error>(())
//! ```
//!
//! # Snapshots
//!
//! [`assert_tool_snapshots!`] keeps every tool's output as an [insta](https://insta.rs)
//! snapshot, `snapshots/<tool>.snap` in your crate, so a changed wording or a flipped `isError`
//! shows up as a diff in review. The first run fails and writes `.snap.new` files: accept them
//! with `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and commit them. On CI
//! (`CI` set) nothing is written. See [`snapshot`] for the file and the settings.
//!
//! ```
//! # use lambda_runtime::{Error, LambdaEvent, service_fn};
//! # use serde_json::{Value, json};
//! # async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//! #     Ok(json!({ "sum": event.payload["a"].as_f64().unwrap_or(0.0) }))
//! # }
//! use toolcontract::snapshot::SnapshotSettings;
//!
//! let gateway = toolcontract::Gateway::from_path("examples/calculator/tools.json")?
//!     .only_tools(["add"])?;
//! # let folder = tempfile::tempdir().unwrap();
//! # let snapshots = folder.path().join("snapshots");
//! let settings = SnapshotSettings::new()
//!     .snapshot_dir(&snapshots)
//!     .redact("/structuredContent/createdAt");
//! # // This example's snapshots were accepted before (what `cargo insta review` does).
//! # let plan = toolcontract::snapshot::plan(toolcontract::snapshot::Tools::Gateway(&gateway), &settings)?;
//! # let mut in_process = toolcontract::InProcess::new(service_fn(handler));
//! # let taken = tokio::runtime::Runtime::new().unwrap()
//! #     .block_on(toolcontract::snapshot::record(&plan, &mut in_process, &settings))?;
//! # toolcontract::snapshot::store(&taken, &snapshots, "src/lib.rs", toolcontract::snapshot::Mode::Accept)?;
//! toolcontract::assert_tool_snapshots!(gateway, service_fn(handler), settings);
//! # Ok::<(), toolcontract::Error>(())
//! ```
//!
//! # Replaying a finding
//!
//! Every finding prints how to run its case again: `replay: .replay("…")` in a failing test,
//! `--replay '…'` on the command line. [`Gateway::replay`] runs only that case, shrinking it
//! again, so a fix can be tried in seconds:
//!
//! ```
//! # use lambda_runtime::{Error, LambdaEvent, service_fn};
//! # use serde_json::{Value, json};
//! use toolcontract::{CheckName, Gateway};
//!
//! // Fails when `b` is zero.
//! async fn divide(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     let b = event.payload["b"].as_f64().unwrap_or(0.0);
//!     if b == 0.0 {
//!         return Err("division by zero".into());
//!     }
//!     Ok(json!({ "quotient": event.payload["a"].as_f64().unwrap_or(0.0) / b }))
//! }
//!
//! let path = "examples/calculator/tools.json";
//! let report = Gateway::from_path(path)?
//!     .only_tools(["divide"])?
//!     .cases(256)
//!     .check(service_fn(divide));
//! let finding = report.findings_of(CheckName::NoFunctionError).next().unwrap();
//! let token = finding.replay_token().to_string(); // "no_function_error:divide:0:0x…"
//!
//! let again = Gateway::from_path(path)?.replay(&token)?.check(service_fn(divide));
//! assert_eq!(again.totals.cases, 1);
//! assert_eq!(again.findings[0].case.input, finding.case.input);
//! # Ok::<(), toolcontract::Error>(())
//! ```
//!
//! # Action groups
//!
//! [`ActionGroup`] does the same for Bedrock Agents action groups (function details or
//! OpenAPI): `ActionGroup::from_path("action-group.json")?.check(service_fn(handler))`. The
//! event is the agent's envelope, and the checks include the echo rules (`echoes_action_group`,
//! `echoes_function`, ...).
//!
//! # Features
//!
//! - default: everything above (definitions, lint, generators, in-process checks, snapshots).
//! - `process`: [`handler::runtime_api`]: the Lambda Runtime API served on loopback and
//!   handler processes supervised, for a handler in any language
//!   (`handler::runtime_api::ProcessHandler`).
//! - `cli`: the `toolcontract` command (`cargo install --locked --features cli ...`).
//!
//! # Where things are
//!
//! [`definition`] loads what you deploy and [`lint`] says what the service would reject; [`generate`] builds proptest strategies from
//! JSON Schema; [`gateway`] and [`agents`] are the two contracts; [`handler`] calls a handler
//! (in-process, or as a process); [`runner`] runs the cases and shrinks; [`report`] renders the
//! results; [`snapshot`] keeps tool output under review.

pub mod agents;
pub mod check;
pub mod checker;
#[cfg(feature = "cli")]
mod cli;
pub mod config;
pub mod contracts;
pub mod definition;
pub mod errors;
pub mod files;
pub mod gateway;
pub mod generate;
pub mod handler;
mod harness;
pub mod interceptor;
mod judge;
pub mod lint;
pub mod pointer;
mod profile;
pub mod report;
mod results;
pub mod runner;
#[cfg(feature = "serve")]
pub mod serve;
pub mod snapshot;
mod suggest;

pub use agents::{ActionGroup, ActionGroupOptions, Envelope};
pub use check::{CheckName, Severity};
pub use config::Config;
pub use contracts::Contract;
pub use definition::{Definition, DefinitionError, Tool};
pub use errors::Error;
pub use gateway::{Assumptions, Gateway, GatewayOptions, Profile};
pub use generate::{GenerateError, SchemaGenerator};
pub use handler::{Answer, Handler, InProcess, Invocation, Outcome};
pub use interceptor::{Interceptor, InterceptorOptions};
pub use pointer::JsonPointer;
pub use report::{Finding, Report};
pub use snapshot::SnapshotSettings;

/// Support for [`assert_tool_snapshots!`]: not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::snapshot::assert::{CallSite, assert_tool_snapshots};
}

/// The `toolcontract` binary's entry point: not public API (the binary is `src/main.rs`).
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod _cli {
    /// Runs the command line with the process's arguments; returns the exit status.
    pub fn main() -> i32 {
        crate::cli::main()
    }
}
