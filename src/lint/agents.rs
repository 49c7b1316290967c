//! Linting Bedrock Agents action groups.
//!
//! The request is checked against `agents-create-action-group-request` and the OpenAPI document
//! against `agents-openapi-document` (each error with the lint code its contract names through
//! `x-lint-code`, else `contract_violation`); the rules no schema can express are here: the
//! 11-action and 5-parameter quotas, the 64-character tool names some models need, `enum` in
//! what parameters and request bodies reach, a name the caller gave, and a group that returns
//! control instead of invoking a Lambda.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::{Value, json};

use super::contract::{annotated_code, compact, instance_pointer, render};
use super::{Diagnostic, LintCode};
use crate::contracts::Contract;
use crate::definition::{ActionTarget, Definition, DefinitionKind};
use crate::pointer::JsonPointer;

/// Documented limit: functions or API operations per action group (an adjustable quota).
pub const MAX_ACTIONS_PER_GROUP: usize = 11;
/// Documented limit: parameters per function (an adjustable quota).
pub const MAX_PARAMETERS_PER_FUNCTION: usize = 5;
/// Some models limit tool names (`<httpVerb>__<actionGroupName>__<operationId>`) to this many
/// characters of `[a-zA-Z0-9_-]`.
pub const MAX_MODEL_TOOL_NAME_CHARS: usize = 64;

/// Every action-group rule.
pub(super) fn lint(definition: &Definition, out: &mut Vec<Diagnostic>) {
    let Some(group) = &definition.action_group else {
        return;
    };
    if definition.kind == DefinitionKind::OpenApi {
        caller_name(&group.name, out);
    } else {
        apply(
            Contract::AgentsCreateActionGroupRequest,
            &definition.document,
            &JsonPointer::root(),
            definition.kind,
            out,
        );
    }
    if let Some(openapi) = &group.openapi {
        apply(
            Contract::AgentsOpenApiDocument,
            &openapi.document,
            &openapi.pointer,
            definition.kind,
            out,
        );
    }
    quotas(definition, out);
    model_tool_names(definition, &group.name, out);
    if definition.kind.is_openapi() {
        enums(definition, out);
    }
    if definition
        .document
        .pointer("/actionGroupExecutor/customControl")
        == Some(&json!("RETURN_CONTROL"))
    {
        out.push(Diagnostic::new(
            LintCode::ReturnControl,
            JsonPointer::root()
                .key("actionGroupExecutor")
                .key("customControl"),
            "the agent returns control to the application (RETURN_CONTROL) instead of \
             invoking a Lambda function: `check` would test a handler the agent never calls",
        ));
    }
}

/// Applies `contract` to `instance`, which sits at `base` in the file.
fn apply(
    contract: Contract,
    instance: &Value,
    base: &JsonPointer,
    kind: DefinitionKind,
    out: &mut Vec<Diagnostic>,
) {
    for error in contract.validator().iter_errors(instance) {
        let relative = instance_pointer(&error);
        match error.kind() {
            // `propertyNames` wraps the error of the name itself: judge that one, at the name.
            ValidationErrorKind::PropertyNames { error: inner } => {
                let relative = match inner.instance().as_str() {
                    Some(name) => relative.key(name),
                    None => relative,
                };
                push(inner, relative, base, contract, kind, out);
            }
            _ => push(&error, relative, base, contract, kind, out),
        }
    }
}

fn push(
    error: &ValidationError<'_>,
    relative: JsonPointer,
    base: &JsonPointer,
    contract: Contract,
    kind: DefinitionKind,
    out: &mut Vec<Diagnostic>,
) {
    let code = annotated_code(error).unwrap_or(LintCode::ContractViolation);
    out.push(Diagnostic::new(
        code,
        base.join(&relative),
        message(code, error, &relative, contract, kind),
    ));
}

fn message(
    code: LintCode,
    error: &ValidationError<'_>,
    relative: &JsonPointer,
    contract: Contract,
    kind: DefinitionKind,
) -> String {
    let member = relative.tokens().last().unwrap_or_default();
    match code {
        LintCode::InvalidName => name_message(error.instance()),
        LintCode::SignatureConflict => format!(
            "`{member}` must be left out when `parentActionGroupSignature` is set: a built-in \
             action group has no description, API schema or executor"
        ),
        LintCode::UnsupportedOpenApiVersion => format!(
            "`openapi` is {}; Bedrock Agents accept OpenAPI 3.0.x (3.1 is rejected)",
            compact(error.instance())
        ),
        LintCode::IncompleteOperation => match error.kind() {
            ValidationErrorKind::Required { property } => format!(
                "the operation has no `{}`; Bedrock Agents require `operationId`, \
                 `description` and `responses` on every operation",
                property.as_str().unwrap_or_default()
            ),
            _ => format!("{} (contract {})", render(error, kind), contract.name()),
        },
        LintCode::InvalidOperationId => format!(
            "operationId {} has characters other than letters, digits, `-` and `_`",
            compact(error.instance())
        ),
        LintCode::RequestBodyNotAllowed => {
            let tokens: Vec<String> = relative.tokens().collect();
            let method = tokens
                .len()
                .checked_sub(2)
                .map(|i| tokens[i].to_ascii_uppercase())
                .unwrap_or_default();
            format!(
                "a {method} operation cannot have a requestBody in a Bedrock Agents action group"
            )
        }
        _ => format!("{} (contract {})", render(error, kind), contract.name()),
    }
}

/// Why `name` is not a valid name; the pattern is read from the contract.
fn name_message(name: &Value) -> String {
    let pattern = Contract::AgentsCreateActionGroupRequest
        .schema()
        .pointer("/$defs/name/pattern")
        .and_then(Value::as_str)
        .unwrap_or_default();
    format!(
        "name {} does not match {pattern}: expected 1 to 100 letters or digits, each \
         optionally followed by one `_` or `-`",
        compact(name)
    )
}

/// The name the caller gave a bare OpenAPI document, checked as `actionGroupName`.
fn caller_name(name: &str, out: &mut Vec<Diagnostic>) {
    let request = json!({ "actionGroupName": name });
    let invalid = Contract::AgentsCreateActionGroupRequest
        .validator()
        .iter_errors(&request)
        .any(|e| e.instance_path().as_str() == "/actionGroupName");
    if invalid {
        out.push(Diagnostic::new(
            LintCode::InvalidName,
            JsonPointer::root(),
            format!(
                "the action group name given for this document: {}",
                name_message(&Value::from(name))
            ),
        ));
    }
}

/// The 11-action and 5-parameter quotas.
fn quotas(definition: &Definition, out: &mut Vec<Diagnostic>) {
    let count = definition.tools.len();
    if count > MAX_ACTIONS_PER_GROUP {
        let what = if definition.kind.is_openapi() {
            "API operations"
        } else {
            "functions"
        };
        out.push(Diagnostic::new(
            LintCode::TooManyActions,
            definition.tools_pointer.clone(),
            format!(
                "{count} {what}; an action group holds at most {MAX_ACTIONS_PER_GROUP} by default \
                 (an adjustable quota): split them over several action groups or have the quota \
                 raised"
            ),
        ));
    }
    for tool in &definition.tools {
        let Some(ActionTarget::Function(function)) = tool.action.as_ref().map(|a| &a.target) else {
            continue;
        };
        let count = function.parameters.len();
        if count > MAX_PARAMETERS_PER_FUNCTION {
            out.push(Diagnostic::new(
                LintCode::TooManyParameters,
                tool.pointer.key("parameters"),
                format!(
                    "function `{}` has {count} parameters; the service refuses more than \
                     {MAX_PARAMETERS_PER_FUNCTION} by default (\"Validation failed for quota \
                     parameters-per-function\", an adjustable quota): split the function or \
                     have the quota raised",
                    function.function
                ),
            ));
        }
    }
}

/// `enum` in the schemas an operation's parameters and request body reach (through the derived
/// input schema, so a component used only by responses is not reported).
fn enums(definition: &Definition, out: &mut Vec<Diagnostic>) {
    for tool in &definition.tools {
        let Some(action) = &tool.action else { continue };
        let mut stack = vec![(&tool.input_schema, JsonPointer::root(), 0usize)];
        while let Some((schema, at, depth)) = stack.pop() {
            let Value::Object(map) = schema else { continue };
            if depth > crate::definition::MAX_DEPTH {
                continue;
            }
            if map.contains_key("enum")
                && let Some(pointer) = action.pointer_in_file(&at.key("enum"))
            {
                out.push(Diagnostic::new(
                    LintCode::EnumUnsupported,
                    pointer,
                    "Bedrock Agents do not support `enum`: the model is not held to these values, \
                     so describe them in `description` and check them in the handler",
                ));
            }
            for key in ["properties", "patternProperties", "$defs"] {
                if let Some(Value::Object(children)) = map.get(key) {
                    for (name, child) in children {
                        stack.push((child, at.key(key).key(name), depth + 1));
                    }
                }
            }
            for key in ["items", "additionalProperties", "not"] {
                if let Some(child) = map.get(key) {
                    stack.push((child, at.key(key), depth + 1));
                }
            }
            for key in ["allOf", "anyOf", "oneOf"] {
                if let Some(Value::Array(children)) = map.get(key) {
                    for (i, child) in children.iter().enumerate() {
                        stack.push((child, at.key(key).index(i), depth + 1));
                    }
                }
            }
        }
    }
}

/// `<httpVerb>__<actionGroupName>__<operationId>` within what some models accept.
fn model_tool_names(definition: &Definition, group: &str, out: &mut Vec<Diagnostic>) {
    for tool in &definition.tools {
        let Some(ActionTarget::Operation(operation)) = tool.action.as_ref().map(|a| &a.target)
        else {
            continue;
        };
        let Some(operation_id) = &operation.operation_id else {
            continue;
        };
        let name = format!(
            "{}__{group}__{operation_id}",
            operation.http_method.to_ascii_lowercase()
        );
        let chars = name.chars().count();
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if chars > MAX_MODEL_TOOL_NAME_CHARS || !name.chars().all(allowed) {
            out.push(Diagnostic::new(
                LintCode::ToolNameTooLong,
                tool.pointer.key("operationId"),
                format!(
                    "the model sees this operation as `{name}` ({chars} characters); some \
                     models accept only ^[a-zA-Z0-9_-]{{1,{MAX_MODEL_TOOL_NAME_CHARS}}}$: \
                     shorten the operationId or the action group name"
                ),
            ));
        }
    }
}
