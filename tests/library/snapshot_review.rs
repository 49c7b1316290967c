//! Snapshot review in `cargo test`: the cases, the file format (the same bytes insta writes),
//! redaction, determinism, and what a changed output does under insta's rules (pending files
//! on a developer machine, nothing written on CI, `INSTA_UPDATE=always` accepting).
//!
//! The insta behaviours depend on the environment, so they run in a child process (this test
//! binary again, running only `child_asserts_a_changed_calculator`) with a controlled
//! environment and a temporary snapshot folder: nothing is ever written into the repository.

use crate::common;

#[path = "../../examples/calculator/handler.rs"]
mod calculator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use toolcontract::runner::DEFAULT_SEED;
use toolcontract::snapshot::{
    self, Reply, SnapshotSettings, ToolSnapshot, Tools, read_contents, render_file,
};
use toolcontract::{ActionGroup, Gateway, InProcess, SchemaGenerator};

const CALCULATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);
const BOOKINGS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/agents_bookings/action-group.json"
);
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/calculator");

/// The child's snapshot folder (set only in the child process).
const CHILD_DIR: &str = "TOOLCONTRACT_SNAPSHOT_TEST_DIR";

/// The calculator with two behaviour changes a reviewer must see: `get_order` says "sent"
/// instead of "shipped", and `divide` flags its successes as errors.
async fn changed_calculator(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let mut answer = calculator::handler(event).await?;
    if let Some(text) = answer.pointer_mut("/content/0/text")
        && let Some(s) = text.as_str()
    {
        *text = Value::from(s.replace("shipped", "sent"));
    }
    if answer["content"][0]["text"]
        .as_str()
        .is_some_and(|t| t.parse::<f64>().is_ok())
        && answer.get("isError").is_none()
    {
        answer["isError"] = json!(true);
    }
    Ok(answer)
}

/// Not a test of its own: the child process of the tests below (it does nothing unless run by
/// them).
#[test]
#[ignore = "run by the other tests of this file, in a child process with a controlled environment"]
fn child_asserts_a_changed_calculator() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let gateway = Gateway::from_path(CALCULATOR)
        .unwrap()
        .only_tools(["divide", "get_order"])
        .unwrap();
    toolcontract::assert_tool_snapshots!(
        gateway,
        service_fn(changed_calculator),
        SnapshotSettings::new().snapshot_dir(PathBuf::from(dir))
    );
}

/// Copies the committed calculator snapshots into a temporary folder.
fn committed_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for tool in ["add", "divide", "get_order"] {
        std::fs::copy(
            Path::new(COMMITTED).join(format!("{tool}.snap")),
            dir.path().join(format!("{tool}.snap")),
        )
        .unwrap();
    }
    dir
}

/// Runs the child against `dir` with only `env` set of the variables insta reads.
fn run_child(dir: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "--exact",
        "snapshot_review::child_asserts_a_changed_calculator",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for var in [
        "CI",
        "TF_BUILD",
        "INSTA_UPDATE",
        "INSTA_FORCE_PASS",
        "INSTA_OUTPUT",
        "INSTA_PENDING_DIR",
        "INSTA_WORKSPACE_ROOT",
        "RUST_BACKTRACE",
    ] {
        command.env_remove(var);
    }
    command.env(CHILD_DIR, dir);
    for (key, value) in env {
        command.env(key, value);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.success(), text)
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The label of a case of `tool` whose event satisfies `pick`.
fn label_where(tool: &str, pick: impl Fn(&Value) -> bool) -> String {
    let gateway = Gateway::from_path(CALCULATOR).unwrap();
    let plan = snapshot::plan(Tools::Gateway(&gateway), &SnapshotSettings::new()).unwrap();
    let cases = &plan.iter().find(|t| t.tool == tool).unwrap().cases;
    cases
        .iter()
        .find(|c| pick(&c.invocation.event))
        .unwrap_or_else(|| panic!("no case of {tool} fits"))
        .label
        .clone()
}

#[test]
fn a_changed_word_and_a_flipped_is_error_fail_naming_tool_case_and_field() {
    let dir = committed_copy();
    let (passed, output) = run_child(dir.path(), &[("CI", "false")]);
    assert!(!passed, "{output}");
    let shipped = label_where("get_order", |e| {
        e["order_id"].as_str().is_some_and(|s| !s.is_empty())
    });
    let divided = label_where("divide", |e| e["b"].as_f64().is_some_and(|b| b != 0.0));
    for expected in [
        "toolcontract: the snapshots of 2 of 2 tools do not match",
        "tool `get_order`: output changed",
        &format!("  case `{shipped}`\n    field /agent/content/0/text\n      - \"order "),
        "    field /response/content/0/text\n      - \"order ",
        "shipped",
        "sent",
        "tool `divide`: output changed",
        &format!("  case `{divided}`\n    field /agent/isError\n      - (absent)\n      + true"),
        "    field /response/isError\n      - (absent)\n      + true",
        "cargo insta review",
    ] {
        assert!(
            output.contains(expected),
            "missing {expected:?} in:\n{output}"
        );
    }
    // The summary (a line per tool, what was written) comes before the diffs.
    let summary = output
        .find("  divide     changed (")
        .unwrap_or_else(|| panic!("no summary line for divide in:\n{output}"));
    assert!(
        output[summary..].starts_with(&format!(
            "  divide     changed (2 fields), pending in {}/divide.snap.new\n  get_order  \
             changed (8 fields), pending in {}/get_order.snap.new\nReview with",
            dir.path().display(),
            dir.path().display()
        )),
        "{output}"
    );
    assert!(summary < output.find("tool `divide`: output changed").unwrap());
    // On a developer machine: pending files beside the untouched accepted ones.
    assert_eq!(
        files(dir.path()),
        [
            "add.snap",
            "divide.snap",
            "divide.snap.new",
            "get_order.snap",
            "get_order.snap.new"
        ]
    );
    for tool in ["divide", "get_order"] {
        let committed = std::fs::read(Path::new(COMMITTED).join(format!("{tool}.snap"))).unwrap();
        let kept = std::fs::read(dir.path().join(format!("{tool}.snap"))).unwrap();
        assert_eq!(committed, kept, "{tool}.snap was changed");
    }
    let pending =
        std::fs::read_to_string(dir.path().join("get_order.snap.new")).expect("a pending file");
    assert!(pending.contains(": sent"), "{pending}");
    // insta reads the pending file as a snapshot (what `cargo insta review` shows).
    let parsed = insta::Snapshot::from_file(&dir.path().join("get_order.snap.new")).unwrap();
    assert_eq!(
        parsed.metadata().description(),
        Some("toolcontract snapshot of tool get_order: the event and response of each case")
    );
}

#[test]
fn a_first_run_prints_one_summary_and_writes_pending_files() {
    let dir = tempfile::tempdir().unwrap();
    let (passed, output) = run_child(dir.path(), &[("CI", "false")]);
    assert!(!passed, "{output}");
    // One summary, a line per tool, and no snapshot bodies (they are in the pending files).
    assert_eq!(output.matches("do not match").count(), 1, "{output}");
    assert!(output.contains("  divide     new ("), "{output}");
    assert!(output.contains("  get_order  new ("), "{output}");
    assert!(!output.contains("\"case\":"), "{output}");
    // The panic names the test's own line, not the library's.
    assert!(
        output.contains("tests/library/snapshot_review.rs:"),
        "{output}"
    );
    assert_eq!(files(dir.path()), ["divide.snap.new", "get_order.snap.new"]);
}

#[test]
fn insta_force_pass_passes_and_still_writes_pending_files() {
    let dir = committed_copy();
    let (passed, output) = run_child(dir.path(), &[("CI", "false"), ("INSTA_FORCE_PASS", "1")]);
    assert!(passed, "{output}");
    assert!(files(dir.path()).contains(&"divide.snap.new".to_owned()));
}

#[test]
fn on_ci_a_changed_output_fails_and_writes_nothing() {
    let dir = committed_copy();
    let (passed, output) = run_child(dir.path(), &[("CI", "true")]);
    assert!(!passed, "{output}");
    assert!(output.contains("field /response/isError"), "{output}");
    assert_eq!(
        files(dir.path()),
        ["add.snap", "divide.snap", "get_order.snap"]
    );
}

#[test]
fn insta_update_always_accepts_the_changed_output() {
    let dir = committed_copy();
    let (passed, output) = run_child(dir.path(), &[("CI", "true"), ("INSTA_UPDATE", "always")]);
    assert!(passed, "{output}");
    assert_eq!(
        files(dir.path()),
        ["add.snap", "divide.snap", "get_order.snap"]
    );
    let accepted = std::fs::read_to_string(dir.path().join("get_order.snap")).unwrap();
    assert!(accepted.contains(": sent") && !accepted.contains("shipped"));
    // And then the same output passes.
    let (passed, output) = run_child(dir.path(), &[("CI", "true")]);
    assert!(passed, "{output}");
}

async fn take(tools: Tools<'_>, settings: &SnapshotSettings) -> Vec<ToolSnapshot> {
    let plan = snapshot::plan(tools, settings).unwrap();
    let mut handler = InProcess::new(service_fn(calculator::handler));
    snapshot::record(&plan, &mut handler, settings)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_file_is_the_bytes_insta_writes_and_runs_are_identical() {
    let gateway = Gateway::from_path(CALCULATOR).unwrap();
    let first = take(Tools::Gateway(&gateway), &SnapshotSettings::new()).await;
    let second = take(Tools::Gateway(&gateway), &SnapshotSettings::new()).await;
    assert_eq!(first, second);
    for snapshot in &first {
        // The committed files were written by insta's own runtime (tests/library/snapshot_examples.rs).
        let committed = Path::new(COMMITTED).join(snapshot.file_name());
        let written = render_file(snapshot, "tests/library/snapshot_examples.rs");
        assert_eq!(
            std::fs::read_to_string(&committed).unwrap(),
            written,
            "{}",
            snapshot.tool
        );
        assert_eq!(
            read_contents(&committed).unwrap().as_deref(),
            Some(snapshot.contents().as_str())
        );
    }
    let names: Vec<&str> = first.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["add", "divide", "get_order"]);
}

#[test]
fn cases_are_boundary_values_then_seeded_values_each_labelled() {
    let gateway = Gateway::from_path(CALCULATOR).unwrap();
    let plan = snapshot::plan(Tools::Gateway(&gateway), &SnapshotSettings::new()).unwrap();
    let definition = toolcontract::Definition::from_path(CALCULATOR).unwrap();
    for (tool, declared) in plan.iter().zip(&definition.tools) {
        // Whatever the generator's boundary values are, they come first, in its order and
        // with its labels; then up to 3 seeded values (fewer when one repeats a value).
        let boundary: Vec<String> = SchemaGenerator::new(&declared.input_schema)
            .unwrap()
            .boundary_values()
            .into_iter()
            .map(|v| v.label)
            .collect();
        let labels: Vec<&str> = tool.cases.iter().map(|c| c.label.as_str()).collect();
        assert!(labels.len() > boundary.len(), "{labels:?}");
        assert!(labels.len() <= boundary.len() + 3, "{labels:?}");
        for (label, expected) in labels.iter().zip(&boundary) {
            assert!(label.starts_with(expected.as_str()), "{labels:?}");
        }
        for label in &labels[boundary.len()..] {
            assert!(label.starts_with("generated "), "{labels:?}");
        }
        // The Gateway's event is the arguments; the context carries the tool name.
        for case in &tool.cases {
            let invocation = &case.invocation;
            assert!(invocation.event.is_object());
            assert_eq!(
                invocation.client_context.as_ref().unwrap().to_value()["custom"]["bedrockAgentCoreToolName"],
                format!("toolcontract-target___{}", tool.tool)
            );
        }
    }
    // Seeded case N is case N-1 of `check` (its label names the case seed), e.g. the first
    // case of `add` is `generated 1 (seed 0xd7404a756a842f65)` unless a boundary value
    // already had its arguments.
    for tool in &plan {
        for case in &tool.cases {
            let Some(rest) = case.label.strip_prefix("generated ") else {
                continue;
            };
            let (n, seed) = rest.split_once(" (seed ").unwrap();
            let index = n.parse::<u32>().unwrap() - 1;
            let expected = toolcontract::runner::case_seed(DEFAULT_SEED, &tool.tool, index);
            assert_eq!(seed, format!("{expected:#018x})"), "{}", case.label);
        }
    }
    assert_eq!(
        toolcontract::runner::case_seed(DEFAULT_SEED, "add", 0),
        0xd740_4a75_6a84_2f65
    );
    // More seeded values on request, after the same first ones; a different run seed gives
    // different cases.
    let more = snapshot::plan(
        Tools::Gateway(&gateway),
        &SnapshotSettings::new().generated(6),
    )
    .unwrap();
    assert!(more[0].cases.len() >= plan[0].cases.len());
    assert_eq!(more[0].cases[..plan[0].cases.len()], plan[0].cases[..]);
    let reseeded = gateway.seed(7);
    let other = snapshot::plan(Tools::Gateway(&reseeded), &SnapshotSettings::new()).unwrap();
    assert_ne!(other[0].cases, plan[0].cases);
}

#[test]
fn action_group_cases_carry_the_full_event_envelope() {
    let group = ActionGroup::from_path(BOOKINGS).unwrap();
    let plan = snapshot::plan(Tools::ActionGroup(&group), &SnapshotSettings::new()).unwrap();
    let tools: Vec<&str> = plan.iter().map(|t| t.tool.as_str()).collect();
    assert_eq!(tools, ["get_booking", "create_booking", "cancel_booking"]);
    for tool in &plan {
        for case in &tool.cases {
            let event = &case.invocation.event;
            assert_eq!(event["messageVersion"], "1.0");
            assert_eq!(event["actionGroup"], "BookingsActionGroup");
            assert_eq!(event["function"], tool.tool);
            assert!(event["parameters"].is_array(), "{event}");
        }
        assert_eq!(
            tool.info.action_group.as_deref(),
            Some("BookingsActionGroup")
        );
        assert_eq!(tool.info.envelope.as_deref(), Some("function_details"));
    }
}

/// Echoes what varies from run to run: the request ids, the deadline, the clock.
async fn echo_volatile(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let context = &event.context;
    let custom = context
        .client_context
        .as_ref()
        .map(|c| c.custom.clone())
        .unwrap_or_default();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    Ok(json!({
        "content": [{"type": "text", "text": format!(
            "request {} (gateway {}) until {} at {}",
            context.request_id, custom["bedrockAgentCoreAwsRequestId"], context.deadline, now_ms / 1000
        )}],
        "structuredContent": {
            "requestId": context.request_id,
            "deadline": context.deadline,
            "createdAt": "order-created-at-some-point",
            "arguments": event.payload,
        },
        "_meta": {"elapsedMs": 3},
    }))
}

#[tokio::test]
async fn request_ids_deadlines_clocks_and_named_paths_are_redacted() {
    // The strict profile: the snapshot's response keeps only what an MCP client reads.
    let gateway = Gateway::from_path(CALCULATOR)
        .unwrap()
        .profile(toolcontract::Profile::Mcp)
        .only_tools(["add"])
        .unwrap();
    let settings = SnapshotSettings::new()
        .generated(1)
        .redact("/structuredContent/createdAt");
    let plan = snapshot::plan(Tools::Gateway(&gateway), &settings).unwrap();
    let mut handler = InProcess::new(service_fn(echo_volatile));
    let snapshots = snapshot::record(&plan, &mut handler, &settings)
        .await
        .unwrap();
    let entry = snapshots[0].entries.last().unwrap();
    let Reply::Response(response) = &entry.reply else {
        panic!("{entry:?}");
    };
    // Only what the agent reads (no `_meta`), volatile values replaced, arguments kept.
    assert_eq!(
        response,
        &json!({
            "content": [{"type": "text", "text":
                "request [request_id] (gateway [request_id]) until [timestamp] at [timestamp]"}],
            "structuredContent": {
                "arguments": entry.event,
                "createdAt": "[redacted]",
                "deadline": "[timestamp]",
                "requestId": "[request_id]",
            }
        })
    );
    // What the agent receives (the answer passed through, `_meta` and all) is redacted alike.
    let agent = entry.agent.as_ref().unwrap();
    assert_eq!(agent["structuredContent"]["createdAt"], "[redacted]");
    assert_eq!(agent["structuredContent"]["requestId"], "[request_id]");
    assert_eq!(agent["_meta"], json!({"elapsedMs": 3}));
    // So two runs agree byte for byte.
    let mut handler = InProcess::new(service_fn(echo_volatile));
    let again = snapshot::record(&plan, &mut handler, &settings)
        .await
        .unwrap();
    assert_eq!(again[0].contents(), snapshots[0].contents());
    // A redaction that is not a JSON Pointer is refused.
    let bad = SnapshotSettings::new().redact("structuredContent");
    let mut handler = InProcess::new(service_fn(echo_volatile));
    let error = snapshot::record(&plan, &mut handler, &bad)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("must start with `/`"), "{error}");
}

/// `.tools/bin/cargo-insta` from `scripts/setup-cargo-insta.sh`, or `None` (with a message)
/// when it has not run; on CI (`TOOLCONTRACT_REQUIRE_CARGO_INSTA`) its absence fails.
fn cargo_insta(test: &str) -> Option<PathBuf> {
    common::installed(
        test,
        ".tools/bin/cargo-insta",
        "TOOLCONTRACT_REQUIRE_CARGO_INSTA",
        "scripts/setup-cargo-insta.sh",
    )
}

/// `cargo insta review` itself, in a terminal (`script` gives it one), accepting each pending
/// file the library wrote with the `a` key; then the changed output passes.
#[test]
fn cargo_insta_review_accepts_the_files_the_library_writes() {
    let Some(cargo_insta) = cargo_insta("cargo_insta_review_accepts_the_files_the_library_writes")
    else {
        return;
    };
    // A throwaway package holding the snapshots, as a handler crate would.
    let package = tempfile::tempdir().unwrap();
    std::fs::write(
        package.path().join("Cargo.toml"),
        "[package]\nname = \"reviewed\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::create_dir(package.path().join("src")).unwrap();
    std::fs::write(package.path().join("src/lib.rs"), "").unwrap();
    let snapshots = package.path().join("snapshots");
    std::fs::create_dir(&snapshots).unwrap();
    for tool in ["add", "divide", "get_order"] {
        std::fs::copy(
            Path::new(COMMITTED).join(format!("{tool}.snap")),
            snapshots.join(format!("{tool}.snap")),
        )
        .unwrap();
    }
    let (passed, output) = run_child(&snapshots, &[("CI", "false")]);
    assert!(!passed, "{output}");
    let manifest = package.path().join("Cargo.toml");
    // cargo-insta finds exactly the library's pending files.
    let pending = Command::new(&cargo_insta)
        .args(["pending-snapshots", "--as-json", "--manifest-path"])
        .arg(&manifest)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&pending.stdout);
    assert!(pending.status.success(), "{listed}");
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains("snapshots/divide.snap\""), "{listed}");
    assert!(listed.contains("snapshots/get_order.snap\""), "{listed}");
    // The interactive review, answered with `a` (accept) twice.
    let mut review = Command::new("script")
        .args(["--quiet", "--return", "--command"])
        .arg(format!(
            "{} review --manifest-path {}",
            cargo_insta.display(),
            manifest.display()
        ))
        .arg("/dev/null")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .env("TERM", "dumb")
        .spawn()
        .expect("`script` (util-linux) runs");
    use std::io::Write as _;
    review.stdin.take().unwrap().write_all(b"aa").unwrap();
    let reviewed = review.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&reviewed.stdout);
    assert!(reviewed.status.success(), "{shown}");
    assert!(shown.contains("insta review finished"), "{shown}");
    assert_eq!(
        files(&snapshots),
        ["add.snap", "divide.snap", "get_order.snap"]
    );
    let accepted = std::fs::read_to_string(snapshots.join("get_order.snap")).unwrap();
    assert!(accepted.contains(": sent") && !accepted.contains("shipped"));
    // The accepted files are read back by the library: the same output now passes on CI.
    let (passed, output) = run_child(&snapshots, &[("CI", "true")]);
    assert!(passed, "{output}");
}
