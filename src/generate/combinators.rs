//! `const`/`enum`, `anyOf`, `oneOf`, `allOf`, `not` and typed groups, as the canonical form
//! leaves them.
//!
//! The canonical form folds most `allOf`s into leaves and makes `oneOf` branches exclusive where
//! it can, so what reaches [`all_of`], [`one_of`] and [`not`] is opaque: those generate from a
//! superset and keep the values the node's validator accepts.

use jsonschema::{
    JsonType, JsonTypeSet,
    canonical::{CanonicalSchema, CanonicalView, TypedGroupView},
};
use proptest::{
    num::usize::BinarySearch,
    strategy::{Just, NewTree, Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::{Value, json};

use super::union::Union;
use super::{
    GenerateError,
    compile::{Compiler, Empty, Node, Strat, finish, probe},
    early,
    family::{Family, type_set},
    invalid::{self, Mutation},
    number,
};

/// Values drawn per candidate when choosing what an `allOf` generates from (the chosen one is
/// then probed in full).
const CANDIDATE_DRAWS: usize = 16;

/// A typed group: values of one type that its body accepts.
pub(crate) struct Group(pub(crate) TypedGroupView);

impl Family for Group {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        _: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        typed_group(compiler, &self.0)
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, nesting: usize) {
        invalid::leaf_mutations(&self.0.body, at, out, nesting + 1);
    }

    fn types(&self) -> Option<JsonTypeSet> {
        Some(type_set(&[self.0.ty]))
    }
}

/// `const`: the value itself; broken by another value of its type.
pub(crate) struct Const(pub(crate) Value);

impl Family for Const {
    fn valid(&self, _: &mut Compiler<'_>, _: &CanonicalSchema) -> Result<Node, GenerateError> {
        Ok(Node::Gen(Just(self.0.clone()).sboxed()))
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, _: usize) {
        if let Some(other) = other_value(std::slice::from_ref(&self.0)) {
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: other,
            });
        }
    }

    fn types(&self) -> Option<JsonTypeSet> {
        Some(type_set(&type_of(&self.0)))
    }
}

/// `enum`: one of the values; broken by another value of their type.
pub(crate) struct Enum(pub(crate) Vec<Value>);

impl Family for Enum {
    fn valid(&self, _: &mut Compiler<'_>, _: &CanonicalSchema) -> Result<Node, GenerateError> {
        Ok(Node::Gen(enumeration(self.0.clone())))
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, _: usize) {
        if let Some(other) = other_value(&self.0) {
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: other,
            });
        }
    }

    fn types(&self) -> Option<JsonTypeSet> {
        let tys: Vec<JsonType> = self.0.iter().flat_map(type_of).collect();
        Some(type_set(&tys))
    }
}

/// `not` of an opaque schema.
pub(crate) struct Not(pub(crate) CanonicalSchema);

impl Family for Not {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        not(compiler, node, &self.0)
    }
}

/// `allOf` of opaque branches.
pub(crate) struct AllOf(pub(crate) Vec<CanonicalSchema>);

impl Family for AllOf {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        all_of(compiler, node, &self.0)
    }
}

/// `anyOf`: broken by what breaks a branch (the validator keeps what breaks every branch).
pub(crate) struct AnyOf(pub(crate) Vec<CanonicalSchema>);

impl Family for AnyOf {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        _: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        any_of(compiler, &self.0)
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, nesting: usize) {
        branch_mutations(&self.0, at, out, nesting);
    }

    fn types(&self) -> Option<JsonTypeSet> {
        branch_types(&self.0)
    }
}

/// `oneOf` the canonical form could not make exclusive.
pub(crate) struct OneOf(pub(crate) Vec<CanonicalSchema>);

impl Family for OneOf {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        one_of(compiler, node, &self.0)
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, nesting: usize) {
        branch_mutations(&self.0, at, out, nesting);
    }

    fn types(&self) -> Option<JsonTypeSet> {
        branch_types(&self.0)
    }
}

/// The mutations of every branch.
fn branch_mutations(
    branches: &[CanonicalSchema],
    at: &[String],
    out: &mut Vec<Mutation>,
    nesting: usize,
) {
    for branch in branches {
        invalid::leaf_mutations(branch, at, out, nesting + 1);
    }
}

/// Every branch's types: a value of none of them breaks each branch.
fn branch_types(branches: &[CanonicalSchema]) -> Option<JsonTypeSet> {
    branches
        .iter()
        .try_fold(JsonTypeSet::empty(), |all, branch| {
            let tys = invalid::types_of(branch)?;
            Some(
                [
                    JsonType::Array,
                    JsonType::Boolean,
                    JsonType::Integer,
                    JsonType::Null,
                    JsonType::Number,
                    JsonType::Object,
                    JsonType::String,
                ]
                .into_iter()
                .filter(|ty| tys.contains(*ty))
                .fold(all, |all, ty| all.insert(ty)),
            )
        })
}

/// The JSON types `value` has.
fn type_of(value: &Value) -> Vec<JsonType> {
    match value {
        Value::Null => vec![JsonType::Null],
        Value::Bool(_) => vec![JsonType::Boolean],
        Value::Number(_) => vec![JsonType::Number, JsonType::Integer],
        Value::String(_) => vec![JsonType::String],
        Value::Array(_) => vec![JsonType::Array],
        Value::Object(_) => vec![JsonType::Object],
    }
}

/// A value of the members' type that is not one of them.
fn other_value(members: &[Value]) -> Option<Value> {
    let first = members.first()?;
    let candidate = match first {
        Value::String(_) => json!("not-an-allowed-value"),
        Value::Number(_) => {
            let top = members
                .iter()
                .filter_map(Value::as_f64)
                .fold(f64::MIN, f64::max);
            number::integer_value(top.floor() as i128 + 1)
        }
        Value::Bool(b) => Value::Bool(!b),
        Value::Array(_) => json!(["not-an-allowed-value"]),
        Value::Object(_) => json!({"not": "an allowed value"}),
        Value::Null => return None,
    };
    (!members.contains(&candidate)).then_some(candidate)
}

/// `enum`: one of the values, the first ones preferred when shrinking.
pub(crate) fn enumeration(values: Vec<Value>) -> Strat {
    match values.len() {
        0 => Just(Value::Null).sboxed(),
        1 => Just(values.into_iter().next().unwrap_or(Value::Null)).sboxed(),
        _ => Members {
            id: early::node_id(),
            values: values.into(),
        }
        .sboxed(),
    }
}

/// The members of an `enum` of two or more: proptest's `select`, drawn and shrunk as it does
/// (a uniform index that shrinks by binary search towards the first member), except that in
/// the sweep ([`early::swept_member`]) the index is the sweep's. The uniform draw is made
/// either way, so the rest of the value is the same with and without the sweep.
#[derive(Clone, Debug)]
struct Members {
    id: usize,
    values: std::sync::Arc<[Value]>,
}

impl Strategy for Members {
    type Tree = MembersTree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let drawn = (0..self.values.len()).new_tree(runner)?.current();
        let index = early::swept_member(self.id, self.values.len()).unwrap_or(drawn);
        Ok(MembersTree {
            values: self.values.clone(),
            index: BinarySearch::new(index),
        })
    }
}

/// The tree of [`Members`].
#[derive(Clone, Debug)]
struct MembersTree {
    values: std::sync::Arc<[Value]>,
    index: BinarySearch,
}

impl ValueTree for MembersTree {
    type Value = Value;

    fn current(&self) -> Value {
        self.values[self.index.current()].clone()
    }

    fn simplify(&mut self) -> bool {
        self.index.simplify()
    }

    fn complicate(&mut self) -> bool {
        self.index.complicate()
    }
}

/// `anyOf`: a union of the branches that have values.
fn any_of(
    compiler: &mut Compiler<'_>,
    branches: &[CanonicalSchema],
) -> Result<Node, GenerateError> {
    let (strategies, empty) = compile_all(compiler, branches)?;
    if strategies.is_empty() {
        return Ok(Node::Empty(empty.unwrap_or(Empty::False)));
    }
    Ok(Node::Gen(union(strategies)))
}

/// `oneOf` the canonical form could not make exclusive: a union of the branches, keeping the
/// values exactly one branch accepts.
fn one_of(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    branches: &[CanonicalSchema],
) -> Result<Node, GenerateError> {
    let (strategies, empty) = compile_all(compiler, branches)?;
    if strategies.is_empty() {
        return Ok(Node::Empty(empty.unwrap_or(Empty::False)));
    }
    let site = compiler.site_at_keyword("oneOf", "a value exactly one `oneOf` branch accepts");
    // Branches may overlap: values several branches accept are rejected by the node's validator.
    finish(compiler.validating_filter(union(strategies), node, site))
}

/// `allOf` of opaque branches: generate from the branch (or the merge of all branches) whose
/// values the whole node accepts most often, keep the ones it accepts.
fn all_of(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    branches: &[CanonicalSchema],
) -> Result<Node, GenerateError> {
    let mut strategies = Vec::new();
    for branch in branches {
        match compiler.compile(branch)? {
            Node::Gen(strategy) => strategies.push(strategy),
            Node::Empty(empty) => return Ok(Node::Empty(empty)),
        }
    }
    let validator = compiler.validator_for(node)?;
    // Candidates: each branch alone, and (when they are objects) their values merged, which
    // carries the properties of every branch at once.
    let mut candidates = strategies.clone();
    if strategies.len() > 1 {
        candidates.insert(0, merged(strategies));
    }
    let best = candidates
        .into_iter()
        .map(|strategy| {
            let passes = probe(
                &strategy,
                |value| validator.is_valid(value),
                CANDIDATE_DRAWS,
            );
            (passes, strategy)
        })
        .rev()
        .max_by_key(|(passes, _)| *passes);
    let Some((passes, best)) = best else {
        return Ok(Node::Gen(super::any::any_value(compiler)));
    };
    let site = compiler.site_at_keyword("allOf", "a value every `allOf` branch accepts");
    compiler.inexact = true;
    // Generated from one branch (or the merge): the node's validator checks the rest. The
    // candidates were just probed; the best one's count decides.
    finish(compiler.probed_filter(
        best,
        site,
        move |value| validator.is_valid(value),
        (passes, CANDIDATE_DRAWS),
    ))
}

/// One value from each branch; objects merged key by key (the first branch's value wins a
/// shared key), anything else the first branch's value.
fn merged(strategies: Vec<Strat>) -> Strat {
    strategies
        .prop_map(|values| {
            let mut values = values.into_iter();
            let first = values.next().unwrap_or(Value::Null);
            let Value::Object(mut map) = first else {
                return first;
            };
            for value in values {
                if let Value::Object(more) = value {
                    for (key, value) in more {
                        map.entry(key).or_insert(value);
                    }
                }
            }
            Value::Object(map)
        })
        .sboxed()
}

/// `not` of an opaque schema: the exact negation when the canonical form can write it without
/// references, otherwise any value the node's validator accepts.
fn not(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    inner: &CanonicalSchema,
) -> Result<Node, GenerateError> {
    if let Ok(negated) = inner.negate() {
        let opaque = matches!(
            negated.view(),
            CanonicalView::Not(_) | CanonicalView::Raw(_)
        ) || super::compile::names_references(&negated);
        if !opaque {
            return compiler.compile(&negated);
        }
    }
    let any = super::any::any_value(compiler);
    let site = compiler.site_at_keyword("not", "a value the `not` subschema rejects");
    // Any value, kept when the negated schema rejects it.
    finish(compiler.validating_filter(any, node, site))
}

/// A typed group: values of `ty` that the body accepts.
fn typed_group(compiler: &mut Compiler<'_>, group: &TypedGroupView) -> Result<Node, GenerateError> {
    let ty = group.ty;
    // A group's body lists its members; keep those of the group's type.
    match group.body.view() {
        CanonicalView::Const(value) if has_type(&value, ty) => {
            return Ok(Node::Gen(Just(value).sboxed()));
        }
        CanonicalView::Enum(values) => {
            let members: Vec<Value> = values.into_iter().filter(|v| has_type(v, ty)).collect();
            if members.is_empty() {
                return Ok(Node::Empty(Empty::False));
            }
            return Ok(Node::Gen(enumeration(members)));
        }
        _ => {}
    }
    let Node::Gen(body) = compiler.compile(&group.body)? else {
        return Ok(Node::Empty(Empty::False));
    };
    let site = compiler.site_at_keyword("type", format!("a value of type {ty}"));
    // The body may produce other types; the type check is native and exact.
    finish(compiler.native_filter(body, site, move |value| has_type(value, ty)))
}

/// Whether `value` has the JSON type `ty` as a typed group means it: groups exist for Draft 4,
/// where `1.0` is not an integer, so only integers written as such are.
fn has_type(value: &Value, ty: JsonType) -> bool {
    match (ty, value) {
        (JsonType::Null, Value::Null)
        | (JsonType::Boolean, Value::Bool(_))
        | (JsonType::Number, Value::Number(_))
        | (JsonType::String, Value::String(_))
        | (JsonType::Array, Value::Array(_))
        | (JsonType::Object, Value::Object(_)) => true,
        (JsonType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    }
}

fn compile_all(
    compiler: &mut Compiler<'_>,
    branches: &[CanonicalSchema],
) -> Result<(Vec<Strat>, Option<Empty>), GenerateError> {
    let mut strategies = Vec::new();
    let mut empty = None;
    for branch in branches {
        match compiler.compile(branch)? {
            Node::Gen(strategy) => strategies.push(strategy),
            Node::Empty(reason) => {
                if empty.is_none() || matches!(reason, Empty::Recursion(_)) {
                    empty = Some(reason);
                }
            }
        }
    }
    Ok((strategies, empty))
}

fn union(mut strategies: Vec<Strat>) -> Strat {
    if strategies.len() == 1 {
        return strategies
            .pop()
            .unwrap_or_else(|| Just(Value::Null).sboxed());
    }
    Union::new(strategies).sboxed()
}
