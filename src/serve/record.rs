//! `--record DIR`: every served call that reached the handler, kept as a snapshot case in
//! the format `toolcontract snapshot` writes (one `<tool>.snap` per tool, entries
//! `served-1`, `served-2`, ... in call order), so a conversation with a real agent can be read
//! in review and its arguments turned into known-good cases.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::Error;
use crate::gateway::{Assumptions, Gateway, Profile};
use crate::handler::{Invocation, Outcome};
use crate::snapshot::{SnapshotInfo, ToolSnapshot, View, entry, render_file, snapshot_name};

/// The recordings of one served target.
pub(crate) struct Recorder {
    dir: PathBuf,
    source: String,
    view: View,
    agent: (Profile, Assumptions),
    /// Per declared tool: its snapshot so far.
    snapshots: BTreeMap<String, ToolSnapshot>,
    calls: u64,
}

impl Recorder {
    /// Records into `dir` (created when missing) the calls of `gateway`'s tools.
    pub(crate) fn new(dir: PathBuf, gateway: &Gateway) -> Result<Recorder, Error> {
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::Usage(format!("--record {}: {e}", dir.display())))?;
        let options = gateway.options();
        let snapshots = gateway
            .definition()
            .tools
            .iter()
            .map(|tool| {
                let snapshot = ToolSnapshot {
                    tool: tool.name.clone(),
                    name: snapshot_name(&tool.name),
                    info: SnapshotInfo::gateway(gateway, &tool.name, 0),
                    entries: Vec::new(),
                };
                (tool.name.clone(), snapshot)
            })
            .collect();
        Ok(Recorder {
            dir,
            source: gateway
                .definition()
                .source
                .to_string_lossy()
                .replace('\\', "/"),
            view: View::of(options.profile),
            agent: (options.profile, options.assume),
            snapshots,
            calls: 0,
        })
    }

    /// Adds the call of `tool` and rewrites its snapshot file (atomically).
    pub(crate) fn add(
        &mut self,
        tool: &str,
        invocation: &Invocation,
        outcome: Outcome,
        started_ms: i128,
    ) -> Result<PathBuf, Error> {
        self.calls += 1;
        let label = format!("served-{}", self.calls);
        let Some(snapshot) = self.snapshots.get_mut(tool) else {
            return Err(Error::Usage(format!("{tool} is not a declared tool")));
        };
        snapshot.entries.push(entry(
            label,
            invocation,
            outcome,
            started_ms,
            self.view,
            Some(self.agent),
            &[],
        ));
        let path = self.dir.join(snapshot.file_name());
        crate::files::write_replacing(&path, render_file(snapshot, &self.source).as_bytes())
            .map_err(|e| Error::io(crate::errors::IoAction::Write, &path, e))?;
        Ok(path)
    }
}
