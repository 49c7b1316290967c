//! Checking Lambda targets of an Amazon Bedrock AgentCore Gateway.
//!
//! A Gateway calls its Lambda target with the tool's arguments as the event and the tool name,
//! `<target>___<tool>`, in `context.client_context.custom["bedrockAgentCoreToolName"]`; it expects
//! `{"content": [{"text": ...}]}`, with `"isError": true` on failure. [`Gateway`] loads a
//! definition, generates arguments from each tool's input schema, calls the handler exactly as
//! a Gateway would, and runs the Gateway checks (see [`CheckName`](crate::CheckName)).
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

pub use crate::definition::names;
pub mod received;
pub(crate) mod suite;

use std::collections::BTreeSet;

use proptest::strategy::{SBoxedStrategy, Strategy};
use serde_json::Value;

use crate::checker::{
    Checker, CompiledTool, ContractKind, Overrides, RunOptions, Sealed, SnapshotHeader,
};
use crate::config::Config;
use crate::definition::{Definition, Tool};
use crate::errors::{Error, SchemaError, SchemaProblem};
use crate::generate::SchemaGenerator;
use crate::handler::Invocation;
use crate::report::{ContractRunInfo, GatewayRunInfo};
use crate::runner::suite::{CaseInput, Subject, SubjectKind};

pub use crate::checker::{DEFAULT_CASES, DEFAULT_TIMEOUT, Sample};
pub use crate::profile::{Assumptions, Profile, UnknownProfile};
use suite::{GatewaySuite, Identity, ToolPlan};

/// The target name cases use unless told otherwise.
pub const DEFAULT_TARGET_NAME: &str = "toolcontract-target";

/// A Gateway definition ready to check handlers against: the front end
/// ([`Checker`]) with the Gateway's contract.
pub type Gateway = Checker<GatewayContract>;

/// The AgentCore Gateway contract, as [`Checker`] uses it: events are the arguments, the tool
/// name is in the client context, answers are judged as the agent receives them.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct GatewayContract;

/// The settings of a Gateway check: the shared [`RunOptions`] (`options.cases` and the like
/// reach them), and the Gateway's own.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GatewayOptions {
    /// The settings every contract has.
    pub run: RunOptions,
    /// The target name in `<target>___<tool>` (default `toolcontract-target`).
    pub target_name: String,
    /// Response rules (default `gateway`: what the agent receives).
    pub profile: Profile,
    /// What is assumed where the evidence runs out.
    pub assume: Assumptions,
    /// Also send schema-violating arguments (`invalid_arguments_handled`).
    pub negative: bool,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        GatewayOptions {
            run: RunOptions::default(),
            target_name: DEFAULT_TARGET_NAME.to_owned(),
            profile: Profile::Gateway,
            assume: Assumptions::default(),
            negative: false,
        }
    }
}

crate::checker::embeds_run_options!(GatewayOptions);

impl Sealed for GatewayContract {}

impl ContractKind for GatewayContract {
    type Options = GatewayOptions;
    /// The tool's output schema, if any.
    type Tool = Option<Value>;
    type Suite = GatewaySuite;
    const LABEL: &'static str = "Gateway";

    fn load(_definition: &Definition) -> Result<Self, Error> {
        Ok(GatewayContract)
    }

    fn compile_tool(
        &self,
        definition: &Definition,
        tool: &Tool,
        generator: impl FnOnce() -> Result<SchemaGenerator, Error>,
    ) -> Result<Option<(SchemaGenerator, Option<Value>)>, Error> {
        let generator = generator()?;
        if let Some(schema) = &tool.output_schema {
            output_validator(schema).map_err(|message| SchemaError {
                file: definition.source.clone(),
                tool: tool.name.clone(),
                pointer: definition.in_file(&tool.output_schema_pointer()),
                problem: SchemaProblem::OutputSchema(message),
            })?;
        }
        Ok(Some((generator, tool.output_schema.clone())))
    }

    fn initial_options(definition: &Definition) -> GatewayOptions {
        let mut options = GatewayOptions::default();
        if let Some(target) = &definition.target_name {
            options.target_name = target.clone();
        }
        options
    }

    fn apply_config(options: &mut GatewayOptions, config: &Config) {
        if let Some(target) = &config.target_name {
            options.target_name = target.clone();
        }
        if let Some(profile) = config.profile {
            options.profile = profile;
        }
        options.assume = config.assumptions();
    }

    fn apply_overrides(
        checker: &Gateway,
        options: &mut GatewayOptions,
        overrides: &Overrides,
    ) -> Result<(), Error> {
        if overrides.interceptor.is_some() {
            return Err(Error::Usage(format!(
                "--interceptor applies to interceptor definitions; {} is a Gateway target's \
                 tool definition",
                checker.definition.source.display()
            )));
        }
        if let Some(target) = &overrides.target_name {
            options.target_name = target.clone();
        }
        if let Some(profile) = overrides.profile {
            options.profile = profile;
        }
        if let Some(passthrough) = overrides.mcp_passthrough {
            options.assume.mcp_passthrough = passthrough;
        }
        options.negative = overrides.negative;
        Ok(())
    }

    fn notes(checker: &Gateway, overrides: &Overrides) -> Vec<String> {
        if overrides.target_name.is_some() || checker.options.target_name != DEFAULT_TARGET_NAME {
            return Vec::new();
        }
        let definition = &checker.definition;
        let Some(resource) = &definition.resource else {
            return Vec::new();
        };
        let Some(unresolved) = &resource.unresolved_target_name else {
            return Vec::new();
        };
        vec![format!(
            "toolcontract: note: {}: the target name of {} is not known before deployment \
             (`{}` at {}: {}); tool names are built with `{}`: give the deployed name with \
             --target-name",
            definition.source.display(),
            resource.logical_id,
            unresolved.function,
            unresolved.pointer,
            unresolved.reason,
            DEFAULT_TARGET_NAME
        )]
    }

    fn validate(options: &GatewayOptions) -> Result<(), Error> {
        if !names::is_valid_target_name(&options.target_name) {
            return Err(Error::InvalidTargetName(options.target_name.clone()));
        }
        Ok(())
    }

    fn invocation(
        checker: &Gateway,
        tool: &CompiledTool<Option<Value>>,
        arguments: &Value,
        seed: u64,
    ) -> Invocation {
        let options = &checker.options;
        let identity = Identity::new(&options.target_name, options.timeout, options.seed);
        let template = identity.template(&names::qualified(&identity.target_name, &tool.name));
        identity.invocation(&template, arguments, seed)
    }

    fn sample_strategy(
        _checker: &Gateway,
        tool: &CompiledTool<Option<Value>>,
        invalid: bool,
    ) -> Result<SBoxedStrategy<CaseInput>, Error> {
        if !invalid {
            return Ok(tool
                .generator
                .strategy()
                .prop_map(CaseInput::valid)
                .sboxed());
        }
        Ok(tool
            .generator
            .invalid_strategy()
            .ok_or_else(|| {
                Error::Usage(format!(
                    "tool `{}` accepts every value: there are no invalid arguments to show",
                    tool.name
                ))
            })?
            .prop_map(|iv| CaseInput {
                arguments: iv.value,
                violation: Some(iv.violation),
            })
            .sboxed())
    }

    fn suite(checker: &Gateway) -> GatewaySuite {
        checker.suite()
    }

    fn run_info(checker: &Gateway) -> (String, bool, ContractRunInfo) {
        let options = &checker.options;
        let info = GatewayRunInfo {
            target_name: options.target_name.clone(),
            assumptions: [(
                "mcp_passthrough".to_owned(),
                options.profile == Profile::Mcp || options.assume.mcp_passthrough,
            )]
            .into(),
        };
        (
            options.profile.as_str().to_owned(),
            options.negative,
            ContractRunInfo::Gateway(info),
        )
    }

    fn snapshot_header(checker: &Gateway, tool: &str) -> SnapshotHeader {
        let options = &checker.options;
        SnapshotHeader {
            contract: "gateway",
            tool_name: Some(names::qualified(&options.target_name, tool)),
            profile: Some(options.profile.as_str().to_owned()),
            action_group: None,
            envelope: None,
            agent: Some((options.profile, options.assume)),
        }
    }
}

impl Checker<GatewayContract> {
    /// The response profile.
    #[must_use]
    pub fn profile(mut self, profile: Profile) -> Gateway {
        self.options.profile = profile;
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

    /// The target name; it must be a valid Gateway target name.
    pub fn target_name(mut self, name: &str) -> Result<Gateway, Error> {
        if !names::is_valid_target_name(name) {
            return Err(Error::InvalidTargetName(name.to_owned()));
        }
        self.options.target_name = name.to_owned();
        Ok(self)
    }

    /// `count` sample cases of `tool`, as `toolcontract event` prints them: valid arguments,
    /// or with `invalid`, arguments breaking the schema in one named way each.
    pub fn samples(&self, tool: &str, count: u32, invalid: bool) -> Result<Vec<Sample>, Error> {
        self.draw_samples(tool, count, invalid)
    }

    fn suite(&self) -> GatewaySuite {
        let options = &self.options;
        let mut subjects: Vec<Subject> = self.tool_subjects(
            "(undeclared tool)",
            |tool| tool.generator.strategy(),
            |_, _, args| args.clone(),
        );
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
        let declared: BTreeSet<String> = self.tools.iter().map(|t| t.name.clone()).collect();
        let tools = self
            .tools
            .iter()
            .map(|t| ToolPlan {
                name: t.name.clone(),
                // Compiled (and its errors reported) in `new`; compiling again cannot fail.
                output_validator: t.extra.as_ref().and_then(|s| output_validator(s).ok()),
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
