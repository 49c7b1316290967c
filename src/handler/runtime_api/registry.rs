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

/// Sends SIGKILL to a process group and to every descendant of its processes, also those that
/// left the group (`setsid()`, `setpgid()`): they are found through their parent pids in
/// `/proc` before anything is killed. Refuses group ids that would address this process's own
/// group or every process (0, 1, negative). `true` if the signal was sent.
pub(crate) fn kill_group(group: i32) -> bool {
    if group <= 1 {
        return false;
    }
    let own = std::process::id();
    for pid in tree_of(group) {
        if pid != own && pid > 1 {
            // SAFETY: `kill` only sends a signal. The pid is a process in the handler's group
            // or a descendant of one, never this process (checked above).
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
    }
    // SAFETY: `killpg` only sends a signal; it touches no memory of this process. The group id
    // is a handler process's pid, which cannot be this process's own group: the child was
    // started with `process_group(0)`, making it the leader of a new group.
    unsafe { libc::killpg(group, libc::SIGKILL) == 0 }
}

/// `(pid, parent pid, process group)` of every process in `/proc` (empty where there is none).
fn processes() -> Vec<(u32, u32, i32)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
        let _state = rest.next()?;
        let ppid = rest.next()?.parse().ok()?;
        let pgrp = rest.next()?.parse().ok()?;
        Some((pid, ppid, pgrp))
    })
    .collect()
}

/// The processes of `group` and all their descendants.
pub(crate) fn tree_of(group: i32) -> Vec<u32> {
    let all = processes();
    let mut tree: Vec<u32> = all
        .iter()
        .filter(|&&(pid, _, pgrp)| pgrp == group || pid as i32 == group)
        .map(|&(pid, _, _)| pid)
        .collect();
    // Descendants, level by level (a parent pid chain cannot loop, but stay bounded anyway).
    for _ in 0..all.len() {
        let before = tree.len();
        for &(pid, ppid, _) in &all {
            if tree.contains(&ppid) && !tree.contains(&pid) {
                tree.push(pid);
            }
        }
        if tree.len() == before {
            break;
        }
    }
    tree
}

/// Whether [`adopt_orphans`] made this process a subreaper.
static SUBREAPER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes this process the subreaper of everything it starts (`PR_SET_CHILD_SUBREAPER`): a
/// handler's descendant that is orphaned (a daemon that forked twice and called `setsid()`)
/// becomes this process's child instead of init's, so [`reap_orphans`] can end it. For a
/// command line program that starts nothing but handlers; a test process should not call it.
/// `false` where the system has no subreapers.
pub fn adopt_orphans() -> bool {
    // SAFETY: `prctl(PR_SET_CHILD_SUBREAPER, 1)` changes a flag of this process only.
    let set = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 };
    SUBREAPER.store(set, std::sync::atomic::Ordering::SeqCst);
    set
}

/// After [`adopt_orphans`]: kills and reaps every adopted orphan (with its descendants), that
/// is every child of this process that is not a live handler process. Call it when no handler
/// runs any more (at the end of a run, or after a signal). Returns how many were killed.
pub fn reap_orphans() -> usize {
    if !SUBREAPER.load(std::sync::atomic::Ordering::SeqCst) {
        return 0;
    }
    let own = std::process::id();
    let live = LIVE_GROUPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let orphans: Vec<u32> = processes()
        .into_iter()
        .filter(|&(pid, ppid, _)| ppid == own && !live.contains(&(pid as i32)))
        .map(|(pid, _, _)| pid)
        .collect();
    for &pid in &orphans {
        // An orphan that started its own group: its whole tree.
        kill_group(pid as i32);
        // SAFETY: `kill` only sends a signal to a child of this process.
        unsafe {
            libc::kill(pid as i32, libc::SIGKILL);
        }
    }
    for &pid in &orphans {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(2);
        loop {
            let mut status = 0;
            // SAFETY: waits for a child of this process that no one else waits for (it is not
            // a handler process, whose `Child` Tokio reaps).
            let reaped = unsafe { libc::waitpid(pid as i32, &mut status, libc::WNOHANG) };
            if reaped != 0 || std::time::Instant::now() > until {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    orphans.len()
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
