//! The plumbing every contract kind shares: running a suite against handlers (all cases, or
//! only replayed ones) into a [`Report`], and the blocking entry point for plain `#[test]`s.

use crate::errors::Error;
use crate::handler::Handler;
use crate::report::{ReplayToken, Report, RunInfo};
use crate::runner::suite::Suite;
use crate::runner::{self, CaseRef, RunConfig, RunEvent};

/// Runs `suite` against `handlers` (one worker each): every case, or with `tokens`, only the
/// cases they name (shrinking again). `info` is recorded in the report.
pub(crate) async fn run<S: Suite, H: Handler>(
    suite: &S,
    info: RunInfo,
    handlers: &mut [H],
    tokens: &[ReplayToken],
    on_event: impl FnMut(RunEvent) + Send,
) -> Result<Report, Error> {
    let mut only = Vec::with_capacity(tokens.len());
    for token in tokens {
        if !suite.subjects().iter().any(|s| s.name == token.subject) {
            let subjects: Vec<&str> = suite.subjects().iter().map(|s| s.name.as_str()).collect();
            return Err(Error::Usage(format!(
                "replay token `{token}` names `{}`, which this run does not test (subjects: {})",
                token.subject,
                subjects.join(", ")
            )));
        }
        only.push(CaseRef {
            check: token.check,
            subject: token.subject.clone(),
            index: token.index,
            seed: token.seed.0,
        });
    }
    let mut config = RunConfig::new(info.seed.0);
    config.only = only;
    let outcome = runner::run(suite, handlers, &config, on_event).await;
    Ok(Report {
        run: RunInfo {
            jobs: handlers.len(),
            ..info
        },
        subjects: outcome.subjects,
        findings: outcome.findings,
        totals: outcome.totals,
        elapsed_ms: u64::try_from(outcome.elapsed.as_millis()).unwrap_or(u64::MAX),
    })
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
