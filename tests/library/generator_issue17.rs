//! Regressions of issue 17: values independent validators found unsound, schemas that hung,
//! refusals that were not justified, and negative values that were never produced. Every
//! generated value is checked with the `jsonschema` crate (the oracle); where the crate is laxer
//! than ECMA-262 or than the official meta-schemas, the oracle is given the strict form.

use crate::common;

use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::{Map, Value, json};
use toolcontract::generate::{GenerateErrorKind, GenerateOptions, SchemaGenerator};

fn runner(seed: u8) -> TestRunner {
    common::seeded_runner(&[seed; 32])
}

fn draw(generator: &SchemaGenerator, n: usize, seed: u8) -> Vec<Value> {
    let strategy = generator.strategy();
    let mut runner = runner(seed);
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("value").current())
        .collect()
}

fn oracle(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("oracle compiles")
}

/// `n` values of `schema`, each accepted by the oracle compiled from `strict` (the same schema,
/// spelled so that the crate validates it as strictly as the standard says).
fn sound(schema: &Value, strict: &Value, n: usize) -> Vec<Value> {
    let generator = SchemaGenerator::new(schema).unwrap_or_else(|e| panic!("{schema}: {e}"));
    let oracle = oracle(strict);
    let values = draw(&generator, n, 3);
    for value in &values {
        assert!(oracle.is_valid(value), "{schema}: unsound {value}");
    }
    values
}

/// An object with `n` properties, each the whole schema again (Renovate's shape).
fn fan_out(n: usize) -> Value {
    let properties: Map<String, Value> = (0..n)
        .map(|i| (format!("p{i}"), json!({"$ref": "#"})))
        .collect();
    json!({"type": "object", "properties": properties})
}

// 1. Soundness.

#[test]
fn fan_out_of_recursive_refs_compiles_within_the_work_budget() {
    for n in [16, 32, 64, 132] {
        let schema = fan_out(n);
        let values = sound(&schema, &schema, 3);
        assert!(values.iter().all(Value::is_object), "{n}");
    }
}

#[test]
fn a_spent_work_budget_is_a_typed_refusal() {
    let mut options = GenerateOptions::default();
    options.max_work = 50;
    let error = SchemaGenerator::with_options(&fan_out(64), &options).unwrap_err();
    assert_eq!(error.kind, GenerateErrorKind::BudgetExceeded { limit: 50 });
    assert_eq!(error.kind.as_str(), "budget_exceeded");
    // Blamed on the reference being expanded when it ran out: the root, `#`.
    assert!(error.pointer.is_root(), "{}", error.pointer);
}

#[test]
fn lint_of_a_recursive_fan_out_finishes_and_notes_nothing_ungeneratable() {
    use toolcontract::definition::Definition;
    use toolcontract::lint::{LintCode, lint_for_check};
    let document = json!([{"name": "renovate", "description": "d", "inputSchema": fan_out(64)}]);
    let definition = Definition::from_value("tools.json", document).expect("loads");
    let diagnostics = lint_for_check(&definition);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code != LintCode::NotGeneratable),
        "{diagnostics:?}"
    );
}

#[test]
fn property_names_by_ref_honour_the_ecma_dot() {
    // ECMA-262's `.` matches no line terminator; the crate's translation of `.` lets `\r`,
    // U+2028 and U+2029 through, so the oracle gets the pattern with `.` spelled as a class.
    let by_ref = json!({
        "type": "object", "minProperties": 3,
        "propertyNames": {"$ref": "#/$defs/name"},
        "$defs": {"name": {"pattern": "^.+$"}}
    });
    let strict = json!({
        "type": "object", "minProperties": 3,
        "propertyNames": {"$ref": "#/$defs/name"},
        "$defs": {"name": {"pattern": "^[^\\n\\r\\u2028\\u2029]+$"}}
    });
    let values = sound(&by_ref, &strict, 300);
    assert!(
        values
            .iter()
            .all(|v| v.as_object().is_some_and(|m| m.len() >= 3))
    );
    // The same through a pattern property and a plain string.
    let string = json!({"type": "string", "allOf": [{"$ref": "#/$defs/s"}], "$defs": {"s": {"pattern": "^a.b$"}}});
    let strict = json!({"type": "string", "pattern": "^a[^\\n\\r\\u2028\\u2029]b$"});
    sound(&string, &strict, 200);
}

#[test]
fn property_names_by_ref_generate_like_inline() {
    for names in [
        json!({"pattern": "^x-[a-z]{5}[0-9]{3}$"}),
        json!({"enum": ["alpha", "beta", "gamma"]}),
    ] {
        let by_ref = json!({
            "type": "object", "minProperties": 2,
            "propertyNames": {"$ref": "#/$defs/n"}, "$defs": {"n": names}
        });
        let values = sound(&by_ref, &by_ref, 100);
        assert!(
            values
                .iter()
                .all(|v| v.as_object().is_some_and(|m| m.len() >= 2))
        );
    }
}

/// Whether every `enum` in the schema positions of `schema` (a draft-04 schema) has at least one
/// member and no duplicate, as the official draft-04 meta-schema demands.
fn draft4_enums_ok(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return true;
    };
    if let Some(Value::Array(members)) = map.get("enum") {
        let unique = members
            .iter()
            .enumerate()
            .all(|(i, a)| members[..i].iter().all(|b| a != b));
        if members.is_empty() || !unique {
            return false;
        }
    }
    let mut children: Vec<&Value> = Vec::new();
    for key in ["additionalItems", "additionalProperties", "not", "items"] {
        children.extend(map.get(key));
    }
    for key in ["items", "allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get(key) {
            children.extend(items);
        }
    }
    for key in [
        "properties",
        "patternProperties",
        "definitions",
        "dependencies",
    ] {
        if let Some(Value::Object(entries)) = map.get(key) {
            children.extend(entries.values());
        }
    }
    children.into_iter().all(draft4_enums_ok)
}

#[test]
fn draft4_meta_schema_values_are_valid_for_the_official_meta_schema() {
    let schema = json!({
        "$schema": "http://json-schema.org/draft-04/schema#",
        "$ref": "http://json-schema.org/draft-04/schema#"
    });
    let values = sound(&schema, &schema, 300);
    let bad: Vec<&Value> = values.iter().filter(|v| !draft4_enums_ok(v)).collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(
        values.iter().any(|v| v.get("enum").is_some()),
        "some values have an enum"
    );
}

// 3. Negative values.

/// The violation kinds (label, schema path) of 200 invalid values, each rejected by the oracle
/// at the instance path named.
fn violations(schema: &Value) -> std::collections::BTreeSet<(String, String)> {
    let generator = SchemaGenerator::new(schema).expect("compiles");
    let strategy = generator
        .invalid_strategy()
        .unwrap_or_else(|| panic!("{schema}: something to violate"));
    let oracle = oracle(schema);
    let mut runner = runner(5);
    (0..200)
        .map(|_| {
            let invalid = strategy.new_tree(&mut runner).expect("value").current();
            assert!(
                !oracle.is_valid(&invalid.value),
                "{schema}: accepted {}",
                invalid.value
            );
            assert!(
                common::reports(
                    &oracle,
                    &invalid.value,
                    invalid.violation.instance_path.as_str(),
                    invalid.violation.schema_path.as_str()
                ),
                "{schema}: {:?} is not reported for {}",
                invalid.violation,
                invalid.value
            );
            (
                invalid.violation.kind.as_str().to_owned(),
                invalid.violation.schema_path.as_str().to_owned(),
            )
        })
        .collect()
}

fn has(found: &std::collections::BTreeSet<(String, String)>, kind: &str, path: &str) -> bool {
    found.contains(&(kind.to_owned(), path.to_owned()))
}

#[test]
fn keywords_without_type_get_violations() {
    let found = violations(&json!({"minimum": 0}));
    assert!(has(&found, "out_of_range", "/minimum"), "{found:?}");
    let found = violations(&json!({"minimum": 1.1}));
    assert!(has(&found, "out_of_range", "/minimum"), "{found:?}");
    let found = violations(&json!({"maxLength": 2}));
    assert!(has(&found, "too_long", "/maxLength"), "{found:?}");
    let found = violations(&json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
    assert!(has(&found, "wrong_type", "/anyOf"), "{found:?}");
}

#[test]
fn anyof_wrapped_properties_break_every_branch() {
    // Pydantic's `Optional[int]` with a bound, and `Optional[Model]`.
    let schema = json!({
        "type": "object",
        "required": ["count", "owner"],
        "properties": {
            "count": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 9}, {"type": "null"}]},
            "owner": {"anyOf": [
                {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                {"type": "null"}
            ]}
        }
    });
    let found = violations(&schema);
    assert!(
        has(&found, "wrong_type", "/properties/count/anyOf"),
        "{found:?}"
    );
    assert!(
        has(&found, "out_of_range", "/properties/count/anyOf/0/maximum"),
        "{found:?}"
    );
    assert!(
        has(&found, "out_of_range", "/properties/count/anyOf/0/minimum"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "missing_required",
            "/properties/owner/anyOf/0/required"
        ),
        "{found:?}"
    );
}

#[test]
fn more_keyword_families_get_violations() {
    let schema = json!({
        "type": "object",
        "required": ["step", "tags"],
        "properties": {
            "step": {"type": "integer", "multipleOf": 5},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true}
        }
    });
    let found = violations(&schema);
    assert!(
        has(&found, "out_of_range", "/properties/step/multipleOf"),
        "{found:?}"
    );
    assert!(
        has(&found, "duplicate_items", "/properties/tags/uniqueItems"),
        "{found:?}"
    );
    assert!(
        has(&found, "too_short", "/properties/tags/minItems"),
        "{found:?}"
    );
}

/// `{"type": "string", "enum": [..]}` (129 corpus properties): every non-string breaks both
/// `type` and `enum`, so no value breaks `type` alone; such a value is named a wrong type.
#[test]
fn a_typed_enum_gets_a_wrong_type() {
    let schema = json!({
        "type": "object",
        "properties": {"order": {"type": "string", "enum": ["asc", "desc"]}}
    });
    let found = violations(&schema);
    assert!(
        has(&found, "wrong_type", "/properties/order/type"),
        "{found:?}"
    );
    assert!(
        has(&found, "not_allowed_value", "/properties/order/enum"),
        "{found:?}"
    );
}

/// GitHub's `projects_write` `updated_field`: a typed `oneOf` of two closed objects. A string
/// breaks `type` and `oneOf` (a wrong type); an extra key breaks the first branch once and the
/// second twice (named by the nearer branch).
#[test]
fn a_typed_one_of_of_closed_objects_gets_a_wrong_type_and_an_unexpected_property() {
    let closed = |key: &str| {
        json!({
            "type": "object", "additionalProperties": false, "required": [key, "value"],
            "properties": {key: {"type": "integer"}, "value": {}}
        })
    };
    let schema = json!({
        "type": "object",
        "required": ["field"],
        "properties": {"field": {"type": "object", "oneOf": [closed("id"), closed("name")]}}
    });
    let found = violations(&schema);
    assert!(
        has(&found, "wrong_type", "/properties/field/type"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "unexpected_property",
            "/properties/field/oneOf/0/additionalProperties"
        ) || has(
            &found,
            "unexpected_property",
            "/properties/field/oneOf/1/additionalProperties"
        ),
        "{found:?}"
    );
}

/// The items of an array (GitHub's `fields`: `items: {"enum": [..]}`; `push_files`: items closed
/// objects; `set_issue_fields`: an optional item property with `maxLength`; the assignees'
/// items a `oneOf` of a string and an object) are sites: their type, their keywords, and the
/// keywords of their properties.
#[test]
fn array_items_get_violations() {
    let schema = json!({
        "type": "object",
        "properties": {
            "fields": {"type": "array", "items": {"type": "string", "enum": ["sha", "url"]}},
            "files": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["path"],
                "properties": {"path": {"type": "string"}}
            }},
            "notes": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"}, "why": {"type": "string", "maxLength": 3}}
            }},
            "people": {"type": "array", "items": {"oneOf": [
                {"type": "string"},
                {"type": "object", "required": ["login"], "properties": {
                    "login": {"type": "string"},
                    "confidence": {"type": "string", "enum": ["LOW", "HIGH"]}
                }}
            ]}}
        }
    });
    let found = violations(&schema);
    for (kind, path) in [
        ("not_allowed_value", "/properties/fields/items/enum"),
        ("wrong_type", "/properties/fields/items/type"),
        (
            "unexpected_property",
            "/properties/files/items/additionalProperties",
        ),
        ("missing_required", "/properties/files/items/required"),
        (
            "too_long",
            "/properties/notes/items/properties/why/maxLength",
        ),
        ("wrong_type", "/properties/people/items/oneOf"),
        (
            "not_allowed_value",
            "/properties/people/items/oneOf/1/properties/confidence/enum",
        ),
    ] {
        assert!(has(&found, kind, path), "{kind} at {path}: {found:?}");
    }
}

/// Keywords no mutation site models, without `type` (the suite's groups that were said to
/// accept every value though it has an invalid instance for each): a whole value near the
/// valid ones, or a small one of any type, breaks them.
#[test]
fn schemas_no_site_breaks_get_whole_invalid_values() {
    for (schema, kind, path) in [
        (json!({"maxProperties": 2}), "too_long", "/maxProperties"),
        (json!({"minProperties": 1}), "too_short", "/minProperties"),
        (
            json!({"contains": {"minimum": 5}}),
            "too_short",
            "/contains",
        ),
        (
            json!({"not": {"type": "integer"}}),
            "not_allowed_value",
            "/not",
        ),
        (
            json!({"dependentRequired": {"bar": ["foo"]}}),
            "missing_required",
            "/dependentRequired",
        ),
    ] {
        let found = violations(&schema);
        assert!(has(&found, kind, path), "{schema}: {found:?}");
    }
}

// 4. Refusals that were not justified.

#[test]
fn local_pointers_with_raw_uri_characters_resolve() {
    for (name, raw, encoded) in [
        ("A<B>", "#/$defs/A<B>", "#/$defs/A%3CB%3E"),
        ("A B", "#/$defs/A B", "#/$defs/A%20B"),
    ] {
        let schema = |reference: &str| json!({"$defs": {name: {"type": "integer", "minimum": 3}}, "$ref": reference});
        // The crate's validator refuses the raw form; the encoded one is the same schema.
        let values = sound(&schema(raw), &schema(encoded), 50);
        assert!(
            // Integers past `i64::MAX` (the edge `u64::MAX`) are integers too.
            values.iter().all(|v| v.as_f64().is_some_and(|n| n >= 3.0)),
            "{raw}: {values:?}"
        );
        sound(&schema(encoded), &schema(encoded), 50);
    }
}

#[test]
fn the_v1_dialect_is_generated_as_2020_12() {
    // The stable release's `$schema` is no reference: every v1 schema used to be refused.
    let schema = json!({
        "$schema": "https://json-schema.org/v1",
        "type": "object", "required": ["n"],
        "properties": {"n": {"type": "integer", "minimum": 3}}
    });
    let generator = SchemaGenerator::new(&schema).unwrap_or_else(|e| panic!("{e}"));
    // The crate knows no v1 either: its oracle reads the same schema as 2020-12.
    let mut strict = schema.clone();
    strict["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    let oracle = oracle(&strict);
    for value in draw(&generator, 100, 3) {
        assert!(oracle.is_valid(&value), "{value}");
    }
}

#[test]
fn bounds_beyond_64_bits_are_clamped_soundly() {
    for schema in [
        json!({"type": "number", "maximum": 1e19}),
        json!({"type": "integer", "maximum": 1e19}),
        json!({"type": "integer", "minimum": -1e19, "maximum": 5}),
        json!({"type": "integer", "minimum": 1e19}),
        json!({"type": "number", "exclusiveMinimum": 1e300}),
        json!({"maximum": 1e19}),
        json!({"type": "object", "properties": {"big": {"type": "integer", "minimum": 0, "maximum": 18446744073709551616.0}}}),
    ] {
        let values = sound(&schema, &schema, 200);
        assert_eq!(values.len(), 200, "{schema}");
    }
    // A bound past 64 bits still gives values beyond 32 bits, and the large bound itself.
    let values = sound(
        &json!({"type": "integer", "minimum": 0, "maximum": 1e19}),
        &json!({"type": "integer", "minimum": 0, "maximum": 1e19}),
        200,
    );
    assert!(
        values.iter().any(|v| v.as_f64().is_some_and(|x| x > 4e9)),
        "{values:?}"
    );
}

#[test]
fn format_with_pattern_is_generated() {
    let schema = json!({"type": "string", "format": "email", "pattern": "@example\\.com$"});
    let values = sound(&schema, &schema, 200);
    assert!(
        values
            .iter()
            .all(|v| v.as_str().is_some_and(|s| s.ends_with("@example.com")))
    );
    for schema in [
        json!({"type": "string", "format": "date", "pattern": "^2024-"}),
        json!({"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]+$"}),
        json!({"type": "string", "format": "uri", "pattern": "^https://"}),
        json!({"type": "string", "format": "ipv4", "pattern": "^10\\."}),
        json!({"type": "string", "format": "date-time", "pattern": "Z$"}),
        json!({"type": "string", "format": "hostname", "pattern": "\\.internal$"}),
        // Was the example of a filter too hard to satisfy (issue 13's tests).
        json!({"type": "string", "format": "email", "pattern": "^zz.*qq$"}),
    ] {
        sound(&schema, &schema, 100);
    }
}

// 5. Values that never appear.

/// The tool's own description (not the property's) names an id: it is tried where the schema
/// admits it, and only then; the node's own literals come first, as before.
#[test]
fn literals_of_the_tool_description_are_tried_where_admitted() {
    let schema = json!({
        "type": "object",
        "required": ["order_id", "count"],
        "properties": {
            "order_id": {"type": "string", "pattern": "^ORD-[0-9]+$"},
            "count": {"type": "integer", "minimum": 1, "maximum": 9},
            "note": {"type": "string", "maxLength": 3}
        }
    });
    let described = |text: Option<&str>| {
        let mut options = GenerateOptions::default();
        options.description = text.map(str::to_owned);
        let generator = SchemaGenerator::with_options(&schema, &options).expect("compiles");
        draw(&generator, 400, 9)
    };
    let text =
        "Look up an order by its id, such as ORD-88412907; at most 7 at a time (\"SKU-55\").";
    let values = described(Some(text));
    let ids = values
        .iter()
        .filter(|v| v["order_id"] == "ORD-88412907")
        .count();
    assert!(ids >= 20, "{ids} of 400 values with the documented id");
    assert!(values.iter().any(|v| v["count"] == 7));
    // Not admitted, never drawn: `SKU-55` breaks the pattern and is longer than a note.
    assert!(values.iter().all(|v| v["order_id"] != "SKU-55"));
    assert!(
        values
            .iter()
            .all(|v| v.get("note") != Some(&json!("SKU-55")))
    );
    let oracle = oracle(&schema);
    assert!(values.iter().all(|v| oracle.is_valid(v)));
    // Without the description, the id is as good as never drawn.
    let values = described(None);
    assert!(values.iter().all(|v| v["order_id"] != "ORD-88412907"));
}
