//! Lint codes: stable snake_case identifiers users put in CI configs, each with a fixed severity.

use std::fmt;

use serde::Serialize;

use super::Severity;

/// What a diagnostic is about. [`LintCode::as_str`] is the stable identifier; the severity is a
/// property of the code ([`LintCode::severity`]), decided from `contract-facts.md`:
/// errors for what the service is documented (or modelled) to reject, warnings for what it may
/// reject or drop, for adjustable quotas, and for recommendations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum LintCode {
    /// The document violates its form's contract (`gateway-tool-definitions`,
    /// `gateway-create-target-request` or `mcp-tools-list`): a required member is missing or a
    /// member has the wrong type. Error: the botocore model marks these members required/typed,
    /// and the service (or the SDK, before sending) refuses the request.
    ContractViolation,
    /// A tool's top-level `inputSchema`/`outputSchema` `type` is missing or not `object`.
    /// Error: the AgentCore developer guide requires `object` at the top level, and MCP
    /// restricts both schemas to `type: object` at the root.
    TopLevelTypeNotObject,
    /// The target name does not match `([0-9a-zA-Z][-]?){1,100}`. Error: the pattern is the
    /// botocore model's (shape TargetName), so the service rejects other names; it also keeps
    /// `<target>___<tool>` splittable at its first `___`.
    InvalidTargetName,
    /// A tool member other than `name`, `description`, `inputSchema`, `outputSchema` (e.g. MCP's
    /// `title` or `annotations`). Warning: ToolDefinition does not model it; whether the Gateway
    /// rejects or drops it is not confirmed.
    UnknownToolMember,
    /// A schema keyword outside the Gateway's SchemaDefinition subset (`enum`, `format`,
    /// `minimum`, `anyOf`, `$ref`, `additionalProperties`, `default`, ...). Warning: not
    /// confirmed whether the Gateway rejects or drops it; if dropped, the Gateway no longer
    /// enforces it, so the handler must.
    KeywordOutsideSubset,
    /// A nested schema without `type`. Warning: SchemaDefinition requires `type`; same
    /// uncertainty as for other subset rules.
    MissingType,
    /// `null` as a type, alone or in a type array. Warning: the subset has no null type.
    NullType,
    /// A `type` that is not one of string, number, object, array, boolean, integer (or a type
    /// array). Warning: outside the subset.
    UnsupportedType,
    /// A subset member with the wrong JSON type (`properties` not an object, `required` not a
    /// list of strings, `items` not a single schema, a schema that is not an object). Warning:
    /// outside the subset.
    MalformedSchemaDefinition,
    /// A name in `required` that `properties` does not declare. Warning: the schema is then
    /// unsatisfiable for callers who follow it, or the name is a typo; the service is not known
    /// to check it.
    RequiredNotInProperties,
    /// A tool name longer than the default quota (256 characters). Warning: the quota is an
    /// adjustable default, so an account may allow more.
    ToolNameOverQuota,
    /// A tool name outside the MCP recommendation: 1-128 characters of `[A-Za-z0-9_.-]`
    /// (also checked on `<target>___<tool>` when the target name is known, since that is the
    /// name MCP clients see). Warning: the specification says SHOULD.
    ToolNameNotRecommended,
    /// A tool name containing `___`, the Gateway's separator: usually a name copied from a
    /// Gateway's tools/list (`<target>___<tool>`). The Lambda then receives
    /// `<target>___<target>___<tool>`. Warning: legal, but almost always a mistake.
    CombinedToolName,
    /// More tools than the default quota per target (1,000). Warning: adjustable quota.
    TooManyTools,
    /// An inline payload larger than the default quota (1 MB). Warning: adjustable quota; the
    /// linter counts 1 MB as 1,000,000 bytes of compact JSON, the stricter reading.
    InlinePayloadTooLarge,
    /// toolcontract's own limit, not the service's: `check` cannot generate arguments for this
    /// input schema (an unsupported keyword, an unsatisfiable schema), and will refuse the tool.
    /// Warning: the service may well accept the definition.
    NotGeneratable,
    /// toolcontract's own note, not the service's: something the generator treats specially
    /// (an unknown `format` used as an annotation, a remote `$ref` never generated).
    GeneratorNote,
}

impl LintCode {
    /// Every code, in a stable order.
    pub const ALL: &'static [LintCode] = &[
        LintCode::ContractViolation,
        LintCode::TopLevelTypeNotObject,
        LintCode::InvalidTargetName,
        LintCode::UnknownToolMember,
        LintCode::KeywordOutsideSubset,
        LintCode::MissingType,
        LintCode::NullType,
        LintCode::UnsupportedType,
        LintCode::MalformedSchemaDefinition,
        LintCode::RequiredNotInProperties,
        LintCode::ToolNameOverQuota,
        LintCode::ToolNameNotRecommended,
        LintCode::CombinedToolName,
        LintCode::TooManyTools,
        LintCode::InlinePayloadTooLarge,
        LintCode::NotGeneratable,
        LintCode::GeneratorNote,
    ];

    /// The stable snake_case identifier.
    pub const fn as_str(self) -> &'static str {
        match self {
            LintCode::ContractViolation => "contract_violation",
            LintCode::TopLevelTypeNotObject => "top_level_type_not_object",
            LintCode::InvalidTargetName => "invalid_target_name",
            LintCode::UnknownToolMember => "unknown_tool_member",
            LintCode::KeywordOutsideSubset => "keyword_outside_subset",
            LintCode::MissingType => "missing_type",
            LintCode::NullType => "null_type",
            LintCode::UnsupportedType => "unsupported_type",
            LintCode::MalformedSchemaDefinition => "malformed_schema_definition",
            LintCode::RequiredNotInProperties => "required_not_in_properties",
            LintCode::ToolNameOverQuota => "tool_name_over_quota",
            LintCode::ToolNameNotRecommended => "tool_name_not_recommended",
            LintCode::CombinedToolName => "combined_tool_name",
            LintCode::TooManyTools => "too_many_tools",
            LintCode::InlinePayloadTooLarge => "inline_payload_too_large",
            LintCode::NotGeneratable => "not_generatable",
            LintCode::GeneratorNote => "generator_note",
        }
    }

    /// The code with this identifier.
    pub fn from_name(name: &str) -> Option<LintCode> {
        LintCode::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// The severity of every diagnostic with this code (see each variant for why).
    pub const fn severity(self) -> Severity {
        match self {
            LintCode::ContractViolation
            | LintCode::TopLevelTypeNotObject
            | LintCode::InvalidTargetName => Severity::Error,
            LintCode::UnknownToolMember
            | LintCode::KeywordOutsideSubset
            | LintCode::MissingType
            | LintCode::NullType
            | LintCode::UnsupportedType
            | LintCode::MalformedSchemaDefinition
            | LintCode::RequiredNotInProperties
            | LintCode::ToolNameOverQuota
            | LintCode::ToolNameNotRecommended
            | LintCode::CombinedToolName
            | LintCode::TooManyTools
            | LintCode::InlinePayloadTooLarge
            | LintCode::NotGeneratable
            | LintCode::GeneratorNote => Severity::Warning,
        }
    }
}

impl fmt::Display for LintCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for LintCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
