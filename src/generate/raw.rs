//! Schemas the canonical form does not model (`Raw`): generated from an approximation and
//! checked by the real schema's validator.
//!
//! A document in an unknown dialect is read as 2020-12; otherwise the keywords the canonical
//! form may not model are removed (each only narrows what a schema accepts). The values of the
//! approximation that the real validator accepts are kept; the compile-time probe refuses the
//! schema when too few are.

use std::sync::Arc;

use jsonschema::{
    Draft,
    canonical::{CanonicalSchema, CanonicalView, RawReason, RawView},
};
use serde_json::Value;

use super::{
    GenerateError,
    compile::{Compiler, Node, canonicalize, finish},
    family::Family,
    refs, walk,
};
use crate::pointer::JsonPointer;

/// A node the canonical form could not model (no boundary values or mutations of its own).
pub(crate) struct Raw(pub(crate) RawView);

impl Family for Raw {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        _: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        compile(compiler, &self.0)
    }
}

/// A node the canonical form could not model: generate from an approximation (the same
/// document read as 2020-12 when its dialect is unknown, or without the [`UNMODELED`]
/// keywords) and keep the values the node's own validator accepts.
pub(crate) fn compile(compiler: &mut Compiler<'_>, raw: &RawView) -> Result<Node, GenerateError> {
    let pointer = raw
        .pointer
        .as_deref()
        .and_then(JsonPointer::parse)
        .unwrap_or_default();
    let (approximation, draft) = match raw.reason {
        RawReason::UnknownDialect => {
            // Read as 2020-12: the dialect's own meta-schema is what the canonical form
            // does not know.
            let mut document = raw.schema.clone();
            if let Value::Object(map) = &mut document {
                map.remove("$schema");
            }
            (document, Some(Draft::Draft202012))
        }
        _ => (clamp_wide_bounds(without_unmodeled(&raw.schema)), None),
    };
    let keyword = raw_keyword(compiler.source, &pointer, raw.reason);
    let refuse = |reason: String| {
        GenerateError::unsupported_keyword(pointer.clone(), keyword.clone(), reason)
    };
    let canonical = canonicalize(&approximation, &compiler.resources, draft)
        .map_err(|error| refuse(format!("{} ({error})", raw.reason.as_str())))?;
    if matches!(canonical.view(), CanonicalView::Raw(_)) {
        return Err(refuse(format!(
            "the canonical form does not model it ({})",
            raw.reason.as_str()
        )));
    }
    // The approximation keeps the structure of the node it approximates: it is compiled where
    // that node is.
    let at = compiler.here().clone();
    let compiled = compiler.compile_document(at, &canonical);
    let Node::Gen(strategy) = compiled? else {
        return Err(refuse("its approximation admits no value".to_owned()));
    };
    let validator = refs::build_validator(&raw.schema, &compiler.resources)
        .map_err(|error| refuse(error.to_string()))?;
    let site = compiler.site(
        &keyword,
        pointer.clone(),
        "generated from an approximation of a schema the canonical form does not model",
    );
    let result = finish(compiler.validator_filter(strategy, Arc::new(validator), site));
    if matches!(result, Ok(Node::Gen(_))) {
        compiler.warn(
            pointer,
            format!(
                "`{keyword}`: the canonical form does not model this schema ({}); values \
                 come from an approximation and are checked by the validator",
                raw.reason.as_str()
            ),
        );
    }
    result
}

/// Keywords the canonical form may not model, removed to approximate a schema it cannot: each
/// only narrows what a schema accepts (or is no keyword of 2020-12 at all), so the schema without
/// them is a superset, generated from and then checked by the real schema's validator.
const UNMODELED: &[&str] = &[
    "unevaluatedItems",
    "unevaluatedProperties",
    "$recursiveRef",
    "$recursiveAnchor",
    "dependencies",
];

/// `schema` without the [`UNMODELED`] keywords anywhere.
fn without_unmodeled(schema: &Value) -> Value {
    let mut copy = schema.clone();
    let mut pointers = Vec::new();
    walk::for_each(schema, &mut |at, sub| {
        if UNMODELED.iter().any(|keyword| sub.get(keyword).is_some()) {
            pointers.push(at.clone());
        }
    });
    // Deepest first, so a removed subschema never hides a pointer still to visit.
    for at in pointers.iter().rev() {
        if let Some(Value::Object(map)) = copy.pointer_mut(at.as_str()) {
            for keyword in UNMODELED {
                map.remove(*keyword);
            }
        }
    }
    copy
}

/// The numeric bound keywords: upper bounds, then lower bounds.
const UPPER_BOUNDS: &[&str] = &["maximum", "exclusiveMaximum"];
const LOWER_BOUNDS: &[&str] = &["minimum", "exclusiveMinimum"];

/// Where the canonical form stops modelling bounds: beyond 64-bit integers
/// (`"maximum": 1e19`).
const WIDEST: f64 = 9_223_372_036_854_775_807.0;

/// Whether `value` is a bound the canonical form does not model.
fn wide(value: &Value) -> bool {
    value.as_f64().is_some_and(|x| x.abs() >= WIDEST) && value.as_i64().is_none()
}

/// `schema` with every bound beyond 64 bits narrowed to one the canonical form models, so the
/// approximation admits only values the bound admits (and the node's validator still checks):
/// an upper bound past `i64::MAX` becomes `i64::MAX`, a lower bound below `i64::MIN` becomes
/// `i64::MIN`; a bound that keeps every number beyond 64 bits (`"minimum": 1e19`) admits, in
/// the approximation, only a few numbers past it (the bound itself where inclusive, twice and
/// a thousand times it), besides the non-numbers it never constrained.
fn clamp_wide_bounds(mut schema: Value) -> Value {
    let mut sites = Vec::new();
    walk::for_each(&schema, &mut |at, sub| {
        if let Value::Object(map) = sub
            && UPPER_BOUNDS
                .iter()
                .chain(LOWER_BOUNDS)
                .any(|k| map.get(*k).is_some_and(wide))
        {
            sites.push(at.clone());
        }
    });
    for at in sites.iter().rev() {
        let Some(Value::Object(map)) = schema.pointer_mut(at.as_str()) else {
            continue;
        };
        let mut candidates: Vec<f64> = Vec::new();
        for (keywords, clamp) in [(UPPER_BOUNDS, i64::MAX), (LOWER_BOUNDS, i64::MIN)] {
            for keyword in keywords {
                let Some(limit) = map
                    .get(*keyword)
                    .filter(|v| wide(v))
                    .and_then(Value::as_f64)
                else {
                    continue;
                };
                map.remove(*keyword);
                if (limit > 0.0) == (clamp > 0) {
                    // Far on the side it bounds: a 64-bit bound is tighter.
                    map.insert((*keyword).to_owned(), Value::from(clamp));
                } else {
                    // Every number it admits is beyond 64 bits.
                    if !keyword.starts_with("exclusive") {
                        candidates.push(limit);
                    }
                    candidates.extend([limit * 2.0, limit * 1e3]);
                }
            }
        }
        if !candidates.is_empty() {
            let numbers: Vec<Value> = candidates
                .into_iter()
                .filter_map(|x| serde_json::Number::from_f64(x).map(Value::Number))
                .collect();
            let only = serde_json::json!({"anyOf": [
                {"not": {"type": "number"}},
                {"enum": numbers}
            ]});
            match map.get_mut("allOf") {
                Some(Value::Array(all)) => all.push(only),
                _ => {
                    map.insert("allOf".to_owned(), Value::Array(vec![only]));
                }
            }
        }
    }
    schema
}

/// The keyword most likely behind a `Raw` node, for the error message. The canonicalizer names
/// the subschema that stopped it and why, not the keyword: this is the first keyword it does
/// not model found inside that subschema (nothing better is known).
fn raw_keyword(source: &Value, pointer: &JsonPointer, reason: RawReason) -> String {
    if reason == RawReason::UnknownDialect {
        return "$schema".to_owned();
    }
    let at = source.pointer(pointer.as_str()).unwrap_or(source);
    for keyword in [
        "unevaluatedItems",
        "unevaluatedProperties",
        "$dynamicRef",
        "$recursiveRef",
        "dependencies",
    ] {
        if walk::find_keyword(at, keyword, None).is_some() {
            return keyword.to_owned();
        }
    }
    let mut bound = None;
    walk::for_each(at, &mut |_, sub| {
        if bound.is_none() {
            bound = UPPER_BOUNDS
                .iter()
                .chain(LOWER_BOUNDS)
                .find(|k| sub.get(**k).is_some_and(wide));
        }
    });
    if let Some(keyword) = bound {
        return (*keyword).to_owned();
    }
    "(unmodeled)".to_owned()
}
