//! Every action-group check, shown to fire: for each, a handler that breaks it (and only it)
//! and one that keeps it.

use std::time::Duration;

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use toolcontract::checker::Plan;
use toolcontract::report::render_report;
use toolcontract::{ActionGroup, CheckName, Definition, Finding, Report, Severity};

/// A per-case deadline for cases that must not time out however loaded the machine is: it
/// only turns a hung handler into a failure instead of a hang.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(600);

/// One function, `add(a, b)`, in the action group `Calculator`.
fn calculator() -> ActionGroup {
    let definition = Definition::from_value(
        "inline.json",
        json!({
            "actionGroupName": "Calculator",
            "functionSchema": {"functions": [{
                "name": "add",
                "description": "Add two numbers",
                "parameters": {
                    "a": {"type": "number", "required": true},
                    "b": {"type": "number", "required": true}
                }
            }]}
        }),
    )
    .unwrap();
    ActionGroup::new(definition).unwrap().cases(64)
}

/// One operation, `GET /items/{id}`, in the action group `Items`.
fn items() -> ActionGroup {
    let definition = Definition::from_openapi_str(
        "items.yaml",
        "openapi: 3.0.0\npaths:\n  /items/{id}:\n    get:\n      operationId: getItem\n      description: One item\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: verbose, in: query, schema: {type: boolean}}\n      responses: {\"200\": {description: the item}}\n",
        "Items",
    )
    .unwrap();
    ActionGroup::new(definition).unwrap().cases(64)
}

fn parameter(event: &Value, name: &str) -> Option<f64> {
    event["parameters"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)?["value"]
        .as_str()?
        .parse()
        .ok()
}

fn sum(event: &Value) -> f64 {
    parameter(event, "a").unwrap_or(0.0) + parameter(event, "b").unwrap_or(0.0)
}

/// The function-details response to `event` carrying `text`.
fn text(event: &Value, text: impl ToString) -> Value {
    json!({
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event["actionGroup"],
            "function": event["function"],
            "functionResponse": {"responseBody": {"TEXT": {"body": text.to_string()}}}
        }
    })
}

/// The function-details rejection of `event`.
fn reprompt(event: &Value, text: &str) -> Value {
    let mut response = self::text(event, text);
    response["response"]["functionResponse"]["responseState"] = json!("REPROMPT");
    response
}

/// A handler keeping every check.
async fn correct(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let e = event.payload;
    Ok(match e["function"].as_str() {
        Some("add") => text(&e, sum(&e)),
        _ => reprompt(&e, "unknown function"),
    })
}

/// Rejects undeclared functions like `correct`, and runs `$body` for `add`: the breaking
/// handlers below break only the check they are about.
macro_rules! add_only {
    ($e:ident, $body:expr) => {
        if $e["function"] != "add" {
            return Ok::<Value, Error>(reprompt(&$e, "unknown function"));
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

fn only_finding(report: &Report, check: CheckName) -> &Finding {
    assert_eq!(
        failed_checks(report),
        [check],
        "{}",
        render_report(report, false)
    );
    &report.findings[0]
}

#[test]
fn a_correct_handler_keeps_every_check() {
    calculator().check(service_fn(correct)).assert_ok();
}

#[test]
fn no_function_error_fires_on_err_and_shrinks_through_the_encoding() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            if parameter(&e, "b") == Some(0.0) {
                return Err(Error::from("division by zero"));
            }
            Ok(text(&e, sum(&e)))
        })
    }));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert!(
        finding.message.contains("division by zero"),
        "{}",
        finding.message
    );
    // Shrunk: both numbers to zero (sent as their text), session attributes empty, the
    // parameters in declaration order.
    let event = &finding.case.invocations[0].event;
    assert_eq!(
        event["parameters"],
        json!([
            {"name": "a", "type": "number", "value": "0"},
            {"name": "b", "type": "number", "value": "0"}
        ]),
        "{event}"
    );
    assert_eq!(event["sessionAttributes"], json!({}));
    assert_eq!(event["promptSessionAttributes"], json!({}));
}

#[test]
fn response_shape_fires_on_an_unsupported_body_key() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            let mut response = text(&e, sum(&e));
            response["response"]["functionResponse"]["responseBody"] =
                json!({"application/json": {"body": sum(&e).to_string()}});
            Ok(response)
        })
    }));
    let finding = only_finding(&report, CheckName::ResponseShape);
    assert!(
        finding.message.starts_with(
            "the response is not a function-details response envelope \
             (contracts/agents-function-response.json): at /response/functionResponse/responseBody"
        ),
        "{}",
        finding.message
    );
    assert!(
        finding.message.ends_with(
            "the agent would see \"The server encountered an error processing the Lambda response\""
        ),
        "{}",
        finding.message
    );
}

#[test]
fn message_version_fires_when_it_is_missing_or_wrong() {
    for version in [None, Some(json!("2.0")), Some(json!(1.0))] {
        let handler_version = version.clone();
        let report = calculator().check(service_fn(move |event: LambdaEvent<Value>| {
            let version = handler_version.clone();
            async move {
                let e = event.payload;
                add_only!(e, {
                    let mut response = text(&e, sum(&e));
                    match version {
                        None => {
                            response.as_object_mut().unwrap().remove("messageVersion");
                        }
                        Some(v) => response["messageVersion"] = v,
                    }
                    Ok(response)
                })
            }
        }));
        let finding = only_finding(&report, CheckName::MessageVersion);
        assert!(
            finding
                .message
                .starts_with("the response has no messageVersion;")
                || finding
                    .message
                    .starts_with("the response's messageVersion is "),
            "{}",
            finding.message
        );
        assert_eq!(finding.failing_cases, 64);
        // OBSERVED: responses without messageVersion work, so a missing one is a warning; a
        // wrong one is what the documentation rules out.
        let expected = if version.is_none() {
            Severity::Warning
        } else {
            Severity::Error
        };
        assert_eq!(finding.severity, expected, "{version:?}");
        assert_eq!(report.is_ok(), version.is_none());
    }
}

#[test]
fn echoes_action_group_fires_on_a_hard_coded_name() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            let mut response = text(&e, sum(&e));
            response["response"]["actionGroup"] = json!("calculator");
            Ok(response)
        })
    }));
    let finding = only_finding(&report, CheckName::EchoesActionGroup);
    assert!(
        finding
            .message
            .contains("ActionGroup in Lambda response doesn't match input"),
        "{}",
        finding.message
    );
}

#[test]
fn echoes_function_fires_when_the_function_is_missing() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            let mut response = text(&e, sum(&e));
            response["response"]
                .as_object_mut()
                .unwrap()
                .remove("function");
            Ok(response)
        })
    }));
    let finding = only_finding(&report, CheckName::EchoesFunction);
    assert_eq!(
        finding.message,
        "the response has no response.function but the event's function is \"add\": Bedrock \
         rejects a response that does not echo it, and the turn fails"
    );
}

#[test]
fn session_attributes_fire_on_non_string_values_and_echoing_is_not_required() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            let mut response = text(&e, sum(&e));
            response["sessionAttributes"] = json!({"last_sum": sum(&e)});
            Ok(response)
        })
    }));
    let finding = only_finding(&report, CheckName::SessionAttributes);
    assert!(
        finding.message.starts_with(
            "session attributes must map strings to strings: at /sessionAttributes/last_sum"
        ),
        "{}",
        finding.message
    );
    // Attributes of the handler's own, different from the event's, are fine.
    calculator()
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            let e = event.payload;
            add_only!(e, {
                let mut response = text(&e, sum(&e));
                response["sessionAttributes"] = json!({"last_sum": sum(&e).to_string()});
                response["promptSessionAttributes"] = json!({});
                Ok(response)
            })
        }))
        .assert_ok();
}

#[test]
fn tool_reachable_fires_when_the_function_is_read_from_the_wrong_member() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        // BUG: `name` is not in the event; the function is in `function`.
        Ok::<_, Error>(match e["name"].as_str() {
            Some("add") => text(&e, sum(&e)),
            _ => reprompt(&e, "unknown function"),
        })
    }));
    let finding = only_finding(&report, CheckName::ToolReachable);
    assert_eq!((finding.failing_cases, finding.cases_run), (64, 64));
}

#[test]
fn tool_reachable_counts_error_texts_without_a_response_state() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        Ok::<_, Error>(match e["name"].as_str() {
            Some("add") => text(&e, sum(&e)),
            _ => text(&e, "Error: no such function"),
        })
    }));
    only_finding(&report, CheckName::ToolReachable);
}

#[test]
fn unknown_tool_rejected_fires_when_unknown_functions_run_anyway() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        // BUG: every function name runs `add`.
        Ok::<_, Error>(text(&e, sum(&e)))
    }));
    let finding = only_finding(&report, CheckName::UnknownToolRejected);
    // The agent only calls what the action group declares: a warning.
    assert_eq!(finding.severity, Severity::Warning);
    assert!(report.is_ok());
    assert_eq!(finding.subject, "(undeclared function)");
    assert!(
        finding.message.contains("was answered as a success"),
        "{}",
        finding.message
    );
}

#[test]
fn unknown_tool_rejected_fires_when_unknown_functions_crash_the_handler() {
    let report = calculator().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        match e["function"].as_str() {
            Some("add") => Ok(text(&e, sum(&e))),
            other => Err(Error::from(format!("no such function {other:?}"))),
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
fn within_deadline_fires_on_a_slow_case() {
    let report = calculator()
        .timeout(Duration::from_millis(50))
        .check(service_fn(|event: LambdaEvent<Value>| async move {
            if parameter(&event.payload, "a").unwrap_or(0.0) > 100.0 {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            correct(event).await
        }));
    let finding = only_finding(&report, CheckName::WithinDeadline);
    assert!(parameter(&finding.case.invocations[0].event, "a").unwrap() > 100.0);
}

#[test]
fn response_size_fires_over_six_megabytes() {
    // A 7 MiB answer is built, measured and judged on every failing case: a deadline that
    // only a hung handler misses, so the verdict does not depend on the machine's speed.
    let report = calculator().timeout(SAFETY_TIMEOUT).check(service_fn(
        |event: LambdaEvent<Value>| async move {
            let e = event.payload;
            add_only!(e, {
                if parameter(&e, "a").unwrap_or(0.0) > 1.0 {
                    return Ok(text(&e, "x".repeat(7 * 1024 * 1024)));
                }
                Ok(text(&e, sum(&e)))
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

/// The OpenAPI response to `event` with `status`.
fn api(event: &Value, status: u16, body: Value) -> Value {
    json!({
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event["actionGroup"],
            "apiPath": event["apiPath"],
            "httpMethod": event["httpMethod"],
            "httpStatusCode": status,
            "responseBody": {"application/json": {"body": body.to_string()}}
        }
    })
}

async fn correct_api(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let e = event.payload;
    Ok(
        if e["apiPath"] == "/items/{id}" && e["httpMethod"] == "GET" {
            api(&e, 200, json!({"id": e["parameters"][0]["value"]}))
        } else {
            api(&e, 404, json!({"error": "no such operation"}))
        },
    )
}

#[test]
fn an_openapi_handler_keeps_every_check() {
    let report = items().check(service_fn(correct_api));
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
            "message_version",
            "echoes_action_group",
            "echoes_api_path",
            "echoes_http_method",
            "session_attributes",
            "tool_reachable",
            "within_deadline",
            "response_size"
        ]
    );
}

#[test]
fn echoes_http_method_fires_on_a_lower_case_method() {
    let report = items().check(service_fn(|event: LambdaEvent<Value>| async move {
        let declared = event.payload["apiPath"] == "/items/{id}";
        let mut response = correct_api(event).await?;
        if declared {
            let method = response["response"]["httpMethod"]
                .as_str()
                .unwrap()
                .to_lowercase();
            response["response"]["httpMethod"] = json!(method);
        }
        Ok::<_, Error>(response)
    }));
    let finding = only_finding(&report, CheckName::EchoesHttpMethod);
    assert_eq!(
        finding.message,
        "response.httpMethod is \"get\" but the event's httpMethod is \"GET\": Bedrock rejects a \
         response that does not echo it, and the turn fails"
    );
}

#[test]
fn unknown_tool_rejected_accepts_an_error_status_for_openapi() {
    // A 404 with an error body is a rejection; a 200 is not.
    items().check(service_fn(correct_api)).assert_ok();
    let report = items().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        Ok::<_, Error>(api(&e, 200, json!({"id": "1"})))
    }));
    let finding = only_finding(&report, CheckName::UnknownToolRejected);
    assert!(
        finding
            .message
            .starts_with("the undeclared operation GET /"),
        "{}",
        finding.message
    );
}

#[test]
fn reports_match_their_contract_and_findings_replay() {
    let handler = |event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            if parameter(&e, "a").unwrap_or(0.0) > 1e3 {
                return Err(Error::from("too big"));
            }
            Ok(text(&e, sum(&e)))
        })
    };
    let report = calculator().check(service_fn(handler));
    let finding = only_finding(&report, CheckName::NoFunctionError).clone();
    let json = serde_json::to_value(&report).unwrap();
    let errors: Vec<String> = toolcontract::Contract::Report
        .validator()
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(json["run"]["profile"], "function-details");
    assert!(json["run"].get("target_name").is_none());

    // The replay token runs that one case again, and it shrinks to the same minimal case.
    let token: toolcontract::report::ReplayToken = finding.replay_token();
    let group = calculator();
    let replayed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut handlers = [toolcontract::InProcess::new(service_fn(handler))];
            let tokens = [token];
            group
                .run(&mut handlers, Plan::Replay(&tokens), |_| {})
                .await
        })
        .unwrap();
    assert_eq!(replayed.totals.cases, 1);
    // Only the replayed check: one case that did not succeed says nothing of reachability.
    let again: Vec<_> = replayed.findings_of(CheckName::NoFunctionError).collect();
    assert_eq!(again.len(), 1);
    assert_eq!(replayed.findings_of(CheckName::ToolReachable).count(), 0);
    assert_eq!(again[0].case.input, finding.case.input);
    // A token naming a subject this run does not have is refused.
    let stranger: toolcontract::report::ReplayToken =
        "no_function_error:nope:0:0x1".parse().unwrap();
    let refused = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut handlers = [toolcontract::InProcess::new(service_fn(handler))];
            let tokens = [stranger];
            group
                .run(&mut handlers, Plan::Replay(&tokens), |_| {})
                .await
        })
        .unwrap_err();
    assert!(
        refused.to_string().contains("(undeclared function)"),
        "{refused}"
    );
}

/// One function, `book(date)`, whose date the handler parses: random strings are rejected.
fn booking() -> ActionGroup {
    let definition = Definition::from_value(
        "inline.json",
        json!({
            "actionGroupName": "Bookings",
            "functionSchema": {"functions": [{
                "name": "book",
                "description": "Book a table",
                "parameters": {"date": {"type": "string", "required": true}}
            }]}
        }),
    )
    .unwrap();
    ActionGroup::new(definition).unwrap().cases(64)
}

#[test]
fn tool_reachable_holds_for_a_function_that_rejects_malformed_dates_with_its_own_message() {
    // A false alarm before: every random date is rejected, but by the function itself.
    let report = booking().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        Ok::<_, Error>(match e["function"].as_str() {
            Some("book") => reprompt(&e, "invalid date: use YYYY-MM-DD"),
            _ => reprompt(&e, "unknown function"),
        })
    }));
    assert!(
        report.findings.is_empty(),
        "{}",
        toolcontract::report::render_report(&report, false)
    );
}

#[test]
fn tool_reachable_fires_when_the_function_answers_what_undeclared_ones_get() {
    let report = booking().check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        // BUG: compared with the wrong spelling, so `book` gets the same text as any unknown
        // name (the name itself normalised out).
        let name = e["function"].as_str().unwrap_or_default().to_owned();
        Ok::<_, Error>(match name.as_str() {
            "Book" => text(&e, "booked"),
            other => reprompt(&e, &format!("{other} is not available")),
        })
    }));
    let finding = only_finding(&report, CheckName::ToolReachable);
    assert!(
        finding
            .message
            .contains("the same as the answers to names the definition does not declare"),
        "{}",
        finding.message
    );
}

#[test]
fn known_good_arguments_fire_when_they_fail_and_hold_when_they_succeed() {
    let group = calculator()
        .cases(8)
        .with_options({
            let mut options = calculator().options().clone();
            options.cases = 8;
            options
                .known_good
                .insert("add".to_owned(), vec![json!({"a": 2, "b": 3})]);
            options
        })
        .unwrap();
    group.check(service_fn(correct)).assert_ok();
    let report = group.check(service_fn(|event: LambdaEvent<Value>| async move {
        let e = event.payload;
        add_only!(e, {
            Ok(if sum(&e) == 5.0 {
                reprompt(&e, "five is not allowed")
            } else {
                text(&e, sum(&e))
            })
        })
    }));
    let finding = only_finding(&report, CheckName::KnownGoodArguments);
    assert_eq!(finding.case.probe, toolcontract::runner::Probe::KnownGood);
    assert_eq!(finding.case.index, 0);
    assert_eq!(
        finding.shrink_steps, 0,
        "known-good arguments are never shrunk"
    );
}

/// A handler failing on every `a` but zero: shrinking `a` toward zero takes many steps.
async fn fails_unless_a_is_zero(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let e = event.payload;
    add_only!(e, {
        if parameter(&e, "a") != Some(0.0) {
            return Err(Error::from("a is not zero"));
        }
        Ok(text(&e, sum(&e)))
    })
}

#[test]
fn shrink_limits_come_from_the_options_and_a_stop_is_reported() {
    let group = calculator();
    let mut options = group.options().clone();
    options.shrink.max_iterations = 1;
    let report = group
        .with_options(options)
        .unwrap()
        .check(service_fn(fails_unless_a_is_zero));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert_eq!(
        finding.shrink_stopped_at,
        Some(toolcontract::report::ShrinkLimit::MaxIterations)
    );
    assert!(
        render_report(&report, false).contains("this case may not be minimal"),
        "{}",
        render_report(&report, false)
    );

    let report = calculator().check(service_fn(fails_unless_a_is_zero));
    let finding = only_finding(&report, CheckName::NoFunctionError);
    assert_eq!(
        finding.shrink_stopped_at, None,
        "default limits: shrinking completes"
    );
    assert!(!render_report(&report, false).contains("may not be minimal"));
}
