//! Helpers shared by the Runtime API integration tests.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use proptest::test_runner::{
    Config, RngAlgorithm, RngSeed, TestRng, TestRunner, noop_result_cache,
};
use serde_json::{Value, json};
use toolcontract::Invocation;

/// A proptest configuration with every setting spelled out: `Config::default()` applies the
/// `PROPTEST_*` environment variables, and no verdict may depend on them.
pub fn proptest_config(cases: u32) -> Config {
    Config {
        cases,
        max_local_rejects: 65_536,
        max_global_rejects: 1024,
        max_flat_map_regens: 1_000_000,
        failure_persistence: None,
        source_file: None,
        test_name: None,
        max_shrink_time: 0,
        max_shrink_iters: u32::MAX,
        max_default_size_range: 100,
        result_cache: noop_result_cache,
        verbose: 0,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Random,
        // Only the fields of proptest features the tests do not enable (`fork`, `timeout`).
        ..Config::default()
    }
}

/// A runner drawing from the ChaCha stream of `seed`, configured by [`proptest_config`].
pub fn seeded_runner(seed: &[u8; 32]) -> TestRunner {
    TestRunner::new_with_rng(
        proptest_config(256),
        TestRng::from_seed(RngAlgorithm::ChaCha, seed),
    )
}

/// `TestRunner::deterministic()` (the same values), configured by [`proptest_config`].
pub fn deterministic_runner() -> TestRunner {
    TestRunner::new_with_rng(
        proptest_config(256),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

/// The `PROPTEST_*` variables set in this environment: a test removes them from the
/// environment of a `toolcontract` command it runs, whose default `--cases` reads
/// `PROPTEST_CASES`.
pub fn proptest_vars() -> Vec<std::ffi::OsString> {
    std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| name.to_string_lossy().starts_with("PROPTEST_"))
        .collect()
}

/// The directory of the build profile the tests run from (`target/debug`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<test binary>
    exe.parent()
        .and_then(Path::parent)
        .expect("the test binary sits in target/<profile>/deps")
        .to_owned()
}

/// The path of the fixture example `name`, as built by `cargo test` into
/// `target/<profile>/examples/`. The examples are (re)built once per test binary with
/// `cargo build --examples --all-features` (the features of the README's test command, so the
/// library is not built a second time with other features), so a `cargo test --test ...` run
/// that skipped them, or left them stale, still tests the current sources.
pub fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    let profile_dir = profile_dir();
    BUILT.get_or_init(|| {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "--examples", "--all-features"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|p| p == "release") {
            cargo.arg("--release");
        }
        if let Some(target_dir) = profile_dir.parent() {
            cargo.env("CARGO_TARGET_DIR", target_dir);
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "cargo build --examples failed: {status}");
    });
    let path = profile_dir.join("examples").join(name);
    assert!(path.exists(), "{} was not built", path.display());
    path
}

/// `relative` (a path under the repository root) when the project's own setup script
/// installed it, else `None` with a SKIPPED line on stderr, so the test passes without running.
/// With `require` set in the environment (as in CI) a missing install fails the test instead.
pub fn installed(test: &str, relative: &str, require: &str, script: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os(require).is_none(),
        "{test}: {} does not exist, and {require} is set (as in CI): {script} did not run",
        path.display()
    );
    #[allow(clippy::print_stderr)] // a skipped test says so
    {
        eprintln!(
            "SKIPPED {test}: {} does not exist; run {script} to install it",
            path.display()
        );
    }
    None
}

/// The client context the AgentCore Gateway sends: the six documented `bedrockAgentCore*` keys.
pub fn gateway_client_context() -> Value {
    json!({"custom": {
        "bedrockAgentCoreMessageVersion": "1.0",
        "bedrockAgentCoreAwsRequestId": "5e1a5f4c-2f0e-4d6b-9a51-2b1f1d9c7e11",
        "bedrockAgentCoreMcpMessageId": "42",
        "bedrockAgentCoreGatewayId": "gw-0123456789",
        "bedrockAgentCoreTargetId": "TGT0123456",
        "bedrockAgentCoreToolName": "LambdaUsingSDK___get_order_tool",
    }})
}

/// An invocation of `event` with the Gateway's client context.
pub fn invocation(id: &str, event: Value, timeout: Duration) -> Invocation {
    Invocation::new(
        id,
        event,
        "arn:aws:lambda:us-east-1:123456789012:function:toolcontract-handler",
        timeout,
    )
    .with_client_context(gateway_client_context())
}

/// Whether a process with this pid still exists (a zombie counts as existing).
pub fn process_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Waits (at most `limit`) until the process is gone.
pub fn gone_within(pid: u32, limit: Duration) -> bool {
    let until = std::time::Instant::now() + limit;
    while process_exists(pid) {
        if std::time::Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// The resident set size of this process, in KiB.
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// Whether the process is running: it exists and is not a zombie (an orphan's zombie waits for
/// init, which in a container may never reap it).
pub fn running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                != Some("Z")
        }
        Err(_) => false,
    }
}

/// Waits (at most `limit`) until the process is no longer running.
pub fn dead_within(pid: u32, limit: Duration) -> bool {
    let until = std::time::Instant::now() + limit;
    while running(pid) {
        if std::time::Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// Whether `validator` rejects `value` with an error at `instance_path` from `schema_path`: one
/// of the errors it reports, or an error of a branch of an `anyOf`/`oneOf` it reports (an
/// invalid value breaking a wrapped property is named by the branch it was meant for).
pub fn reports(
    validator: &jsonschema::Validator,
    value: &Value,
    instance_path: &str,
    schema_path: &str,
) -> bool {
    fn within(error: &jsonschema::ValidationError<'_>, instance: &str, schema: &str) -> bool {
        use jsonschema::error::ValidationErrorKind;
        if error.instance_path().as_str() == instance && error.schema_path().as_str() == schema {
            return true;
        }
        match error.kind() {
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => context
                .iter()
                .flatten()
                .any(|inner| within(inner, instance, schema)),
            _ => false,
        }
    }
    validator
        .iter_errors(value)
        .any(|error| within(&error, instance_path, schema_path))
}
