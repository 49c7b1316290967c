//! Fixture handler: answers with what `lambda_runtime` parsed from the `/next` headers and the
//! environment: the client context's `custom` map, the deadline, request id, function ARN,
//! trace id, and the function configuration.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let context = event.context;
    Ok(json!({
        "custom": context.client_context.map(|c| c.custom),
        "deadline": context.deadline,
        "request_id": context.request_id,
        "invoked_function_arn": context.invoked_function_arn,
        "xray_trace_id": context.xray_trace_id,
        "function_name": context.env_config.function_name,
        "memory": context.env_config.memory,
        "version": context.env_config.version,
        "log_group": context.env_config.log_group,
        "log_stream": context.env_config.log_stream,
        "region": std::env::var("AWS_REGION").ok(),
        "default_region": std::env::var("AWS_DEFAULT_REGION").ok(),
    }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
