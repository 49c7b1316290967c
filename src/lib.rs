//! # toolcontract
//!
//! Contract tests for AWS Lambda functions that serve as agent tools: targets of an Amazon
//! Bedrock AgentCore Gateway, and Amazon Bedrock Agents action groups.
//!
//! The contract (event, context and response rules) lives as JSON Schemas in `contracts/`;
//! property generators built from each tool's own input schema fuzz the handler's dispatch.

pub mod agents;
pub mod check;
pub mod config;
pub mod contracts;
pub mod definition;
pub mod errors;
pub mod files;
pub mod gateway;
pub mod generate;
pub mod handler;
mod harness;
mod judge;
pub mod pointer;
pub mod report;
pub mod runner;
pub mod snapshot;
mod suggest;

pub use agents::{ActionGroup, ActionGroupOptions, Envelope};
pub use check::{CheckName, Severity};
pub use config::Config;
pub use contracts::Contract;
pub use definition::{Definition, DefinitionError, Tool};
pub use errors::Error;
pub use gateway::{Assumptions, Gateway, GatewayOptions, Profile};
pub use generate::{GenerateError, SchemaGenerator};
pub use handler::{Answer, Handler, InProcess, Invocation, Outcome};
pub use pointer::JsonPointer;
pub use report::{Finding, Report};
pub use snapshot::SnapshotSettings;

/// Support for [`assert_tool_snapshots!`]: not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::snapshot::assert::{CallSite, assert_tool_snapshots};
}
