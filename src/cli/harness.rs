//! Which harness a definition needs: the Gateway's, or an action group's. The commands that
//! build cases (`event`, `check`) load through here and apply the flags that apply.

use std::path::Path;
use std::time::Duration;

use crate::checker::Sample;
use crate::checker::{AnyChecker, Checker, ContractKind, Overrides, Plan};
use crate::definition::Selection;
use crate::handler::Handler;
use crate::report::{ReplayToken, Report};
use crate::runner::RunEvent;
use crate::snapshot::Tools;
use crate::{ActionGroup, Config, Definition, Error, Gateway, Interceptor, JsonPointer};

use super::output;

/// A loaded definition with its harness. The commands reach it through [`AnyChecker`]
/// ([`Harness::front`]); only building one, running it (its handlers are generic) and naming
/// its tools for snapshots see the contract.
pub(crate) enum Harness {
    /// AgentCore Gateway tools.
    Gateway(Box<Gateway>),
    /// A Bedrock Agents action group.
    ActionGroup(Box<ActionGroup>),
    /// A Gateway's interceptor Lambda.
    Interceptor(Box<Interceptor>),
}

/// The flags that shape cases, before they are applied.
#[derive(Default)]
pub(crate) struct Settings<'a> {
    pub(crate) cases: Option<u32>,
    pub(crate) seed: Option<u64>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) tools: &'a [String],
    /// Gateway only.
    pub(crate) target_name: Option<&'a str>,
    /// Gateway only.
    pub(crate) profile: Option<crate::Profile>,
    /// Gateway only.
    pub(crate) negative: bool,
    /// Gateway only: `--mcp-passthrough`.
    pub(crate) mcp_passthrough: Option<bool>,
    /// Interceptors only: `--interceptor`.
    pub(crate) interceptor: Option<&'a str>,
    /// `--deny-warnings`.
    pub(crate) deny_warnings: bool,
}

/// The configuration a command runs with: `--config FILE`, else the `toolcontract.toml`
/// found for the definition, else none.
pub(crate) fn config(explicit: Option<&Path>, definition: &Path) -> Result<Option<Config>, Error> {
    Ok(match explicit {
        Some(path) => Some(Config::from_path(path)?),
        None => Config::discover(definition)?,
    })
}

/// A tool whose every event is over Lambda's request limit is unusable (exit 2): Lambda would
/// refuse the invocation, so no verdict about the handler could come of it.
fn refuse_oversized_events(definition: &Definition) -> Result<(), Error> {
    for tool in &definition.tools {
        if let Some(message) = crate::lint::event_too_large(tool) {
            return Err(Error::Usage(format!(
                "{}: at {}: {message}",
                definition.source.display(),
                definition.pointer_in_file(&tool.input_schema_pointer(), &JsonPointer::root())
            )));
        }
    }
    Ok(())
}

/// `checker` with `config` applied, if any.
fn configured<C: ContractKind>(
    checker: Checker<C>,
    config: Option<&Config>,
) -> Result<Box<Checker<C>>, Error> {
    Ok(Box::new(match config {
        Some(config) => checker.config(config)?,
        None => checker,
    }))
}

impl Harness {
    /// Loads `path`: the selected resource of a template; else an OpenAPI document when an
    /// action-group name is given; else any definition. Its kind picks the harness.
    /// The configuration, if any, is applied before the flags.
    pub(crate) fn load(
        path: &Path,
        selection: &Selection,
        config: Option<&Config>,
    ) -> Result<Harness, Error> {
        let definition = Definition::from_path_selecting(path, selection)?;
        refuse_oversized_events(&definition)?;
        Ok(if definition.kind.is_action_group() {
            Harness::ActionGroup(configured(ActionGroup::new(definition)?, config)?)
        } else if definition.kind.is_interceptor() {
            Harness::Interceptor(configured(Interceptor::new(definition)?, config)?)
        } else {
            Harness::Gateway(configured(Gateway::new(definition)?, config)?)
        })
    }

    /// The checker, whatever its contract.
    pub(crate) fn front(&self) -> &dyn AnyChecker {
        match self {
            Harness::Gateway(gateway) => &**gateway,
            Harness::ActionGroup(group) => &**group,
            Harness::Interceptor(interceptor) => &**interceptor,
        }
    }

    fn front_mut(&mut self) -> &mut dyn AnyChecker {
        match self {
            Harness::Gateway(gateway) => &mut **gateway,
            Harness::ActionGroup(group) => &mut **group,
            Harness::Interceptor(interceptor) => &mut **interceptor,
        }
    }

    /// The tools to take snapshots of.
    pub(crate) fn tools(&self) -> Tools<'_> {
        match self {
            Harness::Gateway(gateway) => Tools::Gateway(gateway),
            Harness::ActionGroup(group) => Tools::ActionGroup(group),
            Harness::Interceptor(interceptor) => Tools::Interceptor(interceptor),
        }
    }

    /// Applies the flags; a flag the contract has no use for is a usage error.
    pub(crate) fn configure(mut self, settings: &Settings<'_>) -> Result<Harness, Error> {
        let overrides = Overrides {
            cases: settings.cases,
            seed: settings.seed,
            timeout: settings.timeout,
            tools: settings.tools.to_vec(),
            target_name: settings.target_name.map(str::to_owned),
            profile: settings.profile,
            negative: settings.negative,
            mcp_passthrough: settings.mcp_passthrough,
            interceptor: settings.interceptor.map(str::to_owned),
            deny_warnings: settings.deny_warnings,
        };
        self.front_mut()
            .configure(&overrides, &mut |note| output::note(note))?;
        Ok(self)
    }

    /// Valid cases per tool, as configured.
    pub(crate) fn cases(&self) -> u32 {
        self.front().run_options().cases
    }

    /// Sample cases of one tool (`invalid`: Gateway negative samples).
    pub(crate) fn samples(
        &self,
        tool: &str,
        count: u32,
        invalid: bool,
    ) -> Result<Vec<Sample>, Error> {
        self.front().samples(tool, count, invalid)
    }

    /// Runs every check (or, with tokens, only those cases).
    pub(crate) async fn run<H: Handler>(
        &self,
        handlers: &mut [H],
        tokens: &[ReplayToken],
        on_event: impl FnMut(RunEvent) + Send,
    ) -> Result<Report, Error> {
        let plan = if tokens.is_empty() {
            Plan::All
        } else {
            Plan::Replay(tokens)
        };
        match self {
            Harness::Gateway(gateway) => gateway.run(handlers, plan, on_event).await,
            Harness::ActionGroup(group) => group.run(handlers, plan, on_event).await,
            Harness::Interceptor(interceptor) => interceptor.run(handlers, plan, on_event).await,
        }
    }
}
