//! Schema locations: which subschemas of the original schema a compiled node came from, so an
//! error names the keyword actually at fault.
//!
//! The generator compiles the canonical form, which has no pointers: it folds `allOf` branches
//! into one leaf, inlines `$ref`s, splits `type` arrays into `anyOf` branches and rewrites
//! negations. One canonical node can therefore stand for several subschemas of the original, and
//! a canonical keyword value (the larger of two `minLength`s) for one of them. Rather than map
//! canonical nodes back, the compiler walks the original tree alongside the canonical one: every
//! node is compiled at a [`Location`], the subschemas of the original schema that apply to the
//! value the node generates. The root starts at the root; each step the canonical form takes
//! into a value ([`Step`]: a property, an item, a property name, ...) is taken in each of
//! those subschemas (`properties/<name>`, or the `patternProperties` matching it, or
//! `additionalProperties`; `prefixItems/<i>`, `items`; ...), and every set is closed under what
//! applies to the same value: `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
//! `dependentSchemas` and local `$ref`s. A canonical `$ref` starts again at its target. Steps
//! within the same value (a typed group's body, a combinator's branch, a negation the canonical
//! form rewrote) keep the location.
//!
//! A fault found at a node is named by [`Location::keyword`]: the first subschema of the
//! location holding the keyword with the value the canonical node has (so of `allOf: [{minLength:
//! 1}, {minLength: 200000}]` the second is blamed for strings too long to build), else the
//! first holding the keyword at all (a value the canonical form derived, e.g. an integer
//! `minimum` rounded up), else the first subschema itself, without a keyword. Every pointer so
//! named is a subschema that applies to the value at fault, never a namesake elsewhere.
//!
//! Where the original tree has no counterpart of a step (a reference into another document, a
//! property the canonical form invented), the location stays at the last subschema known and
//! becomes *inexact*: errors below it name that subschema and no keyword.

use std::{collections::BTreeSet, sync::Arc};

use serde_json::Value;

use super::walk;
use crate::pointer::JsonPointer;

/// The most subschemas one location holds. A location is closed under the in-place applicators
/// and `$ref`, which in a large document reaches hundreds of definitions; past this many the
/// rest are not searched (an error then names an earlier subschema, or the first one).
const MAX_SUBSCHEMAS: usize = 64;

/// The URI scheme the canonical form gives the definitions it keys by absolute location.
const CANONICAL_REFERENCE_PREFIX: &str = "urn:jsonschema:canonical:";

/// The base URI `jsonschema` gives a document without `$id`.
const DEFAULT_BASE: &str = "json-schema:///";

/// Keywords whose subschema applies to the same value.
const IN_PLACE_SINGLE: &[&str] = &["not", "if", "then", "else"];
/// Keywords whose array of subschemas applies to the same value.
const IN_PLACE_ARRAY: &[&str] = &["allOf", "anyOf", "oneOf"];
/// Keywords whose map of subschemas applies to the same value.
const IN_PLACE_MAP: &[&str] = &["dependentSchemas", "dependencies"];

/// A step from a value into a value inside it, as the canonical form takes it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step<'s> {
    /// The value of the property `name`.
    Property(&'s str),
    /// The value of a property whose name matches `pattern` (its `patternProperties` schema).
    PatternProperty(&'s str),
    /// The value of a property nothing declares.
    Additional,
    /// A property name (`propertyNames`).
    PropertyName,
    /// The item at `index` of the prefix.
    PrefixItem(usize),
    /// An item after the prefix.
    Items,
    /// An item `contains` matches.
    Contains,
}

/// The subschemas of the original schema that apply to the value a node generates (see the
/// module docs). Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Location<'a> {
    /// The original schema (after the pre-pass), for `$ref`s.
    root: &'a Value,
    /// Never empty; the first is where the step led, the others apply to the same value.
    subschemas: Arc<[(JsonPointer, &'a Value)]>,
    /// Whether the subschemas are the counterparts of the node (not just the nearest known).
    exact: bool,
}

impl<'a> Location<'a> {
    /// The root of `root`, and what applies with it.
    pub(crate) fn root(root: &'a Value) -> Location<'a> {
        Location::closed(root, vec![(JsonPointer::root(), root)])
    }

    fn closed(root: &'a Value, starts: Vec<(JsonPointer, &'a Value)>) -> Location<'a> {
        Location {
            root,
            subschemas: close(root, starts).into(),
            exact: true,
        }
    }

    /// Where this location's subschemas lead; inexact at the first of them when none has a
    /// counterpart of the step. `matches(pattern, name)` says whether a `patternProperties`
    /// pattern matches a property name.
    pub(crate) fn step(
        &self,
        step: Step<'_>,
        matches: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Location<'a> {
        if !self.exact {
            return self.clone();
        }
        let mut starts = Vec::new();
        for (at, schema) in self.subschemas.iter() {
            step_into(at, schema, step, matches, &mut starts);
        }
        if starts.is_empty() {
            return self.inexact();
        }
        Location::closed(self.root, starts)
    }

    /// Where the canonical reference `uri` leads: its target in the original schema, and what
    /// applies with it; inexact here when the target is in another document.
    pub(crate) fn definition(&self, uri: &str) -> Location<'a> {
        match target_of_uri(self.root, uri) {
            Some(target) => Location::closed(self.root, vec![target]),
            None => self.inexact(),
        }
    }

    /// This location and `other` (a node made of both, e.g. `items ∩ contains`).
    pub(crate) fn and(&self, other: &Location<'a>) -> Location<'a> {
        if !self.exact {
            return other.clone();
        }
        if !other.exact {
            return self.clone();
        }
        let mut seen = BTreeSet::new();
        let subschemas: Vec<(JsonPointer, &'a Value)> = self
            .subschemas
            .iter()
            .chain(other.subschemas.iter())
            .filter(|(at, _)| seen.insert(at.clone()))
            .take(MAX_SUBSCHEMAS)
            .cloned()
            .collect();
        Location {
            root: self.root,
            subschemas: subschemas.into(),
            exact: true,
        }
    }

    fn inexact(&self) -> Location<'a> {
        Location {
            root: self.root,
            subschemas: self.subschemas[..1].into(),
            exact: false,
        }
    }

    /// The names the subschemas here declare in `properties` with a schema that admits every
    /// value (`true`, `{}`, annotations only), and with no other (empty when inexact): the
    /// canonical form drops such a property, which the object still names.
    pub(crate) fn unconstrained_properties(&self) -> Vec<&'a str> {
        const ANNOTATIONS: &[&str] = &[
            "title",
            "description",
            "examples",
            "default",
            "$comment",
            "deprecated",
            "readOnly",
            "writeOnly",
        ];
        fn admits_all(schema: &Value) -> bool {
            match schema {
                Value::Bool(b) => *b,
                Value::Object(map) => map.keys().all(|k| ANNOTATIONS.contains(&k.as_str())),
                _ => false,
            }
        }
        if !self.exact {
            return Vec::new();
        }
        let declared_admits_all = |name: &str| {
            self.subschemas
                .iter()
                .filter_map(|(_, schema)| schema.get("properties").and_then(|p| p.get(name)))
                .all(admits_all)
        };
        let mut names: Vec<&'a str> = Vec::new();
        for (_, schema) in self.subschemas.iter() {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for name in properties.keys() {
                    if !names.contains(&name.as_str()) && declared_admits_all(name) {
                        names.push(name);
                    }
                }
            }
        }
        names
    }

    /// The subschemas of the original schema that apply here (none when inexact).
    pub(crate) fn subschemas(&self) -> impl Iterator<Item = &'a Value> + '_ {
        self.subschemas
            .iter()
            .filter(|_| self.exact)
            .map(|(_, schema)| *schema)
    }

    /// The subschema the node came from (the first of the location).
    pub(crate) fn pointer(&self) -> JsonPointer {
        self.subschemas[0].0.clone()
    }

    /// The keyword `keyword` at fault here: in the first subschema holding it with `value`
    /// (when given), else in the first holding it; the subschema itself when none does.
    pub(crate) fn keyword(&self, keyword: &str, value: Option<&Value>) -> JsonPointer {
        if self.exact {
            if let Some(wanted) = value
                && let Some((at, _)) = self
                    .subschemas
                    .iter()
                    .find(|(_, schema)| schema.get(keyword).is_some_and(|held| same(held, wanted)))
            {
                return at.key(keyword);
            }
            if let Some((at, _)) = self
                .subschemas
                .iter()
                .find(|(_, schema)| schema.get(keyword).is_some())
            {
                return at.key(keyword);
            }
        }
        self.pointer()
    }

    /// Where `pattern` is written here: a `pattern` keyword, or a `patternProperties` key; the
    /// subschema itself when neither is.
    pub(crate) fn pattern(&self, pattern: &str) -> JsonPointer {
        if self.exact {
            for (at, schema) in self.subschemas.iter() {
                if schema.get("pattern").and_then(Value::as_str) == Some(pattern) {
                    return at.key("pattern");
                }
            }
            for (at, schema) in self.subschemas.iter() {
                if schema
                    .get("patternProperties")
                    .and_then(Value::as_object)
                    .is_some_and(|map| map.contains_key(pattern))
                {
                    return at.key("patternProperties").key(pattern);
                }
            }
        }
        self.pointer()
    }
}

/// Whether a keyword value written in the schema is the one the canonical form has (numbers
/// compared by value: `2e5` is `200000`).
fn same(held: &Value, wanted: &Value) -> bool {
    match (held, wanted) {
        (Value::Number(a), Value::Number(b)) => {
            a == b || a.as_f64().is_some_and(|a| b.as_f64() == Some(a))
        }
        _ => held == wanted,
    }
}

fn is_schema(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Bool(_))
}

/// The counterparts of `step` in the subschema `schema` at `at`, pushed onto `out`.
fn step_into<'a>(
    at: &JsonPointer,
    schema: &'a Value,
    step: Step<'_>,
    matches: &mut dyn FnMut(&str, &str) -> bool,
    out: &mut Vec<(JsonPointer, &'a Value)>,
) {
    let mut push = |pointer: JsonPointer, value: Option<&'a Value>| {
        if let Some(value) = value.filter(|value| is_schema(value)) {
            out.push((pointer, value));
            true
        } else {
            false
        }
    };
    let get = |keyword: &str| schema.get(keyword);
    match step {
        Step::Property(name) => {
            let mut declared = push(
                at.key("properties").key(name),
                get("properties").and_then(|p| p.get(name)),
            );
            if let Some(patterns) = get("patternProperties").and_then(Value::as_object) {
                for (pattern, value) in patterns {
                    if matches(pattern, name) {
                        declared |= push(at.key("patternProperties").key(pattern), Some(value));
                    }
                }
            }
            if !declared {
                push(at.key("additionalProperties"), get("additionalProperties"));
                push(
                    at.key("unevaluatedProperties"),
                    get("unevaluatedProperties"),
                );
            }
        }
        Step::PatternProperty(pattern) => {
            push(
                at.key("patternProperties").key(pattern),
                get("patternProperties").and_then(|p| p.get(pattern)),
            );
        }
        Step::Additional => {
            push(at.key("additionalProperties"), get("additionalProperties"));
            push(
                at.key("unevaluatedProperties"),
                get("unevaluatedProperties"),
            );
        }
        Step::PropertyName => {
            push(at.key("propertyNames"), get("propertyNames"));
        }
        Step::PrefixItem(index) => {
            let prefixed = push(
                at.key("prefixItems").index(index),
                get("prefixItems").and_then(|p| p.get(index)),
            );
            if !prefixed {
                match get("items") {
                    // `items` as an array: the prefix of drafts before 2020-12.
                    Some(Value::Array(items)) => {
                        if !push(at.key("items").index(index), items.get(index)) {
                            push(at.key("additionalItems"), get("additionalItems"));
                        }
                    }
                    items => {
                        push(at.key("items"), items);
                    }
                }
            }
        }
        Step::Items => {
            match get("items") {
                Some(Value::Array(_)) => {
                    push(at.key("additionalItems"), get("additionalItems"));
                }
                items => {
                    push(at.key("items"), items);
                }
            }
            push(at.key("unevaluatedItems"), get("unevaluatedItems"));
        }
        Step::Contains => {
            push(at.key("contains"), get("contains"));
        }
    }
}

/// `starts` and every subschema applying to the same value as one of them (breadth first, at
/// most [`MAX_SUBSCHEMAS`]).
fn close<'a>(
    root: &'a Value,
    starts: Vec<(JsonPointer, &'a Value)>,
) -> Vec<(JsonPointer, &'a Value)> {
    let mut seen: BTreeSet<JsonPointer> = BTreeSet::new();
    let mut out: Vec<(JsonPointer, &'a Value)> = Vec::new();
    let mut queue: std::collections::VecDeque<(JsonPointer, &'a Value)> = starts.into();
    while let Some((at, schema)) = queue.pop_front() {
        if out.len() >= MAX_SUBSCHEMAS {
            break;
        }
        if !seen.insert(at.clone()) {
            continue;
        }
        out.push((at.clone(), schema));
        let Value::Object(map) = schema else {
            continue;
        };
        for keyword in IN_PLACE_SINGLE {
            if let Some(child) = map.get(*keyword).filter(|value| is_schema(value)) {
                queue.push_back((at.key(keyword), child));
            }
        }
        for keyword in IN_PLACE_ARRAY {
            if let Some(Value::Array(children)) = map.get(*keyword) {
                for (i, child) in children.iter().enumerate() {
                    if is_schema(child) {
                        queue.push_back((at.key(keyword).index(i), child));
                    }
                }
            }
        }
        for keyword in IN_PLACE_MAP {
            if let Some(Value::Object(children)) = map.get(*keyword) {
                for (name, child) in children {
                    if child.is_object() {
                        queue.push_back((at.key(keyword).key(name), child));
                    }
                }
            }
        }
        if let Some(reference) = map.get("$ref").and_then(Value::as_str)
            && let Some(target) = local_target(root, reference)
        {
            queue.push_back(target);
        }
    }
    out
}

/// The subschema of `root` a canonical reference URI names: `#`, a `#/...` pointer, or a key
/// the canonical form made from an absolute location in this document.
fn target_of_uri<'a>(root: &'a Value, uri: &str) -> Option<(JsonPointer, &'a Value)> {
    match uri.strip_prefix(CANONICAL_REFERENCE_PREFIX) {
        Some(encoded) => local_target(root, &percent_decode(encoded)),
        None => local_target(root, uri),
    }
}

/// The subschema of `root` the reference `reference` names when it is inside the document:
/// `#...`, or `<base>#...` with the document's base URI.
fn local_target<'a>(root: &'a Value, reference: &str) -> Option<(JsonPointer, &'a Value)> {
    let (base, fragment) = reference.split_once('#')?;
    let own = root
        .get("$id")
        .or_else(|| root.get("id"))
        .and_then(Value::as_str)
        .map(|id| id.trim_end_matches('#'));
    if !(base.is_empty() || base == DEFAULT_BASE || Some(base) == own) {
        return None;
    }
    let fragment = percent_decode(fragment);
    if fragment.is_empty() {
        return Some((JsonPointer::root(), root));
    }
    if fragment.starts_with('/') {
        let pointer = JsonPointer::parse(&fragment)?;
        return root
            .pointer(pointer.as_str())
            .map(|target| (pointer, target));
    }
    // A plain-name fragment: the subschema declaring that `$anchor`.
    let mut found = None;
    walk::for_each(root, &mut |at, schema| {
        if found.is_none() && schema.get("$anchor").and_then(Value::as_str) == Some(&fragment) {
            found = Some(at.clone());
        }
    });
    let pointer = found?;
    root.pointer(pointer.as_str())
        .map(|target| (pointer, target))
}

/// `text` with its `%XX` escapes decoded (invalid UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn never(_: &str, _: &str) -> bool {
        false
    }

    #[test]
    fn a_property_step_is_taken_in_every_subschema_that_applies() {
        let schema = json!({
            "allOf": [{"properties": {"b": {"minLength": 1}}}, {"$ref": "#/$defs/B"}],
            "$defs": {"B": {"properties": {"b": {"minLength": 200000}}}}
        });
        let b = Location::root(&schema).step(Step::Property("b"), &mut never);
        assert_eq!(b.pointer().as_str(), "/allOf/0/properties/b");
        assert_eq!(
            b.keyword("minLength", Some(&json!(200_000.0))).as_str(),
            "/$defs/B/properties/b/minLength"
        );
        assert_eq!(
            b.keyword("minLength", None).as_str(),
            "/allOf/0/properties/b/minLength"
        );
        assert_eq!(
            b.keyword("maxLength", None).as_str(),
            "/allOf/0/properties/b"
        );
    }

    #[test]
    fn undeclared_names_step_into_matching_patterns_or_additional_properties() {
        let schema = json!({
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": {"type": "integer"}
        });
        let root = Location::root(&schema);
        let mut prefix =
            |pattern: &str, name: &str| name.starts_with(pattern.trim_start_matches('^'));
        assert_eq!(
            root.step(Step::Property("x-a"), &mut prefix)
                .pointer()
                .as_str(),
            "/patternProperties/^x-"
        );
        assert_eq!(
            root.step(Step::Property("other"), &mut prefix)
                .pointer()
                .as_str(),
            "/additionalProperties"
        );
        assert_eq!(root.pattern("^x-").as_str(), "/patternProperties/^x-");
    }

    #[test]
    fn items_steps_follow_the_draft_forms() {
        let new = json!({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}});
        let old = json!({"items": [{"type": "string"}], "additionalItems": {"type": "integer"}});
        for schema in [&new, &old] {
            let root = Location::root(schema);
            let first = root.step(Step::PrefixItem(0), &mut never).pointer();
            let rest = root.step(Step::Items, &mut never).pointer();
            assert!(first.as_str().ends_with("/0"), "{first}");
            assert!(
                rest.as_str() == "/items" || rest.as_str() == "/additionalItems",
                "{rest}"
            );
        }
    }

    #[test]
    fn canonical_reference_keys_lead_to_their_targets() {
        let schema = json!({"$defs": {"A": {"$anchor": "a"}}, "properties": {"p q": {}}});
        let root = Location::root(&schema);
        assert_eq!(root.definition("#/$defs/A").pointer().as_str(), "/$defs/A");
        assert_eq!(root.definition("#a").pointer().as_str(), "/$defs/A");
        assert_eq!(
            root.definition(
                "urn:jsonschema:canonical:json-schema%3A%2F%2F%2F%23%2Fproperties%2Fp%2520q"
            )
            .pointer()
            .as_str(),
            "/properties/p q"
        );
        // Another document: the referrer, inexactly.
        let elsewhere = root.definition("https://example.com/a.json#/x");
        assert!(elsewhere.pointer().is_root());
        assert_eq!(elsewhere.keyword("$defs", None).as_str(), "");
    }

    #[test]
    fn cycles_and_large_documents_stay_bounded() {
        let looped = json!({"$ref": "#", "allOf": [{"$ref": "#"}]});
        assert_eq!(Location::root(&looped).subschemas.len(), 2);
        let many: Vec<Value> = (0..500).map(|i| json!({"minimum": i})).collect();
        let wide = json!({"anyOf": many});
        assert_eq!(Location::root(&wide).subschemas.len(), MAX_SUBSCHEMAS);
    }
}
