//! Regressions of issue 17: values independent validators found unsound, schemas that hung,
//! refusals that were not justified, and negative values that were never produced. Every
//! generated value is checked with the `jsonschema` crate (the oracle); where the crate is laxer
//! than ECMA-262 or than the official meta-schemas, the oracle is given the strict form.

use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::{Map, Value, json};
use toolcontract::generate::{GenerateErrorKind, GenerateOptions, SchemaGenerator};

fn runner(seed: u8) -> TestRunner {
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
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
    use toolcontract::definition::{
        Definition,
        lint::{LintCode, lint_for_check},
    };
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
