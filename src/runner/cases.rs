//! The case loop. Phase 1 runs every case once, spread over the handlers (`--jobs`); phase 2
//! (in [`super::shrink`]) shrinks what failed.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::Instant;

use crate::handler::{Handler, Outcome};
use crate::results::{CaseRecord, Seed};

use super::events::RunEvent;
use super::seed::case_seed;
use super::state::{Attempt, InFlight, RunConfig, RunOutcome, RunState, lock, record};
use super::suite::{CaseInput, Subject, Suite, Verdict};

pub(super) struct Shared<'a, S, E> {
    pub(super) suite: &'a S,
    pub(super) config: &'a RunConfig,
    pub(super) state: &'a RunState,
    /// Where events go; `None` when nobody listens (then no event is even built).
    pub(super) emit: Mutex<Option<E>>,
}

impl<S: Suite, E: FnMut(RunEvent) + Send> Shared<'_, S, E> {
    pub(super) fn emit(&self, event: impl FnOnce() -> RunEvent) {
        if let Some(emit) = lock(&self.emit).as_mut() {
            emit(event());
        }
    }

    /// Runs one case: builds its invocations, invokes them in order, judges the answers.
    pub(super) async fn attempt<H: Handler>(
        &self,
        handler: &mut H,
        s: usize,
        index: u32,
        seed: u64,
        input: CaseInput,
    ) -> Attempt {
        let subject = &self.suite.subjects()[s];
        let probe = self.suite.probe(subject, index);
        let invocations = self.suite.invocations(subject, probe, &input, seed);
        let mut answers = Vec::with_capacity(invocations.len());
        for (i, invocation) in invocations.iter().enumerate() {
            *lock(&self.state.in_flight) = Some(InFlight {
                subject: s,
                index,
                seed,
                invocation: i,
                since: Instant::now(),
                limit: invocation.timeout,
            });
            answers.push(handler.invoke(invocation).await);
            *lock(&self.state.in_flight) = None;
            self.state.invocations.fetch_add(1, Ordering::Relaxed);
        }
        let Verdict { failures, reply } =
            self.suite
                .judge(subject, probe, &input, &invocations, &answers);
        Attempt {
            reply,
            record: CaseRecord {
                seed: Seed(seed),
                index,
                probe,
                input,
                invocations,
                answers,
                received: Vec::new(),
            },
            failures,
        }
    }
}

/// Runs every subject of `suite` against `handlers` (one worker per handler).
pub(crate) async fn run<S, H, E>(
    suite: &S,
    handlers: &mut [H],
    config: &RunConfig,
    emit: E,
) -> RunOutcome
where
    S: Suite,
    H: Handler,
    E: FnMut(RunEvent) + Send,
{
    let state = RunState::new(suite.subjects().len());
    let emit = execute(suite, &state, handlers, config, Some(emit)).await;
    let outcome = state.finish(suite, config, None);
    if let Some(mut emit) = emit {
        emit(RunEvent::RunFinished {
            totals: outcome.totals.clone(),
            elapsed: outcome.elapsed,
        });
    }
    outcome
}

/// Runs the cases and shrinks the failures, recording everything in `state`. Returns the
/// event sink (`None`: nobody listens).
pub(crate) async fn execute<S, H, E>(
    suite: &S,
    state: &RunState,
    handlers: &mut [H],
    config: &RunConfig,
    emit: Option<E>,
) -> Option<E>
where
    S: Suite,
    H: Handler,
    E: FnMut(RunEvent) + Send,
{
    let subjects = suite.subjects();
    let shared = Shared {
        suite,
        config,
        state,
        emit: Mutex::new(emit),
    };
    let items = Items::new(subjects, config);
    shared.emit(|| RunEvent::RunStarted {
        seed: config.seed,
        subjects: subjects.len(),
        cases: items.len(),
        jobs: handlers.len(),
    });

    // Phase 1: every case once.
    let timeouts: Vec<AtomicU32> = subjects.iter().map(|_| AtomicU32::new(0)).collect();
    let next = AtomicUsize::new(0);
    let workers = handlers.iter_mut().map(|handler| {
        let (shared, items, timeouts, next) = (&shared, &items, &timeouts, &next);
        async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((s, index, seed)) = items.get(i) else {
                    break;
                };
                let subject = &subjects[s];
                if lock(&state.aborted).is_some() {
                    break;
                }
                if timeouts[s].load(Ordering::Relaxed) >= config.max_timeouts_per_subject {
                    let mut state = lock(&state.subjects[s]);
                    state.skipped += 1;
                    state.skip_reason = Some(format!(
                        "skipped after {} timeouts (each costs the full per-case timeout)",
                        config.max_timeouts_per_subject
                    ));
                    continue;
                }
                let input = match subject.input(index, seed) {
                    Ok(input) => input,
                    Err(reason) => {
                        let mut state = lock(&state.subjects[s]);
                        state.skipped += 1;
                        state.skip_reason = Some(format!("the generator gave up: {reason}"));
                        continue;
                    }
                };
                let attempt = shared.attempt(handler, s, index, seed, input).await;
                if attempt
                    .record
                    .answers
                    .iter()
                    .any(|a| matches!(a.outcome, Outcome::Timeout { .. }))
                {
                    timeouts[s].fetch_add(1, Ordering::Relaxed);
                }
                shared.emit(|| RunEvent::CaseFinished {
                    subject: subject.name.clone(),
                    kind: subject.kind,
                    index,
                    failed: attempt.failures.iter().map(|f| f.check).collect(),
                });
                record(&mut lock(&state.subjects[s]), suite.reach(subject), attempt);
                if let Some(why) = handler.broken() {
                    lock(&state.aborted).get_or_insert(why);
                    break;
                }
            }
        }
    });
    futures::future::join_all(workers).await;
    *lock(&state.case_phase) = Some(state.started.elapsed());

    // Phase 2: shrink what failed.
    super::shrink::shrink_failures(&shared, handlers).await;
    shared.emit.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// The cases of a run, numbered on the fly (a list of every case would grow with the number
/// of cases): every case of every subject in order, or only the replayed ones.
enum Items<'a> {
    All {
        subjects: &'a [Subject],
        /// The number of the first case of each subject.
        starts: Vec<u64>,
        total: u64,
        seed: u64,
    },
    Only(Vec<(usize, u32, u64)>),
}

impl<'a> Items<'a> {
    fn new(subjects: &'a [Subject], config: &RunConfig) -> Self {
        if config.only.is_empty() {
            let mut starts = Vec::with_capacity(subjects.len());
            let mut total = 0;
            for subject in subjects {
                starts.push(total);
                total += u64::from(subject.cases);
            }
            Items::All {
                subjects,
                starts,
                total,
                seed: config.seed,
            }
        } else {
            Items::Only(
                config
                    .only
                    .iter()
                    .filter_map(|c| {
                        let s = subjects
                            .iter()
                            .position(|subject| subject.name == c.subject)?;
                        Some((s, c.index, c.seed))
                    })
                    .collect(),
            )
        }
    }

    fn len(&self) -> u64 {
        match self {
            Items::All { total, .. } => *total,
            Items::Only(items) => items.len() as u64,
        }
    }

    /// Case `i`: its subject, its index within the subject, its seed.
    fn get(&self, i: usize) -> Option<(usize, u32, u64)> {
        match self {
            Items::All {
                subjects,
                starts,
                total,
                seed,
            } => {
                let i = i as u64;
                if i >= *total {
                    return None;
                }
                let s = starts.partition_point(|start| *start <= i) - 1;
                let index = u32::try_from(i - starts[s]).ok()?;
                Some((s, index, case_seed(*seed, &subjects[s].name, index)))
            }
            Items::Only(items) => items.get(i).copied(),
        }
    }
}
