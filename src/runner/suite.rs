//! What the runner asks of a kind of contract (Gateway, action group): the subjects to test,
//! how a generated input becomes invocations, and how answers are judged.

use proptest::strategy::{SBoxedStrategy, Strategy, ValueTree};
use serde_json::Value;

use super::seed::{case_runner, case_runner_rejecting};
use crate::generate::early;

use crate::check::CheckName;
use crate::handler::{Answer, Invocation};
use crate::judge::ErrorSignal;
pub(crate) use crate::results::Failure;
pub use crate::results::{CaseInput, Probe, SubjectKind};

/// The value tree of one case's input.
pub(crate) type InputTree = <SBoxedStrategy<CaseInput> as Strategy>::Tree;

/// The rejections the edgy draw may take before it gives way to a plain draw.
const EDGY_MAX_REJECTS: u32 = 64;

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
    /// Inputs that must succeed (the schema's `examples`, the configuration's `known_good`):
    /// they are the subject's first cases, sent as they are and never shrunk.
    pub(crate) known_good: Vec<CaseInput>,
    /// How many cases to run, the known-good ones included.
    pub(crate) cases: u32,
}

impl Subject {
    /// The input of case `index`: a known-good input, or one generated from `seed`.
    pub(crate) fn input(&self, index: u32, seed: u64) -> Result<CaseInput, String> {
        if let Some(known) = self.known_good.get(index as usize) {
            return Ok(known.clone());
        }
        self.tree(index, seed).map(|tree| tree.current())
    }

    /// The value tree of generated case `index` drawn from `seed`: what the case sends, and
    /// what shrinking simplifies. For a tool's valid inputs the first generated case is the
    /// simplest value, the second the edgy one, and the ones after them sweep the `enum`
    /// members (see [`early`]); every other case is a plain draw. Each depends on the index
    /// and the seed alone, so any case replays by itself.
    pub(crate) fn tree(&self, index: u32, seed: u64) -> Result<InputTree, String> {
        // The number of a tool's generated case (known-good cases and other subjects: none).
        let generated = index
            .checked_sub(self.known_good.len() as u32)
            .filter(|_| self.kind == SubjectKind::Tool);
        let plain = || {
            self.strategy
                .new_tree(&mut case_runner(seed))
                .map_err(|reason| reason.to_string())
        };
        match generated {
            Some(0) => {
                let mut tree = plain()?;
                early::simplify_fully(&mut tree);
                Ok(tree)
            }
            Some(1) => {
                // A schema whose filters reject the edgy choices gets a plain draw instead,
                // after a few rejections rather than proptest's thousands.
                let mut runner = case_runner_rejecting(seed, EDGY_MAX_REJECTS);
                early::drawing_edgy(|| self.strategy.new_tree(&mut runner)).or_else(|_| plain())
            }
            // The cases after the first two sweep the `enum` members.
            Some(g) => early::drawing_swept(g as usize - 2, plain),
            None => plain(),
        }
    }

    /// Whether case `index` is a known-good case.
    pub(crate) fn is_known_good(&self, index: u32) -> bool {
        (index as usize) < self.known_good.len()
    }
}

/// What the suite concluded on one case.
pub(crate) struct Verdict {
    /// The checks that failed.
    pub(crate) failures: Vec<Failure>,
    /// What the first answer tells about reachability: a success, a crash, or an error answer
    /// with its normalised text (`None`: the case made no invocation).
    pub(crate) reply: Option<Reply>,
}

/// What an answer tells about reachability (`tool_reachable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Not an error answer.
    Success,
    /// A function error of any kind: `no_function_error` owns it.
    Crash,
    /// An error answer.
    Error {
        /// How it says so.
        signal: ErrorSignal,
        /// Its text with the names of the tool it was sent for normalised out, for comparing
        /// with the answers to undeclared names.
        text: String,
        /// Whether it is a dispatcher's generic "unknown tool" text.
        generic: bool,
    },
}

/// Why a tool is not reached: its error answers, as the runner compared them.
#[derive(Clone, Debug)]
pub(crate) struct Unreached {
    /// How the first of them says it is an error.
    pub(crate) signal: ErrorSignal,
    /// The first of them, normalised.
    pub(crate) text: String,
    /// Every one is a generic "unknown tool" text.
    pub(crate) generic: bool,
    /// Every one is also an answer to an undeclared name.
    pub(crate) like_undeclared: bool,
}

/// The part a subject plays in the reachability comparison the runner makes across cases: a
/// tool is not reached when none of its valid cases succeeds and its error answers are a
/// dispatcher's generic text or the same as the answers to names nobody declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Its cases are checked: `0` fails when none of them reaches the tool.
    Checked(CheckName),
    /// Its error answers are what the checked subjects' are compared with (the answers to
    /// undeclared names).
    Baseline,
    /// Neither.
    Unchecked,
}

/// A kind of contract the runner can check. The suite, not the runner, decides which probe
/// each case runs and which checks apply to each subject and probe.
pub(crate) trait Suite: Sync {
    /// The subjects, in report order.
    fn subjects(&self) -> &[Subject];

    /// The probe case `index` of `subject` runs (a known-good case's included).
    fn probe(&self, subject: &Subject, index: u32) -> Probe;

    /// The invocations of one case; `seed` fixes request ids and the like.
    fn invocations(
        &self,
        subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        seed: u64,
    ) -> Vec<Invocation>;

    /// The checks that fail on these answers (one answer per invocation, in order), and what
    /// the first answer tells about reachability: one pass over the answers, so that what
    /// both need (whether an answer says it failed) is found out once.
    fn judge(
        &self,
        subject: &Subject,
        probe: Probe,
        input: &CaseInput,
        invocations: &[Invocation],
        answers: &[Answer],
    ) -> Verdict;

    /// The message of a `tool_reachable` finding: none of `cases_run` valid cases reached the
    /// tool, for the reason `why`. Names the signal that made the answers error answers.
    fn unreachable_message(&self, cases_run: u32, why: &Unreached) -> String;

    /// The checks this suite runs, in report order.
    fn checks(&self) -> &[CheckName];

    /// Whether `check` applies to `subject` (reports list only those).
    fn applies(&self, check: CheckName, subject: &Subject) -> bool;

    /// The part `subject` plays in the reachability comparison.
    fn reach(&self, subject: &Subject) -> Reach;

    /// Whether a failing case of `probe` is shrunk (known-good arguments are shown as they
    /// were sent).
    fn shrinks(&self, probe: Probe) -> bool;

    /// The check an invocation fails when its answer does not come by its deadline: the
    /// check of an in-process handler that never returns, and the one whose shrinking gets
    /// the shorter time budget (each smaller case that still fails costs a whole deadline).
    fn deadline_check(&self) -> CheckName;

    /// What the agent receives for `answer`, when the contract maps answers (the Gateway's
    /// MCP result), for reports and snapshots.
    fn received(&self, _answer: &Answer) -> Option<Value> {
        None
    }
}
