//! Rules no contract can express: unknown tool members, `required` names missing from
//! `properties`, tool names (quota, MCP recommendation, `___`), per-target quotas and the target
//! name when it does not come from a CreateGatewayTarget request.

use serde_json::Value;

use super::{Diagnostic, LintCode, contract, file_pointer, is_target_payload};
use crate::contracts::Contract;
use crate::definition::names::{self, SEPARATOR};
use crate::definition::{Definition, DefinitionKind, MAX_DEPTH, Tool};
use crate::pointer::JsonPointer;

/// Default quota: characters in a tool name (AgentCore quotas page; adjustable).
pub const MAX_TOOL_NAME_CHARS: usize = 256;
/// Default quota: tools per target (AgentCore quotas page; adjustable).
pub const MAX_TOOLS_PER_TARGET: usize = 1_000;
/// Default quota: inline schema size, 1 MB (AgentCore quotas page; adjustable). Counted as
/// 1,000,000 bytes of compact JSON: whether "MB" means 10^6 or 2^20 bytes is not documented, and
/// the smaller reading warns first.
pub const MAX_INLINE_PAYLOAD_BYTES: usize = 1_000_000;
/// MCP specification 2025-11-25, "Tool names": SHOULD be 1 to 128 characters.
pub const MCP_TOOL_NAME_MAX_CHARS: usize = 128;
/// MCP specification 2025-11-25, "Tool names": SHOULD use only `A-Z a-z 0-9 _ - .`.
fn is_mcp_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Tool members the Gateway does not model (Lambda target payloads only: MCP tools/list
/// results legitimately carry `title`, `annotations`, `icons`, `_meta`). The known members are
/// read from the `gateway-tool-definitions` contract.
pub(super) fn unknown_tool_members(definition: &Definition, out: &mut Vec<Diagnostic>) {
    if !is_target_payload(definition.kind) {
        return;
    }
    let Some(known) = Contract::GatewayToolDefinitions
        .schema()
        .pointer("/$defs/toolDefinition/properties")
        .and_then(Value::as_object)
    else {
        return;
    };
    let members: Vec<&str> = known.keys().map(String::as_str).collect();
    for tool in &definition.tools {
        let Some(Value::Object(original)) = definition.document.pointer(tool.pointer.as_str())
        else {
            continue;
        };
        for key in original.keys() {
            let known = members
                .iter()
                .any(|m| *m == key || tool.casing.tool_key(m) == key);
            if !known {
                out.push(Diagnostic::new(
                    LintCode::UnknownToolMember,
                    tool.pointer.key(key),
                    format!(
                        "`{key}` is not a ToolDefinition member ({}); the Gateway may reject or \
                         drop it",
                        members.join(", ")
                    ),
                ));
            }
        }
    }
}

/// `required` names that the same schema's `properties` does not declare, through the
/// SchemaDefinition structure (`properties` values and `items`).
pub(super) fn required_in_properties(
    definition: &Definition,
    tool: &Tool,
    out: &mut Vec<Diagnostic>,
) {
    let schemas = [
        (Some(&tool.input_schema), tool.input_schema_pointer()),
        (tool.output_schema.as_ref(), tool.output_schema_pointer()),
    ];
    for (schema, base) in schemas {
        let Some(schema) = schema else { continue };
        // Explicit stack: depth is bounded by MAX_DEPTH anyway, but no recursion is simpler.
        let mut stack = vec![(schema, JsonPointer::root(), 0usize)];
        while let Some((node, relative, depth)) = stack.pop() {
            let Value::Object(map) = node else { continue };
            if depth > MAX_DEPTH {
                continue;
            }
            let properties = map.get("properties").and_then(Value::as_object);
            if let Some(Value::Array(required)) = map.get("required") {
                for (i, name) in required.iter().enumerate() {
                    let Some(name) = name.as_str() else { continue };
                    if !properties.is_some_and(|p| p.contains_key(name)) {
                        out.push(Diagnostic::new(
                            LintCode::RequiredNotInProperties,
                            file_pointer(definition, &base, &relative.key("required").index(i)),
                            format!(
                                "`{name}` is required but `properties` does not declare it; \
                                 expected a property named `{name}` (or remove it from \
                                 `required`)"
                            ),
                        ));
                    }
                }
            }
            if let Some(properties) = properties {
                for (name, child) in properties {
                    stack.push((child, relative.key("properties").key(name), depth + 1));
                }
            }
            if let Some(items) = map.get("items") {
                stack.push((items, relative.key("items"), depth + 1));
            }
        }
    }
}

/// The tool name: quota, MCP recommendation, `___`.
pub(super) fn tool_name(definition: &Definition, tool: &Tool, out: &mut Vec<Diagnostic>) {
    let pointer = tool.pointer.key(tool.casing.tool_key("name"));
    let name = tool.name.as_str();
    let chars = name.chars().count();

    if is_target_payload(definition.kind) && chars > MAX_TOOL_NAME_CHARS {
        out.push(Diagnostic::new(
            LintCode::ToolNameOverQuota,
            pointer.clone(),
            format!(
                "the tool name has {chars} characters; the default quota is \
                 {MAX_TOOL_NAME_CHARS} (adjustable)"
            ),
        ));
    }

    let mut bad: Vec<char> = Vec::new();
    for c in name.chars().filter(|c| !is_mcp_name_char(*c)) {
        if !bad.contains(&c) && bad.len() < 5 {
            bad.push(c);
        }
    }
    if chars == 0 || chars > MCP_TOOL_NAME_MAX_CHARS || !bad.is_empty() {
        let found = if chars == 0 {
            "the tool name is empty".to_owned()
        } else if bad.is_empty() {
            format!("the tool name has {chars} characters")
        } else {
            let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
            format!("the tool name contains {}", shown.join(", "))
        };
        out.push(Diagnostic::new(
            LintCode::ToolNameNotRecommended,
            pointer.clone(),
            format!(
                "{found}; MCP recommends 1 to {MCP_TOOL_NAME_MAX_CHARS} characters of \
                 A-Z a-z 0-9 _ - ."
            ),
        ));
    } else if let Some(target) = &definition.target_name {
        let combined = target.chars().count() + SEPARATOR.len() + chars;
        if combined > MCP_TOOL_NAME_MAX_CHARS {
            out.push(Diagnostic::new(
                LintCode::ToolNameNotRecommended,
                pointer.clone(),
                format!(
                    "MCP clients see `{target}{SEPARATOR}{name}`, {combined} characters; \
                     MCP recommends at most {MCP_TOOL_NAME_MAX_CHARS}"
                ),
            ));
        }
    }

    if let Some((prefix, rest)) = name.split_once(SEPARATOR) {
        out.push(Diagnostic::new(
            LintCode::CombinedToolName,
            pointer,
            format!(
                "`{name}` contains `{SEPARATOR}`, the separator the Gateway puts between \
                 target and tool names: it looks like `<target>{SEPARATOR}<tool>` (target \
                 `{prefix}`, tool `{rest}`) as a Gateway's tools/list shows it; the Gateway adds \
                 the prefix itself, so a Lambda target should declare `{rest}`"
            ),
        ));
    }
}

/// Per-target quotas: tools per target and inline payload size.
pub(super) fn quotas(definition: &Definition, out: &mut Vec<Diagnostic>) {
    if !is_target_payload(definition.kind) {
        return;
    }
    let count = definition.tools.len();
    if count > MAX_TOOLS_PER_TARGET {
        out.push(Diagnostic::new(
            LintCode::TooManyTools,
            definition.tools_pointer.clone(),
            format!(
                "{count} tools; the default quota is {MAX_TOOLS_PER_TARGET} tools per target \
                 (adjustable): split them over several targets"
            ),
        ));
    }
    if let Some(list) = definition
        .document
        .pointer(definition.tools_pointer.as_str())
    {
        let bytes = serde_json::to_vec(list).map_or(0, |v| v.len());
        if bytes > MAX_INLINE_PAYLOAD_BYTES {
            out.push(Diagnostic::new(
                LintCode::InlinePayloadTooLarge,
                definition.tools_pointer.clone(),
                format!(
                    "the inline payload is {bytes} bytes of compact JSON; the default quota is \
                     1 MB (adjustable): store larger tool schemas in S3 (10 MB quota)"
                ),
            ));
        }
    }
}

/// The target name, when it is known but did not come from a CreateGatewayTarget request (whose
/// contract checks it): CloudFormation GatewayTarget properties, or a name the caller set. The
/// pattern is read from the `gateway-create-target-request` contract.
pub(super) fn target_name(definition: &Definition, out: &mut Vec<Diagnostic>) {
    if definition.kind == DefinitionKind::CreateGatewayTarget {
        return;
    }
    let Some(name) = &definition.target_name else {
        return;
    };
    if names::is_valid_target_name(name) {
        return;
    }
    let value = Value::from(name.as_str());
    let pointer = match definition.document.get("Name") {
        Some(Value::String(declared)) if declared == name => JsonPointer::root().key("Name"),
        _ => JsonPointer::root(),
    };
    out.push(Diagnostic::new(
        LintCode::InvalidTargetName,
        pointer,
        contract::target_name_message(&value),
    ));
}
