//! What a run produces, shared by the runner (which fills it in) and the reports (which
//! render it): the generated input of a case and its probe, the case as it ran, findings,
//! per-subject check results and totals. Below both, so neither depends on the other.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::{CheckName, Severity};
use crate::generate::Violation;
use crate::handler::{Answer, Invocation};

/// One generated input: the arguments of a case, and for negative cases how they break the
/// tool's schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CaseInput {
    /// The tool arguments (the Gateway event; the parameters of an action-group event).
    pub arguments: Value,
    /// For negative cases: the one way `arguments` breaks the schema.
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub violation: Option<Violation>,
}

impl CaseInput {
    /// Valid arguments.
    pub fn valid(arguments: Value) -> Self {
        CaseInput {
            arguments,
            violation: None,
        }
    }
}

/// What kind of cases a subject produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// Valid arguments of a declared tool.
    Tool,
    /// A tool name the definition does not declare.
    UndeclaredTool,
    /// Schema-violating arguments of a declared tool (negative mode).
    InvalidArguments,
    /// An MCP message other than `tools/call` (`initialize`, `tools/list`, `ping`, a
    /// notification), as a Gateway interceptor sees it.
    Method,
}

/// Which probe a case runs: which invocations it makes and which checks judge them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    /// One invocation with valid arguments.
    Valid,
    /// The same valid arguments twice: under the target name, then under a renamed target.
    RenamedTarget,
    /// One invocation of an undeclared tool name.
    UndeclaredTool,
    /// One invocation with invalid arguments.
    InvalidArguments,
    /// One invocation with known-good arguments, which must succeed.
    KnownGood,
}

impl Probe {
    /// The stable snake_case name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Probe::Valid => "valid",
            Probe::RenamedTarget => "renamed_target",
            Probe::UndeclaredTool => "undeclared_tool",
            Probe::InvalidArguments => "invalid_arguments",
            Probe::KnownGood => "known_good",
        }
    }
}

/// How far shrinking one finding may go (proptest's `max_shrink_iters` and `max_shrink_time`).
/// Set in `toolcontract.toml` (`[defaults] max_shrink_iterations`, `max_shrink_time_ms`,
/// `max_deadline_shrink_time_ms`) or in the options' `shrink` field. A finding whose
/// shrinking stopped at one of them says so ([`Finding::shrink_stopped_at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShrinkLimits {
    /// At most this many smaller candidate cases are tried per finding (default 1024).
    pub max_iterations: u32,
    /// Shrinking one finding stops after this long (default 60 s).
    #[serde(rename = "max_time_ms", with = "millis")]
    pub max_time: Duration,
    /// Shrinking a `within_deadline` finding stops after this long (default 5 s): each
    /// smaller case that still fails costs a whole deadline.
    #[serde(rename = "max_deadline_time_ms", with = "millis")]
    pub max_deadline_time: Duration,
}

impl Default for ShrinkLimits {
    fn default() -> Self {
        ShrinkLimits {
            max_iterations: 1024,
            max_time: Duration::from_secs(60),
            max_deadline_time: Duration::from_secs(5),
        }
    }
}

impl ShrinkLimits {
    /// Whether these are the default limits (reports then leave them out).
    pub fn is_default(&self) -> bool {
        *self == ShrinkLimits::default()
    }
}

/// Durations as whole milliseconds.
mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// One of the [`ShrinkLimits`], named as reports name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ShrinkLimit {
    /// [`ShrinkLimits::max_iterations`].
    MaxIterations,
    /// [`ShrinkLimits::max_time`].
    MaxTime,
    /// [`ShrinkLimits::max_deadline_time`].
    MaxDeadlineTime,
}

impl ShrinkLimit {
    /// The stable snake_case name reports use (the field of [`ShrinkLimits`]).
    pub fn as_str(self) -> &'static str {
        match self {
            ShrinkLimit::MaxIterations => "max_iterations",
            ShrinkLimit::MaxTime => "max_time",
            ShrinkLimit::MaxDeadlineTime => "max_deadline_time",
        }
    }

    /// The `[defaults]` key of `toolcontract.toml` that raises it.
    pub fn config_key(self) -> &'static str {
        match self {
            ShrinkLimit::MaxIterations => "max_shrink_iterations",
            ShrinkLimit::MaxTime => "max_shrink_time_ms",
            ShrinkLimit::MaxDeadlineTime => "max_deadline_shrink_time_ms",
        }
    }
}

impl fmt::Display for ShrinkLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    type Err = NotASeed;

    /// Accepts `0x`-prefixed hexadecimal or decimal.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
            None => s.replace('_', "").parse::<u64>(),
        };
        parsed.map(Seed).map_err(|_| NotASeed(s.to_owned()))
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
    /// The limit shrinking stopped at, when it stopped before it was done: the case shown
    /// may not be minimal. `None` when shrinking completed (or the case is not shrunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrink_stopped_at: Option<ShrinkLimit>,
}

impl Finding {
    /// The subjects this finding is about: its own, then the grouped ones (`also`).
    pub fn subjects(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.subject.as_str()).chain(self.also.iter().map(String::as_str))
    }

    /// The token that runs this one case again (`--replay`, or `.replay(...)` in the
    /// library); it displays as `<check>:<subject>:<case>:<seed>`.
    pub fn replay_token(&self) -> ReplayToken {
        ReplayToken {
            check: self.check,
            subject: self.subject.clone(),
            index: self.case.index,
            seed: self.case.seed,
        }
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
    type Err = ReplayError;

    /// The check from the left, the seed and index from the right, so subjects may contain `:`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ReplayError::NotAToken {
            token: s.to_owned(),
            problem: None,
        };
        let (check, rest) = s.split_once(':').ok_or_else(bad)?;
        let check = check
            .parse::<CheckName>()
            .map_err(|e| ReplayError::NotAToken {
                token: s.to_owned(),
                problem: Some(e.to_string()),
            })?;
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

/// A check that failed on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The check.
    pub check: CheckName,
    /// How much it matters: the check's default, unless the cause says otherwise.
    pub severity: Severity,
    /// What went wrong, for people.
    pub message: String,
}

impl Failure {
    /// A failure of `check`, at the check's default severity.
    pub fn new(check: CheckName, message: impl Into<String>) -> Self {
        Failure {
            check,
            severity: check.default_severity(),
            message: message.into(),
        }
    }

    /// The same failure at another severity (for a cause that matters more or less than the
    /// check's default).
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// A text that is not a [`Seed`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a seed (expected hexadecimal like 0x1f or a decimal number)")]
pub struct NotASeed(pub String);

/// Why a replay cannot run. The messages name the token or the report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The text is not a replay token.
    #[error(
        "`{token}` is not a replay token (expected <check>:<subject>:<case>:<seed>, as \
         findings print it){}",
        .problem.as_ref().map(|p| format!(": {p}")).unwrap_or_default()
    )]
    NotAToken {
        /// The text given.
        token: String,
        /// What part is wrong, when known (an unknown check name).
        problem: Option<String>,
    },
    /// The token names a subject this run does not test.
    #[error(
        "replay token `{token}` names `{subject}`, which this run does not test (subjects: \
         {})",
        .subjects.join(", ")
    )]
    UnknownSubject {
        /// The token, as printed.
        token: String,
        /// The subject it names.
        subject: String,
        /// The subjects of this run.
        subjects: Vec<String>,
    },
    /// The report to replay could not be read.
    #[error("cannot read the report {}: {reason}", path.display())]
    UnreadableReport {
        /// The report file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is not a JSON report.
    #[error("{} is not a toolcontract JSON report (line {line}, column {column}): {reason}", path.display())]
    NotAReport {
        /// The file.
        path: PathBuf,
        /// Where parsing stopped.
        line: usize,
        /// Where parsing stopped.
        column: usize,
        /// serde_json's message.
        reason: String,
    },
    /// The report has no findings.
    #[error("the report {} has no findings to replay", .0.display())]
    NoFindings(PathBuf),
}
