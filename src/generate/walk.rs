//! The schema positions of a JSON Schema document: which keywords hold subschemas, so a walk
//! never mistakes data (a `const`, an `enum` member, an `examples` entry) for a schema.
//!
//! Used by the remote-`$ref` pre-pass, and to find a keyword where no compiled node can say
//! where it is (see [`find_keyword`]); compiled nodes name their keywords through their
//! `location`.

use serde_json::Value;

use crate::pointer::JsonPointer;

/// Keywords whose value is one subschema.
const SINGLE: &[&str] = &[
    "additionalItems",
    "additionalProperties",
    "contains",
    "contentSchema",
    "else",
    "if",
    "items",
    "not",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Keywords whose value is an array of subschemas (`items` in drafts before 2020-12 too).
const ARRAY: &[&str] = &["allOf", "anyOf", "items", "oneOf", "prefixItems"];

/// Keywords whose value is a map of subschemas (`dependencies` values may also be arrays of
/// names; those are skipped because they are not objects).
const MAP: &[&str] = &[
    "$defs",
    "definitions",
    "dependencies",
    "dependentSchemas",
    "patternProperties",
    "properties",
];

/// The direct subschemas of `schema`, each with the pointer tokens leading to it.
pub(crate) fn children(schema: &Value) -> Vec<(Vec<String>, &Value)> {
    let mut out = Vec::new();
    let Value::Object(map) = schema else {
        return out;
    };
    for (key, value) in map {
        let key = key.as_str();
        if SINGLE.contains(&key) && is_schema(value) {
            out.push((vec![key.to_owned()], value));
        }
        if ARRAY.contains(&key)
            && let Value::Array(items) = value
        {
            for (i, item) in items.iter().enumerate() {
                if is_schema(item) {
                    out.push((vec![key.to_owned(), i.to_string()], item));
                }
            }
        }
        if MAP.contains(&key)
            && let Value::Object(entries) = value
        {
            for (name, item) in entries {
                if is_schema(item) {
                    out.push((vec![key.to_owned(), name.clone()], item));
                }
            }
        }
    }
    out
}

/// Whether the keyword `keyword`, holding `value`, is followed in a pointer by a name or index
/// before the subschema (`properties/<name>`, `allOf/<index>`).
pub(crate) fn takes_name(keyword: &str, value: &Value) -> bool {
    MAP.contains(&keyword) || (ARRAY.contains(&keyword) && value.is_array())
}

fn is_schema(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Bool(_))
}

/// Calls `visit` on every schema position of `schema` (pre-order, the root first).
pub(crate) fn for_each(schema: &Value, visit: &mut dyn FnMut(&JsonPointer, &Value)) {
    fn go(value: &Value, at: &JsonPointer, visit: &mut dyn FnMut(&JsonPointer, &Value)) {
        visit(at, value);
        for (tokens, child) in children(value) {
            let mut pointer = at.clone();
            for token in &tokens {
                pointer = pointer.key(token);
            }
            go(child, &pointer, visit);
        }
    }
    go(schema, &JsonPointer::root(), visit);
}

/// The pointer of the first subschema holding `keyword` (with value `value`, when given), the
/// pointer extended by the keyword itself.
///
/// A guess by name: only for errors raised before anything is compiled (the pre-pass, the
/// canonicalizer), which say what is at fault but not where. Once a node is compiled, its
/// `Location` names the keyword of the subschemas it came from.
pub(crate) fn find_keyword(
    schema: &Value,
    keyword: &str,
    value: Option<&Value>,
) -> Option<JsonPointer> {
    let mut found = None;
    for_each(schema, &mut |at, sub| {
        if found.is_some() {
            return;
        }
        if let Some(held) = sub.get(keyword)
            && value.is_none_or(|wanted| wanted == held)
        {
            found = Some(at.key(keyword));
        }
    });
    found
}

/// Where `pattern` is written: a `pattern` keyword, or a key of `patternProperties`. The root
/// when it is nowhere (it came from a keyword the canonical form rewrote). Before compiling
/// only (see [`find_keyword`]).
pub(crate) fn locate_pattern(schema: &Value, pattern: &str) -> JsonPointer {
    let wanted = Value::String(pattern.to_owned());
    if let Some(at) = find_keyword(schema, "pattern", Some(&wanted)) {
        return at;
    }
    let mut found = None;
    for_each(schema, &mut |at, sub| {
        if found.is_none()
            && sub
                .get("patternProperties")
                .and_then(Value::as_object)
                .is_some_and(|map| map.contains_key(pattern))
        {
            found = Some(at.key("patternProperties").key(pattern));
        }
    });
    found.unwrap_or_else(JsonPointer::root)
}

/// The pointer of the first subschema holding `keyword`, or the root. Before compiling only
/// (see [`find_keyword`]).
pub(crate) fn locate_keyword(schema: &Value, keyword: &str) -> JsonPointer {
    find_keyword(schema, keyword, None).unwrap_or_else(JsonPointer::root)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn data_is_not_walked() {
        let schema = json!({
            "const": {"pattern": "x"},
            "properties": {"a": {"pattern": "^a$"}},
            "items": [{"pattern": "y"}]
        });
        assert_eq!(
            find_keyword(&schema, "pattern", None).map(|p| p.as_str().to_owned()),
            Some("/items/0/pattern".to_owned())
        );
        assert_eq!(
            locate_pattern(&schema, "^a$").as_str(),
            "/properties/a/pattern"
        );
        assert_eq!(locate_pattern(&schema, "x").as_str(), "");
    }

    #[test]
    fn pattern_properties_keys_are_located() {
        let schema = json!({"patternProperties": {"^x-": {"type": "string"}}});
        assert_eq!(
            locate_pattern(&schema, "^x-").as_str(),
            "/patternProperties/^x-"
        );
    }
}
