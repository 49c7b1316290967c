//! The events a run emits: the only contract between the runner and the reporters.

use std::time::Duration;

use serde::Serialize;

use crate::check::CheckName;
use crate::results::{Finding, Totals};

use super::suite::SubjectKind;

/// Something that happened during a run.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RunEvent {
    /// The run starts.
    RunStarted {
        /// The run seed.
        seed: u64,
        /// How many subjects (tools, probes) will run.
        subjects: usize,
        /// How many cases in all.
        cases: u64,
        /// How many handlers run at once.
        jobs: usize,
    },
    /// One case ended.
    CaseFinished {
        /// The subject's name.
        subject: String,
        /// The subject's kind.
        kind: SubjectKind,
        /// The case index.
        index: u32,
        /// The checks that failed on it.
        failed: Vec<CheckName>,
    },
    /// A failing case is being shrunk.
    ShrinkStarted {
        /// The subject's name.
        subject: String,
        /// The check being shrunk for.
        check: CheckName,
    },
    /// A finding, shrunk to its minimal case.
    Finding(Box<Finding>),
    /// The run ended.
    RunFinished {
        /// Totals.
        totals: Totals,
        /// Wall time.
        #[serde(with = "crate::handler::duration_ms")]
        elapsed: Duration,
    },
}
