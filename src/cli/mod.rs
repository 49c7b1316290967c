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
mod signals;
mod snapshot;

use clap::Parser;

use toolcontract::errors::exit;

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
            return code;
        }
    };
    let result = match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Event(args) => event::run(&args),
        Command::Check(args) => check::run(args),
        Command::Schema(args) => schema::run(&args),
        Command::Snapshot(args) => snapshot::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::error(&error.to_string());
            error.exit_code()
        }
    }
}
