//! Live progress for people on stderr while `check` runs: a progress bar on a terminal, a line
//! every few seconds in CI logs. The runner's [`RunEvent`]s are its only input.

use std::io::Write as _;

use crate::report::terminal_safe;
use crate::runner::RunEvent;
use indicatif::{ProgressBar, ProgressStyle};

/// How often progress lines are written when stderr is not a terminal.
const LINE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Live progress for people on stderr: a progress bar while cases run when stderr is a
/// terminal (and the run is long enough to need one), else a line every few seconds on runs
/// that last that long (CI logs).
#[derive(Debug)]
pub(crate) struct HumanReporter {
    bar: Option<ProgressBar>,
    show: bool,
    lines: Option<Lines>,
}

/// Progress written as lines.
#[derive(Debug)]
struct Lines {
    last: std::time::Instant,
    done: u64,
    total: u64,
    findings: u64,
}

impl HumanReporter {
    /// A reporter that shows a progress bar when `show` (the CLI passes "stderr is a
    /// terminal").
    pub(crate) fn new(show: bool) -> Self {
        HumanReporter {
            bar: None,
            show,
            lines: None,
        }
    }

    /// A reporter that writes a progress line to stderr every few seconds (for output that is
    /// not a terminal).
    pub(crate) fn lines() -> Self {
        HumanReporter {
            bar: None,
            show: false,
            lines: Some(Lines {
                last: std::time::Instant::now(),
                done: 0,
                total: 0,
                findings: 0,
            }),
        }
    }

    /// Takes one event.
    pub(crate) fn report(&mut self, event: &RunEvent) {
        if let Some(lines) = &mut self.lines {
            lines.take(event);
        }
        match event {
            RunEvent::RunStarted { cases, .. } if self.show && *cases >= 500 => {
                let bar = ProgressBar::new(*cases);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {pos}/{len} cases [{bar:30}] {per_sec} {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                self.bar = Some(bar);
            }
            RunEvent::CaseFinished { .. } => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            RunEvent::ShrinkStarted { subject, check } => {
                if let Some(bar) = &self.bar {
                    bar.set_message(format!("shrinking {check} of {}", terminal_safe(subject)));
                }
            }
            RunEvent::RunFinished { .. } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
            }
            _ => {}
        }
    }
}

impl Lines {
    fn take(&mut self, event: &RunEvent) {
        match event {
            RunEvent::RunStarted { cases, .. } => self.total = *cases,
            RunEvent::CaseFinished { .. } => self.done += 1,
            RunEvent::Finding(_) => self.findings += 1,
            _ => return,
        }
        if self.last.elapsed() >= LINE_EVERY {
            self.last = std::time::Instant::now();
            let phase = if self.done < self.total {
                format!("{}/{} cases", self.done, self.total)
            } else {
                format!(
                    "{} cases run; shrinking, {} finding(s) so far",
                    self.done, self.findings
                )
            };
            let _ = writeln!(std::io::stderr(), "toolcontract: {phase}");
        }
    }
}
