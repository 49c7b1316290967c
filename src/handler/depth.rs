//! How deep an answer may nest and still be judged. Judging walks the answer recursively
//! (schema validation, reports, snapshots, even dropping a `Value`), so an answer nested
//! 30,000 levels deep would overflow the stack and abort the whole test process. Answers up to
//! [`MAX_ANSWER_DEPTH`] levels are judged like any other (serde_json alone stops at 128); a
//! deeper one is an [`Outcome::InvalidJson`](super::Outcome::InvalidJson) whose message names
//! the limit, and it is measured and dropped without recursion.

use serde_json::Value;

/// The deepest answer judged: arrays and objects nested this many levels.
pub const MAX_ANSWER_DEPTH: usize = 512;

/// The message of an answer nested deeper than [`MAX_ANSWER_DEPTH`].
pub(crate) fn too_deep_message() -> String {
    format!(
        "the answer is nested more than {MAX_ANSWER_DEPTH} levels deep, more than toolcontract \
         judges (MAX_ANSWER_DEPTH)"
    )
}

/// Whether `value` nests deeper than `limit` levels (iterative).
pub(crate) fn value_deeper_than(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth + 1 > limit {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// Whether JSON text nests deeper than `limit` levels (a byte scan, strings skipped; the text
/// need not be valid).
#[cfg_attr(not(feature = "process"), allow(dead_code))]
pub(crate) fn text_deeper_than(text: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Drops `value` without recursion.
pub(crate) fn dismantle(value: Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> Value {
        let mut value = Value::Null;
        for _ in 0..levels {
            value = Value::Array(vec![value]);
        }
        value
    }

    #[test]
    fn depth_is_measured_without_recursion() {
        assert!(!value_deeper_than(&nested(512), 512));
        assert!(value_deeper_than(&nested(513), 512));
        let deep = nested(100_000);
        assert!(value_deeper_than(&deep, 512));
        dismantle(deep);
        assert!(!text_deeper_than(b"[[\"[[[[\"]]", 2));
        assert!(text_deeper_than(b"[[{\"a\":[]}]]", 3));
        assert!(!text_deeper_than(b"[\"\\\"[[\"]", 1));
    }
}
