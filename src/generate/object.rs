//! `object`: `properties`, `required`, `patternProperties`, `additionalProperties`,
//! `propertyNames`, `minProperties`/`maxProperties`, and the violations a negation demands.
//!
//! Required properties are always present; optional ones come and go (shrinking drops them), and
//! one case in a few has them all absent. Undeclared properties are generated only where the
//! schema declares them (`patternProperties`, a non-trivial `additionalProperties` map type, a
//! `propertyNames` listing names or a pattern), where `minProperties` needs them, or when
//! [`GenerateOptions::extra_properties`](super::GenerateOptions) asks for them.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use jsonschema::{
    Validator,
    canonical::{CanonicalSchema, CanonicalView, ObjectView},
};
use proptest::{
    option,
    prelude::RngExt,
    sample::select,
    strategy::{Just, NewTree, SBoxedStrategy, Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::{Map, Value};

use super::union::Union;
use super::{
    GenerateError, any,
    compile::{Compiler, Empty, Node, Stop, Strat, finish, names_references, resolve},
    early,
    family::{Family, type_set},
    location::Step,
    number,
    string::{self, Plain},
};

/// How many undeclared properties a map type gets at most (past what `minProperties` needs).
const EXTRAS_SPAN: usize = 3;
/// The largest `minProperties` generated for.
const MAX_MIN_PROPERTIES: usize = 1_000;

/// How often an optional property is present.
const OPTIONAL_PRESENT: f64 = 0.6;
/// How many optional properties are present on average at most (with many declared).
const OPTIONAL_EXPECTED: f64 = 6.0;
/// One object in this many has every optional property absent.
const ALL_ABSENT_ONE_IN: u32 = 8;

/// Random property names: identifiers mostly, sometimes anything.
pub(crate) fn random_key() -> SBoxedStrategy<String> {
    Union::new_weighted(vec![
        (3, string::regex("[a-z][a-z0-9_]{0,8}")),
        (
            1,
            Plain::new(0, Some(12), 12)
                .prop_map(|v| v.as_str().unwrap_or_default().to_owned())
                .sboxed(),
        ),
    ])
    .sboxed()
}

/// `type: object` with its keywords. Its boundary values and its mutations are those of its
/// properties (`boundary` and `invalid` walk them).
pub(crate) struct Objects(pub(crate) ObjectView);

impl Family for Objects {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        compiler.nested(|compiler| finish(build(compiler, node, &self.0)))
    }

    fn types(&self) -> Option<jsonschema::JsonTypeSet> {
        Some(type_set(&[jsonschema::JsonType::Object]))
    }
}

fn build(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    view: &ObjectView,
) -> Result<Strat, Stop> {
    let min = view
        .min_properties
        .as_ref()
        .and_then(number::to_usize)
        .unwrap_or(0);
    let max = view.max_properties.as_ref().and_then(number::to_usize);
    if min > MAX_MIN_PROPERTIES {
        let written = view.min_properties.clone().map(Value::Number);
        return Err(Stop::Error(GenerateError::too_hard(
            compiler.keyword_pointer("minProperties", written.as_ref()),
            format!(
                "objects of at least {min} properties (the generator builds at most {MAX_MIN_PROPERTIES})"
            ),
        )));
    }

    // `propertyNames` by `$ref` is generated from as if it were written inline.
    let property_names = view.property_names.as_ref().map(inline_references);
    let names: Option<Arc<Validator>> = match &property_names {
        Some(schema) if !is_true(schema) => Some(compiler.validator_for(schema)?),
        _ => None,
    };
    let name_ok = |name: &str| {
        names
            .as_ref()
            .is_none_or(|v| v.is_valid(&Value::String(name.to_owned())))
    };

    let mut patterns: Vec<(String, Arc<fancy_regex::Regex>, CanonicalSchema)> = Vec::new();
    let mut unchecked_patterns = false;
    for (pattern, schema) in &view.pattern_properties {
        match compiler.regex(pattern) {
            Some(regex) => patterns.push((pattern.clone(), regex, schema.clone())),
            None => unchecked_patterns = true,
        }
    }

    // Declared names: required ones always, the others optional.
    let mut required: Vec<(String, Strat)> = Vec::new();
    for name in &view.required {
        if !name_ok(name) {
            return Err(Stop::Empty(Empty::False));
        }
        match value_node(compiler, view, &patterns, name)? {
            Node::Gen(strategy) => required.push((name.clone(), strategy)),
            Node::Empty(reason) => return Err(Stop::Empty(reason)),
        }
    }
    let mut optional: Vec<(String, Strat)> = Vec::new();
    for name in view.properties.keys() {
        if view.required.contains(name) || !name_ok(name) {
            continue;
        }
        // A property without values (`false`, or recursion exhausted) is never generated.
        if let Node::Gen(strategy) = value_node(compiler, view, &patterns, name)? {
            optional.push((name.clone(), strategy));
        }
    }
    // Declared with a schema that admits everything (`{}`, `true`): gone from the canonical
    // form, but an optional property all the same.
    let unconstrained: Vec<String> = compiler
        .here()
        .unconstrained_properties()
        .into_iter()
        .filter(|name| {
            !view.properties.contains_key(*name)
                && !view.required.iter().any(|r| r == name)
                && name_ok(name)
        })
        .map(str::to_owned)
        .collect();
    for name in unconstrained {
        if let Node::Gen(strategy) = value_node(compiler, view, &patterns, &name)? {
            optional.push((name, strategy));
        }
    }
    if max.is_some_and(|max| max < required.len()) {
        return Err(Stop::Empty(Empty::False));
    }

    // Undeclared properties.
    let additional: Option<Strat> = match &view.additional_properties {
        None => Some(any::any_value(compiler)),
        Some(schema) if is_true(schema) => Some(any::any_value(compiler)),
        Some(schema) => compiler.compile_step(Step::Additional, schema)?.strategy(),
    };
    let map_type = view
        .additional_properties
        .as_ref()
        .is_some_and(|s| !is_true(s) && additional.is_some());
    let mut sources: Vec<(u32, KeySource)> = Vec::new();
    if let Some(schema) = &property_names
        && declares_names(schema)
        && let Node::Gen(keys) = compiler.compile_step(Step::PropertyName, schema)?
    {
        sources.push((
            2,
            KeySource {
                keys,
                checked: true,
            },
        ));
    }
    let mut pattern_values: Vec<(Arc<fancy_regex::Regex>, Option<Strat>)> = Vec::new();
    for (pattern, regex, schema) in &patterns {
        let value = compiler
            .compile_step(Step::PatternProperty(pattern), schema)?
            .strategy();
        if value.is_some() {
            match compiler.pattern(pattern) {
                Ok(generator) => sources.push((
                    2,
                    KeySource {
                        keys: generator.strategy(0, None),
                        checked: false,
                    },
                )),
                // Names for it cannot be generated; the object is still valid without them.
                Err(error) => compiler.warn(
                    error.pointer.clone(),
                    format!(
                        "no property names are generated for this pattern: {}",
                        error.kind
                    ),
                ),
            }
        }
        pattern_values.push((Arc::clone(regex), value));
    }
    let shortfall = min.saturating_sub(required.len());
    let random_keys = || KeySource {
        keys: random_key().prop_map(Value::String).sboxed(),
        checked: false,
    };
    let needs_more = shortfall > optional.len() + usize::from(!sources.is_empty()) * EXTRAS_SPAN;
    let asked = compiler.options.extra_properties || !view.violations.is_empty();
    if additional.is_some() {
        // Names the schema declares somewhere: a property whose schema is trivial (`{}`) is gone
        // from the canonical form, and its name beats a random one.
        let known: Vec<String> = compiler
            .declared_names()
            .iter()
            .filter(|name| !view.properties.contains_key(*name) && !view.required.contains(name))
            .cloned()
            .collect();
        let enough_known = known.len() >= shortfall.saturating_sub(optional.len());
        if !known.is_empty() && (needs_more || asked) {
            sources.push((
                3,
                KeySource {
                    keys: select(known).prop_map(Value::String).sboxed(),
                    checked: false,
                },
            ));
        }
        if map_type || asked || (needs_more && !enough_known) {
            sources.push((1, random_keys()));
        }
    }
    let (extras_lo, extras_hi) = if sources.is_empty() {
        (0, 0)
    } else {
        let lo = shortfall
            .saturating_sub(optional.len())
            .max(usize::from(!view.violations.is_empty()));
        let mut hi = lo
            + if map_type
                || !view.violations.is_empty()
                || sources.len() > 1
                || compiler.options.extra_properties
            {
                EXTRAS_SPAN
            } else {
                1
            };
        if let Some(max) = max {
            hi = hi.min(max.saturating_sub(required.len()));
        }
        (lo.min(hi), hi)
    };
    let extras = Extras {
        sources: Arc::new(sources),
        count: (extras_lo, extras_hi),
        declared: Arc::new(
            view.properties
                .keys()
                .chain(view.required.iter())
                .cloned()
                .collect(),
        ),
        patterns: Arc::new(pattern_values),
        additional,
        names,
    };

    // Presence of optional properties: more often when `minProperties` needs them, less often
    // when there are many (a handful present on average, so nested schemas stay small).
    let present = if shortfall > 0 && !optional.is_empty() {
        (shortfall as f64 / optional.len() as f64 + 0.25).clamp(OPTIONAL_PRESENT, 0.95)
    } else {
        OPTIONAL_PRESENT.min(OPTIONAL_EXPECTED / optional.len().max(1) as f64)
    };
    let required_names: Arc<Vec<String>> =
        Arc::new(required.iter().map(|(n, _)| n.clone()).collect());
    let optional_names: Arc<Vec<String>> =
        Arc::new(optional.iter().map(|(n, _)| n.clone()).collect());
    let required_values: Vec<Strat> = required.into_iter().map(|(_, s)| s).collect();
    let optional_values: Vec<SBoxedStrategy<Option<Value>>> = optional
        .iter()
        .map(|(_, s)| option::weighted(present, s.clone()).sboxed())
        .collect();
    let all_absent: Vec<SBoxedStrategy<Option<Value>>> =
        optional.iter().map(|_| Just(None).sboxed()).collect();
    let assemble = move |(required, optional, extras): Parts| {
        let mut map = Map::new();
        for (name, value) in required_names.iter().zip(required) {
            map.insert(name.clone(), value);
        }
        let mut optional_present = Vec::new();
        for (name, value) in optional_names.iter().zip(optional) {
            if let Some(value) = value {
                optional_present.push(name.clone());
                map.insert(name.clone(), value);
            }
        }
        let mut extra_keys = Vec::new();
        for (key, value) in extras {
            if !map.contains_key(&key) {
                extra_keys.push(key.clone());
                map.insert(key, value);
            }
        }
        // Over `maxProperties`: drop undeclared ones, then optional ones.
        if let Some(max) = max {
            for key in extra_keys.iter().rev().chain(optional_present.iter().rev()) {
                if map.len() <= max {
                    break;
                }
                map.remove(key);
            }
        }
        Value::Object(map)
    };
    // The edgy draw: every optional property present (shrinking drops them first).
    let every_present: Vec<SBoxedStrategy<Option<Value>>> = optional
        .iter()
        .map(|(_, s)| early::Present(s.clone()).sboxed())
        .collect();
    let edgy = (required_values.clone(), every_present, extras.clone())
        .prop_map(assemble.clone())
        .sboxed();
    let general = (required_values.clone(), optional_values, extras.clone())
        .prop_map(assemble.clone())
        .sboxed();
    let mut strategy = if !all_absent.is_empty() && shortfall == 0 {
        // One case in a few: every optional property absent (and the simplest after shrinking).
        Union::new_weighted(vec![
            (
                1,
                (required_values, all_absent, extras)
                    .prop_map(assemble)
                    .sboxed(),
            ),
            (ALL_ABSENT_ONE_IN - 1, general),
        ])
        .sboxed()
    } else {
        general
    };
    if !optional.is_empty() {
        strategy = early::EdgyOr {
            edgy,
            normal: strategy,
        }
        .sboxed();
    }
    if min > 0 {
        let site = compiler.site_at_value(
            "minProperties",
            view.min_properties.clone().map(Value::Number).as_ref(),
            format!("at least {min} properties"),
        );
        // Optional properties are made likelier and undeclared ones added to reach the
        // minimum, but a draw can still fall short (a native count check).
        strategy = compiler.native_filter(strategy, site, move |value| {
            value.as_object().is_some_and(|map| map.len() >= min)
        })?;
    }
    if !view.violations.is_empty() || unchecked_patterns {
        let site = compiler.site_at_keyword("not", "an object breaking a negated rule");
        // Violations (from `not`) are not built: the node's validator checks for them.
        strategy = compiler.validating_filter(strategy, node, site)?;
    }
    Ok(strategy)
}

/// What an object is assembled from: required values, optional values (absent as `None`),
/// undeclared properties.
type Parts = (Vec<Value>, Vec<Option<Value>>, Vec<(String, Value)>);

/// Whether `schema` is the canonical `true`.
fn is_true(schema: &CanonicalSchema) -> bool {
    matches!(schema.view(), CanonicalView::True)
}

/// `schema` with its references replaced by their targets where the canonical form can
/// intersect them (`allOf: [{type: string}, {$ref}]` becomes the target's string schema); as it
/// is otherwise.
fn inline_references(schema: &CanonicalSchema) -> CanonicalSchema {
    let resolved = resolve(schema);
    let CanonicalView::AllOf(branches) = resolved.view() else {
        return resolved;
    };
    let mut branches = branches.iter().map(resolve);
    let Some(first) = branches.next() else {
        return resolved;
    };
    let mut merged = first;
    for branch in branches {
        match merged.intersect(&branch) {
            Ok(both) => merged = both,
            Err(_) => return resolved,
        }
    }
    if names_references(&merged) {
        resolved
    } else {
        merged
    }
}

/// Whether a `propertyNames` schema lists names or patterns (so it declares properties).
fn declares_names(schema: &CanonicalSchema) -> bool {
    match schema.view() {
        CanonicalView::Const(_) | CanonicalView::Enum(_) => true,
        CanonicalView::String(view) => !view.patterns.is_empty() || !view.formats.is_empty(),
        CanonicalView::AnyOf(branches) | CanonicalView::OneOf(branches) => {
            branches.iter().any(declares_names)
        }
        _ => false,
    }
}

/// The value of the declared property `name`: its `properties` schema and every
/// `patternProperties` schema whose pattern matches it (or `additionalProperties`).
fn value_node(
    compiler: &mut Compiler<'_>,
    view: &ObjectView,
    patterns: &[(String, Arc<fancy_regex::Regex>, CanonicalSchema)],
    name: &str,
) -> Result<Node, GenerateError> {
    let mut schemas: Vec<&CanonicalSchema> = Vec::new();
    if let Some(schema) = view.properties.get(name) {
        schemas.push(schema);
    }
    for (_, regex, schema) in patterns {
        if regex.is_match(name).unwrap_or(false) {
            schemas.push(schema);
        }
    }
    // The property's value is compiled where the original schema declares it: its
    // `properties` entry and the `patternProperties` matching it (or `additionalProperties`).
    let at = compiler.step(Step::Property(name));
    if schemas.is_empty() {
        return match &view.additional_properties {
            Some(schema) => compiler.compile_at(at, schema),
            None => Ok(Node::Gen(any::any_value(compiler))),
        };
    }
    let first = schemas[0];
    let mut merged = first.clone();
    let mut rest = Vec::new();
    for other in &schemas[1..] {
        match merged.intersect(other) {
            Ok(both) if !names_references(&both) => merged = both,
            _ => rest.push(*other),
        }
    }
    let mut strategy = match compiler.compile_at(at, &merged)? {
        Node::Gen(strategy) => strategy,
        empty @ Node::Empty(_) => return Ok(empty),
    };
    for other in rest {
        let site = compiler.site_at_keyword(
            "patternProperties",
            format!("a value for `{name}` valid for every schema that applies"),
        );
        // No canonical intersection: the other schema's validator checks the value.
        strategy = match compiler.validating_filter(strategy, other, site) {
            Ok(strategy) => strategy,
            Err(stop) => return finish(Err(stop)),
        };
    }
    Ok(Node::Gen(strategy))
}

/// Where undeclared property names come from.
struct KeySource {
    keys: Strat,
    /// Whether the names already satisfy `propertyNames` (they were generated from it).
    checked: bool,
}

/// Undeclared properties: names from the sources, each valued by the schema that applies to it.
#[derive(Clone)]
struct Extras {
    sources: Arc<Vec<(u32, KeySource)>>,
    count: (usize, usize),
    declared: Arc<BTreeSet<String>>,
    patterns: Arc<Vec<(Arc<fancy_regex::Regex>, Option<Strat>)>>,
    /// `None`: undeclared names are not allowed.
    additional: Option<Strat>,
    names: Option<Arc<Validator>>,
}

impl std::fmt::Debug for Extras {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extras")
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}

/// Attempts at drawing a usable name per undeclared property.
const KEY_ATTEMPTS: usize = 4;

impl Extras {
    /// The schema for the undeclared name `key`, if it may be used.
    fn value_for(&self, key: &str, checked: bool) -> Option<&Strat> {
        if self.declared.contains(key) {
            return None;
        }
        if !checked
            && let Some(names) = &self.names
            && !names.is_valid(&Value::String(key.to_owned()))
        {
            return None;
        }
        let mut matching = self
            .patterns
            .iter()
            .filter(|(regex, _)| regex.is_match(key).unwrap_or(false));
        match (matching.next(), matching.next()) {
            (None, _) => self.additional.as_ref(),
            (Some((_, value)), None) => value.as_ref(),
            // Several patterns apply: skip rather than intersect at run time.
            (Some(_), Some(_)) => None,
        }
    }
}

type BoxedTree = Box<dyn ValueTree<Value = Value>>;

impl Strategy for Extras {
    type Tree = ExtrasTree;
    type Value = Vec<(String, Value)>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let mut entries: Vec<(String, BoxedTree)> = Vec::new();
        if self.sources.is_empty() || self.count.1 == 0 {
            return Ok(ExtrasTree::new(entries, self.count.0));
        }
        let total: u32 = self.sources.iter().map(|(w, _)| w).sum();
        let n = runner.rng().random_range(self.count.0..=self.count.1);
        let mut seen = BTreeMap::new();
        for _ in 0..n {
            for _ in 0..KEY_ATTEMPTS {
                let mut pick = runner.rng().random_range(0..total);
                let source = self
                    .sources
                    .iter()
                    .find(|(w, _)| {
                        if pick < *w {
                            true
                        } else {
                            pick -= w;
                            false
                        }
                    })
                    .map(|(_, s)| s);
                let Some(source) = source else { break };
                let key = source.keys.new_tree(runner)?.current();
                let Some(key) = key.as_str().map(str::to_owned) else {
                    continue;
                };
                if seen.contains_key(&key) {
                    continue;
                }
                let Some(value) = self.value_for(&key, source.checked) else {
                    continue;
                };
                let tree = value.new_tree(runner)?;
                seen.insert(key.clone(), ());
                entries.push((key, tree));
                break;
            }
        }
        Ok(ExtrasTree::new(entries, self.count.0))
    }
}

/// Shrinks undeclared properties: drop them (down to the minimum count), then simplify values.
pub(crate) struct ExtrasTree {
    entries: Vec<(String, BoxedTree)>,
    min: usize,
    /// Next entry to try removing (counted from the end).
    remove: usize,
    /// Entry whose value is being simplified.
    value: usize,
    last: Last,
}

enum Last {
    None,
    Removed(usize, (String, BoxedTree)),
    Value(usize),
}

impl std::fmt::Debug for ExtrasTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtrasTree")
            .field("len", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl ExtrasTree {
    fn new(entries: Vec<(String, BoxedTree)>, min: usize) -> ExtrasTree {
        ExtrasTree {
            entries,
            min,
            remove: 0,
            value: 0,
            last: Last::None,
        }
    }
}

impl ValueTree for ExtrasTree {
    type Value = Vec<(String, Value)>;

    fn current(&self) -> Self::Value {
        self.entries
            .iter()
            .map(|(k, t)| (k.clone(), t.current()))
            .collect()
    }

    fn simplify(&mut self) -> bool {
        if self.remove < self.entries.len() && self.entries.len() > self.min {
            let index = self.entries.len() - 1 - self.remove;
            let entry = self.entries.remove(index);
            self.last = Last::Removed(index, entry);
            return true;
        }
        while self.value < self.entries.len() {
            if self.entries[self.value].1.simplify() {
                self.last = Last::Value(self.value);
                return true;
            }
            self.value += 1;
        }
        self.last = Last::None;
        false
    }

    fn complicate(&mut self) -> bool {
        match std::mem::replace(&mut self.last, Last::None) {
            Last::Removed(index, entry) => {
                self.entries.insert(index, entry);
                self.remove += 1;
                true
            }
            Last::Value(i) => {
                self.last = Last::Value(i);
                self.entries[i].1.complicate()
            }
            Last::None => false,
        }
    }
}
