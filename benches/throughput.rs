//! The in-process check loop next to its floor, alone: `cargo bench --bench throughput`.
//!
//! The loop and the floor are defined in `benches/compare/in_process.rs` (shared with
//! `cargo bench --bench compare`, which also measures generation against its peers, the
//! Runtime API loop and memory). Medians of several runs; every figure from this one run.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a bench prints its table

#[path = "../examples/calculator/handler.rs"]
mod calculator;
#[path = "compare/in_process.rs"]
mod in_process;
#[allow(dead_code)] // only part of what `compare` uses
#[path = "compare/util.rs"]
mod util;

fn main() {
    let settings = util::Settings::from_env();
    let (row, _, _) = in_process::run(&settings);
    println!(
        "toolcontract throughput (median of {} runs)\n",
        settings.runs
    );
    println!("| loop | cases/s | floor cases/s | loop / floor | target | met |");
    println!("|---|---:|---:|---:|---:|---|");
    print!("{row}");
}
