//! A classic OpenAPI action-group bug: the response's `apiPath` is the path with its
//! parameters filled in (`/claims/c-17`), as a web framework's router reports it, instead of
//! the template the event carried (`/claims/{claimId}`). Every operation with a path parameter
//! then fails the turn with "APIPath in Lambda response doesn't match input", and
//! `toolcontract` reports `echoes_api_path`. The handler is otherwise the correct one
//! (`examples/agents_claims/handler.rs`).

use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;

#[path = "../agents_claims/handler.rs"]
pub(crate) mod claims;

/// The buggy handler.
pub(crate) async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let mut path = event.payload["apiPath"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for parameter in event.payload["parameters"].as_array().into_iter().flatten() {
        if let (Some(name), Some(value)) = (parameter["name"].as_str(), parameter["value"].as_str())
        {
            path = path.replace(&format!("{{{name}}}"), value);
        }
    }
    let mut response = claims::handler(event).await?;
    // BUG: the substituted path, not the template.
    response["response"]["apiPath"] = Value::from(path);
    Ok(response)
}
