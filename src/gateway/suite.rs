//! The Gateway contract as a runner suite: what a Gateway sends a Lambda target for each case,
//! and which checks judge the answers.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;

use crate::check::{CheckName, Severity};
use crate::handler::{Answer, Invocation, Outcome, PreparedContext, RawJson};
use crate::judge::{self, ErrorSignal};
use crate::runner::seed::{splitmix64, uuid_like, uuid_like_bytes, uuid_str};
use crate::runner::suite::{
    CaseInput, Failure, Probe, Reach, Reply, Subject, SubjectKind, Suite, Unreached, Verdict,
};

use super::names;
use super::received::{self, Received};
use crate::profile::{Assumptions, Profile};

/// Every `RENAME_EVERY`-th case of a tool also runs under a renamed target
/// (`target_prefix_invariant`); the others run once.
const RENAME_EVERY: u32 = 8;

/// The checks the Gateway suite runs, in report order.
pub(crate) const GATEWAY_CHECKS: &[CheckName] = &[
    CheckName::NoFunctionError,
    CheckName::ResponseShape,
    CheckName::OutputSchema,
    CheckName::ToolReachable,
    CheckName::UnknownToolRejected,
    CheckName::TargetPrefixInvariant,
    CheckName::WithinDeadline,
    CheckName::ResponseSize,
    CheckName::InvalidArgumentsHandled,
    CheckName::ErrorSignalled,
    CheckName::KnownGoodArguments,
];

/// What tool names are replaced by when answers are compared (not a word, so it never reads
/// as one).
const NAME_PLACEHOLDER: &str = "…";

/// The identity of the simulated Gateway: what its client contexts and invocations carry.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub(crate) target_name: String,
    pub(crate) renamed_target: String,
    pub(crate) gateway_id: String,
    pub(crate) target_id: String,
    pub(crate) function_arn: String,
    pub(crate) timeout: Duration,
}

impl Identity {
    pub(crate) fn new(target_name: &str, timeout: Duration, seed: u64) -> Self {
        let renamed_target = if target_name == "toolcontract-renamed" {
            "toolcontract-other"
        } else {
            "toolcontract-renamed"
        };
        let mut state = seed;
        let suffix: String = (0..10)
            .map(|_| {
                let n = (splitmix64(&mut state) % 36) as u8;
                char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
            })
            .collect();
        Identity {
            target_name: target_name.to_owned(),
            renamed_target: renamed_target.to_owned(),
            gateway_id: format!("toolcontract-gateway-{suffix}"),
            target_id: suffix.to_ascii_uppercase(),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler"
                .to_owned(),
            timeout,
        }
    }

    /// The client context of `qualified_tool` as a template.
    pub(crate) fn template(&self, qualified_tool: &str) -> ContextTemplate {
        ContextTemplate::new(self, qualified_tool)
    }

    /// The invocation a Gateway makes to call the tool of `template` with `arguments`.
    pub(crate) fn invocation(
        &self,
        template: &ContextTemplate,
        arguments: &Value,
        seed: u64,
    ) -> Invocation {
        self.invocation_for_message(template, arguments, seed, seed % 100_000)
    }

    /// [`Identity::invocation`] for the MCP message `message_id` (the JSON-RPC id a client
    /// sent, in `bedrockAgentCoreMcpMessageId`): what `toolcontract serve` sends.
    pub(crate) fn invocation_for_message(
        &self,
        template: &ContextTemplate,
        arguments: &Value,
        seed: u64,
        message_id: u64,
    ) -> Invocation {
        let request_id = uuid_like_bytes(seed ^ 0x6761_7465_7761_7900);
        let context = template.render(uuid_str(&request_id), message_id);
        Invocation::new(
            uuid_like(seed),
            arguments.clone(),
            &self.function_arn,
            self.timeout,
        )
        .with_raw_client_context(context)
    }
}

/// The client context a Gateway sends for one tool name (the six documented
/// `bedrockAgentCore*` keys of the `gateway-client-context` contract, which a test checks every
/// context against), written once: each case only splices in its two ids, which are hex and
/// decimal digits and need no escaping.
pub(crate) struct ContextTemplate {
    /// Up to the value of `bedrockAgentCoreAwsRequestId`.
    head: String,
    /// From there to the value of `bedrockAgentCoreMcpMessageId`.
    middle: String,
    /// The rest.
    tail: String,
    /// The template parsed as Lambda's runtime parses a client context (ids empty), for the
    /// in-process runner; `None` would mean the runtime cannot parse it (a test rules it out).
    parsed: Option<std::sync::Arc<lambda_runtime::Context>>,
}

/// The `custom` key of the request id, one of the two values that change from case to case.
const REQUEST_ID_KEY: &str = "bedrockAgentCoreAwsRequestId";
/// The `custom` key of the MCP message id, the other one.
const MESSAGE_ID_KEY: &str = "bedrockAgentCoreMcpMessageId";

impl ContextTemplate {
    fn new(identity: &Identity, qualified_tool: &str) -> Self {
        let quoted = |s: &str| Value::from(s).to_string();
        let mut template = ContextTemplate {
            head: format!(r#"{{"custom":{{"{REQUEST_ID_KEY}":""#),
            middle: format!(
                r#"","bedrockAgentCoreGatewayId":{},"{MESSAGE_ID_KEY}":""#,
                quoted(&identity.gateway_id)
            ),
            tail: format!(
                r#"","bedrockAgentCoreMessageVersion":"1.0","bedrockAgentCoreTargetId":{},"bedrockAgentCoreToolName":{}}}}}"#,
                quoted(&identity.target_id),
                quoted(qualified_tool)
            ),
            parsed: None,
        };
        template.parsed = PreparedContext::parse_template(template.render("", 0).as_str());
        template
    }

    fn render(&self, request_id: &str, message_id: u64) -> RawJson {
        let mut digits = itoa::Buffer::new();
        let message_id = digits.format(message_id);
        let mut text = String::with_capacity(
            self.head.len()
                + request_id.len()
                + self.middle.len()
                + message_id.len()
                + self.tail.len(),
        );
        let splice = |text: &mut String, value: &str| {
            let at = text.len();
            text.push_str(value);
            at..text.len()
        };
        text.push_str(&self.head);
        let request_id = splice(&mut text, request_id);
        text.push_str(&self.middle);
        let message_id = splice(&mut text, message_id);
        text.push_str(&self.tail);
        match &self.parsed {
            Some(parsed) => {
                let custom = [(REQUEST_ID_KEY, request_id), (MESSAGE_ID_KEY, message_id)];
                RawJson::from_prepared(text, PreparedContext::new(parsed.clone(), custom))
            }
            None => RawJson::from_trusted(text),
        }
    }
}

/// A declared tool as the suite needs it.
pub(crate) struct ToolPlan {
    pub(crate) name: String,
    pub(crate) output_validator: Option<jsonschema::Validator>,
}

/// The Gateway suite.
pub struct GatewaySuite {
    pub(crate) subjects: Vec<Subject>,
    /// The client contexts of each subject's tool (by subject position): under the target
    /// name, and under the renamed target. `None` for the undeclared-tool subject.
    pub(crate) templates: Vec<Option<[ContextTemplate; 2]>>,
    /// The client context of each undeclared name, under the target name.
    pub(crate) undeclared_templates: Vec<ContextTemplate>,
    pub(crate) tools: Vec<ToolPlan>,
    pub(crate) identity: Identity,
    pub(crate) profile: Profile,
    pub(crate) assume: Assumptions,
}

impl GatewaySuite {
    fn plan(&self, subject: &Subject) -> Option<&ToolPlan> {
        let tool = subject.tool.as_deref()?;
        self.tools.iter().find(|t| t.name == tool)
    }

    /// Names a Gateway would never send for this definition (deterministic).
    pub(crate) fn undeclared_names(declared: &BTreeSet<String>) -> Vec<String> {
        let mut names = vec!["toolcontract_undeclared_tool".to_owned()];
        if let Some(first) = declared.iter().next() {
            names.push(format!("{first}_v2"));
        }
        names
            .into_iter()
            .map(|mut n| {
                while declared.contains(&n) {
                    n.push('_');
                }
                n
            })
            .collect()
    }

    /// `response_shape`: what the profile asks of an answer's shape. Returns whether the answer
    /// is a well-formed MCP result, when that was found out (so it is not validated twice).
    fn judge_response(&self, answer: &Answer, failures: &mut Vec<Failure>) -> Option<bool> {
        let Outcome::Response { body, .. } = &answer.outcome else {
            return None;
        };
        let contract = self.profile.contract()?;
        let strict = self.profile == Profile::Mcp;
        if strict || received::attempts_mcp(body) {
            let Some(errors) = judge::schema_errors(contract.validator(), body) else {
                return Some(received::attempts_mcp(body));
            };
            let why = if strict {
                format!(
                    "the response does not match the `mcp` profile (contracts/{}.json)",
                    contract.name()
                )
            } else {
                format!(
                    "the response attempts the MCP result shape (it has `content` or \
                     `isError`) but gets it wrong (contracts/{}.json)",
                    contract.name()
                )
            };
            failures.push(Failure::new(
                CheckName::ResponseShape,
                format!("{why}: {errors}"),
            ));
        } else if !body.is_object() {
            failures.push(
                Failure::new(
                    CheckName::ResponseShape,
                    format!(
                        "the response is {}, not a JSON object: the Gateway documents only that \
                         the answer must be JSON it can parse, and no captured output shows what \
                         an agent receives for a bare value; answer an object",
                        crate::definition::describe::type_name(body)
                    ),
                )
                .with_severity(Severity::Warning),
            );
        }
        Some(false)
    }

    /// `output_schema`, for a response that does not say it failed; `mcp_result` is what
    /// [`Self::judge_response`] found out, if anything.
    fn judge_output(
        &self,
        plan: &ToolPlan,
        body: &Value,
        mcp_result: Option<bool>,
        failures: &mut Vec<Failure>,
    ) {
        let Some(validator) = &plan.output_validator else {
            return;
        };
        let passed_through = match mcp_result {
            Some(valid) => valid && (self.profile == Profile::Mcp || self.assume.mcp_passthrough),
            None => received::passes_through(body, self.profile, self.assume),
        };
        let (what, structured) = if passed_through {
            match body.get("structuredContent") {
                Some(structured) => ("structuredContent", Some(structured.clone())),
                None => (
                    "the JSON in the first text block (there is no structuredContent)",
                    first_text(body).and_then(|t| serde_json::from_str(t).ok()),
                ),
            }
        } else {
            ("the response", Some(body.clone()))
        };
        match structured {
            None => failures.push(Failure::new(
                CheckName::OutputSchema,
                "the tool declares an outputSchema, but the response has no structuredContent \
                 and its first text block is not JSON",
            )),
            Some(value) => {
                if let Some(errors) = judge::schema_errors(validator, &value) {
                    failures.push(Failure::new(
                        CheckName::OutputSchema,
                        format!("{what} does not conform to the outputSchema: {errors}"),
                    ));
                }
            }
        }
    }

    /// `error_signalled`: a response that says it failed (`signal`), received as a success.
    fn judge_signal(&self, body: &Value, signal: &ErrorSignal, failures: &mut Vec<Failure>) {
        if !signal.is_structured() {
            return;
        }
        // The agent is told it failed only when an `isError: true` result passes through.
        if *signal == ErrorSignal::IsError
            && received::passes_through(body, self.profile, self.assume)
        {
            return;
        }
        let assumption = if *signal == ErrorSignal::IsError {
            " (under the assumption mcp_passthrough = false, the Gateway wraps MCP-shaped \
             answers as text like any other JSON)"
        } else {
            ""
        };
        failures.push(Failure::new(
            CheckName::ErrorSignalled,
            format!(
                "the answer says it failed ({}) but the agent receives it as a success \
                 (isError: false, the answer as text){assumption}, so a model may take the \
                 failure for a result: raise an error (the agent then gets isError: true, \
                 with the Gateway's generic text) or, where MCP-shaped answers pass through, \
                 answer {{\"content\": [{{\"type\": \"text\", \"text\": \"...\"}}], \
                 \"isError\": true}}; the answer: {}",
                signal.describe(),
                judge::preview(body)
            ),
        ));
    }

    fn received(&self, outcome: &Outcome) -> Received {
        received::received(outcome, self.profile, self.assume)
    }

    /// What a response to `invocation` tells about reachability, given how it says it
    /// failed (`signal`, as [`judge::error_signal`] found it).
    fn reply(&self, invocation: &Invocation, body: &Value, signal: Option<ErrorSignal>) -> Reply {
        let Some(signal) = signal else {
            return Reply::Success;
        };
        let qualified = raw_tool_name(invocation)
            .map(str::to_owned)
            .unwrap_or_else(|| tool_name_of(invocation));
        let bare = names::split(&qualified).map_or(qualified.as_str(), |(_, tool)| tool);
        let text = judge::normalized(body, &[&qualified, bare], NAME_PLACEHOLDER);
        Reply::Error {
            signal,
            generic: judge::is_unknown_tool_text(&text),
            text,
        }
    }

    fn is_response(answer: &Answer) -> bool {
        matches!(answer.outcome, Outcome::Response { .. })
    }
}

fn first_text(body: &Value) -> Option<&str> {
    body.get("content")?
        .as_array()?
        .first()?
        .get("text")?
        .as_str()
}

/// A short description of an answer for messages.
fn describe(answer: &Answer) -> String {
    match &answer.outcome {
        Outcome::Response { body, .. } => format!("the response {}", judge::preview(body)),
        other => judge::function_error(other).unwrap_or_else(|| other.label().to_owned()),
    }
}

impl Suite for GatewaySuite {
    fn subjects(&self) -> &[Subject] {
        &self.subjects
    }

    fn probe(&self, subject: &Subject, index: u32) -> Probe {
        if subject.is_known_good(index) {
            return Probe::KnownGood;
        }
        match subject.kind {
            SubjectKind::Tool if index % RENAME_EVERY == RENAME_EVERY - 1 => Probe::RenamedTarget,
            SubjectKind::Tool => Probe::Valid,
            SubjectKind::UndeclaredTool => Probe::UndeclaredTool,
            SubjectKind::InvalidArguments => Probe::InvalidArguments,
            // Gateway runs have no method subjects (interceptors do).
            SubjectKind::Method => Probe::Valid,
        }
    }

    fn invocations(
        &self,
        subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        seed: u64,
    ) -> Vec<Invocation> {
        let id = &self.identity;
        // The subject's templates, found by position (each case needs them: no hashing).
        let position = self.subjects.iter().position(|s| std::ptr::eq(s, subject));
        let templates = position
            .and_then(|p| self.templates.get(p))
            .and_then(Option::as_ref);
        let invoke =
            |template: &ContextTemplate, seed: u64| id.invocation(template, &input.arguments, seed);
        match (probe, templates) {
            (Probe::Valid | Probe::KnownGood | Probe::InvalidArguments, Some([target, _])) => {
                vec![invoke(target, seed)]
            }
            (Probe::RenamedTarget, Some([target, renamed])) => {
                vec![invoke(target, seed), invoke(renamed, seed ^ 1)]
            }
            (Probe::UndeclaredTool, _) if !self.undeclared_templates.is_empty() => {
                let which = (seed % self.undeclared_templates.len() as u64) as usize;
                vec![invoke(&self.undeclared_templates[which], seed)]
            }
            // Subjects are built with their templates; a subject from elsewhere gets its own.
            _ => {
                let tool = subject.tool.as_deref().unwrap_or_default();
                vec![invoke(
                    &id.template(&names::qualified(&id.target_name, tool)),
                    seed,
                )]
            }
        }
    }

    fn judge(
        &self,
        subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        invocations: &[Invocation],
        answers: &[Answer],
    ) -> Verdict {
        let mut failures = Vec::new();
        // How each response says it failed (inner `None`: it does not; outer `None`: not a
        // response), found out once per answer for every check below and the reply.
        let signals: Vec<Option<Option<ErrorSignal>>> = answers
            .iter()
            .map(|answer| match &answer.outcome {
                Outcome::Response { body, .. } => Some(judge::error_signal(body)),
                _ => None,
            })
            .collect();
        // Whether answer `i` is a success: a response that does not say it failed.
        let success = |i: usize| matches!(signals.get(i), Some(Some(None)));
        let mut first_is_mcp = None;
        for (i, answer) in answers.iter().enumerate() {
            judge::limits(answer, &mut failures);
            let is_mcp = self.judge_response(answer, &mut failures);
            if i == 0 {
                first_is_mcp = is_mcp;
            }
        }
        let Some(first) = answers.first() else {
            return Verdict {
                failures,
                reply: None,
            };
        };
        match probe {
            Probe::Valid | Probe::RenamedTarget | Probe::KnownGood => {
                for answer in answers {
                    if let Some(message) = judge::function_error(&answer.outcome) {
                        failures.push(Failure::new(
                            CheckName::NoFunctionError,
                            format!(
                                "{message}; the agent receives only the Gateway's generic error \
                                 (isError: true, \"{}\"), nothing it can act on: catch the \
                                 error and answer with a message saying what went wrong",
                                received::GENERIC_ERROR_TEXT
                            ),
                        ));
                    }
                }
                // How the first answer says it failed, found out once for the checks below.
                let mut first_succeeded = false;
                if let (Outcome::Response { body, .. }, Some(signal)) =
                    (&first.outcome, &signals[0])
                {
                    match signal {
                        Some(signal) => self.judge_signal(body, signal, &mut failures),
                        None => {
                            first_succeeded = true;
                            if let Some(plan) = self.plan(subject) {
                                self.judge_output(plan, body, first_is_mcp, &mut failures);
                            }
                        }
                    }
                }
                if probe == Probe::KnownGood && !first_succeeded {
                    failures.push(Failure::new(
                        CheckName::KnownGoodArguments,
                        format!(
                            "the known-good arguments {} were not answered as a success ({}): \
                             the tool fails on arguments its definition or configuration says \
                             must work",
                            judge::preview(&input.arguments),
                            describe(first)
                        ),
                    ));
                }
                // Only two answers tell about the target name: a crash or a timeout under
                // one of them is `no_function_error`'s or `within_deadline`'s.
                if let [a, b] = answers
                    && Self::is_response(a)
                    && Self::is_response(b)
                    && success(0) != success(1)
                {
                    {
                        let (ok, failed) = if success(0) {
                            (&self.identity.target_name, &self.identity.renamed_target)
                        } else {
                            (&self.identity.renamed_target, &self.identity.target_name)
                        };
                        let failed_answer = if success(0) { b } else { a };
                        failures.push(Failure::new(
                            CheckName::TargetPrefixInvariant,
                            format!(
                                "the case succeeds under target `{ok}` but not under target \
                                 `{failed}` ({}): the handler depends on the target name; \
                                 split bedrockAgentCoreToolName at the first `___` and ignore \
                                 the part before it",
                                describe(failed_answer)
                            ),
                        ));
                    }
                }
            }
            Probe::UndeclaredTool => {
                let sent = || invocations.first().map(tool_name_of).unwrap_or_default();
                // The Gateway rejects undeclared names itself: the handler sees one only when
                // the deployed definition and code disagree (a warning by default).
                if let Some(message) = judge::function_error(&first.outcome) {
                    let sent = sent();
                    failures.push(Failure::new(
                        CheckName::UnknownToolRejected,
                        format!(
                            "the undeclared tool `{sent}` crashed the handler ({message}); the \
                             Gateway never sends an undeclared name, but when the deployed \
                             definition and code disagree the agent gets only a generic error: \
                             answer with a text naming the tool instead"
                        ),
                    ));
                } else if success(0) {
                    let sent = sent();
                    failures.push(Failure::new(
                        CheckName::UnknownToolRejected,
                        format!(
                            "the undeclared tool `{sent}` was answered as a success ({}); the \
                             Gateway never sends an undeclared name, but when the deployed \
                             definition and code disagree the agent takes this for a result: \
                             reject names the handler does not know",
                            describe(first)
                        ),
                    ));
                }
            }
            Probe::InvalidArguments => {
                let violation = input
                    .violation
                    .as_ref()
                    .map(|v| {
                        format!(
                            "{} at {} (schema {})",
                            v.kind.as_str(),
                            v.instance_path,
                            v.schema_path
                        )
                    })
                    .unwrap_or_else(|| "invalid arguments".to_owned());
                if let Some(message) = judge::function_error(&first.outcome) {
                    failures.push(Failure::new(
                        CheckName::InvalidArgumentsHandled,
                        format!("arguments breaking the schema ({violation}) crashed the handler ({message})"),
                    ));
                } else if success(0) {
                    failures.push(Failure::new(
                        CheckName::InvalidArgumentsHandled,
                        format!(
                            "arguments breaking the schema ({violation}) were answered as a \
                             success ({}); answer with \"isError\": true",
                            describe(first)
                        ),
                    ));
                }
            }
        }
        judge::dedup(&mut failures);
        let reply = invocations
            .first()
            .map(|invocation| match (&first.outcome, &signals[0]) {
                (Outcome::Response { body, .. }, Some(signal)) => {
                    self.reply(invocation, body, signal.clone())
                }
                _ => Reply::Crash,
            });
        Verdict { failures, reply }
    }

    fn unreachable_message(&self, cases_run: u32, why: &Unreached) -> String {
        crate::checker::unreachable_message(
            cases_run,
            why,
            "tool",
            "the tool name read from the event, compared \
             without the `<target>___` prefix, or the tool not implemented",
        )
    }

    fn checks(&self) -> &[CheckName] {
        GATEWAY_CHECKS
    }

    fn applies(&self, check: CheckName, subject: &Subject) -> bool {
        match subject.kind {
            // Valid cases (renamed-target and known-good ones among them): every check but
            // the two of the other subjects.
            SubjectKind::Tool => match check {
                CheckName::OutputSchema => self
                    .plan(subject)
                    .is_some_and(|p| p.output_validator.is_some()),
                CheckName::KnownGoodArguments => !subject.known_good.is_empty(),
                CheckName::UnknownToolRejected | CheckName::InvalidArgumentsHandled => false,
                _ => true,
            },
            // An undeclared name, or invalid arguments: the answer's shape and limits, and
            // whether it is rejected.
            SubjectKind::UndeclaredTool => matches!(
                check,
                CheckName::UnknownToolRejected
                    | CheckName::WithinDeadline
                    | CheckName::ResponseSize
                    | CheckName::ResponseShape
            ),
            SubjectKind::InvalidArguments => matches!(
                check,
                CheckName::InvalidArgumentsHandled
                    | CheckName::WithinDeadline
                    | CheckName::ResponseSize
                    | CheckName::ResponseShape
            ),
            SubjectKind::Method => false,
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

    fn received(&self, answer: &Answer) -> Option<Value> {
        Some(self.received(&answer.outcome).result)
    }
}

/// The `bedrockAgentCoreToolName` an invocation carried, read from the client context's text
/// without parsing it (this runs for every error answer), when it needs no unescaping.
fn raw_tool_name(invocation: &Invocation) -> Option<&str> {
    const KEY: &str = "\"bedrockAgentCoreToolName\":\"";
    let text = invocation.client_context.as_ref()?.as_str();
    let start = text.find(KEY)? + KEY.len();
    let len = text[start..].find('"')?;
    let name = &text[start..start + len];
    (!name.contains('\\')).then_some(name)
}

/// The `bedrockAgentCoreToolName` an invocation carried.
pub(crate) fn tool_name_of(invocation: &Invocation) -> String {
    invocation
        .client_context
        .as_ref()
        .map(RawJson::to_value)
        .and_then(|c| {
            c.pointer("/custom/bedrockAgentCoreToolName")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::lambda_context;

    /// The in-process runner takes a template's prepared client context instead of parsing its
    /// text: the two must agree for every case, or handlers would see another context than
    /// the one reports show.
    #[test]
    fn prepared_client_contexts_are_what_the_runtime_parses_from_the_text() {
        let identity = Identity::new("orders-v2", Duration::from_secs(3), 7);
        for tool in ["orders-v2___add", "orders-v2___q\"uote\\d", "x___ünïcode"] {
            let template = identity.template(tool);
            assert!(
                template.parsed.is_some(),
                "{tool}: the runtime parses the template"
            );
            for seed in [0, 1, 99_999, 100_000, u64::MAX] {
                let prepared = identity.invocation(&template, &Value::Null, seed);
                let raw = prepared.client_context.clone().unwrap();
                assert!(raw.prepared().is_some());
                let mut parsed = prepared.clone();
                parsed.client_context = Some(RawJson::from_trusted(raw.as_str().to_owned()));
                let (a, b) = (lambda_context(&prepared), lambda_context(&parsed));
                assert!(a.client_context.is_some(), "{}", raw.as_str());
                assert_eq!(a.client_context, b.client_context, "{}", raw.as_str());
            }
        }
    }
}
