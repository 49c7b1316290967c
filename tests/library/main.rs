//! Library tests: no features, the in-process harness, the generator, lint and snapshots.
//!
//! One test binary per feature set, a module per former test file (as ripgrep and insta do):
//! each binary links the library once.

// The example handlers are self-contained files (each also builds alone under examples/), and
// the test modules that call one include it with `#[path]`; two examples include another
// example's handler the same way. The copies are intended: each module keeps its own.
#![allow(clippy::duplicate_mod)]

#[path = "../common/mod.rs"]
mod common;

mod agents_checks;
mod agents_contracts;
mod agents_corpus;
mod agents_definitions;
mod agents_events;
mod agents_examples;
mod definition_contracts;
mod definition_corpus;
mod definition_errors;
mod definition_forms;
mod definition_lint;
mod gateway_checks;
mod gateway_errors;
mod gateway_examples;
mod generator_conformance;
mod generator_corpus;
mod generator_early_cases;
mod generator_errors;
mod generator_features;
mod generator_invalid;
mod generator_issue17;
mod generator_metaschema;
mod generator_shrinking;
mod harness_corpus;
mod interceptor_checks;
mod shared_data;
mod snapshot_examples;
mod snapshot_review;
