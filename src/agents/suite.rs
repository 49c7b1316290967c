//! The action-group contract as a runner suite: the events an agent sends for each case, and
//! the checks that judge the answers.

use std::collections::BTreeSet;
use std::time::Duration;

use jsonschema::ValidationError;
use serde_json::Value;

use crate::check::{CheckName, Severity};
use crate::handler::{Answer, Invocation, Outcome};
use crate::judge;
use crate::runner::seed::uuid_like;
use crate::runner::suite::{
    CaseInput, Failure, Probe, Reach, Reply, Subject, SubjectKind, Suite, Unreached, Verdict,
};

use super::envelope::{Echo, Envelope, UNUSABLE_RESPONSE};

/// The function ARN every invocation names.
pub(crate) const FUNCTION_ARN: &str =
    "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler";

/// The action-group suite.
pub struct AgentsSuite {
    pub(crate) subjects: Vec<Subject>,
    pub(crate) envelope: Envelope,
    pub(crate) timeout: Duration,
    /// What the undeclared-tool probe sends as `function` (or `apiPath`).
    pub(crate) undeclared: Vec<String>,
}

impl AgentsSuite {
    /// Names (function names, or API paths) the definition does not declare (deterministic).
    pub(crate) fn undeclared_names(envelope: Envelope, declared: &BTreeSet<String>) -> Vec<String> {
        let mut names = match envelope {
            Envelope::FunctionDetails => {
                let mut names = vec!["toolcontract_undeclared_function".to_owned()];
                if let Some(first) = declared.iter().next() {
                    names.push(format!("{first}_v2"));
                }
                names
            }
            Envelope::OpenApi => {
                let mut names = vec!["/toolcontract-undeclared".to_owned()];
                if let Some(first) = declared.iter().next() {
                    names.push(format!(
                        "{}/toolcontract-undeclared",
                        first.trim_end_matches('/')
                    ));
                }
                names
            }
        };
        for name in &mut names {
            while declared.contains(name.as_str()) {
                name.push('_');
            }
        }
        names
    }

    fn invocation(&self, event: Value, seed: u64) -> Invocation {
        Invocation::new(uuid_like(seed), event, FUNCTION_ARN, self.timeout)
    }

    fn success(&self, answer: &Answer) -> bool {
        matches!(&answer.outcome, Outcome::Response { body, .. } if !self.envelope.is_error_answer(body))
    }

    /// The response contract's errors, grouped by the check that owns them (in contract
    /// order), each with its messages.
    fn contract_failures(&self, event: &Value, body: &Value) -> Vec<Failure> {
        let contract = self.envelope.response_contract();
        let routes = judge::routes(contract.schema());
        let mut by_check: Vec<(CheckName, Vec<ValidationError<'_>>)> = Vec::new();
        for error in contract.validator().iter_errors(body) {
            let check = judge::route(&routes, &error).unwrap_or(CheckName::ResponseShape);
            match by_check.iter_mut().find(|(c, _)| *c == check) {
                Some((_, errors)) => errors.push(error),
                None => by_check.push((check, vec![error])),
            }
        }
        let mut out: Vec<Failure> = Vec::new();
        for (check, errors) in by_check {
            let message = match check {
                CheckName::MessageVersion => message_version(body),
                CheckName::SessionAttributes => format!(
                    "session attributes must map strings to strings: {}; Bedrock cannot read the \
                     response (\"{UNUSABLE_RESPONSE}\")",
                    judge::describe_errors(errors).unwrap_or_default()
                ),
                CheckName::ResponseShape => format!(
                    "the response is not a {} response envelope (contracts/{}.json): {}; the \
                     agent would see \"{UNUSABLE_RESPONSE}\"",
                    self.envelope,
                    contract.name(),
                    judge::describe_errors(errors).unwrap_or_default()
                ),
                echo => match self.envelope.echoes().iter().find(|e| e.check == echo) {
                    Some(e) => echo_message(e, event, body),
                    None => judge::describe_errors(errors).unwrap_or_default(),
                },
            };
            let mut failure = Failure::new(check, message);
            // OBSERVED: responses without messageVersion work (contract-facts.md section 3);
            // a wrong one is what the documentation rules out.
            if check == CheckName::MessageVersion && body.get("messageVersion").is_none() {
                failure = failure.with_severity(Severity::Warning);
            }
            out.push(failure);
        }
        // Present and well-typed, but not the event's value.
        for echo in self.envelope.echoes() {
            let sent = event.get(echo.field);
            let answered = body.get("response").and_then(|r| r.get(echo.field));
            if let (Some(Value::String(_)), Some(Value::String(_))) = (sent, answered)
                && sent != answered
                && !out.iter().any(|f| f.check == echo.check)
            {
                out.push(Failure::new(echo.check, echo_message(echo, event, body)));
            }
        }
        out
    }

    fn judge_valid(&self, event: &Value, answer: &Answer, failures: &mut Vec<Failure>) {
        match &answer.outcome {
            Outcome::Response { body, .. } => {
                failures.extend(self.contract_failures(event, body));
            }
            other => {
                if let Some(message) = judge::function_error(other) {
                    failures.push(Failure::new(
                        CheckName::NoFunctionError,
                        format!(
                            "{message}; the agent gets a failed action instead of a text the \
                             model can use: catch it and answer with a text (with responseState \
                             REPROMPT, the model can ask the user again)"
                        ),
                    ));
                }
            }
        }
    }

    fn judge_undeclared(&self, event: &Value, answer: &Answer, failures: &mut Vec<Failure>) {
        let field = self.envelope.tool_field();
        let sent = event.get(field).and_then(Value::as_str).unwrap_or_default();
        let what = match self.envelope {
            Envelope::FunctionDetails => format!("the undeclared function `{sent}`"),
            Envelope::OpenApi => format!(
                "the undeclared operation {} {sent}",
                event
                    .get("httpMethod")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            ),
        };
        let Outcome::Response { body, .. } = &answer.outcome else {
            if let Some(message) = judge::function_error(&answer.outcome) {
                failures.push(Failure::new(
                    CheckName::UnknownToolRejected,
                    format!(
                        "{what} crashed the handler ({message}); answer with a text saying so \
                         (and responseState REPROMPT) instead"
                    ),
                ));
            }
            return;
        };
        let contract = self.contract_failures(event, body);
        if !self.envelope.is_error_answer(body) {
            failures.push(Failure::new(
                CheckName::UnknownToolRejected,
                format!(
                    "{what} was answered as a success ({}); a handler should reject what it \
                     does not declare, with responseState REPROMPT or FAILURE or a text saying \
                     so",
                    judge::preview(body)
                ),
            ));
        } else if let Some(failure) = contract
            .iter()
            .find(|f| f.check != CheckName::ResponseShape && f.severity == Severity::Error)
        {
            failures.push(Failure::new(
                CheckName::UnknownToolRejected,
                format!(
                    "the rejection of {what} never reaches the agent: {}",
                    failure.message
                ),
            ));
        }
        failures.extend(
            contract
                .into_iter()
                .filter(|f| f.check == CheckName::ResponseShape),
        );
    }
}

fn message_version(body: &Value) -> String {
    let found = match body.get("messageVersion") {
        None => "the response has no messageVersion".to_owned(),
        Some(v) => format!("the response's messageVersion is {v}"),
    };
    format!(
        "{found}; it must be \"1.0\", else Bedrock cannot read the response (\"{UNUSABLE_RESPONSE}\")"
    )
}

fn echo_message(echo: &Echo, event: &Value, body: &Value) -> String {
    let field = echo.field;
    let sent = event.get(field).map(Value::to_string).unwrap_or_default();
    let found = match body.get("response").and_then(|r| r.get(field)) {
        None => format!("the response has no response.{field}"),
        Some(v) => format!("response.{field} is {v}"),
    };
    let consequence = match echo.documented {
        Some(text) => format!("the agent would see \"{text}\" and the turn fails"),
        None => "Bedrock rejects a response that does not echo it, and the turn fails".to_owned(),
    };
    format!("{found} but the event's {field} is {sent}: {consequence}")
}

impl AgentsSuite {
    /// What an answer to `invocation` tells about reachability.
    fn reply(&self, invocation: &Invocation, answer: &Answer) -> Reply {
        let Outcome::Response { body, .. } = &answer.outcome else {
            return Reply::Crash;
        };
        if !self.envelope.is_error_answer(body) {
            return Reply::Success;
        }
        let signal = if body
            .pointer("/response/functionResponse/responseState")
            .is_some()
            || body.pointer("/response/responseState").is_some()
        {
            judge::ErrorSignal::ErrorMember("responseState")
        } else if body
            .pointer("/response/httpStatusCode")
            .and_then(Value::as_i64)
            .is_some_and(|c| c >= 400)
        {
            judge::ErrorSignal::StatusCode(
                body.pointer("/response/httpStatusCode")
                    .and_then(Value::as_i64)
                    .unwrap_or_default(),
            )
        } else {
            judge::ErrorSignal::Text
        };
        // Compare only what the model reads (the body texts), with the names the event
        // carried normalised out.
        let field = self.envelope.tool_field();
        let sent = invocation
            .event
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or_default();
        let bodies = body
            .pointer("/response/functionResponse/responseBody")
            .or_else(|| body.pointer("/response/responseBody"))
            .cloned()
            .unwrap_or(Value::Null);
        let text = judge::normalized(&bodies, &[sent], "…");
        Reply::Error {
            signal,
            generic: judge::is_unknown_tool_text(&text),
            text,
        }
    }
}

impl Suite for AgentsSuite {
    fn subjects(&self) -> &[Subject] {
        &self.subjects
    }

    fn probe(&self, subject: &Subject, index: u32) -> Probe {
        if subject.is_known_good(index) {
            return Probe::KnownGood;
        }
        match subject.kind {
            SubjectKind::UndeclaredTool => Probe::UndeclaredTool,
            _ => Probe::Valid,
        }
    }

    fn invocations(
        &self,
        _subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        seed: u64,
    ) -> Vec<Invocation> {
        let mut event = input.arguments.clone();
        if probe == Probe::UndeclaredTool && !self.undeclared.is_empty() {
            let name = &self.undeclared[(seed % self.undeclared.len() as u64) as usize];
            if let Value::Object(map) = &mut event {
                map.insert(
                    self.envelope.tool_field().to_owned(),
                    Value::String(name.clone()),
                );
            }
        }
        vec![self.invocation(event, seed)]
    }

    fn judge(
        &self,
        _subject: &Subject,
        probe: Probe,
        _input: &CaseInput,
        invocations: &[Invocation],
        answers: &[Answer],
    ) -> Verdict {
        let mut failures = Vec::new();
        for (invocation, answer) in invocations.iter().zip(answers) {
            judge::limits(answer, &mut failures);
            if probe == Probe::UndeclaredTool {
                self.judge_undeclared(&invocation.event, answer, &mut failures);
            } else {
                self.judge_valid(&invocation.event, answer, &mut failures);
            }
            if probe == Probe::KnownGood && !self.success(answer) {
                let answered = match &answer.outcome {
                    Outcome::Response { body, .. } => {
                        format!("the response {}", judge::preview(body))
                    }
                    other => {
                        judge::function_error(other).unwrap_or_else(|| other.label().to_owned())
                    }
                };
                failures.push(Failure::new(
                    CheckName::KnownGoodArguments,
                    format!(
                        "the known-good arguments were not answered as a success ({answered}): \
                         the {} fails on arguments its definition or configuration says must work",
                        self.envelope.unit_name()
                    ),
                ));
            }
        }
        judge::dedup(&mut failures);
        let reply = invocations
            .first()
            .zip(answers.first())
            .map(|(invocation, answer)| self.reply(invocation, answer));
        Verdict { failures, reply }
    }

    fn unreachable_message(&self, cases_run: u32, why: &Unreached) -> String {
        crate::checker::unreachable_message(
            cases_run,
            why,
            self.envelope.unit_name(),
            &format!(
                "dispatch on the wrong event field, a name compared with the wrong spelling, or \
                 the {} not implemented; error answers here: {}",
                self.envelope.unit_name(),
                self.envelope.error_answer_summary()
            ),
        )
    }

    fn checks(&self) -> &[CheckName] {
        self.envelope.checks()
    }

    fn applies(&self, check: CheckName, subject: &Subject) -> bool {
        match subject.kind {
            SubjectKind::Tool => match check {
                CheckName::KnownGoodArguments => !subject.known_good.is_empty(),
                CheckName::UnknownToolRejected | CheckName::InvalidArgumentsHandled => false,
                _ => true,
            },
            // The envelope's shape and the limits, and whether the name is rejected: the
            // echo, version and session checks judge answers to declared names only.
            SubjectKind::UndeclaredTool => matches!(
                check,
                CheckName::UnknownToolRejected
                    | CheckName::WithinDeadline
                    | CheckName::ResponseSize
                    | CheckName::ResponseShape
            ),
            // Action groups have no negative mode.
            SubjectKind::InvalidArguments | SubjectKind::Method => false,
        }
    }

    fn reach(&self, subject: &Subject) -> Reach {
        match subject.kind {
            SubjectKind::Tool => Reach::Checked(CheckName::ToolReachable),
            SubjectKind::UndeclaredTool => Reach::Baseline,
            SubjectKind::InvalidArguments | SubjectKind::Method => Reach::Unchecked,
        }
    }

    fn shrinks(&self, probe: Probe) -> bool {
        probe != Probe::KnownGood
    }

    fn deadline_check(&self) -> CheckName {
        CheckName::WithinDeadline
    }
}
