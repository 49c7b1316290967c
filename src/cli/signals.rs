//! The signals that end a run: SIGINT (Ctrl-C), SIGTERM and SIGHUP, handled the same way at
//! every phase of `check` and `snapshot`.
//!
//! [`install`] replaces their default action (dying at once, which would orphan handler
//! processes and could cut a file half-written) with a note in [`RECEIVED`]. The run phase
//! waits for them ([`any`]) and stops the handlers; the other phases check [`received`] when
//! they finish (every file is written atomically, so it is complete or absent). Either way the
//! command ends with 128 + the signal number, as shells report it (130, 143, 129).

use std::sync::atomic::{AtomicI32, Ordering};

use crate::Error;

/// The signals that end a run.
const ENDING: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The first ending signal received (0: none).
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// Notes every ending signal from now on instead of dying of it.
pub(crate) fn install() -> Result<(), Error> {
    for signal in ENDING {
        // SAFETY: the action only does an atomic compare-and-swap, which is async-signal-safe.
        let registered = unsafe {
            signal_hook_registry::register(signal, move || {
                let _ = RECEIVED.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
            })
        };
        registered.map_err(|e| Error::runtime(format!("handle signal {signal}"), e))?;
    }
    Ok(())
}

/// The first ending signal received so far, if any.
pub(crate) fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Waits for an ending signal (on the current Tokio runtime); returns at once when one came
/// before. Returns the signal.
pub(crate) async fn any() -> i32 {
    use tokio::signal::unix::{SignalKind, signal};
    let mut streams = Vec::new();
    for number in ENDING {
        if let Ok(stream) = signal(SignalKind::from_raw(number)) {
            streams.push(stream);
        }
    }
    // The streams only see signals from their creation on: check what came before.
    if let Some(signal) = received() {
        return signal;
    }
    if streams.is_empty() {
        return std::future::pending().await;
    }
    let waits = streams.iter_mut().map(|s| Box::pin(s.recv()));
    let _ = futures::future::select_all(waits).await;
    received().unwrap_or(libc::SIGINT)
}

/// The exit status after `signal`: 128 + its number.
pub(crate) fn exit_status(signal: i32) -> i32 {
    128 + signal
}

/// The signal's name, for the message.
pub(crate) fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
