//! The report for people: findings first, each with its minimal case, then one line per
//! subject, then the totals. Colour only when asked (the CLI asks on a terminal).

use std::fmt::Write as _;

use console::Style;
use serde_json::Value;

use crate::handler::{Answer, Outcome, RawJson};

use super::{CheckStatus, Finding, Report};
use crate::check::Severity;

/// How many log lines a finding shows.
const LOG_LINES: usize = 10;

struct Palette {
    fail: Style,
    warn: Style,
    pass: Style,
    dim: Style,
    bold: Style,
}

impl Palette {
    fn new(color: bool) -> Self {
        let style = |s: Style| s.force_styling(color);
        Palette {
            fail: style(Style::new().red().bold()),
            warn: style(Style::new().yellow().bold()),
            pass: style(Style::new().green().bold()),
            dim: style(Style::new().dim()),
            bold: style(Style::new().bold()),
        }
    }
}

/// Subjects listed one per line up to this many; beyond, subjects with the same result share
/// a line (a 79-tool definition fits on a screen).
const SUBJECT_LINES: usize = 12;

/// How many names a shared line lists before "and N more".
const LISTED_NAMES: usize = 8;

/// How a finding says to replay its case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReplayHint {
    /// `--replay 'TOKEN'`: the command line's flag.
    Flag,
    /// `.replay("TOKEN")`: the library's option, for a failing `cargo test`.
    Method,
}

/// Renders a whole report, with replay hints for the command line.
pub fn render_report(report: &Report, color: bool) -> String {
    render(report, color, ReplayHint::Flag)
}

/// Renders a whole report, with each finding's replay hint as `hint` says.
pub(crate) fn render(report: &Report, color: bool, hint: ReplayHint) -> String {
    let p = Palette::new(color);
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&render_finding_with(finding, &p, hint));
        out.push('\n');
    }
    // One line per subject, or per group of subjects with the same result.
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for subject in &report.subjects {
        let listed = |status: CheckStatus| -> Vec<&str> {
            subject
                .checks
                .iter()
                .filter(|c| c.status == status)
                .map(|c| c.check.as_str())
                .collect()
        };
        let (failed, warned, off) = (
            listed(CheckStatus::Failed),
            listed(CheckStatus::Warned),
            listed(CheckStatus::Off),
        );
        let held = subject.checks.len() - failed.len() - warned.len() - off.len();
        let mark = if subject.cases_run == 0 {
            p.warn.apply_to("SKIP")
        } else if !failed.is_empty() {
            p.fail.apply_to("FAIL")
        } else if !warned.is_empty() {
            p.warn.apply_to("WARN")
        } else {
            p.pass.apply_to("PASS")
        };
        let mut detail = if subject.cases_run == 0 {
            "no verdict".to_owned()
        } else {
            format!("{held} checks held")
        };
        if !failed.is_empty() {
            let _ = write!(detail, "; failed: {}", failed.join(", "));
        }
        if !warned.is_empty() {
            let _ = write!(detail, "; warnings: {}", warned.join(", "));
        }
        if !off.is_empty() {
            let _ = write!(detail, "; off: {}", off.join(", "));
        }
        let mut line = format!("{mark}  {{}}  {} cases  {detail}", subject.cases_run);
        if let Some(reason) = &subject.skip_reason {
            let _ = write!(
                line,
                "  ({} cases {})",
                subject.cases_skipped,
                terminal_safe(reason)
            );
        }
        let grouped = report.subjects.len() > SUBJECT_LINES;
        match lines.iter_mut().find(|(l, _)| grouped && *l == line) {
            Some((_, names)) => names.push(&subject.name),
            None => lines.push((line, vec![&subject.name])),
        }
    }
    for (line, names) in lines {
        let shown = if names.len() == 1 {
            p.bold.apply_to(terminal_safe(names[0])).to_string()
        } else {
            format!("{} tools: {}", names.len(), name_list(&names))
        };
        let _ = writeln!(out, "{}", line.replacen("{}", &shown, 1));
    }
    let t = &report.totals;
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    let _ = writeln!(
        out,
        "\n{errors} error(s), {warnings} warning(s){}; {} cases ({} invocations) in {:.2} s, \
         {:.0} cases/s; seed {}",
        if report.run.deny_warnings && warnings > 0 {
            " (warnings denied)"
        } else {
            ""
        },
        t.cases,
        t.invocations,
        report.elapsed_ms as f64 / 1000.0,
        t.cases_per_second,
        report.run.seed
    );
    out
}

/// Names, comma-separated, at most [`LISTED_NAMES`] of them, then "and N more".
fn name_list(names: &[&str]) -> String {
    let mut listed: Vec<String> = names
        .iter()
        .take(LISTED_NAMES)
        .map(|n| terminal_safe(n))
        .collect();
    if names.len() > LISTED_NAMES {
        listed.push(format!("and {} more", names.len() - LISTED_NAMES));
    }
    listed.join(", ")
}

/// Renders one finding: check, subject, message, and the minimal case.
pub fn render_finding(finding: &Finding, color: bool) -> String {
    render_finding_with(finding, &Palette::new(color), ReplayHint::Flag)
}

fn render_finding_with(finding: &Finding, p: &Palette, hint: ReplayHint) -> String {
    let mut out = String::new();
    let mark = match finding.severity {
        Severity::Error => p.fail.apply_to("FAIL"),
        Severity::Warning => p.warn.apply_to("WARN"),
    };
    let _ = writeln!(
        out,
        "{mark}  {}  {}  ({} of {} cases)",
        p.bold.apply_to(finding.check.as_str()),
        terminal_safe(&finding.subject),
        finding.failing_cases,
        finding.cases_run
    );
    if !finding.also.is_empty() {
        let names: Vec<&str> = finding.also.iter().map(String::as_str).collect();
        let _ = writeln!(
            out,
            "  {}",
            p.dim.apply_to(format!(
                "the same for {} more: {}",
                names.len(),
                name_list(&names)
            ))
        );
    }
    let _ = writeln!(out, "  {}", terminal_safe_lines(&finding.message));
    let case = &finding.case;
    let _ = writeln!(
        out,
        "  {}",
        p.dim.apply_to(format!(
            "minimal case: seed {}, case {}, probe {}, shrunk in {} steps",
            case.seed,
            case.index,
            case.probe.as_str(),
            finding.shrink_steps
        ))
    );
    if let Some(limit) = finding.shrink_stopped_at {
        let _ = writeln!(
            out,
            "  {}",
            p.dim.apply_to(format!(
                "shrinking stopped at its limit {limit} after {} steps: this case may not be \
                 minimal; raise `{}` in toolcontract.toml [defaults] (ShrinkLimits::{limit} \
                 in the library) to shrink further",
                finding.shrink_steps,
                limit.config_key()
            ))
        );
    }
    for (i, (invocation, answer)) in case.invocations.iter().zip(&case.answers).enumerate() {
        if case.invocations.len() > 1 {
            let _ = writeln!(out, "  invocation {}:", i + 1);
        }
        let client_context = invocation.client_context.as_ref().map(RawJson::to_value);
        if let Some(custom) = client_context.as_ref().and_then(|c| c.get("custom")) {
            if let Some(name) = custom
                .get("bedrockAgentCoreToolName")
                .and_then(Value::as_str)
            {
                let _ = writeln!(out, "    tool name  {}", terminal_safe(name));
            }
            let _ = writeln!(out, "    custom     {}", compact(custom, 400));
        }
        let _ = writeln!(out, "    event      {}", compact(&invocation.event, 400));
        let _ = writeln!(
            out,
            "    answer     {}",
            terminal_safe(&describe_answer(answer))
        );
        if let Some(received) = case.received.get(i) {
            let _ = writeln!(
                out,
                "    agent gets {}",
                terminal_safe(&compact(received, 400))
            );
        }
        if !answer.logs.is_empty() {
            let _ = writeln!(out, "    logs       (last lines)");
            let start = answer.logs.len().saturating_sub(LOG_LINES);
            for line in &answer.logs[start..] {
                let _ = writeln!(out, "      {}", p.dim.apply_to(terminal_safe(line)));
            }
        }
    }
    if let Some(violation) = &case.input.violation {
        let _ = writeln!(
            out,
            "    violation  {} at {} (schema {})",
            violation.kind.as_str(),
            terminal_safe(violation.instance_path.as_str()),
            terminal_safe(violation.schema_path.as_str())
        );
    }
    let token = finding.replay_token().to_string();
    let replay = match hint {
        ReplayHint::Flag => format!("replay: --replay {}", terminal_safe(&shell_quote(&token))),
        // A token is check:subject:index:seed; the subject may need escaping in a Rust string.
        ReplayHint::Method => format!(
            "replay: .replay({}) before .check(...), or --replay {} on the command line",
            terminal_safe(&format!("{token:?}")),
            terminal_safe(&shell_quote(&token))
        ),
    };
    let _ = writeln!(out, "  {}", p.dim.apply_to(replay));
    out
}

fn describe_answer(answer: &Answer) -> String {
    let took = format!("after {} ms", answer.elapsed.as_millis());
    match &answer.outcome {
        Outcome::Response { body, size } => {
            format!("{} ({size} bytes, {took})", compact(body, 600))
        }
        Outcome::FunctionError {
            error_type,
            error_message,
        } => format!("function error {error_type}: {error_message} ({took})"),
        Outcome::Panic {
            message,
            location: Some(location),
        } => format!("panic at {location}: {message} ({took})"),
        Outcome::Panic { message, .. } => format!("panic: {message} ({took})"),
        Outcome::Exited { status } => format!("process exited: {status} ({took})"),
        Outcome::InitError {
            error_type,
            error_message,
        } => format!("init error {error_type}: {error_message} ({took})"),
        Outcome::Timeout { limit } => format!("no answer within {} ms", limit.as_millis()),
        Outcome::InvalidJson { error, prefix } => format!("not JSON ({error}): {prefix:?}"),
        Outcome::Oversize { size_at_least } => format!("over {size_at_least} bytes"),
    }
}

/// `word` quoted for a POSIX shell: in single quotes (a `'` inside written `'\''`), so that a
/// pasted command passes it as one word and runs nothing from it.
pub fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// `text` with every control character (ESC and the rest of C0, DEL, C1 such as CSI) written
/// as `\u{..}`, so that text from a definition or a handler (a tool name, an error message,
/// a log line) cannot move the cursor, retitle the window or forge output on a terminal. A
/// line break is escaped too: the text stays one line.
pub fn terminal_safe(text: &str) -> String {
    escape_controls(text, false)
}

/// As [`terminal_safe`], keeping line breaks (for multi-line messages).
pub fn terminal_safe_lines(text: &str) -> String {
    escape_controls(text, true)
}

fn escape_controls(text: &str, keep_newlines: bool) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && !(keep_newlines && c == '\n') {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Compact JSON, cut at `max` characters; controls that JSON leaves as they are (DEL, C1)
/// escaped.
fn compact(value: &Value, max: usize) -> String {
    let text = terminal_safe(&value.to_string());
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max).collect();
    let _ = write!(cut, "… ({} bytes)", text.len());
    cut
}
