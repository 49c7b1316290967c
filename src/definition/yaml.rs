//! YAML text to a JSON value, for OpenAPI documents and CloudFormation templates written in
//! YAML.
//!
//! Built on `yaml-rust2`'s event parser (pure Rust, YAML 1.2), so that the conversion stays in
//! our hands: plain scalars resolve by the YAML 1.2 core schema (`null`, `true`, `42`, `4.2`;
//! `.inf` and `.nan`, which JSON cannot hold, stay strings); quoted and block scalars are always
//! strings; mapping keys become JSON object keys as written (`200:` is the key `"200"`);
//! duplicate keys, non-scalar keys and several documents in one stream are errors; aliases are
//! expanded under a node budget (so a "billion laughs" document is refused, not expanded), and
//! nesting is limited to [`MAX_DEPTH`](super::MAX_DEPTH) levels.
//!
//! Tags: an OpenAPI document's tags are ignored (only `!!str` is honoured). A CloudFormation
//! template's short forms become the long forms CloudFormation itself reads (`!Ref X` is
//! `{"Ref": "X"}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` is `{"Fn::Sub": s}`,
//! on scalars, sequences and mappings alike), and a tag CloudFormation does not know (`!Foo`)
//! is an error naming its line and the JSON Pointer of the tagged node.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::MAX_DEPTH;
use super::intrinsics;
use crate::pointer::JsonPointer;

/// At most this many JSON values (aliases counted as expanded) come out of one YAML text.
pub(crate) const MAX_NODES: usize = 1_000_000;

/// At most this many bytes of strings and keys come out of aliases (counted as expanded), so a
/// long string behind one anchor and thousands of aliases to it is refused, not copied.
pub(crate) const MAX_ALIAS_BYTES: usize = 64 * 1024 * 1024;

/// Why a YAML text cannot be used, with where (1-based line and column, and the JSON Pointer
/// of the node being read, the root when not known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
    pub(crate) pointer: JsonPointer,
}

/// What tags mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tags {
    /// Ignored, but for `!!str` (OpenAPI documents).
    #[default]
    Ignore,
    /// CloudFormation's short forms of intrinsic functions; any other local tag is an error.
    CloudFormation,
}

/// Parses one YAML document into a JSON value (tags ignored, but for `!!str`).
pub(crate) fn parse(text: &str) -> Result<Value, YamlError> {
    parse_with(text, Tags::Ignore)
}

/// Parses one CloudFormation template in YAML: short-form tags become long-form intrinsic
/// functions; an unknown tag is an error.
pub(crate) fn parse_template(text: &str) -> Result<Value, YamlError> {
    parse_with(text, Tags::CloudFormation)
}

fn parse_with(text: &str, tags: Tags) -> Result<Value, YamlError> {
    let mut builder = Builder {
        tags,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, true) {
        let marker = e.marker();
        return Err(YamlError {
            line: marker.line(),
            column: marker.col() + 1,
            message: e.info().to_owned(),
            pointer: builder.pointer(),
        });
    }
    if let Some(error) = builder.error {
        return Err(error);
    }
    match builder.documents.len() {
        1 => Ok(builder.documents.pop().unwrap_or(Value::Null)),
        0 => Err(YamlError {
            line: 1,
            column: 1,
            message: "the text holds no YAML document".to_owned(),
            pointer: JsonPointer::root(),
        }),
        n => Err(YamlError {
            line: 1,
            column: 1,
            message: format!("the text holds {n} YAML documents; expected one"),
            pointer: JsonPointer::root(),
        }),
    }
}

/// A container under construction.
enum Open {
    Sequence {
        items: Vec<Value>,
        anchor: usize,
        /// The intrinsic function its tag names (`Fn::Join` for `!Join [...]`).
        function: Option<&'static str>,
    },
    Mapping {
        map: Map<String, Value>,
        pending_key: Option<String>,
        anchor: usize,
        /// Where the mapping started (for "duplicate key" messages).
        start: Marker,
        /// The intrinsic function its tag names.
        function: Option<&'static str>,
    },
}

#[derive(Default)]
struct Builder {
    tags: Tags,
    stack: Vec<Open>,
    documents: Vec<Value>,
    anchors: HashMap<usize, Value>,
    nodes: usize,
    alias_bytes: usize,
    error: Option<YamlError>,
}

impl Builder {
    fn fail(&mut self, mark: Marker, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(YamlError {
                line: mark.line(),
                column: mark.col() + 1,
                message: message.into(),
                pointer: self.pointer(),
            });
        }
    }

    /// The JSON Pointer of the node being read: the keys and indices of the open containers.
    fn pointer(&self) -> JsonPointer {
        let mut pointer = JsonPointer::root();
        for open in &self.stack {
            pointer = match open {
                Open::Sequence { items, .. } => pointer.index(items.len()),
                Open::Mapping {
                    pending_key: Some(key),
                    ..
                } => pointer.key(key),
                Open::Mapping { .. } => pointer,
            };
        }
        pointer
    }

    /// The intrinsic function a node's tag names, if any. `Err` (and an error recorded) for a
    /// tag that a CloudFormation template cannot hold.
    fn function(&mut self, tag: Option<&Tag>, mark: Marker) -> Result<Option<&'static str>, ()> {
        let Some(tag) = tag else { return Ok(None) };
        if self.tags == Tags::Ignore || tag.handle == CORE_SCHEMA {
            return Ok(None);
        }
        let known = (tag.handle == "!")
            .then(|| intrinsics::short_form(&tag.suffix))
            .flatten();
        match known {
            Some(function) => Ok(Some(function)),
            None => {
                let shown = if tag.handle == "!" {
                    format!("!{}", tag.suffix)
                } else {
                    format!("!<{}{}>", tag.handle, tag.suffix)
                };
                self.fail(
                    mark,
                    format!(
                        "unknown tag `{shown}`: CloudFormation knows only the short forms of its \
                         intrinsic functions ({}); write the value without the tag, or as the \
                         long form (`Fn::Name: ...`) of a function CloudFormation has",
                        intrinsics::SHORT_FORMS_LIST
                    ),
                );
                Err(())
            }
        }
    }

    /// Counts `count` more values against the budget; false (and an error) past it.
    fn spend(&mut self, count: usize, mark: Marker) -> bool {
        self.nodes = self.nodes.saturating_add(count);
        if self.nodes > MAX_NODES {
            self.fail(
                mark,
                format!(
                    "the document expands to more than {MAX_NODES} values (aliases counted as \
                     expanded); no OpenAPI document needs that"
                ),
            );
            return false;
        }
        true
    }

    /// Hands a finished value to its parent (or ends the document).
    fn push(&mut self, value: Value, anchor: usize, is_key_candidate: bool, mark: Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.documents.push(value),
            Some(Open::Sequence { items, .. }) => items.push(value),
            Some(Open::Mapping {
                map, pending_key, ..
            }) => match pending_key.take() {
                Some(key) => {
                    map.insert(key, value);
                }
                None => {
                    let key = match value {
                        Value::String(s) if is_key_candidate => s,
                        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)
                            if is_key_candidate =>
                        {
                            value.to_string()
                        }
                        _ => {
                            self.fail(
                                mark,
                                "a mapping key is a sequence or a mapping; JSON object keys \
                                 are strings",
                            );
                            return;
                        }
                    };
                    if map.contains_key(&key) {
                        self.fail(mark, format!("duplicate mapping key `{key}`"));
                        return;
                    }
                    *pending_key = Some(key);
                }
            },
        }
    }

    fn scalar(&self, text: String, style: TScalarStyle, tagged_str: bool) -> Value {
        if style != TScalarStyle::Plain || tagged_str {
            return Value::String(text);
        }
        resolve_plain(text)
    }

    fn in_mapping_key_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Open::Mapping {
                pending_key: None,
                ..
            })
        )
    }
}

/// The handle of the YAML core schema's tags (`!!str` is this handle and `str`).
const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// `value` as the argument of `function` (`{"Fn::Join": value}`); a short-form `!GetAtt A.B`
/// scalar is split at its first dot, as CloudFormation reads it.
fn wrapped(function: &'static str, value: Value) -> Value {
    let value = match value {
        Value::String(text) if function == "Fn::GetAtt" => match text.split_once('.') {
            Some((resource, attribute)) => {
                Value::Array(vec![Value::from(resource), Value::from(attribute)])
            }
            None => Value::String(text),
        },
        other => other,
    };
    let mut map = Map::with_capacity(1);
    map.insert(function.to_owned(), value);
    Value::Object(map)
}

/// A plain scalar by the YAML 1.2 core schema.
fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if digits(unsigned) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::from(i);
        }
        if let Ok(u) = text.trim_start_matches('+').parse::<u64>() {
            return Value::from(u);
        }
    }
    if let Some(hex) = text.strip_prefix("0x")
        && !hex.is_empty()
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::from(i);
    }
    if let Some(octal) = text.strip_prefix("0o")
        && !octal.is_empty()
        && let Ok(i) = i64::from_str_radix(octal, 8)
    {
        return Value::from(i);
    }
    // Core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    if is_core_float(&text)
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text)
}

fn is_core_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && !frac.is_empty() || !int.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if !self.spend(1, mark) {
                    return;
                }
                let tagged_str = tag
                    .as_ref()
                    .is_some_and(|t| t.handle == CORE_SCHEMA && t.suffix == "str");
                let key = self.in_mapping_key_position();
                let Ok(function) = self.function(tag.as_ref(), mark) else {
                    return;
                };
                if let Some(function) = function {
                    if key {
                        self.fail(mark, "a mapping key carries a tag; keys are plain strings");
                        return;
                    }
                    // The argument of a short form is the scalar as written (`!Ref 42` names
                    // the parameter "42").
                    self.push(wrapped(function, Value::String(text)), anchor, false, mark);
                    return;
                }
                // A key stays as written (`0x1F:` is the key "0x1F"); a value resolves.
                let value = if key {
                    Value::String(text)
                } else {
                    self.scalar(text, style, tagged_str)
                };
                self.push(value, anchor, key, mark);
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        mark,
                        format!(
                            "the document nests deeper than {MAX_DEPTH} levels; no OpenAPI \
                             document needs that"
                        ),
                    );
                    return;
                }
                if !self.spend(1, mark) {
                    return;
                }
                if self.in_mapping_key_position() {
                    self.fail(
                        mark,
                        "a mapping key is a sequence or a mapping; JSON object keys are strings",
                    );
                    return;
                }
                let Ok(function) = self.function(tag.as_ref(), mark) else {
                    return;
                };
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Open::Sequence {
                            items: Vec::new(),
                            anchor,
                            function,
                        }
                    } else {
                        Open::Mapping {
                            map: Map::new(),
                            pending_key: None,
                            anchor,
                            start: mark,
                            function,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return;
                };
                let (value, anchor, function) = match open {
                    Open::Sequence {
                        items,
                        anchor,
                        function,
                    } => (Value::Array(items), anchor, function),
                    Open::Mapping {
                        map,
                        pending_key,
                        anchor,
                        start,
                        function,
                    } => {
                        if let Some(key) = pending_key {
                            self.fail(start, format!("mapping key `{key}` has no value"));
                            return;
                        }
                        (Value::Object(map), anchor, function)
                    }
                };
                let value = match function {
                    Some(function) => wrapped(function, value),
                    None => value,
                };
                self.push(value, anchor, false, mark);
            }
            Event::Alias(id) => {
                let Some(value) = self.anchors.get(&id).cloned() else {
                    self.fail(mark, "an alias refers to an unknown anchor");
                    return;
                };
                let (values, bytes) = count_values(&value);
                if !self.spend(values, mark) {
                    return;
                }
                self.alias_bytes = self.alias_bytes.saturating_add(bytes);
                if self.alias_bytes > MAX_ALIAS_BYTES {
                    self.fail(
                        mark,
                        format!(
                            "aliases expand to more than {MAX_ALIAS_BYTES} bytes of text; no \
                             OpenAPI document needs that"
                        ),
                    );
                    return;
                }
                let key = self.in_mapping_key_position();
                self.push(value, 0, key, mark);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// How many values `value` holds, itself included, and how many bytes of strings and keys
/// (iterative; stops counting past either budget).
fn count_values(value: &Value) -> (usize, usize) {
    let mut count = 0usize;
    let mut bytes = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        if count > MAX_NODES || bytes > MAX_ALIAS_BYTES {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                bytes += map.keys().map(String::len).sum::<usize>();
                stack.extend(map.values());
            }
            Value::String(s) => bytes += s.len(),
            _ => {}
        }
    }
    (count, bytes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{parse, parse_template};

    #[test]
    fn scalars_follow_the_core_schema_and_keys_stay_as_written() {
        let value = parse(
            "openapi: 3.0.0\nn: 42\nf: 4.5\nb: true\nz: ~\ns: '42'\ninf: .inf\nresponses:\n  200:\n    d: x\n  \"404\": {d: y}\nlist: [1, two]\n",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({
                "openapi": "3.0.0", "n": 42, "f": 4.5, "b": true, "z": null, "s": "42",
                "inf": ".inf",
                "responses": {"200": {"d": "x"}, "404": {"d": "y"}},
                "list": [1, "two"]
            })
        );
    }

    #[test]
    fn block_scalars_are_strings() {
        let value = parse("d: |\n  line one\n  line two\ne: >\n  folded\n  text\n").unwrap();
        assert_eq!(
            value,
            json!({"d": "line one\nline two\n", "e": "folded text\n"})
        );
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "duplicate mapping key `a`")
        );
        let e = parse("a: [1, 2\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("2 YAML documents"), "{e:?}");
        let e = parse("? [a]\n: 1\n").unwrap_err();
        assert!(e.message.contains("mapping key is a sequence"), "{e:?}");
    }

    #[test]
    fn aliases_expand_within_a_budget() {
        assert_eq!(
            parse("a: &x {k: v}\nb: *x\n").unwrap(),
            json!({"a": {"k": "v"}, "b": {"k": "v"}})
        );
        let mut bomb = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            bomb.push_str(&format!(
                "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n",
                p = i - 1
            ));
        }
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("more than 1000000 values"), "{e:?}");
    }

    /// Issue 11: one long string behind an anchor, thousands of aliases to it.
    #[test]
    fn aliases_to_long_strings_expand_within_a_budget() {
        let mut bomb = format!("s: &s \"{}\"\nl:\n", "x".repeat(1_000_000));
        for _ in 0..3_000 {
            bomb.push_str("  - *s\n");
        }
        let e = parse(&bomb).unwrap_err();
        assert!(
            e.message.contains("more than 67108864 bytes of text"),
            "{e:?}"
        );
        // The 68th alias (line 70) passes 64 MiB.
        assert_eq!(e.line, 70);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("deeper than 128"), "{e:?}");
    }

    #[test]
    fn template_tags_become_long_forms() {
        let value = parse_template(
            "a: !Ref Env\nb: !GetAtt Fn.Arn\nc: !Sub [\"${X}\", {X: !Ref Y}]\nd: !If\n  - C\n  - 1\n  - 2\ne: !Transform {Name: M}\nf: !!str 42\n",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({
                "a": {"Ref": "Env"},
                "b": {"Fn::GetAtt": ["Fn", "Arn"]},
                "c": {"Fn::Sub": ["${X}", {"X": {"Ref": "Y"}}]},
                "d": {"Fn::If": ["C", 1, 2]},
                "e": {"Fn::Transform": {"Name": "M"}},
                "f": "42"
            })
        );
        // An OpenAPI document's tags stay ignored.
        assert_eq!(parse("a: !Ref Env\n").unwrap(), json!({"a": "Env"}));
    }

    #[test]
    fn unknown_template_tags_name_the_line_and_the_pointer() {
        let e = parse_template("Resources:\n  T:\n    List:\n      - ok\n      - !Foo x\n")
            .unwrap_err();
        assert_eq!(e.line, 5);
        assert_eq!(e.pointer.as_str(), "/Resources/T/List/1");
        assert!(e.message.starts_with("unknown tag `!Foo`"), "{e:?}");
        let e = parse_template("a: !Foo {b: 1}\n").unwrap_err();
        assert_eq!(e.pointer.as_str(), "/a");
    }
}
