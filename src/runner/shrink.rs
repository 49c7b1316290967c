//! Phase 2 of a run: for each subject and failed check, the failing case with the lowest index
//! is shrunk, so a run's findings do not depend on which handler happened to be faster.
//! Shrinking follows proptest's algorithm (`simplify` while the failure holds, `complicate`
//! when it stops), with limits.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use proptest::strategy::{Strategy, ValueTree};

use crate::check::Severity;
use crate::handler::Handler;

use super::cases::Shared;
use super::events::RunEvent;
use super::seed::test_runner;
use super::state::{Attempt, Goal, finding, keep_goal, lock};
use super::suite::{Reply, Suite};

/// A failing case to shrink in phase 2.
struct ShrinkJob {
    subject: usize,
    goal: Goal,
    /// How many cases failed the goal, and at what highest severity.
    failing_cases: (u32, Severity),
    start: Attempt,
}

/// Phase 2: shrinks the lowest-index failing case of each (subject, goal), spread over the
/// handlers, and records a finding for each. Nothing is shrunk when the handler cannot run
/// cases any more (the failures are reported as found).
pub(super) async fn shrink_failures<S, H, E>(shared: &Shared<'_, S, E>, handlers: &mut [H])
where
    S: Suite,
    H: Handler,
    E: FnMut(RunEvent) + Send,
{
    let (suite, config, state) = (shared.suite, shared.config, shared.state);
    let subjects = suite.subjects();
    let aborted = lock(&state.aborted).is_some();
    let reach = &state.reachability(suite, config);
    let mut jobs: Vec<Mutex<Option<ShrinkJob>>> = Vec::new();
    for (s, subject_state) in state.subjects.iter().enumerate() {
        let subject_state = lock(subject_state);
        for (goal, (count, attempt, severity)) in &subject_state.failing {
            if keep_goal(*goal, reach[s].as_ref()) {
                jobs.push(Mutex::new(Some(ShrinkJob {
                    subject: s,
                    goal: *goal,
                    failing_cases: (*count, *severity),
                    start: attempt.clone(),
                })));
            }
        }
    }
    let next = AtomicUsize::new(0);
    let workers = handlers.iter_mut().map(|handler| {
        let (shared, jobs, next) = (shared, &jobs, &next);
        async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let Some(job) = lock(job).take() else {
                    continue;
                };
                let (s, goal) = (job.subject, job.goal);
                let (best, steps) = if aborted {
                    (job.start, 0)
                } else {
                    shared.shrink(handler, s, goal, job.start).await
                };
                let cases_run = lock(&state.subjects[s]).cases_run;
                let finding = finding(
                    suite,
                    &subjects[s],
                    goal,
                    job.failing_cases,
                    cases_run,
                    best,
                    steps,
                    reach[s].as_ref(),
                );
                shared.emit(|| RunEvent::Finding(Box::new(finding.clone())));
                lock(&state.findings).push((s, goal, finding));
            }
        }
    });
    futures::future::join_all(workers).await;
}

impl<S: Suite, E: FnMut(RunEvent) + Send> Shared<'_, S, E> {
    /// Whether `candidate` still shows what `start` showed: the same check failing at least
    /// as severely, or (for the reachability check) an error answer.
    fn holds(&self, goal: Goal, start: &Attempt, candidate: &Attempt) -> bool {
        match goal {
            Goal::Fails(check) => candidate.severity(check) >= start.severity(check),
            Goal::NotSuccess(_) => matches!(candidate.reply, Some(Reply::Error { .. })),
        }
    }

    /// Shrinks `start` while `goal` holds.
    pub(super) async fn shrink<H: Handler>(
        &self,
        handler: &mut H,
        s: usize,
        goal: Goal,
        start: Attempt,
    ) -> (Attempt, u32) {
        let subject = &self.suite.subjects()[s];
        self.emit(|| RunEvent::ShrinkStarted {
            subject: subject.name.clone(),
            check: goal.check(),
        });
        let seed = start.record.seed.0;
        let index = start.record.index;
        if !self.suite.shrinks(start.record.probe) {
            return (start, 0);
        }
        let Ok(mut tree) = subject.strategy.new_tree(&mut test_runner(seed)) else {
            return (start, 0);
        };
        let mut best = start;
        let mut accepted = 0;
        let mut tried = 0;
        let origin = best.clone();
        let budget = if goal == Goal::Fails(self.suite.deadline_check()) {
            self.config.max_deadline_shrink_time
        } else {
            self.config.max_shrink_time
        };
        let deadline = Instant::now() + budget;
        if !tree.simplify() {
            return (best, accepted);
        }
        loop {
            if tried >= self.config.max_shrink_iterations || Instant::now() >= deadline {
                break;
            }
            tried += 1;
            let candidate = self.attempt(handler, s, index, seed, tree.current()).await;
            if self.holds(goal, &origin, &candidate) {
                best = candidate;
                accepted += 1;
                if !tree.simplify() {
                    break;
                }
            } else if !tree.complicate() {
                break;
            }
        }
        (best, accepted)
    }
}
