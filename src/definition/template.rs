//! CloudFormation and SAM templates (JSON or YAML) and CDK synth output (`cdk.out`): the tool
//! definitions they hold, which one to load, and loading it.
//!
//! A document is a template by its shape: `AWSTemplateFormatVersion`, a `Transform` (SAM's is
//! `AWS::Serverless-2016-10-31`), or a `Resources` map of typed resources. Its candidates are:
//! - each `AWS::BedrockAgentCore::GatewayTarget` (CloudFormation Template Reference,
//!   "AWS::BedrockAgentCore::GatewayTarget": `Name`, `TargetConfiguration.Mcp.Lambda` with
//!   `LambdaArn` and `ToolSchema`, whose `InlinePayload` is the list of ToolDefinitions and whose
//!   `S3` (`Uri`, `BucketOwnerAccountId`) toolcontract cannot read); targets of other kinds
//!   (`Connector`, `OpenApiSchema`, `SmithyModel`, `McpServer`) are listed but never picked by
//!   themselves;
//! - each action group of an `AWS::Bedrock::Agent` (`Properties.ActionGroups[]`,
//!   "AWS::Bedrock::Agent AgentActionGroup": `ActionGroupName`, `FunctionSchema.Functions[]` with
//!   `Name`, `Description`, `Parameters` of `{Type, Description, Required}` and
//!   `RequireConfirmation`, or `ApiSchema.Payload`, the OpenAPI document as JSON or YAML text;
//!   `ApiSchema.S3` cannot be read); built-in groups (`ParentActionGroupSignature`) are listed
//!   but never picked.
//!
//! One candidate is picked by [`Selection`] (`--resource`, `--action-group`), or alone. The
//! picked resource's part of the template is resolved ([`intrinsics`](super::intrinsics): only
//! what is certain) and loaded by the existing loaders: a GatewayTarget's `Properties` in
//! CloudFormation casing, an action group converted to its `create_agent_action_group` request.
//! Every pointer a loaded definition reports is mapped back into the template.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use super::cloudformation;
use super::describe::describe;
use super::intrinsics::{Scope, Unresolved, function_of};
use super::{Definition, DefinitionError, DefinitionErrorKind, MAX_DEPTH, action_group, gateway};
use crate::pointer::JsonPointer;

/// The resource type of a Gateway target.
pub const GATEWAY_TARGET: &str = "AWS::BedrockAgentCore::GatewayTarget";
/// The resource type of a Bedrock agent, whose `ActionGroups` are candidates.
pub const AGENT: &str = "AWS::Bedrock::Agent";

/// Which tool definition of a CloudFormation template to load (`--resource`,
/// `--action-group`). The default picks the template's only candidate.
///
/// For a file that is not a template, `action_group` keeps its older meaning: the file is a
/// bare OpenAPI document deployed under that name ([`Definition::from_openapi_path`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Selection {
    /// The logical id of the resource (`OrdersTarget`).
    pub resource: Option<String>,
    /// The name of an `AWS::Bedrock::Agent` action group (`ActionGroupName`).
    pub action_group: Option<String>,
}

impl Selection {
    /// Picks the only candidate.
    pub fn new() -> Selection {
        Selection::default()
    }

    /// Picks the resource with this logical id.
    #[must_use]
    pub fn resource(mut self, logical_id: impl Into<String>) -> Selection {
        self.resource = Some(logical_id.into());
        self
    }

    /// Picks the action group with this name.
    #[must_use]
    pub fn action_group(mut self, name: impl Into<String>) -> Selection {
        self.action_group = Some(name.into());
        self
    }
}

/// A tool definition found in a template.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Candidate {
    /// The template file.
    pub file: PathBuf,
    /// The resource's logical id.
    pub logical_id: String,
    /// Its type ([`GATEWAY_TARGET`] or [`AGENT`]).
    pub resource_type: String,
    /// A target's `Name`, or an action group's `ActionGroupName`, when literal.
    pub name: Option<String>,
    /// For an action group: its index in `ActionGroups`.
    pub action_group_index: Option<usize>,
    /// Where it is in the template (`/Resources/Id`, `/Resources/Id/Properties/ActionGroups/0`).
    pub pointer: JsonPointer,
    /// The resource's `Condition`, when it has one (it may not be deployed).
    pub condition: Option<String>,
    /// How many tools it declares, when it loads.
    pub tools: Option<usize>,
    /// Why it cannot be loaded or is never picked by itself (a Connector target, a built-in
    /// action group, an S3 schema, an intrinsic function in its schema, ...).
    pub problem: Option<String>,
    /// Whether it is picked only when named: not a Lambda-backed tool definition.
    pub only_when_named: bool,
    /// Whether it is the one loaded.
    pub picked: bool,
}

impl fmt::Display for Candidate {
    /// `OrdersTarget (AWS::BedrockAgentCore::GatewayTarget, target `orders`, 2 tools)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.logical_id)?;
        if self.action_group_index.is_some() {
            match &self.name {
                Some(name) => write!(f, " action group `{name}`")?,
                None => write!(f, " action group {}", self.pointer)?,
            }
        }
        write!(f, " ({}", self.resource_type)?;
        if self.action_group_index.is_none() {
            match &self.name {
                Some(name) => write!(f, ", target `{name}`")?,
                None => write!(f, ", target name not known")?,
            }
        }
        if let Some(tools) = self.tools {
            write!(f, ", {tools} tool{}", if tools == 1 { "" } else { "s" })?;
        }
        if let Some(condition) = &self.condition {
            write!(f, ", only with condition `{condition}`")?;
        }
        write!(f, ")")?;
        if let Some(problem) = &self.problem {
            write!(f, ": {problem}")?;
        }
        Ok(())
    }
}

/// Where a definition loaded from a template sits in it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TemplateResource {
    /// The resource's logical id.
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// Where [`Definition::document`] sits in the file: a GatewayTarget's
    /// `/Resources/Id/Properties`, or an action group's `/Resources/Id/Properties/ActionGroups/0`.
    pub pointer: JsonPointer,
    /// The target's `Name`, when it is an intrinsic function toolcontract cannot resolve: the
    /// target name is then not known, and checks use the default unless one is given.
    pub unresolved_target_name: Option<Unresolved>,
    /// Every candidate of the template (of every template, for a `cdk.out` directory), this
    /// one included.
    pub candidates: Vec<Candidate>,
    /// The action group as written (intrinsics resolved), to map pointers into its request
    /// back to the template's casing.
    #[serde(skip)]
    pub(crate) action_group: Option<Value>,
}

impl TemplateResource {
    /// The place in the file of `pointer`, a pointer into [`Definition::document`].
    pub fn pointer_in_file(&self, pointer: &JsonPointer) -> JsonPointer {
        match &self.action_group {
            Some(original) => self
                .pointer
                .join(&cloudformation::pascal_pointer(original, pointer)),
            None => self.pointer.join(pointer),
        }
    }
}

/// Whether `document` is a CloudFormation/SAM template or CDK synth output.
pub(super) fn is_template(document: &Value) -> bool {
    let Value::Object(map) = document else {
        return false;
    };
    map.contains_key("AWSTemplateFormatVersion")
        || map.contains_key("Transform")
        || map
            .get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|resources| {
                resources
                    .values()
                    .any(|r| r.get("Type").is_some_and(Value::is_string))
            })
}

/// Whether `text` (not JSON) looks like a template in YAML: a top-level `Resources:`,
/// `AWSTemplateFormatVersion:` or `Transform:`.
pub(super) fn looks_like_yaml_template(text: &str) -> bool {
    const KEYS: [&str; 3] = ["AWSTemplateFormatVersion", "Resources", "Transform"];
    text.lines().any(|line| {
        let unquoted = line.strip_prefix(['"', '\'']).map_or(line, |rest| rest);
        KEYS.iter().any(|key| {
            unquoted.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        })
    })
}

/// Loads the selected candidate of a template in YAML.
pub(super) fn load_yaml(
    source: &Path,
    text: &str,
    selection: &Selection,
) -> Result<Definition, DefinitionError> {
    let template = super::yaml::parse_template(text).map_err(|e| {
        DefinitionError::new(
            source,
            e.pointer,
            DefinitionErrorKind::MalformedYaml {
                line: e.line,
                column: e.column,
                message: e.message,
            },
        )
    })?;
    load(source, &template, selection)
}

/// Loads the selected candidate of a template.
pub(super) fn load(
    source: &Path,
    template: &Value,
    selection: &Selection,
) -> Result<Definition, DefinitionError> {
    let mut found = Found::default();
    found.add(source, template)?;
    found.select(selection)
}

/// The largest number of templates read from one `cdk.out` directory.
const MAX_TEMPLATES: usize = 256;

/// Loads the selected candidate of the `*.template.json` files of a CDK output directory.
pub(super) fn load_directory(
    directory: &Path,
    selection: &Selection,
) -> Result<Definition, DefinitionError> {
    let at_root = |kind| DefinitionError::new(directory, JsonPointer::root(), kind);
    let entries = std::fs::read_dir(directory)
        .map_err(|e| at_root(DefinitionErrorKind::Io(e.to_string())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".template.json"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(at_root(DefinitionErrorKind::Io(
            "not a regular file (a directory), and not CDK synth output: it holds no \
             `*.template.json` file (such as `cdk.out/MyStack.template.json`); pass a \
             definition file"
                .to_owned(),
        )));
    }
    if files.len() > MAX_TEMPLATES {
        return Err(at_root(DefinitionErrorKind::Io(format!(
            "a directory holding {} templates, more than the {MAX_TEMPLATES} toolcontract reads; \
             pass one template file",
            files.len()
        ))));
    }
    let mut found = Found::default();
    for file in &files {
        let text = super::read_definition(file)?;
        let template =
            super::parse_json(file, super::json::without_bom(&text), &JsonPointer::root())?;
        if let Some(pointer) = super::describe::deeper_than(&template, MAX_DEPTH) {
            return Err(DefinitionError::new(
                file,
                pointer,
                DefinitionErrorKind::TooDeep { limit: MAX_DEPTH },
            ));
        }
        if is_template(&template) {
            found.add(file, &template)?;
        }
    }
    found.select(selection)
}

/// A candidate and what loading it gave.
struct Entry {
    candidate: Candidate,
    loaded: Result<Definition, DefinitionError>,
}

/// Every resource and candidate of one or more templates.
#[derive(Default)]
struct Found {
    /// (file, logical id, type) of every resource.
    resources: Vec<(PathBuf, String, String)>,
    entries: Vec<Entry>,
    /// The first template's file, for errors about the whole set.
    source: Option<PathBuf>,
}

impl Found {
    fn add(&mut self, source: &Path, template: &Value) -> Result<(), DefinitionError> {
        self.source.get_or_insert_with(|| source.to_owned());
        let resources_pointer = JsonPointer::root().key("Resources");
        let resources = match template.get("Resources") {
            Some(Value::Object(resources)) => resources,
            Some(other) => {
                return Err(DefinitionError::new(
                    source,
                    resources_pointer,
                    DefinitionErrorKind::WrongType {
                        expected: "an object mapping logical ids to resources".to_owned(),
                        found: describe(other),
                    },
                ));
            }
            None => {
                return Err(DefinitionError::new(
                    source,
                    JsonPointer::root(),
                    DefinitionErrorKind::Missing {
                        member: "Resources".to_owned(),
                        expected: "the template's resources".to_owned(),
                    },
                ));
            }
        };
        let scope = Scope::of(template);
        for (id, resource) in resources {
            let Some(kind) = resource.get("Type").and_then(Value::as_str) else {
                continue;
            };
            self.resources
                .push((source.to_owned(), id.clone(), kind.to_owned()));
            let reader = Reader {
                source,
                scope,
                logical_id: id,
                resource,
                pointer: resources_pointer.key(id),
            };
            match kind {
                GATEWAY_TARGET => self.entries.push(reader.target()),
                AGENT => self.entries.extend(reader.action_groups()),
                _ => {}
            }
        }
        Ok(())
    }

    fn select(self, selection: &Selection) -> Result<Definition, DefinitionError> {
        let source = self.source.clone().unwrap_or_default();
        let resources_pointer = JsonPointer::root().key("Resources");
        let mut picked: Vec<&Entry> = self.entries.iter().collect();
        let named = selection.resource.is_some() || selection.action_group.is_some();
        if let Some(id) = &selection.resource {
            picked.retain(|e| e.candidate.logical_id == *id);
            if picked.is_empty() {
                return Err(match self.resources.iter().find(|(_, r, _)| r == id) {
                    Some((file, _, kind)) => DefinitionError::new(
                        file,
                        resources_pointer.key(id).key("Type"),
                        DefinitionErrorKind::NotACandidate {
                            logical_id: id.clone(),
                            resource_type: kind.clone(),
                            candidates: self.listing(),
                        },
                    ),
                    None => DefinitionError::new(
                        &source,
                        resources_pointer,
                        DefinitionErrorKind::UnknownResource {
                            logical_id: id.clone(),
                            hint: crate::suggest::did_you_mean(
                                id,
                                self.resources.iter().map(|(_, r, _)| r.as_str()),
                            ),
                            candidates: self.listing(),
                        },
                    ),
                });
            }
        }
        if let Some(name) = &selection.action_group {
            let groups: Vec<&Entry> = picked
                .iter()
                .copied()
                .filter(|e| e.candidate.action_group_index.is_some())
                .collect();
            let known: Vec<&str> = groups
                .iter()
                .filter_map(|e| e.candidate.name.as_deref())
                .collect();
            picked.retain(|e| {
                e.candidate.action_group_index.is_some()
                    && e.candidate.name.as_deref() == Some(name.as_str())
            });
            if picked.is_empty() {
                let pointer = match (&selection.resource, groups.first()) {
                    (Some(id), _) => resources_pointer.key(id),
                    (None, _) => resources_pointer,
                };
                return Err(DefinitionError::new(
                    &source,
                    pointer,
                    DefinitionErrorKind::UnknownActionGroup {
                        name: name.clone(),
                        hint: crate::suggest::did_you_mean(name, known.iter().copied()),
                        known: known.iter().map(|k| (*k).to_owned()).collect(),
                    },
                ));
            }
        }
        if !named {
            picked.retain(|e| !e.candidate.only_when_named);
        }
        match picked.as_slice() {
            [one] => {
                let mut definition = one.loaded.clone()?;
                if let Some(resource) = &mut definition.resource {
                    resource.candidates = self
                        .entries
                        .iter()
                        .map(|e| Candidate {
                            picked: std::ptr::eq(e, *one),
                            ..e.candidate.clone()
                        })
                        .collect();
                }
                Ok(definition)
            }
            [] => Err(DefinitionError::new(
                &source,
                resources_pointer,
                DefinitionErrorKind::NoCandidates {
                    found: self.inventory(),
                    listed: self.listing(),
                },
            )),
            several => Err(DefinitionError::new(
                &source,
                resources_pointer,
                DefinitionErrorKind::SeveralCandidates {
                    candidates: several.iter().map(|e| e.candidate.to_string()).collect(),
                },
            )),
        }
    }

    /// Every candidate, one line each.
    fn listing(&self) -> Box<[String]> {
        self.entries
            .iter()
            .map(|e| e.candidate.to_string())
            .collect()
    }

    /// "3 resources: 2 AWS::Lambda::Function, 1 AWS::IAM::Role".
    fn inventory(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for (_, _, kind) in &self.resources {
            match counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        match self.resources.len() {
            0 => "no resources".to_owned(),
            n => format!(
                "{n} resource{}: {}",
                if n == 1 { "" } else { "s" },
                parts.join(", ")
            ),
        }
    }
}

/// Reads one resource of a template.
struct Reader<'a> {
    source: &'a Path,
    scope: Scope<'a>,
    logical_id: &'a str,
    resource: &'a Value,
    /// `/Resources/Id`.
    pointer: JsonPointer,
}

impl Reader<'_> {
    fn candidate(&self, resource_type: &str) -> Candidate {
        Candidate {
            file: self.source.to_owned(),
            logical_id: self.logical_id.to_owned(),
            resource_type: resource_type.to_owned(),
            name: None,
            action_group_index: None,
            pointer: self.pointer.clone(),
            condition: self
                .resource
                .get("Condition")
                .and_then(Value::as_str)
                .map(str::to_owned),
            tools: None,
            problem: None,
            only_when_named: false,
            picked: false,
        }
    }

    fn error(&self, pointer: JsonPointer, kind: DefinitionErrorKind) -> DefinitionError {
        DefinitionError::new(self.source, pointer, kind)
    }

    fn unresolved(&self, unresolved: Unresolved) -> DefinitionError {
        self.error(
            unresolved.pointer,
            DefinitionErrorKind::Unresolved {
                function: unresolved.function,
                reason: unresolved.reason,
            },
        )
    }

    /// `Properties`, a literal object.
    fn properties(&self) -> Result<&Map<String, Value>, DefinitionError> {
        let pointer = self.pointer.key("Properties");
        match self.resource.get("Properties") {
            Some(value) if function_of(value).is_some() => Err(self.unresolved(
                self.scope
                    .resolve(value, &pointer)
                    .err()
                    .unwrap_or_else(|| placeholder(&pointer)),
            )),
            Some(Value::Object(map)) => Ok(map),
            Some(other) => Err(self.error(
                pointer,
                DefinitionErrorKind::WrongType {
                    expected: "an object (the resource's properties)".to_owned(),
                    found: describe(other),
                },
            )),
            None => Err(self.error(
                self.pointer.clone(),
                DefinitionErrorKind::Missing {
                    member: "Properties".to_owned(),
                    expected: "the resource's properties".to_owned(),
                },
            )),
        }
    }

    /// `value` at `pointer` with its intrinsic functions resolved; unresolvable is an error.
    fn resolved(&self, value: &Value, pointer: &JsonPointer) -> Result<Value, DefinitionError> {
        self.scope
            .resolve(value, pointer)
            .map_err(|u| self.unresolved(u))
    }

    /// A GatewayTarget.
    fn target(&self) -> Entry {
        let mut candidate = self.candidate(GATEWAY_TARGET);
        let properties_pointer = self.pointer.key("Properties");
        if let Some(kind) = self.other_target_kind() {
            candidate.only_when_named = true;
            candidate.problem = Some(format!(
                "a {kind} target, not a Lambda target: toolcontract tests Lambda targets"
            ));
        }
        let mut unresolved_name = None;
        let loaded = self.properties().and_then(|properties| {
            let mut document = properties.clone();
            if let Some(name) = properties.get("Name") {
                match self.scope.resolve(name, &properties_pointer.key("Name")) {
                    Ok(Value::String(name)) => {
                        candidate.name = Some(name.clone());
                        document.insert("Name".to_owned(), Value::String(name));
                    }
                    Ok(other) => {
                        document.insert("Name".to_owned(), other);
                    }
                    Err(u) => {
                        document.remove("Name");
                        unresolved_name = Some(u);
                    }
                }
            }
            self.resolve_tool_schema(&mut document, &properties_pointer)?;
            let definition = gateway::load(self.source, Value::Object(document))
                .map_err(|e| rebase(e, &|p| properties_pointer.join(p)))?;
            Ok(definition)
        });
        let loaded = loaded.map(|mut definition| {
            definition.resource = Some(TemplateResource {
                logical_id: self.logical_id.to_owned(),
                resource_type: GATEWAY_TARGET.to_owned(),
                pointer: properties_pointer.clone(),
                unresolved_target_name: unresolved_name,
                candidates: Vec::new(),
                action_group: None,
            });
            definition
        });
        finish(candidate, loaded)
    }

    /// `Connector` for a target whose `TargetConfiguration.Mcp` is literal and has no `Lambda`.
    fn other_target_kind(&self) -> Option<String> {
        let mcp = self
            .resource
            .pointer("/Properties/TargetConfiguration/Mcp")?;
        if function_of(mcp).is_some() {
            return None;
        }
        let mcp = mcp.as_object()?;
        if mcp.contains_key("Lambda") || mcp.is_empty() {
            return None;
        }
        Some(
            mcp.keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// Resolves `TargetConfiguration`, `Mcp` and `Lambda` (each must be literal) and the whole
    /// `ToolSchema`, in place.
    fn resolve_tool_schema(
        &self,
        document: &mut Map<String, Value>,
        properties_pointer: &JsonPointer,
    ) -> Result<(), DefinitionError> {
        let mut pointer = properties_pointer.clone();
        let mut here = document;
        for key in ["TargetConfiguration", "Mcp", "Lambda"] {
            pointer = pointer.key(key);
            let Some(value) = here.get_mut(key) else {
                return Ok(());
            };
            if function_of(value).is_some() {
                return Err(self.unresolved(
                    self.scope
                        .resolve(value, &pointer)
                        .err()
                        .unwrap_or_else(|| placeholder(&pointer)),
                ));
            }
            let Value::Object(next) = value else {
                return Ok(());
            };
            here = next;
        }
        if let Some(schema) = here.get_mut("ToolSchema") {
            *schema = self.resolved_schema(schema, &pointer.key("ToolSchema"))?;
        }
        Ok(())
    }

    /// A tool schema or API schema union, resolved: its `S3` location only as far as it can be
    /// (the loaders then say that S3 cannot be read, with the URI when it is literal), the rest
    /// wholly.
    fn resolved_schema(
        &self,
        schema: &Value,
        pointer: &JsonPointer,
    ) -> Result<Value, DefinitionError> {
        match schema {
            Value::Object(map) if function_of(schema).is_none() && map.contains_key("S3") => {
                let mut out = Map::with_capacity(map.len());
                for (key, value) in map {
                    let at = pointer.key(key);
                    let value = match (key.as_str(), value) {
                        ("S3", Value::Object(location)) if function_of(value).is_none() => {
                            Value::Object(
                                location
                                    .iter()
                                    .filter_map(|(k, v)| {
                                        let v = self.scope.resolve(v, &at.key(k)).ok()?;
                                        Some((k.clone(), v))
                                    })
                                    .collect(),
                            )
                        }
                        _ => self.resolved(value, &at)?,
                    };
                    out.insert(key.clone(), value);
                }
                Ok(Value::Object(out))
            }
            _ => self.resolved(schema, pointer),
        }
    }

    /// The action groups of an agent.
    fn action_groups(&self) -> Vec<Entry> {
        let properties = match self.properties() {
            Ok(properties) => properties,
            Err(e) => return vec![finish(self.candidate(AGENT), Err(e))],
        };
        let pointer = self.pointer.key("Properties").key("ActionGroups");
        match properties.get("ActionGroups") {
            None => Vec::new(),
            Some(Value::Array(groups)) => groups
                .iter()
                .enumerate()
                .map(|(i, group)| self.action_group(group, i, pointer.index(i)))
                .collect(),
            Some(other) => {
                let error = match self.scope.resolve(other, &pointer) {
                    Err(u) => self.unresolved(u),
                    Ok(_) => self.error(
                        pointer.clone(),
                        DefinitionErrorKind::WrongType {
                            expected: "an array of action groups".to_owned(),
                            found: describe(other),
                        },
                    ),
                };
                let mut candidate = self.candidate(AGENT);
                candidate.pointer = pointer;
                candidate.action_group_index = Some(0);
                vec![finish(candidate, Err(error))]
            }
        }
    }

    /// One action group, at `pointer`.
    fn action_group(&self, group: &Value, index: usize, pointer: JsonPointer) -> Entry {
        let mut candidate = self.candidate(AGENT);
        candidate.action_group_index = Some(index);
        candidate.pointer = pointer.clone();
        let Value::Object(group) = group else {
            let error = match self.scope.resolve(group, &pointer) {
                Err(u) => self.unresolved(u),
                Ok(_) => self.error(
                    pointer,
                    DefinitionErrorKind::WrongType {
                        expected: "an action group (an object with `ActionGroupName`)".to_owned(),
                        found: describe(group),
                    },
                ),
            };
            return finish(candidate, Err(error));
        };
        if let Some(Value::String(name)) = group.get("ActionGroupName") {
            candidate.name = Some(name.clone());
        }
        if let Some(signature) = group.get("ParentActionGroupSignature") {
            candidate.only_when_named = true;
            candidate.problem = Some(format!(
                "a built-in action group ({}), served by Bedrock, not by a Lambda function",
                signature.as_str().unwrap_or("ParentActionGroupSignature")
            ));
        } else if !group.contains_key("FunctionSchema") && !group.contains_key("ApiSchema") {
            candidate.only_when_named = true;
            candidate.problem = Some(
                "declares no functions or operations (no FunctionSchema or ApiSchema)".to_owned(),
            );
        }
        let loaded = self.load_action_group(group, &pointer);
        if let Ok(definition) = &loaded
            && let Some(declared) = &definition.action_group
        {
            candidate.name = Some(declared.name.clone());
        }
        finish(candidate, loaded)
    }

    fn load_action_group(
        &self,
        group: &Map<String, Value>,
        pointer: &JsonPointer,
    ) -> Result<Definition, DefinitionError> {
        if !group.contains_key("ActionGroupName") {
            return Err(self.error(
                pointer.clone(),
                DefinitionErrorKind::Missing {
                    member: "ActionGroupName".to_owned(),
                    expected: "the action group's name, a string".to_owned(),
                },
            ));
        }
        // What the harness reads must be known; the rest (the executor's ARN, the state) is
        // only linted, and left out when it is not.
        let mut resolved = Map::with_capacity(group.len());
        for (key, value) in group {
            let at = pointer.key(key);
            let value = match key.as_str() {
                "ActionGroupName" | "FunctionSchema" => self.resolved(value, &at)?,
                "ApiSchema" => self.resolved_schema(value, &at)?,
                _ => match self.scope.resolve(value, &at) {
                    Ok(value) => value,
                    Err(_) => continue,
                },
            };
            resolved.insert(key.clone(), value);
        }
        let request = cloudformation::action_group_request(&resolved);
        let original = Value::Object(resolved);
        let mut definition = action_group::load_request(self.source, request).map_err(|e| {
            rebase(e, &|p| {
                pointer.join(&cloudformation::pascal_pointer(&original, p))
            })
        })?;
        definition.resource = Some(TemplateResource {
            logical_id: self.logical_id.to_owned(),
            resource_type: AGENT.to_owned(),
            pointer: pointer.clone(),
            unresolved_target_name: None,
            candidates: Vec::new(),
            action_group: Some(original),
        });
        Ok(definition)
    }
}

/// An [`Unresolved`] for an intrinsic that resolved after all (cannot happen for the functions
/// at hand, which never resolve to a container): said as such rather than panicking.
fn placeholder(pointer: &JsonPointer) -> Unresolved {
    Unresolved {
        pointer: pointer.clone(),
        function: "an intrinsic function".to_owned(),
        reason: "toolcontract reads this member only when it is written literally".to_owned(),
    }
}

/// The candidate with what its loading says (tool count, or the problem).
fn finish(mut candidate: Candidate, loaded: Result<Definition, DefinitionError>) -> Entry {
    match &loaded {
        Ok(definition) => candidate.tools = Some(definition.tools.len()),
        Err(error) if candidate.problem.is_none() => {
            candidate.problem = Some(format!(
                "cannot be loaded: at {}: {}",
                error.pointer, error.kind
            ));
        }
        Err(_) => {}
    }
    Entry { candidate, loaded }
}

/// `error` with its pointers (and a first declaration's) mapped by `map`.
fn rebase(
    mut error: DefinitionError,
    map: &dyn Fn(&JsonPointer) -> JsonPointer,
) -> DefinitionError {
    error.pointer = map(&error.pointer);
    if let DefinitionErrorKind::DuplicateTool { first, .. } = &mut error.kind {
        *first = map(first);
    }
    error
}
