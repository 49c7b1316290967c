//! The served target: its tool table, and one `tools/call` from arguments to MCP result.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CustomRequest, CustomResult,
    Implementation, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::Error;
use crate::gateway::received::received;
use crate::gateway::suite::{ContextTemplate, Identity};
use crate::gateway::{Assumptions, Gateway, Profile, names};
use crate::handler::Handler;

use super::record::Recorder;
use crate::handler::runtime_api::ProcessHandler;

/// The text of the Gateway's `ValidationError` (gateway-using-mcp-call).
const VALIDATION_ERROR: &str =
    "ValidationError: The provided arguments do not conform to the tool's input schema";

/// One served call, as the log line and `--record` see it.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct CallRecord {
    /// The name the client called (`<target>___<tool>`).
    pub tool: String,
    /// The arguments as the client sent them (`{}` when absent).
    pub arguments: Value,
    /// The MCP result the client got, or `None` when the call was rejected.
    pub result: Option<Value>,
    /// How the handler's invocation ended (`response`, `function_error`, ...), when it ran.
    pub outcome: Option<&'static str>,
    /// The JSON-RPC error message, when the call was rejected before the handler.
    pub rejected: Option<String>,
    /// Why `--record` could not keep this call, when it could not.
    pub record_error: Option<String>,
    /// Time from the request to the answer.
    #[serde(with = "crate::handler::duration_ms")]
    pub elapsed: Duration,
}

impl CallRecord {
    /// The log line for the person watching: tool, arguments, answer or error, time.
    pub fn log_line(&self) -> String {
        use crate::judge::preview;
        let answer = match (&self.rejected, &self.result) {
            (Some(message), _) => format!("rejected: {message}"),
            (None, Some(result)) => {
                let text = result
                    .pointer("/content/0/text")
                    .and_then(Value::as_str)
                    .map_or_else(|| preview(result), |t| preview(&Value::from(t)));
                let error = if result.get("isError") == Some(&Value::Bool(true)) {
                    "isError "
                } else {
                    ""
                };
                format!("{} -> {error}{text}", self.outcome.unwrap_or("answer"))
            }
            (None, None) => "no answer".to_owned(),
        };
        let recorded = match &self.record_error {
            Some(error) => format!("; not recorded: {error}"),
            None => String::new(),
        };
        format!(
            "toolcontract serve: {} {} {answer} ({} ms){recorded}",
            self.tool,
            preview(&self.arguments),
            self.elapsed.as_millis()
        )
    }
}

/// At most this many request headers, and as many query parameters, are propagated per
/// target (gateway-headers).
pub const MAX_PROPAGATED: usize = 10;

/// A propagated value over this many bytes is not passed on (gateway-headers: "values up to
/// 4 KB").
pub const MAX_PROPAGATED_VALUE_BYTES: usize = 4096;

/// The allow-lists of header propagation (HTTP only: stdio has no headers).
#[derive(Default)]
struct Propagation {
    headers: Vec<String>,
    queries: Vec<String>,
}

impl Propagation {
    /// The `bedrockAgentCorePropagated*` members of `custom` for one request, if any.
    fn members(&self, parts: &http::request::Parts) -> Vec<(&'static str, Value)> {
        let fits = |v: &str| v.len() <= MAX_PROPAGATED_VALUE_BYTES;
        let headers: serde_json::Map<String, Value> = self
            .headers
            .iter()
            .filter_map(|name| {
                let value = parts.headers.get(name.as_str())?.to_str().ok()?;
                fits(value).then(|| (name.clone(), Value::from(value)))
            })
            .collect();
        let query = query_pairs(parts.uri.query().unwrap_or(""));
        let queries: serde_json::Map<String, Value> = self
            .queries
            .iter()
            .filter_map(|name| {
                let value = query.iter().find(|(k, _)| k == name)?.1.as_str();
                fits(value).then(|| (name.clone(), Value::from(value)))
            })
            .collect();
        let mut members = Vec::new();
        if !headers.is_empty() {
            members.push(("bedrockAgentCorePropagatedHeaders", Value::Object(headers)));
        }
        if !queries.is_empty() {
            members.push((
                "bedrockAgentCorePropagatedQueryParameters",
                Value::Object(queries),
            ));
        }
        members
    }
}

/// The `name=value` pairs of a URL query, percent-decoded (`+` as a space).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escaped = match bytes.get(i..i + 3) {
                Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
                _ => None,
            };
            match (escaped, bytes[i]) {
                (Some(byte), _) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                (None, b'+') => out.push(b' '),
                (None, byte) => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// A declared tool as it is served.
struct ServedTool {
    /// The declared name.
    name: String,
    qualified: String,
    input: jsonschema::Validator,
    template: ContextTemplate,
}

/// One Lambda target of the local Gateway: a definition's tools under the target's name, in
/// front of its own handler process (supervised; calls reach it one at a time, as a Lambda
/// function with reserved concurrency 1). Build one per target, then serve them together
/// with [`LocalGateway::with_targets`].
pub struct ServedTarget {
    tools: Vec<ServedTool>,
    /// The `tools/list` entries, in definition order.
    listed: Vec<Value>,
    identity: Identity,
    seed: u64,
    profile: Profile,
    assume: Assumptions,
    handler: Mutex<ProcessHandler>,
    calls: AtomicU64,
    recorder: Option<std::sync::Mutex<Recorder>>,
    propagation: Propagation,
}

impl ServedTarget {
    /// Serves `gateway`'s tools (under its target name, timeout and profile) in front of
    /// `handler`.
    pub fn new(gateway: &Gateway, handler: ProcessHandler) -> Result<ServedTarget, Error> {
        let options = gateway.options();
        let identity = Identity::new(&options.target_name, options.timeout, options.seed);
        let mut tools = Vec::new();
        let mut listed = Vec::new();
        for tool in &gateway.definition().tools {
            let qualified = names::qualified(&identity.target_name, &tool.name);
            let input = jsonschema::options()
                .build(&tool.input_schema)
                .map_err(|e| {
                    Error::Usage(format!(
                        "the input schema of {} does not compile: {e}",
                        tool.name
                    ))
                })?;
            let mut entry = json!({"name": qualified, "inputSchema": tool.input_schema});
            if let Some(description) = &tool.description {
                entry["description"] = Value::from(description.as_str());
            }
            if let Some(output) = &tool.output_schema {
                entry["outputSchema"] = output.clone();
            }
            listed.push(entry);
            tools.push(ServedTool {
                name: tool.name.clone(),
                template: identity.template(&qualified),
                qualified,
                input,
            });
        }
        Ok(ServedTarget {
            tools,
            listed,
            identity,
            seed: options.seed,
            profile: options.profile,
            assume: options.assume,
            handler: Mutex::new(handler),
            calls: AtomicU64::new(0),
            recorder: None,
            propagation: Propagation::default(),
        })
    }

    /// The target name (the part before `___`).
    pub fn name(&self) -> &str {
        &self.identity.target_name
    }

    /// Keeps every call that reaches the handler as a snapshot case in `dir` (one
    /// `<tool>.snap` per tool of `gateway`, this target's definition, as `toolcontract
    /// snapshot` writes them).
    pub fn record(mut self, dir: impl Into<PathBuf>, gateway: &Gateway) -> Result<Self, Error> {
        self.recorder = Some(std::sync::Mutex::new(Recorder::new(dir.into(), gateway)?));
        Ok(self)
    }

    /// Propagates these request headers and query parameters (allow-lists, at most
    /// [`MAX_PROPAGATED`] each; `X-Amzn-` headers are refused) to the handler in `custom`'s
    /// `bedrockAgentCorePropagatedHeaders` / `...QueryParameters` objects, as AWS's samples
    /// read them.
    pub fn propagate(mut self, headers: Vec<String>, queries: Vec<String>) -> Result<Self, Error> {
        for (what, list) in [("headers", &headers), ("query parameters", &queries)] {
            if list.len() > MAX_PROPAGATED {
                return Err(Error::Usage(format!(
                    "a Gateway target propagates at most {MAX_PROPAGATED} {what}; {} given",
                    list.len()
                )));
            }
        }
        for name in &headers {
            if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return Err(Error::Usage(format!("`{name}` is not an HTTP header name")));
            }
            if name.to_ascii_lowercase().starts_with("x-amzn-") {
                return Err(Error::Usage(format!(
                    "`{name}`: a Gateway does not propagate X-Amzn- headers"
                )));
            }
        }
        self.propagation = Propagation { headers, queries };
        Ok(self)
    }

    /// Invokes the handler for one validated call of `tool` and maps its answer to what the
    /// agent receives.
    async fn invoke(
        &self,
        tool: &ServedTool,
        arguments: &Value,
        message_id: u64,
        parts: Option<&http::request::Parts>,
        debug_messages: bool,
    ) -> Result<Answered, ErrorData> {
        let seed = self.calls.fetch_add(1, Ordering::Relaxed) ^ self.seed;
        let mut invocation =
            self.identity
                .invocation_for_message(&tool.template, arguments, seed, message_id);
        let propagated = parts
            .map(|p| self.propagation.members(p))
            .unwrap_or_default();
        if !propagated.is_empty() {
            let mut context = invocation
                .client_context
                .as_ref()
                .map(crate::handler::RawJson::to_value)
                .unwrap_or_else(|| json!({"custom": {}}));
            for (key, value) in propagated {
                context["custom"][key] = value;
            }
            invocation = invocation.with_client_context(context);
        }
        let started_ms = crate::snapshot::now_ms();
        let mut record_error = None;
        let answer = self.handler.lock().await.invoke(&invocation).await;
        if let Some(recorder) = &self.recorder {
            let mut recorder = recorder.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(error) =
                recorder.add(&tool.name, &invocation, answer.outcome.clone(), started_ms)
            {
                record_error = Some(error.to_string());
            }
        }
        let mut got = received(&answer.outcome, self.profile, self.assume);
        if debug_messages {
            got = got.with_debug_messages(&answer.outcome);
        }
        let result = match serde_json::from_value::<CallToolResult>(got.result.clone()) {
            Ok(result) => result,
            // Passed through as an MCP result, but not one the MCP SDK can send (a content
            // block without `type`, say): what a Gateway does then is not known, so it is
            // wrapped as text like any other JSON answer.
            Err(_) => {
                got = received(
                    &answer.outcome,
                    self.profile,
                    Assumptions::default().with_mcp_passthrough(false),
                );
                serde_json::from_value(got.result.clone()).map_err(|e| {
                    ErrorData::internal_error(format!("the result is not an MCP result: {e}"), None)
                })?
            }
        };
        Ok(Answered {
            result,
            shown: got.result,
            outcome: answer.outcome.label(),
            record_error,
        })
    }
}

/// A call the target answered.
struct Answered {
    /// What the client gets.
    result: CallToolResult,
    /// The same, as JSON (for the log line).
    shown: Value,
    /// How the invocation ended.
    outcome: &'static str,
    /// Why `--record` could not keep the call.
    record_error: Option<String>,
}

/// What every connection shares.
struct Shared {
    targets: Vec<ServedTarget>,
    listed: ListToolsResult,
    debug_messages: bool,
    on_call: Box<dyn Fn(&CallRecord) + Send + Sync>,
}

/// A local AgentCore Gateway with one or more Lambda targets, each a handler process behind
/// its definition. Cheap to clone (each MCP session gets a clone).
#[derive(Clone)]
pub struct LocalGateway {
    shared: Arc<Shared>,
    /// The Gateway's interceptors (HTTP only: over stdio there is no HTTP request to
    /// intercept).
    interceptors: super::intercept::Interceptors,
}

impl LocalGateway {
    /// A Gateway with one target: `gateway`'s tools in front of `handler`
    /// ([`ServedTarget::new`]); see [`LocalGateway::with_targets`].
    pub fn new(
        gateway: &Gateway,
        handler: ProcessHandler,
        debug_messages: bool,
        on_call: impl Fn(&CallRecord) + Send + Sync + 'static,
    ) -> Result<LocalGateway, Error> {
        LocalGateway::with_targets(
            vec![ServedTarget::new(gateway, handler)?],
            debug_messages,
            on_call,
        )
    }

    /// A Gateway with these targets (at least one, names unique): `tools/list` lists every
    /// target's `<target>___<tool>` names, in order, and `tools/call` routes by the part before
    /// the first `___`. `debug_messages` answers failed invocations in the Gateway's debug
    /// form. `on_call` sees every call when it is answered. The targets share one gateway id;
    /// each keeps its own target id.
    pub fn with_targets(
        mut targets: Vec<ServedTarget>,
        debug_messages: bool,
        on_call: impl Fn(&CallRecord) + Send + Sync + 'static,
    ) -> Result<LocalGateway, Error> {
        let Some(first) = targets.first() else {
            return Err(Error::Usage(
                "a Gateway serves at least one target".to_owned(),
            ));
        };
        let gateway_id = first.identity.gateway_id.clone();
        for (i, target) in targets.iter().enumerate() {
            if targets[..i].iter().any(|t| t.name() == target.name()) {
                return Err(Error::Usage(format!(
                    "target `{}` is served twice: target names are unique in a Gateway",
                    target.name()
                )));
            }
        }
        let mut listed = Vec::new();
        for (i, target) in targets.iter_mut().enumerate() {
            if i > 0 {
                // Each target its own id (with one seed, all would get the first's).
                let index = u64::try_from(i).unwrap_or(u64::MAX);
                let other = Identity::new(
                    target.name(),
                    target.identity.timeout,
                    target.seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                );
                target.identity.target_id = other.target_id;
            }
            target.identity.gateway_id.clone_from(&gateway_id);
            listed.extend(target.listed.iter().cloned());
        }
        let listed: ListToolsResult = serde_json::from_value(json!({"tools": listed}))
            .map_err(|e| Error::Usage(format!("a tool cannot be listed over MCP: {e}")))?;
        Ok(LocalGateway {
            shared: Arc::new(Shared {
                targets,
                listed,
                debug_messages,
                on_call: Box::new(on_call),
            }),
            interceptors: super::intercept::Interceptors::default(),
        })
    }

    /// Runs `interceptors` on every MCP message served over HTTP, as the Gateway runs its
    /// REQUEST and RESPONSE interceptors.
    #[must_use]
    pub fn with_interceptors(mut self, interceptors: super::intercept::Interceptors) -> Self {
        self.interceptors = interceptors;
        self
    }

    /// The interceptors (cheap to clone).
    pub(crate) fn interceptors(&self) -> super::intercept::Interceptors {
        self.interceptors.clone()
    }

    /// The `<target>___<tool>` names served, target by target in definition order.
    pub fn tool_names(&self) -> Vec<&str> {
        self.shared
            .targets
            .iter()
            .flat_map(|target| target.tools.iter().map(|t| t.qualified.as_str()))
            .collect()
    }

    /// Stops every target's handler process (its whole process group) and reaps it.
    pub async fn stop(&self) {
        for target in &self.shared.targets {
            target.handler.lock().await.stop().await;
        }
    }

    /// The target and tool `name` routes to: the target named by the part before the first
    /// `___` (target names have no underscore), and its tool of that qualified name.
    fn route(&self, name: &str) -> Option<(&ServedTarget, &ServedTool)> {
        let (target_name, _) = name.split_once(names::SEPARATOR)?;
        let target = self
            .shared
            .targets
            .iter()
            .find(|t| t.name() == target_name)?;
        let tool = target.tools.iter().find(|t| t.qualified == name)?;
        Some((target, tool))
    }

    /// One `tools/call`, the one path every call takes: the MCP result, or the JSON-RPC error
    /// the Gateway answers with. `profile: mcp` with an answer the SDK cannot send is a
    /// JSON-RPC internal error.
    ///
    /// Gateway interceptors go here: a REQUEST interceptor before [`LocalGateway::route`]
    /// (it sees the name, the arguments and the HTTP request, and may rewrite them or answer
    /// itself), a RESPONSE interceptor where the target's [`Answered`] comes back, before the
    /// log line and the answer.
    pub(crate) async fn call(
        &self,
        name: &str,
        arguments: Value,
        message_id: u64,
        parts: Option<&http::request::Parts>,
    ) -> Result<CallToolResult, ErrorData> {
        let started = Instant::now();
        let shared = &self.shared;
        let record = |result: Option<Value>, outcome, rejected: Option<String>, record_error| {
            (shared.on_call)(&CallRecord {
                tool: name.to_owned(),
                arguments: arguments.clone(),
                result,
                outcome,
                rejected,
                record_error,
                elapsed: started.elapsed(),
            });
        };
        // (REQUEST interceptor: here.)
        let Some((target, tool)) = self.route(name) else {
            let message = format!("Unknown tool: {name}");
            record(None, None, Some(message.clone()), None);
            return Err(ErrorData::invalid_params(message, None));
        };
        if let Some(errors) = crate::judge::schema_errors(&tool.input, &arguments) {
            let message = format!("{VALIDATION_ERROR}: {errors}");
            record(None, None, Some(message.clone()), None);
            return Err(ErrorData::invalid_params(message, None));
        }
        let answered = target
            .invoke(tool, &arguments, message_id, parts, shared.debug_messages)
            .await?;
        // (RESPONSE interceptor: here, on `answered`.)
        record(
            Some(answered.shown),
            Some(answered.outcome),
            None,
            answered.record_error,
        );
        Ok(answered.result)
    }
}

/// The MCP message id a Gateway puts in `bedrockAgentCoreMcpMessageId`: the JSON-RPC id
/// (a string id that is not a number counts as 0).
fn message_id(id: &rmcp::model::RequestId) -> u64 {
    match id {
        rmcp::model::NumberOrString::Number(n) => u64::try_from(*n).unwrap_or(0),
        rmcp::model::NumberOrString::String(s) => s.parse().unwrap_or(0),
    }
}

/// The requests an MCP client sends a server (specification 2025-06-18): one that reaches
/// [`ServerHandler::on_custom_request`] had parameters rmcp could not read.
const MCP_REQUESTS: [&str; 13] = [
    "initialize",
    "ping",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "logging/setLevel",
    "completion/complete",
];

impl ServerHandler for LocalGateway {
    fn get_info(&self) -> ServerConfig {
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build());
        info.server_info = Implementation::new("toolcontract-serve", env!("CARGO_PKG_VERSION"));
        info
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(self.shared.listed.clone())
    }

    /// A request rmcp could not read as one it knows: an MCP method with parameters of the
    /// wrong shape (`tools/call` with a numeric `name`, say) is invalid params (-32602), as
    /// JSON-RPC has it; anything else is an unknown method (-32601).
    async fn on_custom_request(
        &self,
        request: CustomRequest,
        _context: RequestContext<RoleServer>,
    ) -> Result<CustomResult, ErrorData> {
        let CustomRequest { method, params, .. } = request;
        if method == "tools/call" {
            let why =
                serde_json::from_value::<CallToolRequestParams>(params.unwrap_or(Value::Null))
                    .err()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default();
            return Err(ErrorData::invalid_params(
                format!("Invalid params for tools/call{why}"),
                None,
            ));
        }
        if MCP_REQUESTS.contains(&method.as_str()) {
            return Err(ErrorData::invalid_params(
                format!("Invalid params for {method}"),
                None,
            ));
        }
        Err(ErrorData::new(
            rmcp::model::ErrorCode::METHOD_NOT_FOUND,
            format!("Method not found: {method}"),
            None,
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = Value::Object(request.arguments.unwrap_or_default());
        let result = self
            .call(
                &request.name,
                arguments,
                message_id(&context.id),
                context.extensions.get::<http::request::Parts>(),
            )
            .await?;
        Ok(result.into())
    }
}

#[cfg(test)]
mod tests {
    use super::query_pairs;

    #[test]
    fn query_parameters_are_percent_decoded() {
        assert_eq!(
            query_pairs("tenant=a%20b&x=1+2&empty&bad=%zz&utf=%C3%A9"),
            [
                ("tenant".to_owned(), "a b".to_owned()),
                ("x".to_owned(), "1 2".to_owned()),
                ("empty".to_owned(), String::new()),
                ("bad".to_owned(), "%zz".to_owned()),
                ("utf".to_owned(), "\u{e9}".to_owned()),
            ]
        );
    }
}
