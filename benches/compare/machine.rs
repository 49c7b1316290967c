//! The machine line: cores, CPU model, load, compiler and Python versions.

use std::process::Command;

/// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn first_line(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    let text = if output.stdout.is_empty() {
        output.stderr
    } else {
        output.stdout
    };
    String::from_utf8_lossy(&text)
        .lines()
        .next()
        .map(str::to_owned)
}

/// The Python that runs hypothesis-jsonschema, with the versions that matter.
pub(crate) fn python_versions(python: &str) -> String {
    first_line(Command::new(python).args([
        "-c",
        "import sys, hypothesis, importlib.metadata as m; \
         print('Python %s, hypothesis %s, hypothesis-jsonschema %s' % (sys.version.split()[0], \
         hypothesis.__version__, m.version('hypothesis-jsonschema')))",
    ]))
    .unwrap_or_else(|| format!("{python}: not runnable"))
}

/// One markdown paragraph describing the machine and the run.
pub(crate) fn describe(load_start: &str, load_end: &str, python: Option<&str>) -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = first_line(
        Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
            .arg("--version"),
    )
    .unwrap_or_else(|| "rustc: unknown".to_owned());
    let python = python.map_or_else(
        || "hypothesis-jsonschema not run (no TOOLCONTRACT_BENCH_PYTHON)".to_owned(),
        python_versions,
    );
    format!(
        "Machine: {cores} cores (nproc), {}; load average {load_start} at start, {load_end} at \
         end; {rustc}; {python}.",
        cpu_model()
    )
}
