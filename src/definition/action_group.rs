//! Amazon Bedrock Agents action groups: what a definition declares, and loading a
//! `create_agent_action_group` request (`functionSchema`, or `apiSchema.payload` holding an
//! OpenAPI document as JSON or YAML text).
//!
//! Each function or OpenAPI operation becomes a [`Tool`] whose [`Tool::action`] says what the
//! agent's event carries to call it, and whose `input_schema` is a JSON Schema derived from the
//! parameters, so that the schema generator produces arguments for it. Like the Gateway loader,
//! this one refuses only what the harness cannot use; everything the service might refuse is the
//! linter's business.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::describe::describe;
use super::{
    Definition, DefinitionError, DefinitionErrorKind, DefinitionKind, KeyCasing, MAX_DEPTH, Tool,
    describe::deeper_than, openapi, yaml,
};
use crate::pointer::JsonPointer;

/// What an action-group definition declares besides its tools.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ActionGroupDeclaration {
    /// The action group's name: what every event carries as `actionGroup`.
    pub name: String,
    /// Where the name is in the file (`/actionGroupName`), or `None` when the caller gave it
    /// (a bare OpenAPI document).
    pub name_pointer: Option<JsonPointer>,
    /// The OpenAPI document, for OpenAPI action groups.
    #[serde(skip)]
    pub openapi: Option<OpenApiDocument>,
}

/// An action group's OpenAPI document, parsed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct OpenApiDocument {
    /// The document.
    pub document: Value,
    /// Where it sits in the file: the root for a bare OpenAPI file, `/apiSchema/payload` for a
    /// request. Pointers into the document are written after it, so a pointer into a payload
    /// continues through the text: `/apiSchema/payload/paths/~1claims/get`.
    pub pointer: JsonPointer,
    /// Whether the text was JSON or YAML.
    pub format: TextFormat,
}

/// The syntax an OpenAPI document was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextFormat {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// What the agent's event carries to call one tool of an action group.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Action {
    /// The action group's name (`actionGroup` in every event).
    pub action_group: String,
    /// The function, or the OpenAPI operation.
    pub target: ActionTarget,
    /// Pointer prefixes in `input_schema`, each with the place in the file it was derived from
    /// (longest prefix wins).
    #[serde(skip)]
    pub(crate) origins: Vec<(JsonPointer, JsonPointer)>,
}

impl Action {
    /// The place in the file of `relative`, a pointer into the tool's derived input schema.
    pub fn pointer_in_file(&self, relative: &JsonPointer) -> Option<JsonPointer> {
        let (prefix, origin) = self
            .origins
            .iter()
            .filter(|(prefix, _)| is_prefix(prefix, relative))
            .max_by_key(|(prefix, _)| prefix.as_str().len())?;
        let rest = &relative.as_str()[prefix.as_str().len()..];
        Some(origin.join(&JsonPointer::parse(rest).unwrap_or_default()))
    }
}

fn is_prefix(prefix: &JsonPointer, pointer: &JsonPointer) -> bool {
    let (p, s) = (prefix.as_str(), pointer.as_str());
    s.starts_with(p) && (s.len() == p.len() || s.as_bytes()[p.len()] == b'/')
}

/// A function or an OpenAPI operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionTarget {
    /// A function of a function schema (`function` in the event).
    Function(FunctionAction),
    /// An OpenAPI operation (`apiPath` and `httpMethod` in the event).
    Operation(ApiOperation),
}

/// A function of a function schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FunctionAction {
    /// The function's name (`function` in the event).
    pub function: String,
    /// Its parameters, in declaration order.
    pub parameters: Vec<FunctionParameter>,
}

/// One parameter of a function.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FunctionParameter {
    /// The name.
    pub name: String,
    /// The declared type as written (`string`, `number`, `integer`, `boolean`, `array`): the
    /// event's `type`.
    pub type_name: String,
    /// Whether the agent always sends it.
    pub required: bool,
    /// The description, if any.
    pub description: Option<String>,
}

/// An OpenAPI operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ApiOperation {
    /// The path template as declared (`apiPath` in the event, never substituted).
    pub api_path: String,
    /// The HTTP method in upper case (`httpMethod` in the event).
    pub http_method: String,
    /// The operationId, when declared as a string.
    pub operation_id: Option<String>,
    /// Path, query, header and cookie parameters (path-level ones merged in).
    pub parameters: Vec<ApiParameter>,
    /// The request body, if the operation declares one.
    pub request_body: Option<RequestBody>,
}

/// One parameter of an operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ApiParameter {
    /// The name.
    pub name: String,
    /// Where it goes (`path`, `query`, `header`, `cookie`).
    pub location: String,
    /// The schema's type (resolved through `$ref`), `string` when it declares none: the event's
    /// `type`.
    pub type_name: String,
    /// Whether the agent always sends it (path parameters always are).
    pub required: bool,
}

/// The request body of an operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RequestBody {
    /// The media type the event names (`application/json` when declared, else the first one).
    pub media_type: String,
    /// Whether the agent always sends a body.
    pub required: bool,
    /// Whether the body schema is an object (its top-level properties are what the event
    /// carries). How Bedrock encodes any other body is not documented.
    pub is_object: bool,
    /// The declared top-level properties with their types, in order.
    pub properties: Vec<BodyProperty>,
}

/// A top-level property of a request body.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BodyProperty {
    /// The name.
    pub name: String,
    /// The schema's type (resolved through `$ref`), `string` when it declares none.
    pub type_name: String,
}

/// The members of a request that make it an action group (any one is enough to try).
pub(super) const REQUEST_MEMBERS: [&str; 3] = ["actionGroupName", "functionSchema", "apiSchema"];

/// Loads a `create_agent_action_group` request.
pub(super) fn load_request(source: &Path, document: Value) -> Result<Definition, DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let root = JsonPointer::root();
    let Value::Object(map) = &document else {
        return Err(at(
            root,
            DefinitionErrorKind::WrongType {
                expected: "a create_agent_action_group request (an object)".to_owned(),
                found: describe(&document),
            },
        ));
    };
    let name = match map.get("actionGroupName") {
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(at(
                root.key("actionGroupName"),
                DefinitionErrorKind::WrongType {
                    expected: "a string (the action group name)".to_owned(),
                    found: describe(other),
                },
            ));
        }
        None => {
            return Err(at(
                root,
                DefinitionErrorKind::Missing {
                    member: "actionGroupName".to_owned(),
                    expected: "the action group name, a string".to_owned(),
                },
            ));
        }
    };
    let name_pointer = Some(root.key("actionGroupName"));
    match (map.get("functionSchema"), map.get("apiSchema")) {
        (Some(_), Some(_)) => Err(at(
            root,
            DefinitionErrorKind::Invalid(
                "the request holds both `functionSchema` and `apiSchema`; an action group is \
                 defined by exactly one of them"
                    .to_owned(),
            ),
        )),
        (None, None) => Err(at(
            root,
            DefinitionErrorKind::Invalid(
                "the request holds neither `functionSchema` nor `apiSchema`: it declares no \
                 functions or operations, so there is no Lambda to check (groups with a \
                 `parentActionGroupSignature` such as AMAZON.UserInput are built in)"
                    .to_owned(),
            ),
        )),
        (Some(schema), None) => {
            let pointer = root.key("functionSchema");
            let functions = functions(source, schema, &pointer)?;
            let tools_pointer = pointer.key("functions");
            let tools = read_functions(source, functions, &tools_pointer, &name)?;
            Ok(Definition {
                source: source.to_owned(),
                kind: DefinitionKind::ActionGroupFunctions,
                target_name: None,
                tools,
                tools_pointer,
                action_group: Some(ActionGroupDeclaration {
                    name,
                    name_pointer,
                    openapi: None,
                }),
                interceptor: None,
                document,
                resource: None,
            })
        }
        (None, Some(schema)) => {
            let pointer = root.key("apiSchema");
            let (text, pointer) = payload(source, schema, pointer)?;
            let parsed = parse_openapi_text(source, text, &pointer)?;
            let tools = openapi::tools(source, &parsed, &name)?;
            Ok(Definition {
                source: source.to_owned(),
                kind: DefinitionKind::ActionGroupOpenApi,
                target_name: None,
                tools,
                tools_pointer: parsed.pointer.key("paths"),
                action_group: Some(ActionGroupDeclaration {
                    name,
                    name_pointer,
                    openapi: Some(parsed),
                }),
                interceptor: None,
                document,
                resource: None,
            })
        }
    }
}

/// Loads a bare OpenAPI document (JSON or YAML text) as the action group `name`.
pub(super) fn load_openapi(
    source: &Path,
    text: &str,
    name: &str,
) -> Result<Definition, DefinitionError> {
    if name.is_empty() {
        return Err(DefinitionError::new(
            source,
            JsonPointer::root(),
            DefinitionErrorKind::Invalid(
                "the action group name is empty: give the name the group is deployed under"
                    .to_owned(),
            ),
        ));
    }
    let parsed = parse_openapi_text(source, text, &JsonPointer::root())?;
    let tools = openapi::tools(source, &parsed, name)?;
    Ok(Definition {
        source: source.to_owned(),
        kind: DefinitionKind::OpenApi,
        target_name: None,
        tools,
        tools_pointer: JsonPointer::root().key("paths"),
        document: parsed.document.clone(),
        action_group: Some(ActionGroupDeclaration {
            name: name.to_owned(),
            name_pointer: None,
            openapi: Some(parsed),
        }),
        interceptor: None,
        resource: None,
    })
}

/// Parses an OpenAPI document written as JSON (text starting with `{`) or YAML.
fn parse_openapi_text(
    source: &Path,
    text: &str,
    pointer: &JsonPointer,
) -> Result<OpenApiDocument, DefinitionError> {
    let at = |kind| DefinitionError::new(source, pointer.clone(), kind);
    let (document, format) = if text.trim_start().starts_with('{') {
        let document = super::parse_json(source, text, pointer)?;
        (document, TextFormat::Json)
    } else {
        let document = yaml::parse(text).map_err(|e| {
            at(DefinitionErrorKind::MalformedYaml {
                line: e.line,
                column: e.column,
                message: e.message,
            })
        })?;
        (document, TextFormat::Yaml)
    };
    if let Some(deep) = deeper_than(&document, MAX_DEPTH) {
        return Err(DefinitionError::new(
            source,
            pointer.join(&deep),
            DefinitionErrorKind::TooDeep { limit: MAX_DEPTH },
        ));
    }
    Ok(OpenApiDocument {
        document,
        pointer: pointer.clone(),
        format,
    })
}

/// The `payload` text of the `apiSchema` union at `pointer`.
fn payload<'a>(
    source: &Path,
    schema: &'a Value,
    pointer: JsonPointer,
) -> Result<(&'a str, JsonPointer), DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let Value::Object(map) = schema else {
        return Err(at(
            pointer,
            DefinitionErrorKind::WrongType {
                expected: "an object with `payload`, the OpenAPI document as text".to_owned(),
                found: describe(schema),
            },
        ));
    };
    match (map.get("payload"), map.get("s3")) {
        (Some(_), Some(_)) => Err(at(
            pointer,
            DefinitionErrorKind::Invalid(
                "the API schema holds both `payload` and `s3`; it is a union: expected exactly \
                 one of them"
                    .to_owned(),
            ),
        )),
        (Some(Value::String(text)), None) => Ok((text, pointer.key("payload"))),
        (Some(other), None) => Err(at(
            pointer.key("payload"),
            DefinitionErrorKind::WrongType {
                expected: "a string (the OpenAPI document as JSON or YAML text)".to_owned(),
                found: describe(other),
            },
        )),
        (None, Some(location)) => {
            let field = |k: &str| location.get(k).and_then(Value::as_str).map(str::to_owned);
            Err(at(
                pointer.key("s3"),
                DefinitionErrorKind::S3ApiSchema {
                    bucket: field("s3BucketName"),
                    key: field("s3ObjectKey"),
                },
            ))
        }
        (None, None) => Err(at(
            pointer,
            DefinitionErrorKind::Missing {
                member: "payload".to_owned(),
                expected: format!(
                    "the OpenAPI document as JSON or YAML text (the API schema is {})",
                    describe(schema)
                ),
            },
        )),
    }
}

/// The `functions` list of the `functionSchema` union at `pointer`.
fn functions<'a>(
    source: &Path,
    schema: &'a Value,
    pointer: &JsonPointer,
) -> Result<&'a [Value], DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let Some(functions) = schema.get("functions") else {
        return Err(at(
            pointer.clone(),
            if schema.is_object() {
                DefinitionErrorKind::Missing {
                    member: "functions".to_owned(),
                    expected: "the list of functions".to_owned(),
                }
            } else {
                DefinitionErrorKind::WrongType {
                    expected: "an object with `functions`, the list of functions".to_owned(),
                    found: describe(schema),
                }
            },
        ));
    };
    let pointer = pointer.key("functions");
    let Value::Array(list) = functions else {
        return Err(at(
            pointer,
            DefinitionErrorKind::WrongType {
                expected: "an array (the list of functions)".to_owned(),
                found: describe(functions),
            },
        ));
    };
    if list.is_empty() {
        return Err(at(pointer, DefinitionErrorKind::NoTools));
    }
    Ok(list)
}

fn read_functions(
    source: &Path,
    list: &[Value],
    pointer: &JsonPointer,
    group: &str,
) -> Result<Vec<Tool>, DefinitionError> {
    let mut tools = Vec::with_capacity(list.len());
    let mut first_seen: HashMap<String, JsonPointer> = HashMap::new();
    for (i, value) in list.iter().enumerate() {
        let tool = read_function(source, value, pointer.index(i), group)?;
        if let Some(first) = first_seen.get(&tool.name) {
            return Err(DefinitionError::new(
                source,
                tool.pointer.key("name"),
                DefinitionErrorKind::DuplicateTool {
                    name: tool.name,
                    first: first.clone(),
                },
            ));
        }
        first_seen.insert(tool.name.clone(), tool.pointer.clone());
        tools.push(tool);
    }
    Ok(tools)
}

/// The JSON Schema of a function parameter's values, by declared type. A type outside the
/// documented five is generated as a string (the linter reports it as an error).
fn parameter_schema(type_name: &str) -> Value {
    match type_name {
        "number" | "integer" | "boolean" | "array" => json!({ "type": type_name }),
        _ => json!({ "type": "string" }),
    }
}

fn read_function(
    source: &Path,
    value: &Value,
    pointer: JsonPointer,
    group: &str,
) -> Result<Tool, DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let Value::Object(function) = value else {
        return Err(at(
            pointer,
            DefinitionErrorKind::WrongType {
                expected: "a function: an object with `name`, `description` and `parameters`"
                    .to_owned(),
                found: describe(value),
            },
        ));
    };
    let name = match function.get("name") {
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(at(
                pointer.key("name"),
                DefinitionErrorKind::WrongType {
                    expected: "a string (the function name)".to_owned(),
                    found: describe(other),
                },
            ));
        }
        None => {
            return Err(at(
                pointer,
                DefinitionErrorKind::Missing {
                    member: "name".to_owned(),
                    expected: "the function name, a string".to_owned(),
                },
            ));
        }
    };
    let mut parameters = Vec::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut origins = Vec::new();
    match function.get("parameters") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (param, detail) in map {
                let Value::Object(detail) = detail else {
                    return Err(at(
                        pointer.key("parameters").key(param),
                        DefinitionErrorKind::WrongType {
                            expected: "a parameter: an object with `type`, `required` and \
                                       `description`"
                                .to_owned(),
                            found: describe(detail),
                        },
                    ));
                };
                let type_name = detail
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("string")
                    .to_owned();
                let is_required = detail.get("required") == Some(&Value::Bool(true));
                let description = detail
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let mut schema = parameter_schema(&type_name);
                if let Some(d) = &description {
                    schema["description"] = Value::from(d.as_str());
                }
                properties.insert(param.clone(), schema);
                if is_required {
                    required.push(Value::from(param.as_str()));
                }
                origins.push((
                    JsonPointer::root().key("properties").key(param),
                    pointer.key("parameters").key(param),
                ));
                parameters.push(FunctionParameter {
                    name: param.clone(),
                    type_name,
                    required: is_required,
                    description,
                });
            }
        }
        Some(other) => {
            return Err(at(
                pointer.key("parameters"),
                DefinitionErrorKind::WrongType {
                    expected: "an object mapping parameter names to their details".to_owned(),
                    found: describe(other),
                },
            ));
        }
    }
    origins.push((JsonPointer::root(), pointer.clone()));
    let input_schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    Ok(Tool {
        name: name.clone(),
        description: function
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        input_schema,
        output_schema: None,
        pointer,
        casing: KeyCasing::CamelCase,
        action: Some(Action {
            action_group: group.to_owned(),
            target: ActionTarget::Function(FunctionAction {
                function: name,
                parameters,
            }),
            origins,
        }),
    })
}

/// Why toolcontract cannot check `tool`, if it cannot (besides its input schema): an OpenAPI
/// request body that is not an object, whose encoding in the event is not documented. Lint
/// reports it; the action-group harness refuses the definition with it.
pub(crate) fn unsupported_tool(tool: &Tool) -> Option<String> {
    let ActionTarget::Operation(operation) = &tool.action.as_ref()?.target else {
        return None;
    };
    let body = operation.request_body.as_ref()?;
    (!body.is_object).then(|| {
        format!(
            "toolcontract cannot build events for operation `{}`: its {} request body is not an \
             object, and how Bedrock passes anything but an object's top-level properties is \
             not documented",
            tool.name, body.media_type
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_map_the_longest_prefix() {
        let p = |s: &str| JsonPointer::parse(s).unwrap();
        let action = Action {
            action_group: "g".to_owned(),
            target: ActionTarget::Function(FunctionAction {
                function: "f".to_owned(),
                parameters: Vec::new(),
            }),
            origins: vec![
                (p(""), p("/functionSchema/functions/0")),
                (
                    p("/properties/a"),
                    p("/functionSchema/functions/0/parameters/a"),
                ),
            ],
        };
        assert_eq!(
            action.pointer_in_file(&p("/properties/a/type")).unwrap(),
            p("/functionSchema/functions/0/parameters/a/type")
        );
        assert_eq!(
            action.pointer_in_file(&p("/properties/ab")).unwrap(),
            p("/functionSchema/functions/0/properties/ab")
        );
    }
}
