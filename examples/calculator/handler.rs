//! A correct AgentCore Gateway Lambda target with three tools (`examples/calculator/tools.json`).
//!
//! It reads the tool name from `context.client_context.custom["bedrockAgentCoreToolName"]`,
//! splits it at the first `___`, checks its arguments, and answers
//! `{"content": [{"text": ...}]}`, or `"isError": true` with a useful text: it never returns a
//! function error for bad input.

use lambda_runtime::{Context, Error, LambdaEvent};
use serde_json::{Value, json};

/// The tool name the Gateway asked for, without the `<target>___` prefix.
pub(crate) fn tool_name(context: &Context) -> Option<&str> {
    let qualified = context
        .client_context
        .as_ref()?
        .custom
        .get("bedrockAgentCoreToolName")?;
    Some(
        qualified
            .split_once("___")
            .map_or(qualified.as_str(), |(_, tool)| tool),
    )
}

fn text(text: String) -> Value {
    json!({ "content": [{ "type": "text", "text": text }] })
}

fn error(text: String) -> Value {
    json!({ "content": [{ "type": "text", "text": text }], "isError": true })
}

fn numbers(args: &Value) -> Option<(f64, f64)> {
    Some((args.get("a")?.as_f64()?, args.get("b")?.as_f64()?))
}

/// The handler: `lambda_runtime::service_fn(handler)`.
pub(crate) async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let args = &event.payload;
    Ok(match tool_name(&event.context) {
        Some("add") => match numbers(args) {
            Some((a, b)) => text(format!("{}", a + b)),
            None => error("add needs two numbers, `a` and `b`".to_owned()),
        },
        Some("divide") => match numbers(args) {
            Some((_, 0.0)) => error("cannot divide by zero".to_owned()),
            Some((a, b)) => text(format!("{}", a / b)),
            None => error("divide needs two numbers, `a` and `b`".to_owned()),
        },
        Some("get_order") => match args.get("order_id").and_then(Value::as_str) {
            Some("") => error("order_id is empty".to_owned()),
            Some(id) => {
                let items = args.get("include_items") == Some(&Value::Bool(true));
                text(format!(
                    "order {id}: shipped{}",
                    if items { "; 2 items" } else { "" }
                ))
            }
            None => error("get_order needs a string `order_id`".to_owned()),
        },
        Some(other) => error(format!("unknown tool `{other}`")),
        None => error("no bedrockAgentCoreToolName in the client context".to_owned()),
    })
}
