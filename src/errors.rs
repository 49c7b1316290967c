//! Errors that make a run impossible (exit status 2), and the exit statuses in one place.

use std::path::PathBuf;

use crate::definition::DefinitionError;
use crate::generate::GenerateErrorKind;
use crate::pointer::JsonPointer;

/// Exit statuses of the `toolcontract` command.
pub mod exit {
    /// Every check held (or the definition linted clean).
    pub const OK: i32 = 0;
    /// Findings (or lint errors).
    pub const FINDINGS: i32 = 1;
    /// The definition, a flag or the handler command is unusable.
    pub const UNUSABLE: i32 = 2;
}

/// Why a run cannot start. Every variant says where: file and JSON Pointer, or the flag.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The definition cannot be loaded.
    #[error(transparent)]
    Definition(#[from] DefinitionError),
    /// A tool's input schema cannot be generated for.
    #[error("{}: at {pointer}: cannot generate arguments for tool `{tool}`: {kind}", file.display())]
    Generate {
        /// The definition file.
        file: PathBuf,
        /// The tool.
        tool: String,
        /// Where in the file (the input schema's pointer joined with the schema-relative one).
        pointer: JsonPointer,
        /// Why.
        kind: GenerateErrorKind,
    },
    /// A tool's output schema does not compile.
    #[error("{}: at {pointer}: the outputSchema of tool `{tool}` is not a valid JSON Schema: {message}", file.display())]
    OutputSchema {
        /// The definition file.
        file: PathBuf,
        /// The tool.
        tool: String,
        /// Where in the file.
        pointer: JsonPointer,
        /// The validator's message.
        message: String,
    },
    /// A tool name that the definition does not declare was asked for.
    #[error("unknown tool `{name}`; the definition declares: {available}")]
    UnknownTool {
        /// The name asked for.
        name: String,
        /// The declared names, comma-separated.
        available: String,
    },
    /// An invalid Gateway target name.
    #[error(
        "invalid target name `{0}`: Gateway target names match ([0-9a-zA-Z][-]?){{1,100}}: \
         letters and digits, single hyphens between them, no underscores"
    )]
    InvalidTargetName(String),
    /// A definition with no tools to check.
    #[error("{}: the definition declares no tools", .0.display())]
    NoTools(PathBuf),
    /// The handler command cannot be used.
    #[error("the handler command cannot be used: {0}")]
    Handler(String),
    /// Any other unusable input (a flag, a report to replay), with its message.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The exit status this error ends the command with.
    pub fn exit_code(&self) -> i32 {
        exit::UNUSABLE
    }
}
