//! The events toolcontract sends for action groups: what an agent sends, checked against the
//! event contracts, encoded as the service encodes values, and deterministic per seed.

use crate::common;

use std::collections::BTreeSet;

use proptest::strategy::{Strategy, ValueTree};
use serde_json::{Value, json};
use toolcontract::{ActionGroup, Contract, Definition};

/// A function-details group whose functions the placeholder generator can handle.
fn bookings() -> ActionGroup {
    let definition = Definition::from_value(
        "bookings.json",
        json!({
            "actionGroupName": "Bookings",
            "functionSchema": {"functions": [
                {"name": "create_booking", "parameters": {
                    "date": {"type": "string", "required": true},
                    "guests": {"type": "integer", "required": true},
                    "budget": {"type": "number", "required": false},
                    "terrace": {"type": "boolean", "required": false}
                }},
                {"name": "list_bookings", "parameters": {
                    "since": {"type": "string", "required": false}
                }}
            ]}
        }),
    )
    .unwrap();
    ActionGroup::new(definition).unwrap()
}

/// An OpenAPI group with path, query and header parameters and a JSON body.
fn claims() -> ActionGroup {
    let text = "openapi: 3.0.0\npaths:\n  /claims/{claimId}/reminders:\n    post:\n      operationId: remind\n      description: d\n      responses: {}\n      parameters:\n        - {name: claimId, in: path, required: true, schema: {type: string}}\n        - {name: dryRun, in: query, schema: {type: boolean}}\n        - {name: X-Tenant, in: header, required: true, schema: {type: string}}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [documents]\n              properties:\n                documents: {type: string}\n                count: {type: integer}\n";
    ActionGroup::new(Definition::from_openapi_str("claims.yaml", text, "Claims").unwrap()).unwrap()
}

fn draw(strategy: &impl Strategy<Value = Value>, n: usize) -> Vec<Value> {
    let mut runner = common::deterministic_runner();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

fn assert_valid(contract: Contract, event: &Value) {
    let errors: Vec<String> = contract
        .validator()
        .iter_errors(event)
        .map(|e| format!("{e} at {}", e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{event}: {errors:#?}");
}

#[test]
fn function_events_match_the_contract_and_encode_every_value_as_a_string() {
    let group = bookings();
    let events = draw(&group.events("create_booking").unwrap(), 300);
    let mut optional_absent = false;
    let mut attributes = false;
    let mut prompt_attributes = false;
    let mut reordered = false;
    for event in &events {
        assert_valid(Contract::AgentsFunctionEvent, event);
        assert_eq!(event["actionGroup"], "Bookings");
        assert_eq!(event["function"], "create_booking");
        assert_eq!(event["agent"]["alias"], "TSTALIASID");
        assert_eq!(event["agent"]["version"], "DRAFT");
        assert_eq!(event["agent"]["id"].as_str().unwrap().len(), 10);
        let parameters = event["parameters"].as_array().unwrap();
        let names: Vec<&str> = parameters
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"date") && names.contains(&"guests"),
            "{event}"
        );
        optional_absent |= names.len() < 4;
        let mut sorted = names.clone();
        sorted.sort_unstable();
        reordered |= sorted != names;
        for parameter in parameters {
            let value = parameter["value"].as_str().unwrap();
            match parameter["type"].as_str().unwrap() {
                // Integers go beyond 64 bits signed (the generator tries u64::MAX too).
                "integer" => assert!(value.parse::<i128>().is_ok(), "{value}"),
                "number" => assert!(value.parse::<f64>().is_ok(), "{value}"),
                "boolean" => assert!(value == "true" || value == "false", "{value}"),
                "string" => {}
                other => panic!("{other}"),
            }
        }
        attributes |= !event["sessionAttributes"].as_object().unwrap().is_empty();
        prompt_attributes |= !event["promptSessionAttributes"]
            .as_object()
            .unwrap()
            .is_empty();
    }
    assert!(optional_absent && attributes && prompt_attributes && reordered);
}

#[test]
fn parameters_are_sometimes_left_out_when_none_is_required() {
    let events = draw(&bookings().events("list_bookings").unwrap(), 200);
    let shapes: BTreeSet<&str> = events
        .iter()
        .map(|e| match e.get("parameters") {
            None => "absent",
            Some(Value::Array(list)) if list.is_empty() => "empty",
            Some(_) => "given",
        })
        .collect();
    assert_eq!(shapes, BTreeSet::from(["absent", "empty", "given"]));
    for event in &events {
        assert_valid(Contract::AgentsFunctionEvent, event);
    }
}

#[test]
fn openapi_events_carry_the_template_and_the_body_properties() {
    let group = claims();
    let events = draw(&group.events("remind").unwrap(), 200);
    let mut query = false;
    for event in &events {
        assert_valid(Contract::AgentsOpenApiEvent, event);
        assert_eq!(event["apiPath"], "/claims/{claimId}/reminders");
        assert_eq!(event["httpMethod"], "POST");
        assert!(event.get("function").is_none());
        let names: BTreeSet<&str> = event["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains("claimId") && names.contains("X-Tenant"),
            "{event}"
        );
        query |= names.contains("dryRun");
        let properties = event["requestBody"]["content"]["application/json"]["properties"]
            .as_array()
            .unwrap();
        let names: Vec<&str> = properties
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names == ["documents"] || names == ["count", "documents"],
            "declared order, the required one always there: {event}"
        );
        for property in properties {
            assert!(property["value"].is_string(), "{event}");
            if property["name"] == "count" {
                assert_eq!(property["type"], "integer");
                assert!(property["value"].as_str().unwrap().parse::<i128>().is_ok());
            }
        }
    }
    assert!(query);
}

#[test]
fn the_invocation_of_known_arguments_is_exact() {
    let invocation = bookings()
        .invocation(
            "create_booking",
            &json!({"date": "2025-06-01", "guests": 4, "budget": 80.5, "terrace": true}),
            7,
        )
        .unwrap();
    let event = &invocation.event;
    assert_eq!(
        event["parameters"],
        json!([
            {"name": "budget", "type": "number", "value": "80.5"},
            {"name": "date", "type": "string", "value": "2025-06-01"},
            {"name": "guests", "type": "integer", "value": "4"},
            {"name": "terrace", "type": "boolean", "value": "true"}
        ])
    );
    assert_eq!(event["sessionAttributes"], json!({}));
    assert_eq!(event["messageVersion"], "1.0");
    assert!(invocation.client_context.is_none());
    assert_valid(Contract::AgentsFunctionEvent, event);

    let invocation = claims()
        .invocation(
            "remind",
            &json!({
                "parameters": {"claimId": "c-17", "X-Tenant": "acme"},
                "requestBody": {"documents": "id card", "count": 2}
            }),
            7,
        )
        .unwrap();
    assert_eq!(
        invocation.event["parameters"],
        json!([
            {"name": "claimId", "type": "string", "value": "c-17"},
            {"name": "X-Tenant", "type": "string", "value": "acme"}
        ])
    );
    assert_eq!(
        invocation.event["requestBody"],
        json!({"content": {"application/json": {"properties": [
            {"name": "count", "type": "integer", "value": "2"},
            {"name": "documents", "type": "string", "value": "id card"}
        ]}}})
    );
}

#[test]
fn samples_are_fixed_by_the_seed() {
    let a = bookings().samples("create_booking", 5).unwrap();
    let b = bookings().samples("create_booking", 5).unwrap();
    let c = bookings().seed(42).samples("create_booking", 5).unwrap();
    let events = |s: &[toolcontract::gateway::Sample]| -> Vec<Value> {
        s.iter().map(|s| s.invocation.event.clone()).collect()
    };
    assert_eq!(events(&a), events(&b));
    assert_ne!(events(&a), events(&c));
    assert_eq!(a.len(), 5);
    assert!(bookings().samples("nope", 1).is_err());
}

#[test]
fn the_arguments_strategy_is_the_decoded_one() {
    let arguments = draw(&bookings().arguments("create_booking").unwrap(), 50);
    for a in &arguments {
        assert!(a["guests"].is_i64() || a["guests"].is_u64(), "{a}");
        assert!(a["date"].is_string(), "{a}");
    }
}
