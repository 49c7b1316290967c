//! Which form a document has, and where its list of tools is.
//!
//! Detection looks at the document's shape only, in this order: a JSON array; an object with
//! `targetConfiguration` (CreateGatewayTarget) or `TargetConfiguration` (CloudFormation
//! GatewayTarget properties); `toolSchema`/`ToolSchema`; `inlinePayload`/`InlinePayload`;
//! `tools` (MCP tools/list). Each step that goes wrong says where and what it expected.

use std::path::Path;

use serde_json::{Map, Value};

use super::describe::describe;
use super::{DefinitionError, DefinitionErrorKind};
use crate::pointer::JsonPointer;

/// What the form says before the tools are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// A bare or wrapped `inlinePayload` list.
    InlinePayload,
    /// A `CreateGatewayTarget` request.
    CreateGatewayTarget,
    /// `AWS::BedrockAgentCore::GatewayTarget` properties.
    CloudFormationTarget,
    /// An MCP `tools/list` result.
    McpToolsList,
}

/// Where the tools are.
#[derive(Debug)]
pub(super) struct Located<'a> {
    pub(super) form: Form,
    pub(super) list: &'a [Value],
    pub(super) pointer: JsonPointer,
    pub(super) target_name: Option<String>,
}

/// The accepted forms, for "not a tool definition" messages.
const ACCEPTED: &str = "expected one of: a JSON array of tool definitions (a Gateway \
    inlinePayload); an object with `inlinePayload` or `toolSchema`; a CreateGatewayTarget request \
    (with `targetConfiguration`); CloudFormation GatewayTarget properties (with \
    `TargetConfiguration`); an MCP tools/list result (with `tools`)";

/// What the tool schema union must hold.
const TOOL_SCHEMA_EXPECTED: &str = "an object with `inlinePayload`, the list of tool definitions";

pub(super) fn locate<'a>(
    source: &Path,
    document: &'a Value,
) -> Result<Located<'a>, DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let root = JsonPointer::root();
    let map = match document {
        Value::Array(list) => {
            return Ok(Located {
                form: Form::InlinePayload,
                list,
                pointer: root,
                target_name: None,
            });
        }
        Value::Object(map) => map,
        other => {
            return Err(at(
                root,
                DefinitionErrorKind::UnknownForm(format!("found {}; {ACCEPTED}", describe(other))),
            ));
        }
    };
    if let Some(configuration) = map.get("targetConfiguration") {
        let target_name = target_name(source, map, "name")?;
        let path = ["targetConfiguration", "mcp", "lambda", "toolSchema"];
        let (schema, pointer) = lambda_tool_schema(source, configuration, &path)?;
        let (list, pointer) = tool_schema(source, schema, pointer)?;
        return Ok(Located {
            form: Form::CreateGatewayTarget,
            list,
            pointer,
            target_name,
        });
    }
    if let Some(configuration) = map.get("TargetConfiguration") {
        let target_name = target_name(source, map, "Name")?;
        let path = ["TargetConfiguration", "Mcp", "Lambda", "ToolSchema"];
        let (schema, pointer) = lambda_tool_schema(source, configuration, &path)?;
        let (list, pointer) = tool_schema(source, schema, pointer)?;
        return Ok(Located {
            form: Form::CloudFormationTarget,
            list,
            pointer,
            target_name,
        });
    }
    if let Some((key, schema)) = either(map, "toolSchema", "ToolSchema") {
        let (list, pointer) = tool_schema(source, schema, root.key(key))?;
        return Ok(Located {
            form: Form::InlinePayload,
            list,
            pointer,
            target_name: None,
        });
    }
    if let Some((key, list)) = either(map, "inlinePayload", "InlinePayload") {
        let pointer = root.key(key);
        let list = array(source, list, &pointer, "the list of tool definitions")?;
        return Ok(Located {
            form: Form::InlinePayload,
            list,
            pointer,
            target_name: None,
        });
    }
    if let Some(tools) = map.get("tools") {
        let pointer = root.key("tools");
        let list = array(source, tools, &pointer, "the list of MCP tools")?;
        return Ok(Located {
            form: Form::McpToolsList,
            list,
            pointer,
            target_name: None,
        });
    }
    let mut message = format!("found {}; {ACCEPTED}", describe(document));
    if ["actionGroupName", "functionSchema", "apiSchema"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        message.push_str(
            " (this looks like a Bedrock Agents action group, which toolcontract does not load yet)",
        );
    } else if map.get("result").is_some_and(|r| r.get("tools").is_some()) {
        message.push_str(" (this looks like a JSON-RPC response: pass its `result`)");
    }
    Err(at(root, DefinitionErrorKind::UnknownForm(message)))
}

/// The value of `camel` or, failing that, `pascal`, with the key found.
fn either<'a>(
    map: &'a Map<String, Value>,
    camel: &'static str,
    pascal: &'static str,
) -> Option<(&'static str, &'a Value)> {
    map.get(camel)
        .map(|v| (camel, v))
        .or_else(|| map.get(pascal).map(|v| (pascal, v)))
}

fn array<'a>(
    source: &Path,
    value: &'a Value,
    pointer: &JsonPointer,
    what: &str,
) -> Result<&'a [Value], DefinitionError> {
    value.as_array().map(Vec::as_slice).ok_or_else(|| {
        DefinitionError::new(
            source,
            pointer.clone(),
            DefinitionErrorKind::WrongType {
                expected: format!("an array ({what})"),
                found: describe(value),
            },
        )
    })
}

/// The target name at `key`, when it is there. A non-string name is an error: the runner builds
/// `<target>___<tool>` from it.
fn target_name(
    source: &Path,
    map: &Map<String, Value>,
    key: &str,
) -> Result<Option<String>, DefinitionError> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(name)) => Ok(Some(name.clone())),
        Some(other) => Err(DefinitionError::new(
            source,
            JsonPointer::root().key(key),
            DefinitionErrorKind::WrongType {
                expected: "a string (the target name)".to_owned(),
                found: describe(other),
            },
        )),
    }
}

/// Follows `path[1..]` (`mcp`, `lambda`, `toolSchema` in the given casing) from the target
/// configuration at `path[0]`.
fn lambda_tool_schema<'a>(
    source: &Path,
    configuration: &'a Value,
    path: &[&'static str; 4],
) -> Result<(&'a Value, JsonPointer), DefinitionError> {
    let [configuration_key, mcp_key, lambda_key, schema_key] = *path;
    let mut pointer = JsonPointer::root().key(configuration_key);
    let mut here = configuration;
    for (key, expected) in [
        (mcp_key, "the MCP target configuration"),
        (lambda_key, "the Lambda target configuration"),
        (schema_key, "the tool schema"),
    ] {
        let Value::Object(map) = here else {
            return Err(DefinitionError::new(
                source,
                pointer,
                DefinitionErrorKind::WrongType {
                    expected: format!("an object holding `{key}` ({expected})"),
                    found: describe(here),
                },
            ));
        };
        let Some(next) = map.get(key) else {
            let kind = if key == lambda_key && !map.is_empty() {
                let found: Vec<String> = map.keys().map(|k| format!("`{k}`")).collect();
                DefinitionErrorKind::Invalid(format!(
                    "not a Lambda target: found {}, expected `{lambda_key}`; toolcontract tests \
                     Lambda targets",
                    found.join(", ")
                ))
            } else {
                DefinitionErrorKind::Missing {
                    member: key.to_owned(),
                    expected: expected.to_owned(),
                }
            };
            return Err(DefinitionError::new(source, pointer, kind));
        };
        pointer = pointer.key(key);
        here = next;
    }
    Ok((here, pointer))
}

/// The inline list of the tool schema union at `pointer`.
fn tool_schema<'a>(
    source: &Path,
    schema: &'a Value,
    pointer: JsonPointer,
) -> Result<(&'a [Value], JsonPointer), DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let Value::Object(map) = schema else {
        return Err(at(
            pointer,
            DefinitionErrorKind::WrongType {
                expected: TOOL_SCHEMA_EXPECTED.to_owned(),
                found: describe(schema),
            },
        ));
    };
    let inline = either(map, "inlinePayload", "InlinePayload");
    let s3 = either(map, "s3", "S3");
    match (inline, s3) {
        (Some((inline_key, _)), Some((s3_key, _))) => Err(at(
            pointer,
            DefinitionErrorKind::Invalid(format!(
                "the tool schema holds both `{inline_key}` and `{s3_key}`; it is a union: \
                 expected exactly one of them"
            )),
        )),
        (Some((key, list)), None) => {
            let pointer = pointer.key(key);
            let list = array(source, list, &pointer, "the list of tool definitions")?;
            Ok((list, pointer))
        }
        (None, Some((key, location))) => {
            let uri = location
                .get("uri")
                .or_else(|| location.get("Uri"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            Err(at(
                pointer.key(key),
                DefinitionErrorKind::S3ToolSchema { uri },
            ))
        }
        (None, None) => Err(at(
            pointer,
            DefinitionErrorKind::Missing {
                member: "inlinePayload".to_owned(),
                expected: format!(
                    "the list of tool definitions (the tool schema is {})",
                    describe(schema)
                ),
            },
        )),
    }
}
