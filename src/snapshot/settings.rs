//! What a snapshot run may be told: how many seeded cases, which values to redact, where the
//! files go.

use std::path::PathBuf;

/// Seeded cases per tool unless told otherwise (besides the schema's boundary values).
pub(super) const DEFAULT_GENERATED: u32 = 3;

/// The folder snapshots go to unless told otherwise: `snapshots/` of the handler crate (the
/// library) or of the current directory (the command line).
pub(super) const DEFAULT_SNAPSHOT_DIR: &str = "snapshots";

/// The settings of a snapshot run.
///
/// ```
/// use toolcontract::snapshot::SnapshotSettings;
///
/// let settings = SnapshotSettings::new()
///     .generated(5)
///     .redact("/structuredContent/createdAt")
///     .redact("/content/*/annotations/**/lastModified")
///     .snapshot_dir("snapshots/orders");
/// assert_eq!(settings.generated, 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnapshotSettings {
    /// Seeded cases per tool, drawn from the run seed (default 3), after the schema's declared
    /// and boundary values.
    pub generated: u32,
    /// Values to replace with `"[redacted]"`, by JSON Pointer into the response as the snapshot
    /// shows it (`/content/0/text`; for action groups `/response/...`). A segment `*` matches
    /// any one member or item, `**` any number of levels (also none).
    pub redactions: Vec<String>,
    /// Where the snapshot files go (default `snapshots`). A relative path is relative to the
    /// handler crate's manifest directory (the library) or the current directory (the command
    /// line).
    pub snapshot_dir: Option<PathBuf>,
}

impl Default for SnapshotSettings {
    fn default() -> Self {
        SnapshotSettings {
            generated: DEFAULT_GENERATED,
            redactions: Vec::new(),
            snapshot_dir: None,
        }
    }
}

impl SnapshotSettings {
    /// The defaults: 3 seeded cases per tool, no redactions beyond the built-in ones,
    /// `snapshots/`.
    pub fn new() -> Self {
        SnapshotSettings::default()
    }

    /// Seeded cases per tool.
    #[must_use]
    pub fn generated(mut self, count: u32) -> Self {
        self.generated = count;
        self
    }

    /// Also redact the values at `path` (a JSON Pointer into the response; `*` matches one
    /// level, `**` any number). Checked when the snapshots are taken.
    #[must_use]
    pub fn redact(mut self, path: impl Into<String>) -> Self {
        self.redactions.push(path.into());
        self
    }

    /// Where the snapshot files go.
    #[must_use]
    pub fn snapshot_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.snapshot_dir = Some(dir.into());
        self
    }
}
