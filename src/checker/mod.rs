//! The one front end of every contract: [`Checker`] loads a definition, compiles a generator
//! per tool, holds the options, and runs the checks; a [`ContractKind`] supplies only what
//! differs between contracts (how its tools compile, how its events are built, its suite, its
//! part of the run info and of a snapshot header). [`Gateway`](crate::Gateway) and
//! [`ActionGroup`](crate::ActionGroup) are `Checker<GatewayContract>` and
//! `Checker<ActionGroupContract>`; what only one of them has (`target_name`, `profile`,
//! `negative`, `assume`; `name`, `envelope`, `events`, `from_openapi_path`) is in an
//! `impl Checker<…>` block of its own module.
//!
//! The command line drives a checker through [`AnyChecker`], never by matching on the
//! contract.
//!
//! # Adding a contract
//!
//! The third contract, AgentCore Gateway interceptors (`contract-facts.md` section 5, module
//! [`interceptor`](crate::interceptor)), added or touched these files, the nine foreseen:
//! 1. `contracts/<name>-*.json` (new, one per schema: its event and its response).
//! 2. `src/contracts.rs`: one `Contract` variant per schema, to embed them.
//! 3. `src/<name>/mod.rs` (new): the marker type, its `impl ContractKind` (tools, events,
//!    options, run info, snapshot header), its own builders in `impl Checker<…>`, and
//!    `pub type <Name> = Checker<…>`.
//! 4. `src/<name>/suite.rs` (new): its `Suite` (probes, invocations, judging).
//! 5. `src/check.rs`: its check names, if it brings new ones.
//! 6. `src/lib.rs`: `pub mod <name>` and the re-exported type.
//! 7. `src/report/mod.rs`: a variant of [`ContractRunInfo`], only if its run records
//!    something of its own.
//! 8. `src/snapshot/cases.rs`: one `Tools` variant and its `ToTools` impl (the plan itself
//!    is generic).
//! 9. `src/cli/harness.rs`: one `Harness` variant, the definition kind that picks it, and
//!    one line in each of `front`, `front_mut`, `tools` and `run`.
//!
//! and, because interceptors brought more than a contract: a definition form of their own
//! (`src/definition/interceptor.rs`, `src/definition/mod.rs`, `src/lint/mod.rs`,
//! `src/cli/lint.rs`, and one line in each `Definition` literal of `src/definition/`), a flag
//! (`--interceptor`: [`Overrides`], `src/cli/args.rs` and one line in each command that
//! builds cases, and the refusal in the two other contracts), and a kind of subject
//! (`SubjectKind::Method` in `src/results.rs`, `contracts/report.json`, and one arm in each
//! other suite's exhaustive matches).
//!
//! Loading, options, `config`, `arguments`, `invocation`, `samples`, `check`, `check_async`,
//! `invoke`, `replay`, `run`, snapshot planning and the CLI's `event`, `check` and `snapshot`
//! commands need no change.

use std::borrow::{Borrow, BorrowMut};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lambda_runtime::{Diagnostic, LambdaEvent};
use proptest::strategy::{SBoxedStrategy, Strategy, Union, ValueTree};
use serde::Serialize;
use serde_json::Value;
use tower::Service;

use crate::check::CheckName;
use crate::config::{Config, Level};
use crate::definition::{Definition, Tool};
use crate::errors::{Error, SchemaError, SchemaProblem};
use crate::generate::{GenerateOptions, SchemaGenerator};
use crate::handler::{Answer, Handler, InProcess, Invocation};
use crate::harness;
use crate::judge;
use crate::profile::{Assumptions, Profile};
use crate::report::{ContractRunInfo, ReplayToken, Report, RunInfo, Seed};
use crate::runner::suite::{CaseInput, Subject, SubjectKind, Suite, Unreached};
use crate::runner::{self, DEFAULT_SEED, RunEvent};

/// Cases per tool unless told otherwise (or `PROPTEST_CASES` says).
pub const DEFAULT_CASES: u32 = 256;

/// The per-case timeout unless told otherwise: Lambda's default function timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// Cases of the undeclared-tool probe per run.
const UNDECLARED_CASES: u32 = 16;

/// The settings every contract has: a contract's options are these (action groups), or embed
/// them (the Gateway's dereference to them, so `options.cases` reads the same everywhere).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunOptions {
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
    pub checks: BTreeMap<CheckName, Level>,
    /// Known-good arguments by tool (as [`Checker::arguments`] gives them), besides each
    /// input schema's own `examples`: sent first, as they are; they must succeed
    /// (`known_good_arguments`).
    pub known_good: BTreeMap<String, Vec<Value>>,
    /// Replay only these cases (as findings print them), each shrunk again; empty: every case.
    pub replay: Vec<ReplayToken>,
    /// How far shrinking a finding may go (default: 1024 candidates, 60 s, 5 s for
    /// `within_deadline`).
    pub shrink: crate::runner::ShrinkLimits,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            cases: default_cases(),
            seed: DEFAULT_SEED,
            timeout: DEFAULT_TIMEOUT,
            tools: Vec::new(),
            deny_warnings: false,
            checks: BTreeMap::new(),
            known_good: BTreeMap::new(),
            replay: Vec::new(),
            shrink: crate::runner::ShrinkLimits::default(),
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

/// One sample case of a tool (see [`Checker::samples`]).
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

/// Which cases a [`Checker::run`] runs.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Plan<'a> {
    /// Every case of every selected tool and probe.
    All,
    /// Only the cases these tokens name (as findings print them), each shrunk again.
    Replay(&'a [ReplayToken]),
}

/// Flags that shape cases (the command line's), applied over the options by
/// [`AnyChecker::configure`]. A contract refuses a flag it has no use for.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Overrides {
    /// Valid cases per tool.
    pub cases: Option<u32>,
    /// The run seed.
    pub seed: Option<u64>,
    /// The per-case timeout.
    pub timeout: Option<Duration>,
    /// Only these tools (empty: all).
    pub tools: Vec<String>,
    /// Gateway: the target name.
    pub target_name: Option<String>,
    /// Gateway: the response profile.
    pub profile: Option<Profile>,
    /// Gateway: also send schema-violating arguments.
    pub negative: bool,
    /// Gateway: `--mcp-passthrough`.
    pub mcp_passthrough: Option<bool>,
    /// Interceptors: the ARN of the interceptor Lambda under test (`--interceptor`).
    pub interceptor: Option<String>,
    /// Warnings fail the run too (added to the configuration's).
    pub deny_warnings: bool,
}

impl Overrides {
    /// The first flag given that only a Gateway target has a use for (`--target-name`,
    /// `--profile`, `--negative`, `--mcp-passthrough`), for the other contracts to refuse.
    pub(crate) fn gateway_flag(&self) -> Option<&'static str> {
        [
            ("--target-name", self.target_name.is_some()),
            ("--profile", self.profile.is_some()),
            ("--negative", self.negative),
            ("--mcp-passthrough", self.mcp_passthrough.is_some()),
        ]
        .into_iter()
        .find_map(|(flag, given)| given.then_some(flag))
    }
}

/// `Deref`, `DerefMut`, `Borrow` and `BorrowMut` to [`RunOptions`] for a contract's options
/// struct that embeds them as its `run` field, so `options.cases` reads the same everywhere.
macro_rules! embeds_run_options {
    ($options:ty) => {
        impl std::ops::Deref for $options {
            type Target = $crate::checker::RunOptions;
            fn deref(&self) -> &$crate::checker::RunOptions {
                &self.run
            }
        }

        impl std::ops::DerefMut for $options {
            fn deref_mut(&mut self) -> &mut $crate::checker::RunOptions {
                &mut self.run
            }
        }

        impl std::borrow::Borrow<$crate::checker::RunOptions> for $options {
            fn borrow(&self) -> &$crate::checker::RunOptions {
                &self.run
            }
        }

        impl std::borrow::BorrowMut<$crate::checker::RunOptions> for $options {
            fn borrow_mut(&mut self) -> &mut $crate::checker::RunOptions {
                &mut self.run
            }
        }
    };
}
pub(crate) use embeds_run_options;

/// A compiled tool: its generator, its schema's examples, and what its contract keeps.
pub struct CompiledTool<T> {
    pub(crate) name: String,
    pub(crate) generator: SchemaGenerator,
    pub(crate) input_schema: Value,
    /// The input schema's own `examples` that it accepts.
    pub(crate) examples: Vec<Value>,
    /// What the contract keeps about the tool (an output schema, an action target).
    pub(crate) extra: T,
}

/// What a snapshot's header says about a tool, and how the agent receives its answers.
#[non_exhaustive]
pub struct SnapshotHeader {
    /// `gateway` or `action_group`.
    pub(crate) contract: &'static str,
    /// Gateway: `<target>___<tool>`.
    pub(crate) tool_name: Option<String>,
    /// Gateway: the response profile.
    pub(crate) profile: Option<String>,
    /// Action groups: the group's name.
    pub(crate) action_group: Option<String>,
    /// Action groups: `function_details` or `openapi`.
    pub(crate) envelope: Option<String>,
    /// Gateway: the profile and assumptions that map an answer to what the agent receives.
    pub(crate) agent: Option<(Profile, Assumptions)>,
}

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// What a contract supplies to [`Checker`]: everything that differs between contracts.
/// Implemented by `toolcontract`'s contracts only (sealed); its methods are the front end's
/// plumbing, not an API to call.
#[allow(private_bounds, private_interfaces)]
pub trait ContractKind: Sized + Send + Sync + Sealed {
    /// The contract's options: [`RunOptions`] itself, or a struct that embeds it.
    type Options: Clone + Debug + Default + Send + Sync + Borrow<RunOptions> + BorrowMut<RunOptions>;
    /// What the contract keeps per tool.
    type Tool: Send + Sync;
    /// The contract's suite: probes, invocations and judging.
    #[doc(hidden)]
    type Suite: Suite + Send + 'static;
    /// The front end's name in `Debug` output (`Gateway`, `ActionGroup`).
    const LABEL: &'static str;
    /// Why `invalid` samples are refused, for a contract without a negative mode.
    const NO_NEGATIVE_MODE: Option<&'static str> = None;

    /// The contract's part of a loaded definition (refusing a definition of another kind).
    #[doc(hidden)]
    fn load(definition: &Definition) -> Result<Self, Error>;

    /// Compiles `tool`: `generator` compiles its input schema, called where the contract's
    /// own errors should come after it. `None` leaves the tool out.
    #[doc(hidden)]
    fn compile_tool(
        &self,
        definition: &Definition,
        tool: &Tool,
        generator: impl FnOnce() -> Result<SchemaGenerator, Error>,
    ) -> Result<Option<(SchemaGenerator, Self::Tool)>, Error>;

    /// The options a freshly loaded definition starts with.
    #[doc(hidden)]
    fn initial_options(definition: &Definition) -> Self::Options {
        let _ = definition;
        Self::Options::default()
    }

    /// Applies the contract's own settings of a configuration file (the shared ones are
    /// applied by [`Checker::config`]).
    #[doc(hidden)]
    fn apply_config(options: &mut Self::Options, config: &Config) {
        let _ = (options, config);
    }

    /// Applies the contract's own flags, refusing the ones it has no use for.
    #[doc(hidden)]
    fn apply_overrides(
        checker: &Checker<Self>,
        options: &mut Self::Options,
        overrides: &Overrides,
    ) -> Result<(), Error>;

    /// What to say about a definition before flags are applied, given them (Gateway: a
    /// target name that is not known before deployment).
    #[doc(hidden)]
    fn notes(checker: &Checker<Self>, overrides: &Overrides) -> Vec<String> {
        let _ = (checker, overrides);
        Vec::new()
    }

    /// Checks options set at once (`with_options`).
    #[doc(hidden)]
    fn validate(options: &Self::Options) -> Result<(), Error> {
        let _ = options;
        Ok(())
    }

    /// The invocation this contract makes for `tool` with `arguments`; `seed` fixes the ids.
    #[doc(hidden)]
    fn invocation(
        checker: &Checker<Self>,
        tool: &CompiledTool<Self::Tool>,
        arguments: &Value,
        seed: u64,
    ) -> Invocation;

    /// The strategy of sample cases of `tool` (`invalid`: arguments breaking the schema), and
    /// how a drawn one becomes an invocation.
    #[doc(hidden)]
    fn sample_strategy(
        checker: &Checker<Self>,
        tool: &CompiledTool<Self::Tool>,
        invalid: bool,
    ) -> Result<SBoxedStrategy<CaseInput>, Error>;

    /// The invocation of a drawn sample (by default, [`ContractKind::invocation`] of its
    /// arguments).
    #[doc(hidden)]
    fn sample_invocation(
        checker: &Checker<Self>,
        tool: &CompiledTool<Self::Tool>,
        input: &CaseInput,
        seed: u64,
    ) -> Invocation {
        Self::invocation(checker, tool, &input.arguments, seed)
    }

    /// The suite of a run.
    #[doc(hidden)]
    fn suite(checker: &Checker<Self>) -> Self::Suite;

    /// The rules the run judges by (`profile` in reports), whether negative cases run, and
    /// the contract's own part of the run info.
    #[doc(hidden)]
    fn run_info(checker: &Checker<Self>) -> (String, bool, ContractRunInfo);

    /// What a snapshot header says about `tool`.
    #[doc(hidden)]
    fn snapshot_header(checker: &Checker<Self>, tool: &str) -> SnapshotHeader;
}

/// A definition ready to check handlers against, for the contract `C`. Used through its
/// contracts' names: [`Gateway`](crate::Gateway), [`ActionGroup`](crate::ActionGroup).
pub struct Checker<C: ContractKind> {
    pub(crate) definition: Definition,
    pub(crate) contract: C,
    pub(crate) tools: Vec<CompiledTool<C::Tool>>,
    pub(crate) options: C::Options,
    /// The configuration file applied, if any.
    config_path: Option<PathBuf>,
}

impl<C: ContractKind + Debug> Debug for Checker<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(C::LABEL)
            .field("definition", &self.definition.source)
            .field("contract", &self.contract)
            .field(
                "tools",
                &self.tools.iter().map(|t| &t.name).collect::<Vec<_>>(),
            )
            .field("options", &self.options)
            .finish()
    }
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

impl<C: ContractKind> Checker<C> {
    /// Loads a definition file, compiles a generator for every tool, and applies the
    /// `toolcontract.toml` found next to it or above the working directory, if any (see
    /// [`Config::discover`]).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let checker = Self::new(Definition::from_path(path)?)?;
        match Config::discover(path)? {
            Some(config) => checker.config(&config),
            None => Ok(checker),
        }
    }

    /// Compiles a generator for every tool of a loaded definition.
    pub fn new(definition: Definition) -> Result<Self, Error> {
        let contract = C::load(&definition)?;
        if definition.tools.is_empty() {
            return Err(Error::NoTools(definition.source.clone()));
        }
        let mut tools = Vec::with_capacity(definition.tools.len());
        for tool in &definition.tools {
            let generator = || {
                // The tool's description names values worth trying (a documented id).
                let options = GenerateOptions {
                    description: tool.description.clone(),
                    ..GenerateOptions::default()
                };
                SchemaGenerator::with_options(&tool.input_schema, &options).map_err(|e| {
                    Error::from(SchemaError {
                        file: definition.source.clone(),
                        tool: tool.name.clone(),
                        pointer: definition
                            .pointer_in_file(&tool.input_schema_pointer(), &e.pointer),
                        problem: SchemaProblem::Generate(e.kind),
                    })
                })
            };
            let Some((generator, extra)) = contract.compile_tool(&definition, tool, generator)?
            else {
                continue;
            };
            tools.push(CompiledTool {
                name: tool.name.clone(),
                generator,
                examples: schema_examples(&tool.input_schema),
                input_schema: tool.input_schema.clone(),
                extra,
            });
        }
        let options = C::initial_options(&definition);
        Ok(Checker {
            definition,
            contract,
            tools,
            options,
            config_path: None,
        })
    }

    /// Applies a configuration: its defaults, check levels and known-good arguments (checked
    /// against the tools: an unknown tool or arguments the input schema rejects are errors
    /// naming the file, the line and the key), and the settings of this contract (Gateway:
    /// target name, profile, assumptions; other contracts ignore those).
    pub fn config(mut self, config: &Config) -> Result<Self, Error> {
        let known = config.known_good_for(
            self.tools
                .iter()
                .map(|t| (t.name.as_str(), &t.input_schema)),
        )?;
        let options = self.run_mut();
        if let Some(cases) = config.cases {
            options.cases = cases;
        }
        if let Some(seed) = config.seed {
            options.seed = seed;
        }
        if let Some(timeout) = config.timeout {
            options.timeout = timeout;
        }
        C::apply_config(&mut self.options, config);
        let options = self.run_mut();
        options.deny_warnings |= config.deny_warnings;
        options.shrink = config.shrink_limits(options.shrink);
        options
            .checks
            .extend(config.checks.iter().map(|(c, l)| (*c, *l)));
        options.known_good.extend(known);
        self.config_path = config.path.clone();
        Ok(self)
    }

    /// Replaces all options at once (validated like the individual setters).
    pub fn with_options(mut self, options: C::Options) -> Result<Self, Error> {
        C::validate(&options)?;
        for tool in &Borrow::<RunOptions>::borrow(&options).tools {
            self.tool(tool)?;
        }
        self.options = options;
        Ok(self)
    }

    /// Valid cases per tool.
    #[must_use]
    pub fn cases(mut self, cases: u32) -> Self {
        self.run_mut().cases = cases;
        self
    }

    /// The run seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.run_mut().seed = seed;
        self
    }

    /// The per-case timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.run_mut().timeout = timeout;
        self
    }

    /// Whether warnings fail the run too (`Report::is_ok`, `assert_ok`).
    #[must_use]
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.run_mut().deny_warnings = deny;
        self
    }

    /// The level of one check's findings: `error`, `warning` or `off`.
    #[must_use]
    pub fn check_level(mut self, check: CheckName, level: Level) -> Self {
        self.run_mut().checks.insert(check, level);
        self
    }

    /// Known-good arguments of `tool`: sent first, as they are; they must succeed. Arguments
    /// the tool's input schema rejects are an error.
    pub fn known_good(mut self, tool: &str, arguments: Vec<Value>) -> Result<Self, Error> {
        let compiled = self.tool(tool)?;
        let validator = jsonschema::options()
            .build(&compiled.input_schema)
            .map_err(|e| {
                Error::Usage(format!(
                    "the input schema of `{tool}` does not compile: {e}"
                ))
            })?;
        for (i, args) in arguments.iter().enumerate() {
            if let Some(errors) = judge::describe_errors(validator.iter_errors(args)) {
                return Err(Error::Usage(format!(
                    "known-good arguments {i} of `{tool}` do not match its input schema: {errors}"
                )));
            }
        }
        self.run_mut().known_good.insert(tool.to_owned(), arguments);
        Ok(self)
    }

    /// Only check these tools.
    pub fn only_tools<I, T>(mut self, tools: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        let tools: Vec<String> = tools.into_iter().map(Into::into).collect();
        for tool in &tools {
            self.tool(tool)?;
        }
        self.run_mut().tools = tools;
        Ok(self)
    }

    /// The options in effect.
    pub fn options(&self) -> &C::Options {
        &self.options
    }

    /// The loaded definition.
    pub fn definition(&self) -> &Definition {
        &self.definition
    }

    /// The options every contract has.
    pub(crate) fn run_options(&self) -> &RunOptions {
        Borrow::<RunOptions>::borrow(&self.options)
    }

    fn run_mut(&mut self) -> &mut RunOptions {
        BorrowMut::<RunOptions>::borrow_mut(&mut self.options)
    }

    pub(crate) fn tool(&self, name: &str) -> Result<&CompiledTool<C::Tool>, Error> {
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

    /// The strategy of valid arguments of `tool` (action groups: decoded, numbers as numbers;
    /// an OpenAPI operation's are `{"parameters": {...}, "requestBody": {...}}`), for writing
    /// your own properties.
    pub fn arguments(&self, tool: &str) -> Result<SBoxedStrategy<Value>, Error> {
        Ok(self.tool(tool)?.generator.strategy())
    }

    /// The invocation this contract would make for `tool` with `arguments` (as
    /// [`arguments`](Self::arguments) gives them): event and context; `seed` fixes the
    /// request (and session) ids. Action groups: with empty session attributes.
    pub fn invocation(
        &self,
        tool: &str,
        arguments: &Value,
        seed: u64,
    ) -> Result<Invocation, Error> {
        Ok(C::invocation(self, self.tool(tool)?, arguments, seed))
    }

    /// `count` sample cases of `tool`, as `toolcontract event` prints them; with `invalid`,
    /// arguments breaking the schema in one named way each (where the contract has a negative
    /// mode).
    pub(crate) fn draw_samples(
        &self,
        tool: &str,
        count: u32,
        invalid: bool,
    ) -> Result<Vec<Sample>, Error> {
        if let (true, Some(why)) = (invalid, C::NO_NEGATIVE_MODE) {
            return Err(Error::Usage(why.to_owned()));
        }
        let compiled = self.tool(tool)?;
        let strategy = C::sample_strategy(self, compiled, invalid)?;
        // Grown as samples are made: a count is never an allocation size (issue 11).
        let mut samples = Vec::new();
        for index in 0..count {
            let seed = runner::case_seed(self.run_options().seed, tool, index);
            let input = strategy
                .new_tree(&mut runner::seed::case_runner(seed))
                .map_err(|reason| Error::GeneratorGaveUp {
                    tool: tool.to_owned(),
                    reason: reason.to_string(),
                })?
                .current();
            samples.push(Sample {
                tool: tool.to_owned(),
                seed: Seed(seed),
                invocation: C::sample_invocation(self, compiled, &input, seed),
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
        let suite = C::suite(self);
        // Tokens are checked against the subjects when they are added (`replay`).
        let only = harness::replayed(&suite, &self.run_options().replay).unwrap_or_default();
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
    pub fn replay(mut self, token: &str) -> Result<Self, Error> {
        let token = harness::parse_token(token)?;
        harness::replayed(&C::suite(&self), std::slice::from_ref(&token))?;
        self.run_mut().replay.push(token);
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
        let invocation = self.invocation(tool, arguments, self.run_options().seed)?;
        Ok(harness::invoke_once(InProcess::new(service), &invocation))
    }

    /// Runs the checks against handlers (one worker each), reporting events as they happen:
    /// every case ([`Plan::All`]), or only the cases replay tokens name ([`Plan::Replay`]),
    /// shrinking them again.
    ///
    /// # Errors
    /// A replay token naming a subject this run does not test.
    pub async fn run<H: Handler>(
        &self,
        handlers: &mut [H],
        plan: Plan<'_>,
        on_event: impl FnMut(RunEvent) + Send,
    ) -> Result<Report, Error> {
        let tokens = match plan {
            Plan::All => &[][..],
            Plan::Replay(tokens) => tokens,
        };
        harness::run(&C::suite(self), self.run_info(), handlers, tokens, on_event).await
    }

    fn run_info(&self) -> RunInfo {
        let (profile, negative, contract) = C::run_info(self);
        RunInfo {
            toolcontract_version: env!("CARGO_PKG_VERSION").to_owned(),
            definition: self.definition.source.display().to_string(),
            contract,
            profile,
            seed: Seed(self.run_options().seed),
            cases_per_tool: self.run_options().cases,
            jobs: 1,
            timeout_ms: u64::try_from(self.run_options().timeout.as_millis()).unwrap_or(u64::MAX),
            negative,
            deny_warnings: self.run_options().deny_warnings,
            checks: self.run_options().checks.clone(),
            shrink: self.run_options().shrink,
            config: self.config_path.as_ref().map(|p| p.display().to_string()),
        }
    }

    /// The known-good arguments of a tool: its schema's `examples`, then the configured ones.
    pub(crate) fn known_good_of(&self, tool: &CompiledTool<C::Tool>) -> Vec<Value> {
        let mut known = tool.examples.clone();
        if let Some(configured) = self.run_options().known_good.get(&tool.name) {
            known.extend(configured.iter().cloned());
        }
        known
    }

    /// The known-good arguments of a selected tool, for snapshot cases.
    pub(crate) fn snapshot_known_good(&self, tool: &str) -> Vec<Value> {
        self.tools
            .iter()
            .find(|t| t.name == tool)
            .map(|t| self.known_good_of(t))
            .unwrap_or_default()
    }

    /// The selected tools, in declaration order.
    pub(crate) fn selected(&self) -> impl Iterator<Item = &CompiledTool<C::Tool>> {
        self.tools.iter().filter(|t| {
            self.run_options().tools.is_empty() || self.run_options().tools.contains(&t.name)
        })
    }

    /// The selected tools with their compiled generators, in declaration order (for snapshot
    /// cases: boundary values and seeded values).
    pub(crate) fn snapshot_tools(&self) -> Vec<(&str, &SchemaGenerator)> {
        self.selected()
            .map(|t| (t.name.as_str(), &t.generator))
            .collect()
    }

    /// The subjects every contract has: one per selected tool (its known-good cases first,
    /// built by `known`, then `event`'s), and the undeclared-tool probe named `undeclared`
    /// drawing from every tool's events.
    pub(crate) fn tool_subjects(
        &self,
        undeclared: &str,
        event: impl Fn(&CompiledTool<C::Tool>) -> SBoxedStrategy<Value>,
        known: impl Fn(&CompiledTool<C::Tool>, usize, &Value) -> Value,
    ) -> Vec<Subject> {
        let cases = self.run_options().cases;
        let mut subjects = Vec::new();
        let mut events = Vec::new();
        for tool in self.selected() {
            let known_good: Vec<CaseInput> = self
                .known_good_of(tool)
                .iter()
                .enumerate()
                .map(|(i, args)| CaseInput::valid(known(tool, i, args)))
                .collect();
            let strategy = event(tool);
            events.push(strategy.clone());
            subjects.push(Subject {
                name: tool.name.clone(),
                tool: Some(tool.name.clone()),
                kind: SubjectKind::Tool,
                strategy: strategy.prop_map(CaseInput::valid).sboxed(),
                cases: cases.saturating_add(known_good.len() as u32),
                known_good,
            });
        }
        if !events.is_empty() && cases > 0 {
            subjects.push(Subject {
                name: undeclared.to_owned(),
                tool: None,
                kind: SubjectKind::UndeclaredTool,
                strategy: Union::new(events).prop_map(CaseInput::valid).sboxed(),
                known_good: Vec::new(),
                cases: UNDECLARED_CASES.min(cases),
            });
        }
        subjects
    }
}

/// A checker of any contract, as the command line drives one: no `match` on the contract.
pub trait AnyChecker {
    /// The loaded definition.
    fn definition(&self) -> &Definition;

    /// The options every contract has.
    fn run_options(&self) -> &RunOptions;

    /// Applies flags over the options (validated like `with_options`); a flag the contract
    /// has no use for is an error naming it. `note` gets what is worth saying about the
    /// definition given the flags, before anything can fail.
    fn configure(&mut self, overrides: &Overrides, note: &mut dyn FnMut(&str))
    -> Result<(), Error>;

    /// `count` sample cases of `tool`, as `toolcontract event` prints them (`invalid`:
    /// schema-violating arguments, where the contract has a negative mode).
    fn samples(&self, tool: &str, count: u32, invalid: bool) -> Result<Vec<Sample>, Error>;
}

impl<C: ContractKind> AnyChecker for Checker<C> {
    fn definition(&self) -> &Definition {
        &self.definition
    }

    fn run_options(&self) -> &RunOptions {
        self.run_options()
    }

    fn configure(
        &mut self,
        overrides: &Overrides,
        note: &mut dyn FnMut(&str),
    ) -> Result<(), Error> {
        for text in C::notes(self, overrides) {
            note(&text);
        }
        let mut options = self.options.clone();
        C::apply_overrides(self, &mut options, overrides)?;
        let run = BorrowMut::<RunOptions>::borrow_mut(&mut options);
        if let Some(cases) = overrides.cases {
            run.cases = cases;
        }
        if let Some(seed) = overrides.seed {
            run.seed = seed;
        }
        if let Some(timeout) = overrides.timeout {
            run.timeout = timeout;
        }
        run.deny_warnings |= overrides.deny_warnings;
        run.tools.clone_from(&overrides.tools);
        C::validate(&options)?;
        for tool in &Borrow::<RunOptions>::borrow(&options).tools {
            self.tool(tool)?;
        }
        self.options = options;
        Ok(())
    }

    fn samples(&self, tool: &str, count: u32, invalid: bool) -> Result<Vec<Sample>, Error> {
        self.draw_samples(tool, count, invalid)
    }
}

/// The message of a `tool_reachable` finding, for any contract: `unit` is what a tool is
/// called there, `causes` the likely causes.
pub(crate) fn unreachable_message(
    cases_run: u32,
    why: &Unreached,
    unit: &str,
    causes: &str,
) -> String {
    let like = match (why.like_undeclared, why.generic) {
        (true, true) => {
            "a dispatcher's text for a name it does not know, the same as the \
                         answers to names the definition does not declare"
        }
        (true, false) => "the same as the answers to names the definition does not declare",
        (false, true) => "a dispatcher's text for a name it does not know",
        (false, false) => "no success in a replay of this case",
    };
    // A text that is not a dispatcher's may also come from a check made before dispatching,
    // one that every case fails (seen in a public sample: an identity argument the agent
    // injects and the schema does not declare).
    let or_before = if why.generic {
        ""
    } else {
        ", or turns every call away before it dispatches (it needs something no case carries: \
         an argument the schema does not declare, credentials, a resource)"
    };
    format!(
        "none of the {cases_run} valid cases reached the {unit}: every answer was an error \
         answer ({}), {like}, for example {}; the handler probably never dispatches to this \
         {unit} ({causes}){or_before}",
        why.signal.describe(),
        judge::quote(&why.text)
    )
}
