//! Every real definition of the shared tool corpus (`tests/data/shared/tool-corpus/`) loads into
//! its harness through the same path as `toolcontract check`: Gateway inlinePayloads
//! (including the CloudFormation-cased one), MCP tools/list results and Bedrock Agents action
//! groups; every tool's arguments generate, and every generated value is valid.

use crate::common;

use std::path::{Path, PathBuf};

use proptest::strategy::{Strategy, ValueTree};
use toolcontract::{ActionGroup, Definition, Gateway};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/shared/tool-corpus")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Known refusals, each with its reason.
const EXPECTED_REFUSALS: &[(&str, &str)] = &[(
    "mcp-spec-2026-07-28-tool-examples.json",
    "declares `calculate_sum` twice (the loader refuses duplicate tool names)",
)];

/// Remote references cannot be fetched here; the generator never generates properties that
/// use them (it says so in its warnings), so accepting anything there cannot hide an invalid
/// value it did generate.
struct AnythingRemote;

impl jsonschema::Retrieve for AnythingRemote {
    fn retrieve(
        &self,
        _: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        Ok(serde_json::json!(true))
    }
}

/// Draws `n` values from each tool's argument strategy and checks them with the jsonschema
/// crate (the tool's own schema, compiled offline).
fn check_values(
    name: &str,
    tool: &str,
    schema: &serde_json::Value,
    arguments: impl Strategy<Value = serde_json::Value>,
    n: usize,
) {
    // A template placeholder (`${port}`, in the MCP conformance fixtures) makes a `$ref` no
    // URI at all; for the oracle only, fill it in.
    let schema: serde_json::Value =
        serde_json::from_str(&schema.to_string().replace("${port}", "1")).expect("still JSON");
    let validator = jsonschema::options()
        .with_retriever(AnythingRemote)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} {tool}: {e}"));
    let mut runner = common::deterministic_runner();
    for _ in 0..n {
        let value = arguments.new_tree(&mut runner).unwrap().current();
        assert!(validator.is_valid(&value), "{name} {tool}: {value}");
    }
}

#[test]
fn every_gateway_and_mcp_definition_loads_and_generates() {
    let mut tools = 0;
    let mut files = 0;
    for path in corpus("gateway").into_iter().chain(corpus("mcp")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = Gateway::from_path(&path);
        if let Some((_, why)) = EXPECTED_REFUSALS.iter().find(|(file, _)| *file == name) {
            assert!(loaded.is_err(), "{name} was expected to be refused: {why}");
            continue;
        }
        let gateway = loaded.unwrap_or_else(|e| panic!("{e}"));
        files += 1;
        for tool in &gateway.definition().tools {
            tools += 1;
            check_values(
                &name,
                &tool.name,
                &tool.input_schema,
                gateway.arguments(&tool.name).unwrap(),
                20,
            );
        }
    }
    assert_eq!(files, 28 + 22);
    assert_eq!(tools, 213 + 250);
}

#[test]
fn the_cloudformation_cased_definition_generates_typed_arguments() {
    let path = corpus("gateway")
        .into_iter()
        .find(|p| p.ends_with("customer-support-vpc-cfn.json"))
        .unwrap();
    let gateway = Gateway::from_path(&path).unwrap();
    let tool = &gateway.definition().tools[0];
    assert_eq!(tool.name, "get_customer_profile");
    assert_eq!(
        tool.input_schema["properties"]["customer_id"]["type"],
        "string"
    );
    assert_eq!(
        tool.input_schema["required"],
        serde_json::json!(["customer_id"])
    );
    let mut runner = common::deterministic_runner();
    for _ in 0..50 {
        let args = gateway
            .arguments(&tool.name)
            .unwrap()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        assert!(args["customer_id"].is_string(), "{args}");
    }
}

#[test]
fn every_action_group_loads_and_generates() {
    let mut tools = 0;
    for path in corpus("agents") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let definition = Definition::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let group = ActionGroup::new(definition).unwrap_or_else(|e| panic!("{name}: {e}"));
        for tool in &group.definition().tools {
            tools += 1;
            check_values(
                &name,
                &tool.name,
                &tool.input_schema,
                group.arguments(&tool.name).unwrap(),
                20,
            );
            // The events built on them too.
            let mut runner = common::deterministic_runner();
            let event = group
                .events(&tool.name)
                .unwrap()
                .new_tree(&mut runner)
                .unwrap()
                .current();
            assert_eq!(event["messageVersion"], "1.0", "{name} {}", tool.name);
        }
    }
    assert_eq!(tools, 28 + 31);
}
