//! JSON Schema (draft 2020-12) to proptest strategies.
//!
//! [`SchemaGenerator::new`] compiles a schema once; [`SchemaGenerator::strategy`] then hands out
//! a cheap clone of a `Send + Sync` strategy of values the schema accepts, which shrinks toward
//! small values (optional properties dropped, strings and arrays shortened, numbers moved toward
//! zero). Generation is biased toward the values that break handlers: 0, -0.0, ±1, the bounds,
//! integers beyond 32 bits, empty and very long strings, non-ASCII and astral-plane text, empty
//! arrays, optional properties absent.
//!
//! A schema the generator cannot honour (a keyword it does not support, an unsatisfiable schema,
//! a remote `$ref`) gives a [`GenerateError`] naming the keyword and its JSON Pointer.

use std::fmt;

use proptest::strategy::SBoxedStrategy;
use serde::Serialize;
use serde_json::Value;

use crate::pointer::JsonPointer;

/// Knobs for [`SchemaGenerator::with_options`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GenerateOptions {
    /// How many times one recursive `$ref` may be expanded inside itself before the generator
    /// stops recursing (choosing the non-recursive alternatives).
    pub max_recursion_depth: u32,
    /// The length of the "very long" strings the generator tries when a schema sets no
    /// `maxLength`.
    pub long_string_length: usize,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            max_recursion_depth: 3,
            long_string_length: 1024,
        }
    }
}

/// A compiled generator for one schema. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct SchemaGenerator {
    schema: std::sync::Arc<Value>,
    strategy: SBoxedStrategy<Value>,
    warnings: Vec<GenerateWarning>,
}

impl fmt::Debug for SchemaGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaGenerator")
            .field("schema", &self.schema)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl SchemaGenerator {
    /// Compiles `schema` with default options.
    pub fn new(schema: &Value) -> Result<SchemaGenerator, GenerateError> {
        SchemaGenerator::with_options(schema, &GenerateOptions::default())
    }

    /// Compiles `schema`.
    pub fn with_options(
        schema: &Value,
        options: &GenerateOptions,
    ) -> Result<SchemaGenerator, GenerateError> {
        let _ = options;
        placeholder::compile(schema).map(|strategy| SchemaGenerator {
            schema: std::sync::Arc::new(schema.clone()),
            strategy,
            warnings: Vec::new(),
        })
    }

    /// A strategy of values the schema accepts (a cheap clone of the compiled one).
    pub fn strategy(&self) -> SBoxedStrategy<Value> {
        self.strategy.clone()
    }

    /// A strategy of values the schema rejects, each breaking it in one named way; `None` when
    /// the schema accepts every value (nothing to violate).
    pub fn invalid_strategy(&self) -> Option<SBoxedStrategy<InvalidValue>> {
        None
    }

    /// A small deterministic set of valid values: declared `examples`/`default`/`const`,
    /// boundary values, optional properties absent and present. Same result on every machine.
    pub fn boundary_values(&self) -> Vec<LabeledValue> {
        Vec::new()
    }

    /// What the generator chose to do about parts of the schema it treats specially (an
    /// unknown `format` treated as an annotation, an unavailable remote `$ref` never generated).
    pub fn warnings(&self) -> &[GenerateWarning] {
        &self.warnings
    }

    /// The schema as given.
    pub fn schema(&self) -> &Value {
        &self.schema
    }
}

/// A value that breaks the schema in one named way.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct InvalidValue {
    /// The invalid value.
    pub value: Value,
    /// How it breaks the schema.
    pub violation: Violation,
}

/// One way a value breaks a schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Violation {
    /// What kind of rule is broken.
    pub kind: ViolationKind,
    /// Where in the value (e.g. `/count`).
    pub instance_path: JsonPointer,
    /// Which keyword of the schema rejects it (e.g. `/properties/count/maximum`).
    pub schema_path: JsonPointer,
}

/// The kinds of violation the invalid-value strategy produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// A required property is missing.
    MissingRequired,
    /// A value has a type the schema does not allow.
    WrongType,
    /// A number is below its minimum or above its maximum (or not a multiple).
    OutOfRange,
    /// A string or array is longer than allowed.
    TooLong,
    /// A string or array is shorter than allowed.
    TooShort,
    /// A string does not match its pattern.
    PatternMismatch,
    /// An object carries a property the schema does not allow.
    UnexpectedProperty,
    /// A value is not one of the allowed `enum`/`const` values.
    NotAllowedValue,
}

impl ViolationKind {
    /// Stable snake_case label.
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::MissingRequired => "missing_required",
            ViolationKind::WrongType => "wrong_type",
            ViolationKind::OutOfRange => "out_of_range",
            ViolationKind::TooLong => "too_long",
            ViolationKind::TooShort => "too_short",
            ViolationKind::PatternMismatch => "pattern_mismatch",
            ViolationKind::UnexpectedProperty => "unexpected_property",
            ViolationKind::NotAllowedValue => "not_allowed_value",
        }
    }
}

/// A deterministic example value with a label saying what it exercises.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LabeledValue {
    /// e.g. `example 1`, `minimum of /count`, `optional properties absent`.
    pub label: String,
    /// The value (valid for the schema).
    pub value: Value,
}

/// Something the generator treats specially, with where it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GenerateWarning {
    /// Where in the schema.
    pub pointer: JsonPointer,
    /// What was done about it.
    pub message: String,
}

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
}

/// A stand-in until the real generator lands: flat objects of numbers, integers, strings and
/// booleans.
mod placeholder {
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    use super::{GenerateError, GenerateErrorKind};
    use crate::pointer::JsonPointer;

    pub(super) fn compile(schema: &Value) -> Result<SBoxedStrategy<Value>, GenerateError> {
        let unsupported = || GenerateError {
            pointer: JsonPointer::root(),
            kind: GenerateErrorKind::TooHard("placeholder generator".into()),
        };
        match schema.get("type").and_then(Value::as_str) {
            Some("number") => Ok(prop_oneof![Just(0.0), -1e6..1e6f64]
                .prop_map(|f| serde_json::json!(f))
                .sboxed()),
            Some("integer") => Ok(prop_oneof![Just(0i64), any::<i64>()]
                .prop_map(|i| serde_json::json!(i))
                .sboxed()),
            Some("string") => Ok(prop_oneof![Just(String::new()), ".{0,40}"]
                .prop_map(Value::String)
                .sboxed()),
            Some("boolean") => Ok(any::<bool>().prop_map(Value::Bool).sboxed()),
            Some("object") => {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let mut fields = Vec::new();
                if let Some(props) = schema["properties"].as_object() {
                    for (name, sub) in props {
                        let s = compile(sub)?;
                        let name = name.clone();
                        let field = if required.contains(&name.as_str()) {
                            s.prop_map(move |v| Some((name.clone(), v))).sboxed()
                        } else {
                            proptest::option::of(s)
                                .prop_map(move |v| v.map(|v| (name.clone(), v)))
                                .sboxed()
                        };
                        fields.push(field);
                    }
                }
                Ok(fields
                    .prop_map(|fs| Value::Object(fs.into_iter().flatten().collect::<Map<_, _>>()))
                    .sboxed())
            }
            _ => Err(unsupported()),
        }
    }
}
