//! Fixture handler: exits with status 7 before ever calling `/next`.

// A fixture: printing is part of what it is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

fn main() {
    eprintln!("rt_exit_at_start: missing configuration, exiting with status 7");
    std::process::exit(7);
}
