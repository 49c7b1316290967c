//! Definitions: what the user deployed or will deploy, loaded from a file into [`Tool`]s.
//!
//! Accepted forms (detected from the document's shape):
//! - a Gateway `inlinePayload` list: `[{"name", "description", "inputSchema", "outputSchema"?}]`;
//! - a `CreateGatewayTarget` request holding
//!   `targetConfiguration.mcp.lambda.toolSchema.inlinePayload`;
//! - the same list in CloudFormation/CDK casing (`Name`, `InputSchema`, `Type`, `Properties`);
//! - an MCP `tools/list` result, `{"tools": [...]}`.
//!
//! Loading never panics: malformed JSON, an unknown form or a misplaced value is a
//! [`DefinitionError`] naming the file and the JSON Pointer.

mod gateway;
pub mod lint;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::pointer::JsonPointer;

/// Which form a definition file had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DefinitionKind {
    /// A JSON array of Gateway `ToolDefinition`s (the `inlinePayload`).
    GatewayInlinePayload,
    /// A `CreateGatewayTarget` request (`targetConfiguration.mcp.lambda.toolSchema`).
    CreateGatewayTarget,
    /// An `inlinePayload` in CloudFormation/CDK casing (`Name`, `InputSchema`, ...).
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

/// One callable in a definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Tool {
    /// The tool name as declared (without any `<target>___` prefix).
    pub name: String,
    /// The description, when declared.
    pub description: Option<String>,
    /// The input schema (JSON Schema; for CloudFormation casing, converted to camelCase).
    pub input_schema: Value,
    /// The output schema, when declared.
    pub output_schema: Option<Value>,
    /// Where this tool sits in its file.
    pub pointer: JsonPointer,
}

impl Tool {
    /// Pointer to the tool's input schema in its file.
    pub fn input_schema_pointer(&self) -> JsonPointer {
        self.pointer.key(self.input_schema_key())
    }

    /// Pointer to the tool's output schema in its file.
    pub fn output_schema_pointer(&self) -> JsonPointer {
        self.pointer.key(self.output_schema_key())
    }

    fn input_schema_key(&self) -> &'static str {
        "inputSchema"
    }

    fn output_schema_key(&self) -> &'static str {
        "outputSchema"
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
        gateway::load(source.as_ref(), document)
    }

    /// The tool with this name.
    pub fn tool(&self, name: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.name == name)
    }
}

/// A definition that cannot be used, with the file and the JSON Pointer where it went wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub struct DefinitionError {
    /// The file.
    pub file: PathBuf,
    /// Where in the file.
    pub pointer: JsonPointer,
    /// What is wrong.
    pub kind: DefinitionErrorKind,
}

impl DefinitionError {
    /// An error at `pointer` in `file`.
    pub fn new(file: impl AsRef<Path>, pointer: JsonPointer, kind: DefinitionErrorKind) -> Self {
        DefinitionError {
            file: file.as_ref().to_owned(),
            pointer,
            kind,
        }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: at {}: {}",
            self.file.display(),
            self.pointer,
            self.kind
        )
    }
}

/// What is wrong with a definition.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DefinitionErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The file is not JSON.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document is none of the accepted forms.
    #[error("not a tool definition: {0}")]
    UnknownForm(String),
    /// A value has the wrong JSON type or is missing.
    #[error("{0}")]
    Invalid(String),
    /// The same tool name is declared twice.
    #[error("tool `{name}` is declared twice (first at {first})")]
    DuplicateTool {
        /// The repeated name.
        name: String,
        /// Where it was first declared.
        first: JsonPointer,
    },
}
