//! The run loop.
//!
//! Phase 1 runs every case once, spread over the handlers (`--jobs`). Phase 2 shrinks, for
//! each subject and failed check, the failing case with the lowest index, so a run's findings
//! do not depend on which handler happened to be faster. Shrinking follows proptest's
//! algorithm (`simplify` while the failure holds, `complicate` when it stops), with limits.
//!
//! Everything a run learns lives in a [`RunState`], which the runner fills and [`RunState::finish`]
//! turns into a [`RunOutcome`]. A supervisor may call `finish` itself when a handler never
//! returns (it blocks the runner's thread): the state then also names the case in flight.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};

use crate::check::{CheckName, Severity};
use crate::handler::{Answer, Handler, Outcome};
use crate::judge::ErrorSignal;
use crate::results::{CaseRecord, CheckResult, CheckStatus, Finding, Seed, SubjectReport, Totals};

use super::events::RunEvent;
use super::seed::{case_seed, test_runner};
use super::suite::{CaseInput, Failure, Probe, Reply, Subject, SubjectKind, Suite, Unreached};

/// How many distinct error texts a subject keeps for the reachability comparison; a subject
/// with more is not "like the undeclared names" (its answers vary with its input).
const MAX_ERROR_TEXTS: usize = 64;

/// Limits and settings of one run.
#[derive(Clone, Debug)]
pub(crate) struct RunConfig {
    /// The run seed.
    pub(crate) seed: u64,
    /// At most this many candidate cases are tried while shrinking one finding.
    pub(crate) max_shrink_iterations: u32,
    /// Shrinking one finding stops after this long.
    pub(crate) max_shrink_time: Duration,
    /// Shrinking a `within_deadline` finding stops after this long: each smaller case that
    /// still fails costs at least a whole deadline.
    pub(crate) max_deadline_shrink_time: Duration,
    /// After this many timeouts, a subject's remaining cases are skipped (each costs a full
    /// timeout).
    pub(crate) max_timeouts_per_subject: u32,
    /// Run only these cases (replays), instead of every subject's cases.
    pub(crate) only: Vec<CaseRef>,
}

/// One case, named by its subject, index and case seed, and the check it is replayed for
/// (what a replay token holds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CaseRef {
    pub(crate) check: CheckName,
    pub(crate) subject: String,
    pub(crate) index: u32,
    pub(crate) seed: u64,
}

impl RunConfig {
    pub(crate) fn new(seed: u64) -> Self {
        RunConfig {
            seed,
            max_shrink_iterations: 1024,
            max_shrink_time: Duration::from_secs(60),
            max_deadline_shrink_time: Duration::from_secs(5),
            max_timeouts_per_subject: 3,
            only: Vec::new(),
        }
    }
}

/// What a run found.
pub(crate) struct RunOutcome {
    pub(crate) subjects: Vec<SubjectReport>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) totals: Totals,
    pub(crate) elapsed: Duration,
}

/// One case's invocations, answers and failures.
#[derive(Clone)]
struct Attempt {
    record: CaseRecord,
    failures: Vec<Failure>,
    /// What the first answer tells about reachability.
    reply: Option<Reply>,
}

impl Attempt {
    fn succeeded(&self) -> bool {
        matches!(self.reply, Some(Reply::Success))
    }

    /// The highest severity of `check`'s failures on this case.
    fn severity(&self, check: CheckName) -> Option<Severity> {
        self.failures
            .iter()
            .filter(|f| f.check == check)
            .map(|f| f.severity)
            .max()
    }
}

/// What a shrink aims to keep true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Goal {
    /// The check keeps failing.
    Fails(CheckName),
    /// The case keeps not succeeding (for `tool_reachable`).
    NotSuccess,
}

impl Goal {
    fn check(self) -> CheckName {
        match self {
            Goal::Fails(check) => check,
            Goal::NotSuccess => CheckName::ToolReachable,
        }
    }
}

/// A failing case to shrink in phase 2.
struct ShrinkJob {
    subject: usize,
    goal: Goal,
    /// How many cases failed the goal, and at what highest severity.
    failing_cases: (u32, Severity),
    start: Attempt,
}

/// Per-subject bookkeeping of phase 1.
#[derive(Default)]
struct SubjectState {
    cases_run: u32,
    skipped: u32,
    skip_reason: Option<String>,
    successes: u32,
    /// Error answers (not crashes) among the first answers of its cases.
    error_answers: u32,
    /// Whether every error answer so far is a generic "unknown tool" text.
    all_generic: bool,
    /// The distinct normalised error texts (at most [`MAX_ERROR_TEXTS`]), with their signal.
    error_texts: BTreeMap<String, ErrorSignal>,
    /// More distinct error texts came than are kept.
    error_texts_overflow: bool,
    /// For each goal: how many cases failed it, the attempt shown (the lowest-index one of the
    /// highest severity), and that severity.
    failing: BTreeMap<Goal, (u32, Attempt, Severity)>,
}

/// The invocation a handler is working on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InFlight {
    subject: usize,
    index: u32,
    seed: u64,
    /// Which of the case's invocations.
    invocation: usize,
    since: Instant,
    limit: Duration,
}

/// Everything a run has learnt so far.
pub(crate) struct RunState {
    started: Instant,
    subjects: Vec<Mutex<SubjectState>>,
    findings: Mutex<Vec<(usize, Goal, Finding)>>,
    in_flight: Mutex<Option<InFlight>>,
    invocations: AtomicU64,
    case_phase: Mutex<Option<Duration>>,
    /// Set when a handler can no longer run cases (it fails during init again and again):
    /// why. Remaining cases are skipped and nothing is shrunk.
    aborted: Mutex<Option<String>>,
}

impl RunState {
    /// The state of a run over `subjects` subjects, starting now.
    pub(crate) fn new(subjects: usize) -> Self {
        RunState {
            started: Instant::now(),
            subjects: (0..subjects).map(|_| Mutex::default()).collect(),
            findings: Mutex::new(Vec::new()),
            in_flight: Mutex::new(None),
            invocations: AtomicU64::new(0),
            case_phase: Mutex::new(None),
            aborted: Mutex::new(None),
        }
    }

    /// For each subject, why its tool is not reached, if it is not: every first answer of its
    /// valid cases is an error answer (crashes aside, which `no_function_error` reports), and
    /// each is the generic "unknown tool" text of a dispatcher, or also an answer to one of
    /// the undeclared names. A tool whose error answers are its own (it rejects a random id or
    /// unit with a message of its own) is reached. In a replay asked about `tool_reachable`,
    /// a case that is not a success is enough (the undeclared names are not run again).
    fn reachability<S: Suite>(&self, suite: &S, config: &RunConfig) -> Vec<Option<Unreached>> {
        let subjects = suite.subjects();
        let undeclared = subjects
            .iter()
            .position(|s| s.kind == SubjectKind::UndeclaredTool)
            .map(|u| {
                let state = lock(&self.subjects[u]);
                (state.error_texts.clone(), state.error_texts_overflow)
            });
        subjects
            .iter()
            .zip(&self.subjects)
            .map(|(subject, state)| {
                let state = lock(state);
                if subject.kind != SubjectKind::Tool
                    || state.successes > 0
                    || state.error_answers == 0
                {
                    return None;
                }
                let (text, signal) = state.error_texts.iter().next()?;
                let like_undeclared = !state.error_texts_overflow
                    && undeclared.as_ref().is_some_and(|(texts, overflow)| {
                        !texts.is_empty()
                            && (state.error_texts.keys().all(|t| texts.contains_key(t)))
                            && (!overflow || state.error_texts.len() == 1)
                    });
                let replayed = !config.only.is_empty()
                    && config
                        .only
                        .iter()
                        .any(|c| c.subject == subject.name && c.check == CheckName::ToolReachable);
                (state.all_generic || like_undeclared || replayed).then(|| Unreached {
                    signal: signal.clone(),
                    text: text.clone(),
                    generic: state.all_generic,
                    like_undeclared,
                })
            })
            .collect()
    }

    /// The invocation in flight, if it has run more than `grace` past its deadline: its
    /// handler is not coming back.
    pub(crate) fn overdue(&self, grace: Duration) -> Option<InFlight> {
        lock(&self.in_flight).filter(|f| f.since.elapsed() > f.limit + grace)
    }

    /// What the run found. `wedged` names an invocation that never returned (the supervisor
    /// gave up on it): it becomes a `within_deadline` finding, cases not run are reported as
    /// skipped, and failures not shrunk yet are reported as found.
    pub(crate) fn finish<S: Suite>(
        &self,
        suite: &S,
        config: &RunConfig,
        wedged: Option<InFlight>,
    ) -> RunOutcome {
        let subjects = suite.subjects();
        let mut findings = lock(&self.findings).clone();
        if let Some(stuck) = wedged {
            let reach = self.reachability(suite, config);
            for (s, state) in self.subjects.iter().enumerate() {
                let state = lock(state);
                for (goal, (count, attempt, severity)) in &state.failing {
                    let reported = findings.iter().any(|f| f.0 == s && f.1 == *goal);
                    if !reported && keep_goal(*goal, reach[s].as_ref()) {
                        let f = finding(
                            suite,
                            &subjects[s],
                            *goal,
                            (*count, *severity),
                            state.cases_run,
                            attempt.clone(),
                            0,
                            reach[s].as_ref(),
                        );
                        findings.push((s, *goal, f));
                    }
                }
            }
            let f = wedged_finding(suite, stuck, lock(&self.subjects[stuck.subject]).cases_run);
            findings.retain(|(s, goal, _)| {
                !(*s == stuck.subject && *goal == Goal::Fails(CheckName::WithinDeadline))
            });
            findings.push((stuck.subject, Goal::Fails(CheckName::WithinDeadline), f));
        }
        findings.sort_by_key(|f| (f.0, f.1));

        let subject_reports = subjects
            .iter()
            .zip(&self.subjects)
            .enumerate()
            .map(|(s, (subject, state))| {
                let state = lock(state);
                // A subject that ran no case has no verdicts: nothing held.
                let checks = suite
                    .checks()
                    .iter()
                    .filter(|c| state.cases_run > 0 && suite.applies(**c, subject))
                    .map(|&check| {
                        let failed = findings.iter().find(|f| f.0 == s && f.2.check == check);
                        CheckResult {
                            check,
                            status: match failed.map(|f| f.2.severity) {
                                None => CheckStatus::Passed,
                                Some(Severity::Error) => CheckStatus::Failed,
                                Some(Severity::Warning) => CheckStatus::Warned,
                            },
                            failing_cases: failed.map_or(0, |f| f.2.failing_cases),
                        }
                    })
                    .collect();
                let (mut skipped, mut skip_reason) = (state.skipped, state.skip_reason.clone());
                let aborted = lock(&self.aborted).clone();
                if let Some(why) = aborted.filter(|_| config.only.is_empty()) {
                    let not_run = subject
                        .cases
                        .saturating_sub(state.cases_run + state.skipped);
                    if not_run > 0 {
                        skipped += not_run;
                        skip_reason = Some(format!("not run: {why}"));
                    }
                } else if wedged.is_some() && config.only.is_empty() {
                    let not_run = subject
                        .cases
                        .saturating_sub(state.cases_run + state.skipped);
                    if not_run > 0 {
                        skipped += not_run;
                        skip_reason = Some(
                            "not run: a handler blocked the runner's thread and never returned"
                                .to_owned(),
                        );
                    }
                }
                SubjectReport {
                    name: subject.name.clone(),
                    tool: subject.tool.clone(),
                    kind: subject.kind,
                    cases_run: state.cases_run,
                    cases_skipped: skipped,
                    skip_reason,
                    checks,
                }
            })
            .collect();
        let findings: Vec<Finding> = findings.into_iter().map(|(_, _, f)| f).collect();
        let cases: u64 = self
            .subjects
            .iter()
            .map(|s| u64::from(lock(s).cases_run))
            .sum();
        let case_phase = lock(&self.case_phase).unwrap_or_else(|| self.started.elapsed());
        let totals = Totals {
            cases,
            invocations: self.invocations.load(Ordering::Relaxed),
            findings: findings.len() as u64,
            case_phase_ms: u64::try_from(case_phase.as_millis()).unwrap_or(u64::MAX),
            cases_per_second: cases as f64 / case_phase.as_secs_f64().max(1e-9),
        };
        RunOutcome {
            subjects: subject_reports,
            findings,
            totals,
            elapsed: self.started.elapsed(),
        }
    }
}

/// Whether a failing goal becomes a finding: `tool_reachable` only when the tool is not
/// reached (see [`RunState::reachability`]).
fn keep_goal(goal: Goal, unreached: Option<&Unreached>) -> bool {
    goal != Goal::NotSuccess || unreached.is_some()
}

struct Shared<'a, S, E> {
    suite: &'a S,
    config: &'a RunConfig,
    state: &'a RunState,
    /// Where events go; `None` when nobody listens (then no event is even built).
    emit: Mutex<Option<E>>,
}

impl<S: Suite, E: FnMut(RunEvent) + Send> Shared<'_, S, E> {
    fn emit(&self, event: impl FnOnce() -> RunEvent) {
        if let Some(emit) = lock(&self.emit).as_mut() {
            emit(event());
        }
    }

    /// Runs one case: builds its invocations, invokes them in order, judges the answers.
    async fn attempt<H: Handler>(
        &self,
        handler: &mut H,
        s: usize,
        index: u32,
        seed: u64,
        input: CaseInput,
    ) -> Attempt {
        let subject = &self.suite.subjects()[s];
        let probe = if subject.is_known_good(index) {
            Probe::KnownGood
        } else {
            self.suite.probe(subject, index)
        };
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
        let failures = self
            .suite
            .judge(subject, probe, &input, &invocations, &answers);
        let reply = invocations
            .first()
            .zip(answers.first())
            .map(|(invocation, answer)| self.suite.reply(invocation, answer));
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

    /// Whether `candidate` still shows what `start` showed: the same check failing at least
    /// as severely, or (for `tool_reachable`) an error answer.
    fn holds(&self, goal: Goal, start: &Attempt, candidate: &Attempt) -> bool {
        match goal {
            Goal::Fails(check) => candidate.severity(check) >= start.severity(check),
            Goal::NotSuccess => matches!(candidate.reply, Some(Reply::Error { .. })),
        }
    }

    /// Shrinks `start` while `goal` holds.
    async fn shrink<H: Handler>(
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
        // Known-good arguments are kept as they are.
        if subject.is_known_good(index) {
            return (start, 0);
        }
        let Ok(mut tree) = subject.strategy.new_tree(&mut test_runner(seed)) else {
            return (start, 0);
        };
        let mut best = start;
        let mut accepted = 0;
        let mut tried = 0;
        let origin = best.clone();
        let budget = if goal == Goal::Fails(CheckName::WithinDeadline) {
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
                record(&mut lock(&state.subjects[s]), subject, attempt);
                if let Some(why) = handler.broken() {
                    lock(&state.aborted).get_or_insert(why);
                    break;
                }
            }
        }
    });
    futures::future::join_all(workers).await;
    *lock(&state.case_phase) = Some(state.started.elapsed());

    // Phase 2: shrink the lowest-index failing case of each (subject, goal); nothing when the
    // handler cannot run cases any more (the failures are reported as found).
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
        let (shared, jobs, next) = (&shared, &jobs, &next);
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

/// Adds a finished case to its subject's bookkeeping.
fn record(state: &mut SubjectState, subject: &Subject, attempt: Attempt) {
    if state.cases_run == 0 {
        state.all_generic = true;
    }
    state.cases_run += 1;
    let mut goals: Vec<(Goal, Severity)> = Vec::new();
    for failure in &attempt.failures {
        let goal = Goal::Fails(failure.check);
        match goals.iter_mut().find(|(g, _)| *g == goal) {
            Some((_, severity)) => *severity = (*severity).max(failure.severity),
            None => goals.push((goal, failure.severity)),
        }
    }
    match &attempt.reply {
        Some(Reply::Success) => state.successes += 1,
        Some(Reply::Error {
            signal,
            text,
            generic,
        }) => {
            state.error_answers += 1;
            state.all_generic &= *generic;
            if state.error_texts.len() < MAX_ERROR_TEXTS {
                state
                    .error_texts
                    .entry(text.clone())
                    .or_insert_with(|| signal.clone());
            } else if !state.error_texts.contains_key(text) {
                state.error_texts_overflow = true;
            }
        }
        Some(Reply::Crash) | None => {}
    }
    if subject.kind == SubjectKind::Tool && !attempt.succeeded() {
        goals.push((Goal::NotSuccess, Severity::Error));
    }
    for (goal, severity) in goals {
        match state.failing.entry(goal) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert((1, attempt.clone(), severity));
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let (count, shown, worst) = o.get_mut();
                *count += 1;
                if severity > *worst
                    || (severity == *worst && attempt.record.index < shown.record.index)
                {
                    *shown = attempt.clone();
                    *worst = severity;
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn finding<S: Suite>(
    suite: &S,
    subject: &Subject,
    goal: Goal,
    (failing_cases, severity): (u32, Severity),
    cases_run: u32,
    best: Attempt,
    shrink_steps: u32,
    unreached: Option<&Unreached>,
) -> Finding {
    let (message, severity) = match goal {
        Goal::Fails(check) => best
            .failures
            .iter()
            .filter(|f| f.check == check)
            .max_by_key(|f| f.severity)
            .map(|f| (f.message.clone(), f.severity.max(severity)))
            .unwrap_or((String::new(), severity)),
        Goal::NotSuccess => match unreached {
            Some(why) => (
                suite.unreachable_message(cases_run, why),
                CheckName::ToolReachable.default_severity(),
            ),
            None => (String::new(), severity),
        },
    };
    let received = best
        .record
        .answers
        .iter()
        .filter_map(|a| suite.received(a))
        .collect();
    let mut case = best.record;
    case.received = received;
    Finding {
        check: goal.check(),
        severity,
        subject: subject.name.clone(),
        tool: subject.tool.clone(),
        also: Vec::new(),
        kind: subject.kind,
        message,
        case,
        failing_cases,
        cases_run,
        shrink_steps,
    }
}

/// The finding of an invocation that never returned: its case is rebuilt from its seed.
fn wedged_finding<S: Suite>(suite: &S, stuck: InFlight, cases_run: u32) -> Finding {
    let subject = &suite.subjects()[stuck.subject];
    let probe = if subject.is_known_good(stuck.index) {
        Probe::KnownGood
    } else {
        suite.probe(subject, stuck.index)
    };
    let input = subject
        .input(stuck.index, stuck.seed)
        .unwrap_or_else(|_| CaseInput::valid(serde_json::Value::Null));
    let invocation = suite
        .invocations(subject, probe, &input, stuck.seed)
        .into_iter()
        .nth(stuck.invocation);
    Finding {
        check: CheckName::WithinDeadline,
        severity: CheckName::WithinDeadline.default_severity(),
        subject: subject.name.clone(),
        tool: subject.tool.clone(),
        also: Vec::new(),
        kind: subject.kind,
        message: format!(
            "the handler never returned: {} ms after its {} ms deadline it still blocked its \
             thread, which an in-process run cannot interrupt; the run stopped here (run the \
             handler as a process with `toolcontract check`, which kills it at the deadline)",
            stuck
                .since
                .elapsed()
                .saturating_sub(stuck.limit)
                .as_millis(),
            stuck.limit.as_millis()
        ),
        case: CaseRecord {
            seed: Seed(stuck.seed),
            index: stuck.index,
            probe,
            input,
            invocations: invocation.into_iter().collect(),
            answers: vec![Answer::new(
                Outcome::Timeout { limit: stuck.limit },
                stuck.since.elapsed(),
            )],
            received: Vec::new(),
        },
        failing_cases: 1,
        cases_run: cases_run.max(1),
        shrink_steps: 0,
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
