//! The library's snapshot assertion: takes the snapshots in-process, then stores each tool's
//! as insta's own runtime would ([`store`] with [`Mode::Insta`]: pending `.snap.new` files on a
//! developer machine, nothing written on CI, `INSTA_UPDATE` obeyed), in insta's file format,
//! so `cargo insta review` accepts them. It panics once, with a summary of every tool first and
//! then the diffs, instead of insta's own text once per tool.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use lambda_runtime::{Diagnostic, LambdaEvent};
use serde::Serialize;
use serde_json::Value;
use tower::Service;

use crate::handler::InProcess;
use crate::harness;

use super::cases::{ToTools, plan};
use super::diff::{Comparison, render_comparison};
use super::record::{ToolSnapshot, record};
use super::settings::{DEFAULT_SNAPSHOT_DIR, SnapshotSettings};
use super::store::{Mode, Stored, Written, store};

/// Where [`assert_tool_snapshots!`](crate::assert_tool_snapshots) was called.
#[derive(Clone, Copy, Debug)]
pub struct CallSite {
    /// `CARGO_MANIFEST_DIR` of the calling crate: snapshot folders are relative to it.
    pub manifest_dir: &'static str,
    /// `file!()`: the `source` in each file's header, as insta writes it.
    pub file: &'static str,
}

/// Takes a snapshot of every selected tool's answers from `service` and stores each as insta
/// would. Panics (once, after every tool was stored) when any tool's output changed or has no
/// accepted snapshot yet: a line per tool first, then a diff naming the tool, the case and the
/// field. `INSTA_FORCE_PASS` set (not `0`) keeps it from panicking, as in insta.
#[track_caller]
pub fn assert_tool_snapshots<S>(
    tools: &impl ToTools,
    service: S,
    settings: SnapshotSettings,
    site: CallSite,
) where
    S: Service<LambdaEvent<Value>> + Send,
    S::Future: Send + 'static,
    S::Response: Serialize + Send + 'static,
    S::Error: Into<Diagnostic> + Send + 'static,
{
    let plan = plan(tools.to_tools(), &settings)
        .unwrap_or_else(|e| panic!("toolcontract: cannot build the snapshot cases: {e}"));
    let snapshots = harness::blocking(|runtime| {
        runtime.block_on(async {
            let mut handler = InProcess::new(service);
            record(&plan, &mut handler, &settings).await
        })
    })
    .unwrap_or_else(|e| panic!("toolcontract: cannot take the snapshots: {e}"));
    let manifest_dir = Path::new(site.manifest_dir);
    let dir = snapshot_dir(&settings, manifest_dir);
    let stored = store(&snapshots, &dir, site.file, Mode::Insta)
        .unwrap_or_else(|e| panic!("toolcontract: cannot store the snapshots: {e}"));
    let failed: Vec<(&ToolSnapshot, &Stored)> = snapshots
        .iter()
        .zip(&stored)
        .filter(|(_, stored)| stored.is_failure())
        .collect();
    if failed.is_empty() || force_pass() {
        return;
    }
    panic!(
        "{}",
        render_failures(&failed, snapshots.len(), manifest_dir)
    );
}

/// Whether `INSTA_FORCE_PASS` asks for mismatches to pass (as insta reads it).
fn force_pass() -> bool {
    std::env::var("INSTA_FORCE_PASS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The panic text: one line per failing tool (what differs, what was written), how to review,
/// then the diffs of the changed ones (a new snapshot is in its pending file, not repeated).
fn render_failures(failed: &[(&ToolSnapshot, &Stored)], total: usize, root: &Path) -> String {
    let shown = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut out = format!(
        "toolcontract: the snapshots of {} of {total} tools do not match:\n",
        failed.len()
    );
    let width = failed.iter().map(|(s, _)| s.tool.len()).max().unwrap_or(0);
    for (snapshot, stored) in failed {
        let what = match &stored.comparison {
            Comparison::Missing => format!("new ({} cases)", snapshot.entries.len()),
            Comparison::Changed(changes) => format!("changed ({} fields)", changes.len()),
            Comparison::Unchanged => "unchanged".to_owned(),
        };
        let written = match stored.written {
            Written::Pending => format!(
                "pending in {}",
                shown(&super::update::pending_path(&stored.path))
            ),
            Written::Accepted => format!("accepted in {}", shown(&stored.path)),
            Written::Nothing => format!("nothing written (accepted: {})", shown(&stored.path)),
        };
        let _ = writeln!(out, "  {:width$}  {what}, {written}", snapshot.tool);
    }
    out.push_str(
        "Review with `cargo insta review` (install it with `cargo install cargo-insta`), or \
         accept them all with `INSTA_UPDATE=always cargo test`; on CI nothing is written.\n",
    );
    for (snapshot, stored) in failed {
        if matches!(stored.comparison, Comparison::Changed(_)) {
            out.push('\n');
            let path = stored.path.strip_prefix(root).unwrap_or(&stored.path);
            out.push_str(&render_comparison(snapshot, path, &stored.comparison));
        }
    }
    out
}

/// The folder snapshots go to: the settings' (relative to the manifest directory), or
/// `<manifest dir>/snapshots`.
fn snapshot_dir(settings: &SnapshotSettings, manifest_dir: &Path) -> PathBuf {
    match &settings.snapshot_dir {
        Some(dir) => manifest_dir.join(dir),
        None => manifest_dir.join(DEFAULT_SNAPSHOT_DIR),
    }
}
