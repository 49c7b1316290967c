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
    McpToolsList => "mcp-tools-list",
    GatewayClientContext => "gateway-client-context",
    GatewayResponseMcp => "gateway-response-mcp",
    GatewayResponseJson => "gateway-response-json",
    Report => "report",
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
            assert!(
                schema["$id"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/{}.json", contract.name())),
                "{}",
                contract.name()
            );
            let _ = contract.validator();
            assert_eq!(Contract::from_name(contract.name()), Some(*contract));
        }
    }
}
