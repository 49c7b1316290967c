//! Where command output goes: every write to stdout/stderr passes through here, so a closed
//! pipe (`toolcontract ... | head`) ends the command quietly instead of panicking.

use std::io::Write;
use std::path::Path;

use crate::Error;
use crate::errors::IoAction;

/// Writes `text` to standard output. A broken pipe is not an error.
pub(crate) fn stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Stdout(e)),
        _ => Ok(()),
    }
}

/// Writes `text` to `path`, or to standard output when there is no path. A file is replaced
/// atomically (it holds the old report or the new, never a part); a path that exists and is
/// no regular file (a FIFO, `/dev/stdout`) is written directly.
pub(crate) fn to(path: Option<&Path>, text: &str) -> Result<(), Error> {
    let Some(path) = path else {
        return stdout(text);
    };
    let written = if is_special(path) {
        std::fs::write(path, text)
    } else {
        crate::files::write_replacing(path, text.as_bytes())
    };
    written.map_err(|e| Error::io(IoAction::Write, path, e))
}

/// Checks, before a run, that [`to`] will be able to write `path`, so that no report is lost
/// after the run.
pub(crate) fn check_writable(path: &Path, flag: &str) -> Result<(), Error> {
    if is_special(path) {
        return Ok(());
    }
    crate::files::check_writable(path)
        .map_err(|e| Error::Usage(format!("{flag} {}: cannot write it: {e}", path.display())))
}

/// An existing path that is neither a regular file, a directory nor a link.
fn is_special(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| {
        let kind = m.file_type();
        !kind.is_file() && !kind.is_dir() && !kind.is_symlink()
    })
}

/// Prints an error message on standard error.
pub(crate) fn error(message: &str) {
    let message = crate::report::terminal_safe_lines(message);
    let _ = writeln!(std::io::stderr().lock(), "toolcontract: error: {message}");
}

/// Prints a note on standard error.
pub(crate) fn note(message: &str) {
    let message = crate::report::terminal_safe_lines(message);
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}
