//! The power benchmark: how many cases until a bug is found, for toolcontract and for
//! Hypothesis driven by hypothesis-jsonschema. `benches/power.sh` runs it with the Python peer;
//! `cargo bench --bench power` alone gives the toolcontract column.
//!
//! Each bug of `bugs.rs` is a one-tool definition and a handler that answers every call
//! correctly except those whose arguments hit the bug's predicate, where it returns a function
//! error. toolcontract's count is the real in-process check loop, as a user's `cargo test` runs
//! it (`Gateway::new(..).seed(s).check(service)`, its default 256 cases and its case order,
//! boundary values and probes included): the index of the case the `no_function_error` finding
//! was first seen on, plus one (the finding names its original case, not the shrunk one). A bug
//! not found within 256 cases is looked for again with `cases(CAP)`. Hypothesis's count is the
//! number of calls of its test function up to the first hit, generate phase only (see
//! `benches/power_peer.py`), with `max_examples=CAP`.
//!
//! Counts do not depend on the machine's speed, only on the seeds: 0 to 19 for both (they are
//! different generators: the same seed number draws unrelated values). The table goes to
//! stdout and `target/bench-power.md`. `TOOLCONTRACT_POWER_CAP` changes CAP (default 1000);
//! `TOOLCONTRACT_BENCH_PYTHON` names the Python with hypothesis-jsonschema.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a bench prints its table

#[path = "../compare/machine.rs"]
#[allow(dead_code)]
mod machine;

mod bugs;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use toolcontract::{CheckName, Definition, Gateway};

/// Seeds per bug.
const SEEDS: u64 = 20;

/// The run seed of toolcontract's `n`th run: `n` itself, as a user would pass `--seed` (a case
/// seed spreads the run seed over all 64 bits before mixing in the case index, so run seeds
/// 0 to 19 draw unrelated cases).
fn run_seed(n: u64) -> u64 {
    n
}
/// toolcontract's default cases per tool (`DEFAULT_CASES`).
const DEFAULT_CASES: u32 = 256;
/// Hypothesis's default `max_examples`.
const HYPOTHESIS_DEFAULT: u64 = 100;

fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the path of this bench");
    exe.parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
}

fn gateway(bug: &bugs::Bug) -> Gateway {
    let tool = json!([{
        "name": bug.id,
        "description": format!("A tool with a bug: {}", bug.what),
        "inputSchema": bug.schema,
    }]);
    Gateway::new(Definition::from_value("power.json", tool).expect("a valid definition"))
        .expect("the schema compiles")
}

/// The case (1-based) on which `check` first found the bug, if it did within `cases`.
fn toolcontract_count(bug: &bugs::Bug, seed: u64, cases: u32) -> Option<u64> {
    let hits = bug.hits;
    let name = bug.id;
    let service = service_fn(move |event: LambdaEvent<Value>| async move {
        let tool = event
            .context
            .client_context
            .as_ref()
            .and_then(|c| c.custom.get("bedrockAgentCoreToolName"))
            .map(|q| {
                q.split_once("___")
                    .map_or(q.as_str(), |(_, t)| t)
                    .to_owned()
            });
        if tool.as_deref() != Some(name) {
            return Ok::<Value, Error>(json!({
                "content": [{"type": "text", "text": "unknown tool"}], "isError": true
            }));
        }
        if hits(&event.payload) {
            return Err(Error::from("the bug"));
        }
        Ok(json!({"content": [{"type": "text", "text": "ok"}]}))
    });
    let report = gateway(bug).seed(seed).cases(cases).check(service);
    let finding = report
        .findings_of(CheckName::NoFunctionError)
        .find(|f| f.subject == bug.id)?;
    assert!(
        (bug.hits)(&finding.case.input.arguments),
        "{}: the minimal case hits the bug",
        bug.id
    );
    Some(u64::from(finding.case.index) + 1)
}

/// Median, min and max of counts where `None` (not found) sorts above every count.
fn summary(counts: &[Option<u64>], cap: u64) -> (String, String, String) {
    let mut sorted: Vec<u64> = counts.iter().map(|c| c.unwrap_or(u64::MAX)).collect();
    sorted.sort_unstable();
    let show = |v: u64| {
        if v == u64::MAX {
            format!("> {cap}")
        } else {
            v.to_string()
        }
    };
    let n = sorted.len();
    let median = if n % 2 == 1 {
        show(sorted[n / 2])
    } else if sorted[n / 2] == u64::MAX {
        show(u64::MAX)
    } else {
        let (a, b) = (sorted[n / 2 - 1], sorted[n / 2]);
        if (a + b) % 2 == 0 {
            ((a + b) / 2).to_string()
        } else {
            format!("{}.5", (a + b) / 2)
        }
    };
    (median, show(sorted[0]), show(sorted[n - 1]))
}

fn median_value(counts: &[Option<u64>]) -> f64 {
    let mut sorted: Vec<f64> = counts
        .iter()
        .map(|c| c.map_or(f64::INFINITY, |v| v as f64))
        .collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn within(counts: &[Option<u64>], limit: u64) -> usize {
    counts
        .iter()
        .filter(|c| c.is_some_and(|v| v <= limit))
        .count()
}

/// Starts the Hypothesis peer on every bug (it runs while toolcontract's side is measured:
/// counts do not depend on load).
fn spawn_peer(python: &str, bugs: &[bugs::Bug], cap: u64) -> std::process::Child {
    let dir = target_dir().join("bench-hypothesis");
    std::fs::create_dir_all(&dir).expect("create target/bench-hypothesis");
    let file = dir.join("power-bugs.json");
    let list: Vec<Value> = bugs
        .iter()
        .map(|b| json!({"id": b.id, "schema": b.schema}))
        .collect();
    std::fs::write(&file, Value::Array(list).to_string()).expect("write the bugs");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/power_peer.py");
    Command::new(python)
        .arg(script)
        .arg(&file)
        .args(["--seeds", &SEEDS.to_string(), "--cap", &cap.to_string()])
        // Hypothesis writes a .hypothesis directory into its working directory.
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("run benches/power_peer.py")
}

fn peer_counts(child: std::process::Child) -> std::collections::BTreeMap<String, Vec<Option<u64>>> {
    let output = child.wait_with_output().expect("the peer runs");
    assert!(output.status.success(), "benches/power_peer.py failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            let id = v["id"].as_str().expect("an id").to_owned();
            let counts = v["counts"]
                .as_array()
                .expect("counts")
                .iter()
                .map(Value::as_u64)
                .collect();
            (id, counts)
        })
        .collect()
}

fn main() {
    let cap: u64 = std::env::var("TOOLCONTRACT_POWER_CAP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let python = std::env::var("TOOLCONTRACT_BENCH_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .map(|p| std::path::absolute(&p).map_or(p, |path| path.to_string_lossy().into_owned()));
    let load_start = machine::load_average();
    let bugs = bugs::all();
    let peer = python.as_deref().map(|p| spawn_peer(p, &bugs, cap));

    let mut ours = Vec::new();
    for bug in &bugs {
        let counts: Vec<Option<u64>> = (0..SEEDS)
            .map(|seed| {
                toolcontract_count(bug, run_seed(seed), DEFAULT_CASES).or_else(|| {
                    let cases = u32::try_from(cap).unwrap_or(u32::MAX);
                    toolcontract_count(bug, run_seed(seed), cases)
                })
            })
            .collect();
        eprintln!("power: toolcontract {}: {counts:?}", bug.id);
        ours.push(counts);
    }
    let theirs = peer.map(peer_counts);

    let mut table = format!(
        "### Power: cases until the bug is first found ({SEEDS} seeds each; counted, not \
         timed)\n\n\
         | bug | toolcontract median (min–max) | found within 256 | Hypothesis median \
         (min–max) | found within 100 | fewer cases |\n\
         |---|---:|---:|---:|---:|---|\n"
    );
    for (bug, counts) in bugs.iter().zip(&ours) {
        let (median, min, max) = summary(counts, cap);
        let found = within(counts, u64::from(DEFAULT_CASES));
        let (peer_cell, peer_found, fewer) = match theirs.as_ref().and_then(|t| t.get(bug.id)) {
            Some(peer) => {
                let (m, lo, hi) = summary(peer, cap);
                let ours_m = median_value(counts);
                let peer_m = median_value(peer);
                let verdict = if ours_m < peer_m {
                    "yes"
                } else if ours_m == peer_m {
                    "tie"
                } else {
                    "no"
                };
                (
                    format!("{m} ({lo}–{hi})"),
                    format!("{}/{SEEDS}", within(peer, HYPOTHESIS_DEFAULT)),
                    verdict.to_owned(),
                )
            }
            None => ("not run".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        table.push_str(&format!(
            "| {} | {median} ({min}–{max}) | {found}/{SEEDS} | {peer_cell} | {peer_found} | \
             {fewer} |\n",
            bug.what
        ));
    }
    table.push_str(&format!(
        "\nCounts: toolcontract, the 1-based index of the case the `no_function_error` finding \
         was first seen on in `Gateway::check` (default 256 cases; not found there, again with \
         {cap}); Hypothesis, calls of the `@given(from_schema(..))` test function up to the \
         first hit, generate phase only (no shrinking, no database), `max_examples={cap}`. \
         `> {cap}`: not found within {cap}.\n"
    ));

    let load_end = machine::load_average();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let out = format!(
        "## toolcontract power benchmark ({date})\n\n{}\n\n{table}",
        machine::describe(&load_start, &load_end, python.as_deref())
    );
    print!("{out}");
    let file = target_dir().join("bench-power.md");
    std::fs::write(&file, &out).expect("write the table");
    eprintln!("power: written to {}", file.display());
}
