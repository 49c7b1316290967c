//! The correct example handler as a Lambda function binary (`cargo run --example calculator`
//! needs a Lambda Runtime API; `toolcontract check` serves one).

mod handler;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(lambda_runtime::service_fn(handler::handler)).await
}
