//! The in-process check loop next to its floor.
//!
//! - loop: `Gateway::check` against the bundled calculator handler (`examples/calculator`),
//!   `report.totals.cases_per_second` (the case phase, as the report measures it);
//! - floor: for every case of that run, the same argument value (the same case seed through
//!   the same kind of runner as the check: `case_seed` then `test_runner`), and one response of
//!   the calculator's shape validated against the `mcp` contract with the `jsonschema` crate;
//!   no handler, no events, no checks. This is the floor `benches/throughput.rs` always had,
//!   with one change: it used to draw from seeds of its own; it now draws the check's values
//!   (the 16 undeclared-tool cases draw from the tools' strategies in turn).
//!
//! Target: loop ≥ 0.5 × floor.

use std::hint::black_box;
use std::time::Instant;

use lambda_runtime::service_fn;
use proptest::strategy::{Strategy, ValueTree};
use serde_json::json;
use toolcontract::runner::case_seed;
use toolcontract::{Contract, Gateway};

use crate::calculator;
use crate::util::{Settings, median, met, note, test_runner, thousands};

const TOOLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);

/// The target: loop / floor.
const TARGET: f64 = 0.5;

/// Cases per second of the in-process check loop (median of `runs`), and the cases per run.
fn check_loop(gateway: &Gateway, runs: usize) -> (f64, u64) {
    let mut rates = Vec::new();
    let mut cases = 0;
    for _ in 0..runs {
        let report = gateway.check(service_fn(calculator::handler));
        assert!(report.is_ok(), "the calculator keeps every check");
        cases = report.totals.cases;
        rates.push(report.totals.cases_per_second);
    }
    (median(rates), cases)
}

/// Cases per second of the floor over `cases` cases (median of `runs`).
fn floor(gateway: &Gateway, cases: u64, runs: usize) -> f64 {
    let run_seed = gateway.options().seed;
    let per_tool = u64::from(gateway.options().cases);
    let tools: Vec<_> = gateway
        .definition()
        .tools
        .iter()
        .map(|t| {
            let strategy = gateway.arguments(&t.name).expect("declared tool");
            (t.name.clone(), strategy)
        })
        .collect();
    // (tool, seed) of every case, in the order the check runs them.
    let mut items = Vec::new();
    for (t, (name, _)) in tools.iter().enumerate() {
        for i in 0..per_tool {
            items.push((t, case_seed(run_seed, name, i as u32)));
        }
    }
    let extra = cases.saturating_sub(items.len() as u64);
    for i in 0..extra {
        let t = (i % tools.len() as u64) as usize;
        items.push((t, case_seed(run_seed, "(undeclared tool)", i as u32)));
    }
    let validator = Contract::GatewayResponseMcp.validator();
    let mut rates = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        for &(t, seed) in &items {
            let value = tools[t]
                .1
                .new_tree(&mut test_runner(seed))
                .expect("generates")
                .current();
            let response = json!({"content": [{"type": "text", "text": value.to_string()}]});
            black_box(validator.is_valid(&response));
        }
        rates.push(items.len() as f64 / started.elapsed().as_secs_f64());
    }
    median(rates)
}

/// Runs the section: one markdown table row, and the loop and floor rates.
pub(crate) fn run(settings: &Settings) -> (String, f64, f64) {
    let gateway = Gateway::from_path(TOOLS)
        .expect("the calculator definition loads")
        .cases(settings.in_process_cases);
    note("in-process check loop");
    let (loop_rate, cases) = check_loop(&gateway, settings.runs);
    note("in-process floor");
    let floor_rate = floor(&gateway, cases, settings.runs);
    let ratio = loop_rate / floor_rate;
    let row = format!(
        "| in-process `Gateway::check`, calculator example, {} cases | {} | {} | {ratio:.2} | \
         ≥ {TARGET} | {} |\n",
        thousands(cases as f64),
        thousands(loop_rate),
        thousands(floor_rate),
        met(ratio >= TARGET)
    );
    (row, loop_rate, floor_rate)
}
