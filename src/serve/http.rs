//! Streamable HTTP at `/mcp` (the Gateway's transport), and stdio.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use rmcp::ServiceExt;
use rmcp::model::ClientJsonRpcMessage;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use tokio::net::TcpListener;
use tower::ServiceExt as _;

use crate::Error;

use super::intercept::{Decision, Interceptors, header_map};
use super::target::LocalGateway;

/// The largest request body served: the Gateway's 6 MB tool-call payload quota
/// (bedrock-agentcore-limits) and room for the JSON-RPC envelope. A larger request gets
/// `413 Payload Too Large` without being read.
pub const MAX_REQUEST_BYTES: usize = 7 * 1024 * 1024;

/// The path of the MCP endpoint, as on a Gateway.
const MCP_PATH: &str = "/mcp";

type Service = StreamableHttpService<LocalGateway, LocalSessionManager>;

type Answer = Response<BoxBody<Bytes, Infallible>>;

/// A plain answer with a text body.
fn plain(status: StatusCode, text: &'static str) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())).boxed());
    *response.status_mut() = status;
    response
}

/// `400 Bad Request` with a JSON-RPC error without an id (the request had none that could be
/// read): what the MCP transport says a server answers a message it cannot accept with.
fn rpc_error(code: i32, message: String) -> Answer {
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())).boxed());
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

const TOO_LARGE: &str = "request too large: toolcontract serve reads at most 7 MiB\n";

/// One HTTP request: `/mcp` to the MCP service (body at most [`MAX_REQUEST_BYTES`], read
/// whole first), any other path 404. A body that is not JSON gets the JSON-RPC parse error
/// (-32700), JSON that is not one JSON-RPC message (a batch, an object without `jsonrpc`)
/// the invalid-request error (-32600), both with `400 Bad Request`; rmcp alone would answer
/// both `415 Unsupported Media Type` with a text body.
async fn route(
    service: Service,
    interceptors: Interceptors,
    request: Request<Incoming>,
) -> Result<Answer, Infallible> {
    if request.uri().path() != MCP_PATH {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "not found: the MCP endpoint is /mcp\n",
        ));
    }
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES as u64) {
        return Ok(plain(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE));
    }
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            return Ok(plain(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE));
        }
        // The client went away (or sent a broken chunked body): nobody reads the answer.
        Err(_) => {
            return Ok(plain(
                StatusCode::BAD_REQUEST,
                "the request body could not be read\n",
            ));
        }
    };
    if parts.method == http::Method::POST
        && let Err(error) = serde_json::from_slice::<ClientJsonRpcMessage>(&body)
    {
        use serde_json::error::Category;
        return Ok(match error.classify() {
            Category::Data => rpc_error(
                -32600,
                format!("Invalid Request: not a JSON-RPC 2.0 request or notification: {error}"),
            ),
            Category::Syntax | Category::Eof | Category::Io => {
                rpc_error(-32700, format!("Parse error: {error}"))
            }
        });
    }
    if parts.method == http::Method::POST && interceptors.any() {
        return Ok(intercepted(service, &interceptors, parts, body).await);
    }
    let delete = parts.method == http::Method::DELETE;
    let request = Request::from_parts(parts, Full::new(body));
    let mut response = match service.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    // Ending a session: rmcp says `202 Accepted`, which the MCP Python SDK logs as a failed
    // termination (it expects 200 or 204); nothing is left to do, so `204 No Content`.
    if delete && response.status() == StatusCode::ACCEPTED {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    Ok(response)
}

/// A JSON answer with this status.
fn json_answer(status: u16, body: &serde_json::Value) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())).boxed());
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// One MCP message through the interceptors, as a Gateway runs them: REQUEST before the
/// routing (it may rewrite the request, set headers, or answer at once), then the MCP
/// service, then RESPONSE on the answer to a request (the service's, or the short-circuit).
async fn intercepted(
    service: Service,
    interceptors: &Interceptors,
    mut parts: http::request::Parts,
    body: Bytes,
) -> Answer {
    let Ok(message) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return rpc_error(-32700, "Parse error".to_owned());
    };
    let raw = String::from_utf8_lossy(&body).into_owned();
    let headers = header_map(&parts.headers);
    let is_request = message.get("id").is_some();
    let (status, answer) = match interceptors.request(&message, &raw, &headers).await {
        Err(error) => return json_answer(200, &error),
        Ok(Decision::Answer { status, body }) => (status, body),
        Ok(Decision::Forward {
            body: forwarded,
            headers: set,
        }) => {
            // Headers an interceptor sets take precedence over the client's.
            for (name, value) in set {
                if let (Ok(name), Ok(value)) = (
                    http::HeaderName::from_bytes(name.as_bytes()),
                    http::HeaderValue::from_str(&value),
                ) {
                    parts.headers.insert(name, value);
                }
            }
            parts.headers.remove(http::header::CONTENT_LENGTH);
            let request = Request::from_parts(parts, Full::new(Bytes::from(forwarded.to_string())));
            let response = match service.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if !is_request || !interceptors.has_response() {
                return response;
            }
            return respond_through(interceptors, &message, &raw, &headers, response).await;
        }
    };
    if !is_request {
        return plain(StatusCode::ACCEPTED, "");
    }
    let (status, answer) = interceptors
        .response(&message, &raw, &headers, status, answer)
        .await;
    json_answer(status, &answer)
}

/// The service's answer to `message` through the RESPONSE interceptor: read up to the
/// JSON-RPC response (plain JSON, or the server-sent event that carries it), transformed,
/// and sent in the same framing.
async fn respond_through(
    interceptors: &Interceptors,
    message: &serde_json::Value,
    raw: &str,
    headers: &serde_json::Map<String, serde_json::Value>,
    response: Answer,
) -> Answer {
    let (mut parts, mut body) = response.into_parts();
    let id = &message["id"];
    let events = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let mut text = String::new();
    // Read frame by frame until the response is there: an event stream may stay open.
    let found = loop {
        if let Some(found) = find_response(&text, events, id) {
            break Some(found);
        }
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    text.push_str(&String::from_utf8_lossy(data));
                }
            }
            Some(Err(never)) => match never {},
            None => break find_response(&text, events, id),
        }
    };
    parts.headers.remove(http::header::CONTENT_LENGTH);
    let Some((range, json)) = found else {
        return Response::from_parts(parts, Full::new(Bytes::from(text)).boxed());
    };
    let (status, transformed) = interceptors
        .response(message, raw, headers, parts.status.as_u16(), json)
        .await;
    parts.status = StatusCode::from_u16(status).unwrap_or(parts.status);
    let replacement = if events {
        format!("data: {transformed}")
    } else {
        transformed.to_string()
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..range.start]);
    out.push_str(&replacement);
    out.push_str(&text[range.end..]);
    if events && !out.ends_with("\n\n") {
        out.push_str("\n\n");
    }
    Response::from_parts(parts, Full::new(Bytes::from(out)).boxed())
}

/// Where in `text` the JSON-RPC response with `id` is (for an event stream, the byte range
/// of its `data:` line; for JSON, the whole text), and the response.
fn find_response(
    text: &str,
    events: bool,
    id: &serde_json::Value,
) -> Option<(std::ops::Range<usize>, serde_json::Value)> {
    let is_answer = |v: &serde_json::Value| {
        v.get("id") == Some(id) && (v.get("result").is_some() || v.get("error").is_some())
    };
    if !events {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        return is_answer(&value).then_some((0..text.len(), value));
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        // Only whole lines (an event's data line ends with its newline).
        if !line.ends_with('\n') {
            break;
        }
        let Some(data) = line.strip_prefix("data:") else {
            continue;
        };
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(data.trim())
            && is_answer(&value)
        {
            return Some((
                start..start + line.trim_end_matches(['\r', '\n']).len(),
                value,
            ));
        }
    }
    None
}

impl LocalGateway {
    /// Serves MCP over streamable HTTP at `/mcp` on `listener` until `shutdown` completes.
    /// Each connection is served on its own task; a client that goes away only ends its own.
    pub async fn serve_http(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), Error> {
        // rmcp's own limit (4 MiB by default) would refuse what a Gateway takes (6 MB).
        let config =
            StreamableHttpServerConfig::default().with_max_request_body_bytes(MAX_REQUEST_BYTES);
        let cancel = config.cancellation_token.clone();
        let gateway = self.clone();
        let service: Service = StreamableHttpService::new(
            move || Ok(gateway.clone()),
            Arc::new(LocalSessionManager::default()),
            config,
        );
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    };
                    // Without it, an answer written in pieces (head, event-stream chunks)
                    // waits for the client's delayed ACK: 40 ms per call on Linux.
                    let _ = stream.set_nodelay(true);
                    let service = service.clone();
                    let interceptors = self.interceptors();
                    tokio::spawn(async move {
                        let handle = hyper::service::service_fn(move |request| {
                            route(service.clone(), interceptors.clone(), request)
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), handle)
                            .await;
                    });
                }
            }
        }
        cancel.cancel();
        self.stop().await;
        self.interceptors().stop().await;
        Ok(())
    }

    /// Serves MCP over this process's stdin and stdout until the client closes stdin or
    /// `shutdown` completes.
    pub async fn serve_stdio(self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        let running = self
            .clone()
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::Usage(format!("MCP over stdio could not start: {e}")))?;
        tokio::select! {
            _ = running.waiting() => {}
            () = shutdown => {}
        }
        self.stop().await;
        Ok(())
    }
}
