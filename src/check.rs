//! The stable names of the checks `toolcontract` runs.
//!
//! Users put these names in CI configurations and filters, so they never change once
//! released. [`CheckName::as_str`] is the only way a name is spelled; never `format!` one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One named rule evaluated on a case and its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckName {
    /// A valid case never ends in a function error (`Err`, panic, process exit, invalid JSON).
    NoFunctionError,
    /// The response conforms to the profile's schema in `contracts/`.
    ResponseShape,
    /// With an outputSchema, the structured output conforms to it.
    OutputSchema,
    /// Not every valid case of a tool is answered as an error (the classic dispatch bug).
    ToolReachable,
    /// A tool name the definition does not declare is answered as an error, not a success
    /// and not a function error.
    UnknownToolRejected,
    /// Renaming the Gateway target (the part before `___`) does not change whether a case
    /// succeeds.
    TargetPrefixInvariant,
    /// The handler answers before the invocation deadline.
    WithinDeadline,
    /// The response fits Lambda's synchronous response limit (6 MB).
    ResponseSize,
    /// Opt-in (negative mode): schema-violating arguments are answered as an error, not a
    /// function error.
    InvalidArgumentsHandled,
    /// Action groups: the response carries `messageVersion` `"1.0"`.
    MessageVersion,
    /// Action groups: the response echoes the event's `actionGroup`.
    EchoesActionGroup,
    /// Action groups (function details): the response echoes the event's `function`.
    EchoesFunction,
    /// Action groups (OpenAPI): the response echoes the event's `apiPath`.
    EchoesApiPath,
    /// Action groups (OpenAPI): the response echoes the event's `httpMethod`.
    EchoesHttpMethod,
    /// Action groups: session attributes in the response are string-to-string maps.
    SessionAttributes,
    /// An answer that says it failed (`statusCode` 400 or more, an `error` or `errorMessage`
    /// member, `success: false`) reaches the agent with `isError: true`; otherwise the agent
    /// reads the failure as a success.
    ErrorSignalled,
    /// The known-good arguments of a tool (the input schema's `examples`, the configuration's
    /// `known_good`) are answered as a success.
    KnownGoodArguments,
    /// Interceptors: the output carries `interceptorOutputVersion` `"1.0"`.
    InterceptorOutputVersion,
    /// Interceptors: the output has the documented shape (`mcp.transformedGatewayRequest`
    /// and/or `mcp.transformedGatewayResponse`).
    InterceptorOutputShape,
    /// Interceptors: a transformed request or response body is a JSON object (or `null`, to
    /// keep the original), not a string.
    InterceptorBodyObject,
    /// Interceptors: the JSON-RPC id of a transformed request, and of a response the
    /// interceptor answers with, is the request's.
    InterceptorIdPreserved,
    /// Interceptors: a response the interceptor answers with (a short-circuit, or a
    /// transformed target response) is a valid JSON-RPC 2.0 response.
    InterceptorJsonrpcResponse,
    /// Interceptors: MCP messages other than `tools/call` (initialize, tools/list, ping,
    /// notifications) are passed on as the method they are.
    InterceptorPassthrough,
}

/// How much a failed check matters.
///
/// Defaults follow the evidence (`contract-facts.md`): what the service rejects or what breaks
/// the agent's turn is an [`Error`](Severity::Error); what works but loses something is a
/// [`Warning`](Severity::Warning). The configuration can change it per check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Reported; the run still passes unless warnings are denied.
    Warning,
    /// Fails the run (exit status 1).
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl CheckName {
    /// Every check, in the order reports list them.
    pub const ALL: [CheckName; 23] = [
        CheckName::NoFunctionError,
        CheckName::ResponseShape,
        CheckName::OutputSchema,
        CheckName::ToolReachable,
        CheckName::UnknownToolRejected,
        CheckName::TargetPrefixInvariant,
        CheckName::WithinDeadline,
        CheckName::ResponseSize,
        CheckName::InvalidArgumentsHandled,
        CheckName::MessageVersion,
        CheckName::EchoesActionGroup,
        CheckName::EchoesFunction,
        CheckName::EchoesApiPath,
        CheckName::EchoesHttpMethod,
        CheckName::SessionAttributes,
        CheckName::ErrorSignalled,
        CheckName::KnownGoodArguments,
        CheckName::InterceptorOutputVersion,
        CheckName::InterceptorOutputShape,
        CheckName::InterceptorBodyObject,
        CheckName::InterceptorIdPreserved,
        CheckName::InterceptorJsonrpcResponse,
        CheckName::InterceptorPassthrough,
    ];

    /// The stable snake_case identifier, e.g. `tool_reachable`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckName::NoFunctionError => "no_function_error",
            CheckName::ResponseShape => "response_shape",
            CheckName::OutputSchema => "output_schema",
            CheckName::ToolReachable => "tool_reachable",
            CheckName::UnknownToolRejected => "unknown_tool_rejected",
            CheckName::TargetPrefixInvariant => "target_prefix_invariant",
            CheckName::WithinDeadline => "within_deadline",
            CheckName::ResponseSize => "response_size",
            CheckName::InvalidArgumentsHandled => "invalid_arguments_handled",
            CheckName::MessageVersion => "message_version",
            CheckName::EchoesActionGroup => "echoes_action_group",
            CheckName::EchoesFunction => "echoes_function",
            CheckName::EchoesApiPath => "echoes_api_path",
            CheckName::EchoesHttpMethod => "echoes_http_method",
            CheckName::SessionAttributes => "session_attributes",
            CheckName::ErrorSignalled => "error_signalled",
            CheckName::KnownGoodArguments => "known_good_arguments",
            CheckName::InterceptorOutputVersion => "interceptor_output_version",
            CheckName::InterceptorOutputShape => "interceptor_output_shape",
            CheckName::InterceptorBodyObject => "interceptor_body_object",
            CheckName::InterceptorIdPreserved => "interceptor_id_preserved",
            CheckName::InterceptorJsonrpcResponse => "interceptor_jsonrpc_response",
            CheckName::InterceptorPassthrough => "interceptor_passthrough",
        }
    }

    /// The severity of the check's findings unless a finding's cause or the configuration
    /// says otherwise. Warnings: `unknown_tool_rejected` (neither service sends an undeclared
    /// name to the Lambda), `invalid_arguments_handled` (the Gateway validates arguments before
    /// invoking), `error_signalled` (the answer works, but its failure reads as a success).
    /// Some checks give some causes another severity: a missing `messageVersion` (observed to
    /// work) and an answer that is not a JSON object (not known to be accepted) are warnings.
    pub const fn default_severity(self) -> Severity {
        match self {
            CheckName::UnknownToolRejected
            | CheckName::InvalidArgumentsHandled
            | CheckName::ErrorSignalled => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// One sentence saying what the check asks of a handler.
    pub const fn summary(self) -> &'static str {
        match self {
            CheckName::NoFunctionError => {
                "a valid case never ends in a function error (Err, panic, process exit, invalid JSON)"
            }
            CheckName::ResponseShape => "the response conforms to the profile's contract schema",
            CheckName::OutputSchema => "structured output conforms to the tool's outputSchema",
            CheckName::ToolReachable => "not every valid case of a tool is answered as an error",
            CheckName::UnknownToolRejected => {
                "an undeclared tool name is answered as an error, not a success or a crash"
            }
            CheckName::TargetPrefixInvariant => {
                "renaming the target (before `___`) does not change whether a case succeeds"
            }
            CheckName::WithinDeadline => "the handler answers before the invocation deadline",
            CheckName::ResponseSize => "the response fits the 6 MB synchronous response limit",
            CheckName::InvalidArgumentsHandled => {
                "schema-violating arguments are answered as an error, not a function error"
            }
            CheckName::MessageVersion => "the response carries messageVersion \"1.0\"",
            CheckName::EchoesActionGroup => "the response echoes the event's actionGroup",
            CheckName::EchoesFunction => "the response echoes the event's function",
            CheckName::EchoesApiPath => "the response echoes the event's apiPath",
            CheckName::EchoesHttpMethod => "the response echoes the event's httpMethod",
            CheckName::SessionAttributes => {
                "session attributes in the response are string-to-string maps"
            }
            CheckName::ErrorSignalled => {
                "an answer that says it failed reaches the agent with isError: true"
            }
            CheckName::KnownGoodArguments => {
                "the tool's known-good arguments (schema examples, configuration) succeed"
            }
            CheckName::InterceptorOutputVersion => {
                "the interceptor's output carries interceptorOutputVersion \"1.0\""
            }
            CheckName::InterceptorOutputShape => {
                "the interceptor's output has the documented mcp.transformedGateway* shape"
            }
            CheckName::InterceptorBodyObject => {
                "a transformed body is a JSON object (or null to keep the original), not a string"
            }
            CheckName::InterceptorIdPreserved => {
                "a transformed request or an answered response keeps the request's JSON-RPC id"
            }
            CheckName::InterceptorJsonrpcResponse => {
                "a response the interceptor answers with is a valid JSON-RPC 2.0 response"
            }
            CheckName::InterceptorPassthrough => {
                "MCP messages other than tools/call are passed on as the method they are"
            }
        }
    }
}

impl fmt::Display for CheckName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown check name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown check `{0}`{hint} (known checks: {known})",
    hint = crate::suggest::did_you_mean_inline(.0, CheckName::ALL.map(CheckName::as_str)),
    known = known_names()
)]
pub struct UnknownCheck(pub String);

fn known_names() -> String {
    CheckName::ALL.map(CheckName::as_str).join(", ")
}

impl FromStr for CheckName {
    type Err = UnknownCheck;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckName::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCheck(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::CheckName;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for check in CheckName::ALL {
            let json = serde_json::to_value(check).unwrap();
            assert_eq!(json, serde_json::Value::String(check.as_str().to_owned()));
            assert_eq!(check.as_str().parse::<CheckName>().unwrap(), check);
        }
        let err = "tool_reachble".parse::<CheckName>().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown check `tool_reachble` (did you mean `tool_reachable`?)"),
            "{err}"
        );
    }
}
