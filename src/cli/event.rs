//! `toolcontract event`: sample events and contexts of one tool.

use serde_json::json;

use crate::Error;
use crate::errors::exit;

use super::args::EventArgs;
use super::harness::{Harness, Settings};
use super::output;

pub(crate) fn run(args: &EventArgs) -> Result<i32, Error> {
    let config = super::harness::config(None, &args.definition)?;
    let harness = Harness::load(&args.definition, &args.cases.selection(), config.as_ref())?
        .configure(&Settings {
            seed: args.cases.seed.map(|s| s.0),
            target_name: args.cases.target_name.as_deref(),
            interceptor: args.cases.interceptor.as_deref(),
            ..Settings::default()
        })?;
    let samples = harness.samples(&args.tool, args.count, args.invalid)?;
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
            }
        });
        if let Some(client_context) = &invocation.client_context {
            document["context"]["clientContext"] = client_context.to_value();
        }
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
