//! What a run has learnt: its configuration, the per-subject bookkeeping of the case phase,
//! the findings, and how [`RunState::finish`] turns all of it into a [`RunOutcome`].
//!
//! A supervisor may call `finish` itself when a handler never returns (it blocks the runner's
//! thread): the state then also names the case in flight.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::check::{CheckName, Severity};
use crate::handler::{Answer, Outcome};
use crate::judge::ErrorSignal;
use crate::results::{
    CaseRecord, CheckResult, CheckStatus, Finding, Seed, ShrinkLimit, ShrinkLimits, SubjectReport,
    Totals,
};

use super::suite::{CaseInput, Failure, Reach, Reply, Subject, Suite, Unreached};
/// How many distinct error texts a subject keeps for the reachability comparison; a subject
/// with more is not "like the undeclared names" (its answers vary with its input).
const MAX_ERROR_TEXTS: usize = 64;

/// Limits and settings of one run.
#[derive(Clone, Debug)]
pub(crate) struct RunConfig {
    /// The run seed.
    pub(crate) seed: u64,
    /// How far shrinking one finding may go.
    pub(crate) shrink: ShrinkLimits,
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
            shrink: ShrinkLimits::default(),
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
pub(super) struct Attempt {
    pub(super) record: CaseRecord,
    pub(super) failures: Vec<Failure>,
    /// What the first answer tells about reachability.
    pub(super) reply: Option<Reply>,
}

impl Attempt {
    pub(super) fn succeeded(&self) -> bool {
        matches!(self.reply, Some(Reply::Success))
    }

    /// The highest severity of `check`'s failures on this case.
    pub(super) fn severity(&self, check: CheckName) -> Option<Severity> {
        self.failures
            .iter()
            .filter(|f| f.check == check)
            .map(|f| f.severity)
            .max()
    }
}

/// Where shrinking a failing case ended.
pub(super) struct Shrunk {
    /// The smallest case that still fails.
    pub(super) best: Attempt,
    /// How many smaller cases were accepted.
    pub(super) steps: u32,
    /// The limit shrinking stopped at, if it stopped before it was done.
    pub(super) stopped_at: Option<ShrinkLimit>,
}

impl Shrunk {
    /// A case shown as it was found.
    pub(super) fn unshrunk(best: Attempt) -> Self {
        Shrunk {
            best,
            steps: 0,
            stopped_at: None,
        }
    }
}

/// What a shrink aims to keep true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Goal {
    /// The check keeps failing.
    Fails(CheckName),
    /// The case keeps not succeeding: the subject's reachability check (see
    /// [`Reach::Checked`]).
    NotSuccess(CheckName),
}

impl Goal {
    pub(super) fn check(self) -> CheckName {
        match self {
            Goal::Fails(check) => check,
            Goal::NotSuccess(check) => check,
        }
    }
}

/// Per-subject bookkeeping of phase 1.
#[derive(Default)]
pub(super) struct SubjectState {
    pub(super) cases_run: u32,
    pub(super) skipped: u32,
    pub(super) skip_reason: Option<String>,
    pub(super) successes: u32,
    /// Error answers (not crashes) among the first answers of its cases.
    pub(super) error_answers: u32,
    /// Whether every error answer so far is a generic "unknown tool" text.
    pub(super) all_generic: bool,
    /// The distinct normalised error texts (at most [`MAX_ERROR_TEXTS`]), with their signal.
    pub(super) error_texts: BTreeMap<String, ErrorSignal>,
    /// More distinct error texts came than are kept.
    pub(super) error_texts_overflow: bool,
    /// For each goal: how many cases failed it, the attempt shown (the lowest-index one of the
    /// highest severity), and that severity.
    pub(super) failing: BTreeMap<Goal, (u32, Attempt, Severity)>,
}

/// The invocation a handler is working on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InFlight {
    pub(super) subject: usize,
    pub(super) index: u32,
    pub(super) seed: u64,
    /// Which of the case's invocations.
    pub(super) invocation: usize,
    pub(super) since: Instant,
    pub(super) limit: Duration,
}

/// Everything a run has learnt so far.
pub(crate) struct RunState {
    pub(super) started: Instant,
    pub(super) subjects: Vec<Mutex<SubjectState>>,
    pub(super) findings: Mutex<Vec<(usize, Goal, Finding)>>,
    pub(super) in_flight: Mutex<Option<InFlight>>,
    pub(super) invocations: AtomicU64,
    pub(super) case_phase: Mutex<Option<Duration>>,
    /// Set when a handler can no longer run cases (it fails during init again and again):
    /// why. Remaining cases are skipped and nothing is shrunk.
    pub(super) aborted: Mutex<Option<String>>,
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
    pub(super) fn reachability<S: Suite>(
        &self,
        suite: &S,
        config: &RunConfig,
    ) -> Vec<Option<Unreached>> {
        let subjects = suite.subjects();
        let undeclared = subjects
            .iter()
            .position(|s| matches!(suite.reach(s), Reach::Baseline))
            .map(|u| {
                let state = lock(&self.subjects[u]);
                (state.error_texts.clone(), state.error_texts_overflow)
            });
        subjects
            .iter()
            .zip(&self.subjects)
            .map(|(subject, state)| {
                let state = lock(state);
                let Reach::Checked(check) = suite.reach(subject) else {
                    return None;
                };
                if state.successes > 0 || state.error_answers == 0 {
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
                        .any(|c| c.subject == subject.name && c.check == check);
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
                            Shrunk::unshrunk(attempt.clone()),
                            reach[s].as_ref(),
                        );
                        findings.push((s, *goal, f));
                    }
                }
            }
            let f = wedged_finding(suite, stuck, lock(&self.subjects[stuck.subject]).cases_run);
            let goal = Goal::Fails(f.check);
            findings.retain(|(s, g, _)| !(*s == stuck.subject && *g == goal));
            findings.push((stuck.subject, goal, f));
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
pub(super) fn keep_goal(goal: Goal, unreached: Option<&Unreached>) -> bool {
    !matches!(goal, Goal::NotSuccess(_)) || unreached.is_some()
}

/// Adds a finished case to its subject's bookkeeping; `reach` is the subject's part in the
/// reachability comparison.
pub(super) fn record(state: &mut SubjectState, reach: Reach, attempt: Attempt) {
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
            // Most error answers repeat a text already kept: looked up before it is copied.
            if !state.error_texts.contains_key(text) {
                if state.error_texts.len() < MAX_ERROR_TEXTS {
                    state.error_texts.insert(text.clone(), signal.clone());
                } else {
                    state.error_texts_overflow = true;
                }
            }
        }
        Some(Reply::Crash) | None => {}
    }
    if let Reach::Checked(check) = reach
        && !attempt.succeeded()
    {
        goals.push((Goal::NotSuccess(check), Severity::Error));
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
pub(super) fn finding<S: Suite>(
    suite: &S,
    subject: &Subject,
    goal: Goal,
    (failing_cases, severity): (u32, Severity),
    cases_run: u32,
    shrunk: Shrunk,
    unreached: Option<&Unreached>,
) -> Finding {
    let Shrunk {
        best,
        steps: shrink_steps,
        stopped_at: shrink_stopped_at,
    } = shrunk;
    let (message, severity) = match goal {
        Goal::Fails(check) => best
            .failures
            .iter()
            .filter(|f| f.check == check)
            .max_by_key(|f| f.severity)
            .map(|f| (f.message.clone(), f.severity.max(severity)))
            .unwrap_or((String::new(), severity)),
        Goal::NotSuccess(check) => match unreached {
            Some(why) => (
                suite.unreachable_message(cases_run, why),
                check.default_severity(),
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
        shrink_stopped_at,
    }
}

/// The finding of an invocation that never returned: its case is rebuilt from its seed.
fn wedged_finding<S: Suite>(suite: &S, stuck: InFlight, cases_run: u32) -> Finding {
    let subject = &suite.subjects()[stuck.subject];
    let probe = suite.probe(subject, stuck.index);
    let check = suite.deadline_check();
    let input = subject
        .input(stuck.index, stuck.seed)
        .unwrap_or_else(|_| CaseInput::valid(serde_json::Value::Null));
    let invocation = suite
        .invocations(subject, probe, &input, stuck.seed)
        .into_iter()
        .nth(stuck.invocation);
    Finding {
        check,
        severity: check.default_severity(),
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
        shrink_stopped_at: None,
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
