//! The generator on schemas it generated itself: values of the draft 2020-12 meta-schema are
//! schemas, often strange ones (every keyword, odd combinations, references to nowhere). Each
//! must be refused with an error or generate values the oracle accepts; none may panic, hang or
//! give up.

use crate::common;

use proptest::strategy::{Strategy, ValueTree};
use serde_json::{Value, json};
use toolcontract::generate::SchemaGenerator;

const SCHEMAS: usize = 300;
const VALUES_PER_SCHEMA: usize = 10;

/// Serves `true` for every remote reference: the generator never produces values under one it
/// could not resolve, so `true` only lets the oracle compile.
struct AnythingGoes;

impl jsonschema::Retrieve for AnythingGoes {
    fn retrieve(
        &self,
        _: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Value::Bool(true))
    }
}

#[test]
fn generated_schemas_are_refused_or_sound() {
    let meta =
        SchemaGenerator::new(&json!({"$ref": "https://json-schema.org/draft/2020-12/schema"}))
            .expect("the meta-schema generates");
    let mut schemas = common::seeded_runner(&[9; 32]);
    let mut generated = 0;
    let mut failures = Vec::new();
    for _ in 0..SCHEMAS {
        let schema = meta
            .strategy()
            .new_tree(&mut schemas)
            .expect("a schema")
            .current();
        let Ok(generator) = SchemaGenerator::new(&schema) else {
            continue;
        };
        let Ok(oracle) = jsonschema::options()
            .should_validate_formats(true)
            .with_retriever(AnythingGoes)
            .build(&schema)
        else {
            continue;
        };
        generated += 1;
        let mut runner = common::seeded_runner(&[1; 32]);
        for _ in 0..VALUES_PER_SCHEMA {
            match generator.strategy().new_tree(&mut runner) {
                Ok(tree) if oracle.is_valid(&tree.current()) => {}
                Ok(tree) => failures.push(format!("{schema}: unsound {}", tree.current())),
                Err(reason) => failures.push(format!("{schema}: gave up: {reason}")),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        generated * 5 >= SCHEMAS,
        "only {generated} of {SCHEMAS} generated"
    );
}
