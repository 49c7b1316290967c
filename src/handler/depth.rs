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

/// The size in bytes of `value` serialized compactly (what `serde_json::to_vec` writes), or
/// `None` when it nests deeper than `limit` levels: one walk for both, iterative, and without
/// allocating for answers up to [`INLINE_LEVELS`] levels deep (every answer is measured).
pub(crate) fn compact_size(value: &Value, limit: usize) -> Option<usize> {
    let mut open = Open::default();
    let mut size = 0;
    let mut next = Some(value);
    loop {
        if let Some(value) = next.take() {
            let frame = match value {
                Value::Array(items) => {
                    size += 2 + items.len().saturating_sub(1);
                    Some(Frame::Items(items.iter()))
                }
                Value::Object(map) => {
                    size += 2 + map.len().saturating_sub(1);
                    Some(Frame::Entries(map.iter()))
                }
                Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
                    size += scalar_size(value);
                    None
                }
            };
            if let Some(frame) = frame {
                if open.len >= limit {
                    return None;
                }
                open.push(frame);
            }
        }
        next = match open.last() {
            None => return Some(size),
            Some(Frame::Items(items)) => items.next(),
            Some(Frame::Entries(entries)) => entries.next().map(|(key, value)| {
                size += string_size(key) + 1;
                value
            }),
        };
        if next.is_none() {
            open.pop();
        }
    }
}

/// The containers [`compact_size`] keeps on its own stack before it spills to the heap.
const INLINE_LEVELS: usize = 16;

/// A container [`compact_size`] is inside of, with what is left of it.
enum Frame<'a> {
    Items(std::slice::Iter<'a, Value>),
    Entries(serde_json::map::Iter<'a>),
}

/// The open containers of [`compact_size`], innermost last.
#[derive(Default)]
struct Open<'a> {
    inline: [Option<Frame<'a>>; INLINE_LEVELS],
    spilled: Vec<Frame<'a>>,
    len: usize,
}

impl<'a> Open<'a> {
    fn push(&mut self, frame: Frame<'a>) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(frame),
            None => self.spilled.push(frame),
        }
        self.len += 1;
    }

    fn last(&mut self) -> Option<&mut Frame<'a>> {
        let top = self.len.checked_sub(1)?;
        match self.inline.get_mut(top) {
            Some(slot) => slot.as_mut(),
            None => self.spilled.last_mut(),
        }
    }

    fn pop(&mut self) {
        let Some(top) = self.len.checked_sub(1) else {
            return;
        };
        match self.inline.get_mut(top) {
            Some(slot) => *slot = None,
            None => drop(self.spilled.pop()),
        }
        self.len = top;
    }
}

/// The compact JSON size of a value that is not an array or an object.
fn scalar_size(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::String(text) => string_size(text),
        Value::Number(number) => {
            if let Some(n) = number.as_u64() {
                itoa::Buffer::new().format(n).len()
            } else if let Some(n) = number.as_i64() {
                itoa::Buffer::new().format(n).len()
            } else {
                super::in_process::json_size_serialized(value)
            }
        }
        // Containers are walked by `compact_size`, never passed here.
        Value::Array(_) | Value::Object(_) => super::in_process::json_size_serialized(value),
    }
}

/// The size of `text` as a JSON string: its bytes, its quotes and what serde_json escapes
/// (`"` and `\\` as two bytes, the control characters as `\\n`-style pairs or `\\u00XX`).
fn string_size(text: &str) -> usize {
    2 + text.len()
        + text
            .bytes()
            .map(|byte| match byte {
                b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 1,
                0..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
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
        assert!(compact_size(&nested(512), 512).is_some());
        assert!(compact_size(&nested(513), 512).is_none());
        let deep = nested(100_000);
        assert!(compact_size(&deep, 512).is_none());
        dismantle(deep);
        assert!(!text_deeper_than(b"[[\"[[[[\"]]", 2));
        assert!(text_deeper_than(b"[[{\"a\":[]}]]", 3));
        assert!(!text_deeper_than(b"[\"\\\"[[\"]", 1));
    }

    #[test]
    fn the_compact_size_is_what_serde_json_writes() {
        let mut every_byte = String::new();
        for code in (0..0x80).chain([0xe9, 0x3042, 0x1f600]) {
            every_byte.push(char::from_u32(code).unwrap());
        }
        let values = [
            serde_json::json!(null),
            serde_json::json!([true, false, [], {}, [[]], {"": {}}]),
            serde_json::json!({"a\n\"b": [0, -1, u64::MAX, i64::MIN, 0.1, -0.0, 1e300, 5e-324]}),
            serde_json::json!([every_byte, {"k": every_byte}]),
            nested(INLINE_LEVELS - 1),
            nested(INLINE_LEVELS),
            nested(INLINE_LEVELS * 3),
        ];
        for value in values {
            let written = serde_json::to_vec(&value).unwrap().len();
            assert_eq!(
                compact_size(&value, MAX_ANSWER_DEPTH),
                Some(written),
                "{value}"
            );
        }
        // Values drawn for any schema, objects and arrays of every kind among them.
        let strategy = crate::SchemaGenerator::new(&serde_json::json!({}))
            .unwrap()
            .strategy();
        for seed in 0..2_000 {
            use proptest::strategy::{Strategy, ValueTree};
            let value = strategy
                .new_tree(&mut crate::runner::case_runner(seed))
                .unwrap()
                .current();
            let written = serde_json::to_vec(&value).unwrap().len();
            assert_eq!(
                compact_size(&value, MAX_ANSWER_DEPTH),
                Some(written),
                "{value}"
            );
        }
        // Past the inline levels too, and down to the limit.
        assert_eq!(
            compact_size(&nested(40), 40),
            Some(84),
            "40 pairs of brackets around null"
        );
        assert_eq!(compact_size(&nested(41), 40), None);
        assert_eq!(compact_size(&nested(2), 0), None);
        assert_eq!(compact_size(&serde_json::json!(7), 0), Some(1));
    }
}
