//! `toolcontract snapshot`: every tool's output as insta snapshots, for a handler process in
//! any language.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::Error;
use crate::errors::exit;
use crate::handler::runtime_api::{ProcessConfig, ProcessHandler, adopt_orphans, reap_orphans};
use crate::report::terminal_safe_lines;
use crate::snapshot::{
    self, Comparison, Mode, SnapshotSettings, Stored, Written, is_ci, render_comparison,
};

use super::args::SnapshotArgs;
use super::check::interrupted;
use super::harness::{self, Harness, Settings};
use super::{output, signals};

pub(crate) fn run(args: &SnapshotArgs) -> Result<i32, Error> {
    signals::install()?;
    // Daemons a handler leaves behind (fork twice, `setsid()`) become ours, to be ended below.
    adopt_orphans();
    let config = harness::config(args.settings.config.as_deref(), &args.definition)?;
    let harness = Harness::load(&args.definition, &args.case.selection(), config.as_ref())?
        .configure(&Settings {
            seed: args.case.seed.map(|s| s.0),
            timeout: args.timeout_ms.map(Duration::from_millis),
            tools: &args.tools,
            target_name: args.case.target_name.as_deref(),
            profile: args.profile.map(Into::into),
            mcp_passthrough: args.settings.mcp_passthrough,
            interceptor: args.case.interceptor.as_deref(),
            ..Settings::default()
        })?;
    let mut settings = SnapshotSettings::new().generated(args.generated);
    for path in &args.redact {
        settings = settings.redact(path);
    }
    let plan = snapshot::plan(harness.tools(), &settings)?;
    if args.snapshots.is_file() {
        return Err(Error::Usage(format!(
            "--snapshots {}: not a directory",
            args.snapshots.display()
        )));
    }
    if let Some(signal) = signals::received() {
        return Ok(interrupted(signal));
    }
    let env = super::check::handler_env(config.as_ref(), &args.settings.env);
    let mut handler = start_handler(args, &env)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime("start the async runtime", e))?;
    let recorded = runtime.block_on(async {
        let recorded = tokio::select! {
            snapshots = snapshot::record(&plan, &mut handler, &settings) => Ok(snapshots),
            signal = signals::any() => Err(signal),
        };
        handler.stop().await;
        recorded
    });
    drop(handler);
    reap_orphans();
    let snapshots = match recorded {
        Ok(snapshots) => snapshots?,
        Err(signal) => return Ok(interrupted(signal)),
    };
    let mode = if args.accept {
        Mode::Accept
    } else if args.check {
        Mode::Check
    } else {
        Mode::Insta
    };
    let source = args.definition.to_string_lossy().replace('\\', "/");
    let stored = snapshot::store(&snapshots, &args.snapshots, &source, mode)?;
    // A signal while the files were written: each is complete (written atomically), but the
    // run still ends as interrupted.
    if let Some(signal) = signals::received() {
        return Ok(interrupted(signal));
    }
    let mut text = String::new();
    for (snapshot, stored) in snapshots.iter().zip(&stored) {
        if stored.comparison.is_unchanged() {
            let _ = writeln!(
                text,
                "unchanged  {}  ({} cases, {})",
                snapshot.tool,
                snapshot.entries.len(),
                stored.path.display()
            );
            continue;
        }
        if stored.written == Written::Accepted {
            let what = match stored.comparison {
                Comparison::Missing => "new",
                _ => "changed",
            };
            let _ = writeln!(
                text,
                "accepted   {}  ({what}, {} cases, {})",
                snapshot.tool,
                snapshot.entries.len(),
                stored.path.display()
            );
            continue;
        }
        text.push_str(&render_comparison(
            snapshot,
            &stored.path,
            &stored.comparison,
        ));
        text.push_str(&next_step(stored, mode));
    }
    let failures = stored.iter().filter(|s| s.is_failure()).count();
    let _ = writeln!(
        text,
        "{} {}: {} unchanged, {} accepted, {} {}",
        stored.len(),
        if stored.len() == 1 { "tool" } else { "tools" },
        stored
            .iter()
            .filter(|s| s.comparison.is_unchanged())
            .count(),
        stored
            .iter()
            .filter(|s| !s.comparison.is_unchanged() && s.written == Written::Accepted)
            .count(),
        failures,
        match mode {
            Mode::Check => "missing or changed",
            _ => "to review",
        }
    );
    // Tool names, handler answers and diff lines come from definitions and handlers.
    output::stdout(&terminal_safe_lines(&text))?;
    Ok(if failures == 0 {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

/// What the user can do about a snapshot that is missing or changed.
fn next_step(stored: &Stored, mode: Mode) -> String {
    let accept = accept_command();
    match stored.written {
        Written::Pending => format!(
            "  wrote {}: accept it with `cargo insta review` (inside a Cargo package; install \
             it with `cargo install cargo-insta`) or run\n    {accept}\n",
            snapshot::pending_path(&stored.path).display()
        ),
        Written::Accepted => String::new(),
        _ => {
            let why = match (mode, &stored.comparison) {
                (Mode::Check, Comparison::Missing) => "this tool has no snapshot yet",
                (Mode::Check, _) => "--check writes nothing",
                _ if is_ci() => "nothing is written on CI",
                _ => "INSTA_UPDATE=no writes nothing",
            };
            format!("  {why}; to accept this output, run\n    {accept}\n  and commit the file\n")
        }
    }
}

/// This command line with `--accept` instead of `--check` (what creates or accepts the
/// snapshots), quoted for a POSIX shell.
fn accept_command() -> String {
    let mut words: Vec<String> = vec!["toolcontract".to_owned()];
    let mut accepted = false;
    let mut after_separator = false;
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy().into_owned();
        if !after_separator && (arg == "--check" || arg == "--accept") {
            if !accepted {
                words.push("--accept".to_owned());
                accepted = true;
            }
            continue;
        }
        if !after_separator && arg == "--" {
            if !accepted {
                words.push("--accept".to_owned());
                accepted = true;
            }
            after_separator = true;
        }
        words.push(shell_quote(&arg));
    }
    words.join(" ")
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The handler process (it starts at the first invocation).
fn start_handler(args: &SnapshotArgs, env: &[(String, String)]) -> Result<ProcessHandler, Error> {
    let mut config = ProcessConfig::new(args.command.clone());
    for (key, value) in env {
        config = config.with_env(key, value);
    }
    if let Some(dir) = &args.cwd {
        if !Path::new(dir).is_dir() {
            return Err(Error::Usage(format!(
                "--cwd {}: not a directory",
                dir.display()
            )));
        }
        config = config.with_current_dir(dir);
    }
    ProcessHandler::start(config).map_err(|e| Error::Handler(e.to_string()))
}
