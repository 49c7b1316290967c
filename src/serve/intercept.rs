//! Gateway interceptors inside `serve`: the REQUEST interceptor runs on every MCP message
//! before it is routed (it may rewrite the request or answer the client at once), the
//! RESPONSE interceptor on every answer to a request (the target's, or the REQUEST
//! interceptor's short-circuit), as contract-facts.md section 5 describes.
//!
//! The inputs are built as the interceptor contract's events are
//! ([`crate::interceptor`]): `rawGatewayRequest`, `gatewayRequest` (headers, lowercase, only
//! with `passRequestHeaders`), `gatewayResponse`. What the documentation leaves open is
//! chosen, and said so in the README: an interceptor that fails (a function error, a
//! timeout, an output of the wrong shape) gets the client a JSON-RPC error
//! `-32603` "Received invalid response from interceptor" with the request's id; a
//! notification gets no RESPONSE interceptor.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use tokio::sync::Mutex;

use crate::contracts::Contract;
use crate::definition::{InterceptionPoint, InterceptorDeclaration};
use crate::handler::runtime_api::ProcessHandler;
use crate::handler::{Handler, Invocation, Outcome};

/// What the Gateway logs for an interceptor answer it cannot use (observed, third party).
pub(crate) const INVALID_RESPONSE: &str = "Received invalid response from interceptor";

/// One interceptor Lambda, as a supervised handler process.
struct Served {
    arn: String,
    handler: Mutex<ProcessHandler>,
    timeout: Duration,
    calls: std::sync::atomic::AtomicU64,
}

/// Where the log lines of the interceptors go.
type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// The interceptors of a local Gateway: at most one per point (one process when the same
/// Lambda has both).
#[derive(Clone, Default)]
pub struct Interceptors {
    request: Option<(Arc<Served>, bool)>,
    response: Option<(Arc<Served>, bool)>,
    log: Option<Log>,
}

/// What the REQUEST interceptor decided.
pub(crate) enum Decision {
    /// Forward this request (body and headers to set).
    Forward {
        body: Value,
        headers: Vec<(String, String)>,
    },
    /// Answer the client at once with this status and JSON-RPC response.
    Answer { status: u16, body: Value },
}

impl Interceptors {
    /// The interceptors `declaration` configures, each Lambda started by `start` (its ARN
    /// given); `log` gets a line per interceptor invocation.
    pub fn new(
        declaration: &InterceptorDeclaration,
        mut start: impl FnMut(&str) -> Result<ProcessHandler, crate::Error>,
        timeout: Duration,
        log: impl Fn(&str) + Send + Sync + 'static,
    ) -> Result<Interceptors, crate::Error> {
        let mut interceptors = Interceptors {
            log: Some(Arc::new(log)),
            ..Interceptors::default()
        };
        for arn in declaration.lambdas() {
            let served = Arc::new(Served {
                arn: arn.to_owned(),
                handler: Mutex::new(start(arn)?),
                timeout,
                calls: std::sync::atomic::AtomicU64::new(0),
            });
            for (point, pass_headers) in declaration.points_of(arn) {
                let slot = match point {
                    InterceptionPoint::Request => &mut interceptors.request,
                    InterceptionPoint::Response => &mut interceptors.response,
                };
                *slot = Some((served.clone(), pass_headers));
            }
        }
        Ok(interceptors)
    }

    /// Whether any interceptor is configured.
    pub(crate) fn any(&self) -> bool {
        self.request.is_some() || self.response.is_some()
    }

    /// Whether a RESPONSE interceptor is configured.
    pub(crate) fn has_response(&self) -> bool {
        self.response.is_some()
    }

    /// Stops every interceptor process.
    pub async fn stop(&self) {
        for (served, _) in self.request.iter().chain(&self.response) {
            served.handler.lock().await.stop().await;
        }
    }

    fn note(&self, line: &str) {
        if let Some(log) = &self.log {
            log(line);
        }
    }

    /// Runs the REQUEST interceptor on `message` (`raw` as the client sent it), if any;
    /// `Err` is the JSON-RPC error the client gets when it fails.
    pub(crate) async fn request(
        &self,
        message: &Value,
        raw: &str,
        headers: &Map<String, Value>,
    ) -> Result<Decision, Value> {
        let Some((served, pass)) = &self.request else {
            return Ok(Decision::Forward {
                body: message.clone(),
                headers: Vec::new(),
            });
        };
        let event = input(message, raw, headers, *pass, Value::Null);
        let out = self
            .invoke(served, InterceptionPoint::Request, message, event)
            .await?;
        let mcp = &out["mcp"];
        if let Some(answer) = mcp.get("transformedGatewayResponse") {
            return match answer.get("body") {
                Some(body @ Value::Object(_)) => Ok(Decision::Answer {
                    status: status_of(answer),
                    body: body.clone(),
                }),
                // At REQUEST there is no answer for null to keep (not documented).
                _ => Err(self.failure(
                    message,
                    "REQUEST",
                    "a short-circuit answer without a body (no target answer to keep)",
                )),
            };
        }
        let transformed = &mcp["transformedGatewayRequest"];
        let body = match transformed.get("body") {
            Some(body @ Value::Object(_)) => body.clone(),
            _ => message.clone(),
        };
        let headers = transformed
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Decision::Forward { body, headers })
    }

    /// Runs the RESPONSE interceptor on the answer to `message`, if any: the status and
    /// body the client gets.
    pub(crate) async fn response(
        &self,
        message: &Value,
        raw: &str,
        headers: &Map<String, Value>,
        status: u16,
        body: Value,
    ) -> (u16, Value) {
        let Some((served, pass)) = &self.response else {
            return (status, body);
        };
        let gateway_response = json!({
            "statusCode": status,
            "headers": {"content-type": "application/json"},
            "body": body,
        });
        let event = input(message, raw, headers, *pass, gateway_response);
        match self
            .invoke(served, InterceptionPoint::Response, message, event)
            .await
        {
            Err(error) => (200, error),
            Ok(out) => {
                let answer = &out["mcp"]["transformedGatewayResponse"];
                let status = if answer.get("statusCode").is_some() {
                    status_of(answer)
                } else {
                    status
                };
                match answer.get("body") {
                    Some(transformed @ Value::Object(_)) => (status, transformed.clone()),
                    _ => (status, body),
                }
            }
        }
    }

    /// Invokes `served` at `point`; the output when it keeps the output contract.
    async fn invoke(
        &self,
        served: &Served,
        point: InterceptionPoint,
        message: &Value,
        event: Value,
    ) -> Result<Value, Value> {
        let started = Instant::now();
        let n = served
            .calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let invocation = Invocation::new(
            crate::runner::seed::uuid_like(n ^ 0x1e7e_c0de),
            event,
            served.arn.clone(),
            served.timeout,
        );
        let answer = served.handler.lock().await.invoke(&invocation).await;
        let method = message["method"].as_str().unwrap_or("?");
        let elapsed = started.elapsed().as_millis();
        let contract = match point {
            InterceptionPoint::Request => Contract::InterceptorRequestOutput,
            InterceptionPoint::Response => Contract::InterceptorResponseOutput,
        };
        let problem = match &answer.outcome {
            Outcome::Response { body, .. } => {
                match crate::judge::schema_errors(contract.validator(), body) {
                    None => {
                        self.note(&format!(
                            "toolcontract: interceptor {point} {method}: {} ({elapsed} ms)",
                            summary(point, body)
                        ));
                        return Ok(body.clone());
                    }
                    Some(errors) => format!(
                        "the output breaks contracts/{}.json: {errors}",
                        contract.name()
                    ),
                }
            }
            other => crate::judge::function_error(other)
                .unwrap_or_else(|| format!("no usable answer ({})", other.label())),
        };
        Err(self.failure(
            message,
            point.as_str(),
            &format!("{problem} ({elapsed} ms)"),
        ))
    }

    /// The JSON-RPC error a client gets when an interceptor fails (not documented: the
    /// Gateway's own log line as the message), and the log line saying why.
    fn failure(&self, message: &Value, point: &str, why: &str) -> Value {
        let method = message["method"].as_str().unwrap_or("?");
        self.note(&format!(
            "toolcontract: interceptor {point} {method}: FAILED: {why}; the client gets a \
             JSON-RPC error"
        ));
        json!({
            "jsonrpc": "2.0",
            "id": message.get("id").cloned().unwrap_or(Value::Null),
            "error": {"code": -32603, "message": INVALID_RESPONSE},
        })
    }
}

/// The HTTP status of a `transformedGatewayResponse` (200 when it gives none usable).
fn status_of(answer: &Value) -> u16 {
    answer["statusCode"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))
        .unwrap_or(200)
}

/// What an output did, for the log line.
fn summary(point: InterceptionPoint, out: &Value) -> String {
    let mcp = &out["mcp"];
    match (point, mcp.get("transformedGatewayResponse")) {
        (InterceptionPoint::Request, Some(answer)) => {
            format!("answered at once ({})", status_of(answer))
        }
        (InterceptionPoint::Request, None) => "forwarded".to_owned(),
        (InterceptionPoint::Response, Some(answer))
            if answer.get("body").is_some_and(Value::is_object) =>
        {
            "answer transformed".to_owned()
        }
        (InterceptionPoint::Response, _) => "answer kept".to_owned(),
    }
}

/// The input of an interceptor.
fn input(
    message: &Value,
    raw: &str,
    headers: &Map<String, Value>,
    pass_headers: bool,
    gateway_response: Value,
) -> Value {
    let headers = if pass_headers {
        Value::Object(headers.clone())
    } else {
        Value::Object(Map::new())
    };
    json!({
        "interceptorInputVersion": "1.0",
        "mcp": {
            "rawGatewayRequest": {"body": raw},
            "gatewayRequest": {
                "path": "/mcp",
                "httpMethod": "POST",
                "headers": headers,
                "body": message,
            },
            "gatewayResponse": gateway_response,
        }
    })
}

/// The request headers as an interceptor sees them: names lowercase, values that are text.
pub(crate) fn header_map(headers: &http::HeaderMap) -> Map<String, Value> {
    headers
        .iter()
        .filter_map(|(name, value)| {
            Some((
                name.as_str().to_ascii_lowercase(),
                Value::String(value.to_str().ok()?.to_owned()),
            ))
        })
        .collect()
}
