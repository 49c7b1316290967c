//! Every way a definition can be unusable gives a `DefinitionError` with the file, the JSON
//! Pointer where it went wrong and a message saying what was found and what was expected; no
//! input makes loading (or linting) panic.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Value, json};
use toolcontract::definition::{
    AGENT, Definition, DefinitionError, DefinitionErrorKind, GATEWAY_TARGET, MAX_DEPTH, Selection,
};
use toolcontract::lint::lint;

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

// CloudFormation and SAM templates, CDK synth output (issue 12).

const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/templates");

fn template_error(name: &str, selection: &Selection) -> DefinitionError {
    Definition::from_path_selecting(format!("{TEMPLATES}/{name}"), selection).unwrap_err()
}

/// A template with one GatewayTarget whose `Properties` are `properties`.
fn target_template(properties: Value) -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"Env": {"Type": "String"}},
        "Resources": {"OrdersTarget": {"Type": GATEWAY_TARGET, "Properties": properties}}
    })
}

/// A template with one agent whose only action group is `group`.
fn agent_template(group: Value) -> Value {
    json!({
        "Resources": {"Agent": {"Type": AGENT, "Properties": {"ActionGroups": [group]}}}
    })
}

fn lambda_target(payload: Value) -> Value {
    json!({"Name": "orders", "TargetConfiguration": {"Mcp": {"Lambda": {
        "LambdaArn": {"Fn::GetAtt": ["F", "Arn"]},
        "ToolSchema": {"InlinePayload": payload}
    }}}})
}

#[test]
fn several_candidates_and_no_selector_lists_them_and_the_flag() {
    let e = template_error("several-targets.yaml", &Selection::new());
    assert_eq!(e.pointer.as_str(), "/Resources");
    let DefinitionErrorKind::SeveralCandidates { candidates } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!(
        candidates.len(),
        4,
        "the Connector target is not a candidate by itself"
    );
    let text = e.to_string();
    assert!(
        text.contains(
            "the template holds 4 tool definitions; pick one with `--resource LOGICAL_ID` (and \
             `--action-group NAME` for one action group of an agent)"
        ),
        "{text}"
    );
    assert!(text.contains(
        "\n  OrdersTarget (AWS::BedrockAgentCore::GatewayTarget, target `orders`, 2 tools)"
    ));
    assert!(
        text.contains("\n  HelpdeskAgent action group `Accounts` (AWS::Bedrock::Agent, 1 tool)")
    );
    // An agent with two action groups still needs --action-group.
    let e = template_error(
        "several-targets.yaml",
        &Selection::new().resource("HelpdeskAgent"),
    );
    let DefinitionErrorKind::SeveralCandidates { candidates } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!(candidates.len(), 2);
}

#[test]
fn an_unresolvable_intrinsic_in_a_schema_is_an_error_at_its_pointer() {
    let e = template_error("errors/unresolved-schema.yaml", &Selection::new());
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload/0/InputSchema/Properties/id/Type"
    );
    let DefinitionErrorKind::Unresolved { function, reason } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!(function, "Ref");
    assert_eq!(
        reason,
        "it refers to the template parameter `IdType`, given at deploy time (its default \
         \"string\" may be overridden)"
    );
    assert!(
        e.to_string()
            .contains("toolcontract never guesses such values")
    );

    // In a description, a name, a function's parameters, an OpenAPI payload.
    let e = error(target_template(lambda_target(json!([{
        "Name": "t",
        "Description": {"Fn::Sub": "Orders of ${Env}"},
        "InputSchema": {"Type": "object"}
    }]))));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload/0/Description"
    );
    assert!(e.kind.to_string().starts_with(
        "`Fn::Sub` cannot be resolved before deployment: `${Env}` is the template parameter `Env`"
    ));
    let e = error(target_template(lambda_target(
        json!({"Fn::If": ["IsProd", [], []]}),
    )));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload"
    );
    let e = error(agent_template(json!({
        "ActionGroupName": "Bookings",
        "FunctionSchema": {"Functions": [{"Name": "f", "Parameters": {
            "when": {"Type": {"Fn::ImportValue": "shared-type"}, "Required": true}
        }}]}
    })));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/Agent/Properties/ActionGroups/0/FunctionSchema/Functions/0/Parameters/when/Type"
    );
    let e = error(agent_template(json!({
        "ActionGroupName": "Claims",
        "ApiSchema": {"Payload": {"Fn::Sub": "openapi: 3.0.0\nservers: [{url: 'https://${AWS::Region}'}]"}}
    })));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/Agent/Properties/ActionGroups/0/ApiSchema/Payload"
    );
    // The action group's name is in every event: it must be known.
    let e = error(agent_template(json!({
        "ActionGroupName": {"Fn::Sub": "${AWS::StackName}-tools"},
        "FunctionSchema": {"Functions": [{"Name": "f"}]}
    })));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/Agent/Properties/ActionGroups/0/ActionGroupName"
    );
    assert!(
        matches!(e.kind, DefinitionErrorKind::Unresolved { .. }),
        "{e}"
    );
}

#[test]
fn an_unresolvable_target_name_is_not_an_error() {
    let d = Definition::from_value(
        "t.json",
        target_template(json!({
            "Name": {"Fn::Sub": "${Env}-tools"},
            "TargetConfiguration": lambda_target(json!([tool()]))["TargetConfiguration"].clone()
        })),
    )
    .unwrap();
    assert_eq!(d.target_name, None);
    let unresolved = d.resource.unwrap().unresolved_target_name.unwrap();
    assert_eq!(
        unresolved.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/Name"
    );
    assert_eq!(unresolved.function, "Fn::Sub");
    // A name that is neither a string nor an intrinsic function is still an error.
    let e = error(target_template(json!({
        "Name": {"Fn::Sub": "x", "Extra": 1},
        "TargetConfiguration": lambda_target(json!([tool()]))["TargetConfiguration"].clone()
    })));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/Name"
    );
    assert!(
        matches!(e.kind, DefinitionErrorKind::WrongType { .. }),
        "{e}"
    );
}

#[test]
fn a_resource_of_the_wrong_type_or_missing_is_named() {
    let e = template_error(
        "several-targets.yaml",
        &Selection::new().resource("ToolsFunction"),
    );
    assert_eq!(e.pointer.as_str(), "/Resources/ToolsFunction/Type");
    assert!(
        e.to_string().contains(
            "`ToolsFunction` is of type AWS::Lambda::Function: `--resource` takes an \
             AWS::BedrockAgentCore::GatewayTarget or an AWS::Bedrock::Agent"
        ),
        "{e}"
    );
    let e = template_error(
        "several-targets.yaml",
        &Selection::new().resource("OrderTarget"),
    );
    assert_eq!(e.pointer.as_str(), "/Resources");
    assert!(
        e.to_string()
            .contains("the template has no resource `OrderTarget`; did you mean `OrdersTarget`?"),
        "{e}"
    );
    let e = template_error(
        "several-targets.yaml",
        &Selection::new().action_group("Ticket"),
    );
    assert_eq!(
        e.kind.to_string(),
        "no action group `Ticket`; did you mean `Tickets`?; the action groups: Tickets, Accounts"
    );
    // Named, a candidate that is never picked by itself says why it cannot be used.
    let e = template_error(
        "several-targets.yaml",
        &Selection::new().resource("SearchTarget"),
    );
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/SearchTarget/Properties/TargetConfiguration/Mcp"
    );
    assert!(e.to_string().contains("not a Lambda target"), "{e}");
    // --resource needs a template.
    let e = Definition::from_path_selecting(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/calculator/tools.json"
        ),
        &Selection::new().resource("X"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("and this file is not one"), "{e}");
}

#[test]
fn an_unknown_yaml_tag_names_the_line_and_the_pointer() {
    let e = template_error("errors/unknown-tag.yaml", &Selection::new());
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload/0/Description"
    );
    let DefinitionErrorKind::MalformedYaml { line, message, .. } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!(*line, 17);
    assert!(message.starts_with("unknown tag `!Foo`"), "{message}");
}

#[test]
fn a_template_without_targets_or_agents() {
    let e = template_error("errors/no-candidates.json", &Selection::new());
    assert_eq!(e.pointer.as_str(), "/Resources");
    assert_eq!(
        e.kind.to_string(),
        "the template holds no AWS::BedrockAgentCore::GatewayTarget with a Lambda target and no \
         AWS::Bedrock::Agent action group backed by a Lambda function (it has 2 resources: 1 \
         AWS::Lambda::Function, 1 AWS::IAM::Role)"
    );
    // Connector targets are listed, never picked.
    let e = template_error("real-aws-samples-agentic-gateway.yaml", &Selection::new());
    let DefinitionErrorKind::NoCandidates { listed, .. } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!(listed.len(), 2);
    assert!(listed[0].starts_with("FinancialTarget (AWS::BedrockAgentCore::GatewayTarget, target `financial-agentic`): a `Connector` target"), "{}", listed[0]);
}

#[test]
fn s3_schemas_in_templates_cannot_be_read() {
    let e = template_error("errors/s3-tool-schema.yaml", &Selection::new());
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/S3"
    );
    assert_eq!(
        e.kind,
        DefinitionErrorKind::S3ToolSchema {
            uri: Some("s3://tool-schemas-123456789012/orders/tools.json".to_owned())
        }
    );
    // An S3 OpenAPI document, its bucket a parameter: S3 is what matters.
    let e = template_error(
        "real-aws-samples-cost-explorer-agent.yaml",
        &Selection::new().action_group("SavingsPlanAgent"),
    );
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/BillingAgent/Properties/ActionGroups/1/ApiSchema/S3"
    );
    assert_eq!(
        e.kind,
        DefinitionErrorKind::S3ApiSchema {
            bucket: None,
            key: Some("SavingsPlan_OpenAPI.json".to_owned())
        }
    );
}

#[test]
fn loader_errors_inside_a_template_point_into_it() {
    let e = error(target_template(lambda_target(json!([tool(), tool()]))));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload/1/name"
    );
    let DefinitionErrorKind::DuplicateTool { first, .. } = &e.kind else {
        panic!("{e}")
    };
    assert_eq!(
        first.as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload/0"
    );
    let e = error(agent_template(json!({
        "ActionGroupName": "Bookings",
        "FunctionSchema": {"Functions": [{"Name": "f", "Parameters": {"p": "string"}}]}
    })));
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/Agent/Properties/ActionGroups/0/FunctionSchema/Functions/0/Parameters/p"
    );
    let e = error(json!({"Resources": {"T": {"Type": GATEWAY_TARGET}}}));
    assert_eq!(e.pointer.as_str(), "/Resources/T");
    assert_eq!(
        e.kind.to_string(),
        "`Properties` is missing: expected the resource's properties"
    );
    // A real template that PyYAML accepts but strict YAML 1.2 does not: continuation lines of a
    // quoted scalar indented no deeper than its key.
    let e = template_error("real-aws-samples-claims-agent.yaml", &Selection::new());
    assert_eq!(
        e.pointer.as_str(),
        "/Resources/BedrockAgent/Properties/Instruction"
    );
    assert!(
        matches!(e.kind, DefinitionErrorKind::MalformedYaml { line: 47, .. }),
        "{e}"
    );
}

#[test]
fn lint_diagnostics_of_a_template_point_into_it() {
    let d = Definition::from_value(
        "t.json",
        target_template(lambda_target(json!([{
            "Name": "t",
            "Description": "d",
            "InputSchema": {"Type": "object", "Properties": {"a": {"Type": "string", "Enum": ["x"]}}}
        }]))),
    )
    .unwrap();
    let pointers: Vec<String> = lint(&d).iter().map(|d| d.pointer.to_string()).collect();
    assert_eq!(
        pointers,
        [
            "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
          InlinePayload/0/InputSchema/Properties/a/Enum"
        ]
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

    /// Nothing in a template's resources makes loading panic; an error names the file.
    #[test]
    fn no_template_makes_loading_or_linting_panic(
        properties in arbitrary_json(),
        group in arbitrary_json(),
        schema in arbitrary_json(),
        function in prop::sample::select(vec!["Ref", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap", "Fn::If", "Condition"]),
    ) {
        let intrinsic = json!({function: schema.clone()});
        for document in [
            json!({"Resources": {"T": {"Type": GATEWAY_TARGET, "Properties": properties}}}),
            json!({"Resources": {"A": {"Type": AGENT, "Properties": {"ActionGroups": [group]}}}}),
            json!({"Mappings": {"M": {"k": {"v": schema}}}, "Resources": {"T": {"Type": GATEWAY_TARGET, "Properties": {
                "Name": intrinsic.clone(),
                "TargetConfiguration": {"Mcp": {"Lambda": {"ToolSchema": {"InlinePayload": [
                    {"Name": "t", "Description": intrinsic.clone(), "InputSchema": {"Type": "object", "Properties": {"p": intrinsic}}}
                ]}}}}
            }}}}),
        ] {
            match Definition::from_value("template.json", document) {
                Ok(definition) => {
                    let _ = lint(&definition);
                }
                Err(e) => prop_assert_eq!(e.file, Path::new("template.json")),
            }
        }
    }

    /// No YAML text with tags makes the template parser panic.
    #[test]
    fn no_yaml_template_makes_loading_panic(
        body in "[ a-zA-Z:!\\[\\]{},\\-\n\"'#&*|>]{0,200}",
    ) {
        let text = format!("Resources:\n{body}");
        if let Err(e) = Definition::from_str("template.yaml", &text) {
            prop_assert_eq!(e.file, Path::new("template.yaml"));
        }
    }
}
