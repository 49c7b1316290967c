//! CloudFormation/CDK casing (`Name`, `InputSchema`, `Type`, `Properties`, ...): detection,
//! conversion to camelCase, and mapping pointers from the converted value back to the file.
//!
//! `AWS::BedrockAgentCore::GatewayTarget` spells the ToolDefinition members `Name`,
//! `Description`, `InputSchema`, `OutputSchema` and the SchemaDefinition members `Type`,
//! `Properties`, `Required`, `Items`, `Description`. Only those keys of the schema STRUCTURE are
//! converted: property names (the keys inside `Properties`) are the user's and never change, and
//! a Pascal key whose camelCase twin is also present stays as written (the linter then reports it
//! as outside the SchemaDefinition subset).
//!
//! `AWS::Bedrock::Agent` spells an action group (AgentActionGroup) as the
//! `create_agent_action_group` request does, Pascal-cased: `ActionGroupName`,
//! `ActionGroupExecutor.Lambda`, `FunctionSchema.Functions[].Parameters.<name>.Type`,
//! `ApiSchema.Payload`, `ApiSchema.S3.S3BucketName`, plus CloudFormation's own
//! `SkipResourceInUseCheckOnDelete` (CloudFormation Template Reference, "AWS::Bedrock::Agent
//! AgentActionGroup", "Function", "ParameterDetail", "APISchema", "S3Identifier").

use serde_json::{Map, Value};

use super::KeyCasing;
use crate::pointer::JsonPointer;

/// ToolDefinition members: (camelCase, CloudFormation).
const TOOL_KEYS: [(&str, &str); 4] = [
    ("name", "Name"),
    ("description", "Description"),
    ("inputSchema", "InputSchema"),
    ("outputSchema", "OutputSchema"),
];

/// SchemaDefinition members: (camelCase, CloudFormation).
const SCHEMA_KEYS: [(&str, &str); 5] = [
    ("type", "Type"),
    ("properties", "Properties"),
    ("required", "Required"),
    ("items", "Items"),
    ("description", "Description"),
];

impl KeyCasing {
    /// How this casing spells the ToolDefinition member `camel` (e.g. `inputSchema`).
    pub(crate) fn tool_key(self, camel: &'static str) -> &'static str {
        match self {
            KeyCasing::CamelCase => camel,
            KeyCasing::CloudFormation => TOOL_KEYS
                .iter()
                .find(|(c, _)| *c == camel)
                .map_or(camel, |(_, pascal)| pascal),
        }
    }
}

/// The CloudFormation spelling of a ToolDefinition or SchemaDefinition member, e.g.
/// `InputSchema` for `inputSchema`.
pub(crate) fn pascal(camel: &str) -> Option<&'static str> {
    TOOL_KEYS
        .iter()
        .chain(SCHEMA_KEYS.iter())
        .find(|(c, _)| *c == camel)
        .map(|(_, p)| *p)
}

/// Which casing a tool object uses for its ToolDefinition members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ToolCasing {
    /// Only camelCase members.
    Camel,
    /// Only CloudFormation members.
    Pascal,
    /// Both, e.g. `name` and `InputSchema`: `(camel, pascal)` as found first.
    Mixed(&'static str, &'static str),
    /// None of the four members.
    Neither,
}

/// The casing of one tool object's members.
pub(super) fn tool_casing(tool: &Map<String, Value>) -> ToolCasing {
    let camel = TOOL_KEYS.iter().find(|(c, _)| tool.contains_key(*c));
    let pascal = TOOL_KEYS.iter().find(|(_, p)| tool.contains_key(*p));
    match (camel, pascal) {
        (Some((c, _)), Some((_, p))) => ToolCasing::Mixed(c, p),
        (Some(_), None) => ToolCasing::Camel,
        (None, Some(_)) => ToolCasing::Pascal,
        (None, None) => ToolCasing::Neither,
    }
}

/// `tool` (an object in CloudFormation casing) with its ToolDefinition members and their
/// schemas converted to camelCase.
pub(crate) fn convert_tool(tool: &Map<String, Value>) -> Value {
    let mut out = Map::with_capacity(tool.len());
    for (key, value) in tool {
        let key = renamed(tool, key, &TOOL_KEYS);
        let value = match key {
            "inputSchema" | "outputSchema" => convert_schema(value),
            _ => value.clone(),
        };
        out.insert(key.to_owned(), value);
    }
    Value::Object(out)
}

/// A schema with its SchemaDefinition members converted to camelCase, recursively through
/// `properties` values and `items`. Depth is bounded by [`MAX_DEPTH`](super::MAX_DEPTH), checked
/// before loading.
fn convert_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        let key = renamed(map, key, &SCHEMA_KEYS);
        let value = match (key, value) {
            ("properties", Value::Object(properties)) => Value::Object(
                properties
                    .iter()
                    .map(|(name, schema)| (name.clone(), convert_schema(schema)))
                    .collect(),
            ),
            ("items", Value::Array(items)) => {
                Value::Array(items.iter().map(convert_schema).collect())
            }
            ("items", items) => convert_schema(items),
            (_, value) => value.clone(),
        };
        out.insert(key.to_owned(), value);
    }
    Value::Object(out)
}

/// The camelCase name of `key` when it is a CloudFormation member whose camelCase twin is not
/// also in `object`; otherwise `key` itself.
fn renamed<'k>(
    object: &Map<String, Value>,
    key: &'k str,
    table: &[(&'static str, &'static str)],
) -> &'k str {
    match table.iter().find(|(_, pascal)| *pascal == key) {
        Some((camel, _)) if !object.contains_key(*camel) => camel,
        _ => key,
    }
}

/// Maps `converted`, a pointer into the camelCase conversion of `original`, to the same place
/// in `original`. Tokens that no longer exist in `original` (a member the conversion would have
/// renamed but that is absent) are kept as they are.
pub(crate) fn original_pointer(original: &Value, converted: &JsonPointer) -> JsonPointer {
    let mut out = JsonPointer::root();
    let mut here = Some(original);
    for token in converted.tokens() {
        match here {
            Some(Value::Object(map)) => {
                let key = if map.contains_key(&token) {
                    token.as_str()
                } else {
                    TOOL_KEYS
                        .iter()
                        .chain(SCHEMA_KEYS.iter())
                        .find(|(camel, pascal)| *camel == token && map.contains_key(*pascal))
                        .map_or(token.as_str(), |(_, pascal)| pascal)
                };
                here = map.get(key);
                out = out.key(key);
            }
            Some(Value::Array(items)) => match token.parse::<usize>() {
                Ok(i) => {
                    here = items.get(i);
                    out = out.index(i);
                }
                Err(_) => {
                    here = None;
                    out = out.key(&token);
                }
            },
            _ => {
                here = None;
                out = out.key(&token);
            }
        }
    }
    out
}

/// Members of an AgentActionGroup that the request does not have (CloudFormation's own).
const CLOUDFORMATION_ONLY: [&str; 1] = ["SkipResourceInUseCheckOnDelete"];

/// Members whose keys are the user's names, not structure (kept as written).
const USER_KEYED: [&str; 2] = ["parameters", "parentActionGroupSignatureParams"];

/// An `AWS::Bedrock::Agent` action group in CloudFormation casing as the
/// `create_agent_action_group` request it stands for: every structure key with its first letter
/// lower-cased (`S3BucketName` is `s3BucketName`), parameter names and signature parameters as
/// written, CloudFormation's own members left out.
pub(super) fn action_group_request(group: &Map<String, Value>) -> Value {
    Value::Object(
        group
            .iter()
            .filter(|(key, _)| !CLOUDFORMATION_ONLY.contains(&key.as_str()))
            .map(|(key, value)| {
                let key = lower_first(key);
                let value = camel_keys(value, &key);
                (key, value)
            })
            .collect(),
    )
}

/// `value` (the member `parent`) with its structure keys lower-cased, recursively. Depth is
/// bounded by [`MAX_DEPTH`](super::MAX_DEPTH), checked before loading.
fn camel_keys(value: &Value, parent: &str) -> Value {
    match value {
        Value::Object(map) => {
            let user_keyed = USER_KEYED.contains(&parent);
            Value::Object(
                map.iter()
                    .map(|(key, value)| {
                        let key = if user_keyed {
                            key.clone()
                        } else {
                            lower_first(key)
                        };
                        // The values of a user-keyed map are structures again.
                        let child = if user_keyed { "" } else { key.as_str() };
                        let value = camel_keys(value, child);
                        (key, value)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| camel_keys(v, "")).collect()),
        other => other.clone(),
    }
}

fn lower_first(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn upper_first(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Maps `converted`, a pointer into [`action_group_request`] of `original`, to the same place in
/// `original`: each key as `original` spells it (the key itself, or with its first letter
/// upper-cased). Tokens past what `original` holds (into a payload's text) are kept.
pub(crate) fn pascal_pointer(original: &Value, converted: &JsonPointer) -> JsonPointer {
    let mut out = JsonPointer::root();
    let mut here = Some(original);
    for token in converted.tokens() {
        match here {
            Some(Value::Object(map)) => {
                let upper = upper_first(&token);
                let key = if map.contains_key(&token) || !map.contains_key(&upper) {
                    token
                } else {
                    upper
                };
                here = map.get(&key);
                out = out.key(&key);
            }
            Some(Value::Array(items)) => {
                here = token.parse::<usize>().ok().and_then(|i| items.get(i));
                out = match token.parse::<usize>() {
                    Ok(i) => out.index(i),
                    Err(_) => out.key(&token),
                };
            }
            _ => {
                here = None;
                out = out.key(&token);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{
        ToolCasing, action_group_request, convert_tool, original_pointer, pascal_pointer,
        tool_casing,
    };
    use crate::pointer::JsonPointer;

    #[test]
    fn converts_structure_keys_but_never_property_names() {
        let tool = json!({
            "Name": "t",
            "Description": "d",
            "InputSchema": {
                "Type": "object",
                "Properties": {
                    "Type": {"Type": "string", "Description": "a property named Type"},
                    "Items": {"Type": "array", "Items": {"Type": "integer"}}
                },
                "Required": ["Type"],
                "Enum": [1]
            },
            "Title": "kept"
        });
        let converted = convert_tool(tool.as_object().unwrap());
        assert_eq!(
            converted,
            json!({
                "name": "t",
                "description": "d",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "Type": {"type": "string", "description": "a property named Type"},
                        "Items": {"type": "array", "items": {"type": "integer"}}
                    },
                    "required": ["Type"],
                    "Enum": [1]
                },
                "Title": "kept"
            })
        );
    }

    #[test]
    fn a_pascal_key_with_a_camel_twin_stays() {
        let tool = json!({"Name": "t", "InputSchema": {"Type": "object", "type": "object"}});
        let converted = convert_tool(tool.as_object().unwrap());
        assert_eq!(
            converted["inputSchema"],
            json!({"Type": "object", "type": "object"})
        );
    }

    #[test]
    fn detects_casing() {
        let casing = |v: serde_json::Value| tool_casing(v.as_object().unwrap());
        assert_eq!(casing(json!({"name": "a"})), ToolCasing::Camel);
        assert_eq!(casing(json!({"Name": "a"})), ToolCasing::Pascal);
        assert_eq!(
            casing(json!({"name": "a", "InputSchema": {}})),
            ToolCasing::Mixed("name", "InputSchema")
        );
        assert_eq!(casing(json!({"title": "a"})), ToolCasing::Neither);
    }

    #[test]
    fn maps_converted_pointers_back() {
        let original = json!([{
            "Name": "t",
            "InputSchema": {"Type": "object", "Properties": {"type": {"Type": "string"}}}
        }]);
        let at = |p: &str| original_pointer(&original, &JsonPointer::parse(p).unwrap()).to_string();
        assert_eq!(
            at("/0/inputSchema/properties/type/type"),
            "/0/InputSchema/Properties/type/Type"
        );
        assert_eq!(at("/0/inputSchema/required"), "/0/InputSchema/required");
        assert_eq!(at("/0/name"), "/0/Name");
        assert_eq!(at(""), "(root)");
        assert_eq!(at("/7/name"), "/7/name");
    }

    #[test]
    fn action_groups_convert_to_the_request_and_back() {
        let group = json!({
            "ActionGroupName": "Bookings",
            "SkipResourceInUseCheckOnDelete": true,
            "ApiSchema": {"S3": {"S3BucketName": "b", "S3ObjectKey": "k"}},
            "FunctionSchema": {"Functions": [{
                "Name": "get_booking",
                "Parameters": {"Type": {"Type": "string", "Required": true}},
                "RequireConfirmation": "ENABLED"
            }]}
        });
        let request = action_group_request(group.as_object().unwrap());
        assert_eq!(
            request,
            json!({
                "actionGroupName": "Bookings",
                "apiSchema": {"s3": {"s3BucketName": "b", "s3ObjectKey": "k"}},
                "functionSchema": {"functions": [{
                    "name": "get_booking",
                    "parameters": {"Type": {"type": "string", "required": true}},
                    "requireConfirmation": "ENABLED"
                }]}
            })
        );
        let at = |p: &str| pascal_pointer(&group, &JsonPointer::parse(p).unwrap()).to_string();
        assert_eq!(
            at("/functionSchema/functions/0/parameters/Type/type"),
            "/FunctionSchema/Functions/0/Parameters/Type/Type"
        );
        assert_eq!(
            at("/apiSchema/s3/s3BucketName"),
            "/ApiSchema/S3/S3BucketName"
        );
        assert_eq!(at("/actionGroupName"), "/ActionGroupName");
    }
}
