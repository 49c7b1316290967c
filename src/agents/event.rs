//! The events an agent sends: generated arguments encoded as the service encodes them, in the
//! function-details or OpenAPI envelope.
//!
//! Events are built as strategies over the generator's argument strategy (a `prop_map` of the
//! arguments and the varying envelope parts), so shrinking works through the encoding: a
//! failing event shrinks to the event of the smallest arguments, with empty session attributes
//! and parameters in declaration order.
//!
//! Encoding (contract-facts, section 3): every value is a string. Strings as they are; numbers
//! as their JSON text (`42`, `-1.5`); booleans `true`/`false`; `null` as `null`; arrays of
//! scalars as compact JSON text (`[1,2,3]`, `["a","b"]`); arrays holding objects, and objects,
//! in the non-JSON, Java-toString-like form the service uses for them (`[{a=1, b=x}]`).

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::SBoxedStrategy;
use serde_json::{Map, Value, json};

use crate::definition::{ActionTarget, ApiOperation, FunctionAction};

/// The agent a run impersonates: what every event's `agent` member says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Agent {
    pub(crate) name: String,
    pub(crate) id: String,
    pub(crate) alias: String,
    pub(crate) version: String,
}

impl Agent {
    /// The test alias of the working draft, as the console's test window invokes it.
    pub(crate) fn new(seed: u64) -> Agent {
        let mut state = seed;
        let id: String = (0..10)
            .map(|_| {
                let n = (crate::runner::seed::splitmix64(&mut state) % 36) as u8;
                char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 })
            })
            .collect();
        Agent {
            name: "toolcontract-agent".to_owned(),
            id,
            alias: "TSTALIASID".to_owned(),
            version: "DRAFT".to_owned(),
        }
    }

    fn to_value(&self) -> Value {
        json!({"name": self.name, "id": self.id, "alias": self.alias, "version": self.version})
    }
}

/// The parts of an event that vary besides the arguments.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) input_text: String,
    pub(crate) session_id: String,
    pub(crate) session_attributes: BTreeMap<String, String>,
    pub(crate) prompt_session_attributes: BTreeMap<String, String>,
    /// When there are no parameters to send: leave `parameters` out (else send `[]`).
    pub(crate) omit_empty_parameters: bool,
    /// The order parameters are listed in (a permutation of the declared ones).
    pub(crate) order: Vec<usize>,
}

impl Session {
    /// A plain session: fixed texts, empty attributes, declaration order.
    pub(crate) fn plain(seed: u64, parameters: usize) -> Session {
        Session {
            input_text: "toolcontract".to_owned(),
            session_id: format!("{seed:016x}"),
            session_attributes: BTreeMap::new(),
            prompt_session_attributes: BTreeMap::new(),
            omit_empty_parameters: false,
            order: (0..parameters).collect(),
        }
    }
}

fn attributes() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop_oneof![
        2 => Just(BTreeMap::new()),
        1 => prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9_]{0,15}", "\\PC{0,24}", 1..4),
    ]
}

/// What users say: picked from a list rather than generated, so that shrinking a finding does
/// not spend a handler invocation per character of text the handler does not look at.
const INPUT_TEXTS: &[&str] = &[
    "Book a table for four tomorrow at 8pm",
    "cancel it",
    "¿Puedo cambiar la reserva al sábado?",
    "予約を確認してください",
    "What is the status of claim c-17? 🙂",
    "x",
];

/// Session ids, likewise picked from a list.
const SESSION_IDS: &[&str] = &[
    "toolcontract-session",
    "123456789012345",
    "6f1c9e2a-4b7d-4c1e-9a53-0d2b8e7f6a10",
    "s",
];

/// Sessions for a tool with `parameters` declared parameters.
fn sessions(parameters: usize) -> impl Strategy<Value = Session> {
    (
        prop::sample::select(INPUT_TEXTS).prop_map(str::to_owned),
        prop::sample::select(SESSION_IDS).prop_map(str::to_owned),
        attributes(),
        attributes(),
        any::<bool>(),
        Just((0..parameters).collect::<Vec<usize>>()).prop_shuffle(),
    )
        .prop_map(
            |(input_text, session_id, session, prompt, omit_empty_parameters, order)| Session {
                input_text,
                session_id,
                session_attributes: session,
                prompt_session_attributes: prompt,
                omit_empty_parameters,
                order,
            },
        )
}

/// What the event of one tool needs.
#[derive(Clone, Debug)]
pub(crate) struct EventSpec {
    pub(crate) action_group: String,
    pub(crate) target: ActionTarget,
    pub(crate) agent: Agent,
}

impl EventSpec {
    /// How many parameters the tool declares (what the order permutes).
    pub(crate) fn parameter_count(&self) -> usize {
        match &self.target {
            ActionTarget::Function(f) => f.parameters.len(),
            ActionTarget::Operation(o) => o.parameters.len(),
        }
    }

    /// The strategy of this tool's events, over `arguments`.
    pub(crate) fn strategy(self, arguments: SBoxedStrategy<Value>) -> SBoxedStrategy<Value> {
        let spec = Arc::new(self);
        (arguments, sessions(spec.parameter_count()))
            .prop_map(move |(args, session)| spec.event(&args, &session))
            .sboxed()
    }

    /// The event carrying `arguments` in `session`.
    pub(crate) fn event(&self, arguments: &Value, session: &Session) -> Value {
        let mut event = Map::new();
        event.insert("messageVersion".to_owned(), json!("1.0"));
        event.insert("agent".to_owned(), self.agent.to_value());
        event.insert("inputText".to_owned(), json!(session.input_text));
        event.insert("sessionId".to_owned(), json!(session.session_id));
        event.insert("actionGroup".to_owned(), json!(self.action_group));
        let parameters = match &self.target {
            ActionTarget::Function(function) => {
                event.insert("function".to_owned(), json!(function.function));
                function_parameters(function, arguments, &session.order)
            }
            ActionTarget::Operation(operation) => {
                event.insert("apiPath".to_owned(), json!(operation.api_path));
                event.insert("httpMethod".to_owned(), json!(operation.http_method));
                if let Some(body) = request_body(operation, arguments) {
                    event.insert("requestBody".to_owned(), body);
                }
                operation_parameters(operation, arguments, &session.order)
            }
        };
        if !(parameters.is_empty() && session.omit_empty_parameters) {
            event.insert("parameters".to_owned(), Value::Array(parameters));
        }
        event.insert(
            "sessionAttributes".to_owned(),
            json!(session.session_attributes),
        );
        event.insert(
            "promptSessionAttributes".to_owned(),
            json!(session.prompt_session_attributes),
        );
        Value::Object(event)
    }
}

fn parameter(name: &str, type_name: &str, value: &Value) -> Value {
    json!({"name": name, "type": type_name, "value": encode(value)})
}

fn function_parameters(
    function: &FunctionAction,
    arguments: &Value,
    order: &[usize],
) -> Vec<Value> {
    ordered(order, function.parameters.len())
        .filter_map(|i| {
            let p = &function.parameters[i];
            arguments
                .get(&p.name)
                .map(|v| parameter(&p.name, &p.type_name, v))
        })
        .collect()
}

fn operation_parameters(
    operation: &ApiOperation,
    arguments: &Value,
    order: &[usize],
) -> Vec<Value> {
    let Some(values) = arguments.get("parameters") else {
        return Vec::new();
    };
    ordered(order, operation.parameters.len())
        .filter_map(|i| {
            let p = &operation.parameters[i];
            values
                .get(&p.name)
                .map(|v| parameter(&p.name, &p.type_name, v))
        })
        .collect()
}

/// `order` when it is a permutation of `0..len`, else declaration order.
fn ordered(order: &[usize], len: usize) -> Box<dyn Iterator<Item = usize> + '_> {
    if order.len() == len {
        Box::new(order.iter().copied())
    } else {
        Box::new(0..len)
    }
}

/// `requestBody.content.<media type>.properties`: the body's top-level properties, declared
/// ones first in declaration order, then any others.
fn request_body(operation: &ApiOperation, arguments: &Value) -> Option<Value> {
    let declared = operation.request_body.as_ref()?;
    let Value::Object(body) = arguments.get("requestBody")? else {
        return None;
    };
    let mut properties = Vec::with_capacity(body.len());
    for property in &declared.properties {
        if let Some(value) = body.get(&property.name) {
            properties.push(parameter(&property.name, &property.type_name, value));
        }
    }
    for (name, value) in body {
        if !declared.properties.iter().any(|p| &p.name == name) {
            properties.push(parameter(name, json_type(value), value));
        }
    }
    Some(json!({"content": {declared.media_type.clone(): {"properties": properties}}}))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value as the event carries it: always a string (see the module docs).
pub fn encode(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()) => {
            value.to_string()
        }
        Value::Array(_) | Value::Object(_) => java_like(value),
        other => other.to_string(),
    }
}

/// Java's `toString` of lists and maps: `[a, b]`, `{k=v, k2=v2}`, strings unquoted.
fn java_like(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(java_like).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}={}", java_like(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::encode;

    #[test]
    fn values_are_encoded_as_the_service_sends_them() {
        assert_eq!(encode(&json!("a b")), "a b");
        assert_eq!(encode(&json!(42)), "42");
        assert_eq!(encode(&json!(-1.5)), "-1.5");
        assert_eq!(encode(&json!(true)), "true");
        assert_eq!(encode(&json!(null)), "null");
        assert_eq!(encode(&json!([1, 2, 3])), "[1,2,3]");
        assert_eq!(encode(&json!(["a", "b"])), "[\"a\",\"b\"]");
        assert_eq!(
            encode(&json!([{"a": 1, "b": "x"}, {"c": [true]}])),
            "[{a=1, b=x}, {c=[true]}]"
        );
        assert_eq!(encode(&json!({"k": "v"})), "{k=v}");
    }
}
