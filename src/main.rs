//! The `toolcontract` command: see `toolcontract --help`. The command line lives in the
//! library (behind the `cli` feature), so that what only it uses stays crate-private.

fn main() {
    std::process::exit(toolcontract::_cli::main());
}
