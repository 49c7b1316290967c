//! Action-group definitions: the accepted forms, the tools they give, the errors that name
//! file and pointer, and the lint rules.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Value, json};
use toolcontract::definition::{
    ActionTarget, Definition, DefinitionError, DefinitionErrorKind, DefinitionKind, TextFormat,
};
use toolcontract::lint::{LintCode, Severity, lint, lint_for_check};
use toolcontract::{ActionGroup, JsonPointer};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/agents");

fn p(s: &str) -> JsonPointer {
    JsonPointer::parse(s).unwrap()
}

fn error(document: Value) -> DefinitionError {
    Definition::from_value("group.json", document).unwrap_err()
}

fn function(definition: &Definition, i: usize) -> &toolcontract::definition::FunctionAction {
    match &definition.tools[i].action.as_ref().unwrap().target {
        ActionTarget::Function(f) => f,
        other => panic!("{other:?}"),
    }
}

fn operation(definition: &Definition, i: usize) -> &toolcontract::definition::ApiOperation {
    match &definition.tools[i].action.as_ref().unwrap().target {
        ActionTarget::Operation(o) => o,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_function_schema_request_gives_one_tool_per_function() {
    let d = Definition::from_path(format!("{DATA}/function-request.json")).unwrap();
    assert_eq!(d.kind, DefinitionKind::ActionGroupFunctions);
    assert!(d.kind.is_action_group() && !d.kind.is_gateway() && !d.kind.is_openapi());
    let group = d.action_group.as_ref().unwrap();
    assert_eq!(group.name, "TableBookings");
    assert_eq!(group.name_pointer, Some(p("/actionGroupName")));
    assert_eq!(d.tools_pointer, p("/functionSchema/functions"));
    let names: Vec<&str> = d.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["get_booking", "create_booking", "list_bookings"]);
    assert_eq!(d.tools[1].pointer, p("/functionSchema/functions/1"));
    assert_eq!(d.tools[1].description.as_deref(), Some("Book a table"));

    let create = function(&d, 1);
    assert_eq!(create.function, "create_booking");
    let params: Vec<(&str, &str, bool)> = create
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.type_name.as_str(), p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("budget", "number", false),
            ("date", "string", true),
            ("guests", "integer", true),
            ("tags", "array", false),
            ("terrace", "boolean", false)
        ]
    );
    // The input schema the generator works from.
    assert_eq!(
        d.tools[1].input_schema,
        json!({
            "type": "object",
            "properties": {
                "budget": {"type": "number"},
                "date": {"type": "string", "description": "YYYY-MM-DD"},
                "guests": {"type": "integer"},
                "tags": {"type": "array", "description": "Wishes, e.g. [\"window\"]"},
                "terrace": {"type": "boolean"}
            },
            "required": ["date", "guests"],
            "additionalProperties": false
        })
    );
    assert_eq!(
        d.tools[2].input_schema,
        json!({"type": "object", "properties": {}, "required": [], "additionalProperties": false})
    );
    // Pointers into the derived schema map back to the parameters they came from.
    let tool = &d.tools[1];
    assert_eq!(
        d.pointer_in_file(&tool.input_schema_pointer(), &p("/properties/tags/items")),
        p("/functionSchema/functions/1/parameters/tags/items")
    );
    assert_eq!(
        d.pointer_in_file(&tool.input_schema_pointer(), &p("/required")),
        p("/functionSchema/functions/1/required")
    );
    assert!(lint(&d).is_empty(), "{:#?}", lint(&d));
}

#[test]
fn an_api_schema_payload_in_yaml_gives_one_tool_per_operation() {
    let d = Definition::from_path(format!("{DATA}/openapi-request.json")).unwrap();
    assert_eq!(d.kind, DefinitionKind::ActionGroupOpenApi);
    let openapi = d.action_group.as_ref().unwrap().openapi.as_ref().unwrap();
    assert_eq!(openapi.format, TextFormat::Yaml);
    assert_eq!(openapi.pointer, p("/apiSchema/payload"));
    assert_eq!(d.tools_pointer, p("/apiSchema/payload/paths"));
    let names: Vec<&str> = d.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["listClaims", "getClaim", "remind"]);
    assert_eq!(
        d.tools[1].pointer,
        p("/apiSchema/payload/paths/~1claims~1{claimId}/get")
    );

    let list = operation(&d, 0);
    assert_eq!(
        (list.api_path.as_str(), list.http_method.as_str()),
        ("/claims", "GET")
    );
    let params: Vec<(&str, &str, &str, bool)> = list
        .parameters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.location.as_str(),
                p.type_name.as_str(),
                p.required,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("limit", "query", "integer", false),
            ("X-Tenant", "header", "string", true)
        ]
    );
    assert!(list.request_body.is_none());

    // Path-level parameters apply to every operation of the path.
    let get = operation(&d, 1);
    assert_eq!(get.api_path, "/claims/{claimId}");
    assert_eq!(get.parameters[0].name, "claimId");
    assert!(get.parameters[0].required);

    let remind = operation(&d, 2);
    assert_eq!(remind.http_method, "POST");
    let body = remind.request_body.as_ref().unwrap();
    assert_eq!(body.media_type, "application/json");
    assert!(body.required && body.is_object);
    let props: Vec<(&str, &str)> = body
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.type_name.as_str()))
        .collect();
    assert_eq!(
        props,
        [
            ("channel", "string"),
            ("documents", "string"),
            ("urgent", "boolean")
        ]
    );
    // OpenAPI 3.0 schemas become JSON Schema 2020-12; referenced components become $defs.
    assert_eq!(
        d.tools[2].input_schema,
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "parameters": {
                    "type": "object",
                    "properties": {
                        "claimId": {"type": "string", "description": "The claim's id"}
                    },
                    "required": ["claimId"],
                    "additionalProperties": false
                },
                "requestBody": {"$ref": "#/$defs/Reminder"}
            },
            "required": ["parameters", "requestBody"],
            "$defs": {
                "Reminder": {
                    "type": "object",
                    "required": ["documents"],
                    "properties": {
                        "documents": {"type": "string", "examples": ["id card"]},
                        "channel": {"$ref": "#/$defs/Channel"},
                        "urgent": {"type": ["boolean", "null"]}
                    }
                },
                "Channel": {"type": "string", "description": "email or sms"}
            }
        })
    );
    assert_eq!(
        d.tools[0].input_schema["properties"]["parameters"]["properties"]["limit"],
        json!({"type": "integer", "minimum": 1, "maximum": 50})
    );
    // Pointers continue into the payload.
    let tool = &d.tools[2];
    let at = |relative: &str| d.pointer_in_file(&tool.input_schema_pointer(), &p(relative));
    assert_eq!(
        at("/properties/requestBody"),
        p(
            "/apiSchema/payload/paths/~1claims~1{claimId}/post/requestBody/content/application~1json/schema"
        )
    );
    assert_eq!(
        at("/$defs/Reminder/properties/urgent"),
        p("/apiSchema/payload/components/schemas/Reminder/properties/urgent")
    );
    assert_eq!(
        at("/properties/parameters/properties/claimId/type"),
        p("/apiSchema/payload/paths/~1claims~1{claimId}/parameters/0/schema/type")
    );
    let list = &d.tools[0];
    assert_eq!(
        d.pointer_in_file(
            &list.input_schema_pointer(),
            &p("/properties/parameters/properties/limit/maximum")
        ),
        p("/apiSchema/payload/components/parameters/Limit/schema/maximum")
    );
    assert!(lint(&d).is_empty(), "{:#?}", lint(&d));
}

#[test]
fn a_bare_openapi_document_takes_its_name_from_the_caller() {
    let yaml = Definition::from_openapi_path(format!("{DATA}/claims.yaml"), "Claims").unwrap();
    assert_eq!(yaml.kind, DefinitionKind::OpenApi);
    assert_eq!(yaml.tools_pointer, p("/paths"));
    assert_eq!(yaml.tools[1].pointer, p("/paths/~1claims~1{claimId}/get"));
    let group = yaml.action_group.as_ref().unwrap();
    assert_eq!(
        (group.name.as_str(), group.name_pointer.as_ref()),
        ("Claims", None)
    );
    // The same tools as the request holding the same document.
    let request = Definition::from_path(format!("{DATA}/openapi-request.json")).unwrap();
    for (a, b) in yaml.tools.iter().zip(&request.tools) {
        assert_eq!((&a.name, &a.input_schema), (&b.name, &b.input_schema));
    }
    // JSON text works too.
    let json_text = serde_json::to_string(&group.openapi.as_ref().unwrap().document).unwrap();
    let from_json = Definition::from_openapi_str("claims.json", &json_text, "Claims").unwrap();
    assert_eq!(
        from_json.action_group.unwrap().openapi.unwrap().format,
        TextFormat::Json
    );
    assert_eq!(from_json.tools.len(), 3);
    assert!(lint(&yaml).is_empty(), "{:#?}", lint(&yaml));
}

#[test]
fn an_operation_without_operation_id_is_named_by_method_and_path() {
    let d = Definition::from_openapi_str(
        "x.yaml",
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      description: d\n      responses: {}\n",
        "G",
    )
    .unwrap();
    assert_eq!(d.tools[0].name, "GET /a");
    let codes: Vec<(LintCode, String)> = lint(&d)
        .into_iter()
        .map(|d| (d.code, d.pointer.to_string()))
        .collect();
    assert_eq!(
        codes,
        [(LintCode::IncompleteOperation, "/paths/~1a/get".to_owned())]
    );
}

#[test]
fn openapi_documents_given_where_a_request_is_expected_ask_for_a_name() {
    let message = "not a tool definition: this is an OpenAPI document: load it as an action \
                   group with the name it is deployed under (`--action-group NAME`, or \
                   `Definition::from_openapi_path(path, name)`), or pass the \
                   create_agent_action_group request that holds it";
    let e = error(json!({"openapi": "3.0.0", "paths": {}}));
    assert_eq!(e.kind.to_string(), message);
    let e = Definition::from_str("claims.yaml", "openapi: 3.0.0\npaths: {}\n").unwrap_err();
    assert_eq!(e.kind.to_string(), message);
    assert_eq!(e.file, Path::new("claims.yaml"));
}

#[test]
fn loader_errors_name_the_pointer() {
    let cases = [
        (
            json!({"actionGroupName": 7, "functionSchema": {"functions": []}}),
            "/actionGroupName",
            "expected a string (the action group name), found a number (7)",
        ),
        (
            json!({"functionSchema": {"functions": []}}),
            "",
            "`actionGroupName` is missing: expected the action group name, a string",
        ),
        (
            json!({"actionGroupName": "g"}),
            "",
            "the request holds neither `functionSchema` nor `apiSchema`: it declares no \
             functions or operations, so there is no Lambda to check (groups with a \
             `parentActionGroupSignature` such as AMAZON.UserInput are built in)",
        ),
        (
            json!({"actionGroupName": "g", "functionSchema": {}, "apiSchema": {}}),
            "",
            "the request holds both `functionSchema` and `apiSchema`; an action group is \
             defined by exactly one of them",
        ),
        (
            json!({"actionGroupName": "g", "functionSchema": {"functions": {}}}),
            "/functionSchema/functions",
            "expected an array (the list of functions), found an empty object",
        ),
        (
            json!({"actionGroupName": "g", "functionSchema": {"functions": [{"name": "f"}, {"name": "f"}]}}),
            "/functionSchema/functions/1/name",
            "tool `f` is declared twice (first at /functionSchema/functions/0)",
        ),
        (
            json!({"actionGroupName": "g", "functionSchema": {"functions": [{"description": "d"}]}}),
            "/functionSchema/functions/0",
            "`name` is missing: expected the function name, a string",
        ),
        (
            json!({"actionGroupName": "g", "functionSchema": {"functions": [{"name": "f", "parameters": {"p": "string"}}]}}),
            "/functionSchema/functions/0/parameters/p",
            "expected a parameter: an object with `type`, `required` and `description`, found a \
             string (\"string\")",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"s3": {"s3BucketName": "b", "s3ObjectKey": "k.yaml"}}}),
            "/apiSchema/s3",
            "the OpenAPI document is stored in S3 (s3://b/k.yaml), which toolcontract does not \
             read: download it (e.g. `aws s3 cp s3://BUCKET/KEY openapi.yaml`) and pass it with \
             the action group's name (`--action-group NAME`), or put its text in \
             `apiSchema.payload`",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"payload": {"openapi": "3.0.0"}}}),
            "/apiSchema/payload",
            "expected a string (the OpenAPI document as JSON or YAML text), found an object with \
             key `openapi`",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"payload": "openapi: 3.0.0\npaths:\n  /a: [\n"}}),
            "/apiSchema/payload",
            "malformed YAML at line 4, column 1: ",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"payload": "openapi: 3.0.0\n"}}),
            "/apiSchema/payload",
            "`paths` is missing: expected the operations, by path template",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"payload": "swagger: '2.0'\npaths: {}\n"}}),
            "/apiSchema/payload/swagger",
            "a Swagger 2.0 document; Bedrock Agents take OpenAPI 3.0 (convert it, e.g. with \
             swagger2openapi)",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"payload": "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n"}}),
            "/apiSchema/payload/paths/~1a/get/parameters/0/$ref",
            "`$ref` a string (\"#/components/parameters/Nope\") cannot be resolved: toolcontract \
             follows references to `#/components/parameters/...` inside the document",
        ),
        (
            json!({"actionGroupName": "g", "apiSchema": {"payload": "openapi: 3.0.0\npaths: {}\n"}}),
            "/apiSchema/payload/paths",
            "the definition declares no tools: expected at least one tool definition",
        ),
    ];
    for (document, pointer, message) in cases {
        let e = error(document.clone());
        assert_eq!(e.file, Path::new("group.json"));
        assert_eq!(e.pointer.as_str(), pointer, "{document}: {e}");
        assert!(e.kind.to_string().starts_with(message), "{document}: {e}");
    }
    let e = Definition::from_openapi_str("x.yaml", "openapi: 3.0.0\npaths: {}\n", "").unwrap_err();
    assert!(
        e.kind
            .to_string()
            .starts_with("the action group name is empty"),
        "{e}"
    );
    let e = Definition::from_openapi_path("/nonexistent/openapi.yaml", "g").unwrap_err();
    assert!(matches!(e.kind, DefinitionErrorKind::Io(_)), "{e}");
}

/// (code, pointer) of every diagnostic.
fn diagnostics(definition: &Definition) -> Vec<(&'static str, String)> {
    lint(definition)
        .into_iter()
        .map(|d| (d.code.as_str(), d.pointer.as_str().to_owned()))
        .collect()
}

#[test]
fn lint_reports_every_broken_rule_of_a_request() {
    let parameters: serde_json::Map<String, Value> = (0..6)
        .map(|i| (format!("p{i}"), json!({"type": "string"})))
        .collect();
    let mut functions = vec![
        json!({
            "name": "get order",
            "description": "",
            "parameters": {
                "id": {"type": "object", "description": "x".repeat(501)},
                "bad name": {"type": "string", "required": "yes"}
            },
            "requireConfirmation": "YES"
        }),
        json!({"name": "wide", "parameters": parameters}),
    ];
    functions.extend((0..10).map(|i| json!({"name": format!("f{i}")})));
    let d = Definition::from_value(
        "group.json",
        json!({
            "actionGroupName": "my group",
            "agentId": "short",
            "agentVersion": "1",
            "clientToken": "too-short",
            "description": "d".repeat(201),
            "actionGroupState": "ON",
            "actionGroupExecutor": {"lambda": "arn", "customControl": "RETURN_CONTROL"},
            "parentActionGroupSignature": "AMAZON.UserInput",
            "unknownMember": 1,
            "functionSchema": {"functions": functions}
        }),
    )
    .unwrap();
    assert_eq!(
        diagnostics(&d),
        [
            ("contract_violation", "".to_owned()),
            ("contract_violation", "/actionGroupExecutor".to_owned()),
            ("signature_conflict", "/actionGroupExecutor".to_owned()),
            (
                "return_control",
                "/actionGroupExecutor/customControl".to_owned()
            ),
            ("invalid_name", "/actionGroupName".to_owned()),
            ("contract_violation", "/actionGroupState".to_owned()),
            ("contract_violation", "/agentId".to_owned()),
            ("contract_violation", "/agentVersion".to_owned()),
            ("contract_violation", "/clientToken".to_owned()),
            ("contract_violation", "/description".to_owned()),
            ("signature_conflict", "/description".to_owned()),
            ("too_many_actions", "/functionSchema/functions".to_owned()),
            (
                "contract_violation",
                "/functionSchema/functions/0/description".to_owned()
            ),
            (
                "invalid_name",
                "/functionSchema/functions/0/name".to_owned()
            ),
            (
                "invalid_name",
                "/functionSchema/functions/0/parameters/bad name".to_owned()
            ),
            (
                "contract_violation",
                "/functionSchema/functions/0/parameters/bad name/required".to_owned()
            ),
            (
                "contract_violation",
                "/functionSchema/functions/0/parameters/id/description".to_owned()
            ),
            (
                "contract_violation",
                "/functionSchema/functions/0/parameters/id/type".to_owned()
            ),
            (
                "contract_violation",
                "/functionSchema/functions/0/requireConfirmation".to_owned()
            ),
            (
                "too_many_parameters",
                "/functionSchema/functions/1/parameters".to_owned()
            ),
        ]
    );
    let all = lint(&d);
    let message = |code: &str, pointer: &str| {
        all.iter()
            .find(|d| d.code.as_str() == code && d.pointer.as_str() == pointer)
            .unwrap()
            .message
            .clone()
    };
    assert_eq!(
        message("invalid_name", "/functionSchema/functions/0/name"),
        "name \"get order\" does not match ^([0-9a-zA-Z][_-]?){1,100}$: expected 1 to 100 \
         letters or digits, each optionally followed by one `_` or `-`"
    );
    assert_eq!(
        message("signature_conflict", "/description"),
        "`description` must be left out when `parentActionGroupSignature` is set: a built-in \
         action group has no description, API schema or executor"
    );
    assert_eq!(
        message("contract_violation", "/actionGroupExecutor"),
        "this union must hold exactly one member, found an object with keys `customControl`, \
         `lambda` (contract agents-create-action-group-request)"
    );
    assert_eq!(
        message(
            "too_many_parameters",
            "/functionSchema/functions/1/parameters"
        ),
        "function `wide` has 6 parameters; the service refuses more than 5 by default \
         (\"Validation failed for quota parameters-per-function\", an adjustable quota): split \
         the function or have the quota raised"
    );
    assert_eq!(
        message("too_many_actions", "/functionSchema/functions"),
        "12 functions; an action group holds at most 11 by default (an adjustable quota): split \
         them over several action groups or have the quota raised"
    );
    for diagnostic in &all {
        let expected = match diagnostic.code {
            LintCode::TooManyActions | LintCode::TooManyParameters | LintCode::ReturnControl => {
                Severity::Warning
            }
            _ => Severity::Error,
        };
        assert_eq!(diagnostic.severity, expected, "{diagnostic}");
    }
}

#[test]
fn lint_reports_every_broken_rule_of_an_openapi_document() {
    let text = r#"openapi: 3.1.0
paths:
  /items/{id}:
    get:
      operationId: get item
      description: One item
      requestBody:
        content:
          application/json:
            schema: {type: object}
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
            enum: [a, b]
      responses: {}
    delete:
      operationId: deleteItem
      description: Delete it
      responses: {}
      x-requireConfirmation: MAYBE
  /a-very-long-path-name-for-an-operation:
    post:
      operationId: aVeryLongOperationIdThatNoModelLikesAtAllBecauseItIsLong
      responses: {}
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Body'
components:
  schemas:
    Body:
      type: object
      properties:
        kind: {type: string, enum: [x, y]}
    OnlyInResponses:
      type: string
      enum: [p, q]
"#;
    let d = Definition::from_openapi_str("items.yaml", text, "the items").unwrap();
    assert_eq!(
        diagnostics(&d),
        [
            ("invalid_name", "".to_owned()),
            (
                "enum_unsupported",
                "/components/schemas/Body/properties/kind/enum".to_owned()
            ),
            ("unsupported_openapi_version", "/openapi".to_owned()),
            (
                "incomplete_operation",
                "/paths/~1a-very-long-path-name-for-an-operation/post".to_owned()
            ),
            (
                "tool_name_too_long",
                "/paths/~1a-very-long-path-name-for-an-operation/post/operationId".to_owned()
            ),
            // The space in the group's name.
            (
                "tool_name_too_long",
                "/paths/~1items~1{id}/delete/operationId".to_owned()
            ),
            (
                "contract_violation",
                "/paths/~1items~1{id}/delete/x-requireConfirmation".to_owned()
            ),
            (
                "invalid_operation_id",
                "/paths/~1items~1{id}/get/operationId".to_owned()
            ),
            (
                "tool_name_too_long",
                "/paths/~1items~1{id}/get/operationId".to_owned()
            ),
            (
                "enum_unsupported",
                "/paths/~1items~1{id}/get/parameters/0/schema/enum".to_owned()
            ),
            (
                "request_body_not_allowed",
                "/paths/~1items~1{id}/get/requestBody".to_owned()
            ),
        ]
    );
    let all = lint(&d);
    let message = |code: &str| {
        all.iter()
            .find(|d| d.code.as_str() == code)
            .unwrap()
            .message
            .clone()
    };
    assert_eq!(
        message("unsupported_openapi_version"),
        "`openapi` is \"3.1.0\"; Bedrock Agents accept OpenAPI 3.0.x (3.1 is rejected)"
    );
    assert_eq!(
        message("request_body_not_allowed"),
        "a GET operation cannot have a requestBody in a Bedrock Agents action group"
    );
    assert_eq!(
        message("incomplete_operation"),
        "the operation has no `description`; Bedrock Agents require `operationId`, \
         `description` and `responses` on every operation"
    );
    assert_eq!(
        message("invalid_name"),
        "the action group name given for this document: name \"the items\" does not match \
         ^([0-9a-zA-Z][_-]?){1,100}$: expected 1 to 100 letters or digits, each optionally \
         followed by one `_` or `-`"
    );
    assert!(
        message("tool_name_too_long").starts_with(
            "the model sees this operation as `post__the items__aVeryLongOperationIdThatNoModelLikesAtAllBecauseItIsLong` (73 characters)"
        ),
        "{}",
        message("tool_name_too_long")
    );
}

#[test]
fn lint_for_check_says_which_operations_check_refuses() {
    let text = "openapi: 3.0.0\npaths:\n  /upload:\n    post:\n      operationId: upload\n      description: d\n      responses: {}\n      requestBody:\n        content:\n          text/plain:\n            schema: {type: string}\n";
    let d = Definition::from_openapi_str("x.yaml", text, "Files").unwrap();
    let found: Vec<String> = lint_for_check(&d)
        .into_iter()
        .filter(|d| d.code == LintCode::NotGeneratable)
        .map(|d| format!("{} {}", d.pointer, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "/paths/~1upload/post toolcontract cannot build events for operation `upload`: its \
          text/plain request body is not an object, and how Bedrock passes anything but an \
          object's top-level properties is not documented; `check` will refuse it"
        ]
    );
    let e = ActionGroup::new(d).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("x.yaml: at /paths/~1upload/post: toolcontract cannot build"),
        "{e}"
    );
}

#[test]
fn a_gateway_definition_is_not_an_action_group() {
    let d = Definition::from_value(
        "tools.json",
        json!([{"name": "t", "description": "d", "inputSchema": {"type": "object"}}]),
    )
    .unwrap();
    let e = ActionGroup::new(d).unwrap_err();
    assert!(e.to_string().contains("is not an action group"), "{e}");
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "g",
            "",
            "string",
            "array",
            "3.0.0",
            "openapi: 3.0.0\npaths: {}",
            "#/components/schemas/A",
            "get",
            "{",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "actionGroupName",
                    "functionSchema",
                    "functions",
                    "apiSchema",
                    "payload",
                    "name",
                    "parameters",
                    "type",
                    "required",
                    "description",
                    "s3",
                    "openapi",
                    "paths",
                    "/a",
                    "get",
                    "post",
                    "requestBody",
                    "content",
                    "application/json",
                    "schema",
                    "$ref",
                    "in",
                    "operationId",
                    "components",
                    "schemas",
                    "A",
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
    /// Loading, linting and compiling never panic, whatever the document.
    #[test]
    fn no_action_group_document_makes_loading_or_linting_panic(document in arbitrary_json()) {
        match Definition::from_value("any.json", document.clone()) {
            Ok(definition) => {
                let _ = lint_for_check(&definition);
                let _ = ActionGroup::new(definition);
            }
            Err(e) => prop_assert_eq!(e.file, Path::new("any.json")),
        }
        // The same value as an OpenAPI payload, as JSON text and as YAML-ish text.
        let text = document.to_string();
        if let Ok(definition) = Definition::from_openapi_str("any.json", &text, "g") {
            let _ = lint_for_check(&definition);
        }
    }

    /// Arbitrary text never makes the YAML reader panic.
    #[test]
    fn no_text_makes_the_openapi_reader_panic(text in "(openapi: 3.0.0\n)?[ -~\n:\\-\\[\\]{}&*!|>'\"#]{0,200}") {
        if let Ok(definition) = Definition::from_openapi_str("any.yaml", &text, "g") {
            let _ = lint_for_check(&definition);
        }
    }
}
