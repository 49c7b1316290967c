//! The plumbing every contract kind shares: running a suite against handlers (all cases, or
//! only replayed ones) into a [`Report`], and the blocking entry point for plain `#[test]`s.

use std::sync::Arc;
use std::time::Duration;

use std::collections::BTreeMap;

use crate::check::{CheckName, Severity};
use crate::config::Level;
use crate::errors::Error;
use crate::handler::{Answer, Handler, Invocation};
use crate::report::{CheckStatus, Finding, SubjectReport};
use crate::report::{ReplayToken, Report, RunInfo};
use crate::results::ReplayError;
use crate::runner::suite::Suite;
use crate::runner::{self, CaseRef, RunConfig, RunEvent, RunOutcome, RunState};

/// How long past its deadline an in-process invocation may block the runner's thread before
/// the supervisor gives up on it.
const WEDGE_GRACE: Duration = Duration::from_secs(1);

/// How often the supervisor looks at the invocation in flight.
const WATCH_EVERY: Duration = Duration::from_millis(20);

/// Runs `suite` against `handlers` (one worker each): every case, or with `tokens`, only the
/// cases they name (shrinking again). `info` is recorded in the report.
pub(crate) async fn run<S: Suite, H: Handler>(
    suite: &S,
    info: RunInfo,
    handlers: &mut [H],
    tokens: &[ReplayToken],
    on_event: impl FnMut(RunEvent) + Send,
) -> Result<Report, Error> {
    let mut config = RunConfig::new(info.seed.0);
    config.only = replayed(suite, tokens)?;
    config.shrink = info.shrink;
    let outcome = runner::run(suite, handlers, &config, on_event).await;
    Ok(report(info, handlers.len(), outcome))
}

/// The cases `tokens` name, each checked against the suite's subjects.
pub(crate) fn replayed<S: Suite>(suite: &S, tokens: &[ReplayToken]) -> Result<Vec<CaseRef>, Error> {
    let mut only = Vec::with_capacity(tokens.len());
    for token in tokens {
        if !suite.subjects().iter().any(|s| s.name == token.subject) {
            return Err(ReplayError::UnknownSubject {
                token: token.to_string(),
                subject: token.subject.clone(),
                subjects: suite.subjects().iter().map(|s| s.name.clone()).collect(),
            }
            .into());
        }
        only.push(CaseRef {
            check: token.check,
            subject: token.subject.clone(),
            index: token.index,
            seed: token.seed.0,
        });
    }
    Ok(only)
}

/// Parses a replay token as a finding prints it, for the library's `.replay("…")`.
pub(crate) fn parse_token(token: &str) -> Result<ReplayToken, Error> {
    Ok(token.parse::<ReplayToken>()?)
}

/// Invokes `handler` once with `invocation`, blocking: the library's `invoke`.
pub(crate) fn invoke_once<H: Handler>(mut handler: H, invocation: &Invocation) -> Answer {
    blocking(|runtime| runtime.block_on(handler.invoke(invocation)))
}

/// Runs every case of `suite` against one in-process `handler`, on a runner thread of its own
/// that this task watches: handler futures run inline there (no hand-off per case), and a
/// handler that blocks that thread for good is given up on [`WEDGE_GRACE`] past its deadline.
/// The report then has a `within_deadline` finding for it, the failures found so far, and the
/// cases not run. (The abandoned thread stays blocked: in-process code cannot be killed.)
///
/// With `only`, just those cases run (a replay), each shrunk again.
pub(crate) async fn supervised<S, H>(
    suite: S,
    info: RunInfo,
    handler: H,
    only: Vec<CaseRef>,
) -> Report
where
    S: Suite + Send + 'static,
    H: Handler + 'static,
{
    let mut config = RunConfig::new(info.seed.0);
    config.only = only;
    config.shrink = info.shrink;
    let state = Arc::new(RunState::new(suite.subjects().len()));
    let suite = Arc::new(suite);
    let (done, mut finished) = tokio::sync::oneshot::channel::<()>();
    let runner = {
        let (suite, state, config) = (Arc::clone(&suite), Arc::clone(&state), config.clone());
        std::thread::Builder::new()
            .name("toolcontract-runner".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a current-thread tokio runtime can always be built");
                let mut handlers = [handler];
                let _sink = runtime.block_on(runner::execute(
                    &*suite,
                    &state,
                    &mut handlers,
                    &config,
                    None::<fn(RunEvent)>,
                ));
                let _ = done.send(());
            })
    };
    // Failing to start a thread means the process is out of resources: nothing sensible is
    // left to do but say so.
    let runner =
        runner.unwrap_or_else(|e| panic!("toolcontract cannot start its runner thread: {e}"));
    let wedged = loop {
        tokio::select! {
            _ = &mut finished => break None,
            () = tokio::time::sleep(WATCH_EVERY) => {
                if let Some(stuck) = state.overdue(WEDGE_GRACE) {
                    break Some(stuck);
                }
            }
        }
    };
    if wedged.is_none() {
        // The runner finished, or panicked: a bug in toolcontract, shown as it is.
        if let Err(panic) = runner.join() {
            std::panic::resume_unwind(panic);
        }
    }
    report(info, 1, state.finish(&*suite, &config, wedged))
}

fn report(info: RunInfo, jobs: usize, outcome: RunOutcome) -> Report {
    let RunOutcome {
        mut subjects,
        mut findings,
        mut totals,
        elapsed,
    } = outcome;
    apply_levels(&info.checks, &mut subjects, &mut findings);
    let findings = group(findings);
    totals.findings = findings.len() as u64;
    Report {
        run: RunInfo { jobs, ..info },
        subjects,
        findings,
        totals,
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
    }
}

/// The configured levels: a check set to a severity gets it; a check turned off loses its
/// findings and is listed as off.
fn apply_levels(
    levels: &BTreeMap<CheckName, Level>,
    subjects: &mut [SubjectReport],
    findings: &mut Vec<Finding>,
) {
    if levels.is_empty() {
        return;
    }
    findings.retain(|f| levels.get(&f.check) != Some(&Level::Off));
    for finding in findings.iter_mut() {
        if let Some(Level::Severity(severity)) = levels.get(&finding.check) {
            finding.severity = *severity;
        }
    }
    for subject in subjects {
        for result in &mut subject.checks {
            result.status = match (levels.get(&result.check), result.status) {
                (Some(Level::Off), _) => CheckStatus::Off,
                (Some(Level::Severity(Severity::Error)), CheckStatus::Warned) => {
                    CheckStatus::Failed
                }
                (Some(Level::Severity(Severity::Warning)), CheckStatus::Failed) => {
                    CheckStatus::Warned
                }
                (_, status) => status,
            };
        }
    }
}

/// Findings with the same check, severity and cause (the same message once the subject's own
/// name is taken out) become one, listing the other subjects in `also`: a handler with 75
/// unimplemented tools gets one finding, not 75.
fn group(findings: Vec<Finding>) -> Vec<Finding> {
    let mut grouped: Vec<(String, Finding)> = Vec::with_capacity(findings.len());
    for finding in findings {
        let cause = cause(&finding);
        match grouped.iter_mut().find(|(c, f)| {
            *c == cause
                && f.check == finding.check
                && f.severity == finding.severity
                && f.kind == finding.kind
        }) {
            Some((_, first)) => first.also.push(finding.subject),
            None => grouped.push((cause, finding)),
        }
    }
    grouped.into_iter().map(|(_, f)| f).collect()
}

/// A finding's message with its subject's and tool's names and its case counts taken out.
fn cause(finding: &Finding) -> String {
    let mut text = finding.message.clone();
    for name in [Some(&finding.subject), finding.tool.as_ref()]
        .into_iter()
        .flatten()
    {
        if !name.is_empty() {
            text = text.replace(name.as_str(), "…");
        }
    }
    // "none of the 256 valid cases": counts differ when tools have examples.
    text.split(|c: char| c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("0")
}

/// Runs `work` on a fresh current-thread runtime and returns its result: the body of every
/// blocking `check`. Called from inside an async runtime (where blocking on another runtime
/// would panic), it runs on a thread of its own.
pub(crate) fn blocking<T: Send>(work: impl FnOnce(&tokio::runtime::Runtime) -> T + Send) -> T {
    let run = || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread tokio runtime can always be built");
        work(&runtime)
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|scope| {
            scope
                .spawn(run)
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    } else {
        run()
    }
}
