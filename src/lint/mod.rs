//! Linting definitions: what the service would reject (errors) and what it may drop or refuse
//! (warnings), each with a JSON Pointer into the file.
//!
//! The rules that a schema can express live in `contracts/` and are applied through the compiled
//! contract validators: the form's own contract (`gateway-tool-definitions`,
//! `gateway-create-target-request`, `mcp-tools-list`) gives errors; the strict
//! `gateway-schema-definition` gives one warning per keyword outside the Gateway's subset. Rules
//! no schema can express (quotas, name recommendations, `required` names that `properties` does
//! not declare) are in the `rules` module. Every diagnostic's code has a fixed severity, documented on
//! [`LintCode`]. Bedrock Agents action groups have their own contracts and rules (`agents`
//! module).

mod agents;
mod code;
mod contract;
mod rules;
mod size;

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

pub use self::agents::{
    MAX_ACTIONS_PER_GROUP, MAX_MODEL_TOOL_NAME_CHARS, MAX_PARAMETERS_PER_FUNCTION,
};
pub use self::code::LintCode;
pub use self::rules::{
    MAX_INLINE_PAYLOAD_BYTES, MAX_TOOL_NAME_CHARS, MAX_TOOLS_PER_TARGET, MCP_TOOL_NAME_MAX_CHARS,
};
pub use self::size::{MAX_REQUEST_BYTES, smallest_value_size};
use crate::definition::{Definition, DefinitionKind};
use crate::pointer::JsonPointer;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// The service would reject the definition.
    Error,
    /// The service may reject it or drop part of it, or a quota or recommendation is exceeded.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding of the linter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Error or warning (always `code.severity()`).
    pub severity: Severity,
    /// What rule it is.
    pub code: LintCode,
    /// Where in the file (in the file's own casing).
    pub pointer: JsonPointer,
    /// What was found and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with `code`'s severity.
    pub fn new(code: LintCode, pointer: JsonPointer, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            code,
            pointer,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] at {}: {}",
            self.severity.as_str(),
            self.code.as_str(),
            self.pointer,
            self.message
        )
    }
}

/// Lints a loaded definition. The diagnostics are sorted by pointer (array indices
/// numerically, so in document order for lists), then errors before warnings, then code and
/// message; exact duplicates are removed. Pointers are into the file (for a definition from a
/// template, into the template).
pub fn lint(definition: &Definition) -> Vec<Diagnostic> {
    if definition.kind.is_interceptor() {
        return inline_targets(definition, lint);
    }
    in_file(definition, lint_document(definition))
}

/// An interceptor definition's configuration is checked when it is loaded; what is left to
/// lint is its targets. The diagnostics of the targets given inline, at their place in this
/// file; a target in a file of its own is linted as that file
/// ([`InterceptedTarget::definition`](crate::definition::InterceptedTarget)).
fn inline_targets(
    definition: &Definition,
    lint: fn(&Definition) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for target in definition.interceptor.iter().flat_map(|d| &d.targets) {
        if target.base.is_root() {
            continue;
        }
        out.extend(lint(&target.definition).into_iter().map(|mut d| {
            d.pointer = target.base.join(&d.pointer);
            d
        }));
    }
    out.sort_by(compare);
    out
}

/// The rules apply to [`Definition::document`], and say where in it.
fn lint_document(definition: &Definition) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if definition.kind.is_action_group() {
        agents::lint(definition, &mut out);
        out.sort_by(compare);
        out.dedup();
        return out;
    }
    contract::form_contract(definition, &mut out);
    rules::unknown_tool_members(definition, &mut out);
    for tool in &definition.tools {
        contract::schema_subset(definition, tool, &mut out);
        rules::required_in_properties(definition, tool, &mut out);
        rules::tool_name(definition, tool, &mut out);
    }
    rules::quotas(definition, &mut out);
    rules::target_name(definition, &mut out);
    out.sort_by(compare);
    out.dedup();
    out
}

/// Why no event of `tool` could be sent: the smallest arguments its input schema allows are
/// larger than Lambda's request limit ([`MAX_REQUEST_BYTES`]).
pub fn event_too_large(tool: &crate::definition::Tool) -> Option<String> {
    let size = smallest_value_size(&tool.input_schema);
    (size > MAX_REQUEST_BYTES).then(|| {
        format!(
            "every valid argument value of tool `{}` is at least {size} bytes of JSON, over \
             Lambda's request limit of {MAX_REQUEST_BYTES} bytes (6 MB): no event could be sent",
            tool.name
        )
    })
}

/// [`lint`], plus what `check` needs: a `not_generatable` warning for every input schema
/// toolcontract cannot generate arguments for, and a `generator_note` for what the generator
/// treats specially. Sorted like [`lint`].
pub fn lint_for_check(definition: &Definition) -> Vec<Diagnostic> {
    if definition.kind.is_interceptor() {
        return inline_targets(definition, lint_for_check);
    }
    let mut out = lint_document(definition);
    for tool in &definition.tools {
        let base = tool.input_schema_pointer();
        match crate::generate::SchemaGenerator::new(&tool.input_schema) {
            Err(error) => out.push(Diagnostic::new(
                LintCode::NotGeneratable,
                file_pointer(definition, &base, &error.pointer),
                format!(
                    "toolcontract cannot generate arguments for tool `{}`: {}; `check` will \
                     refuse it",
                    tool.name, error.kind
                ),
            )),
            Ok(generator) => {
                if let Some(message) = event_too_large(tool) {
                    out.push(Diagnostic::new(
                        LintCode::NotGeneratable,
                        base.clone(),
                        format!("{message}; `check` will refuse it"),
                    ));
                }
                if let Some(reason) = crate::definition::action_group::unsupported_tool(tool) {
                    out.push(Diagnostic::new(
                        LintCode::NotGeneratable,
                        tool.pointer.clone(),
                        format!("{reason}; `check` will refuse it"),
                    ));
                }
                for warning in generator.warnings() {
                    out.push(Diagnostic::new(
                        LintCode::GeneratorNote,
                        file_pointer(definition, &base, &warning.pointer),
                        warning.message.clone(),
                    ));
                }
            }
        }
    }
    out.sort_by(compare);
    out.dedup();
    in_file(definition, out)
}

/// Diagnostics about [`Definition::document`], with their pointers into the file.
fn in_file(definition: &Definition, mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if definition.resource.is_some() {
        for diagnostic in &mut out {
            diagnostic.pointer = definition.in_file(&diagnostic.pointer);
        }
        out.sort_by(compare);
    }
    out
}

fn compare(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    pointer_order(&a.pointer, &b.pointer)
        .then(a.severity.cmp(&b.severity))
        .then(a.code.cmp(&b.code))
        .then_with(|| a.message.cmp(&b.message))
}

/// Token by token; two numeric tokens compare as numbers (`/2` before `/10`).
fn pointer_order(a: &JsonPointer, b: &JsonPointer) -> Ordering {
    let mut left = a.tokens();
    let mut right = b.tokens();
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<usize>(), y.parse::<usize>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    _ => x.cmp(&y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// The place in [`Definition::document`] of `relative`, a pointer into the value at `base`.
fn file_pointer(
    definition: &Definition,
    base: &JsonPointer,
    relative: &JsonPointer,
) -> JsonPointer {
    definition.pointer_in_document(base, relative)
}

/// Whether the definition is what a Lambda target sends as its inline tool schema, so that the
/// per-target quotas (tool count, payload size, name length) apply. An MCP tools/list result is
/// what a server (or a whole Gateway) serves, not one target's payload.
fn is_target_payload(kind: DefinitionKind) -> bool {
    matches!(
        kind,
        DefinitionKind::GatewayInlinePayload
            | DefinitionKind::CloudFormationInlinePayload
            | DefinitionKind::CreateGatewayTarget
    )
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::{LintCode, pointer_order};
    use crate::pointer::JsonPointer;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut names: Vec<&str> = LintCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), LintCode::ALL.len());
        for code in LintCode::ALL {
            assert_eq!(LintCode::from_name(code.as_str()), Some(*code));
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
            );
        }
    }

    #[test]
    fn pointers_order_indices_numerically() {
        let p = |s: &str| JsonPointer::parse(s).unwrap();
        assert_eq!(pointer_order(&p("/2/name"), &p("/10")), Ordering::Less);
        assert_eq!(pointer_order(&p("/1"), &p("/1/name")), Ordering::Less);
        assert_eq!(pointer_order(&p("/a"), &p("/b")), Ordering::Less);
        assert_eq!(pointer_order(&p(""), &p("")), Ordering::Equal);
    }
}
