//! Refusals: every `GenerateError` names its kind and the JSON Pointer of the keyword at fault,
//! and no input, however broken, makes the generator panic or hang.

use crate::common;

use proptest::strategy::{Strategy, ValueTree};
use serde_json::{Value, json};
use toolcontract::generate::{GenerateError, GenerateErrorKind, SchemaGenerator};

fn refuse(schema: Value) -> GenerateError {
    SchemaGenerator::new(&schema).expect_err("refused")
}

#[test]
fn lookaround_the_fallback_cannot_satisfy_is_an_unsupported_pattern() {
    let pattern = "^(?=(?:.*\\d){6})(?=.*[!@#]).{1,6}$";
    let error = refuse(json!({
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": pattern}},
        "required": ["code"]
    }));
    assert_eq!(error.pointer.as_str(), "/properties/code/pattern");
    let GenerateErrorKind::UnsupportedPattern {
        pattern: named,
        reason,
    } = &error.kind
    else {
        panic!("{error}");
    };
    assert_eq!(named, pattern);
    assert!(reason.contains("lookaround"), "{reason}");
}

#[test]
fn lookaround_the_fallback_satisfies_generates() {
    let schema = json!({"type": "string", "pattern": "^(?!admin)[a-z]{3,8}$"});
    let generator = SchemaGenerator::new(&schema).expect("generates");
    let validator = jsonschema::validator_for(&schema).expect("validator");
    let mut runner = common::seeded_runner(&[2; 32]);
    for _ in 0..200 {
        let value = generator
            .strategy()
            .new_tree(&mut runner)
            .expect("value")
            .current();
        assert!(validator.is_valid(&value), "{value}");
    }
}

#[test]
fn backreferences_are_an_unsupported_pattern() {
    let error = refuse(json!({"type": "string", "pattern": "^(a+)-\\1$"}));
    assert_eq!(error.pointer.as_str(), "/pattern");
    assert!(
        matches!(&error.kind, GenerateErrorKind::UnsupportedPattern { reason, .. } if reason.contains("backreference")),
        "{error}"
    );
}

#[test]
fn a_required_remote_ref_is_unresolvable() {
    let error = refuse(json!({
        "type": "object",
        "properties": {"profile": {"$ref": "https://example.com/profile.json"}},
        "required": ["profile"]
    }));
    assert_eq!(error.pointer.as_str(), "/properties/profile");
    assert_eq!(
        error.kind,
        GenerateErrorKind::UnresolvableRef("https://example.com/profile.json".to_owned())
    );
}

#[test]
fn a_missing_local_target_is_unresolvable() {
    let error = refuse(json!({"properties": {"a": {"$ref": "#/$defs/missing"}}}));
    assert_eq!(error.pointer.as_str(), "/properties/a/$ref");
    assert_eq!(
        error.kind,
        GenerateErrorKind::UnresolvableRef("#/$defs/missing".to_owned())
    );
}

#[test]
fn an_unknown_meta_schema_is_unresolvable() {
    let error = refuse(json!({"$schema": "https://example.com/dialect", "type": "string"}));
    assert_eq!(error.pointer.as_str(), "/$schema");
    assert!(
        matches!(error.kind, GenerateErrorKind::UnresolvableRef(_)),
        "{error}"
    );
}

#[test]
fn unsatisfiable_schemas_name_the_contradiction() {
    let error = refuse(json!({
        "type": "object",
        "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 1}},
        "required": ["n"]
    }));
    assert_eq!(error.pointer.as_str(), "/properties/n");
    assert!(
        matches!(&error.kind, GenerateErrorKind::Unsatisfiable(m) if m.contains("minimum") && m.contains("maximum")),
        "{error}"
    );
    let error = refuse(json!(false));
    assert!(error.pointer.is_root());
    assert!(
        matches!(error.kind, GenerateErrorKind::Unsatisfiable(_)),
        "{error}"
    );
    let error = refuse(json!({"type": "array", "minItems": 1, "items": {"enum": []}}));
    assert_eq!(error.pointer.as_str(), "/items");
    assert!(
        matches!(error.kind, GenerateErrorKind::Unsatisfiable(_)),
        "{error}"
    );
}

#[test]
fn invalid_schemas_name_the_keyword() {
    for (schema, pointer) in [
        (json!({"type": 12}), "/type"),
        (json!({"minimum": "x"}), "/minimum"),
        (
            json!({"properties": {"a": {"type": "strin"}}}),
            "/properties/a/type",
        ),
        (json!({"pattern": "("}), "/pattern"),
        (json!({"required": "a"}), "/required"),
        (json!(12), ""),
        (json!("a string"), ""),
    ] {
        let error = refuse(schema.clone());
        assert_eq!(error.pointer.as_str(), pointer, "{schema}: {error}");
        assert!(
            matches!(error.kind, GenerateErrorKind::InvalidSchema(_)),
            "{schema}: {error}"
        );
    }
}

#[test]
fn filters_that_reject_almost_everything_are_too_hard() {
    // No literal end to splice into an address: an IPv4 address never matches letters.
    let error = refuse(json!({"type": "string", "format": "ipv4", "pattern": "^[a-z]+$"}));
    assert_eq!(error.pointer.as_str(), "/pattern");
    assert!(
        matches!(error.kind, GenerateErrorKind::TooHard(_)),
        "{error}"
    );
}

#[test]
fn errors_display_the_pointer() {
    let error = refuse(json!({"type": 12}));
    assert!(
        error
            .to_string()
            .starts_with("at /type: not a valid JSON Schema"),
        "{error}"
    );
}

/// Garbage in: an error or a working generator, never a panic or a hang.
#[test]
fn garbage_never_panics() {
    let inputs = [
        json!(null),
        json!([]),
        json!({"$ref": "#"}),
        json!({"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}),
        json!({"$defs": {"a": {"items": {"$ref": "#/$defs/a"}, "minItems": 1}}, "$ref": "#/$defs/a"}),
        json!({"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#"}}}),
        json!({"allOf": [{"$ref": "#/allOf/1"}, {"$ref": "#/allOf/0"}]}),
        json!({"type": "integer", "minimum": 1e308, "maximum": 1.7e308}),
        json!({"type": "integer", "minimum": -1e308, "maximum": -1e300, "multipleOf": 3}),
        json!({"type": "number", "multipleOf": 1e-300}),
        json!({"type": "number", "multipleOf": 1e300}),
        json!({"type": "string", "minLength": 1_000_000_000u64, "maxLength": 1_000_000_001u64}),
        json!({"type": "array", "minItems": 100_000, "maxItems": 100_000, "items": {"type": "null"}}),
        json!({"type": "string", "maxLength": 1_000_000_000u64}),
        json!({"type": "array", "maxItems": 1_000_000_000u64, "items": {"type": "integer"}}),
        json!({"type": "object", "maxProperties": 0, "minProperties": 0}),
        json!({"type": "string", "pattern": "[[:alpha:]]+"}),
        json!({"type": "string", "pattern": "\\p{Nonsense}"}),
        json!({"type": "string", "pattern": "^\\cJ$"}),
        json!({"type": "string", "pattern": "(?<name>x)\\k<name>"}),
        json!({"type": "string", "pattern": "a{1000}b{1000}"}),
        json!({"patternProperties": {"(": {}}}),
        json!({"$schema": "https://example.com/unknown-dialect", "type": "string"}),
        json!({"format": "date", "type": "string", "minLength": 30}),
        json!({"type": "object", "minProperties": 5, "additionalProperties": false}),
        json!({"type": "object", "propertyNames": {"maxLength": 0}, "minProperties": 1}),
        json!({"contains": {"type": "string"}, "items": {"type": "integer"}, "type": "array"}),
        json!({"uniqueItems": true, "items": {"const": 1}, "minItems": 2}),
        json!({"not": {"not": {"not": {"type": "null"}}}}),
        json!({"oneOf": [{"type": "integer"}, {"type": "number"}]}),
        json!({"if": {"type": "string"}, "then": {"minLength": 3}, "else": {"type": "null"}}),
    ];
    let mut runner = common::seeded_runner(&[3; 32]);
    for schema in inputs {
        let Ok(generator) = SchemaGenerator::new(&schema) else {
            continue;
        };
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the oracle compiles what the generator accepts");
        for _ in 0..20 {
            let value = generator
                .strategy()
                .new_tree(&mut runner)
                .expect("value")
                .current();
            assert!(validator.is_valid(&value), "{schema}: {value}");
        }
    }
}

/// Issue 13: the error names the keyword of the subschema the failing node was compiled from,
/// not the first subschema anywhere holding a keyword of that name.
fn too_hard_at(schema: Value) -> String {
    let error = refuse(schema.clone());
    assert!(
        matches!(error.kind, GenerateErrorKind::TooHard(_)),
        "{schema}: {error}"
    );
    error.pointer.as_str().to_owned()
}

#[test]
fn issue13_a_too_long_min_length_in_the_second_property_names_that_property() {
    let pointer = too_hard_at(json!({
        "type": "object",
        "properties": {
            "a": {"type": "string", "minLength": 1},
            "b": {"type": "string", "minLength": 200_000}
        }
    }));
    assert_eq!(pointer, "/properties/b/minLength");
}

#[test]
fn issue13_the_fault_is_named_through_ref_to_defs() {
    let pointer = too_hard_at(json!({
        "type": "object",
        "$defs": {
            "A": {"type": "string", "minLength": 1},
            "Long": {"type": "string", "minLength": 200_000}
        },
        "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"$ref": "#/$defs/Long"}}
    }));
    assert_eq!(pointer, "/$defs/Long/minLength");
    // A recursive definition stays a reference in the canonical form: its target is compiled
    // where it is written.
    let pointer = too_hard_at(json!({
        "type": "object",
        "$defs": {
            "A": {"type": "string", "minLength": 1},
            "Node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 200_000},
                    "next": {"$ref": "#/$defs/Node"}
                }
            }
        },
        "properties": {"a": {"$ref": "#/$defs/A"}, "root": {"$ref": "#/$defs/Node"}}
    }));
    assert_eq!(pointer, "/$defs/Node/properties/name/minLength");
}

#[test]
fn issue13_the_fault_is_named_through_all_of() {
    let pointer = too_hard_at(json!({
        "type": "object",
        "allOf": [
            {"properties": {"a": {"type": "string", "minLength": 1}}},
            {"properties": {"b": {"type": "string", "minLength": 200_000}}}
        ]
    }));
    assert_eq!(pointer, "/allOf/1/properties/b/minLength");
    // Inside one property: the canonical form folds both bounds into the larger one, and the
    // error names the branch that wrote it.
    let pointer = too_hard_at(json!({
        "type": "object",
        "properties": {
            "b": {"allOf": [{"type": "string", "minLength": 1}, {"minLength": 200_000}]}
        }
    }));
    assert_eq!(pointer, "/properties/b/allOf/1/minLength");
}

#[test]
fn issue13_the_fault_is_named_through_items() {
    let pointer = too_hard_at(json!({
        "type": "object",
        "properties": {
            "a": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "b": {"type": "array", "items": {"type": "string", "minLength": 200_000}}
        }
    }));
    assert_eq!(pointer, "/properties/b/items/minLength");
    let pointer = too_hard_at(json!({
        "type": "array",
        "prefixItems": [{"type": "string", "minLength": 1}],
        "items": {"type": "array", "minItems": 20_000}
    }));
    assert_eq!(pointer, "/items/minItems");
}

#[test]
fn issue13_a_pattern_that_cannot_be_generated_in_the_second_property_names_it() {
    let pattern = "^(a+)-\\1$";
    for decoy in [
        // The same pattern where it generates nothing: on an integer, and negated.
        json!({"type": "integer", "pattern": pattern}),
        json!({"type": "string", "not": {"pattern": pattern}}),
    ] {
        let schema = json!({
            "type": "object",
            "properties": {"a": decoy, "b": {"type": "string", "pattern": pattern}}
        });
        let error = refuse(schema.clone());
        assert_eq!(
            error.pointer.as_str(),
            "/properties/b/pattern",
            "{schema}: {error}"
        );
        assert!(
            matches!(&error.kind, GenerateErrorKind::UnsupportedPattern { pattern: p, .. } if p == pattern),
            "{error}"
        );
    }
}

#[test]
fn issue13_a_filter_that_rejects_too_often_names_its_own_keyword() {
    // No match of the pattern is 30 characters long: the length check on `b` rejects every
    // value.
    let pointer = too_hard_at(json!({
        "type": "object",
        "properties": {
            "a": {"type": "string", "minLength": 1},
            "b": {"type": "string", "pattern": "^x{1,5}$", "minLength": 30}
        },
        "required": ["b"]
    }));
    assert_eq!(pointer, "/properties/b/minLength");
}
