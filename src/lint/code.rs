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
    /// `gateway-create-target-request` or `mcp-tools-list`; for action groups
    /// `agents-create-action-group-request` or `agents-openapi-document`): a required member is
    /// missing, a member has the wrong type, a value is out of its documented range or set, or
    /// a union holds other than one member. Error: the botocore model (or the Bedrock user
    /// guide, for OpenAPI documents) types these members, and the service (or the SDK, before
    /// sending) refuses the request.
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
    /// Action groups: an action group, function or parameter name that does not match
    /// `([0-9a-zA-Z][_-]?){1,100}`. Error: the pattern is the botocore model's (shape Name), so
    /// the service rejects other names.
    InvalidName,
    /// Action groups: `description`, `apiSchema` or `actionGroupExecutor` set together with
    /// `parentActionGroupSignature`. Error: the CreateAgentActionGroup documentation says these
    /// fields must be left blank for such a group.
    SignatureConflict,
    /// Action groups: more functions or API operations than the documented limit of 11 per
    /// action group. Warning: the service enforces it as an adjustable quota ("Validation failed
    /// for quota ...", aws-samples/amazon-bedrock-agents-healthcare-lifesciences#119), so an
    /// account may have it raised.
    TooManyActions,
    /// Action groups: a function with more parameters than the documented limit of 5. Warning:
    /// an adjustable quota the service enforces at CreateAgentActionGroup ("Validation failed
    /// for quota parameters-per-function. The maximum number of resources is 5",
    /// aws-samples/amazon-bedrock-agents-healthcare-lifesciences#119); an account may have it
    /// raised.
    TooManyParameters,
    /// Action groups: an `openapi` version other than 3.0.x. Error: the Bedrock user guide
    /// documents 3.0.0; 3.1 is rejected.
    UnsupportedOpenApiVersion,
    /// Action groups: an OpenAPI operation without `operationId`, `description` or
    /// `responses`. Error: the Bedrock user guide's schema format requires all three on every
    /// operation.
    IncompleteOperation,
    /// Action groups: an `operationId` with characters other than letters, digits, `-` and `_`.
    /// Error: the Bedrock user guide restricts operationIds to those.
    InvalidOperationId,
    /// Action groups: a `requestBody` on a GET or DELETE operation. Error: Bedrock Agents
    /// reject it.
    RequestBodyNotAllowed,
    /// Action groups: `enum` in an OpenAPI schema. Warning: the Bedrock user guide lists it as
    /// not supported (describe allowed values in the description instead); it is not
    /// documented as rejected, but the model is not held to the values, so the handler must
    /// check them.
    EnumUnsupported,
    /// Action groups: `<httpVerb>__<actionGroupName>__<operationId>` is longer than 64
    /// characters or has characters outside `[a-zA-Z0-9_-]`. Warning: only some models limit
    /// tool names to `^[a-zA-Z0-9_-]{1,64}$`.
    ToolNameTooLong,
    /// Action groups: the executor is `customControl: RETURN_CONTROL`, so the agent returns
    /// the elicited parameters to the application and never invokes a Lambda. Warning: valid
    /// for the service, but `check` would test a Lambda the agent never calls.
    ReturnControl,
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
        LintCode::InvalidName,
        LintCode::SignatureConflict,
        LintCode::TooManyActions,
        LintCode::TooManyParameters,
        LintCode::UnsupportedOpenApiVersion,
        LintCode::IncompleteOperation,
        LintCode::InvalidOperationId,
        LintCode::RequestBodyNotAllowed,
        LintCode::EnumUnsupported,
        LintCode::ToolNameTooLong,
        LintCode::ReturnControl,
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
            LintCode::InvalidName => "invalid_name",
            LintCode::SignatureConflict => "signature_conflict",
            LintCode::TooManyActions => "too_many_actions",
            LintCode::TooManyParameters => "too_many_parameters",
            LintCode::UnsupportedOpenApiVersion => "unsupported_openapi_version",
            LintCode::IncompleteOperation => "incomplete_operation",
            LintCode::InvalidOperationId => "invalid_operation_id",
            LintCode::RequestBodyNotAllowed => "request_body_not_allowed",
            LintCode::EnumUnsupported => "enum_unsupported",
            LintCode::ToolNameTooLong => "tool_name_too_long",
            LintCode::ReturnControl => "return_control",
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
            | LintCode::InvalidTargetName
            | LintCode::InvalidName
            | LintCode::SignatureConflict
            | LintCode::UnsupportedOpenApiVersion
            | LintCode::IncompleteOperation
            | LintCode::InvalidOperationId
            | LintCode::RequestBodyNotAllowed => Severity::Error,
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
            | LintCode::GeneratorNote
            | LintCode::TooManyActions
            | LintCode::TooManyParameters
            | LintCode::EnumUnsupported
            | LintCode::ToolNameTooLong
            | LintCode::ReturnControl => Severity::Warning,
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
