//! What the agent receives: the MCP result a Gateway makes of a Lambda target's answer.
//!
//! This is the one place the mapping lives (`contract-facts.md` section 1, "Response"):
//! - plain JSON (OBSERVED): one text block holding the answer as compact JSON, `isError: false`;
//! - an answer shaped as an MCP result: passed through as it is, under the
//!   [`Assumptions::mcp_passthrough`] assumption (UNKNOWN; the `mcp` profile always assumes
//!   it), else wrapped like any other JSON;
//! - a function error of any kind (an exception, a crash, a timeout, an answer over the size
//!   limit, bytes that are not JSON): `isError: true` with the Gateway's generic text
//!   (DOCUMENTED for invoke failures with debug messages off; assumed for function errors).
//!
//! The checks judge this view, and reports and snapshots show it beside the raw answer.

use serde::Serialize;
use serde_json::{Value, json};

use crate::handler::Outcome;

use crate::profile::{Assumptions, Profile};

/// The text a Gateway returns for a failed invocation with debug messages off
/// (gateway-debug-messages).
pub const GENERIC_ERROR_TEXT: &str = "An internal error occurred. Please retry later.";

/// How the Gateway made the result of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mapping {
    /// The answer, whole, as compact JSON in one text block.
    Wrapped,
    /// The answer was an MCP result, passed through as it is.
    PassedThrough,
    /// The invocation failed: the Gateway's generic error.
    FunctionError,
}

/// The MCP result the agent receives for one answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Received {
    /// The `tools/call` result: `content`, `isError`, maybe `structuredContent`.
    pub result: Value,
    /// How it was made.
    pub mapping: Mapping,
}

impl Received {
    /// Whether the agent is told the call failed (`isError: true`).
    pub fn is_error(&self) -> bool {
        self.result.get("isError") == Some(&Value::Bool(true))
    }

    /// The text of the first text block: what the agent reads first.
    pub fn text(&self) -> Option<&str> {
        self.result
            .get("content")?
            .as_array()?
            .first()?
            .get("text")?
            .as_str()
    }
}

impl Received {
    /// The result a Gateway with debug messages on (gateway-debug-messages) returns for
    /// `outcome`: a failed invocation says what failed in its text and in `_meta.debug`
    /// (DOCUMENTED for invoke failures; assumed, with this wording, for function errors,
    /// timeouts and oversize answers). Any other result is unchanged.
    pub fn with_debug_messages(mut self, outcome: &Outcome) -> Received {
        if self.mapping != Mapping::FunctionError {
            return self;
        }
        let message = failure_text(outcome);
        self.result = json!({
            "content": [{"type": "text", "text": message}],
            "_meta": {"debug": {"outcome": outcome.label(), "message": message}},
            "isError": true,
        });
        self
    }
}

/// What failed, for the debug form: the handler's own error when it reported one.
fn failure_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Timeout { limit } => format!(
            "the Lambda function did not answer within its {} ms timeout",
            limit.as_millis()
        ),
        Outcome::Oversize { size_at_least } => format!(
            "the Lambda function's response is over {size_at_least} bytes, above the \
             {} bytes limit",
            crate::handler::RESPONSE_SIZE_LIMIT
        ),
        other => crate::judge::function_error(other)
            .unwrap_or_else(|| format!("the Lambda invocation failed ({})", other.label())),
    }
}

/// Whether the answer attempts the MCP result shape: an object with a `content` or `isError`
/// member.
pub(crate) fn attempts_mcp(body: &Value) -> bool {
    body.as_object()
        .is_some_and(|o| o.contains_key("content") || o.contains_key("isError"))
}

/// Whether the answer is a well-formed MCP result (the `gateway-response-mcp` contract).
pub(crate) fn is_mcp_result(body: &Value) -> bool {
    attempts_mcp(body)
        && crate::contracts::Contract::GatewayResponseMcp
            .validator()
            .is_valid(body)
}

/// Whether a response body reaches the agent as it is (a well-formed MCP result, passed
/// through under `profile` and `assume`), without building the result.
pub(crate) fn passes_through(body: &Value, profile: Profile, assume: Assumptions) -> bool {
    (profile == Profile::Mcp || assume.mcp_passthrough) && is_mcp_result(body)
}

/// The result the agent receives for `outcome` under `profile` and `assume`.
pub fn received(outcome: &Outcome, profile: Profile, assume: Assumptions) -> Received {
    match outcome {
        Outcome::Response { body, .. } => {
            if passes_through(body, profile, assume) {
                Received {
                    result: body.clone(),
                    mapping: Mapping::PassedThrough,
                }
            } else {
                Received {
                    result: json!({
                        "content": [{"type": "text", "text": body.to_string()}],
                        "isError": false,
                    }),
                    mapping: Mapping::Wrapped,
                }
            }
        }
        _ => Received {
            result: json!({
                "content": [{"type": "text", "text": GENERIC_ERROR_TEXT}],
                "isError": true,
            }),
            mapping: Mapping::FunctionError,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    fn response(body: Value) -> Outcome {
        Outcome::Response { size: 0, body }
    }

    #[test]
    fn plain_json_is_wrapped_whole_as_compact_text() {
        let got = received(
            &response(json!({"statusCode": 200, "body": "{\"a\": 1}"})),
            Profile::Gateway,
            Assumptions::default(),
        );
        assert_eq!(got.mapping, Mapping::Wrapped);
        assert!(!got.is_error());
        // serde_json orders members by key; the Gateway's own log keeps the answer's order.
        assert_eq!(
            got.text(),
            Some(r#"{"body":"{\"a\": 1}","statusCode":200}"#)
        );
    }

    #[test]
    fn mcp_results_pass_through_only_under_the_assumption() {
        let body = json!({"content": [{"type": "text", "text": "no"}], "isError": true});
        let passed = received(
            &response(body.clone()),
            Profile::Gateway,
            Assumptions::default(),
        );
        assert_eq!(passed.mapping, Mapping::PassedThrough);
        assert!(passed.is_error());
        let wrapped = received(
            &response(body.clone()),
            Profile::Gateway,
            Assumptions {
                mcp_passthrough: false,
            },
        );
        assert_eq!(wrapped.mapping, Mapping::Wrapped);
        assert!(!wrapped.is_error());
        // The strict profile always assumes it.
        let strict = received(
            &response(body),
            Profile::Mcp,
            Assumptions {
                mcp_passthrough: false,
            },
        );
        assert_eq!(strict.mapping, Mapping::PassedThrough);
        // A malformed attempt is not an MCP result: wrapped like any JSON.
        let malformed = received(
            &response(json!({"content": "text", "isError": "yes"})),
            Profile::Gateway,
            Assumptions::default(),
        );
        assert_eq!(malformed.mapping, Mapping::Wrapped);
    }

    #[test]
    fn debug_messages_say_what_failed_and_leave_answers_alone() {
        let error = Outcome::FunctionError {
            error_type: "ValueError".into(),
            error_message: "b must not be 0".into(),
        };
        let got =
            received(&error, Profile::Gateway, Assumptions::default()).with_debug_messages(&error);
        assert!(got.is_error());
        assert_eq!(
            got.text(),
            Some("the handler failed with a function error (ValueError: b must not be 0)")
        );
        assert_eq!(got.result["_meta"]["debug"]["outcome"], "function_error");
        let timeout = Outcome::Timeout {
            limit: Duration::from_millis(250),
        };
        let got = received(&timeout, Profile::Gateway, Assumptions::default())
            .with_debug_messages(&timeout);
        assert_eq!(
            got.text(),
            Some("the Lambda function did not answer within its 250 ms timeout")
        );
        let answer = response(json!({"sum": 3}));
        let plain = received(&answer, Profile::Gateway, Assumptions::default());
        assert_eq!(plain.clone().with_debug_messages(&answer), plain);
    }

    #[test]
    fn function_errors_become_the_generic_error() {
        for outcome in [
            Outcome::Panic {
                message: "boom".into(),
                location: None,
            },
            Outcome::Timeout {
                limit: Duration::from_secs(1),
            },
        ] {
            let got = received(&outcome, Profile::Gateway, Assumptions::default());
            assert!(got.is_error());
            assert_eq!(got.text(), Some(GENERIC_ERROR_TEXT));
            assert_eq!(got.mapping, Mapping::FunctionError);
        }
    }
}
