//! A Gateway Lambda target written the way AWS's own samples write them: it answers a plain
//! dict, `{"statusCode": 200, "body": "<JSON text>"}`, for any tool name, echoing the tool and
//! its arguments, and never the MCP shape. The Gateway wraps such an answer, whole, in one text
//! block (contract-facts.md section 1), so it works; `toolcontract check` passes it under the
//! default `gateway` profile, with one warning (an undeclared name is answered as a success),
//! and fails it under the strict `mcp` profile.
//!
//! ```sh
//! cargo build --example plain_dicts
//! toolcontract check examples/calculator/tools.json -- target/debug/examples/plain_dicts
//! ```

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let tool = event
        .context
        .client_context
        .as_ref()
        .and_then(|c| c.custom.get("bedrockAgentCoreToolName"))
        .map(|name| {
            name.split_once("___")
                .map_or(name.as_str(), |(_, t)| t)
                .to_owned()
        })
        .unwrap_or_default();
    let body = json!({"tool": tool, "arguments": event.payload});
    Ok(json!({"statusCode": 200, "body": body.to_string()}))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
