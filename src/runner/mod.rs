//! The runner: generates cases, invokes handlers, judges answers, shrinks failures.
//!
//! One runner serves every kind of contract (a `Suite` says what to send and how to
//! judge) and every kind of handler (anything implementing [`Handler`](crate::handler::Handler)).
//! It never formats anything: it emits [`RunEvent`]s and returns what it found.

mod events;
mod imp;
pub(crate) mod seed;
pub(crate) mod suite;

pub use events::RunEvent;
pub(crate) use imp::{CaseRef, RunConfig, RunOutcome, RunState, execute, run};
pub use seed::{DEFAULT_SEED, case_seed};
pub use suite::{CaseInput, Failure, Probe, SubjectKind};
