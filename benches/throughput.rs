//! Throughput of `toolcontract`, printed as one table: `cargo bench --bench throughput`.
//!
//! Every figure comes from this one run on this machine. Each measurement runs several times
//! and reports the median.
//!
//! - in-process check loop: `Gateway::check` against the bundled calculator handler
//!   (`examples/calculator`), cases per second of the case phase;
//! - its floor: generating the same arguments and validating a response of the same shape with
//!   the `jsonschema` crate, without a handler (what a check loop cannot go below).

#![allow(clippy::print_stdout)] // a bench prints its table

#[path = "../examples/calculator/handler.rs"]
mod calculator;

use std::hint::black_box;
use std::time::Instant;

use lambda_runtime::service_fn;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::json;
use toolcontract::{Contract, Gateway};

const TOOLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);
const CASES_PER_TOOL: u32 = 3_000;
const RUNS: usize = 5;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Cases per second of the in-process check loop (case phase, as the report measures it).
fn in_process(gateway: &Gateway) -> (f64, u64) {
    let mut rates = Vec::new();
    let mut cases = 0;
    for _ in 0..RUNS {
        let report = gateway.check(service_fn(calculator::handler));
        assert!(report.is_ok(), "the calculator keeps every check");
        cases = report.totals.cases;
        rates.push(report.totals.cases_per_second);
    }
    (median(rates), cases)
}

/// The floor: the same number of argument values drawn from the same strategies, each with a
/// response of the calculator's shape validated against the `mcp` contract.
fn floor(gateway: &Gateway, cases: u64) -> f64 {
    let tools: Vec<_> = gateway
        .definition()
        .tools
        .iter()
        .map(|t| gateway.arguments(&t.name).expect("declared tool"))
        .collect();
    let validator = Contract::GatewayResponseMcp.validator();
    let mut rates = Vec::new();
    for run in 0..RUNS {
        let started = Instant::now();
        for i in 0..cases {
            let strategy = &tools[(i % tools.len() as u64) as usize];
            let mut seed = [0u8; 32];
            seed[..8].copy_from_slice(&(i ^ (run as u64) << 40).to_le_bytes());
            let mut runner = TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
            );
            let value = strategy.new_tree(&mut runner).expect("generates").current();
            let response = json!({"content": [{"type": "text", "text": value.to_string()}]});
            black_box(validator.is_valid(&response));
        }
        rates.push(cases as f64 / started.elapsed().as_secs_f64());
    }
    median(rates)
}

fn main() {
    let gateway = Gateway::from_path(TOOLS)
        .expect("the calculator definition loads")
        .cases(CASES_PER_TOOL);
    let (loop_rate, cases) = in_process(&gateway);
    let floor_rate = floor(&gateway, cases);
    println!("toolcontract throughput (median of {RUNS} runs, {cases} cases each)");
    println!("| measurement | cases/s |");
    println!("|---|---:|");
    println!("| in-process check loop, calculator example | {loop_rate:.0} |");
    println!("| floor: generate + validate response, no handler | {floor_rate:.0} |");
    println!("| loop / floor | {:.2} |", loop_rate / floor_rate);
}
