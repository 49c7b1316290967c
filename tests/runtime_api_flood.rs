//! A handler that floods its output neither blocks nor fills the harness's memory. In its own
//! test binary, so that no other test's allocations blur the memory measurement.

mod common;

use std::time::Duration;

use common::{example, invocation, rss_kib};
use serde_json::json;
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler};
use toolcontract::{Handler, Outcome};

#[tokio::test]
async fn a_flood_of_output_is_read_and_only_its_tail_kept() {
    let config = ProcessConfig::new([example("rt_flood")]).with_log_tail_lines(20);
    let mut handler = ProcessHandler::start(config).unwrap();
    let before = rss_kib();
    // rt_flood writes 50 MiB before answering: it answers only if its output is read meanwhile.
    let answer = handler
        .invoke(&invocation("r1", json!({"n": 1}), Duration::from_secs(60)))
        .await;
    let grown = rss_kib().saturating_sub(before);
    assert!(
        matches!(answer.outcome, Outcome::Response { .. }),
        "{:?}",
        answer.outcome
    );
    assert_eq!(answer.logs.len(), 20);
    assert_eq!(
        answer.logs.last().map(String::as_str),
        Some("rt_flood: done")
    );
    assert!(answer.logs.iter().all(|line| line.len() <= 1024 + 32));
    // 50 MiB went through; far less than that stayed.
    assert!(grown < 16 * 1024, "the harness grew by {grown} KiB");
    // And the process is still usable.
    let again = handler
        .invoke(&invocation("r2", json!({"n": 2}), Duration::from_secs(60)))
        .await;
    assert_eq!(again.outcome.label(), "response");
    assert_eq!(handler.stats().cold_starts, 1);
}
