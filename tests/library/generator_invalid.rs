//! Invalid values: each breaks the schema in one named way, the validator agrees (with exactly
//! that keyword, instance path and schema path), and every kind the schema allows shows up.

use crate::common;

use std::collections::BTreeMap;

use proptest::strategy::{Strategy, ValueTree};
use serde_json::{Value, json};
use toolcontract::generate::{InvalidValue, SchemaGenerator, ViolationKind};

fn invalid_values(schema: &Value, n: usize) -> Vec<InvalidValue> {
    let generator = SchemaGenerator::new(schema).expect("compiles");
    let strategy = generator.invalid_strategy().expect("something to violate");
    let mut runner = common::seeded_runner(&[17; 32]);
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("value").current())
        .collect()
}

/// The keywords each kind may be named from.
fn keywords(kind: ViolationKind) -> &'static [&'static str] {
    match kind {
        ViolationKind::MissingRequired => &["required"],
        ViolationKind::WrongType => &["type"],
        ViolationKind::OutOfRange => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        ViolationKind::TooLong => &["maxLength", "maxItems", "maxProperties"],
        ViolationKind::TooShort => &["minLength", "minItems", "minProperties"],
        ViolationKind::PatternMismatch => &["pattern"],
        ViolationKind::UnexpectedProperty => &[
            "additionalProperties",
            "unevaluatedProperties",
            "propertyNames",
            "falseSchema",
        ],
        ViolationKind::NotAllowedValue => &["enum", "const"],
        ViolationKind::FormatMismatch => &["format"],
        _ => &[],
    }
}

#[test]
fn every_kind_is_produced_and_confirmed_by_the_validator() {
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "name": {"type": "string", "minLength": 2, "maxLength": 8, "pattern": "^[a-z]+$"},
            "count": {"type": "integer", "minimum": 1, "maximum": 10},
            "mode": {"enum": ["fast", "slow"]},
            "when": {"type": "string", "format": "date"},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}
        },
        "required": ["name", "count"]
    });
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("validator");
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    for invalid in invalid_values(&schema, 600) {
        let errors: Vec<_> = validator.iter_errors(&invalid.value).collect();
        assert_eq!(errors.len(), 1, "one way: {}", invalid.value);
        let error = &errors[0];
        let kind = invalid.violation.kind;
        assert!(
            keywords(kind).contains(&error.kind().keyword()),
            "{kind:?} named from `{}`",
            error.kind().keyword()
        );
        assert_eq!(
            invalid.violation.instance_path.as_str(),
            error.instance_path().as_str()
        );
        assert_eq!(
            invalid.violation.schema_path.as_str(),
            error.schema_path().as_str()
        );
        *seen.entry(kind.as_str()).or_default() += 1;
    }
    let expected = [
        "missing_required",
        "wrong_type",
        "out_of_range",
        "too_long",
        "too_short",
        "pattern_mismatch",
        "unexpected_property",
        "not_allowed_value",
        "format_mismatch",
    ];
    for kind in expected {
        assert!(seen.contains_key(kind), "{kind} never produced: {seen:?}");
    }
}

#[test]
fn nested_required_paths_are_sites() {
    let schema = json!({
        "type": "object",
        "properties": {
            "order": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}},
                "required": ["id", "qty"]
            }
        },
        "required": ["order"]
    });
    let values = invalid_values(&schema, 300);
    assert!(
        values
            .iter()
            .any(|v| v.violation.instance_path.as_str() == "/order"
                && v.violation.kind == ViolationKind::MissingRequired)
    );
    assert!(
        values
            .iter()
            .any(|v| v.violation.instance_path.as_str() == "/order/qty"
                && v.violation.kind == ViolationKind::OutOfRange)
    );
}

#[test]
fn unexpected_properties_only_when_the_schema_closes_the_object() {
    let open =
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]});
    let values = invalid_values(&open, 200);
    assert!(
        values
            .iter()
            .all(|v| v.violation.kind != ViolationKind::UnexpectedProperty)
    );
    assert!(
        values
            .iter()
            .any(|v| v.violation.kind == ViolationKind::MissingRequired)
    );
}

#[test]
fn nothing_to_violate_gives_none() {
    for schema in [json!(true), json!({}), json!({"description": "anything"})] {
        let generator = SchemaGenerator::new(&schema).expect("compiles");
        assert!(generator.invalid_strategy().is_none(), "{schema}");
    }
}
