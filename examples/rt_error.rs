//! Fixture handler: returns an error for every event, which `lambda_runtime` posts to
//! `/invocation/{id}/error` as `{"errorType":"ToolFailure","errorMessage":"..."}`.

use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};
use serde_json::Value;

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    Err(Diagnostic {
        error_type: "ToolFailure".into(),
        error_message: format!("cannot handle {}", event.payload),
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
