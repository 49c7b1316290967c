//! `toolcontract serve` driven by real MCP clients: the official MCP Python SDK client
//! (`mcp`, installed by `scripts/setup-python.sh`) over streamable HTTP and over stdio, the
//! official TypeScript SDK client (`@modelcontextprotocol/sdk`, installed by
//! `scripts/setup-node.sh`) over streamable HTTP, and raw HTTP for bad input. Without the venv
//! or the SDK's node_modules the client tests say SKIPPED on stderr and pass, unless
//! `TOOLCONTRACT_REQUIRE_PYTHON` / `TOOLCONTRACT_REQUIRE_NODE` is set (as in CI).

#![allow(clippy::print_stderr)] // a skipped test says so on stderr

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use common::{example, installed};

/// Only a guard against a hung test: no verdict depends on it.
const GUARD: Duration = Duration::from_secs(60);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn toolcontract() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_toolcontract"))
}

fn venv_python(test: &str) -> Option<PathBuf> {
    installed(
        test,
        ".venv/bin/python",
        "TOOLCONTRACT_REQUIRE_PYTHON",
        "scripts/setup-python.sh",
    )
}

/// A `toolcontract serve` over HTTP, killed and reaped on drop.
struct Served {
    child: Child,
    url: String,
    stderr: BufReader<ChildStderr>,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let mut child = Command::new(toolcontract())
            .arg("serve")
            .args(args)
            .current_dir(repo())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("toolcontract starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
        let mut line = String::new();
        stderr.read_line(&mut line).expect("the first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches(';')
            .to_owned();
        Served { child, url, stderr }
    }

    fn addr(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches("/mcp")
            .to_owned()
    }

    /// Sends SIGTERM, waits for the exit, and returns its code and the rest of stderr.
    fn stop(mut self) -> (Option<i32>, String) {
        // SAFETY: kill(2) on the pid of our own child.
        unsafe { libc_kill(self.child.id()) };
        let status = self.child.wait().expect("serve exits");
        let mut rest = String::new();
        let _ = self.stderr.read_to_string(&mut rest);
        (status.code(), rest)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

unsafe fn libc_kill(pid: u32) {
    unsafe extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    const SIGTERM: i32 = 15;
    // SAFETY: the caller passes its own child's pid.
    unsafe {
        kill(i32::try_from(pid).expect("a pid"), SIGTERM);
    }
}

/// Runs the Python client script; its JSON output.
fn client(python: &Path, mode: &str, where_: &str, calls: &Value) -> Value {
    client_with_headers(python, mode, where_, calls, &json!({}))
}

/// [`client`] sending `headers` with every HTTP request.
fn client_with_headers(
    python: &Path,
    mode: &str,
    where_: &str,
    calls: &Value,
    headers: &Value,
) -> Value {
    let script = repo().join("tests/serve_clients/mcp_client.py");
    let mut child = Command::new(python)
        .arg(script)
        .args([mode, where_, &calls.to_string()])
        .env("MCP_CLIENT_HEADERS", headers.to_string())
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        assert!(started.elapsed() < GUARD, "the MCP client hung");
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    assert!(
        output.status.success(),
        "the MCP client failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the client prints JSON")
}

fn text_result(text: &str, is_error: bool) -> Value {
    json!({"result": {"content": [{"type": "text", "text": text}], "isError": is_error,
        "resultType": "complete"}})
}

#[test]
fn the_python_sdk_lists_and_calls_the_rust_calculator_over_http() {
    let Some(python) = venv_python("the_python_sdk_lists_and_calls_the_rust_calculator_over_http")
    else {
        return;
    };
    let handler = example("calculator");
    let record = tempfile::tempdir().expect("a temp dir");
    let served = Served::start(&[
        "examples/calculator/tools.json",
        "--target-name",
        "Calc",
        "--record",
        record.path().to_str().expect("utf-8 path"),
        "--",
        handler.to_str().expect("utf-8 path"),
    ]);
    let out = client(
        &python,
        "http",
        &served.url,
        &json!([
            ["Calc___add", {"a": 2, "b": 3}],
            ["Calc___divide", {"a": 1, "b": 0}],
            ["Calc___add", {"a": "x"}],
            ["Calc___nope", {}],
            ["add", {"a": 1, "b": 1}],
        ]),
    );
    let names: Vec<&str> = out["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["Calc___add", "Calc___divide", "Calc___get_order"]);
    assert_eq!(
        out["tools"][0]["inputSchema"]["required"],
        json!(["a", "b"])
    );
    let calls = out["calls"].as_array().expect("calls");
    // An MCP-shaped answer passes through (the default assumption), isError included.
    assert_eq!(calls[0], text_result("5", false));
    assert_eq!(calls[1], text_result("cannot divide by zero", true));
    // Invalid arguments and undeclared names never reach the handler.
    assert_eq!(calls[2]["error"]["code"], -32602);
    assert_eq!(
        calls[2]["error"]["message"],
        "ValidationError: The provided arguments do not conform to the tool's input schema: \
         at (root): \"b\" is a required property; at /a: \"x\" is not of type \"number\""
    );
    assert_eq!(
        calls[3]["error"],
        json!({"code": -32602, "message": "Unknown tool: Calc___nope"})
    );
    // The bare tool name is undeclared too: a Gateway only serves `<target>___<tool>`.
    assert_eq!(
        calls[4]["error"],
        json!({"code": -32602, "message": "Unknown tool: add"})
    );
    let (code, log) = served.stop();
    assert_eq!(
        code,
        Some(143),
        "SIGTERM ends serve with 128 + 15; stderr: {log}"
    );
    assert!(
        log.contains(r#"toolcontract serve: Calc___add {"a":2,"b":3} response -> "5" ("#),
        "{log}"
    );
    assert!(
        log.contains("toolcontract serve: Calc___nope {} rejected: Unknown tool: Calc___nope"),
        "{log}"
    );
    assert!(log.contains("stopped 0 handler process(es)"), "{log}");
    // --record: the calls that reached the handler, as snapshot cases in call order.
    let snap = std::fs::read_to_string(record.path().join("add.snap")).expect("add.snap");
    assert!(snap.contains("  tool_name: Calc___add\n"), "{snap}");
    let body: Value =
        serde_json::from_str(&snap[snap.find("\n[").expect("a body")..]).expect("the body is JSON");
    assert_eq!(
        body,
        json!([{"case": "served-1", "event": {"a": 2, "b": 3},
            "response": {"content": [{"text": "5", "type": "text"}]},
            "agent": {"content": [{"text": "5", "type": "text"}]}}])
    );
    let divide = std::fs::read_to_string(record.path().join("divide.snap")).expect("divide.snap");
    assert!(divide.contains(r#""case": "served-2""#), "{divide}");
    // Rejected calls never reached the handler: no get_order.snap, nothing for `nope`.
    assert!(!record.path().join("get_order.snap").exists());
}

#[test]
fn the_python_sdk_calls_the_python_calculator_over_stdio() {
    let Some(python) = venv_python("the_python_sdk_calls_the_python_calculator_over_stdio") else {
        return;
    };
    let command = json!([
        toolcontract(),
        "serve",
        repo().join("examples/python/calculator/tools.json"),
        "--stdio",
        "--target-name",
        "Py",
        "--cwd",
        repo().join("examples/python/calculator"),
        "--",
        python,
        "-m",
        "awslambdaric",
        "app.handler"
    ]);
    let out = client(
        &python,
        "stdio",
        &command.to_string(),
        &json!([
            ["Py___multiply", {"a": 6, "b": 7}],
            ["Py___add", {"a": 1}],
            ["Py___divide", {"a": 1, "b": 2}],
        ]),
    );
    let names: Vec<&str> = out["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["Py___add", "Py___multiply"]);
    let calls = out["calls"].as_array().expect("calls");
    assert_eq!(calls[0], text_result("42", false));
    assert_eq!(calls[1]["error"]["code"], -32602);
    assert_eq!(
        calls[2]["error"],
        json!({"code": -32602, "message": "Unknown tool: Py___divide"})
    );
}

#[test]
fn a_crashing_handler_gets_the_gateway_error_and_is_restarted() {
    let Some(python) = venv_python("a_crashing_handler_gets_the_gateway_error_and_is_restarted")
    else {
        return;
    };
    let handler = example("rt_exit_mid_case");
    let handler = handler.to_str().expect("utf-8 path");
    let calls = json!([
        ["T___echo", {"exit": true}],
        ["T___echo", {"exit": false}],
    ]);
    let served = Served::start(&[
        "tests/data/serve/crash.json",
        "--target-name",
        "T",
        "--",
        handler,
    ]);
    let out = client(&python, "http", &served.url, &calls);
    let calls_out = out["calls"].as_array().expect("calls");
    assert_eq!(
        calls_out[0],
        text_result("An internal error occurred. Please retry later.", true)
    );
    // A new process takes the next call. Its answer's content block has no `type`: an MCP
    // result the SDK cannot send, so it is wrapped as text like any other JSON.
    assert_eq!(
        calls_out[1],
        text_result(r#"{"content":[{"text":"{\"exit\":false}"}]}"#, false)
    );
    drop(served);

    let served = Served::start(&[
        "tests/data/serve/crash.json",
        "--target-name",
        "T",
        "--debug-messages",
        "--",
        handler,
    ]);
    let out = client(&python, "http", &served.url, &calls);
    let first = &out["calls"][0]["result"];
    assert_eq!(first["isError"], true);
    assert_eq!(
        first["content"][0]["text"],
        "the handler process exited: the handler process exited with status 3 while handling \
         the invocation"
    );
    assert_eq!(first["_meta"]["debug"]["outcome"], "exited");
}

/// One raw HTTP/1.1 exchange; the status code and body.
fn raw(addr: &str, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(GUARD)).expect("timeout");
    stream.write_all(request).expect("writes");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

fn post(body: &str) -> Vec<u8> {
    format!(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A copy of the example handler `name` in a new temporary directory, so that its processes
/// can be told from other tests'.
fn own_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let exe = dir.path().join(format!("serve_{name}"));
    std::fs::copy(example(name), &exe).expect("copied");
    (dir, exe)
}

/// Asserts that `answer` is `400 Bad Request` with the JSON-RPC error `code` and no id.
fn assert_rpc_error(status: u16, answer: &str, code: i64, what: &str) {
    assert_eq!(status, 400, "{what}: {answer}");
    let message = messages(answer).pop().unwrap_or_default();
    assert_eq!(message["jsonrpc"], "2.0", "{what}: {answer}");
    assert_eq!(message["id"], Value::Null, "{what}: {answer}");
    assert_eq!(message["error"]["code"], code, "{what}: {answer}");
}

#[test]
fn bad_input_gets_json_rpc_errors_and_the_server_stays_up() {
    let (_dir, exe) = own_copy("calculator");
    let served = Served::start(&[
        "examples/calculator/tools.json",
        "--target-name",
        "Calc",
        "--",
        exe.to_str().expect("utf-8 path"),
    ]);
    let addr = served.addr();
    // Not JSON: the parse error. JSON, but not one JSON-RPC message (batches are gone from
    // MCP 2025-06-18): the invalid-request error. Both without an id, as JSON-RPC says.
    let deep = "[".repeat(100_000);
    for (body, code) in [
        ("{not json", -32700),
        ("", -32700),
        ("\u{0}\u{1}binary", -32700),
        (deep.as_str(), -32700),
        (r#"{"hello": 1}"#, -32600),
        ("[]", -32600),
        (r#"[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]"#, -32600),
        (r#""a string""#, -32600),
        (r#"{"jsonrpc": "1.0", "id": 1, "method": "ping"}"#, -32600),
        (
            r#"{"jsonrpc": "2.0", "id": {"no": 1}, "method": "ping"}"#,
            -32600,
        ),
    ] {
        let (status, answer) = raw(&addr, &post(body));
        assert_rpc_error(status, &answer, code, &body[..body.len().min(60)]);
    }
    // An unknown path; a request larger than the limit, said in advance or sent chunked.
    let (status, _) = raw(
        &addr,
        b"GET /other HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 404);
    let (status, answer) = raw(
        &addr,
        format!(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{{",
            toolcontract::serve::MAX_REQUEST_BYTES + 1
        )
        .as_bytes(),
    );
    assert_eq!(status, 413, "{answer}");
    {
        let mut stream = TcpStream::connect(&addr).expect("connects");
        stream.set_read_timeout(Some(GUARD)).expect("timeout");
        stream
            .write_all(
                b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                  Accept: application/json, text/event-stream\r\n\
                  Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            )
            .expect("writes");
        let chunk = vec![b' '; 1 << 20];
        let mut sent = 0;
        // The server may answer and close before all of it is sent: then writing fails.
        while sent <= toolcontract::serve::MAX_REQUEST_BYTES {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
            if stream.write_all(&framed).is_err() {
                break;
            }
            sent += chunk.len();
        }
        let _ = stream.write_all(b"0\r\n\r\n");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        // The 413, or (when the kernel reset the connection under unread data) no answer.
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 413"),
            "{answer}"
        );
    }
    // A client that goes away mid-request, and one that sends half a request line.
    {
        let mut half = TcpStream::connect(&addr).expect("connects");
        half.write_all(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
            .expect("writes");
        let mut line = TcpStream::connect(&addr).expect("connects");
        line.write_all(b"POST /m").expect("writes");
    }
    // In a session: an unknown method is -32601; an MCP method with parameters of the wrong
    // shape is -32602; a request of 5 MiB (under the Gateway's 6 MB payload quota) is read.
    let session = RawSession::open(&addr);
    assert_eq!(
        session.request(1, "no/such", json!({}))["error"],
        json!({"code": -32601, "message": "Method not found: no/such"})
    );
    let bad = session.request(2, "tools/call", json!({"name": 5}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    assert_eq!(
        bad["error"]["message"],
        "Invalid params for tools/call: invalid type: integer `5`, expected a string"
    );
    let bad = session.request(
        3,
        "tools/call",
        json!({"name": "Calc___add", "arguments": [1]}),
    );
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let big = session.call(4, "Calc___nope", json!({"pad": "x".repeat(5 << 20)}));
    assert_eq!(
        big["error"],
        json!({"code": -32602, "message": "Unknown tool: Calc___nope"})
    );
    // A request without a session, and one with a session that does not exist, are refused.
    let (status, _) = raw(
        &addr,
        &post(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string()),
    );
    assert_eq!(status, 400);
    let stranger = RawSession {
        addr: addr.clone(),
        session: "no-such-session".to_owned(),
    };
    let (status, _) = stranger.post(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}));
    assert_eq!(status, 404);
    // Still serving, the handler included.
    assert_eq!(
        session.call(5, "Calc___add", json!({"a": 2, "b": 3}))["result"]["content"][0]["text"],
        "5"
    );
    // Ending the session: 204 (what the SDKs expect), and the session is gone.
    let (status, answer) = raw(
        &addr,
        format!(
            "DELETE /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nMcp-Session-Id: {}\r\n\
             Connection: close\r\n\r\n",
            session.session
        )
        .as_bytes(),
    );
    assert_eq!(status, 204, "{answer}");
    let (status, _) = session.post(&json!({"jsonrpc": "2.0", "id": 6, "method": "tools/list"}));
    assert_eq!(status, 404);
    let (code, log) = served.stop();
    assert_eq!(code, Some(143), "{log}");
    assert_eq!(
        processes_of(&exe),
        Vec::<u32>::new(),
        "a handler process was left"
    );
}

/// The soft limit on open files, raised towards `wanted` (up to the hard limit) when lower.
fn open_files_limit(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit on a struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < wanted {
            let raised = libc::rlimit {
                rlim_cur: wanted.min(limit.rlim_max),
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

#[test]
fn a_thousand_idle_connections_are_all_served_and_so_is_a_call() {
    /// Open files besides the connections, in this process and in the server's.
    const SPARE: u64 = 256;
    const WANTED: u64 = 1000;
    // The server inherits the raised limit.
    let limit = open_files_limit(WANTED + SPARE);
    let count = WANTED.min(limit.saturating_sub(SPARE));
    if count < WANTED {
        eprintln!(
            "DEGRADED a_thousand_idle_connections_are_all_served_and_so_is_a_call: the open \
             files limit is {limit} (ulimit -n; the hard limit too), so {count} idle \
             connections instead of {WANTED}"
        );
    }
    assert!(
        count >= 100,
        "an open files limit of {limit} leaves no room for the test"
    );
    let (_dir, exe) = own_copy("calculator");
    let served = Served::start(&[
        "examples/calculator/tools.json",
        "--target-name",
        "Calc",
        "--",
        exe.to_str().expect("utf-8 path"),
    ]);
    let addr = served.addr();
    let mut idle: Vec<TcpStream> = (0..count)
        .map(|_| TcpStream::connect(&addr).expect("connects"))
        .collect();
    // With all of them open, a session and a call.
    let session = RawSession::open(&addr);
    assert_eq!(
        session.call(1, "Calc___add", json!({"a": 2, "b": 3}))["result"]["content"][0]["text"],
        "5"
    );
    // Every idle connection is still served: each gets its answer.
    for stream in &mut idle {
        stream.set_read_timeout(Some(GUARD)).expect("timeout");
        stream
            .write_all(b"GET /other HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .expect("writes");
    }
    for stream in &mut idle {
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    }
    drop(idle);
    assert_eq!(
        session.call(2, "Calc___add", json!({"a": 1, "b": 1}))["result"]["content"][0]["text"],
        "2"
    );
    let (code, log) = served.stop();
    assert_eq!(code, Some(143), "{log}");
    assert_eq!(
        processes_of(&exe),
        Vec::<u32>::new(),
        "a handler process was left"
    );
}

#[test]
fn a_raw_client_that_leaves_mid_call_leaves_the_server_up_and_no_process_behind() {
    let (_dir, exe) = own_copy("rt_hang");
    let served = Served::start(&[
        "tests/data/serve/hang.json",
        "--target-name",
        "T",
        "--timeout-ms",
        "1500",
        "--",
        exe.to_str().expect("utf-8 path"),
    ]);
    let addr = served.addr();
    let session = RawSession::open(&addr);
    let hung = {
        let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "T___echo", "arguments": {"hang": true}}})
        .to_string();
        let mut leaving = TcpStream::connect(&addr).expect("connects");
        leaving
            .write_all(
                format!(
                    "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                     Accept: application/json, text/event-stream\r\nMcp-Session-Id: {}\r\n\
                     Mcp-Protocol-Version: 2025-06-18\r\nContent-Length: {}\r\n\r\n{call}",
                    session.session,
                    call.len()
                )
                .as_bytes(),
            )
            .expect("writes");
        // The call reached the handler once its process runs; then the client goes away.
        let started = std::time::Instant::now();
        loop {
            if let Some(pid) = processes_of(&exe).first() {
                break *pid;
            }
            assert!(started.elapsed() < GUARD, "the handler never started");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    // The next call waits for the hung one to be killed at its deadline, then a new process
    // answers it.
    let next = RawSession::open(&addr);
    let answer = next.call(2, "T___echo", json!({"hang": false}));
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    assert!(
        common::gone_within(hung, GUARD),
        "the hung process was not killed"
    );
    let (code, log) = served.stop();
    assert_eq!(code, Some(143), "{log}");
    assert!(
        log.contains(r#"T___echo {"hang":true} timeout -> isError"#),
        "{log}"
    );
    assert_eq!(
        processes_of(&exe),
        Vec::<u32>::new(),
        "a handler process was left"
    );
}

/// The pids of live processes running `exe`.
fn processes_of(exe: &Path) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|e| {
            let entry = e.ok()?;
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            (std::fs::read_link(entry.path().join("exe")).ok()? == exe).then_some(pid)
        })
        .collect()
}

#[test]
fn a_client_that_leaves_mid_call_leaves_no_process_behind() {
    let Some(python) = venv_python("a_client_that_leaves_mid_call_leaves_no_process_behind") else {
        return;
    };
    // A copy of the hanging handler of our own, so its processes can be told from others'.
    let (_dir, exe) = own_copy("rt_hang");
    let served = Served::start(&[
        "tests/data/serve/hang.json",
        "--target-name",
        "T",
        "--timeout-ms",
        "1500",
        "--",
        exe.to_str().expect("utf-8 path"),
    ]);
    let script = repo().join("tests/serve_clients/mcp_client.py");
    let mut leaving = Command::new(&python)
        .arg(&script)
        .args(["http", &served.url, r#"[["T___echo", {"hang": true}]]"#])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python starts");
    // The call reached the handler once its process runs; then the client goes away.
    let started = std::time::Instant::now();
    let hung = loop {
        if let Some(pid) = processes_of(&exe).first() {
            break *pid;
        }
        assert!(started.elapsed() < GUARD, "the handler never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    leaving.kill().expect("the client is killed");
    let _ = leaving.wait();
    // The server stays up: the next call waits for the hung one to be killed at its
    // deadline, then a new process answers it.
    let out = client(
        &python,
        "http",
        &served.url,
        &json!([["T___echo", {"hang": false}]]),
    );
    assert_eq!(out["calls"][0]["result"]["isError"], false, "{out}");
    assert!(
        common::gone_within(hung, GUARD),
        "the hung process was not killed"
    );
    let (code, log) = served.stop();
    assert_eq!(code, Some(143), "{log}");
    assert!(
        log.contains(r#"T___echo {"hang":true} timeout -> isError "An internal error occurred. Please retry later.""#),
        "{log}"
    );
    // Exit reaps every handler process.
    assert_eq!(processes_of(&exe), Vec::<u32>::new());
}

#[test]
fn allow_listed_headers_and_query_parameters_reach_the_handler_as_objects() {
    let Some(python) =
        venv_python("allow_listed_headers_and_query_parameters_reach_the_handler_as_objects")
    else {
        return;
    };
    let served = Served::start(&[
        "tests/data/serve/echo.json",
        "--target-name",
        "T",
        "--propagate-header",
        "x-tenant-id",
        "--propagate-query",
        "region",
        "--cwd",
        "examples/python",
        "--",
        python.to_str().expect("utf-8 path"),
        "-m",
        "awslambdaric",
        "echo_context.handler",
    ]);
    let url = format!("{}?region=eu%20west&other=1", served.url);
    let out = client_with_headers(
        &python,
        "http",
        &url,
        &json!([["T___echo", {}]]),
        &json!({"x-tenant-id": "t-42", "x-other": "no"}),
    );
    let result = &out["calls"][0]["result"];
    assert_eq!(result["isError"], false, "{out}");
    // The answer has no `type` in its content block: wrapped whole as text.
    let answer: Value =
        serde_json::from_str(result["content"][0]["text"].as_str().expect("a text")).expect("JSON");
    let custom = &answer["custom"];
    assert_eq!(custom["bedrockAgentCoreToolName"], "T___echo");
    assert_eq!(
        custom["bedrockAgentCorePropagatedHeaders"],
        json!({"x-tenant-id": "t-42"})
    );
    assert_eq!(
        custom["bedrockAgentCorePropagatedQueryParameters"],
        json!({"region": "eu west"})
    );
    drop(served);

    // A `lambda_runtime` 1.5 handler parses `custom` as strings only: its runtime loop exits
    // on the objects, and the agent gets the Gateway's generic error.
    let served = Served::start(&[
        "tests/data/serve/echo.json",
        "--target-name",
        "T",
        "--propagate-header",
        "x-tenant-id",
        "--debug-messages",
        "--",
        example("rt_client_context").to_str().expect("utf-8 path"),
    ]);
    let out = client_with_headers(
        &python,
        "http",
        &served.url,
        &json!([["T___echo", {}]]),
        &json!({"x-tenant-id": "t-42"}),
    );
    assert_eq!(out["calls"][0]["result"]["isError"], true, "{out}");
    assert_eq!(
        out["calls"][0]["result"]["_meta"]["debug"]["outcome"], "exited",
        "{out}"
    );
    let (_, log) = served.stop();
    assert!(log.contains("T___echo {} exited -> isError"), "{log}");
}

#[test]
fn propagation_limits_are_refused_with_exit_status_2() {
    let handler = example("calculator");
    let mut args = vec!["serve", "examples/calculator/tools.json"];
    let names: Vec<String> = (0..11).map(|i| format!("x-h{i}")).collect();
    for name in &names {
        args.extend(["--propagate-header", name.as_str()]);
    }
    let handler = handler.to_str().expect("utf-8 path");
    for (extra, message) in [
        (
            args.clone(),
            "a Gateway target propagates at most 10 headers; 11 given",
        ),
        (
            vec![
                "serve",
                "examples/calculator/tools.json",
                "--propagate-header",
                "X-Amzn-Trace-Id",
            ],
            "`X-Amzn-Trace-Id`: a Gateway does not propagate X-Amzn- headers",
        ),
    ] {
        let output = Command::new(toolcontract())
            .args(&extra)
            .args(["--", handler])
            .current_dir(repo())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{stderr}");
    }
}

/// The body of a raw HTTP/1.1 answer, de-chunked when it is chunked.
fn http_body(answer: &str) -> String {
    let Some((head, body)) = answer.split_once("\r\n\r\n") else {
        return String::new();
    };
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_owned();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// The JSON-RPC messages of an answer (JSON, or the `data:` lines of an event stream).
fn messages(answer: &str) -> Vec<Value> {
    let body = http_body(answer);
    if let Ok(value) = serde_json::from_str::<Value>(body.trim()) {
        return vec![value];
    }
    body.lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .filter_map(|data| serde_json::from_str(data.trim()).ok())
        .collect()
}

/// An MCP session over streamable HTTP by hand: one connection per request.
struct RawSession {
    addr: String,
    session: String,
}

impl RawSession {
    fn post(&self, body: &Value) -> (u16, String) {
        let body = body.to_string();
        raw(
            &self.addr,
            format!(
                "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                 Accept: application/json, text/event-stream\r\nMcp-Session-Id: {}\r\n\
                 Mcp-Protocol-Version: 2025-06-18\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                self.session,
                body.len()
            )
            .as_bytes(),
        )
    }

    /// `initialize` and `notifications/initialized`.
    fn open(addr: &str) -> RawSession {
        let initialize = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "raw", "version": "0"}}});
        let (status, answer) = raw(addr, &post(&initialize.to_string()));
        assert_eq!(status, 200, "{answer}");
        let session = answer
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("mcp-session-id")
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_else(|| panic!("no Mcp-Session-Id in {answer}"));
        let session = RawSession {
            addr: addr.to_owned(),
            session,
        };
        let (status, answer) =
            session.post(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        assert!((200..300).contains(&status), "{answer}");
        session
    }

    /// One request; the answer with its id (`result` or `error`).
    fn request(&self, id: u64, method: &str, params: Value) -> Value {
        let (status, answer) =
            self.post(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        messages(&answer)
            .into_iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("no answer to {id} ({status}): {answer}"))
    }

    fn call(&self, id: u64, name: &str, arguments: Value) -> Value {
        self.request(
            id,
            "tools/call",
            json!({"name": name, "arguments": arguments}),
        )
    }
}

/// A `toolcontract.toml` in a new temporary directory.
fn config_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("toolcontract.toml");
    std::fs::write(&path, text).expect("written");
    (dir, path)
}

/// A TOML string of a path.
fn toml_path(path: &Path) -> String {
    Value::from(path.to_str().expect("utf-8 path")).to_string()
}

#[test]
fn several_targets_from_the_configuration_are_listed_and_routed_by_prefix() {
    let calculator = example("calculator");
    let crash = example("rt_exit_mid_case");
    let (dir, config) = config_file(&format!(
        "[[serve.targets]]\nname = \"Calc\"\ndefinition = {}\ncommand = [{}]\n\n\
         [[serve.targets]]\nname = \"T\"\ndefinition = {}\ncommand = [{}]\n",
        toml_path(&repo().join("examples/calculator/tools.json")),
        toml_path(&calculator),
        toml_path(&repo().join("tests/data/serve/crash.json")),
        toml_path(&crash),
    ));
    let record = dir.path().join("recorded");
    let served = Served::start(&[
        "--config",
        config.to_str().expect("utf-8 path"),
        "--record",
        record.to_str().expect("utf-8 path"),
    ]);
    let session = RawSession::open(&served.addr());
    let listed = session.request(1, "tools/list", json!({}));
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names,
        [
            "Calc___add",
            "Calc___divide",
            "Calc___get_order",
            "T___echo"
        ]
    );
    let text = |answer: &Value| answer["result"]["content"][0]["text"].clone();
    assert_eq!(
        text(&session.call(2, "Calc___add", json!({"a": 2, "b": 3}))),
        "5"
    );
    let echoed = session.call(3, "T___echo", json!({"exit": false}));
    assert_eq!(echoed["result"]["isError"], false, "{echoed}");
    // The other target's handler crashes; this one is not touched.
    let crashed = session.call(4, "T___echo", json!({"exit": true}));
    assert_eq!(crashed["result"]["isError"], true, "{crashed}");
    assert_eq!(
        text(&session.call(5, "Calc___add", json!({"a": 1, "b": 1}))),
        "2"
    );
    // Routing is by the prefix: a tool of one target under the other's name is undeclared,
    // and so is a name without `___`.
    for (id, name) in [
        (6, "Calc___echo"),
        (7, "T___add"),
        (8, "echo"),
        (9, "Nope___add"),
    ] {
        assert_eq!(
            session.call(id, name, json!({}))["error"],
            json!({"code": -32602, "message": format!("Unknown tool: {name}")})
        );
    }
    let (code, log) = served.stop();
    assert_eq!(code, Some(143), "{log}");
    assert!(
        log.contains(r#"T___echo {"exit":true} exited -> isError"#),
        "{log}"
    );
    // --record: a directory per target.
    let add = std::fs::read_to_string(record.join("Calc/add.snap")).expect("Calc/add.snap");
    assert!(add.contains("  tool_name: Calc___add\n"), "{add}");
    assert!(add.contains(r#""case": "served-2""#), "{add}");
    assert!(record.join("T/echo.snap").exists());
}

/// `toolcontract serve ARGS...` run to its end in `dir`: the exit code and stderr.
fn serve_fails(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(toolcontract())
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_serve_target_is_refused_with_the_file_the_line_and_the_key() {
    let calculator = example("calculator");
    let definition = toml_path(&repo().join("examples/calculator/tools.json"));
    let good = format!(
        "[[serve.targets]]\nname = \"Calc\"\ndefinition = {definition}\ncommand = [{}]\n\n",
        toml_path(&calculator)
    );
    for (second, says) in [
        (
            "[[serve.targets]]\nname = \"B\"\ndefinition = \"missing.json\"\ncommand = [\"h\"]\n"
                .to_owned(),
            "toolcontract.toml:6: `serve.targets[1].definition`: ",
        ),
        (
            format!(
                "[[serve.targets]]\nname = \"B\"\ndefinition = {definition}\n\
                 command = [\"./no-such-handler\"]\n"
            ),
            "toolcontract.toml:6: `serve.targets[1].command`: ",
        ),
        (
            format!(
                "[[serve.targets]]\nname = \"B\"\ndefinition = {definition}\n\
                 command = [\"true\"]\ncwd = \"nowhere\"\n"
            ),
            "toolcontract.toml:6: `serve.targets[1].cwd`: ",
        ),
        (
            format!(
                "[[serve.targets]]\nname = \"B\"\ndefinition = {definition}\n\
                 command = [\"true\"]\npropagate_headers = [\"X-Amzn-Trace-Id\"]\n"
            ),
            "toolcontract.toml:6: `serve.targets[1].propagate_headers`: `X-Amzn-Trace-Id`: a \
             Gateway does not propagate X-Amzn- headers",
        ),
        (
            format!(
                "[[serve.targets]]\nname = \"Calc\"\ndefinition = {definition}\ncommand = [\"true\"]\n"
            ),
            "toolcontract.toml:7: `serve.targets[1].name`: target `Calc` is already served",
        ),
        ("[serve]\ntargets = 3\n".to_owned(), "toolcontract.toml:"),
    ] {
        let (dir, _) = config_file(&format!("{good}{second}"));
        let (code, stderr) = serve_fails(dir.path(), &[]);
        assert_eq!(code, Some(2), "{second}: {stderr}");
        assert!(stderr.contains(says), "{second}: {stderr}");
    }
    // No [[serve.targets]], a command without a DEFINITION, a per-target flag.
    let (dir, _) = config_file("[defaults]\ncases = 3\n");
    let (code, stderr) = serve_fails(dir.path(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("toolcontract.toml: `serve.targets`: no [[serve.targets]]"),
        "{stderr}"
    );
    let (dir, _) = config_file(&good);
    for (args, says) in [
        (
            vec!["--", "./handler"],
            "a handler command after `--` needs the DEFINITION it serves",
        ),
        (
            vec!["--target-name", "X"],
            "--target-name applies to one target",
        ),
        (
            vec!["examples/calculator/tools.json"],
            "the handler command follows `--`",
        ),
    ] {
        let (code, stderr) = serve_fails(dir.path(), &args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let empty = tempfile::tempdir().expect("a temp dir");
    let (code, stderr) = serve_fails(empty.path(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "serve needs a DEFINITION and the handler command after `--`, or a toolcontract.toml"
        ),
        "{stderr}"
    );
}

/// The MCP TypeScript SDK, when `scripts/setup-node.sh` installed it.
fn typescript_sdk(test: &str) -> Option<PathBuf> {
    installed(
        test,
        "tests/serve_clients/node_modules/@modelcontextprotocol/sdk/package.json",
        "TOOLCONTRACT_REQUIRE_NODE",
        "scripts/setup-node.sh",
    )
}

/// Runs the TypeScript SDK client script against `url`; its JSON output.
fn typescript_client(url: &str, calls: &Value) -> Value {
    let mut child = Command::new("node")
        .arg(repo().join("tests/serve_clients/mcp_client.mjs"))
        .args([url, &calls.to_string()])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        assert!(started.elapsed() < GUARD, "the MCP client hung");
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    assert!(
        output.status.success(),
        "the MCP client failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the client prints JSON")
}

#[test]
fn the_typescript_sdk_calls_a_rust_and_a_python_handler_behind_one_gateway() {
    let test = "the_typescript_sdk_calls_a_rust_and_a_python_handler_behind_one_gateway";
    let (Some(_), Some(python)) = (typescript_sdk(test), venv_python(test)) else {
        return;
    };
    let (_dir, config) = config_file(&format!(
        "[[serve.targets]]\nname = \"Calc\"\ndefinition = {}\ncommand = [{}]\n\n\
         [[serve.targets]]\nname = \"Py\"\ndefinition = {}\ncwd = {}\n\
         command = [{}, \"-m\", \"awslambdaric\", \"app.handler\"]\n\n\
         [[serve.targets]]\nname = \"T\"\ndefinition = {}\ncommand = [{}]\n",
        toml_path(&repo().join("examples/calculator/tools.json")),
        toml_path(&example("calculator")),
        toml_path(&repo().join("examples/python/calculator/tools.json")),
        toml_path(&repo().join("examples/python/calculator")),
        toml_path(&python),
        toml_path(&repo().join("tests/data/serve/crash.json")),
        toml_path(&example("rt_exit_mid_case")),
    ));
    let served = Served::start(&["--config", config.to_str().expect("utf-8 path")]);
    let out = typescript_client(
        &served.url,
        &json!([
            ["Calc___add", {"a": 2, "b": 3}],
            ["Py___multiply", {"a": 6, "b": 7}],
            ["Calc___add", {"a": "x"}],
            ["Py___divide", {"a": 1, "b": 2}],
            ["T___echo", {"exit": true}],
            ["T___echo", {"exit": false}],
        ]),
    );
    let names: Vec<&str> = out["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names,
        [
            "Calc___add",
            "Calc___divide",
            "Calc___get_order",
            "Py___add",
            "Py___multiply",
            "T___echo"
        ]
    );
    assert_eq!(
        out["tools"][4]["inputSchema"]["required"],
        json!(["a", "b"])
    );
    let calls = out["calls"].as_array().expect("calls");
    // The SDK keeps what the server sent: an MCP-shaped answer passes through as it is
    // (the calculators send no `isError`), one wrapped as text says `isError` either way.
    let text = |text: &str, is_error: Option<bool>| {
        let mut result = json!({"content": [{"type": "text", "text": text}]});
        if let Some(is_error) = is_error {
            result["isError"] = Value::Bool(is_error);
        }
        json!({ "result": result })
    };
    assert_eq!(calls[0], text("5", None), "the Rust handler");
    assert_eq!(calls[1], text("42", None), "the Python handler");
    assert_eq!(
        calls[2]["error"],
        json!({"code": -32602, "message": "ValidationError: The provided arguments do not \
            conform to the tool's input schema: at (root): \"b\" is a required property; at /a: \
            \"x\" is not of type \"number\""})
    );
    // Py has no divide (Calc has): undeclared under that target.
    assert_eq!(
        calls[3]["error"],
        json!({"code": -32602, "message": "Unknown tool: Py___divide"})
    );
    assert_eq!(
        calls[4],
        text(
            "An internal error occurred. Please retry later.",
            Some(true)
        ),
        "the crash"
    );
    assert_eq!(
        calls[5],
        text(r#"{"content":[{"text":"{\"exit\":false}"}]}"#, Some(false)),
        "a new process after the crash"
    );
    let (code, log) = served.stop();
    assert_eq!(code, Some(143), "{log}");
    assert!(
        log.contains(r#"Py___multiply {"a":6,"b":7} response -> "42""#),
        "{log}"
    );
}

/// A configuration running the example interceptor `name` (interceptors.py) in front of the
/// served target.
fn interceptor_config(python: &Path, name: &str) -> (tempfile::TempDir, PathBuf) {
    config_file(&format!(
        "[serve.interceptors]\ndefinition = {}\ncwd = {}\n\
         [serve.interceptors.commands]\n\
         \"arn:aws:lambda:us-east-1:123456789012:function:orders-interceptor\" = [{}, \"-m\", \"awslambdaric\", \"interceptors.{name}\"]\n",
        toml_path(&repo().join("examples/interceptors/interceptors.json")),
        toml_path(&repo().join("examples/interceptors")),
        toml_path(python),
    ))
}

fn serve_orders(python: &Path, config: &Path) -> Served {
    Served::start(&[
        "examples/interceptors/orders-tools.json",
        "--target-name",
        "orders",
        "--config",
        config.to_str().expect("utf-8 path"),
        "--cwd",
        "examples/interceptors",
        "--",
        python.to_str().expect("utf-8 path"),
        "-m",
        "awslambdaric",
        "orders.handler",
    ])
}

#[test]
fn interceptors_run_in_the_pipeline_as_the_gateway_runs_them() {
    let Some(python) = venv_python("interceptors_run_in_the_pipeline_as_the_gateway_runs_them")
    else {
        return;
    };
    // `authorize`: forwards get_order, answers cancel_order itself (a short-circuit).
    let (_dir, config) = interceptor_config(&python, "authorize");
    let served = serve_orders(&python, &config);
    let out = client(
        &python,
        "http",
        &served.url,
        &json!([
            ["orders___get_order", {"order_id": "ORD-1001"}],
            ["orders___cancel_order", {"order_id": "ORD-1001"}]
        ]),
    );
    assert_eq!(
        out["calls"],
        json!([
            text_result(r#"{"order_id":"ORD-1001","status":"shipped"}"#, false),
            text_result("cancel_order needs the orders/admin scope", true)
        ])
    );
    assert_eq!(out["tools"].as_array().map(Vec::len), Some(2));
    let (_, log) = served.stop();
    for line in [
        "interceptor REQUEST initialize: forwarded",
        "interceptor RESPONSE initialize: answer",
        "interceptor REQUEST notifications/initialized: forwarded",
        "interceptor REQUEST tools/list: forwarded",
        "interceptor REQUEST tools/call: forwarded",
        "interceptor REQUEST tools/call: answered at once (200)",
        "interceptor RESPONSE tools/call: answer",
    ] {
        assert!(log.contains(line), "{line}: {log}");
    }
    // The short-circuited call never reached the target's handler.
    assert_eq!(
        log.matches("toolcontract serve: orders___").count(),
        1,
        "{log}"
    );

    // `invented_shape`: the Gateway cannot use its output; the client gets a JSON-RPC error
    // for its first request (initialize) and the log says why.
    let (_dir, config) = interceptor_config(&python, "invented_shape");
    let served = serve_orders(&python, &config);
    let session_failed = Command::new(&python)
        .arg(repo().join("tests/serve_clients/mcp_client.py"))
        .args(["http", &served.url, "[]"])
        .output()
        .expect("python runs");
    assert!(!session_failed.status.success());
    let (_, log) = served.stop();
    assert!(
        log.contains("interceptor REQUEST initialize: FAILED: the output breaks contracts/interceptor-request-output.json"),
        "{log}"
    );
}

#[test]
fn a_bad_interceptor_table_is_refused_with_the_file_the_line_and_the_key() {
    let definition = toml_path(&repo().join("examples/interceptors/interceptors.json"));
    let tools = repo().join("examples/interceptors/orders-tools.json");
    let target = [
        tools.to_str().expect("utf-8 path"),
        "--target-name",
        "orders",
    ];
    for (table, key, message) in [
        (
            format!("[serve.interceptors]\ndefinition = {definition}\ncommands = {{}}\n"),
            "1: `serve.interceptors.commands",
            "no command for the interceptor Lambda arn:aws:lambda:us-east-1:123456789012:function:orders-interceptor",
        ),
        (
            format!(
                "[serve.interceptors]\ndefinition = {}\ncommands = {{}}\n",
                toml_path(&repo().join("examples/interceptors/orders-tools.json"))
            ),
            "1: `serve.interceptors.definition",
            "is not an interceptor definition",
        ),
        (
            format!("[serve.interceptors]\ndefinition = {definition}\ncommands = {{ a = [] }}\n"),
            "3: `serve.interceptors.commands.a",
            "not a command",
        ),
    ] {
        let (dir, config) = config_file(&table);
        let mut args = target.to_vec();
        args.extend([
            "--config",
            config.to_str().expect("utf-8 path"),
            "--",
            "true",
        ]);
        let (code, stderr) = serve_fails(dir.path(), &args);
        assert_eq!(code, Some(2), "{table}: {stderr}");
        assert!(
            stderr.contains(&format!("toolcontract.toml:{key}`")) && stderr.contains(message),
            "{table}: {stderr}"
        );
    }
}
