//! toolcontract side by side: `cargo bench --bench compare` (the Rust side), or
//! `benches/compare.sh` (everything, with the hypothesis-jsonschema column).
//!
//! Sections (all by default; name some to run only those, e.g.
//! `cargo bench --bench compare -- generation memory`):
//! - `generation`: values per second and validity per schema of a fixed set, for toolcontract,
//!   `json_schema_fuzz` and (with `TOOLCONTRACT_BENCH_PYTHON`) hypothesis-jsonschema
//!   (`generation.rs`, the set in `schemas.rs`);
//! - `in-process`: the in-process check loop next to its floor (`in_process.rs`);
//! - `runtime-api`: `toolcontract check` through the Runtime API with 1 and 2 jobs, next to a
//!   minimal Runtime API server serving the same handler (`runtime_api.rs`);
//! - `memory`: peak resident size of `toolcontract check` runs, and the time of
//!   `toolcontract lint` on 1,000 tools (`memory.rs`).
//!
//! Every figure comes from this one run on this machine; the tables go to stdout and to
//! `target/bench-table.md`, progress to stderr. `TOOLCONTRACT_BENCH_QUICK=1` makes every
//! measurement short (to try the bench out, not to publish).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a bench prints its tables

#[path = "../../examples/calculator/handler.rs"]
mod calculator;
mod generation;
mod in_process;
mod machine;
mod memory;
mod runtime_api;
mod schemas;
mod util;

use std::process::Command;

const SECTIONS: &[&str] = &["generation", "in-process", "runtime-api", "memory"];

fn main() {
    let chosen: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    for name in &chosen {
        assert!(
            SECTIONS.contains(&name.as_str()),
            "unknown section `{name}`; the sections are {SECTIONS:?}"
        );
    }
    let wanted = |name: &str| chosen.is_empty() || chosen.iter().any(|c| c == name);
    let settings = util::Settings::from_env();
    // Absolute, as the peer runs in a directory of its own.
    let python = std::env::var("TOOLCONTRACT_BENCH_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .map(|p| std::path::absolute(&p).map_or(p, |path| path.to_string_lossy().into_owned()));
    let load_start = machine::load_average();

    let mut body = String::new();
    if wanted("generation") {
        body.push_str(&generation::run(&settings, python.as_deref()));
    }
    let mut calculator_peak = None;
    if wanted("in-process") || wanted("runtime-api") {
        body.push_str(&format!(
            "### Check loops: cases per second (median of {} runs; loop and floor runs \
             alternate)\n\n\
             | loop | cases/s | floor cases/s | loop / floor | target | met |\n\
             |---|---:|---:|---:|---:|---|\n",
            settings.runs
        ));
        if wanted("in-process") {
            let (row, _, _) = in_process::run(&settings);
            body.push_str(&row);
        }
        if wanted("runtime-api") {
            let (rows, peak) = runtime_api::run(&settings);
            body.push_str(&rows);
            calculator_peak = Some(peak);
        }
        body.push('\n');
    }
    if wanted("memory") {
        body.push_str(&memory::run(&settings, calculator_peak));
    }

    let load_end = machine::load_average();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut out = format!(
        "## toolcontract side by side ({date}{})\n\n{}\n\n",
        if settings.quick {
            ", QUICK settings: not for publishing"
        } else {
            ""
        },
        machine::describe(&load_start, &load_end, python.as_deref())
    );
    out.push_str(&body);
    print!("{out}");
    let file = util::target_dir().join("bench-table.md");
    std::fs::write(&file, &out).expect("write the table");
    util::note(&format!("written to {}", file.display()));
}
