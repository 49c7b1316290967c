//! An action group's OpenAPI 3.0 document, read into one [`Tool`] per operation.
//!
//! A tool is named by its `operationId`, or `<METHOD> <path>` when the operation has none (the
//! linter reports that). Its input schema is derived from the operation:
//!
//! ```json
//! {"type": "object", "additionalProperties": false,
//!  "properties": {
//!    "parameters": {"type": "object", "properties": {"<name>": <schema>}, "required": [...]},
//!    "requestBody": <the JSON body schema>},
//!  "required": ["parameters", "requestBody" if the body is required],
//!  "$defs": {<the components.schemas it refers to>}}
//! ```
//!
//! OpenAPI 3.0 schema objects are converted to JSON Schema 2020-12 on the way: `nullable: true`
//! adds `null` to `type`; boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric
//! form; `example` becomes `examples`; `discriminator`, `xml`, `externalDocs` and `x-*`
//! extensions (annotations only) are dropped; `#/components/schemas/X` references become
//! `#/$defs/X`. References to `components.parameters` and `components.requestBodies` are
//! resolved; other references are refused with their pointer.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::action_group::{
    Action, ActionTarget, ApiOperation, ApiParameter, BodyProperty, OpenApiDocument, RequestBody,
};
use super::describe::describe;
use super::{DefinitionError, DefinitionErrorKind, KeyCasing, Tool};
use crate::pointer::JsonPointer;

/// The operation keys of a path item, in the order tools are listed.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many `$ref` hops are followed to find a schema's type.
const MAX_REF_HOPS: usize = 8;

/// The prefix of references to reusable schemas.
const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The tools of an OpenAPI document, one per operation.
pub(super) fn tools(
    source: &Path,
    parsed: &OpenApiDocument,
    group: &str,
) -> Result<Vec<Tool>, DefinitionError> {
    let base = &parsed.pointer;
    let document = &parsed.document;
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let Value::Object(root) = document else {
        return Err(at(
            base.clone(),
            DefinitionErrorKind::WrongType {
                expected: "an OpenAPI document: an object with `openapi` and `paths`".to_owned(),
                found: describe(document),
            },
        ));
    };
    if root.contains_key("swagger") {
        return Err(at(
            base.key("swagger"),
            DefinitionErrorKind::Invalid(
                "a Swagger 2.0 document; Bedrock Agents take OpenAPI 3.0 (convert it, e.g. with \
                 swagger2openapi)"
                    .to_owned(),
            ),
        ));
    }
    let paths = match root.get("paths") {
        Some(Value::Object(paths)) => paths,
        Some(other) => {
            return Err(at(
                base.key("paths"),
                DefinitionErrorKind::WrongType {
                    expected: "an object mapping path templates to path items".to_owned(),
                    found: describe(other),
                },
            ));
        }
        None => {
            return Err(at(
                base.clone(),
                DefinitionErrorKind::Missing {
                    member: "paths".to_owned(),
                    expected: "the operations, by path template".to_owned(),
                },
            ));
        }
    };
    let reader = Reader {
        source,
        document,
        base,
        group,
    };
    let mut tools = Vec::new();
    let mut first_seen: HashMap<String, JsonPointer> = HashMap::new();
    for (path, item) in paths {
        let item_pointer = base.key("paths").key(path);
        let Value::Object(item) = item else {
            return Err(at(
                item_pointer,
                DefinitionErrorKind::WrongType {
                    expected: "a path item: an object with one operation per HTTP method"
                        .to_owned(),
                    found: describe(item),
                },
            ));
        };
        if item.contains_key("$ref") {
            return Err(at(
                item_pointer.key("$ref"),
                DefinitionErrorKind::Invalid(
                    "toolcontract does not follow `$ref` on path items: write the operations \
                     in place"
                        .to_owned(),
                ),
            ));
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let tool = reader.operation(path, method, item, operation, &item_pointer)?;
            if let Some(first) = first_seen.get(&tool.name) {
                return Err(at(
                    tool.pointer.key("operationId"),
                    DefinitionErrorKind::DuplicateTool {
                        name: tool.name,
                        first: first.clone(),
                    },
                ));
            }
            first_seen.insert(tool.name.clone(), tool.pointer.clone());
            tools.push(tool);
        }
    }
    if tools.is_empty() {
        return Err(at(base.key("paths"), DefinitionErrorKind::NoTools));
    }
    Ok(tools)
}

struct Reader<'a> {
    source: &'a Path,
    document: &'a Value,
    base: &'a JsonPointer,
    group: &'a str,
}

/// A parameter as declared, with where (after following its `$ref`).
struct Declared<'a> {
    object: &'a Map<String, Value>,
    pointer: JsonPointer,
}

impl<'a> Reader<'a> {
    fn error(&self, pointer: JsonPointer, kind: DefinitionErrorKind) -> DefinitionError {
        DefinitionError::new(self.source, pointer, kind)
    }

    fn operation(
        &self,
        path: &str,
        method: &str,
        item: &'a Map<String, Value>,
        operation: &'a Value,
        item_pointer: &JsonPointer,
    ) -> Result<Tool, DefinitionError> {
        let pointer = item_pointer.key(method);
        let Value::Object(op) = operation else {
            return Err(self.error(
                pointer,
                DefinitionErrorKind::WrongType {
                    expected: "an operation: an object with `operationId`, `description` and \
                               `responses`"
                        .to_owned(),
                    found: describe(operation),
                },
            ));
        };
        let http_method = method.to_ascii_uppercase();
        let operation_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let name = operation_id
            .clone()
            .unwrap_or_else(|| format!("{http_method} {path}"));

        // Path-level parameters, overridden by operation-level ones with the same name and
        // location.
        let mut declared: Vec<Declared<'a>> = Vec::new();
        for (list, list_pointer) in [
            (item.get("parameters"), item_pointer.key("parameters")),
            (op.get("parameters"), pointer.key("parameters")),
        ] {
            let Some(list) = list else { continue };
            let Value::Array(list) = list else {
                return Err(self.error(
                    list_pointer,
                    DefinitionErrorKind::WrongType {
                        expected: "an array of parameters".to_owned(),
                        found: describe(list),
                    },
                ));
            };
            for (i, parameter) in list.iter().enumerate() {
                let parameter = self.parameter(parameter, list_pointer.index(i))?;
                let key =
                    |d: &Declared<'_>| (d.object.get("name").cloned(), d.object.get("in").cloned());
                declared.retain(|d| key(d) != key(&parameter));
                declared.push(parameter);
            }
        }

        let mut defs_needed = BTreeSet::new();
        let mut parameters = Vec::new();
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut origins = vec![(JsonPointer::root(), pointer.clone())];
        for parameter in &declared {
            let object = parameter.object;
            let name = match object.get("name") {
                Some(Value::String(name)) => name.clone(),
                _ => {
                    return Err(self.error(
                        parameter.pointer.clone(),
                        DefinitionErrorKind::Missing {
                            member: "name".to_owned(),
                            expected: "the parameter's name, a string".to_owned(),
                        },
                    ));
                }
            };
            let location = object
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("query")
                .to_owned();
            let is_required =
                location == "path" || object.get("required") == Some(&Value::Bool(true));
            let (schema, schema_pointer) = match (object.get("schema"), object.get("content")) {
                (Some(schema), _) => (schema, parameter.pointer.key("schema")),
                (None, Some(Value::Object(content))) => {
                    match content
                        .iter()
                        .find_map(|(mt, media)| media.get("schema").map(|s| (mt.as_str(), s)))
                    {
                        Some((mt, schema)) => (
                            schema,
                            parameter.pointer.key("content").key(mt).key("schema"),
                        ),
                        None => (&NO_SCHEMA, parameter.pointer.clone()),
                    }
                }
                _ => (&NO_SCHEMA, parameter.pointer.clone()),
            };
            let mut converted = convert(schema);
            collect_refs(&converted, &mut defs_needed);
            if let (Value::Object(map), Some(Value::String(d))) =
                (&mut converted, object.get("description"))
                && !map.contains_key("description")
            {
                map.insert("description".to_owned(), Value::from(d.as_str()));
            }
            origins.push((
                JsonPointer::root()
                    .key("properties")
                    .key("parameters")
                    .key("properties")
                    .key(&name),
                schema_pointer,
            ));
            properties.insert(name.clone(), converted);
            if is_required {
                required.push(Value::from(name.as_str()));
            }
            parameters.push(ApiParameter {
                name,
                location,
                type_name: self.type_name(schema),
                required: is_required,
            });
        }

        let mut input = Map::new();
        input.insert("type".to_owned(), json!("object"));
        input.insert("additionalProperties".to_owned(), json!(false));
        let mut top_required = vec![json!("parameters")];
        let mut top_properties = Map::new();
        top_properties.insert(
            "parameters".to_owned(),
            json!({
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": false,
            }),
        );
        let mut request_body = None;
        if let Some(body) = op.get("requestBody") {
            let (body, body_pointer) = self.resolve_component(
                body,
                pointer.key("requestBody"),
                "#/components/requestBodies/",
            )?;
            let is_required = body.get("required") == Some(&Value::Bool(true));
            let content = body.get("content").and_then(Value::as_object);
            let chosen = content.and_then(|content| {
                content
                    .get_key_value("application/json")
                    .or_else(|| content.iter().next())
            });
            if let Some((media_type, media)) = chosen {
                let schema = media.get("schema").unwrap_or(&Value::Null);
                let resolved = self.follow_schema_refs(schema);
                let is_object = resolved.is_some_and(|s| {
                    s.get("type").and_then(Value::as_str) == Some("object")
                        || s.get("properties").is_some_and(Value::is_object)
                });
                let body_properties = resolved
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|props| {
                        props
                            .iter()
                            .map(|(name, schema)| BodyProperty {
                                name: name.clone(),
                                type_name: self.type_name(schema),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let converted = if schema.is_null() {
                    json!({"type": "object"})
                } else {
                    convert(schema)
                };
                collect_refs(&converted, &mut defs_needed);
                origins.push((
                    JsonPointer::root().key("properties").key("requestBody"),
                    body_pointer.key("content").key(media_type).key("schema"),
                ));
                top_properties.insert("requestBody".to_owned(), converted);
                if is_required {
                    top_required.push(json!("requestBody"));
                }
                request_body = Some(RequestBody {
                    media_type: media_type.clone(),
                    required: is_required,
                    is_object: is_object || schema.is_null(),
                    properties: body_properties,
                });
            }
        }
        input.insert("properties".to_owned(), Value::Object(top_properties));
        input.insert("required".to_owned(), Value::Array(top_required));
        let defs = self.definitions(defs_needed, &mut origins);
        if !defs.is_empty() {
            input.insert("$defs".to_owned(), Value::Object(defs));
        }
        let description = op
            .get("description")
            .or_else(|| op.get("summary"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Tool {
            name,
            description,
            input_schema: Value::Object(input),
            output_schema: None,
            pointer,
            casing: KeyCasing::CamelCase,
            action: Some(Action {
                action_group: self.group.to_owned(),
                target: ActionTarget::Operation(ApiOperation {
                    api_path: path.to_owned(),
                    http_method,
                    operation_id,
                    parameters,
                    request_body,
                }),
                origins,
            }),
        })
    }

    /// A parameter, following a `$ref` to `components.parameters`.
    fn parameter(
        &self,
        value: &'a Value,
        pointer: JsonPointer,
    ) -> Result<Declared<'a>, DefinitionError> {
        let (value, pointer) =
            self.resolve_component(value, pointer, "#/components/parameters/")?;
        match value {
            Value::Object(object) => Ok(Declared { object, pointer }),
            other => Err(self.error(
                pointer,
                DefinitionErrorKind::WrongType {
                    expected: "a parameter: an object with `name`, `in` and `schema`".to_owned(),
                    found: describe(other),
                },
            )),
        }
    }

    /// `value`, or what its `$ref` (which must start with `prefix`) points at, with its pointer
    /// in the file. One hop: components do not chain references in practice.
    fn resolve_component(
        &self,
        value: &'a Value,
        pointer: JsonPointer,
        prefix: &str,
    ) -> Result<(&'a Value, JsonPointer), DefinitionError> {
        let Some(reference) = value.get("$ref") else {
            return Ok((value, pointer));
        };
        let target = reference
            .as_str()
            .filter(|r| r.starts_with(prefix))
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|fragment| {
                let target = self.document.pointer(fragment)?;
                Some((target, self.base.join(&JsonPointer::parse(fragment)?)))
            });
        target.ok_or_else(|| {
            self.error(
                pointer.key("$ref"),
                DefinitionErrorKind::Invalid(format!(
                    "`$ref` {} cannot be resolved: toolcontract follows references to \
                     `{prefix}...` inside the document",
                    describe(reference)
                )),
            )
        })
    }

    /// The schema after following `#/components/schemas/...` references, if they resolve.
    fn follow_schema_refs(&self, schema: &'a Value) -> Option<&'a Value> {
        let mut here = schema;
        for _ in 0..MAX_REF_HOPS {
            match here.get("$ref").and_then(Value::as_str) {
                None => return here.is_object().then_some(here),
                Some(r) => {
                    let fragment = r
                        .starts_with(SCHEMA_REF_PREFIX)
                        .then(|| r.strip_prefix('#'))??;
                    here = self.document.pointer(fragment)?;
                }
            }
        }
        None
    }

    /// The event's `type` for a value of `schema`: its type, `string` when it has none.
    fn type_name(&self, schema: &Value) -> String {
        self.follow_schema_refs(schema)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("string")
            .to_owned()
    }

    /// The converted `components.schemas` that `needed` names, and those they refer to.
    fn definitions(
        &self,
        mut needed: BTreeSet<String>,
        origins: &mut Vec<(JsonPointer, JsonPointer)>,
    ) -> Map<String, Value> {
        let schemas = self
            .document
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        let mut defs = Map::new();
        while let Some(name) = needed.pop_first() {
            if defs.contains_key(&name) {
                continue;
            }
            let Some(schema) = schemas.and_then(|s| s.get(&name)) else {
                // Left to the generator, which reports the unresolvable reference.
                continue;
            };
            let converted = convert(schema);
            let mut more = BTreeSet::new();
            collect_refs(&converted, &mut more);
            needed.extend(more.into_iter().filter(|n| !defs.contains_key(n)));
            origins.push((
                JsonPointer::root().key("$defs").key(&name),
                self.base.key("components").key("schemas").key(&name),
            ));
            defs.insert(name, converted);
        }
        defs
    }
}

/// Stands for a parameter without a schema (generated, and sent, as a string).
static NO_SCHEMA: Value = Value::Null;

/// An OpenAPI 3.0 schema object as JSON Schema 2020-12 (see the module docs). `null` (no
/// schema) becomes `{"type": "string"}`.
pub(crate) fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return if schema.is_null() {
            json!({"type": "string"})
        } else {
            schema.clone()
        };
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {
                let converted = match value.as_str() {
                    Some(r) if r.starts_with(SCHEMA_REF_PREFIX) => {
                        Value::String(format!("#/$defs/{}", &r[SCHEMA_REF_PREFIX.len()..]))
                    }
                    _ => value.clone(),
                };
                out.insert(key.clone(), converted);
            }
            "nullable" | "discriminator" | "xml" | "externalDocs" => {}
            k if k.starts_with("x-") => {}
            "example" => {
                out.insert("examples".to_owned(), Value::Array(vec![value.clone()]));
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                match (value, map.get(bound)) {
                    (Value::Bool(true), Some(limit)) => {
                        out.insert(key.clone(), limit.clone());
                    }
                    (Value::Bool(_), _) => {}
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            "properties" | "patternProperties" => {
                let converted = match value {
                    Value::Object(props) => Value::Object(
                        props
                            .iter()
                            .map(|(name, s)| (name.clone(), convert(s)))
                            .collect(),
                    ),
                    other => other.clone(),
                };
                out.insert(key.clone(), converted);
            }
            "items" | "not" | "additionalProperties" => {
                out.insert(key.clone(), convert_nested(value));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let converted = match value {
                    Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
                    other => other.clone(),
                };
                out.insert(key.clone(), converted);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    // A boolean exclusive bound replaces its inclusive twin.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(exclusive) == Some(&Value::Bool(true)) && map.contains_key(bound) {
            out.remove(bound);
        }
    }
    if map.get("nullable") == Some(&Value::Bool(true))
        && let Some(Value::String(t)) = out.get("type")
    {
        let t = t.clone();
        out.insert("type".to_owned(), json!([t, "null"]));
    }
    Value::Object(out)
}

/// A nested schema position: booleans stay as they are.
fn convert_nested(value: &Value) -> Value {
    match value {
        Value::Object(_) => convert(value),
        other => other.clone(),
    }
}

/// The `$defs` names a converted schema refers to (`#/$defs/X`).
fn collect_refs(schema: &Value, out: &mut BTreeSet<String>) {
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && let Some(name) = r.strip_prefix("#/$defs/")
                {
                    let name = name.replace("~1", "/").replace("~0", "~");
                    out.insert(name);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::convert;

    #[test]
    fn openapi_30_schemas_become_2020_12() {
        assert_eq!(
            convert(&json!({
                "type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true,
                "example": 3, "x-internal": 1, "xml": {"name": "n"}
            })),
            json!({"type": ["integer", "null"], "exclusiveMinimum": 0, "examples": [3]})
        );
        assert_eq!(
            convert(&json!({
                "type": "object",
                "properties": {"a": {"$ref": "#/components/schemas/A"}},
                "items": {"maximum": 2, "exclusiveMaximum": false}
            })),
            json!({
                "type": "object",
                "properties": {"a": {"$ref": "#/$defs/A"}},
                "items": {"maximum": 2}
            })
        );
        assert_eq!(convert(&serde_json::Value::Null), json!({"type": "string"}));
    }
}
