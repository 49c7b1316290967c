//! Memory and lint time of the real `toolcontract` binary.
//!
//! - `toolcontract check` on the calculator example (release handler) with 10,000 and 100,000
//!   cases (3,328 and 33,328 per tool, plus the 16 undeclared-tool cases), to show that memory
//!   does not grow with the number of cases;
//! - `toolcontract check` on a definition of 1,000 tools (the Gateway's quota per target) with
//!   64 cases each, against `rt_echo` (it answers every tool, so every tool is reachable; it
//!   also answers undeclared tools, so `unknown_tool_rejected` is one expected finding);
//! - `toolcontract lint` on that definition: wall time (target: under a second).
//!
//! The 1,000 tools are synthesized from the corpus: the input schemas of every tool of
//! `tool-corpus/gateway/*.json` and `tool-corpus/mcp/*.json` (camelCase definitions) that
//! toolcontract compiles without a warning, taken in turn and renamed `tool_0000`..`tool_0999`,
//! with their descriptions and without output schemas.
//!
//! Peak resident size from `/proc` (`VmHWM` of `/proc/<pid>/status`): of the `toolcontract`
//! process (the last reading before it exits, sampled every 2 ms), and of the largest handler
//! process it started (sampled every 20 ms). Not from `getrusage`/`wait4`: on Linux a spawned
//! child's `ru_maxrss` starts at its parent's resident size, so every child would report at
//! least this bench's own (78 MiB after the generation section). Each run once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use toolcontract::SchemaGenerator;

use crate::schemas;
use crate::util::{self, Finished, Settings, median, met, mib, note, thousands};

/// Tools of the synthesized definition.
const TOOLS: usize = 1_000;
/// Cases per tool of the 1,000-tool run.
const CASES_PER_TOOL: u32 = 64;
/// The lint target.
const LINT_TARGET: Duration = Duration::from_secs(1);
/// How long one run may take before the bench gives up.
const RUN_LIMIT: Duration = Duration::from_secs(600);

/// Writes the 1,000-tool definition; returns its path, the number of distinct schemas and its
/// size in bytes.
fn synthesize(data: &Path, out: &Path) -> (PathBuf, usize, usize) {
    let mut pool = Vec::new();
    for dir in ["tool-corpus/gateway", "tool-corpus/mcp"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(data.join(dir))
            .expect("the corpus")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let document: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
            for tool in schemas::tools(&document) {
                let Some(schema) = tool.get("inputSchema") else {
                    continue;
                };
                let compiles = SchemaGenerator::new(schema).is_ok_and(|g| g.warnings().is_empty());
                if compiles {
                    let description = tool["description"].as_str().unwrap_or("A tool.");
                    pool.push((description.to_owned(), schema.clone()));
                }
            }
        }
    }
    assert!(!pool.is_empty(), "the corpus has tools");
    let tools: Vec<Value> = (0..TOOLS)
        .map(|i| {
            let (description, schema) = &pool[i % pool.len()];
            json!({"name": format!("tool_{i:04}"), "description": description, "inputSchema": schema})
        })
        .collect();
    let text = serde_json::to_string(&tools).expect("JSON");
    let path = out.join("bench-1000-tools.json");
    std::fs::write(&path, &text).expect("write");
    (path, pool.len(), text.len())
}

/// One `toolcontract check` run: its measurement and the report's totals.
fn check(definition: &Path, cases: u32, handler: &Path, report: &Path) -> (Finished, Value) {
    let finished = util::run_measured(
        Command::new(util::toolcontract_bin())
            .arg("check")
            .arg(definition)
            .args([
                "--cases",
                &cases.to_string(),
                "--format",
                "json",
                "--output",
            ])
            .arg(report)
            .arg("--")
            .arg(handler)
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        RUN_LIMIT,
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).expect("a report"))
        .expect("a JSON report");
    (finished, report["totals"].clone())
}

/// Runs the section; returns its markdown.
pub(crate) fn run(settings: &Settings, calculator_peak: Option<u64>) -> String {
    let target = util::target_dir();
    let calculator = util::example("calculator");
    let echo = util::example("rt_echo");
    let tools = util::manifest_dir().join("examples/calculator/tools.json");
    let report = target.join("bench-report.json");
    let (thousand, distinct, bytes) = synthesize(&util::data_dir(), &target);
    let scale = if settings.quick { 10 } else { 1 };

    let mut out = String::new();
    out.push_str(
        "### Memory and lint (the `toolcontract` binary)\n\n\
         | run (one each) | cases | wall time | cases/s | peak RSS, toolcontract | peak RSS, largest handler |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut peaks = Vec::new();
    let mut counted = Vec::new();
    let runs: [(&str, &Path, u32, &Path); 3] = [
        (
            "`check`, calculator example",
            &tools,
            3_328 / scale,
            &calculator,
        ),
        (
            "`check`, calculator example",
            &tools,
            33_328 / scale,
            &calculator,
        ),
        (
            "`check`, 1,000 tools × 64 cases, `rt_echo`",
            &thousand,
            CASES_PER_TOOL,
            &echo,
        ),
    ];
    for (label, definition, cases, handler) in runs {
        note(&format!("memory: {label}, {cases} cases per tool"));
        let (finished, totals) = check(definition, cases, handler, &report);
        let findings = totals["findings"].as_u64().unwrap_or(0);
        let exit = finished.status.code();
        let expected = if definition == thousand.as_path() {
            // `unknown_tool_rejected` is a warning (the Gateway never sends an undeclared
            // name), so the run exits 0.
            findings == 1 && exit == Some(0)
        } else {
            findings == 0 && exit == Some(0)
        };
        assert!(expected, "{label}: exit {exit:?}, {findings} findings");
        peaks.push(finished.own_peak);
        counted.push(totals["cases"].as_f64().unwrap_or(0.0));
        out.push_str(&format!(
            "| {label}{} | {} | {:.2} s | {} | {} | {} |\n",
            if findings > 0 {
                " (1 warning: `unknown_tool_rejected`, expected of an echo)"
            } else {
                ""
            },
            thousands(totals["cases"].as_f64().unwrap_or(0.0)),
            finished.wall.as_secs_f64(),
            thousands(totals["cases_per_second"].as_f64().unwrap_or(0.0)),
            mib(finished.own_peak),
            mib(finished.children_peak),
        ));
    }

    note("lint, 1,000 tools");
    let mut walls = Vec::new();
    let mut exit = None;
    for _ in 0..settings.runs {
        let finished = util::run_measured(
            Command::new(util::toolcontract_bin())
                .arg("lint")
                .arg(&thousand)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
            RUN_LIMIT,
        );
        exit = finished.status.code();
        walls.push(finished.wall.as_secs_f64());
    }
    let lint = median(walls);
    out.push_str(&format!(
        "| `lint`, 1,000 tools (median of {} runs; exit status {}) | — | {lint:.3} s | — | — | — |\n\n",
        settings.runs,
        exit.map_or_else(|| "none".to_owned(), |c| c.to_string()),
    ));
    out.push_str(&format!(
        "The 1,000 tools reuse {distinct} distinct corpus input schemas ({} KB of JSON). Memory \
         from {} to {} cases: {} → {} (toolcontract process), {:.0} bytes per added case. Target \
         lint < 1 s: {} ({lint:.3} s).{}\n\n",
        bytes / 1000,
        thousands(counted[0]),
        thousands(counted[1]),
        mib(peaks[0]),
        mib(peaks[1]),
        // `+ 0.0` turns a -0 (the peak went down a little) into 0.
        ((peaks[1] as f64 - peaks[0] as f64) / (counted[1] - counted[0]).max(1.0)).round() + 0.0,
        met(lint < LINT_TARGET.as_secs_f64()),
        calculator_peak.map_or_else(String::new, |peak| format!(
            " Against the floor server, the calculator handler peaks at {}.",
            mib(peak)
        )),
    ));
    out
}
