//! The contract schemas in `contracts/`, embedded in the binary and compiled once.
//!
//! The schemas are the single source of truth for the rules they express: code never restates
//! a rule a schema can hold. `toolcontract schema NAME` prints any of them.

use std::sync::OnceLock;

use serde_json::Value;

/// One embedded contract schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Contract {
    /// A Gateway `inlinePayload`: a list of `ToolDefinition`s, as the service accepts it.
    GatewayToolDefinitions,
    /// The Gateway's own `SchemaDefinition` subset of JSON Schema (used for lint warnings).
    GatewaySchemaDefinition,
    /// A `CreateGatewayTarget` request for a Lambda target.
    GatewayCreateTargetRequest,
    /// An MCP `tools/list` result.
    McpToolsList,
    /// The client context a Gateway passes to its Lambda target.
    GatewayClientContext,
    /// A Gateway Lambda target's response, profile `mcp`.
    GatewayResponseMcp,
    /// A Gateway Lambda target's response, profile `json`.
    GatewayResponseJson,
    /// The JSON report of `toolcontract check --format json`.
    Report,
    /// A Bedrock Agents `create_agent_action_group` request.
    AgentsCreateActionGroupRequest,
    /// The OpenAPI subset Bedrock Agents accept as an action group's API schema (for lint).
    AgentsOpenApiDocument,
    /// The event an action group's Lambda receives (function details).
    AgentsFunctionEvent,
    /// The response an action group's Lambda must give (function details).
    AgentsFunctionResponse,
    /// The event an action group's Lambda receives (OpenAPI).
    AgentsOpenApiEvent,
    /// The response an action group's Lambda must give (OpenAPI).
    AgentsOpenApiResponse,
    /// A CreateGateway request's `interceptorConfigurations`.
    GatewayInterceptorConfigurations,
    /// The event a Gateway interceptor Lambda receives (REQUEST and RESPONSE).
    InterceptorInput,
    /// The output a REQUEST interceptor must give.
    InterceptorRequestOutput,
    /// The output a RESPONSE interceptor must give.
    InterceptorResponseOutput,
    /// A JSON-RPC 2.0 response (what an interceptor answers the client with).
    JsonRpcResponse,
}

macro_rules! contracts {
    ($($variant:ident => $name:literal),* $(,)?) => {
        impl Contract {
            /// Every embedded contract.
            pub const ALL: &'static [Contract] = &[$(Contract::$variant),*];

            const COUNT: usize = [$($name),*].len();

            /// The contract's name (its file name in `contracts/` without `.json`).
            pub const fn name(self) -> &'static str {
                match self { $(Contract::$variant => $name),* }
            }

            /// The schema's text as embedded.
            pub const fn text(self) -> &'static str {
                match self {
                    $(Contract::$variant => include_str!(concat!("../contracts/", $name, ".json"))),*
                }
            }
        }
    };
}

contracts! {
    GatewayToolDefinitions => "gateway-tool-definitions",
    GatewaySchemaDefinition => "gateway-schema-definition",
    GatewayCreateTargetRequest => "gateway-create-target-request",
    McpToolsList => "mcp-tools-list",
    GatewayClientContext => "gateway-client-context",
    GatewayResponseMcp => "gateway-response-mcp",
    GatewayResponseJson => "gateway-response-json",
    Report => "report",
    AgentsCreateActionGroupRequest => "agents-create-action-group-request",
    AgentsOpenApiDocument => "agents-openapi-document",
    AgentsFunctionEvent => "agents-function-event",
    AgentsFunctionResponse => "agents-function-response",
    AgentsOpenApiEvent => "agents-openapi-event",
    AgentsOpenApiResponse => "agents-openapi-response",
    GatewayInterceptorConfigurations => "gateway-interceptor-configurations",
    InterceptorInput => "interceptor-input",
    InterceptorRequestOutput => "interceptor-request-output",
    InterceptorResponseOutput => "interceptor-response-output",
    JsonRpcResponse => "jsonrpc-response",
}

/// Every contract's `$id` is this prefix, its name and `.json`.
const ID_PREFIX: &str = "https://toolcontract.dev/contracts/";

/// Resolves `$ref`s from one contract to another (by `$id`) from the embedded texts, so
/// contracts can share definitions without any network access.
struct EmbeddedContracts;

impl jsonschema::Retrieve for EmbeddedContracts {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let contract = Contract::from_id(uri.as_str())
            .ok_or_else(|| format!("{uri} is not an embedded toolcontract contract"))?;
        // Parsed from the text, not through `schema()`: compiling one contract must never wait
        // on another contract's cell (two contracts referring to each other would deadlock).
        Ok(serde_json::from_str(contract.text())?)
    }
}

struct Compiled {
    schema: Value,
    validator: jsonschema::Validator,
}

impl Contract {
    /// The contract with this name, e.g. `gateway-response-mcp`.
    pub fn from_name(name: &str) -> Option<Contract> {
        Contract::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The contract whose `$id` is `uri` (a fragment, if any, is ignored), e.g.
    /// `https://toolcontract.dev/contracts/gateway-tool-definitions.json#/$defs/x`.
    pub fn from_id(uri: &str) -> Option<Contract> {
        let without_fragment = uri.split_once('#').map_or(uri, |(base, _)| base);
        let name = without_fragment
            .strip_prefix(ID_PREFIX)?
            .strip_suffix(".json")?;
        Contract::from_name(name)
    }

    /// The parsed schema.
    pub fn schema(self) -> &'static Value {
        &self.compiled().schema
    }

    /// The compiled validator (built on first use, then shared).
    pub fn validator(self) -> &'static jsonschema::Validator {
        &self.compiled().validator
    }

    fn compiled(self) -> &'static Compiled {
        static CELLS: [OnceLock<Compiled>; Contract::COUNT] =
            [const { OnceLock::new() }; Contract::COUNT];
        let index = Contract::ALL
            .iter()
            .position(|c| *c == self)
            .expect("every contract is listed in ALL");
        CELLS[index].get_or_init(|| {
            // The embedded schemas are part of the binary and tested below, so a failure here is
            // a bug in toolcontract itself, not bad input.
            let schema: Value = serde_json::from_str(self.text())
                .unwrap_or_else(|e| panic!("contract {} is not JSON: {e}", self.name()));
            let validator = jsonschema::draft202012::options()
                .with_retriever(EmbeddedContracts)
                .build(&schema)
                .unwrap_or_else(|e| panic!("contract {} does not compile: {e}", self.name()));
            Compiled { schema, validator }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Contract;

    #[test]
    fn every_contract_parses_compiles_and_names_itself() {
        for contract in Contract::ALL {
            let schema = contract.schema();
            assert_eq!(
                schema["$schema"],
                "https://json-schema.org/draft/2020-12/schema",
                "{}",
                contract.name()
            );
            let id = schema["$id"].as_str().unwrap();
            assert_eq!(
                id,
                format!("{}{}.json", super::ID_PREFIX, contract.name()),
                "{}",
                contract.name()
            );
            assert!(
                schema["title"].is_string(),
                "{} has a title",
                contract.name()
            );
            let _ = contract.validator();
            assert_eq!(Contract::from_name(contract.name()), Some(*contract));
            assert_eq!(Contract::from_id(id), Some(*contract));
        }
    }

    #[test]
    fn from_id_ignores_the_fragment_and_rejects_strangers() {
        assert_eq!(
            Contract::from_id(
                "https://toolcontract.dev/contracts/gateway-tool-definitions.json#/$defs/toolDefinition"
            ),
            Some(Contract::GatewayToolDefinitions)
        );
        assert_eq!(
            Contract::from_id("https://example.com/gateway-tool-definitions.json"),
            None
        );
        assert_eq!(
            Contract::from_id("https://toolcontract.dev/contracts/nope.json"),
            None
        );
    }

    #[test]
    fn a_contract_refers_to_another_by_id() {
        let create = Contract::GatewayCreateTargetRequest.validator();
        let request = serde_json::json!({
            "name": "orders",
            "targetConfiguration": {"mcp": {"lambda": {
                "lambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:orders",
                "toolSchema": {"inlinePayload": [{"name": "get_order", "inputSchema": {"type": "object"}}]}
            }}}
        });
        // The inline payload is checked by gateway-tool-definitions, reached through `$ref`:
        // its missing `description` is the only error.
        let errors: Vec<String> = create
            .iter_errors(&request)
            .map(|e| e.instance_path().to_string())
            .collect();
        assert_eq!(
            errors,
            vec!["/targetConfiguration/mcp/lambda/toolSchema/inlinePayload/0"]
        );
    }
}
