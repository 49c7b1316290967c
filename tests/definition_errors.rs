//! Every way a definition can be unusable gives a `DefinitionError` with the file, the JSON
//! Pointer where it went wrong and a message saying what was found and what was expected; no
//! input makes loading (or linting) panic.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Value, json};
use toolcontract::definition::lint::lint;
use toolcontract::definition::{Definition, DefinitionError, DefinitionErrorKind, MAX_DEPTH};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/definitions");

fn error(document: Value) -> DefinitionError {
    Definition::from_value("defs/tools.json", document).unwrap_err()
}

fn tool() -> Value {
    json!({"name": "t", "description": "d", "inputSchema": {"type": "object"}})
}

#[test]
fn malformed_json_names_the_line_and_column() {
    let path = format!("{DATA}/malformed.json");
    let e = Definition::from_path(&path).unwrap_err();
    assert_eq!(e.file, Path::new(&path));
    assert!(e.pointer.is_root());
    let DefinitionErrorKind::MalformedJson { line, column, .. } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!((*line, *column), (3, 38));
    assert!(
        e.to_string().starts_with(&format!(
            "{path}: at (root): malformed JSON at line 3, column 38: "
        )),
        "{e}"
    );
}

#[test]
fn an_unreadable_file_is_an_io_error() {
    let e = Definition::from_path("/nonexistent/tools.json").unwrap_err();
    assert!(matches!(e.kind, DefinitionErrorKind::Io(_)), "{e}");
    assert_eq!(e.file, Path::new("/nonexistent/tools.json"));
}

#[test]
fn an_unknown_form_lists_the_accepted_forms() {
    let e = error(json!("tools"));
    assert!(e.pointer.is_root());
    assert_eq!(
        e.to_string(),
        "defs/tools.json: at (root): not a tool definition: found a string (\"tools\"); expected \
         one of: a JSON array of tool definitions (a Gateway inlinePayload); an object with \
         `inlinePayload` or `toolSchema`; a CreateGatewayTarget request (with \
         `targetConfiguration`); CloudFormation GatewayTarget properties (with \
         `TargetConfiguration`); an MCP tools/list result (with `tools`)"
    );
    let e = error(json!({"functions": []}));
    assert!(
        e.to_string()
            .contains("found an object with key `functions`; expected one of:"),
        "{e}"
    );
}

#[test]
fn an_action_group_loads_as_one_and_a_json_rpc_response_gets_a_hint() {
    // Action groups are loaded since issue 4 (tests/agents_definitions.rs has the rest).
    let e = error(json!({"actionGroupName": "a", "functionSchema": {"functions": []}}));
    assert_eq!(e.pointer.as_str(), "/functionSchema/functions");
    assert_eq!(e.kind, DefinitionErrorKind::NoTools);
    let e = error(json!({"jsonrpc": "2.0", "id": 1, "result": {"tools": []}}));
    assert!(
        e.to_string()
            .ends_with("(this looks like a JSON-RPC response: pass its `result`)"),
        "{e}"
    );
}

#[test]
fn a_tool_that_is_not_an_object() {
    let e = error(json!([tool(), "get_weather"]));
    assert_eq!(e.pointer.as_str(), "/1");
    assert_eq!(
        e.kind.to_string(),
        "expected a tool definition: an object with `name`, `description` and `inputSchema`, \
         found a string (\"get_weather\")"
    );
    let e = error(json!({"tools": [7]}));
    assert_eq!(e.pointer.as_str(), "/tools/0");
    assert_eq!(
        e.kind.to_string(),
        "expected an MCP tool: an object with `name` and `inputSchema`, found a number (7)"
    );
}

#[test]
fn a_missing_or_non_string_name() {
    let e = error(json!([tool(), {"description": "d", "inputSchema": {"type": "object"}}]));
    assert_eq!(e.pointer.as_str(), "/1");
    assert_eq!(
        e.kind,
        DefinitionErrorKind::Missing {
            member: "name".to_owned(),
            expected: "the tool name, a string".to_owned()
        }
    );
    assert_eq!(
        e.to_string(),
        "defs/tools.json: at /1: `name` is missing: expected the tool name, a string"
    );

    let e = error(json!([{"name": 42, "description": "d", "inputSchema": {"type": "object"}}]));
    assert_eq!(e.pointer.as_str(), "/0/name");
    assert_eq!(
        e.kind.to_string(),
        "expected a string (the tool name), found a number (42)"
    );
}

#[test]
fn a_missing_or_non_object_input_schema() {
    let e = error(json!({"tools": [{"name": "t"}]}));
    assert_eq!(e.pointer.as_str(), "/tools/0");
    assert!(
        e.kind.to_string().starts_with(
            "`inputSchema` is missing: expected the tool's input schema, a JSON Schema object"
        ),
        "{e}"
    );
    let e =
        error(json!([{"name": "t", "description": "d", "inputSchema": "{\"type\": \"object\"}"}]));
    assert_eq!(e.pointer.as_str(), "/0/inputSchema");
    assert!(
        e.kind
            .to_string()
            .ends_with("found a string (\"{\\\"type\\\": \\\"object\\\"}\")"),
        "{e}"
    );
    let e = error(json!([{"name": "t", "inputSchema": {"type": "object"}, "outputSchema": []}]));
    assert_eq!(e.pointer.as_str(), "/0/outputSchema");
    assert!(e.kind.to_string().ends_with("found an empty array"), "{e}");
}

#[test]
fn cloudformation_errors_point_at_cloudformation_keys() {
    let e = error(json!([{"Name": "t", "Description": "d", "InputSchema": true}]));
    assert_eq!(e.pointer.as_str(), "/0/InputSchema");
    let e = error(json!([{"Description": "d", "InputSchema": {"Type": "object"}}]));
    assert_eq!(e.pointer.as_str(), "/0");
    assert_eq!(
        e.kind,
        DefinitionErrorKind::Missing {
            member: "Name".to_owned(),
            expected: "the tool name, a string".to_owned()
        }
    );
}

#[test]
fn duplicate_tool_names() {
    let e = error(
        json!([tool(), {"name": "u", "description": "d", "inputSchema": {"type": "object"}}, tool()]),
    );
    assert_eq!(e.pointer.as_str(), "/2/name");
    assert_eq!(
        e.kind.to_string(),
        "tool `t` is declared twice (first at /0)"
    );
}

#[test]
fn an_empty_list() {
    let e = error(json!({"inlinePayload": []}));
    assert_eq!(e.pointer.as_str(), "/inlinePayload");
    assert_eq!(e.kind, DefinitionErrorKind::NoTools);
    assert_eq!(
        e.kind.to_string(),
        "the definition declares no tools: expected at least one tool definition"
    );
}

#[test]
fn mixed_casings() {
    let e = error(json!([{"name": "t", "InputSchema": {"Type": "object"}}]));
    assert_eq!(e.pointer.as_str(), "/0");
    assert!(
        e.kind.to_string().starts_with(
            "this tool mixes camelCase (`name`) and CloudFormation casing (`InputSchema`)"
        ),
        "{e}"
    );
    let e = error(json!([tool(), {"Name": "u", "InputSchema": {"Type": "object"}}]));
    assert_eq!(e.pointer.as_str(), "/1");
    assert_eq!(
        e.kind.to_string(),
        "this tool uses CloudFormation casing (`Name`, `InputSchema`) but the tool at /0 uses \
         camelCase (`name`, `inputSchema`); expected one casing for the whole list"
    );
}

#[test]
fn s3_tool_schemas_say_what_to_pass_instead() {
    let e = error(json!({
        "name": "t",
        "targetConfiguration": {"mcp": {"lambda": {
            "lambdaArn": "arn",
            "toolSchema": {"s3": {"uri": "s3://bucket/tools.json", "bucketOwnerAccountId": "123456789012"}}
        }}}
    }));
    assert_eq!(
        e.pointer.as_str(),
        "/targetConfiguration/mcp/lambda/toolSchema/s3"
    );
    assert_eq!(
        e.kind,
        DefinitionErrorKind::S3ToolSchema {
            uri: Some("s3://bucket/tools.json".to_owned())
        }
    );
    assert_eq!(
        e.kind.to_string(),
        "the tool schema is stored in S3 (s3://bucket/tools.json), which toolcontract does not \
         read: download that file (e.g. `aws s3 cp <uri> tools.json`) and pass it instead; it \
         holds the inlinePayload list of tool definitions"
    );
    let e = error(json!({"toolSchema": {"s3": {}}}));
    assert_eq!(e.pointer.as_str(), "/toolSchema/s3");
    assert_eq!(e.kind, DefinitionErrorKind::S3ToolSchema { uri: None });
}

#[test]
fn a_tool_schema_union_with_both_or_neither_member() {
    let e = error(json!({"toolSchema": {"inlinePayload": [tool()], "s3": {"uri": "s3://b/k"}}}));
    assert_eq!(e.pointer.as_str(), "/toolSchema");
    assert_eq!(
        e.kind.to_string(),
        "the tool schema holds both `inlinePayload` and `s3`; it is a union: expected exactly one \
         of them"
    );
    let e = error(json!({"toolSchema": {"payload": []}}));
    assert_eq!(e.pointer.as_str(), "/toolSchema");
    assert_eq!(
        e.kind.to_string(),
        "`inlinePayload` is missing: expected the list of tool definitions (the tool schema is an \
         object with key `payload`)"
    );
}

#[test]
fn a_create_request_that_is_not_a_lambda_target() {
    let e = error(json!({
        "name": "api",
        "targetConfiguration": {"mcp": {"openApiSchema": {"inlinePayload": "{}"}}}
    }));
    assert_eq!(e.pointer.as_str(), "/targetConfiguration/mcp");
    assert_eq!(
        e.kind.to_string(),
        "not a Lambda target: found `openApiSchema`, expected `lambda`; toolcontract tests Lambda \
         targets"
    );
    let e = error(
        json!({"name": "t", "targetConfiguration": {"mcp": {"lambda": {"lambdaArn": "arn"}}}}),
    );
    assert_eq!(e.pointer.as_str(), "/targetConfiguration/mcp/lambda");
    assert_eq!(
        e.kind.to_string(),
        "`toolSchema` is missing: expected the tool schema"
    );
    let e = error(json!({"name": "t", "targetConfiguration": []}));
    assert_eq!(e.pointer.as_str(), "/targetConfiguration");
    assert_eq!(
        e.kind.to_string(),
        "expected an object holding `mcp` (the MCP target configuration), found an empty array"
    );
}

#[test]
fn a_non_string_target_name() {
    let e = error(json!({"name": 5, "targetConfiguration": {}}));
    assert_eq!(e.pointer.as_str(), "/name");
    assert_eq!(
        e.kind.to_string(),
        "expected a string (the target name), found a number (5)"
    );
}

#[test]
fn a_list_member_that_is_not_a_list() {
    let e = error(json!({"tools": {"search": {}}}));
    assert_eq!(e.pointer.as_str(), "/tools");
    assert_eq!(
        e.kind.to_string(),
        "expected an array (the list of MCP tools), found an object with key `search`"
    );
    let e = error(json!({"inlinePayload": null}));
    assert_eq!(e.pointer.as_str(), "/inlinePayload");
    assert_eq!(
        e.kind.to_string(),
        "expected an array (the list of tool definitions), found null"
    );
}

#[test]
fn a_document_nested_too_deeply() {
    let mut deep = json!({"type": "object"});
    for _ in 0..MAX_DEPTH {
        deep = json!({"type": "object", "properties": {"x": deep}});
    }
    let e = error(json!([{"name": "t", "description": "d", "inputSchema": deep}]));
    assert_eq!(e.kind, DefinitionErrorKind::TooDeep { limit: MAX_DEPTH });
    assert!(
        e.pointer
            .as_str()
            .starts_with("/0/inputSchema/properties/x/properties/x")
    );
    // Text that deep never even parses (serde_json stops below the same limit), so text it
    // accepts is never refused as too deep.
    let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let e = Definition::from_str("deep.json", &text).unwrap_err();
    assert!(
        matches!(e.kind, DefinitionErrorKind::MalformedJson { .. }),
        "{e}"
    );
    let text = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    let e = Definition::from_str("deep.json", &text).unwrap_err();
    assert_eq!(e.pointer.as_str(), "/0");
    assert!(
        matches!(e.kind, DefinitionErrorKind::WrongType { .. }),
        "{e}"
    );
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "name",
            "Name",
            "object",
            "string",
            "null",
            "a___b",
            "",
            "inputSchema",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "name",
                    "Name",
                    "description",
                    "inputSchema",
                    "InputSchema",
                    "outputSchema",
                    "type",
                    "Type",
                    "properties",
                    "Properties",
                    "required",
                    "items",
                    "tools",
                    "inlinePayload",
                    "toolSchema",
                    "targetConfiguration",
                    "mcp",
                    "lambda",
                    "s3",
                    "enum",
                ])
                .prop_map(str::to_owned),
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Loading and linting never panic, whatever the document; an error always names the file.
    #[test]
    fn no_document_makes_loading_or_linting_panic(document in arbitrary_json()) {
        match Definition::from_value("any.json", document) {
            Ok(definition) => {
                prop_assert!(!definition.tools.is_empty());
                let _ = lint(&definition);
            }
            Err(e) => prop_assert_eq!(e.file, Path::new("any.json")),
        }
    }

    /// Lists of tool-shaped objects reach the linter often enough to exercise it.
    #[test]
    fn no_tool_list_makes_linting_panic(
        tools in prop::collection::vec(arbitrary_json(), 1..4),
        names in prop::collection::vec("[a-z_]{1,8}", 4),
    ) {
        let list: Vec<Value> = tools
            .into_iter()
            .zip(names)
            .map(|(schema, name)| json!({"name": name, "description": "d", "inputSchema": {"type": "object", "properties": {"p": schema}}}))
            .collect();
        if let Ok(definition) = Definition::from_value("any.json", Value::Array(list)) {
            let _ = lint(&definition);
        }
    }
}
