//! Fixture handler: exits with status 7 before ever calling `/next`.

fn main() {
    eprintln!("rt_exit_at_start: missing configuration, exiting with status 7");
    std::process::exit(7);
}
