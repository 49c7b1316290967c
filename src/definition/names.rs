//! Gateway tool names: `<target>___<tool>`, written and split in this one place.

/// The separator between the target name and the tool name (three underscores).
pub const SEPARATOR: &str = "___";

/// The name a Gateway passes in `bedrockAgentCoreToolName` for `tool` behind `target`.
pub fn qualified(target: &str, tool: &str) -> String {
    let mut s = String::with_capacity(target.len() + SEPARATOR.len() + tool.len());
    s.push_str(target);
    s.push_str(SEPARATOR);
    s.push_str(tool);
    s
}

/// Splits `<target>___<tool>` at the FIRST separator, as a handler should: target names never
/// contain an underscore (they match `([0-9a-zA-Z][-]?){1,100}`), tool names may.
pub fn split(qualified: &str) -> Option<(&str, &str)> {
    qualified.split_once(SEPARATOR)
}

/// Whether `name` is a valid Gateway target name: the `targetName` rule of the
/// `gateway-create-target-request` contract, `([0-9a-zA-Z][-]?){1,100}`.
pub fn is_valid_target_name(name: &str) -> bool {
    target_name_validator().is_some_and(|v| v.is_valid(&serde_json::Value::from(name)))
}

/// The contract's `targetName` definition, compiled once.
fn target_name_validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: std::sync::OnceLock<Option<jsonschema::Validator>> =
        std::sync::OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema = crate::Contract::GatewayCreateTargetRequest
                .schema()
                .pointer("/$defs/targetName")?;
            jsonschema::draft202012::options().build(schema).ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_takes_the_first_separator() {
        assert_eq!(
            split("LambdaUsingSDK___get_order_tool"),
            Some(("LambdaUsingSDK", "get_order_tool"))
        );
        assert_eq!(split("t___a___b"), Some(("t", "a___b")));
        assert_eq!(split("no-separator"), None);
        assert_eq!(qualified("orders", "get__x"), "orders___get__x");
    }

    #[test]
    fn target_names_follow_the_service_pattern() {
        for ok in ["a", "orders", "my-target", "a-b-c-", "A1-2"] {
            assert!(is_valid_target_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a--b", "my_target", "a b", &"a".repeat(101)] {
            assert!(!is_valid_target_name(bad), "{bad}");
        }
    }
}
