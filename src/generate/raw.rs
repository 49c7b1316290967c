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
        _ => (without_unmodeled(&raw.schema), None),
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
    "(unmodeled)".to_owned()
}
