//! The runner: generates cases, invokes handlers, judges answers, shrinks failures.
//!
//! One runner serves every kind of contract (a `Suite` says what to send, which checks apply
//! and how to judge) and every kind of handler (anything implementing
//! [`Handler`](crate::handler::Handler)). It never formats anything: it emits [`RunEvent`]s
//! and returns what it found. `state` holds what a run learns, `cases` runs every case once,
//! `shrink` shrinks the failures.

mod cases;
mod events;
pub(crate) mod seed;
mod shrink;
mod state;
pub(crate) mod suite;

pub use crate::results::Failure;
pub use crate::results::ShrinkLimits;
pub(crate) use cases::{execute, run};
pub use events::RunEvent;
pub use seed::{DEFAULT_SEED, case_runner, case_seed};
pub(crate) use state::{CaseRef, RunConfig, RunOutcome, RunState};
pub use suite::{CaseInput, Probe, SubjectKind};
