//! The buggy OpenAPI action-group handler (substituted apiPath) as a Lambda function binary.

mod handler;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(lambda_runtime::service_fn(handler::handler)).await
}
