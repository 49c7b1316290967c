//! Every interceptor check, shown to fire: for each, an interceptor that breaks it and one
//! that keeps it; the interceptor definition's errors; the events as the Gateway sends them.

use std::time::Duration;

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use toolcontract::definition::InterceptionPoint;
use toolcontract::{CheckName, Contract, Definition, Interceptor, Report, Severity};

/// A per-case deadline for cases that must not time out however loaded the machine is.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(600);

const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:interceptor";

/// One target, `orders`, with `get_order(order_id)` and `cancel_order(order_id, reason?)`.
fn targets() -> Value {
    json!({"orders": [
        {"name": "get_order", "description": "Look up an order",
         "inputSchema": {"type": "object", "properties": {"order_id": {"type": "string"}},
                         "required": ["order_id"]}},
        {"name": "cancel_order", "description": "Cancel an order",
         "inputSchema": {"type": "object", "properties": {"order_id": {"type": "string"},
                                                          "reason": {"type": "string"}},
                         "required": ["order_id"]}}
    ]})
}

fn definition(configurations: Value) -> Value {
    json!({"interceptorConfigurations": configurations, "targets": targets()})
}

/// An interceptor at `points`, with the request headers.
fn interceptor(points: &[&str]) -> Interceptor {
    let configurations = json!([{
        "interceptor": {"lambda": {"arn": LAMBDA}},
        "interceptionPoints": points,
        "inputConfiguration": {"passRequestHeaders": true}
    }]);
    let definition = Definition::from_value("interceptors.json", definition(configurations))
        .expect("a valid interceptor definition");
    Interceptor::new(definition)
        .unwrap()
        .cases(24)
        .timeout(SAFETY_TIMEOUT)
}

fn both() -> Interceptor {
    interceptor(&["REQUEST", "RESPONSE"])
}

fn check(interceptor: &Interceptor, handler: fn(&Value) -> Value) -> Report {
    interceptor.check(service_fn(move |event: LambdaEvent<Value>| async move {
        Ok::<Value, Error>(handler(&event.payload))
    }))
}

fn is_response(event: &Value) -> bool {
    event["mcp"]["gatewayResponse"].is_object()
}

fn forward(event: &Value) -> Value {
    json!({"interceptorOutputVersion": "1.0", "mcp": {
        "transformedGatewayRequest": {"body": event["mcp"]["gatewayRequest"]["body"]}}})
}

fn keep(event: &Value) -> Value {
    let response = &event["mcp"]["gatewayResponse"];
    json!({"interceptorOutputVersion": "1.0", "mcp": {"transformedGatewayResponse": {
        "statusCode": response["statusCode"], "body": response["body"]}}})
}

/// Correct: passes everything through.
fn passthrough(event: &Value) -> Value {
    if is_response(event) {
        keep(event)
    } else {
        forward(event)
    }
}

fn method(event: &Value) -> &str {
    event["mcp"]["gatewayRequest"]["body"]["method"]
        .as_str()
        .unwrap_or_default()
}

fn is_cancel(event: &Value) -> bool {
    event["mcp"]["gatewayRequest"]["body"]["params"]["name"] == "orders___cancel_order"
}

/// Correct: answers `cancel_order` itself with an error result (a short-circuit).
fn deny_cancel(event: &Value) -> Value {
    if is_response(event) || !is_cancel(event) {
        return passthrough(event);
    }
    let id = &event["mcp"]["gatewayRequest"]["body"]["id"];
    json!({"interceptorOutputVersion": "1.0", "mcp": {"transformedGatewayResponse": {
        "statusCode": 200,
        "body": {"jsonrpc": "2.0", "id": id, "result": {
            "isError": true, "content": [{"type": "text", "text": "not allowed"}]}}}}})
}

/// The failing checks of a report, with their subjects.
fn failed(report: &Report) -> Vec<(CheckName, String)> {
    let mut out: Vec<(CheckName, String)> = report
        .findings
        .iter()
        .map(|f| (f.check, f.subject.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn checks(report: &Report) -> Vec<CheckName> {
    let mut out: Vec<CheckName> = report.findings.iter().map(|f| f.check).collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_passthrough_interceptor_keeps_every_check() {
    let report = check(&both(), passthrough);
    assert!(report.is_ok(), "{:?}", failed(&report));
    assert!(report.findings.is_empty(), "{:?}", failed(&report));
    let subjects: Vec<&str> = report.subjects.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "orders___get_order",
            "orders___cancel_order",
            "(initialize)",
            "(notifications/initialized)",
            "(tools/list)",
            "(ping)"
        ]
    );
    // Both points: two invocations per exchange but for the notification's one.
    let tool = &report.subjects[0];
    assert_eq!(tool.cases_run, 24);
    assert!(
        tool.checks
            .iter()
            .all(|c| c.check != CheckName::InterceptorPassthrough),
        "passthrough applies to methods only"
    );
    let listed = &report.subjects[4];
    assert!(
        listed
            .checks
            .iter()
            .any(|c| c.check == CheckName::InterceptorPassthrough)
    );
    // The JSON report keeps its contract.
    let json = serde_json::to_value(&report).unwrap();
    let errors: Vec<String> = Contract::Report
        .validator()
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(json["run"]["interceptor_lambda"], LAMBDA);
    assert_eq!(
        json["run"]["interception_points"],
        json!(["REQUEST", "RESPONSE"])
    );
}

#[test]
fn a_short_circuit_with_the_request_id_keeps_every_check() {
    let report = check(&both(), deny_cancel);
    assert!(report.findings.is_empty(), "{:?}", failed(&report));
}

#[test]
fn no_function_error_fires_on_a_filter_that_assumes_tools_call() {
    fn tools_call_only(event: &Value) -> Value {
        let name = &event["mcp"]["gatewayRequest"]["body"]["params"]["name"];
        assert!(name.is_string(), "no tool name in a {}", method(event));
        passthrough(event)
    }
    let report = check(&both(), tools_call_only);
    let failed = failed(&report);
    assert!(
        failed.contains(&(CheckName::NoFunctionError, "(tools/list)".to_owned())),
        "{failed:?}"
    );
    assert!(
        failed.iter().all(|(_, subject)| subject.starts_with('(')),
        "tools/call cases keep it: {failed:?}"
    );
    let finding = report
        .findings
        .iter()
        .find(|f| f.subject == "(tools/list)")
        .unwrap();
    assert!(
        finding
            .message
            .contains("on the REQUEST input of an MCP `tools/list` message"),
        "{}",
        finding.message
    );
}

#[test]
fn output_version_fires_on_a_wrong_or_missing_version() {
    fn wrong_version(event: &Value) -> Value {
        let mut out = passthrough(event);
        out["interceptorOutputVersion"] = json!("2.0");
        out
    }
    let report = check(&both(), wrong_version);
    assert_eq!(checks(&report), [CheckName::InterceptorOutputVersion]);
    assert!(report.findings[0].message.contains("\"2.0\""));
    fn numeric_version(event: &Value) -> Value {
        let mut out = passthrough(event);
        out["interceptorOutputVersion"] = json!(1.0);
        out
    }
    assert_eq!(
        checks(&check(&both(), numeric_version)),
        [CheckName::InterceptorOutputVersion]
    );
}

#[test]
fn output_shape_fires_on_an_invented_shape() {
    fn invented(event: &Value) -> Value {
        json!({"interceptorOutputVersion": "1.0",
               "statusCode": 200, "body": event["mcp"]["gatewayRequest"]["body"]})
    }
    let report = check(&both(), invented);
    assert_eq!(checks(&report), [CheckName::InterceptorOutputShape]);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Error)
    );
    assert!(
        report.findings[0]
            .message
            .contains("Received invalid response from interceptor"),
        "{}",
        report.findings[0].message
    );
}

#[test]
fn a_response_output_without_a_transformed_response_is_a_warning() {
    fn request_shape_at_response(event: &Value) -> Value {
        forward(event)
    }
    let report = check(&both(), request_shape_at_response);
    assert_eq!(checks(&report), [CheckName::InterceptorOutputShape]);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning),
        "not documented either way"
    );
    assert!(report.is_ok());
}

#[test]
fn body_object_fires_on_a_string_body() {
    fn dumped(event: &Value) -> Value {
        let mut out = passthrough(event);
        let mcp = out["mcp"].as_object_mut().unwrap();
        for (_, transformed) in mcp.iter_mut() {
            transformed["body"] = Value::String(transformed["body"].to_string());
        }
        out
    }
    let report = check(&both(), dumped);
    assert_eq!(checks(&report), [CheckName::InterceptorBodyObject]);
    assert!(report.findings[0].message.contains("not json.dumps"));
}

#[test]
fn body_null_keeps_the_original() {
    fn nulls(event: &Value) -> Value {
        let mut out = passthrough(event);
        let mcp = out["mcp"].as_object_mut().unwrap();
        for (_, transformed) in mcp.iter_mut() {
            transformed["body"] = Value::Null;
        }
        out
    }
    let report = check(&both(), nulls);
    assert!(report.findings.is_empty(), "{:?}", failed(&report));
}

#[test]
fn id_preserved_fires_on_a_changed_or_dropped_id() {
    // The short-circuit answers with the id as a string: same digits, another type.
    fn string_id(event: &Value) -> Value {
        let mut out = deny_cancel(event);
        if let Some(body) = out
            .pointer_mut("/mcp/transformedGatewayResponse/body")
            .and_then(Value::as_object_mut)
            && !is_response(event)
        {
            body.insert("id".to_owned(), Value::String(body["id"].to_string()));
        }
        out
    }
    let report = check(&both(), string_id);
    assert_eq!(
        failed(&report),
        [(
            CheckName::InterceptorIdPreserved,
            "orders___cancel_order".to_owned()
        )]
    );
    fn dropped(event: &Value) -> Value {
        let mut out = deny_cancel(event);
        if !is_response(event)
            && let Some(body) = out
                .pointer_mut("/mcp/transformedGatewayResponse/body")
                .and_then(Value::as_object_mut)
        {
            body.remove("id");
        }
        out
    }
    let report = check(&both(), dropped);
    assert_eq!(checks(&report), [CheckName::InterceptorIdPreserved]);
    assert!(
        report.findings[0].message.contains("has no id"),
        "{}",
        report.findings[0].message
    );
    // A forwarded request renumbered.
    fn renumbered(event: &Value) -> Value {
        let mut out = passthrough(event);
        if let Some(body) = out
            .pointer_mut("/mcp/transformedGatewayRequest/body")
            .and_then(Value::as_object_mut)
            && body.contains_key("id")
        {
            body.insert("id".to_owned(), json!(-1));
        }
        out
    }
    let failed = failed(&check(&both(), renumbered));
    assert!(
        failed
            .iter()
            .all(|(c, _)| *c == CheckName::InterceptorIdPreserved)
    );
    assert!(
        !failed
            .iter()
            .any(|(_, s)| s == "(notifications/initialized)"),
        "a notification has no id: {failed:?}"
    );
}

#[test]
fn jsonrpc_response_fires_on_an_answer_that_is_not_json_rpc() {
    fn both_result_and_error(event: &Value) -> Value {
        let mut out = deny_cancel(event);
        if !is_response(event)
            && let Some(body) = out
                .pointer_mut("/mcp/transformedGatewayResponse/body")
                .and_then(Value::as_object_mut)
        {
            body.insert("error".to_owned(), json!({"code": 403, "message": "no"}));
        }
        out
    }
    let report = check(&both(), both_result_and_error);
    assert_eq!(
        failed(&report),
        [(
            CheckName::InterceptorJsonrpcResponse,
            "orders___cancel_order".to_owned()
        )]
    );
    // At RESPONSE too: a transformed response without `jsonrpc`.
    fn unversioned(event: &Value) -> Value {
        let mut out = passthrough(event);
        if is_response(event) {
            out["mcp"]["transformedGatewayResponse"]["body"]
                .as_object_mut()
                .unwrap()
                .remove("jsonrpc");
        }
        out
    }
    assert_eq!(
        checks(&check(&both(), unversioned)),
        [CheckName::InterceptorJsonrpcResponse]
    );
}

#[test]
fn passthrough_fires_on_methods_turned_into_something_else() {
    fn everything_a_call(event: &Value) -> Value {
        let mut out = passthrough(event);
        if let Some(body) = out
            .pointer_mut("/mcp/transformedGatewayRequest/body")
            .and_then(Value::as_object_mut)
        {
            body.insert("method".to_owned(), json!("tools/call"));
        }
        out
    }
    let failed = failed(&check(&both(), everything_a_call));
    assert!(
        failed.contains(&(CheckName::InterceptorPassthrough, "(tools/list)".to_owned())),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .all(|(c, _)| *c == CheckName::InterceptorPassthrough)
    );
    // A RESPONSE filter that rewrites every result as a tools/call result.
    fn redacting(event: &Value) -> Value {
        let mut out = passthrough(event);
        if is_response(event)
            && let Some(body) = out
                .pointer_mut("/mcp/transformedGatewayResponse/body")
                .and_then(Value::as_object_mut)
            && body.contains_key("result")
        {
            body.insert(
                "result".to_owned(),
                json!({"content": [{"type": "text", "text": "[redacted]"}]}),
            );
        }
        out
    }
    let report = check(&both(), redacting);
    let failed = self::failed(&report);
    assert_eq!(
        failed,
        [
            (CheckName::InterceptorPassthrough, "(initialize)".to_owned()),
            (CheckName::InterceptorPassthrough, "(tools/list)".to_owned())
        ]
    );
    let listed = report
        .findings
        .iter()
        .find(|f| f.subject == "(tools/list)")
        .unwrap();
    assert!(
        listed.message.contains("lacks `tools`"),
        "{}",
        listed.message
    );
}

#[test]
fn within_deadline_and_response_size_fire() {
    let interceptor = both()
        .cases(2)
        .timeout(Duration::from_millis(100))
        .only_tools(["orders___get_order"])
        .unwrap();
    let mut options = interceptor.options().clone();
    options.shrink.max_iterations = 4;
    let interceptor = interceptor.with_options(options).unwrap();
    // Never answers: a timeout whatever the machine's load.
    let report = interceptor.check(service_fn(|_: LambdaEvent<Value>| async {
        std::future::pending::<Result<Value, Error>>().await
    }));
    assert_eq!(checks(&report), [CheckName::WithinDeadline]);
    let one_case = both().cases(1).only_tools(["orders___get_order"]).unwrap();
    // Each smaller case costs a 7 MiB answer: a few are enough to show the finding.
    let mut options = one_case.options().clone();
    options.shrink.max_iterations = 4;
    let one_case = one_case.with_options(options).unwrap();
    let report = check(&one_case, |event| {
        let mut out = passthrough(event);
        if !is_response(event) {
            out["padding"] = Value::String("x".repeat(7 * 1024 * 1024));
        }
        out
    });
    assert!(
        checks(&report).contains(&CheckName::ResponseSize),
        "{:?}",
        checks(&report)
    );
}

#[test]
fn the_events_are_the_gateways() {
    let interceptor = both();
    let exchanges = interceptor.exchanges("orders___cancel_order").unwrap();
    let validator = Contract::InterceptorInput.validator();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..32 {
        use proptest::strategy::{Strategy, ValueTree};
        let exchange = exchanges.new_tree(&mut runner).unwrap().current();
        let events = interceptor.events(&exchange);
        assert_eq!(
            events.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            [InterceptionPoint::Request, InterceptionPoint::Response]
        );
        for (_, event) in &events {
            assert!(validator.is_valid(event), "{event}");
            let body = &event["mcp"]["gatewayRequest"]["body"];
            assert_eq!(body["method"], "tools/call");
            assert_eq!(body["params"]["name"], "orders___cancel_order");
            assert!(body["params"]["arguments"]["order_id"].is_string());
            let raw: Value =
                serde_json::from_str(event["mcp"]["rawGatewayRequest"]["body"].as_str().unwrap())
                    .unwrap();
            assert_eq!(&raw, body);
            let headers = event["mcp"]["gatewayRequest"]["headers"]
                .as_object()
                .unwrap();
            assert!(headers.keys().all(|k| k.to_lowercase() == *k));
            assert!(
                headers["authorization"]
                    .as_str()
                    .unwrap()
                    .starts_with("Bearer ey")
            );
        }
        assert!(events[0].1["mcp"]["gatewayResponse"].is_null());
        assert_eq!(
            events[1].1["mcp"]["gatewayResponse"]["body"]["id"],
            events[1].1["mcp"]["gatewayRequest"]["body"]["id"]
        );
    }
}

#[test]
fn the_configuration_shapes_the_events() {
    // Without passRequestHeaders: empty headers. RESPONSE only: no notification subject.
    let definition = Definition::from_value(
        "interceptors.json",
        definition(json!([{
            "interceptor": {"lambda": {"arn": LAMBDA}},
            "interceptionPoints": ["RESPONSE"]
        }])),
    )
    .unwrap();
    let interceptor = Interceptor::new(definition).unwrap().cases(4);
    assert_eq!(interceptor.points(), [(InterceptionPoint::Response, false)]);
    let report = check(&interceptor, passthrough);
    assert!(report.findings.is_empty(), "{:?}", failed(&report));
    assert!(
        !report
            .subjects
            .iter()
            .any(|s| s.name == "(notifications/initialized)")
    );
    let sample = &interceptor.samples("orders___get_order", 1).unwrap()[0];
    let event = &sample.invocation.event;
    assert_eq!(event["mcp"]["gatewayRequest"]["headers"], json!({}));
    assert!(event["mcp"]["gatewayResponse"].is_object());
    assert_eq!(sample.invocation.invoked_function_arn, LAMBDA);
}

#[test]
fn two_lambdas_are_checked_one_at_a_time() {
    let other = "arn:aws:lambda:us-east-1:123456789012:function:responses";
    let definition = Definition::from_value(
        "interceptors.json",
        definition(json!([
            {"interceptor": {"lambda": {"arn": LAMBDA}}, "interceptionPoints": ["REQUEST"]},
            {"interceptor": {"lambda": {"arn": other}}, "interceptionPoints": ["RESPONSE"],
             "inputConfiguration": {"passRequestHeaders": true}}
        ])),
    )
    .unwrap();
    let interceptor = Interceptor::new(definition).unwrap();
    assert_eq!(interceptor.points(), [(InterceptionPoint::Request, false)]);
    let interceptor = interceptor.interceptor(other).unwrap();
    assert_eq!(interceptor.points(), [(InterceptionPoint::Response, true)]);
    let error = interceptor.interceptor("arn:nope").unwrap_err().to_string();
    assert!(
        error.contains("configures no interceptor Lambda arn:nope"),
        "{error}"
    );
}

#[test]
fn replay_reaches_a_method_case() {
    fn broken_ping(event: &Value) -> Value {
        if method(event) == "ping" {
            return json!({"interceptorOutputVersion": "1.0", "mcp": {}});
        }
        passthrough(event)
    }
    let report = check(&both(), broken_ping);
    let finding = &report.findings[0];
    assert_eq!(finding.subject, "(ping)");
    let token = finding.replay_token().to_string();
    let replayed = check(&both().replay(&token).unwrap(), broken_ping);
    assert_eq!(replayed.findings.len(), 1, "{:?}", failed(&replayed));
    assert_eq!(replayed.findings[0].check, finding.check);
    assert_eq!(replayed.totals.cases, 1);
}

fn load_error(document: Value) -> String {
    Definition::from_value("interceptors.json", document)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_bad_interceptor_definition_names_the_place() {
    let one = json!([{"interceptor": {"lambda": {"arn": LAMBDA}},
                      "interceptionPoints": ["REQUEST"]}]);
    let error = load_error(json!({"interceptorConfigurations": one}));
    assert!(error.contains("`targets` is missing"), "{error}");
    let error = load_error(json!({"interceptorConfigurations": one, "targets": {}}));
    assert!(
        error.contains("/targets") && error.contains("no targets"),
        "{error}"
    );
    let error = load_error(json!({"interceptorConfigurations": one,
                                  "targets": {"bad_name": targets()["orders"]}}));
    assert!(error.contains("/targets/bad_name"), "{error}");
    let error = load_error(json!({"interceptorConfigurations": [
        {"interceptor": {"lambda": {"arn": LAMBDA}}, "interceptionPoints": ["REQUEST"]},
        {"interceptor": {"lambda": {"arn": "other"}}, "interceptionPoints": ["REQUEST"]}
    ], "targets": targets()}));
    assert!(
        error.contains("/interceptorConfigurations/1/interceptionPoints")
            && error.contains("at most one REQUEST interceptor"),
        "{error}"
    );
    let error = load_error(json!({"interceptorConfigurations": [
        {"interceptor": {"lambda": {"arn": LAMBDA}}, "interceptionPoints": ["BEFORE"]}
    ], "targets": targets()}));
    assert!(
        error.contains("/interceptorConfigurations/0/interceptionPoints/0"),
        "{error}"
    );
    // An inline target's own error, at its place in this file.
    let error = load_error(json!({"interceptorConfigurations": one,
                                  "targets": {"orders": [{"name": "x"}]}}));
    assert!(error.contains("/targets/orders/0"), "{error}");
}

#[test]
fn a_target_that_is_an_interceptor_definition_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.json");
    std::fs::write(
        &path,
        json!({"interceptorConfigurations": [{"interceptor": {"lambda": {"arn": LAMBDA}},
                                              "interceptionPoints": ["REQUEST"]}],
               "targets": {"self": "loop.json"}})
        .to_string(),
    )
    .unwrap();
    let error = Definition::from_path(&path).unwrap_err().to_string();
    assert!(
        error.contains("itself an interceptor definition"),
        "{error}"
    );
    // A target file next to it is read relative to the definition.
    std::fs::write(
        dir.path().join("orders.json"),
        targets()["orders"].to_string(),
    )
    .unwrap();
    std::fs::write(
        &path,
        json!({"interceptorConfigurations": [{"interceptor": {"lambda": {"arn": LAMBDA}},
                                              "interceptionPoints": ["REQUEST"]}],
               "targets": {"orders": "orders.json"}})
        .to_string(),
    )
    .unwrap();
    let definition = Definition::from_path(&path).unwrap();
    let names: Vec<&str> = definition.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["orders___get_order", "orders___cancel_order"]);
}

/// Both points, with response streaming on (as a CreateGateway request sets it).
fn streaming() -> Interceptor {
    let mut document = definition(json!([{
        "interceptor": {"lambda": {"arn": LAMBDA}},
        "interceptionPoints": ["REQUEST", "RESPONSE"]
    }]));
    document["protocolConfiguration"] =
        json!({"mcp": {"streamingConfiguration": {"enableResponseStreaming": true}}});
    let definition = Definition::from_value("interceptors.json", document).unwrap();
    Interceptor::new(definition)
        .unwrap()
        .cases(24)
        .timeout(SAFETY_TIMEOUT)
}

#[test]
fn a_streamed_response_reaches_the_response_interceptor_once_per_event() {
    let interceptor = streaming();
    assert!(interceptor.declaration().streaming);
    let exchanges = interceptor.exchanges("orders___get_order").unwrap();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut most = 0;
    for _ in 0..32 {
        use proptest::strategy::{Strategy, ValueTree};
        let exchange = exchanges.new_tree(&mut runner).unwrap().current();
        let events = interceptor.events(&exchange);
        let streamed = exchange["events"].as_array().unwrap().len();
        most = most.max(streamed);
        // REQUEST, then one RESPONSE per progress event, then the response.
        assert_eq!(events.len(), 2 + streamed);
        let last = &events.last().unwrap().1["mcp"]["gatewayResponse"];
        assert_eq!(last["isStreamingResponse"], true);
        assert_eq!(last["body"], exchange["response"]);
        for (_, event) in &events[1..events.len() - 1] {
            assert_eq!(
                event["mcp"]["gatewayResponse"]["body"]["method"],
                "notifications/progress"
            );
        }
    }
    assert!(most >= 1, "some exchanges stream progress");
    assert!(check(&interceptor, passthrough).findings.is_empty());
    // A RESPONSE interceptor that takes every event for a response crashes on a progress
    // notification.
    fn every_event_a_result(event: &Value) -> Value {
        if is_response(event) {
            let body = &event["mcp"]["gatewayResponse"]["body"];
            assert!(
                body.get("result").is_some() || body.get("error").is_some(),
                "no result"
            );
        }
        passthrough(event)
    }
    let report = check(&interceptor, every_event_a_result);
    assert_eq!(checks(&report), [CheckName::NoFunctionError]);
    // Setting the status on a later event: ignored by the Gateway, a warning.
    fn status_on_every_event(event: &Value) -> Value {
        let mut out = passthrough(event);
        if is_response(event) {
            out["mcp"]["transformedGatewayResponse"]["statusCode"] = json!(203);
        }
        out
    }
    let report = check(&interceptor, status_on_every_event);
    assert_eq!(checks(&report), [CheckName::InterceptorOutputShape]);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    // Without streaming the same interceptor keeps every check.
    assert!(check(&both(), status_on_every_event).findings.is_empty());
}
