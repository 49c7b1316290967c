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
//! a remote `$ref` on a required property) gives a [`GenerateError`] naming the keyword and its
//! JSON Pointer: the keyword of the subschema the failing part was compiled from, through
//! `$ref`, `allOf`, `properties`, `items` and the rest.
//!
//! # How it works
//!
//! `refs` first replaces each `$ref` that cannot be resolved offline (nor from
//! [`GenerateOptions::resources`]) with `false` and a warning, and builds the one whole-schema
//! validator. The schema is then reduced to a normal form by the `canonical` module of the
//! `jsonschema` crate (which folds `allOf`, `if`/`then`/`else`, `dependent*`,
//! `unevaluatedProperties` and makes `oneOf` branches exclusive where it can). `compile` maps
//! each canonical node to a strategy through one dispatch table (`family`), one module per
//! keyword family, each holding what it needs for valid, boundary and invalid values: `string`
//! (with `format` and `pattern`), `number`, `array`, `object`, `combinators`, `any`;
//! `raw` approximates what the canonical form cannot model. The canonical form has no pointers,
//! so `location` walks the original schema alongside it: every node is compiled at the
//! subschemas of the original that apply to its value, and an error or warning names the
//! keyword in those (not the first keyword of that name anywhere). Values are built to be
//! valid; where a node cannot be built exactly it is filtered (by a native check or by a
//! validator of that node), the whole strategy is then filtered by the whole-schema validator,
//! and compile-time probes refuse schemas whose filters would reject too often.
//! `early` holds what the runner's first two generated cases of a tool (the simplest value and
//! the edgy one) need from the strategies. `unsatisfiable` says where a schema admitting
//! nothing goes wrong. `invalid` breaks valid
//! values in one named way; `boundary` lists labelled edge values for snapshots.

mod any;
mod array;
mod boundary;
mod combinators;
mod compile;
pub(crate) mod early;
mod errors;
mod family;
mod format;
mod invalid;
mod literals;
mod location;
mod number;
mod object;
mod pattern;
mod pieces;
mod raw;
mod refs;
pub(crate) mod seeded;
mod string;
mod union;
mod unsatisfiable;
mod walk;

use std::{fmt, sync::Arc};

use proptest::strategy::SBoxedStrategy;
use serde::Serialize;
use serde_json::Value;

pub use errors::{GenerateError, GenerateErrorKind};

use crate::pointer::JsonPointer;

/// The default [`GenerateOptions::max_work`]: well above what any schema of the tool corpus
/// needs, low enough that a refusal comes within seconds.
pub const DEFAULT_MAX_WORK: u64 = 2_000_000;

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
    /// Whether objects get random properties the schema does not declare (where
    /// `additionalProperties` allows them). Off by default: handlers get what LLM clients send.
    pub extra_properties: bool,
    /// Documents for references outside the schema, by URI (e.g.
    /// `("https://example.com/address.json", {...})`). Nothing is fetched over the network; a
    /// `$ref` to any other URI is treated as unavailable.
    pub resources: Vec<(String, Value)>,
    /// The most work compiling one schema may take, in units of one compiled node or one JSON
    /// node of a value drawn at compile time (by the probes that check filters). Past it the
    /// schema is refused with [`GenerateErrorKind::BudgetExceeded`] rather than compiled for
    /// ever; a wall-clock limit would make the outcome depend on the machine.
    pub max_work: u64,
    /// Text about the schema from outside it: the tool's own description. The values it names
    /// (quoted strings, ids such as `SKU-1003`, dates, numbers, names such as `Jane Doe`) are
    /// tried, one value in 8, wherever a string or number node admits them, as those of a
    /// node's own `description`, `examples` and `default` are. The checker passes each tool's.
    pub description: Option<String>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            max_recursion_depth: 3,
            long_string_length: 1024,
            extra_properties: false,
            resources: Vec::new(),
            max_work: DEFAULT_MAX_WORK,
            description: None,
        }
    }
}

/// A compiled generator for one schema. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct SchemaGenerator {
    inner: Arc<Inner>,
}

struct Inner {
    schema: Value,
    strategy: SBoxedStrategy<Value>,
    invalid: Option<SBoxedStrategy<InvalidValue>>,
    boundary: Vec<LabeledValue>,
    warnings: Vec<GenerateWarning>,
}

impl fmt::Debug for SchemaGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaGenerator")
            .field("schema", &self.inner.schema)
            .field("warnings", &self.inner.warnings)
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
        let built = compile::build(schema, options)?;
        let invalid = invalid::strategy(&built);
        Ok(SchemaGenerator {
            inner: Arc::new(Inner {
                schema: schema.clone(),
                strategy: built.strategy,
                invalid,
                boundary: built.boundary,
                warnings: built.warnings,
            }),
        })
    }

    /// A strategy of values the schema accepts (a cheap clone of the compiled one).
    pub fn strategy(&self) -> SBoxedStrategy<Value> {
        self.inner.strategy.clone()
    }

    /// A strategy of values the schema rejects, each breaking it in one named way; `None` when
    /// the schema accepts every value (nothing to violate).
    pub fn invalid_strategy(&self) -> Option<SBoxedStrategy<InvalidValue>> {
        self.inner.invalid.clone()
    }

    /// A small deterministic set of valid values: declared `examples`/`default`/`const`,
    /// boundary values, optional properties absent and present. Same result on every machine.
    pub fn boundary_values(&self) -> Vec<LabeledValue> {
        self.inner.boundary.clone()
    }

    /// What the generator chose to do about parts of the schema it treats specially (an
    /// unknown `format` treated as an annotation, an unavailable remote `$ref` never generated).
    pub fn warnings(&self) -> &[GenerateWarning] {
        &self.inner.warnings
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
    /// A string, array or object is longer than allowed (or an array has too many items
    /// matching `contains`: `maxContains`).
    TooLong,
    /// A string, array or object is shorter than allowed (or an array has too few items
    /// matching `contains`).
    TooShort,
    /// A string does not match its pattern.
    PatternMismatch,
    /// An object carries a property the schema does not allow.
    UnexpectedProperty,
    /// A value is not one of the allowed `enum`/`const` values, or is one a `not` forbids.
    NotAllowedValue,
    /// A string is not in its `format`.
    FormatMismatch,
    /// An array's items are not unique (`uniqueItems`).
    DuplicateItems,
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
            ViolationKind::FormatMismatch => "format_mismatch",
            ViolationKind::DuplicateItems => "duplicate_items",
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
