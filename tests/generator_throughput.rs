//! Generation throughput on real tool schemas. Ignored by default (it measures, and only a
//! release build means anything):
//!
//! ```text
//! cargo test --release --test generator_throughput -- --ignored --nocapture
//! ```
//!
//! Values are drawn as a property test draws them: `new_tree` then `current`, one runner, fixed
//! seed. The floor asserted is far below what a release build does, so the test only catches a
//! collapse (e.g. a filter that starts rejecting most values).
#![allow(clippy::print_stdout)] // The figures printed here are the test's report.

use std::{path::Path, time::Instant};

use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::Value;
use toolcontract::generate::SchemaGenerator;

const DRAWS: usize = 200_000;
/// Values per second below which the test fails (release builds do several times more).
const FLOOR: f64 = 20_000.0;

fn tool_schema(file: &str, tool: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/shared/tool-corpus")
        .join(file);
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    let tools = document
        .get("tools")
        .and_then(Value::as_array)
        .or_else(|| document.as_array())
        .expect("tools")
        .clone();
    tools
        .into_iter()
        .find(|t| t["name"] == tool)
        .map(|t| t["inputSchema"].clone())
        .expect("the tool")
}

fn measure(label: &str, schema: &Value) -> f64 {
    let generator = SchemaGenerator::new(schema).expect("generates");
    let strategy = generator.strategy();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[1; 32]),
    );
    let mut bytes = 0usize;
    let start = Instant::now();
    for _ in 0..DRAWS {
        let value = strategy.new_tree(&mut runner).expect("value").current();
        // Use the value so the work is not optimized away.
        bytes += usize::from(value.is_object());
    }
    let per_second = DRAWS as f64 / start.elapsed().as_secs_f64();
    println!("{label}: {per_second:.0} values/s ({bytes} objects)");
    per_second
}

#[test]
#[ignore = "measures throughput; run in release with --ignored"]
fn typical_tool_schemas() {
    let cases = [
        ("gateway/fgac-datastore-tools.json", "search_tool"),
        (
            "gateway/search-tools-calc-api.json",
            "screen_credit_securities",
        ),
        (
            "mcp/github-mcp-server-toolsnaps.json",
            "create_pull_request",
        ),
        ("mcp/servers-google-maps.json", "maps_directions"),
    ];
    for (file, tool) in cases {
        let schema = tool_schema(file, tool);
        let rate = measure(&format!("{file} {tool}"), &schema);
        assert!(rate > FLOOR, "{file} {tool}: {rate:.0} values/s");
    }
}
