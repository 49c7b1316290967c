//! `toolcontract lint`: is this definition valid for the service, and can `check` run on it?

use serde::Serialize;

use crate::errors::exit;
use crate::lint::{Diagnostic, Severity, lint_for_check};
use crate::{Definition, Error};

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
    let mut listings = String::new();
    let selection = args.selection();
    for path in &args.definitions {
        match Definition::from_path_selecting(path, &selection) {
            Ok(definition) => {
                listings.push_str(&template_listing(&definition));
                // A definition from a `cdk.out` directory names its own template file.
                let file = if definition.resource.is_some() {
                    definition.source.display().to_string()
                } else {
                    path.display().to_string()
                };
                found.push((file, lint_for_check(&definition)));
                // An interceptor definition's targets in files of their own, each as itself.
                for target in definition.interceptor.iter().flat_map(|d| &d.targets) {
                    if target.base.is_root() {
                        let file = target.definition.source.display().to_string();
                        found.push((file, lint_for_check(&target.definition)));
                    }
                }
            }
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
            let mut text = listings;
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
            // Standard output stays one JSON document.
            if !listings.is_empty() {
                output::note(listings.trim_end());
            }
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

/// What a template holds and which candidate was picked; nothing for other definitions.
fn template_listing(definition: &Definition) -> String {
    let Some(resource) = &definition.resource else {
        return String::new();
    };
    let mut text = format!(
        "{}: CloudFormation template: {} tool definition(s) found; linting {}\n",
        definition.source.display(),
        resource.candidates.len(),
        resource.logical_id
    );
    for candidate in &resource.candidates {
        let marker = if candidate.picked { "*" } else { "-" };
        text.push_str(&format!("  {marker} {candidate}\n"));
    }
    if let Some(unresolved) = &resource.unresolved_target_name {
        text.push_str(&format!(
            "  note: the target name is not known before deployment (`{}` at {}: {}); `check` \
             builds tool names with `{}` unless --target-name gives the deployed one\n",
            unresolved.function,
            unresolved.pointer,
            unresolved.reason,
            crate::gateway::DEFAULT_TARGET_NAME
        ));
    }
    text
}
