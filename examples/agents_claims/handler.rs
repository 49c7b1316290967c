//! A correct Bedrock Agents action group Lambda, OpenAPI (`examples/agents_claims/openapi.yaml`,
//! deployed as the action group `ClaimsActionGroup`).
//!
//! It dispatches on `httpMethod` and the `apiPath` TEMPLATE (`/claims/{claimId}`: the agent
//! never substitutes it), reads path and query parameters from `parameters` and the body's
//! properties from `requestBody.content."application/json".properties` (every value a string),
//! and answers in the OpenAPI envelope, echoing `actionGroup`, `apiPath` and `httpMethod`.
//! Unknown operations get a 404 with an error body, never a function error.

use std::collections::BTreeMap;

use lambda_runtime::{Error, LambdaEvent};
use serde_json::{Value, json};

/// name -> value of a list of `{"name", "type", "value"}`.
fn values(list: Option<&Value>) -> BTreeMap<&str, &str> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get("name")?.as_str()?, p.get("value")?.as_str()?)))
        .collect()
}

fn respond(event: &Value, status: u16, body: Value) -> Value {
    json!({
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event["actionGroup"],
            "apiPath": event["apiPath"],
            "httpMethod": event["httpMethod"],
            "httpStatusCode": status,
            "responseBody": {"application/json": {"body": body.to_string()}}
        },
        "sessionAttributes": event.get("sessionAttributes").cloned().unwrap_or(json!({})),
        "promptSessionAttributes": event.get("promptSessionAttributes").cloned().unwrap_or(json!({}))
    })
}

/// The handler: `lambda_runtime::service_fn(handler)`.
pub(crate) async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let event = event.payload;
    let params = values(event.get("parameters"));
    let body = values(event.pointer("/requestBody/content/application~1json/properties"));
    let method = event["httpMethod"].as_str().unwrap_or_default();
    let path = event["apiPath"].as_str().unwrap_or_default();
    let (status, answer) = match (method, path) {
        ("GET", "/claims") => {
            let limit = params
                .get("limit")
                .and_then(|l| l.parse::<i64>().ok())
                .unwrap_or(10)
                .clamp(0, 10);
            let status = params.get("status").copied().unwrap_or("open");
            let claims: Vec<String> = (1..=limit.min(3)).map(|i| format!("claim-{i}")).collect();
            (200, json!({"status": status, "claims": claims}))
        }
        ("GET", "/claims/{claimId}") => match params.get("claimId") {
            Some(id) => (200, json!({"claimId": id, "state": "open", "amount": 1200})),
            None => (400, json!({"error": "claimId is required"})),
        },
        ("POST", "/claims/{claimId}/reminders") => {
            match (params.get("claimId"), body.get("documents")) {
                (Some(id), Some(documents)) => {
                    let urgent = body.get("urgent") == Some(&"true");
                    (
                        200,
                        json!({"claimId": id, "reminded": documents, "sms": urgent}),
                    )
                }
                _ => (400, json!({"error": "claimId and documents are required"})),
            }
        }
        _ => (
            404,
            json!({"error": format!("unknown operation {method} {path}")}),
        ),
    };
    Ok(respond(&event, status, answer))
}
