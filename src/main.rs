//! The `toolcontract` command: see `toolcontract --help`.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
