//! Response profiles: which rules a Gateway Lambda target's response must follow.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contracts::Contract;

/// Which response rules apply to a Gateway target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// `{"content": [{"text": ...}]}`, with `"isError": true` on failure (the default).
    #[default]
    Mcp,
    /// Any JSON value; an outputSchema applies to the whole value.
    Json,
}

impl Profile {
    /// The profile's name on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Mcp => "mcp",
            Profile::Json => "json",
        }
    }

    /// The contract schema responses must match.
    pub fn contract(self) -> Contract {
        match self {
            Profile::Mcp => Contract::GatewayResponseMcp,
            Profile::Json => Contract::GatewayResponseJson,
        }
    }

    /// Whether a response reports a failure.
    ///
    /// `mcp`: `"isError": true`. `json` has no standard error shape, so the common ones count:
    /// `"isError": true`, a numeric `statusCode` of 400 or more (API Gateway style), or a
    /// top-level `errorMessage` (the Lambda error style).
    pub fn is_error_response(self, body: &Value) -> bool {
        let is_error = body.get("isError") == Some(&Value::Bool(true));
        match self {
            Profile::Mcp => is_error,
            Profile::Json => {
                is_error
                    || body
                        .get("statusCode")
                        .and_then(Value::as_f64)
                        .is_some_and(|code| code >= 400.0)
                    || body.get("errorMessage").is_some()
            }
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mcp" => Ok(Profile::Mcp),
            "json" => Ok(Profile::Json),
            other => Err(format!("unknown profile `{other}` (profiles: mcp, json)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Profile;

    #[test]
    fn error_responses_per_profile() {
        assert!(Profile::Mcp.is_error_response(&json!({"content": [], "isError": true})));
        assert!(!Profile::Mcp.is_error_response(&json!({"content": [], "isError": false})));
        assert!(!Profile::Mcp.is_error_response(&json!({"statusCode": 500})));
        assert!(Profile::Json.is_error_response(&json!({"statusCode": 500, "body": "x"})));
        assert!(Profile::Json.is_error_response(&json!({"errorMessage": "x"})));
        assert!(!Profile::Json.is_error_response(&json!({"statusCode": 200})));
        assert!(!Profile::Json.is_error_response(&json!("plain text")));
        assert_eq!("json".parse::<Profile>(), Ok(Profile::Json));
        assert!("xml".parse::<Profile>().unwrap_err().contains("mcp, json"));
    }
}
