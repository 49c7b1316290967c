//! Phase 2 of a run: for each subject and failed check, the failing case with the lowest index
//! is shrunk, so a run's findings do not depend on which handler happened to be faster.
//! Shrinking follows proptest's algorithm (`simplify` while the failure holds, `complicate`
//! when it stops), within the run's [`ShrinkLimits`](crate::results::ShrinkLimits).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::results::ShrinkLimit;

use proptest::strategy::ValueTree;

use crate::check::Severity;
use crate::handler::Handler;

use super::cases::Shared;
use super::events::RunEvent;
use super::state::{Attempt, Goal, Shrunk, finding, keep_goal, lock};
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
                let shrunk = if aborted {
                    Shrunk::unshrunk(job.start)
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
                    shrunk,
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

    /// Shrinks `start` while `goal` holds, within the run's [`ShrinkLimits`]: says which
    /// limit stopped it, if one did before the tree ran out of simpler values.
    ///
    /// [`ShrinkLimits`]: crate::results::ShrinkLimits
    pub(super) async fn shrink<H: Handler>(
        &self,
        handler: &mut H,
        s: usize,
        goal: Goal,
        start: Attempt,
    ) -> Shrunk {
        let subject = &self.suite.subjects()[s];
        self.emit(|| RunEvent::ShrinkStarted {
            subject: subject.name.clone(),
            check: goal.check(),
        });
        let seed = start.record.seed.0;
        let index = start.record.index;
        if !self.suite.shrinks(start.record.probe) {
            return Shrunk::unshrunk(start);
        }
        let Ok(mut tree) = subject.tree(index, seed) else {
            return Shrunk::unshrunk(start);
        };
        let limits = &self.config.shrink;
        let (budget, time_limit) = if goal == Goal::Fails(self.suite.deadline_check()) {
            (limits.max_deadline_time, ShrinkLimit::MaxDeadlineTime)
        } else {
            (limits.max_time, ShrinkLimit::MaxTime)
        };
        let deadline = Instant::now() + budget;
        let origin = start.clone();
        let mut shrunk = Shrunk::unshrunk(start);
        if !tree.simplify() {
            return shrunk;
        }
        let mut tried = 0;
        loop {
            // Something simpler is still to try: a limit that stops it here leaves the case
            // possibly not minimal.
            if tried >= limits.max_iterations {
                shrunk.stopped_at = Some(ShrinkLimit::MaxIterations);
                break;
            }
            if Instant::now() >= deadline {
                shrunk.stopped_at = Some(time_limit);
                break;
            }
            tried += 1;
            let candidate = self.attempt(handler, s, index, seed, tree.current()).await;
            if self.holds(goal, &origin, &candidate) {
                shrunk.best = candidate;
                shrunk.steps += 1;
                if !tree.simplify() {
                    break;
                }
            } else if !tree.complicate() {
                break;
            }
        }
        shrunk
    }
}
