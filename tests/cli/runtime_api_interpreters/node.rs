//! Node.js handlers run by the official runtime interface client
//! (`node_modules/.bin/aws-lambda-ric module.handler`) against toolcontract's Runtime API:
//! through [`ProcessHandler`] (the library), and through `toolcontract check` (the command
//! line) on the calculator of `examples/node/calculator`. Needs `examples/node/node_modules`
//! from `scripts/setup-node.sh`; without it each test says so on stderr and passes without
//! running, unless `TOOLCONTRACT_REQUIRE_NODE` is set (as in CI).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::{Value, json};
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler};
use toolcontract::{Handler, Invocation, Outcome};

use crate::common::{gateway_client_context, installed, invocation};

/// A deadline for answers that must come: a safety limit no loaded machine misses.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The examples' directory, where `package.json` and `node_modules` are.
fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/node")
}

/// The runtime interface client's command, or `None` (with a message) when
/// `scripts/setup-node.sh` has not run.
fn aws_lambda_ric(test: &str) -> Option<PathBuf> {
    installed(
        test,
        "examples/node/node_modules/.bin/aws-lambda-ric",
        "TOOLCONTRACT_REQUIRE_NODE",
        "scripts/setup-node.sh",
    )
}

fn node_handler(ric: &Path, handler: &str) -> ProcessHandler {
    let config = ProcessConfig::new([ric.as_os_str(), handler.as_ref()])
        .with_current_dir(examples())
        .with_function_name("node-tool");
    ProcessHandler::start(config).expect("aws-lambda-ric is executable")
}

/// The six `custom` keys the Gateway documents (contract-facts.md section 1).
const GATEWAY_KEYS: [&str; 6] = [
    "bedrockAgentCoreMessageVersion",
    "bedrockAgentCoreAwsRequestId",
    "bedrockAgentCoreMcpMessageId",
    "bedrockAgentCoreGatewayId",
    "bedrockAgentCoreTargetId",
    "bedrockAgentCoreToolName",
];

#[tokio::test]
async fn a_node_handler_sees_the_client_context() {
    let Some(ric) = aws_lambda_ric("a_node_handler_sees_the_client_context") else {
        return;
    };
    let mut handler = node_handler(&ric, "echo_context.handler");
    let event = json!({"keywords": "wireless headphones", "say": "hello from node"});
    let answer = handler
        .invoke(&invocation("node-1", event.clone(), TIMEOUT))
        .await;
    let Outcome::Response { body, .. } = &answer.outcome else {
        panic!("not a response: {answer:?}");
    };
    // The header, JSON-parsed whole: `context.clientContext.custom` is an object holding the
    // six documented keys, as sent, and nothing else.
    let sent = gateway_client_context();
    let custom = body["client_context"]["custom"].as_object().unwrap();
    assert_eq!(custom.len(), 6, "{custom:?}");
    for key in GATEWAY_KEYS {
        assert_eq!(custom[key], sent["custom"][key], "{key}");
    }
    assert_eq!(
        custom["bedrockAgentCoreToolName"],
        "LambdaUsingSDK___get_order_tool"
    );
    assert_eq!(body["client_context"], sent);
    assert_eq!(body["request_id"], "node-1");
    assert_eq!(
        body["invoked_function_arn"],
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler"
    );
    // From the environment, as text (AWS_LAMBDA_FUNCTION_MEMORY_SIZE).
    assert_eq!(body["function_name"], "node-tool");
    assert_eq!(body["memory_limit_in_mb"], "128");
    let remaining = body["remaining_ms"].as_i64().unwrap();
    assert!(
        remaining > 0 && remaining <= TIMEOUT.as_millis() as i64,
        "{remaining}"
    );
    let text = body["content"][0]["text"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), event);
    // console.log is patched: `<ISO time>\t<request id>\tINFO\t<message>`.
    assert!(
        answer
            .logs
            .iter()
            .any(|l| l.ends_with("\tnode-1\tINFO\thello from node")),
        "{:?}",
        answer.logs
    );

    // Warm: the same process answers the next case.
    let pid = handler.pid();
    let again = handler
        .invoke(&invocation("node-2", json!({}), TIMEOUT))
        .await;
    assert_eq!(again.outcome.response().unwrap()["request_id"], "node-2");
    assert_eq!(handler.pid(), pid);
    assert_eq!(handler.stats().cold_starts, 1);
}

#[tokio::test]
async fn a_node_handler_gets_custom_values_that_are_objects_and_no_context_as_undefined() {
    let Some(ric) = aws_lambda_ric(
        "a_node_handler_gets_custom_values_that_are_objects_and_no_context_as_undefined",
    ) else {
        return;
    };
    let mut handler = node_handler(&ric, "echo_context.handler");
    // Header propagation (AWS sample READMEs): an object inside `custom`. Unlike Rust's
    // lambda_runtime (a string->string map), the Node client passes any JSON through.
    let mut context = gateway_client_context();
    context["custom"]["bedrockAgentCorePropagatedHeaders"] = json!({"x-tenant-id": "tenant-7"});
    let with_object = Invocation::new(
        "node-1",
        json!({}),
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler",
        TIMEOUT,
    )
    .with_client_context(context);
    let answer = handler.invoke(&with_object).await;
    let body = answer.outcome.response().expect("a response");
    assert_eq!(
        body["client_context"]["custom"]["bedrockAgentCorePropagatedHeaders"]["x-tenant-id"],
        "tenant-7"
    );
    assert_eq!(
        body["client_context"]["custom"]["bedrockAgentCoreTargetId"],
        "TGT0123456"
    );

    // No header at all: `context.clientContext` is undefined (echoed as null).
    let without = Invocation::new(
        "node-2",
        json!({}),
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler",
        TIMEOUT,
    );
    let answer = handler.invoke(&without).await;
    let body = answer.outcome.response().expect("a response");
    assert_eq!(body["client_context"], Value::Null);
    assert_eq!(body["request_id"], "node-2");
}

#[tokio::test]
async fn a_node_error_is_a_function_error() {
    let Some(ric) = aws_lambda_ric("a_node_error_is_a_function_error") else {
        return;
    };
    let mut handler = node_handler(&ric, "echo_context.handler");
    // Thrown from an async handler: `{errorType: error.name, errorMessage: error.message}`.
    let thrown = handler
        .invoke(&invocation(
            "node-1",
            json!({"throw": "no such order"}),
            TIMEOUT,
        ))
        .await;
    assert_eq!(
        thrown.outcome,
        Outcome::FunctionError {
            error_type: "Error".into(),
            error_message: "no such order".into(),
        }
    );
    let rejected = handler
        .invoke(&invocation(
            "node-2",
            json!({"reject": "a is not a number"}),
            TIMEOUT,
        ))
        .await;
    assert_eq!(
        rejected.outcome,
        Outcome::FunctionError {
            error_type: "TypeError".into(),
            error_message: "a is not a number".into(),
        }
    );
    // The process lives on: an error is per invocation.
    let again = handler
        .invoke(&invocation("node-3", json!({}), TIMEOUT))
        .await;
    assert_eq!(again.outcome.response().unwrap()["request_id"], "node-3");
    assert_eq!(handler.stats().cold_starts, 1);
}

#[tokio::test]
async fn a_node_handler_that_cannot_load_is_an_init_error() {
    let Some(ric) = aws_lambda_ric("a_node_handler_that_cannot_load_is_an_init_error") else {
        return;
    };
    let mut handler = node_handler(&ric, "no_such_module.handler");
    let answer = handler
        .invoke(&invocation("node-1", json!({}), TIMEOUT))
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

// The command line, on examples/node/calculator.

const CALCULATOR: &str = "examples/node/calculator/tools.json";

/// `toolcontract check CALCULATOR --cases 64 --format json --cwd examples/node/calculator --
/// ../node_modules/.bin/aws-lambda-ric HANDLER`: the exit status and the JSON report.
fn check_calculator(handler: &str) -> (i32, Value) {
    let output = Command::cargo_bin("toolcontract")
        .expect("the binary is built")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", CALCULATOR, "--cases", "64", "--format", "json"])
        .args(["--cwd", "examples/node/calculator", "--"])
        .args(["../node_modules/.bin/aws-lambda-ric", handler])
        .output()
        .expect("toolcontract runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("an exit status"), report)
}

/// Each finding's check, tool, and the other tools it stands for.
fn findings(report: &Value) -> Vec<(String, String, Value)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_owned(),
                f["subject"].as_str().unwrap().to_owned(),
                f["also"].clone(),
            )
        })
        .collect()
}

#[test]
fn check_passes_the_correct_node_calculator() {
    if aws_lambda_ric("check_passes_the_correct_node_calculator").is_none() {
        return;
    }
    let (status, report) = check_calculator("app.handler");
    assert_eq!(findings(&report), [], "{report:#}");
    assert_eq!(status, 0);
    // 3 tools x 64 cases + 16 undeclared-tool cases.
    assert_eq!(report["totals"]["cases"], 3 * 64 + 16);
}

#[test]
fn check_reports_the_split_at_the_last_underscore_as_get_order_unreachable() {
    if aws_lambda_ric("check_reports_the_split_at_the_last_underscore_as_get_order_unreachable")
        .is_none()
    {
        return;
    }
    let (status, report) = check_calculator("app_split_on_last_underscore.handler");
    // add and divide have no underscore: only get_order is lost.
    assert_eq!(
        findings(&report),
        [(
            "tool_reachable".to_owned(),
            "get_order".to_owned(),
            Value::Null
        )],
        "{report:#}"
    );
    assert_eq!(status, 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["failing_cases"], finding["cases_run"]);
    assert_eq!(finding["cases_run"], 64);
    // The minimal case: the tool name as the Gateway sends it, the handler's answer.
    let case = &finding["case"];
    assert_eq!(
        case["invocations"][0]["client_context"]["custom"]["bedrockAgentCoreToolName"],
        "toolcontract-target___get_order"
    );
    let answer = &case["answers"][0]["outcome"];
    assert_eq!(answer["kind"], "response", "{finding:#}");
    assert_eq!(answer["body"]["isError"], true);
    assert_eq!(answer["body"]["content"][0]["text"], "unknown tool 'order'");
}

#[test]
fn check_reports_a_node_handler_that_throws_as_no_function_error() {
    if aws_lambda_ric("check_reports_a_node_handler_that_throws_as_no_function_error").is_none() {
        return;
    }
    let (status, report) = check_calculator("app_api_gateway_body.handler");
    // One finding for the three tools (every case crashes the same way), and a warning: an
    // undeclared name crashes it too.
    assert_eq!(
        findings(&report),
        [
            (
                "no_function_error".to_owned(),
                "add".to_owned(),
                json!(["divide", "get_order"])
            ),
            (
                "unknown_tool_rejected".to_owned(),
                "(undeclared tool)".to_owned(),
                Value::Null
            )
        ],
        "{report:#}"
    );
    assert_eq!(status, 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["failing_cases"], 64);
    assert_eq!(finding["cases_run"], 64);
    // What /error received, from the runtime interface client's Errors.toRapidResponse.
    let answer = &finding["case"]["answers"][0];
    assert_eq!(
        answer["outcome"],
        json!({
            "kind": "function_error",
            "error_type": "SyntaxError",
            "error_message": "\"undefined\" is not valid JSON",
        })
    );
    // The client logs the error as it posts it: `<time>\t<request id>\tERROR\tInvoke Error ...`.
    let request_id = finding["case"]["invocations"][0]["request_id"]
        .as_str()
        .unwrap();
    let logs: Vec<&str> = answer["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        logs.iter().any(
            |l| l.contains(&format!("\t{request_id}\tERROR\tInvoke Error "))
                && l.contains("app_api_gateway_body.mjs")
        ),
        "{logs:?}"
    );
    assert_eq!(report["findings"][1]["severity"], "warning");
}
