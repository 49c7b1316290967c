//! Fixture handler: answers every event with a 7 MB JSON string (Lambda's limit is 6 MB).

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

async fn handler(_event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(Value::String("x".repeat(7_000_000)))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
