//! `toolcontract` on Gateway interceptors: the example interceptors in Python
//! (`examples/interceptors/interceptors.py`), two correct and five with the classic bugs, each
//! checked through the Runtime API as `check` runs any handler; lint, event and the flags an
//! interceptor definition refuses.

use std::path::{Path, PathBuf};

use serde_json::Value;
use toolcontract::Contract;

use crate::cli::toolcontract;
use crate::common;

const DEFINITION: &str = "examples/interceptors/interceptors.json";

fn venv_python(test: &str) -> Option<PathBuf> {
    common::installed(
        test,
        ".venv/bin/python",
        "TOOLCONTRACT_REQUIRE_PYTHON",
        "scripts/setup-python.sh",
    )
}

/// `check` of the interceptor `name` of interceptors.py: its exit status and JSON report.
fn check(python: &Path, name: &str) -> (i32, Value) {
    let out = toolcontract()
        .args([
            "check",
            DEFINITION,
            "--cases",
            "24",
            "--format",
            "json",
            "--cwd",
            "examples/interceptors",
            "--",
        ])
        .arg(python)
        .args(["-m", "awslambdaric", &format!("interceptors.{name}")])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: not a report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// The checks of a report's findings, with their subjects.
fn findings(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let check = f["check"].as_str().unwrap().to_owned();
            let mut subjects = vec![f["subject"].as_str().unwrap().to_owned()];
            if let Some(also) = f["also"].as_array() {
                subjects.extend(also.iter().filter_map(|s| s.as_str().map(str::to_owned)));
            }
            subjects.into_iter().map(move |s| (check.clone(), s))
        })
        .collect();
    out.sort();
    out
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = expected
        .iter()
        .map(|(c, s)| ((*c).to_owned(), (*s).to_owned()))
        .collect();
    out.sort();
    out
}

#[test]
fn the_correct_interceptors_pass() {
    let Some(python) = venv_python("the_correct_interceptors_pass") else {
        return;
    };
    for name in ["passthrough", "authorize"] {
        let (code, report) = check(&python, name);
        assert_eq!(code, 0, "{name}: {:?}", findings(&report));
        assert!(findings(&report).is_empty(), "{name}");
        assert_eq!(report["run"]["profile"], "interceptor");
        assert_eq!(report["subjects"].as_array().unwrap().len(), 6);
    }
}

#[test]
fn each_classic_bug_is_found_and_named() {
    let Some(python) = venv_python("each_classic_bug_is_found_and_named") else {
        return;
    };
    let every = [
        "orders___get_order",
        "orders___cancel_order",
        "(initialize)",
        "(notifications/initialized)",
        "(tools/list)",
        "(ping)",
    ];
    let methods = [
        "(initialize)",
        "(notifications/initialized)",
        "(tools/list)",
        "(ping)",
    ];
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "invented_shape",
            every
                .iter()
                .flat_map(|s| {
                    [
                        ("interceptor_output_version", *s),
                        ("interceptor_output_shape", *s),
                    ]
                })
                .collect(),
        ),
        (
            "string_body",
            every
                .iter()
                .map(|s| ("interceptor_body_object", *s))
                .collect(),
        ),
        (
            "id_dropped",
            vec![("interceptor_id_preserved", "orders___cancel_order")],
        ),
        (
            "tools_call_only",
            methods.iter().map(|s| ("no_function_error", *s)).collect(),
        ),
        (
            "response_filter_breaks_tools_list",
            vec![
                ("interceptor_passthrough", "(initialize)"),
                ("interceptor_passthrough", "(tools/list)"),
            ],
        ),
    ];
    for (name, expected) in cases {
        let (code, report) = check(&python, name);
        assert_eq!(code, 1, "{name}");
        assert_eq!(findings(&report), pairs(&expected), "{name}");
    }
}

#[test]
fn lint_event_and_flags_of_an_interceptor_definition() {
    // Lint: the configuration is read when loaded; the target's tool file is linted as itself.
    let out = toolcontract().args(["lint", DEFINITION]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("examples/interceptors/orders-tools.json:/0/"),
        "{text}"
    );
    assert!(text.contains("in 2 file(s)"), "{text}");
    // Event: the REQUEST input of a tools/call.
    let out = toolcontract()
        .args([
            "event",
            DEFINITION,
            "--tool",
            "orders___get_order",
            "--seed",
            "7",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sample: Value = serde_json::from_slice(&out.stdout).unwrap();
    let body = &sample["event"]["mcp"]["gatewayRequest"]["body"];
    assert_eq!(body["method"], "tools/call");
    assert_eq!(body["params"]["name"], "orders___get_order");
    assert!(
        Contract::InterceptorInput
            .validator()
            .is_valid(&sample["event"])
    );
    // The declared name without its target is an unknown tool; flags of other contracts and
    // an unknown interceptor Lambda are refused: exit 2 with a message.
    for (args, message) in [
        (
            vec!["event", DEFINITION, "--tool", "get_order"],
            "unknown tool `get_order`",
        ),
        (
            vec!["check", DEFINITION, "--target-name", "x", "--", "true"],
            "--target-name applies to AgentCore Gateway target definitions",
        ),
        (
            vec!["check", DEFINITION, "--interceptor", "arn:x", "--", "true"],
            "configures no interceptor Lambda arn:x",
        ),
        (
            vec![
                "check",
                "examples/calculator/tools.json",
                "--interceptor",
                "arn:x",
                "--",
                "true",
            ],
            "--interceptor applies to interceptor definitions",
        ),
    ] {
        let out = toolcontract().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}
