//! `toolcontract lint`: is this definition valid for the service?

use toolcontract::errors::exit;
use toolcontract::{Definition, Error};

use super::args::LintArgs;
use super::output;

pub(crate) fn run(args: &LintArgs) -> Result<i32, Error> {
    let mut code = exit::OK;
    for path in &args.definitions {
        match Definition::from_path(path) {
            Ok(definition) => output::stdout(&format!(
                "{}: {} tools\n",
                path.display(),
                definition.tools.len()
            ))?,
            Err(error) => {
                output::error(&error.to_string());
                code = exit::UNUSABLE;
            }
        }
    }
    Ok(code)
}
