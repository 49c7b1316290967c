//! The in-process check loop next to its floor.
//!
//! - loop: `Gateway::check` against the bundled calculator handler (`examples/calculator`),
//!   `report.totals.cases_per_second` (the case phase, as the report measures it);
//! - floor: for every case of that run, the same argument value (the same case seed through
//!   the same runner as the check: `case_seed` then `case_runner`), and as many
//!   responses of the calculator's shape validated against the `mcp` contract with the
//!   `jsonschema` crate as the check judges (one per invocation: a case that also runs under a
//!   renamed target judges two); no handler, no events, no checks. The 16 undeclared-tool
//!   cases draw from the tools' strategies in turn.
//!
//! - floor with the handler: the floor, and for each response the handler call itself: the
//!   event (the argument value) with a `lambda_runtime::Context` cloned from one parsed per
//!   tool from the client context the check sends (its six `custom` keys), the calculator
//!   handler called and polled once, its answer validated instead of the floor's. What no
//!   in-process harness can skip; the loop's gap to it is the harness's own work (invocation
//!   records, the panic and deadline guards, every check past the `mcp` contract).
//!
//! Loop and floor runs alternate, so background load falls on all alike.
//!
//! Target: loop ≥ 0.8 × floor (issue 16). The floor with the handler has no target: it shows
//! how much of the gap the handler call is.

use std::hint::black_box;
use std::time::Instant;

use lambda_runtime::{Context, LambdaEvent, service_fn};
use proptest::strategy::{SBoxedStrategy, Strategy, ValueTree};
use serde_json::{Value, json};
use toolcontract::runner::case_seed;
use toolcontract::{Contract, Gateway};

use crate::calculator;
use crate::util::{Settings, median, met, note, test_runner, thousands};

const TOOLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);

/// The target: loop / floor.
const TARGET: f64 = 0.8;

/// One run of the in-process check loop: its cases per second, cases and invocations.
fn check_loop(gateway: &Gateway) -> (f64, u64, u64) {
    let report = gateway.check(service_fn(calculator::handler));
    assert!(report.is_ok(), "the calculator keeps every check");
    let totals = &report.totals;
    (totals.cases_per_second, totals.cases, totals.invocations)
}

/// The floor's work, drawn up once: which value each case generates, and how many responses
/// it judges.
struct Floor {
    strategies: Vec<SBoxedStrategy<Value>>,
    /// The context of each tool's calls (the client context the check sends, parsed).
    contexts: Vec<Context>,
    /// (tool, case seed, responses judged) of every case, in the order the check runs them.
    items: Vec<(usize, u64, u64)>,
    validator: &'static jsonschema::Validator,
}

impl Floor {
    /// The floor of a check run of `cases` cases judging `invocations` responses.
    fn new(gateway: &Gateway, cases: u64, invocations: u64) -> Floor {
        let run_seed = gateway.options().seed;
        let per_tool = u64::from(gateway.options().cases);
        let names: Vec<&str> = gateway
            .definition()
            .tools
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let strategies = names
            .iter()
            .map(|name| gateway.arguments(name).expect("declared tool"))
            .collect();
        let contexts = names
            .iter()
            .map(|name| {
                let invocation = gateway
                    .invocation(name, &json!({}), run_seed)
                    .expect("declared tool");
                let mut context = Context::default();
                context.request_id = invocation.request_id;
                context.invoked_function_arn = invocation.invoked_function_arn;
                context.client_context = invocation
                    .client_context
                    .and_then(|raw| serde_json::from_str(raw.as_str()).ok());
                assert!(context.client_context.is_some(), "a Gateway client context");
                context
            })
            .collect();
        let mut seeds = Vec::new();
        for (t, name) in names.iter().enumerate() {
            for i in 0..per_tool {
                seeds.push((t, case_seed(run_seed, name, i as u32)));
            }
        }
        let extra = cases.saturating_sub(seeds.len() as u64);
        for i in 0..extra {
            let t = (i % names.len() as u64) as usize;
            seeds.push((t, case_seed(run_seed, "(undeclared tool)", i as u32)));
        }
        // One response per case, and a second one for `invocations - cases` of them, spread
        // evenly (as the check's renamed-target cases are).
        let n = seeds.len() as u64;
        let second = invocations.saturating_sub(n);
        let items: Vec<_> = (0..n)
            .zip(seeds)
            .map(|(i, (t, seed))| (t, seed, 1 + ((i + 1) * second / n - i * second / n)))
            .collect();
        assert_eq!(items.iter().map(|i| i.2).sum::<u64>(), n + second);
        Floor {
            strategies,
            contexts,
            items,
            validator: Contract::GatewayResponseMcp.validator(),
        }
    }

    /// One run: cases per second. On a fresh thread, as the check's runner is, so that both
    /// start from a fresh allocator arena (not the main thread's, which the generation section
    /// has churned). With `handler`, the floor with the handler call.
    fn run(&self, handler: bool) -> f64 {
        std::thread::scope(|scope| {
            scope
                .spawn(|| self.run_here(handler))
                .join()
                .expect("floor run")
        })
    }

    fn run_here(&self, handler: bool) -> f64 {
        let started = Instant::now();
        for &(t, seed, responses) in &self.items {
            let value = self.strategies[t]
                .new_tree(&mut test_runner(seed))
                .expect("generates")
                .current();
            for _ in 0..responses {
                let response = if handler {
                    let event = LambdaEvent::new(value.clone(), self.contexts[t].clone());
                    poll_once(calculator::handler(event))
                        .and_then(Result::ok)
                        .expect("the calculator answers")
                } else {
                    json!({"content": [{"type": "text", "text": value.to_string()}]})
                };
                black_box(self.validator.is_valid(&response));
            }
        }
        self.items.len() as f64 / started.elapsed().as_secs_f64()
    }
}

/// The output of a future that is ready on its first poll (the calculator's handler is).
fn poll_once<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut context) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

/// Runs the section: one markdown table row, and the loop and floor rates. Loop and floor runs
/// alternate, after one loop run that tells the floor its cases and invocations.
pub(crate) fn run(settings: &Settings) -> (String, f64, f64) {
    let gateway = Gateway::from_path(TOOLS)
        .expect("the calculator definition loads")
        .cases(settings.in_process_cases);
    note("in-process check loop and floor");
    let (_, cases, invocations) = check_loop(&gateway);
    let floor = Floor::new(&gateway, cases, invocations);
    let (mut loop_rates, mut floor_rates, mut handler_rates) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..settings.runs {
        loop_rates.push(check_loop(&gateway).0);
        floor_rates.push(floor.run(false));
        handler_rates.push(floor.run(true));
    }
    let (loop_rate, floor_rate) = (median(loop_rates), median(floor_rates));
    let handler_rate = median(handler_rates);
    let ratio = loop_rate / floor_rate;
    let row = format!(
        "| in-process `Gateway::check`, calculator example, {} cases, {} invocations | {} | {} | \
         {ratio:.2} | ≥ {TARGET} | {} |\n\
         | the same loop, against the floor with the handler call (its event, context and \
         answer) | {} | {} | {:.2} | — | — |\n",
        thousands(cases as f64),
        thousands(invocations as f64),
        thousands(loop_rate),
        thousands(floor_rate),
        met(ratio >= TARGET),
        thousands(loop_rate),
        thousands(handler_rate),
        loop_rate / handler_rate,
    );
    (row, loop_rate, floor_rate)
}
