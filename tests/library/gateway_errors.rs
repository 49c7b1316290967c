//! Unusable definitions give an error naming the file and the JSON Pointer, never a panic.

use std::path::Path;

use toolcontract::errors::{SchemaError, SchemaProblem};
use toolcontract::generate::GenerateErrorKind;
use toolcontract::{Error, Gateway};

fn data(name: &str) -> String {
    format!("{}/tests/data/gateway/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn schema_error(path: &str) -> SchemaError {
    match Gateway::from_path(path) {
        Err(Error::Schema(error)) => *error,
        other => panic!("expected a schema error, got {other:?}"),
    }
}

#[test]
fn a_schema_that_is_not_json_schema_names_file_and_pointer() {
    let error = schema_error(&data("invalid-schema.json"));
    assert_eq!(error.tool, "broken");
    assert!(error.file.ends_with("invalid-schema.json"));
    assert!(
        error.pointer.as_str().starts_with("/1/inputSchema"),
        "{}",
        error.pointer
    );
    assert!(matches!(
        error.problem,
        SchemaProblem::Generate(GenerateErrorKind::InvalidSchema(_))
    ));
    let text = Error::from(error).to_string();
    assert!(
        text.contains("invalid-schema.json: at /1/inputSchema"),
        "{text}"
    );
}

#[test]
fn an_unsupported_pattern_names_the_keyword_and_its_pointer() {
    let error = schema_error(&data("backreference.json"));
    assert_eq!(
        error.pointer.as_str(),
        "/0/inputSchema/properties/word/pattern"
    );
    match &error.problem {
        SchemaProblem::Generate(GenerateErrorKind::UnsupportedPattern { pattern, .. }) => {
            assert_eq!(pattern, "^(a+)b\\1$");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pointers_into_cloudformation_casing_use_the_file_s_own_keys() {
    // The schema is converted to camelCase when loaded; the error points into the file.
    let error = schema_error(&data("cloudformation-backreference.json"));
    assert_eq!(
        error.pointer.as_str(),
        "/0/InputSchema/Properties/word/pattern"
    );
}

#[test]
fn an_unsatisfiable_required_property_is_refused_with_its_pointer() {
    let definition = toolcontract::Definition::from_value(
        "inline.json",
        serde_json::json!([{
            "name": "never",
            "description": "n must be at least 5 and at most 1",
            "inputSchema": {
                "type": "object",
                "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 1}},
                "required": ["n"]
            }
        }]),
    )
    .unwrap();
    let Err(Error::Schema(error)) = Gateway::new(definition) else {
        panic!("expected a schema error")
    };
    assert!(
        error
            .pointer
            .as_str()
            .starts_with("/0/inputSchema/properties/n"),
        "{}",
        error.pointer
    );
    assert!(matches!(
        error.problem,
        SchemaProblem::Generate(GenerateErrorKind::Unsatisfiable(_))
    ));
}

#[test]
fn unreadable_and_foreign_files_are_definition_errors() {
    let missing = Gateway::from_path("does/not/exist.json").unwrap_err();
    assert!(matches!(missing, Error::Definition(_)));
    assert!(
        missing.to_string().contains("does/not/exist.json"),
        "{missing}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "[{\"name\": 1,").unwrap();
    let malformed = Gateway::from_path(&path).unwrap_err();
    assert!(
        malformed.to_string().contains("malformed JSON at line 1"),
        "{malformed}"
    );
    assert!(Path::new(&path).exists());
}
