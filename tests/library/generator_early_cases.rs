//! A tool's first generated cases (issue 16): the simplest value, then the edgy one, drawn
//! through the strategies, so they shrink and replay like any other case.

use std::sync::{Arc, Mutex};

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use toolcontract::{CheckName, Definition, Gateway};

fn gateway(known_good: Option<Value>) -> Gateway {
    described(known_good, "A tool")
}

/// The tool of [`gateway`], with its description.
fn described(known_good: Option<Value>, description: &str) -> Gateway {
    let mut schema = json!({
        "type": "object",
        "properties": {
            "a": {"type": "number"},
            "b": {"type": "number"},
            "unit": {"enum": ["mm", "cm", "km"]},
            "text": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "size": {"type": "integer", "minimum": 3},
            "note": {"type": "string", "maxLength": 2},
            "flag": {"type": "boolean"}
        },
        "required": ["a", "b", "unit", "text", "tags", "flag"]
    });
    if let Some(example) = known_good {
        schema["examples"] = json!([example]);
    }
    let tool = json!([{"name": "t", "description": description, "inputSchema": schema}]);
    Gateway::new(Definition::from_value("early.json", tool).unwrap())
        .unwrap()
        .cases(8)
}

/// The arguments of every call to the tool, in order, from a handler that fails when `fails`
/// says so.
fn run(gateway: Gateway, fails: fn(&Value) -> bool) -> (toolcontract::Report, Vec<Value>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let report = gateway.check(service_fn(move |event: LambdaEvent<Value>| {
        let record = Arc::clone(&record);
        async move {
            let name = event
                .context
                .client_context
                .as_ref()
                .and_then(|c| c.custom.get("bedrockAgentCoreToolName").cloned())
                .unwrap_or_default();
            if !name.ends_with("___t") {
                return Ok::<Value, Error>(
                    json!({"content": [{"text": "unknown tool"}], "isError": true}),
                );
            }
            record.lock().unwrap().push(event.payload.clone());
            if fails(&event.payload) {
                return Err(Error::from("the bug"));
            }
            Ok(json!({"content": [{"text": "ok"}]}))
        }
    }));
    let seen = seen.lock().unwrap().clone();
    (report, seen)
}

#[test]
fn the_first_case_is_the_simplest_value_the_second_the_edgy_one() {
    // A description naming values (`text`, 32: drawn now and then on other cases) changes
    // nothing in the edgy case: every seed of 40, where one literal in eight would show.
    let plain = (0..6).map(|seed| (seed, "A tool"));
    let naming = (0..40).map(|seed| (seed, "Counts `text` in `abc` up to 32 or 7 times."));
    for (seed, description) in plain.chain(naming) {
        let (report, seen) = run(described(None, description).seed(seed), |_| false);
        report.assert_ok();
        assert_eq!(
            seen[0],
            json!({"a": 0, "b": 0, "unit": "cm", "text": "", "tags": [""], "flag": false}),
            "seed {seed}: every required property at its simplest (the first enum member in \
             the canonical order), every optional one absent"
        );
        let edgy = &seen[1];
        let keys: Vec<&str> = edgy
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["a", "b", "flag", "note", "size", "tags", "text", "unit"],
            "seed {seed}: every optional property present: {edgy}"
        );
        for key in ["a", "b"] {
            let x = edgy[key].as_f64().unwrap();
            assert!(
                x.fract() != 0.0,
                "seed {seed}: {key} has a fraction: {edgy}"
            );
        }
        let size = edgy["size"].as_i64().unwrap();
        assert!(
            i32::try_from(size).is_err(),
            "seed {seed}: beyond 32 bits: {edgy}"
        );
        for text in [&edgy["text"], &edgy["note"], &edgy["tags"][0]] {
            let text = text.as_str().unwrap();
            assert!(!text.is_empty(), "seed {seed}: {edgy}");
            assert!(
                text.chars().all(|c| !c.is_ascii()),
                "seed {seed}: non-ASCII at every position: {edgy}"
            );
        }
        assert!(
            edgy["note"].as_str().unwrap().chars().count() <= 2,
            "{edgy}"
        );
    }
}

#[test]
fn known_good_cases_come_first_then_the_simplest() {
    let example = json!({"a": 1, "b": 2, "unit": "km", "text": "x", "tags": ["y"], "flag": true});
    let (report, seen) = run(gateway(Some(example.clone())), |_| false);
    report.assert_ok();
    assert_eq!(seen[0], example);
    assert_eq!(seen[1]["text"], json!(""));
    assert!(seen[1].get("size").is_none(), "{}", seen[1]);
    assert!(seen[2].get("size").is_some(), "{}", seen[2]);
}

#[test]
fn early_cases_replay_and_shrink_by_their_index_and_seed() {
    // Found on the simplest case: shown as it is (nothing simpler), and it replays.
    let (report, _) = run(gateway(None), |args| args["b"].as_f64() == Some(0.0));
    let finding = report
        .findings_of(CheckName::NoFunctionError)
        .next()
        .expect("found");
    assert_eq!(finding.case.index, 0);
    assert_eq!(finding.shrink_steps, 0);
    let token = finding.replay_token().to_string();
    let (replayed, seen) = run(gateway(None).replay(&token).unwrap(), |args| {
        args["b"].as_f64() == Some(0.0)
    });
    assert_eq!(seen[0], finding.case.input.arguments);
    assert_eq!(
        replayed.findings_of(CheckName::NoFunctionError).count(),
        1,
        "{token}"
    );

    // Found on the edgy case: shrunk from it, to a case that still fails.
    fn non_ascii(args: &Value) -> bool {
        args["text"].as_str().is_some_and(|t| !t.is_ascii())
    }
    let (report, _) = run(gateway(None), non_ascii);
    let finding = report
        .findings_of(CheckName::NoFunctionError)
        .next()
        .expect("found");
    assert_eq!(finding.case.index, 1);
    let shrunk = &finding.case.input.arguments;
    assert!(non_ascii(shrunk), "{shrunk}");
    assert!(
        shrunk.get("size").is_none(),
        "optional properties dropped: {shrunk}"
    );
    assert_eq!(
        shrunk["text"].as_str().unwrap().chars().count(),
        1,
        "{shrunk}"
    );
    let token = finding.replay_token().to_string();
    let (_, seen) = run(gateway(None).replay(&token).unwrap(), non_ascii);
    assert!(
        non_ascii(&seen[0]),
        "the replay sends the original edgy case: {}",
        seen[0]
    );
    assert!(seen[0].get("size").is_some(), "{}", seen[0]);
}

/// A tool with a required `enum` of six members and an array of distinct members of another.
fn enums() -> Gateway {
    let schema = json!({
        "type": "object",
        "properties": {
            "unit": {"enum": ["mm", "cm", "m", "km", "in", "ft"]},
            "days": {
                "type": "array",
                "items": {"enum": ["mon", "tue", "wed"]},
                "minItems": 3,
                "uniqueItems": true
            }
        },
        "required": ["unit", "days"]
    });
    let tool = json!([{"name": "t", "description": "A tool", "inputSchema": schema}]);
    Gateway::new(Definition::from_value("enums.json", tool).unwrap())
        .unwrap()
        .cases(16)
}

#[test]
fn the_cases_after_the_edgy_one_sweep_the_enum_members() {
    let mut units = std::collections::BTreeSet::new();
    for seed in 0..20 {
        let (report, seen) = run(enums().seed(seed), |_| false);
        report.assert_ok();
        // Cases 3 to 8 take the six members once each, member 0 (the simplest case's) last,
        // and the array of three distinct members still gets generated.
        let swept: Vec<&str> = seen[2..8]
            .iter()
            .map(|args| args["unit"].as_str().unwrap())
            .collect();
        let mut distinct = swept.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 6, "seed {seed}: {swept:?}");
        assert_eq!(swept[5], seen[0]["unit"], "seed {seed}: {swept:?}");
        units.insert(swept.join(","));
        assert!(
            seen.iter()
                .all(|args| args["days"].as_array().unwrap().len() == 3)
        );
    }
    assert_eq!(units.len(), 1, "the same order on every seed: {units:?}");

    // So a bug behind any one member is found within seven cases, on every seed, and its
    // finding replays.
    for seed in 0..20 {
        let (report, _) = run(enums().seed(seed), |args| args["unit"] == "km");
        let finding = report
            .findings_of(CheckName::NoFunctionError)
            .next()
            .expect("found");
        assert!(
            finding.case.index < 7,
            "seed {seed}: case {}",
            finding.case.index
        );
        assert_eq!(finding.case.input.arguments["unit"], "km");
        let token = finding.replay_token().to_string();
        let (replayed, seen) = run(enums().replay(&token).unwrap(), |args| args["unit"] == "km");
        assert_eq!(seen[0]["unit"], "km", "{token}");
        assert_eq!(replayed.findings_of(CheckName::NoFunctionError).count(), 1);
    }
}
