//! Loading Gateway definitions: inlinePayload, CreateGatewayTarget, CloudFormation casing and
//! MCP tools/list.
//!
//! PLACEHOLDER: a minimal loader of inlinePayload arrays and tools/list results.

use std::path::Path;

use serde_json::Value;

use super::{Definition, DefinitionError, DefinitionErrorKind, DefinitionKind, Tool};
use crate::pointer::JsonPointer;

pub(super) fn load(source: &Path, document: Value) -> Result<Definition, DefinitionError> {
    let (kind, list, base) = match &document {
        Value::Array(list) => (
            DefinitionKind::GatewayInlinePayload,
            list.clone(),
            JsonPointer::root(),
        ),
        Value::Object(map) if map.get("tools").is_some_and(Value::is_array) => (
            DefinitionKind::McpToolsList,
            map["tools"].as_array().cloned().unwrap_or_default(),
            JsonPointer::root().key("tools"),
        ),
        _ => {
            return Err(DefinitionError::new(
                source,
                JsonPointer::root(),
                DefinitionErrorKind::UnknownForm("expected a list of tools".into()),
            ));
        }
    };
    let mut tools = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let pointer = base.index(i);
        let name = t["name"].as_str().ok_or_else(|| {
            DefinitionError::new(
                source,
                pointer.key("name"),
                DefinitionErrorKind::Invalid("missing name".into()),
            )
        })?;
        tools.push(Tool {
            name: name.to_owned(),
            description: t["description"].as_str().map(str::to_owned),
            input_schema: t["inputSchema"].clone(),
            output_schema: t.get("outputSchema").cloned(),
            pointer,
        });
    }
    Ok(Definition {
        source: source.to_owned(),
        kind,
        target_name: None,
        tools,
        document,
    })
}
