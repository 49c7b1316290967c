//! Every real definition in the shared tool corpus (`tool-corpus/gateway`, `tool-corpus/mcp`)
//! loads, and the lint results per file are pinned as a snapshot, so that a change to a contract
//! or a rule shows as a reviewable diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use toolcontract::definition::{Definition, DefinitionErrorKind, DefinitionKind};
use toolcontract::lint::{Severity, lint};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shared/tool-corpus");

fn corpus_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(CORPUS).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
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

/// Corpus files that must NOT load, each with the reason and the error it must give.
const XFAIL: &[(&str, &str)] = &[(
    "mcp-spec-2026-07-28-tool-examples.json",
    "six specification examples concatenated; two of them declare `calculate_sum`, and a \
     definition must not declare a tool name twice",
)];

fn summarize(dir: &str) -> (BTreeMap<String, FileSummary>, usize) {
    let mut summaries = BTreeMap::new();
    let mut tools = 0;
    for path in corpus_files(dir) {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if XFAIL.iter().any(|(name, _)| *name == file_name) {
            continue;
        }
        let definition = Definition::from_path(&path)
            .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
        tools += definition.tools.len();
        let mut summary = FileSummary {
            kind: definition.kind,
            tools: definition.tools.len(),
            errors: BTreeMap::new(),
            warnings: BTreeMap::new(),
        };
        for diagnostic in lint(&definition) {
            let counts = match diagnostic.severity {
                Severity::Error => &mut summary.errors,
                _ => &mut summary.warnings,
            };
            *counts.entry(diagnostic.code.as_str()).or_default() += 1;
        }
        summaries.insert(file_name, summary);
    }
    (summaries, tools)
}

#[test]
#[allow(clippy::print_stderr)]
fn every_gateway_corpus_file_loads_and_its_lint_summary_is_pinned() {
    let (summaries, tools) = summarize("gateway");
    assert_eq!(summaries.len(), 28);
    assert_eq!(
        tools, 213,
        "tools in tool-corpus/gateway (SOURCES.md says 213)"
    );
    assert_eq!(
        summaries["customer-support-vpc-cfn.json"].kind,
        DefinitionKind::CloudFormationInlinePayload
    );
    eprintln!("{}", serde_json::to_string_pretty(&summaries).unwrap());
    insta::assert_json_snapshot!("gateway_corpus_lint_summary", summaries);
}

#[test]
#[allow(clippy::print_stderr)]
fn every_mcp_corpus_file_loads_and_its_lint_summary_is_pinned() {
    let (summaries, tools) = summarize("mcp");
    // 23 files, one of them in XFAIL (its 6 tools are among SOURCES.md's 256).
    assert_eq!(summaries.len(), 22);
    assert_eq!(tools, 250, "tools in tool-corpus/mcp that load");
    assert!(
        summaries
            .values()
            .all(|s| s.kind == DefinitionKind::McpToolsList)
    );
    eprintln!("{}", serde_json::to_string_pretty(&summaries).unwrap());
    insta::assert_json_snapshot!("mcp_corpus_lint_summary", summaries);
}

#[test]
fn the_xfail_corpus_files_fail_as_expected() {
    let path = Path::new(CORPUS).join("mcp").join(XFAIL[0].0);
    let error = Definition::from_path(&path).unwrap_err();
    assert_eq!(error.pointer.as_str(), "/tools/3/name");
    assert_eq!(
        error.kind,
        DefinitionErrorKind::DuplicateTool {
            name: "calculate_sum".to_owned(),
            first: toolcontract::JsonPointer::parse("/tools/2").unwrap(),
        }
    );
}
