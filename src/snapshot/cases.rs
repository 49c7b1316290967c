//! The cases of a snapshot: per tool, the schema's declared and boundary values, then a few
//! values drawn from the run seed, each with a label. The same definition, options and seed
//! give the same cases on every machine.

use std::path::Path;

use proptest::strategy::{Strategy, ValueTree};
use serde::Serialize;
use serde_json::Value;

use crate::agents::ActionGroup;
use crate::checker::{Checker, ContractKind};
use crate::errors::Error;
use crate::gateway::Gateway;
use crate::generate::SchemaGenerator;
use crate::handler::Invocation;
use crate::interceptor::Interceptor;
use crate::profile::{Assumptions, Profile};
use crate::report::Seed;
use crate::runner::case_seed;
use crate::runner::seed::{case_runner, fnv1a, splitmix64};

use super::settings::SnapshotSettings;

/// What to take snapshots of: the tools of a Gateway definition, or of an action group.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Tools<'a> {
    /// AgentCore Gateway tools: the event is the arguments, the context carries the tool name.
    Gateway(&'a Gateway),
    /// A Bedrock Agents action group: the event is the full envelope.
    ActionGroup(&'a ActionGroup),
    /// A Gateway interceptor: the event is the first configured point's input of a
    /// `tools/call` of the tool.
    Interceptor(&'a Interceptor),
}

/// Anything that names the tools to take snapshots of: [`Gateway`], [`ActionGroup`],
/// [`Tools`], or a reference to one of them (what
/// [`assert_tool_snapshots!`](crate::assert_tool_snapshots) accepts).
pub trait ToTools {
    /// The tools.
    fn to_tools(&self) -> Tools<'_>;
}

impl ToTools for Gateway {
    fn to_tools(&self) -> Tools<'_> {
        Tools::Gateway(self)
    }
}

impl ToTools for ActionGroup {
    fn to_tools(&self) -> Tools<'_> {
        Tools::ActionGroup(self)
    }
}

impl ToTools for Interceptor {
    fn to_tools(&self) -> Tools<'_> {
        Tools::Interceptor(self)
    }
}

impl ToTools for Tools<'_> {
    fn to_tools(&self) -> Tools<'_> {
        *self
    }
}

impl<T: ToTools + ?Sized> ToTools for &T {
    fn to_tools(&self) -> Tools<'_> {
        (**self).to_tools()
    }
}

/// One case of a tool's snapshot.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Case {
    /// What the case exercises, e.g. `example 1`, `minimum of /count`, or
    /// `generated 1 (seed 0x…)`; unique within the tool.
    pub label: String,
    /// What the handler receives.
    pub invocation: Invocation,
}

/// How a snapshot shows a response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    /// Gateway, `mcp` profile: only what the agent reads, `content`, `isError` and
    /// `structuredContent` (the whole body when it is not an object with `content`).
    Mcp,
    /// The whole body (`json` profile, action groups).
    Whole,
}

/// What a snapshot's header says about where its cases came from (insta's `info`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SnapshotInfo {
    /// The tool.
    pub tool: String,
    /// The definition file (relative to the current directory when below it).
    pub definition: String,
    /// `gateway` or `action_group`.
    pub contract: String,
    /// Gateway: the tool name as the Gateway sends it, `<target>___<tool>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_name: Option<String>,
    /// Gateway: the response profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Action groups: the group's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_group: Option<String>,
    /// Action groups: `function_details` or `openapi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<String>,
    /// The run seed the generated cases come from.
    pub seed: Seed,
    /// How many generated cases were asked for.
    pub generated: u32,
}

impl View {
    /// How a Gateway snapshot under `profile` shows a response body.
    pub(crate) fn of(profile: Profile) -> View {
        match profile {
            Profile::Mcp => View::Mcp,
            _ => View::Whole,
        }
    }
}

impl SnapshotInfo {
    /// The header of a tool's snapshot (`generated` cases asked for): what the contract's
    /// header says comes from [`ContractKind::snapshot_header`], the rest is the same for
    /// every contract. Also the profile and assumptions of a Gateway's answers.
    fn of<C: ContractKind>(
        checker: &Checker<C>,
        tool: &str,
        generated: u32,
    ) -> (SnapshotInfo, Option<(Profile, Assumptions)>) {
        let header = C::snapshot_header(checker, tool);
        let info = SnapshotInfo {
            tool: tool.to_owned(),
            definition: display_path(&checker.definition().source),
            contract: header.contract.to_owned(),
            tool_name: header.tool_name,
            profile: header.profile,
            action_group: header.action_group,
            envelope: header.envelope,
            seed: Seed(checker.run_options().seed),
            generated,
        };
        (info, header.agent)
    }

    /// The header of a Gateway tool's snapshot (`generated` cases asked for).
    #[cfg(feature = "serve")]
    pub(crate) fn gateway(gateway: &crate::Gateway, tool: &str, generated: u32) -> SnapshotInfo {
        SnapshotInfo::of(gateway, tool, generated).0
    }
}

/// The cases of one tool, and how its snapshot presents them.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ToolCases {
    /// The tool.
    pub tool: String,
    /// Its cases, boundary values first, then generated ones.
    pub cases: Vec<Case>,
    /// What the snapshot header records.
    pub info: SnapshotInfo,
    pub(crate) view: View,
    /// Gateway: the profile and assumptions that map an answer to what the agent receives.
    pub(crate) agent: Option<(Profile, Assumptions)>,
}

/// The snapshot cases of every selected tool, in declaration order.
pub fn plan(tools: Tools<'_>, settings: &SnapshotSettings) -> Result<Vec<ToolCases>, Error> {
    match tools {
        Tools::Gateway(gateway) => plan_of(gateway, settings),
        Tools::ActionGroup(group) => plan_of(group, settings),
        Tools::Interceptor(interceptor) => plan_of(interceptor, settings),
    }
}

/// The snapshot cases of every selected tool of one checker: what the contract's header says
/// comes from [`ContractKind::snapshot_header`], the rest is the same for every contract.
fn plan_of<C: ContractKind>(
    checker: &Checker<C>,
    settings: &SnapshotSettings,
) -> Result<Vec<ToolCases>, Error> {
    let seed = checker.run_options().seed;
    checker
        .snapshot_tools()
        .into_iter()
        .map(|(tool, generator)| {
            let (info, agent) = SnapshotInfo::of(checker, tool, settings.generated);
            let view = agent.map_or(View::Whole, |(profile, _)| View::of(profile));
            let cases = tool_cases(
                tool,
                generator,
                &checker.snapshot_known_good(tool),
                seed,
                settings.generated,
                |arguments, seed| checker.invocation(tool, arguments, seed),
            )?;
            Ok(ToolCases {
                tool: tool.to_owned(),
                cases,
                info,
                view,
                agent,
            })
        })
        .collect()
}

/// The cases of one tool: boundary values (labelled by the generator), then `generated`
/// values drawn with the seeds `check` uses for its first cases; a value already present is
/// not repeated.
fn tool_cases(
    tool: &str,
    generator: &SchemaGenerator,
    known_good: &[Value],
    run_seed: u64,
    generated: u32,
    invocation: impl Fn(&Value, u64) -> Result<Invocation, Error>,
) -> Result<Vec<Case>, Error> {
    let mut cases: Vec<Case> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut push = |label: String, value: Value, seed: u64| -> Result<(), Error> {
        if values.contains(&value) {
            return Ok(());
        }
        let mut label = label;
        if cases.iter().any(|c| c.label == label) {
            let base = label.clone();
            let mut n = 2;
            while cases.iter().any(|c| c.label == label) {
                label = format!("{base} ({n})");
                n += 1;
            }
        }
        cases.push(Case {
            label,
            invocation: invocation(&value, seed)?,
        });
        values.push(value);
        Ok(())
    };
    for (i, arguments) in known_good.iter().enumerate() {
        let label = format!("known good {}", i + 1);
        let mut state = run_seed ^ fnv1a(tool.as_bytes()) ^ fnv1a(label.as_bytes());
        let seed = splitmix64(&mut state);
        push(label, arguments.clone(), seed)?;
    }
    for boundary in generator.boundary_values() {
        // Request and session ids come from a seed fixed by the tool and the label, so adding
        // a boundary value does not change the ids of the others.
        let mut state = run_seed ^ fnv1a(tool.as_bytes()) ^ fnv1a(boundary.label.as_bytes());
        let seed = splitmix64(&mut state);
        push(boundary.label, boundary.value, seed)?;
    }
    let strategy = generator.strategy();
    for index in 0..generated {
        let seed = case_seed(run_seed, tool, index);
        let value = strategy
            .new_tree(&mut case_runner(seed))
            .map_err(|reason| Error::GeneratorGaveUp {
                tool: tool.to_owned(),
                reason: reason.to_string(),
            })?
            .current();
        push(
            format!("generated {} (seed {})", index + 1, Seed(seed)),
            value,
            seed,
        )?;
    }
    Ok(cases)
}

/// `path` relative to the current directory when it lies below it, with `/` separators, so
/// snapshot headers do not depend on where a checkout lives.
pub(crate) fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    relative.to_string_lossy().replace('\\', "/")
}
