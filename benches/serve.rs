//! What `toolcontract serve` adds to a call: `cargo bench --features cli --bench serve` (or
//! `benches/serve.sh`, which builds first).
//!
//! The same handler (the `calculator` example, built with the bench profile) and the same call
//! (`add {"a": 2, "b": 3}`, the Gateway's client context), sequential, one at a time:
//! - Runtime API: through [`ProcessHandler::invoke`], the loop `toolcontract check` runs every
//!   case through (the Runtime API server on loopback, `/next` and `/response` of one live
//!   process), on a current-thread Tokio runtime;
//! - serve: the real `toolcontract serve` binary, and an MCP client doing `tools/call` over
//!   streamable HTTP: one session (`initialize`, `notifications/initialized`), one kept-alive
//!   connection, each call a POST whose event-stream answer is read to its end. The client is
//!   written here (plain sockets, no SDK), so that what is measured is the server: the
//!   HTTP/1.1 exchange, rmcp's JSON-RPC and session handling, the schema validation, the
//!   routing, the answer mapping, and the Runtime API round trip inside.
//!
//! - serve, an undeclared name: the same client calling `Calc___nope`, which serve answers
//!   itself (`Unknown tool`) without the handler: the MCP layer's own round trip.
//!
//! Each side: warm-up calls, then `rounds` rounds of `calls` calls, alternating sides so that
//! background load falls on both alike. Reported: calls per second (median round), the median
//! and 90th percentile latency per call (all calls), and the latency serve adds (serve median
//! minus Runtime API median). Target: the MCP layer adds less than half of the Runtime API
//! round trip. `TOOLCONTRACT_BENCH_QUICK=1` shortens it (not for publishing).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a bench prints its table

#[allow(dead_code)] // only the machine line is used here
#[path = "compare/machine.rs"]
mod machine;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use toolcontract::Invocation;
use toolcontract::handler::Handler;
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `calculator` example, built with this bench's profile.
fn calculator() -> PathBuf {
    let status = Command::new(option_env!("CARGO").unwrap_or("cargo"))
        .current_dir(manifest_dir())
        .args([
            "build",
            "--quiet",
            "--profile",
            "bench",
            "--features",
            "cli",
            "--example",
            "calculator",
        ])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the calculator failed");
    let exe = std::env::current_exe().expect("the path of this bench");
    let path = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .join("examples/calculator");
    assert!(path.is_file(), "{} is built", path.display());
    path
}

/// Latencies of one side, in microseconds, and the rate of each round.
#[derive(Default)]
struct Side {
    latencies: Vec<f64>,
    rounds: Vec<f64>,
}

impl Side {
    fn round(&mut self, calls: usize, mut call: impl FnMut()) {
        let started = Instant::now();
        for _ in 0..calls {
            let one = Instant::now();
            call();
            self.latencies.push(one.elapsed().as_secs_f64() * 1e6);
        }
        self.rounds
            .push(calls as f64 / started.elapsed().as_secs_f64());
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut xs = self.latencies.clone();
        xs.sort_by(f64::total_cmp);
        xs[((xs.len() - 1) as f64 * p).round() as usize]
    }

    fn rate(&self) -> f64 {
        let mut xs = self.rounds.clone();
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    }
}

/// The Gateway's invocation of `add` (as `serve` sends it, ids aside).
fn invocation() -> Invocation {
    Invocation::new(
        "bench-request",
        json!({"a": 2, "b": 3}),
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler",
        Duration::from_secs(3),
    )
    .with_client_context(json!({"custom": {
        "bedrockAgentCoreMessageVersion": "1.0",
        "bedrockAgentCoreAwsRequestId": "5e1a5f4c-2f0e-4d6b-9a51-2b1f1d9c7e11",
        "bedrockAgentCoreMcpMessageId": "42",
        "bedrockAgentCoreGatewayId": "toolcontract-gateway-0123456789",
        "bedrockAgentCoreTargetId": "0123456789",
        "bedrockAgentCoreToolName": "Calc___add",
    }}))
}

/// An MCP client over streamable HTTP on one kept-alive connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    session: Option<String>,
    next_id: u64,
}

impl Client {
    fn connect(addr: &str) -> Client {
        let stream = TcpStream::connect(addr).expect("connects");
        stream.set_nodelay(true).expect("nodelay");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut client = Client {
            reader: BufReader::new(stream.try_clone().expect("clone")),
            writer: stream,
            session: None,
            next_id: 0,
        };
        let init = client.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "bench", "version": "0"}}),
        );
        assert!(init.get("result").is_some(), "{init}");
        client.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        client
    }

    /// POSTs `message`; the status, the headers (lower case) and the body (de-chunked).
    fn send(&mut self, message: &Value) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let body = message.to_string();
        let mut head = format!(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Accept: application/json, text/event-stream\r\nMcp-Protocol-Version: 2025-06-18\r\n\
             Content-Length: {}\r\n",
            body.len()
        );
        if let Some(session) = &self.session {
            head.push_str(&format!("Mcp-Session-Id: {session}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(&body);
        self.writer.write_all(head.as_bytes()).expect("writes");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("a status line");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("a header");
            let text = line.trim_end();
            if text.is_empty() {
                break;
            }
            if let Some((name, value)) = text.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let mut body = Vec::new();
        if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            loop {
                line.clear();
                self.reader.read_line(&mut line).expect("a chunk size");
                let size = usize::from_str_radix(line.trim(), 16).expect("a chunk size");
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).expect("a chunk");
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(length) = header("content-length").and_then(|v| v.parse().ok()) {
            body = vec![0; length];
            self.reader.read_exact(&mut body).expect("a body");
        }
        if let Some(session) = header("mcp-session-id") {
            self.session = Some(session);
        }
        (status, headers, body)
    }

    /// One request; its answer (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let (status, _, body) =
            self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let text = String::from_utf8_lossy(&body);
        text.lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .chain(std::iter::once(text.as_ref()))
            .filter_map(|data| serde_json::from_str::<Value>(data.trim()).ok())
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("no answer to {method} ({status}): {text}"))
    }
}

fn main() {
    let quick = std::env::var("TOOLCONTRACT_BENCH_QUICK").is_ok_and(|v| v == "1");
    let (warm_up, calls, rounds) = if quick { (50, 300, 3) } else { (300, 2_000, 5) };
    let load_start = machine::load_average();
    let handler_path = calculator();
    let tools = manifest_dir().join("examples/calculator/tools.json");

    // serve: the binary, one target.
    let mut serve = Command::new(env!("CARGO_BIN_EXE_toolcontract"))
        .arg("serve")
        .arg(&tools)
        .args(["--target-name", "Calc", "--"])
        .arg(&handler_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("toolcontract serve starts");
    let mut log = BufReader::new(serve.stderr.take().expect("piped"));
    let mut first = String::new();
    log.read_line(&mut first).expect("the URL line");
    let addr = first
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .and_then(|w| w.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_owned();
    // The log (a line per call) is read away, as a terminal would.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = log.read_to_end(&mut sink);
    });
    let mut client = Client::connect(&addr);
    let mut mcp_call = || {
        let answer = client.request(
            "tools/call",
            json!({"name": "Calc___add", "arguments": {"a": 2, "b": 3}}),
        );
        assert_eq!(answer["result"]["content"][0]["text"], "5", "{answer}");
    };

    // The MCP layer alone: a call of an undeclared name, answered by serve without the handler.
    let mut client_alone = Client::connect(&addr);
    let mut mcp_alone = || {
        let answer = client_alone.request(
            "tools/call",
            json!({"name": "Calc___nope", "arguments": {"a": 2, "b": 3}}),
        );
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
    };

    // The Runtime API: the library's process handler.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut handler =
        ProcessHandler::start(ProcessConfig::new([&handler_path])).expect("the handler starts");
    let invocation = invocation();
    let mut runtime_api_call = || {
        let answer = runtime.block_on(handler.invoke(&invocation));
        assert_eq!(answer.outcome.label(), "response", "{:?}", answer.outcome);
    };

    for _ in 0..warm_up {
        mcp_call();
        runtime_api_call();
        mcp_alone();
    }
    let (mut direct, mut served, mut alone) = (Side::default(), Side::default(), Side::default());
    for _ in 0..rounds {
        direct.round(calls, &mut runtime_api_call);
        served.round(calls, &mut mcp_call);
        alone.round(calls, &mut mcp_alone);
    }
    runtime.block_on(handler.stop());
    drop(client);
    drop(client_alone);
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(i32::try_from(serve.id()).expect("a pid"), libc::SIGTERM);
    }
    let _ = serve.wait();

    let load_end = machine::load_average();
    let (rapi, mcp) = (direct.percentile(0.5), served.percentile(0.5));
    let added = mcp - rapi;
    let ratio = added / rapi;
    println!("{}", machine::describe(&load_start, &load_end, None));
    println!();
    println!(
        "{rounds} rounds of {calls} sequential calls per side (after {warm_up} warm-up calls), \
         alternating; `add {{\"a\": 2, \"b\": 3}}` of target/release/examples/calculator{}.",
        if quick {
            " (TOOLCONTRACT_BENCH_QUICK: not for publishing)"
        } else {
            ""
        }
    );
    println!();
    println!("| path | calls/s | median latency | p90 latency |");
    println!("|---|---:|---:|---:|");
    for (name, side) in [
        (
            "Runtime API (`check`'s loop: ProcessHandler::invoke)",
            &direct,
        ),
        (
            "`toolcontract serve` (MCP tools/call, streamable HTTP)",
            &served,
        ),
        (
            "`toolcontract serve`, an undeclared name (the MCP layer alone, no handler)",
            &alone,
        ),
    ] {
        println!(
            "| {name} | {:.0} | {:.0} µs | {:.0} µs |",
            side.rate(),
            side.percentile(0.5),
            side.percentile(0.9)
        );
    }
    println!();
    println!(
        "Added by the MCP layer: {added:.0} µs per call (median), {:.0}% of the Runtime API \
         round trip; target under 50%: {}.",
        ratio * 100.0,
        if ratio < 0.5 { "met" } else { "**not met**" }
    );
    println!(
        "The MCP layer alone answers in {:.0} µs (median): {:.0}% of the Runtime API round trip.",
        alone.percentile(0.5),
        alone.percentile(0.5) / rapi * 100.0
    );
}
