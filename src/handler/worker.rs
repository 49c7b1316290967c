//! The thread in-process handlers run on, and a cheap hand-off to it.
//!
//! Handler futures run on a dedicated thread (with a current-thread tokio runtime), never on the
//! runner's: a handler that blocks its thread forever then wedges only that thread, which is
//! abandoned and replaced, and the run goes on. Handing a case to another thread usually costs
//! two kernel wake-ups, more than the rest of a case together; so both sides first spin
//! briefly (a hot loop hands over the next case within microseconds) and only then park.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use tokio::sync::oneshot;

/// The name of the threads handlers run on.
pub(crate) const HANDLER_THREAD: &str = "toolcontract-handler";

/// How long the handler thread spins for the next case before it parks.
const SPIN_FOR_WORK: Duration = Duration::from_micros(200);

/// How long the runner spins for an answer before it waits asynchronously.
const SPIN_FOR_ANSWER: Duration = Duration::from_micros(50);

/// How long past the deadline the runner waits for a handler that ignores its timeout (it
/// blocks its thread) before abandoning the thread.
const GRACE: Duration = Duration::from_millis(100);

type Job = Box<dyn FnOnce(&tokio::runtime::Runtime) + Send>;

/// How a future ran on the handler thread.
pub(crate) enum Ran<T> {
    /// It finished.
    Done(T),
    /// It panicked, with this message.
    Panicked(String),
    /// It did not finish within its limit (and was dropped, or its thread was abandoned).
    TimedOut,
}

/// One handler thread.
pub(crate) struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    /// Starts a handler thread.
    pub(crate) fn spawn() -> std::io::Result<Worker> {
        quiet_handler_panics();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name(HANDLER_THREAD.to_owned())
            .spawn(move || {
                while let Some(job) = next_job(&queue) {
                    job(&runtime);
                }
                // The sender is gone: the handler was dropped or this thread abandoned.
                runtime.shutdown_background();
            })?;
        Ok(Worker { jobs })
    }

    /// Runs `future` on the handler thread, for at most `limit`. `None` means the thread did
    /// not come back even `GRACE` after the limit (the handler blocks it): the caller must
    /// drop this worker and start another.
    pub(crate) async fn run<F>(&self, future: F, limit: Duration) -> Option<Ran<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (answer, mut answered) = oneshot::channel();
        let job: Job = Box::new(move |runtime| {
            let guarded = AssertUnwindSafe(future).catch_unwind();
            // The timer is made inside `block_on`: it needs the runtime's context.
            let ran =
                match runtime.block_on(async move { tokio::time::timeout(limit, guarded).await }) {
                    Ok(Ok(output)) => Ran::Done(output),
                    Ok(Err(panic)) => Ran::Panicked(panic_message(&*panic)),
                    Err(_elapsed) => Ran::TimedOut,
                };
            let _ = answer.send(ran);
        });
        if self.jobs.send(job).is_err() {
            // The thread is gone (it cannot be: it only ends when this sender is dropped).
            return Some(Ran::Panicked("the handler thread is gone".to_owned()));
        }
        let spin_until = Instant::now() + SPIN_FOR_ANSWER;
        loop {
            match answered.try_recv() {
                Ok(ran) => return Some(ran),
                Err(oneshot::error::TryRecvError::Closed) => {
                    return Some(Ran::Panicked(
                        "the handler thread dropped the case".to_owned(),
                    ));
                }
                Err(oneshot::error::TryRecvError::Empty) if Instant::now() < spin_until => {
                    std::hint::spin_loop();
                }
                Err(oneshot::error::TryRecvError::Empty) => break,
            }
        }
        match tokio::time::timeout(limit + GRACE, answered).await {
            Ok(Ok(ran)) => Some(ran),
            Ok(Err(_closed)) => Some(Ran::Panicked(
                "the handler thread dropped the case".to_owned(),
            )),
            Err(_elapsed) => None,
        }
    }
}

/// The next job: spin briefly, then park. `None` when the worker was dropped.
fn next_job(queue: &mpsc::Receiver<Job>) -> Option<Job> {
    let spin_until = Instant::now() + SPIN_FOR_WORK;
    loop {
        match queue.try_recv() {
            Ok(job) => return Some(job),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) if Instant::now() < spin_until => {
                std::hint::spin_loop();
            }
            Err(mpsc::TryRecvError::Empty) => return queue.recv().ok(),
        }
    }
}

/// Keeps the default panic hook from printing panics of handler threads: each one is
/// captured as a panic outcome and shown in its finding, so printing it again (once per
/// shrinking step) only buries the report. Other threads' panics print as before.
fn quiet_handler_panics() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(HANDLER_THREAD) {
                previous(info);
            }
        }));
    });
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}
