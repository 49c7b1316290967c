//! The two envelopes of action-group events and responses (function details, OpenAPI): their
//! contracts, the fields a response must echo, and what counts as an error answer.

use std::fmt;

use serde_json::Value;

use crate::check::CheckName;
use crate::contracts::Contract;

/// Which envelope an action group's events and responses use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Envelope {
    /// Function details: the event names a `function`; the response carries
    /// `functionResponse.responseBody.TEXT.body`.
    FunctionDetails,
    /// OpenAPI: the event names an `apiPath` and `httpMethod`; the response carries
    /// `responseBody.<media type>.body` and an `httpStatusCode`.
    OpenApi,
}

/// One response field that must echo the event.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Echo {
    /// The check that owns it.
    pub(crate) check: CheckName,
    /// The event member, which the response carries under `response`.
    pub(crate) field: &'static str,
    /// What the agent sees on a mismatch, when documented.
    pub(crate) documented: Option<&'static str>,
}

const ACTION_GROUP: Echo = Echo {
    check: CheckName::EchoesActionGroup,
    field: "actionGroup",
    documented: Some("ActionGroup in Lambda response doesn't match input"),
};

const FUNCTION_ECHOES: &[Echo] = &[
    ACTION_GROUP,
    Echo {
        check: CheckName::EchoesFunction,
        field: "function",
        documented: None,
    },
];

const OPENAPI_ECHOES: &[Echo] = &[
    ACTION_GROUP,
    Echo {
        check: CheckName::EchoesApiPath,
        field: "apiPath",
        documented: Some("APIPath in Lambda response doesn't match input"),
    },
    Echo {
        check: CheckName::EchoesHttpMethod,
        field: "httpMethod",
        documented: None,
    },
];

/// The checks of a function-details suite, in report order.
const FUNCTION_CHECKS: &[CheckName] = &[
    CheckName::NoFunctionError,
    CheckName::ResponseShape,
    CheckName::MessageVersion,
    CheckName::EchoesActionGroup,
    CheckName::EchoesFunction,
    CheckName::SessionAttributes,
    CheckName::ToolReachable,
    CheckName::UnknownToolRejected,
    CheckName::WithinDeadline,
    CheckName::ResponseSize,
    CheckName::KnownGoodArguments,
];

/// The checks of an OpenAPI suite, in report order.
const OPENAPI_CHECKS: &[CheckName] = &[
    CheckName::NoFunctionError,
    CheckName::ResponseShape,
    CheckName::MessageVersion,
    CheckName::EchoesActionGroup,
    CheckName::EchoesApiPath,
    CheckName::EchoesHttpMethod,
    CheckName::SessionAttributes,
    CheckName::ToolReachable,
    CheckName::UnknownToolRejected,
    CheckName::WithinDeadline,
    CheckName::ResponseSize,
    CheckName::KnownGoodArguments,
];

/// What the agent sees when it cannot use a response at all (contract-facts, section 3).
pub(crate) const UNUSABLE_RESPONSE: &str =
    "The server encountered an error processing the Lambda response";

impl Envelope {
    /// `function-details` or `openapi`: the profile name reports record.
    pub const fn as_str(self) -> &'static str {
        match self {
            Envelope::FunctionDetails => "function-details",
            Envelope::OpenApi => "openapi",
        }
    }

    /// The contract of the events.
    pub const fn event_contract(self) -> Contract {
        match self {
            Envelope::FunctionDetails => Contract::AgentsFunctionEvent,
            Envelope::OpenApi => Contract::AgentsOpenApiEvent,
        }
    }

    /// The contract of the responses.
    pub const fn response_contract(self) -> Contract {
        match self {
            Envelope::FunctionDetails => Contract::AgentsFunctionResponse,
            Envelope::OpenApi => Contract::AgentsOpenApiResponse,
        }
    }

    /// The response fields that must echo the event.
    pub(crate) const fn echoes(self) -> &'static [Echo] {
        match self {
            Envelope::FunctionDetails => FUNCTION_ECHOES,
            Envelope::OpenApi => OPENAPI_ECHOES,
        }
    }

    /// The checks, in report order.
    pub(crate) const fn checks(self) -> &'static [CheckName] {
        match self {
            Envelope::FunctionDetails => FUNCTION_CHECKS,
            Envelope::OpenApi => OPENAPI_CHECKS,
        }
    }

    /// The event member naming the tool (`function`, or `apiPath`).
    pub(crate) const fn tool_field(self) -> &'static str {
        match self {
            Envelope::FunctionDetails => "function",
            Envelope::OpenApi => "apiPath",
        }
    }

    /// What a tool is called in this envelope: `function` or `operation`.
    pub(crate) const fn unit_name(self) -> &'static str {
        match self {
            Envelope::FunctionDetails => "function",
            Envelope::OpenApi => "operation",
        }
    }

    /// [`Envelope::is_error_answer`] in a few words, for messages.
    pub(crate) const fn error_answer_summary(self) -> &'static str {
        match self {
            Envelope::FunctionDetails => {
                "responseState FAILURE or REPROMPT, or a body text that reads as an error or is \
                 JSON with an error member"
            }
            Envelope::OpenApi => {
                "httpStatusCode 400 or more, a responseState, or a body text that reads as an \
                 error or is JSON with an error member"
            }
        }
    }

    /// Whether `body` is an error answer: what `tool_reachable` counts against a tool and
    /// `unknown_tool_rejected` asks for. This is the one definition:
    /// - function details: `response.functionResponse.responseState` is `FAILURE` or
    ///   `REPROMPT`;
    /// - OpenAPI: `response.httpStatusCode` is 400 or more (or a `responseState` of `FAILURE`
    ///   or `REPROMPT` is present);
    /// - either: a response body text reads as an error ([`is_error_text`](crate::agents::is_error_text)),
    ///   or is JSON that says it failed (`statusCode` 400 or more, an `error` member,
    ///   `success: false`).
    pub fn is_error_answer(self, body: &Value) -> bool {
        let response = body.get("response");
        let state = match self {
            Envelope::FunctionDetails => body.pointer("/response/functionResponse/responseState"),
            Envelope::OpenApi => response.and_then(|r| r.get("responseState")),
        };
        if matches!(state.and_then(Value::as_str), Some("FAILURE" | "REPROMPT")) {
            return true;
        }
        if self == Envelope::OpenApi
            && response
                .and_then(|r| r.get("httpStatusCode"))
                .and_then(Value::as_i64)
                .is_some_and(|code| code >= 400)
        {
            return true;
        }
        let bodies = match self {
            Envelope::FunctionDetails => body.pointer("/response/functionResponse/responseBody"),
            Envelope::OpenApi => body.pointer("/response/responseBody"),
        };
        bodies.and_then(Value::as_object).is_some_and(|bodies| {
            bodies
                .values()
                .filter_map(|b| b.get("body").and_then(Value::as_str))
                .any(is_error_body)
        })
    }
}

/// Whether a response body text says it failed: as text, or, when it is JSON, through the
/// signals every contract reads (`statusCode`, `error`, `success: false`).
fn is_error_body(text: &str) -> bool {
    if crate::judge::is_error_text(text) {
        return true;
    }
    text.trim_start().starts_with('{')
        && serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| crate::judge::error_signal(&v))
            .is_some()
}

impl fmt::Display for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Envelope;

    #[test]
    fn error_answers_by_envelope() {
        let function = |state: Option<&str>, text: &str| {
            let mut body = json!({"response": {"functionResponse": {"responseBody": {"TEXT": {"body": text}}}}});
            if let Some(s) = state {
                body["response"]["functionResponse"]["responseState"] = json!(s);
            }
            body
        };
        let f = Envelope::FunctionDetails;
        assert!(!f.is_error_answer(&function(None, "ok")));
        assert!(f.is_error_answer(&function(Some("REPROMPT"), "ok")));
        assert!(f.is_error_answer(&function(Some("FAILURE"), "ok")));
        assert!(f.is_error_answer(&function(None, "invalid date")));
        let api = |code: i64, text: &str| json!({"response": {"httpStatusCode": code, "responseBody": {"application/json": {"body": text}}}});
        let o = Envelope::OpenApi;
        assert!(!o.is_error_answer(&api(200, "{\"claims\": []}")));
        assert!(o.is_error_answer(&api(404, "{}")));
        assert!(o.is_error_answer(&api(200, "{\"error\": \"no such claim\"}")));
        // A JSON body that says it failed without error words.
        assert!(o.is_error_answer(&api(200, "{\"success\": false}")));
    }
}
