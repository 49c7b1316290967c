//! Throughput of the Runtime API path: invokes the `rt_echo` fixture many times and prints
//! invocations per second.
//!
//! ```text
//! cargo build --release --examples
//! target/release/examples/rt_loop [COUNT] [--multi-thread]    # default 10000, current-thread
//! ```
//!
//! `--multi-thread` drives the handler from a two-worker multi-thread Tokio runtime instead of
//! a current-thread one.

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use serde_json::json;
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler};
use toolcontract::{Handler, Invocation, Outcome};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let multi_thread = args.iter().any(|a| a == "--multi-thread");
    let count: u32 = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or(10_000, |n| n.parse().expect("COUNT is a number"));
    let runtime = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    };
    runtime.expect("a Tokio runtime").block_on(run(count));
}

async fn run(count: u32) {
    let echo = std::env::current_exe()
        .expect("the path of this program")
        .with_file_name("rt_echo");
    let mut handler = ProcessHandler::start(ProcessConfig::new([&echo]))
        .expect("rt_echo is built beside rt_loop");
    let invocation = |i: u32| {
        Invocation::new(
            format!("req-{i}"),
            json!({"keywords": "wireless headphones", "i": i}),
            "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler",
            Duration::from_secs(3),
        )
        .with_client_context(json!({"custom": {
            "bedrockAgentCoreToolName": "LambdaUsingSDK___get_order_tool",
        }}))
    };
    // The cold start is not part of the measurement.
    let first = handler.invoke(&invocation(0)).await;
    assert!(
        matches!(first.outcome, Outcome::Response { .. }),
        "{first:?}"
    );
    let started = Instant::now();
    for i in 1..=count {
        let answer = handler.invoke(&invocation(i)).await;
        assert!(
            matches!(answer.outcome, Outcome::Response { .. }),
            "{answer:?}"
        );
    }
    let elapsed = started.elapsed();
    println!(
        "{count} invocations in {:.3} s: {:.0} invocations/s ({:.1} µs each); stats {:?}",
        elapsed.as_secs_f64(),
        f64::from(count) / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / f64::from(count),
        handler.stats()
    );
}
