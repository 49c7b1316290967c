//! A Python handler run by the official runtime interface client (`python -m awslambdaric`)
//! against toolcontract's Runtime API. Needs `.venv` from `scripts/setup-python.sh`; without it
//! each test says so on stderr and passes without running.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{gateway_client_context, installed, invocation};
use serde_json::json;
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler};
use toolcontract::{Handler, Outcome};

/// A deadline for answers that must come: a safety limit no loaded machine misses.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The venv's Python, or `None` (with a message) when `scripts/setup-python.sh` has not run.
fn venv_python(test: &str) -> Option<PathBuf> {
    installed(
        test,
        ".venv/bin/python",
        "TOOLCONTRACT_REQUIRE_PYTHON",
        "scripts/setup-python.sh",
    )
}

fn python_handler(python: &Path, handler: &str) -> ProcessHandler {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/python");
    let config = ProcessConfig::new([
        python.as_os_str(),
        "-m".as_ref(),
        "awslambdaric".as_ref(),
        handler.as_ref(),
    ])
    .with_current_dir(dir)
    .with_function_name("python-tool");
    ProcessHandler::start(config).expect("the venv's python is executable")
}

#[tokio::test]
async fn a_python_handler_sees_the_client_context() {
    let Some(python) = venv_python("a_python_handler_sees_the_client_context") else {
        return;
    };
    let mut handler = python_handler(&python, "echo_context.handler");
    let event = json!({"keywords": "wireless headphones", "say": "hello from python"});
    let answer = handler
        .invoke(&invocation("py-1", event.clone(), TIMEOUT))
        .await;
    let Outcome::Response { body, .. } = &answer.outcome else {
        panic!("not a response: {answer:?}");
    };
    assert_eq!(body["custom"], gateway_client_context()["custom"]);
    assert_eq!(body["request_id"], "py-1");
    assert_eq!(
        body["invoked_function_arn"],
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler"
    );
    assert_eq!(body["function_name"], "python-tool");
    let remaining = body["remaining_ms"].as_u64().unwrap();
    assert!(
        remaining > 0 && u128::from(remaining) <= TIMEOUT.as_millis(),
        "{remaining}"
    );
    let text = body["content"][0]["text"].as_str().unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(text).unwrap(),
        event
    );
    assert!(
        answer.logs.iter().any(|l| l == "hello from python"),
        "{:?}",
        answer.logs
    );

    // Warm: the same process answers the next case.
    let pid = handler.pid();
    let again = handler
        .invoke(&invocation("py-2", json!({}), TIMEOUT))
        .await;
    assert_eq!(again.outcome.label(), "response");
    assert_eq!(handler.pid(), pid);
}

#[tokio::test]
async fn a_python_exception_is_a_function_error() {
    let Some(python) = venv_python("a_python_exception_is_a_function_error") else {
        return;
    };
    let mut handler = python_handler(&python, "echo_context.handler");
    let answer = handler
        .invoke(&invocation(
            "py-1",
            json!({"raise": "no such order"}),
            TIMEOUT,
        ))
        .await;
    assert_eq!(
        answer.outcome,
        Outcome::FunctionError {
            error_type: "ValueError".into(),
            error_message: "no such order".into(),
        }
    );
    let again = handler
        .invoke(&invocation("py-2", json!({}), TIMEOUT))
        .await;
    assert_eq!(again.outcome.label(), "response");
    assert_eq!(handler.stats().cold_starts, 1);
}

#[tokio::test]
async fn a_python_handler_that_cannot_load_is_an_init_error() {
    let Some(python) = venv_python("a_python_handler_that_cannot_load_is_an_init_error") else {
        return;
    };
    let mut handler = python_handler(&python, "no_such_module.handler");
    let answer = handler
        .invoke(&invocation("py-1", json!({}), TIMEOUT))
        .await;
    let Outcome::InitError {
        error_type,
        error_message,
    } = &answer.outcome
    else {
        panic!("not an init error: {answer:?}");
    };
    assert_eq!(error_type, "Runtime.ImportModuleError");
    assert!(error_message.contains("no_such_module"), "{error_message}");
}
