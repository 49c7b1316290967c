//! Ways to call a handler under test, all giving the same [`Answer`].
//!
//! The runner knows nothing of how a handler is reached: it hands an [`Invocation`] to a
//! [`Handler`] and judges the [`Answer`]. Two implementations exist:
//! - [`InProcess`]: any `tower::Service<LambdaEvent<Value>>` (for example
//!   `lambda_runtime::service_fn(handler)`), called in this process with a panic guard;
//! - `runtime_api::ProcessHandler` (feature `process`): any program speaking the Lambda Runtime
//!   API, started against a Runtime API server that `toolcontract` serves on loopback.
//!
//! Whatever the handler does (panics, hangs, exits, floods its output, answers with 100 MB),
//! it comes back as an [`Outcome`], never as a crash of the harness.

mod depth;
mod in_process;
#[cfg(feature = "process")]
pub mod runtime_api;

use std::future::Future;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use depth::MAX_ANSWER_DEPTH;
pub use in_process::InProcess;
pub(crate) use in_process::PreparedContext;
pub(crate) use in_process::json_size;
#[cfg(test)]
pub(crate) use in_process::lambda_context;

/// Lambda's limit for a synchronous response payload, in bytes: "6 MB" in the Lambda quotas;
/// Lambda's own error names the exact figure ("Response payload size exceeded maximum allowed
/// payload size (6291556 bytes)").
pub const RESPONSE_SIZE_LIMIT: usize = 6_291_556;

/// One call of a handler: the event and everything Lambda would put in the context.
///
/// The deadline is not stored here: each [`Handler`] sets it to "now + `timeout`" at the moment
/// the invocation is handed over, as Lambda does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Invocation {
    /// The Lambda request id (`Lambda-Runtime-Aws-Request-Id`).
    pub request_id: String,
    /// The event payload.
    pub event: Value,
    /// The client context as raw JSON (`{"custom": {...}}` for the Gateway), if any: the text
    /// Lambda hands a function in `Lambda-Runtime-Client-Context`.
    pub client_context: Option<RawJson>,
    /// The invoked function ARN.
    pub invoked_function_arn: String,
    /// How long the handler has before the deadline.
    #[serde(with = "duration_ms")]
    pub timeout: Duration,
}

impl Invocation {
    /// An invocation of `event` with no client context.
    pub fn new(
        request_id: impl Into<String>,
        event: Value,
        invoked_function_arn: impl Into<String>,
        timeout: Duration,
    ) -> Self {
        Invocation {
            request_id: request_id.into(),
            event,
            client_context: None,
            invoked_function_arn: invoked_function_arn.into(),
            timeout,
        }
    }

    /// The same invocation with a client context (e.g. `{"custom": {...}}`).
    #[must_use]
    pub fn with_client_context(mut self, client_context: Value) -> Self {
        self.client_context = Some(RawJson::from_value(&client_context));
        self
    }

    /// The same invocation with a client context given as JSON text.
    #[must_use]
    pub fn with_raw_client_context(mut self, client_context: RawJson) -> Self {
        self.client_context = Some(client_context);
        self
    }
}

/// A JSON document kept as its text, as Lambda passes a client context to a function. It is
/// serialized verbatim (reports show it as JSON, not as a string).
#[derive(Clone)]
pub struct RawJson {
    text: String,
    /// The same document already parsed as a Lambda client context, when toolcontract wrote
    /// the text from a template (see [`PreparedContext`]): the in-process runner then skips
    /// parsing it again for every case.
    prepared: Option<PreparedContext>,
}

impl RawJson {
    /// The text of `value`.
    pub fn from_value(value: &Value) -> Self {
        RawJson::from_trusted(value.to_string())
    }

    /// Text that toolcontract itself wrote as JSON, taken without parsing it again.
    pub(crate) fn from_trusted(text: String) -> Self {
        RawJson {
            text,
            prepared: None,
        }
    }

    /// Text that toolcontract wrote from a template, with the client context it parses to.
    /// `prepared` must be what Lambda's runtime would parse `text` into (tests check the
    /// templates that use this).
    pub(crate) fn from_prepared(text: String, prepared: PreparedContext) -> Self {
        RawJson {
            text,
            prepared: Some(prepared),
        }
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The document as a value.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(self.as_str()).unwrap_or(Value::Null)
    }

    /// The client context this text parses to, when it was written from a template.
    pub(crate) fn prepared(&self) -> Option<&PreparedContext> {
        self.prepared.as_ref()
    }
}

impl std::fmt::Debug for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RawJson").field(&self.text).finish()
    }
}

impl PartialEq for RawJson {
    /// Equal when the documents are equal (whatever their formatting).
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str() || self.to_value() == other.to_value()
    }
}

impl Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.text.clone())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    /// From any JSON value (so reports read back through `serde_json::Value` too).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RawJson::from_value(&Value::deserialize(d)?))
    }
}

/// How one invocation ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The handler answered with a JSON value.
    Response {
        /// The response body.
        body: Value,
        /// Its size in bytes, as serialized (in-process) or as received (process).
        size: usize,
    },
    /// The handler reported an error (`Err` in-process, a post to `/error` from a process).
    FunctionError {
        /// `errorType` of the Lambda diagnostic.
        error_type: String,
        /// `errorMessage` of the Lambda diagnostic.
        error_message: String,
    },
    /// The in-process handler panicked.
    Panic {
        /// The panic payload, when it was a string.
        message: String,
        /// Where it panicked (`src/lib.rs:12:9`), when the panic hook saw it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    },
    /// The handler process exited (or could not be started) before answering.
    Exited {
        /// What ended it: an exit status, a signal, or the reason it could not start.
        status: String,
    },
    /// The handler process reported an initialization error (`/runtime/init/error`).
    InitError {
        /// `errorType` of the Lambda diagnostic.
        error_type: String,
        /// `errorMessage` of the Lambda diagnostic.
        error_message: String,
    },
    /// The handler did not answer before the deadline.
    Timeout {
        /// The limit that passed.
        #[serde(with = "duration_ms")]
        limit: Duration,
    },
    /// The handler answered with bytes that are not JSON.
    InvalidJson {
        /// The parser's message.
        error: String,
        /// The first bytes of the answer (at most 256, lossily decoded).
        prefix: String,
    },
    /// The handler answered with more than [`RESPONSE_SIZE_LIMIT`] bytes; reading stopped.
    Oversize {
        /// How many bytes were seen before reading stopped (at least the limit plus one).
        size_at_least: usize,
    },
}

impl Outcome {
    /// The response body, when the handler answered with JSON.
    pub fn response(&self) -> Option<&Value> {
        match self {
            Outcome::Response { body, .. } => Some(body),
            _ => None,
        }
    }

    /// A short label for reports, e.g. `response` or `function_error`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Response { .. } => "response",
            Outcome::FunctionError { .. } => "function_error",
            Outcome::Panic { .. } => "panic",
            Outcome::Exited { .. } => "exited",
            Outcome::InitError { .. } => "init_error",
            Outcome::Timeout { .. } => "timeout",
            Outcome::InvalidJson { .. } => "invalid_json",
            Outcome::Oversize { .. } => "oversize",
        }
    }
}

/// An [`Outcome`] with what was observed around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Answer {
    /// How the invocation ended.
    pub outcome: Outcome,
    /// Time from handing over the invocation to its end.
    #[serde(with = "duration_ms")]
    pub elapsed: Duration,
    /// The last lines the handler process wrote to stdout/stderr around this invocation
    /// (empty in-process, where output is not captured).
    pub logs: Vec<String>,
}

impl Answer {
    /// An answer with no captured logs.
    pub fn new(outcome: Outcome, elapsed: Duration) -> Self {
        Answer {
            outcome,
            elapsed,
            logs: Vec::new(),
        }
    }
}

/// Something that can be invoked like a Lambda function.
///
/// Implementations never panic and never wait without a limit: a call ends by
/// `invocation.timeout` (plus a small grace for process start-up) at the latest.
pub trait Handler: Send {
    /// Invokes the handler once.
    fn invoke(&mut self, invocation: &Invocation) -> impl Future<Output = Answer> + Send;

    /// Why the handler cannot run cases any more, if it cannot (a process that fails during
    /// init again and again): the run then stops at once instead of failing every case.
    fn broken(&self) -> Option<String> {
        None
    }
}

/// Milliseconds since the Unix epoch `timeout` from now: the deadline Lambda would announce.
pub(crate) fn deadline_ms(timeout: Duration) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from((now + timeout).as_millis()).unwrap_or(u64::MAX)
}

/// Serde for durations as integer milliseconds (the unit reports use).
pub(crate) mod duration_ms {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}
