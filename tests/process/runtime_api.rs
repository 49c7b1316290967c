//! The Runtime API server and the process handler against real handler processes: the fixture
//! examples `rt_*` (built by `cargo test`, or by `common::example`).

use crate::common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{example, gateway_client_context, gone_within, invocation, process_exists};
use serde_json::{Value, json};
use toolcontract::handler::RESPONSE_SIZE_LIMIT;
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessError, ProcessHandler};
use toolcontract::{Answer, Handler, Outcome};

/// A deadline for answers that must come: a safety limit no loaded machine misses.
const TIMEOUT: Duration = Duration::from_secs(60);

fn handler(name: &str) -> ProcessHandler {
    ProcessHandler::start(ProcessConfig::new([example(name)])).expect("the fixture starts")
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

fn response(answer: &Answer) -> &Value {
    answer
        .outcome
        .response()
        .unwrap_or_else(|| panic!("not a response: {answer:?}"))
}

#[tokio::test]
async fn echo_answers_with_the_event() {
    let mut handler = handler("rt_echo");
    let event = json!({"keywords": "wireless headphones", "category": "electronics"});
    let answer = handler
        .invoke(&invocation("r1", event.clone(), TIMEOUT))
        .await;
    let text = event.to_string();
    let expected = json!({"content": [{"text": text}]});
    assert_eq!(
        answer.outcome,
        Outcome::Response {
            size: expected.to_string().len(),
            body: expected,
        }
    );
    assert!(answer.logs.is_empty(), "{:?}", answer.logs);
    assert!(answer.elapsed < TIMEOUT);
    let stats = handler.stats();
    assert_eq!(
        (stats.cold_starts, stats.restarts, stats.invocations),
        (1, 0, 1)
    );
}

#[tokio::test]
async fn a_warm_process_is_reused() {
    let mut handler = handler("rt_echo");
    handler.invoke(&invocation("r1", json!(1), TIMEOUT)).await;
    let pid = handler.pid().expect("a live process");
    for i in 2..=5 {
        let answer = handler
            .invoke(&invocation(&format!("r{i}"), json!(i), TIMEOUT))
            .await;
        assert_eq!(response(&answer)["content"][0]["text"], i.to_string());
    }
    assert_eq!(handler.pid(), Some(pid));
    let stats = handler.stats();
    assert_eq!(
        (stats.cold_starts, stats.restarts, stats.invocations),
        (1, 0, 5)
    );
}

#[tokio::test]
async fn each_answer_carries_the_output_of_its_own_invocation() {
    let mut handler = handler("rt_echo");
    let first = handler
        .invoke(&invocation(
            "r1",
            json!({"say": "one", "shout": "uno"}),
            TIMEOUT,
        ))
        .await;
    assert_eq!(first.logs, ["one", "uno"]);
    let second = handler
        .invoke(&invocation("r2", json!({"say": "two"}), TIMEOUT))
        .await;
    assert_eq!(second.logs, ["two"]);
    let third = handler.invoke(&invocation("r3", json!({}), TIMEOUT)).await;
    assert!(third.logs.is_empty(), "{:?}", third.logs);
}

#[tokio::test]
async fn the_client_context_reaches_lambda_runtime_intact() {
    let mut handler = handler("rt_client_context");
    let timeout = Duration::from_secs(7);
    let before = now_ms();
    let answer = handler
        .invoke(&invocation("req-cc", json!({}), timeout))
        .await;
    let after = now_ms();
    let body = response(&answer);
    assert_eq!(body["custom"], gateway_client_context()["custom"]);
    assert_eq!(body["request_id"], "req-cc");
    assert_eq!(
        body["invoked_function_arn"],
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler"
    );
    let trace = body["xray_trace_id"].as_str().unwrap();
    assert!(
        trace.starts_with("Root=1-") && trace.ends_with(";Sampled=0"),
        "{trace}"
    );
    // The deadline is in the future: now plus the invocation's timeout, set when /next answered.
    let deadline = body["deadline"].as_u64().unwrap();
    let window = (before + 7_000)..=(after + 7_000);
    assert!(window.contains(&deadline), "{deadline} not in {window:?}");
}

#[tokio::test]
async fn the_process_gets_the_lambda_environment() {
    let config = ProcessConfig::new([example("rt_client_context")])
        .with_function_name("order-tools")
        .with_memory_size_mb(512)
        .with_function_version("7");
    let mut handler = ProcessHandler::start(config).unwrap();
    let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    let body = response(&answer);
    assert_eq!(body["function_name"], "order-tools");
    assert_eq!(body["memory"], 512);
    assert_eq!(body["version"], "7");
    assert_eq!(body["log_group"], "/aws/lambda/order-tools");
    let stream = body["log_stream"].as_str().unwrap();
    let (date, id) = stream.split_once("/[7]").expect("YYYY/MM/DD/[7]<id>");
    assert_eq!(date.len(), 10, "{stream}");
    assert_eq!(id.len(), 32, "{stream}");
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| {
        std::env::var("AWS_DEFAULT_REGION").unwrap_or_else(|_| "us-east-1".into())
    });
    assert_eq!(body["region"], region.as_str());
    assert!(body["default_region"].is_string());
}

#[tokio::test]
async fn no_client_context_means_no_header() {
    let mut handler = handler("rt_client_context");
    let plain = toolcontract::Invocation::new("r1", json!({}), "arn", TIMEOUT);
    let answer = handler.invoke(&plain).await;
    assert_eq!(response(&answer)["custom"], Value::Null);
}

#[tokio::test]
async fn an_exit_mid_case_is_exited_and_the_next_case_restarts() {
    let mut handler = handler("rt_exit_mid_case");
    response(&handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await);
    let pid = handler.pid().unwrap();
    let answer = handler
        .invoke(&invocation("r2", json!({"exit": true}), TIMEOUT))
        .await;
    assert_eq!(
        answer.outcome,
        Outcome::Exited {
            status: "the handler process exited with status 3 while handling the invocation".into()
        }
    );
    assert_eq!(answer.logs, ["rt_exit_mid_case: exiting with status 3"]);
    assert!(!process_exists(pid));
    assert_eq!(handler.pid(), None);

    response(&handler.invoke(&invocation("r3", json!({}), TIMEOUT)).await);
    assert_ne!(handler.pid(), Some(pid));
    let stats = handler.stats();
    assert_eq!(
        (stats.cold_starts, stats.restarts, stats.invocations),
        (2, 1, 3)
    );
}

#[tokio::test]
async fn an_exit_before_the_first_next_says_so() {
    let mut handler = handler("rt_exit_at_start");
    for round in 1..=2 {
        let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
        assert_eq!(
            answer.outcome,
            Outcome::Exited {
                status: "the handler process exited with status 7 before its first /next \
                         (during init)"
                    .into()
            },
            "round {round}"
        );
        assert_eq!(
            answer.logs,
            ["rt_exit_at_start: missing configuration, exiting with status 7"]
        );
    }
    let stats = handler.stats();
    assert_eq!(
        (stats.cold_starts, stats.restarts, stats.invocations),
        (2, 1, 0)
    );
}

#[tokio::test]
async fn a_hang_times_out_kills_the_process_and_the_next_case_restarts() {
    let mut handler = handler("rt_hang");
    let limit = Duration::from_millis(400);
    response(&handler.invoke(&invocation("r1", json!({}), limit)).await);
    let pid = handler.pid().unwrap();
    let answer = handler
        .invoke(&invocation("r2", json!({"hang": true}), limit))
        .await;
    assert_eq!(answer.outcome, Outcome::Timeout { limit });
    assert!(answer.elapsed >= limit, "{:?}", answer.elapsed);
    assert!(
        answer.elapsed < limit + Duration::from_secs(3),
        "{:?}",
        answer.elapsed
    );
    assert_eq!(answer.logs, ["rt_hang: hanging"]);
    // Killed and reaped before the answer came back.
    assert!(!process_exists(pid), "pid {pid} is still there");

    response(&handler.invoke(&invocation("r3", json!({}), limit)).await);
    assert_ne!(handler.pid(), Some(pid));
    let stats = handler.stats();
    assert_eq!((stats.cold_starts, stats.restarts, stats.kills), (2, 1, 1));
}

#[tokio::test]
async fn a_start_that_never_reaches_next_is_a_timeout() {
    let startup = Duration::from_millis(300);
    let config = ProcessConfig::new(["sh", "-c", "echo starting; exec sleep 30"])
        .with_startup_timeout(startup);
    let mut handler = ProcessHandler::start(config).unwrap();
    let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    assert_eq!(answer.outcome, Outcome::Timeout { limit: startup });
    assert_eq!(answer.logs, ["starting"]);
    assert_eq!(handler.pid(), None);
    assert_eq!(handler.stats().kills, 1);
}

#[tokio::test]
async fn an_error_is_a_function_error_and_the_process_lives_on() {
    let mut handler = handler("rt_error");
    let answer = handler
        .invoke(&invocation("r1", json!({"order": 42}), TIMEOUT))
        .await;
    assert_eq!(
        answer.outcome,
        Outcome::FunctionError {
            error_type: "ToolFailure".into(),
            error_message: r#"cannot handle {"order":42}"#.into(),
        }
    );
    let pid = handler.pid();
    let again = handler.invoke(&invocation("r2", json!({}), TIMEOUT)).await;
    assert_eq!(again.outcome.label(), "function_error");
    assert_eq!(handler.pid(), pid);
    assert_eq!(handler.stats().cold_starts, 1);
}

#[tokio::test]
async fn an_init_error_is_reported() {
    let mut handler = handler("rt_init_error");
    let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    assert_eq!(
        answer.outcome,
        Outcome::InitError {
            error_type: "Runtime.ConfigError".into(),
            error_message: "TABLE_NAME is not set".into(),
        }
    );
    assert_eq!(
        answer.logs.first().map(String::as_str),
        Some("rt_init_error: TABLE_NAME is not set")
    );
    assert_eq!(handler.pid(), None);
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_invalid_json() {
    let mut handler = handler("rt_bad_json");
    for id in ["r1", "r2"] {
        let answer = handler.invoke(&invocation(id, json!({}), TIMEOUT)).await;
        let Outcome::InvalidJson { error, prefix } = &answer.outcome else {
            panic!("not InvalidJson: {answer:?}");
        };
        assert_eq!(prefix, "<html>this is not JSON</html>");
        assert!(!error.is_empty());
    }
    assert_eq!(handler.stats().cold_starts, 1);
}

#[tokio::test]
async fn an_oversized_answer_is_oversize_and_reading_stops() {
    let mut handler = handler("rt_oversize");
    let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    let Outcome::Oversize { size_at_least } = answer.outcome else {
        panic!("not Oversize: {answer:?}");
    };
    // Reading stops with the first chunk past the limit (that it stops long before the end of
    // a huge body is shown by the server's own tests).
    assert!(
        (RESPONSE_SIZE_LIMIT + 1..=7_000_002).contains(&size_at_least),
        "{size_at_least}"
    );
    // Whatever the process did with the 413, the next case gets an answer.
    let again = handler.invoke(&invocation("r2", json!({}), TIMEOUT)).await;
    assert_eq!(again.outcome.label(), "oversize");
}

#[tokio::test]
async fn a_dropped_handler_leaves_no_process_behind() {
    let echo = example("rt_echo");
    let script = format!("sleep 60 & echo \"grandchild $!\"; exec {}", echo.display());
    let mut handler = ProcessHandler::start(ProcessConfig::new(["sh", "-c", &script])).unwrap();
    let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    response(&answer);
    let grandchild: u32 = answer
        .logs
        .iter()
        .find_map(|l| l.strip_prefix("grandchild "))
        .expect("the script names its background child")
        .parse()
        .unwrap();
    let pid = handler.pid().unwrap();
    assert!(process_exists(pid) && process_exists(grandchild));
    drop(handler);
    // The handler's own child is reaped by the drop itself.
    assert!(!process_exists(pid), "pid {pid} is still there");
    // The whole process group was killed (init reaps the orphaned grandchild).
    assert!(
        common::dead_within(grandchild, Duration::from_secs(5)),
        "grandchild {grandchild} is still running"
    );
}

#[tokio::test]
async fn stop_kills_and_reaps_the_process() {
    let mut handler = handler("rt_echo");
    handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    let pid = handler.pid().unwrap();
    handler.stop().await;
    assert!(gone_within(pid, Duration::from_millis(1)));
    assert_eq!(handler.pid(), None);
    response(&handler.invoke(&invocation("r2", json!({}), TIMEOUT)).await);
    assert_eq!(handler.stats().restarts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invocations_can_run_on_a_spawned_task() {
    let mut handler = handler("rt_echo");
    let answer = tokio::spawn(async move {
        let answer = handler
            .invoke(&invocation("r1", json!("hi"), TIMEOUT))
            .await;
        (answer, handler)
    })
    .await
    .unwrap()
    .0;
    assert_eq!(response(&answer)["content"][0]["text"], "\"hi\"");
}

#[test]
fn an_unusable_command_is_an_error() {
    let error =
        ProcessHandler::start(ProcessConfig::new(["no-such-handler-anywhere"])).unwrap_err();
    assert!(matches!(error, ProcessError::NotFound { .. }));
    assert_eq!(
        error.to_string(),
        "the handler command `no-such-handler-anywhere` was not found in PATH"
    );
    let error = ProcessHandler::start(ProcessConfig::new(Vec::<String>::new())).unwrap_err();
    assert!(matches!(error, ProcessError::EmptyCommand));
}

#[tokio::test]
async fn a_command_that_cannot_start_is_exited() {
    // Executable, but not a program the kernel can run.
    let dir = std::env::temp_dir().join(format!("toolcontract-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bogus = dir.join("bogus-handler");
    std::fs::write(&bogus, [0x7f, b'E', b'L', b'F', 0, 0, 0, 0]).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bogus, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut handler = ProcessHandler::start(ProcessConfig::new([&bogus])).unwrap();
    let answer = handler.invoke(&invocation("r1", json!({}), TIMEOUT)).await;
    std::fs::remove_dir_all(&dir).unwrap();
    let Outcome::Exited { status } = &answer.outcome else {
        panic!("not Exited: {answer:?}");
    };
    assert!(
        status.starts_with("the handler process could not start"),
        "{status}"
    );
}
