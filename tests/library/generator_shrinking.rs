//! Shrinking and edge bias, through proptest's own runner (fixed seed, 256 cases).
//!
//! Shrinking: a failing case shrinks to the minimal one (optional properties dropped, numbers to
//! the boundary, strings and arrays to their minimum). Bias: a bug that needs a specific edge
//! value (0, "", an absent optional property, a non-ASCII character, ...) is found within the
//! default 256 cases.

use crate::common;

use proptest::{
    strategy::SBoxedStrategy,
    test_runner::{RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner},
};
use serde_json::{Value, json};
use toolcontract::generate::SchemaGenerator;

fn runner() -> TestRunner {
    let config = common::proptest_config(256);
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]))
}

fn strategy(schema: Value) -> SBoxedStrategy<Value> {
    SchemaGenerator::new(&schema).expect("compiles").strategy()
}

/// The minimal failing value of `property` over the schema's values, or `None` if it held.
fn minimal(schema: Value, property: impl Fn(&Value) -> bool) -> Option<Value> {
    let result = runner().run(&strategy(schema), |value| {
        if property(&value) {
            Ok(())
        } else {
            Err(TestCaseError::fail("property failed"))
        }
    });
    match result {
        Ok(()) => None,
        Err(TestError::Fail(_, value)) => Some(value),
        Err(TestError::Abort(reason)) => panic!("aborted: {reason}"),
    }
}

#[test]
fn integers_shrink_to_the_boundary_and_optional_properties_drop() {
    let schema = json!({
        "type": "object",
        "properties": {"a": {"type": "integer"}, "s": {"type": "string"}},
        "required": ["a"]
    });
    let found = minimal(schema, |v| v["a"].as_i64().is_some_and(|a| a <= 100));
    assert_eq!(found, Some(json!({"a": 101})));
}

#[test]
fn bounded_numbers_shrink_toward_the_bound_nearest_zero() {
    let schema = json!({"type": "integer", "minimum": 10, "maximum": 1000});
    assert_eq!(
        minimal(schema, |v| v.as_i64() < Some(500)),
        Some(json!(500))
    );
    let schema = json!({"type": "integer", "minimum": -1000, "maximum": -10});
    assert_eq!(
        minimal(schema, |v| v.as_i64() == Some(-1000)),
        Some(json!(-10))
    );
    let schema = json!({"type": "integer", "multipleOf": 7});
    assert_eq!(minimal(schema, |v| v.as_i64() < Some(50)), Some(json!(56)));
}

#[test]
fn floats_shrink_near_the_boundary() {
    let schema = json!({"type": "number"});
    let found = minimal(schema, |v| v.as_f64().is_some_and(|x| x < 2.5)).expect("fails");
    let x = found.as_f64().expect("a number");
    assert!((2.5..=3.0).contains(&x), "{x}");
}

#[test]
fn strings_shrink_to_their_minimum() {
    let schema = json!({"type": "string", "minLength": 2});
    assert_eq!(minimal(schema, |_| false), Some(json!("aa")));
    let schema = json!({"type": "string"});
    let found = minimal(schema, |v| !v.as_str().is_some_and(|s| s.contains('b')));
    assert_eq!(found, Some(json!("b")));
}

#[test]
fn arrays_shrink_to_the_shortest_failing() {
    let schema = json!({"type": "array", "items": {"type": "integer"}, "minItems": 1});
    assert_eq!(minimal(schema, |_| false), Some(json!([0])));
    let schema = json!({"type": "array", "items": {"type": "integer"}});
    let found = minimal(schema, |v| v.as_array().is_some_and(|a| a.len() < 3));
    assert_eq!(found, Some(json!([0, 0, 0])));
}

#[test]
fn patterns_shrink_within_the_pattern() {
    let schema = json!({"type": "string", "pattern": "^[a-z]{2,}-[0-9]+$"});
    let found = minimal(schema, |_| false).expect("fails");
    assert_eq!(found, json!("aa-0"));
}

#[test]
fn a_zero_divisor_is_found() {
    let schema = json!({
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
        "required": ["a", "b"]
    });
    let found = minimal(schema, |v| v["b"].as_i64() != Some(0));
    assert_eq!(found, Some(json!({"a": 0, "b": 0})));
}

#[test]
fn an_empty_string_is_found() {
    let schema =
        json!({"type": "object", "properties": {"s": {"type": "string"}}, "required": ["s"]});
    assert_eq!(
        minimal(schema, |v| v["s"] != json!("")),
        Some(json!({"s": ""}))
    );
}

#[test]
fn an_absent_optional_property_is_found() {
    let schema = json!({
        "type": "object",
        "properties": {"a": {"type": "string"}, "o": {"type": "integer"}},
        "required": ["a"]
    });
    assert_eq!(
        minimal(schema, |v| v.get("o").is_some()),
        Some(json!({"a": ""}))
    );
}

#[test]
fn a_non_ascii_character_is_found() {
    let schema =
        json!({"type": "object", "properties": {"s": {"type": "string"}}, "required": ["s"]});
    let found = minimal(schema, |v| v["s"].as_str().is_some_and(str::is_ascii)).expect("found");
    let s = found["s"].as_str().expect("a string");
    assert_eq!(s.chars().count(), 1, "{s:?}");
    assert!(!s.is_ascii());
}

#[test]
fn other_edges_are_found() {
    let string = || json!({"type": "string"});
    let long = |v: &Value| v.as_str().is_some_and(|s| s.chars().count() >= 1024);
    assert!(
        minimal(string(), |v| !long(v)).is_some(),
        "a very long string"
    );
    let astral = |v: &Value| {
        v.as_str()
            .is_some_and(|s| s.chars().any(|c| c as u32 > 0xffff))
    };
    assert!(
        minimal(string(), |v| !astral(v)).is_some(),
        "an astral-plane character"
    );
    let nul = |v: &Value| v.as_str().is_some_and(|s| s.contains('\0'));
    assert!(minimal(string(), |v| !nul(v)).is_some(), "a NUL");
    let integer = || json!({"type": "integer"});
    let beyond_32 = |v: &Value| v.as_i64().is_some_and(|x| x > i64::from(i32::MAX));
    assert!(
        minimal(integer(), |v| !beyond_32(v)).is_some(),
        "an integer beyond 32 bits"
    );
    let beyond_53 = |v: &Value| v.as_i64().is_some_and(|x| x.unsigned_abs() > 1 << 53);
    assert!(
        minimal(integer(), |v| !beyond_53(v)).is_some(),
        "an integer beyond 2^53"
    );
    let number = || json!({"type": "number"});
    let negative_zero = |v: &Value| v.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative());
    assert!(minimal(number(), |v| !negative_zero(v)).is_some(), "-0.0");
    let fraction = |v: &Value| v.as_f64().is_some_and(|x| x.fract() != 0.0);
    assert!(
        minimal(number(), |v| !fraction(v)).is_some(),
        "a non-integral number"
    );
    let bounded = json!({"type": "integer", "minimum": 3, "maximum": 1_000_000});
    assert_eq!(
        minimal(bounded, |v| v.as_i64() != Some(1_000_000)),
        Some(json!(1_000_000))
    );
    let array =
        json!({"type": "object", "properties": {"xs": {"type": "array"}}, "required": ["xs"]});
    assert_eq!(
        minimal(array, |v| v["xs"] != json!([])),
        Some(json!({"xs": []}))
    );
}
