//! Definitions: what the user deployed or will deploy, loaded from a file into [`Tool`]s.
//!
//! Accepted forms (detected from the document's shape, see [`DefinitionKind`]):
//! - a Gateway `inlinePayload` list: `[{"name", "description", "inputSchema", "outputSchema"?}]`,
//!   bare or wrapped as `{"inlinePayload": [...]}` or `{"toolSchema": {"inlinePayload": [...]}}`;
//! - a `CreateGatewayTarget` request holding
//!   `targetConfiguration.mcp.lambda.toolSchema.inlinePayload`;
//! - the same list in CloudFormation/CDK casing (`Name`, `InputSchema`, `Type`, `Properties`),
//!   bare or inside `AWS::BedrockAgentCore::GatewayTarget` properties (`TargetConfiguration`);
//! - an MCP `tools/list` result, `{"tools": [...]}`.
//!
//! Loading never panics: malformed JSON, an unknown form or a misplaced value is a
//! [`DefinitionError`] naming the file and the JSON Pointer. [`lint`] then says what the service
//! would reject or may drop.

mod cloudformation;
mod describe;
mod error;
mod forms;
mod gateway;
pub mod lint;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

pub use self::error::{DefinitionError, DefinitionErrorKind};
use crate::pointer::JsonPointer;

/// How many levels of arrays and objects a definition document may nest. `serde_json` refuses
/// such text anyway (its recursion limit stops at 128 levels); the same limit applies to
/// documents handed over as values, so that nothing downstream recurses without bound.
pub const MAX_DEPTH: usize = 128;

/// Which form a definition file had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DefinitionKind {
    /// A JSON array of Gateway `ToolDefinition`s (the `inlinePayload`), bare or wrapped as
    /// `{"inlinePayload": [...]}` or `{"toolSchema": {"inlinePayload": [...]}}`.
    GatewayInlinePayload,
    /// A `CreateGatewayTarget` request (`targetConfiguration.mcp.lambda.toolSchema`).
    CreateGatewayTarget,
    /// An `inlinePayload` in CloudFormation/CDK casing (`Name`, `InputSchema`, ...), bare or in
    /// `AWS::BedrockAgentCore::GatewayTarget` properties (`TargetConfiguration.Mcp.Lambda`).
    CloudFormationInlinePayload,
    /// An MCP `tools/list` result.
    McpToolsList,
}

impl DefinitionKind {
    /// Whether the tools are served through an AgentCore Gateway Lambda target.
    pub fn is_gateway(self) -> bool {
        true
    }
}

/// The key casing of a tool's members in its file.
///
/// The loader converts CloudFormation casing to camelCase (the keys of the schema structure
/// only: `Type`, `Properties`, `Required`, `Items`, `Description`; never property names), so
/// [`Tool::input_schema`] is always camelCase; the casing only says where things are in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyCasing {
    /// `name`, `description`, `inputSchema`, `outputSchema` (the API and MCP casing).
    #[default]
    CamelCase,
    /// `Name`, `Description`, `InputSchema`, `OutputSchema` (CloudFormation and CDK L1 casing).
    CloudFormation,
}

/// One callable in a definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Tool {
    /// The tool name as declared (without any `<target>___` prefix).
    pub name: String,
    /// The description, when declared as a string.
    pub description: Option<String>,
    /// The input schema (JSON Schema; for CloudFormation casing, converted to camelCase).
    pub input_schema: Value,
    /// The output schema, when declared (converted like the input schema).
    pub output_schema: Option<Value>,
    /// Where this tool sits in its file.
    pub pointer: JsonPointer,
    /// The casing of the tool's members in its file.
    #[serde(skip)]
    pub casing: KeyCasing,
}

impl Tool {
    /// A camelCase tool with no description or output schema, at `pointer`.
    pub fn new(name: impl Into<String>, input_schema: Value, pointer: JsonPointer) -> Tool {
        Tool {
            name: name.into(),
            description: None,
            input_schema,
            output_schema: None,
            pointer,
            casing: KeyCasing::CamelCase,
        }
    }

    /// Pointer to the tool's input schema in its file (`.../InputSchema` for CloudFormation
    /// casing).
    pub fn input_schema_pointer(&self) -> JsonPointer {
        self.pointer.key(self.casing.tool_key("inputSchema"))
    }

    /// Pointer to the tool's output schema in its file (`.../OutputSchema` for CloudFormation
    /// casing).
    pub fn output_schema_pointer(&self) -> JsonPointer {
        self.pointer.key(self.casing.tool_key("outputSchema"))
    }
}

/// A loaded definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Definition {
    /// The file it came from (or a label such as `<inline>`).
    pub source: PathBuf,
    /// The form it had.
    pub kind: DefinitionKind,
    /// The target name declared in the document (`CreateGatewayTarget.name`), if any.
    pub target_name: Option<String>,
    /// Its tools, in declaration order.
    pub tools: Vec<Tool>,
    /// Where the list of tools sits in the document (the root for a bare list, `/tools` for a
    /// tools/list result, `/targetConfiguration/mcp/lambda/toolSchema/inlinePayload` for a
    /// `CreateGatewayTarget` request).
    pub tools_pointer: JsonPointer,
    /// The document as read.
    #[serde(skip)]
    pub document: Value,
}

impl Definition {
    /// Reads and parses a definition file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Definition, DefinitionError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            DefinitionError::new(
                path,
                JsonPointer::root(),
                DefinitionErrorKind::Io(e.to_string()),
            )
        })?;
        Definition::from_str(path, &text)
    }

    /// Parses a definition from text; `source` names it in error messages.
    pub fn from_str(source: impl AsRef<Path>, text: &str) -> Result<Definition, DefinitionError> {
        let source = source.as_ref();
        let document: Value = serde_json::from_str(text).map_err(|e| {
            DefinitionError::new(
                source,
                JsonPointer::root(),
                DefinitionErrorKind::MalformedJson {
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                },
            )
        })?;
        Definition::from_value(source, document)
    }

    /// Interprets an already parsed document.
    pub fn from_value(
        source: impl AsRef<Path>,
        document: Value,
    ) -> Result<Definition, DefinitionError> {
        let source = source.as_ref();
        if let Some(pointer) = describe::deeper_than(&document, MAX_DEPTH) {
            return Err(DefinitionError::new(
                source,
                pointer,
                DefinitionErrorKind::TooDeep { limit: MAX_DEPTH },
            ));
        }
        gateway::load(source, document)
    }

    /// The place in the file of `relative`, a pointer into the value at `base` (a pointer in
    /// the file, such as [`Tool::input_schema_pointer`]). Tools in CloudFormation casing are
    /// converted to camelCase when loaded, so a pointer into the converted schema is mapped
    /// back to the file's own keys (`/properties/x` under `InputSchema` is `/Properties/x`).
    pub fn pointer_in_file(&self, base: &JsonPointer, relative: &JsonPointer) -> JsonPointer {
        if self.kind == DefinitionKind::CloudFormationInlinePayload
            && let Some(original) = self.document.pointer(base.as_str())
        {
            return base.join(&cloudformation::original_pointer(original, relative));
        }
        base.join(relative)
    }

    /// The tool with this name.
    pub fn tool(&self, name: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.name == name)
    }
}
