//! The HTTP/1.1 server: accepts connections on loopback, routes requests to the endpoints and
//! the [`Exchange`].
//!
//! The listening socket is bound at once (so the port is known before any process starts); the
//! accept loop starts on the first invocation, on the caller's Tokio runtime. Connections are
//! keep-alive, `TCP_NODELAY`, with no header timeout (a runtime may sit idle between cases).
//! Every connection belongs to an epoch and is closed when the epoch moves on. Only the handler
//! process this server started (and its descendants) is served: a connection from any other
//! local process is closed at once, unanswered (`peer`), and at most [`MAX_CONNECTIONS`] are
//! served at a time.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::error_report::ErrorReport;
use super::exchange::Exchange;
use super::next::TraceIds;
use super::peer;
use super::response::read_outcome;
use super::routes::{self, ApiError, Route};
use crate::handler::{Outcome, RESPONSE_SIZE_LIMIT};

/// How long to back off after a failed `accept` (for example, out of file descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// The largest request head accepted: the Python runtime interface client sends X-Ray error
/// causes of up to 1 MiB in a header (`Lambda-Runtime-Function-XRay-Error-Cause`), which
/// Lambda's own server (Go's 1 MiB default) accepts; hyper's default (about 400 KB) would not.
const MAX_REQUEST_HEAD: usize = 2 * 1024 * 1024;

/// The most connections served at once. A runtime needs one or two; a handler that leaks them
/// gets its further connections closed (and fails, as it would against Lambda's limits), and
/// file descriptors never run out.
const MAX_CONNECTIONS: usize = 64;

/// How long a connection whose owner is not yet known waits for the process to be recorded
/// (a process may connect before its spawn returned, on a multi-threaded runtime).
const OWNER_GRACE: Duration = Duration::from_millis(50);

/// The Runtime API server of one handler.
#[derive(Debug)]
pub(crate) struct Server {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// The bound socket, until the accept loop takes it.
    listener: Option<StdListener>,
    accept: Option<JoinHandle<()>>,
    /// The current epoch, watched by every connection (dropping it closes them all).
    epochs: watch::Sender<u64>,
}

/// What every request needs.
#[derive(Debug)]
struct Shared {
    exchange: Exchange,
    trace_ids: TraceIds,
    /// The process group served (the live handler process's), 0 when none runs.
    owner: AtomicI32,
    /// Serve connections from any local process (the server's own unit tests).
    trust_anyone: AtomicBool,
    /// Connections being served.
    connections: AtomicUsize,
}

impl Server {
    /// Binds `127.0.0.1:0`.
    pub(crate) fn bind() -> io::Result<Self> {
        let listener = StdListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Shared {
            exchange: Exchange::default(),
            trace_ids: TraceIds::new(),
            owner: AtomicI32::new(0),
            trust_anyone: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
        };
        let epoch = shared.exchange.reset();
        Ok(Server {
            shared: Arc::new(shared),
            addr,
            listener: Some(listener),
            accept: None,
            epochs: watch::Sender::new(epoch),
        })
    }

    /// The address the server listens on (`127.0.0.1:PORT`).
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The hand-over state.
    pub(crate) fn exchange(&self) -> &Exchange {
        &self.shared.exchange
    }

    /// A random hex string (for log stream names).
    pub(crate) fn random_hex(&self, digits: usize) -> String {
        self.shared.trace_ids.hex(digits)
    }

    /// Serves the process group `group` (the handler process just started; 0: none).
    pub(crate) fn serve_group(&self, group: i32) {
        self.shared.owner.store(group, Ordering::SeqCst);
    }

    /// Serves any local process: for tests that speak HTTP themselves.
    #[cfg(test)]
    pub(crate) fn trust_anyone(&self) {
        self.shared.trust_anyone.store(true, Ordering::SeqCst);
    }

    /// Starts the accept loop on the current Tokio runtime, once.
    pub(crate) fn ensure_running(&mut self) -> io::Result<()> {
        let Some(listener) = self.listener.take() else {
            return Ok(());
        };
        let listener = TcpListener::from_std(listener)?;
        let shared = self.shared.clone();
        let epochs = self.epochs.subscribe();
        self.accept = Some(tokio::spawn(accept_loop(listener, shared, epochs)));
        Ok(())
    }

    /// Starts a new epoch: the exchange forgets everything and the old connections close.
    pub(crate) fn new_epoch(&self) -> u64 {
        let epoch = self.shared.exchange.reset();
        self.epochs.send_replace(epoch);
        epoch
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
        }
        // Dropping `epochs` (after this) ends every connection task.
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, epochs: watch::Receiver<u64>) {
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(true)
        .title_case_headers(true)
        .header_read_timeout(None)
        .max_buf_size(MAX_REQUEST_HEAD);
    let server = listener.local_addr().ok();
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let epoch = shared.exchange.epoch();
        let shared = shared.clone();
        let mut epochs = epochs.clone();
        let builder = builder.clone();
        tokio::spawn(async move {
            // Foreign traffic is refused (the connection closed), never judged.
            if !admitted(&shared, peer, server).await {
                return;
            }
            if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                shared.connections.fetch_sub(1, Ordering::SeqCst);
                return;
            }
            let served = shared.clone();
            let connection = builder.serve_connection(
                TokioIo::new(stream),
                service_fn(move |request| {
                    let shared = served.clone();
                    async move { Ok::<_, Infallible>(handle(&shared, epoch, request).await) }
                }),
            );
            tokio::select! {
                _ = connection => {}
                _ = epochs.wait_for(|current| *current != epoch) => {}
            }
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Whether the connection from `peer` comes from the handler process this server serves (or
/// one of its descendants); see `peer`.
async fn admitted(shared: &Shared, peer: SocketAddr, server: Option<SocketAddr>) -> bool {
    if shared.trust_anyone.load(Ordering::SeqCst) {
        return true;
    }
    let Some(server) = server else {
        return false;
    };
    for attempt in 0..2 {
        if attempt > 0 {
            tokio::time::sleep(OWNER_GRACE).await;
        }
        let group = shared.owner.load(Ordering::SeqCst);
        if group <= 0 {
            continue;
        }
        match peer::held_by_group(peer, server, group) {
            None | Some(true) => return true,
            Some(false) => {}
        }
    }
    false
}

/// Answers one request.
async fn handle(shared: &Shared, epoch: u64, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let route = match Route::parse(request.method(), request.uri().path()) {
        Ok(route) => route,
        Err(error) => return error.into_response(),
    };
    let exchange = &shared.exchange;
    let result = match route {
        Route::Next => next(shared, epoch).await,
        Route::Response(id) => response(exchange, epoch, &id, request).await,
        Route::Error(id) => error(exchange, epoch, &id, request).await,
        Route::InitError => init_error(exchange, epoch, request).await,
    };
    result.unwrap_or_else(ApiError::into_response)
}

async fn next(shared: &Shared, epoch: u64) -> Result<Response<Full<Bytes>>, ApiError> {
    let handover = shared.exchange.take_next(epoch).await?;
    Ok(handover.into_response(shared.trace_ids.next()))
}

async fn response(
    exchange: &Exchange,
    epoch: u64,
    id: &str,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ApiError> {
    if let Err(refused) = exchange.check_active(epoch, id) {
        discard(request.into_body()).await;
        return Err(refused);
    }
    let outcome = read_outcome(request.into_body())
        .await
        .map_err(|_| ApiError::truncated())?;
    let oversize = matches!(outcome, Outcome::Oversize { .. });
    exchange.answer(epoch, id, outcome)?;
    Ok(if oversize {
        ApiError::too_large().into_response()
    } else {
        routes::accepted()
    })
}

/// Reads and drops a refused request's body (at most the payload limit), so that the refusal
/// leaves the keep-alive connection usable: hyper closes a connection whose request body was
/// not read, and a runtime that posted to a stale request id would then see its next `/next`
/// fail and exit.
async fn discard(mut body: Incoming) {
    let mut seen = 0usize;
    while let Some(Ok(frame)) = body.frame().await {
        if let Some(data) = frame.data_ref() {
            seen += data.len();
            if seen > RESPONSE_SIZE_LIMIT {
                return;
            }
        }
    }
}

/// Reads an error report body, at most the payload limit.
async fn report(request: Request<Incoming>) -> Result<ErrorReport, ApiError> {
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, RESPONSE_SIZE_LIMIT)
        .collect()
        .await
        .map_err(|error| {
            if error.is::<http_body_util::LengthLimitError>() {
                ApiError::too_large()
            } else {
                ApiError::truncated()
            }
        })?
        .to_bytes();
    Ok(ErrorReport::parse(&parts.headers, &body))
}

async fn error(
    exchange: &Exchange,
    epoch: u64,
    id: &str,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ApiError> {
    if let Err(refused) = exchange.check_active(epoch, id) {
        discard(request.into_body()).await;
        return Err(refused);
    }
    let report = report(request).await?;
    exchange.answer(
        epoch,
        id,
        Outcome::FunctionError {
            error_type: report.error_type,
            error_message: report.error_message,
        },
    )?;
    Ok(routes::accepted())
}

async fn init_error(
    exchange: &Exchange,
    epoch: u64,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ApiError> {
    let report = report(request).await?;
    exchange.init_error(epoch, report)?;
    Ok(routes::accepted())
}

#[cfg(test)]
mod tests {
    //! Each route over a real socket, with a raw HTTP/1.1 client.

    use std::time::Duration;

    use serde_json::{Value, json};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::super::exchange::Progress;
    use super::super::next::Handover;
    use super::*;
    use crate::handler::Invocation;

    /// A parsed HTTP answer.
    #[derive(Debug)]
    struct Reply {
        status: u16,
        head: String,
        body: Vec<u8>,
    }

    impl Reply {
        fn header(&self, name: &str) -> Option<&str> {
            self.head.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key == name).then(|| value.trim())
            })
        }

        fn json(&self) -> Value {
            serde_json::from_slice(&self.body).unwrap()
        }
    }

    async fn send(addr: SocketAddr, method: &str, path: &str, headers: &str, body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        // A server may answer (413) before the whole body is written.
        let _ = stream.write_all(body).await;
        read_reply(&mut stream).await
    }

    async fn read_reply(stream: &mut TcpStream) -> Reply {
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "connection closed before a full answer");
            raw.extend_from_slice(&buf[..n]);
            if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8(raw[..end].to_vec()).unwrap();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Content-Length: "))
                    .map_or(0, |v| v.parse().unwrap());
                while raw.len() < end + 4 + length {
                    let n = stream.read(&mut buf).await.unwrap();
                    assert!(n > 0);
                    raw.extend_from_slice(&buf[..n]);
                }
                let status = head[9..12].parse().unwrap();
                return Reply {
                    status,
                    head,
                    body: raw[end + 4..end + 4 + length].to_vec(),
                };
            }
        }
    }

    fn started() -> Server {
        let mut server = Server::bind().unwrap();
        server.trust_anyone();
        server.ensure_running().unwrap();
        server
    }

    fn offer(server: &Server, id: &str) {
        let invocation = Invocation::new(
            id,
            json!({"q": 1}),
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            Duration::from_secs(30),
        )
        .with_client_context(json!({"custom": {"bedrockAgentCoreToolName": "t___x"}}));
        server.exchange().offer(Handover::new(&invocation));
    }

    async fn take(server: &Server, id: &str) -> Reply {
        offer(server, id);
        send(
            server.addr(),
            "GET",
            "/2018-06-01/runtime/invocation/next",
            "",
            b"",
        )
        .await
    }

    #[tokio::test]
    async fn next_answers_with_title_case_lambda_headers() {
        let server = started();
        let reply = take(&server, "req-1").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json(), json!({"q": 1}));
        assert_eq!(reply.header("Lambda-Runtime-Aws-Request-Id"), Some("req-1"));
        assert_eq!(
            reply.header("Lambda-Runtime-Invoked-Function-Arn"),
            Some("arn:aws:lambda:us-east-1:123456789012:function:f")
        );
        assert!(reply.header("Lambda-Runtime-Deadline-Ms").is_some());
        assert!(
            reply
                .header("Lambda-Runtime-Trace-Id")
                .is_some_and(|t| t.starts_with("Root=1-"))
        );
        assert_eq!(
            reply.header("Lambda-Runtime-Client-Context"),
            Some(r#"{"custom":{"bedrockAgentCoreToolName":"t___x"}}"#)
        );
        assert_eq!(reply.header("Content-Type"), Some("application/json"));
    }

    #[tokio::test]
    async fn next_waits_for_an_offer() {
        let server = started();
        let addr = server.addr();
        let poll = tokio::spawn(async move {
            send(addr, "GET", "/2018-06-01/runtime/invocation/next", "", b"").await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!poll.is_finished());
        offer(&server, "late");
        let reply = poll.await.unwrap();
        assert_eq!(reply.header("Lambda-Runtime-Aws-Request-Id"), Some("late"));
    }

    #[tokio::test]
    async fn response_is_accepted_and_reaches_the_exchange() {
        let server = started();
        take(&server, "req-1").await;
        let path = "/2018-06-01/runtime/invocation/req-1/response";
        let reply = send(server.addr(), "POST", path, "", br#"{"ok":true}"#).await;
        assert_eq!(reply.status, 202);
        assert_eq!(reply.json(), json!({"status": "OK"}));
        assert!(matches!(
            server.exchange().progress(),
            Progress::Answered { outcome: Outcome::Response { body, size: 11 }, .. }
                if body == json!({"ok": true})
        ));
        // Answered once: the same id again is no longer the invocation in progress.
        let reply = send(server.addr(), "POST", path, "", b"{}").await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.json()["errorType"], "InvalidRequestID");
    }

    #[tokio::test]
    async fn response_for_an_unknown_id_is_400() {
        let server = started();
        take(&server, "req-1").await;
        let reply = send(
            server.addr(),
            "POST",
            "/2018-06-01/runtime/invocation/other/response",
            "",
            b"{}",
        )
        .await;
        assert_eq!(reply.status, 400);
        assert_eq!(
            reply.json(),
            json!({"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"})
        );
        assert!(matches!(server.exchange().progress(), Progress::Taken(_)));
    }

    #[tokio::test]
    async fn a_response_that_is_not_json_is_accepted_and_judged() {
        let server = started();
        take(&server, "req-1").await;
        let path = "/2018-06-01/runtime/invocation/req-1/response";
        let reply = send(server.addr(), "POST", path, "", b"hello").await;
        assert_eq!(reply.status, 202);
        assert!(matches!(
            server.exchange().progress(),
            Progress::Answered { outcome: Outcome::InvalidJson { prefix, .. }, .. }
                if prefix == "hello"
        ));
    }

    #[tokio::test]
    async fn an_oversized_response_is_413() {
        let server = started();
        take(&server, "req-1").await;
        let path = "/2018-06-01/runtime/invocation/req-1/response";
        let body = vec![b' '; RESPONSE_SIZE_LIMIT + 100];
        let reply = send(server.addr(), "POST", path, "", &body).await;
        assert_eq!(reply.status, 413);
        assert_eq!(reply.json()["errorType"], "RequestEntityTooLarge");
        assert!(matches!(
            server.exchange().progress(),
            Progress::Answered { outcome: Outcome::Oversize { size_at_least }, .. }
                if size_at_least > RESPONSE_SIZE_LIMIT
        ));
    }

    #[tokio::test]
    async fn reading_stops_soon_after_the_limit() {
        let server = started();
        take(&server, "req-1").await;
        let stream = TcpStream::connect(server.addr()).await.unwrap();
        let (mut read, mut write) = stream.into_split();
        // Declares 100 MB and keeps sending: only a server that stops reading answers at all.
        let writer = tokio::spawn(async move {
            let head = "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\n\
                        Host: x\r\nContent-Length: 100000000\r\n\r\n";
            write.write_all(head.as_bytes()).await.unwrap();
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0usize;
            while sent < 100_000_000 && write.write_all(&chunk).await.is_ok() {
                sent += chunk.len();
            }
            sent
        });
        let mut raw = Vec::new();
        let mut buf = [0u8; 1024];
        let read_head = async {
            while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = read.read(&mut buf).await.unwrap();
                assert!(n > 0, "closed without an answer");
                raw.extend_from_slice(&buf[..n]);
            }
        };
        tokio::time::timeout(Duration::from_secs(20), read_head)
            .await
            .expect("answered before the body ended");
        assert!(
            raw.starts_with(b"HTTP/1.1 413"),
            "{}",
            String::from_utf8_lossy(&raw)
        );
        let Progress::Answered {
            outcome: Outcome::Oversize { size_at_least },
            ..
        } = server.exchange().progress()
        else {
            panic!("not an oversize");
        };
        // One chunk past the limit (hyper's read buffer: a few MB at most), not the 100 MB.
        assert!(size_at_least > RESPONSE_SIZE_LIMIT);
        assert!(size_at_least < 3 * RESPONSE_SIZE_LIMIT, "{size_at_least}");
        let sent = writer.await.unwrap();
        assert!(sent < 100_000_000, "{sent}");
    }

    #[tokio::test]
    async fn error_is_accepted_as_a_function_error() {
        let server = started();
        take(&server, "req-1").await;
        let reply = send(
            server.addr(),
            "POST",
            "/2018-06-01/runtime/invocation/req-1/error",
            "Lambda-Runtime-Function-Error-Type: Runtime.Header\r\n",
            br#"{"errorType":"ToolFailure","errorMessage":"boom"}"#,
        )
        .await;
        assert_eq!(reply.status, 202);
        assert!(matches!(
            server.exchange().progress(),
            Progress::Answered { outcome: Outcome::FunctionError { error_type, error_message }, .. }
                if error_type == "ToolFailure" && error_message == "boom"
        ));
    }

    #[tokio::test]
    async fn error_with_a_text_body_keeps_the_text() {
        let server = started();
        take(&server, "req-1").await;
        let reply = send(
            server.addr(),
            "POST",
            "/2018-06-01/runtime/invocation/req-1/error",
            "Lambda-Runtime-Function-Error-Type: Runtime.Crash\r\n",
            b"segfault in module",
        )
        .await;
        assert_eq!(reply.status, 202);
        assert!(matches!(
            server.exchange().progress(),
            Progress::Answered { outcome: Outcome::FunctionError { error_type, error_message }, .. }
                if error_type == "Runtime.Crash" && error_message == "segfault in module"
        ));
    }

    #[tokio::test]
    async fn error_with_a_large_xray_cause_header_is_accepted() {
        let server = started();
        take(&server, "req-1").await;
        let cause = format!(
            "Lambda-Runtime-Function-XRay-Error-Cause: {{\"paths\":[\"{}\"]}}\r\n",
            "p".repeat(1024 * 1024 - 100)
        );
        let reply = send(
            server.addr(),
            "POST",
            "/2018-06-01/runtime/invocation/req-1/error",
            &cause,
            br#"{"errorType":"ValueError","errorMessage":"deep"}"#,
        )
        .await;
        assert_eq!(reply.status, 202);
    }

    #[tokio::test]
    async fn error_for_an_unknown_id_is_400() {
        let server = started();
        let reply = send(
            server.addr(),
            "POST",
            "/2018-06-01/runtime/invocation/nope/error",
            "",
            b"{}",
        )
        .await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.json()["errorType"], "InvalidRequestID");
    }

    #[tokio::test]
    async fn init_error_is_accepted_before_next_only() {
        let server = started();
        let path = "/2018-06-01/runtime/init/error";
        let body =
            br#"{"errorType":"Runtime.ImportModuleError","errorMessage":"No module named app"}"#;
        let reply = send(server.addr(), "POST", path, "", body).await;
        assert_eq!(reply.status, 202);
        assert_eq!(
            server.exchange().progress(),
            Progress::InitError(ErrorReport {
                error_type: "Runtime.ImportModuleError".into(),
                error_message: "No module named app".into()
            })
        );
        take(&server, "req-1").await;
        let reply = send(server.addr(), "POST", path, "", body).await;
        assert_eq!(reply.status, 403);
        assert_eq!(reply.json()["errorType"], "InvalidStateTransition");
    }

    #[tokio::test]
    async fn unknown_routes_are_404_and_wrong_methods_405() {
        let server = started();
        let reply = send(
            server.addr(),
            "GET",
            "/2018-06-01/runtime/restore/next",
            "",
            b"",
        )
        .await;
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json()["errorType"], "NotFound");
        let reply = send(
            server.addr(),
            "POST",
            "/2018-06-01/runtime/invocation/next",
            "",
            b"",
        )
        .await;
        assert_eq!(reply.status, 405);
        assert_eq!(reply.header("Allow"), Some("GET"));
    }

    #[tokio::test]
    async fn connections_are_kept_alive() {
        let server = started();
        offer(&server, "a");
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream
            .write_all(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_reply(&mut stream).await.status, 200);
        stream
            .write_all(
                b"POST /2018-06-01/runtime/invocation/a/response HTTP/1.1\r\nHost: x\r\n\
                  Content-Length: 2\r\n\r\n{}",
            )
            .await
            .unwrap();
        assert_eq!(read_reply(&mut stream).await.status, 202);
    }

    /// A post to a wrong request id is refused, and the connection stays usable (issue 11).
    #[tokio::test]
    async fn a_refused_post_keeps_the_connection_alive() {
        let server = started();
        offer(&server, "a");
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream
            .write_all(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_reply(&mut stream).await.status, 200);
        for endpoint in ["response", "error"] {
            let body = format!("\"{}\"", "x".repeat(300_000));
            let head = format!(
                "POST /2018-06-01/runtime/invocation/wrong/{endpoint} HTTP/1.1\r\nHost: x\r\n\
                 Content-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            stream.write_all(body.as_bytes()).await.unwrap();
            assert_eq!(read_reply(&mut stream).await.status, 400, "{endpoint}");
        }
        stream
            .write_all(
                b"POST /2018-06-01/runtime/invocation/a/response HTTP/1.1\r\nHost: x\r\n\
                  Content-Length: 2\r\n\r\n{}",
            )
            .await
            .unwrap();
        assert_eq!(read_reply(&mut stream).await.status, 202);
    }

    #[tokio::test]
    async fn a_new_epoch_closes_old_connections() {
        let server = started();
        let addr = server.addr();
        let poll = tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream
                .write_all(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 64];
            stream.read(&mut buf).await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        server.new_epoch();
        // The long-poll of the old epoch ends (closed, or refused) and does not take the offer.
        let _ = tokio::time::timeout(Duration::from_secs(5), poll)
            .await
            .unwrap();
        offer(&server, "fresh");
        let reply = send(addr, "GET", "/2018-06-01/runtime/invocation/next", "", b"").await;
        assert_eq!(reply.header("Lambda-Runtime-Aws-Request-Id"), Some("fresh"));
    }
}
