//! `toolcontract lint`: is this definition valid for the service, and can `check` run on it?

use serde::Serialize;

use toolcontract::definition::lint::{Diagnostic, Severity, lint_for_check};
use toolcontract::errors::exit;
use toolcontract::{Definition, Error};

use super::args::{LintArgs, LintFormat};
use super::output;

/// One diagnostic with its file, as the JSON format lists them.
#[derive(Serialize)]
struct Entry<'a> {
    file: String,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

pub(crate) fn run(args: &LintArgs) -> Result<i32, Error> {
    let mut unusable = false;
    let mut found: Vec<(String, Vec<Diagnostic>)> = Vec::new();
    for path in &args.definitions {
        let loaded = match &args.action_group {
            Some(name) => Definition::from_openapi_path(path, name),
            None => Definition::from_path(path),
        };
        match loaded {
            Ok(definition) => found.push((path.display().to_string(), lint_for_check(&definition))),
            Err(error) => {
                output::error(&error.to_string());
                unusable = true;
            }
        }
    }
    let all = || {
        found
            .iter()
            .flat_map(|(file, ds)| ds.iter().map(move |d| (file, d)))
    };
    let errors = all().filter(|(_, d)| d.severity == Severity::Error).count();
    let warnings = all()
        .filter(|(_, d)| d.severity == Severity::Warning)
        .count();
    let text = match args.format {
        LintFormat::Human => {
            let mut text = String::new();
            for (file, d) in all() {
                text.push_str(&format!(
                    "{file}:{}: {}[{}]: {}\n",
                    d.pointer,
                    d.severity.as_str(),
                    d.code,
                    d.message
                ));
            }
            text.push_str(&format!(
                "{errors} error(s), {warnings} warning(s) in {} file(s)\n",
                found.len()
            ));
            text
        }
        LintFormat::Json => {
            let entries: Vec<Entry<'_>> = all()
                .map(|(file, diagnostic)| Entry {
                    file: file.clone(),
                    diagnostic,
                })
                .collect();
            let mut json = serde_json::to_string_pretty(&entries)
                .map_err(|e| Error::Usage(format!("cannot serialize diagnostics: {e}")))?;
            json.push('\n');
            json
        }
    };
    output::stdout(&text)?;
    Ok(if unusable {
        exit::UNUSABLE
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
