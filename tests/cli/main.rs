//! Command-line tests (feature `cli`): the `toolcontract` binary, and handlers in Python and Node.js.
//!
//! One test binary per feature set, a module per former test file (as ripgrep and insta do):
//! each binary links the library once.

#[path = "../common/mod.rs"]
mod common;

mod adversarial;
mod cli;
mod interceptors;
mod runtime_api_interpreters;
mod serve;
mod snapshot_cli;
