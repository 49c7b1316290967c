//! The correct action-group handler as a Lambda function binary
//! (`toolcontract check examples/agents_bookings/action-group.json -- ./target/debug/examples/agents_bookings`).

mod handler;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(lambda_runtime::service_fn(handler::handler)).await
}
