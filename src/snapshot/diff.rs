//! How a tool's new snapshot differs from the accepted one: by case and by field (a JSON
//! Pointer into the entry, such as `/response/content/0/text` or `/response/isError`), with
//! line diffs of multi-line values.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};
use similar::{ChangeTag, TextDiff};

use super::format::{self, escape_invisible, normalize, pretty};
use super::record::{Entry, Reply, ToolSnapshot};

/// One difference between the accepted snapshot of a tool and its new one.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// A case the accepted snapshot does not have.
    CaseAdded {
        /// The case label.
        case: String,
        /// The new entry (`event`, and `response` or `error`).
        entry: Value,
    },
    /// A case the new snapshot no longer has.
    CaseRemoved {
        /// The case label.
        case: String,
    },
    /// A value that differs in a case both snapshots have.
    Field {
        /// The case label.
        case: String,
        /// Where in the entry: `/event/...`, `/response/...` or `/error`.
        field: String,
        /// The accepted value (`None`: absent).
        old: Option<Value>,
        /// The new value (`None`: absent).
        new: Option<Value>,
    },
    /// The accepted body is not a list of entries (edited by hand, a merge conflict), or
    /// differs only in layout: the two texts.
    Text {
        /// Why no per-case comparison was possible.
        reason: String,
        /// The accepted body.
        old: String,
        /// The new body.
        new: String,
    },
}

/// How a tool's new snapshot compares with the accepted one.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Comparison {
    /// The same, as insta compares (trailing whitespace and line endings aside).
    Unchanged,
    /// There is no accepted snapshot.
    Missing,
    /// Different, with every change.
    Changed(Vec<Change>),
}

impl Comparison {
    /// Whether the snapshot is unchanged.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Comparison::Unchanged)
    }
}

/// Compares `new` with the accepted body (as [`read_contents`](super::read_contents) gives
/// it; `None`: no accepted snapshot).
pub(crate) fn compare(accepted: Option<&str>, new: &ToolSnapshot) -> Comparison {
    let Some(accepted) = accepted else {
        return Comparison::Missing;
    };
    let new_text = new.contents();
    let old_text = normalize(accepted);
    if old_text == normalize(&new_text) {
        return Comparison::Unchanged;
    }
    let old_entries = match format::parse_contents(&old_text) {
        Ok(entries) => entries,
        Err(reason) => {
            return Comparison::Changed(vec![Change::Text {
                reason: format!("the accepted snapshot is not a list of entries: {reason}"),
                old: old_text,
                new: new_text,
            }]);
        }
    };
    let mut changes = Vec::new();
    for entry in &new.entries {
        match old_entries.iter().find(|old| old.case == entry.case) {
            None => changes.push(Change::CaseAdded {
                case: entry.case.clone(),
                entry: entry_value(entry),
            }),
            Some(old) => {
                let mut fields = Vec::new();
                diff_values(
                    &mut String::new(),
                    Some(&entry_value(old)),
                    Some(&entry_value(entry)),
                    &mut fields,
                );
                changes.extend(fields.into_iter().map(|(field, old, new)| Change::Field {
                    case: entry.case.clone(),
                    field,
                    old,
                    new,
                }));
            }
        }
    }
    for old in &old_entries {
        if !new.entries.iter().any(|e| e.case == old.case) {
            changes.push(Change::CaseRemoved {
                case: old.case.clone(),
            });
        }
    }
    if changes.is_empty() {
        changes.push(Change::Text {
            reason: "the entries are equal but laid out differently".to_owned(),
            old: old_text,
            new: new_text,
        });
    }
    Comparison::Changed(changes)
}

/// An entry without its label, as an object of `event` and `response` or `error`.
fn entry_value(entry: &Entry) -> Value {
    let mut map = Map::new();
    map.insert("event".to_owned(), entry.event.clone());
    match &entry.reply {
        Reply::Response(body) => map.insert("response".to_owned(), body.clone()),
        Reply::Error(text) => map.insert("error".to_owned(), Value::String(text.clone())),
    };
    if let Some(agent) = &entry.agent {
        map.insert("agent".to_owned(), agent.clone());
    }
    Value::Object(map)
}

type FieldChange = (String, Option<Value>, Option<Value>);

/// Collects the deepest differing locations between `old` and `new` under `path`.
fn diff_values(
    path: &mut String,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<FieldChange>,
) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let len = path.len();
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                diff_values(path, a.get(key), b.get(key), out);
                path.truncate(len);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                let len = path.len();
                let _ = write!(path, "/{i}");
                diff_values(path, a.get(i), b.get(i), out);
                path.truncate(len);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push((path.clone(), a.cloned(), b.cloned())),
    }
}

/// The comparison for people: the tool, the file, then each case and field with the old
/// (`-`) and new (`+`) values; multi-line texts as line diffs.
pub(crate) fn render_comparison(
    snapshot: &ToolSnapshot,
    path: &Path,
    comparison: &Comparison,
) -> String {
    let mut out = String::new();
    let file = path.display();
    match comparison {
        Comparison::Unchanged => {
            let _ = writeln!(out, "tool `{}`: unchanged ({file})", snapshot.tool);
        }
        Comparison::Missing => {
            let _ = writeln!(
                out,
                "tool `{}`: no accepted snapshot at {file} ({} cases)",
                snapshot.tool,
                snapshot.entries.len()
            );
        }
        Comparison::Changed(changes) => {
            let _ = writeln!(
                out,
                "tool `{}`: output changed ({} {}) in {file}",
                snapshot.tool,
                changes.len(),
                if changes.len() == 1 {
                    "change"
                } else {
                    "changes"
                }
            );
            let mut current_case: Option<&str> = None;
            for change in changes {
                render_change(&mut out, change, &mut current_case);
            }
        }
    }
    out
}

fn render_change<'a>(out: &mut String, change: &'a Change, current_case: &mut Option<&'a str>) {
    match change {
        Change::CaseAdded { case, entry } => {
            *current_case = None;
            let _ = writeln!(out, "  case `{case}`: new case");
            lines(out, "      + ", &pretty(entry, 0));
        }
        Change::CaseRemoved { case } => {
            *current_case = None;
            let _ = writeln!(out, "  case `{case}`: removed");
        }
        Change::Field {
            case,
            field,
            old,
            new,
        } => {
            if *current_case != Some(case.as_str()) {
                let _ = writeln!(out, "  case `{case}`");
                *current_case = Some(case.as_str());
            }
            let _ = writeln!(out, "    field {field}");
            match (old, new) {
                (Some(Value::String(a)), Some(Value::String(b)))
                    if a.contains('\n') || b.contains('\n') =>
                {
                    text_diff(out, a, b);
                }
                (Some(Value::String(a)), Some(Value::String(b))) => {
                    lines(out, "      - ", &shown(old.as_ref()));
                    lines(out, "      + ", &shown(new.as_ref()));
                    word_changes(out, a, b);
                }
                _ => {
                    lines(out, "      - ", &shown(old.as_ref()));
                    lines(out, "      + ", &shown(new.as_ref()));
                }
            }
        }
        Change::Text { reason, old, new } => {
            *current_case = None;
            let _ = writeln!(out, "  {reason}:");
            text_diff(out, old, new);
        }
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), |v| pretty(v, 0))
}

fn lines(out: &mut String, prefix: &str, text: &str) {
    for line in escape_invisible(text).lines() {
        let _ = writeln!(out, "{prefix}{line}");
    }
}

/// Which words changed between two long one-line texts that are mostly the same, so a
/// changed word in a long text is easy to spot (nothing when the texts are short, mostly
/// different, or differ in more than [`MAX_WORD_CHANGES`] places).
fn word_changes(out: &mut String, old: &str, new: &str) {
    if old.chars().count().max(new.chars().count()) < MIN_WORD_DIFF_LEN {
        return;
    }
    let diff = TextDiff::from_words(old, new);
    let mut changes: Vec<(String, String)> = Vec::new();
    let mut current = (String::new(), String::new());
    let mut equal = 0;
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Delete => current.0.push_str(change.value()),
            ChangeTag::Insert => current.1.push_str(change.value()),
            ChangeTag::Equal => {
                equal += change.value().len();
                if !current.0.is_empty() || !current.1.is_empty() {
                    changes.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.0.is_empty() || !current.1.is_empty() {
        changes.push(current);
    }
    if changes.len() > MAX_WORD_CHANGES || equal * 2 < old.len() {
        return;
    }
    for (removed, added) in changes {
        let _ = writeln!(
            out,
            "      ~ {} -> {}",
            escape_invisible(&serde_json::to_string(&removed).unwrap_or_default()),
            escape_invisible(&serde_json::to_string(&added).unwrap_or_default())
        );
    }
}

/// Texts shorter than this are shown whole, without a word diff.
const MIN_WORD_DIFF_LEN: usize = 32;

/// How many changed places [`word_changes`] lists at most.
const MAX_WORD_CHANGES: usize = 3;

/// A line diff of two texts, two lines of context around each change.
fn text_diff(out: &mut String, old: &str, new: &str) {
    let diff = TextDiff::from_lines(old, new);
    for (i, group) in diff.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out, "      ...");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                let text = escape_invisible(change.value().trim_end_matches(['\n', '\r']));
                let _ = writeln!(out, "      {sign} {text}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::report::Seed;
    use crate::snapshot::cases::SnapshotInfo;

    fn snapshot(entries: Vec<Entry>) -> ToolSnapshot {
        ToolSnapshot {
            tool: "get_order".to_owned(),
            name: "get_order".to_owned(),
            info: SnapshotInfo {
                tool: "get_order".to_owned(),
                definition: "tools.json".to_owned(),
                contract: "gateway".to_owned(),
                tool_name: None,
                profile: None,
                action_group: None,
                envelope: None,
                seed: Seed(1),
                generated: 3,
            },
            entries,
        }
    }

    fn entry(case: &str, reply: Reply) -> Entry {
        Entry {
            case: case.to_owned(),
            event: json!({"order_id": "ORD-1001"}),
            reply,
            agent: None,
        }
    }

    #[test]
    fn changes_name_the_case_and_the_field() {
        let text = |t: &str| Reply::Response(json!({"content": [{"type": "text", "text": t}]}));
        let old = snapshot(vec![
            entry(
                "example 1",
                text("order ORD-1001: shipped on Monday, 2 items in one box"),
            ),
            entry("gone", text("x")),
            entry("multi", text("line 1\nline 2\nline 3")),
        ]);
        let new = snapshot(vec![
            entry(
                "example 1",
                text("order ORD-1001: sent on Monday, 2 items in one box"),
            ),
            entry("multi", text("line 1\nline two\nline 3")),
            entry("added", Reply::Error("panic: boom".to_owned())),
        ]);
        let comparison = compare(Some(&old.contents()), &new);
        let Comparison::Changed(changes) = &comparison else {
            panic!("{comparison:?}");
        };
        assert_eq!(
            changes[0],
            Change::Field {
                case: "example 1".to_owned(),
                field: "/response/content/0/text".to_owned(),
                old: Some(json!(
                    "order ORD-1001: shipped on Monday, 2 items in one box"
                )),
                new: Some(json!("order ORD-1001: sent on Monday, 2 items in one box")),
            }
        );
        let text = render_comparison(&new, Path::new("snapshots/get_order.snap"), &comparison);
        assert_eq!(
            text,
            "tool `get_order`: output changed (4 changes) in snapshots/get_order.snap
  case `example 1`
    field /response/content/0/text
      - \"order ORD-1001: shipped on Monday, 2 items in one box\"
      + \"order ORD-1001: sent on Monday, 2 items in one box\"
      ~ \"shipped\" -> \"sent\"
  case `multi`
    field /response/content/0/text
        line 1
      - line 2
      + line two
        line 3
  case `added`: new case
      + {
      +   \"error\": \"panic: boom\",
      +   \"event\": {
      +     \"order_id\": \"ORD-1001\"
      +   }
      + }
  case `gone`: removed
"
        );
        assert_eq!(compare(Some(&new.contents()), &new), Comparison::Unchanged);
        assert_eq!(compare(None, &new), Comparison::Missing);
        let Comparison::Changed(changes) = compare(Some("not json"), &new) else {
            panic!()
        };
        assert!(
            matches!(&changes[0], Change::Text { reason, .. } if reason.contains("not a list"))
        );
    }
}
