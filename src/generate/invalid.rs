//! Invalid values: a valid value broken in one named way.
//!
//! Mutation sites come from the canonical schema: the root and its properties, the properties
//! of nested objects (of every object property of the root, and of required ones below it),
//! and the first item of every array property, down to [`MAX_SITE_DEPTH`]. Each site has mutations (remove a required property,
//! set a property to a value of the wrong type, out of range, too long or short, not matching
//! its pattern or format, not one of the allowed values, add an unexpected property): the
//! structural ones are found here, the leaf ones by the keyword family of the site
//! (`Family::mutations`, next to the family's valid values). The first item of an array is a
//! site too (its path token is its index). A mutated value is kept only when the whole-schema
//! validator rejects it with exactly one error, or with a wrong type and the errors a wrong
//! type implies at the same place (see [`name`]), and the violation is named from that error
//! (keyword, instance path, schema path).

use std::sync::Arc;

use jsonschema::{
    JsonType, JsonTypeSet, ValidationError, Validator,
    canonical::{CanonicalSchema, CanonicalView},
    error::ValidationErrorKind,
};
use proptest::{
    sample::select,
    strategy::{SBoxedStrategy, Strategy, ValueTree},
};
use serde_json::{Value, json};

use super::{
    InvalidValue, Violation, ViolationKind,
    compile::{Built, Strat, resolve},
    family::family,
};
use crate::pointer::JsonPointer;

/// How deep nested required objects are searched for sites.
const MAX_SITE_DEPTH: usize = 3;
/// Draws per site when checking, at compile time, that it yields a named violation.
const SITE_PROBE_DRAWS: usize = 8;
/// The most mutation sites kept (the root's and its properties' come first).
const MAX_SITES: usize = 1024;
/// The most validator calls spent, at compile time, on checking which sites yield a violation.
const MAX_SITE_CHECKS: usize = 4096;
/// Strings and arrays longer than this are not built to break a `maxLength`/`maxItems`.
pub(crate) const MAX_BUILT_LENGTH: usize = 100_000;
/// The name of the property added to break `additionalProperties: false`.
const UNEXPECTED: &str = "unexpected_property";
/// The token of an array's first item in a mutation's path (an object's key elsewhere: which
/// one a token is follows from the value it is applied to).
const FIRST_ITEM: &str = "0";

/// One way to break a valid value (each keyword family says which apply to its nodes:
/// [`Family::mutations`](super::family::Family::mutations)).
#[derive(Clone, Debug)]
pub(crate) enum Mutation {
    /// Remove `key` from the object at `at`.
    Remove { at: Vec<String>, key: String },
    /// Put `value` at `at` (the last token is a key of an object, which must exist; empty:
    /// replace the whole value).
    Set { at: Vec<String>, value: Value },
    /// Cut the string at `at` to `chars` characters.
    Truncate { at: Vec<String>, chars: usize },
    /// Pad the string at `at` to `chars` characters.
    Pad { at: Vec<String>, chars: usize },
    /// Repeat the items of the array at `at` up to `len`.
    Grow { at: Vec<String>, len: usize },
    /// Repeat the first item of the array at `at`.
    Duplicate { at: Vec<String> },
}

/// The strategy of invalid values, or `None` when no site yields a named violation.
pub(crate) fn strategy(built: &Built) -> Option<SBoxedStrategy<InvalidValue>> {
    let mut mutations = Vec::new();
    collect(&built.canonical, &mut Vec::new(), 0, &mut mutations);
    mutations.truncate(MAX_SITES);
    let validator = Arc::clone(&built.validator);
    let valid = built.strategy.clone();
    // The same few valid values (fixed seed) try every site: drawn once, not once per site.
    let samples = samples(&valid);
    let mut checks = 0;
    let mut useful: Vec<Mutation> = mutations
        .into_iter()
        .filter(|mutation| yields_violation(&samples, &validator, mutation, &mut checks))
        .collect();
    if useful.is_empty() {
        // No site breaks the schema (its keywords are ones the sites do not model: `contains`,
        // `not`, `dependentRequired`, `minProperties` without `type`, ...): before saying it
        // accepts every value, try whole values near the valid ones and small ones of every type.
        useful = fallback(&samples, &validator);
    }
    if useful.is_empty() {
        return None;
    }
    Some(
        // Only the validator can say whether a mutation broke the schema, and in how many ways:
        // keep the values it rejects with exactly one named error (every site kept was seen to
        // yield one at compile time).
        (valid, select(useful))
            .prop_filter_map(
                "the mutation did not break the schema in one named way",
                move |(value, mutation)| {
                    let broken = apply(&value, &mutation)?;
                    let violation = name(&validator, &broken)?;
                    Some(InvalidValue {
                        value: broken,
                        violation,
                    })
                },
            )
            .sboxed(),
    )
}

/// The most whole-value replacements kept by [`fallback`].
const MAX_FALLBACKS: usize = 16;

/// Whole values that break the schema in one named way, for a schema no site breaks: the valid
/// `samples` with one more property or item, or one item fewer, then small values of every type.
fn fallback(samples: &[Value], validator: &Validator) -> Vec<Mutation> {
    let extras = [Value::Null, json!(1), json!("x"), json!({}), json!([])];
    let mut candidates: Vec<Value> = Vec::new();
    for sample in samples {
        match sample {
            Value::Object(map) => {
                for (key, extra) in [UNEXPECTED, "foo", "bar"].into_iter().zip(&extras) {
                    let mut more = map.clone();
                    more.insert(key.to_owned(), extra.clone());
                    candidates.push(Value::Object(more));
                }
                for key in map.keys() {
                    let mut less = map.clone();
                    less.remove(key);
                    candidates.push(Value::Object(less));
                }
            }
            Value::Array(items) => {
                for extra in &extras {
                    let mut more = items.clone();
                    more.push(extra.clone());
                    candidates.push(Value::Array(more));
                }
                if let Some((_, rest)) = items.split_first() {
                    candidates.push(Value::Array(rest.to_vec()));
                }
            }
            _ => {}
        }
    }
    candidates.extend([
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1),
        json!(2.5),
        json!(""),
        json!("abc"),
        json!([]),
        json!([1]),
        json!([1, 1]),
        json!([1, 2, 3]),
        json!(["a"]),
        json!([{}]),
        json!({}),
        json!({"foo": 1}),
        json!({"bar": 2}),
        json!({"foo": 1, "bar": 2}),
        json!({"foo": 1, "bar": 2, "baz": 3}),
    ]);
    let mut kept: Vec<Value> = Vec::new();
    for candidate in candidates.into_iter().take(MAX_SITE_CHECKS) {
        if kept.len() >= MAX_FALLBACKS {
            break;
        }
        if !kept.contains(&candidate) && name(validator, &candidate).is_some() {
            kept.push(candidate);
        }
    }
    kept.into_iter()
        .map(|value| Mutation::Set {
            at: Vec::new(),
            value,
        })
        .collect()
}

/// The valid values (fixed seed) each site is tried on at compile time.
fn samples(valid: &Strat) -> Vec<Value> {
    // Rejections bounded, as for boundary values: a schema whose valid values are hard to
    // draw (1,000 distinct items of 1,000 possible) gives up here quickly.
    let mut runner = super::seeded::runner(&[0x1d; 32], 256);
    (0..SITE_PROBE_DRAWS)
        .filter_map(|_| valid.new_tree(&mut runner).ok().map(|tree| tree.current()))
        .collect()
}

/// Whether `mutation` applied to one of the `samples` gives a named violation; `checks` counts
/// the validator calls of all sites, at most [`MAX_SITE_CHECKS`].
fn yields_violation(
    samples: &[Value],
    validator: &Validator,
    mutation: &Mutation,
    checks: &mut usize,
) -> bool {
    samples.iter().any(|value| {
        if *checks >= MAX_SITE_CHECKS {
            return false;
        }
        match apply(value, mutation) {
            Some(broken) => {
                *checks += 1;
                name(validator, &broken).is_some()
            }
            None => false,
        }
    })
}

/// The most errors looked at for one value (past it, the value broke too much to name).
const MAX_ERRORS_NAMED: usize = 8;

/// The one violation the validator reports for `value`, when it reports exactly one and the
/// keyword has a name; or a wrong type, when a `type` error comes with errors only of the
/// keywords a value of another type breaks with it, at the same place (`enum`, `const`,
/// `anyOf`/`oneOf` of typed branches: `{"type": "string", "enum": ["a", "b"]}` rejects every
/// non-string twice, so no value breaks its `type` alone).
fn name(validator: &Validator, value: &Value) -> Option<Violation> {
    let mut errors = validator.iter_errors(value);
    let error = errors.next()?;
    let Some(second) = errors.next() else {
        return named(&error);
    };
    let all: Vec<ValidationError<'_>> = [error, second]
        .into_iter()
        .chain(errors.take(MAX_ERRORS_NAMED - 1))
        .collect();
    if all.len() > MAX_ERRORS_NAMED {
        return None;
    }
    let path = all[0].instance_path().as_str();
    let mut types = all.iter().filter(|e| e.kind().keyword() == "type");
    let (Some(wrong), None) = (types.next(), types.next()) else {
        return None;
    };
    let implied = all.iter().all(|e| {
        e.instance_path().as_str() == path
            && matches!(
                e.kind().keyword(),
                "type" | "enum" | "const" | "anyOf" | "oneOf"
            )
    });
    implied.then(|| violation(ViolationKind::WrongType, wrong))
}

/// The violation `error` stands for. An `anyOf`/`oneOf` that no branch accepts is named by its
/// branches' errors: by the one error that is not a type mismatch (the branch the value was
/// meant for), or as a wrong type (at the combinator) when every branch rejects the type.
fn named(error: &ValidationError<'_>) -> Option<Violation> {
    let keyword = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let all: Vec<&ValidationError<'static>> = context.iter().flatten().collect();
            let specific: Vec<&&ValidationError<'static>> = all
                .iter()
                .filter(|e| e.kind().keyword() != "type")
                .collect();
            return match specific.as_slice() {
                [one] => named(one),
                [] if !all.is_empty() => Some(violation(ViolationKind::WrongType, error)),
                // Several: the one branch the value misses by a single error that is not its
                // type (`{"id": 1, "value": 2, "extra": 3}` breaks `oneOf` [closed {id, value},
                // closed {name, value}] once in the first branch, twice in the second).
                _ => match nearest(context) {
                    Some(one) => named(one),
                    None => None,
                },
            };
        }
        kind => kind.keyword(),
    };
    let kind = match keyword {
        "required" | "dependentRequired" => ViolationKind::MissingRequired,
        "type" => ViolationKind::WrongType,
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            ViolationKind::OutOfRange
        }
        "maxLength" | "maxItems" | "maxProperties" | "maxContains" => ViolationKind::TooLong,
        "minLength" | "minItems" | "minProperties" | "contains" | "minContains" => {
            ViolationKind::TooShort
        }
        "pattern" => ViolationKind::PatternMismatch,
        "format" => ViolationKind::FormatMismatch,
        "additionalProperties" | "unevaluatedProperties" | "propertyNames" | "falseSchema" => {
            ViolationKind::UnexpectedProperty
        }
        "enum" | "const" | "not" => ViolationKind::NotAllowedValue,
        "uniqueItems" => ViolationKind::DuplicateItems,
        _ => return None,
    };
    Some(violation(kind, error))
}

/// The error of the only branch rejecting a value with one error that is not a type mismatch.
fn nearest<'e>(
    branches: &'e [Vec<ValidationError<'static>>],
) -> Option<&'e ValidationError<'static>> {
    let mut singles = branches
        .iter()
        .filter_map(|errors| match errors.as_slice() {
            [one] if one.kind().keyword() != "type" => Some(one),
            _ => None,
        });
    match (singles.next(), singles.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

fn violation(kind: ViolationKind, error: &ValidationError<'_>) -> Violation {
    Violation {
        kind,
        instance_path: JsonPointer::parse(error.instance_path().as_str()).unwrap_or_default(),
        schema_path: JsonPointer::parse(error.schema_path().as_str()).unwrap_or_default(),
    }
}

/// The mutation sites of `node`, a value at `at`.
fn collect(node: &CanonicalSchema, at: &mut Vec<String>, depth: usize, out: &mut Vec<Mutation>) {
    if depth > MAX_SITE_DEPTH {
        return;
    }
    let view = node.view();
    if let Some(types) = types_of(node)
        && let Some(value) = wrong_type(types)
    {
        out.push(Mutation::Set {
            at: at.clone(),
            value,
        });
    }
    match view {
        CanonicalView::Reference(uri) => {
            if let Some(target) = node.definition(&uri) {
                collect(&target, at, depth + 1, out);
            }
        }
        CanonicalView::AnyOf(branches) | CanonicalView::OneOf(branches) => {
            // A value has to break every branch: each branch's own mutations are tried, and
            // the validator keeps those no other branch accepts.
            for branch in &branches {
                if matches!(resolve(branch).view(), CanonicalView::Object(_)) {
                    collect_object_only(&resolve(branch), at, depth, out);
                } else {
                    leaf(branch, at, out);
                }
            }
        }
        CanonicalView::TypedGroup(group) => leaf(&group.body, at, out),
        CanonicalView::Object(object) => {
            for name in &object.required {
                out.push(Mutation::Remove {
                    at: at.clone(),
                    key: name.clone(),
                });
            }
            let closed = object
                .additional_properties
                .as_ref()
                .is_some_and(|a| matches!(a.view(), CanonicalView::False))
                || object
                    .property_names
                    .as_ref()
                    .is_some_and(|names| !matches!(names.view(), CanonicalView::True));
            if closed {
                let mut key = at.clone();
                key.push(UNEXPECTED.to_owned());
                out.push(Mutation::Set {
                    at: key,
                    value: json!("unexpected"),
                });
            }
            for (name, schema) in &object.properties {
                at.push(name.clone());
                let required = object.required.contains(name);
                if let Some(types) = types_of(schema)
                    && let Some(value) = wrong_type(types)
                {
                    out.push(Mutation::Set {
                        at: at.clone(),
                        value,
                    });
                }
                leaf(schema, at, out);
                if required || depth == 0 {
                    for nested in objects_within(schema) {
                        collect_object_only(&nested, at, depth + 1, out);
                    }
                }
                collect_items(schema, at, depth + 1, out);
                at.pop();
            }
        }
        CanonicalView::Array(_) => {
            leaf(node, at, out);
            collect_items(node, at, depth + 1, out);
        }
        _ => leaf(node, at, out),
    }
}

/// Sites of the first item of the arrays a value at `at` may be (the array itself, or the array
/// branches of an `anyOf`/`oneOf`: `Optional[list[...]]`): its wrong type, its own keywords,
/// and the sites of an item that is an object. An empty array gets the broken item appended.
fn collect_items(
    schema: &CanonicalSchema,
    at: &mut Vec<String>,
    depth: usize,
    out: &mut Vec<Mutation>,
) {
    for item in items_within(schema) {
        at.push(FIRST_ITEM.to_owned());
        collect(&item, at, depth, out);
        at.pop();
    }
}

/// The schemas of the first item of the arrays a value may be.
fn items_within(schema: &CanonicalSchema) -> Vec<CanonicalSchema> {
    let first = |branch: &CanonicalSchema| match branch.view() {
        CanonicalView::Array(view) => view.prefix_items.into_iter().next().or(view.items),
        _ => None,
    };
    let resolved = resolve(schema);
    match resolved.view() {
        CanonicalView::AnyOf(branches) | CanonicalView::OneOf(branches) => {
            branches.iter().filter_map(|b| first(&resolve(b))).collect()
        }
        _ => first(&resolved).into_iter().collect(),
    }
}

/// Sites of a nested object (its own wrong type is already a site of the parent).
fn collect_object_only(
    node: &CanonicalSchema,
    at: &mut Vec<String>,
    depth: usize,
    out: &mut Vec<Mutation>,
) {
    let before = out.len();
    collect(node, at, depth, out);
    // Drop the duplicate wrong-type site of the object itself.
    if let Some(Mutation::Set { at: site, .. }) = out.get(before)
        && site == at
    {
        out.remove(before);
    }
}

/// The object schemas a property's value may take: the schema itself, or the object branches
/// of an `anyOf`/`oneOf` (Pydantic's `Optional[Model]`).
fn objects_within(schema: &CanonicalSchema) -> Vec<CanonicalSchema> {
    let resolved = resolve(schema);
    match resolved.view() {
        CanonicalView::Object(_) => vec![resolved],
        CanonicalView::AnyOf(branches) | CanonicalView::OneOf(branches) => branches
            .iter()
            .map(resolve)
            .filter(|branch| matches!(branch.view(), CanonicalView::Object(_)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Mutations of the leaf value at `at`.
fn leaf(node: &CanonicalSchema, at: &[String], out: &mut Vec<Mutation>) {
    leaf_mutations(node, at, out, 0);
}

/// How deep `anyOf`/`oneOf`/typed groups are looked into for leaf mutations.
const MAX_LEAF_NESTING: usize = 4;

/// Mutations of the leaf value at `at`, `nesting` combinators deep: those of its keyword family.
pub(crate) fn leaf_mutations(
    node: &CanonicalSchema,
    at: &[String],
    out: &mut Vec<Mutation>,
    nesting: usize,
) {
    if nesting > MAX_LEAF_NESTING {
        return;
    }
    family(&resolve(node)).mutations(at, out, nesting);
}

/// The JSON types a node admits, when its view says.
pub(crate) fn types_of(node: &CanonicalSchema) -> Option<JsonTypeSet> {
    family(&resolve(node)).types()
}

/// A value of a type outside `types`.
fn wrong_type(types: JsonTypeSet) -> Option<Value> {
    let candidates = [
        (JsonType::String, json!("not-a-number")),
        (JsonType::Integer, json!(12345)),
        (JsonType::Boolean, json!(true)),
        (JsonType::Null, Value::Null),
        (JsonType::Object, json!({})),
        (JsonType::Array, json!([])),
    ];
    candidates.into_iter().find_map(|(ty, value)| {
        let admitted =
            types.contains(ty) || (ty == JsonType::Integer && types.contains(JsonType::Number));
        (!admitted).then_some(value)
    })
}

/// `value` broken by `mutation`, or `None` when the site is not there.
fn apply(value: &Value, mutation: &Mutation) -> Option<Value> {
    if !reachable(value, mutation) {
        return None;
    }
    let mut out = value.clone();
    match mutation {
        Mutation::Remove { at, key } => {
            let object = navigate(&mut out, at)?.as_object_mut()?;
            object.remove(key)?;
        }
        Mutation::Set { at, value } => *slot(&mut out, at)? = value.clone(),
        Mutation::Truncate { at, chars } => {
            let slot = slot(&mut out, at)?;
            let cut: String = match slot {
                Value::String(s) if s.chars().count() > *chars => s.chars().take(*chars).collect(),
                _ => "a".repeat(*chars),
            };
            *slot = Value::String(cut);
        }
        Mutation::Pad { at, chars } => {
            let slot = slot(&mut out, at)?;
            let mut s = slot.as_str().unwrap_or_default().to_owned();
            let fill = s.chars().last().unwrap_or('a');
            while s.chars().count() < *chars {
                s.push(fill);
            }
            *slot = Value::String(s);
        }
        Mutation::Grow { at, len } => {
            let slot = slot(&mut out, at)?;
            let items = slot.as_array()?.clone();
            if items.is_empty() {
                return None;
            }
            let grown: Vec<Value> = items.iter().cycle().take(*len).cloned().collect();
            *slot = Value::Array(grown);
        }
        Mutation::Duplicate { at } => {
            let items = slot(&mut out, at)?.as_array_mut()?;
            let first = items.first()?.clone();
            items.push(first);
        }
    }
    Some(out)
}

/// Whether the object `mutation` changes is in `value` (checked before cloning it).
fn reachable(value: &Value, mutation: &Mutation) -> bool {
    let parent = match mutation {
        Mutation::Remove { at, .. } => at.as_slice(),
        Mutation::Set { at, .. }
        | Mutation::Truncate { at, .. }
        | Mutation::Pad { at, .. }
        | Mutation::Grow { at, .. }
        | Mutation::Duplicate { at } => match at.split_last() {
            None => return true,
            Some((_, parent)) => parent,
        },
    };
    let mut here = value;
    for key in parent {
        let next = match here {
            Value::Object(map) => map.get(key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => here = next,
            None => return false,
        }
    }
    here.is_object() || here.is_array()
}

/// The value at `at` (the last key of an object may be missing, and the item just past an
/// array's end: it is created as `null`).
fn slot<'v>(value: &'v mut Value, at: &[String]) -> Option<&'v mut Value> {
    match at.split_last() {
        None => Some(value),
        Some((key, parent)) => match navigate(value, parent)? {
            Value::Object(map) => Some(map.entry(key.clone()).or_insert(Value::Null)),
            Value::Array(items) => {
                let index = key.parse::<usize>().ok()?;
                if index == items.len() {
                    items.push(Value::Null);
                }
                items.get_mut(index)
            }
            _ => None,
        },
    }
}

/// The value at `at`: a key of an object, an index of an array.
fn navigate<'v>(value: &'v mut Value, at: &[String]) -> Option<&'v mut Value> {
    let mut here = value;
    for key in at {
        here = match here {
            Value::Object(map) => map.get_mut(key)?,
            Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Issue 17: an array's first item is a site; an empty array gets the broken item
    /// appended, an item's property is set inside the item, and a path past the end is no site.
    #[test]
    fn item_sites_reach_into_arrays() {
        let at = |path: &[&str]| path.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let set = |path: &[&str], value: Value| Mutation::Set {
            at: at(path),
            value,
        };
        let value = json!({"tags": [], "files": [{"path": "a"}]});
        assert_eq!(
            apply(&value, &set(&["tags", "0"], json!(7))),
            Some(json!({"tags": [7], "files": [{"path": "a"}]}))
        );
        assert_eq!(
            apply(&value, &set(&["files", "0", "extra"], json!(1))),
            Some(json!({"tags": [], "files": [{"path": "a", "extra": 1}]}))
        );
        let remove = Mutation::Remove {
            at: at(&["files", "0"]),
            key: "path".to_owned(),
        };
        assert_eq!(
            apply(&value, &remove),
            Some(json!({"tags": [], "files": [{}]}))
        );
        let pad = Mutation::Pad {
            at: at(&["files", "0", "path"]),
            chars: 3,
        };
        assert_eq!(
            apply(&value, &pad),
            Some(json!({"tags": [], "files": [{"path": "aaa"}]}))
        );
        assert_eq!(apply(&value, &set(&["tags", "1"], json!(7))), None);
        assert_eq!(apply(&value, &set(&["tags", "0", "x"], json!(7))), None);
        assert_eq!(apply(&value, &set(&["none", "0"], json!(7))), None);
    }

    /// Issue 11: probing every mutation site drew the valid values again for each site
    /// (quadratic in a schema's size); they are drawn once.
    #[test]
    fn probe_values_are_drawn_once_for_all_sites() {
        static DRAWS: AtomicUsize = AtomicUsize::new(0);
        let valid: Strat = proptest::strategy::Just(json!({"a": "x"}))
            .prop_map(|v| {
                DRAWS.fetch_add(1, Ordering::SeqCst);
                v
            })
            .sboxed();
        let validator = jsonschema::validator_for(&json!({
            "type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]
        }))
        .unwrap();
        let samples = samples(&valid);
        let mut checks = 0;
        // A mutation that breaks nothing is tried on every sample, within the check budget.
        let harmless = Mutation::Set {
            at: vec!["b".to_owned()],
            value: json!(1),
        };
        for _ in 0..1_000 {
            assert!(!yields_violation(
                &samples,
                &validator,
                &harmless,
                &mut checks
            ));
        }
        assert_eq!(checks, MAX_SITE_CHECKS, "the checks are capped");
        let useful = Mutation::Remove {
            at: Vec::new(),
            key: "a".to_owned(),
        };
        assert!(yields_violation(&samples, &validator, &useful, &mut 0));
        assert_eq!(DRAWS.load(Ordering::SeqCst), SITE_PROBE_DRAWS);
    }
}
