//! Boundary values: a short, deterministic, labelled list of valid values for snapshot tests.
//!
//! In order: the schema's own `examples`, `default` and `const` (read from the original schema,
//! since canonicalization drops annotations), the simplest value (optional properties absent),
//! the same with every optional property present, then the bounds of each top-level property
//! (minimum, maximum, empty and longest string, capped at a readable length), which its keyword
//! family gives (`Family::bounds`). Only values the
//! validator accepts are kept, duplicates dropped, at most [`MAX_VALUES`].

use jsonschema::{
    Validator,
    canonical::{CanonicalSchema, CanonicalView},
};
use proptest::strategy::{Strategy, ValueTree};
use serde_json::{Map, Value};

use super::{
    LabeledValue,
    compile::{Compiler, Node, Strat, resolve},
    family::family,
    location::Step,
};
use crate::pointer::JsonPointer;

/// The most boundary values returned.
pub(crate) const MAX_VALUES: usize = 12;
/// The longest "longest string" (readable in a snapshot).
pub(crate) const READABLE_LENGTH: usize = 64;
/// Simplification steps taken to reach a minimal value.
const MAX_SIMPLIFY_STEPS: usize = 500;
/// Optional properties whose default or example is tried in the "optional properties present"
/// value (each try validates the whole object).
const MAX_ANNOTATED_CHECKS: usize = 256;
/// Local rejections allowed while drawing the value [`minimal`] starts from.
const MAX_MINIMAL_REJECTS: u32 = 256;
const SEED: [u8; 32] = [0xb0; 32];

/// The boundary values of the schema `source` (canonical `root`, compiled `strategy`).
pub(crate) fn values(
    compiler: &mut Compiler<'_>,
    source: &Value,
    root: &CanonicalSchema,
    strategy: &Strat,
    validator: &Validator,
) -> Vec<LabeledValue> {
    let mut out = Vec::new();
    let filled = std::cell::Cell::new(false);
    let mut push = |label: String, value: Value| {
        if out.len() < MAX_VALUES
            && validator.is_valid(&value)
            && !out.iter().any(|v: &LabeledValue| v.value == value)
        {
            out.push(LabeledValue { label, value });
        }
        filled.set(out.len() >= MAX_VALUES);
    };
    if let Some(examples) = source.get("examples").and_then(Value::as_array) {
        for (i, example) in examples.iter().enumerate() {
            push(format!("example {}", i + 1), example.clone());
        }
    }
    if let Some(default) = source.get("default") {
        push("default".to_owned(), default.clone());
    }
    if let Some(constant) = source.get("const") {
        push("const".to_owned(), constant.clone());
    }
    let Some(simplest) = minimal(strategy) else {
        return out;
    };
    let object = resolve(root);
    let CanonicalView::Object(view) = object.view() else {
        push("simplest value".to_owned(), simplest.clone());
        for (label, value) in leaf_bounds(&object, &simplest, "") {
            push(label, value);
        }
        return out;
    };
    push("optional properties absent".to_owned(), simplest.clone());
    let Value::Object(base) = simplest else {
        return out;
    };
    // Every optional property present: its default or first example when valid, else its
    // simplest value.
    let mut full = base.clone();
    let mut annotated_checks = 0usize;
    for (name, schema) in &view.properties {
        if full.contains_key(name) {
            continue;
        }
        let declared = JsonPointer::root().key("properties").key(name);
        let annotated = source
            .pointer(declared.as_str())
            .and_then(|p| {
                p.get("default")
                    .or_else(|| p.get("examples").and_then(|e| e.get(0)))
            })
            .cloned();
        // Each check copies the object: at most MAX_ANNOTATED_CHECKS of them (issue 11), then
        // optional properties take their simplest values.
        let annotated = annotated.filter(|_| {
            annotated_checks += 1;
            annotated_checks <= MAX_ANNOTATED_CHECKS
        });
        let candidate = annotated.filter(|value| {
            let mut with = full.clone();
            with.insert(name.clone(), value.clone());
            validator.is_valid(&Value::Object(with))
        });
        let value =
            candidate.or_else(
                || match compiler.compile_step(Step::Property(name), schema) {
                    Ok(Node::Gen(strategy)) => minimal(&strategy),
                    _ => None,
                },
            );
        if let Some(value) = value {
            full.insert(name.clone(), value);
        }
    }
    push(
        "optional properties present".to_owned(),
        Value::Object(full.clone()),
    );
    for (name, schema) in &view.properties {
        // Once the list is full nothing more is pushed: stop before copying the object again
        // for every property (issue 11: quadratic in the number of properties).
        if filled.get() {
            break;
        }
        let at = JsonPointer::root().key("properties").key(name);
        let current = full.get(name).cloned().unwrap_or(Value::Null);
        let declared = source.pointer(at.as_str());
        let mut annotated: Vec<(String, Value)> = Vec::new();
        if let Some(default) = declared.and_then(|p| p.get("default")) {
            annotated.push((format!("default of {at}"), default.clone()));
        }
        for (i, example) in declared
            .and_then(|p| p.get("examples"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            annotated.push((format!("example {} of {at}", i + 1), example.clone()));
        }
        for (label, value) in
            annotated
                .into_iter()
                .chain(leaf_bounds(schema, &current, at.as_str()))
        {
            if filled.get() {
                break;
            }
            let mut with: Map<String, Value> = full.clone();
            with.insert(name.clone(), value);
            push(label, Value::Object(with));
        }
    }
    out
}

/// The bounds of a leaf schema as `(label, value)` (minimum, maximum, empty, longest): those
/// its keyword family gives.
fn leaf_bounds(node: &CanonicalSchema, current: &Value, at: &str) -> Vec<(String, Value)> {
    let at = if at.is_empty() { "(root)" } else { at };
    family(&resolve(node)).bounds(current, at)
}

/// The value `strategy` shrinks to when every simplification is accepted (fixed seed).
pub(crate) fn minimal(strategy: &Strat) -> Option<Value> {
    // Rejections bounded (issue 11): with proptest's 65,536, one unsatisfiable
    // `uniqueItems` made `lint` take minutes; no value is then a boundary value.
    let mut runner = super::seeded::runner(&SEED, MAX_MINIMAL_REJECTS);
    let mut tree = strategy.new_tree(&mut runner).ok()?;
    for _ in 0..MAX_SIMPLIFY_STEPS {
        if !tree.simplify() {
            break;
        }
    }
    Some(tree.current())
}
