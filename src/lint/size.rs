//! The smallest event a tool's input schema allows, as a lower bound in bytes of JSON, against
//! Lambda's request limit: a schema whose every valid value is larger than that (a `minLength`
//! of 7,000,000) can never be sent to the function, so `lint` says so and `check` refuses it
//! instead of building a 187 MB event and blaming the handler for it.

use serde_json::Value;

use crate::definition::MAX_DEPTH;

/// Lambda's limit for a synchronous invocation's request payload: 6 MB (6,291,456 bytes).
pub const MAX_REQUEST_BYTES: usize = 6 * 1024 * 1024;

/// A lower bound of the size, in bytes of compact JSON, of every value `schema` accepts: every
/// valid value is at least this large (never an overestimate: keywords it does not model count
/// as nothing).
pub fn smallest_value_size(schema: &Value) -> usize {
    bound(schema, 0)
}

fn bound(schema: &Value, depth: usize) -> usize {
    let Value::Object(map) = schema else {
        return 1;
    };
    if depth > MAX_DEPTH {
        return 1;
    }
    if let Some(constant) = map.get("const") {
        return compact_len(constant);
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        return values.iter().map(compact_len).min().unwrap_or(1);
    }
    let own = match map.get("type") {
        Some(Value::String(t)) => by_type(map, t, depth),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(|t| by_type(map, t, depth))
            .min()
            .unwrap_or(1),
        _ => 1,
    };
    // Every branch of `allOf` holds too: the largest bound of them.
    let all_of = map
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|branch| bound(branch, depth + 1))
        .max()
        .unwrap_or(1);
    own.max(all_of)
}

fn by_type(map: &serde_json::Map<String, Value>, kind: &str, depth: usize) -> usize {
    let count = |key: &str| {
        map.get(key)
            .and_then(Value::as_u64)
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    match kind {
        // Quotes, and at least one byte per character.
        "string" => count("minLength").saturating_add(2),
        "boolean" | "null" => 4,
        "array" => {
            let items = count("minItems");
            let prefix = map.get("prefixItems").and_then(Value::as_array);
            let rest = map.get("items").map_or(1, |s| bound(s, depth + 1));
            let mut size = 2usize.saturating_add(items.saturating_sub(1));
            for i in 0..items {
                let item = prefix
                    .and_then(|p| p.get(i))
                    .map_or(rest, |s| bound(s, depth + 1));
                size = size.saturating_add(item);
                if size > MAX_REQUEST_BYTES.saturating_mul(2) || (item <= 1 && prefix.is_none()) {
                    // The rest of the items adds at least one byte each.
                    size = size.saturating_add(items - i - 1);
                    break;
                }
            }
            size
        }
        "object" => {
            let properties = map.get("properties").and_then(Value::as_object);
            let required = map.get("required").and_then(Value::as_array);
            let names: Vec<&str> = required
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut size = 2usize.saturating_add(names.len().saturating_sub(1));
            for name in names {
                let member = properties
                    .and_then(|p| p.get(name))
                    .map_or(1, |s| bound(s, depth + 1));
                // `"name":` then the value.
                size = size.saturating_add(name.len() + 3).saturating_add(member);
            }
            size
        }
        _ => 1,
    }
}

fn compact_len(value: &Value) -> usize {
    serde_json::to_string(value).map_or(1, |text| text.len())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bounds_never_exceed_the_smallest_value() {
        for (schema, smallest) in [
            (json!({"type": "object"}), json!({})),
            (json!({"type": "string", "minLength": 3}), json!("abc")),
            (
                json!({"type": "object", "properties": {"a": {"type": "array", "minItems": 2, "items": {"type": "integer"}}}, "required": ["a", "b"]}),
                json!({"a": [0, 0], "b": 0}),
            ),
            (json!({"enum": ["xy", 1]}), json!(1)),
            (
                json!({"allOf": [{"type": "string", "minLength": 5}]}),
                json!("aaaaa"),
            ),
        ] {
            assert_eq!(
                smallest_value_size(&schema),
                compact_len(&smallest),
                "{schema}"
            );
        }
        let huge = json!({"type": "object", "properties": {"blob": {"type": "array",
            "minItems": 100_000, "items": {"type": "string", "minLength": 100}}},
            "required": ["blob"]});
        assert!(smallest_value_size(&huge) > MAX_REQUEST_BYTES);
    }
}
