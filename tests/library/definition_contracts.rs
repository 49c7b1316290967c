//! The Gateway and MCP contracts in `contracts/` accept what the service documents and refuse
//! what it does not; their `x-lint-code` annotations name real lint codes.

use serde_json::{Value, json};
use toolcontract::Contract;
use toolcontract::lint::LintCode;

/// The instance paths of `instance`'s errors against `contract`, sorted.
fn errors(contract: Contract, instance: &Value) -> Vec<String> {
    let mut paths: Vec<String> = contract
        .validator()
        .iter_errors(instance)
        .map(|e| e.instance_path().to_string())
        .collect();
    paths.sort();
    paths
}

fn tool() -> Value {
    json!({
        "name": "get_order",
        "description": "Look up an order",
        "inputSchema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        "outputSchema": {"type": "object"}
    })
}

#[test]
fn gateway_tool_definitions() {
    let c = Contract::GatewayToolDefinitions;
    assert_eq!(errors(c, &json!([tool()])), Vec::<String>::new());
    assert_eq!(errors(c, &json!([])), Vec::<String>::new());
    // Structure only: keywords outside the subset and unknown members are left to warnings.
    let mut open = tool();
    open["title"] = json!("Order");
    open["inputSchema"]["properties"]["id"]["enum"] = json!(["a"]);
    assert_eq!(errors(c, &json!([open])), Vec::<String>::new());

    assert_eq!(errors(c, &json!({"tools": []})), [""]);
    for member in ["name", "description", "inputSchema"] {
        let mut t = tool();
        t.as_object_mut().unwrap().remove(member);
        assert_eq!(errors(c, &json!([t])), ["/0"], "without {member}");
    }
    let mut t = tool();
    t.as_object_mut().unwrap().remove("outputSchema");
    assert_eq!(errors(c, &json!([t])), Vec::<String>::new());
    let mut t = tool();
    t["name"] = json!(1);
    t["inputSchema"]["type"] = json!("array");
    t["outputSchema"] = json!({"properties": {}});
    assert_eq!(
        errors(c, &json!([t])),
        ["/0/inputSchema/type", "/0/name", "/0/outputSchema"]
    );
}

#[test]
fn gateway_schema_definition() {
    let c = Contract::GatewaySchemaDefinition;
    let good = json!({
        "type": "object",
        "description": "d",
        "properties": {
            "list": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
            "flag": {"type": "boolean"},
            "x": {"type": "number"}
        },
        "required": ["list"]
    });
    assert_eq!(errors(c, &good), Vec::<String>::new());
    // Strict: every other keyword, a null type, a type array and a missing type are refused.
    let bad = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "a": {"type": "string", "format": "date"},
            "b": {"type": "null"},
            "c": {"type": ["string", "null"]},
            "d": {"description": "no type"},
            "e": {"type": "array", "items": [{"type": "string"}]}
        }
    });
    assert_eq!(
        errors(c, &bad),
        [
            "",
            "/properties/a",
            "/properties/b/type",
            "/properties/c/type",
            "/properties/d",
            "/properties/e/items",
        ]
    );
    // The top level must be an object.
    assert_eq!(errors(c, &json!({"type": "string"})), ["/type"]);
}

fn request() -> Value {
    json!({
        "gatewayIdentifier": "gw-1",
        "name": "Order-Tools",
        "targetConfiguration": {"mcp": {"lambda": {
            "lambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:orders",
            "toolSchema": {"inlinePayload": [tool()]}
        }}},
        "credentialProviderConfigurations": [{"credentialProviderType": "GATEWAY_IAM_ROLE"}]
    })
}

#[test]
fn gateway_create_target_request() {
    let c = Contract::GatewayCreateTargetRequest;
    assert_eq!(errors(c, &request()), Vec::<String>::new());
    let mut s3 = request();
    s3["targetConfiguration"]["mcp"]["lambda"]["toolSchema"] =
        json!({"s3": {"uri": "s3://b/tools.json", "bucketOwnerAccountId": "123456789012"}});
    assert_eq!(errors(c, &s3), Vec::<String>::new());

    for name in ["order_tools", "-orders", "orders--x", ""] {
        let mut r = request();
        r["name"] = json!(name);
        assert_eq!(errors(c, &r), ["/name"], "{name:?}");
    }
    let mut r = request();
    r["name"] = json!("a".repeat(100));
    assert_eq!(errors(c, &r), Vec::<String>::new());
    r["name"] = json!("a".repeat(101));
    assert_eq!(errors(c, &r), ["/name"]);

    // Unions: exactly one member.
    let schema = "/targetConfiguration/mcp/lambda/toolSchema";
    let mut r = request();
    r["targetConfiguration"]["mcp"]["lambda"]["toolSchema"]["s3"] = json!({"uri": "s3://b/k"});
    assert_eq!(errors(c, &r), [schema]);
    let mut r = request();
    r["targetConfiguration"]["mcp"]["lambda"]["toolSchema"] = json!({});
    assert_eq!(errors(c, &r), [schema]);
    let mut r = request();
    r["targetConfiguration"]["mcp"]["openApiSchema"] = json!({});
    assert_eq!(errors(c, &r), ["/targetConfiguration/mcp"]);
    // Required members.
    let mut r = request();
    r.as_object_mut().unwrap().remove("name");
    assert_eq!(errors(c, &r), [""]);
    let mut r = request();
    r["targetConfiguration"]["mcp"]["lambda"]
        .as_object_mut()
        .unwrap()
        .remove("lambdaArn");
    assert_eq!(errors(c, &r), ["/targetConfiguration/mcp/lambda"]);
    // The inline payload is a gateway-tool-definitions list.
    let mut r = request();
    r["targetConfiguration"]["mcp"]["lambda"]["toolSchema"]["inlinePayload"][0]
        .as_object_mut()
        .unwrap()
        .remove("description");
    assert_eq!(errors(c, &r), [format!("{schema}/inlinePayload/0")]);
}

#[test]
fn mcp_tools_list() {
    let c = Contract::McpToolsList;
    let list = json!({
        "tools": [
            {"name": "a", "inputSchema": {"type": "object"}},
            {
                "name": "b", "title": "B", "description": "d",
                "inputSchema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"x": {"type": "string", "enum": ["1"]}}, "required": ["x"]},
                "outputSchema": {"type": "object"},
                "annotations": {"readOnlyHint": true, "title": "B"},
                "icons": [{"src": "https://example.com/b.png", "sizes": ["48x48"], "theme": "dark"}],
                "execution": {"taskSupport": "optional"},
                "_meta": {"k": 1}
            }
        ],
        "nextCursor": "c"
    });
    assert_eq!(errors(c, &list), Vec::<String>::new());
    let bad = json!({
        "tools": [
            {"inputSchema": {"type": "object"}},
            {"name": "b", "inputSchema": {"type": "array"}},
            {"name": "c", "inputSchema": {"type": "object", "properties": {"x": true}}},
            {"name": "d", "inputSchema": {"type": "object"}, "annotations": {"readOnlyHint": "yes"}, "icons": [{}]}
        ],
        "nextCursor": 2
    });
    assert_eq!(
        errors(c, &bad),
        [
            "/nextCursor",
            "/tools/0",
            "/tools/1/inputSchema/type",
            "/tools/2/inputSchema/properties/x",
            "/tools/3/annotations/readOnlyHint",
            "/tools/3/icons/0",
        ]
    );
    assert_eq!(errors(c, &json!([])), [""]);
}

fn annotations<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(code) = map.get("x-lint-code") {
                out.push(code.as_str().expect("x-lint-code is a string"));
            }
            map.values().for_each(|v| annotations(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| annotations(v, out)),
        _ => {}
    }
}

#[test]
fn every_lint_code_annotation_names_a_real_code() {
    let mut found = Vec::new();
    for contract in Contract::ALL {
        annotations(contract.schema(), &mut found);
    }
    found.sort_unstable();
    found.dedup();
    assert_eq!(
        found,
        [
            "incomplete_operation",
            "invalid_name",
            "invalid_operation_id",
            "invalid_target_name",
            "request_body_not_allowed",
            "signature_conflict",
            "top_level_type_not_object",
            "unsupported_openapi_version"
        ]
    );
    for name in found {
        assert!(LintCode::from_name(name).is_some(), "{name}");
    }
}

#[test]
fn every_gateway_contract_cites_its_source() {
    for contract in [
        Contract::GatewayToolDefinitions,
        Contract::GatewaySchemaDefinition,
        Contract::GatewayCreateTargetRequest,
    ] {
        let description = contract.schema()["description"].as_str().unwrap();
        assert!(
            description.contains("botocore model `bedrock-agentcore-control` 2023-06-05"),
            "{}",
            contract.name()
        );
    }
    let description = Contract::McpToolsList.schema()["description"]
        .as_str()
        .unwrap();
    assert!(description.contains("MCP specification 2025-11-25"));
}
