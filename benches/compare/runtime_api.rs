//! The Runtime API check loop next to its floor, with 1 and 2 jobs.
//!
//! - loop: the real `toolcontract` binary, as users run it:
//!   `toolcontract check examples/calculator/tools.json --cases N --jobs J --format json --
//!   target/release/examples/calculator`; `totals.cases_per_second` of its JSON report (the case
//!   phase, which includes starting the handler processes: they start at their first case);
//! - floor: the same handler binary against a minimal Runtime API server written here (raw
//!   Tokio TCP on a current-thread runtime, a task per connection, hand-written HTTP/1.1):
//!   `GET .../invocation/next` answers at once with a canned event and the headers toolcontract
//!   sends (request id, deadline, function ARN, trace id, client context), `POST .../response`
//!   is read and answered `202 {"status":"OK"}`, nothing else. The canned
//!   exchanges are the check's own: the same events and client contexts (`Gateway::samples`, the
//!   check's case seeds), one exchange per invocation the check makes (a case of index 7 mod 8
//!   is sent twice, as the check's renamed-target probe is; the 16 undeclared-tool cases are 16
//!   more generated cases). The clock runs from starting the handler processes to the last
//!   response, as the case phase does. So the floor is the two loopback HTTP exchanges of each
//!   invocation plus the handler itself, with nothing generated, checked or logged.
//! - 2 jobs: two handler processes against one floor server, taking exchanges from one queue.
//!
//! Loop and floor runs alternate, so background load falls on both alike; medians of `runs`.
//! Target: loop ≥ 1/3 × floor, with 1 and 2 jobs.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use toolcontract::{Gateway, Invocation};

use crate::util::{self, Settings, median, met, note, thousands};

const TOOLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);

/// The target: loop / floor.
const TARGET: f64 = 1.0 / 3.0;

/// The renamed-target probe of the Gateway suite: every case of index 7 mod 8 is invoked twice.
const RENAME_EVERY: u32 = 8;

/// The undeclared-tool cases of a run.
const UNDECLARED_CASES: u32 = 16;

/// How long one run may take before the bench gives up.
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// One canned `/next` answer: the head without the deadline, and the body.
struct Exchange {
    head: String,
    body: Vec<u8>,
}

impl Exchange {
    fn new(invocation: &Invocation, trace: &str) -> Exchange {
        let body = serde_json::to_vec(&invocation.event).expect("JSON");
        let mut head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
             Lambda-Runtime-Aws-Request-Id: {}\r\n\
             Lambda-Runtime-Invoked-Function-Arn: {}\r\n\
             Lambda-Runtime-Trace-Id: {trace}\r\n",
            invocation.request_id, invocation.invoked_function_arn
        );
        if let Some(context) = &invocation.client_context {
            head.push_str(&format!(
                "Lambda-Runtime-Client-Context: {}\r\n",
                context.as_str()
            ));
        }
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        Exchange { head, body }
    }
}

/// The exchanges of one check run of `cases` cases per tool, in the order the check runs them.
fn exchanges(gateway: &Gateway) -> Vec<Exchange> {
    let trace = "Root=1-6740a1b2-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0";
    let cases = gateway.options().cases;
    let tools: Vec<String> = gateway
        .definition()
        .tools
        .iter()
        .map(|t| t.name.clone())
        .collect();
    // Each tool's cases, then a few more for the undeclared-tool cases.
    let samples: Vec<_> = tools
        .iter()
        .map(|tool| {
            gateway
                .samples(tool, cases + UNDECLARED_CASES, false)
                .expect("samples")
        })
        .collect();
    let mut out = Vec::new();
    for tool_samples in &samples {
        for (index, sample) in tool_samples.iter().take(cases as usize).enumerate() {
            out.push(Exchange::new(&sample.invocation, trace));
            if index as u32 % RENAME_EVERY == RENAME_EVERY - 1 {
                out.push(Exchange::new(&sample.invocation, trace));
            }
        }
    }
    for i in 0..UNDECLARED_CASES.min(cases) as usize {
        let sample = &samples[i % tools.len()][cases as usize + i / tools.len()];
        out.push(Exchange::new(&sample.invocation, trace));
    }
    out
}

/// What the floor server shares between its threads.
struct Floor {
    exchanges: Arc<Vec<Exchange>>,
    next: AtomicUsize,
    done: Mutex<usize>,
    all_done: Condvar,
    connections: AtomicUsize,
}

/// Reads more of the stream into `buffer`; `None` at end of stream.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}

/// Reads one HTTP/1.1 request; returns the request line, or `None` at end of stream.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        fill(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let line = head.lines().next().unwrap_or_default().to_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_ascii_lowercase())
        })
    };
    buffer.drain(..head_end);
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        // Chunks until the empty one (lambda_runtime only streams streaming responses).
        loop {
            if let Some(at) = buffer.windows(5).position(|w| w == b"0\r\n\r\n") {
                buffer.drain(..at + 5);
                break;
            }
            fill(stream, buffer).await?;
        }
    } else {
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buffer.len() < length {
            fill(stream, buffer).await?;
        }
        buffer.drain(..length);
    }
    Some(line)
}

/// One connection: `/next` hands out the next exchange, `/response` counts.
async fn serve(mut stream: TcpStream, floor: Arc<Floor>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    let mut out = Vec::new();
    while let Some(line) = read_request(&mut stream, &mut buffer).await {
        out.clear();
        if line.starts_with("GET /2018-06-01/runtime/invocation/next") {
            let k = floor.next.fetch_add(1, Ordering::Relaxed);
            let Some(exchange) = floor.exchanges.get(k) else {
                return; // all handed out: this handler is done
            };
            let deadline = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis()
                + 3_000;
            out.extend_from_slice(exchange.head.as_bytes());
            out.extend_from_slice(
                format!("Lambda-Runtime-Deadline-Ms: {deadline}\r\n\r\n").as_bytes(),
            );
            out.extend_from_slice(&exchange.body);
        } else if line.starts_with("POST ") && line.contains("/response ") {
            // What toolcontract answers (and Lambda documents): 202 `{"status":"OK"}`.
            out.extend_from_slice(
                b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n\
                  Content-Length: 15\r\n\r\n{\"status\":\"OK\"}",
            );
            let mut done = floor.done.lock().expect("lock");
            *done += 1;
            if *done == floor.exchanges.len() {
                floor.all_done.notify_all();
            }
        } else {
            panic!("the floor server only serves /next and /response, not `{line}`");
        }
        if stream.write_all(&out).await.is_err() {
            return;
        }
    }
}

/// The floor server: a current-thread Tokio runtime on a thread of its own (as toolcontract
/// drives its servers from one thread), a task per connection, until `stop` is notified.
fn start_server(floor: Arc<Floor>, stop: Arc<Notify>) -> (SocketAddr, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("addr");
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("a Tokio listener");
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        if let Ok((stream, _)) = accepted {
                            floor.connections.fetch_add(1, Ordering::Relaxed);
                            tokio::spawn(serve(stream, floor.clone()));
                        }
                    }
                    () = stop.notified() => break,
                }
            }
        });
    });
    (addr, thread)
}

/// The handler processes of one run, with the Lambda environment toolcontract gives them.
fn start_handlers(handler: &Path, addr: SocketAddr, jobs: usize) -> Vec<Child> {
    (0..jobs)
        .map(|i| {
            Command::new(handler)
                .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
                .env("AWS_LAMBDA_FUNCTION_NAME", "toolcontract-handler")
                .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
                .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
                .env(
                    "AWS_LAMBDA_LOG_GROUP_NAME",
                    "/aws/lambda/toolcontract-handler",
                )
                .env("AWS_LAMBDA_LOG_STREAM_NAME", format!("floor-{i}"))
                .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
                .env("AWS_REGION", "us-east-1")
                .env("AWS_DEFAULT_REGION", "us-east-1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("the handler starts")
        })
        .collect()
}

/// One floor run: cases per second (`cases` over the time of all the exchanges), and the
/// handler's peak resident size.
fn floor_run(
    handler: &Path,
    exchanges: &Arc<Vec<Exchange>>,
    cases: u64,
    jobs: usize,
) -> (f64, u64) {
    let floor = Arc::new(Floor {
        exchanges: exchanges.clone(),
        next: AtomicUsize::new(0),
        done: Mutex::new(0),
        all_done: Condvar::new(),
        connections: AtomicUsize::new(0),
    });
    let stop = Arc::new(Notify::new());
    let (addr, server) = start_server(floor.clone(), stop.clone());
    let started = Instant::now();
    let children = start_handlers(handler, addr, jobs);
    {
        let total = floor.exchanges.len();
        let done = floor.done.lock().expect("lock");
        let (done, timeout) = floor
            .all_done
            .wait_timeout_while(done, RUN_LIMIT, |done| *done < total)
            .expect("lock");
        assert!(
            !timeout.timed_out(),
            "the floor run finished ({} of {total})",
            *done
        );
    }
    let elapsed = started.elapsed();
    note(&format!(
        "floor: {} exchanges over {} connection(s) in {:.3} s",
        floor.exchanges.len(),
        floor.connections.load(Ordering::Relaxed),
        elapsed.as_secs_f64()
    ));
    let mut peak = 0;
    for mut child in children {
        peak = peak.max(util::vm_hwm(child.id()).unwrap_or(0));
        let _ = child.kill();
        let _ = child.wait();
    }
    stop.notify_one();
    server.join().expect("the floor server");
    (cases as f64 / elapsed.as_secs_f64(), peak)
}

/// One loop run: the report's totals (cases, invocations, findings, cases per second).
fn loop_run(handler: &Path, cases: u32, jobs: usize) -> (u64, u64, u64, f64) {
    let output = Command::new(util::toolcontract_bin())
        .args(["check", TOOLS, "--cases"])
        .arg(cases.to_string())
        .args(["--jobs", &jobs.to_string(), "--format", "json", "--"])
        .arg(handler)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("toolcontract runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert!(
        output.status.success(),
        "the calculator keeps every check: {report}"
    );
    let totals = &report["totals"];
    (
        totals["cases"].as_u64().expect("cases"),
        totals["invocations"].as_u64().expect("invocations"),
        totals["findings"].as_u64().expect("findings"),
        totals["cases_per_second"]
            .as_f64()
            .expect("cases_per_second"),
    )
}

/// The section's rows, and the calculator handler's peak resident size.
pub(crate) fn run(settings: &Settings) -> (String, u64) {
    let handler = util::example("calculator");
    let gateway = Gateway::from_path(TOOLS)
        .expect("the calculator definition loads")
        .cases(settings.runtime_api_cases);
    let exchanges = Arc::new(exchanges(&gateway));
    let mut rows = String::new();
    let mut handler_peak = 0;
    for jobs in [1, 2] {
        note(&format!("Runtime API loop and floor, {jobs} job(s)"));
        let (mut loops, mut floors) = (Vec::new(), Vec::new());
        let mut totals = (0, 0, 0);
        for _ in 0..settings.runs {
            let (cases, invocations, findings, rate) =
                loop_run(&handler, settings.runtime_api_cases, jobs);
            totals = (cases, invocations, findings);
            loops.push(rate);
            let (rate, peak) = floor_run(&handler, &exchanges, cases, jobs);
            handler_peak = handler_peak.max(peak);
            floors.push(rate);
        }
        let (cases, invocations, findings) = totals;
        assert_eq!(findings, 0, "no findings");
        assert_eq!(
            invocations,
            exchanges.len() as u64,
            "the floor makes as many exchanges as the check makes invocations"
        );
        let (loop_rate, floor_rate) = (median(loops), median(floors));
        let ratio = loop_rate / floor_rate;
        rows.push_str(&format!(
            "| `toolcontract check --jobs {jobs}`, calculator example (release), {} cases, {} \
             invocations | {} | {} | {ratio:.2} | ≥ 0.33 | {} |\n",
            thousands(cases as f64),
            thousands(invocations as f64),
            thousands(loop_rate),
            thousands(floor_rate),
            met(ratio >= TARGET)
        ));
    }
    (rows, handler_peak)
}
