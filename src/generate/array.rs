//! `array`: `prefixItems`, `items`, `minItems`/`maxItems`, `uniqueItems` (and its negation),
//! `contains` with `minContains`/`maxContains`.
//!
//! Lengths shrink toward `minItems`; elements shrink in place. `contains` is built in: the
//! required number of matching elements (from `items ∩ contains`) is inserted after the prefix.
//! Unique items are built by dropping duplicates; what cannot be built (a `maxContains`,
//! uniqueness among prefix items) is checked.

use jsonschema::canonical::{ArrayView, CanonicalSchema, Distinctness};
use proptest::{
    collection::vec,
    prelude::{RngExt, any},
    strategy::{Just, NewTree, Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::{Value, json};

use super::union::Union;
use super::{
    GenerateError, any,
    compile::{Compiler, Empty, Node, Stop, Strat, finish, need},
    family::{Family, type_set},
    invalid::{self, Mutation},
    location::Step,
    number,
};

/// The largest `minItems` generated for: longer arrays are refused rather than built.
const MAX_MIN_ITEMS: usize = 10_000;

/// How far past `minItems` a `maxItems` may be and still be generated up to.
const MAX_SPAN: usize = 32;

/// One array in this many (without a near `maxItems`) is drawn up to [`long_span`] past its
/// minimum rather than [`span`].
const LONG_ODDS: u32 = 10;

/// How many items past `minItems` a long array (one in [`LONG_ODDS`]) holds at most, by nesting
/// depth: past 10, where handlers that assume a few items break.
fn long_span(depth: u32) -> usize {
    match depth {
        0 | 1 => 16,
        _ => 0,
    }
}

/// How many items past `minItems` an array without `maxItems` holds at most, by nesting depth.
fn span(depth: u32) -> usize {
    match depth {
        0 | 1 => 6,
        2 => 4,
        _ => 2,
    }
}

/// `type: array` with its keywords: built item by item for valid values, broken by a
/// duplicate, one item too many or none for invalid ones.
pub(crate) struct Arrays(pub(crate) ArrayView);

impl Family for Arrays {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        compiler.nested(|compiler| finish(build(compiler, node, &self.0)))
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, _: usize) {
        let view = &self.0;
        if matches!(view.distinctness, Distinctness::AllDistinct) {
            out.push(Mutation::Duplicate { at: at.to_vec() });
        }
        let max = view.max_items.as_ref().and_then(number::to_usize);
        if let Some(max) = max.filter(|max| *max < invalid::MAX_BUILT_LENGTH) {
            out.push(Mutation::Grow {
                at: at.to_vec(),
                len: max.saturating_add(1),
            });
        }
        if view
            .min_items
            .as_ref()
            .and_then(number::to_usize)
            .unwrap_or(0)
            > 0
        {
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: json!([]),
            });
        }
    }

    fn types(&self) -> Option<jsonschema::JsonTypeSet> {
        Some(type_set(&[jsonschema::JsonType::Array]))
    }
}

fn build(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    view: &ArrayView,
) -> Result<Strat, Stop> {
    let min = view
        .min_items
        .as_ref()
        .and_then(number::to_usize)
        .unwrap_or(0);
    let mut max = view.max_items.as_ref().and_then(number::to_usize);
    let mut empty = None;
    if min > MAX_MIN_ITEMS {
        let written = view.min_items.clone().map(Value::Number);
        return Err(Stop::Error(GenerateError::too_hard(
            compiler.keyword_pointer("minItems", written.as_ref()),
            format!(
                "arrays of at least {min} items (the generator builds at most {MAX_MIN_ITEMS})"
            ),
        )));
    }

    let mut prefix: Vec<Strat> = Vec::new();
    for (index, schema) in view.prefix_items.iter().enumerate() {
        match compiler.compile_step(Step::PrefixItem(index), schema)? {
            Node::Gen(strategy) => prefix.push(strategy),
            Node::Empty(reason) => {
                // No value at this position: the array stops before it.
                empty = Some(reason);
                max = Some(max.map_or(prefix.len(), |m| m.min(prefix.len())));
                break;
            }
        }
    }
    let full_prefix = prefix.len() == view.prefix_items.len();
    let items: Option<Strat> = if !full_prefix {
        None
    } else {
        match &view.items {
            None => Some(any::any_value(compiler)),
            Some(schema) => match compiler.compile_step(Step::Items, schema)? {
                Node::Gen(strategy) => Some(strategy),
                Node::Empty(reason) => {
                    empty = Some(reason);
                    None
                }
            },
        }
    };
    let p = prefix.len();
    let mut hi = max.unwrap_or(usize::MAX);
    if items.is_none() {
        hi = hi.min(p);
    }
    // A `maxItems` close to the minimum is reached; a far one (or none) is not: arrays stay
    // short, as shrinking would make them anyway.
    let base = min.max(p);
    // Sometimes (one array in [`LONG_ODDS`]) longer, up to [`long_span`] past the base.
    let mut long_hi = None;
    if hi > base.saturating_add(MAX_SPAN) {
        let long = hi.min(base + long_span(compiler.depth));
        hi = hi.min(base + span(compiler.depth));
        long_hi = (long > hi).then_some(long);
    }
    if hi < min {
        return Err(Stop::Empty(empty.unwrap_or(Empty::False)));
    }

    // `contains`: the matching elements to insert, built from `items ∩ contains`.
    let mut inserts: Vec<(usize, Strat)> = Vec::new();
    let mut check_contains = view.contains.len() > 1;
    for contains in &view.contains {
        let at_least = contains
            .min_contains
            .as_ref()
            .and_then(number::to_usize)
            .unwrap_or(1);
        if contains.max_contains.is_some() {
            check_contains = true;
        }
        if at_least == 0 {
            continue;
        }
        let element = need(contains_element(compiler, view, &contains.schema)?)?;
        inserts.push((at_least, element));
    }
    let inserted: usize = inserts.iter().map(|(n, _)| n).sum();
    if !inserts.is_empty() && (items.is_none() || p + inserted > hi) {
        // No room to insert after the prefix: generate plainly and check.
        check_contains = true;
        inserts.clear();
    }

    let items = items.unwrap_or_else(|| Just(Value::Null).sboxed());
    let unique =
        view.distinctness == Distinctness::AllDistinct && p == 0 && view.contains.is_empty();
    let lengths =
        |hi: usize| -> Strat { sized(&prefix, &items, &inserts, unique, min, p, inserted, hi) };
    let base = match long_hi {
        Some(long) => {
            Union::new_weighted(vec![(LONG_ODDS - 1, lengths(hi)), (1, lengths(long))]).sboxed()
        }
        None => lengths(hi),
    };

    let mut strategy = base;
    match view.distinctness {
        Distinctness::Unconstrained => {}
        // Built distinct by `Unique`.
        Distinctness::AllDistinct if unique => {}
        Distinctness::AllDistinct => {
            let site = compiler.site_at_keyword("uniqueItems", "distinct items");
            // With prefix items or `contains`, positions matter: duplicates cannot be dropped,
            // so arrays with one are rejected (a native equality check).
            strategy = compiler.native_filter(strategy, site, |value| {
                value.as_array().is_some_and(|items| all_distinct(items))
            })?;
        }
        Distinctness::SomeRepeated => {
            let site = compiler.site_at_keyword("uniqueItems", "a repeated item (from `not`)");
            // A repeated item is not built: the node's validator checks for one.
            strategy = compiler.validating_filter(strategy, node, site)?;
        }
    }
    if check_contains {
        let site = compiler.site_at_keyword("contains", "the number of items `contains` matches");
        // Counts bounded above (or several `contains`) are checked by the node's validator.
        strategy = compiler.validating_filter(strategy, node, site)?;
    }
    Ok(strategy)
}

/// Arrays of `min..=hi` items: `prefix` positions first, then `items` (distinct when `unique`),
/// with the `inserts` (`inserted` elements in all) matching `contains` spread over the tail.
#[allow(clippy::too_many_arguments)] // The parts of one array node, computed by `build`.
fn sized(
    prefix: &[Strat],
    items: &Strat,
    inserts: &[(usize, Strat)],
    unique: bool,
    min: usize,
    p: usize,
    inserted: usize,
    hi: usize,
) -> Strat {
    if unique {
        Unique {
            items: items.clone(),
            min,
            max: hi,
        }
        .sboxed()
    } else if inserts.is_empty() {
        shape(prefix.to_vec(), items.clone(), min, hi)
    } else {
        // Full prefix, a tail, then the matching elements spread over the tail.
        let tail_lo = min.saturating_sub(p + inserted);
        let tail_hi = hi - p - inserted;
        let elements: Vec<Strat> = inserts
            .iter()
            .flat_map(|(n, s)| std::iter::repeat_n(s.clone(), *n))
            .collect();
        (
            prefix.to_vec(),
            vec(items.clone(), tail_lo..=tail_hi.max(tail_lo)),
            elements,
            vec(any::<u16>(), inserted),
        )
            .prop_map(move |(prefix, mut tail, elements, positions)| {
                for (element, position) in elements.into_iter().zip(positions) {
                    let at = usize::from(position) % (tail.len() + 1);
                    tail.insert(at, element);
                }
                let mut all = prefix;
                all.extend(tail);
                Value::Array(all)
            })
            .sboxed()
    }
}

/// The element inserted for a `contains`: valid for `items` too.
fn contains_element(
    compiler: &mut Compiler<'_>,
    view: &ArrayView,
    contains: &CanonicalSchema,
) -> Result<Node, GenerateError> {
    let Some(items) = &view.items else {
        return compiler.compile_step(Step::Contains, contains);
    };
    if let Ok(both) = items.intersect(contains)
        && !super::compile::names_references(&both)
    {
        let at = compiler
            .step(Step::Items)
            .and(&compiler.step(Step::Contains));
        return compiler.compile_at(at, &both);
    }
    let Node::Gen(strategy) = compiler.compile_step(Step::Contains, contains)? else {
        return Ok(Node::Empty(Empty::False));
    };
    let site = compiler.site_at_keyword("contains", "an element valid for `items` and `contains`");
    // The intersection has no canonical form here: the `items` validator checks the element.
    finish(compiler.validating_filter(strategy, items, site))
}

/// Arrays of `min..=hi` items: `prefix` positions first, then `items`.
fn shape(prefix: Vec<Strat>, items: Strat, min: usize, hi: usize) -> Strat {
    let p = prefix.len();
    if p == 0 {
        return vec(items, min..=hi).prop_map(Value::Array).sboxed();
    }
    let cut_hi = hi.min(p);
    let cut = if min < cut_hi {
        Union::new_weighted(vec![
            (1, (min..=cut_hi).sboxed()),
            (3, Just(cut_hi).sboxed()),
        ])
        .sboxed()
    } else {
        Just(cut_hi).sboxed()
    };
    let tail = if hi > p {
        vec(items, min.saturating_sub(p)..=hi - p).sboxed()
    } else {
        Just(Vec::new()).sboxed()
    };
    (prefix, tail, cut)
        .prop_map(move |(mut prefix, tail, cut)| {
            if cut < p {
                prefix.truncate(cut);
            } else {
                prefix.extend(tail);
            }
            Value::Array(prefix)
        })
        .sboxed()
}

/// Draws per item before a distinct array gives up (and is redrawn, counted as a local reject).
const UNIQUE_ATTEMPTS_PER_ITEM: usize = 10;

/// Arrays of `min..=max` distinct items: items are drawn until that many differ.
#[derive(Clone, Debug)]
struct Unique {
    items: Strat,
    min: usize,
    max: usize,
}

type BoxedTree = Box<dyn ValueTree<Value = Value>>;

impl Strategy for Unique {
    type Tree = UniqueTree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        loop {
            let len = runner.rng().random_range(self.min..=self.max);
            let mut trees: Vec<BoxedTree> = Vec::with_capacity(len);
            // Distinctness by hash past a few items (issue 11: a scan of every kept value made
            // this quadratic).
            let mut kept = Distinct::default();
            let mut attempts = 0;
            while trees.len() < len && attempts < UNIQUE_ATTEMPTS_PER_ITEM * len {
                attempts += 1;
                let tree = self.items.new_tree(runner)?;
                if kept.insert(tree.current()) {
                    trees.push(tree);
                }
            }
            if trees.len() >= self.min {
                return Ok(UniqueTree {
                    trees,
                    min: self.min,
                    remove: 0,
                    item: 0,
                    last: Last::None,
                });
            }
            runner.reject_local("not enough distinct items")?;
        }
    }
}

/// Shrinks a distinct array: drop items (down to the minimum), then simplify each item as long
/// as it stays distinct from the others.
struct UniqueTree {
    trees: Vec<BoxedTree>,
    min: usize,
    /// Next item to try removing (counted from the end).
    remove: usize,
    /// Item being simplified.
    item: usize,
    last: Last,
}

enum Last {
    None,
    Removed(usize, BoxedTree),
    Item(usize),
}

impl std::fmt::Debug for UniqueTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UniqueTree")
            .field("len", &self.trees.len())
            .finish_non_exhaustive()
    }
}

impl UniqueTree {
    fn distinct_at(&self, i: usize) -> bool {
        let value = self.trees[i].current();
        self.trees
            .iter()
            .enumerate()
            .all(|(j, other)| j == i || !json_eq(&other.current(), &value))
    }
}

impl ValueTree for UniqueTree {
    type Value = Value;

    fn current(&self) -> Value {
        Value::Array(self.trees.iter().map(|t| t.current()).collect())
    }

    fn simplify(&mut self) -> bool {
        if self.remove < self.trees.len() && self.trees.len() > self.min {
            let index = self.trees.len() - 1 - self.remove;
            let tree = self.trees.remove(index);
            self.last = Last::Removed(index, tree);
            return true;
        }
        while self.item < self.trees.len() {
            let i = self.item;
            if self.trees[i].simplify() {
                // A simpler item equal to another one is no candidate: back off.
                while !self.distinct_at(i) {
                    if !self.trees[i].complicate() {
                        break;
                    }
                }
                if self.distinct_at(i) {
                    self.last = Last::Item(i);
                    return true;
                }
            }
            self.item += 1;
        }
        self.last = Last::None;
        false
    }

    fn complicate(&mut self) -> bool {
        match std::mem::replace(&mut self.last, Last::None) {
            Last::Removed(index, tree) => {
                self.trees.insert(index, tree);
                self.remove += 1;
                true
            }
            Last::Item(i) => {
                self.last = Last::Item(i);
                let changed = self.trees[i].complicate();
                while changed && !self.distinct_at(i) {
                    if !self.trees[i].complicate() {
                        break;
                    }
                }
                changed
            }
            Last::None => false,
        }
    }
}

fn all_distinct(items: &[Value]) -> bool {
    let mut kept = Distinct::default();
    items.iter().all(|item| kept.insert(item.clone()))
}

/// How many values [`Distinct`] compares one by one before it buckets them by key: below this a
/// scan is cheaper than writing and hashing a key (arrays of arbitrary values hold at most four
/// items).
const DISTINCT_SCAN_UP_TO: usize = 16;

/// A set of values distinct under [`json_eq`], in linear time: few values are scanned; past
/// [`DISTINCT_SCAN_UP_TO`] they are bucketed by a key that equal values share
/// ([`equality_key`]), and compared with `json_eq` within a bucket.
#[derive(Default)]
struct Distinct {
    values: Vec<Value>,
    /// Empty until `values` outgrows a scan; then every value's index, by key.
    buckets: std::collections::HashMap<String, Vec<usize>>,
}

impl Distinct {
    /// Adds `value`; `false` (and nothing added) if an equal value is in the set.
    fn insert(&mut self, value: Value) -> bool {
        if self.values.len() < DISTINCT_SCAN_UP_TO {
            if self.values.iter().any(|kept| json_eq(kept, &value)) {
                return false;
            }
            self.values.push(value);
            return true;
        }
        if self.buckets.is_empty() {
            for (index, kept) in self.values.iter().enumerate() {
                self.buckets.entry(key(kept)).or_default().push(index);
            }
        }
        let bucket = self.buckets.entry(key(&value)).or_default();
        if bucket
            .iter()
            .any(|&index| json_eq(&self.values[index], &value))
        {
            return false;
        }
        bucket.push(self.values.len());
        self.values.push(value);
        true
    }
}

/// The [`equality_key`] of `value`.
fn key(value: &Value) -> String {
    let mut key = String::new();
    equality_key(value, &mut key);
    key
}

/// Writes a key that every value equal to `value` under [`json_eq`] shares: numbers as `f64`
/// (so `1` and `1.0` agree; integers past 2^53 may share a key while differing, which the
/// bucket's `json_eq` sorts out), object members sorted.
fn equality_key(value: &Value, out: &mut String) {
    use std::fmt::Write as _;
    match value {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let _ = write!(out, "n{}", if f == 0.0 { 0.0 } else { f });
        }
        Value::String(text) => {
            let _ = write!(out, "s{}:{text}", text.len());
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                equality_key(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<_> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (key, member) in members {
                let _ = write!(out, "{}:{key}=", key.len());
                equality_key(member, out);
                out.push(',');
            }
            out.push('}');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// JSON Schema equality: numbers by value (`1` equals `1.0`), objects regardless of order.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else {
                x.as_f64() == y.as_f64()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn distinct_agrees_with_json_eq_before_and_after_it_buckets() {
        let mut set = Distinct::default();
        for n in 0..3 * DISTINCT_SCAN_UP_TO as i64 {
            assert!(set.insert(json!(n)), "{n} is new");
            assert!(!set.insert(json!(n as f64)), "{n}.0 equals {n}");
            assert!(set.insert(json!({"a": n, "b": [n]})), "object {n} is new");
            assert!(
                !set.insert(
                    serde_json::from_str(&format!(r#"{{"b": [{n}.0], "a": {n}}}"#)).unwrap()
                ),
                "object {n} in another order"
            );
        }
        assert!(!set.insert(json!(-0.0)), "-0.0 equals 0");
        assert!(set.insert(json!("0")));
        assert_eq!(set.values.len(), 6 * DISTINCT_SCAN_UP_TO + 1);
    }

    #[test]
    fn distinct_arrays_fill_small_domains() {
        let items = (0..=40i64).prop_map(Value::from).sboxed();
        let strategy = Unique {
            items,
            min: 30,
            max: 35,
        };
        let mut runner = crate::generate::seeded::runner(
            &[4; 32],
            crate::generate::seeded::DEFAULT_MAX_LOCAL_REJECTS,
        );
        for _ in 0..50 {
            let mut tree = strategy.new_tree(&mut runner).expect("tree");
            let value = tree.current();
            let items = value.as_array().expect("array");
            assert!(items.len() >= 30 && all_distinct(items), "{value}");
            // Shrinking keeps the items distinct.
            while tree.simplify() {
                let items = tree.current();
                assert!(all_distinct(items.as_array().expect("array")), "{items}");
            }
            assert_eq!(tree.current().as_array().map(Vec::len), Some(30));
        }
    }

    #[test]
    fn equality_follows_json_schema() {
        assert!(json_eq(&json!(1), &json!(1.0)));
        assert!(json_eq(&json!({"a": [1, 2]}), &json!({"a": [1.0, 2]})));
        assert!(!json_eq(&json!(true), &json!(1)));
        // The hashed set agrees with json_eq.
        assert!(!all_distinct(&[json!(1), json!(1.0)]));
        assert!(!all_distinct(&[
            json!({"a": 1, "b": [0.0]}),
            json!({"b": [-0.0], "a": 1.0})
        ]));
        assert!(all_distinct(&[
            json!("1"),
            json!(1),
            json!([1]),
            json!({"1": 1}),
            json!(null)
        ]));
        assert!(all_distinct(&[
            json!(9007199254740993_u64),
            json!(9007199254740992_u64)
        ]));
    }
}
