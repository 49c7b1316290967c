//! Handlers in interpreted languages, each run by its official AWS Lambda runtime interface
//! client against toolcontract's Runtime API: Python (`awslambdaric`, set up by
//! `scripts/setup-python.sh`) and Node.js (`aws-lambda-ric`, set up by `scripts/setup-node.sh`).
//! One test binary for both, one module each. Without its setup a module's tests say SKIPPED on
//! stderr and pass, unless `TOOLCONTRACT_REQUIRE_PYTHON` / `TOOLCONTRACT_REQUIRE_NODE` is set
//! (as in CI): then they fail.

#![allow(clippy::print_stderr)] // a skipped test says so on stderr

#[path = "runtime_api_interpreters/node.rs"]
mod node;
#[path = "runtime_api_interpreters/python.rs"]
mod python;
