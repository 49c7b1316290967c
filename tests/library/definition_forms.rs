//! Each accepted definition form loads: kind, tools, names, schemas, pointers, target name.

use serde_json::json;
use toolcontract::JsonPointer;
use toolcontract::definition::{Definition, DefinitionKind, GATEWAY_TARGET, KeyCasing, Selection};

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

// CloudFormation and SAM templates, CDK synth output (issue 12).

const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/templates");

fn template(name: &str) -> Definition {
    Definition::from_path(format!("{TEMPLATES}/{name}")).unwrap()
}

fn in_template(definition: &Definition, pointer: &str) -> String {
    definition
        .pointer_in_file(&JsonPointer::parse(pointer).unwrap(), &JsonPointer::root())
        .to_string()
}

#[test]
fn a_gateway_target_in_yaml_with_short_form_tags() {
    let d = template("gateway-target-short-tags.yaml");
    assert_eq!(d.kind, DefinitionKind::CloudFormationInlinePayload);
    assert_eq!(names(&d), ["get_order", "list_orders"]);
    // `!Join ["-", [order, tools]]` is certain, so it is resolved.
    assert_eq!(d.target_name.as_deref(), Some("order-tools"));
    let list = d.tool("list_orders").unwrap();
    assert_eq!(
        list.description.as_deref(),
        Some("List the orders of a customer (newest first).")
    );
    assert_eq!(
        list.input_schema["properties"]["status"]["description"],
        "Optional status filter; the literal ${Status} is not substituted."
    );
    assert_eq!(
        list.output_schema.as_ref().unwrap()["properties"]["orders"]["items"]["type"],
        "object"
    );
    // Pointers are into the resource's properties; `pointer_in_file` places them in the template.
    let base = "/TargetConfiguration/Mcp/Lambda/ToolSchema/InlinePayload";
    assert_eq!(pointers(&d), [format!("{base}/0"), format!("{base}/1")]);
    let tool = d.tool("get_order").unwrap();
    assert_eq!(
        d.pointer_in_file(
            &tool.input_schema_pointer(),
            &JsonPointer::parse("/properties/order_id/type").unwrap()
        )
        .as_str(),
        "/Resources/OrdersTarget/Properties/TargetConfiguration/Mcp/Lambda/ToolSchema/\
         InlinePayload/0/InputSchema/Properties/order_id/Type"
    );
    let resource = d.resource.as_ref().unwrap();
    assert_eq!(
        (
            resource.logical_id.as_str(),
            resource.resource_type.as_str()
        ),
        ("OrdersTarget", GATEWAY_TARGET)
    );
    assert_eq!(
        resource.pointer.as_str(),
        "/Resources/OrdersTarget/Properties"
    );
    assert_eq!(resource.unresolved_target_name, None);
    assert_eq!(resource.candidates.len(), 1);
    assert!(resource.candidates[0].picked);
    assert_eq!(resource.candidates[0].tools, Some(2));
}

#[test]
fn a_sam_template_whose_target_name_is_a_parameter() {
    let d = template("sam-gateway-target.yaml");
    assert_eq!(d.kind, DefinitionKind::CloudFormationInlinePayload);
    assert_eq!(names(&d), ["get_product", "search_products", "check_stock"]);
    // `Name: !Ref TargetName` is only known at deploy time: not guessed from its default.
    assert_eq!(d.target_name, None);
    let unresolved = d
        .resource
        .as_ref()
        .unwrap()
        .unresolved_target_name
        .clone()
        .unwrap();
    assert_eq!(unresolved.function, "Ref");
    assert_eq!(
        unresolved.pointer.as_str(),
        "/Resources/ProductTarget/Properties/Name"
    );
    assert!(
        unresolved
            .reason
            .contains("template parameter `TargetName`")
    );
    assert_eq!(
        d.tool("check_stock").unwrap().input_schema["properties"]["product_ids"]["items"],
        json!({"type": "string"})
    );
}

#[test]
fn cdk_synth_output_as_a_file_or_a_directory() {
    let d = template("cdk.out/ToolsStack.template.json");
    assert_eq!(names(&d), ["get_forecast", "get_alerts"]);
    assert_eq!(d.target_name.as_deref(), Some("weather-tools"));
    assert_eq!(
        d.tool("get_forecast").unwrap().description.as_deref(),
        Some("Weather forecast for a city, up to 7 days ahead")
    );
    assert_eq!(
        d.resource.as_ref().unwrap().logical_id,
        "WeatherTarget7E8F9A0B"
    );
    let from_directory = template("cdk.out");
    assert_eq!(
        from_directory.source,
        std::path::Path::new(&format!("{TEMPLATES}/cdk.out/ToolsStack.template.json"))
    );
    assert_eq!(names(&from_directory), ["get_forecast", "get_alerts"]);
}

#[test]
fn an_agent_with_a_function_schema_action_group() {
    let d = template("agent-function-schema.yaml");
    assert_eq!(d.kind, DefinitionKind::ActionGroupFunctions);
    assert_eq!(d.action_group.as_ref().unwrap().name, "BookingsActionGroup");
    assert_eq!(
        names(&d),
        ["get_booking", "create_booking", "cancel_booking"]
    );
    let create = d.tool("create_booking").unwrap();
    assert_eq!(create.input_schema["required"], json!(["date", "guests"]));
    assert_eq!(
        create.input_schema["properties"]["guests"]["type"],
        "integer"
    );
    // The request the group stands for is camelCase; pointers go back to CloudFormation casing.
    assert_eq!(
        in_template(&d, "/functionSchema/functions/0/parameters/booking_id/type"),
        "/Resources/BookingsAgent/Properties/ActionGroups/1/FunctionSchema/Functions/0/\
         Parameters/booking_id/Type"
    );
    let candidates = &d.resource.as_ref().unwrap().candidates;
    assert_eq!(candidates.len(), 2);
    assert!(candidates[0].only_when_named && !candidates[0].picked);
    assert_eq!(candidates[0].name.as_deref(), Some("UserInputAction"));
    assert!(candidates[1].picked);
}

#[test]
fn an_agent_with_an_inline_yaml_openapi_payload() {
    let d = template("agent-openapi-payload.yaml");
    assert_eq!(d.kind, DefinitionKind::ActionGroupOpenApi);
    assert_eq!(d.action_group.as_ref().unwrap().name, "ClaimsActionGroup");
    assert_eq!(d.tools.len(), 3);
    let openapi = d.action_group.as_ref().unwrap().openapi.as_ref().unwrap();
    assert_eq!(openapi.pointer.as_str(), "/apiSchema/payload");
    assert_eq!(
        in_template(&d, &d.tools[0].pointer.to_string()),
        format!(
            "/Resources/ClaimsAgent/Properties/ActionGroups/0/ApiSchema/Payload{}",
            d.tools[0]
                .pointer
                .as_str()
                .trim_start_matches("/apiSchema/payload")
        )
    );
}

#[test]
fn a_selection_picks_one_of_several() {
    let path = format!("{TEMPLATES}/several-targets.yaml");
    let orders =
        Definition::from_path_selecting(&path, &Selection::new().resource("OrdersTarget")).unwrap();
    assert_eq!(orders.target_name.as_deref(), Some("orders"));
    assert_eq!(names(&orders), ["get_order", "cancel_order"]);
    let accounts =
        Definition::from_path_selecting(&path, &Selection::new().action_group("Accounts")).unwrap();
    assert_eq!(accounts.action_group.as_ref().unwrap().name, "Accounts");
    assert_eq!(names(&accounts), ["reset_password"]);
    let tickets = Definition::from_path_selecting(
        &path,
        &Selection::new()
            .resource("HelpdeskAgent")
            .action_group("Tickets"),
    )
    .unwrap();
    assert_eq!(names(&tickets), ["open_ticket", "get_ticket"]);
    let listed: Vec<String> = tickets
        .resource
        .as_ref()
        .unwrap()
        .candidates
        .iter()
        .map(|c| format!("{}{}", if c.picked { "*" } else { "" }, c))
        .collect();
    assert_eq!(
        listed,
        [
            "*HelpdeskAgent action group `Tickets` (AWS::Bedrock::Agent, 2 tools)",
            "HelpdeskAgent action group `Accounts` (AWS::Bedrock::Agent, 1 tool)",
            "InventoryTarget (AWS::BedrockAgentCore::GatewayTarget, target `inventory`, 1 tool)",
            "OrdersTarget (AWS::BedrockAgentCore::GatewayTarget, target `orders`, 2 tools)",
            "SearchTarget (AWS::BedrockAgentCore::GatewayTarget, target `web-search-tool`): a \
             `Connector` target, not a Lambda target: toolcontract tests Lambda targets",
        ]
    );
}

#[test]
fn a_template_value_with_long_form_intrinsics() {
    let d = Definition::from_value(
        "template.json",
        json!({
            "Mappings": {"Types": {"id": {"kind": "string"}}},
            "Resources": {"T": {
                "Type": GATEWAY_TARGET,
                "Properties": {
                    "Name": {"Fn::Join": ["-", ["orders", {"Fn::Sub": "v${!2}"}]]},
                    "TargetConfiguration": {"Mcp": {"Lambda": {
                        "LambdaArn": {"Fn::GetAtt": ["F", "Arn"]},
                        "ToolSchema": {"InlinePayload": [{
                            "Name": {"Fn::Select": [0, {"Fn::Split": [",", "get_order,x"]}]},
                            "Description": {"Fn::Sub": ["${A} order", {"A": "One"}]},
                            "InputSchema": {"Type": "object", "Properties": {
                                "id": {"Type": {"Fn::FindInMap": ["Types", "id", "kind"]}}
                            }}
                        }]}
                    }}}
                }
            }}
        }),
    )
    .unwrap();
    assert_eq!(names(&d), ["get_order"]);
    assert_eq!(d.tools[0].description.as_deref(), Some("One order"));
    assert_eq!(
        d.tools[0].input_schema["properties"]["id"],
        json!({"type": "string"})
    );
    assert_eq!(d.target_name.as_deref(), Some("orders-v${2}"));
}

/// Issue 12, item 8: how many of the templates in `tests/data/templates` load by themselves,
/// and how many tools they yield (`errors/` holds the templates that must fail).
#[test]
fn the_template_corpus_loads_as_measured() {
    let mut entries: Vec<_> = std::fs::read_dir(TEMPLATES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .filter(|p| !p.ends_with("errors"))
        .collect();
    entries.sort();
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    let mut tools = 0;
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match Definition::from_path(path) {
            Ok(d) => {
                tools += d.tools.len();
                loaded.push(name);
            }
            Err(_) => failed.push(name),
        }
    }
    assert_eq!(entries.len(), 9);
    assert_eq!(
        loaded,
        [
            "agent-function-schema.yaml",
            "agent-openapi-payload.yaml",
            "cdk.out",
            "gateway-target-short-tags.yaml",
            "sam-gateway-target.yaml",
        ]
    );
    assert_eq!(tools, 13);
    // Several candidates (needs --resource), S3 schemas, Connector targets only, and a quoted
    // scalar that strict YAML 1.2 refuses.
    assert_eq!(
        failed,
        [
            "real-aws-samples-agentic-gateway.yaml",
            "real-aws-samples-claims-agent.yaml",
            "real-aws-samples-cost-explorer-agent.yaml",
            "several-targets.yaml",
        ]
    );
    // With a selector, several-targets.yaml yields its four Lambda-backed definitions.
    let path = format!("{TEMPLATES}/several-targets.yaml");
    let selections = [
        Selection::new().resource("OrdersTarget"),
        Selection::new().resource("InventoryTarget"),
        Selection::new().action_group("Tickets"),
        Selection::new().action_group("Accounts"),
    ];
    let selected: usize = selections
        .iter()
        .map(|s| {
            Definition::from_path_selecting(&path, s)
                .unwrap()
                .tools
                .len()
        })
        .sum();
    assert_eq!(selected, 6);
}
