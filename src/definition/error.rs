//! Why a definition cannot be used: the file, the JSON Pointer and a typed kind.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::pointer::JsonPointer;

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
    /// YAML text (an OpenAPI document, a template) that cannot be parsed, or a template tag
    /// CloudFormation does not know.
    #[error("malformed YAML at line {line}, column {column}: {message}")]
    MalformedYaml {
        /// 1-based line (within the YAML text).
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// An action group's OpenAPI document is stored in S3, which toolcontract does not read.
    #[error(
        "the OpenAPI document is stored in S3{}, which toolcontract does not read: download it \
         (e.g. `aws s3 cp s3://BUCKET/KEY openapi.yaml`) and pass it with the action group's \
         name (`--action-group NAME`), or put its text in `apiSchema.payload`",
        match (bucket, key) {
            (Some(b), Some(k)) => format!(" (s3://{b}/{k})"),
            (None, Some(k)) => format!(" (key `{k}`)"),
            _ => String::new(),
        }
    )]
    S3ApiSchema {
        /// `s3BucketName`, when the document gives it.
        bucket: Option<String>,
        /// `s3ObjectKey`, when the document gives it.
        key: Option<String>,
    },
    /// The document nests deeper than [`MAX_DEPTH`](super::MAX_DEPTH) levels.
    #[error("the document nests deeper than {limit} levels; no tool definition needs that")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The document is none of the accepted forms (the message says which forms are).
    #[error("not a tool definition: {0}")]
    UnknownForm(String),
    /// A member the form needs is absent.
    #[error("`{member}` is missing: expected {expected}")]
    Missing {
        /// The member's name as the form spells it (e.g. `inputSchema` or `InputSchema`).
        member: String,
        /// What should be there.
        expected: String,
    },
    /// A value has the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What should be there.
        expected: String,
        /// What is there, e.g. `a number (42)`.
        found: String,
    },
    /// The tool schema is stored in S3, which toolcontract does not read.
    #[error(
        "the tool schema is stored in S3{}, which toolcontract does not read: download that \
         file (e.g. `aws s3 cp <uri> tools.json`) and pass it instead; it holds the \
         inlinePayload list of tool definitions",
        uri.as_deref().map(|u| format!(" ({u})")).unwrap_or_default()
    )]
    S3ToolSchema {
        /// The object's URI, when the document gives one.
        uri: Option<String>,
    },
    /// The list of tools is empty.
    #[error("the definition declares no tools: expected at least one tool definition")]
    NoTools,
    /// A value is present but cannot be used (the message says why and what was expected).
    #[error("{0}")]
    Invalid(String),
    /// A key given twice in one object (JSON parsers disagree on which wins; serde_json and
    /// the service's would keep the last).
    #[error(
        "the key `{key}` is given twice in this object (line {line}, column {column}); give it once"
    )]
    DuplicateKey {
        /// The key.
        key: String,
        /// 1-based line of the second occurrence.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The same tool name is declared twice.
    #[error("tool `{name}` is declared twice (first at {first})")]
    DuplicateTool {
        /// The repeated name.
        name: String,
        /// Where it was first declared.
        first: JsonPointer,
    },
    /// A value toolcontract reads is an intrinsic function whose value is not known before
    /// deployment (a parameter, a resource attribute, a condition, ...).
    #[error(
        "`{function}` cannot be resolved before deployment: {reason}. toolcontract never guesses \
         such values: write this one literally in the template, or pass the definition as \
         deployed (for a Gateway target, the output of `aws bedrock-agentcore-control \
         get-gateway-target`)"
    )]
    Unresolved {
        /// The function (`Ref`, `Fn::Sub`, ...).
        function: String,
        /// Why its value is not known.
        reason: String,
    },
    /// A template holds several tool definitions and none was picked.
    #[error(
        "the template holds {} tool definitions; pick one with `--resource LOGICAL_ID` (and \
         `--action-group NAME` for one action group of an agent), or \
         `Selection::resource`:\n{}",
        candidates.len(),
        lines(candidates)
    )]
    SeveralCandidates {
        /// One line per candidate.
        candidates: Box<[String]>,
    },
    /// A template holds no tool definition toolcontract can test.
    #[error(
        "the template holds no AWS::BedrockAgentCore::GatewayTarget with a Lambda target and no \
         AWS::Bedrock::Agent action group backed by a Lambda function (it has {found}){}",
        if listed.is_empty() { String::new() } else { format!(":\n{}", lines(listed)) }
    )]
    NoCandidates {
        /// What the template does hold, e.g. `2 resources: 1 AWS::Lambda::Function, ...`.
        found: String,
        /// The candidates that are never picked by themselves, one line each.
        listed: Box<[String]>,
    },
    /// `--resource` names no resource of the template.
    #[error(
        "the template has no resource `{logical_id}`{hint}; its tool definitions:\n{}",
        lines(candidates)
    )]
    UnknownResource {
        /// The logical id asked for.
        logical_id: String,
        /// `; did you mean `X`?`, or nothing.
        hint: String,
        /// One line per candidate.
        candidates: Box<[String]>,
    },
    /// `--resource` names a resource that holds no tool definition.
    #[error(
        "`{logical_id}` is of type {resource_type}: `--resource` takes an \
         AWS::BedrockAgentCore::GatewayTarget or an AWS::Bedrock::Agent; the template's tool \
         definitions:\n{}",
        lines(candidates)
    )]
    NotACandidate {
        /// The logical id asked for.
        logical_id: String,
        /// Its type.
        resource_type: String,
        /// One line per candidate.
        candidates: Box<[String]>,
    },
    /// `--action-group` names no action group among the candidates.
    #[error(
        "no action group `{name}`{hint}; {}",
        if known.is_empty() {
            "`--action-group` picks an action group of an AWS::Bedrock::Agent, and there is \
             none with a literal name here".to_owned()
        } else {
            format!("the action groups: {}", known.join(", "))
        }
    )]
    UnknownActionGroup {
        /// The name asked for.
        name: String,
        /// `; did you mean `X`?`, or nothing.
        hint: String,
        /// The action groups' names.
        known: Box<[String]>,
    },
}

/// One indented line per item.
fn lines(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("  {item}"))
        .collect::<Vec<_>>()
        .join("\n")
}
