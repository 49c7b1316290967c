//! CloudFormation intrinsic functions: which values are intrinsics, their YAML short forms, and
//! resolving the few whose value is certain before deployment.
//!
//! Sources: CloudFormation Template Reference, "Intrinsic function reference" (each function's
//! page gives its long form, `{"Fn::Join": [...]}`, and its YAML short form, `!Join [...]`;
//! `!GetAtt A.B` is the short form of `{"Fn::GetAtt": ["A", "B"]}`), and "Condition functions"
//! (`Fn::And`, `Fn::Equals`, `Fn::If`, `Fn::Not`, `Fn::Or`, `Condition`).
//!
//! Resolved, because nothing at deploy time can change them: `Fn::Join`, `Fn::Select` and
//! `Fn::Split` of literals; `Fn::Sub` whose `${...}` are all `${!...}` escapes or names given a
//! literal value in its own variable map; `Fn::FindInMap` with literal keys into the template's
//! `Mappings`. Everything else (`Ref`, `Fn::GetAtt`, `Fn::If`, `Fn::ImportValue`, pseudo
//! parameters such as `${AWS::Region}`, ...) depends on parameters, other resources, other
//! stacks or the account, and is reported as [`Unresolved`], never guessed.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::pointer::JsonPointer;

/// The YAML short forms (`!Name`) and the keys of their long forms.
const SHORT_FORMS: [(&str, &str); 26] = [
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("FindInMap", "Fn::FindInMap"),
    ("ForEach", "Fn::ForEach"),
    ("GetAtt", "Fn::GetAtt"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Join", "Fn::Join"),
    ("Length", "Fn::Length"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Sub", "Fn::Sub"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Transform", "Fn::Transform"),
    ("And", "Fn::And"),
    ("Equals", "Fn::Equals"),
    ("If", "Fn::If"),
    ("Not", "Fn::Not"),
    ("Or", "Fn::Or"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
];

/// The short forms, for messages.
pub(crate) const SHORT_FORMS_LIST: &str = "!Ref, !GetAtt, !Sub, !Join, !Select, !Split, \
    !FindInMap, !If, !Equals, !Not, !And, !Or, !Condition, !Base64, !Cidr, !GetAZs, \
    !ImportValue, !Transform, !Length, !ToJsonString, !ForEach and the rule functions";

/// The long-form key of the short form `!name` (`Fn::Join` for `Join`), if CloudFormation has
/// it.
pub(crate) fn short_form(name: &str) -> Option<&'static str> {
    SHORT_FORMS
        .iter()
        .find(|(short, _)| *short == name)
        .map(|(_, long)| *long)
}

/// The function an intrinsic-function object calls: `Ref`, `Fn::*`, or `Condition` with a
/// string (a condition's name; a schema may have a property named `Condition`).
pub(crate) fn function_of(value: &Value) -> Option<&str> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    let (key, argument) = map.iter().next()?;
    let is_function =
        key == "Ref" || key.starts_with("Fn::") || (key == "Condition" && argument.is_string());
    is_function.then_some(key.as_str())
}

/// A value the harness cannot know before deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Unresolved {
    /// Where the intrinsic function is, in the file.
    pub pointer: JsonPointer,
    /// The function (`Ref`, `Fn::Sub`, ...).
    pub function: String,
    /// Why its value is not known, e.g. "`${Env}` is the template parameter `Env`, given at
    /// deploy time".
    pub reason: String,
}

/// What resolution may read from the template.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scope<'a> {
    /// `Parameters`, to say that a `Ref` names one.
    pub(crate) parameters: Option<&'a Map<String, Value>>,
    /// `Resources`, to say that a `Ref` or `Fn::GetAtt` names one.
    pub(crate) resources: Option<&'a Map<String, Value>>,
    /// `Mappings`, which `Fn::FindInMap` reads.
    pub(crate) mappings: Option<&'a Map<String, Value>>,
}

impl<'a> Scope<'a> {
    /// The scope of a template (an object with `Parameters`, `Resources`, `Mappings`).
    pub(crate) fn of(template: &'a Value) -> Scope<'a> {
        let section = |name: &str| template.get(name).and_then(Value::as_object);
        Scope {
            parameters: section("Parameters"),
            resources: section("Resources"),
            mappings: section("Mappings"),
        }
    }

    /// `value` (at `pointer` in the file) with every intrinsic function resolved, or the first
    /// one whose value is not certain. Depth is bounded: the template was checked against
    /// [`MAX_DEPTH`](super::MAX_DEPTH) before.
    pub(crate) fn resolve(
        &self,
        value: &Value,
        pointer: &JsonPointer,
    ) -> Result<Value, Unresolved> {
        if let Some(function) = function_of(value) {
            let argument = value.get(function).unwrap_or(&Value::Null);
            let at = pointer.key(function);
            return self
                .call(function, argument, &at)
                .map_err(|reason| match reason {
                    Failure::Inner(unresolved) => unresolved,
                    Failure::Here(reason) => Unresolved {
                        pointer: pointer.clone(),
                        function: function.to_owned(),
                        reason,
                    },
                });
        }
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.resolve(item, &pointer.index(i)))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (key, item) in map {
                    out.insert(key.clone(), self.resolve(item, &pointer.key(key))?);
                }
                Ok(Value::Object(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// The value of `function` applied to `argument` (at `at`, the pointer of the argument).
    fn call(&self, function: &str, argument: &Value, at: &JsonPointer) -> Result<Value, Failure> {
        match function {
            "Fn::Join" => {
                let [delimiter, list] = self.arguments::<2>(function, argument, at)?;
                let delimiter = string(&delimiter, function, "the delimiter")?;
                let Value::Array(items) = list else {
                    return Err(Failure::Here(
                        "its second argument is not a list of strings".to_owned(),
                    ));
                };
                let parts = items
                    .iter()
                    .map(|item| string(item, function, "each item"))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::from(parts.join(&delimiter)))
            }
            "Fn::Select" => {
                let [index, list] = self.arguments::<2>(function, argument, at)?;
                let index = match &index {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.parse::<u64>().ok(),
                    _ => None,
                }
                .and_then(|i| usize::try_from(i).ok())
                .ok_or_else(|| Failure::Here("its index is not a whole number".to_owned()))?;
                match list {
                    Value::Array(items) => items.get(index).cloned().ok_or_else(|| {
                        Failure::Here(format!(
                            "index {index} is past the end of its list of {}",
                            items.len()
                        ))
                    }),
                    _ => Err(Failure::Here(
                        "its second argument is not a list".to_owned(),
                    )),
                }
            }
            "Fn::Split" => {
                let [delimiter, text] = self.arguments::<2>(function, argument, at)?;
                let delimiter = string(&delimiter, function, "the delimiter")?;
                let text = string(&text, function, "the text")?;
                if delimiter.is_empty() {
                    return Err(Failure::Here("its delimiter is empty".to_owned()));
                }
                Ok(Value::Array(
                    text.split(delimiter.as_str()).map(Value::from).collect(),
                ))
            }
            "Fn::Sub" => self.sub(argument, at),
            "Fn::FindInMap" => {
                let [map, top, second] = self.arguments::<3>(function, argument, at)?;
                let map = string(&map, function, "the map name")?;
                let top = string(&top, function, "the top-level key")?;
                let second = string(&second, function, "the second-level key")?;
                let found = self
                    .mappings
                    .and_then(|m| m.get(&map))
                    .and_then(|m| m.get(&top))
                    .and_then(|m| m.get(&second))
                    .ok_or_else(|| {
                        Failure::Here(format!(
                            "the template's `Mappings` has no `{map}` / `{top}` / `{second}`"
                        ))
                    })?;
                if function_of(found).is_some() {
                    return Err(Failure::Here(
                        "the mapped value is itself an intrinsic function".to_owned(),
                    ));
                }
                Ok(found.clone())
            }
            "Ref" => Err(Failure::Here(self.reference(argument))),
            other => Err(Failure::Here(unknowable(other))),
        }
    }

    /// The `N` arguments of `function`, each resolved.
    fn arguments<const N: usize>(
        &self,
        function: &str,
        argument: &Value,
        at: &JsonPointer,
    ) -> Result<[Value; N], Failure> {
        let argument = self.resolve(argument, at).map_err(Failure::Inner)?;
        match argument {
            Value::Array(items) if items.len() == N => items
                .try_into()
                .map_err(|_| Failure::Here(format!("`{function}` takes {N} arguments"))),
            _ => Err(Failure::Here(format!(
                "`{function}` takes a list of {N} arguments"
            ))),
        }
    }

    /// `Fn::Sub`: a string, or `[string, {name: value}]`.
    fn sub(&self, argument: &Value, at: &JsonPointer) -> Result<Value, Failure> {
        let (template, variables) = match argument {
            Value::String(text) => (text.clone(), Map::new()),
            Value::Array(items) if items.len() == 2 => {
                let text = self
                    .resolve(&items[0], &at.index(0))
                    .map_err(Failure::Inner)?;
                let text = string(&text, "Fn::Sub", "the text")?;
                // A variable whose value is unknown only matters if the text uses it.
                let Value::Object(map) = &items[1] else {
                    return Err(Failure::Here(
                        "its second argument is not a map of variables".to_owned(),
                    ));
                };
                (text, map.clone())
            }
            _ => {
                return Err(Failure::Here(
                    "`Fn::Sub` takes a string or a list of a string and a map".to_owned(),
                ));
            }
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(Failure::Here(
                    "a `${` in its text is never closed".to_owned(),
                ));
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let pointer = at.index(1).key(name);
                match variables.get(name) {
                    Some(value) => {
                        let value = self.resolve(value, &pointer).map_err(Failure::Inner)?;
                        out.push_str(&string(&value, "Fn::Sub", "each variable")?);
                    }
                    None => {
                        return Err(Failure::Here(format!(
                            "`${{{name}}}` is {}",
                            self.name(name)
                        )));
                    }
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(Value::from(out))
    }

    /// Why the value of `Ref` to `argument` is not known.
    fn reference(&self, argument: &Value) -> String {
        match argument {
            Value::String(name) => format!("it refers to {}", self.name(name)),
            _ => "its argument is not a name".to_owned(),
        }
    }

    /// What a name in `Ref` or `${...}` stands for.
    fn name(&self, name: &str) -> String {
        let (resource, attribute) = name.split_once('.').unwrap_or((name, ""));
        if name.starts_with("AWS::") {
            format!("the pseudo parameter `{name}`, known only at deploy time")
        } else if let Some(parameter) = self.parameters.and_then(|p| p.get(name)) {
            match parameter.get("Default") {
                Some(default) => format!(
                    "the template parameter `{name}`, given at deploy time (its default {} may \
                     be overridden)",
                    default
                ),
                None => format!("the template parameter `{name}`, given at deploy time"),
            }
        } else if self.resources.is_some_and(|r| r.contains_key(resource)) {
            if attribute.is_empty() {
                format!("the resource `{name}`, whose id is known only after deployment")
            } else {
                format!(
                    "the attribute `{attribute}` of the resource `{resource}`, known only after \
                     deployment"
                )
            }
        } else {
            format!("`{name}`, which the template does not declare")
        }
    }
}

/// Why resolving failed: inside an argument (already located), or at this function.
enum Failure {
    Inner(Unresolved),
    Here(String),
}

/// A resolved argument that must be a string (numbers are written as CloudFormation would).
fn string(value: &Value, function: &str, what: &str) -> Result<String, Failure> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Failure::Here(format!(
            "{what} of `{function}` is not a string"
        ))),
    }
}

/// Why a function that is never resolved has no value before deployment.
fn unknowable(function: &str) -> String {
    match function {
        "Fn::GetAtt" => "it reads an attribute of a resource, known only after deployment",
        "Fn::ImportValue" => "it reads another stack's export, known only at deploy time",
        "Fn::GetAZs" => "it lists the availability zones of the region it is deployed in",
        "Fn::If" => "it depends on a condition, decided by parameters at deploy time",
        "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
            "it is a condition, decided by parameters at deploy time"
        }
        "Fn::Transform" => "it runs a macro at deploy time",
        "Fn::Base64" | "Fn::Cidr" | "Fn::Length" | "Fn::ToJsonString" | "Fn::ForEach" => {
            "toolcontract does not evaluate it"
        }
        _ => "it is not a CloudFormation intrinsic function toolcontract knows",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Scope, function_of, short_form};
    use crate::pointer::JsonPointer;

    fn resolve(value: serde_json::Value) -> Result<serde_json::Value, String> {
        let template = json!({
            "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
            "Mappings": {"Names": {"prod": {"target": "orders"}}},
            "Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}
        });
        Scope::of(&template)
            .resolve(&value, &JsonPointer::root().key("v"))
            .map_err(|u| format!("{} {} {}", u.pointer, u.function, u.reason))
    }

    #[test]
    fn short_forms_map_to_long_forms() {
        assert_eq!(short_form("Ref"), Some("Ref"));
        assert_eq!(short_form("GetAtt"), Some("Fn::GetAtt"));
        assert_eq!(short_form("Foo"), None);
        assert_eq!(function_of(&json!({"Fn::Sub": "x"})), Some("Fn::Sub"));
        assert_eq!(function_of(&json!({"Condition": {"Type": "string"}})), None);
        assert_eq!(function_of(&json!({"Ref": "x", "other": 1})), None);
    }

    #[test]
    fn literals_resolve() {
        assert_eq!(
            resolve(json!({"Fn::Join": ["-", ["a", {"Fn::Sub": "b"}]]})),
            Ok(json!("a-b"))
        );
        assert_eq!(
            resolve(json!({"Fn::Sub": "cost ${!Total} of ${x}"})).unwrap_err(),
            "/v Fn::Sub `${x}` is `x`, which the template does not declare"
        );
        assert_eq!(
            resolve(json!({"Fn::Sub": "${!Literal} text"})),
            Ok(json!("${Literal} text"))
        );
        assert_eq!(
            resolve(
                json!({"Fn::Sub": ["${A}-${B}", {"A": "x", "B": {"Fn::Join": ["", ["y", "z"]]}}]})
            ),
            Ok(json!("x-yz"))
        );
        assert_eq!(
            resolve(json!({"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]})),
            Ok(json!("b"))
        );
        assert_eq!(
            resolve(json!({"Fn::FindInMap": ["Names", "prod", "target"]})),
            Ok(json!("orders"))
        );
        assert_eq!(
            resolve(json!({"a": [1, {"b": null}]})),
            Ok(json!({"a": [1, {"b": null}]}))
        );
    }

    #[test]
    fn what_depends_on_the_deployment_is_unresolved_with_its_pointer() {
        assert_eq!(
            resolve(json!({"Ref": "Env"})).unwrap_err(),
            "/v Ref it refers to the template parameter `Env`, given at deploy time (its \
             default \"dev\" may be overridden)"
        );
        assert_eq!(
            resolve(json!({"Fn::Sub": "${AWS::Region}-x"})).unwrap_err(),
            "/v Fn::Sub `${AWS::Region}` is the pseudo parameter `AWS::Region`, known only at \
             deploy time"
        );
        assert_eq!(
            resolve(json!({"Fn::Join": ["", ["a", {"Fn::GetAtt": ["Fn", "Arn"]}]]})).unwrap_err(),
            "/v/Fn::Join/1/1 Fn::GetAtt it reads an attribute of a resource, known only after \
             deployment"
        );
        assert_eq!(
            resolve(json!({"Fn::Sub": "${Fn.Arn}"})).unwrap_err(),
            "/v Fn::Sub `${Fn.Arn}` is the attribute `Arn` of the resource `Fn`, known only \
             after deployment"
        );
        assert!(
            resolve(json!({"Fn::If": ["C", "a", "b"]}))
                .unwrap_err()
                .starts_with("/v Fn::If it depends on a condition")
        );
        assert!(
            resolve(json!({"Fn::Select": [5, ["a"]]}))
                .unwrap_err()
                .contains("past the end")
        );
    }
}
