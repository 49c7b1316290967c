//! Fixture handler: answers every event with `{"content":[{"text": <the event as JSON text>}]}`.
//! An event's `"say"` string is first printed to stdout, its `"shout"` string to stderr.
//! A single-threaded runtime: the trivial compiled handler of the throughput measurement.

// A fixture: printing is part of what it is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    if let Some(text) = event.payload["say"].as_str() {
        println!("{text}");
    }
    if let Some(text) = event.payload["shout"].as_str() {
        eprintln!("{text}");
    }
    Ok(json!({"content": [{"text": event.payload.to_string()}]}))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
