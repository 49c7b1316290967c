//! Gateway interceptor definitions: the interceptor configuration of a gateway, and the
//! targets whose `tools/call` messages its interceptors see.
//!
//! The document is the `interceptorConfigurations` member of a CreateGateway (or
//! UpdateGateway) request, as the API takes it, beside a `targets` member of toolcontract's
//! own that names each target's tool definition (a file path relative to this file, or the
//! definition inline):
//!
//! ```json
//! {
//!   "interceptorConfigurations": [{
//!     "interceptor": {"lambda": {"arn": "arn:aws:lambda:us-east-1:123456789012:function:auth"}},
//!     "interceptionPoints": ["REQUEST", "RESPONSE"],
//!     "inputConfiguration": {"passRequestHeaders": true}
//!   }],
//!   "targets": {"orders": "orders-tools.json"}
//! }
//! ```
//!
//! The tools of the loaded [`Definition`] are the targets' tools under the names the Gateway
//! gives them, `<target>___<tool>`: what a `tools/call` carries in `params.name`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::{Definition, DefinitionError, DefinitionErrorKind, DefinitionKind, Tool, names};
use crate::contracts::Contract;
use crate::pointer::JsonPointer;

/// The member that makes a document an interceptor definition.
pub(crate) const CONFIGURATIONS: &str = "interceptorConfigurations";

/// The member naming the targets' tool definitions.
const TARGETS: &str = "targets";

/// Where in the Gateway's path an interceptor runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InterceptionPoint {
    /// Before the Gateway routes a request to its target: sees every MCP request.
    Request,
    /// After the target (or a REQUEST interceptor's short-circuit) answered.
    Response,
}

impl InterceptionPoint {
    /// `REQUEST` or `RESPONSE`, as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            InterceptionPoint::Request => "REQUEST",
            InterceptionPoint::Response => "RESPONSE",
        }
    }

    fn parse(text: &str) -> Option<InterceptionPoint> {
        match text {
            "REQUEST" => Some(InterceptionPoint::Request),
            "RESPONSE" => Some(InterceptionPoint::Response),
            _ => None,
        }
    }
}

impl std::fmt::Display for InterceptionPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `interceptorConfigurations`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct InterceptorConfiguration {
    /// The interceptor Lambda's ARN.
    pub lambda_arn: String,
    /// Where it runs.
    pub points: Vec<InterceptionPoint>,
    /// Whether the client's request headers are passed in its input.
    pub pass_request_headers: bool,
    /// Where the entry is in the file.
    pub pointer: JsonPointer,
}

/// A target whose tools the interceptors see called.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct InterceptedTarget {
    /// The target name (the part before `___`).
    pub name: String,
    /// Its tool definition.
    pub definition: Definition,
    /// Where its tools are in this target's file: the root for a file of its own, or
    /// `/targets/<name>` for an inline definition.
    pub base: JsonPointer,
}

/// What an interceptor definition declares: the configurations and the targets.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct InterceptorDeclaration {
    /// The interceptor configurations, in file order.
    pub configurations: Vec<InterceptorConfiguration>,
    /// The targets, in name order.
    pub targets: Vec<InterceptedTarget>,
    /// Whether the gateway streams responses
    /// (`protocolConfiguration.mcp.streamingConfiguration.enableResponseStreaming`, as a
    /// CreateGateway request sets it): the RESPONSE interceptor is then invoked per event.
    pub streaming: bool,
}

impl InterceptorDeclaration {
    /// The distinct interceptor Lambdas, in file order.
    pub fn lambdas(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.configurations {
            if !out.contains(&c.lambda_arn.as_str()) {
                out.push(&c.lambda_arn);
            }
        }
        out
    }

    /// The points `lambda` runs at, each with whether it gets the request headers.
    pub fn points_of(&self, lambda: &str) -> Vec<(InterceptionPoint, bool)> {
        let mut out: Vec<(InterceptionPoint, bool)> = self
            .configurations
            .iter()
            .filter(|c| c.lambda_arn == lambda)
            .flat_map(|c| c.points.iter().map(|p| (*p, c.pass_request_headers)))
            .collect();
        out.sort();
        out
    }

    /// The target and the tool (as the target declares it) of a qualified tool name.
    pub fn target_tool(&self, qualified: &str) -> Option<(&InterceptedTarget, &Tool)> {
        let (target, tool) = names::split(qualified)?;
        let target = self.targets.iter().find(|t| t.name == target)?;
        Some((target, target.definition.tool(tool)?))
    }
}

fn invalid(source: &Path, pointer: JsonPointer, message: impl Into<String>) -> DefinitionError {
    DefinitionError::new(
        source,
        pointer,
        DefinitionErrorKind::Invalid(message.into()),
    )
}

std::thread_local! {
    /// Whether an interceptor definition is being loaded on this thread: a target's own
    /// definition may not be one (a file naming itself as its target would never end).
    static LOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Loads an interceptor definition (a document with `interceptorConfigurations`).
pub(crate) fn load(source: &Path, document: Value) -> Result<Definition, DefinitionError> {
    if LOADING.with(std::cell::Cell::get) {
        return Err(invalid(
            source,
            JsonPointer::root(),
            "a target's tool definition is itself an interceptor definition: name the \
             target's Gateway tool definition (an inlinePayload list, a CreateGatewayTarget \
             request, a tools/list result)",
        ));
    }
    LOADING.with(|l| l.set(true));
    let loaded = load_unguarded(source, document);
    LOADING.with(|l| l.set(false));
    loaded
}

fn load_unguarded(source: &Path, document: Value) -> Result<Definition, DefinitionError> {
    let root = JsonPointer::root();
    let configurations_pointer = root.key(CONFIGURATIONS);
    let configurations_value = &document[CONFIGURATIONS];
    let contract = Contract::GatewayInterceptorConfigurations;
    if let Some(error) = contract
        .validator()
        .iter_errors(configurations_value)
        .next()
    {
        let at = JsonPointer::parse(error.instance_path().as_str()).unwrap_or_default();
        return Err(invalid(
            source,
            configurations_pointer.join(&at),
            format!(
                "not a valid interceptor configuration (contracts/{}.json): {error}",
                contract.name()
            ),
        ));
    }
    let mut configurations = Vec::new();
    for (i, entry) in configurations_value
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        configurations.push(InterceptorConfiguration {
            lambda_arn: entry["interceptor"]["lambda"]["arn"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            points: entry["interceptionPoints"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| InterceptionPoint::parse(p.as_str()?))
                .collect(),
            pass_request_headers: entry["inputConfiguration"]["passRequestHeaders"]
                .as_bool()
                .unwrap_or(false),
            pointer: configurations_pointer.index(i),
        });
    }
    for point in [InterceptionPoint::Request, InterceptionPoint::Response] {
        let with: Vec<&InterceptorConfiguration> = configurations
            .iter()
            .filter(|c| c.points.contains(&point))
            .collect();
        if let [_, second, ..] = with.as_slice() {
            return Err(invalid(
                source,
                second.pointer.key("interceptionPoints"),
                format!(
                    "a gateway has at most one {point} interceptor, and this is the second \
                     configuration with {point}"
                ),
            ));
        }
    }
    let targets = load_targets(source, &document)?;
    let mut tools = Vec::new();
    for target in &targets {
        for tool in &target.definition.tools {
            let mut qualified = tool.clone();
            qualified.name = names::qualified(&target.name, &tool.name);
            qualified.pointer = root.key(TARGETS).key(&target.name);
            tools.push(qualified);
        }
    }
    Ok(Definition {
        source: source.to_owned(),
        kind: DefinitionKind::GatewayInterceptors,
        target_name: None,
        tools,
        tools_pointer: root.key(TARGETS),
        action_group: None,
        interceptor: Some(InterceptorDeclaration {
            configurations,
            targets,
            streaming: document
                .pointer(
                    "/protocolConfiguration/mcp/streamingConfiguration/enableResponseStreaming",
                )
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }),
        document,
        resource: None,
    })
}

fn load_targets(
    source: &Path,
    document: &Value,
) -> Result<Vec<InterceptedTarget>, DefinitionError> {
    let pointer = JsonPointer::root().key(TARGETS);
    let Some(map) = document.get(TARGETS).and_then(Value::as_object) else {
        return Err(DefinitionError::new(
            source,
            if document.get(TARGETS).is_some() {
                pointer
            } else {
                JsonPointer::root()
            },
            DefinitionErrorKind::Missing {
                member: TARGETS.to_owned(),
                expected: "an object naming each target whose tools/call messages the \
                           interceptors see, with its tool definition: \
                           {\"<target name>\": \"<tool definition file>\"} (a path relative \
                           to this file, or the definition inline)"
                    .to_owned(),
            },
        ));
    };
    if map.is_empty() {
        return Err(invalid(
            source,
            pointer,
            "no targets: name at least one target and its tool definition",
        ));
    }
    let mut targets = Vec::new();
    for (name, value) in map {
        let at = pointer.key(name);
        if !names::is_valid_target_name(name) {
            return Err(invalid(
                source,
                at,
                format!(
                    "`{name}` is not a Gateway target name: letters, digits and single hyphens, \
                     at most 100 characters (`([0-9a-zA-Z][-]?){{1,100}}`)"
                ),
            ));
        }
        let (definition, base) = match value {
            Value::String(path) => {
                let path = relative_to(source, path);
                let definition = Definition::from_path(&path)?;
                (definition, JsonPointer::root())
            }
            inline @ (Value::Array(_) | Value::Object(_)) => {
                let definition = Definition::from_value(source, inline.clone())
                    .map_err(|e| DefinitionError::new(source, at.join(&e.pointer), e.kind))?;
                (definition, at.clone())
            }
            other => {
                return Err(DefinitionError::new(
                    source,
                    at,
                    DefinitionErrorKind::WrongType {
                        expected: "a tool definition file name, or a tool definition inline"
                            .to_owned(),
                        found: super::describe::describe(other),
                    },
                ));
            }
        };
        if !definition.kind.is_gateway() {
            return Err(invalid(
                source,
                at,
                format!(
                    "target `{name}` is not a Gateway Lambda target's tool definition (it is a \
                     {:?} definition)",
                    definition.kind
                ),
            ));
        }
        targets.push(InterceptedTarget {
            name: name.clone(),
            definition,
            base,
        });
    }
    Ok(targets)
}

/// `path` relative to the directory of `source` (absolute paths as they are).
fn relative_to(source: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_owned();
    }
    source
        .parent()
        .map_or_else(|| path.to_owned(), |dir| dir.join(path))
}
