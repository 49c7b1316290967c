//! The correct OpenAPI action-group handler as a Lambda function binary
//! (`toolcontract check examples/agents_claims/openapi.yaml --action-group ClaimsActionGroup -- ./target/debug/examples/agents_claims`).

mod handler;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(lambda_runtime::service_fn(handler::handler)).await
}
