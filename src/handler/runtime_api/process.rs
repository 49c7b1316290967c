//! [`ProcessHandler`]: a handler process started against the local Runtime API, one invocation
//! at a time, restarted when it dies.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::process::{Child, Command};

use super::exchange::{Exchange, Progress};
use super::logs::Capture;
use super::next::Handover;
use super::registry;
use super::server::Server;
use crate::handler::{Answer, Handler, Invocation, Outcome};

/// How long to wait for a killed process to be reaped.
const REAP_LIMIT: Duration = Duration::from_secs(2);

/// How long to wait, once a process is gone, for the last of its output.
const OUTPUT_LIMIT: Duration = Duration::from_millis(500);

/// How a handler process is started.
///
/// Built with [`ProcessConfig::new`] and the `with_*` methods; the defaults are Lambda's.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProcessConfig {
    /// The command: the program, then its arguments. A program without `/` is looked up in
    /// `PATH`; a relative path is taken from `current_dir` when set, else from the current directory of this
    /// process.
    pub command: Vec<OsString>,
    /// Environment variables set for the process on top of this process's environment and the
    /// Lambda variables (these win, except `AWS_LAMBDA_RUNTIME_API`).
    pub env: Vec<(OsString, OsString)>,
    /// The working directory of the process (default: this process's).
    pub current_dir: Option<PathBuf>,
    /// `AWS_LAMBDA_FUNCTION_NAME` (default `toolcontract-handler`).
    pub function_name: String,
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB (default 128).
    pub memory_size_mb: u32,
    /// `AWS_LAMBDA_FUNCTION_VERSION` (default `$LATEST`).
    pub function_version: String,
    /// How long a new process has to reach its first `/next` (default 10 s, Lambda's init
    /// limit).
    pub startup_timeout: Duration,
    /// How many lines of output to keep (default 100); each line is cut to 1 KiB.
    pub log_tail_lines: usize,
}

impl ProcessConfig {
    /// The default function name.
    pub const DEFAULT_FUNCTION_NAME: &'static str = "toolcontract-handler";
    /// The default memory size, in MB.
    pub const DEFAULT_MEMORY_SIZE_MB: u32 = 128;
    /// The default function version.
    pub const DEFAULT_FUNCTION_VERSION: &'static str = "$LATEST";
    /// The default start-up limit: Lambda's 10-second init phase.
    pub const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default number of output lines kept.
    pub const DEFAULT_LOG_TAIL_LINES: usize = 100;

    /// A configuration for `command` (program, then arguments) with Lambda's defaults.
    pub fn new<I, S>(command: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        ProcessConfig {
            command: command.into_iter().map(Into::into).collect(),
            env: Vec::new(),
            current_dir: None,
            function_name: Self::DEFAULT_FUNCTION_NAME.to_owned(),
            memory_size_mb: Self::DEFAULT_MEMORY_SIZE_MB,
            function_version: Self::DEFAULT_FUNCTION_VERSION.to_owned(),
            startup_timeout: Self::DEFAULT_STARTUP_TIMEOUT,
            log_tail_lines: Self::DEFAULT_LOG_TAIL_LINES,
        }
    }

    /// Adds an environment variable.
    #[must_use]
    pub fn with_env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Sets the working directory.
    #[must_use]
    pub fn with_current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.current_dir = Some(dir.into());
        self
    }

    /// Sets the function name.
    #[must_use]
    pub fn with_function_name(mut self, name: impl Into<String>) -> Self {
        self.function_name = name.into();
        self
    }

    /// Sets the memory size, in MB.
    #[must_use]
    pub fn with_memory_size_mb(mut self, memory_size_mb: u32) -> Self {
        self.memory_size_mb = memory_size_mb;
        self
    }

    /// Sets the function version.
    #[must_use]
    pub fn with_function_version(mut self, version: impl Into<String>) -> Self {
        self.function_version = version.into();
        self
    }

    /// Sets the start-up limit.
    #[must_use]
    pub fn with_startup_timeout(mut self, limit: Duration) -> Self {
        self.startup_timeout = limit;
        self
    }

    /// Sets how many output lines are kept.
    #[must_use]
    pub fn with_log_tail_lines(mut self, lines: usize) -> Self {
        self.log_tail_lines = lines;
        self
    }

    /// An environment variable as the process will see it, before the Lambda variables.
    fn inherited(&self, key: &str) -> Option<OsString> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var_os(key))
    }
}

/// Why a handler command cannot be used. What a started process does is never an error: it is
/// an [`Outcome`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProcessError {
    /// The command is empty.
    #[error("no handler command was given")]
    EmptyCommand,
    /// The program does not exist.
    #[error("the handler command `{}` was not found{}", .program.display(),
        if *.searched_path { " in PATH" } else { "" })]
    NotFound {
        /// The program as given.
        program: PathBuf,
        /// Whether it was looked up in `PATH` (it had no `/`).
        searched_path: bool,
    },
    /// The program exists but cannot be executed.
    #[error("the handler command `{}` is not executable: {reason}", .program.display())]
    NotExecutable {
        /// The file found.
        program: PathBuf,
        /// Why not: a directory, or no execute permission.
        reason: &'static str,
    },
    /// The program is a script whose `#!` interpreter does not exist or cannot be executed.
    #[error("the handler command `{}` cannot run: its interpreter `{}` (from its #! line): {reason}",
        .program.display(), .interpreter.display())]
    BadInterpreter {
        /// The script.
        program: PathBuf,
        /// The interpreter its first line names.
        interpreter: PathBuf,
        /// Why it cannot run: it does not exist, or is not executable.
        reason: &'static str,
    },
    /// The Runtime API server could not listen on loopback.
    #[error("cannot serve the Lambda Runtime API on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
}

/// Counts for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessStats {
    /// Processes started; each first invocation of a process is a cold start.
    pub cold_starts: u64,
    /// Processes started to replace one that exited or was killed (cold starts after the first).
    pub restarts: u64,
    /// Processes killed by the harness: at a timeout, or after an init error.
    pub kills: u64,
    /// Invocations a process took from `/next`.
    pub invocations: u64,
}

/// A handler process speaking the Lambda Runtime API, started against a server that this
/// handler serves on `127.0.0.1`.
///
/// [`ProcessHandler::start`] checks the command and binds the server; the process is started by
/// the first [`invoke`](Handler::invoke), and started again (a cold start) by the next invoke
/// after it exited or was killed. Invocations run one at a time, as in one Lambda execution
/// environment; the server and the process's output reader run on the Tokio runtime of the
/// first invoke (use one runtime per handler, with IO and time enabled, as `#[tokio::main]`
/// gives; a current-thread runtime is the fastest).
///
/// Every way a process can fail becomes an [`Outcome`]:
/// - it exits (before its first `/next`, or while handling an invocation):
///   [`Outcome::Exited`], saying the status or signal and when;
/// - it posts `/runtime/init/error`: [`Outcome::InitError`] (the process is then killed);
/// - it posts `/invocation/{id}/error`: [`Outcome::FunctionError`];
/// - it does not answer by the deadline, or does not reach `/next` within the start-up limit:
///   its whole process group is killed, [`Outcome::Timeout`];
/// - it answers with bytes that are not JSON: [`Outcome::InvalidJson`]; with more than
///   [`RESPONSE_SIZE_LIMIT`](crate::handler::RESPONSE_SIZE_LIMIT) bytes: [`Outcome::Oversize`]
///   (reading stops there, and the process gets a 413, as from Lambda).
///
/// [`Answer::logs`] holds the output lines written during the invocation (for a cold start,
/// since the process started), at most [`ProcessConfig::log_tail_lines`].
/// [`Answer::elapsed`] runs from the moment `/next` handed the invocation over (or, if it never
/// was, from the call).
///
/// Dropping the handler kills the process group and reaps the process;
/// [`kill_live_processes`](super::kill_live_processes) kills every live one (for Ctrl-C).
#[derive(Debug)]
pub struct ProcessHandler {
    config: ProcessConfig,
    /// What to execute: the program as given, or made absolute when it is a relative path.
    program: OsString,
    server: Server,
    live: Option<Live>,
    stats: ProcessStats,
    log_stream_name: String,
    /// Processes in a row that failed before taking an invocation (an init error, an exit
    /// during init, a startup timeout), and the last such answer.
    init_failures: (u32, Option<Answer>),
}

/// After this many processes in a row fail during init, the handler is broken: every case
/// would fail the same way, so the run stops and says so once.
pub(crate) const MAX_INIT_FAILURES: u32 = 3;

/// A started process.
#[derive(Debug)]
struct Live {
    child: Child,
    group: i32,
    capture: Capture,
    spawned_at: Instant,
    /// Invocations this process took.
    taken: u64,
}

/// How waiting for one invocation ended.
#[derive(Debug)]
enum Ended {
    Answered {
        outcome: Outcome,
        taken_at: Instant,
    },
    InitError {
        error_type: String,
        error_message: String,
    },
    Exited {
        status: Result<ExitStatus, String>,
        taken_at: Option<Instant>,
    },
    TimedOut {
        taken_at: Option<Instant>,
    },
}

impl ProcessHandler {
    /// Checks the command (it exists and is executable) and binds the Runtime API server on an
    /// ephemeral loopback port. The process itself starts with the first invocation.
    pub fn start(config: ProcessConfig) -> Result<ProcessHandler, ProcessError> {
        let program = check_command(&config)?;
        let server = Server::bind().map_err(ProcessError::Bind)?;
        let log_stream_name = format!(
            "{}/[{}]{}{}",
            utc_date(),
            config.function_version,
            server.random_hex(16),
            server.random_hex(16)
        );
        Ok(ProcessHandler {
            config,
            program,
            server,
            live: None,
            stats: ProcessStats::default(),
            log_stream_name,
            init_failures: (0, None),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ProcessConfig {
        &self.config
    }

    /// The address of the Runtime API server (`AWS_LAMBDA_RUNTIME_API`).
    pub fn runtime_api_addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The pid of the live process, if one is running.
    pub fn pid(&self) -> Option<u32> {
        self.live
            .as_ref()
            .and_then(|live| u32::try_from(live.group).ok())
    }

    /// Counts of starts, restarts, kills and invocations so far.
    pub fn stats(&self) -> ProcessStats {
        self.stats
    }

    /// Kills the live process (its whole process group) and waits until it is reaped.
    /// The next invocation starts a new one.
    pub async fn stop(&mut self) {
        self.retire(0).await;
    }

    /// Starts the process.
    fn spawn(&mut self) -> Result<Live, String> {
        let could_not_start = |error: std::io::Error| {
            format!(
                "the handler process could not start: {}: {error}",
                Path::new(&self.program).display()
            )
        };
        let (reader, writer) = std::io::pipe().map_err(could_not_start)?;
        let mut command = Command::new(&self.program);
        command
            .args(&self.config.command[1..])
            .stdin(Stdio::null())
            .stdout(writer.try_clone().map_err(could_not_start)?)
            .stderr(writer)
            .process_group(0)
            .kill_on_drop(true);
        self.set_env(&mut command);
        if let Some(dir) = &self.config.current_dir {
            command.current_dir(dir);
        }
        let spawned = command.spawn();
        // The command holds the write ends: drop them, so the output ends when the process does.
        drop(command);
        let child = spawned.map_err(could_not_start)?;
        let group = child
            .id()
            .and_then(|pid| i32::try_from(pid).ok())
            .unwrap_or_default();
        registry::register(group);
        self.server.serve_group(group);
        let capture = match Capture::start(OwnedFd::from(reader), self.config.log_tail_lines) {
            Ok(capture) => capture,
            Err(error) => {
                registry::kill_group(group);
                registry::deregister(group);
                return Err(could_not_start(error));
            }
        };
        self.stats.cold_starts += 1;
        self.stats.restarts = self.stats.cold_starts - 1;
        Ok(Live {
            child,
            group,
            capture,
            spawned_at: Instant::now(),
            taken: 0,
        })
    }

    /// The Lambda environment, on top of this process's.
    fn set_env(&self, command: &mut Command) {
        let config = &self.config;
        command
            .env("AWS_LAMBDA_FUNCTION_NAME", &config.function_name)
            .env(
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                config.memory_size_mb.to_string(),
            )
            .env("AWS_LAMBDA_FUNCTION_VERSION", &config.function_version)
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", config.function_name),
            )
            .env("AWS_LAMBDA_LOG_STREAM_NAME", &self.log_stream_name)
            .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
            // One invocation at a time: never the managed-concurrency mode of a runtime.
            .env_remove("AWS_LAMBDA_MAX_CONCURRENCY");
        let region = config
            .inherited("AWS_REGION")
            .or_else(|| config.inherited("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        for key in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if config.inherited(key).is_none() {
                command.env(key, &region);
            }
        }
        command.envs(config.env.iter().map(|(k, v)| (k, v)));
        command.env("AWS_LAMBDA_RUNTIME_API", self.server.addr().to_string());
    }

    /// Kills the live process's group, reaps it, collects its output from `mark`, and starts a
    /// new epoch on the server.
    async fn retire(&mut self, mark: u64) -> Vec<String> {
        let Some(mut live) = self.live.take() else {
            return Vec::new();
        };
        registry::kill_group(live.group);
        let _ = tokio::time::timeout(REAP_LIMIT, live.child.wait()).await;
        registry::deregister(live.group);
        self.server.serve_group(0);
        live.capture.closed(OUTPUT_LIMIT).await;
        let logs = live.capture.since(mark);
        self.server.new_epoch();
        logs
    }

    /// Invokes once, counting processes that fail during init in a row; once the handler is
    /// broken, the last failure is the answer, at once.
    async fn call(&mut self, invocation: &Invocation) -> Answer {
        if self.init_failures.0 >= MAX_INIT_FAILURES
            && let Some(last) = &self.init_failures.1
        {
            return last.clone();
        }
        let cold = self.live.is_none();
        let answer = self.call_once(invocation).await;
        let failed_init = match &answer.outcome {
            Outcome::InitError { .. } => true,
            Outcome::Exited { status } => status.ends_with("(during init)"),
            Outcome::Timeout { limit } => cold && *limit == self.config.startup_timeout,
            _ => false,
        };
        if failed_init && self.live.is_none() {
            self.init_failures = (self.init_failures.0 + 1, Some(answer.clone()));
        } else {
            self.init_failures = (0, None);
        }
        answer
    }

    async fn call_once(&mut self, invocation: &Invocation) -> Answer {
        let called = Instant::now();
        if let Err(error) = self.server.ensure_running() {
            let status = format!("the Runtime API server could not start: {error}");
            return Answer::new(Outcome::Exited { status }, called.elapsed());
        }
        let handover = Handover::new(invocation);
        let mut retried = false;
        loop {
            // A process that exited since its last invocation is replaced.
            if let Some(live) = &mut self.live
                && !matches!(live.child.try_wait(), Ok(None))
            {
                self.retire(0).await;
            }
            let live = match self.live.take() {
                Some(live) => live,
                None => match self.spawn() {
                    Ok(live) => live,
                    Err(status) => {
                        return Answer::new(Outcome::Exited { status }, called.elapsed());
                    }
                },
            };
            let live = self.live.insert(live);
            let cold = live.taken == 0;
            let (mark, first_limit) = if cold {
                (0, later(live.spawned_at, self.config.startup_timeout))
            } else {
                live.capture.drain();
                (
                    live.capture.mark(),
                    later(Instant::now(), invocation.timeout),
                )
            };
            let exchange = self.server.exchange();
            exchange.offer(handover.clone());
            let ended =
                wait_for_end(exchange, &mut live.child, first_limit, invocation.timeout).await;
            let taken = match &ended {
                Ended::Answered { .. } => true,
                Ended::Exited { taken_at, .. } | Ended::TimedOut { taken_at } => taken_at.is_some(),
                Ended::InitError { .. } => false,
            };
            if taken {
                live.taken += 1;
                self.stats.invocations += 1;
            }
            let since = |taken_at: Option<Instant>| taken_at.unwrap_or(called).elapsed();
            let (outcome, elapsed, logs) = match ended {
                Ended::Answered { outcome, taken_at } => {
                    live.capture.drain();
                    let logs = live.capture.since(mark);
                    (outcome, taken_at.elapsed(), logs)
                }
                Ended::InitError {
                    error_type,
                    error_message,
                } => {
                    self.stats.kills += 1;
                    let elapsed = called.elapsed();
                    let logs = self.retire(mark).await;
                    let outcome = Outcome::InitError {
                        error_type,
                        error_message,
                    };
                    (outcome, elapsed, logs)
                }
                Ended::Exited { status, taken_at } => {
                    if taken_at.is_none() && !cold && !retried {
                        // It died between invocations, not because of this one: start a new
                        // process and hand this invocation to it.
                        retried = true;
                        self.retire(0).await;
                        continue;
                    }
                    let when = if taken_at.is_some() {
                        "while handling the invocation"
                    } else if exchange.initialized() {
                        "after /next, before taking the invocation"
                    } else {
                        "before its first /next (during init)"
                    };
                    let status = format!(
                        "the handler process {} {when}",
                        describe_exit(status.as_ref().map_err(String::as_str))
                    );
                    let elapsed = since(taken_at);
                    let logs = self.retire(mark).await;
                    (Outcome::Exited { status }, elapsed, logs)
                }
                Ended::TimedOut { taken_at } => {
                    self.stats.kills += 1;
                    let limit = if taken_at.is_none() && cold {
                        self.config.startup_timeout
                    } else {
                        invocation.timeout
                    };
                    let elapsed = since(taken_at);
                    let logs = self.retire(mark).await;
                    (Outcome::Timeout { limit }, elapsed, logs)
                }
            };
            return Answer {
                outcome,
                elapsed,
                logs,
            };
        }
    }
}

impl Handler for ProcessHandler {
    async fn invoke(&mut self, invocation: &Invocation) -> Answer {
        self.call(invocation).await
    }

    fn broken(&self) -> Option<String> {
        let (failures, last) = &self.init_failures;
        if *failures < MAX_INIT_FAILURES {
            return None;
        }
        let what = last
            .as_ref()
            .map(|a| match &a.outcome {
                Outcome::InitError {
                    error_type,
                    error_message,
                } => format!("init error {error_type}: {error_message}"),
                Outcome::Exited { status } => status.clone(),
                Outcome::Timeout { limit } => {
                    format!("no first /next within {} ms", limit.as_millis())
                }
                other => other.label().to_owned(),
            })
            .unwrap_or_default();
        Some(format!(
            "the handler process failed during init {failures} times in a row ({what}); every \
             case would fail the same way, so the run stopped"
        ))
    }
}

impl Drop for ProcessHandler {
    fn drop(&mut self) {
        let Some(mut live) = self.live.take() else {
            return;
        };
        registry::kill_group(live.group);
        // A killed process dies at once; reap it here so none is left behind, but never wait
        // without a limit (a process stuck in the kernel is left to Tokio's orphan reaper).
        let until = Instant::now() + REAP_LIMIT;
        while matches!(live.child.try_wait(), Ok(None)) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(1));
        }
        registry::deregister(live.group);
    }
}

/// Waits until the offered invocation is answered, the process reports an init error or exits,
/// or the limit passes: `first_limit` until the invocation is taken, then `timeout` from then.
async fn wait_for_end(
    exchange: &Exchange,
    child: &mut Child,
    first_limit: Instant,
    timeout: Duration,
) -> Ended {
    let mut taken_at = None;
    let sleep = tokio::time::sleep_until(first_limit.into());
    tokio::pin!(sleep);
    loop {
        let progressed = exchange.progressed();
        tokio::pin!(progressed);
        progressed.as_mut().enable();
        match exchange.progress() {
            Progress::Answered { outcome, taken_at } => {
                return Ended::Answered { outcome, taken_at };
            }
            Progress::InitError(report) => {
                return Ended::InitError {
                    error_type: report.error_type,
                    error_message: report.error_message,
                };
            }
            Progress::Taken(at) => {
                if taken_at.is_none() {
                    taken_at = Some(at);
                    sleep.as_mut().reset(later(at, timeout).into());
                }
            }
            Progress::Waiting => {}
        }
        tokio::select! {
            biased;
            () = &mut progressed => {}
            status = child.wait() => {
                let status = status.map_err(|e| e.to_string());
                // An answer may have come just before the exit.
                return match exchange.progress() {
                    Progress::Answered { outcome, taken_at } => Ended::Answered { outcome, taken_at },
                    Progress::InitError(report) => Ended::InitError {
                        error_type: report.error_type,
                        error_message: report.error_message,
                    },
                    Progress::Taken(at) => Ended::Exited { status, taken_at: Some(at) },
                    Progress::Waiting => Ended::Exited { status, taken_at },
                };
            }
            () = &mut sleep => return Ended::TimedOut { taken_at },
        }
    }
}

/// `at + limit`, or a far future when that is past what an `Instant` holds (a limit of
/// `Duration::MAX` means "no limit", not a panic).
fn later(at: Instant, limit: Duration) -> Instant {
    /// About 30 years.
    const FAR: Duration = Duration::from_secs(30 * 365 * 24 * 3600);
    at.checked_add(limit.min(FAR)).unwrap_or(at)
}

/// "exited with status 3", "was killed by signal 11 (SIGSEGV)".
fn describe_exit(status: Result<&ExitStatus, &str>) -> String {
    match status {
        Err(error) => format!("ended, but its status could not be read ({error})"),
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => format!("exited with status {code}"),
            (None, Some(signal)) => format!(
                "was killed by signal {signal}{}",
                signal_name(signal).map_or(String::new(), |name| format!(" ({name})"))
            ),
            (None, None) => format!("ended ({status})"),
        },
    }
}

fn signal_name(signal: i32) -> Option<&'static str> {
    Some(match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGUSR2 => "SIGUSR2",
        _ => return None,
    })
}

/// Checks that the command can be executed; returns the program to execute. A relative path
/// is made absolute against the directory the process will run in (`current_dir` when set, as
/// `cd DIR && ./program` would resolve it; else this process's current directory).
fn check_command(config: &ProcessConfig) -> Result<OsString, ProcessError> {
    let program = config.command.first().ok_or(ProcessError::EmptyCommand)?;
    if program.is_empty() {
        return Err(ProcessError::EmptyCommand);
    }
    if program.as_bytes().contains(&b'/') {
        let in_dir = match &config.current_dir {
            Some(dir) => dir.join(program),
            None => PathBuf::from(program),
        };
        let path = std::path::absolute(&in_dir).unwrap_or(in_dir);
        check_executable(&path).map_err(|reason| match reason {
            None => ProcessError::NotFound {
                program: PathBuf::from(program),
                searched_path: false,
            },
            Some(reason) => ProcessError::NotExecutable {
                program: path.clone(),
                reason,
            },
        })?;
        check_interpreter(&path)?;
        return Ok(path.into_os_string());
    }
    let path_var = config.inherited("PATH").unwrap_or_default();
    let mut first_refusal = None;
    for dir in std::env::split_paths(&path_var) {
        let candidate = dir.join(program);
        match check_executable(&candidate) {
            Ok(()) => {
                check_interpreter(&candidate)?;
                return Ok(program.clone());
            }
            Err(Some(reason)) => {
                first_refusal.get_or_insert((candidate, reason));
            }
            Err(None) => {}
        }
    }
    Err(match first_refusal {
        Some((program, reason)) => ProcessError::NotExecutable { program, reason },
        None => ProcessError::NotFound {
            program: PathBuf::from(program),
            searched_path: true,
        },
    })
}

/// A script's `#!` interpreter must exist and be executable: else `exec` fails with the same
/// error as for a missing program, and every case would be blamed on the handler.
fn check_interpreter(path: &Path) -> Result<(), ProcessError> {
    use std::io::Read;
    let mut head = [0u8; 256];
    let Ok(read) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return Ok(());
    };
    let Some(line) = head[..read].strip_prefix(b"#!") else {
        return Ok(());
    };
    let line = line.split(|&b| b == b'\n').next().unwrap_or_default();
    let Some(interpreter) = line
        .split(|b| b.is_ascii_whitespace())
        .find(|word| !word.is_empty())
    else {
        return Ok(());
    };
    let interpreter = PathBuf::from(std::ffi::OsStr::from_bytes(interpreter));
    if !interpreter.is_absolute() {
        return Ok(());
    }
    match check_executable(&interpreter) {
        Ok(()) => Ok(()),
        Err(reason) => Err(ProcessError::BadInterpreter {
            program: path.to_owned(),
            interpreter,
            reason: reason.unwrap_or("it does not exist"),
        }),
    }
}

/// `Err(None)`: no such file; `Err(Some(reason))`: it exists but cannot be executed.
fn check_executable(path: &Path) -> Result<(), Option<&'static str>> {
    let metadata = std::fs::metadata(path).map_err(|_| None)?;
    if metadata.is_dir() {
        return Err(Some("it is a directory"));
    }
    if metadata.permissions().mode() & 0o111 == 0 {
        return Err(Some("it has no execute permission"));
    }
    Ok(())
}

/// Today's date in UTC as `YYYY/MM/DD` (the start of a Lambda log stream name).
fn utc_date() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    civil_date(i64::try_from(seconds / 86_400).unwrap_or_default())
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}/{month:02}/{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_never_overflow() {
        let now = Instant::now();
        assert_eq!(
            later(now, Duration::from_secs(3)),
            now + Duration::from_secs(3)
        );
        assert!(later(now, Duration::MAX) > now + Duration::from_secs(365 * 24 * 3600));
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_date(0), "1970/01/01");
        assert_eq!(civil_date(19_723), "2024/01/01");
        assert_eq!(civil_date(19_782), "2024/02/29");
        assert_eq!(civil_date(20_513), "2026/03/01");
    }

    #[test]
    fn exits_are_described() {
        let code = ExitStatus::from_raw(3 << 8);
        assert_eq!(describe_exit(Ok(&code)), "exited with status 3");
        let signal = ExitStatus::from_raw(libc::SIGSEGV);
        assert_eq!(
            describe_exit(Ok(&signal)),
            "was killed by signal 11 (SIGSEGV)"
        );
    }

    #[test]
    fn commands_are_checked() {
        assert!(matches!(
            check_command(&ProcessConfig::new(Vec::<String>::new())),
            Err(ProcessError::EmptyCommand)
        ));
        assert!(check_command(&ProcessConfig::new(["sh", "-c", "true"])).is_ok());
        let error = check_command(&ProcessConfig::new(["no-such-handler-xyz"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the handler command `no-such-handler-xyz` was not found in PATH"
        );
        let error = check_command(&ProcessConfig::new(["./no/such/file"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the handler command `./no/such/file` was not found"
        );
        let error = check_command(&ProcessConfig::new(["/tmp"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the handler command `/tmp` is not executable: it is a directory"
        );
        let plain = std::env::temp_dir().join(format!("toolcontract-plain-{}", std::process::id()));
        std::fs::write(&plain, "not a program").unwrap();
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = check_command(&ProcessConfig::new([&plain])).unwrap_err();
        std::fs::remove_file(&plain).unwrap();
        assert!(
            error
                .to_string()
                .ends_with("is not executable: it has no execute permission"),
            "{error}"
        );
        let script =
            std::env::temp_dir().join(format!("toolcontract-shebang-{}", std::process::id()));
        std::fs::write(&script, "#!/nonexistent/python -u\nprint(1)\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let error = check_command(&ProcessConfig::new([&script])).unwrap_err();
        std::fs::remove_file(&script).unwrap();
        assert!(
            error.to_string().ends_with(
                "cannot run: its interpreter `/nonexistent/python` (from its #! line): it does not exist"
            ),
            "{error}"
        );
        // The PATH the process will get is the one searched.
        let config = ProcessConfig::new(["sh"]).with_env("PATH", "/nonexistent");
        assert!(matches!(
            check_command(&config),
            Err(ProcessError::NotFound { .. })
        ));
    }
}
