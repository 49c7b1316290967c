//! The classic bug: the tool name is read from the EVENT. A Gateway sends only the tool's
//! arguments as the event; the name is in the client context. So every call lands in the
//! "unknown tool" branch, and `toolcontract` reports `tool_reachable`.

use lambda_runtime::{Error, LambdaEvent};
use serde_json::{Value, json};

/// The buggy handler.
pub(crate) async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let args = &event.payload;
    // BUG: the Gateway never puts the tool name in the event.
    let tool = args
        .get("tool_name")
        .or_else(|| args.get("name"))
        .and_then(Value::as_str);
    Ok(match tool {
        Some("add") => {
            let sum = args["a"].as_f64().unwrap_or(0.0) + args["b"].as_f64().unwrap_or(0.0);
            json!({ "content": [{ "text": sum.to_string() }] })
        }
        other => json!({
            "content": [{ "text": format!("unknown tool {other:?}") }],
            "isError": true
        }),
    })
}
