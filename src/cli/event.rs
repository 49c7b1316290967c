//! `toolcontract event`: sample events and contexts of one tool.

use serde_json::json;

use toolcontract::errors::exit;
use toolcontract::{Error, Gateway};

use super::args::EventArgs;
use super::output;

pub(crate) fn run(args: &EventArgs) -> Result<i32, Error> {
    let mut gateway = Gateway::from_path(&args.definition)?;
    if let Some(seed) = args.cases.seed {
        gateway = gateway.seed(seed.0);
    }
    if let Some(target) = &args.cases.target_name {
        gateway = gateway.target_name(target)?;
    }
    let samples = gateway.samples(&args.tool, args.count, args.invalid)?;
    let mut text = String::new();
    for sample in &samples {
        let invocation = &sample.invocation;
        let mut document = json!({
            "tool": sample.tool,
            "seed": sample.seed,
            "event": invocation.event,
            "context": {
                "requestId": invocation.request_id,
                "invokedFunctionArn": invocation.invoked_function_arn,
                "timeoutMs": invocation.timeout.as_millis() as u64,
                "clientContext": invocation.client_context,
            }
        });
        if let Some(violation) = &sample.violation {
            document["violation"] = serde_json::to_value(violation).unwrap_or_default();
        }
        let line = if samples.len() == 1 {
            serde_json::to_string_pretty(&document)
        } else {
            serde_json::to_string(&document)
        };
        text.push_str(&line.unwrap_or_default());
        text.push('\n');
    }
    output::stdout(&text)?;
    Ok(exit::OK)
}
