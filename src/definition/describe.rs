//! Saying what a JSON value is, for messages ("found a number (42)"), and measuring nesting.

use serde_json::Value;

use crate::pointer::JsonPointer;

/// Longest preview of a scalar quoted in a message, in characters.
const PREVIEW_CHARS: usize = 40;
/// Most object keys listed in a message.
const PREVIEW_KEYS: usize = 5;

/// A short description of `value` for "found ..." messages: `a number (42)`, `null`,
/// `an object with keys `a`, `b``, `an array of 3 elements`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({})", preview(&n.to_string())),
        Value::String(s) => format!(
            "a string ({})",
            preview(&Value::from(s.as_str()).to_string())
        ),
        Value::Array(items) => match items.len() {
            0 => "an empty array".to_owned(),
            1 => "an array of 1 element".to_owned(),
            n => format!("an array of {n} elements"),
        },
        Value::Object(map) if map.is_empty() => "an empty object".to_owned(),
        Value::Object(map) => {
            let mut keys: Vec<String> = map
                .keys()
                .take(PREVIEW_KEYS)
                .map(|k| format!("`{}`", preview(k)))
                .collect();
            if map.len() > PREVIEW_KEYS {
                keys.push(format!("and {} more", map.len() - PREVIEW_KEYS));
            }
            let noun = if map.len() == 1 { "key" } else { "keys" };
            format!("an object with {noun} {}", keys.join(", "))
        }
    }
}

/// The JSON type of `value` with its article: `a string`, `an array`, `null`.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn preview(text: &str) -> String {
    if text.chars().count() <= PREVIEW_CHARS {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(PREVIEW_CHARS).collect();
        s.push_str("...");
        s
    }
}

/// The pointer of the first array or object nested deeper than `limit` levels of arrays and
/// objects (a container at the root is level 1), if any. Iterative, so it is safe on any input.
pub(crate) fn deeper_than(root: &Value, limit: usize) -> Option<JsonPointer> {
    let mut stack: Vec<(&Value, usize, JsonPointer)> = Vec::new();
    if root.is_array() || root.is_object() {
        stack.push((root, 1, JsonPointer::root()));
    }
    while let Some((value, depth, pointer)) = stack.pop() {
        if depth > limit {
            return Some(pointer);
        }
        let children: Vec<(&Value, JsonPointer)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_array() || v.is_object())
                .map(|(i, v)| (v, pointer.index(i)))
                .collect(),
            Value::Object(map) => map
                .iter()
                .filter(|(_, v)| v.is_array() || v.is_object())
                .map(|(k, v)| (v, pointer.key(k)))
                .collect(),
            _ => Vec::new(),
        };
        // Reversed, so the first child in document order is examined first.
        stack.extend(children.into_iter().rev().map(|(v, p)| (v, depth + 1, p)));
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{deeper_than, describe};

    #[test]
    fn describes_each_json_type() {
        assert_eq!(describe(&json!(null)), "null");
        assert_eq!(describe(&json!(true)), "a boolean (true)");
        assert_eq!(describe(&json!(42)), "a number (42)");
        assert_eq!(describe(&json!("x")), "a string (\"x\")");
        assert_eq!(describe(&json!([])), "an empty array");
        assert_eq!(describe(&json!([1, 2])), "an array of 2 elements");
        assert_eq!(describe(&json!({})), "an empty object");
        assert_eq!(describe(&json!({"a": 1})), "an object with key `a`");
        assert_eq!(
            describe(&json!({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7})),
            "an object with keys `a`, `b`, `c`, `d`, `e`, and 2 more"
        );
        let long = "y".repeat(100);
        assert_eq!(
            describe(&json!(long)),
            format!("a string (\"{}...)", "y".repeat(39))
        );
    }

    #[test]
    fn finds_the_first_value_past_the_limit() {
        let doc = json!({"a": [1, {"b": [[]]}], "c": [[[[[]]]]]});
        // Levels: root 1, /a 2, /a/1 3, /a/1/b 4, /a/1/b/0 5; scalars do not count.
        assert_eq!(deeper_than(&json!({"a": [1, {"b": [[]]}]}), 5), None);
        // The first offender in document order, although /c goes deeper.
        assert_eq!(deeper_than(&doc, 4).unwrap().as_str(), "/a/1/b/0");
        assert_eq!(deeper_than(&json!(1), 0), None);
        assert_eq!(deeper_than(&json!([]), 0).unwrap().as_str(), "");
    }
}
