//! The bugs of the power benchmark: one tool each, with an input schema and the predicate on
//! its arguments that makes the handler fail. `benches/power_peer.py` holds the same
//! predicates in Python, by the same ids, and the bench hands it these schemas.

use serde_json::{Value, json};

/// One input-dependent bug.
pub(crate) struct Bug {
    /// The tool name, and the id the Python peer knows the predicate by.
    pub(crate) id: &'static str,
    /// What the bug is, for the table.
    pub(crate) what: &'static str,
    /// The tool's input schema.
    pub(crate) schema: Value,
    /// Whether these arguments hit the bug.
    pub(crate) hits: fn(&Value) -> bool,
}

/// The character index the `non_ascii_at` bug looks at.
pub(crate) const NON_ASCII_INDEX: usize = 2;
/// The length past which the `long_string` bug fires (in characters).
pub(crate) const LONG_STRING: usize = 100;

fn field<'a>(args: &'a Value, name: &str) -> Option<&'a Value> {
    args.get(name)
}

/// Every bug, in the table's order.
pub(crate) fn all() -> Vec<Bug> {
    vec![
        Bug {
            id: "zero_divisor",
            what: "a zero divisor (`b == 0`)",
            schema: json!({
                "type": "object",
                "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                "required": ["a", "b"]
            }),
            hits: |a| field(a, "b").and_then(Value::as_f64) == Some(0.0),
        },
        Bug {
            id: "empty_string",
            what: "an empty string (`name == \"\"`)",
            schema: json!({
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"]
            }),
            hits: |a| field(a, "name").and_then(Value::as_str) == Some(""),
        },
        Bug {
            id: "enum_member",
            what: "one enum member of six (`unit == \"km\"`)",
            schema: json!({
                "type": "object",
                "properties": {"unit": {"enum": ["mm", "cm", "m", "km", "in", "ft"]}},
                "required": ["unit"]
            }),
            hits: |a| field(a, "unit").and_then(Value::as_str) == Some("km"),
        },
        Bug {
            id: "non_ascii_at",
            what: "a non-ASCII character at index 2 of `text`",
            schema: json!({
                "type": "object",
                "properties": {"text": {"type": "string"}},
                "required": ["text"]
            }),
            hits: |a| {
                field(a, "text")
                    .and_then(Value::as_str)
                    .and_then(|s| s.chars().nth(NON_ASCII_INDEX))
                    .is_some_and(|c| !c.is_ascii())
            },
        },
        Bug {
            id: "empty_array",
            what: "an empty array (`tags == []`)",
            schema: json!({
                "type": "object",
                "properties": {"tags": {"type": "array", "items": {"type": "string"}}},
                "required": ["tags"]
            }),
            hits: |a| {
                field(a, "tags")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty)
            },
        },
        Bug {
            id: "absent_optional",
            what: "an absent optional (`limit` not sent)",
            schema: json!({
                "type": "object",
                "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}},
                "required": ["query"]
            }),
            hits: |a| a.is_object() && field(a, "limit").is_none(),
        },
        Bug {
            id: "non_integral",
            what: "a non-integral number (`amount` has a fraction)",
            schema: json!({
                "type": "object",
                "properties": {"amount": {"type": "number"}},
                "required": ["amount"]
            }),
            hits: |a| {
                field(a, "amount")
                    .and_then(Value::as_f64)
                    .is_some_and(|x| x.is_finite() && x.fract() != 0.0)
            },
        },
        Bug {
            id: "long_string",
            what: "a string over 100 characters (`note`, no `maxLength`)",
            schema: json!({
                "type": "object",
                "properties": {"note": {"type": "string"}},
                "required": ["note"]
            }),
            hits: |a| {
                field(a, "note")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.chars().count() > LONG_STRING)
            },
        },
        Bug {
            id: "beyond_32_bits",
            what: "an integer beyond 32 bits (`id` outside i32)",
            schema: json!({
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"]
            }),
            hits: |a| match field(a, "id") {
                Some(Value::Number(n)) => match n.as_i64() {
                    Some(v) => i32::try_from(v).is_err(),
                    // Beyond i64 (a u64, or an integral float): beyond 32 bits too.
                    None => n.as_f64().is_some_and(|x| x.abs() > f64::from(i32::MAX)),
                },
                _ => false,
            },
        },
    ]
}
