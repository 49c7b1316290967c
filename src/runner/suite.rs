//! What the runner asks of a kind of contract (Gateway, action group): the subjects to test,
//! how a generated input becomes invocations, and how answers are judged.

use proptest::strategy::SBoxedStrategy;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::CheckName;
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
}

/// One stream of cases: a declared tool, the undeclared-tool probe, or a tool's invalid
/// arguments.
pub(crate) struct Subject {
    /// The name reports use: the tool name, or e.g. `(undeclared tool)`.
    pub(crate) name: String,
    /// The declared tool this subject exercises, if any.
    pub(crate) tool: Option<String>,
    /// What kind of cases these are.
    pub(crate) kind: SubjectKind,
    /// Where inputs come from.
    pub(crate) strategy: SBoxedStrategy<CaseInput>,
    /// How many cases to run.
    pub(crate) cases: u32,
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
}

impl Probe {
    /// The stable snake_case name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Probe::Valid => "valid",
            Probe::RenamedTarget => "renamed_target",
            Probe::UndeclaredTool => "undeclared_tool",
            Probe::InvalidArguments => "invalid_arguments",
        }
    }
}

/// A check that failed on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The check.
    pub check: CheckName,
    /// What went wrong, for people.
    pub message: String,
}

impl Failure {
    /// A failure of `check`.
    pub fn new(check: CheckName, message: impl Into<String>) -> Self {
        Failure {
            check,
            message: message.into(),
        }
    }
}

/// A kind of contract the runner can check.
pub(crate) trait Suite: Sync {
    /// The subjects, in report order.
    fn subjects(&self) -> &[Subject];

    /// The probe case `index` of `subject` runs.
    fn probe(&self, subject: &Subject, index: u32) -> Probe;

    /// The invocations of one case; `seed` fixes request ids and the like.
    fn invocations(
        &self,
        subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        seed: u64,
    ) -> Vec<Invocation>;

    /// The checks that fail on these answers (one answer per invocation, in order).
    fn judge(
        &self,
        subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        invocations: &[Invocation],
        answers: &[Answer],
    ) -> Vec<Failure>;

    /// Whether an answer is a success (not an error answer, not a function error): what
    /// `tool_reachable` counts.
    fn succeeded(&self, answer: &Answer) -> bool;

    /// The message of a `tool_reachable` finding: none of `cases_run` valid cases succeeded.
    /// Says what counts as an error answer in this contract and the likely cause.
    fn unreachable_message(&self, cases_run: u32) -> String;

    /// Whether `check` applies to this suite (reports list the checks that ran).
    fn checks(&self) -> &[CheckName];
}
