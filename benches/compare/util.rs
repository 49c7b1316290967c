//! What every section shares: settings, paths, medians, number formatting, building and
//! timing child processes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use proptest::test_runner::TestRunner;

/// How long each measurement runs. `TOOLCONTRACT_BENCH_QUICK=1` shortens everything (for
/// trying the bench out; its figures are not the published ones).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) quick: bool,
    /// Timed rounds per schema and generator (the median is reported).
    pub(crate) generation_rounds: usize,
    /// Seconds per round for the Rust generators.
    pub(crate) generation_seconds: f64,
    /// Seconds per round for hypothesis-jsonschema (3 x 0.7 s: about 2 s per schema).
    pub(crate) hypothesis_seconds: f64,
    /// Values per schema and generator judged by the oracle (the first ones drawn).
    pub(crate) sample: usize,
    /// Runs of each loop measurement (the median is reported).
    pub(crate) runs: usize,
    /// Cases per tool of the in-process loop (3 tools).
    pub(crate) in_process_cases: u32,
    /// Cases per tool of the Runtime API loop (3 tools).
    pub(crate) runtime_api_cases: u32,
}

impl Settings {
    pub(crate) fn from_env() -> Settings {
        let quick = std::env::var("TOOLCONTRACT_BENCH_QUICK").is_ok_and(|v| v == "1");
        if quick {
            Settings {
                quick,
                generation_rounds: 3,
                generation_seconds: 0.1,
                hypothesis_seconds: 0.2,
                sample: 200,
                runs: 3,
                in_process_cases: 500,
                runtime_api_cases: 300,
            }
        } else {
            Settings {
                quick,
                generation_rounds: 3,
                generation_seconds: 0.5,
                hypothesis_seconds: 0.7,
                sample: 1000,
                runs: 5,
                in_process_cases: 3_000,
                runtime_api_cases: 2_000,
            }
        }
    }
}

/// The package root.
pub(crate) fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shared data, from the repository's copy of it (`tests/data/shared`).
pub(crate) fn data_dir() -> PathBuf {
    manifest_dir().join("tests/data/shared")
}

/// Cargo's target directory: this bench runs as `target/<profile>/deps/compare-<hash>`.
pub(crate) fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the path of this bench");
    exe.parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map_or_else(|| manifest_dir().join("target"), Path::to_path_buf)
}

/// The profile directory this bench was built into (`target/release` for `cargo bench`).
pub(crate) fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the path of this bench");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .to_path_buf()
}

/// The `toolcontract` binary, built by `cargo bench` with this bench's profile.
pub(crate) fn toolcontract_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_toolcontract"))
}

/// Cargo, as the one that built this bench.
pub(crate) fn cargo() -> Command {
    Command::new(option_env!("CARGO").unwrap_or("cargo"))
}

/// Builds the example handlers with this bench's profile (a no-op when they are fresh) and
/// returns the path of `name`.
pub(crate) fn example(name: &str) -> PathBuf {
    let status = cargo()
        .current_dir(manifest_dir())
        .args([
            "build",
            "--quiet",
            "--profile",
            "bench",
            "--example",
            "calculator",
            "--example",
            "rt_echo",
        ])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the example handlers failed");
    let path = profile_dir().join("examples").join(name);
    assert!(path.is_file(), "{} is built", path.display());
    path
}

/// The median (upper median for an even count).
pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
    assert!(!xs.is_empty(), "a median of nothing");
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// `1234567.8` as `1,234,568`.
pub(crate) fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

/// A rate with 3 significant digits at least (`0.912`, `37.4`, `12,345`).
pub(crate) fn rate(x: f64) -> String {
    if x >= 1000.0 {
        thousands(x)
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// `yes` / `**no**` for a target column.
pub(crate) fn met(ok: bool) -> &'static str {
    if ok { "yes" } else { "**no**" }
}

/// A progress note on stderr (stdout carries the tables).
pub(crate) fn note(text: &str) {
    eprintln!("compare: {text}");
}

/// A finished child: how it ended, its wall time and peak resident sizes.
///
/// Peaks come from `/proc`, not from `wait4`/`getrusage`: Linux's `ru_maxrss` of a spawned
/// child starts at its parent's resident size (the spawn runs in, or copies, the parent's
/// memory until `exec`), so every child of this bench would report at least the bench's own
/// size (78 MiB after the generation section).
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) status: ExitStatus,
    pub(crate) wall: Duration,
    /// The child's own peak: the last `VmHWM` of `/proc/<pid>/status` read before it exited
    /// (sampled every 2 ms), in bytes.
    pub(crate) own_peak: u64,
    /// The largest `VmHWM` seen of the child's own children (sampled every 20 ms), in bytes.
    pub(crate) children_peak: u64,
}

/// `VmHWM` (peak resident size) of a live process, in bytes.
pub(crate) fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The children of a live process: every `/proc/<pid>/stat` whose parent is `parent` (the
/// kernel here has no `/proc/<pid>/task/<tid>/children`).
fn children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
                    let after = &stat[stat.rfind(')')? + 1..];
                    after.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

/// Waits for `child`, sampling its peak resident size (and its children's), and kills it
/// after `limit`.
pub(crate) fn wait_measured(mut child: Child, started: Instant, limit: Duration) -> Finished {
    let pid = child.id();
    let (mut own_peak, mut children_peak) = (0, 0);
    for poll in 0u64.. {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Finished {
                status,
                wall: started.elapsed(),
                own_peak,
                children_peak,
            };
        }
        if let Some(peak) = vm_hwm(pid) {
            own_peak = peak;
        }
        if poll % 10 == 0 {
            for grandchild in children(pid) {
                children_peak = children_peak.max(vm_hwm(grandchild).unwrap_or(0));
            }
        }
        if started.elapsed() > limit {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    unreachable!("the loop returns")
}

/// Runs `command` (stdin discarded) to the end, measured.
pub(crate) fn run_measured(command: &mut Command, limit: Duration) -> Finished {
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    wait_measured(child, started, limit)
}

/// `123456789` bytes as `117.7 MiB`.
pub(crate) fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The runner a case draws its value with: `toolcontract::runner::case_runner`, as the check
/// runner uses it.
pub(crate) fn test_runner(seed: u64) -> TestRunner {
    toolcontract::runner::case_runner(seed)
}
