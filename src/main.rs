//! The `toolcontract` command line.

fn main() {
    #[allow(clippy::print_stdout)]
    {
        println!(
            "toolcontract: contract tests for Lambda tool handlers (commands: lint, event, check, schema)"
        );
    }
}
