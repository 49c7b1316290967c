//! Every real action group in the shared tool corpus (`tool-corpus/agents`) loads, and the lint
//! results per file are pinned as a snapshot, so that a change to a contract or a rule shows as
//! a reviewable diff.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use toolcontract::definition::{Definition, DefinitionKind};
use toolcontract::lint::{Severity, lint};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/shared/tool-corpus/agents"
);

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap_or_else(|e| panic!("{CORPUS}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[derive(Serialize)]
struct FileSummary {
    kind: DefinitionKind,
    tools: usize,
    errors: BTreeMap<&'static str, usize>,
    warnings: BTreeMap<&'static str, usize>,
}

#[test]
#[allow(clippy::print_stderr)]
fn every_agents_corpus_file_loads_and_its_lint_summary_is_pinned() {
    let mut summaries = BTreeMap::new();
    let mut diagnostics = BTreeMap::new();
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let definition = Definition::from_path(&path)
            .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
        let mut summary = FileSummary {
            kind: definition.kind,
            tools: definition.tools.len(),
            errors: BTreeMap::new(),
            warnings: BTreeMap::new(),
        };
        for tool in &definition.tools {
            // The derived input schemas are valid JSON Schema (2020-12).
            jsonschema::draft202012::options()
                .build(&tool.input_schema)
                .unwrap_or_else(|e| panic!("{name}: tool {}: {e}", tool.name));
        }
        let found = lint(&definition);
        for diagnostic in &found {
            let counts = match diagnostic.severity {
                Severity::Error => &mut summary.errors,
                _ => &mut summary.warnings,
            };
            *counts.entry(diagnostic.code.as_str()).or_default() += 1;
        }
        diagnostics.insert(
            name.clone(),
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        );
        summaries.insert(name, summary);
    }
    eprintln!("{}", serde_json::to_string_pretty(&diagnostics).unwrap());
    assert_eq!(summaries.len(), 24);
    let functions: usize = summaries
        .values()
        .filter(|s| s.kind == DefinitionKind::ActionGroupFunctions)
        .map(|s| s.tools)
        .sum();
    let operations: usize = summaries
        .values()
        .filter(|s| s.kind == DefinitionKind::ActionGroupOpenApi)
        .map(|s| s.tools)
        .sum();
    // SOURCES.md: 12 functionSchema files with 28 functions, 12 apiSchema files with 31
    // operations.
    assert_eq!((functions, operations), (28, 31));
    insta::assert_json_snapshot!("agents_corpus_lint_summary", summaries);
}
