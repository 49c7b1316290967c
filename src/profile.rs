//! Response profiles: which rules a Gateway Lambda target's answer must follow, and the
//! assumptions about what the Gateway does with it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::contracts::Contract;

/// Which response rules apply to a Gateway target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Profile {
    /// What the agent receives (the default). Any JSON object works: the Gateway wraps it,
    /// whole, in one text block (`contract-facts.md` section 1). An answer that attempts the
    /// MCP shape (`content`, `isError`) must get it right; an answer that is not an object
    /// (a string, a number) is not known to be accepted and gets a warning.
    #[default]
    Gateway,
    /// The strict convention: the Lambda answers an MCP result itself,
    /// `{"content": [{"text": ...}]}`, with `"isError": true` on failure.
    Mcp,
    /// Any JSON value; an outputSchema applies to the whole value.
    Json,
}

impl Profile {
    /// Every profile, as the command line lists them.
    pub const ALL: [Profile; 3] = [Profile::Gateway, Profile::Mcp, Profile::Json];

    /// The profile's name on the command line, in the configuration and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Gateway => "gateway",
            Profile::Mcp => "mcp",
            Profile::Json => "json",
        }
    }

    /// The contract schema answers are held against, if the profile has one.
    pub fn contract(self) -> Option<Contract> {
        match self {
            Profile::Gateway | Profile::Mcp => Some(Contract::GatewayResponseMcp),
            Profile::Json => None,
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown profile name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile `{0}` (profiles: gateway, mcp, json)")]
pub struct UnknownProfile(pub String);

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

/// What `toolcontract` assumes where the evidence runs out (`contract-facts.md` section 1,
/// "UNKNOWN"). Each is stated in the report, and switchable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assumptions {
    /// Whether the Gateway passes an answer shaped as an MCP result (`{"content": [...],
    /// "isError": true}`) through to the client as that result, rather than wrapping it as
    /// text like any other JSON. No captured output shows either; `true` (the default) is the
    /// convention this project's users asked for. The `mcp` profile always assumes it.
    pub mcp_passthrough: bool,
}

impl Assumptions {
    /// These assumptions with `mcp_passthrough` set.
    #[must_use]
    pub fn with_mcp_passthrough(mut self, passthrough: bool) -> Self {
        self.mcp_passthrough = passthrough;
        self
    }
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            mcp_passthrough: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Profile;

    #[test]
    fn profiles_parse_by_name() {
        for profile in Profile::ALL {
            assert_eq!(profile.as_str().parse::<Profile>(), Ok(profile));
        }
        assert_eq!(Profile::default(), Profile::Gateway);
        let err = "xml".parse::<Profile>().unwrap_err().to_string();
        assert!(err.contains("gateway, mcp, json"), "{err}");
    }
}
