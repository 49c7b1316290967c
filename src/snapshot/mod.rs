//! Snapshot review: every tool's output kept as an insta snapshot, so a change in wording, in
//! `isError` or in structured content shows in the pull request.
//!
//! A handler's output is what the agent reads: a changed text can break an agent without
//! breaking any type or any contract check. For each tool, a small deterministic set of cases
//! (the schema's declared and boundary values, then a few values drawn from the run seed; see
//! [`plan`]) is sent to the handler, and the answers are kept in one snapshot file per tool,
//! `snapshots/<tool>.snap`, in insta's format (see [the file](#the-file)). Volatile values
//! (request ids, trace ids, timestamps and deadlines, and any JSON Pointer you name) are
//! redacted and maps sorted, so a snapshot changes only when behaviour does.
//!
//! In `cargo test`, one macro call:
//!
//! ```no_run
//! use lambda_runtime::{service_fn, Error, LambdaEvent};
//! use serde_json::{json, Value};
//! use toolcontract::snapshot::SnapshotSettings;
//!
//! async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     Ok(json!({"content": [{"type": "text", "text": "..."}]}))
//! }
//!
//! #[test]
//! fn tool_output_is_reviewed() {
//!     let gateway = toolcontract::Gateway::from_path("tools.json").unwrap();
//!     toolcontract::assert_tool_snapshots!(gateway, service_fn(handler));
//!     // or with settings:
//!     let settings = SnapshotSettings::new().redact("/structuredContent/createdAt");
//!     toolcontract::assert_tool_snapshots!(gateway, service_fn(handler), settings);
//! }
//! ```
//!
//! New and changed snapshots follow insta's rules: written as pending `.snap.new` files on a
//! developer machine (accept them with `cargo insta review`), never written on CI (`CI` set),
//! and `INSTA_UPDATE=always` accepts them directly. For handlers in any language, the command
//! line does the same through the Lambda Runtime API: `toolcontract snapshot DEFINITION
//! [--accept | --check] -- HANDLER COMMAND...`, using [`plan`], [`record`] and [`store`].
//!
//! # The file
//!
//! A YAML header (`source`, `description`, and `info`: tool, definition, contract, seed), then
//! a JSON array with one entry per case: `case` (its label), `event` (for the Gateway the
//! arguments, for action groups the full envelope), and `response` (for the Gateway's `mcp`
//! profile only `content`, `isError` and `structuredContent`; otherwise the whole answer) or
//! `error` (a function error, panic, exit, timeout or invalid answer, as text).

pub(crate) mod assert;
mod cases;
mod diff;
mod format;
mod record;
mod redact;
mod settings;
mod store;
mod update;

#[cfg(feature = "serve")]
pub(crate) use cases::View;
pub use cases::{Case, SnapshotInfo, ToTools, ToolCases, Tools, plan};
pub use diff::{Change, Comparison};
#[cfg(feature = "serve")]
pub(crate) use format::snapshot_name;
pub use format::{read_contents, render_file};
#[cfg(feature = "serve")]
pub(crate) use record::entry;
pub use record::{Entry, Reply, ToolSnapshot, record};
#[cfg(feature = "serve")]
pub(crate) use redact::now_ms;
pub use settings::SnapshotSettings;
pub use store::{Mode, Stored, Written, store};
// What only the command line uses: the review of snapshot files against accepted ones.
#[cfg(feature = "cli")]
pub(crate) use diff::render_comparison;
#[cfg(feature = "cli")]
pub(crate) use update::{is_ci, pending_path};

/// Takes a snapshot of every tool's output and asserts it with insta: one file per tool,
/// `snapshots/<tool>.snap` in the calling crate.
///
/// `assert_tool_snapshots!(tools, service)` or `assert_tool_snapshots!(tools, service,
/// settings)`: `tools` is a [`Gateway`](crate::Gateway) or an
/// [`ActionGroup`](crate::ActionGroup) (its options choose the tools, the seed, the target name
/// and the timeout), `service` any `tower::Service<LambdaEvent<Value>>`, `settings` a
/// [`SnapshotSettings`](crate::snapshot::SnapshotSettings). The macro only records where it is
/// called (insta needs the caller's crate); the work is done by one function.
///
/// It panics once, after every tool was asserted, when any tool's output changed, naming the
/// tool, the case and the field. See [`snapshot`](crate::snapshot).
///
/// ```no_run
/// # async fn handler(
/// #     _: lambda_runtime::LambdaEvent<serde_json::Value>,
/// # ) -> Result<serde_json::Value, lambda_runtime::Error> { unimplemented!() }
/// let group = toolcontract::ActionGroup::from_path("action-group.json").unwrap();
/// toolcontract::assert_tool_snapshots!(group, lambda_runtime::service_fn(handler));
/// ```
#[macro_export]
macro_rules! assert_tool_snapshots {
    ($tools:expr, $service:expr $(,)?) => {
        $crate::assert_tool_snapshots!(
            $tools,
            $service,
            $crate::snapshot::SnapshotSettings::default()
        )
    };
    ($tools:expr, $service:expr, $settings:expr $(,)?) => {
        $crate::__private::assert_tool_snapshots(
            &$tools,
            $service,
            $settings,
            $crate::__private::CallSite {
                manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                file: ::core::file!(),
            },
        )
    };
}
