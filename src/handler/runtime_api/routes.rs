//! The path table of the Runtime API and the JSON answers it gives besides events.
//!
//! Statuses and error bodies follow the AWS Lambda Runtime Interface Emulator (`rapi`):
//! `202 {"status":"OK"}` for accepted posts, `400 InvalidRequestID` for an id that is not the
//! current invocation, `403 InvalidStateTransition` for a post the runtime's state does not allow,
//! `413 RequestEntityTooLarge` for an oversized response.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Method, Response, StatusCode};
use http_body_util::Full;
use serde::Serialize;

use crate::handler::RESPONSE_SIZE_LIMIT;

/// The API version prefix every route starts with.
pub(crate) const PREFIX: &str = "/2018-06-01/runtime/";

/// One endpoint of the Runtime API, as addressed by a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `GET /2018-06-01/runtime/invocation/next`
    Next,
    /// `POST /2018-06-01/runtime/invocation/{id}/response`
    Response(Box<str>),
    /// `POST /2018-06-01/runtime/invocation/{id}/error`
    Error(Box<str>),
    /// `POST /2018-06-01/runtime/init/error`
    InitError,
}

impl Route {
    /// The route a request addresses, or the error answer for a path or method the API does not
    /// serve.
    pub(crate) fn parse(method: &Method, path: &str) -> Result<Route, ApiError> {
        let (route, allowed) = match path.strip_prefix(PREFIX) {
            Some("invocation/next") => (Route::Next, Method::GET),
            Some("init/error") => (Route::InitError, Method::POST),
            Some(rest) => match rest
                .strip_prefix("invocation/")
                .and_then(|rest| rest.split_once('/'))
            {
                Some((id, "response")) if is_request_id(id) => {
                    (Route::Response(id.into()), Method::POST)
                }
                Some((id, "error")) if is_request_id(id) => (Route::Error(id.into()), Method::POST),
                _ => return Err(ApiError::not_found(method, path)),
            },
            None => return Err(ApiError::not_found(method, path)),
        };
        if *method == allowed {
            Ok(route)
        } else {
            Err(ApiError::method_not_allowed(method, path, &allowed))
        }
    }
}

fn is_request_id(id: &str) -> bool {
    !id.is_empty() && !id.contains('/')
}

/// An error answer: a status and the Runtime API's JSON error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// `errorType` of the body.
    pub(crate) error_type: &'static str,
    /// `errorMessage` of the body.
    pub(crate) message: String,
    /// The `Allow` header of a 405.
    allow: Option<Method>,
}

impl ApiError {
    fn new(status: StatusCode, error_type: &'static str, message: String) -> Self {
        ApiError {
            status,
            error_type,
            message,
            allow: None,
        }
    }

    /// 404: no such route.
    pub(crate) fn not_found(method: &Method, path: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!(
                "no route for {method} {path}: the Runtime API serves GET {PREFIX}invocation/next, \
                 POST {PREFIX}invocation/{{id}}/response, POST {PREFIX}invocation/{{id}}/error \
                 and POST {PREFIX}init/error"
            ),
        )
    }

    /// 405: a known route with the wrong method.
    pub(crate) fn method_not_allowed(method: &Method, path: &str, allowed: &Method) -> Self {
        let mut error = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("{path} does not accept {method}; use {allowed}"),
        );
        error.allow = Some(allowed.clone());
        error
    }

    /// 400: the id is not the invocation in progress (or none is in progress).
    pub(crate) fn invalid_request_id() -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "InvalidRequestID",
            "Invalid request ID".to_owned(),
        )
    }

    /// 403: the runtime's state does not allow this call.
    pub(crate) fn invalid_state_transition(message: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "InvalidStateTransition",
            message.into(),
        )
    }

    /// 413: the response is over the payload limit.
    pub(crate) fn too_large() -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("Exceeded maximum allowed payload size ({RESPONSE_SIZE_LIMIT} bytes)."),
        )
    }

    /// 400: the request body ended early (the client went away).
    pub(crate) fn truncated() -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "TruncatedHTTPRequest",
            "HTTP request detected as truncated".to_owned(),
        )
    }

    /// The HTTP answer.
    pub(crate) fn into_response(self) -> Response<Full<Bytes>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            error_message: &'a str,
            error_type: &'a str,
        }
        let body = serde_json::to_vec(&Body {
            error_message: &self.message,
            error_type: self.error_type,
        })
        .unwrap_or_default();
        let mut response = json_response(self.status, body);
        if let Some(allow) = self.allow
            && let Ok(value) = HeaderValue::from_str(allow.as_str())
        {
            response.headers_mut().insert(http::header::ALLOW, value);
        }
        response
    }
}

/// 202 Accepted with `{"status":"OK"}`, the answer to every accepted post.
pub(crate) fn accepted() -> Response<Full<Bytes>> {
    json_response(
        StatusCode::ACCEPTED,
        Bytes::from_static(br#"{"status":"OK"}"#),
    )
}

fn json_response(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;
    use serde_json::{Value, json};

    use super::*;

    fn parse(method: Method, path: &str) -> Result<Route, StatusCode> {
        Route::parse(&method, path).map_err(|e| e.status)
    }

    #[test]
    fn next_is_a_get() {
        assert_eq!(
            parse(Method::GET, "/2018-06-01/runtime/invocation/next"),
            Ok(Route::Next)
        );
        assert_eq!(
            parse(Method::POST, "/2018-06-01/runtime/invocation/next"),
            Err(StatusCode::METHOD_NOT_ALLOWED)
        );
    }

    #[test]
    fn response_and_error_carry_the_id() {
        assert_eq!(
            parse(
                Method::POST,
                "/2018-06-01/runtime/invocation/abc-1/response"
            ),
            Ok(Route::Response("abc-1".into()))
        );
        assert_eq!(
            parse(Method::POST, "/2018-06-01/runtime/invocation/abc-1/error"),
            Ok(Route::Error("abc-1".into()))
        );
        assert_eq!(
            parse(Method::GET, "/2018-06-01/runtime/invocation/abc-1/response"),
            Err(StatusCode::METHOD_NOT_ALLOWED)
        );
    }

    #[test]
    fn init_error_is_a_post() {
        assert_eq!(
            parse(Method::POST, "/2018-06-01/runtime/init/error"),
            Ok(Route::InitError)
        );
        assert_eq!(
            parse(Method::GET, "/2018-06-01/runtime/init/error"),
            Err(StatusCode::METHOD_NOT_ALLOWED)
        );
    }

    #[test]
    fn anything_else_is_not_found() {
        for path in [
            "/",
            "/2018-06-01/runtime/invocation/",
            "/2018-06-01/runtime/invocation//response",
            "/2018-06-01/runtime/invocation/a/b/response",
            "/2018-06-01/runtime/invocation/abc/result",
            "/2018-06-01/runtime/restore/next",
            "/2020-01-01/runtime/invocation/next",
        ] {
            assert_eq!(
                parse(Method::POST, path),
                Err(StatusCode::NOT_FOUND),
                "{path}"
            );
        }
    }

    async fn body_of(response: Response<Full<Bytes>>) -> (StatusCode, Value) {
        let status = response.status();
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn error_answers_have_the_lambda_error_body() {
        let (status, body) = body_of(ApiError::invalid_request_id().into_response()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"})
        );
        let (status, body) = body_of(ApiError::too_large().into_response()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            body,
            json!({
                "errorMessage": "Exceeded maximum allowed payload size (6291556 bytes).",
                "errorType": "RequestEntityTooLarge"
            })
        );
        let (status, body) = body_of(accepted()).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        assert_eq!(body, json!({"status": "OK"}));
    }

    #[test]
    fn method_not_allowed_says_which_method() {
        let error = Route::parse(&Method::DELETE, "/2018-06-01/runtime/init/error").unwrap_err();
        let response = error.into_response();
        assert_eq!(response.headers()[http::header::ALLOW], "POST");
    }
}
