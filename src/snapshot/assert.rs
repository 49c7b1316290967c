//! The library's snapshot assertion: takes the snapshots in-process, then hands each tool's to
//! insta's own runtime with settings bound for that tool, so pending `.snap.new` files, CI,
//! `INSTA_UPDATE`, `INSTA_FORCE_PASS` and `cargo insta review` behave exactly as insta's.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use insta::_macro_support::{Workspace, assert_snapshot, get_cargo_workspace};
use lambda_runtime::{Diagnostic, LambdaEvent};
use serde::Serialize;
use serde_json::Value;
use tower::Service;

use crate::handler::InProcess;
use crate::harness;

use super::cases::{ToTools, plan};
use super::diff::{compare, render_comparison};
use super::format::read_contents;
use super::record::record;
use super::settings::{DEFAULT_SNAPSHOT_DIR, SnapshotSettings};

/// Where [`assert_tool_snapshots!`](crate::assert_tool_snapshots) was called: what insta
/// needs to know about the caller's crate.
#[derive(Clone, Copy, Debug)]
pub struct CallSite {
    /// `CARGO_MANIFEST_DIR` of the calling crate.
    pub manifest_dir: &'static str,
    /// `INSTA_WORKSPACE_ROOT` at compile time, if set.
    pub workspace_root: Option<&'static str>,
    /// `module_path!()`.
    pub module_path: &'static str,
    /// `file!()`.
    pub file: &'static str,
    /// `line!()`.
    pub line: u32,
    /// The calling function's path.
    pub function: &'static str,
}

/// Takes a snapshot of every selected tool's answers from `service` and asserts each with
/// insta. Panics (once, after every tool was asserted) when any tool's output changed, with a
/// diff naming the tool, the case and the field.
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
    let workspace = get_cargo_workspace(match site.workspace_root {
        Some(root) => Workspace::UseAsIs(root),
        None => Workspace::DetectWithCargo(site.manifest_dir),
    });
    let mut failures = Vec::new();
    for snapshot in &snapshots {
        let path = dir.join(snapshot.file_name());
        // What insta is about to compare, for a diff by case and field if it fails.
        let comparison = compare(read_contents(&path).ok().flatten().as_deref(), snapshot);
        let contents = snapshot.contents();
        let mut bound = insta::Settings::clone_current();
        bound.set_snapshot_path(&dir);
        bound.set_prepend_module_to_snapshot(false);
        bound.set_description(snapshot.description());
        bound.set_info(&snapshot.info);
        bound.set_omit_expression(true);
        let asserted = catch_unwind(AssertUnwindSafe(|| {
            bound.bind(|| {
                assert_snapshot(
                    (snapshot.name.as_str(), contents.as_str()).into(),
                    &workspace,
                    site.function,
                    site.module_path,
                    site.file,
                    site.line,
                    "",
                )
            })
        }));
        let shown = path.strip_prefix(manifest_dir).unwrap_or(&path);
        match asserted {
            Ok(Ok(())) => {}
            Ok(Err(error)) => failures.push(format!(
                "tool `{}`: insta could not store {}: {error}\n",
                snapshot.tool,
                shown.display()
            )),
            Err(_) => failures.push(render_comparison(snapshot, shown, &comparison)),
        }
    }
    if !failures.is_empty() {
        panic!(
            "toolcontract: the snapshots of {} of {} tools do not match:\n{}\nReview with \
             `cargo insta review` (install it with `cargo install cargo-insta`), or accept \
             them all with `INSTA_UPDATE=always cargo test`; on CI nothing is written.",
            failures.len(),
            snapshots.len(),
            failures.join("")
        );
    }
}

/// The folder snapshots go to: the settings' (relative to the manifest directory), or
/// `<manifest dir>/snapshots`.
fn snapshot_dir(settings: &SnapshotSettings, manifest_dir: &Path) -> PathBuf {
    match &settings.snapshot_dir {
        Some(dir) => manifest_dir.join(dir),
        None => manifest_dir.join(DEFAULT_SNAPSHOT_DIR),
    }
}
