//! Reports: what a run found, for people (terminal) and machines (JSON, the shape of
//! `contracts/report.json`).
//!
//! The runner emits [`RunEvent`](crate::runner::RunEvent)s; [`Report`] is what they add up to.
//! Renderers never see the runner, only a finished [`Report`]. The command line adds its own
//! sinks on top (a progress bar fed by the events, JUnit XML rendered from the report).

mod human;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::check::{CheckName, Severity};
use crate::handler::{Answer, Invocation};
use crate::runner::{CaseInput, Probe, SubjectKind};

pub use human::{render_finding, render_report, shell_quote, terminal_safe, terminal_safe_lines};

/// A run or case seed, shown and parsed as hexadecimal (`0x…`), so it survives JSON readers
/// that round 64-bit integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seed(pub u64);

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#018x}", self.0)
    }
}

impl FromStr for Seed {
    type Err = String;

    /// Accepts `0x`-prefixed hexadecimal or decimal.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
            None => s.replace('_', "").parse::<u64>(),
        };
        parsed.map(Seed).map_err(|_| {
            format!("`{s}` is not a seed (expected hexadecimal like 0x1f or a decimal number)")
        })
    }
}

impl Serialize for Seed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One case as it ran: what was generated, what was sent, what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CaseRecord {
    /// The case seed: replays this case.
    pub seed: Seed,
    /// The case index within its subject.
    pub index: u32,
    /// The probe the case ran.
    pub probe: Probe,
    /// The generated input.
    pub input: CaseInput,
    /// The invocations sent.
    pub invocations: Vec<Invocation>,
    /// The answers, one per invocation.
    pub answers: Vec<Answer>,
    /// What the agent receives for each answer, where the contract maps answers (the
    /// Gateway's MCP result): shown beside the raw answer. Filled in for findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub received: Vec<serde_json::Value>,
}

/// A failed check, with the minimal case that shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// The check that failed.
    pub check: CheckName,
    /// Whether it fails the run (`error`) or is reported only (`warning`).
    pub severity: Severity,
    /// The subject: a tool name, or `(undeclared tool)`.
    pub subject: String,
    /// The declared tool involved, if any.
    pub tool: Option<String>,
    /// Other subjects with the same finding (the same check and cause): one finding lists
    /// them instead of repeating itself. The case shown is the first subject's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// What kind of cases the subject ran.
    pub kind: SubjectKind,
    /// What went wrong, on the minimal case.
    pub message: String,
    /// The minimal (shrunk) case.
    pub case: CaseRecord,
    /// How many of the subject's cases failed this check.
    pub failing_cases: u32,
    /// How many cases of the subject ran.
    pub cases_run: u32,
    /// How many smaller cases were accepted while shrinking.
    pub shrink_steps: u32,
}

impl Finding {
    /// The subjects this finding is about: its own, then the grouped ones (`also`).
    pub fn subjects(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.subject.as_str()).chain(self.also.iter().map(String::as_str))
    }

    /// The token `--replay` takes to run this one case again:
    /// `<check>:<subject>:<case>:<seed>`.
    pub fn replay_token(&self) -> String {
        ReplayToken {
            check: self.check,
            subject: self.subject.clone(),
            index: self.case.index,
            seed: self.case.seed,
        }
        .to_string()
    }
}

/// One finding's case named for replay: `<check>:<subject>:<case index>:<case seed>`, e.g.
/// `tool_reachable:add:0:0x1f`. The seed decides the input, the index the probe, and the check
/// says what the replay is about (replaying one case cannot show that a tool is unreachable
/// unless asked to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayToken {
    /// The check the finding was about.
    pub check: CheckName,
    /// The subject (a tool name, `(undeclared tool)`, or `<tool> (invalid arguments)`).
    pub subject: String,
    /// The case index (it decides the probe).
    pub index: u32,
    /// The case seed (it decides the generated input).
    pub seed: Seed,
}

impl fmt::Display for ReplayToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}",
            self.check, self.subject, self.index, self.seed
        )
    }
}

impl FromStr for ReplayToken {
    type Err = String;

    /// The check from the left, the seed and index from the right, so subjects may contain `:`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "`{s}` is not a replay token (expected <check>:<subject>:<case>:<seed>, as \
                 findings print it)"
            )
        };
        let (check, rest) = s.split_once(':').ok_or_else(bad)?;
        let check = check
            .parse::<CheckName>()
            .map_err(|e| format!("{}: {e}", bad()))?;
        let mut parts = rest.rsplitn(3, ':');
        let seed = parts
            .next()
            .ok_or_else(bad)?
            .parse::<Seed>()
            .map_err(|_| bad())?;
        let index = parts
            .next()
            .ok_or_else(bad)?
            .parse::<u32>()
            .map_err(|_| bad())?;
        let subject = parts.next().filter(|s| !s.is_empty()).ok_or_else(bad)?;
        Ok(ReplayToken {
            check,
            subject: subject.to_owned(),
            index,
            seed,
        })
    }
}

/// What one check concluded for one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Held on every case.
    Passed,
    /// Failed with severity `error`; the report carries a finding.
    Failed,
    /// Failed with severity `warning`; the report carries a finding.
    Warned,
    /// Not reported: the configuration turned it off.
    Off,
}

/// One check's result for one subject.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckResult {
    /// The check.
    pub check: CheckName,
    /// Passed or failed.
    pub status: CheckStatus,
    /// How many cases failed it.
    pub failing_cases: u32,
}

/// One subject's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubjectReport {
    /// The subject: a tool name, or `(undeclared tool)`.
    pub name: String,
    /// The declared tool, if any.
    pub tool: Option<String>,
    /// What kind of cases ran.
    pub kind: SubjectKind,
    /// Cases run.
    pub cases_run: u32,
    /// Cases not run (after repeated timeouts, or when generation gave up), with why.
    pub cases_skipped: u32,
    /// Why cases were skipped, if any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Each check that applies to the subject.
    pub checks: Vec<CheckResult>,
}

/// Run totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Totals {
    /// Cases run (not counting shrinking).
    pub cases: u64,
    /// Handler invocations, shrinking included.
    pub invocations: u64,
    /// Findings.
    pub findings: u64,
    /// Wall time of the case phase (before shrinking), in milliseconds.
    pub case_phase_ms: u64,
    /// Cases per second of the case phase.
    pub cases_per_second: f64,
}

/// The settings a run used, recorded in its report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RunInfo {
    /// `toolcontract`'s version.
    pub toolcontract_version: String,
    /// The definition file.
    pub definition: String,
    /// The target name the Gateway cases used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_name: Option<String>,
    /// The response profile.
    pub profile: String,
    /// The run seed.
    pub seed: Seed,
    /// Cases per tool.
    pub cases_per_tool: u32,
    /// Handlers at once.
    pub jobs: usize,
    /// Per-case timeout, in milliseconds.
    pub timeout_ms: u64,
    /// Whether negative cases ran.
    pub negative: bool,
    /// Whether warnings fail the run too.
    #[serde(default)]
    pub deny_warnings: bool,
    /// The assumptions the verdicts rest on where the evidence runs out (Gateway:
    /// `mcp_passthrough`), by name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub assumptions: std::collections::BTreeMap<String, bool>,
    /// Per-check levels the configuration set (`error`, `warning`, `off`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub checks: std::collections::BTreeMap<CheckName, crate::config::Level>,
    /// The configuration file the run read, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// Everything a run found. Its JSON form is described by `contracts/report.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// The run's settings.
    pub run: RunInfo,
    /// Per-subject results, in definition order.
    pub subjects: Vec<SubjectReport>,
    /// Findings, ordered by subject then check.
    pub findings: Vec<Finding>,
    /// Totals.
    pub totals: Totals,
    /// Wall time of the whole run, in milliseconds.
    pub elapsed_ms: u64,
}

impl Report {
    /// Whether the run passes: no finding of severity `error` (with `deny_warnings`, no
    /// finding at all).
    pub fn is_ok(&self) -> bool {
        self.findings
            .iter()
            .all(|f| f.severity == Severity::Warning && !self.run.deny_warnings)
    }

    /// Every (subject, check) with a finding, groups expanded (a finding's own subject, then
    /// its `also`), in report order.
    pub fn failed(&self) -> Vec<(&str, CheckName)> {
        self.findings
            .iter()
            .flat_map(|f| f.subjects().map(move |s| (s, f.check)))
            .collect()
    }

    /// The findings of severity `error`.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// The findings of severity `warning`.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// The findings of one check.
    pub fn findings_of(&self, check: CheckName) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.check == check)
    }

    /// Panics with the human rendering of every finding unless the run passes (no error
    /// findings; no findings at all with `deny_warnings`): the call a `#[test]` ends with.
    #[track_caller]
    pub fn assert_ok(&self) {
        if !self.is_ok() {
            panic!("{}", human::render(self, false, human::ReplayHint::Method));
        }
    }

    /// The whole wall time.
    pub fn elapsed(&self) -> Duration {
        Duration::from_millis(self.elapsed_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::Seed;

    #[test]
    fn seeds_print_as_hex_and_parse_both_ways() {
        let seed = Seed(0x1f);
        assert_eq!(seed.to_string(), "0x000000000000001f");
        assert_eq!("0x1f".parse::<Seed>(), Ok(seed));
        assert_eq!("31".parse::<Seed>(), Ok(seed));
        assert_eq!(
            serde_json::to_string(&seed).unwrap(),
            "\"0x000000000000001f\""
        );
        assert!("zz".parse::<Seed>().unwrap_err().contains("zz"));
    }

    #[test]
    fn replay_tokens_round_trip_and_allow_colons_in_subjects() {
        use super::ReplayToken;
        use crate::CheckName;
        let token: ReplayToken = "unknown_tool_rejected:(undeclared tool):3:0x1f"
            .parse()
            .unwrap();
        assert_eq!(token.check, CheckName::UnknownToolRejected);
        assert_eq!(token.subject, "(undeclared tool)");
        assert_eq!(token.index, 3);
        assert_eq!(token.seed, Seed(0x1f));
        assert_eq!(
            token.to_string(),
            "unknown_tool_rejected:(undeclared tool):3:0x000000000000001f"
        );
        let odd: ReplayToken = "tool_reachable:a:b:7:12".parse().unwrap();
        assert_eq!(
            (odd.subject.as_str(), odd.index, odd.seed),
            ("a:b", 7, Seed(12))
        );
        assert!("tool_reachable:add:x:1".parse::<ReplayToken>().is_err());
        assert!("tool_reachable::1:1".parse::<ReplayToken>().is_err());
        let unknown = "no_such_check:add:1:1".parse::<ReplayToken>().unwrap_err();
        assert!(
            unknown.contains("unknown check `no_such_check`"),
            "{unknown}"
        );
    }
}
