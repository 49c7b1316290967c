//! Checking the Lambda functions of Amazon Bedrock Agents action groups.
//!
//! An agent calls an action group's Lambda with an event naming the action group and the
//! function (function details) or the `apiPath` and `httpMethod` (OpenAPI), every parameter
//! value as a string; it expects the response to echo those names, in an envelope with
//! `messageVersion` `"1.0"`. [`ActionGroup`] loads a definition (a `create_agent_action_group`
//! request, or a bare OpenAPI document with the group's name), generates arguments from each
//! function's parameters or operation's schemas, sends the events an agent would send, and runs
//! the action-group checks (see [`CheckName`]) through the same runner as the
//! Gateway checks.
//!
//! ```no_run
//! use lambda_runtime::{service_fn, Error, LambdaEvent};
//! use serde_json::{json, Value};
//!
//! async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     let e = &event.payload;
//!     let text = match e["function"].as_str() {
//!         Some("get_booking") => "booking 1: 2 guests".to_owned(),
//!         other => format!("unknown function {other:?}"),
//!     };
//!     Ok(json!({
//!         "messageVersion": "1.0",
//!         "response": {
//!             "actionGroup": e["actionGroup"],
//!             "function": e["function"],
//!             "functionResponse": {"responseBody": {"TEXT": {"body": text}}}
//!         }
//!     }))
//! }
//!
//! #[test]
//! fn keeps_the_action_group_contract() {
//!     toolcontract::ActionGroup::from_path("action-group.json")
//!         .unwrap()
//!         .check(service_fn(handler))
//!         .assert_ok();
//! }
//! ```
//!
//! The checks, each applied to every valid case of every tool unless it says otherwise:
//! - `no_function_error`: the handler answers with JSON (no `Err`, panic, exit, invalid JSON).
//! - `response_shape`: the response matches the envelope's contract
//!   (`agents-function-response` or `agents-openapi-response`), apart from what the checks
//!   below own (the contract's `x-checks` says which locations those are).
//! - `message_version`: `messageVersion` is `"1.0"`.
//! - `echoes_action_group`, `echoes_function` / `echoes_api_path`, `echoes_http_method`:
//!   `response.<field>` is a string equal to the event's (the path template, unsubstituted).
//! - `session_attributes`: `sessionAttributes` and `promptSessionAttributes`, when present, map
//!   strings to strings. Echoing the event's maps back is NOT required: the documentation shows
//!   them in the response but never says they must match.
//! - `tool_reachable`: not every valid case of a tool gets an error answer
//!   ([`Envelope::is_error_answer`]) or a function error.
//! - `unknown_tool_rejected` (undeclared-function probe only): a function or `apiPath` the
//!   definition does not declare gets an error answer with a usable envelope, not a success
//!   and not a function error.
//! - `within_deadline`, `response_size` (6 MB): every answer.

mod envelope;
mod event;
mod suite;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use lambda_runtime::{Diagnostic, LambdaEvent};
use proptest::strategy::{SBoxedStrategy, Strategy, Union, ValueTree};
use serde::Serialize;
use serde_json::Value;
use tower::Service;

use crate::check::CheckName;
use crate::config::{Config, Level};
use crate::definition::{ActionTarget, Definition, DefinitionError, DefinitionErrorKind, Tool};
use crate::errors::{Error, SchemaError, SchemaProblem};
use crate::gateway::{GatewayOptions, Sample};
use crate::generate::SchemaGenerator;
use crate::handler::{Answer, Handler, InProcess, Invocation};
use crate::harness;
use crate::report::{ReplayToken, Report, RunInfo, Seed};
use crate::runner::suite::{CaseInput, Subject, SubjectKind};
use crate::runner::{self, DEFAULT_SEED, RunEvent};

pub use crate::judge::{ERROR_TEXT_WINDOW, is_error_text};
pub use envelope::Envelope;
pub use event::encode;
use event::{Agent, EventSpec, Session};
use suite::{AgentsSuite, FUNCTION_ARN};

/// Cases of the undeclared-function probe per run.
const UNDECLARED_CASES: u32 = 16;

/// The settings of an action-group check.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ActionGroupOptions {
    /// Valid cases per tool (default 256, or `PROPTEST_CASES`).
    pub cases: u32,
    /// The run seed (default fixed, so a run is reproducible).
    pub seed: u64,
    /// Per-case timeout: the deadline each invocation gets (default 3 s, Lambda's default).
    pub timeout: Duration,
    /// Only these tools (empty: all).
    pub tools: Vec<String>,
    /// Warnings fail the run too.
    pub deny_warnings: bool,
    /// Per-check levels (`error`, `warning`, `off`) over the checks' defaults.
    pub checks: std::collections::BTreeMap<CheckName, Level>,
    /// Known-good arguments by tool (decoded, as [`ActionGroup::arguments`] gives them),
    /// besides each input schema's own `examples`: sent first; they must succeed.
    pub known_good: std::collections::BTreeMap<String, Vec<Value>>,
    /// Replay only these cases (as findings print them), each shrunk again; empty: every case.
    pub replay: Vec<ReplayToken>,
    /// How far shrinking a finding may go (default: 1024 candidates, 60 s, 5 s for
    /// `within_deadline`).
    pub shrink: crate::runner::ShrinkLimits,
}

impl Default for ActionGroupOptions {
    fn default() -> Self {
        // The same defaults as the Gateway harness (cases honour `PROPTEST_CASES`).
        let gateway = GatewayOptions::default();
        ActionGroupOptions {
            cases: gateway.cases,
            seed: DEFAULT_SEED,
            timeout: gateway.timeout,
            tools: Vec::new(),
            deny_warnings: false,
            checks: std::collections::BTreeMap::new(),
            known_good: std::collections::BTreeMap::new(),
            replay: Vec::new(),
            shrink: crate::runner::ShrinkLimits::default(),
        }
    }
}

/// A compiled tool: its generator and what its events carry.
struct CompiledTool {
    name: String,
    spec_target: ActionTarget,
    generator: SchemaGenerator,
    input_schema: Value,
    /// The input schema's own `examples` that it accepts.
    examples: Vec<Value>,
}

/// Why toolcontract cannot check `tool`, if it cannot (besides its input schema): an OpenAPI
/// request body that is not an object, whose encoding in the event is not documented.
pub(crate) fn unsupported_tool(tool: &Tool) -> Option<String> {
    let ActionTarget::Operation(operation) = &tool.action.as_ref()?.target else {
        return None;
    };
    let body = operation.request_body.as_ref()?;
    (!body.is_object).then(|| {
        format!(
            "toolcontract cannot build events for operation `{}`: its {} request body is not an \
             object, and how Bedrock passes anything but an object's top-level properties is \
             not documented",
            tool.name, body.media_type
        )
    })
}

/// An action-group definition ready to check handlers against.
pub struct ActionGroup {
    definition: Definition,
    name: String,
    envelope: Envelope,
    tools: Vec<CompiledTool>,
    options: ActionGroupOptions,
    /// The configuration file applied, if any.
    config_path: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for ActionGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionGroup")
            .field("definition", &self.definition.source)
            .field("name", &self.name)
            .field("envelope", &self.envelope)
            .field(
                "tools",
                &self.tools.iter().map(|t| &t.name).collect::<Vec<_>>(),
            )
            .field("options", &self.options)
            .finish()
    }
}

impl ActionGroup {
    /// Loads a `create_agent_action_group` request (JSON) and compiles a generator for every
    /// function or operation.
    /// Applies the `toolcontract.toml` found next to the definition or above the working
    /// directory, if any (see [`Config::discover`]).
    pub fn from_path(path: impl AsRef<Path>) -> Result<ActionGroup, Error> {
        let path = path.as_ref();
        let group = ActionGroup::new(Definition::from_path(path)?)?;
        match Config::discover(path)? {
            Some(config) => group.config(&config),
            None => Ok(group),
        }
    }

    /// Loads a bare OpenAPI document (JSON or YAML) as the action group `action_group_name`.
    pub fn from_openapi_path(
        path: impl AsRef<Path>,
        action_group_name: &str,
    ) -> Result<ActionGroup, Error> {
        ActionGroup::new(Definition::from_openapi_path(path, action_group_name)?)
    }

    /// Compiles a generator for every tool of a loaded action-group definition.
    pub fn new(definition: Definition) -> Result<ActionGroup, Error> {
        let Some(group) = &definition.action_group else {
            return Err(Error::Usage(format!(
                "{} is not an action group (it is a {:?} definition): check it with the \
                 Gateway harness",
                definition.source.display(),
                definition.kind
            )));
        };
        if definition.tools.is_empty() {
            return Err(Error::NoTools(definition.source.clone()));
        }
        let name = group.name.clone();
        let envelope = if definition.kind.is_openapi() {
            Envelope::OpenApi
        } else {
            Envelope::FunctionDetails
        };
        let mut tools = Vec::with_capacity(definition.tools.len());
        for tool in &definition.tools {
            let Some(action) = &tool.action else { continue };
            if let Some(reason) = unsupported_tool(tool) {
                return Err(DefinitionError::new(
                    &definition.source,
                    definition.in_file(&tool.pointer),
                    DefinitionErrorKind::Invalid(reason),
                )
                .into());
            }
            let generator = SchemaGenerator::new(&tool.input_schema).map_err(|e| SchemaError {
                file: definition.source.clone(),
                tool: tool.name.clone(),
                pointer: definition.pointer_in_file(&tool.input_schema_pointer(), &e.pointer),
                problem: SchemaProblem::Generate(e.kind),
            })?;
            tools.push(CompiledTool {
                name: tool.name.clone(),
                spec_target: action.target.clone(),
                generator,
                examples: crate::gateway::schema_examples(&tool.input_schema),
                input_schema: tool.input_schema.clone(),
            });
        }
        Ok(ActionGroup {
            definition,
            name,
            envelope,
            tools,
            options: ActionGroupOptions::default(),
            config_path: None,
        })
    }

    /// Applies a configuration: its defaults (cases, seed, timeout), check levels and
    /// known-good arguments. Gateway-only settings (target name, profile, assumptions) are
    /// ignored.
    pub fn config(mut self, config: &Config) -> Result<ActionGroup, Error> {
        let known = config.known_good_for(
            self.tools
                .iter()
                .map(|t| (t.name.as_str(), &t.input_schema)),
        )?;
        let options = &mut self.options;
        if let Some(cases) = config.cases {
            options.cases = cases;
        }
        if let Some(seed) = config.seed {
            options.seed = seed;
        }
        if let Some(timeout) = config.timeout {
            options.timeout = timeout;
        }
        options.deny_warnings |= config.deny_warnings;
        options.shrink = config.shrink_limits(options.shrink);
        options
            .checks
            .extend(config.checks.iter().map(|(c, l)| (*c, *l)));
        options.known_good.extend(known);
        self.config_path = config.path.clone();
        Ok(self)
    }

    /// Whether warnings fail the run too (`Report::is_ok`, `assert_ok`).
    #[must_use]
    pub fn deny_warnings(mut self, deny: bool) -> ActionGroup {
        self.options.deny_warnings = deny;
        self
    }

    /// The level of one check's findings: `error`, `warning` or `off`.
    #[must_use]
    pub fn check_level(mut self, check: CheckName, level: Level) -> ActionGroup {
        self.options.checks.insert(check, level);
        self
    }

    /// Replaces all options at once (validated like the individual setters).
    pub fn with_options(mut self, options: ActionGroupOptions) -> Result<ActionGroup, Error> {
        for tool in &options.tools {
            self.tool(tool)?;
        }
        self.options = options;
        Ok(self)
    }

    /// Valid cases per tool.
    #[must_use]
    pub fn cases(mut self, cases: u32) -> ActionGroup {
        self.options.cases = cases;
        self
    }

    /// The run seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> ActionGroup {
        self.options.seed = seed;
        self
    }

    /// The per-case timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> ActionGroup {
        self.options.timeout = timeout;
        self
    }

    /// Only check these tools.
    pub fn only_tools<I, T>(mut self, tools: I) -> Result<ActionGroup, Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        let tools: Vec<String> = tools.into_iter().map(Into::into).collect();
        for tool in &tools {
            self.tool(tool)?;
        }
        self.options.tools = tools;
        Ok(self)
    }

    /// The options in effect.
    pub fn options(&self) -> &ActionGroupOptions {
        &self.options
    }

    /// The loaded definition.
    pub fn definition(&self) -> &Definition {
        &self.definition
    }

    /// The action group's name (what every event carries as `actionGroup`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The envelope the events and responses use.
    pub fn envelope(&self) -> Envelope {
        self.envelope
    }

    fn tool(&self, name: &str) -> Result<&CompiledTool, Error> {
        self.tools
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| Error::UnknownTool {
                name: name.to_owned(),
                available: self
                    .tools
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    fn spec(&self, tool: &CompiledTool) -> EventSpec {
        EventSpec {
            action_group: self.name.clone(),
            target: tool.spec_target.clone(),
            agent: Agent::new(self.options.seed),
        }
    }

    /// The strategy of valid arguments of `tool` (decoded: numbers as numbers), for writing
    /// your own properties. For an OpenAPI operation: `{"parameters": {...}, "requestBody":
    /// {...}}`.
    pub fn arguments(&self, tool: &str) -> Result<SBoxedStrategy<Value>, Error> {
        Ok(self.tool(tool)?.generator.strategy())
    }

    /// The strategy of the events an agent sends to call `tool`: the arguments encoded as the
    /// service encodes them, with varying session attributes, input text and parameter order.
    /// Shrinks through the encoding.
    pub fn events(&self, tool: &str) -> Result<SBoxedStrategy<Value>, Error> {
        let compiled = self.tool(tool)?;
        Ok(self.spec(compiled).strategy(compiled.generator.strategy()))
    }

    /// The invocation an agent would make for `tool` with `arguments` (decoded, as
    /// [`ActionGroup::arguments`] gives them), with empty session attributes; `seed` fixes the
    /// request and session ids.
    pub fn invocation(
        &self,
        tool: &str,
        arguments: &Value,
        seed: u64,
    ) -> Result<Invocation, Error> {
        let compiled = self.tool(tool)?;
        let spec = self.spec(compiled);
        let event = spec.event(arguments, &Session::plain(seed, spec.parameter_count()));
        Ok(Invocation::new(
            runner::seed::uuid_like(seed),
            event,
            FUNCTION_ARN,
            self.options.timeout,
        ))
    }

    /// `count` sample events of `tool`, as `toolcontract event` prints them.
    pub fn samples(&self, tool: &str, count: u32) -> Result<Vec<Sample>, Error> {
        let strategy = self.events(tool)?;
        // Grown as samples are made: a count is never an allocation size (issue 11).
        let mut samples = Vec::new();
        for index in 0..count {
            let seed = runner::case_seed(self.options.seed, tool, index);
            let event = strategy
                .new_tree(&mut runner::seed::test_runner(seed))
                .map_err(|reason| {
                    Error::Usage(format!("the generator gave up on `{tool}`: {reason}"))
                })?
                .current();
            samples.push(Sample {
                tool: tool.to_owned(),
                seed: Seed(seed),
                invocation: Invocation::new(
                    runner::seed::uuid_like(seed),
                    event,
                    FUNCTION_ARN,
                    self.options.timeout,
                ),
                violation: None,
            });
        }
        Ok(samples)
    }

    /// Runs every check against an in-process service, blocking until done: the call for a
    /// plain `#[test]`. Works inside an async runtime too (it then runs on a thread of its own).
    pub fn check<S>(&self, service: S) -> Report
    where
        S: Service<LambdaEvent<Value>> + Send + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + Send + 'static,
        S::Error: Into<Diagnostic> + Send + 'static,
    {
        harness::blocking(|runtime| runtime.block_on(self.check_async(service)))
    }

    /// Runs every check against an in-process service: the call for `#[tokio::test]`.
    pub async fn check_async<S>(&self, service: S) -> Report
    where
        S: Service<LambdaEvent<Value>> + Send + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + Send + 'static,
        S::Error: Into<Diagnostic> + Send + 'static,
    {
        let suite = self.suite();
        // Tokens are checked against the subjects when they are added (`replay`).
        let only = harness::replayed(&suite, &self.options.replay).unwrap_or_default();
        harness::supervised(suite, self.run_info(), InProcess::new(service), only).await
    }

    /// Runs only the case a finding printed (`replay: .replay("…")`) the next time
    /// [`check`](Self::check) runs, shrinking it again: the library's `--replay`. Call it again
    /// to add more cases.
    ///
    /// ```no_run
    /// # async fn handler(
    /// #     _: lambda_runtime::LambdaEvent<serde_json::Value>,
    /// # ) -> Result<serde_json::Value, lambda_runtime::Error> { unimplemented!() }
    /// let report = toolcontract::ActionGroup::from_path("action-group.json")?
    ///     .replay("no_function_error:add:0:0xd7404a756a842f65")?
    ///     .check(lambda_runtime::service_fn(handler));
    /// report.assert_ok();
    /// # Ok::<(), toolcontract::Error>(())
    /// ```
    ///
    /// # Errors
    /// A token that is not a replay token, or one naming a tool this check does not test.
    pub fn replay(mut self, token: &str) -> Result<ActionGroup, Error> {
        let token = harness::parse_token(token)?;
        harness::replayed(&self.suite(), std::slice::from_ref(&token))?;
        self.options.replay.push(token);
        Ok(self)
    }

    /// Invokes `service` once for `tool` with `arguments`, as this contract would (event and
    /// context), blocking: for a property of your own on [`arguments`](Self::arguments), or a
    /// quick look at one answer. The answer is whatever the handler did (a response, an error,
    /// a panic, a timeout), never a panic of the caller.
    ///
    /// # Errors
    /// A tool the definition does not declare.
    pub fn invoke<S>(&self, service: S, tool: &str, arguments: &Value) -> Result<Answer, Error>
    where
        S: Service<LambdaEvent<Value>> + Send + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + Send + 'static,
        S::Error: Into<Diagnostic> + Send + 'static,
    {
        let invocation = self.invocation(tool, arguments, self.options.seed)?;
        Ok(harness::invoke_once(InProcess::new(service), &invocation))
    }

    /// Runs every check against handlers (one worker each), reporting events as they happen.
    pub async fn check_handlers<H: Handler>(
        &self,
        handlers: &mut [H],
        on_event: impl FnMut(RunEvent) + Send,
    ) -> Report {
        harness::run(&self.suite(), self.run_info(), handlers, &[], on_event)
            .await
            .expect("a run without replay tokens cannot fail")
    }

    /// Runs only the cases named by `tokens` (as findings print them), shrinking again.
    pub async fn replay_handlers<H: Handler>(
        &self,
        handlers: &mut [H],
        tokens: &[ReplayToken],
        on_event: impl FnMut(RunEvent) + Send,
    ) -> Result<Report, Error> {
        harness::run(&self.suite(), self.run_info(), handlers, tokens, on_event).await
    }

    fn run_info(&self) -> RunInfo {
        RunInfo {
            toolcontract_version: env!("CARGO_PKG_VERSION").to_owned(),
            definition: self.definition.source.display().to_string(),
            target_name: None,
            profile: self.envelope.as_str().to_owned(),
            seed: Seed(self.options.seed),
            cases_per_tool: self.options.cases,
            jobs: 1,
            timeout_ms: u64::try_from(self.options.timeout.as_millis()).unwrap_or(u64::MAX),
            negative: false,
            deny_warnings: self.options.deny_warnings,
            assumptions: std::collections::BTreeMap::new(),
            checks: self.options.checks.clone(),
            shrink: self.options.shrink,
            config: self.config_path.as_ref().map(|p| p.display().to_string()),
        }
    }

    /// The known-good arguments of a selected tool, for snapshot cases.
    pub(crate) fn snapshot_known_good(&self, tool: &str) -> Vec<Value> {
        self.tools
            .iter()
            .find(|t| t.name == tool)
            .map(|t| self.known_good_of(t))
            .unwrap_or_default()
    }

    /// The known-good arguments of a tool: its schema's `examples`, then the configured ones.
    fn known_good_of(&self, tool: &CompiledTool) -> Vec<Value> {
        let mut known = tool.examples.clone();
        if let Some(configured) = self.options.known_good.get(&tool.name) {
            known.extend(configured.iter().cloned());
        }
        known
    }

    fn selected(&self) -> impl Iterator<Item = &CompiledTool> {
        self.tools
            .iter()
            .filter(|t| self.options.tools.is_empty() || self.options.tools.contains(&t.name))
    }

    /// The selected tools with their compiled generators, in declaration order (for snapshot
    /// cases: boundary values and seeded values).
    pub(crate) fn snapshot_tools(&self) -> Vec<(&str, &SchemaGenerator)> {
        self.selected()
            .map(|t| (t.name.as_str(), &t.generator))
            .collect()
    }

    fn suite(&self) -> AgentsSuite {
        let options = &self.options;
        let mut subjects = Vec::new();
        let mut events = Vec::new();
        for tool in self.selected() {
            let spec = self.spec(tool);
            let known_good: Vec<CaseInput> = self
                .known_good_of(tool)
                .iter()
                .enumerate()
                .map(|(i, args)| {
                    let session = Session::plain(i as u64, spec.parameter_count());
                    CaseInput::valid(spec.event(args, &session))
                })
                .collect();
            let strategy = spec.strategy(tool.generator.strategy());
            events.push(strategy.clone());
            subjects.push(Subject {
                name: tool.name.clone(),
                tool: Some(tool.name.clone()),
                kind: SubjectKind::Tool,
                strategy: strategy.prop_map(CaseInput::valid).sboxed(),
                cases: options.cases.saturating_add(known_good.len() as u32),
                known_good,
            });
        }
        if !events.is_empty() && options.cases > 0 {
            subjects.push(Subject {
                name: match self.envelope {
                    Envelope::FunctionDetails => "(undeclared function)",
                    Envelope::OpenApi => "(undeclared operation)",
                }
                .to_owned(),
                tool: None,
                kind: SubjectKind::UndeclaredTool,
                strategy: Union::new(events).prop_map(CaseInput::valid).sboxed(),
                known_good: Vec::new(),
                cases: UNDECLARED_CASES.min(options.cases),
            });
        }
        let declared: BTreeSet<String> = self
            .tools
            .iter()
            .map(|t| match &t.spec_target {
                ActionTarget::Function(f) => f.function.clone(),
                ActionTarget::Operation(o) => o.api_path.clone(),
            })
            .collect();
        AgentsSuite {
            subjects,
            envelope: self.envelope,
            timeout: options.timeout,
            undeclared: AgentsSuite::undeclared_names(self.envelope, &declared),
        }
    }
}
