//! Each accepted definition form loads: kind, tools, names, schemas, pointers, target name.

use serde_json::json;
use toolcontract::JsonPointer;
use toolcontract::definition::{Definition, DefinitionKind, KeyCasing};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/definitions");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shared/tool-corpus");

fn names(definition: &Definition) -> Vec<&str> {
    definition.tools.iter().map(|t| t.name.as_str()).collect()
}

fn pointers(definition: &Definition) -> Vec<&str> {
    definition
        .tools
        .iter()
        .map(|t| t.pointer.as_str())
        .collect()
}

fn one_tool() -> serde_json::Value {
    json!({
        "name": "get_weather",
        "description": "Weather for a city",
        "inputSchema": {"type": "object", "properties": {"city": {"type": "string"}}}
    })
}

#[test]
fn a_bare_inline_payload_list() {
    let d = Definition::from_path(format!(
        "{CORPUS}/gateway/starter-toolkit-default-lambda.json"
    ))
    .unwrap();
    assert_eq!(d.kind, DefinitionKind::GatewayInlinePayload);
    assert_eq!(names(&d), ["get_weather", "get_time"]);
    assert_eq!(pointers(&d), ["/0", "/1"]);
    assert!(d.tools_pointer.is_root());
    assert_eq!(d.target_name, None);
    let tool = d.tool("get_time").unwrap();
    assert_eq!(tool.description.as_deref(), Some("Get time for a timezone"));
    assert_eq!(
        tool.input_schema,
        json!({"type": "object", "properties": {"timezone": {"type": "string"}}, "required": ["timezone"]})
    );
    assert_eq!(tool.output_schema, None);
    assert_eq!(tool.casing, KeyCasing::CamelCase);
    assert_eq!(tool.input_schema_pointer().as_str(), "/1/inputSchema");
    assert_eq!(tool.output_schema_pointer().as_str(), "/1/outputSchema");
}

#[test]
fn an_object_with_inline_payload_or_tool_schema() {
    let d = Definition::from_value("<inline>", json!({"inlinePayload": [one_tool()]})).unwrap();
    assert_eq!(d.kind, DefinitionKind::GatewayInlinePayload);
    assert_eq!(pointers(&d), ["/inlinePayload/0"]);
    assert_eq!(d.tools_pointer.as_str(), "/inlinePayload");

    let d = Definition::from_value(
        "<inline>",
        json!({"toolSchema": {"inlinePayload": [one_tool()]}, "other": 1}),
    )
    .unwrap();
    assert_eq!(d.kind, DefinitionKind::GatewayInlinePayload);
    assert_eq!(pointers(&d), ["/toolSchema/inlinePayload/0"]);
    assert_eq!(
        d.tools[0].input_schema_pointer().as_str(),
        "/toolSchema/inlinePayload/0/inputSchema"
    );
}

#[test]
fn a_create_gateway_target_request() {
    let d = Definition::from_path(format!("{DATA}/create-target-request.json")).unwrap();
    assert_eq!(d.kind, DefinitionKind::CreateGatewayTarget);
    assert_eq!(d.target_name.as_deref(), Some("OrderTools"));
    assert_eq!(names(&d), ["get_order", "list_orders"]);
    let base = "/targetConfiguration/mcp/lambda/toolSchema/inlinePayload";
    assert_eq!(d.tools_pointer.as_str(), base);
    assert_eq!(pointers(&d), [format!("{base}/0"), format!("{base}/1")]);
    let list = d.tool("list_orders").unwrap();
    assert_eq!(
        list.output_schema,
        Some(
            json!({"type": "object", "properties": {"orders": {"type": "array", "items": {"type": "string"}}}})
        )
    );
    assert_eq!(
        list.output_schema_pointer().as_str(),
        format!("{base}/1/outputSchema")
    );
    // The pointer really addresses the tool in the document.
    assert_eq!(
        d.document.pointer(list.pointer.as_str()).unwrap()["name"],
        "list_orders"
    );
}

#[test]
fn a_cloudformation_list_is_converted_and_keeps_property_names() {
    let d =
        Definition::from_path(format!("{CORPUS}/gateway/customer-support-vpc-cfn.json")).unwrap();
    assert_eq!(d.kind, DefinitionKind::CloudFormationInlinePayload);
    assert_eq!(names(&d), ["get_customer_profile", "check_warranty_status"]);
    let tool = &d.tools[0];
    assert_eq!(tool.casing, KeyCasing::CloudFormation);
    assert_eq!(
        tool.description.as_deref(),
        Some("Retrieve customer profile using customer ID, email, or phone number")
    );
    assert_eq!(
        tool.input_schema,
        json!({
            "type": "object",
            "properties": {
                "customer_id": {"type": "string", "description": "Customer ID (e.g., CUST001)"},
                "email": {"type": "string", "description": "Customer email address"},
                "phone": {"type": "string", "description": "Customer phone number"}
            },
            "required": ["customer_id"]
        })
    );
    assert_eq!(
        tool.output_schema.as_ref().unwrap()["properties"]["statusCode"],
        json!({"type": "integer", "description": "HTTP status code"})
    );
    // Pointers stay in the file's casing.
    assert_eq!(tool.input_schema_pointer().as_str(), "/0/InputSchema");
    assert_eq!(tool.output_schema_pointer().as_str(), "/0/OutputSchema");
    assert!(
        d.document
            .pointer(tool.input_schema_pointer().as_str())
            .is_some()
    );
}

#[test]
fn property_names_that_look_like_keys_are_not_converted() {
    let d = Definition::from_value(
        "<inline>",
        json!([{
            "Name": "t",
            "Description": "d",
            "InputSchema": {
                "Type": "object",
                "Properties": {
                    "Type": {"Type": "string"},
                    "Properties": {"Type": "object", "Properties": {"Items": {"Type": "array", "Items": {"Type": "string"}}}}
                },
                "Required": ["Type", "Properties"]
            }
        }]),
    )
    .unwrap();
    assert_eq!(
        d.tools[0].input_schema,
        json!({
            "type": "object",
            "properties": {
                "Type": {"type": "string"},
                "Properties": {"type": "object", "properties": {"Items": {"type": "array", "items": {"type": "string"}}}}
            },
            "required": ["Type", "Properties"]
        })
    );
}

#[test]
fn cloudformation_gateway_target_properties() {
    let d = Definition::from_path(format!("{DATA}/cloudformation-target-properties.json")).unwrap();
    assert_eq!(d.kind, DefinitionKind::CloudFormationInlinePayload);
    assert_eq!(d.target_name.as_deref(), Some("customer-support"));
    assert_eq!(
        d.tools_pointer.as_str(),
        "/TargetConfiguration/Mcp/Lambda/ToolSchema/InlinePayload"
    );
    assert_eq!(names(&d), ["get_customer_profile", "check_warranty_status"]);
    assert_eq!(
        d.tools[1].input_schema_pointer().as_str(),
        "/TargetConfiguration/Mcp/Lambda/ToolSchema/InlinePayload/1/InputSchema"
    );
    assert_eq!(
        d.tools[1].input_schema["required"],
        json!(["serial_number"])
    );
}

#[test]
fn an_mcp_tools_list_result() {
    let d = Definition::from_path(format!("{DATA}/mcp-tools-list.json")).unwrap();
    assert_eq!(d.kind, DefinitionKind::McpToolsList);
    assert_eq!(names(&d), ["search", "describe"]);
    assert_eq!(pointers(&d), ["/tools/0", "/tools/1"]);
    assert_eq!(d.tools_pointer.as_str(), "/tools");
    assert_eq!(
        d.tools[0].description.as_deref(),
        Some("Search the catalogue")
    );
    // MCP makes `description` optional.
    assert_eq!(d.tools[1].description, None);
    assert_eq!(
        d.tools[1].output_schema,
        Some(json!({"type": "object", "properties": {"text": {"type": "string"}}}))
    );
}

#[test]
fn a_null_output_schema_is_absent() {
    let mut tool = one_tool();
    tool["outputSchema"] = json!(null);
    let d = Definition::from_value("<inline>", json!([tool])).unwrap();
    assert_eq!(d.tools[0].output_schema, None);
}

#[test]
fn a_tool_built_in_code_has_camel_case_pointers() {
    let tool =
        toolcontract::Tool::new("t", json!({"type": "object"}), JsonPointer::root().index(4));
    assert_eq!(tool.input_schema_pointer().as_str(), "/4/inputSchema");
    assert_eq!(tool.casing, KeyCasing::CamelCase);
}
