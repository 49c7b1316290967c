//! References: the documents a caller supplies ([`Resources`]), the one whole-schema validator,
//! and the pre-pass that turns a `$ref` nobody can resolve offline into `false`.
//!
//! A remote `$ref` (one that points outside the document and is not among the supplied
//! resources) makes both the validator and the canonicalizer fail. The pre-pass replaces each such
//! subschema with `false` and records a warning, so an optional property using it is simply never
//! generated; a required one makes the schema unsatisfiable, which `compile` reports as
//! [`GenerateErrorKind::UnresolvableRef`](super::GenerateErrorKind::UnresolvableRef).

use std::{
    collections::BTreeMap,
    sync::{Arc, LazyLock},
};

use jsonschema::{ReferencingError, Retrieve, Uri, Validator, error::ValidationErrorKind};
use serde_json::Value;

use super::{GenerateError, GenerateWarning, walk};
use crate::pointer::JsonPointer;

/// How many unresolvable resources the pre-pass replaces before giving up.
const MAX_REPLACEMENT_ROUNDS: usize = 64;

/// The base URI `jsonschema` gives a document without `$id`.
const DEFAULT_BASE: &str = "json-schema:///";

/// Where the official draft-04 meta-schema is served from (a URI no one else uses: the
/// `jsonschema` crate answers the real one from its own copy).
const OFFICIAL_DRAFT4: &str = "https://toolcontract.invalid/official/draft-04/schema";

/// The URIs of the draft-04 meta-schema as schemas write them (without fragment).
const DRAFT4_URIS: &[&str] = &[
    "http://json-schema.org/draft-04/schema",
    "https://json-schema.org/draft-04/schema",
];

/// The official draft-04 meta-schema (json-schema.org/draft-04/schema). The copy the `jsonschema`
/// crate bundles is laxer: its `enum` lacks `minItems: 1` and `uniqueItems: true`, so values
/// generated from it had `"enum": [null, null, null]`, which every other validator rejects. This
/// is that copy with the two keywords restored and `id` set to [`OFFICIAL_DRAFT4`].
static DRAFT4: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("metaschemas/draft-04.json"))
        .expect("the embedded draft-04 meta-schema is JSON")
});

/// Documents supplied by the caller, by URI; everything else is unavailable (offline).
#[derive(Clone, Debug, Default)]
pub(crate) struct Resources(Arc<BTreeMap<String, Value>>);

impl Resources {
    pub(crate) fn new(documents: &[(String, Value)]) -> Resources {
        let mut map: BTreeMap<String, Value> = documents
            .iter()
            .map(|(uri, document)| {
                // A supplied document of a later release is read as 2020-12 too.
                let mut document = document.clone();
                later_dialects(&mut document);
                (without_fragment(uri).to_owned(), document)
            })
            .collect();
        map.insert(OFFICIAL_DRAFT4.to_owned(), DRAFT4.clone());
        Resources(Arc::new(map))
    }
}

impl Retrieve for Resources {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .get(without_fragment(uri.as_str()))
            .cloned()
            .ok_or_else(|| format!("`{}` is not available offline", uri.as_str()).into())
    }
}

fn without_fragment(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(base, _)| base)
}

/// Builds a validator with the generator's settings: formats asserted (unknown ones ignored),
/// references served from `resources` only, `.` in patterns as ECMA-262 says (the crate's own
/// translation lets it match `\r`, U+2028 and U+2029).
pub(crate) fn build_validator(
    schema: &Value,
    resources: &Resources,
) -> Result<Validator, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .with_retriever(resources.clone())
        .build(&super::pattern::ecma_schema(schema))
}

/// The schema after the pre-pass, with its validator.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The schema with every unavailable remote `$ref` subschema replaced by `false`.
    pub(crate) schema: Value,
    /// One per replaced subschema.
    pub(crate) warnings: Vec<GenerateWarning>,
    /// The replaced subschemas: pointer and the URI they referred to.
    pub(crate) replaced: Vec<(JsonPointer, String)>,
    /// The validator of `schema`.
    pub(crate) validator: Validator,
}

/// Runs the pre-pass and builds the whole-schema validator.
pub(crate) fn prepare(schema: &Value, resources: &Resources) -> Result<Prepared, GenerateError> {
    if !matches!(schema, Value::Bool(_) | Value::Object(_)) {
        return Err(GenerateError::invalid_schema(
            JsonPointer::root(),
            "a schema is an object or a boolean",
        ));
    }
    let mut working = schema.clone();
    let mut warnings = later_dialects(&mut working);
    official_metaschemas(&mut working);
    encode_local_pointers(&mut working);
    let mut replaced = Vec::new();
    for _ in 0..MAX_REPLACEMENT_ROUNDS {
        let error = match build_validator(&working, resources) {
            Ok(validator) => {
                return Ok(Prepared {
                    schema: working,
                    warnings,
                    replaced,
                    validator,
                });
            }
            Err(error) => error,
        };
        match error.kind() {
            ValidationErrorKind::Referencing(ReferencingError::Unretrievable { uri, .. }) => {
                let uri = without_fragment(uri).to_owned();
                let sites = refs_to(&working, &uri);
                if sites.is_empty() {
                    // Not a `$ref` of this document: the `$schema` meta-schema, or a reference
                    // inside a supplied resource.
                    let pointer =
                        if working.get("$schema").and_then(Value::as_str) == Some(uri.as_str()) {
                            JsonPointer::root().key("$schema")
                        } else {
                            JsonPointer::root()
                        };
                    return Err(GenerateError::unresolvable_ref(pointer, uri));
                }
                for at in sites {
                    replace(&mut working, at, &uri, &mut warnings, &mut replaced)?;
                }
            }
            ValidationErrorKind::Referencing(other) => {
                // A `$ref` that is not even a URI reference (e.g. a template placeholder such as
                // `http://host:${port}/a.json`) cannot be available either.
                let invalid = invalid_refs(&working);
                if !invalid.is_empty() {
                    for (at, reference) in invalid {
                        replace(&mut working, at, &reference, &mut warnings, &mut replaced)?;
                    }
                    continue;
                }
                if let ReferencingError::UnknownSpecification { specification } = other {
                    // A `$schema` naming a meta-schema nobody supplied.
                    return Err(GenerateError::unresolvable_ref(
                        JsonPointer::root().key("$schema"),
                        specification.clone(),
                    ));
                }
                // The validator's error names the reference's target or nothing, not the `$ref`
                // that holds it, and nothing is compiled yet: the `$ref` is found by its target
                // (every `$ref` to a missing target is at fault), else the first one is named.
                let pointer = match other {
                    ReferencingError::PointerToNowhere { pointer } => {
                        locate_ref_ending(&working, pointer)
                    }
                    _ => walk::locate_keyword(&working, "$ref"),
                };
                // Name the reference as written when it is found, the error otherwise.
                let text = working
                    .pointer(pointer.as_str())
                    .and_then(Value::as_str)
                    .map_or_else(|| other.to_string(), str::to_owned);
                return Err(GenerateError::unresolvable_ref(pointer, text));
            }
            _ => {
                let pointer = JsonPointer::parse(error.instance_path().as_str())
                    .unwrap_or_else(JsonPointer::root);
                return Err(GenerateError::invalid_schema(pointer, error.to_string()));
            }
        }
    }
    Err(GenerateError::unresolvable_ref(
        JsonPointer::root(),
        "too many unavailable remote references",
    ))
}

/// The dialect URIs of JSON Schema releases after 2020-12 that the `jsonschema` crate does not
/// know (the stable release, "v1"). Their vocabulary is that of 2020-12; read as a reference, the
/// `$schema` made every such schema unresolvable.
const LATER_DIALECTS: &[&str] = &[
    "https://json-schema.org/v1",
    "https://json-schema.org/v1/2026",
];

/// The 2020-12 dialect URI, which [`LATER_DIALECTS`] are read as.
const DRAFT2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Rewrites every `$schema` naming one of the [`LATER_DIALECTS`] to 2020-12, with a warning each:
/// both the generator and its validator then read the schema as 2020-12.
fn later_dialects(schema: &mut Value) -> Vec<GenerateWarning> {
    let mut sites = Vec::new();
    walk::for_each(schema, &mut |at, sub| {
        if let Some(dialect) = sub.get("$schema").and_then(Value::as_str)
            && LATER_DIALECTS.contains(&dialect.trim_end_matches('#'))
        {
            sites.push((at.key("$schema"), dialect.to_owned()));
        }
    });
    let mut warnings = Vec::new();
    for (at, dialect) in sites {
        if let Some(slot) = schema.pointer_mut(at.as_str()) {
            *slot = Value::String(DRAFT2020_12.to_owned());
        }
        warnings.push(GenerateWarning {
            pointer: at,
            message: format!(
                "`$schema` `{dialect}` is a release the validator does not know: read as draft \
                 2020-12, whose vocabulary it shares"
            ),
        });
    }
    warnings
}

/// Points every `$ref` to the draft-04 meta-schema at the official copy ([`DRAFT4`]), keeping
/// its fragment.
fn official_metaschemas(schema: &mut Value) {
    let mut sites = Vec::new();
    walk::for_each(schema, &mut |at, sub| {
        if let Some(reference) = sub.get("$ref").and_then(Value::as_str) {
            let (base, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            if DRAFT4_URIS.contains(&base) {
                sites.push((at.key("$ref"), format!("{OFFICIAL_DRAFT4}#{fragment}")));
            }
        }
    });
    for (at, reference) in sites {
        if let Some(slot) = schema.pointer_mut(at.as_str()) {
            *slot = Value::String(reference);
        }
    }
}

/// Percent-encodes, in every local `$ref` (`#/...`), the characters a URI fragment cannot hold
/// raw (space, `<`, `>`, `"`, `{`, `}`, `|`, `\\`, `^`, `` ` ``), as RFC 6901 section 6 says the
/// fragment form of a pointer is written: `#/$defs/A<B>` refers to the definition `A<B>`, as
/// `#/$defs/A%3CB%3E` does (vega-lite writes the former).
fn encode_local_pointers(schema: &mut Value) {
    const RAW: &[char] = &[' ', '<', '>', '"', '{', '}', '|', '\\', '^', '`'];
    let mut sites = Vec::new();
    walk::for_each(schema, &mut |at, sub| {
        if let Some(reference) = sub.get("$ref").and_then(Value::as_str)
            && reference.starts_with('#')
            && reference.contains(RAW)
        {
            let mut encoded = String::with_capacity(reference.len() + 8);
            for c in reference.chars() {
                if RAW.contains(&c) {
                    encoded.push_str(&format!("%{:02X}", c as u32));
                } else {
                    encoded.push(c);
                }
            }
            sites.push((at.key("$ref"), encoded));
        }
    });
    for (at, reference) in sites {
        if let Some(slot) = schema.pointer_mut(at.as_str()) {
            *slot = Value::String(reference);
        }
    }
}

/// Replaces the subschema at `at` (referring to the unavailable `uri`) with `false`, or refuses
/// when that could widen what the schema accepts.
fn replace(
    working: &mut Value,
    at: JsonPointer,
    uri: &str,
    warnings: &mut Vec<GenerateWarning>,
    replaced: &mut Vec<(JsonPointer, String)>,
) -> Result<(), GenerateError> {
    if !narrows_only(working, &at) {
        // Under `not`, `oneOf`, `if` (or in `$defs`, referenced from anywhere), `false` is no
        // safe stand-in: the unknown schema could make other values valid or invalid.
        return Err(GenerateError::unresolvable_ref(at, uri));
    }
    if let Some(slot) = working.pointer_mut(at.as_str()) {
        *slot = Value::Bool(false);
    }
    warnings.push(unavailable(&at, uri));
    replaced.push((at, uri.to_owned()));
    Ok(())
}

/// Whether narrowing the subschema at `at` (down to `false`) can only narrow what the whole
/// schema accepts: no `not`, `oneOf`, `if`, `$defs` or `contains` with `maxContains` on the way.
fn narrows_only(schema: &Value, at: &JsonPointer) -> bool {
    let tokens: Vec<String> = at.tokens().collect();
    let mut here = JsonPointer::root();
    let mut i = 0;
    while i < tokens.len() {
        let keyword = tokens[i].as_str();
        let Some(parent) = schema.pointer(here.as_str()) else {
            return false;
        };
        match keyword {
            "not" | "if" | "oneOf" | "$defs" | "definitions" => return false,
            "contains" if parent.get("maxContains").is_some() => return false,
            _ => {}
        }
        here = here.key(keyword);
        let takes_name = parent
            .get(keyword)
            .is_some_and(|value| walk::takes_name(keyword, value));
        if takes_name {
            match tokens.get(i + 1) {
                Some(name) => here = here.key(name),
                None => return false,
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    true
}

fn unavailable(at: &JsonPointer, uri: &str) -> GenerateWarning {
    GenerateWarning {
        pointer: at.clone(),
        message: format!("refers to {uri}, which is not available offline; never generated"),
    }
}

/// The subschemas whose `$ref` is not a URI reference at all, with the reference.
fn invalid_refs(schema: &Value) -> Vec<(JsonPointer, String)> {
    let mut out = Vec::new();
    walk::for_each(schema, &mut |at, sub| {
        if let Some(reference) = sub.get("$ref").and_then(Value::as_str)
            && resolve(DEFAULT_BASE, reference).is_none()
        {
            out.push((at.clone(), reference.to_owned()));
        }
    });
    out
}

/// The subschemas of `schema` whose `$ref` resolves into the resource `uri`.
fn refs_to(schema: &Value, uri: &str) -> Vec<JsonPointer> {
    let mut out = Vec::new();
    collect_refs(schema, DEFAULT_BASE, &JsonPointer::root(), uri, &mut out);
    out
}

fn collect_refs(
    value: &Value,
    base: &str,
    at: &JsonPointer,
    uri: &str,
    out: &mut Vec<JsonPointer>,
) {
    let Value::Object(map) = value else {
        return;
    };
    let base = match map.get("$id").and_then(Value::as_str) {
        Some(id) => resolve(base, id).unwrap_or_else(|| base.to_owned()),
        None => base.to_owned(),
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str)
        && resolve(&base, reference).is_some_and(|target| without_fragment(&target) == uri)
    {
        out.push(at.clone());
        return;
    }
    for (tokens, child) in walk::children(value) {
        let mut pointer = at.clone();
        for token in &tokens {
            pointer = pointer.key(token);
        }
        collect_refs(child, &base, &pointer, uri, out);
    }
}

fn resolve(base: &str, reference: &str) -> Option<String> {
    let base = jsonschema::uri::from_str(base).ok()?;
    let target = jsonschema::uri::resolve_against(&base.borrow(), reference).ok()?;
    Some(target.as_str().to_owned())
}

/// The first `$ref` whose fragment is `pointer` (for a reference to a missing location).
fn locate_ref_ending(schema: &Value, pointer: &str) -> JsonPointer {
    let mut found = None;
    walk::for_each(schema, &mut |at, sub| {
        if found.is_none()
            && sub
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.ends_with(pointer))
        {
            found = Some(at.key("$ref"));
        }
    });
    found.unwrap_or_else(|| walk::locate_keyword(schema, "$ref"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn remote_refs_become_false_with_a_warning() {
        let schema = json!({
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "profile": {"$ref": "http://127.0.0.1:9/profile.json"}
            }
        });
        let prepared = prepare(&schema, &Resources::default()).expect("prepared");
        assert_eq!(prepared.schema["properties"]["profile"], json!(false));
        assert_eq!(prepared.warnings.len(), 1);
        assert_eq!(prepared.warnings[0].pointer.as_str(), "/properties/profile");
        assert!(
            prepared.warnings[0]
                .message
                .contains("http://127.0.0.1:9/profile.json")
        );
    }

    #[test]
    fn refs_that_are_not_uris_become_false() {
        let schema = json!({
            "properties": {"profile": {"$ref": "http://127.0.0.1:${port}/profile.json"}}
        });
        let prepared = prepare(&schema, &Resources::default()).expect("prepared");
        assert_eq!(prepared.schema["properties"]["profile"], json!(false));
        assert_eq!(prepared.warnings[0].pointer.as_str(), "/properties/profile");
    }

    #[test]
    fn remote_refs_under_negation_are_refused() {
        for schema in [
            json!({"not": {"$ref": "https://example.com/a.json"}}),
            json!({"oneOf": [true, {"$ref": "https://example.com/a.json"}]}),
            json!({"if": {"$ref": "https://example.com/a.json"}, "then": false}),
        ] {
            let error = prepare(&schema, &Resources::default()).unwrap_err();
            assert!(
                matches!(
                    error.kind,
                    super::super::GenerateErrorKind::UnresolvableRef(_)
                ),
                "{schema}: {error}"
            );
        }
        let nested =
            json!({"properties": {"a": {"anyOf": [{"$ref": "https://example.com/a.json"}, {}]}}});
        assert!(prepare(&nested, &Resources::default()).is_ok());
    }

    #[test]
    fn relative_refs_resolve_against_id() {
        let schema = json!({
            "$id": "http://example.com/root.json",
            "items": {"$ref": "other.json"}
        });
        let prepared = prepare(&schema, &Resources::default()).expect("prepared");
        assert_eq!(prepared.replaced[0].1, "http://example.com/other.json");
        assert_eq!(prepared.replaced[0].0.as_str(), "/items");
    }

    #[test]
    fn supplied_resources_resolve() {
        let schema = json!({"$ref": "http://example.com/int.json"});
        let resources = Resources::new(&[(
            "http://example.com/int.json".to_owned(),
            json!({"type": "integer"}),
        )]);
        let prepared = prepare(&schema, &resources).expect("prepared");
        assert!(prepared.warnings.is_empty());
        assert!(prepared.validator.is_valid(&json!(3)));
        assert!(!prepared.validator.is_valid(&json!("x")));
    }

    #[test]
    fn invalid_schemas_name_the_keyword() {
        let error = prepare(&json!({"type": 12}), &Resources::default()).unwrap_err();
        assert_eq!(error.pointer.as_str(), "/type");
        assert!(matches!(
            error.kind,
            super::super::GenerateErrorKind::InvalidSchema(_)
        ));
        let error = prepare(&json!({"minimum": "x"}), &Resources::default()).unwrap_err();
        assert_eq!(error.pointer.as_str(), "/minimum");
        let error = prepare(&json!(12), &Resources::default()).unwrap_err();
        assert!(error.pointer.is_root());
    }
}
