//! Which harness a definition needs: the Gateway's, or an action group's. The commands that
//! build cases (`event`, `check`) load through here and apply the flags that apply.

use std::path::Path;
use std::time::Duration;

use toolcontract::definition::Selection;
use toolcontract::gateway::Sample;
use toolcontract::handler::Handler;
use toolcontract::report::{ReplayToken, Report};
use toolcontract::runner::RunEvent;
use toolcontract::{ActionGroup, Config, Definition, Error, Gateway, JsonPointer};

use super::output;

/// A loaded definition with its harness.
pub(crate) enum Harness {
    /// AgentCore Gateway tools.
    Gateway(Box<Gateway>),
    /// A Bedrock Agents action group.
    ActionGroup(Box<ActionGroup>),
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
    pub(crate) profile: Option<toolcontract::Profile>,
    /// Gateway only.
    pub(crate) negative: bool,
    /// Gateway only: `--mcp-passthrough`.
    pub(crate) mcp_passthrough: Option<bool>,
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
        if let Some(message) = toolcontract::lint::event_too_large(tool) {
            return Err(Error::Usage(format!(
                "{}: at {}: {message}",
                definition.source.display(),
                definition.pointer_in_file(&tool.input_schema_pointer(), &JsonPointer::root())
            )));
        }
    }
    Ok(())
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
        let harness = if definition.kind.is_action_group() {
            Harness::ActionGroup(Box::new(ActionGroup::new(definition)?))
        } else {
            Harness::Gateway(Box::new(Gateway::new(definition)?))
        };
        Ok(match (harness, config) {
            (Harness::Gateway(g), Some(c)) => Harness::Gateway(Box::new(g.config(c)?)),
            (Harness::ActionGroup(a), Some(c)) => Harness::ActionGroup(Box::new(a.config(c)?)),
            (harness, None) => harness,
        })
    }

    /// Applies the flags; a Gateway-only flag on an action group is a usage error.
    pub(crate) fn configure(self, settings: &Settings<'_>) -> Result<Harness, Error> {
        match self {
            Harness::Gateway(gateway) => {
                let mut options = gateway.options().clone();
                if settings.target_name.is_none()
                    && options.target_name == toolcontract::gateway::DEFAULT_TARGET_NAME
                {
                    note_unknown_target_name(gateway.definition());
                }
                if let Some(cases) = settings.cases {
                    options.cases = cases;
                }
                if let Some(seed) = settings.seed {
                    options.seed = seed;
                }
                if let Some(timeout) = settings.timeout {
                    options.timeout = timeout;
                }
                if let Some(target) = settings.target_name {
                    options.target_name = target.to_owned();
                }
                if let Some(profile) = settings.profile {
                    options.profile = profile;
                }
                if let Some(passthrough) = settings.mcp_passthrough {
                    options.assume.mcp_passthrough = passthrough;
                }
                options.deny_warnings |= settings.deny_warnings;
                options.negative = settings.negative;
                options.tools = settings.tools.to_vec();
                Ok(Harness::Gateway(Box::new(gateway.with_options(options)?)))
            }
            Harness::ActionGroup(group) => {
                for (flag, given) in [
                    ("--target-name", settings.target_name.is_some()),
                    ("--profile", settings.profile.is_some()),
                    ("--negative", settings.negative),
                    ("--mcp-passthrough", settings.mcp_passthrough.is_some()),
                ] {
                    if given {
                        return Err(Error::Usage(format!(
                            "{flag} applies to AgentCore Gateway definitions; {} is a Bedrock \
                             Agents action group ({})",
                            group.definition().source.display(),
                            group.name()
                        )));
                    }
                }
                let mut options = group.options().clone();
                if let Some(cases) = settings.cases {
                    options.cases = cases;
                }
                if let Some(seed) = settings.seed {
                    options.seed = seed;
                }
                if let Some(timeout) = settings.timeout {
                    options.timeout = timeout;
                }
                options.deny_warnings |= settings.deny_warnings;
                options.tools = settings.tools.to_vec();
                Ok(Harness::ActionGroup(Box::new(group.with_options(options)?)))
            }
        }
    }

    /// Valid cases per tool, as configured.
    pub(crate) fn cases(&self) -> u32 {
        match self {
            Harness::Gateway(gateway) => gateway.options().cases,
            Harness::ActionGroup(group) => group.options().cases,
        }
    }

    /// Sample cases of one tool (`invalid`: Gateway negative samples).
    pub(crate) fn samples(
        &self,
        tool: &str,
        count: u32,
        invalid: bool,
    ) -> Result<Vec<Sample>, Error> {
        match self {
            Harness::Gateway(gateway) => gateway.samples(tool, count, invalid),
            Harness::ActionGroup(_) if invalid => Err(Error::Usage(
                "--invalid applies to AgentCore Gateway definitions: action groups have no \
                 negative mode"
                    .to_owned(),
            )),
            Harness::ActionGroup(group) => group.samples(tool, count),
        }
    }

    /// Runs every check (or, with tokens, only those cases).
    pub(crate) async fn run<H: Handler>(
        &self,
        handlers: &mut [H],
        tokens: &[ReplayToken],
        on_event: impl FnMut(RunEvent) + Send,
    ) -> Result<Report, Error> {
        match (self, tokens.is_empty()) {
            (Harness::Gateway(g), true) => Ok(g.check_handlers(handlers, on_event).await),
            (Harness::Gateway(g), false) => g.replay_handlers(handlers, tokens, on_event).await,
            (Harness::ActionGroup(a), true) => Ok(a.check_handlers(handlers, on_event).await),
            (Harness::ActionGroup(a), false) => a.replay_handlers(handlers, tokens, on_event).await,
        }
    }
}

/// Says that a template's target `Name` is not known, so the default target name is used.
fn note_unknown_target_name(definition: &Definition) {
    if let Some(resource) = &definition.resource
        && let Some(unresolved) = &resource.unresolved_target_name
    {
        output::note(&format!(
            "toolcontract: note: {}: the target name of {} is not known before deployment \
             (`{}` at {}: {}); tool names are built with `{}`: give the deployed name with \
             --target-name",
            definition.source.display(),
            resource.logical_id,
            unresolved.function,
            unresolved.pointer,
            unresolved.reason,
            toolcontract::gateway::DEFAULT_TARGET_NAME
        ));
    }
}
