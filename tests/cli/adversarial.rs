//! Faults and hostile input (issue 11): signals at every phase, files that are links, FIFOs or
//! devices, hostile names and handler text, bad flags, hostile handler processes and other
//! local processes. Each test pins down what happens; the README's "Reliability" table lists
//! them.

use crate::common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{dead_within, example};

const CALCULATOR: &str = "examples/calculator/tools.json";

/// The command, run from the repository, with no insta or `PROPTEST_*` variables from the
/// caller (the default `--cases` reads `PROPTEST_CASES`).
fn toolcontract() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("toolcontract"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in ["CI", "TF_BUILD", "INSTA_UPDATE"] {
        cmd.env_remove(var);
    }
    for var in common::proptest_vars() {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs the command to its end: (exit status, stdout, stderr).
fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("toolcontract runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn spawn(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("toolcontract starts")
}

/// Waits for the child (at most 60 s, then kills it): (exit status, stderr).
fn finish(mut child: Child) -> (i32, String) {
    let until = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status.code().unwrap_or(-1), stderr);
        }
        if std::time::Instant::now() > until {
            let _ = child.kill();
            panic!("toolcontract did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(child: &Child, signal: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sends a signal to a child process of this test.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// Writes an executable shell script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Waits (at most 30 s) until `path` holds a pid.
fn pid_in(path: &Path) -> u32 {
    let until = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(pid) = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            return pid;
        }
        assert!(
            std::time::Instant::now() < until,
            "no pid in {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

mod signals {
    use super::*;

    /// A handler that records its pid and its child's, then never polls `/next`.
    fn busy_handler(dir: &Path) -> PathBuf {
        script(
            dir,
            "busy.sh",
            &format!(
                "#!/bin/sh\nsleep 600 &\necho $! > {0}/child.pid\necho $$ > {0}/handler.pid\nwait\n",
                dir.display()
            ),
        )
    }

    fn ends_the_run_and_reaps_the_handler(sig: i32, code: i32, command: &str) {
        let dir = tempfile::tempdir().unwrap();
        let handler = busy_handler(dir.path());
        let mut cmd = toolcontract();
        cmd.args([command, CALCULATOR]);
        if command == "snapshot" {
            cmd.arg("--snapshots")
                .arg(dir.path().join("snaps"))
                .arg("--accept");
        }
        let child = spawn(cmd.arg("--").arg(&handler));
        let handler_pid = pid_in(&dir.path().join("handler.pid"));
        let child_pid = pid_in(&dir.path().join("child.pid"));
        signal(&child, sig);
        let (status, stderr) = finish(child);
        assert_eq!(status, code, "{stderr}");
        assert!(stderr.contains("interrupted by"), "{stderr}");
        for pid in [handler_pid, child_pid] {
            assert!(
                dead_within(pid, Duration::from_secs(5)),
                "pid {pid} survived"
            );
        }
        if command == "snapshot" {
            assert!(!dir.path().join("snaps").exists(), "nothing is written");
        }
    }

    #[test]
    fn sigterm_during_check_reaps_the_handler_and_exits_143() {
        ends_the_run_and_reaps_the_handler(libc::SIGTERM, 143, "check");
    }

    #[test]
    fn sighup_during_snapshot_reaps_the_handler_and_exits_129() {
        ends_the_run_and_reaps_the_handler(libc::SIGHUP, 129, "snapshot");
    }

    #[test]
    fn sigterm_during_snapshot_reaps_the_handler_and_exits_143() {
        ends_the_run_and_reaps_the_handler(libc::SIGTERM, 143, "snapshot");
    }

    /// The store phase is held while it reads the accepted snapshot from a FIFO; Ctrl-C then
    /// still ends the run as interrupted, and every file is complete.
    #[test]
    fn ctrl_c_during_the_store_phase_is_not_swallowed() {
        let dir = tempfile::tempdir().unwrap();
        let snaps = dir.path().join("snaps");
        std::fs::create_dir(&snaps).unwrap();
        let fifo = snaps.join("add.snap");
        mkfifo(&fifo);
        let child = spawn(
            toolcontract()
                .args(["snapshot", CALCULATOR, "--accept", "--snapshots"])
                .arg(&snaps)
                .arg("--")
                .arg(example("calculator")),
        );
        // Opening the FIFO for writing waits until the store phase opens it for reading.
        let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        signal(&child, libc::SIGINT);
        writer.write_all(b"---\nsource: x\n---\n[]\n").unwrap();
        drop(writer);
        let (status, stderr) = finish(child);
        assert_eq!(status, 130, "{stderr}");
        assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
        assert_eq!(
            names_in(&snaps),
            ["add.snap", "divide.snap", "get_order.snap"]
        );
        for name in names_in(&snaps) {
            let snapshot = insta::Snapshot::from_file(&snaps.join(&name)).unwrap();
            assert!(snapshot.contents().as_text().is_some(), "{name}");
        }
    }

    /// The report phase is held while it writes the report into a FIFO whose buffer (one page)
    /// is full; Ctrl-C then still ends the run as interrupted, after a complete report.
    #[test]
    fn ctrl_c_while_the_report_is_written_is_not_swallowed() {
        use std::os::fd::{AsRawFd, FromRawFd};
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.json");
        mkfifo(&fifo);
        // The read end first (without blocking), its buffer shrunk to one page.
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: opens a FIFO by a valid path; the fd is owned by `reader` below.
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_NONBLOCK) };
        assert!(fd >= 0);
        // SAFETY: `fd` is a fresh, owned descriptor.
        let mut reader = unsafe { std::fs::File::from_raw_fd(fd) };
        // SAFETY: fcntl on an owned pipe descriptor.
        let page = unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, 4096) };
        assert!(page > 0);
        let child = spawn(
            toolcontract()
                .args([
                    "check", CALCULATOR, "--cases", "2", "--format", "json", "--output",
                ])
                .arg(&fifo)
                .arg("--")
                .arg(example("calculator")),
        );
        // Wait until the buffer is full: the report is being written, and the writer waits.
        let until = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let mut queued: libc::c_int = 0;
            // SAFETY: FIONREAD writes one int.
            unsafe { libc::ioctl(reader.as_raw_fd(), libc::FIONREAD, &mut queued) };
            if queued >= page {
                break;
            }
            assert!(
                std::time::Instant::now() < until,
                "the report never filled the FIFO"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        signal(&child, libc::SIGINT);
        // SAFETY: clears O_NONBLOCK on an owned descriptor.
        unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETFL, 0) };
        let mut report = String::new();
        reader.read_to_string(&mut report).unwrap();
        let (status, stderr) = finish(child);
        assert!(
            report.len() > 4096,
            "the report fits the buffer: {}",
            report.len()
        );
        assert_eq!(status, 130, "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&report).unwrap();
        assert!(report["totals"]["cases"].as_u64().unwrap() > 0);
    }
}

mod snapshot_files {
    use super::*;

    fn accept(snaps: &Path) -> (i32, String, String) {
        run(toolcontract()
            .args(["snapshot", CALCULATOR, "--accept", "--snapshots"])
            .arg(snaps)
            .arg("--")
            .arg(example("calculator")))
    }

    #[test]
    fn a_symlinked_snapshot_is_refused_and_its_target_kept() {
        let dir = tempfile::tempdir().unwrap();
        let snaps = dir.path().join("snaps");
        std::fs::create_dir(&snaps).unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "precious").unwrap();
        std::os::unix::fs::symlink(&outside, snaps.join("divide.snap")).unwrap();
        let (status, _, stderr) = accept(&snaps);
        assert_eq!(status, 2, "{stderr}");
        assert!(
            stderr.contains("divide.snap is a symbolic link"),
            "{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
        // Refused before anything was written.
        assert_eq!(names_in(&snaps), ["divide.snap"]);
    }

    /// An accepted snapshot replaces the file (a new file renamed over it), never writes into
    /// it: a hard link to the old file keeps the old contents, and no temporary file is left.
    #[test]
    fn accepting_replaces_the_file_instead_of_writing_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let snaps = dir.path().join("snaps");
        std::fs::create_dir(&snaps).unwrap();
        std::fs::write(snaps.join("add.snap"), "old").unwrap();
        std::fs::hard_link(snaps.join("add.snap"), dir.path().join("old-add")).unwrap();
        let (status, stdout, stderr) = accept(&snaps);
        assert_eq!(status, 0, "{stdout}{stderr}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("old-add")).unwrap(),
            "old"
        );
        assert_ne!(
            std::fs::read_to_string(snaps.join("add.snap")).unwrap(),
            "old"
        );
        assert_eq!(
            names_in(&snaps),
            ["add.snap", "divide.snap", "get_order.snap"]
        );
    }
}

/// Writes a Gateway definition with one tool of this name (any input).
fn definition_with_tool(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join("tools.json");
    let tools = serde_json::json!([{
        "name": name,
        "description": "d",
        "inputSchema": {"type": "object"}
    }]);
    std::fs::write(&path, tools.to_string()).unwrap();
    path
}

mod injection {
    use super::*;

    /// The first `--replay ...` suggestion of a human report, as a POSIX shell reads it.
    fn replay_words(report: &str) -> Vec<String> {
        let line = report
            .lines()
            .find_map(|l| l.trim().strip_prefix("replay: "))
            .unwrap_or_else(|| panic!("no replay line in {report}"));
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\n' {line}"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn replay_suggestions_are_shell_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("pwned");
        let name = format!("x'$(touch {})'y", marker.display());
        let definition = definition_with_tool(dir.path(), &name);
        let (status, stdout, stderr) = run(toolcontract().arg("check").arg(&definition).args([
            "--cases",
            "1",
            "--",
            "/bin/false",
        ]));
        assert_eq!(status, 1, "{stderr}");
        let words = replay_words(&stdout);
        assert!(!marker.exists(), "pasting the suggestion ran code");
        assert_eq!(words.len(), 2, "{words:?}");
        assert_eq!(words[0], "--replay");
        assert!(words[1].contains(&format!(":{name}:")), "{words:?}");
        // And the word is a token `--replay` accepts.
        let (status, _, stderr) = run(toolcontract().arg("check").arg(&definition).args([
            "--replay",
            &words[1],
            "--",
            "/bin/false",
        ]));
        assert_eq!(status, 1, "{stderr}");
    }

    #[test]
    fn control_characters_from_definitions_and_handlers_never_reach_the_terminal() {
        let dir = tempfile::tempdir().unwrap();
        // A tool name that retitles the window and clears the screen.
        let definition = definition_with_tool(dir.path(), "t\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m");
        // A handler whose output and error text carry escapes too.
        let handler = script(
            dir.path(),
            "noisy.sh",
            "#!/bin/sh\nprintf '\\033[2J\\033]0;title\\007oops\\n'\nexit 3\n",
        );
        for command in ["check", "snapshot"] {
            let mut cmd = toolcontract();
            cmd.arg(command).arg(&definition);
            if command == "snapshot" {
                cmd.arg("--snapshots")
                    .arg(dir.path().join("snaps"))
                    .arg("--check");
            } else {
                cmd.args(["--cases", "1"]);
            }
            let (status, stdout, stderr) = run(cmd.arg("--").arg(&handler));
            assert_eq!(status, 1, "{command}: {stderr}");
            for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                assert!(
                    !text.chars().any(|c| c.is_control() && c != '\n'),
                    "{command} {stream}: {text:?}"
                );
            }
            assert!(
                stdout.contains("t\\u{1b}]0;owned\\u{7}"),
                "{command}: {stdout}"
            );
        }
    }
}

mod verdicts {
    use super::*;

    #[test]
    fn no_cases_is_refused_not_reported_as_held() {
        for (flag, env) in [(Some("0"), None), (None, Some("0"))] {
            let mut cmd = toolcontract();
            cmd.args(["check", CALCULATOR]);
            if let Some(cases) = flag {
                cmd.args(["--cases", cases]);
            }
            if let Some(cases) = env {
                cmd.env("PROPTEST_CASES", cases);
            }
            let (status, stdout, stderr) = run(cmd.args(["--", "/bin/false"]));
            assert_eq!(status, 2, "{stdout}{stderr}");
            assert!(
                stderr.contains("--cases 0 (or PROPTEST_CASES=0) runs no case"),
                "{stderr}"
            );
            assert!(!stdout.contains("held"), "{stdout}");
        }
    }

    #[test]
    fn a_missing_interpreter_is_an_unusable_command() {
        let dir = tempfile::tempdir().unwrap();
        let handler = script(
            dir.path(),
            "handler.py",
            "#!/nonexistent/python\nprint(1)\n",
        );
        let (status, stdout, stderr) = run(toolcontract()
            .args(["check", CALCULATOR, "--cases", "1", "--"])
            .arg(&handler));
        assert_eq!(status, 2, "{stdout}{stderr}");
        assert!(
            stderr.contains(
                "its interpreter `/nonexistent/python` (from its #! line): it does not exist"
            ),
            "{stderr}"
        );
    }

    #[test]
    fn an_unwritable_output_is_found_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("started");
        let handler = script(
            dir.path(),
            "handler.sh",
            &format!("#!/bin/sh\ntouch {}\nexit 1\n", marker.display()),
        );
        for output in [
            dir.path().join("no/such/dir/report.json"),
            dir.path().to_owned(),
        ] {
            let (status, _, stderr) = run(toolcontract()
                .args(["check", CALCULATOR, "--cases", "1", "--output"])
                .arg(&output)
                .arg("--")
                .arg(&handler));
            assert_eq!(status, 2, "{stderr}");
            assert!(stderr.contains("--output"), "{stderr}");
            assert!(stderr.contains("cannot write it"), "{stderr}");
            assert!(!marker.exists(), "the handler was started");
        }
    }

    #[test]
    fn non_ascii_tool_names_get_their_own_snapshot_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tools.json");
        let tools = serde_json::json!([
            {"name": "名前", "description": "d", "inputSchema": {"type": "object"}},
            {"name": "価格", "description": "d", "inputSchema": {"type": "object"}}
        ]);
        std::fs::write(&path, tools.to_string()).unwrap();
        let snaps = dir.path().join("snaps");
        let (status, stdout, stderr) = run(toolcontract()
            .arg("snapshot")
            .arg(&path)
            .arg("--snapshots")
            .arg(&snaps)
            .args(["--accept", "--", "/bin/false"]));
        assert_eq!(status, 0, "{stdout}{stderr}");
        assert_eq!(names_in(&snaps), ["価格.snap", "名前.snap"]);
    }
}

mod definitions {
    use super::*;

    fn lint(path: &Path) -> (i32, String, String) {
        run(toolcontract().arg("lint").arg(path))
    }

    #[test]
    fn a_byte_order_mark_before_json_or_yaml_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let json = dir.path().join("tools.json");
        let text = std::fs::read_to_string(root.join(CALCULATOR)).unwrap();
        std::fs::write(&json, format!("\u{feff}{text}")).unwrap();
        let (status, stdout, stderr) = lint(&json);
        assert_eq!(status, 0, "{stdout}{stderr}");
        let yaml = dir.path().join("openapi.yaml");
        let text =
            std::fs::read_to_string(root.join("examples/agents_claims/openapi.yaml")).unwrap();
        std::fs::write(&yaml, format!("\u{feff}{text}")).unwrap();
        let (status, stdout, stderr) = run(toolcontract()
            .arg("lint")
            .arg(&yaml)
            .args(["--action-group", "claims"]));
        assert_eq!(status, 0, "{stdout}{stderr}");
        assert!(stdout.contains("0 error(s)"), "{stdout}");
    }

    #[test]
    fn duplicate_keys_are_refused_with_file_and_pointer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tools.json");
        std::fs::write(
            &path,
            "[{\"name\": \"add\", \"description\": \"d\",\n  \"name\": \"sub\", \
             \"inputSchema\": {\"type\": \"object\"}}]",
        )
        .unwrap();
        let (status, _, stderr) = lint(&path);
        assert_eq!(status, 2, "{stderr}");
        assert!(
            stderr.contains(&format!(
                "{}: at /0: the key `name` is given twice in this object (line 2",
                path.display()
            )),
            "{stderr}"
        );
    }

    #[test]
    fn only_regular_files_within_the_size_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.json");
        mkfifo(&fifo);
        let big = dir.path().join("big.json");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(toolcontract::definition::MAX_DEFINITION_BYTES + 1)
            .unwrap();
        for (path, why) in [
            (
                PathBuf::from("/dev/zero"),
                "not a regular file (a character device)",
            ),
            (fifo, "not a regular file (a FIFO)"),
            (dir.path().to_owned(), "not a regular file (a directory)"),
            (big, "larger than the limit of 16777216 bytes"),
        ] {
            for command in ["lint", "event"] {
                let mut cmd = toolcontract();
                cmd.arg(command).arg(&path);
                if command == "event" {
                    cmd.args(["--tool", "add"]);
                }
                let (status, _, stderr) = run(&mut cmd);
                assert_eq!(status, 2, "{command} {}: {stderr}", path.display());
                assert!(
                    stderr.contains(&format!(
                        "{}: at (root): cannot read the file: {why}",
                        path.display()
                    )),
                    "{stderr}"
                );
            }
        }
    }

    #[test]
    fn event_counts_are_bounded_before_anything_is_allocated() {
        let (status, _, stderr) = run(toolcontract().args([
            "event",
            CALCULATOR,
            "--tool",
            "add",
            "--count",
            "4294967295",
        ]));
        assert_eq!(status, 2, "{stderr}");
        assert!(
            stderr.contains("4294967295 is not in 1..=10000"),
            "{stderr}"
        );
    }
}

mod deep_answers {
    use lambda_runtime::{Error, LambdaEvent, service_fn};
    use serde_json::{Value, json};
    use toolcontract::{CheckName, Definition, Gateway};

    fn nested(levels: usize) -> Value {
        let mut value = json!("bottom");
        for _ in 0..levels {
            // Not `json!([value])`: that serializes `value` again, recursively.
            value = Value::Array(vec![value]);
        }
        value
    }

    fn gateway() -> Gateway {
        let tools = json!([{"name": "t", "description": "d", "inputSchema": {"type": "object"}}]);
        let definition = Definition::from_value("inline.json", tools).unwrap();
        Gateway::new(definition).unwrap().cases(2)
    }

    /// 130 levels (past serde_json's 128) is an answer like any other.
    #[test]
    fn an_answer_past_128_levels_is_judged() {
        let report = gateway().check(service_fn(|_: LambdaEvent<Value>| async {
            Ok::<_, Error>(json!({"content": [{"type": "text", "text": "ok"}], "structuredContent": {"deep": nested(130)}}))
        }));
        assert!(
            !report
                .findings
                .iter()
                .any(|f| f.check == CheckName::NoFunctionError),
            "{:#?}",
            report.findings
        );
    }

    /// 30,000 levels would overflow the stack of whatever walks it: it is a finding that names
    /// the limit, and the test process lives on.
    #[test]
    fn an_answer_30000_levels_deep_is_a_finding_not_an_abort() {
        let report = gateway().check(service_fn(|_: LambdaEvent<Value>| async {
            Ok::<_, Error>(nested(30_000))
        }));
        let finding = report
            .findings
            .iter()
            .find(|f| f.check == CheckName::NoFunctionError)
            .expect("a no_function_error finding");
        assert!(
            finding.message.contains("more than 512 levels deep"),
            "{}",
            finding.message
        );
    }
}

mod process_trees {
    use super::*;

    /// A handler whose children leave its process group: one calls `setsid()` under a live
    /// parent, one is a daemon (forked twice, `setsid()`, parent gone). None outlives the run.
    #[test]
    fn descendants_that_leave_the_group_are_reaped() {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("pids");
        let handler = script(
            dir.path(),
            "escaping.sh",
            &format!(
                "#!/bin/sh\n\
                 exec >/dev/null 2>&1\n\
                 setsid sleep 600 & echo $! >> {0}\n\
                 (setsid sleep 600 & echo $! >> {0}) \n\
                 sleep 600 & echo $! >> {0}\n\
                 exit 1\n",
                pids.display()
            ),
        );
        let (status, stdout, stderr) = run(toolcontract()
            .args(["check", CALCULATOR, "--tool", "add", "--cases", "1", "--"])
            .arg(&handler));
        assert_eq!(status, 1, "{stdout}{stderr}");
        let pids: Vec<u32> = std::fs::read_to_string(&pids)
            .unwrap()
            .lines()
            .map(|l| l.trim().parse().unwrap())
            .collect();
        assert!(pids.len() >= 3, "{pids:?}");
        for pid in pids {
            assert!(
                dead_within(pid, Duration::from_secs(5)),
                "pid {pid} survived"
            );
        }
    }
}

mod loopback_trust {
    use std::net::TcpStream;

    use serde_json::json;
    use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler};
    use toolcontract::{Handler, Outcome};

    use super::*;

    /// Sends one raw request; the answer, or `None` when the server closed the connection
    /// without one.
    fn raw(addr: std::net::SocketAddr, request: &str) -> Option<String> {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(request.as_bytes());
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        (!answer.is_empty()).then_some(answer)
    }

    /// Another local process (this test) posts an answer for the invocation in progress: it is
    /// refused, and the verdict is the handler's own (here: it hangs, so a timeout).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn foreign_answers_are_refused_never_judged() {
        let mut handler = ProcessHandler::start(ProcessConfig::new([example("rt_hang")])).unwrap();
        let warm = common::invocation("warm", json!({}), Duration::from_secs(10));
        assert!(matches!(
            handler.invoke(&warm).await.outcome,
            Outcome::Response { .. }
        ));
        let addr = handler.runtime_api_addr();
        let forger = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let body = r#"{"content":[{"type":"text","text":"forged"}]}"#;
            let post = format!(
                "POST /2018-06-01/runtime/invocation/victim/response HTTP/1.1\r\nHost: x\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let next = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\
                        Connection: close\r\n\r\n";
            let (post, next) = (raw(addr, &post), raw(addr, next));
            // Idle connections from anyone are not kept either.
            let idle: Vec<Option<String>> = (0..100).map(|_| raw(addr, "")).collect();
            (post, next, idle)
        });
        let victim = common::invocation("victim", json!({"hang": true}), Duration::from_secs(2));
        let answer = handler.invoke(&victim).await;
        let (post, next, idle) = forger.join().unwrap();
        assert_eq!(post, None, "the forged post was answered");
        assert_eq!(next, None, "a foreign /next was answered");
        assert!(idle.iter().all(Option::is_none));
        assert!(
            matches!(answer.outcome, Outcome::Timeout { .. }),
            "{:?}",
            answer.outcome
        );
    }
}

mod request_limit {
    use super::*;

    /// Every valid event of this tool is over Lambda's 6 MB request limit: `lint` says so,
    /// and `event`, `check` and `snapshot` refuse the definition instead of building it.
    #[test]
    fn a_schema_that_forces_an_event_over_6_mb_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tools.json");
        let tools = serde_json::json!([{
            "name": "upload", "description": "d",
            "inputSchema": {"type": "object",
                "properties": {"blob": {"type": "array", "minItems": 100,
                    "items": {"type": "string", "minLength": 80_000}}},
                "required": ["blob"]}
        }]);
        std::fs::write(&path, tools.to_string()).unwrap();
        let (status, stdout, stderr) = run(toolcontract().arg("lint").arg(&path));
        assert_eq!(status, 0, "{stderr}");
        assert!(
            stdout.contains("/0/inputSchema: warning[not_generatable]: every valid argument value of tool `upload` is at least 8000310 bytes"),
            "{stdout}"
        );
        for args in [
            vec!["event", "--tool", "upload"],
            vec!["check", "--cases", "1", "--", "/bin/false"],
            vec!["snapshot", "--check", "--", "/bin/false"],
        ] {
            let mut cmd = toolcontract();
            cmd.arg(args[0]).arg(&path).args(&args[1..]);
            let (status, stdout, stderr) = run(cmd.current_dir(dir.path()));
            assert_eq!(status, 2, "{args:?}: {stderr}");
            assert!(stdout.len() < 1000, "{args:?}: an event was built");
            assert!(
                stderr.contains("over Lambda's request limit of 6291456 bytes (6 MB)"),
                "{args:?}: {stderr}"
            );
        }
    }
}
