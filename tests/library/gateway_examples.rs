//! The bundled examples: the correct calculator keeps every Gateway check; the classic bug
//! (tool name read from the event) is reported as `tool_reachable` with a minimal case.

#[path = "../../examples/calculator/handler.rs"]
mod calculator;
#[path = "../../examples/tool_name_from_event/handler.rs"]
mod tool_name_from_event;

use lambda_runtime::service_fn;
use toolcontract::{CheckName, Gateway};

const TOOLS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);

#[test]
fn the_calculator_keeps_every_gateway_check() {
    let report = Gateway::from_path(TOOLS)
        .unwrap()
        .cases(256)
        .check(service_fn(calculator::handler));
    report.assert_ok();
    // 3 tools x 256 cases + 16 undeclared-tool cases.
    assert_eq!(report.totals.cases, 3 * 256 + 16);
    assert_eq!(report.subjects.len(), 4);
}

#[test]
fn the_classic_bug_is_reported_as_tool_reachable_with_a_minimal_case() {
    let report = Gateway::from_path(TOOLS)
        .unwrap()
        .cases(256)
        .check(service_fn(tool_name_from_event::handler));
    assert!(!report.is_ok());
    let reachable: Vec<_> = report.findings_of(CheckName::ToolReachable).collect();
    // One finding for the three tools: the same cause, one minimal case.
    assert_eq!(reachable.len(), 1);
    let tools: Vec<&str> = reachable[0].subjects().collect();
    assert_eq!(tools, ["add", "divide", "get_order"]);
    assert_eq!(reachable[0].failing_cases, reachable[0].cases_run);
    assert_eq!(reachable[0].cases_run, 256);
    assert!(
        reachable[0]
            .message
            .contains("the same as the answers to names the definition does not declare"),
        "{}",
        reachable[0].message
    );
    // Shrunk: the numbers moved to zero.
    let add = &reachable[0].case.invocations[0].event;
    assert_eq!(add["a"].as_f64(), Some(0.0), "{add}");
    assert_eq!(add["b"].as_f64(), Some(0.0), "{add}");
    // The finding names the tool as the Gateway sent it.
    let context = reachable[0].case.invocations[0]
        .client_context
        .as_ref()
        .unwrap()
        .to_value();
    assert_eq!(
        context["custom"]["bedrockAgentCoreToolName"],
        "toolcontract-target___add"
    );
    // Nothing else is wrong with it: every other check held.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.check == CheckName::ToolReachable),
        "{}",
        toolcontract::report::render_report(&report, false)
    );
    let text = toolcontract::report::render_report(&report, false);
    assert!(
        text.contains("FAIL  tool_reachable  add  (256 of 256 cases)"),
        "{text}"
    );
    assert!(
        text.contains("tool name  toolcontract-target___add"),
        "{text}"
    );
}

// The README's example of a property over a tool's public argument strategy.
proptest::proptest! {
    #[test]
    fn add_is_commutative(args in Gateway::from_path(TOOLS).unwrap().arguments("add").unwrap()) {
        let (a, b) = (args["a"].as_f64().unwrap(), args["b"].as_f64().unwrap());
        proptest::prop_assert_eq!(a + b, b + a);
    }
}
