//! The handler process's output: read continuously, kept as a bounded tail of lines.
//!
//! stdout and stderr share one pipe (so their lines keep their order). A task reads it as fast as
//! the process writes, so a flood never blocks the process; only the last lines are kept, each cut
//! to [`MAX_LINE_BYTES`], so a flood never fills memory. Before an answer is built, whatever is
//! already in the pipe is read without waiting ([`Capture::drain`]), so the lines a handler
//! wrote before answering are attributed to that invocation.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::OwnedFd;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::net::unix::pipe;
use tokio::task::JoinHandle;

/// The longest line kept, in bytes; the rest of a longer line is counted, not kept.
pub(crate) const MAX_LINE_BYTES: usize = 1024;

/// Bytes read from the pipe at a time.
const CHUNK_BYTES: usize = 64 * 1024;

/// Reads in a row before the reader task yields to others.
const READS_BEFORE_YIELD: usize = 16;

/// At most this many reads in one [`Capture::drain`], so that a flood cannot stall an answer.
const DRAIN_READS: usize = 4;

/// The last lines of output, with a running count of all lines ever seen.
#[derive(Debug)]
pub(crate) struct LogTail {
    lines: VecDeque<String>,
    capacity: usize,
    /// Lines completed so far (the sequence number of the next line).
    total: u64,
    /// The line being written (at most [`MAX_LINE_BYTES`]).
    partial: Vec<u8>,
    /// Bytes of the current line beyond [`MAX_LINE_BYTES`].
    dropped: usize,
}

impl LogTail {
    /// An empty tail keeping the last `capacity` lines (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        LogTail {
            lines: VecDeque::with_capacity(capacity.min(1024)),
            capacity,
            total: 0,
            partial: Vec::new(),
            dropped: 0,
        }
    }

    /// Adds output bytes.
    pub(crate) fn push_bytes(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let (line, rest, complete) = match bytes.iter().position(|&b| b == b'\n') {
                Some(at) => (&bytes[..at], &bytes[at + 1..], true),
                None => (bytes, &[][..], false),
            };
            let room = MAX_LINE_BYTES - self.partial.len();
            let kept = line.len().min(room);
            self.partial.extend_from_slice(&line[..kept]);
            self.dropped += line.len() - kept;
            if complete {
                self.end_line();
            }
            bytes = rest;
        }
    }

    /// Ends the output: a last line without a newline is kept.
    pub(crate) fn finish(&mut self) {
        if !self.partial.is_empty() || self.dropped > 0 {
            self.end_line();
        }
    }

    fn end_line(&mut self) {
        if self.partial.last() == Some(&b'\r') && self.dropped == 0 {
            self.partial.pop();
        }
        let line = render(&self.partial, self.dropped);
        self.partial.clear();
        self.dropped = 0;
        if self.lines.len() == self.capacity {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
        self.total += 1;
    }

    /// The sequence number of the next line: lines from here on are "new".
    pub(crate) fn mark(&self) -> u64 {
        self.total
    }

    /// The kept lines numbered `mark` or later, then the line being written, if any; at most
    /// `capacity` lines in all (the newest).
    pub(crate) fn since(&self, mark: u64) -> Vec<String> {
        let oldest = self.total - self.lines.len() as u64;
        let skip = usize::try_from(mark.saturating_sub(oldest)).unwrap_or(usize::MAX);
        let mut out: Vec<String> = self.lines.iter().skip(skip).cloned().collect();
        if !self.partial.is_empty() || self.dropped > 0 {
            if out.len() == self.capacity {
                out.remove(0);
            }
            out.push(render(&self.partial, self.dropped));
        }
        out
    }
}

fn render(kept: &[u8], dropped: usize) -> String {
    let mut line = String::from_utf8_lossy(kept).into_owned();
    if dropped > 0 {
        line.push_str(&format!(" [... {dropped} more bytes]"));
    }
    line
}

/// The tail and the read buffer, behind one lock: the pipe is only ever read with it held, so
/// bytes enter the tail in the order they were written.
#[derive(Debug)]
struct Reading {
    tail: LogTail,
    buffer: Box<[u8]>,
    /// A duplicate of the pipe's read end, for reads that must not wait for the reactor to
    /// notice readiness (Tokio's `try_read` answers "would block" until it has). It shares the
    /// non-blocking mode of the original.
    direct: File,
}

/// The capture of one process's output.
#[derive(Debug)]
pub(crate) struct Capture {
    pipe: Arc<pipe::Receiver>,
    reading: Arc<Mutex<Reading>>,
    reader: JoinHandle<()>,
}

fn lock(reading: &Mutex<Reading>) -> MutexGuard<'_, Reading> {
    reading.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How to read the pipe.
#[derive(Clone, Copy)]
enum Via {
    /// Through Tokio, which tracks readiness (the reader task).
    Reactor,
    /// Straight from the file descriptor (a drain).
    Direct,
}

/// Reads what is in the pipe now, at most `reads` chunks. `Ok(true)` at end of output.
fn read_available(
    pipe: &pipe::Receiver,
    reading: &mut Reading,
    reads: usize,
    via: Via,
) -> io::Result<bool> {
    let Reading {
        tail,
        buffer,
        direct,
    } = reading;
    for _ in 0..reads {
        let read = match via {
            Via::Reactor => pipe.try_read(buffer),
            Via::Direct => (&*direct).read(buffer),
        };
        match read {
            Ok(0) => {
                tail.finish();
                return Ok(true);
            }
            Ok(n) => tail.push_bytes(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

impl Capture {
    /// Starts reading `read_end` (of the pipe that is the process's stdout and stderr), keeping
    /// the last `capacity` lines. Must be called within a Tokio runtime.
    pub(crate) fn start(read_end: OwnedFd, capacity: usize) -> io::Result<Self> {
        let direct = File::from(read_end.try_clone()?);
        let pipe = Arc::new(pipe::Receiver::from_owned_fd(read_end)?);
        let reading = Arc::new(Mutex::new(Reading {
            tail: LogTail::new(capacity),
            buffer: vec![0; CHUNK_BYTES].into_boxed_slice(),
            direct,
        }));
        let reader = tokio::spawn(pump(pipe.clone(), reading.clone()));
        Ok(Capture {
            pipe,
            reading,
            reader,
        })
    }

    /// Reads what the process has already written, without waiting.
    pub(crate) fn drain(&self) {
        let mut reading = lock(&self.reading);
        let _ = read_available(&self.pipe, &mut reading, DRAIN_READS, Via::Direct);
    }

    /// See [`LogTail::mark`].
    pub(crate) fn mark(&self) -> u64 {
        lock(&self.reading).tail.mark()
    }

    /// See [`LogTail::since`].
    pub(crate) fn since(&self, mark: u64) -> Vec<String> {
        lock(&self.reading).tail.since(mark)
    }

    /// Waits until the output ends (every writer closed the pipe), at most `limit`.
    pub(crate) async fn closed(&mut self, limit: Duration) {
        if tokio::time::timeout(limit, &mut self.reader).await.is_err() {
            // Something outside the process group still holds the pipe: stop reading.
            self.reader.abort();
            lock(&self.reading).tail.finish();
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// The reader task: reads as long as there is output, yielding now and then.
async fn pump(pipe: Arc<pipe::Receiver>, reading: Arc<Mutex<Reading>>) {
    loop {
        if pipe.readable().await.is_err() {
            lock(&reading).tail.finish();
            return;
        }
        loop {
            let done = read_available(&pipe, &mut lock(&reading), READS_BEFORE_YIELD, Via::Reactor);
            match done {
                Ok(true) => return,
                Ok(false) => tokio::task::yield_now().await,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(_) => {
                    lock(&reading).tail.finish();
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn lines_are_split_and_counted() {
        let mut tail = LogTail::new(10);
        tail.push_bytes(b"one\ntw");
        tail.push_bytes(b"o\r\nthr");
        assert_eq!(tail.mark(), 2);
        assert_eq!(tail.since(0), ["one", "two", "thr"]);
        assert_eq!(tail.since(1), ["two", "thr"]);
        tail.finish();
        assert_eq!(tail.since(2), ["thr"]);
        assert_eq!(tail.mark(), 3);
    }

    #[test]
    fn only_the_last_lines_are_kept() {
        let mut tail = LogTail::new(3);
        for i in 0..10 {
            tail.push_bytes(format!("line {i}\n").as_bytes());
        }
        assert_eq!(tail.since(0), ["line 7", "line 8", "line 9"]);
        assert_eq!(tail.since(9), ["line 9"]);
        assert!(tail.since(10).is_empty());
        tail.push_bytes(b"partial");
        assert_eq!(tail.since(0), ["line 8", "line 9", "partial"]);
    }

    #[test]
    fn long_lines_are_cut() {
        let mut tail = LogTail::new(3);
        tail.push_bytes(&vec![b'x'; 5000]);
        tail.push_bytes(&vec![b'y'; 5000]);
        tail.push_bytes(b"\nshort\n");
        let lines = tail.since(0);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0].len(),
            MAX_LINE_BYTES + " [... 8976 more bytes]".len()
        );
        assert!(lines[0].ends_with(" [... 8976 more bytes]"));
        assert_eq!(lines[1], "short");
    }

    #[tokio::test]
    async fn a_capture_reads_a_pipe_until_it_closes() {
        let (reader, mut writer) = std::io::pipe().unwrap();
        let mut capture = Capture::start(reader.into(), 5).unwrap();
        writer.write_all(b"hello\nworld\n").unwrap();
        capture.drain();
        assert_eq!(capture.since(0), ["hello", "world"]);
        let mark = capture.mark();
        writer.write_all(b"bye").unwrap();
        drop(writer);
        capture.closed(Duration::from_secs(5)).await;
        assert_eq!(capture.since(mark), ["bye"]);
    }

    #[tokio::test]
    async fn a_flood_is_read_without_blocking_the_writer() {
        let (reader, mut writer) = std::io::pipe().unwrap();
        let mut capture = Capture::start(reader.into(), 4).unwrap();
        let writer = std::thread::spawn(move || {
            let line = [b'z'; 2000];
            for _ in 0..5000 {
                writer.write_all(&line).unwrap();
                writer.write_all(b"\n").unwrap();
            }
        });
        // 10 MB through a 64 KiB pipe: only possible if it is read while being written.
        tokio::task::spawn_blocking(move || writer.join().unwrap())
            .await
            .unwrap();
        capture.closed(Duration::from_secs(10)).await;
        let lines = capture.since(0);
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| l.len() < MAX_LINE_BYTES + 40));
    }
}
