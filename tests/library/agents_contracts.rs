//! The action-group contracts: each cites its sources, their `x-checks` name real checks, and
//! they accept the documented examples.

use serde_json::json;
use toolcontract::{CheckName, Contract};

const AGENTS: [Contract; 6] = [
    Contract::AgentsCreateActionGroupRequest,
    Contract::AgentsOpenApiDocument,
    Contract::AgentsFunctionEvent,
    Contract::AgentsFunctionResponse,
    Contract::AgentsOpenApiEvent,
    Contract::AgentsOpenApiResponse,
];

#[test]
fn every_agents_contract_cites_its_source() {
    for contract in AGENTS {
        let description = contract.schema()["description"].as_str().unwrap();
        assert!(
            description.contains("botocore model `bedrock-agent` 2023-06-05")
                || description.contains("Bedrock user guide"),
            "{}",
            contract.name()
        );
        assert!(contract.name().starts_with("agents-"));
    }
}

#[test]
fn x_checks_name_real_checks() {
    for contract in [
        Contract::AgentsFunctionResponse,
        Contract::AgentsOpenApiResponse,
    ] {
        let routes = contract.schema()["x-checks"].as_object().unwrap();
        for (pointer, check) in routes {
            assert!(pointer.starts_with('/'), "{pointer}");
            check.as_str().unwrap().parse::<CheckName>().unwrap();
        }
    }
}

#[test]
fn the_documented_examples_are_valid() {
    // contract-facts.md, section 3.
    let function_event = json!({"messageVersion":"1.0",
        "agent":{"name":"a","id":"ABCDEFGHIJ","alias":"TSTALIASID","version":"DRAFT"},
        "inputText":"hi","sessionId":"s","actionGroup":"g","function":"f",
        "parameters":[{"name":"n","type":"number","value":"42"}],
        "sessionAttributes":{"k":"v"},"promptSessionAttributes":{"k":"v"}});
    assert!(
        Contract::AgentsFunctionEvent
            .validator()
            .is_valid(&function_event)
    );
    let function_response = json!({"messageVersion":"1.0",
        "response":{"actionGroup":"g","function":"f",
          "functionResponse":{"responseState":"REPROMPT",
            "responseBody":{"TEXT":{"body":"text"}}}},
        "sessionAttributes":{},"promptSessionAttributes":{},"knowledgeBasesConfiguration":[]});
    assert!(
        Contract::AgentsFunctionResponse
            .validator()
            .is_valid(&function_response)
    );
    let api_response = json!({"messageVersion":"1.0",
        "response":{"actionGroup":"g","apiPath":"/a/{id}","httpMethod":"GET","httpStatusCode":200,
          "responseBody":{"application/json":{"body":"{}"}}}});
    assert!(
        Contract::AgentsOpenApiResponse
            .validator()
            .is_valid(&api_response)
    );
    // Only TEXT is a function response body key.
    let mut wrong = function_response.clone();
    wrong["response"]["functionResponse"]["responseBody"] = json!({"JSON": {"body": "{}"}});
    assert!(
        !Contract::AgentsFunctionResponse
            .validator()
            .is_valid(&wrong)
    );
    // The signature rule: a built-in group has no description.
    let request =
        json!({"actionGroupName": "ask", "parentActionGroupSignature": "AMAZON.UserInput"});
    assert!(
        Contract::AgentsCreateActionGroupRequest
            .validator()
            .is_valid(&request)
    );
    let mut with_description = request.clone();
    with_description["description"] = json!("asks the user");
    assert!(
        !Contract::AgentsCreateActionGroupRequest
            .validator()
            .is_valid(&with_description)
    );
}
