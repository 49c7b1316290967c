//! `toolcontract snapshot`: the same snapshots for handler processes in any language, through
//! the Lambda Runtime API. Every run writes into a temporary folder, with the variables insta
//! reads (`CI`, `INSTA_UPDATE`) set explicitly.

use crate::common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use toolcontract::snapshot::{self, SnapshotSettings, Tools, read_contents};

const CALCULATOR: &str = "examples/calculator/tools.json";
const BOOKINGS: &str = "examples/agents_bookings/action-group.json";

/// The command, run from the repository, with no insta or `PROPTEST_*` variables from the
/// caller (the default `--cases` reads `PROPTEST_CASES`).
fn toolcontract() -> Command {
    let mut cmd = Command::cargo_bin("toolcontract").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in ["CI", "TF_BUILD", "INSTA_UPDATE"] {
        cmd.env_remove(var);
    }
    for var in common::proptest_vars() {
        cmd.env_remove(var);
    }
    cmd
}

fn snapshot(definition: &str, dir: &Path) -> Command {
    let mut cmd = toolcontract();
    cmd.args(["snapshot", definition, "--snapshots"]).arg(dir);
    cmd
}

fn example(name: &str) -> PathBuf {
    common::example(name)
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn accept_writes_what_the_library_writes_for_the_same_handler() {
    let dir = tempfile::tempdir().unwrap();
    let out = snapshot(CALCULATOR, dir.path())
        .arg("--accept")
        .arg("--")
        .arg(example("calculator"))
        .assert()
        .code(0);
    let text = stdout_of(&out);
    assert!(text.contains("accepted   add  (new, "), "{text}");
    assert!(
        text.contains("3 tools: 0 unchanged, 3 accepted, 0 to review"),
        "{text}"
    );
    assert_eq!(
        files(dir.path()),
        ["add.snap", "divide.snap", "get_order.snap"]
    );
    for tool in ["add", "divide", "get_order"] {
        // The process behind the Runtime API answers as the in-process handler did when the
        // committed snapshots were taken (tests/library/snapshot_examples.rs).
        let path = dir.path().join(format!("{tool}.snap"));
        let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots/calculator")
            .join(format!("{tool}.snap"));
        assert_eq!(
            read_contents(&path).unwrap(),
            read_contents(&committed).unwrap(),
            "{tool}"
        );
        // A file insta reads, whose header names the definition.
        let parsed = insta::Snapshot::from_file(&path).unwrap();
        assert_eq!(parsed.metadata().source(), Some(CALCULATOR));
        assert_eq!(parsed.metadata().expression(), None);
    }
}

#[test]
fn two_runs_write_byte_identical_files() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&first, &second] {
        snapshot(BOOKINGS, dir.path())
            .arg("--accept")
            .arg("--")
            .arg(example("agents_bookings"))
            .assert()
            .code(0);
    }
    assert_eq!(
        files(first.path()),
        [
            "cancel_booking.snap",
            "create_booking.snap",
            "get_booking.snap"
        ]
    );
    for name in files(first.path()) {
        assert_eq!(
            std::fs::read(first.path().join(&name)).unwrap(),
            std::fs::read(second.path().join(&name)).unwrap(),
            "{name}"
        );
    }
    // And they hold what the in-process library run committed.
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/agents_bookings");
    for name in files(first.path()) {
        assert_eq!(
            read_contents(&first.path().join(&name)).unwrap(),
            read_contents(&committed.join(&name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn check_passes_unchanged_output_and_fails_changed_output_with_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    snapshot(CALCULATOR, dir.path())
        .args(["--accept", "--"])
        .arg(example("calculator"))
        .assert()
        .code(0);
    let out = snapshot(CALCULATOR, dir.path())
        .args(["--check", "--"])
        .arg(example("calculator"))
        .assert()
        .code(0);
    assert!(
        stdout_of(&out).contains("3 tools: 3 unchanged, 0 accepted, 0 missing or changed"),
        "{}",
        stdout_of(&out)
    );
    // The classic bug: every answer is now `isError: true` with another text. (The first case
    // of `add`, whatever the generator makes it.)
    let gateway = toolcontract::Gateway::from_path(CALCULATOR).unwrap();
    let plan = snapshot::plan(Tools::Gateway(&gateway), &SnapshotSettings::new()).unwrap();
    let first = &plan[0].cases[0].label;
    let out = snapshot(CALCULATOR, dir.path())
        .args(["--check", "--tool", "add", "--"])
        .arg(example("tool_name_from_event"))
        .assert()
        .code(1);
    let text = stdout_of(&out);
    for expected in [
        "tool `add`: output changed",
        // What the agent receives changed, and the raw answer with it.
        &format!("  case `{first}`\n    field /agent/content/0/text\n      - \""),
        "    field /agent/isError\n      - (absent)\n      + true\n",
        "    field /response/content/0/text\n      - \"",
        "      + \"unknown tool None\"\n",
        "    field /response/isError\n      - (absent)\n      + true\n",
        "--check writes nothing; to accept this output, run",
        "--accept --tool add --",
        "1 tool: 0 unchanged, 0 accepted, 1 missing or changed",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Nothing was written.
    assert_eq!(
        files(dir.path()),
        ["add.snap", "divide.snap", "get_order.snap"]
    );
}

#[test]
fn check_fails_on_a_missing_snapshot_and_says_how_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = snapshot(CALCULATOR, dir.path())
        .args(["--check", "--tool", "divide", "--"])
        .arg(example("calculator"))
        .assert()
        .code(1);
    let text = stdout_of(&out);
    assert!(
        text.contains("tool `divide`: no accepted snapshot at "),
        "{text}"
    );
    assert!(
        text.contains("this tool has no snapshot yet; to accept this output, run\n    toolcontract snapshot examples/calculator/tools.json --snapshots "),
        "{text}"
    );
    assert!(text.contains(" --accept --tool divide -- "), "{text}");
    assert!(files(dir.path()).is_empty());
}

#[test]
fn by_default_changes_are_pending_on_a_developer_machine_and_unwritten_on_ci() {
    let dir = tempfile::tempdir().unwrap();
    snapshot(CALCULATOR, dir.path())
        .args(["--accept", "--tool", "get_order", "--"])
        .arg(example("calculator"))
        .assert()
        .code(0);
    // On CI: nothing written, exit 1.
    snapshot(CALCULATOR, dir.path())
        .env("CI", "true")
        .args(["--tool", "get_order", "--"])
        .arg(example("tool_name_from_event"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("nothing is written on CI"));
    assert_eq!(files(dir.path()), ["get_order.snap"]);
    // On a developer machine: a pending file for `cargo insta review`, exit 1.
    let out = snapshot(CALCULATOR, dir.path())
        .args(["--tool", "get_order", "--"])
        .arg(example("tool_name_from_event"))
        .assert()
        .code(1);
    assert!(
        stdout_of(&out).contains("get_order.snap.new: accept it with `cargo insta review`"),
        "{}",
        stdout_of(&out)
    );
    assert_eq!(files(dir.path()), ["get_order.snap", "get_order.snap.new"]);
    let pending = insta::Snapshot::from_file(&dir.path().join("get_order.snap.new")).unwrap();
    let body = pending.contents().as_text().unwrap().to_string();
    assert!(body.contains("\"isError\": true"), "{body}");
    // The unchanged handler again: it matches, and the stale pending file goes, as in insta.
    snapshot(CALCULATOR, dir.path())
        .args(["--tool", "get_order", "--"])
        .arg(example("calculator"))
        .assert()
        .code(0);
    assert_eq!(files(dir.path()), ["get_order.snap"]);
    // INSTA_UPDATE=always accepts, as in insta.
    snapshot(CALCULATOR, dir.path())
        .env("INSTA_UPDATE", "always")
        .args(["--tool", "get_order", "--"])
        .arg(example("tool_name_from_event"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("accepted   get_order  (changed"));
    let accepted = std::fs::read_to_string(dir.path().join("get_order.snap")).unwrap();
    assert!(accepted.contains("unknown tool None"), "{accepted}");
}

#[test]
fn unusable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let calculator = example("calculator");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["snapshot", "nope.json", "--"], "nope.json"),
        (
            vec!["snapshot", CALCULATOR, "--tool", "multiply", "--"],
            "unknown tool `multiply`",
        ),
        (
            vec!["snapshot", CALCULATOR, "--accept", "--check", "--"],
            "cannot be used with",
        ),
        (
            vec!["snapshot", CALCULATOR, "--redact", "content/0", "--"],
            "must start with `/`",
        ),
        (
            vec!["snapshot", BOOKINGS, "--target-name", "orders", "--"],
            "--target-name applies to AgentCore Gateway definitions",
        ),
        (
            vec!["snapshot", CALCULATOR, "--snapshots", "Cargo.toml", "--"],
            "not a directory",
        ),
    ];
    for (args, message) in cases {
        let mut cmd = toolcontract();
        cmd.args(&args[..args.len() - 1]);
        if !args.contains(&"--snapshots") {
            cmd.arg("--snapshots").arg(dir.path());
        }
        cmd.arg("--")
            .arg(&calculator)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    snapshot(CALCULATOR, dir.path())
        .args(["--", "./no-such-handler"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("handler command cannot be used"));
    snapshot(CALCULATOR, dir.path())
        .env("INSTA_UPDATE", "sometimes")
        .arg("--")
        .arg(&calculator)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("INSTA_UPDATE=sometimes"));
    toolcontract()
        .args(["snapshot", CALCULATOR])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("HANDLER COMMAND"));
    assert!(files(dir.path()).is_empty());
}

#[test]
fn snapshot_has_help_with_examples() {
    toolcontract()
        .args(["snapshot", "--help"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Examples:")
                .and(predicate::str::contains("--accept"))
                .and(predicate::str::contains("cargo insta review"))
                .and(predicate::str::contains("Exit status: 0")),
        );
}
