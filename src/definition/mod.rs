//! Definitions: what the user deployed or will deploy, loaded from a file into [`Tool`]s.
//!
//! Accepted forms (detected from the document's shape, see [`DefinitionKind`]):
//! - a Gateway `inlinePayload` list: `[{"name", "description", "inputSchema", "outputSchema"?}]`,
//!   bare or wrapped as `{"inlinePayload": [...]}` or `{"toolSchema": {"inlinePayload": [...]}}`;
//! - a `CreateGatewayTarget` request holding
//!   `targetConfiguration.mcp.lambda.toolSchema.inlinePayload`;
//! - the same list in CloudFormation/CDK casing (`Name`, `InputSchema`, `Type`, `Properties`),
//!   bare or inside `AWS::BedrockAgentCore::GatewayTarget` properties (`TargetConfiguration`);
//! - an MCP `tools/list` result, `{"tools": [...]}`;
//! - a Bedrock Agents `create_agent_action_group` request, with `functionSchema` or with
//!   `apiSchema.payload` holding an OpenAPI 3.0 document as JSON or YAML text;
//! - a bare OpenAPI document, JSON or YAML ([`Definition::from_openapi_path`]: the action group
//!   name comes from the caller);
//! - a Gateway interceptor definition: a CreateGateway request's `interceptorConfigurations`
//!   beside a `targets` map naming each target's tool definition (see [`interceptor`]);
//! - a CloudFormation or SAM template (JSON or YAML, short-form tags such as `!Ref` included)
//!   or CDK synth output (a `*.template.json`, or a `cdk.out` directory of them): one
//!   `AWS::BedrockAgentCore::GatewayTarget` or `AWS::Bedrock::Agent` action group of it, picked
//!   by a [`Selection`] ([`Definition::from_path_selecting`]) or alone. Intrinsic functions are
//!   resolved only when their value is certain; see the `template` and `intrinsics` modules.
//!
//! Loading never panics: malformed JSON, an unknown form or a misplaced value is a
//! [`DefinitionError`] naming the file and the JSON Pointer. [`lint`](crate::lint) then says
//! what the service would reject or may drop.

pub mod action_group;
pub(crate) mod cloudformation;
pub(crate) mod describe;
mod error;
mod forms;
mod gateway;
pub mod interceptor;
mod intrinsics;
mod json;
pub mod names;
mod openapi;
mod template;
mod yaml;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

pub use self::action_group::{
    Action, ActionGroupDeclaration, ActionTarget, ApiOperation, ApiParameter, BodyProperty,
    FunctionAction, FunctionParameter, OpenApiDocument, RequestBody, TextFormat,
};
pub use self::error::{DefinitionError, DefinitionErrorKind};
pub use self::interceptor::{
    InterceptedTarget, InterceptionPoint, InterceptorConfiguration, InterceptorDeclaration,
};
pub use self::intrinsics::Unresolved;
pub use self::template::{AGENT, Candidate, GATEWAY_TARGET, Selection, TemplateResource};
use crate::pointer::JsonPointer;

/// How many levels of arrays and objects a definition document may nest. `serde_json` refuses
/// such text anyway (its recursion limit stops at 128 levels); the same limit applies to
/// documents handed over as values, so that nothing downstream recurses without bound.
pub const MAX_DEPTH: usize = 128;

/// The largest definition file read, in bytes (16 MiB; the service's own limits are far
/// smaller). Only regular files are read: a FIFO, a device or a directory is refused.
pub const MAX_DEFINITION_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a definition file: a regular file of at most [`MAX_DEFINITION_BYTES`].
fn read_definition(path: &Path) -> Result<String, DefinitionError> {
    crate::files::read_bounded(path, MAX_DEFINITION_BYTES).map_err(|e| {
        DefinitionError::new(
            path,
            JsonPointer::root(),
            DefinitionErrorKind::Io(e.to_string()),
        )
    })
}

/// Parses the JSON text of a definition (a leading BOM skipped, duplicate keys refused).
fn parse_json(source: &Path, text: &str, base: &JsonPointer) -> Result<Value, DefinitionError> {
    json::parse(text).map_err(|e| match e {
        json::JsonError::DuplicateKey {
            pointer,
            key,
            line,
            column,
        } => DefinitionError::new(
            source,
            base.join(&pointer),
            DefinitionErrorKind::DuplicateKey { key, line, column },
        ),
        json::JsonError::Syntax(e) => DefinitionError::new(
            source,
            base.clone(),
            DefinitionErrorKind::MalformedJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            },
        ),
    })
}

/// Why an OpenAPI document cannot be loaded as a plain definition.
const OPENAPI_NEEDS_A_NAME: &str = "this is an OpenAPI document: load it as an action group \
    with the name it is deployed under (`--action-group NAME`, or \
    `Definition::from_openapi_path(path, name)`), or pass the create_agent_action_group request \
    that holds it";

/// Whether `text` (not JSON) looks like an OpenAPI document in YAML.
fn looks_like_yaml_openapi(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("openapi:") || l.starts_with("swagger:"))
}

/// Which form a definition file had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DefinitionKind {
    /// A JSON array of Gateway `ToolDefinition`s (the `inlinePayload`), bare or wrapped as
    /// `{"inlinePayload": [...]}` or `{"toolSchema": {"inlinePayload": [...]}}`.
    GatewayInlinePayload,
    /// A `CreateGatewayTarget` request (`targetConfiguration.mcp.lambda.toolSchema`).
    CreateGatewayTarget,
    /// An `inlinePayload` in CloudFormation/CDK casing (`Name`, `InputSchema`, ...), bare or in
    /// `AWS::BedrockAgentCore::GatewayTarget` properties (`TargetConfiguration.Mcp.Lambda`).
    CloudFormationInlinePayload,
    /// An MCP `tools/list` result.
    McpToolsList,
    /// A Bedrock Agents `create_agent_action_group` request with `functionSchema`: one tool per
    /// function.
    ActionGroupFunctions,
    /// A Bedrock Agents `create_agent_action_group` request whose `apiSchema.payload` holds an
    /// OpenAPI document (JSON or YAML text): one tool per operation. Pointers into the document
    /// continue after `/apiSchema/payload`.
    #[serde(rename = "action_group_openapi")]
    ActionGroupOpenApi,
    /// A bare OpenAPI document (JSON or YAML) of an action group whose name the caller gave.
    #[serde(rename = "openapi")]
    OpenApi,
    /// A Gateway's interceptor configuration (`interceptorConfigurations`) with the targets
    /// whose tools its interceptors see called: one tool per target tool, named
    /// `<target>___<tool>`.
    GatewayInterceptors,
}

impl DefinitionKind {
    /// Whether the tools are served through an AgentCore Gateway Lambda target.
    pub fn is_gateway(self) -> bool {
        !self.is_action_group() && !self.is_interceptor()
    }

    /// Whether the definition is a Gateway's interceptor configuration.
    pub fn is_interceptor(self) -> bool {
        self == DefinitionKind::GatewayInterceptors
    }

    /// Whether the tools are the functions or operations of a Bedrock Agents action group.
    pub fn is_action_group(self) -> bool {
        matches!(
            self,
            DefinitionKind::ActionGroupFunctions
                | DefinitionKind::ActionGroupOpenApi
                | DefinitionKind::OpenApi
        )
    }

    /// Whether the action group is described by an OpenAPI document.
    pub fn is_openapi(self) -> bool {
        matches!(
            self,
            DefinitionKind::ActionGroupOpenApi | DefinitionKind::OpenApi
        )
    }
}

/// The key casing of a tool's members in its file.
///
/// The loader converts CloudFormation casing to camelCase (the keys of the schema structure
/// only: `Type`, `Properties`, `Required`, `Items`, `Description`; never property names), so
/// [`Tool::input_schema`] is always camelCase; the casing only says where things are in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyCasing {
    /// `name`, `description`, `inputSchema`, `outputSchema` (the API and MCP casing).
    #[default]
    CamelCase,
    /// `Name`, `Description`, `InputSchema`, `OutputSchema` (CloudFormation and CDK L1 casing).
    CloudFormation,
}

/// One callable in a definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Tool {
    /// The tool name as declared (without any `<target>___` prefix).
    pub name: String,
    /// The description, when declared as a string.
    pub description: Option<String>,
    /// The input schema (JSON Schema; for CloudFormation casing, converted to camelCase).
    pub input_schema: Value,
    /// The output schema, when declared (converted like the input schema).
    pub output_schema: Option<Value>,
    /// Where this tool sits in [`Definition::document`] (its file, unless it comes from a
    /// template: see [`Definition::pointer_in_file`]).
    pub pointer: JsonPointer,
    /// The casing of the tool's members in its file.
    #[serde(skip)]
    pub casing: KeyCasing,
    /// For action groups: what the agent's event carries to call this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

impl Tool {
    /// A camelCase tool with no description or output schema, at `pointer`.
    pub fn new(name: impl Into<String>, input_schema: Value, pointer: JsonPointer) -> Tool {
        Tool {
            name: name.into(),
            description: None,
            input_schema,
            output_schema: None,
            pointer,
            casing: KeyCasing::CamelCase,
            action: None,
        }
    }

    /// Pointer to the tool's input schema in its file (`.../InputSchema` for CloudFormation
    /// casing). An action-group tool's input schema is derived, not written: its pointer is the
    /// tool's own, and [`Definition::pointer_in_file`] maps pointers into it back to the
    /// parameters they came from.
    pub fn input_schema_pointer(&self) -> JsonPointer {
        if self.action.is_some() {
            return self.pointer.clone();
        }
        self.pointer.key(self.casing.tool_key("inputSchema"))
    }

    /// Pointer to the tool's output schema in its file (`.../OutputSchema` for CloudFormation
    /// casing).
    pub fn output_schema_pointer(&self) -> JsonPointer {
        self.pointer.key(self.casing.tool_key("outputSchema"))
    }
}

/// A loaded definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Definition {
    /// The file it came from (or a label such as `<inline>`).
    pub source: PathBuf,
    /// The form it had.
    pub kind: DefinitionKind,
    /// The target name declared in the document (`CreateGatewayTarget.name`), if any.
    pub target_name: Option<String>,
    /// Its tools, in declaration order.
    pub tools: Vec<Tool>,
    /// Where the list of tools sits in the document (the root for a bare list, `/tools` for a
    /// tools/list result, `/targetConfiguration/mcp/lambda/toolSchema/inlinePayload` for a
    /// `CreateGatewayTarget` request, `/functionSchema/functions` or `.../paths` for an action
    /// group).
    pub tools_pointer: JsonPointer,
    /// For action groups: the group's name and OpenAPI document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_group: Option<ActionGroupDeclaration>,
    /// For interceptor definitions: the configurations and the targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interceptor: Option<InterceptorDeclaration>,
    /// The document as read. For a definition from a template: the resource's part of it, with
    /// intrinsic functions resolved (a GatewayTarget's `Properties`; an action group converted
    /// to its `create_agent_action_group` request), which every pointer of the definition is
    /// into; [`Definition::pointer_in_file`] gives the place in the template.
    #[serde(skip)]
    pub document: Value,
    /// For a definition from a template: which resource it is, and the template's other
    /// candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<TemplateResource>,
}

impl Definition {
    /// Reads and parses a definition file (a template's only candidate; a `cdk.out` directory's
    /// templates).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Definition, DefinitionError> {
        Definition::from_path_selecting(path, &Selection::default())
    }

    /// Reads and parses a definition file, picking the candidate `selection` names when the
    /// file is a CloudFormation template (or `path` a `cdk.out` directory of templates). For
    /// another file, a selection's `action_group` reads it as a bare OpenAPI document deployed
    /// under that name, as [`Definition::from_openapi_path`] does, and a `resource` is an error.
    pub fn from_path_selecting(
        path: impl AsRef<Path>,
        selection: &Selection,
    ) -> Result<Definition, DefinitionError> {
        let path = path.as_ref();
        if path.is_dir() {
            return template::load_directory(path, selection);
        }
        let text = read_definition(path)?;
        Definition::from_text(path, &text, selection)
    }

    /// Parses a definition from text; `source` names it in error messages.
    pub fn from_str(source: impl AsRef<Path>, text: &str) -> Result<Definition, DefinitionError> {
        Definition::from_text(source.as_ref(), text, &Selection::default())
    }

    fn from_text(
        source: &Path,
        text: &str,
        selection: &Selection,
    ) -> Result<Definition, DefinitionError> {
        let text = json::without_bom(text);
        let parsed = parse_json(source, text, &JsonPointer::root());
        let is_template = match &parsed {
            Ok(document) => template::is_template(document),
            Err(e) => {
                matches!(e.kind, DefinitionErrorKind::MalformedJson { .. })
                    && template::looks_like_yaml_template(text)
            }
        };
        if is_template {
            return match parsed {
                Ok(document) => Definition::from_value_selecting(source, document, selection),
                Err(_) => template::load_yaml(source, text, selection),
            };
        }
        if let (Some(name), None) = (&selection.action_group, &selection.resource) {
            return Definition::from_openapi_str(source, text, name);
        }
        let document = parsed.map_err(|e| {
            if matches!(e.kind, DefinitionErrorKind::MalformedJson { .. })
                && looks_like_yaml_openapi(text)
            {
                return DefinitionError::new(
                    source,
                    JsonPointer::root(),
                    DefinitionErrorKind::UnknownForm(OPENAPI_NEEDS_A_NAME.to_owned()),
                );
            }
            e
        })?;
        Definition::from_value_selecting(source, document, selection)
    }

    /// Interprets an already parsed document (a template's only candidate).
    pub fn from_value(
        source: impl AsRef<Path>,
        document: Value,
    ) -> Result<Definition, DefinitionError> {
        Definition::from_value_selecting(source.as_ref(), document, &Selection::default())
    }

    fn from_value_selecting(
        source: &Path,
        document: Value,
        selection: &Selection,
    ) -> Result<Definition, DefinitionError> {
        if let Some(pointer) = describe::deeper_than(&document, MAX_DEPTH) {
            return Err(DefinitionError::new(
                source,
                pointer,
                DefinitionErrorKind::TooDeep { limit: MAX_DEPTH },
            ));
        }
        if template::is_template(&document) {
            return template::load(source, &document, selection);
        }
        if selection.resource.is_some() || selection.action_group.is_some() {
            return Err(DefinitionError::new(
                source,
                JsonPointer::root(),
                DefinitionErrorKind::Invalid(
                    "`--resource` (`Selection::resource`) picks a resource of a CloudFormation \
                     template, and this file is not one (a template has `Resources`, \
                     `AWSTemplateFormatVersion` or `Transform`)"
                        .to_owned(),
                ),
            ));
        }
        if let Value::Object(map) = &document {
            if map.contains_key(interceptor::CONFIGURATIONS) {
                return interceptor::load(source, document);
            }
            if action_group::REQUEST_MEMBERS
                .iter()
                .any(|k| map.contains_key(*k))
            {
                return action_group::load_request(source, document);
            }
            if map.contains_key("openapi") || map.contains_key("swagger") {
                return Err(DefinitionError::new(
                    source,
                    JsonPointer::root(),
                    DefinitionErrorKind::UnknownForm(OPENAPI_NEEDS_A_NAME.to_owned()),
                ));
            }
        }
        gateway::load(source, document)
    }

    /// Reads an action group's bare OpenAPI document (JSON or YAML) as the action group
    /// `action_group` (the name every event carries as `actionGroup`).
    pub fn from_openapi_path(
        path: impl AsRef<Path>,
        action_group: &str,
    ) -> Result<Definition, DefinitionError> {
        let path = path.as_ref();
        let text = read_definition(path)?;
        Definition::from_openapi_str(path, &text, action_group)
    }

    /// Parses an action group's bare OpenAPI document (JSON or YAML text); `source` names it in
    /// error messages.
    pub fn from_openapi_str(
        source: impl AsRef<Path>,
        text: &str,
        action_group: &str,
    ) -> Result<Definition, DefinitionError> {
        action_group::load_openapi(source.as_ref(), json::without_bom(text), action_group)
    }

    /// The place in the file of `relative`, a pointer into the value at `base` (a pointer in
    /// the file, such as [`Tool::input_schema_pointer`]). Tools in CloudFormation casing are
    /// converted to camelCase when loaded, so a pointer into the converted schema is mapped
    /// back to the file's own keys (`/properties/x` under `InputSchema` is `/Properties/x`).
    ///
    /// For a definition from a template, the place is in the template
    /// (`/Resources/OrdersTarget/Properties/...`).
    pub fn pointer_in_file(&self, base: &JsonPointer, relative: &JsonPointer) -> JsonPointer {
        self.in_file(&self.pointer_in_document(base, relative))
    }

    /// A pointer into [`Definition::document`] as a pointer into the file (the same but for a
    /// definition from a template).
    pub(crate) fn in_file(&self, pointer: &JsonPointer) -> JsonPointer {
        match &self.resource {
            Some(resource) => resource.pointer_in_file(pointer),
            None => pointer.clone(),
        }
    }

    /// Like [`Definition::pointer_in_file`], but into [`Definition::document`].
    pub(crate) fn pointer_in_document(
        &self,
        base: &JsonPointer,
        relative: &JsonPointer,
    ) -> JsonPointer {
        if self.kind.is_action_group()
            && let Some(mapped) = self
                .tools
                .iter()
                .filter(|t| t.pointer == *base)
                .find_map(|t| t.action.as_ref()?.pointer_in_file(relative))
        {
            return mapped;
        }
        if self.kind == DefinitionKind::CloudFormationInlinePayload
            && let Some(original) = self.document.pointer(base.as_str())
        {
            return base.join(&cloudformation::original_pointer(original, relative));
        }
        base.join(relative)
    }

    /// The tool with this name.
    pub fn tool(&self, name: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.name == name)
    }
}
