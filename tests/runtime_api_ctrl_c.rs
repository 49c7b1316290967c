//! `kill_live_processes`, the CLI's Ctrl-C hook, kills every live handler process. In its own
//! test binary: it kills every handler process of the binary it runs in.

mod common;

use std::time::Duration;

use common::{dead_within, example, invocation};
use serde_json::json;
use toolcontract::handler::runtime_api::{ProcessConfig, ProcessHandler, kill_live_processes};
use toolcontract::{Handler, Outcome};

#[tokio::test]
async fn every_live_process_is_killed_and_the_handlers_recover() {
    let timeout = Duration::from_secs(10);
    let mut first = ProcessHandler::start(ProcessConfig::new([example("rt_echo")])).unwrap();
    let mut second = ProcessHandler::start(ProcessConfig::new([example("rt_hang")])).unwrap();
    first.invoke(&invocation("a", json!({}), timeout)).await;
    second.invoke(&invocation("b", json!({}), timeout)).await;
    let pids = [first.pid().unwrap(), second.pid().unwrap()];

    assert_eq!(kill_live_processes(), 2);
    for pid in pids {
        assert!(
            dead_within(pid, Duration::from_secs(5)),
            "pid {pid} survived"
        );
    }

    // A killed process is replaced by the next invocation.
    let answer = first.invoke(&invocation("c", json!({}), timeout)).await;
    assert!(
        matches!(answer.outcome, Outcome::Response { .. }),
        "{answer:?}"
    );
    assert_eq!(first.stats().restarts, 1);

    drop(first);
    drop(second);
    assert_eq!(
        kill_live_processes(),
        0,
        "dropped handlers leave nothing registered"
    );
}
