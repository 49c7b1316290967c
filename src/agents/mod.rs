//! Checking the Lambda functions of Amazon Bedrock Agents action groups.
//!
//! An agent calls an action group's Lambda with an event naming the action group and the
//! function (function details) or the `apiPath` and `httpMethod` (OpenAPI), every parameter
//! value as a string; it expects the response to echo those names, in an envelope with
//! `messageVersion` `"1.0"`. [`ActionGroup`] loads a definition (a `create_agent_action_group`
//! request, or a bare OpenAPI document with the group's name), generates arguments from each
//! function's parameters or operation's schemas, sends the events an agent would send, and runs
//! the action-group checks (see [`CheckName`](crate::CheckName)) through the same runner as the
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

use proptest::strategy::{SBoxedStrategy, Strategy};
use serde_json::Value;

use crate::checker::{
    Checker, CompiledTool, ContractKind, Overrides, RunOptions, Sample, Sealed, SnapshotHeader,
};
use crate::definition::{ActionTarget, Definition, DefinitionError, DefinitionErrorKind, Tool};
use crate::errors::Error;
use crate::generate::SchemaGenerator;
use crate::handler::Invocation;
use crate::report::ContractRunInfo;
use crate::runner::suite::CaseInput;
use crate::runner::{self};

pub use crate::judge::{ERROR_TEXT_WINDOW, is_error_text};
pub use envelope::Envelope;
pub use event::encode;
use event::{Agent, EventSpec, Session};
use suite::{AgentsSuite, FUNCTION_ARN};

/// An action-group definition ready to check handlers against: the front end ([`Checker`])
/// with the action-group contract.
pub type ActionGroup = Checker<ActionGroupContract>;

/// The settings of an action-group check: the ones every contract has (action groups have
/// none of their own).
pub type ActionGroupOptions = RunOptions;

/// The Bedrock Agents action-group contract, as [`Checker`] uses it: the group's name and
/// the envelope its events and responses use.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ActionGroupContract {
    name: String,
    envelope: Envelope,
}

impl Sealed for ActionGroupContract {}

impl ContractKind for ActionGroupContract {
    type Options = ActionGroupOptions;
    /// What the tool's events carry: a function, or an operation.
    type Tool = ActionTarget;
    type Suite = AgentsSuite;
    const LABEL: &'static str = "ActionGroup";
    const NO_NEGATIVE_MODE: Option<&'static str> = Some(
        "--invalid applies to AgentCore Gateway definitions: action groups have no negative mode",
    );

    fn load(definition: &Definition) -> Result<Self, Error> {
        let Some(group) = &definition.action_group else {
            return Err(Error::Usage(format!(
                "{} is not an action group (it is a {:?} definition): check it with the \
                 Gateway harness",
                definition.source.display(),
                definition.kind
            )));
        };
        let envelope = if definition.kind.is_openapi() {
            Envelope::OpenApi
        } else {
            Envelope::FunctionDetails
        };
        Ok(ActionGroupContract {
            name: group.name.clone(),
            envelope,
        })
    }

    fn compile_tool(
        &self,
        definition: &Definition,
        tool: &Tool,
        generator: impl FnOnce() -> Result<SchemaGenerator, Error>,
    ) -> Result<Option<(SchemaGenerator, ActionTarget)>, Error> {
        let Some(action) = &tool.action else {
            return Ok(None);
        };
        if let Some(reason) = crate::definition::action_group::unsupported_tool(tool) {
            return Err(DefinitionError::new(
                &definition.source,
                definition.in_file(&tool.pointer),
                DefinitionErrorKind::Invalid(reason),
            )
            .into());
        }
        Ok(Some((generator()?, action.target.clone())))
    }

    fn apply_overrides(
        checker: &ActionGroup,
        _options: &mut ActionGroupOptions,
        overrides: &Overrides,
    ) -> Result<(), Error> {
        let flag = overrides
            .gateway_flag()
            .or(overrides.interceptor.is_some().then_some("--interceptor"));
        if let Some(flag) = flag {
            return Err(Error::Usage(format!(
                "{flag} applies to AgentCore Gateway definitions; {} is a Bedrock Agents action \
                 group ({})",
                checker.definition.source.display(),
                checker.contract.name
            )));
        }
        Ok(())
    }

    fn invocation(
        checker: &ActionGroup,
        tool: &CompiledTool<ActionTarget>,
        arguments: &Value,
        seed: u64,
    ) -> Invocation {
        let spec = checker.spec(tool);
        let event = spec.event(arguments, &Session::plain(seed, spec.parameter_count()));
        checker.invocation_of(event, seed)
    }

    fn sample_strategy(
        checker: &ActionGroup,
        tool: &CompiledTool<ActionTarget>,
        _invalid: bool,
    ) -> Result<SBoxedStrategy<CaseInput>, Error> {
        Ok(checker
            .spec(tool)
            .strategy(tool.generator.strategy())
            .prop_map(CaseInput::valid)
            .sboxed())
    }

    fn sample_invocation(
        checker: &ActionGroup,
        _tool: &CompiledTool<ActionTarget>,
        input: &CaseInput,
        seed: u64,
    ) -> Invocation {
        checker.invocation_of(input.arguments.clone(), seed)
    }

    fn suite(checker: &ActionGroup) -> AgentsSuite {
        checker.suite()
    }

    fn run_info(checker: &ActionGroup) -> (String, bool, ContractRunInfo) {
        (
            checker.contract.envelope.as_str().to_owned(),
            false,
            ContractRunInfo::ActionGroup {},
        )
    }

    fn snapshot_header(checker: &ActionGroup, _tool: &str) -> SnapshotHeader {
        SnapshotHeader {
            contract: "action_group",
            tool_name: None,
            profile: None,
            action_group: Some(checker.contract.name.clone()),
            envelope: Some(
                match checker.contract.envelope {
                    Envelope::FunctionDetails => "function_details",
                    Envelope::OpenApi => "openapi",
                }
                .to_owned(),
            ),
            agent: None,
        }
    }
}

impl Checker<ActionGroupContract> {
    /// Loads a bare OpenAPI document (JSON or YAML) as the action group `action_group_name`.
    pub fn from_openapi_path(
        path: impl AsRef<Path>,
        action_group_name: &str,
    ) -> Result<ActionGroup, Error> {
        ActionGroup::new(Definition::from_openapi_path(path, action_group_name)?)
    }

    /// The action group's name (what every event carries as `actionGroup`).
    pub fn name(&self) -> &str {
        &self.contract.name
    }

    /// The envelope the events and responses use.
    pub fn envelope(&self) -> Envelope {
        self.contract.envelope
    }

    fn spec(&self, tool: &CompiledTool<ActionTarget>) -> EventSpec {
        EventSpec {
            action_group: self.contract.name.clone(),
            target: tool.extra.clone(),
            agent: Agent::new(self.options.seed),
        }
    }

    fn invocation_of(&self, event: Value, seed: u64) -> Invocation {
        Invocation::new(
            runner::seed::uuid_like(seed),
            event,
            FUNCTION_ARN,
            self.options.timeout,
        )
    }

    /// The strategy of the events an agent sends to call `tool`: the arguments encoded as the
    /// service encodes them, with varying session attributes, input text and parameter order.
    /// Shrinks through the encoding.
    pub fn events(&self, tool: &str) -> Result<SBoxedStrategy<Value>, Error> {
        let compiled = self.tool(tool)?;
        Ok(self.spec(compiled).strategy(compiled.generator.strategy()))
    }

    /// `count` sample events of `tool`, as `toolcontract event` prints them.
    pub fn samples(&self, tool: &str, count: u32) -> Result<Vec<Sample>, Error> {
        self.draw_samples(tool, count, false)
    }

    fn suite(&self) -> AgentsSuite {
        let envelope = self.contract.envelope;
        let undeclared = match envelope {
            Envelope::FunctionDetails => "(undeclared function)",
            Envelope::OpenApi => "(undeclared operation)",
        };
        let subjects = self.tool_subjects(
            undeclared,
            |tool| self.spec(tool).strategy(tool.generator.strategy()),
            |tool, i, args| {
                let spec = self.spec(tool);
                spec.event(args, &Session::plain(i as u64, spec.parameter_count()))
            },
        );
        let declared: BTreeSet<String> = self
            .tools
            .iter()
            .map(|t| match &t.extra {
                ActionTarget::Function(f) => f.function.clone(),
                ActionTarget::Operation(o) => o.api_path.clone(),
            })
            .collect();
        AgentsSuite {
            subjects,
            envelope,
            timeout: self.options.timeout,
            undeclared: AgentsSuite::undeclared_names(envelope, &declared),
        }
    }
}
