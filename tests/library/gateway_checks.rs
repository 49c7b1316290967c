//! Every Gateway check, shown to fire: for each, a handler that breaks it and one that keeps it.

use std::time::Duration;

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use toolcontract::gateway::names;
use toolcontract::{CheckName, Definition, Gateway, Profile, Report, Severity};

/// A per-case deadline for cases that must not time out however loaded the machine is: it
/// only turns a hung handler into a failure instead of a hang.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(600);

/// One tool, `add(a, b)`, optionally with an output schema.
fn add_tool(output_schema: Option<Value>) -> Gateway {
    let mut tool = json!({
        "name": "add",
        "description": "Add two numbers",
        "inputSchema": {
            "type": "object",
            "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
            "required": ["a", "b"]
        }
    });
    if let Some(schema) = output_schema {
        tool["outputSchema"] = schema;
    }
    let definition = Definition::from_value("inline.json", json!([tool])).unwrap();
    Gateway::new(definition).unwrap().cases(64)
}

/// The tool name the Gateway sent, without the target prefix.
fn tool(event: &LambdaEvent<Value>) -> String {
    let qualified = event
        .context
        .client_context
        .as_ref()
        .and_then(|c| c.custom.get("bedrockAgentCoreToolName").cloned())
        .unwrap_or_default();
    names::split(&qualified).map_or(qualified.clone(), |(_, t)| t.to_owned())
}

fn text(t: impl ToString) -> Value {
    json!({"content": [{"text": t.to_string()}]})
}

fn error(t: impl ToString) -> Value {
    json!({"content": [{"text": t.to_string()}], "isError": true})
}

fn sum(event: &LambdaEvent<Value>) -> f64 {
    event.payload["a"].as_f64().unwrap_or(0.0) + event.payload["b"].as_f64().unwrap_or(0.0)
}

/// A handler keeping every check: dispatches on the client context, rejects unknown tools.
async fn correct(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(match tool(&event).as_str() {
        "add" => text(sum(&event)),
        other => error(format!("unknown tool {other}")),
    })
}

/// Rejects undeclared tools like `correct`, and runs `add` for the declared one: the breaking
/// handlers below break only the check they are about.
macro_rules! add_only {
    ($event:ident, $body:expr) => {
        if tool(&$event) != "add" {
            return Ok::<Value, Error>(error("unknown tool"));
        } else {
            $body
        }
    };
}

fn failed_checks(report: &Report) -> Vec<CheckName> {
    let mut checks: Vec<CheckName> = report.findings.iter().map(|f| f.check).collect();
    checks.dedup();
    checks
}

fn only_finding(report: &Report, check: CheckName) -> &toolcontract::Finding {
    assert_eq!(
        failed_checks(report),
        [check],
        "{}",
        toolcontract::report::render_report(report, false)
    );
    &report.findings[0]
}

#[test]
fn a_correct_handler_keeps_every_check() {
    let report = add_tool(None).check(service_fn(correct));
    report.assert_ok();
    let checks: Vec<&str> = report.subjects[0]
        .checks
        .iter()
        .map(|c| c.check.as_str())
        .collect();
    assert_eq!(
        checks,
        [
            "no_function_error",
            "response_shape",
            "tool_reachable",
            "target_prefix_invariant",
            "within_deadline",
            "response_size",
            "error_signalled"
        ]
    );
    // output_schema applies only to tools with an outputSchema; it is not counted as held.
    let report = add_tool(Some(json!({"type": "object"}))).check(service_fn(correct));
    assert!(
        report.subjects[0]
            .checks
            .iter()
            .any(|c| c.check == CheckName::OutputSchema)
    );
}

#[test]
fn no_function_error_fires_on_err_and_shrinks_to_the_trigger() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(event, {
            if event.payload["b"].as_f64() == Some(0.0) {
                return Err(Error::from("division by zero"));
            }
            Ok(text(sum(&event)))
        })
    }));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert!(
        finding.message.contains("division by zero"),
        "{}",
        finding.message
    );
    let event = &finding.case.invocations[0].event;
    assert_eq!(event["b"].as_f64(), Some(0.0));
    assert_eq!(event["a"].as_f64(), Some(0.0), "shrunk: {event}");
}

#[test]
fn no_function_error_fires_on_a_panic() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(event, {
            if event.payload["a"].as_f64().unwrap_or(0.0) < 0.0 {
                panic!("negative input");
            }
            Ok(text(sum(&event)))
        })
    }));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    // The panic's own location, in this file (the `panic!` line above), not the harness's.
    let at = "tests/library/gateway_checks.rs:148:17";
    assert!(
        finding
            .message
            .contains(&format!("panicked at {at}: negative input")),
        "{}",
        finding.message
    );
    assert!(finding.case.invocations[0].event["a"].as_f64().unwrap() < 0.0);
    match &finding.case.answers[0].outcome {
        toolcontract::Outcome::Panic { location, .. } => assert_eq!(location.as_deref(), Some(at)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn response_shape_fires_on_a_bare_object_under_mcp_and_on_a_non_string_text() {
    let plain = |event: LambdaEvent<Value>| async move {
        add_only!(event, Ok(json!({"result": sum(&event)})))
    };
    // What the agent receives: a plain object works (the Gateway wraps it).
    add_tool(None).check(service_fn(plain)).assert_ok();
    // The strict convention asks for the MCP shape.
    let report = add_tool(None)
        .profile(Profile::Mcp)
        .check(service_fn(plain));
    let finding = only_finding(&report, CheckName::ResponseShape);
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding
            .message
            .contains("\"content\" is a required property"),
        "{}",
        finding.message
    );

    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(event, Ok(json!({"content": [{"text": sum(&event)}]})))
    }));
    // A malformed attempt at the MCP shape is an error under every profile but json.
    let finding = only_finding(&report, CheckName::ResponseShape);
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding.message.contains("at /content/0/text")
            && finding.message.contains("attempts the MCP result shape"),
        "{}",
        finding.message
    );
}

#[test]
fn response_shape_warns_on_an_answer_that_is_not_an_object() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(event, Ok(json!(sum(&event).to_string())))
    }));
    let finding = only_finding(&report, CheckName::ResponseShape);
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.message.contains("a string, not a JSON object"),
        "{}",
        finding.message
    );
    // A warning reports, but the run passes unless warnings are denied.
    assert!(report.is_ok());
    let denied =
        add_tool(None).deny_warnings(true).check(service_fn(
            |event: LambdaEvent<Value>| async move {
                add_only!(event, Ok(json!(sum(&event).to_string())))
            },
        ));
    assert!(!denied.is_ok());
}

#[test]
fn response_shape_accepts_typed_blocks_and_the_json_profile_anything() {
    add_tool(None)
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            add_only!(
                event,
                Ok(json!({
                    "content": [
                        {"type": "text", "text": sum(&event).to_string()},
                        {"type": "resource_link", "uri": "s3://b/k", "name": "k"}
                    ],
                    "isError": false
                }))
            )
        }))
        .assert_ok();
    add_tool(None)
        .profile(toolcontract::Profile::Json)
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            add_only!(
                event,
                Ok(json!({"statusCode": 200, "body": sum(&event).to_string()}))
            )
        }))
        .assert_ok();
}

#[test]
fn output_schema_fires_on_structured_content_that_does_not_conform() {
    let schema =
        json!({"type": "object", "properties": {"sum": {"type": "number"}}, "required": ["sum"]});
    let report =
        add_tool(Some(schema.clone())).check(service_fn(|event: LambdaEvent<Value>| async move {
            let s = sum(&event);
            add_only!(
                event,
                Ok(
                    json!({"content": [{"text": s.to_string()}], "structuredContent": {"total": s}})
                )
            )
        }));
    let finding = only_finding(&report, CheckName::OutputSchema);
    assert!(
        finding
            .message
            .starts_with("structuredContent does not conform"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("\"sum\" is a required property"),
        "{}",
        finding.message
    );

    // Without structuredContent, the first text block must hold conforming JSON.
    let report = add_tool(Some(schema.clone())).check(service_fn(correct));
    let finding = only_finding(&report, CheckName::OutputSchema);
    assert!(
        finding.message.contains("first text block"),
        "{}",
        finding.message
    );

    add_tool(Some(schema.clone()))
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            let s = sum(&event);
            add_only!(event, Ok(json!({"content": [{"text": json!({"sum": s}).to_string()}], "structuredContent": {"sum": s}})))
        }))
        .assert_ok();
    add_tool(Some(schema))
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            add_only!(
                event,
                Ok(json!({"content": [{"text": json!({"sum": sum(&event)}).to_string()}]}))
            )
        }))
        .assert_ok();
}

#[test]
fn tool_reachable_fires_when_the_name_is_compared_without_splitting_off_the_target() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        let qualified = event
            .context
            .client_context
            .as_ref()
            .and_then(|c| c.custom.get("bedrockAgentCoreToolName").cloned())
            .unwrap_or_default();
        Ok::<_, Error>(if qualified == "add" {
            text(sum(&event))
        } else {
            error("unknown tool")
        })
    }));
    let finding = only_finding(&report, CheckName::ToolReachable);
    assert_eq!((finding.failing_cases, finding.cases_run), (64, 64));
    assert!(
        finding
            .message
            .contains("none of the 64 valid cases reached the tool"),
        "{}",
        finding.message
    );
    // A dispatcher's "unknown tool": no other cause is offered.
    assert!(
        !finding.message.contains("turns every call away"),
        "{}",
        finding.message
    );
}

#[test]
fn tool_reachable_names_a_check_made_before_dispatching_as_a_cause() {
    // As in aws-samples/sample-smart-home-assistant-agent-on-agentcore (cdk/lambda/iot-control):
    // the handler wants a `user_id` the schema does not declare, and refuses every call
    // without one before it looks at the tool name.
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        if event.payload.get("user_id").is_none() {
            return Ok::<_, Error>(error("caller identity missing"));
        }
        add_only!(event, Ok(text(sum(&event))))
    }));
    let finding = only_finding(&report, CheckName::ToolReachable);
    assert!(
        finding.message.contains(
            "or turns every call away before it dispatches (it needs something no case \
             carries: an argument the schema does not declare"
        ),
        "{}",
        finding.message
    );
}

#[test]
fn unknown_tool_rejected_fires_when_unknown_names_fall_back_to_a_tool() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        // BUG: every name that is not a known tool runs `add` anyway.
        Ok::<_, Error>(text(sum(&event)))
    }));
    let finding = only_finding(&report, CheckName::UnknownToolRejected);
    assert_eq!(finding.subject, "(undeclared tool)");
    assert!(
        finding.message.contains("was answered as a success"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("toolcontract-target___"),
        "{}",
        finding.message
    );
}

#[test]
fn unknown_tool_rejected_fires_when_unknown_names_crash_the_handler() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        match tool(&event).as_str() {
            "add" => Ok(text(sum(&event))),
            other => Err(Error::from(format!("no such tool {other}"))),
        }
    }));
    let finding = only_finding(&report, CheckName::UnknownToolRejected);
    assert!(
        finding.message.contains("crashed the handler"),
        "{}",
        finding.message
    );
}

#[test]
fn target_prefix_invariant_fires_when_the_target_name_is_hard_coded() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        let qualified = event
            .context
            .client_context
            .as_ref()
            .and_then(|c| c.custom.get("bedrockAgentCoreToolName").cloned())
            .unwrap_or_default();
        // BUG: only works behind the target it was first deployed to.
        Ok::<_, Error>(match qualified.as_str() {
            "toolcontract-target___add" => text(sum(&event)),
            other => error(format!("unknown tool {other}")),
        })
    }));
    let finding = only_finding(&report, CheckName::TargetPrefixInvariant);
    assert_eq!(finding.case.invocations.len(), 2);
    assert!(
        finding.message.contains("succeeds under target `toolcontract-target` but not under target `toolcontract-renamed`"),
        "{}",
        finding.message
    );
    // One case in 8 renames the target.
    assert_eq!(finding.failing_cases, 8);
}

#[test]
fn within_deadline_fires_on_a_slow_case_and_the_run_goes_on() {
    let report = add_tool(None)
        .timeout(Duration::from_millis(50))
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            if event.payload["a"].as_f64().unwrap_or(0.0) > 100.0 {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            correct(event).await
        }));
    let finding = only_finding(&report, CheckName::WithinDeadline);
    assert!(
        finding
            .message
            .contains("no answer within the 50 ms deadline"),
        "{}",
        finding.message
    );
    assert!(finding.case.invocations[0].event["a"].as_f64().unwrap() > 100.0);
    // After three timeouts the rest of the tool's cases are skipped.
    assert!(report.subjects[0].cases_skipped > 0);
    assert!(
        report.subjects[0]
            .skip_reason
            .as_deref()
            .unwrap()
            .contains("3 timeouts")
    );
}

#[test]
fn within_deadline_survives_a_handler_that_blocks_its_thread() {
    let report = add_tool(None)
        .cases(16)
        .timeout(Duration::from_millis(50))
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            if event.payload["a"].as_f64().unwrap_or(0.0) < -1.0 {
                // Blocks the thread: cannot be cancelled, only abandoned.
                std::thread::sleep(Duration::from_millis(400));
            }
            correct(event).await
        }));
    let finding = only_finding(&report, CheckName::WithinDeadline);
    assert!(finding.case.invocations[0].event["a"].as_f64().unwrap() < -1.0);
}

#[test]
fn within_deadline_holds_for_a_fast_handler() {
    // Not a tight deadline: a loaded machine can stall any case for a while, and the verdict
    // must not depend on it.
    add_tool(None)
        .timeout(SAFETY_TIMEOUT)
        .check(service_fn(correct))
        .assert_ok();
}

#[test]
fn response_size_fires_over_six_megabytes() {
    // A 7 MiB answer is built, measured and judged on every failing case: a deadline that
    // only a hung handler misses, so the verdict does not depend on the machine's speed.
    let report = add_tool(None).timeout(SAFETY_TIMEOUT).check(service_fn(
        |event: LambdaEvent<Value>| async move {
            add_only!(event, {
                if event.payload["a"].as_f64().unwrap_or(0.0) > 1.0 {
                    return Ok(text("x".repeat(7 * 1024 * 1024)));
                }
                Ok(text(sum(&event)))
            })
        },
    ));
    let finding = only_finding(&report, CheckName::ResponseSize);
    assert!(
        finding.message.contains("limit is 6291556 bytes"),
        "{}",
        finding.message
    );
}

#[tokio::test]
async fn the_async_entry_point_runs_inside_a_tokio_test() {
    let report = add_tool(None).check_async(service_fn(correct)).await;
    report.assert_ok();
    // And the blocking one, called from inside a runtime, moves to a thread of its own.
    add_tool(None).check(service_fn(correct)).assert_ok();
}

#[test]
fn runs_are_reproducible_and_seeds_change_the_cases() {
    let handler = |event: LambdaEvent<Value>| async move {
        if event.payload["a"].as_f64().unwrap_or(0.0) > 1e3 {
            return Err(Error::from("too big"));
        }
        correct(event).await
    };
    let a = add_tool(None).check(service_fn(handler));
    let b = add_tool(None).check(service_fn(handler));
    assert_eq!(a.findings[0].case.input, b.findings[0].case.input);
    assert_eq!(a.findings[0].case.seed, b.findings[0].case.seed);
    let c = add_tool(None).seed(42).check(service_fn(handler));
    assert_ne!(a.findings[0].case.seed, c.findings[0].case.seed);
}

#[test]
fn json_reports_match_their_contract_and_round_trip() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(event, {
            if event.payload["b"].as_f64() == Some(0.0) {
                return Err(Error::from("division by zero"));
            }
            Ok(text(sum(&event)))
        })
    }));
    assert!(!report.findings.is_empty());
    let json = serde_json::to_value(&report).unwrap();
    let validator = toolcontract::Contract::Report.validator();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Durations are whole milliseconds in JSON, so compare the JSON forms.
    let back: Report = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
    assert_eq!(
        back.findings[0].replay_token(),
        report.findings[0].replay_token()
    );
    // And a report without findings.
    let clean = serde_json::to_value(add_tool(None).check(service_fn(correct))).unwrap();
    assert!(validator.is_valid(&clean));
}

#[test]
fn a_replayed_finding_reports_its_check_and_not_an_unreachable_tool() {
    let failing = |event: LambdaEvent<Value>| async move {
        add_only!(event, {
            if event.payload["b"].as_f64() == Some(0.0) {
                return Err(Error::from("division by zero"));
            }
            Ok(text(sum(&event)))
        })
    };
    let gateway = add_tool(None);
    let report = gateway.check(service_fn(failing));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    let token: toolcontract::report::ReplayToken = finding.replay_token();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let replayed = runtime
        .block_on(gateway.run(
            &mut [toolcontract::InProcess::new(service_fn(failing))],
            toolcontract::checker::Plan::Replay(std::slice::from_ref(&token)),
            |_| {},
        ))
        .unwrap();
    assert_eq!(replayed.totals.cases, 1);
    // The one replayed case does not succeed, but that alone says nothing of reachability.
    assert_eq!(failed_checks(&replayed), [CheckName::NoFunctionError]);
    assert_eq!(replayed.findings[0].case.input, finding.case.input);
}

#[test]
fn the_library_replays_what_a_failing_test_printed() {
    let failing = |event: LambdaEvent<Value>| async move {
        add_only!(event, {
            if event.payload["b"].as_f64() == Some(0.0) {
                return Err(Error::from("division by zero"));
            }
            Ok(text(sum(&event)))
        })
    };
    let report = add_tool(None).check(service_fn(failing));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    let token = finding.replay_token().to_string();
    // What `assert_ok` panics with names the library's way, then the flag.
    let printed = std::panic::catch_unwind(|| report.assert_ok()).unwrap_err();
    let printed = printed.downcast_ref::<String>().unwrap();
    assert!(
        printed.contains(&format!(
            "replay: .replay(\"{token}\") before .check(...), or --replay '{token}'"
        )),
        "{printed}"
    );
    let replayed = add_tool(None)
        .replay(&token)
        .unwrap()
        .check(service_fn(failing));
    assert_eq!(replayed.totals.cases, 1);
    assert_eq!(failed_checks(&replayed), [CheckName::NoFunctionError]);
    assert_eq!(replayed.findings[0].case.input, finding.case.input);
    // A token for a tool this check does not test, or not a token at all: an error.
    let stranger = token.replace(":add:", ":subtract:");
    let error = add_tool(None).replay(&stranger).unwrap_err().to_string();
    assert!(error.contains("names `subtract`"), "{error}");
    assert!(add_tool(None).replay("add").is_err());
}

#[test]
fn invoke_calls_the_handler_once_as_the_gateway_would() {
    let gateway = add_tool(None);
    let answer = gateway
        .invoke(service_fn(correct), "add", &json!({"a": 1.5, "b": 2}))
        .unwrap();
    assert_eq!(answer.outcome.response(), Some(&text(3.5)));
    // A panic comes back as an outcome, not as a panic of the caller.
    let answer = gateway
        .invoke(
            service_fn(|_: LambdaEvent<Value>| async move {
                if true {
                    panic!("boom");
                }
                Ok::<Value, Error>(json!({}))
            }),
            "add",
            &json!({"a": 1, "b": 2}),
        )
        .unwrap();
    assert_eq!(answer.outcome.label(), "panic");
    let error = gateway
        .invoke(service_fn(correct), "nope", &json!({}))
        .unwrap_err();
    assert!(error.to_string().contains("nope"), "{error}");
}

#[test]
fn within_deadline_reports_a_handler_that_blocks_its_thread_forever_and_the_run_ends() {
    let started = std::time::Instant::now();
    let report = add_tool(None)
        .cases(16)
        .timeout(Duration::from_millis(50))
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            if event.payload["a"].as_f64().unwrap_or(0.0) < -1.0 {
                // A deadlock: the thread never comes back.
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
            correct(event).await
        }));
    // Given up on (one second past the deadline), not hung for the hour the thread sleeps:
    // the bound is far above the second, so a loaded machine does not miss it.
    assert!(
        started.elapsed() < Duration::from_secs(600),
        "{:?}",
        started.elapsed()
    );
    let finding = only_finding(&report, CheckName::WithinDeadline);
    assert!(
        finding.message.contains("the handler never returned"),
        "{}",
        finding.message
    );
    assert!(finding.case.invocations[0].event["a"].as_f64().unwrap() < -1.0);
    assert!(report.subjects.iter().any(|s| s.skip_reason.as_deref()
        == Some("not run: a handler blocked the runner's thread and never returned")));
}

#[test]
fn client_contexts_match_their_contract_and_lambda_runtime_reads_them() {
    let gateway = add_tool(None).target_name("orders-v2").unwrap();
    let validator = toolcontract::Contract::GatewayClientContext.validator();
    for seed in 0..50 {
        let invocation = gateway
            .invocation("add", &json!({"a": 1, "b": 2}), seed)
            .unwrap();
        let context = invocation.client_context.as_ref().unwrap().to_value();
        let errors: Vec<String> = validator
            .iter_errors(&context)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{context}: {errors:?}");
        assert_eq!(
            context["custom"]["bedrockAgentCoreToolName"],
            "orders-v2___add"
        );
        // lambda_runtime's own parsing: every value in `custom` must be a string.
        let custom: std::collections::HashMap<String, String> =
            serde_json::from_value(context["custom"].clone()).unwrap();
        assert_eq!(custom.len(), 6);
    }
    // Request ids differ from case to case, as a Gateway's do.
    let a = gateway.invocation("add", &json!({}), 1).unwrap();
    let b = gateway.invocation("add", &json!({}), 2).unwrap();
    assert_ne!(a.request_id, b.request_id);
    assert_ne!(a.client_context, b.client_context);
}

#[test]
fn invalid_arguments_handled_fires_when_bad_arguments_crash_the_handler() {
    let report =
        add_tool(None)
            .negative(true)
            .check(service_fn(|event: LambdaEvent<Value>| async move {
                add_only!(event, {
                    // BUG: trusts the Gateway's validation and unwraps.
                    let a = event.payload["a"].as_f64().expect("a is a number");
                    let b = event.payload["b"].as_f64().expect("b is a number");
                    Ok(text(a + b))
                })
            }));
    let finding = only_finding(&report, CheckName::InvalidArgumentsHandled);
    assert_eq!(finding.subject, "add (invalid arguments)");
    assert!(
        finding.message.contains("crashed the handler"),
        "{}",
        finding.message
    );
    let violation = finding
        .case
        .input
        .violation
        .as_ref()
        .expect("a named violation");
    assert!(
        matches!(violation.kind.as_str(), "missing_required" | "wrong_type"),
        "{violation:?}"
    );
}

#[test]
fn invalid_arguments_handled_fires_when_bad_arguments_are_answered_as_a_success() {
    let report =
        add_tool(None)
            .negative(true)
            .check(service_fn(|event: LambdaEvent<Value>| async move {
                // BUG: a missing or mistyped number silently counts as zero.
                add_only!(event, Ok(text(sum(&event))))
            }));
    let finding = only_finding(&report, CheckName::InvalidArgumentsHandled);
    assert!(
        finding.message.contains("were answered as a success"),
        "{}",
        finding.message
    );
}

#[test]
fn invalid_arguments_handled_holds_for_a_handler_that_validates() {
    let report =
        add_tool(None)
            .negative(true)
            .check(service_fn(|event: LambdaEvent<Value>| async move {
                add_only!(event, {
                    let args = &event.payload;
                    let known = args
                        .as_object()
                        .is_some_and(|m| m.keys().all(|k| k == "a" || k == "b"));
                    match (args["a"].as_f64(), args["b"].as_f64()) {
                        (Some(a), Some(b)) if known => Ok(text(a + b)),
                        _ => Ok(error("add needs two numbers, a and b")),
                    }
                })
            }));
    report.assert_ok();
    assert!(
        report
            .subjects
            .iter()
            .any(|s| s.name == "add (invalid arguments)" && s.cases_run == 64)
    );
}

/// A bug only the documented id reaches: `get_order` crashes on the order its tool description
/// names (the property itself says nothing), so only a generator that reads the tool's
/// description tries it.
#[test]
fn a_bug_at_an_id_the_tool_description_names_is_found() {
    let gateway = |description: &str| {
        let tool = json!({
            "name": "get_order",
            "description": description,
            "inputSchema": {
                "type": "object",
                "properties": {"order_id": {"type": "string", "pattern": "^ORD-[0-9]{1,8}$"}},
                "required": ["order_id"]
            }
        });
        let definition = Definition::from_value("inline.json", json!([tool])).unwrap();
        Gateway::new(definition).unwrap().cases(64)
    };
    let handler = |event: LambdaEvent<Value>| async move {
        if tool(&event) != "get_order" {
            return Ok::<Value, Error>(error("unknown tool"));
        }
        // BUG: the sample order of the docs is special-cased, and its record is gone.
        if event.payload["order_id"] == "ORD-88412907" {
            return Err(Error::from("order ORD-88412907: no such record"));
        }
        Ok(text("an order"))
    };
    let report =
        gateway("Look up an order by its id, for example ORD-88412907.").check(service_fn(handler));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert_eq!(
        finding.case.invocations[0].event["order_id"], "ORD-88412907",
        "{}",
        finding.message
    );
    // Undocumented, the same id is not found in the same cases.
    gateway("Look up an order by its id.")
        .check(service_fn(handler))
        .assert_ok();
}

/// One tool, `convert(value, unit)`, whose unit is free text (no enum).
fn convert_tool() -> Gateway {
    let definition = Definition::from_value(
        "inline.json",
        json!([{
            "name": "convert",
            "description": "Convert a distance to metres",
            "inputSchema": {
                "type": "object",
                "properties": {"value": {"type": "number"}, "unit": {"type": "string"}},
                "required": ["value", "unit"]
            }
        }]),
    )
    .unwrap();
    Gateway::new(definition).unwrap().cases(64)
}

#[test]
fn tool_reachable_holds_for_a_tool_that_rejects_random_values_with_its_own_message() {
    // A false alarm before: random units are rejected, every case is an error answer, but the
    // tool is reached (its text is its own, not the answer to an unknown name).
    let report = convert_tool().check(service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(match tool(&event).as_str() {
            "convert" => match event.payload["unit"].as_str() {
                Some("km") => text(event.payload["value"].as_f64().unwrap_or(0.0) * 1000.0),
                other => error(format!("unknown unit {other:?}: use km")),
            },
            other => error(format!("unknown tool {other}")),
        })
    }));
    report.assert_ok();
    assert!(report.findings.is_empty(), "{}", render(&report));
}

#[test]
fn a_lookup_of_random_ids_is_reached_and_its_error_dict_is_a_warning() {
    // What AWS samples do: a plain dict with a 404 for an id that does not exist. The agent
    // receives it as a success (error_signalled, a warning); the tool is reached.
    let report = convert_tool().check(service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(match tool(&event).as_str() {
            "convert" => json!({"statusCode": 404, "body": "no conversion for this unit"}),
            _ => json!({"statusCode": 400, "body": "Unknown tool"}),
        })
    }));
    let finding = only_finding(&report, CheckName::ErrorSignalled);
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.message.contains("statusCode 404"),
        "{}",
        finding.message
    );
    assert!(report.is_ok(), "a warning passes the run");
    // The finding shows what the agent gets: the dict, whole, as text, isError false.
    let received = &finding.case.received[0];
    assert_eq!(received["isError"], false);
    assert_eq!(
        received["content"][0]["text"],
        r#"{"body":"no conversion for this unit","statusCode":404}"#
    );
}

#[test]
fn error_signalled_holds_for_mcp_errors_and_fires_when_they_are_assumed_wrapped() {
    let handler = |event: LambdaEvent<Value>| async move {
        add_only!(event, {
            Ok(if event.payload["b"].as_f64() == Some(0.0) {
                error("b must not be zero")
            } else {
                text(sum(&event))
            })
        })
    };
    add_tool(None).check(service_fn(handler)).assert_ok();
    // Under the other assumption, the Gateway wraps `isError: true` as text: the agent reads
    // a success.
    let report = add_tool(None)
        .assume(toolcontract::Assumptions::default().with_mcp_passthrough(false))
        .check(service_fn(handler));
    let finding = only_finding(&report, CheckName::ErrorSignalled);
    assert!(
        finding.message.contains("mcp_passthrough = false"),
        "{}",
        finding.message
    );
    assert_eq!(report.run.assumption("mcp_passthrough"), Some(false));
}

#[test]
fn a_tool_that_crashes_on_every_case_is_reported_once() {
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(event, Err(Error::from("table orders does not exist")))
    }));
    // no_function_error, not a second time as tool_reachable with a dispatch hint.
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert_eq!(finding.failing_cases, 64);
    assert!(
        finding.message.contains("An internal error occurred"),
        "{}",
        finding.message
    );
    assert_eq!(finding.case.received[0]["isError"], true);
}

/// A definition of `count` tools, `tool_0` .. `tool_{count-1}`, each taking a string `q`.
fn many_tools(count: usize) -> Gateway {
    let tools: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "name": format!("tool_{i}"),
                "description": "A tool",
                "inputSchema": {"type": "object", "properties": {"q": {"type": "string"}}}
            })
        })
        .collect();
    Gateway::new(Definition::from_value("inline.json", json!(tools)).unwrap())
        .unwrap()
        .cases(16)
}

/// Implements `tool_0` and `tool_1`; every other name gets "Unrecognized tool_name" (the
/// sample whose 75 of 79 tools were not implemented).
async fn two_implemented(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let name = tool(&event);
    Ok(match name.as_str() {
        "tool_0" | "tool_1" => json!({"statusCode": 200, "body": format!("{name} done")}),
        other => json!({"statusCode": 400, "body": format!("Unrecognized tool_name: {other}")}),
    })
}

#[test]
fn unimplemented_tools_are_one_grouped_finding_under_every_profile() {
    for profile in [Profile::Gateway, Profile::Json] {
        let report = many_tools(12)
            .profile(profile)
            .check(service_fn(two_implemented));
        let reachable: Vec<_> = report.findings_of(CheckName::ToolReachable).collect();
        assert_eq!(reachable.len(), 1, "{}", render(&report));
        let tools: Vec<&str> = reachable[0].subjects().collect();
        assert_eq!(tools.len(), 10, "{tools:?}");
        assert!(!tools.contains(&"tool_0") && !tools.contains(&"tool_1"));
        assert!(
            reachable[0].message.contains("(statusCode 400)"),
            "the hint names the signal: {}",
            reachable[0].message
        );
        assert!(!report.is_ok());
        // The human report stays short: one finding, and grouped subject lines.
        let text = render(&report);
        assert!(text.lines().count() < 40, "{text}");
        assert!(text.contains("FAIL  10 tools: tool_2, tool_3"), "{text}");
    }
}

#[test]
fn known_good_arguments_fire_when_they_fail_and_come_from_schema_examples() {
    let definition = Definition::from_value(
        "inline.json",
        json!([{
            "name": "add",
            "description": "Add two numbers",
            "inputSchema": {
                "type": "object",
                "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                "required": ["a", "b"],
                "examples": [{"a": 2, "b": 3}, {"a": "not valid", "b": 1}]
            }
        }]),
    )
    .unwrap();
    let gateway = Gateway::new(definition).unwrap().cases(16);
    gateway.check(service_fn(correct)).assert_ok();
    let report = gateway.check(service_fn(|event: LambdaEvent<Value>| async move {
        add_only!(
            event,
            Ok(if sum(&event) == 5.0 {
                error("five is not allowed")
            } else {
                text(sum(&event))
            })
        )
    }));
    let finding = only_finding(&report, CheckName::KnownGoodArguments);
    // The valid example only (the invalid one is not known-good), kept as it is.
    assert_eq!(finding.case.input.arguments, json!({"a": 2, "b": 3}));
    assert_eq!(finding.shrink_steps, 0);
    assert_eq!(report.subjects[0].cases_run, 17);
    // Configured ones too; arguments the schema rejects are refused.
    let configured = add_tool(None)
        .known_good("add", vec![json!({"a": 2, "b": 3})])
        .unwrap()
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            add_only!(
                event,
                Ok(if sum(&event) == 5.0 {
                    error("no")
                } else {
                    text(1)
                })
            )
        }));
    only_finding(&configured, CheckName::KnownGoodArguments);
    let refused = add_tool(None)
        .known_good("add", vec![json!({"a": "x"})])
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("do not match its input schema"),
        "{refused}"
    );
}

#[test]
fn check_levels_change_severities_or_turn_checks_off() {
    use toolcontract::config::Level;
    let unknown_runs_anyway =
        |event: LambdaEvent<Value>| async move { Ok::<_, Error>(text(sum(&event))) };
    // unknown_tool_rejected is a warning by default: the Gateway never sends such names.
    let report = add_tool(None).check(service_fn(unknown_runs_anyway));
    assert_eq!(
        only_finding(&report, CheckName::UnknownToolRejected).severity,
        Severity::Warning
    );
    assert!(report.is_ok());
    let strict = add_tool(None)
        .check_level(
            CheckName::UnknownToolRejected,
            Level::Severity(Severity::Error),
        )
        .check(service_fn(unknown_runs_anyway));
    assert!(!strict.is_ok());
    let off = add_tool(None)
        .check_level(CheckName::UnknownToolRejected, Level::Off)
        .check(service_fn(unknown_runs_anyway));
    assert!(off.findings.is_empty());
    let status = off.subjects[1]
        .checks
        .iter()
        .find(|c| c.check == CheckName::UnknownToolRejected)
        .unwrap()
        .status;
    assert_eq!(status, toolcontract::report::CheckStatus::Off);
}

#[test]
fn target_prefix_invariant_ignores_a_pair_where_one_invocation_crashes() {
    // A crash under one of the two names is no_function_error's, not the target name's.
    let report = add_tool(None).check(service_fn(|event: LambdaEvent<Value>| async move {
        let qualified = event
            .context
            .client_context
            .as_ref()
            .and_then(|c| c.custom.get("bedrockAgentCoreToolName").cloned())
            .unwrap_or_default();
        add_only!(event, {
            if qualified.starts_with("toolcontract-renamed") {
                return Err(Error::from("flaky"));
            }
            Ok(text(sum(&event)))
        })
    }));
    assert_eq!(
        failed_checks(&report),
        [CheckName::NoFunctionError],
        "{}",
        render(&report)
    );
}

fn render(report: &Report) -> String {
    toolcontract::report::render_report(report, false)
}

/// A handler failing on every `a` but zero: shrinking `a` toward zero takes many steps.
async fn fails_unless_a_is_zero(event: LambdaEvent<Value>) -> Result<Value, Error> {
    add_only!(event, {
        if event.payload["a"].as_f64() != Some(0.0) {
            return Err(Error::from("a is not zero"));
        }
        Ok(text(sum(&event)))
    })
}

#[test]
fn a_finding_says_when_shrinking_stopped_at_its_iteration_limit() {
    // From toolcontract.toml, as the command line reads it.
    let config = toolcontract::Config::parse(
        "[defaults]\nmax_shrink_iterations = 1\n",
        std::path::Path::new("toolcontract.toml"),
    )
    .unwrap();
    let gateway = add_tool(None).config(&config).unwrap();
    assert_eq!(gateway.options().shrink.max_iterations, 1);
    let report = gateway.check(service_fn(fails_unless_a_is_zero));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert_eq!(
        finding.shrink_stopped_at,
        Some(toolcontract::report::ShrinkLimit::MaxIterations)
    );
    assert!(finding.shrink_steps <= 1, "{}", finding.shrink_steps);
    let human = toolcontract::report::render_report(&report, false);
    assert!(
        human.contains(&format!(
            "shrinking stopped at its limit max_iterations after {} steps: this case may not be \
             minimal; raise `max_shrink_iterations` in toolcontract.toml [defaults]",
            finding.shrink_steps
        )),
        "{human}"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["findings"][0]["shrink_stopped_at"], "max_iterations");
    assert_eq!(json["run"]["shrink"]["max_iterations"], 1);
    assert_eq!(json["run"]["shrink"]["max_time_ms"], 60_000);
    let errors: Vec<String> = toolcontract::Contract::Report
        .validator()
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_finding_shrunk_within_the_default_limits_says_nothing_about_them() {
    let report = add_tool(None).check(service_fn(fails_unless_a_is_zero));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert_eq!(finding.shrink_stopped_at, None);
    let human = toolcontract::report::render_report(&report, false);
    assert!(!human.contains("shrinking stopped"), "{human}");
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["findings"][0].get("shrink_stopped_at").is_none());
    assert!(json["run"].get("shrink").is_none());
}
