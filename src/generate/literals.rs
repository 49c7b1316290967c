//! Literal values a schema names in its annotations, tried as candidate values: the members of
//! `examples`, the `default`, and what a `description` (or `title`) quotes or mentions (a quoted
//! string, an id such as `SKU-1003`, a date, an e-mail address or URL, a number, a name such as
//! `Jane Doe`). They are the inputs a tool's author had in mind, the likeliest to reach real code
//! paths; `compile` keeps those the node accepts and draws one of them in [`LITERAL_ODDS`].
//! What the tool's own description names ([`GenerateOptions::description`], the checker passes
//! it) is a candidate of every scalar node, after the node's own.
//!
//! [`GenerateOptions::description`]: super::GenerateOptions::description

use serde_json::Value;

/// One value in this many of a node with candidates is one of them.
pub(crate) const LITERAL_ODDS: u32 = 8;

/// The most candidates kept per node (the first found).
const MAX_CANDIDATES: usize = 16;

/// What a text from outside the schema (a tool's description) names, as candidate literals
/// (at most [`MAX_CANDIDATES`], without duplicates).
pub(crate) fn described(text: Option<&str>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for value in text.map(mentioned).unwrap_or_default() {
        if out.len() < MAX_CANDIDATES && !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

/// The candidate literals of the subschemas that apply to one value, then those `outside` it
/// names (a tool's description: [`described`]), without duplicates.
pub(crate) fn candidates<'a>(
    subschemas: impl IntoIterator<Item = &'a Value>,
    outside: &[Value],
) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut push = |value: Value| {
        if out.len() < MAX_CANDIDATES && !out.contains(&value) {
            out.push(value);
        }
    };
    for schema in subschemas {
        let Value::Object(map) = schema else {
            continue;
        };
        if let Some(Value::Array(examples)) = map.get("examples") {
            examples.iter().cloned().for_each(&mut push);
        }
        if let Some(default) = map.get("default") {
            push(default.clone());
        }
        for key in ["description", "title"] {
            if let Some(Value::String(text)) = map.get(key) {
                mentioned(text).into_iter().for_each(&mut push);
            }
        }
    }
    outside.iter().cloned().for_each(&mut push);
    out
}

/// What a text quotes or mentions, as JSON values: strings, and numbers where a mention is one.
fn mentioned(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    // Quoted: "..", '..', `..`, “..”.
    for (open, close) in [
        ('"', '"'),
        ('`', '`'),
        ('\u{201c}', '\u{201d}'),
        ('\'', '\''),
    ] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(close) else { break };
            let quoted = &after[..end];
            // A quote of a few words, not an apostrophe's stretch of prose.
            if !quoted.is_empty() && quoted.len() <= 64 && (open != '\'' || !quoted.contains(' ')) {
                out.push(Value::String(quoted.to_owned()));
            }
            rest = &after[end + close.len_utf8()..];
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '"' | '\'' | '`' | '!' | '?')))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        if has_digit || word.contains('@') || word.contains("://") {
            // An id, a date, a version, a number, an address.
            if let Ok(n) = word.parse::<i64>() {
                out.push(Value::from(n));
            } else if let Ok(x) = word.parse::<f64>()
                && let Some(n) = serde_json::Number::from_f64(x)
            {
                out.push(Value::Number(n));
            }
            out.push(Value::String((*word).to_owned()));
        } else if i > 0 && capitalized(word) && words.get(i + 1).is_some_and(|w| capitalized(w)) {
            // A name of two capitalized words inside a sentence.
            out.push(Value::String(format!("{word} {}", words[i + 1])));
        }
    }
    out
}

fn capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn examples_defaults_and_mentions_are_candidates() {
        let schema = json!({
            "type": "string",
            "description": "The product id, e.g. SKU-1003 or \"SKU-7\"; since 2024-05-01, \
                            ask Jane Doe (jane@example.com). Up to 25 items.",
            "examples": ["SKU-1"],
            "default": "SKU-0"
        });
        assert_eq!(
            candidates([&schema], &[]),
            [
                json!("SKU-1"),
                json!("SKU-0"),
                json!("SKU-7"),
                json!("SKU-1003"),
                json!("2024-05-01"),
                json!("Jane Doe"),
                json!("jane@example.com"),
                json!(25),
                json!("25"),
            ]
        );
        // Prose without a mention gives nothing; a sentence's first word is no name.
        assert!(candidates([&json!({"description": "The Name of it."})], &[]).is_empty());
        assert!(candidates([&json!(true)], &[]).is_empty());
    }

    #[test]
    fn a_tool_description_adds_candidates_after_the_nodes_own() {
        let tool = described(Some("Look up an order, e.g. ORD-7731 or \"ORD-2\"."));
        assert_eq!(tool, [json!("ORD-2"), json!("ORD-7731")]);
        assert_eq!(
            candidates([&json!({"examples": ["ORD-1", "ORD-2"]})], &tool),
            [json!("ORD-1"), json!("ORD-2"), json!("ORD-7731")]
        );
        assert!(described(None).is_empty());
        assert!(described(Some("Add two numbers.")).is_empty());
    }
}
