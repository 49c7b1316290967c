//! Fixture handler: answers every event with `{"content":[{"text": <the event as JSON text>}]}`.
//! A single-threaded runtime: the trivial compiled handler of the throughput measurement.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(json!({"content": [{"text": event.payload.to_string()}]}))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
