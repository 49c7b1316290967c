//! `POST /2018-06-01/runtime/invocation/{id}/error` and `POST /2018-06-01/runtime/init/error`:
//! the handler reports a failure.
//!
//! The body is normally lambda_runtime's `Diagnostic` (`{"errorType": ..., "errorMessage": ...}`;
//! the Python and Node runtimes add `stackTrace`/`trace`), with the error type also in the
//! `Lambda-Runtime-Function-Error-Type` header. Lambda passes any body through, so this reads
//! any body: a body that is not a diagnostic still becomes a report, with its text as the
//! message.

use http::HeaderMap;
use http::header::HeaderName;
use serde_json::Value;

/// `Lambda-Runtime-Function-Error-Type`
pub(crate) const FUNCTION_ERROR_TYPE: HeaderName =
    HeaderName::from_static("lambda-runtime-function-error-type");

/// The error type when neither the body nor the header names one.
const UNNAMED_ERROR_TYPE: &str = "Unhandled";

/// A failure reported by the handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorReport {
    /// `errorType`: from the body, else the header, else `Unhandled`.
    pub(crate) error_type: String,
    /// `errorMessage`: from the body; the whole body as text when it is not a diagnostic.
    pub(crate) error_message: String,
}

impl ErrorReport {
    /// Reads a report from the request headers and body.
    pub(crate) fn parse(headers: &HeaderMap, body: &[u8]) -> Self {
        let header_type = headers
            .get(FUNCTION_ERROR_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
            .filter(|t| !t.is_empty());
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let (body_type, message) = match &parsed {
            Some(Value::Object(map)) => {
                let body_type = match map.get("errorType") {
                    Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
                    _ => None,
                };
                let message = match map.get("errorMessage") {
                    Some(Value::String(m)) => m.clone(),
                    Some(other) => other.to_string(),
                    None => String::from_utf8_lossy(body).into_owned(),
                };
                (body_type, message)
            }
            Some(Value::String(text)) => (None, text.clone()),
            _ => (None, String::from_utf8_lossy(body).into_owned()),
        };
        ErrorReport {
            error_type: body_type
                .or(header_type)
                .unwrap_or_else(|| UNNAMED_ERROR_TYPE.to_owned()),
            error_message: message,
        }
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(error_type: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(t) = error_type {
            headers.insert(FUNCTION_ERROR_TYPE, HeaderValue::from_static(t));
        }
        headers
    }

    #[test]
    fn a_diagnostic_body_gives_type_and_message() {
        let report = ErrorReport::parse(
            &headers(Some("Header.Type")),
            br#"{"errorType":"ToolFailure","errorMessage":"no such order","stackTrace":[]}"#,
        );
        assert_eq!(
            report,
            ErrorReport {
                error_type: "ToolFailure".into(),
                error_message: "no such order".into()
            }
        );
    }

    #[test]
    fn the_header_names_the_type_when_the_body_does_not() {
        let report = ErrorReport::parse(
            &headers(Some("Runtime.ExitError")),
            br#"{"errorMessage":"bye"}"#,
        );
        assert_eq!(report.error_type, "Runtime.ExitError");
        assert_eq!(report.error_message, "bye");
    }

    #[test]
    fn a_body_that_is_not_json_is_the_message() {
        let report = ErrorReport::parse(&headers(None), b"Traceback: boom");
        assert_eq!(
            report,
            ErrorReport {
                error_type: "Unhandled".into(),
                error_message: "Traceback: boom".into()
            }
        );
        let report = ErrorReport::parse(&headers(Some("Custom")), b"");
        assert_eq!(report.error_type, "Custom");
        assert_eq!(report.error_message, "");
    }

    #[test]
    fn odd_json_bodies_still_make_a_report() {
        let report = ErrorReport::parse(&headers(None), br#""just a string""#);
        assert_eq!(report.error_message, "just a string");
        let report = ErrorReport::parse(&headers(None), br#"{"errorMessage":{"k":1}}"#);
        assert_eq!(report.error_message, r#"{"k":1}"#);
        let report = ErrorReport::parse(&headers(None), br#"{"other":1}"#);
        assert_eq!(report.error_message, r#"{"other":1}"#);
        assert_eq!(report.error_type, "Unhandled");
    }
}
