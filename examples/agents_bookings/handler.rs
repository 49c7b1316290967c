//! A correct Bedrock Agents action group Lambda, function details
//! (`examples/agents_bookings/action-group.json`).
//!
//! It reads the function from the event, parses the parameters (every value arrives as a
//! string, whatever its declared type), and answers in the function-details envelope: it echoes
//! `actionGroup` and `function`, sets `messageVersion` to "1.0", and hands the session
//! attributes back. Bad input and unknown functions get `responseState: REPROMPT` with a text
//! the model can act on, never a function error.

use std::collections::BTreeMap;

use lambda_runtime::{Error, LambdaEvent};
use serde_json::{Value, json};

/// The parameters as name -> value (always strings in the event).
fn parameters(event: &Value) -> BTreeMap<&str, &str> {
    event
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get("name")?.as_str()?, p.get("value")?.as_str()?)))
        .collect()
}

/// The function-details response: echoes the event's names, carries `text`.
fn respond(event: &Value, text: String, reprompt: bool) -> Value {
    let mut function_response = json!({ "responseBody": { "TEXT": { "body": text } } });
    if reprompt {
        function_response["responseState"] = json!("REPROMPT");
    }
    json!({
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event["actionGroup"],
            "function": event["function"],
            "functionResponse": function_response
        },
        "sessionAttributes": event.get("sessionAttributes").cloned().unwrap_or(json!({})),
        "promptSessionAttributes": event.get("promptSessionAttributes").cloned().unwrap_or(json!({}))
    })
}

/// What the function says, or what the model should ask for instead.
fn run(function: &str, params: &BTreeMap<&str, &str>) -> Result<String, String> {
    match function {
        "get_booking" => {
            let id = params
                .get("booking_id")
                .ok_or("which booking? give booking_id")?;
            Ok(format!("booking {id}: a table for 2 at 19:00"))
        }
        "create_booking" => {
            let date = params.get("date").ok_or("on which date? give date")?;
            let guests: i64 = params
                .get("guests")
                .ok_or("for how many people? give guests")?
                .parse()
                .map_err(|_| "guests must be a whole number".to_owned())?;
            let name = params.get("name").copied().unwrap_or("guest");
            let terrace = params.get("terrace") == Some(&"true");
            Ok(format!(
                "booked a table for {guests} on {date} under {name}{}",
                if terrace { ", outside" } else { "" }
            ))
        }
        "cancel_booking" => {
            let id = params
                .get("booking_id")
                .ok_or("which booking? give booking_id")?;
            Ok(format!("booking {id} is cancelled"))
        }
        other => Err(format!("unknown function `{other}`")),
    }
}

/// The handler: `lambda_runtime::service_fn(handler)`.
pub(crate) async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let event = event.payload;
    let function = event
        .get("function")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(match run(function, &parameters(&event)) {
        Ok(text) => respond(&event, text, false),
        Err(text) => respond(&event, text, true),
    })
}
