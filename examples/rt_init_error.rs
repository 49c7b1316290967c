//! Fixture handler: reports an init error to `/runtime/init/error` (as the Python and Node
//! runtimes do when the handler module fails to load), then exits with status 1.

// A fixture: printing is part of what it is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "rt_support/raw.rs"]
mod raw;

fn main() {
    eprintln!("rt_init_error: TABLE_NAME is not set");
    let reply = raw::request(
        "POST",
        "/2018-06-01/runtime/init/error",
        &[("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigError")],
        br#"{"errorType":"Runtime.ConfigError","errorMessage":"TABLE_NAME is not set"}"#,
    );
    eprintln!("rt_init_error: the Runtime API answered {}", reply.status);
    std::process::exit(1);
}
