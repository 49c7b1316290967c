//! Checking Lambda targets of an Amazon Bedrock AgentCore Gateway.
//!
//! A Gateway calls its Lambda target with the tool's arguments as the event and the tool name,
//! `<target>___<tool>`, in `context.client_context.custom["bedrockAgentCoreToolName"]`; it expects
//! `{"content": [{"text": ...}]}`, with `"isError": true` on failure. [`Gateway`] loads a
//! definition, generates arguments from each tool's input schema, calls the handler exactly as
//! a Gateway would, and runs the Gateway checks (see [`CheckName`]).
//!
//! ```no_run
//! use lambda_runtime::{service_fn, Error, LambdaEvent};
//! use serde_json::{json, Value};
//!
//! async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     let custom = event.context.client_context.map(|c| c.custom).unwrap_or_default();
//!     let name = custom.get("bedrockAgentCoreToolName").cloned().unwrap_or_default();
//!     let tool = name.split_once("___").map_or(name.as_str(), |(_, tool)| tool);
//!     Ok(match tool {
//!         "add" => json!({"content": [{"text": "..."}]}),
//!         other => json!({"content": [{"text": format!("unknown tool {other}")}], "isError": true}),
//!     })
//! }
//!
//! #[test]
//! fn keeps_the_gateway_contract() {
//!     toolcontract::Gateway::from_path("tools.json")
//!         .unwrap()
//!         .check(service_fn(handler))
//!         .assert_ok();
//! }
//! ```

pub mod names;
mod profile;
pub mod received;
pub(crate) mod suite;

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
use crate::definition::Definition;
use crate::errors::{Error, SchemaError, SchemaProblem};
use crate::generate::SchemaGenerator;
use crate::handler::{Answer, Handler, InProcess, Invocation};
use crate::harness;
use crate::report::{ReplayToken, Report, RunInfo, Seed};
use crate::runner::suite::{CaseInput, Subject, SubjectKind};
use crate::runner::{self, DEFAULT_SEED, RunEvent};

pub use profile::{Assumptions, Profile, UnknownProfile};
pub(crate) use suite::unreachable_message;
use suite::{GatewaySuite, Identity, ToolPlan};

/// The target name cases use unless told otherwise.
pub const DEFAULT_TARGET_NAME: &str = "toolcontract-target";

/// Cases per tool unless told otherwise (or `PROPTEST_CASES` says).
pub const DEFAULT_CASES: u32 = 256;

/// The per-case timeout unless told otherwise: Lambda's default function timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// Cases of the undeclared-tool probe per run.
const UNDECLARED_CASES: u32 = 16;

/// The settings of a Gateway check.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GatewayOptions {
    /// Valid cases per tool (default 256, or `PROPTEST_CASES`).
    pub cases: u32,
    /// The run seed (default fixed, so a run is reproducible).
    pub seed: u64,
    /// The target name in `<target>___<tool>` (default `toolcontract-target`).
    pub target_name: String,
    /// Response rules (default `gateway`: what the agent receives).
    pub profile: Profile,
    /// What is assumed where the evidence runs out.
    pub assume: Assumptions,
    /// Per-case timeout: the deadline each invocation gets (default 3 s).
    pub timeout: Duration,
    /// Also send schema-violating arguments (`invalid_arguments_handled`).
    pub negative: bool,
    /// Only these tools (empty: all).
    pub tools: Vec<String>,
    /// Warnings fail the run too.
    pub deny_warnings: bool,
    /// Per-check levels (`error`, `warning`, `off`) over the checks' defaults.
    pub checks: std::collections::BTreeMap<CheckName, Level>,
    /// Known-good arguments by tool, besides each input schema's own `examples`: sent first,
    /// as they are, and they must succeed (`known_good_arguments`).
    pub known_good: std::collections::BTreeMap<String, Vec<Value>>,
    /// Replay only these cases (as findings print them), each shrunk again; empty: every case.
    pub replay: Vec<ReplayToken>,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        GatewayOptions {
            cases: default_cases(),
            seed: DEFAULT_SEED,
            target_name: DEFAULT_TARGET_NAME.to_owned(),
            profile: Profile::Gateway,
            assume: Assumptions::default(),
            timeout: DEFAULT_TIMEOUT,
            negative: false,
            tools: Vec::new(),
            deny_warnings: false,
            checks: std::collections::BTreeMap::new(),
            known_good: std::collections::BTreeMap::new(),
            replay: Vec::new(),
        }
    }
}

/// `PROPTEST_CASES` when set to a number, else [`DEFAULT_CASES`].
fn default_cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// One sample case of a tool (see [`Gateway::samples`]).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Sample {
    /// The tool.
    pub tool: String,
    /// The case seed.
    pub seed: Seed,
    /// What the handler receives.
    pub invocation: Invocation,
    /// For invalid samples: how the arguments break the schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation: Option<crate::generate::Violation>,
}

/// A compiled tool: its generator and output validator.
struct CompiledTool {
    name: String,
    generator: SchemaGenerator,
    input_schema: Value,
    output_schema: Option<Value>,
    /// The input schema's own `examples` that it accepts.
    examples: Vec<Value>,
}

/// The arguments in a schema's top-level `examples` that the schema accepts: known-good
/// arguments the definition itself gives.
pub(crate) fn schema_examples(schema: &Value) -> Vec<Value> {
    let Some(examples) = schema.get("examples").and_then(Value::as_array) else {
        return Vec::new();
    };
    let Ok(validator) = jsonschema::options().build(schema) else {
        return Vec::new();
    };
    examples
        .iter()
        .filter(|e| validator.is_valid(e))
        .cloned()
        .collect()
}

/// A Gateway definition ready to check handlers against.
pub struct Gateway {
    definition: Definition,
    tools: Vec<CompiledTool>,
    options: GatewayOptions,
    /// The configuration file applied, if any.
    config_path: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("definition", &self.definition.source)
            .field(
                "tools",
                &self.tools.iter().map(|t| &t.name).collect::<Vec<_>>(),
            )
            .field("options", &self.options)
            .finish()
    }
}

impl Gateway {
    /// Loads a definition file, compiles a generator for every tool, and applies the
    /// `toolcontract.toml` found next to it or above the working directory, if any (see
    /// [`Config::discover`]).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Gateway, Error> {
        let path = path.as_ref();
        let gateway = Gateway::new(Definition::from_path(path)?)?;
        match Config::discover(path)? {
            Some(config) => gateway.config(&config),
            None => Ok(gateway),
        }
    }

    /// Applies a configuration: its defaults, check levels, assumptions and known-good
    /// arguments (checked against the tools: an unknown tool or arguments the input schema
    /// rejects are errors naming the file, the line and the key).
    pub fn config(mut self, config: &Config) -> Result<Gateway, Error> {
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
        if let Some(target) = &config.target_name {
            options.target_name = target.clone();
        }
        if let Some(profile) = config.profile {
            options.profile = profile;
        }
        options.assume = config.assumptions();
        options.deny_warnings |= config.deny_warnings;
        options
            .checks
            .extend(config.checks.iter().map(|(c, l)| (*c, *l)));
        options.known_good.extend(known);
        self.config_path = config.path.clone();
        Ok(self)
    }

    /// Compiles a generator for every tool of a loaded definition.
    pub fn new(definition: Definition) -> Result<Gateway, Error> {
        if definition.tools.is_empty() {
            return Err(Error::NoTools(definition.source.clone()));
        }
        let mut tools = Vec::with_capacity(definition.tools.len());
        for tool in &definition.tools {
            let generator = SchemaGenerator::new(&tool.input_schema).map_err(|e| SchemaError {
                file: definition.source.clone(),
                tool: tool.name.clone(),
                pointer: definition.pointer_in_file(&tool.input_schema_pointer(), &e.pointer),
                problem: SchemaProblem::Generate(e.kind),
            })?;
            if let Some(schema) = &tool.output_schema {
                output_validator(schema).map_err(|message| SchemaError {
                    file: definition.source.clone(),
                    tool: tool.name.clone(),
                    pointer: definition.in_file(&tool.output_schema_pointer()),
                    problem: SchemaProblem::OutputSchema(message),
                })?;
            }
            tools.push(CompiledTool {
                name: tool.name.clone(),
                generator,
                examples: schema_examples(&tool.input_schema),
                input_schema: tool.input_schema.clone(),
                output_schema: tool.output_schema.clone(),
            });
        }
        let mut options = GatewayOptions::default();
        if let Some(target) = &definition.target_name {
            options.target_name = target.clone();
        }
        Ok(Gateway {
            definition,
            tools,
            options,
            config_path: None,
        })
    }

    /// Replaces all options at once (validated like the individual setters).
    pub fn with_options(mut self, options: GatewayOptions) -> Result<Gateway, Error> {
        if !names::is_valid_target_name(&options.target_name) {
            return Err(Error::InvalidTargetName(options.target_name));
        }
        for tool in &options.tools {
            self.tool(tool)?;
        }
        self.options = options;
        Ok(self)
    }

    /// Valid cases per tool.
    #[must_use]
    pub fn cases(mut self, cases: u32) -> Gateway {
        self.options.cases = cases;
        self
    }

    /// The run seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Gateway {
        self.options.seed = seed;
        self
    }

    /// The response profile.
    #[must_use]
    pub fn profile(mut self, profile: Profile) -> Gateway {
        self.options.profile = profile;
        self
    }

    /// The per-case timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Gateway {
        self.options.timeout = timeout;
        self
    }

    /// Also send schema-violating arguments.
    #[must_use]
    pub fn negative(mut self, negative: bool) -> Gateway {
        self.options.negative = negative;
        self
    }

    /// What to assume where the evidence runs out (see [`Assumptions`]).
    #[must_use]
    pub fn assume(mut self, assume: Assumptions) -> Gateway {
        self.options.assume = assume;
        self
    }

    /// Whether warnings fail the run too (`Report::is_ok`, `assert_ok`).
    #[must_use]
    pub fn deny_warnings(mut self, deny: bool) -> Gateway {
        self.options.deny_warnings = deny;
        self
    }

    /// The level of one check's findings: `error`, `warning` or `off`.
    #[must_use]
    pub fn check_level(mut self, check: CheckName, level: Level) -> Gateway {
        self.options.checks.insert(check, level);
        self
    }

    /// Known-good arguments of `tool`: sent first, as they are; they must succeed. Arguments
    /// the tool's input schema rejects are an error.
    pub fn known_good(mut self, tool: &str, arguments: Vec<Value>) -> Result<Gateway, Error> {
        let compiled = self.tool(tool)?;
        let validator = jsonschema::options()
            .build(&compiled.input_schema)
            .map_err(|e| {
                Error::Usage(format!(
                    "the input schema of `{tool}` does not compile: {e}"
                ))
            })?;
        for (i, args) in arguments.iter().enumerate() {
            if let Some(errors) = crate::judge::describe_errors(validator.iter_errors(args)) {
                return Err(Error::Usage(format!(
                    "known-good arguments {i} of `{tool}` do not match its input schema: {errors}"
                )));
            }
        }
        self.options.known_good.insert(tool.to_owned(), arguments);
        Ok(self)
    }

    /// The target name; it must be a valid Gateway target name.
    pub fn target_name(mut self, name: &str) -> Result<Gateway, Error> {
        if !names::is_valid_target_name(name) {
            return Err(Error::InvalidTargetName(name.to_owned()));
        }
        self.options.target_name = name.to_owned();
        Ok(self)
    }

    /// Only check these tools.
    pub fn only_tools<I, T>(mut self, tools: I) -> Result<Gateway, Error>
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
    pub fn options(&self) -> &GatewayOptions {
        &self.options
    }

    /// The loaded definition.
    pub fn definition(&self) -> &Definition {
        &self.definition
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

    /// The strategy of valid arguments of `tool`, for writing your own properties.
    pub fn arguments(&self, tool: &str) -> Result<SBoxedStrategy<Value>, Error> {
        Ok(self.tool(tool)?.generator.strategy())
    }

    /// The invocation a Gateway would make for `tool` with `arguments` (event and context);
    /// `seed` fixes the request ids.
    pub fn invocation(
        &self,
        tool: &str,
        arguments: &Value,
        seed: u64,
    ) -> Result<Invocation, Error> {
        let tool = self.tool(tool)?;
        let identity = Identity::new(
            &self.options.target_name,
            self.options.timeout,
            self.options.seed,
        );
        let template = identity.template(&names::qualified(&identity.target_name, &tool.name));
        Ok(identity.invocation(&template, arguments, seed))
    }

    /// `count` sample cases of `tool`, as `toolcontract event` prints them: valid arguments,
    /// or with `invalid`, arguments breaking the schema in one named way each.
    pub fn samples(&self, tool: &str, count: u32, invalid: bool) -> Result<Vec<Sample>, Error> {
        let compiled = self.tool(tool)?;
        let strategy: SBoxedStrategy<CaseInput> = if invalid {
            compiled
                .generator
                .invalid_strategy()
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "tool `{tool}` accepts every value: there are no invalid arguments to show"
                    ))
                })?
                .prop_map(|iv| CaseInput {
                    arguments: iv.value,
                    violation: Some(iv.violation),
                })
                .sboxed()
        } else {
            compiled
                .generator
                .strategy()
                .prop_map(CaseInput::valid)
                .sboxed()
        };
        // Grown as samples are made: a count is never an allocation size (issue 11).
        let mut samples = Vec::new();
        for index in 0..count {
            let seed = runner::case_seed(self.options.seed, tool, index);
            let input = strategy
                .new_tree(&mut runner::seed::test_runner(seed))
                .map_err(|reason| {
                    Error::Usage(format!("the generator gave up on `{tool}`: {reason}"))
                })?
                .current();
            samples.push(Sample {
                tool: tool.to_owned(),
                seed: Seed(seed),
                invocation: self.invocation(tool, &input.arguments, seed)?,
                violation: input.violation,
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
    /// let report = toolcontract::Gateway::from_path("tools.json")?
    ///     .replay("no_function_error:add:0:0xd7404a756a842f65")?
    ///     .check(lambda_runtime::service_fn(handler));
    /// report.assert_ok();
    /// # Ok::<(), toolcontract::Error>(())
    /// ```
    ///
    /// # Errors
    /// A token that is not a replay token, or one naming a tool this check does not test.
    pub fn replay(mut self, token: &str) -> Result<Gateway, Error> {
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
            target_name: Some(self.options.target_name.clone()),
            profile: self.options.profile.as_str().to_owned(),
            seed: Seed(self.options.seed),
            cases_per_tool: self.options.cases,
            jobs: 1,
            timeout_ms: u64::try_from(self.options.timeout.as_millis()).unwrap_or(u64::MAX),
            negative: self.options.negative,
            deny_warnings: self.options.deny_warnings,
            assumptions: [(
                "mcp_passthrough".to_owned(),
                self.options.profile == Profile::Mcp || self.options.assume.mcp_passthrough,
            )]
            .into(),
            checks: self.options.checks.clone(),
            config: self.config_path.as_ref().map(|p| p.display().to_string()),
        }
    }

    /// The known-good arguments of a tool: its schema's `examples`, then the configured ones.
    fn known_good_of(&self, tool: &CompiledTool) -> Vec<Value> {
        let mut known = tool.examples.clone();
        if let Some(configured) = self.options.known_good.get(&tool.name) {
            known.extend(configured.iter().cloned());
        }
        known
    }

    /// The known-good arguments of the selected tools, for snapshot cases.
    pub(crate) fn snapshot_known_good(&self, tool: &str) -> Vec<Value> {
        self.tools
            .iter()
            .find(|t| t.name == tool)
            .map(|t| self.known_good_of(t))
            .unwrap_or_default()
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

    fn suite(&self) -> GatewaySuite {
        let options = &self.options;
        let mut subjects = Vec::new();
        for tool in self.selected() {
            let known_good: Vec<CaseInput> = self
                .known_good_of(tool)
                .into_iter()
                .map(CaseInput::valid)
                .collect();
            subjects.push(Subject {
                name: tool.name.clone(),
                tool: Some(tool.name.clone()),
                kind: SubjectKind::Tool,
                strategy: tool
                    .generator
                    .strategy()
                    .prop_map(CaseInput::valid)
                    .sboxed(),
                cases: options.cases.saturating_add(known_good.len() as u32),
                known_good,
            });
        }
        let declared: BTreeSet<String> = self.tools.iter().map(|t| t.name.clone()).collect();
        let arguments: Vec<SBoxedStrategy<Value>> =
            self.selected().map(|t| t.generator.strategy()).collect();
        if !arguments.is_empty() && options.cases > 0 {
            subjects.push(Subject {
                name: "(undeclared tool)".to_owned(),
                tool: None,
                kind: SubjectKind::UndeclaredTool,
                strategy: Union::new(arguments).prop_map(CaseInput::valid).sboxed(),
                known_good: Vec::new(),
                cases: UNDECLARED_CASES.min(options.cases),
            });
        }
        if options.negative {
            for tool in self.selected() {
                if let Some(invalid) = tool.generator.invalid_strategy() {
                    subjects.push(Subject {
                        name: format!("{} (invalid arguments)", tool.name),
                        tool: Some(tool.name.clone()),
                        kind: SubjectKind::InvalidArguments,
                        strategy: invalid
                            .prop_map(|iv| CaseInput {
                                arguments: iv.value,
                                violation: Some(iv.violation),
                            })
                            .sboxed(),
                        known_good: Vec::new(),
                        cases: options.cases,
                    });
                }
            }
        }
        let tools = self
            .tools
            .iter()
            .map(|t| ToolPlan {
                name: t.name.clone(),
                // Compiled (and its errors reported) in `new`; compiling again cannot fail.
                output_validator: t
                    .output_schema
                    .as_ref()
                    .and_then(|s| output_validator(s).ok()),
            })
            .collect();
        let identity = Identity::new(&options.target_name, options.timeout, options.seed);
        let undeclared_names = GatewaySuite::undeclared_names(&declared);
        let template =
            |target: &str, name: &str| identity.template(&names::qualified(target, name));
        let templates = subjects
            .iter()
            .map(|s| {
                let tool = s.tool.as_deref()?;
                Some([
                    template(&identity.target_name, tool),
                    template(&identity.renamed_target, tool),
                ])
            })
            .collect();
        let undeclared_templates = undeclared_names
            .iter()
            .map(|name| template(&identity.target_name, name))
            .collect();
        GatewaySuite {
            subjects,
            templates,
            undeclared_templates,
            tools,
            identity,
            profile: options.profile,
            assume: options.assume,
        }
    }
}

/// Compiles a tool's outputSchema (offline; `format` as an annotation, as 2020-12 specifies).
fn output_validator(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .build(schema)
        .map_err(|e| e.to_string())
}
