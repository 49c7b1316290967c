//! Errors that make a run impossible (exit status 2), and the exit statuses in one place.

use std::path::PathBuf;

use crate::definition::DefinitionError;
use crate::generate::GenerateErrorKind;
use crate::pointer::JsonPointer;
pub use crate::results::{NotASeed, ReplayError};

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
/// Large payloads are boxed, so `Result<_, Error>` stays small.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The definition cannot be loaded.
    #[error(transparent)]
    Definition(Box<DefinitionError>),
    /// A tool's input schema cannot be generated for, or its output schema does not compile.
    #[error(transparent)]
    Schema(Box<SchemaError>),
    /// A tool name that the definition does not declare was asked for.
    #[error(
        "unknown tool `{name}`{}; the definition declares: {available}",
        crate::suggest::did_you_mean_inline(name, available.split(", "))
    )]
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
    /// The configuration file cannot be used.
    #[error(transparent)]
    Config(Box<crate::config::ConfigError>),
    /// A file or folder could not be read, written, created or removed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: IoAction,
        /// The file or folder.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// Standard output could not be written (a closed pipe is not an error).
    #[error("cannot write to standard output: {0}")]
    Stdout(#[source] std::io::Error),
    /// A resource of the run itself (the async runtime, a signal handler, a transport) could
    /// not be set up.
    #[error("cannot {what}: {source}")]
    Runtime {
        /// What could not be done, e.g. `start the async runtime`.
        what: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The generator gave up drawing a value for a tool (its filters rejected too much).
    #[error("the generator gave up on `{tool}`: {reason}")]
    GeneratorGaveUp {
        /// The tool.
        tool: String,
        /// proptest's reason.
        reason: String,
    },
    /// A replay token or a report to replay cannot be used.
    #[error(transparent)]
    Replay(#[from] crate::results::ReplayError),
    /// Any other unusable input (a flag, an option, a snapshot file), with its message.
    #[error("{0}")]
    Usage(String),
}

/// What an [`Error::Io`] was doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IoAction {
    /// Reading a file.
    #[error("read")]
    Read,
    /// Writing a file.
    #[error("write")]
    Write,
    /// Creating a folder.
    #[error("create")]
    Create,
    /// Removing a file.
    #[error("remove")]
    Remove,
}

impl Error {
    /// An [`Error::Io`].
    pub fn io(action: IoAction, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// An [`Error::Runtime`].
    pub fn runtime(what: impl Into<String>, source: std::io::Error) -> Error {
        Error::Runtime {
            what: what.into(),
            source,
        }
    }
}

impl From<DefinitionError> for Error {
    fn from(error: DefinitionError) -> Self {
        Error::Definition(Box::new(error))
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(error: crate::config::ConfigError) -> Self {
        Error::Config(Box::new(error))
    }
}

impl From<SchemaError> for Error {
    fn from(error: SchemaError) -> Self {
        Error::Schema(Box::new(error))
    }
}

impl Error {
    /// The exit status this error ends the command with.
    pub fn exit_code(&self) -> i32 {
        exit::UNUSABLE
    }
}

/// A tool schema that cannot be used, with the file and the JSON Pointer into it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: at {pointer}: {problem}", file.display())]
#[non_exhaustive]
pub struct SchemaError {
    /// The definition file.
    pub file: PathBuf,
    /// The tool.
    pub tool: String,
    /// Where in the file (the schema's pointer joined with the schema-relative one).
    pub pointer: JsonPointer,
    /// What is wrong.
    pub problem: SchemaProblem,
}

/// What is wrong with a tool schema.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaProblem {
    /// The input schema cannot be generated for.
    #[error("cannot generate arguments: {0}")]
    Generate(GenerateErrorKind),
    /// The output schema is not a valid JSON Schema.
    #[error("the outputSchema is not a valid JSON Schema: {0}")]
    OutputSchema(String),
}
