//! Where command output goes: every write to stdout/stderr passes through here, so a closed
//! pipe (`toolcontract ... | head`) ends the command quietly instead of panicking.

use std::io::Write;
use std::path::Path;

use toolcontract::Error;

/// Writes `text` to standard output. A broken pipe is not an error.
pub(crate) fn stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Usage(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

/// Writes `text` to `path`, or to standard output when there is no path.
pub(crate) fn to(path: Option<&Path>, text: &str) -> Result<(), Error> {
    match path {
        None => stdout(text),
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display()))),
    }
}

/// Prints an error message on standard error.
pub(crate) fn error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "toolcontract: error: {message}");
}

/// Prints a note on standard error.
pub(crate) fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}
