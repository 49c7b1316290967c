//! Reports: what a run found, for people (terminal) and machines (JSON, the shape of
//! `contracts/report.json`).
//!
//! The runner emits [`RunEvent`](crate::runner::RunEvent)s; [`Report`] is what they add up to.
//! Renderers never see the runner, only a finished [`Report`]. The command line adds its own
//! sinks on top (a progress bar fed by the events, JUnit XML rendered from the report).

mod human;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::check::{CheckName, Severity};

pub use crate::results::{
    CaseRecord, CheckResult, CheckStatus, Finding, ReplayToken, Seed, ShrinkLimit, SubjectReport,
    Totals,
};
pub use human::{render_finding, render_report, shell_quote, terminal_safe, terminal_safe_lines};

/// The settings a run used, recorded in its report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RunInfo {
    /// `toolcontract`'s version.
    pub toolcontract_version: String,
    /// The definition file.
    pub definition: String,
    /// What only this run's contract records (Gateway: `target_name`, `assumptions`), as
    /// members of `run` itself.
    #[serde(flatten)]
    pub contract: ContractRunInfo,
    /// The rules the answers were judged by: the response profile (Gateway), the envelope
    /// (action groups). Every contract has one.
    pub profile: String,
    /// The run seed.
    pub seed: Seed,
    /// Cases per tool.
    pub cases_per_tool: u32,
    /// Handlers at once.
    pub jobs: usize,
    /// Per-case timeout, in milliseconds.
    pub timeout_ms: u64,
    /// Whether negative cases ran (always `false` for a contract without a negative mode;
    /// `contracts/report.json` requires it of every run).
    pub negative: bool,
    /// Whether warnings fail the run too.
    #[serde(default)]
    pub deny_warnings: bool,
    /// Per-check levels the configuration set (`error`, `warning`, `off`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub checks: std::collections::BTreeMap<CheckName, crate::config::Level>,
    /// The configuration file the run read, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// How far shrinking may go; listed only when not the defaults.
    #[serde(
        default,
        skip_serializing_if = "crate::results::ShrinkLimits::is_default"
    )]
    pub shrink: crate::results::ShrinkLimits,
}

impl RunInfo {
    /// The value of the assumption `name` the verdicts rest on (Gateway: `mcp_passthrough`),
    /// if the run's contract makes it.
    pub fn assumption(&self, name: &str) -> Option<bool> {
        match &self.contract {
            ContractRunInfo::Gateway(gateway) => gateway.assumptions.get(name).copied(),
            ContractRunInfo::Interceptor(interceptor) => interceptor.assumptions.get(name).copied(),
            ContractRunInfo::ActionGroup {} => None,
        }
    }
}

/// The part of [`RunInfo`] that depends on the contract, serialized as members of `run`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ContractRunInfo {
    /// An AgentCore Gateway run.
    Gateway(GatewayRunInfo),
    /// A Gateway interceptor run (before `ActionGroup`, which matches any object).
    Interceptor(InterceptorRunInfo),
    /// A Bedrock Agents action-group run: nothing of its own.
    ActionGroup {},
}

/// What an interceptor run records besides the shared settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterceptorRunInfo {
    /// The ARN of the interceptor Lambda the events were built for.
    pub interceptor_lambda: String,
    /// Where it runs: `REQUEST`, `RESPONSE`.
    pub interception_points: Vec<String>,
    /// The points whose input carried the request headers (`passRequestHeaders`).
    pub pass_request_headers: Vec<String>,
    /// The targets whose tools/call messages were sent.
    pub targets: Vec<String>,
    /// What the events assume where the documentation runs out, by name:
    /// `headers_lowercase` (header names arrive lowercase), `no_response_to_notifications`
    /// (the RESPONSE interceptor is not invoked for a notification).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub assumptions: std::collections::BTreeMap<String, bool>,
}

/// What a Gateway run records besides the shared settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GatewayRunInfo {
    /// The target name the cases used.
    pub target_name: String,
    /// The assumptions the verdicts rest on where the evidence runs out (`mcp_passthrough`),
    /// by name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub assumptions: std::collections::BTreeMap<String, bool>,
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
        assert!("zz".parse::<Seed>().unwrap_err().to_string().contains("zz"));
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
            unknown
                .to_string()
                .contains("unknown check `no_such_check`"),
            "{unknown}"
        );
    }
}
