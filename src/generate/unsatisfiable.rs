//! Why a schema admits no value, and where: the canonicalizer names every unsatisfiable
//! subschema with its reason; the error points at the most specific one, following a
//! contradiction into the required property (or the items) that admits nothing.

use serde_json::Value;

use super::{GenerateError, refs::Resources};
use crate::pointer::JsonPointer;

/// The error for a schema that admits no value, at the most specific pointer the
/// canonicalizer names: a contradiction is followed into the required property (or the items)
/// that admits nothing, when there is one.
pub(crate) fn error(
    source: &Value,
    resources: &Resources,
    replaced: &[(JsonPointer, String)],
) -> GenerateError {
    use jsonschema::canonical::UnsatisfiableReason as R;
    let reasons = jsonschema::canonical::options()
        .with_retriever(resources.clone())
        .should_validate_formats(true)
        .prepare(source)
        .and_then(|prepared| prepared.unsatisfiable())
        .unwrap_or_default();
    let mut pointer = String::new();
    let mut visited = Vec::new();
    let mut message = "no value satisfies the schema".to_owned();
    while let Some(reason) = reasons.get(&pointer) {
        if visited.contains(&pointer) {
            break;
        }
        visited.push(pointer.clone());
        match reason {
            R::Literal => {
                message = "the schema is `false`".to_owned();
                break;
            }
            R::Empty(cause) => {
                if !cause.keywords.is_empty() {
                    let verb = if cause.keywords.len() == 1 {
                        "admits"
                    } else {
                        "admit"
                    };
                    message = format!("`{}` {verb} no value", cause.keywords.join("`, `"));
                }
                pointer = cause.pointer.clone();
            }
            R::Conflict(causes) => {
                let keywords: Vec<String> = causes
                    .iter()
                    .flat_map(|cause| cause.keywords.iter().cloned())
                    .collect();
                message = format!("`{}` contradict each other", keywords.join("`, `"));
                let inner = causes
                    .iter()
                    .flat_map(|cause| children_at(source, &cause.pointer, &cause.keywords))
                    .find(|child| reasons.contains_key(child));
                match inner {
                    Some(child) => pointer = child,
                    None => {
                        if let Some(first) = causes.first() {
                            pointer = first.pointer.clone();
                        }
                        break;
                    }
                }
            }
        }
    }
    // A required property whose `$ref` the pre-pass replaced: the reference is the reason.
    for (at, uri) in replaced {
        if visited
            .iter()
            .chain(std::iter::once(&pointer))
            .any(|p| p == at.as_str())
        {
            return GenerateError::unresolvable_ref(at.clone(), uri.clone());
        }
    }
    GenerateError::unsatisfiable(JsonPointer::parse(&pointer).unwrap_or_default(), message)
}

/// The subschemas of the schema at `at` that its `keywords` make mandatory: the required
/// properties' schemas, `items`, the `prefixItems`.
fn children_at(source: &Value, at: &str, keywords: &[String]) -> Vec<String> {
    let Some(schema) = source.pointer(at) else {
        return Vec::new();
    };
    let base = JsonPointer::parse(at).unwrap_or_default();
    let mut out = Vec::new();
    if keywords
        .iter()
        .any(|k| k == "required" || k == "properties")
    {
        for name in schema["required"].as_array().into_iter().flatten() {
            if let Some(name) = name.as_str() {
                out.push(base.key("properties").key(name).as_str().to_owned());
            }
        }
    }
    if keywords
        .iter()
        .any(|k| k == "items" || k == "minItems" || k == "prefixItems")
    {
        out.push(base.key("items").as_str().to_owned());
        for i in 0..schema["prefixItems"].as_array().map_or(0, Vec::len) {
            out.push(base.key("prefixItems").index(i).as_str().to_owned());
        }
    }
    out
}
