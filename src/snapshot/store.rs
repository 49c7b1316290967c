//! Storing snapshots outside a test (the command line): compare each with the accepted file,
//! then accept it, leave it pending, or only report, by mode.

use std::path::{Path, PathBuf};

use crate::errors::Error;

use super::diff::{Comparison, compare};
use super::format::{read_contents, render_file};
use super::record::ToolSnapshot;
use super::update::{InstaUpdate, Update, pending_path, remove_pending, write};

/// How new and changed snapshots are handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// As insta does in a test: `INSTA_UPDATE` decides; by default pending `.snap.new` files on
    /// a developer machine and nothing written on CI.
    Insta,
    /// Accept: write every new or changed snapshot as the `.snap` file.
    Accept,
    /// Check: write nothing, only compare.
    Check,
}

/// What became of one tool's snapshot.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Stored {
    /// The accepted snapshot's path (`<dir>/<name>.snap`).
    pub path: PathBuf,
    /// How the new snapshot compared with it.
    pub comparison: Comparison,
    /// What was written.
    pub written: Written,
}

impl Stored {
    /// Whether this leaves the run failing: the output changed (or had no snapshot) and was
    /// not accepted.
    pub fn is_failure(&self) -> bool {
        !self.comparison.is_unchanged() && self.written != Written::Accepted
    }
}

/// What was written for a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Written {
    /// Nothing.
    Nothing,
    /// The `.snap` file.
    Accepted,
    /// A pending `.snap.new` file.
    Pending,
}

/// Compares each snapshot with its file in `dir` and writes by `mode`. `source` goes into the
/// header (the definition, as the user named it). A snapshot that matches has any stale
/// pending file removed (except under [`Mode::Check`], which writes nothing).
pub fn store(
    snapshots: &[ToolSnapshot],
    dir: &Path,
    source: &str,
    mode: Mode,
) -> Result<Vec<Stored>, Error> {
    let update = match mode {
        Mode::Insta => Some(InstaUpdate::from_env()?),
        Mode::Accept | Mode::Check => None,
    };
    // A link is refused before anything is written, so that a refusal leaves every file as
    // it was.
    for snapshot in snapshots {
        let path = dir.join(snapshot.file_name());
        for file in [&path, &pending_path(&path)] {
            if crate::files::is_symlink(file) {
                return Err(Error::Usage(format!(
                    "{} is a symbolic link; snapshot files are read and written only as regular \
                     files in the snapshots folder (remove the link)",
                    file.display()
                )));
            }
        }
    }
    let mut stored = Vec::with_capacity(snapshots.len());
    for snapshot in snapshots {
        let path = dir.join(snapshot.file_name());
        // An unreadable file (a merge conflict, a hand edit) compares as changed text.
        let accepted = match read_contents(&path) {
            Ok(accepted) => accepted,
            Err(_) => Some(std::fs::read_to_string(&path).unwrap_or_default()),
        };
        let comparison = compare(accepted.as_deref(), snapshot);
        let missing = comparison == Comparison::Missing;
        let action = match (mode, update) {
            (Mode::Check, _) => Update::Nothing,
            (Mode::Accept, _) => Update::InPlace,
            (_, Some(InstaUpdate::Force)) => Update::InPlace,
            _ if comparison.is_unchanged() => Update::Nothing,
            (_, Some(update)) => update.behavior(missing),
            (_, None) => Update::Nothing,
        };
        let written = match action {
            Update::InPlace if comparison.is_unchanged() && mode == Mode::Accept => {
                remove_pending(&path)?;
                Written::Nothing
            }
            Update::InPlace => {
                write(&path, &render_file(snapshot, source))?;
                remove_pending(&path)?;
                Written::Accepted
            }
            Update::Pending => {
                write(&pending_path(&path), &render_file(snapshot, source))?;
                Written::Pending
            }
            Update::Nothing => {
                if comparison.is_unchanged() && mode != Mode::Check {
                    remove_pending(&path)?;
                }
                Written::Nothing
            }
        };
        stored.push(Stored {
            path,
            comparison,
            written,
        });
    }
    Ok(stored)
}
