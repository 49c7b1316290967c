//! The bundled action-group examples: the correct handlers keep every check; the classic bugs
//! are reported by the one check they break, with a minimal case.

// The buggy handlers wrap the correct ones, which they load as modules of their own.
#[path = "../../examples/agents_fixed_action_group/handler.rs"]
mod fixed_action_group;
#[path = "../../examples/agents_substituted_api_path/handler.rs"]
mod substituted_api_path;

use fixed_action_group::bookings;
use substituted_api_path::claims;

use lambda_runtime::service_fn;
use toolcontract::report::render_report;
use toolcontract::{ActionGroup, CheckName, Report, Severity};

const BOOKINGS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/agents_bookings/action-group.json"
);
const CLAIMS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/agents_claims/openapi.yaml"
);

fn failed_checks(report: &Report) -> Vec<CheckName> {
    let mut checks: Vec<CheckName> = report.findings.iter().map(|f| f.check).collect();
    checks.dedup();
    checks
}

#[test]
fn the_bookings_handler_keeps_every_action_group_check() {
    let group = ActionGroup::from_path(BOOKINGS).unwrap().cases(128);
    assert_eq!(group.name(), "BookingsActionGroup");
    let report = group.check(service_fn(bookings::handler));
    report.assert_ok();
    // 3 functions x 128 cases + 16 undeclared-function cases.
    assert_eq!(report.totals.cases, 3 * 128 + 16);
    let checks: Vec<&str> = report.subjects[0]
        .checks
        .iter()
        .map(|c| c.check.as_str())
        .collect();
    assert_eq!(
        checks,
        [
            "no_function_error",
            "response_shape",
            "message_version",
            "echoes_action_group",
            "echoes_function",
            "session_attributes",
            "tool_reachable",
            "within_deadline",
            "response_size"
        ]
    );
    assert_eq!(report.run.profile, "function-details");
}

#[test]
fn a_hard_coded_action_group_is_reported_as_echoes_action_group() {
    let report = ActionGroup::from_path(BOOKINGS)
        .unwrap()
        .cases(32)
        .check(service_fn(fixed_action_group::handler));
    let text = render_report(&report, false);
    // Every function, and the undeclared-function probe (whose rejection never reaches the
    // agent either).
    let subjects = report.failed();
    assert_eq!(
        subjects,
        [
            ("get_booking", CheckName::EchoesActionGroup),
            ("create_booking", CheckName::EchoesActionGroup),
            ("cancel_booking", CheckName::EchoesActionGroup),
            ("(undeclared function)", CheckName::UnknownToolRejected),
        ],
        "{text}"
    );
    let finding = &report.findings[0];
    assert_eq!(finding.failing_cases, 32);
    assert_eq!(
        finding.message,
        "response.actionGroup is \"Bookings\" but the event's actionGroup is \
         \"BookingsActionGroup\": the agent would see \"ActionGroup in Lambda response doesn't \
         match input\" and the turn fails"
    );
    // Shrunk: empty session attributes, the required parameter only, emptied.
    let event = &finding.case.invocations[0].event;
    assert_eq!(event["sessionAttributes"], serde_json::json!({}));
    assert_eq!(
        event["parameters"],
        serde_json::json!([{"name": "booking_id", "type": "string", "value": ""}])
    );
    // One finding for the three functions (the same cause), one for the probe: an error and
    // a warning (the agent never sends an undeclared name).
    assert_eq!(report.findings.len(), 2);
    assert_eq!(
        report.findings[0].also,
        ["create_booking", "cancel_booking"]
    );
    assert_eq!(report.findings[0].severity, Severity::Error);
    assert_eq!(report.findings[1].severity, Severity::Warning);
    assert!(
        report.findings[1]
            .message
            .starts_with("the rejection of the undeclared function"),
        "{}",
        report.findings[1].message
    );
}

#[test]
fn the_claims_handler_keeps_every_openapi_check() {
    let group = ActionGroup::from_openapi_path(CLAIMS, "ClaimsActionGroup")
        .unwrap()
        .cases(128);
    let report = group.check(service_fn(claims::handler));
    report.assert_ok();
    let subjects: Vec<&str> = report.subjects.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "listOpenClaims",
            "getClaim",
            "sendReminder",
            "(undeclared operation)"
        ]
    );
    assert_eq!(report.run.profile, "openapi");
}

#[test]
fn a_substituted_api_path_is_reported_as_echoes_api_path() {
    let report = ActionGroup::from_openapi_path(CLAIMS, "ClaimsActionGroup")
        .unwrap()
        .cases(32)
        .check(service_fn(substituted_api_path::handler));
    // Only the operations with a path parameter.
    let subjects: Vec<&str> = report.findings.iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["getClaim", "sendReminder"],
        "{}",
        render_report(&report, false)
    );
    assert_eq!(failed_checks(&report), [CheckName::EchoesApiPath]);
    let finding = &report.findings[0];
    assert!(
        finding.message.contains(
            "but the event's apiPath is \"/claims/{claimId}\": the agent would see \"APIPath in \
             Lambda response doesn't match input\""
        ),
        "{}",
        finding.message
    );
    // Shrunk to the empty claim id: the path the handler sent is `/claims/`.
    assert_eq!(
        finding.case.answers[0].outcome.response().unwrap()["response"]["apiPath"],
        "/claims/"
    );
}
