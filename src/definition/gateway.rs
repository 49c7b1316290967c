//! Loading Gateway definitions: inlinePayload, CreateGatewayTarget, CloudFormation casing and
//! MCP tools/list, into [`Tool`]s.
//!
//! The `forms` module finds the list of tools; this module reads each tool, converting
//! CloudFormation casing, and refuses what the harness cannot use: a tool that is not an object,
//! a missing or non-string `name`, a missing or non-object `inputSchema`, a non-object
//! `outputSchema`, a name declared twice, an empty list. Everything else the service might
//! refuse is the linter's business ([`lint`](super::lint)), so that one run reports all of it.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::cloudformation::{self, ToolCasing};
use super::describe::describe;
use super::forms::{self, Form};
use super::{Definition, DefinitionError, DefinitionErrorKind, DefinitionKind, KeyCasing, Tool};
use crate::pointer::JsonPointer;

pub(super) fn load(source: &Path, document: Value) -> Result<Definition, DefinitionError> {
    let located = forms::locate(source, &document)?;
    if located.list.is_empty() {
        return Err(DefinitionError::new(
            source,
            located.pointer,
            DefinitionErrorKind::NoTools,
        ));
    }
    let casing = match located.form {
        // MCP tools are camelCase by specification; Pascal keys there are just unknown members.
        Form::McpToolsList => KeyCasing::CamelCase,
        _ => list_casing(source, located.list, &located.pointer)?,
    };
    let kind = match (located.form, casing) {
        (Form::McpToolsList, _) => DefinitionKind::McpToolsList,
        (Form::CreateGatewayTarget, _) => DefinitionKind::CreateGatewayTarget,
        (Form::CloudFormationTarget, _) | (Form::InlinePayload, KeyCasing::CloudFormation) => {
            DefinitionKind::CloudFormationInlinePayload
        }
        (Form::InlinePayload, _) => DefinitionKind::GatewayInlinePayload,
    };
    let mcp = kind == DefinitionKind::McpToolsList;
    let mut tools = Vec::with_capacity(located.list.len());
    let mut first_seen: HashMap<String, JsonPointer> = HashMap::new();
    for (i, value) in located.list.iter().enumerate() {
        let tool = read_tool(source, value, located.pointer.index(i), casing, mcp)?;
        if let Some(first) = first_seen.get(&tool.name) {
            return Err(DefinitionError::new(
                source,
                tool.pointer.key(casing.tool_key("name")),
                DefinitionErrorKind::DuplicateTool {
                    name: tool.name,
                    first: first.clone(),
                },
            ));
        }
        first_seen.insert(tool.name.clone(), tool.pointer.clone());
        tools.push(tool);
    }
    Ok(Definition {
        source: source.to_owned(),
        kind,
        target_name: located.target_name,
        tools_pointer: located.pointer,
        tools,
        action_group: None,
        interceptor: None,
        document,
        resource: None,
    })
}

/// The casing of a whole list: the casing of its first tool that has any ToolDefinition member.
/// A tool mixing casings, or a list whose tools disagree, is an error: the file is then neither
/// an API request nor a CloudFormation template, and guessing would hide a typo.
fn list_casing(
    source: &Path,
    list: &[Value],
    pointer: &JsonPointer,
) -> Result<KeyCasing, DefinitionError> {
    let mut decided: Option<(KeyCasing, usize)> = None;
    for (i, value) in list.iter().enumerate() {
        let Value::Object(tool) = value else { continue };
        let casing = match cloudformation::tool_casing(tool) {
            ToolCasing::Camel => KeyCasing::CamelCase,
            ToolCasing::Pascal => KeyCasing::CloudFormation,
            ToolCasing::Neither => continue,
            ToolCasing::Mixed(camel, pascal) => {
                return Err(DefinitionError::new(
                    source,
                    pointer.index(i),
                    DefinitionErrorKind::Invalid(format!(
                        "this tool mixes camelCase (`{camel}`) and CloudFormation casing \
                         (`{pascal}`); expected one casing: `name`, `description`, \
                         `inputSchema` (API, SDKs) or `Name`, `Description`, `InputSchema` \
                         (CloudFormation)"
                    )),
                ));
            }
        };
        match decided {
            None => decided = Some((casing, i)),
            Some((first, _)) if first == casing => {}
            Some((first, first_index)) => {
                return Err(DefinitionError::new(
                    source,
                    pointer.index(i),
                    DefinitionErrorKind::Invalid(format!(
                        "this tool uses {} but the tool at {} uses {}; expected one casing for \
                         the whole list",
                        casing_name(casing),
                        pointer.index(first_index),
                        casing_name(first)
                    )),
                ));
            }
        }
    }
    Ok(decided.map_or(KeyCasing::CamelCase, |(casing, _)| casing))
}

fn casing_name(casing: KeyCasing) -> &'static str {
    match casing {
        KeyCasing::CloudFormation => "CloudFormation casing (`Name`, `InputSchema`)",
        _ => "camelCase (`name`, `inputSchema`)",
    }
}

fn read_tool(
    source: &Path,
    value: &Value,
    pointer: JsonPointer,
    casing: KeyCasing,
    mcp: bool,
) -> Result<Tool, DefinitionError> {
    let at = |pointer: JsonPointer, kind| DefinitionError::new(source, pointer, kind);
    let Value::Object(object) = value else {
        let expected = if mcp {
            "an MCP tool: an object with `name` and `inputSchema`"
        } else if casing == KeyCasing::CloudFormation {
            "a tool definition: an object with `Name`, `Description` and `InputSchema`"
        } else {
            "a tool definition: an object with `name`, `description` and `inputSchema`"
        };
        return Err(at(
            pointer,
            DefinitionErrorKind::WrongType {
                expected: expected.to_owned(),
                found: describe(value),
            },
        ));
    };
    let converted;
    let tool = if casing == KeyCasing::CloudFormation {
        converted = cloudformation::convert_tool(object);
        converted.as_object().unwrap_or(object)
    } else {
        object
    };
    let key = |camel: &'static str| casing.tool_key(camel);

    let name = match tool.get("name") {
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(at(
                pointer.key(key("name")),
                DefinitionErrorKind::WrongType {
                    expected: "a string (the tool name)".to_owned(),
                    found: describe(other),
                },
            ));
        }
        None => {
            return Err(at(
                pointer,
                DefinitionErrorKind::Missing {
                    member: key("name").to_owned(),
                    expected: "the tool name, a string".to_owned(),
                },
            ));
        }
    };
    let schema_expected =
        "a JSON Schema object such as {\"type\": \"object\", \"properties\": {...}}";
    let input_schema = match tool.get("inputSchema") {
        Some(schema @ Value::Object(_)) => schema.clone(),
        Some(other) => {
            return Err(at(
                pointer.key(key("inputSchema")),
                DefinitionErrorKind::WrongType {
                    expected: schema_expected.to_owned(),
                    found: describe(other),
                },
            ));
        }
        None => {
            return Err(at(
                pointer,
                DefinitionErrorKind::Missing {
                    member: key("inputSchema").to_owned(),
                    expected: format!("the tool's input schema, {schema_expected}"),
                },
            ));
        }
    };
    let output_schema = match tool.get("outputSchema") {
        // `null` is what a Python `None` becomes: treated as absent here, reported by the linter.
        None | Some(Value::Null) => None,
        Some(schema @ Value::Object(_)) => Some(schema.clone()),
        Some(other) => {
            return Err(at(
                pointer.key(key("outputSchema")),
                DefinitionErrorKind::WrongType {
                    expected: schema_expected.to_owned(),
                    found: describe(other),
                },
            ));
        }
    };
    Ok(Tool {
        name,
        description: tool
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        input_schema,
        output_schema,
        pointer,
        casing,
        action: None,
    })
}
