//! `toolcontract check`: run the checks against a handler process.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use crate::Error;
use crate::errors::ReplayError;
use crate::errors::exit;
use crate::handler::runtime_api::{
    ProcessConfig, ProcessHandler, adopt_orphans, kill_live_processes, reap_orphans,
};
use crate::report::{ReplayToken, Report, render_report};

use super::junit::render_junit;
use super::progress::HumanReporter;

use super::args::{CheckArgs, ColorChoice, ReportFormat};
use super::harness::{self, Harness, Settings};
use super::{output, signals};

pub(crate) fn run(args: CheckArgs) -> Result<i32, Error> {
    signals::install()?;
    // Daemons a handler leaves behind (fork twice, `setsid()`) become ours, to be ended below.
    adopt_orphans();
    let config = harness::config(args.settings.config.as_deref(), &args.definition)?;
    let harness = Harness::load(&args.definition, &args.case.selection(), config.as_ref())?
        .configure(&Settings {
            cases: args.cases,
            seed: args.case.seed.map(|s| s.0),
            timeout: args.timeout_ms.map(Duration::from_millis),
            tools: &args.tools,
            target_name: args.case.target_name.as_deref(),
            profile: args.profile.map(Into::into),
            negative: args.negative,
            mcp_passthrough: args.settings.mcp_passthrough,
            interceptor: args.case.interceptor.as_deref(),
            deny_warnings: args.deny_warnings,
        })?;
    let mut tokens = args.replay.clone();
    if let Some(path) = &args.replay_report {
        tokens.extend(tokens_from_report(path)?);
    }
    // No case, no verdict: a run of zero cases would report every check as held.
    if tokens.is_empty() && harness.cases() == 0 {
        return Err(Error::Usage(
            "--cases 0 (or PROPTEST_CASES=0) runs no case, so no check could hold or fail; \
             give --cases 1 or more"
                .to_owned(),
        ));
    }
    if let Some(path) = &args.output {
        output::check_writable(path, "--output")?;
    }
    if let Some(signal) = signals::received() {
        return Ok(interrupted(signal));
    }
    let env = handler_env(config.as_ref(), &args.settings.env);
    let mut handlers = start_handlers(&args, &env)?;
    // One thread drives the runner and every Runtime API server: the handler processes do
    // their work in parallel, and a current-thread runtime has the cheapest wake-ups.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime("start the async runtime", e))?;
    let report = runtime.block_on(async {
        let mut progress = if std::io::stderr().is_terminal() {
            HumanReporter::new(args.format == ReportFormat::Human)
        } else {
            HumanReporter::lines()
        };
        let on_event = |event: crate::runner::RunEvent| progress.report(&event);
        let run = harness.run(&mut handlers, &tokens, on_event);
        tokio::select! {
            report = run => report.map(Ok),
            signal = signals::any() => Ok(Err(signal)),
        }
    });
    drop(handlers);
    reap_orphans();
    let report = report?;
    let report = match report {
        Ok(report) => report,
        Err(signal) => return Ok(interrupted(signal)),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => args.output.is_none() && std::io::stdout().is_terminal(),
    };
    let text = match args.format {
        ReportFormat::Human => render_report(&report, color),
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report)
                .map_err(|e| Error::Usage(format!("cannot serialize the report: {e}")))?;
            json.push('\n');
            json
        }
        ReportFormat::Junit => render_junit(&report),
    };
    output::to(args.output.as_deref(), &text)?;
    // A signal while the report was written: the report is complete, but the run still ends
    // as interrupted.
    if let Some(signal) = signals::received() {
        return Ok(interrupted(signal));
    }
    Ok(if report.is_ok() {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

/// Stops every handler process left and says so; the exit status after `signal`.
pub(super) fn interrupted(signal: i32) -> i32 {
    let killed = kill_live_processes() + reap_orphans();
    output::note(&format!(
        "toolcontract: interrupted by {}; stopped {killed} handler process(es)",
        signals::name(signal)
    ));
    signals::exit_status(signal)
}

/// The largest JSON report `--replay-report` reads (256 MiB).
const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

/// The replay tokens of every finding in a JSON report.
fn tokens_from_report(path: &Path) -> Result<Vec<ReplayToken>, Error> {
    // A regular file of a sensible size: not a FIFO or a device read forever.
    let text = crate::files::read_bounded(path, MAX_REPORT_BYTES).map_err(|e| {
        ReplayError::UnreadableReport {
            path: path.to_owned(),
            reason: e.to_string(),
        }
    })?;
    let report: Report = serde_json::from_str(&text).map_err(|e| ReplayError::NotAReport {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
    })?;
    if report.findings.is_empty() {
        return Err(ReplayError::NoFindings(path.to_owned()).into());
    }
    // A grouped finding replays its case for each of its subjects (the same seed: every case
    // of theirs failed the same way).
    let mut tokens = Vec::new();
    for finding in &report.findings {
        let token: ReplayToken = finding.replay_token();
        for subject in finding.subjects() {
            tokens.push(ReplayToken {
                subject: subject.to_owned(),
                ..token.clone()
            });
        }
    }
    Ok(tokens)
}

/// The handler process's extra environment: the configuration's `[env]`, then `--env`.
pub(crate) fn handler_env(
    config: Option<&crate::Config>,
    flags: &[(String, String)],
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = config
        .map(|c| c.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    env.extend(flags.iter().cloned());
    env
}

/// One handler process per job (each starts at its first invocation).
fn start_handlers(
    args: &CheckArgs,
    env: &[(String, String)],
) -> Result<Vec<ProcessHandler>, Error> {
    (0..args.jobs)
        .map(|_| {
            let mut config = ProcessConfig::new(args.command.iter().cloned());
            for (key, value) in env {
                config = config.with_env(key, value);
            }
            if let Some(dir) = &args.cwd {
                if !dir.is_dir() {
                    return Err(Error::Usage(format!(
                        "--cwd {}: not a directory",
                        dir.display()
                    )));
                }
                config = config.with_current_dir(dir);
            }
            ProcessHandler::start(config).map_err(|e| Error::Handler(e.to_string()))
        })
        .collect()
}
