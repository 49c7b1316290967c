//! The `toolcontract` command line: every command, every exit status, against compiled
//! example handlers (Rust, and Python through the official runtime interface client).

use crate::common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// The command, run from the repository, with no `PROPTEST_*` variable from the caller (the
/// default `--cases` reads `PROPTEST_CASES`).
pub(crate) fn toolcontract() -> Command {
    let mut cmd = Command::cargo_bin("toolcontract").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in common::proptest_vars() {
        cmd.env_remove(var);
    }
    cmd
}

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

const CALCULATOR: &str = "examples/calculator/tools.json";
const FLAGS: &str = "tests/data/cli/flags.json";

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

#[test]
fn every_command_has_help_with_examples() {
    for command in ["lint", "event", "check", "schema"] {
        toolcontract()
            .args([command, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Examples:"));
    }
    toolcontract()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit status: 0 every check held"));
}

#[test]
fn usage_errors_exit_2() {
    toolcontract().assert().code(2);
    toolcontract().arg("frobnicate").assert().code(2);
    toolcontract()
        .args(["check", CALCULATOR])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("HANDLER COMMAND"));
    toolcontract()
        .args(["check", CALCULATOR, "--jobs", "0", "--", "true"])
        .assert()
        .code(2);
}

#[test]
fn schema_lists_and_prints_the_embedded_contracts() {
    toolcontract()
        .args(["schema", "--list"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("gateway-response-mcp")
                .and(predicate::str::contains("report")),
        );
    let out = toolcontract().args(["schema", "report"]).assert().code(0);
    let schema: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        schema["$id"],
        "https://toolcontract.dev/contracts/report.json"
    );
    toolcontract()
        .args(["schema", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown contract `nope`"));
}

#[test]
fn lint_exit_statuses() {
    toolcontract()
        .args(["lint", CALCULATOR])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 error(s), 0 warning(s) in 1 file(s)",
        ));
    // Warnings pass, unless denied.
    let akeyless = manifest("tests/data/shared/tool-corpus/gateway/akeyless-secrets.json");
    toolcontract()
        .arg("lint")
        .arg(&akeyless)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[keyword_outside_subset]"));
    toolcontract()
        .args(["lint", "--deny-warnings"])
        .arg(&akeyless)
        .assert()
        .code(1);
    // An error the Gateway would reject: a tool without a description.
    toolcontract()
        .args(["lint", "tests/data/cli/rejected.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("tests/data/cli/rejected.json:/0"))
        .stdout(predicate::str::contains("error[contract_violation]"));
}

#[test]
fn lint_refuses_unreadable_definitions_naming_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let malformed = dir.path().join("malformed.json");
    std::fs::write(&malformed, "[{\"name\": \"x\",\n  oops}]").unwrap();
    toolcontract()
        .arg("lint")
        .arg(&malformed)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("malformed.json"))
        .stderr(predicate::str::contains("line 2"));
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"hello\": 1}").unwrap();
    toolcontract()
        .arg("lint")
        .arg(&other)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a tool definition"));
    toolcontract()
        .args(["lint", "does/not/exist.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does/not/exist.json"));
}

#[test]
fn lint_json_lists_diagnostics_with_file_code_and_pointer() {
    let out = toolcontract()
        .args(["lint", "--format", "json", "tests/data/cli/rejected.json"])
        .assert()
        .code(1);
    let diagnostics: Vec<Value> = serde_json::from_str(&stdout_of(&out)).unwrap();
    let first = &diagnostics[0];
    assert_eq!(first["file"], "tests/data/cli/rejected.json");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "contract_violation");
    assert_eq!(first["pointer"], "/0");
}

#[test]
fn event_prints_what_the_handler_receives() {
    let out = toolcontract()
        .args([
            "event",
            CALCULATOR,
            "--tool",
            "add",
            "--target-name",
            "orders",
        ])
        .assert()
        .code(0);
    let sample: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(sample["tool"], "add");
    assert!(sample["event"]["a"].is_number() && sample["event"]["b"].is_number());
    let custom = &sample["context"]["clientContext"]["custom"];
    assert_eq!(custom["bedrockAgentCoreToolName"], "orders___add");
    assert_eq!(custom["bedrockAgentCoreMessageVersion"], "1.0");
    // The same seed prints the same samples; several are one per line.
    let a = toolcontract()
        .args([
            "event",
            CALCULATOR,
            "--tool",
            "get_order",
            "--count",
            "3",
            "--seed",
            "0x2a",
        ])
        .assert()
        .code(0);
    let b = toolcontract()
        .args([
            "event",
            CALCULATOR,
            "--tool",
            "get_order",
            "--count",
            "3",
            "--seed",
            "42",
        ])
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), stdout_of(&b));
    assert_eq!(stdout_of(&a).lines().count(), 3);
}

#[test]
fn a_misspelt_tool_gets_a_did_you_mean_and_a_forgotten_separator_a_tip() {
    toolcontract()
        .args(["event", CALCULATOR, "--tool", "dvide"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown tool `dvide` (did you mean `divide`?); the definition declares: add, \
             divide, get_order",
        ));
    toolcontract()
        .args(["check", CALCULATOR, "--cases", "3", "./handler", "--arg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tip: put `--` before the handler command: `toolcontract check DEFINITION \
             [OPTIONS] -- ./handler ...`",
        ));
    toolcontract()
        .args(["snapshot", CALCULATOR])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tip: `snapshot` needs the handler command after `--`",
        ));
}

#[test]
fn event_refuses_unknown_tools_and_bad_target_names() {
    toolcontract()
        .args(["event", CALCULATOR, "--tool", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown tool `nope`; the definition declares: add, divide, get_order",
        ));
    toolcontract()
        .args([
            "event",
            CALCULATOR,
            "--tool",
            "add",
            "--target-name",
            "my_target",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid target name `my_target`"));
}

#[test]
fn check_passes_the_correct_handler() {
    toolcontract()
        .args(["check", CALCULATOR, "--cases", "64", "--"])
        .arg(common::example("calculator"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s), 0 warning(s)"));
}

#[test]
fn check_reports_the_classic_bug_and_replays_it() {
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("report.json");
    toolcontract()
        .args([
            "check", CALCULATOR, "--cases", "64", "--format", "json", "--output",
        ])
        .arg(&report_path)
        .arg("--")
        .arg(common::example("tool_name_from_event"))
        .assert()
        .code(1);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let errors: Vec<String> = toolcontract::Contract::Report
        .validator()
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let checks: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    // One finding for the three tools (the same cause), listing the others.
    assert_eq!(checks, ["tool_reachable"]);
    assert_eq!(
        report["findings"][0]["also"],
        serde_json::json!(["divide", "get_order"])
    );
    assert_eq!(report["findings"][0]["severity"], "error");

    // One finding replayed alone, by its token.
    let finding = &report["findings"][0];
    let token = format!(
        "{}:{}:{}:{}",
        finding["check"].as_str().unwrap(),
        finding["subject"].as_str().unwrap(),
        finding["case"]["index"],
        finding["case"]["seed"].as_str().unwrap()
    );
    let out = toolcontract()
        .args([
            "check", CALCULATOR, "--format", "json", "--replay", &token, "--",
        ])
        .arg(common::example("tool_name_from_event"))
        .assert()
        .code(1);
    let replayed: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(replayed["totals"]["cases"], 1);
    assert_eq!(
        replayed["findings"][0]["case"]["input"],
        finding["case"]["input"]
    );

    // Every finding of the saved report.
    let out = toolcontract()
        .args(["check", CALCULATOR, "--format", "json", "--replay-report"])
        .arg(&report_path)
        .arg("--")
        .arg(common::example("tool_name_from_event"))
        .assert()
        .code(1);
    let replayed: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(replayed["totals"]["cases"], 3);

    // And the human report says what is wrong.
    toolcontract()
        .args([
            "check", CALCULATOR, "--cases", "16", "--color", "never", "--",
        ])
        .arg(common::example("tool_name_from_event"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAIL  tool_reachable  add  (16 of 16 cases)",
        ))
        .stdout(predicate::str::contains(
            "tool name  toolcontract-target___add",
        ));
}

#[test]
fn check_refuses_bad_replays_targets_tools_and_commands() {
    let calculator = common::example("calculator");
    toolcontract()
        .args(["check", CALCULATOR, "--replay", "nonsense", "--"])
        .arg(&calculator)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a replay token"));
    toolcontract()
        .args([
            "check",
            CALCULATOR,
            "--replay",
            "tool_reachable:nope:0:0x1",
            "--",
        ])
        .arg(&calculator)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("names `nope`"));
    toolcontract()
        .args(["check", CALCULATOR, "--target-name", "a__b", "--"])
        .arg(&calculator)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid target name"));
    toolcontract()
        .args(["check", CALCULATOR, "--tool", "nope", "--"])
        .arg(&calculator)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown tool `nope`"));
    toolcontract()
        .args(["check", CALCULATOR, "--", "./no-such-handler"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-handler"));
}

#[test]
fn check_writes_junit_one_case_per_tool_and_check() {
    let out = toolcontract()
        .args([
            "check", CALCULATOR, "--cases", "16", "--format", "junit", "--",
        ])
        .arg(common::example("tool_name_from_event"))
        .assert()
        .code(1);
    let xml = stdout_of(&out);
    assert!(xml.contains("<testsuite name=\"add\""), "{xml}");
    assert!(
        xml.contains("<testcase name=\"tool_reachable\" classname=\"toolcontract.add\""),
        "{xml}"
    );
    assert!(xml.contains("<failure"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 3 * 7 + 4);
}

#[test]
fn check_reports_a_process_that_exits_mid_case() {
    toolcontract()
        .args(["check", FLAGS, "--cases", "32", "--color", "never", "--"])
        .arg(common::example("rt_exit_mid_case"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL  no_function_error  probe"))
        .stdout(predicate::str::contains(
            "exited with status 3 while handling the invocation",
        ))
        .stdout(predicate::str::contains(
            "rt_exit_mid_case: exiting with status 3",
        ))
        .stdout(predicate::str::contains("event      {\"exit\":true}"));
}

#[test]
fn check_reports_a_hang_as_within_deadline_and_goes_on() {
    toolcontract()
        .args([
            "check",
            FLAGS,
            "--cases",
            "32",
            "--timeout-ms",
            "200",
            "--color",
            "never",
            "--",
        ])
        .arg(common::example("rt_hang"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL  within_deadline  probe"))
        .stdout(predicate::str::contains(
            "no answer within the 200 ms deadline",
        ))
        .stdout(predicate::str::contains("event      {\"hang\":true}"));
}

#[test]
fn check_reports_posts_to_error_as_function_errors() {
    toolcontract()
        .args(["check", FLAGS, "--cases", "8", "--color", "never", "--"])
        .arg(common::example("rt_error"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL  no_function_error  probe"))
        .stdout(predicate::str::contains(
            "function error (ToolFailure: cannot handle",
        ));
}

#[test]
fn check_runs_several_handler_processes() {
    let out = toolcontract()
        .args([
            "check", CALCULATOR, "--cases", "64", "--jobs", "2", "--format", "json", "--",
        ])
        .arg(common::example("calculator"))
        .assert()
        .code(0);
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(report["run"]["jobs"], 2);
    assert_eq!(report["totals"]["cases"], 3 * 64 + 16);
}

#[allow(clippy::print_stderr)] // a skipped test says so on stderr
fn venv_python() -> Option<PathBuf> {
    let python = manifest(".venv/bin/python");
    if python.exists() {
        return Some(python);
    }
    assert!(
        std::env::var_os("TOOLCONTRACT_REQUIRE_PYTHON").is_none(),
        "{} is missing and TOOLCONTRACT_REQUIRE_PYTHON is set: run scripts/setup-python.sh",
        python.display()
    );
    eprintln!(
        "SKIPPED: {} is missing; run scripts/setup-python.sh",
        python.display()
    );
    None
}

#[test]
fn check_passes_a_correct_python_handler_and_reports_the_classic_python_bug() {
    let Some(python) = venv_python() else { return };
    let tools = "examples/python/calculator/tools.json";
    toolcontract()
        .args([
            "check",
            tools,
            "--cases",
            "64",
            "--cwd",
            "examples/python/calculator",
            "--",
        ])
        .arg(&python)
        .args(["-m", "awslambdaric", "app.handler"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s), 0 warning(s)"));
    let out = toolcontract()
        .args([
            "check",
            tools,
            "--cases",
            "64",
            "--format",
            "json",
            "--cwd",
            "examples/python/calculator",
            "--",
        ])
        .arg(&python)
        .args(["-m", "awslambdaric", "app_tool_name_from_event.handler"])
        .assert()
        .code(1);
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    // One grouped finding for both tools.
    let found: Vec<(&str, &str, &Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                &f["also"],
            )
        })
        .collect();
    assert_eq!(
        found,
        [("tool_reachable", "add", &serde_json::json!(["multiply"]))]
    );
}

#[test]
fn check_passes_a_handler_written_as_a_shell_script() {
    toolcontract()
        .args([
            "check",
            "examples/shell/tools.json",
            "--cases",
            "16",
            "--",
            "examples/shell/handler.sh",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "PASS  add  16 cases  7 checks held",
        ));
}

const BOOKINGS: &str = "examples/agents_bookings/action-group.json";
const CLAIMS: &str = "examples/agents_claims/openapi.yaml";

#[test]
fn check_runs_action_groups_of_both_kinds() {
    toolcontract()
        .args(["check", BOOKINGS, "--cases", "32", "--"])
        .arg(common::example("agents_bookings"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s), 0 warning(s)"));
    toolcontract()
        .args(["check", BOOKINGS, "--cases", "32", "--color", "never", "--"])
        .arg(common::example("agents_fixed_action_group"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAIL  echoes_action_group  get_booking",
        ));
    toolcontract()
        .args([
            "check",
            CLAIMS,
            "--action-group",
            "ClaimsActionGroup",
            "--cases",
            "32",
            "--",
        ])
        .arg(common::example("agents_claims"))
        .assert()
        .code(0);
    toolcontract()
        .args([
            "check",
            CLAIMS,
            "--action-group",
            "ClaimsActionGroup",
            "--cases",
            "32",
            "--color",
            "never",
            "--",
        ])
        .arg(common::example("agents_substituted_api_path"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL  echoes_api_path  getClaim"));
}

#[test]
fn action_groups_refuse_gateway_flags_and_need_a_name_for_bare_openapi() {
    toolcontract()
        .args(["check", CLAIMS, "--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--action-group NAME"));
    for flag in [
        &["--target-name", "x"][..],
        &["--profile", "json"],
        &["--negative"],
    ] {
        toolcontract()
            .args(["check", BOOKINGS])
            .args(flag)
            .args(["--", "true"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "applies to AgentCore Gateway definitions",
            ));
    }
    toolcontract()
        .args(["event", BOOKINGS, "--tool", "get_booking", "--invalid"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no negative mode"));
}

#[test]
fn event_and_lint_speak_action_groups() {
    let out = toolcontract()
        .args(["event", BOOKINGS, "--tool", "get_booking"])
        .assert()
        .code(0);
    let sample: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(sample["event"]["messageVersion"], "1.0");
    assert_eq!(sample["event"]["actionGroup"], "BookingsActionGroup");
    assert_eq!(sample["event"]["function"], "get_booking");
    assert!(sample["context"].get("clientContext").is_none());
    toolcontract()
        .args(["lint", BOOKINGS])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s)"));
    toolcontract()
        .args(["lint", "--action-group", "ClaimsActionGroup", CLAIMS])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s)"));
}

#[test]
fn ctrl_c_stops_the_run_and_every_handler_process() {
    // A private copy of the hanging fixture, so its processes are told apart from those of
    // tests running beside this one.
    let dir = tempfile::tempdir().unwrap();
    let handler = dir.path().join("hang-for-ctrl-c");
    std::fs::copy(common::example("rt_hang"), &handler).unwrap();
    let mut run = std::process::Command::new(env!("CARGO_BIN_EXE_toolcontract"));
    for var in common::proptest_vars() {
        run.env_remove(var);
    }
    let mut run = run
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            FLAGS,
            "--jobs",
            "2",
            "--timeout-ms",
            "600000",
            "--",
        ])
        .arg(&handler)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until both handler processes run (one of them hangs on its first `hang` case).
    let running = |path: &Path| -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                let zombie = stat
                    .rsplit(") ")
                    .next()
                    .is_some_and(|rest| rest.starts_with('Z'));
                !zombie
                    && std::fs::read(format!("/proc/{pid}/cmdline"))
                        .is_ok_and(|c| c.starts_with(path.as_os_str().as_encoded_bytes()))
            })
            .collect()
    };
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while running(&handler).len() < 2 && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(running(&handler).len(), 2, "two handler processes start");
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: sending a signal to a child process this test started.
    unsafe { libc::kill(run.id() as i32, libc::SIGINT) };
    let status = run.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(run.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted"), "{stderr}");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !running(&handler).is_empty() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        running(&handler),
        Vec::<u32>::new(),
        "no handler process is left"
    );
}

/// A copy of the calculator definition in a fresh directory, with `config` as its
/// `toolcontract.toml` beside it.
fn calculator_with_config(config: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let definition = dir.path().join("tools.json");
    std::fs::copy(CALCULATOR, &definition).unwrap();
    std::fs::write(dir.path().join("toolcontract.toml"), config).unwrap();
    (dir, definition)
}

#[test]
fn a_bad_configuration_is_exit_2_naming_the_file_the_line_and_the_key() {
    for (config, expected) in [
        (
            "[defaults]\ncases = 8\ncasse = 9\n",
            "toolcontract.toml:3: unknown field `casse`",
        ),
        (
            "[checks]\ntool_reachble = \"off\"\n",
            "toolcontract.toml:2: `checks.tool_reachble`: unknown check `tool_reachble`",
        ),
        (
            "[checks]\ntool_reachble = \"off\"\n",
            "did you mean `tool_reachable`?",
        ),
        (
            "\n[tools.ad]\nknown_good = [{ a = 1, b = 2 }]\n",
            "toolcontract.toml:2: `tools.ad`: the definition declares no tool `ad`; did you mean `add`?",
        ),
        (
            "[tools.add]\nknown_good = [\n  { a = \"one\", b = 2 },\n]\n",
            "toolcontract.toml:3: `tools.add.known_good[0]`: the arguments do not match",
        ),
        ("[defaults\n", "toolcontract.toml:1: "),
    ] {
        let (_dir, definition) = calculator_with_config(config);
        toolcontract()
            .arg("check")
            .arg(&definition)
            .arg("--")
            .arg(common::example("calculator"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn the_configuration_sets_defaults_levels_and_known_good_arguments() {
    // unknown_tool_rejected as an error, 8 cases, one known-good case per tool.
    let (_dir, definition) = calculator_with_config(
        "[defaults]\ncases = 8\n\n[checks]\nunknown_tool_rejected = \"error\"\n\n\
         [tools.add]\nknown_good = [{ a = 2, b = 3 }]\n",
    );
    let out = toolcontract()
        .arg("check")
        .arg(&definition)
        .args(["--format", "json", "--"])
        .arg(common::example("calculator"))
        .assert()
        .code(0);
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(report["run"]["cases_per_tool"], 8);
    assert_eq!(report["run"]["checks"]["unknown_tool_rejected"], "error");
    assert!(
        report["run"]["config"]
            .as_str()
            .unwrap()
            .ends_with("toolcontract.toml")
    );
    assert_eq!(
        report["subjects"][0]["cases_run"], 9,
        "8 generated + 1 known-good"
    );
    let checks: Vec<&str> = report["subjects"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert!(checks.contains(&"known_good_arguments"), "{checks:?}");
    // Flags win over the configuration; `--config` names another file.
    let other = _dir.path().join("other.toml");
    std::fs::write(&other, "[defaults]\ncases = 4\n").unwrap();
    let out = toolcontract()
        .arg("check")
        .arg(&definition)
        .arg("--config")
        .arg(&other)
        .args(["--cases", "2", "--format", "json", "--"])
        .arg(common::example("calculator"))
        .assert()
        .code(0);
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(report["run"]["cases_per_tool"], 2);
}

#[test]
fn warnings_pass_unless_denied() {
    // One tool, and a handler (rt_echo) that answers any name with its event: the
    // undeclared-name probe gets a success, which is a warning (the Gateway never sends
    // undeclared names).
    let dir = tempfile::tempdir().unwrap();
    let definition = dir.path().join("tools.json");
    std::fs::write(
        &definition,
        r#"[{"name": "echo", "description": "Echo", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}]"#,
    )
    .unwrap();
    let run = |extra: &[&str]| {
        toolcontract()
            .arg("check")
            .arg(&definition)
            .args(["--cases", "8", "--color", "never"])
            .args(extra)
            .arg("--")
            .arg(common::example("rt_echo"))
            .assert()
    };
    let out = run(&[]).code(0);
    let text = stdout_of(&out);
    assert!(text.contains("WARN  unknown_tool_rejected"), "{text}");
    assert!(text.contains("0 error(s), 1 warning(s)"), "{text}");
    let out = run(&["--deny-warnings"]).code(1);
    assert!(stdout_of(&out).contains("(warnings denied)"));
}

#[test]
fn a_handler_that_fails_during_init_is_reported_once_and_the_run_stops() {
    let out = toolcontract()
        .args(["check", CALCULATOR, "--format", "json", "--"])
        .arg(common::example("rt_init_error"))
        .assert()
        .code(1);
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["check"], "no_function_error");
    // Its output is in the finding.
    let logs = findings[0]["case"]["answers"][0]["logs"].to_string();
    assert!(logs.contains("TABLE_NAME is not set"), "{logs}");
    // Three processes tried, then the run stopped: no restart per case.
    assert_eq!(report["totals"]["cases"], 3);
    // Subjects that ran no case have no verdicts (never "held").
    assert_eq!(report["subjects"][1]["checks"], serde_json::json!([]));
    let reason = report["subjects"][1]["skip_reason"].as_str().unwrap();
    assert!(
        reason.contains("failed during init 3 times in a row"),
        "{reason}"
    );
}

#[test]
fn env_flags_reach_the_handler_process() {
    // A shell handler that answers with its TABLE_NAME.
    let dir = tempfile::tempdir().unwrap();
    let handler = dir.path().join("handler.sh");
    std::fs::write(
        &handler,
        "#!/bin/sh\napi=\"http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime\"\nh=$(mktemp)\n\
         while :; do\n  curl -sS -D \"$h\" -o /dev/null \"$api/invocation/next\" || exit 1\n  \
         id=$(sed -n 's/^Lambda-Runtime-Aws-Request-Id: *//Ip' \"$h\" | tr -d '\\r')\n  \
         curl -sS -o /dev/null -X POST -d \"{\\\"table\\\":\\\"${TABLE_NAME:-unset}\\\"}\" \"$api/invocation/$id/response\" || exit 1\n\
         done\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &handler,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    toolcontract()
        .args([
            "snapshot",
            "examples/shell/tools.json",
            "--generated",
            "1",
            "--snapshots",
        ])
        .arg(dir.path().join("snaps"))
        .args(["--accept", "--env", "TABLE_NAME=orders", "--"])
        .arg(&handler)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(dir.path().join("snaps/add.snap")).unwrap();
    assert!(text.contains("\"table\": \"orders\""), "{text}");
    toolcontract()
        .args([
            "check",
            "examples/shell/tools.json",
            "--env",
            "nonsense",
            "--",
        ])
        .arg(&handler)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`nonsense` is not KEY=VALUE"));
}

// CloudFormation and SAM templates, CDK synth output (issue 12).

const SEVERAL: &str = "tests/data/templates/several-targets.yaml";

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn lint_lists_what_a_template_holds_and_lints_the_picked_one() {
    let out = toolcontract()
        .args(["lint", "tests/data/templates/agent-function-schema.yaml"])
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&out),
        "tests/data/templates/agent-function-schema.yaml: CloudFormation template: 2 tool \
         definition(s) found; linting BookingsAgent\n  - BookingsAgent action group \
         `UserInputAction` (AWS::Bedrock::Agent): a built-in action group (AMAZON.UserInput), \
         served by Bedrock, not by a Lambda function\n  * BookingsAgent action group \
         `BookingsActionGroup` (AWS::Bedrock::Agent, 3 tools)\n0 error(s), 0 warning(s) in 1 \
         file(s)\n"
    );
    // The target name of the SAM template is a parameter: said, not guessed.
    toolcontract()
        .args(["lint", "tests/data/templates/sam-gateway-target.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "  * ProductTarget (AWS::BedrockAgentCore::GatewayTarget, target name not known, 3 tools)",
        ))
        .stdout(predicate::str::contains(
            "note: the target name is not known before deployment (`Ref` at \
             /Resources/ProductTarget/Properties/Name",
        ));
    // Diagnostics point into the template; JSON output stays one document on stdout.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.json");
    std::fs::write(
        &file,
        r#"{"Resources": {"T": {"Type": "AWS::BedrockAgentCore::GatewayTarget", "Properties": {
            "Name": "orders", "TargetConfiguration": {"Mcp": {"Lambda": {"ToolSchema": {"InlinePayload": [
                {"Name": "t", "Description": "d", "InputSchema": {"Type": "object", "Properties": {"a": {"Type": "string", "Enum": ["x"]}}}}
            ]}}}}}}}}"#,
    )
    .unwrap();
    let out = toolcontract()
        .args(["lint", "--format", "json"])
        .arg(&file)
        .assert()
        .code(0);
    let entries: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        entries[0]["pointer"],
        "/Resources/T/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/InlinePayload/0/\
         InputSchema/Properties/a/Enum"
    );
    assert!(
        stderr_of(&out)
            .contains("* T (AWS::BedrockAgentCore::GatewayTarget, target `orders`, 1 tool)")
    );
    // A cdk.out directory: the template file is named.
    toolcontract()
        .args(["lint", "tests/data/templates/cdk.out"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "tests/data/templates/cdk.out/ToolsStack.template.json: CloudFormation template: 1 \
             tool definition(s) found; linting WeatherTarget7E8F9A0B",
        ));
}

#[test]
fn several_candidates_need_resource_or_action_group() {
    let out = toolcontract().args(["lint", SEVERAL]).assert().code(2);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("at /Resources: the template holds 4 tool definitions; pick one with `--resource LOGICAL_ID`"), "{stderr}");
    assert!(
        stderr.contains(
            "  InventoryTarget (AWS::BedrockAgentCore::GatewayTarget, target `inventory`, 1 tool)"
        ),
        "{stderr}"
    );
    toolcontract()
        .args(["lint", "--resource", "OrdersTarget", SEVERAL])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "  * OrdersTarget (AWS::BedrockAgentCore::GatewayTarget, target `orders`, 2 tools)",
        ));
    toolcontract()
        .args([
            "lint",
            "--resource",
            "HelpdeskAgent",
            "--action-group",
            "Accounts",
            SEVERAL,
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "  * HelpdeskAgent action group `Accounts`",
        ));
    toolcontract()
        .args(["lint", "--resource", "ToolsFunction", SEVERAL])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "at /Resources/ToolsFunction/Type: `ToolsFunction` is of type AWS::Lambda::Function",
        ));
    toolcontract()
        .args(["lint", "--resource", "OrderTarget", SEVERAL])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `OrdersTarget`?"));
    // `event` and `check` take the same flags.
    let out = toolcontract()
        .args([
            "event",
            SEVERAL,
            "--action-group",
            "Tickets",
            "--tool",
            "get_ticket",
        ])
        .assert()
        .code(0);
    let sample: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(sample["event"]["actionGroup"], "Tickets");
    assert_eq!(sample["event"]["function"], "get_ticket");
    let out = toolcontract()
        .args([
            "event",
            SEVERAL,
            "--resource",
            "InventoryTarget",
            "--tool",
            "stock_level",
        ])
        .assert()
        .code(0);
    let sample: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        sample["context"]["clientContext"]["custom"]["bedrockAgentCoreToolName"],
        "inventory___stock_level"
    );
    toolcontract()
        .args(["check", SEVERAL, "--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pick one with `--resource LOGICAL_ID`",
        ));
}

#[test]
fn bad_templates_exit_2_naming_file_resource_and_pointer() {
    for (file, expected) in [
        (
            "errors/unresolved-schema.yaml",
            "errors/unresolved-schema.yaml: at /Resources/OrdersTarget/Properties/\
             TargetConfiguration/Mcp/Lambda/ToolSchema/InlinePayload/0/InputSchema/Properties/id/\
             Type: `Ref` cannot be resolved before deployment",
        ),
        (
            "errors/unknown-tag.yaml",
            "errors/unknown-tag.yaml: at /Resources/OrdersTarget/Properties/TargetConfiguration/\
             Mcp/Lambda/ToolSchema/InlinePayload/0/Description: malformed YAML at line 17",
        ),
        (
            "errors/no-candidates.json",
            "errors/no-candidates.json: at /Resources: the template holds no \
             AWS::BedrockAgentCore::GatewayTarget",
        ),
        (
            "errors/s3-tool-schema.yaml",
            "errors/s3-tool-schema.yaml: at /Resources/OrdersTarget/Properties/\
             TargetConfiguration/Mcp/Lambda/ToolSchema/S3: the tool schema is stored in S3 \
             (s3://tool-schemas-123456789012/orders/tools.json)",
        ),
    ] {
        toolcontract()
            .args(["lint", &format!("tests/data/templates/{file}")])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn check_runs_the_handlers_of_templates() {
    toolcontract()
        .args([
            "check",
            "tests/data/templates/agent-function-schema.yaml",
            "--cases",
            "16",
            "--",
        ])
        .arg(common::example("agents_bookings"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s), 0 warning(s)"));
    toolcontract()
        .args([
            "check",
            "tests/data/templates/agent-openapi-payload.yaml",
            "--cases",
            "16",
            "--",
        ])
        .arg(common::example("agents_claims"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s), 0 warning(s)"));
    // An unknown target name is said once, and --target-name silences it.
    let sam = "tests/data/templates/sam-gateway-target.yaml";
    let out = toolcontract()
        .args(["check", sam, "--cases", "8", "--color", "never", "--"])
        .arg(common::example("rt_echo"))
        .assert()
        .code(0);
    assert!(stdout_of(&out).contains("PASS  check_stock"));
    assert!(
        stderr_of(&out).contains(
            "the target name of ProductTarget is not known before deployment (`Ref` at \
             /Resources/ProductTarget/Properties/Name"
        ),
        "{}",
        stderr_of(&out)
    );
    let out = toolcontract()
        .args([
            "check",
            sam,
            "--cases",
            "8",
            "--target-name",
            "ProductTools",
            "--",
        ])
        .arg(common::example("rt_echo"))
        .assert()
        .code(0);
    assert!(!stderr_of(&out).contains("not known before deployment"));
}

#[test]
fn snapshot_takes_resource_too() {
    let dir = tempfile::tempdir().unwrap();
    toolcontract()
        .args([
            "snapshot",
            SEVERAL,
            "--resource",
            "InventoryTarget",
            "--accept",
            "--snapshots",
        ])
        .arg(dir.path())
        .arg("--")
        .arg(common::example("rt_echo"))
        .assert()
        .code(0);
    assert!(dir.path().join("stock_level.snap").is_file());
    toolcontract()
        .args(["snapshot", SEVERAL, "--snapshots"])
        .arg(dir.path())
        .args(["--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--resource LOGICAL_ID"));
}
