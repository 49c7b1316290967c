//! What to do with a new or changed snapshot, decided as insta decides it (`INSTA_UPDATE`,
//! `CI`), and the files that decision writes: the same for the library's assertion and for the
//! command line.

use std::path::{Path, PathBuf};

use crate::errors::{Error, IoAction};

/// `INSTA_UPDATE`, as insta reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InstaUpdate {
    /// Unset or `auto`: pending files on a developer machine, nothing written on CI.
    Auto,
    /// `always` or `1`: accept every new and changed snapshot.
    Always,
    /// `new`: always write pending files.
    New,
    /// `unseen`: accept snapshots that did not exist yet, pending files for changed ones.
    Unseen,
    /// `no`: write nothing.
    No,
    /// `force`: rewrite every snapshot, changed or not.
    Force,
}

impl InstaUpdate {
    /// Reads `INSTA_UPDATE` (a value insta does not know is an error, as in insta).
    pub(crate) fn from_env() -> Result<InstaUpdate, Error> {
        match std::env::var("INSTA_UPDATE").as_deref() {
            Err(_) | Ok("" | "auto") => Ok(InstaUpdate::Auto),
            Ok("always" | "1") => Ok(InstaUpdate::Always),
            Ok("new") => Ok(InstaUpdate::New),
            Ok("unseen") => Ok(InstaUpdate::Unseen),
            Ok("no") => Ok(InstaUpdate::No),
            Ok("force") => Ok(InstaUpdate::Force),
            Ok(other) => Err(Error::Usage(format!(
                "INSTA_UPDATE={other} is not one of auto, always, 1, new, unseen, no, force"
            ))),
        }
    }

    /// What happens to a snapshot that differs from the accepted one (`missing`: there is no
    /// accepted one yet).
    pub(crate) fn behavior(self, missing: bool) -> Update {
        match self {
            InstaUpdate::Always | InstaUpdate::Force => Update::InPlace,
            InstaUpdate::Auto if is_ci() => Update::Nothing,
            InstaUpdate::Auto | InstaUpdate::New => Update::Pending,
            InstaUpdate::Unseen if missing => Update::InPlace,
            InstaUpdate::Unseen => Update::Pending,
            InstaUpdate::No => Update::Nothing,
        }
    }
}

/// What happens to a new or changed snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Update {
    /// Written as the accepted `.snap`.
    InPlace,
    /// Written as a pending `.snap.new`, for `cargo insta review` to accept or reject.
    Pending,
    /// Not written.
    Nothing,
}

/// Whether this is a CI run, as insta detects it: `CI` set to anything but `false`, `0` or
/// empty, or (without `CI`) `TF_BUILD` set.
pub(crate) fn is_ci() -> bool {
    match std::env::var("CI").ok().as_deref() {
        Some("false" | "0" | "") => false,
        None => std::env::var("TF_BUILD").is_ok(),
        Some(_) => true,
    }
}

/// The pending file of a snapshot: `<name>.snap.new` beside `<name>.snap`.
pub(crate) fn pending_path(snapshot: &Path) -> PathBuf {
    snapshot.with_extension("snap.new")
}

/// Writes `text` to `path`, creating its folder: atomically (a temporary file beside it, then
/// a rename), and never through a symbolic link.
pub(crate) fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(IoAction::Create, dir, e))?;
    }
    crate::files::write_replacing(path, text.as_bytes())
        .map_err(|e| Error::io(IoAction::Write, path, e))
}

/// Removes a stale pending file (after its snapshot matched or was accepted), as insta does.
pub(crate) fn remove_pending(snapshot: &Path) -> Result<(), Error> {
    let pending = pending_path(snapshot);
    match std::fs::remove_file(&pending) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io(IoAction::Remove, pending, e))
        }
        _ => Ok(()),
    }
}
