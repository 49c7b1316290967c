//! The bundled example handlers under snapshot review: their output is committed under
//! `snapshots/<example>/<tool>.snap`, so a change in what they answer shows in review.
//!
//! A mismatch fails the test and, on a developer machine, leaves `<tool>.snap.new` files for
//! `cargo insta review`; on CI (`CI` set) nothing is written. When the generator changes the
//! cases (new boundary values, different seeded values), accept the new snapshots with
//! `INSTA_UPDATE=always cargo test --test snapshot_examples` and review the diff.

#[path = "../../examples/agents_bookings/handler.rs"]
mod bookings;
#[path = "../../examples/calculator/handler.rs"]
mod calculator;
#[path = "../../examples/agents_claims/handler.rs"]
mod claims;

use lambda_runtime::service_fn;
use toolcontract::snapshot::SnapshotSettings;
use toolcontract::{ActionGroup, Gateway};

const CALCULATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/calculator/tools.json"
);
const BOOKINGS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/agents_bookings/action-group.json"
);
const CLAIMS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/agents_claims/openapi.yaml"
);

#[test]
fn the_calculator_output_is_under_review() {
    let gateway = Gateway::from_path(CALCULATOR).unwrap();
    toolcontract::assert_tool_snapshots!(
        gateway,
        service_fn(calculator::handler),
        SnapshotSettings::new().snapshot_dir("snapshots/calculator")
    );
}

#[test]
fn the_bookings_action_group_output_is_under_review() {
    let group = ActionGroup::from_path(BOOKINGS).unwrap();
    toolcontract::assert_tool_snapshots!(
        group,
        service_fn(bookings::handler),
        SnapshotSettings::new().snapshot_dir("snapshots/agents_bookings")
    );
}

#[test]
fn the_claims_openapi_action_group_output_is_under_review() {
    let group = ActionGroup::from_openapi_path(CLAIMS, "ClaimsActionGroup").unwrap();
    toolcontract::assert_tool_snapshots!(
        group,
        service_fn(claims::handler),
        SnapshotSettings::new().snapshot_dir("snapshots/agents_claims")
    );
}
