//! The MCP traffic an interceptor sees, and the events the Gateway builds from it
//! (`contracts/interceptor-input.json`; contract-facts.md section 5).
//!
//! A case is one *exchange*: a JSON-RPC request from a client, the client's headers, and the
//! answer the target (or the Gateway) gives it. It is drawn as one JSON value,
//! `{"request": {...}, "headers": {...}, "response": {...} | null}`, so shrinking works on the
//! exchange as a whole; [`ExchangeSpec::events`] turns it into the input of each interception
//! point the Lambda is configured at.
//!
//! What the documentation leaves open is chosen here, and said so:
//! - header names arrive lowercase (observed by a third party; HTTP/2 lowercases them anyway);
//! - a notification gets no answer, so the RESPONSE interceptor is not invoked for it (UNKNOWN);
//! - the target's answers to `tools/call` are what the Gateway makes of a Lambda's answer
//!   (section 1): a text block, `isError: true` with the Gateway's opaque text, or a JSON-RPC
//!   error.

use base64::Engine;
use proptest::prelude::*;
use proptest::strategy::SBoxedStrategy;
use serde_json::{Map, Value, json};

use crate::definition::InterceptionPoint;

/// The MCP protocol versions clients send in `initialize`.
const PROTOCOL_VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// Client names in `initialize` (and user agents).
const CLIENTS: &[(&str, &str)] = &[
    ("mcp", "python-httpx/0.28.1"),
    ("mcp-inspector", "node"),
    ("strands-agents", "python-httpx/0.27.2"),
    ("claude-code", "claude-cli/2.0.14 (external, cli)"),
];

/// The text the Gateway answers a failed Lambda invocation with (debugging off,
/// gateway-debug-messages).
const GATEWAY_ERROR_TEXT: &str = "An internal error occurred. Please retry later.";

/// The MCP methods besides `tools/call` that an interceptor sees.
pub(crate) const METHODS: &[&str] = &[
    "initialize",
    "notifications/initialized",
    "tools/list",
    "ping",
];

/// Whether a method is a notification (no id, no answer).
pub(crate) fn is_notification(method: &str) -> bool {
    method.starts_with("notifications/")
}

/// What the events of one configured Lambda look like: where it runs and whether each point
/// gets the request headers.
#[derive(Clone, Debug)]
pub(crate) struct ExchangeSpec {
    /// The points, in Gateway order (REQUEST before RESPONSE), with `passRequestHeaders`.
    pub(crate) points: Vec<(InterceptionPoint, bool)>,
    /// The `tools/list` result's tools: what the Gateway lists for its targets.
    pub(crate) tools: std::sync::Arc<Vec<Value>>,
    /// Whether responses are streamed: a `tools/call` answer then comes as events (progress
    /// notifications, then the response), the RESPONSE interceptor invoked once per event.
    pub(crate) streaming: bool,
}

impl ExchangeSpec {
    /// The input of each point for `exchange`, in order (the RESPONSE input only when the
    /// exchange has an answer).
    pub(crate) fn events(&self, exchange: &Value) -> Vec<(InterceptionPoint, Value)> {
        let request = &exchange["request"];
        let raw = serde_json::to_string(request).unwrap_or_default();
        let mut out = Vec::new();
        for (point, pass_headers) in &self.points {
            let headers = if *pass_headers {
                exchange["headers"].clone()
            } else {
                Value::Object(Map::new())
            };
            let mut mcp = json!({
                "rawGatewayRequest": {"body": raw},
                "gatewayRequest": {
                    "path": "/mcp",
                    "httpMethod": "POST",
                    "headers": headers,
                    "body": request,
                },
            });
            match point {
                InterceptionPoint::Request => {
                    mcp["gatewayResponse"] = Value::Null;
                }
                InterceptionPoint::Response => {
                    let Some(response) = exchange.get("response").filter(|r| !r.is_null()) else {
                        continue;
                    };
                    let session = exchange["headers"]["mcp-session-id"].clone();
                    let streamed = exchange.get("events").and_then(Value::as_array);
                    let Some(events) = streamed.filter(|_| self.streaming) else {
                        mcp["gatewayResponse"] = json!({
                            "statusCode": 200,
                            "headers": {"content-type": "application/json", "mcp-session-id": session},
                            "body": response,
                        });
                        out.push((
                            *point,
                            json!({"interceptorInputVersion": "1.0", "mcp": mcp}),
                        ));
                        continue;
                    };
                    // One invocation per event of the stream, the response last.
                    for body in events.iter().chain(std::iter::once(response)) {
                        let mut mcp = mcp.clone();
                        mcp["gatewayResponse"] = json!({
                            "statusCode": 200,
                            "headers": {"content-type": "text/event-stream", "mcp-session-id": session},
                            "body": body,
                            "isStreamingResponse": true,
                        });
                        out.push((
                            *point,
                            json!({"interceptorInputVersion": "1.0", "mcp": mcp}),
                        ));
                    }
                    continue;
                }
            }
            out.push((
                *point,
                json!({"interceptorInputVersion": "1.0", "mcp": mcp}),
            ));
        }
        out
    }

    /// The exchanges of a `tools/call` of `tool` (its qualified name), with arguments from
    /// `arguments`.
    pub(crate) fn tool_call(
        &self,
        tool: &str,
        arguments: SBoxedStrategy<Value>,
    ) -> SBoxedStrategy<Value> {
        let tool = tool.to_owned();
        let streaming = self.streaming;
        (id(), arguments, headers(), call_result(), 0u8..3)
            .prop_map(move |(id, arguments, headers, result, progress)| {
                let request = json!({
                    "jsonrpc": "2.0",
                    "id": id,
                    "method": "tools/call",
                    "params": {"name": tool, "arguments": arguments},
                });
                let mut exchange = exchange(request, headers, result);
                if streaming {
                    // Progress notifications before the response (gateway-mcp-streaming).
                    let events: Vec<Value> = (0..progress)
                        .map(|i| {
                            json!({"jsonrpc": "2.0", "method": "notifications/progress",
                                   "params": {"progressToken": id, "progress": i + 1, "total": 3}})
                        })
                        .collect();
                    exchange["events"] = Value::Array(events);
                }
                exchange
            })
            .sboxed()
    }

    /// The exchanges of `method` (one of [`METHODS`]).
    pub(crate) fn method(&self, method: &str) -> SBoxedStrategy<Value> {
        let method = method.to_owned();
        let tools = self.tools.clone();
        (
            id(),
            headers(),
            prop::sample::select(PROTOCOL_VERSIONS),
            prop::sample::select(CLIENTS),
            any::<bool>(),
        )
            .prop_map(move |(id, headers, version, (client, _), with_params)| {
                let mut request = json!({"jsonrpc": "2.0", "method": method});
                if !is_notification(&method) {
                    request["id"] = id;
                }
                let result = match method.as_str() {
                    "initialize" => {
                        request["params"] = json!({
                            "protocolVersion": version,
                            "capabilities": {},
                            "clientInfo": {"name": client, "version": "1.0.0"},
                        });
                        Some(json!({"result": {
                            "protocolVersion": version,
                            "capabilities": {"tools": {"listChanged": false}},
                            "serverInfo": {"name": "toolcontract-gateway", "version": "1.0.0"},
                        }}))
                    }
                    "tools/list" => {
                        if with_params {
                            request["params"] = json!({});
                        }
                        Some(json!({"result": {"tools": *tools}}))
                    }
                    "ping" => Some(json!({"result": {}})),
                    _ => None,
                };
                match result {
                    Some(result) => exchange(request, headers, result),
                    None => json!({"request": request, "headers": headers, "response": null}),
                }
            })
            .sboxed()
    }
}

/// `{"request", "headers", "response"}`, the response being `answer` (`{"result": ...}` or
/// `{"error": ...}`) with the request's id.
fn exchange(request: Value, headers: Value, answer: Value) -> Value {
    let mut response = json!({"jsonrpc": "2.0", "id": request["id"]});
    if let (Value::Object(response), Value::Object(answer)) = (&mut response, answer) {
        response.extend(answer);
    }
    json!({"request": request, "headers": headers, "response": response})
}

/// JSON-RPC ids as clients send them: small integers mostly, large ones, and strings.
fn id() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => (0i64..16).prop_map(Value::from),
        2 => (0i64..=i64::from(i32::MAX)).prop_map(Value::from),
        2 => "[0-9a-f]{8}-[0-9a-f]{4}".prop_map(Value::from),
    ]
}

/// The client's request headers, names lowercase.
fn headers() -> impl Strategy<Value = Value> {
    (
        any::<u64>(),
        prop::sample::select(CLIENTS),
        prop::sample::select(PROTOCOL_VERSIONS),
        prop::option::of("[a-z]{3,12}"),
    )
        .prop_map(|(seed, (_, agent), version, tenant)| {
            client_headers(seed, agent, version, tenant)
        })
}

/// The headers of [`headers`] fixed by `seed` (for single invocations and snapshots).
pub(crate) fn headers_for(seed: u64) -> Value {
    let (_, agent) = CLIENTS[(seed % CLIENTS.len() as u64) as usize];
    client_headers(seed, agent, PROTOCOL_VERSIONS[0], None)
}

fn client_headers(seed: u64, agent: &str, version: &str, tenant: Option<String>) -> Value {
    let mut headers = json!({
        "accept": "application/json, text/event-stream",
        "authorization": format!("Bearer {}", jwt(seed)),
        "content-type": "application/json",
        "mcp-protocol-version": version,
        "mcp-session-id": crate::runner::seed::uuid_like(seed),
        "user-agent": agent,
    });
    if let Some(tenant) = tenant {
        headers["x-tenant-id"] = Value::String(tenant);
    }
    headers
}

/// An unsigned but well-formed access token of the kind a Gateway's JWT authorizer accepts
/// (Cognito's claims), so an interceptor that decodes it gets claims, not garbage.
fn jwt(seed: u64) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(br#"{"alg":"RS256","kid":"toolcontract","typ":"JWT"}"#);
    let sub = crate::runner::seed::uuid_like(seed ^ 0x5eed);
    let claims = json!({
        "sub": sub,
        "client_id": format!("client{}", seed % 1000),
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_toolcontract",
        "token_use": "access",
        "scope": "gateway/invoke",
        "iat": 1_764_000_000u64,
        "exp": 1_764_003_600u64,
    });
    let payload = engine.encode(claims.to_string());
    let signature = engine.encode(seed.to_be_bytes());
    format!("{header}.{payload}.{signature}")
}

/// The target's answer to a `tools/call` as the Gateway forwards it: mostly a text result,
/// sometimes the Gateway's opaque error result, sometimes a JSON-RPC error.
fn call_result() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => "[ -~]{0,40}".prop_map(|text| json!({"result": {
            "isError": false,
            "content": [{"type": "text", "text": Value::String(text).to_string()}],
        }})),
        2 => Just(json!({"result": {
            "isError": true,
            "content": [{"type": "text", "text": GATEWAY_ERROR_TEXT}],
        }})),
        1 => Just(json!({"error": {"code": -32603, "message": "Internal error"}})),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::Contract;
    use proptest::strategy::ValueTree;

    fn spec() -> ExchangeSpec {
        ExchangeSpec {
            points: vec![
                (InterceptionPoint::Request, true),
                (InterceptionPoint::Response, false),
            ],
            tools: std::sync::Arc::new(vec![
                json!({"name": "t___a", "inputSchema": {"type": "object"}}),
            ]),
            streaming: false,
        }
    }

    #[test]
    fn every_event_keeps_the_input_contract() {
        let spec = spec();
        let validator = Contract::InterceptorInput.validator();
        let mut strategies = vec![spec.tool_call("t___a", Just(json!({"x": 1})).sboxed())];
        strategies.extend(METHODS.iter().map(|m| spec.method(m)));
        for strategy in strategies {
            for seed in 0..50 {
                let exchange = strategy
                    .new_tree(&mut crate::runner::seed::case_runner(seed))
                    .unwrap()
                    .current();
                for (point, event) in spec.events(&exchange) {
                    let errors: Vec<String> = validator
                        .iter_errors(&event)
                        .map(|e| e.to_string())
                        .collect();
                    assert!(errors.is_empty(), "{point} {event}: {errors:?}");
                    let headers = &event["mcp"]["gatewayRequest"]["headers"];
                    assert_eq!(
                        headers.as_object().unwrap().is_empty(),
                        point == InterceptionPoint::Response,
                        "headers only where passRequestHeaders: {event}"
                    );
                    if point == InterceptionPoint::Response {
                        let response = &event["mcp"]["gatewayResponse"]["body"];
                        assert!(Contract::JsonRpcResponse.validator().is_valid(response));
                        assert_eq!(response["id"], exchange["request"]["id"]);
                    }
                }
            }
        }
    }

    #[test]
    fn notifications_have_no_id_and_no_response_event() {
        let spec = spec();
        let exchange = spec
            .method("notifications/initialized")
            .new_tree(&mut crate::runner::seed::case_runner(1))
            .unwrap()
            .current();
        assert!(exchange["request"].get("id").is_none());
        let events = spec.events(&exchange);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].0, InterceptionPoint::Request);
    }

    #[test]
    fn the_token_is_a_decodable_jwt() {
        let token = jwt(7);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap();
        let claims: Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(claims["token_use"], "access");
    }
}
