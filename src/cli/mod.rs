//! The `toolcontract` command line: argument parsing in [`args`], one module per command, and
//! the exit status decided here.

mod args;
mod check;
mod event;
mod harness;
mod junit;
mod lint;
mod output;
mod progress;
mod schema;
mod serve;
mod signals;
mod snapshot;

use clap::Parser;

use crate::errors::exit;

use args::{Cli, Command};

/// Runs the command line and returns the exit status.
pub(crate) fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `--help` and `--version` are not errors; every usage error is exit status 2.
            let code = if error.use_stderr() {
                exit::UNUSABLE
            } else {
                exit::OK
            };
            let _ = error.print();
            if let Some(hint) = forgotten_separator(&error) {
                output::note(&hint);
            }
            return code;
        }
    };
    let result = match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Event(args) => event::run(&args),
        Command::Check(args) => check::run(args),
        Command::Schema(args) => schema::run(&args),
        Command::Snapshot(args) => snapshot::run(&args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::error(&error.to_string());
            error.exit_code()
        }
    }
}

/// A hint when `check` or `snapshot` got its handler command without the `--` before it (clap
/// then calls the command an unexpected argument, or says the handler command is missing).
fn forgotten_separator(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let args: Vec<String> = std::env::args().skip(1).collect();
    let unexpected = match (error.kind(), error.get(ContextKind::InvalidArg)) {
        (ErrorKind::UnknownArgument, Some(ContextValue::String(arg))) => Some(arg.as_str()),
        (ErrorKind::MissingRequiredArgument, _) => None,
        _ => return None,
    };
    forgotten_separator_in(&args, unexpected)
}

/// [`forgotten_separator`] on the arguments themselves; `unexpected` is the argument clap did
/// not expect (`None`: the handler command was missing).
fn forgotten_separator_in(args: &[String], unexpected: Option<&str>) -> Option<String> {
    let command = args.iter().find(|a| !a.starts_with('-'))?;
    if args.iter().any(|a| a == "--") || !matches!(command.as_str(), "check" | "snapshot" | "serve")
    {
        return None;
    }
    Some(match unexpected {
        // A flag clap does not know is a misspelt flag, not a handler command.
        Some(arg) if arg.starts_with('-') => return None,
        Some(handler) => format!(
            "tip: put `--` before the handler command: `toolcontract {command} DEFINITION \
             [OPTIONS] -- {handler} ...`"
        ),
        None => format!(
            "tip: `{command}` needs the handler command after `--`, e.g. `toolcontract {command} \
             tools.json -- ./target/debug/my-handler`"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::forgotten_separator_in;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn a_handler_command_without_the_separator_gets_a_tip() {
        let words = args(&["check", "tools.json", "--cases", "3", "./handler"]);
        assert_eq!(
            forgotten_separator_in(&words, Some("./handler")).as_deref(),
            Some(
                "tip: put `--` before the handler command: `toolcontract check DEFINITION \
                 [OPTIONS] -- ./handler ...`"
            )
        );
        let tip = forgotten_separator_in(&args(&["snapshot", "tools.json"]), None).unwrap();
        assert!(
            tip.contains("needs the handler command after `--`"),
            "{tip}"
        );
        // With the separator, for another command, or for a misspelt flag: nothing.
        for (words, unexpected) in [
            (&["check", "tools.json", "--", "./handler"][..], Some("x")),
            (&["lint", "tools.json", "x"][..], Some("x")),
            (
                &["check", "tools.json", "--casse", "3"][..],
                Some("--casse"),
            ),
        ] {
            assert_eq!(forgotten_separator_in(&args(words), unexpected), None);
        }
    }
}
