//! The one dispatch table: which keyword family handles a canonical node, for valid, boundary
//! and invalid values alike.
//!
//! As the `jsonschema` crate keeps a keyword's compile, validate and tests in one file, each
//! family module keeps what it knows about its keywords together, behind [`Family`]: the
//! strategy of valid values ([`Family::valid`], for `compile`), the labelled edge values of a
//! leaf ([`Family::bounds`], for `boundary`), the ways to break a valid value
//! ([`Family::mutations`], for `invalid`) and the JSON types it admits ([`Family::types`]).
//! [`family`] is the only `match` from a canonical view to a family module.
//!
//! What stays outside: the walks over the shape of a value (which properties `boundary` varies
//! and `invalid` breaks, the references a node names) are structural, not per family, and live
//! with their users.

use jsonschema::{
    JsonType, JsonTypeSet,
    canonical::{CanonicalSchema, CanonicalView},
};
use serde_json::Value;

use super::{
    GenerateError, any, array, combinators,
    compile::{Compiler, Node, Reference},
    invalid::Mutation,
    number, object, raw, string,
};

/// What a keyword family provides for one canonical node (its view).
pub(crate) trait Family {
    /// The values the node accepts, as a strategy (or why there are none).
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError>;

    /// Labelled edge values of a leaf (its minimum, its longest string, ...): `current` is its
    /// value in the simplest instance, `at` names it in the labels.
    fn bounds(&self, _current: &Value, _at: &str) -> Vec<(String, Value)> {
        Vec::new()
    }

    /// The ways to break a valid value at `at`, pushed onto `out` (`nesting`: how many
    /// combinators deep the node is).
    fn mutations(&self, _at: &[String], _out: &mut Vec<Mutation>, _nesting: usize) {}

    /// The JSON types the node admits, when its view says.
    fn types(&self) -> Option<JsonTypeSet> {
        None
    }
}

/// The dispatch table: the family of a canonical node.
pub(crate) fn family(node: &CanonicalSchema) -> Box<dyn Family> {
    match node.view() {
        CanonicalView::MultiType(types) => Box::new(any::Types(types)),
        CanonicalView::TypedGroup(group) => Box::new(combinators::Group(group)),
        CanonicalView::String(view) => Box::new(string::Strings(view)),
        CanonicalView::Integer(view) => Box::new(number::Integers(view)),
        CanonicalView::Number(view) => Box::new(number::Numbers(view)),
        CanonicalView::Array(view) => Box::new(array::Arrays(view)),
        CanonicalView::Object(view) => Box::new(object::Objects(view)),
        CanonicalView::Const(value) => Box::new(combinators::Const(value)),
        CanonicalView::Enum(values) => Box::new(combinators::Enum(values)),
        CanonicalView::Not(inner) => Box::new(combinators::Not(*inner)),
        CanonicalView::AllOf(branches) => Box::new(combinators::AllOf(branches)),
        CanonicalView::AnyOf(branches) => Box::new(combinators::AnyOf(branches)),
        CanonicalView::OneOf(branches) => Box::new(combinators::OneOf(branches)),
        CanonicalView::Reference(uri) => Box::new(Reference(uri)),
        CanonicalView::True => Box::new(any::True),
        CanonicalView::False => Box::new(any::False),
        CanonicalView::Raw(view) => Box::new(raw::Raw(view)),
    }
}

/// The set of `types`.
pub(crate) fn type_set(types: &[JsonType]) -> JsonTypeSet {
    types
        .iter()
        .fold(JsonTypeSet::empty(), |set, ty| set.insert(*ty))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn of(schema: Value) -> Box<dyn Family> {
        family(&jsonschema::canonicalize(&schema).expect("canonical"))
    }

    #[test]
    fn one_table_serves_valid_boundary_and_invalid_values() {
        let strings = of(json!({"type": "string", "minLength": 2, "maxLength": 4}));
        let labels: Vec<String> = strings
            .bounds(&json!("ab"), "/s")
            .into_iter()
            .map(|(label, value)| format!("{label}: {value}"))
            .collect();
        assert_eq!(labels, ["longest string at /s: \"abbb\""]);
        let mut out = Vec::new();
        strings.mutations(&["s".to_owned()], &mut out, 0);
        assert_eq!(
            format!("{out:?}"),
            r#"[Truncate { at: ["s"], chars: 1 }, Pad { at: ["s"], chars: 5 }]"#
        );
        assert_eq!(strings.types(), Some(type_set(&[JsonType::String])));

        let integers = of(json!({"type": "integer", "minimum": 1, "maximum": 9}));
        let labels: Vec<String> = integers
            .bounds(&json!(1), "/n")
            .into_iter()
            .map(|(label, value)| format!("{label}: {value}"))
            .collect();
        assert_eq!(labels, ["minimum of /n: 1", "maximum of /n: 9"]);
        let mut out = Vec::new();
        integers.mutations(&[], &mut out, 0);
        assert_eq!(
            format!("{out:?}"),
            "[Set { at: [], value: Number(0) }, Set { at: [], value: Number(10) }]"
        );

        // Combinators look into their branches for mutations and types.
        let either = of(json!({"anyOf": [{"type": "string", "maxLength": 1}, {"const": 3}]}));
        let mut out = Vec::new();
        either.mutations(&[], &mut out, 0);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(either.bounds(&json!(3), "").is_empty());
    }
}
