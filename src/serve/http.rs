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
async fn route(service: Service, request: Request<Incoming>) -> Result<Answer, Infallible> {
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
                    tokio::spawn(async move {
                        let handle = hyper::service::service_fn(move |request| {
                            route(service.clone(), request)
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
