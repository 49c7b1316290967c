//! Why a schema cannot be generated for, and where: every error names a JSON Pointer into the
//! schema (relative to its root) and, where one is at fault, the keyword.

use crate::pointer::JsonPointer;

/// A schema the generator cannot generate values for.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("at {pointer}: {kind}")]
#[non_exhaustive]
pub struct GenerateError {
    /// Where in the schema (relative to the schema's root).
    pub pointer: JsonPointer,
    /// Why.
    pub kind: GenerateErrorKind,
}

/// Why a schema cannot be generated for.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateErrorKind {
    /// The schema is not a valid JSON Schema.
    #[error("not a valid JSON Schema: {0}")]
    InvalidSchema(String),
    /// A keyword the generator cannot honour.
    #[error("keyword `{keyword}` is not supported for generation: {reason}")]
    UnsupportedKeyword {
        /// The keyword, e.g. `$dynamicRef`.
        keyword: String,
        /// Why.
        reason: String,
    },
    /// A `$ref` that cannot be resolved offline.
    #[error("`$ref` to `{0}` cannot be resolved (only references inside the document are)")]
    UnresolvableRef(String),
    /// A `pattern` the generator cannot produce strings for.
    #[error("pattern `{pattern}` is not supported for generation: {reason}")]
    UnsupportedPattern {
        /// The pattern.
        pattern: String,
        /// Why (e.g. lookaround).
        reason: String,
    },
    /// No value satisfies the schema.
    #[error("unsatisfiable: {0}")]
    Unsatisfiable(String),
    /// The schema's constraints interact in a way the generator cannot satisfy efficiently.
    #[error("too hard to satisfy: {0}")]
    TooHard(String),
    /// Compiling the schema took more than its work budget ([`GenerateOptions::max_work`](
    /// super::GenerateOptions::max_work)).
    #[error(
        "compiling needs more than max_work = {limit} units of work (compiled nodes and JSON \
         nodes drawn by probes); raise max_work or simplify the schema"
    )]
    BudgetExceeded {
        /// The budget that was exceeded.
        limit: u64,
    },
}

impl GenerateErrorKind {
    /// Stable snake_case label of the kind (e.g. `unsupported_pattern`), for tables and reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            GenerateErrorKind::InvalidSchema(_) => "invalid_schema",
            GenerateErrorKind::UnsupportedKeyword { .. } => "unsupported_keyword",
            GenerateErrorKind::UnresolvableRef(_) => "unresolvable_ref",
            GenerateErrorKind::UnsupportedPattern { .. } => "unsupported_pattern",
            GenerateErrorKind::Unsatisfiable(_) => "unsatisfiable",
            GenerateErrorKind::TooHard(_) => "too_hard",
            GenerateErrorKind::BudgetExceeded { .. } => "budget_exceeded",
        }
    }
}

impl GenerateError {
    pub(crate) fn new(pointer: JsonPointer, kind: GenerateErrorKind) -> GenerateError {
        GenerateError { pointer, kind }
    }

    pub(crate) fn invalid_schema(pointer: JsonPointer, message: impl Into<String>) -> Self {
        GenerateError::new(pointer, GenerateErrorKind::InvalidSchema(message.into()))
    }

    pub(crate) fn unsupported_keyword(
        pointer: JsonPointer,
        keyword: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        GenerateError::new(
            pointer,
            GenerateErrorKind::UnsupportedKeyword {
                keyword: keyword.into(),
                reason: reason.into(),
            },
        )
    }

    pub(crate) fn unresolvable_ref(pointer: JsonPointer, uri: impl Into<String>) -> Self {
        GenerateError::new(pointer, GenerateErrorKind::UnresolvableRef(uri.into()))
    }

    pub(crate) fn unsupported_pattern(
        pointer: JsonPointer,
        pattern: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        GenerateError::new(
            pointer,
            GenerateErrorKind::UnsupportedPattern {
                pattern: pattern.into(),
                reason: reason.into(),
            },
        )
    }

    pub(crate) fn unsatisfiable(pointer: JsonPointer, message: impl Into<String>) -> Self {
        GenerateError::new(pointer, GenerateErrorKind::Unsatisfiable(message.into()))
    }

    pub(crate) fn budget_exceeded(pointer: JsonPointer, limit: u64) -> Self {
        GenerateError::new(pointer, GenerateErrorKind::BudgetExceeded { limit })
    }

    pub(crate) fn too_hard(pointer: JsonPointer, message: impl Into<String>) -> Self {
        GenerateError::new(pointer, GenerateErrorKind::TooHard(message.into()))
    }
}
