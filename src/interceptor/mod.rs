//! Checking the interceptor Lambdas of an Amazon Bedrock AgentCore Gateway.
//!
//! A Gateway runs up to two interceptors (REQUEST, before it routes a request; RESPONSE,
//! after the target answered) on every MCP message that passes through it: `initialize`,
//! `tools/list`, `tools/call`, pings and notifications, not only tool calls. Each gets the
//! message as a parsed JSON-RPC object inside `{"interceptorInputVersion": "1.0", "mcp":
//! {...}}` and must answer `{"interceptorOutputVersion": "1.0", "mcp":
//! {"transformedGatewayRequest": {...}}}` (REQUEST; with `transformedGatewayResponse` it
//! answers the client at once) or `{"mcp": {"transformedGatewayResponse": {...}}}`
//! (RESPONSE); see `contracts/interceptor-*.json` and contract-facts.md section 5.
//!
//! [`Interceptor`] loads an interceptor definition (the gateway's `interceptorConfigurations`
//! and the targets whose tools it will see called, see
//! [`definition::interceptor`](crate::definition::interceptor)), draws MCP exchanges (every
//! method the Gateway forwards; `tools/call` arguments from each tool's input schema;
//! headers where `passRequestHeaders` is set; the target's answer for the RESPONSE input),
//! and sends the Lambda the input of each point it is configured at.
//!
//! ```no_run
//! use lambda_runtime::{service_fn, Error, LambdaEvent};
//! use serde_json::{json, Value};
//!
//! // A pass-through interceptor at REQUEST and RESPONSE.
//! async fn interceptor(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     let mcp = &event.payload["mcp"];
//!     Ok(match mcp.get("gatewayResponse").filter(|r| !r.is_null()) {
//!         None => json!({"interceptorOutputVersion": "1.0", "mcp": {
//!             "transformedGatewayRequest": {"body": mcp["gatewayRequest"]["body"]}}}),
//!         Some(response) => json!({"interceptorOutputVersion": "1.0", "mcp": {
//!             "transformedGatewayResponse": {"statusCode": 200, "body": response["body"]}}}),
//!     })
//! }
//!
//! #[test]
//! fn keeps_the_interceptor_contract() {
//!     toolcontract::Interceptor::from_path("interceptors.json")
//!         .unwrap()
//!         .check(service_fn(interceptor))
//!         .assert_ok();
//! }
//! ```
//!
//! The checks (stable names; every answer unless it says otherwise):
//! - `no_function_error`: the interceptor answers with JSON (no `Err`, panic, exit).
//! - `interceptor_output_version`: `interceptorOutputVersion` is `"1.0"` (documented: must be).
//! - `interceptor_output_shape`: the output matches `contracts/interceptor-request-output.json`
//!   or `…-response-output.json` (a RESPONSE output without `transformedGatewayResponse` is a
//!   warning: not documented, and what the Gateway then does is unknown).
//! - `interceptor_body_object`: a transformed body is a JSON object, or `null` to keep the
//!   original; never a string (`json.dumps` of the body is the classic bug).
//! - `interceptor_id_preserved`: a forwarded request keeps the request's JSON-RPC id, and an
//!   answer the interceptor gives (a short-circuit, or a transformed response) carries it: a
//!   client matches answers to its requests by id.
//! - `interceptor_jsonrpc_response`: an answer the interceptor gives is a JSON-RPC 2.0
//!   response (`contracts/jsonrpc-response.json`).
//! - `interceptor_passthrough` (`initialize`, `tools/list`, `ping`, notifications): the
//!   forwarded request is still that method, and a transformed `initialize` or `tools/list`
//!   result still has what the client needs (`protocolVersion` and `capabilities`; `tools`).
//! - `within_deadline`, `response_size` (6 MB).

mod event;
mod suite;

use std::path::Path;

use proptest::strategy::{SBoxedStrategy, Strategy};
use serde_json::{Value, json};

use crate::checker::{
    Checker, CompiledTool, ContractKind, Overrides, RunOptions, Sample, Sealed, SnapshotHeader,
};
use crate::definition::{Definition, InterceptionPoint, InterceptorDeclaration, Tool, names};
use crate::errors::{Error, SchemaError, SchemaProblem};
use crate::generate::{GenerateOptions, SchemaGenerator};
use crate::handler::Invocation;
use crate::report::{ContractRunInfo, InterceptorRunInfo};
use crate::runner::suite::{CaseInput, Subject, SubjectKind};

use event::{ExchangeSpec, METHODS};
pub use suite::InterceptorSuite;

/// Cases per method other than `tools/call` (fewer than per tool: only ids, headers and the
/// protocol version vary).
const METHOD_CASES: u32 = 64;

/// An interceptor definition ready to check an interceptor Lambda against: the front end
/// ([`Checker`]) with the interceptor contract.
pub type Interceptor = Checker<InterceptorContract>;

/// The AgentCore Gateway interceptor contract, as [`Checker`] uses it: the gateway's
/// interceptor configurations and targets.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct InterceptorContract {
    declaration: InterceptorDeclaration,
    /// The tools a `tools/list` answer lists (every target's, qualified), built once.
    listed: std::sync::Arc<Vec<Value>>,
}

/// The settings of an interceptor check: the shared [`RunOptions`], and which interceptor
/// Lambda of the configuration is under test.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct InterceptorOptions {
    /// The settings every contract has.
    pub run: RunOptions,
    /// The ARN of the interceptor Lambda under test (default: the first of the
    /// configuration). Its interception points and `passRequestHeaders` shape the events.
    pub lambda: String,
}

crate::checker::embeds_run_options!(InterceptorOptions);

impl Sealed for InterceptorContract {}

impl ContractKind for InterceptorContract {
    type Options = InterceptorOptions;
    /// Nothing beyond the generator: the qualified name is the tool's name.
    type Tool = ();
    type Suite = InterceptorSuite;
    const LABEL: &'static str = "Interceptor";
    const NO_NEGATIVE_MODE: Option<&'static str> = Some(
        "--invalid applies to AgentCore Gateway target definitions: the Gateway validates \
         tools/call arguments after its REQUEST interceptor, but interceptors have no negative \
         mode yet",
    );

    fn load(definition: &Definition) -> Result<Self, Error> {
        let Some(declaration) = &definition.interceptor else {
            return Err(Error::Usage(format!(
                "{} is not an interceptor definition (it is a {:?} definition): an \
                 interceptor definition has `interceptorConfigurations` and `targets`",
                definition.source.display(),
                definition.kind
            )));
        };
        Ok(InterceptorContract {
            declaration: declaration.clone(),
            listed: std::sync::Arc::new(listed_tools(declaration)),
        })
    }

    fn compile_tool(
        &self,
        _definition: &Definition,
        tool: &Tool,
        _generator: impl FnOnce() -> Result<SchemaGenerator, Error>,
    ) -> Result<Option<(SchemaGenerator, ())>, Error> {
        // Compiled against the target's own definition, so that an error names its file.
        let Some((target, declared)) = self.declaration.target_tool(&tool.name) else {
            return Ok(None);
        };
        let file = &target.definition;
        // The tool's description names values worth trying (a documented id).
        let options = GenerateOptions {
            description: declared.description.clone(),
            ..GenerateOptions::default()
        };
        let generator =
            SchemaGenerator::with_options(&declared.input_schema, &options).map_err(|e| {
                Error::from(SchemaError {
                    file: file.source.clone(),
                    tool: tool.name.clone(),
                    pointer: target
                        .base
                        .join(&file.pointer_in_file(&declared.input_schema_pointer(), &e.pointer)),
                    problem: SchemaProblem::Generate(e.kind),
                })
            })?;
        Ok(Some((generator, ())))
    }

    fn initial_options(definition: &Definition) -> InterceptorOptions {
        InterceptorOptions {
            lambda: definition
                .interceptor
                .as_ref()
                .and_then(|d| d.lambdas().first().map(|l| (*l).to_owned()))
                .unwrap_or_default(),
            ..InterceptorOptions::default()
        }
    }

    fn apply_overrides(
        checker: &Interceptor,
        options: &mut InterceptorOptions,
        overrides: &Overrides,
    ) -> Result<(), Error> {
        if let Some(flag) = overrides.gateway_flag() {
            return Err(Error::Usage(format!(
                "{flag} applies to AgentCore Gateway target definitions; {} is an interceptor \
                 definition (the targets' names are its `targets` keys)",
                checker.definition.source.display(),
            )));
        }
        if let Some(lambda) = &overrides.interceptor {
            checker.known_lambda(lambda)?;
            options.lambda = lambda.clone();
        }
        Ok(())
    }

    fn notes(checker: &Interceptor, overrides: &Overrides) -> Vec<String> {
        let lambdas = checker.contract.declaration.lambdas();
        if lambdas.len() < 2 || overrides.interceptor.is_some() {
            return Vec::new();
        }
        vec![format!(
            "toolcontract: note: {}: the configuration has two interceptor Lambdas; checking \
             {} ({}); check the other with --interceptor {}",
            checker.definition.source.display(),
            checker.options.lambda,
            checker.points_text(),
            lambdas
                .iter()
                .find(|l| **l != checker.options.lambda)
                .unwrap_or(&"ARN")
        )]
    }

    fn invocation(
        checker: &Interceptor,
        tool: &CompiledTool<()>,
        arguments: &Value,
        seed: u64,
    ) -> Invocation {
        let exchange = fixed_tool_call(&tool.name, arguments, seed);
        checker.first_invocation(&exchange, seed)
    }

    fn sample_strategy(
        checker: &Interceptor,
        tool: &CompiledTool<()>,
        _invalid: bool,
    ) -> Result<SBoxedStrategy<CaseInput>, Error> {
        Ok(checker
            .spec()
            .tool_call(&tool.name, tool.generator.strategy())
            .prop_map(CaseInput::valid)
            .sboxed())
    }

    fn sample_invocation(
        checker: &Interceptor,
        _tool: &CompiledTool<()>,
        input: &CaseInput,
        seed: u64,
    ) -> Invocation {
        checker.first_invocation(&input.arguments, seed)
    }

    fn suite(checker: &Interceptor) -> InterceptorSuite {
        checker.suite()
    }

    fn run_info(checker: &Interceptor) -> (String, bool, ContractRunInfo) {
        let points = checker.points();
        let info = InterceptorRunInfo {
            interceptor_lambda: checker.options.lambda.clone(),
            interception_points: points.iter().map(|(p, _)| p.as_str().to_owned()).collect(),
            pass_request_headers: points
                .iter()
                .filter(|(_, pass)| *pass)
                .map(|(p, _)| p.as_str().to_owned())
                .collect(),
            targets: checker
                .contract
                .declaration
                .targets
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            assumptions: [
                ("headers_lowercase".to_owned(), true),
                ("no_response_to_notifications".to_owned(), true),
            ]
            .into(),
        };
        (
            "interceptor".to_owned(),
            false,
            ContractRunInfo::Interceptor(info),
        )
    }

    fn snapshot_header(checker: &Interceptor, tool: &str) -> SnapshotHeader {
        let _ = checker;
        SnapshotHeader {
            contract: "interceptor",
            tool_name: Some(tool.to_owned()),
            profile: None,
            action_group: None,
            envelope: None,
            agent: None,
        }
    }
}

/// What a `tools/list` answer of the gateway lists: every target's tools, qualified.
fn listed_tools(declaration: &InterceptorDeclaration) -> Vec<Value> {
    declaration
        .targets
        .iter()
        .flat_map(|target| {
            target.definition.tools.iter().map(move |tool| {
                let mut listed = json!({
                    "name": names::qualified(&target.name, &tool.name),
                    "inputSchema": tool.input_schema,
                });
                if let Some(description) = &tool.description {
                    listed["description"] = Value::String(description.clone());
                }
                if let Some(output) = &tool.output_schema {
                    listed["outputSchema"] = output.clone();
                }
                listed
            })
        })
        .collect()
}

/// A `tools/call` exchange of `tool` with `arguments`, its id and headers fixed by `seed`:
/// what [`Checker::invocation`] and snapshot cases send.
fn fixed_tool_call(tool: &str, arguments: &Value, seed: u64) -> Value {
    let headers = event::headers_for(seed);
    json!({
        "request": {
            "jsonrpc": "2.0",
            "id": seed % 16,
            "method": "tools/call",
            "params": {"name": tool, "arguments": arguments},
        },
        "headers": headers,
        "response": {
            "jsonrpc": "2.0",
            "id": seed % 16,
            "result": {"isError": false, "content": [{"type": "text", "text": "\"ok\""}]},
        },
    })
}

impl Checker<InterceptorContract> {
    /// Loads an interceptor definition, checking the interceptor Lambda `lambda` (its ARN,
    /// as the configuration names it).
    pub fn from_path_for(path: impl AsRef<Path>, lambda: &str) -> Result<Interceptor, Error> {
        Interceptor::from_path(path)?.interceptor(lambda)
    }

    /// Checks the interceptor Lambda `lambda` (its ARN, as the configuration names it): its
    /// interception points and `passRequestHeaders` shape the events.
    pub fn interceptor(mut self, lambda: &str) -> Result<Interceptor, Error> {
        self.known_lambda(lambda)?;
        self.options.lambda = lambda.to_owned();
        Ok(self)
    }

    /// What the definition declares: the interceptor configurations and the targets.
    pub fn declaration(&self) -> &InterceptorDeclaration {
        &self.contract.declaration
    }

    /// Where the Lambda under test runs, each point with whether it gets the request
    /// headers (REQUEST before RESPONSE).
    pub fn points(&self) -> Vec<(InterceptionPoint, bool)> {
        self.contract.declaration.points_of(&self.options.lambda)
    }

    /// `count` sample events of `tool` (its qualified name, `<target>___<tool>`): each the
    /// first configured point's input of a drawn `tools/call` exchange.
    pub fn samples(&self, tool: &str, count: u32) -> Result<Vec<Sample>, Error> {
        self.draw_samples(tool, count, false)
    }

    /// The strategy of the MCP exchanges of `tool` as the events are built from them:
    /// `{"request", "headers", "response"}`. Shrinks through the arguments.
    pub fn exchanges(&self, tool: &str) -> Result<SBoxedStrategy<Value>, Error> {
        let compiled = self.tool(tool)?;
        Ok(self
            .spec()
            .tool_call(&compiled.name, compiled.generator.strategy()))
    }

    /// The inputs the Gateway sends the Lambda under test for one exchange (as
    /// [`exchanges`](Self::exchanges) draws them), one per configured point.
    pub fn events(&self, exchange: &Value) -> Vec<(InterceptionPoint, Value)> {
        self.spec().events(exchange)
    }

    fn known_lambda(&self, lambda: &str) -> Result<(), Error> {
        let lambdas = self.contract.declaration.lambdas();
        if lambdas.contains(&lambda) {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "{} configures no interceptor Lambda {lambda}; it configures {}",
            self.definition.source.display(),
            lambdas.join(", ")
        )))
    }

    fn points_text(&self) -> String {
        self.points()
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>()
            .join(" and ")
    }

    fn spec(&self) -> ExchangeSpec {
        ExchangeSpec {
            points: self.points(),
            tools: self.contract.listed.clone(),
            streaming: self.contract.declaration.streaming,
        }
    }

    /// The first configured point's event of `exchange`, as one invocation.
    fn first_invocation(&self, exchange: &Value, seed: u64) -> Invocation {
        let event = self
            .spec()
            .events(exchange)
            .into_iter()
            .next()
            .map(|(_, event)| event)
            .unwrap_or(Value::Null);
        Invocation::new(
            crate::runner::seed::uuid_like(seed),
            event,
            self.options.lambda.clone(),
            self.options.timeout,
        )
    }

    fn suite(&self) -> InterceptorSuite {
        let spec = self.spec();
        let cases = self.run_options().cases;
        let mut subjects = Vec::new();
        for tool in self.selected() {
            subjects.push(Subject {
                name: tool.name.clone(),
                tool: Some(tool.name.clone()),
                kind: SubjectKind::Tool,
                strategy: spec
                    .tool_call(&tool.name, tool.generator.strategy())
                    .prop_map(CaseInput::valid)
                    .sboxed(),
                known_good: Vec::new(),
                cases,
            });
        }
        if self.run_options().tools.is_empty() {
            let has_request = spec
                .points
                .iter()
                .any(|(p, _)| *p == InterceptionPoint::Request);
            for method in METHODS {
                // A notification reaches only the REQUEST interceptor.
                if event::is_notification(method) && !has_request {
                    continue;
                }
                subjects.push(Subject {
                    name: suite::method_subject(method),
                    tool: None,
                    kind: SubjectKind::Method,
                    strategy: spec.method(method).prop_map(CaseInput::valid).sboxed(),
                    known_good: Vec::new(),
                    cases: cases.min(METHOD_CASES),
                });
            }
        }
        InterceptorSuite::new(
            spec,
            subjects,
            self.options.lambda.clone(),
            self.options.timeout,
        )
    }
}
