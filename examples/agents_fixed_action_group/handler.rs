//! A classic action-group bug: the response names the action group it was written for
//! (`"Bookings"`) instead of echoing the event's `actionGroup`. The group was deployed as
//! `BookingsActionGroup`, so every answer fails the turn with "ActionGroup in Lambda response
//! doesn't match input", and `toolcontract` reports `echoes_action_group`. The handler is
//! otherwise the correct one (`examples/agents_bookings/handler.rs`).

use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;

#[path = "../agents_bookings/handler.rs"]
pub(crate) mod bookings;

/// The buggy handler.
pub(crate) async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let mut response = bookings::handler(event).await?;
    // BUG: a hard-coded action group name.
    response["response"]["actionGroup"] = Value::from("Bookings");
    Ok(response)
}
