//! Reading and writing the files a run depends on, so that faults lose nothing:
//! - [`read_bounded`] reads only regular files, and at most a stated number of bytes (a
//!   definition that is `/dev/zero`, a FIFO or a 10 GB file is refused, never read to the end);
//! - [`write_replacing`] writes a temporary file in the same folder and renames it over the
//!   destination, so a reader (or a run killed half-way) sees the old contents or the new,
//!   never a part; it never writes through a symbolic link.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Not a regular file (a FIFO, a device, a directory, a socket).
    #[error("not a regular file ({0}); only regular files are read")]
    NotRegular(&'static str),
    /// Larger than the limit.
    #[error("larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

/// Reads the regular file at `path` as UTF-8 text of at most `limit` bytes. The file is opened
/// without blocking (a FIFO would otherwise block the open until a writer comes) and checked
/// before anything is read.
pub fn read_bounded(path: &Path, limit: u64) -> Result<String, ReadError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let metadata = file.metadata()?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe_kind(&kind)));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The size may change while reading: never read more than the limit.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        ))
    })
}

fn describe_kind(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Whether `path` is a symbolic link (a dangling one too).
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Writes `contents` to `path` atomically: into a new temporary file beside it, flushed to
/// disk, then renamed over `path`. A symbolic link at `path` is refused (renaming would
/// replace the link; writing would follow it). On any error the temporary file is removed
/// and `path` is as it was.
pub fn write_replacing(path: &Path, contents: &[u8]) -> io::Result<()> {
    if is_symlink(path) {
        return Err(io::Error::other(
            "it is a symbolic link, and toolcontract does not write through links",
        ));
    }
    let (temporary, mut file) = create_temporary(path)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Checks that [`write_replacing`] could write `path`, without touching it: it is not a
/// symbolic link or a directory, and a file can be created in its folder.
pub fn check_writable(path: &Path) -> io::Result<()> {
    if is_symlink(path) {
        return Err(io::Error::other(
            "it is a symbolic link, and toolcontract does not write through links",
        ));
    }
    if path.is_dir() {
        return Err(io::Error::other("it is a directory"));
    }
    let (temporary, file) = create_temporary(path)?;
    drop(file);
    std::fs::remove_file(&temporary)
}

/// A new file `.<name>.<pid>.<n>.tmp` in the folder of `path`.
fn create_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "it names no file"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temporary = dir.join(format!(
            ".{}.{}.{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("toolcontract-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_replace_and_leave_no_temporary_file() {
        let dir = scratch("replace");
        let path = dir.join("a.snap");
        std::fs::write(&path, "old").unwrap();
        write_replacing(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.snap")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn symbolic_links_are_neither_followed_nor_replaced() {
        let dir = scratch("link");
        let outside = dir.join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        let link = dir.join("a.snap");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let error = write_replacing(&link, b"new").unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
        assert!(is_symlink(&link));
        assert!(check_writable(&link).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a character device"))
        ));
        assert!(matches!(
            read_bounded(Path::new("/tmp"), 10),
            Err(ReadError::NotRegular("a directory"))
        ));
        let dir = scratch("read");
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_bounded(&fifo, 10),
            Err(ReadError::NotRegular("a FIFO"))
        ));
        let big = dir.join("big");
        std::fs::write(&big, "x".repeat(11)).unwrap();
        assert!(matches!(
            read_bounded(&big, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_bounded(&big, 11).unwrap(), "x".repeat(11));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
