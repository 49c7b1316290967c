//! Taking the snapshots: every case of every tool sent to a handler, one after the other, and
//! each answer reduced to what the agent reads, redacted, with sorted maps.

use serde_json::{Map, Value};

use crate::errors::Error;
use crate::gateway::{Assumptions, Profile};
use crate::handler::{Handler, Invocation, Outcome, RESPONSE_SIZE_LIMIT, RawJson};

use super::cases::{SnapshotInfo, ToolCases, View};
use super::format;
use super::redact::{RedactPath, Volatile, now_ms, redact_text, redact_value};
use super::settings::SnapshotSettings;

/// How one case ended, as its snapshot entry shows it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// The handler answered with JSON. For the Gateway's `mcp` profile only `content`,
    /// `isError` and `structuredContent` (the whole body when it has no `content`); for the
    /// `json` profile and for action groups, the whole body.
    Response(Value),
    /// The handler did not answer with JSON: a function error, a panic, an exit, a timeout,
    /// bytes that are not JSON, or an answer over Lambda's size limit, as one line of text.
    Error(String),
}

/// One entry of a tool's snapshot: a case and how the handler answered it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Entry {
    /// The case label.
    pub case: String,
    /// The event the handler received (Gateway: the arguments; action groups: the envelope).
    pub event: Value,
    /// The answer.
    pub reply: Reply,
    /// Gateway: what the agent receives for it (the MCP result the Gateway makes of it).
    pub agent: Option<Value>,
}

/// The snapshot of one tool: what its file holds.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ToolSnapshot {
    /// The tool.
    pub tool: String,
    /// The snapshot's name: the tool name, with characters other than letters and digits (of
    /// any script), `_`, `-` and `.` replaced by `_`. The file is `<name>.snap`.
    pub name: String,
    /// What the header records.
    pub info: SnapshotInfo,
    /// One entry per case, in case order.
    pub entries: Vec<Entry>,
}

impl ToolSnapshot {
    /// The file name, `<name>.snap`.
    pub fn file_name(&self) -> String {
        format!("{}.snap", self.name)
    }

    /// The snapshot's body as insta stores it below the header: a JSON array of entries
    /// (`case`, `event`, then `response` or `error`), maps sorted, two-space indents.
    pub fn contents(&self) -> String {
        format::render_contents(&self.entries)
    }

    /// The header's one-line description.
    pub fn description(&self) -> String {
        format!(
            "toolcontract snapshot of tool {}: the event and response of each case",
            self.tool
        )
    }
}

/// Sends every case of `plan` to `handler`, one at a time in order, and returns one snapshot
/// per tool. Fails only on unusable settings (a redaction that is not a JSON Pointer, two tools
/// whose snapshot names collide).
pub async fn record<H: Handler>(
    plan: &[ToolCases],
    handler: &mut H,
    settings: &SnapshotSettings,
) -> Result<Vec<ToolSnapshot>, Error> {
    let paths = settings
        .redactions
        .iter()
        .map(|p| RedactPath::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    let names = snapshot_names(plan)?;
    let mut snapshots = Vec::with_capacity(plan.len());
    for (tool, name) in plan.iter().zip(names) {
        let mut entries = Vec::with_capacity(tool.cases.len());
        for case in &tool.cases {
            let started_ms = now_ms();
            let answer = handler.invoke(&case.invocation).await;
            entries.push(entry(
                case.label.clone(),
                &case.invocation,
                answer.outcome,
                started_ms,
                tool.view,
                tool.agent,
                &paths,
            ));
        }
        snapshots.push(ToolSnapshot {
            tool: tool.tool.clone(),
            name,
            info: tool.info.clone(),
            entries,
        });
    }
    Ok(snapshots)
}

/// The snapshot entry of one case: `invocation` (handed over at `started_ms`) and how it
/// ended, redacted and sorted as every snapshot shows it. `toolcontract snapshot` and
/// `toolcontract serve --record` both make their entries here.
pub(crate) fn entry(
    label: String,
    invocation: &Invocation,
    outcome: Outcome,
    started_ms: i128,
    view_of: View,
    agent: Option<(Profile, Assumptions)>,
    paths: &[RedactPath],
) -> Entry {
    let latest_ms = now_ms() + invocation.timeout.as_millis() as i128;
    let client_context = invocation.client_context.as_ref().map(RawJson::to_value);
    let mut ids = vec![invocation.request_id.as_str()];
    if let Some(id) = client_context
        .as_ref()
        .and_then(|c| c.pointer("/custom/bedrockAgentCoreAwsRequestId"))
        .and_then(Value::as_str)
    {
        ids.push(id);
    }
    let volatile = Volatile {
        ids,
        started_ms,
        latest_ms,
        event: &invocation.event,
    };
    let agent = agent.map(|(profile, assume)| {
        let mut received = crate::gateway::received::received(&outcome, profile, assume).result;
        redact_value(&mut received, &volatile);
        for path in paths {
            path.apply(&mut received);
        }
        sorted(received)
    });
    let reply = match outcome {
        Outcome::Response { body, size } if size <= RESPONSE_SIZE_LIMIT => {
            let mut shown = view(body, view_of);
            redact_value(&mut shown, &volatile);
            for path in paths {
                path.apply(&mut shown);
            }
            Reply::Response(sorted(shown))
        }
        other => Reply::Error(redact_text(&error_text(&other), &volatile)),
    };
    Entry {
        case: label,
        event: sorted(invocation.event.clone()),
        reply,
        agent,
    }
}

/// The snapshot name of each tool; two tools may not share one.
fn snapshot_names(plan: &[ToolCases]) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::with_capacity(plan.len());
    for (i, tool) in plan.iter().enumerate() {
        let name = format::snapshot_name(&tool.tool);
        if let Some(j) = names.iter().position(|n| *n == name) {
            return Err(Error::Usage(format!(
                "tools `{}` and `{}` would share the snapshot file {name}.snap; take their \
                 snapshots separately (--tool, or only_tools) into different folders",
                plan[j].tool, plan[i].tool
            )));
        }
        names.push(name);
    }
    Ok(names)
}

/// What the snapshot shows of a response body.
fn view(body: Value, view: View) -> Value {
    match (view, body) {
        (View::Mcp, Value::Object(mut map)) if map.contains_key("content") => {
            let mut shown = Map::new();
            for key in ["content", "isError", "structuredContent"] {
                if let Some(value) = map.remove(key) {
                    shown.insert(key.to_owned(), value);
                }
            }
            Value::Object(shown)
        }
        (_, body) => body,
    }
}

/// `value` with every object's members in key order, whatever order the handler (or a
/// `preserve_order` serde_json) produced.
pub(crate) fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(String, Value)> = map.into_iter().collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(members.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// A non-JSON ending as one line of text.
fn error_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Response { size, .. } => {
            format!("oversize: the response is {size} bytes (limit {RESPONSE_SIZE_LIMIT})")
        }
        Outcome::FunctionError {
            error_type,
            error_message,
        } => format!("function error: {error_type}: {error_message}"),
        // The location is left out: it moves whenever code above it changes.
        Outcome::Panic { message, .. } => format!("panic: {message}"),
        Outcome::Exited { status } => format!("process exited: {status}"),
        Outcome::InitError {
            error_type,
            error_message,
        } => format!("init error: {error_type}: {error_message}"),
        Outcome::Timeout { limit } => {
            format!("timeout: no answer within {} ms", limit.as_millis())
        }
        Outcome::InvalidJson { error, prefix } => {
            format!("invalid JSON: {error}; the answer begins {prefix:?}")
        }
        Outcome::Oversize { .. } => {
            format!("oversize: the response is over {RESPONSE_SIZE_LIMIT} bytes")
        }
    }
}
