//! Every lint rule: a case where it fires (code, severity, pointer, message) and one where it
//! does not; ordering; and speed on a 1,000-tool definition.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use toolcontract::definition::Definition;
use toolcontract::lint::{
    Diagnostic, LintCode, MAX_INLINE_PAYLOAD_BYTES, MAX_TOOL_NAME_CHARS, MAX_TOOLS_PER_TARGET,
    MCP_TOOL_NAME_MAX_CHARS, Severity, lint,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/definitions");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shared/tool-corpus");

fn load(document: Value) -> Definition {
    Definition::from_value("tools.json", document).unwrap()
}

fn tool(name: &str, input_schema: Value) -> Value {
    json!({"name": name, "description": "d", "inputSchema": input_schema})
}

fn object(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

/// (code, pointer) of every diagnostic.
fn found(definition: &Definition) -> Vec<(&'static str, String)> {
    lint(definition)
        .into_iter()
        .map(|d| (d.code.as_str(), d.pointer.as_str().to_owned()))
        .collect()
}

fn only(definition: &Definition) -> Diagnostic {
    let mut diagnostics = lint(definition);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    diagnostics.remove(0)
}

fn with_code(definition: &Definition, code: LintCode) -> Vec<Diagnostic> {
    lint(definition)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

#[test]
fn clean_definitions_have_no_diagnostics() {
    for path in [
        format!("{DATA}/create-target-request.json"),
        format!("{DATA}/cloudformation-target-properties.json"),
        format!("{CORPUS}/gateway/customer-support-vpc-cfn.json"),
        format!("{CORPUS}/gateway/search-tools-calc-api.json"),
    ] {
        let definition = Definition::from_path(&path).unwrap();
        assert_eq!(lint(&definition), vec![], "{path}");
    }
}

#[test]
fn contract_violation_missing_description() {
    let d = load(json!([
        tool("a", json!({"type": "object"})),
        {"name": "b", "inputSchema": {"type": "object"}}
    ]));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::ContractViolation);
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(diagnostic.pointer.as_str(), "/1");
    assert_eq!(
        diagnostic.message,
        "`description` is missing (contract gateway-tool-definitions)"
    );
    assert_eq!(
        diagnostic.to_string(),
        "error[contract_violation] at /1: `description` is missing (contract \
         gateway-tool-definitions)"
    );
}

#[test]
fn contract_violation_wrong_type_and_cloudformation_casing() {
    let d = load(json!([{"name": "a", "description": 5, "inputSchema": {"type": "object"}}]));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.pointer.as_str(), "/0/description");
    assert_eq!(
        diagnostic.message,
        "expected a string, found a number (5) (contract gateway-tool-definitions)"
    );

    let d = load(json!([{"Name": "a", "InputSchema": {"Type": "object"}}]));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.pointer.as_str(), "/0");
    assert_eq!(
        diagnostic.message,
        "`Description` is missing (contract gateway-tool-definitions)"
    );
}

#[test]
fn contract_violation_in_a_create_request() {
    let d = load(json!({
        "name": "orders",
        "targetConfiguration": {"mcp": {
            "lambda": {"toolSchema": {"inlinePayload": [tool("a", json!({"type": "object"}))]}},
            "openApiSchema": {}
        }}
    }));
    assert_eq!(
        found(&d),
        [
            ("contract_violation", "/targetConfiguration/mcp".to_owned()),
            (
                "contract_violation",
                "/targetConfiguration/mcp/lambda".to_owned()
            ),
        ]
    );
    let messages: Vec<String> = lint(&d).into_iter().map(|d| d.message).collect();
    assert_eq!(
        messages,
        [
            "this union must hold exactly one member, found an object with keys `lambda`, \
             `openApiSchema` (contract gateway-create-target-request)",
            "`lambdaArn` is missing (contract gateway-create-target-request)",
        ]
    );
}

#[test]
fn contract_violation_in_an_mcp_tools_list_but_not_for_mcp_optional_members() {
    let d =
        load(json!({"tools": [{"name": "a", "inputSchema": {"type": "object"}}], "nextCursor": 5}));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::ContractViolation);
    assert_eq!(diagnostic.pointer.as_str(), "/nextCursor");
    assert_eq!(
        diagnostic.message,
        "expected a string, found a number (5) (contract mcp-tools-list)"
    );
    // No description, a title and annotations: all fine for MCP.
    let d = Definition::from_path(format!("{DATA}/mcp-tools-list.json")).unwrap();
    assert_eq!(
        found(&d),
        [(
            "keyword_outside_subset",
            "/tools/0/inputSchema/properties/limit/minimum".to_owned()
        )]
    );
}

#[test]
fn top_level_type_not_object() {
    let d = load(json!([
        tool("a", json!({"type": "string"})),
        tool("b", json!({"properties": {}})),
        {"name": "c", "description": "d", "inputSchema": {"type": "object"}, "outputSchema": {"type": "array", "items": {"type": "string"}}}
    ]));
    let diagnostics = lint(&d);
    assert_eq!(
        found(&d),
        [
            (
                "top_level_type_not_object",
                "/0/inputSchema/type".to_owned()
            ),
            ("top_level_type_not_object", "/1/inputSchema".to_owned()),
            (
                "top_level_type_not_object",
                "/2/outputSchema/type".to_owned()
            ),
        ]
    );
    assert!(diagnostics.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(
        diagnostics[0].message,
        "found a string (\"string\"); the top level of inputSchema and outputSchema must be \
         `\"type\": \"object\"`"
    );
    assert_eq!(
        diagnostics[1].message,
        "the schema has no `type`; the top level of inputSchema and outputSchema must be \
         `\"type\": \"object\"`"
    );

    let d = load(json!([{"Name": "a", "Description": "d", "InputSchema": {"Type": "null"}}]));
    assert_eq!(
        found(&d),
        [(
            "top_level_type_not_object",
            "/0/InputSchema/Type".to_owned()
        )]
    );
    let d = load(json!({"tools": [{"name": "a", "inputSchema": {"type": "array"}}]}));
    assert_eq!(
        found(&d),
        [(
            "top_level_type_not_object",
            "/tools/0/inputSchema/type".to_owned()
        )]
    );
}

#[test]
fn invalid_target_name() {
    let request = |name: &str| {
        json!({
            "name": name,
            "targetConfiguration": {"mcp": {"lambda": {
                "lambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "toolSchema": {"inlinePayload": [tool("a", json!({"type": "object"}))]}
            }}}
        })
    };
    let diagnostic = only(&load(request("order_tools")));
    assert_eq!(diagnostic.code, LintCode::InvalidTargetName);
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(diagnostic.pointer.as_str(), "/name");
    assert_eq!(
        diagnostic.message,
        "target name \"order_tools\" does not match ^([0-9a-zA-Z][-]?){1,100}$: expected 1 to \
         100 letters or digits, each optionally followed by one hyphen (no underscores, no \
         leading hyphen)"
    );
    assert_eq!(found(&load(request("-orders"))).len(), 1);
    assert_eq!(found(&load(request(&"a".repeat(101)))).len(), 1);
    assert_eq!(found(&load(request("Order-Tools-2"))), []);
    // The longest valid name passes the pattern; MCP clients then see a 204-character
    // `<target>___a`, over the 128 the MCP specification recommends.
    assert_eq!(
        found(&load(request(&"a-".repeat(100)))),
        [(
            "tool_name_not_recommended",
            "/targetConfiguration/mcp/lambda/toolSchema/inlinePayload/0/name".to_owned()
        )]
    );

    // CloudFormation properties: checked by the same contract definition, at `/Name`.
    let mut document: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{DATA}/cloudformation-target-properties.json")).unwrap(),
    )
    .unwrap();
    document["Name"] = json!("customer_support");
    let payload = "/TargetConfiguration/Mcp/Lambda/ToolSchema/InlinePayload";
    document
        .pointer_mut(&format!("{payload}/1/InputSchema/Properties/serial_number"))
        .unwrap()["Pattern"] = json!("^[A-Z0-9]{8,20}$");
    assert_eq!(
        found(&load(document)),
        [
            ("invalid_target_name", "/Name".to_owned()),
            (
                "keyword_outside_subset",
                format!("{payload}/1/InputSchema/Properties/serial_number/Pattern")
            ),
        ]
    );

    // A name the caller sets (e.g. from the command line).
    let mut d = load(json!([tool("a", json!({"type": "object"}))]));
    d.target_name = Some("my_target".to_owned());
    assert_eq!(found(&d), [("invalid_target_name", String::new())]);
    d.target_name = Some("my-target".to_owned());
    assert_eq!(found(&d), []);
}

#[test]
fn unknown_tool_member() {
    let mut t = tool("a", json!({"type": "object"}));
    t["title"] = json!("A");
    let diagnostic = only(&load(json!([t])));
    assert_eq!(diagnostic.code, LintCode::UnknownToolMember);
    assert_eq!(diagnostic.severity, Severity::Warning);
    assert_eq!(diagnostic.pointer.as_str(), "/0/title");
    assert_eq!(
        diagnostic.message,
        "`title` is not a ToolDefinition member (description, inputSchema, name, outputSchema); \
         the Gateway may reject or drop it"
    );
    let d = load(
        json!([{"Name": "a", "Description": "d", "InputSchema": {"Type": "object"}, "Title": "A"}]),
    );
    assert_eq!(found(&d), [("unknown_tool_member", "/0/Title".to_owned())]);
    // MCP tools carry `title` legitimately.
    let d =
        load(json!({"tools": [{"name": "a", "title": "A", "inputSchema": {"type": "object"}}]}));
    assert_eq!(found(&d), []);
}

#[test]
fn keyword_outside_subset() {
    let d = load(json!([tool(
        "a",
        object(json!({"state": {"type": "string", "enum": ["on", "off"], "default": "on"}}))
    )]));
    let diagnostics = lint(&d);
    assert_eq!(
        found(&d),
        [
            (
                "keyword_outside_subset",
                "/0/inputSchema/properties/state/default".to_owned()
            ),
            (
                "keyword_outside_subset",
                "/0/inputSchema/properties/state/enum".to_owned()
            ),
        ]
    );
    assert_eq!(diagnostics[1].severity, Severity::Warning);
    assert_eq!(
        diagnostics[1].message,
        "`enum` is outside the Gateway's SchemaDefinition subset (description, items, properties, \
         required, type); the Gateway may reject or drop it"
    );
    // In the output schema, at the top level, and in CloudFormation casing.
    let d = load(json!([{
        "Name": "a", "Description": "d",
        "InputSchema": {"Type": "object", "AdditionalProperties": false},
        "OutputSchema": {"Type": "object", "Properties": {"n": {"Type": "integer", "Minimum": 0}}}
    }]));
    assert_eq!(
        found(&d),
        [
            (
                "keyword_outside_subset",
                "/0/InputSchema/AdditionalProperties".to_owned()
            ),
            (
                "keyword_outside_subset",
                "/0/OutputSchema/Properties/n/Minimum".to_owned()
            ),
        ]
    );
    // A property NAMED like a keyword is not a keyword.
    let d = load(json!([tool(
        "a",
        object(json!({"enum": {"type": "string"}}))
    )]));
    assert_eq!(found(&d), []);
}

#[test]
fn missing_type() {
    let d = load(json!([tool(
        "a",
        object(json!({"x": {"description": "anything"}}))
    )]));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::MissingType);
    assert_eq!(diagnostic.pointer.as_str(), "/0/inputSchema/properties/x");
    assert_eq!(
        diagnostic.message,
        "this schema has no `type`; the Gateway's SchemaDefinition requires one of string, \
         number, object, array, boolean, integer"
    );
    let d = load(json!([tool(
        "a",
        object(json!({"x": {"type": "boolean"}}))
    )]));
    assert_eq!(found(&d), []);
}

#[test]
fn null_type() {
    let d = load(json!([tool(
        "a",
        object(json!({"x": {"type": ["string", "null"]}, "y": {"type": "null"}}))
    )]));
    let diagnostics = lint(&d);
    assert_eq!(
        found(&d),
        [
            ("null_type", "/0/inputSchema/properties/x/type".to_owned()),
            ("null_type", "/0/inputSchema/properties/y/type".to_owned()),
        ]
    );
    assert_eq!(
        diagnostics[0].message,
        "`type` is [\"string\",\"null\"], expected one of string, number, object, array, boolean, \
         integer; the subset has no null type: declare the non-null type and leave the property \
         out of `required`"
    );
    let d = load(json!([tool("a", object(json!({"x": {"type": "string"}})))]));
    assert_eq!(found(&d), []);
}

#[test]
fn unsupported_type() {
    let d = load(json!([tool(
        "a",
        object(json!({"x": {"type": "any"}, "y": {"type": ["string", "integer"]}}))
    )]));
    let diagnostics = lint(&d);
    assert_eq!(
        found(&d),
        [
            (
                "unsupported_type",
                "/0/inputSchema/properties/x/type".to_owned()
            ),
            (
                "unsupported_type",
                "/0/inputSchema/properties/y/type".to_owned()
            ),
        ]
    );
    assert_eq!(
        diagnostics[0].message,
        "`type` is \"any\", expected one of string, number, object, array, boolean, integer; the \
         subset accepts exactly one type per schema"
    );
    let d = load(json!([tool(
        "a",
        object(json!({"x": {"type": "integer"}}))
    )]));
    assert_eq!(found(&d), []);
}

#[test]
fn malformed_schema_definition() {
    let d = load(json!([tool(
        "a",
        json!({
            "type": "object",
            "properties": {
                "list": {"type": "array", "items": [{"type": "string"}]},
                "flag": true,
                "n": {"type": "number", "description": 7}
            },
            "required": ["list", 3]
        })
    )]));
    let diagnostics = lint(&d);
    assert_eq!(
        found(&d),
        [
            (
                "malformed_schema_definition",
                "/0/inputSchema/properties/flag".to_owned()
            ),
            (
                "malformed_schema_definition",
                "/0/inputSchema/properties/list/items".to_owned()
            ),
            (
                "malformed_schema_definition",
                "/0/inputSchema/properties/n/description".to_owned()
            ),
            (
                "malformed_schema_definition",
                "/0/inputSchema/required/1".to_owned()
            ),
        ]
    );
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`flag` is a boolean; the Gateway's SchemaDefinition expects an object",
            "`items` is an array; the Gateway's SchemaDefinition expects an object",
            "`description` is a number; the Gateway's SchemaDefinition expects a string",
            "item 1 of `required` is a number; the Gateway's SchemaDefinition expects a string",
        ]
    );
    assert!(diagnostics.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn required_not_in_properties() {
    let d = load(json!([tool(
        "a",
        json!({
            "type": "object",
            "properties": {
                "a": {"type": "string"},
                "nested": {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["y"]}
            },
            "required": ["a", "b"]
        })
    )]));
    let diagnostics = lint(&d);
    assert_eq!(
        found(&d),
        [
            (
                "required_not_in_properties",
                "/0/inputSchema/properties/nested/required/0".to_owned()
            ),
            (
                "required_not_in_properties",
                "/0/inputSchema/required/1".to_owned()
            ),
        ]
    );
    assert_eq!(
        diagnostics[1].message,
        "`b` is required but `properties` does not declare it; expected a property named `b` (or \
         remove it from `required`)"
    );
    // Without any `properties`, in CloudFormation casing and in an array's items.
    let d = load(json!([{
        "Name": "a", "Description": "d",
        "InputSchema": {"Type": "object", "Required": ["q"], "Properties": {
            "rows": {"Type": "array", "Items": {"Type": "object", "Required": ["id"]}}
        }}
    }]));
    assert_eq!(
        found(&d),
        [
            (
                "required_not_in_properties",
                "/0/InputSchema/Properties/rows/Items/Required/0".to_owned()
            ),
            (
                "required_not_in_properties",
                "/0/InputSchema/Required/0".to_owned()
            ),
        ]
    );
    let d = load(json!([tool(
        "a",
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]})
    )]));
    assert_eq!(found(&d), []);
}

#[test]
fn tool_name_over_quota() {
    let long = "a".repeat(MAX_TOOL_NAME_CHARS + 1);
    let d = load(json!([tool(&long, json!({"type": "object"}))]));
    let over = with_code(&d, LintCode::ToolNameOverQuota);
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].pointer.as_str(), "/0/name");
    assert_eq!(
        over[0].message,
        "the tool name has 257 characters; the default quota is 256 (adjustable)"
    );
    let exactly = "a".repeat(MAX_TOOL_NAME_CHARS);
    let d = load(json!([tool(&exactly, json!({"type": "object"}))]));
    assert_eq!(with_code(&d, LintCode::ToolNameOverQuota), []);
    // An MCP tools/list is not a target payload: the quota does not apply.
    let d = load(json!({"tools": [{"name": long, "inputSchema": {"type": "object"}}]}));
    assert_eq!(with_code(&d, LintCode::ToolNameOverQuota), []);
}

#[test]
fn tool_name_not_recommended() {
    let d = load(json!([tool(
        "get weather! now!",
        json!({"type": "object"})
    )]));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::ToolNameNotRecommended);
    assert_eq!(diagnostic.severity, Severity::Warning);
    assert_eq!(diagnostic.pointer.as_str(), "/0/name");
    assert_eq!(
        diagnostic.message,
        "the tool name contains ' ', '!'; MCP recommends 1 to 128 characters of A-Z a-z 0-9 _ - ."
    );
    let d = load(json!({"tools": [{"name": "", "inputSchema": {"type": "object"}}]}));
    assert_eq!(
        only(&d).message.split(';').next(),
        Some("the tool name is empty")
    );
    let d = load(json!([tool(
        &"a".repeat(MCP_TOOL_NAME_MAX_CHARS + 1),
        json!({"type": "object"})
    )]));
    assert_eq!(
        only(&d).message.split(';').next(),
        Some("the tool name has 129 characters")
    );
    let d = load(json!([
        tool(
            &"a".repeat(MCP_TOOL_NAME_MAX_CHARS),
            json!({"type": "object"})
        ),
        tool("v1.get-item_2", json!({"type": "object"}))
    ]));
    assert_eq!(found(&d), []);

    // With a known target, MCP clients see `<target>___<tool>`.
    let mut d = load(json!([tool(&"a".repeat(100), json!({"type": "object"}))]));
    d.target_name = Some("t".repeat(26));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::ToolNameNotRecommended);
    assert!(
        diagnostic
            .message
            .ends_with(", 129 characters; MCP recommends at most 128"),
        "{}",
        diagnostic.message
    );
    d.target_name = Some("t".repeat(25));
    assert_eq!(found(&d), []);
}

#[test]
fn combined_tool_name() {
    let d = load(json!([tool(
        "OrderTools___get_order",
        json!({"type": "object"})
    )]));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::CombinedToolName);
    assert_eq!(diagnostic.pointer.as_str(), "/0/name");
    assert_eq!(
        diagnostic.message,
        "`OrderTools___get_order` contains `___`, the separator the Gateway puts between target \
         and tool names: it looks like `<target>___<tool>` (target `OrderTools`, tool \
         `get_order`) as a Gateway's tools/list shows it; the Gateway adds the prefix itself, so \
         a Lambda target should declare `get_order`"
    );
    let d = load(json!([tool("get__order_by_id", json!({"type": "object"}))]));
    assert_eq!(found(&d), []);
}

fn many_tools(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| {
                tool(
                    &format!("tool_{i}"),
                    object(json!({"id": {"type": "string", "description": "the id"}, "n": {"type": "integer"}})),
                )
            })
            .collect(),
    )
}

#[test]
fn too_many_tools() {
    let d = load(many_tools(MAX_TOOLS_PER_TARGET + 1));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::TooManyTools);
    assert_eq!(diagnostic.severity, Severity::Warning);
    assert!(diagnostic.pointer.is_root());
    assert_eq!(
        diagnostic.message,
        "1001 tools; the default quota is 1000 tools per target (adjustable): split them over \
         several targets"
    );
    assert_eq!(found(&load(many_tools(MAX_TOOLS_PER_TARGET))), []);
    let d = load(json!({"tools": many_tools(MAX_TOOLS_PER_TARGET + 1)}));
    assert_eq!(found(&d), []);
}

#[test]
fn inline_payload_too_large() {
    let mut big = tool("a", json!({"type": "object"}));
    big["description"] = json!("x".repeat(MAX_INLINE_PAYLOAD_BYTES));
    let d = load(json!({"inlinePayload": [big]}));
    let diagnostic = only(&d);
    assert_eq!(diagnostic.code, LintCode::InlinePayloadTooLarge);
    assert_eq!(diagnostic.pointer.as_str(), "/inlinePayload");
    assert_eq!(
        diagnostic.message,
        "the inline payload is 1000063 bytes of compact JSON; the default quota is 1 MB \
         (adjustable): store larger tool schemas in S3 (10 MB quota)"
    );
    let mut fits = tool("a", json!({"type": "object"}));
    fits["description"] = json!("x".repeat(MAX_INLINE_PAYLOAD_BYTES - 100));
    assert_eq!(found(&load(json!({"inlinePayload": [fits]}))), []);
}

#[test]
fn diagnostics_are_sorted_by_document_order_then_severity() {
    let mut list: Vec<Value> = (0..12)
        .map(|i| tool(&format!("t{i}"), json!({"type": "object"})))
        .collect();
    list[10]["inputSchema"] =
        json!({"type": "object", "properties": {"x": {"type": "string", "format": "date"}}});
    list[2]["inputSchema"] = json!({"type": "string", "minLength": 1});
    list[2]["title"] = json!("T");
    let d = load(Value::Array(list));
    // Pointer token by token: indices numerically, keys alphabetically.
    assert_eq!(
        found(&d),
        [
            (
                "keyword_outside_subset",
                "/2/inputSchema/minLength".to_owned()
            ),
            (
                "top_level_type_not_object",
                "/2/inputSchema/type".to_owned()
            ),
            ("unknown_tool_member", "/2/title".to_owned()),
            (
                "keyword_outside_subset",
                "/10/inputSchema/properties/x/format".to_owned()
            ),
        ]
    );
    // At the same pointer, errors come first.
    let d =
        load(json!({"tools": [{"name": "a", "inputSchema": {"type": "object", "required": [3]}}]}));
    let diagnostics = lint(&d);
    let at: Vec<(&str, Severity, &str)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.severity, d.pointer.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (
                "contract_violation",
                Severity::Error,
                "/tools/0/inputSchema/required/0"
            ),
            (
                "malformed_schema_definition",
                Severity::Warning,
                "/tools/0/inputSchema/required/0"
            ),
        ]
    );
}

#[test]
fn diagnostics_serialize_with_stable_names() {
    let d = load(json!([tool("a b", json!({"type": "object"}))]));
    assert_eq!(
        serde_json::to_value(lint(&d)).unwrap(),
        json!([{
            "severity": "warning",
            "code": "tool_name_not_recommended",
            "pointer": "/0/name",
            "message": "the tool name contains ' '; MCP recommends 1 to 128 characters of A-Z a-z 0-9 _ - ."
        }])
    );
}

#[test]
fn linting_a_thousand_tools_is_fast() {
    let mut list = many_tools(MAX_TOOLS_PER_TARGET);
    // Give every tool something to report, so that the error paths are timed too.
    for t in list.as_array_mut().unwrap() {
        t["inputSchema"]["properties"]["id"]["enum"] = json!(["a", "b"]);
    }
    let d = load(list);
    let _warm = lint(&d);
    let start = Instant::now();
    let diagnostics = lint(&d);
    let elapsed = start.elapsed();
    assert_eq!(diagnostics.len(), MAX_TOOLS_PER_TARGET);
    // A bound no loaded machine misses (about 50 ms when quiet; a quadratic pass takes
    // minutes): speed itself is measured by the benchmarks, not asserted here.
    assert!(
        elapsed < Duration::from_secs(60),
        "linting 1,000 tools took {elapsed:?}"
    );
}
