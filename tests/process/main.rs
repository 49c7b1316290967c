//! Runtime API tests with real handler processes (feature `process`).
//!
//! One test binary per feature set, a module per former test file (as ripgrep and insta do):
//! each binary links the library once.

#[path = "../common/mod.rs"]
mod common;

mod runtime_api;
