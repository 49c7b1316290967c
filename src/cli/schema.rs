//! `toolcontract schema`: print an embedded contract.

use crate::errors::exit;
use crate::{Contract, Error};

use super::args::SchemaArgs;
use super::output;

pub(crate) fn run(args: &SchemaArgs) -> Result<i32, Error> {
    if args.list {
        let mut text = String::new();
        for contract in Contract::ALL {
            let title = contract.schema()["title"].as_str().unwrap_or_default();
            text.push_str(&format!("{:<34} {title}\n", contract.name()));
        }
        output::stdout(&text)?;
        return Ok(exit::OK);
    }
    let name = args.name.as_deref().unwrap_or_default();
    let contract = Contract::from_name(name).ok_or_else(|| {
        Error::Usage(format!(
            "unknown contract `{name}`; the embedded contracts are: {}",
            Contract::ALL
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    output::stdout(contract.text())?;
    Ok(exit::OK)
}
