//! Fixture handler: never answers an event with `"hang": true`; echoes anything else.

// A fixture: printing is part of what it is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    if event.payload["hang"] == json!(true) {
        eprintln!("rt_hang: hanging");
        std::future::pending::<()>().await;
    }
    Ok(json!({"content": [{"text": event.payload.to_string()}]}))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
