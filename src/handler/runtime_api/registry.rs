//! The process groups of live handler processes, so that they can all be killed at once (on
//! Ctrl-C) from anywhere in the program.
//!
//! Each handler process is started as the leader of a new process group; killing the group also
//! kills whatever the handler started (a shell's children, a Python runtime's workers).

use std::sync::{Mutex, PoisonError};

/// Process group ids (= the leaders' pids) of the live handler processes.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Records a live process group.
pub(crate) fn register(group: i32) {
    LIVE_GROUPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(group);
}

/// Forgets a process group (its leader was reaped).
pub(crate) fn deregister(group: i32) {
    let mut groups = LIVE_GROUPS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(at) = groups.iter().position(|&g| g == group) {
        groups.swap_remove(at);
    }
}

/// Sends SIGKILL to a process group. Refuses group ids that would address this process's own
/// group or every process (0, 1, negative). `true` if the signal was sent.
pub(crate) fn kill_group(group: i32) -> bool {
    if group <= 1 {
        return false;
    }
    // SAFETY: `killpg` only sends a signal; it touches no memory of this process. The group id
    // is a handler process's pid, which cannot be this process's own group: the child was
    // started with `process_group(0)`, making it the leader of a new group.
    unsafe { libc::killpg(group, libc::SIGKILL) == 0 }
}

/// Kills every live handler process (and everything each started), with SIGKILL. For the CLI's
/// Ctrl-C handler: call it, then exit. Returns how many process groups were signalled.
///
/// Handlers stay responsible for reaping their processes (on drop, or the next invocation).
pub fn kill_live_processes() -> usize {
    let groups = LIVE_GROUPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    groups.into_iter().filter(|&g| kill_group(g)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_and_special_groups_are_never_signalled() {
        assert!(!kill_group(0));
        assert!(!kill_group(1));
        assert!(!kill_group(-5));
    }

    #[test]
    fn registered_groups_are_killed() {
        use std::os::unix::process::{CommandExt, ExitStatusExt};
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let group = i32::try_from(child.id()).unwrap();
        register(group);
        assert!(kill_live_processes() >= 1);
        let status = child.wait().unwrap();
        deregister(group);
        assert_eq!(status.signal(), Some(libc::SIGKILL));
    }
}
