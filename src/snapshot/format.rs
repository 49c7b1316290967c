//! The snapshot file: insta's format (a YAML header between `---` lines, then the body), with
//! a body of our own: a JSON array of entries, one per case.
//!
//! ```text
//! ---
//! source: tests/library/snapshot_examples.rs
//! description: "toolcontract snapshot of tool add: the event and response of each case"
//! info:
//!   tool: add
//!   definition: examples/calculator/tools.json
//!   contract: gateway
//!   tool_name: toolcontract-target___add
//!   profile: mcp
//!   seed: "0x7c0de5eed0000001"
//!   generated: 3
//! ---
//! [
//!   {
//!     "case": "generated 1 (seed 0xd7404a756a842f65)",
//!     "event": {
//!       "a": 0.0,
//!       "b": -1.5
//!     },
//!     "response": {
//!       "content": [
//!         {
//!           "text": "-1.5",
//!           "type": "text"
//!         }
//!       ]
//!     }
//!   }
//! ]
//! ```
//!
//! The library and the command line both write the header with [`render_file`] (a port of the
//! few rules of insta's YAML emitter a header needs; the committed `snapshots/calculator` files
//! were written by insta's own runtime and are byte-identical), so `cargo insta review` and
//! `insta::Snapshot::from_file` read them.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::errors::Error;

use super::cases::SnapshotInfo;
use super::record::{Entry, Reply, ToolSnapshot};

/// The snapshot name of a tool: letters and digits (of any script: `名前` stays `名前`, so
/// that names in other scripts do not all become `__`), `_`, `-` and `.` kept, anything else
/// `_`; a leading `.` (a hidden file, which `cargo insta review` skips) becomes `_`.
pub(crate) fn snapshot_name(tool: &str) -> String {
    let mut name: String = tool
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with('.') || name.is_empty() {
        name.insert(0, '_');
    }
    name
}

/// The body: a JSON array of entries with their members in a fixed order (`case`, `event`,
/// `response` or `error`, then `agent` where the contract maps answers), values
/// pretty-printed with two-space indents.
pub(crate) fn render_contents(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return "[]".to_owned();
    }
    let mut out = String::from("[\n");
    for (i, entry) in entries.iter().enumerate() {
        out.push_str("  {\n");
        let _ = writeln!(out, "    \"case\": {},", json_string(&entry.case));
        let _ = writeln!(out, "    \"event\": {},", pretty(&entry.event, 4));
        let comma = if entry.agent.is_some() { "," } else { "" };
        match &entry.reply {
            Reply::Response(body) => {
                let _ = writeln!(out, "    \"response\": {}{comma}", pretty(body, 4));
            }
            Reply::Error(text) => {
                let _ = writeln!(out, "    \"error\": {}{comma}", json_string(text));
            }
        }
        if let Some(agent) = &entry.agent {
            let _ = writeln!(out, "    \"agent\": {}", pretty(agent, 4));
        }
        out.push_str(if i + 1 < entries.len() {
            "  },\n"
        } else {
            "  }\n"
        });
    }
    out.push(']');
    escape_invisible(&out)
}

/// `text` with every character that does not show as itself in a diff (controls, bidi and
/// zero-width format characters, private-use, unassigned planes, noncharacters, variation
/// selectors, tags) written as a JSON `\u` escape. Only JSON strings can hold such
/// characters, so escaping them in the whole text is escaping them inside strings.
pub(crate) fn escape_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && c != '\n')
        || matches!(n,
            0xad                      // soft hyphen
            | 0x34f                   // combining grapheme joiner
            | 0x61c                   // Arabic letter mark
            | 0x115f..=0x1160         // Hangul fillers
            | 0x180b..=0x180f         // Mongolian selectors
            | 0x200b..=0x200f         // zero-width, LRM, RLM
            | 0x2028..=0x202e         // separators, bidi embeddings
            | 0x2060..=0x206f         // word joiner, invisible operators, bidi isolates
            | 0x3164                  // Hangul filler
            | 0xe000..=0xf8ff         // private use
            | 0xfdd0..=0xfdef         // noncharacters
            | 0xfe00..=0xfe0f         // variation selectors
            | 0xfeff                  // byte order mark
            | 0xffa0                  // halfwidth Hangul filler
            | 0xfff0..=0xfffb         // specials
            | 0x1bca0..=0x1bca3       // shorthand format controls
            | 0x1d173..=0x1d17a       // musical format controls
            | 0x40000..=0xdffff       // unassigned planes
            | 0xe0000..=0xe0fff       // tags, variation selectors supplement
            | 0xf0000..=0x10ffff)     // private use planes
        || (n & 0xfffe) == 0xfffe // noncharacters U+xFFFE, U+xFFFF
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// `value` pretty-printed, its lines after the first indented by `indent` spaces (JSON text
/// has no raw newlines inside strings, so indenting by line is safe).
pub(crate) fn pretty(value: &Value, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let pad = " ".repeat(indent);
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                line.to_owned()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a body back into entries (for diffs); `Err` says why it is not one.
pub(crate) fn parse_contents(text: &str) -> Result<Vec<Entry>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Array(items) = value else {
        return Err("the body is not a JSON array of entries".to_owned());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(mut map) = item else {
                return Err(format!("entry {i} is not an object"));
            };
            let case = match map.remove("case") {
                Some(Value::String(case)) => case,
                _ => return Err(format!("entry {i} has no string `case`")),
            };
            let event = map.remove("event").unwrap_or(Value::Null);
            let reply = match (map.remove("response"), map.remove("error")) {
                (Some(body), None) => Reply::Response(body),
                (None, Some(Value::String(text))) => Reply::Error(text),
                _ => {
                    return Err(format!(
                        "entry {i} ({case}) needs exactly one of `response` or a string `error`"
                    ));
                }
            };
            let agent = map.remove("agent");
            Ok(Entry {
                case,
                event,
                reply,
                agent,
            })
        })
        .collect()
}

/// Text as insta compares it: trailing whitespace dropped, CRLF as LF.
pub(crate) fn normalize(text: &str) -> String {
    text.trim_end().replace("\r\n", "\n")
}

/// A whole snapshot file in insta's format, as the command line writes it: the header
/// (`source`, `description`, `info`) and the body. `source` names the definition.
pub fn render_file(snapshot: &ToolSnapshot, source: &str) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "source: {}", yaml_string(source));
    let _ = writeln!(out, "description: {}", yaml_string(&snapshot.description()));
    out.push_str("info:\n");
    for (key, value) in info_fields(&snapshot.info) {
        let _ = writeln!(out, "  {key}: {value}");
    }
    out.push_str("---\n");
    out.push_str(&snapshot.contents());
    out.push('\n');
    out
}

/// The `info` members in the order the struct declares them (as insta serializes it).
fn info_fields(info: &SnapshotInfo) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("tool", yaml_string(&info.tool)),
        ("definition", yaml_string(&info.definition)),
        ("contract", yaml_string(&info.contract)),
    ];
    for (key, value) in [
        ("tool_name", &info.tool_name),
        ("profile", &info.profile),
        ("action_group", &info.action_group),
        ("envelope", &info.envelope),
    ] {
        if let Some(value) = value {
            fields.push((key, yaml_string(value)));
        }
    }
    fields.push(("seed", yaml_string(&info.seed.to_string())));
    fields.push(("generated", info.generated.to_string()));
    fields
}

/// A YAML scalar as insta's emitter writes it: plain when that is unambiguous, else
/// double-quoted with JSON-like escapes.
fn yaml_string(text: &str) -> String {
    if !needs_quotes(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// insta's `need_quotes` (vendored YAML emitter).
fn needs_quotes(text: &str) -> bool {
    text.is_empty()
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@'])
        || text.contains(|c: char| {
            matches!(c, ':' | '{' | '}' | '[' | ']' | ',' | '#' | '`' | '"' | '\'' | '\\'
                | '\0'..='\x06' | '\t' | '\n' | '\r' | '\x0e'..='\x1a' | '\x1c'..='\x1f')
        })
        || [
            "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE",
            "false", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ]
        .contains(&text)
        || text.starts_with('.')
        || text.starts_with("0x")
        || text.parse::<i64>().is_ok()
        || text.parse::<f64>().is_ok()
}

/// The body of the snapshot file at `path` as insta reads it (normalized), or `None` when
/// there is no file.
pub fn read_contents(path: &Path) -> Result<Option<String>, Error> {
    if !path.exists() {
        return Ok(None);
    }
    let snapshot = insta::Snapshot::from_file(path).map_err(|e| {
        Error::Usage(format!(
            "{} is not a readable snapshot file: {e}",
            path.display()
        ))
    })?;
    match snapshot.contents().as_text() {
        Some(text) => Ok(Some(text.to_string())),
        None => Err(Error::Usage(format!(
            "{} is a binary snapshot, not a toolcontract one",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn header_scalars_are_quoted_as_insta_quotes_them() {
        for (text, yaml) in [
            ("add", "add"),
            (
                "examples/calculator/tools.json",
                "examples/calculator/tools.json",
            ),
            ("0x7c0de5eed0000001", "\"0x7c0de5eed0000001\""),
            ("toolcontract-target___add", "toolcontract-target___add"),
            ("a: b", "\"a: b\""),
            ("-x", "\"-x\""),
            ("true", "\"true\""),
            ("12", "\"12\""),
            ("", "\"\""),
            ("tab\there \"q\" \u{7}", "\"tab\\there \\\"q\\\" \\u0007\""),
        ] {
            assert_eq!(yaml_string(text), yaml, "{text:?}");
        }
    }

    #[test]
    fn snapshot_names_are_safe_file_names() {
        assert_eq!(snapshot_name("get_order"), "get_order");
        assert_eq!(snapshot_name("orders.v2-list"), "orders.v2-list");
        assert_eq!(snapshot_name("GET /claims/{id}"), "GET__claims__id_");
        assert_eq!(snapshot_name(".hidden"), "_.hidden");
        // Issue 11: names in other scripts keep their letters, so they do not collide.
        assert_eq!(snapshot_name("名前"), "名前");
        assert_eq!(snapshot_name("価格"), "価格");
        assert_eq!(snapshot_name("préférence/x"), "préférence_x");
    }

    #[test]
    fn bodies_read_back_and_invisible_characters_are_escaped() {
        let entries = vec![
            Entry {
                case: "example \u{202e}1".to_owned(),
                event: json!({"text": "a\u{feff}b\u{e000}\u{10ffff}é😀\n"}),
                reply: Reply::Response(json!({"isError": true})),
                agent: Some(json!({"content": [], "isError": true})),
            },
            Entry {
                case: "generated 1".to_owned(),
                event: json!({}),
                reply: Reply::Error("panic: \u{85}".to_owned()),
                agent: None,
            },
        ];
        let text = render_contents(&entries);
        assert!(text.contains(r#""case": "example \u202e1""#), "{text}");
        assert!(
            text.contains(r#""text": "a\ufeffb\ue000\udbff\udfffé😀\n""#),
            "{text}"
        );
        assert_eq!(parse_contents(&text).unwrap(), entries);
        assert_eq!(render_contents(&[]), "[]");
        assert!(parse_contents("{}").is_err());
    }
}
