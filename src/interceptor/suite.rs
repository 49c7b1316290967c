//! The interceptor contract as a runner suite: the events of each exchange, and the checks
//! that judge the interceptor's outputs.

use std::time::Duration;

use serde_json::Value;

use crate::check::{CheckName, Severity};
use crate::contracts::Contract;
use crate::definition::InterceptionPoint;
use crate::handler::{Answer, Invocation, Outcome};
use crate::judge;
use crate::runner::seed::uuid_like;
use crate::runner::suite::{
    CaseInput, Failure, Probe, Reach, Subject, SubjectKind, Suite, Unreached, Verdict,
};

use super::event::{ExchangeSpec, is_notification};

/// The checks of an interceptor run, in report order.
const CHECKS: &[CheckName] = &[
    CheckName::NoFunctionError,
    CheckName::InterceptorOutputVersion,
    CheckName::InterceptorOutputShape,
    CheckName::InterceptorBodyObject,
    CheckName::InterceptorIdPreserved,
    CheckName::InterceptorJsonrpcResponse,
    CheckName::InterceptorPassthrough,
    CheckName::WithinDeadline,
    CheckName::ResponseSize,
];

/// What the Gateway logs for an interceptor answer it cannot use (observed, third party).
const INVALID_RESPONSE: &str = "Received invalid response from interceptor";

/// The report name of the subject of `method`, e.g. `(tools/list)`.
pub(crate) fn method_subject(method: &str) -> String {
    format!("({method})")
}

/// The interceptor suite.
pub struct InterceptorSuite {
    spec: ExchangeSpec,
    subjects: Vec<Subject>,
    lambda: String,
    timeout: Duration,
}

impl InterceptorSuite {
    pub(crate) fn new(
        spec: ExchangeSpec,
        subjects: Vec<Subject>,
        lambda: String,
        timeout: Duration,
    ) -> InterceptorSuite {
        InterceptorSuite {
            spec,
            subjects,
            lambda,
            timeout,
        }
    }
}

/// The exchange's request method, e.g. `tools/call`.
fn method_of(exchange: &Value) -> &str {
    exchange["request"]["method"].as_str().unwrap_or_default()
}

/// Which point an input is for.
fn point_of(event: &Value) -> InterceptionPoint {
    match event["mcp"].get("gatewayResponse") {
        Some(Value::Object(_)) => InterceptionPoint::Response,
        _ => InterceptionPoint::Request,
    }
}

/// A JSON value as messages quote it.
fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_owned(), judge::preview)
}

impl InterceptorSuite {
    /// The output contract's failures, grouped by the check that owns them.
    fn contract_failures(&self, point: InterceptionPoint, out: &Value) -> Vec<Failure> {
        let contract = match point {
            InterceptionPoint::Request => Contract::InterceptorRequestOutput,
            InterceptionPoint::Response => Contract::InterceptorResponseOutput,
        };
        let routes = judge::routes(contract.schema());
        let mut by_check: Vec<(CheckName, Vec<jsonschema::ValidationError<'_>>)> = Vec::new();
        for error in contract.validator().iter_errors(out) {
            let check = judge::route(&routes, &error).unwrap_or(CheckName::InterceptorOutputShape);
            match by_check.iter_mut().find(|(c, _)| *c == check) {
                Some((_, errors)) => errors.push(error),
                None => by_check.push((check, vec![error])),
            }
        }
        let mut failures = Vec::new();
        for (check, errors) in by_check {
            let errors = judge::describe_errors(errors).unwrap_or_default();
            let failure = match check {
                CheckName::InterceptorOutputVersion => Failure::new(
                    check,
                    format!(
                        "interceptorOutputVersion is {}; it must be \"1.0\" (documented), else \
                         the Gateway cannot use the output (\"{INVALID_RESPONSE}\")",
                        shown(out.get("interceptorOutputVersion"))
                    ),
                ),
                CheckName::InterceptorBodyObject => Failure::new(
                    check,
                    format!(
                        "a transformed body is not a JSON object ({errors}); for MCP targets \
                         the Gateway takes bodies as parsed JSON objects (null keeps the \
                         original): return the object itself, not json.dumps of it"
                    ),
                ),
                _ => {
                    let missing_response = point == InterceptionPoint::Response
                        && out.get("mcp").is_some_and(Value::is_object)
                        && out["mcp"].get("transformedGatewayResponse").is_none();
                    if missing_response && errors.lines().count() <= 1 {
                        // Not documented either way: what the Gateway then sends is unknown.
                        Failure::new(
                            check,
                            "the RESPONSE output has no mcp.transformedGatewayResponse; the \
                             documented RESPONSE output always has one (with body null to keep \
                             the target's answer), and what the Gateway sends the client \
                             without it is not documented"
                                .to_owned(),
                        )
                        .with_severity(Severity::Warning)
                    } else {
                        Failure::new(
                            check,
                            format!(
                                "the {point} output is not the documented shape \
                                 (contracts/{}.json): {errors}; the Gateway logs such an \
                                 answer as \"{INVALID_RESPONSE}\" (observed) and the client's \
                                 request fails",
                                contract.name()
                            ),
                        )
                    }
                }
            };
            failures.push(failure);
        }
        failures
    }

    /// `interceptor_jsonrpc_response` and `interceptor_id_preserved` for an answer the
    /// interceptor gives the client (`how`: "short-circuit answer" or "transformed response").
    fn judge_answer(&self, request: &Value, body: &Value, how: &str, failures: &mut Vec<Failure>) {
        let contract = Contract::JsonRpcResponse;
        let routes = judge::routes(contract.schema());
        let (mut id_errors, mut shape_errors) = (Vec::new(), Vec::new());
        for error in contract.validator().iter_errors(body) {
            match judge::route(&routes, &error) {
                Some(CheckName::InterceptorIdPreserved) => id_errors.push(error),
                _ => shape_errors.push(error),
            }
        }
        if let Some(errors) = judge::describe_errors(shape_errors) {
            failures.push(Failure::new(
                CheckName::InterceptorJsonrpcResponse,
                format!(
                    "the {how} is not a JSON-RPC 2.0 response ({errors}): the MCP client cannot \
                     read it, and its request fails"
                ),
            ));
        }
        let sent = request.get("id");
        let answered = body.get("id");
        if sent.is_some() && (answered != sent || !id_errors.is_empty()) {
            failures.push(Failure::new(
                CheckName::InterceptorIdPreserved,
                format!(
                    "the {how} {} but the request's id is {}: the MCP client matches answers \
                     to requests by id (same value, same type), so this request never gets its \
                     answer",
                    answered.map_or_else(|| "has no id".to_owned(), |id| format!("has id {id}")),
                    shown(sent)
                ),
            ));
        }
    }

    fn judge_request(&self, exchange: &Value, out: &Value, failures: &mut Vec<Failure>) {
        failures.extend(self.contract_failures(InterceptionPoint::Request, out));
        let request = &exchange["request"];
        let method = method_of(exchange);
        let mcp = &out["mcp"];
        if let Some(answer) = mcp
            .get("transformedGatewayResponse")
            .filter(|a| a.is_object())
        {
            match answer.get("body") {
                Some(body @ Value::Object(_)) if !is_notification(method) => {
                    self.judge_answer(request, body, "short-circuit answer", failures);
                }
                Some(Value::Null) | None if !is_notification(method) => {
                    failures.push(
                        Failure::new(
                            CheckName::InterceptorJsonrpcResponse,
                            "the REQUEST interceptor answers the client at once \
                             (transformedGatewayResponse) with no body: at REQUEST there is no \
                             target answer for null to keep, so what the client gets is not \
                             documented"
                                .to_owned(),
                        )
                        .with_severity(Severity::Warning),
                    );
                }
                _ => {}
            }
            return;
        }
        let Some(Value::Object(forwarded)) = mcp
            .get("transformedGatewayRequest")
            .and_then(|r| r.get("body"))
        else {
            return;
        };
        if let Some(sent) = request.get("id")
            && forwarded.get("id") != Some(sent)
        {
            failures.push(Failure::new(
                CheckName::InterceptorIdPreserved,
                format!(
                    "the forwarded request's id is {} but the client's is {sent}: the answer \
                     goes back under the forwarded id, and the MCP client, matching by id, \
                     never gets it",
                    shown(forwarded.get("id"))
                ),
            ));
        }
        if method != "tools/call" && forwarded.get("method").and_then(Value::as_str) != Some(method)
        {
            failures.push(Failure::new(
                CheckName::InterceptorPassthrough,
                format!(
                    "a {method} request was forwarded as method {}: the interceptor sees every \
                     MCP message, not only tools/call, and must pass on what it does not \
                     handle (forward the body as it came, or null to keep it)",
                    shown(forwarded.get("method"))
                ),
            ));
        }
    }

    fn judge_response(
        &self,
        exchange: &Value,
        event: &Value,
        out: &Value,
        failures: &mut Vec<Failure>,
    ) {
        failures.extend(self.contract_failures(InterceptionPoint::Response, out));
        let given = &event["mcp"]["gatewayResponse"];
        let original = &given["body"];
        let answer = &out["mcp"]["transformedGatewayResponse"];
        // A streamed response: only the first event's output may set the status and headers
        // (documented); the Gateway ignores them later.
        let first = match exchange.get("events").and_then(Value::as_array) {
            Some(events) if !events.is_empty() => *original == events[0],
            _ => true,
        };
        if given["isStreamingResponse"] == true
            && !first
            && (answer.get("headers").is_some()
                || answer
                    .get("statusCode")
                    .is_some_and(|s| *s != given["statusCode"]))
        {
            failures.push(
                Failure::new(
                    CheckName::InterceptorOutputShape,
                    "the output for a later event of a streamed response sets the status or \
                     headers; only the first event's output may (documented): the Gateway \
                     ignores them here"
                        .to_owned(),
                )
                .with_severity(Severity::Warning),
            );
        }
        let Some(Value::Object(body)) = answer.get("body") else {
            return;
        };
        let body = Value::Object(body.clone());
        // An event of the stream that is not the response (a progress notification).
        if original.get("id").is_none() {
            return;
        }
        self.judge_answer(
            &exchange["request"],
            &body,
            "transformed response",
            failures,
        );
        let method = method_of(exchange);
        if original.get("result").is_none() {
            return;
        }
        let Some(result) = body.get("result") else {
            return;
        };
        let missing: Vec<&str> = match method {
            "initialize" => [("protocolVersion", Value::is_string as fn(&Value) -> bool)]
                .into_iter()
                .chain([("capabilities", Value::is_object as fn(&Value) -> bool)])
                .filter(|(member, is)| !result.get(*member).is_some_and(is))
                .map(|(member, _)| member)
                .collect(),
            "tools/list" => (!result.get("tools").is_some_and(Value::is_array))
                .then_some("tools")
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        if !missing.is_empty() {
            failures.push(Failure::new(
                CheckName::InterceptorPassthrough,
                format!(
                    "the transformed {method} result lacks {} (it is {}): the client cannot \
                     use it; a filter written for tools/call results must pass other methods' \
                     results through",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    judge::preview(result)
                ),
            ));
        }
    }
}

impl Suite for InterceptorSuite {
    fn subjects(&self) -> &[Subject] {
        &self.subjects
    }

    fn probe(&self, _subject: &Subject, _index: u32) -> Probe {
        Probe::Valid
    }

    fn invocations(
        &self,
        _subject: &Subject,
        _probe: Probe,
        input: &CaseInput,
        seed: u64,
    ) -> Vec<Invocation> {
        self.spec
            .events(&input.arguments)
            .into_iter()
            .enumerate()
            .map(|(i, (_, event))| {
                Invocation::new(
                    uuid_like(seed.wrapping_add(i as u64)),
                    event,
                    self.lambda.clone(),
                    self.timeout,
                )
            })
            .collect()
    }

    fn judge(
        &self,
        _subject: &Subject,
        _probe: Probe,
        input: &CaseInput,
        invocations: &[Invocation],
        answers: &[Answer],
    ) -> Verdict {
        let mut failures = Vec::new();
        let exchange = &input.arguments;
        let method = method_of(exchange);
        for (invocation, answer) in invocations.iter().zip(answers) {
            judge::limits(answer, &mut failures);
            let point = point_of(&invocation.event);
            match &answer.outcome {
                Outcome::Response { body, .. } => match point {
                    InterceptionPoint::Request => self.judge_request(exchange, body, &mut failures),
                    InterceptionPoint::Response => {
                        self.judge_response(exchange, &invocation.event, body, &mut failures);
                    }
                },
                other => {
                    if let Some(message) = judge::function_error(other) {
                        failures.push(Failure::new(
                            CheckName::NoFunctionError,
                            format!(
                                "{message} on the {point} input of an MCP `{method}` message; \
                                 the Gateway gets no output it can use, and the client's \
                                 `{method}` fails (the interceptor runs on every MCP message \
                                 through the Gateway)"
                            ),
                        ));
                    }
                }
            }
        }
        judge::dedup(&mut failures);
        Verdict {
            failures,
            reply: None,
        }
    }

    fn unreachable_message(&self, cases_run: u32, _why: &Unreached) -> String {
        format!("{cases_run} cases: interceptors have no reachability check")
    }

    fn checks(&self) -> &[CheckName] {
        CHECKS
    }

    fn applies(&self, check: CheckName, subject: &Subject) -> bool {
        let notification = subject.kind == SubjectKind::Method
            && subject.name.strip_prefix('(').is_some_and(is_notification);
        match check {
            CheckName::InterceptorPassthrough => subject.kind == SubjectKind::Method,
            CheckName::InterceptorIdPreserved | CheckName::InterceptorJsonrpcResponse => {
                !notification
            }
            _ => CHECKS.contains(&check),
        }
    }

    fn reach(&self, _subject: &Subject) -> Reach {
        Reach::Unchecked
    }

    fn shrinks(&self, _probe: Probe) -> bool {
        true
    }

    fn deadline_check(&self) -> CheckName {
        CheckName::WithinDeadline
    }
}
