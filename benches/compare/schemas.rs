//! The fixed set of schemas of the generation benchmark, read at bench time from
//! `tests/data/shared` (the tool corpus and the JSON-Schema-Test-Suite, draft 2020-12).

use std::path::Path;

use serde_json::Value;

/// Which schema of a file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Pick {
    /// The `inputSchema` of the tool with this name (`{"tools": [...]}` or an inlinePayload
    /// array).
    Tool(&'static str),
    /// The `schema` of the test-suite group with this description.
    Group(&'static str),
}

/// One schema of the set.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// The row label.
    pub(crate) id: &'static str,
    /// The file, relative to `tests/data/shared`.
    pub(crate) file: &'static str,
    pub(crate) pick: Pick,
}

/// Where the test-suite files are (the `file` of its entries starts with this).
const SUITE: &str = "json-schema-test-suite/tests/draft2020-12";

/// The set: real tool schemas first (the two named in the brief, the richest of the corpus, three
/// Gateway ones, one 2020-12 MCP conformance fixture), then one test-suite group per feature.
pub(crate) const SCHEMAS: &[Entry] = &[
    Entry {
        id: "tavily_search",
        file: "tool-corpus/mcp/tavily-mcp.json",
        pick: Pick::Tool("tavily_search"),
    },
    Entry {
        id: "github list_issues",
        file: "tool-corpus/mcp/github-mcp-server-toolsnaps.json",
        pick: Pick::Tool("list_issues"),
    },
    // The largest input schema of the corpus (anyOf, oneOf, nested objects).
    Entry {
        id: "github projects_write",
        file: "tool-corpus/mcp/github-mcp-server-toolsnaps.json",
        pick: Pick::Tool("projects_write"),
    },
    Entry {
        id: "kubectl_create",
        file: "tool-corpus/mcp/kubernetes-mcp.json",
        pick: Pick::Tool("kubectl_create"),
    },
    Entry {
        id: "firecrawl_scrape",
        file: "tool-corpus/mcp/firecrawl-mcp.json",
        pick: Pick::Tool("firecrawl_scrape"),
    },
    // $defs, $anchor, allOf/anyOf of required, if/then/else, additionalProperties false.
    Entry {
        id: "mcp json_schema_2020_12_tool",
        file: "tool-corpus/mcp/mcp-conformance-json-schema-fixtures.json",
        pick: Pick::Tool("json_schema_2020_12_tool"),
    },
    // The largest Gateway input schemas of the corpus.
    Entry {
        id: "gateway save_expense",
        file: "tool-corpus/gateway/receipts-idp-agent.json",
        pick: Pick::Tool("save_expense"),
    },
    Entry {
        id: "gateway create_claim",
        file: "tool-corpus/gateway/event-driven-claims-agent.json",
        pick: Pick::Tool("create_claim"),
    },
    Entry {
        id: "gateway create_booking",
        file: "tool-corpus/gateway/search-tools-restaurant-api.json",
        pick: Pick::Tool("create_booking"),
    },
    Entry {
        id: "suite if/then/else",
        file: "json-schema-test-suite/tests/draft2020-12/if-then-else.json",
        pick: Pick::Group("validate against correct branch, then vs else"),
    },
    Entry {
        id: "suite oneOf",
        file: "json-schema-test-suite/tests/draft2020-12/oneOf.json",
        pick: Pick::Group("oneOf complex types"),
    },
    Entry {
        id: "suite uniqueItems",
        file: "json-schema-test-suite/tests/draft2020-12/uniqueItems.json",
        pick: Pick::Group("uniqueItems validation"),
    },
    Entry {
        id: "suite pattern",
        file: "json-schema-test-suite/tests/draft2020-12/pattern.json",
        pick: Pick::Group("pattern validation"),
    },
    Entry {
        id: "suite format date-time",
        file: "json-schema-test-suite/tests/draft2020-12/optional/format/date-time.json",
        pick: Pick::Group("validation of date-time strings"),
    },
    Entry {
        id: "suite recursive $ref",
        file: "json-schema-test-suite/tests/draft2020-12/ref.json",
        pick: Pick::Group("Recursive references between schemas"),
    },
];

/// Loads every schema of the set from `data` (`tests/data/shared`).
pub(crate) fn load(data: &Path) -> Vec<(Entry, Value)> {
    SCHEMAS
        .iter()
        .map(|entry| {
            let path = data.join(entry.file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let document: Value = serde_json::from_str(&text).expect("JSON");
            let schema = match entry.pick {
                Pick::Tool(name) => tools(&document)
                    .iter()
                    .find(|t| t["name"] == name)
                    .map(|t| t["inputSchema"].clone()),
                Pick::Group(description) => document
                    .as_array()
                    .and_then(|groups| groups.iter().find(|g| g["description"] == description))
                    .map(|g| g["schema"].clone()),
            };
            let schema =
                schema.unwrap_or_else(|| panic!("{:?} is not in {}", entry.pick, entry.file));
            (*entry, schema)
        })
        .collect()
}

/// The tools of a definition file: `{"tools": [...]}` or an inlinePayload array.
pub(crate) fn tools(document: &Value) -> &[Value] {
    document
        .get("tools")
        .unwrap_or(document)
        .as_array()
        .map_or(&[], Vec::as_slice)
}

/// Where an entry comes from, for the table.
pub(crate) fn source(entry: &Entry) -> String {
    let file = entry
        .file
        .strip_prefix("tool-corpus/")
        .or_else(|| {
            entry
                .file
                .strip_prefix(SUITE)
                .map(|f| f.trim_start_matches('/'))
        })
        .unwrap_or(entry.file);
    match entry.pick {
        Pick::Tool(name) => format!("`{file}` `{name}`"),
        Pick::Group(description) => format!("`{file}` \"{description}\""),
    }
}
