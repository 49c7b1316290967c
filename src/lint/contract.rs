//! Applying the contracts in `contracts/` and turning each jsonschema error into a diagnostic
//! with its pointer in the file.
//!
//! A contract names the lint code of a subschema with the annotation `x-lint-code`; an error
//! takes the code of the schema holding the failing keyword, or [`LintCode::ContractViolation`].

use std::borrow::Cow;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::{Diagnostic, LintCode, file_pointer};
use crate::contracts::Contract;
use crate::definition::cloudformation;
use crate::definition::describe::{describe, type_name};
use crate::definition::{Definition, DefinitionKind, Tool};
use crate::pointer::JsonPointer;

/// The annotation that names a subschema's lint code.
const LINT_CODE_ANNOTATION: &str = "x-lint-code";
/// Longest message taken from jsonschema, in characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// Checks the definition against its form's contract: errors. A CreateGatewayTarget request or
/// an MCP tools/list result is checked whole; for the other forms only the list of tools is (the
/// rest of CloudFormation GatewayTarget properties, such as `LambdaArn`, is CloudFormation's to
/// check), converted to camelCase first when it is in CloudFormation casing.
pub(super) fn form_contract(definition: &Definition, out: &mut Vec<Diagnostic>) {
    let document = &definition.document;
    let (contract, instance, base): (Contract, Cow<'_, Value>, JsonPointer) = match definition.kind
    {
        DefinitionKind::CreateGatewayTarget => (
            Contract::GatewayCreateTargetRequest,
            Cow::Borrowed(document),
            JsonPointer::root(),
        ),
        DefinitionKind::McpToolsList => (
            Contract::McpToolsList,
            Cow::Borrowed(document),
            JsonPointer::root(),
        ),
        DefinitionKind::CloudFormationInlinePayload => {
            let Some(Value::Array(list)) = document.pointer(definition.tools_pointer.as_str())
            else {
                return;
            };
            let converted = list
                .iter()
                .map(|tool| match tool {
                    Value::Object(map) => cloudformation::convert_tool(map),
                    other => other.clone(),
                })
                .collect();
            (
                Contract::GatewayToolDefinitions,
                Cow::Owned(Value::Array(converted)),
                definition.tools_pointer.clone(),
            )
        }
        _ => {
            let Some(list) = document.pointer(definition.tools_pointer.as_str()) else {
                return;
            };
            (
                Contract::GatewayToolDefinitions,
                Cow::Borrowed(list),
                definition.tools_pointer.clone(),
            )
        }
    };
    for error in contract.validator().iter_errors(&instance) {
        let relative = instance_pointer(&error);
        let code = annotated_code(&error).unwrap_or(LintCode::ContractViolation);
        let message = match code {
            LintCode::TopLevelTypeNotObject => top_level_message(&error),
            LintCode::InvalidTargetName => target_name_message(error.instance()),
            _ => format!(
                "{} (contract {})",
                render(&error, definition.kind),
                contract.name()
            ),
        };
        out.push(Diagnostic::new(
            code,
            file_pointer(definition, &base, &relative),
            message,
        ));
    }
}

/// Checks each schema of `tool` against the Gateway's SchemaDefinition subset: warnings. The
/// top-level `type` is left to the form's contract, which reports it as an error.
pub(super) fn schema_subset(definition: &Definition, tool: &Tool, out: &mut Vec<Diagnostic>) {
    let schemas = [
        (Some(&tool.input_schema), tool.input_schema_pointer()),
        (tool.output_schema.as_ref(), tool.output_schema_pointer()),
    ];
    for (schema, base) in schemas {
        let Some(schema) = schema else { continue };
        for error in Contract::GatewaySchemaDefinition
            .validator()
            .iter_errors(schema)
        {
            if annotated_code(&error).is_some() {
                continue;
            }
            let relative = instance_pointer(&error);
            let at = |pointer: &JsonPointer| file_pointer(definition, &base, pointer);
            match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for keyword in unexpected {
                        out.push(Diagnostic::new(
                            LintCode::KeywordOutsideSubset,
                            at(&relative.key(keyword)),
                            format!(
                                "`{keyword}` is outside the Gateway's SchemaDefinition subset \
                                 ({}); the Gateway may reject or drop it",
                                subset_members().join(", ")
                            ),
                        ));
                    }
                }
                // At the top level, the form's contract reports the missing `type`.
                ValidationErrorKind::Required { .. } if relative.is_root() => {}
                ValidationErrorKind::Required { .. } => out.push(Diagnostic::new(
                    LintCode::MissingType,
                    at(&relative),
                    format!(
                        "this schema has no `type`; the Gateway's SchemaDefinition requires one \
                         of {}",
                        subset_types().join(", ")
                    ),
                )),
                ValidationErrorKind::Enum { .. } if relative.as_str() == "/type" => {}
                ValidationErrorKind::Enum { .. } => {
                    let found = error.instance();
                    let has_null = match found.as_ref() {
                        Value::Null => true,
                        Value::String(s) => s == "null",
                        Value::Array(types) => types.iter().any(|t| t == "null" || t.is_null()),
                        _ => false,
                    };
                    let (code, advice) = if has_null {
                        (
                            LintCode::NullType,
                            "the subset has no null type: declare the non-null type and leave \
                             the property out of `required`",
                        )
                    } else {
                        (
                            LintCode::UnsupportedType,
                            "the subset accepts exactly one type per schema",
                        )
                    };
                    out.push(Diagnostic::new(
                        code,
                        at(&relative),
                        format!(
                            "`type` is {}, expected one of {}; {advice}",
                            compact(found),
                            subset_types().join(", ")
                        ),
                    ));
                }
                _ => out.push(Diagnostic::new(
                    LintCode::MalformedSchemaDefinition,
                    at(&relative),
                    format!(
                        "{}; the Gateway's SchemaDefinition expects {}",
                        found_here(&relative, error.instance()),
                        expected(&error)
                    ),
                )),
            }
        }
    }
}

/// `value` as compact JSON, shortened to [`MAX_MESSAGE_CHARS`].
pub(super) fn compact(value: &Value) -> String {
    shorten(value.to_string())
}

fn shorten(text: String) -> String {
    if text.chars().count() > MAX_MESSAGE_CHARS {
        let mut short: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
        short.push_str("...");
        short
    } else {
        text
    }
}

/// The error's instance location as a [`JsonPointer`] (jsonschema escapes it as RFC 6901 does).
pub(super) fn instance_pointer(error: &ValidationError<'_>) -> JsonPointer {
    JsonPointer::parse(error.instance_path().as_str()).unwrap_or_default()
}

/// The `x-lint-code` of the schema that holds the failing keyword (the keyword location without
/// its last segment), if that schema has one. Only that schema: an annotation on `topLevelSchema`
/// names the code of its own `type`/`required` keywords, not of everything nested below it.
pub(super) fn annotated_code(error: &ValidationError<'_>) -> Option<LintCode> {
    let location = error.absolute_keyword_location()?;
    let (base, fragment) = location.as_str().split_once('#')?;
    let (holder, _keyword) = fragment.rsplit_once('/')?;
    Contract::from_id(base)?
        .schema()
        .pointer(holder)?
        .get(LINT_CODE_ANNOTATION)?
        .as_str()
        .and_then(LintCode::from_name)
}

fn top_level_message(error: &ValidationError<'_>) -> String {
    let found = match error.kind() {
        ValidationErrorKind::Required { .. } => "the schema has no `type`".to_owned(),
        _ => format!("found {}", describe(error.instance())),
    };
    format!("{found}; the top level of inputSchema and outputSchema must be `\"type\": \"object\"`")
}

/// Why `name` is not a target name; the pattern is read from the contract.
pub(super) fn target_name_message(name: &Value) -> String {
    let pattern = Contract::GatewayCreateTargetRequest
        .schema()
        .pointer("/$defs/targetName/pattern")
        .and_then(Value::as_str)
        .unwrap_or_default();
    format!(
        "target name {} does not match {pattern}: expected 1 to 100 letters or digits, each \
         optionally followed by one hyphen (no underscores, no leading hyphen)",
        compact(name)
    )
}

/// A jsonschema error in words: what was found, what was expected.
/// Member names are given in the file's casing.
pub(super) fn render(error: &ValidationError<'_>, kind: DefinitionKind) -> String {
    let text = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let member = property.as_str().unwrap_or_default();
            let member = match kind {
                DefinitionKind::CloudFormationInlinePayload => {
                    cloudformation::pascal(member).unwrap_or(member)
                }
                _ => member,
            };
            format!("`{member}` is missing")
        }
        ValidationErrorKind::Type { .. } => {
            format!(
                "expected {}, found {}",
                expected(error),
                describe(error.instance())
            )
        }
        ValidationErrorKind::MaxProperties { .. } | ValidationErrorKind::MinProperties { .. } => {
            format!(
                "this union must hold exactly one member, found {}",
                describe(error.instance())
            )
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|k| format!("`{k}`")).collect();
            format!("unexpected member(s) {}", names.join(", "))
        }
        _ => error.to_string(),
    };
    shorten(text)
}

/// What the failing keyword expected, in words.
fn expected(error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::Type {
            kind: TypeKind::Single(t),
        } => with_article(&t.to_string()),
        ValidationErrorKind::Type {
            kind: TypeKind::Multiple(types),
        } => {
            let names: Vec<String> = types.iter().map(|t| with_article(&t.to_string())).collect();
            names.join(" or ")
        }
        _ => error.masked().to_string(),
    }
}

fn with_article(type_name: &str) -> String {
    match type_name {
        "array" | "object" | "integer" => format!("an {type_name}"),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    }
}

/// "`items` is an array" / "found a boolean" for a value at `relative` in a schema.
fn found_here(relative: &JsonPointer, value: &Value) -> String {
    let tokens: Vec<String> = relative.tokens().collect();
    match tokens.as_slice() {
        [.., parent, index] if index.parse::<usize>().is_ok() => {
            format!("item {index} of `{parent}` is {}", type_name(value))
        }
        [.., member] => format!("`{member}` is {}", type_name(value)),
        [] => format!("found {}", type_name(value)),
    }
}

/// The SchemaDefinition members, read from the contract.
fn subset_members() -> Vec<&'static str> {
    Contract::GatewaySchemaDefinition
        .schema()
        .pointer("/$defs/schemaDefinition/properties")
        .and_then(Value::as_object)
        .map(|members| members.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The SchemaDefinition types, read from the contract.
fn subset_types() -> Vec<&'static str> {
    Contract::GatewaySchemaDefinition
        .schema()
        .pointer("/$defs/schemaDefinition/properties/type/enum")
        .and_then(Value::as_array)
        .map(|types| types.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}
