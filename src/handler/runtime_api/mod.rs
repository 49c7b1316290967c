//! A local Lambda Runtime API server and a handler process started against it.
//!
//! [`ProcessHandler`] serves the Lambda Runtime API (version `2018-06-01`) on an ephemeral
//! loopback port, starts the handler command with `AWS_LAMBDA_RUNTIME_API` pointing at it, and
//! feeds it one invocation at a time, exactly as Lambda would: the event as the body of
//! `GET /runtime/invocation/next`, the request id, deadline, function ARN, X-Ray trace id and
//! client context (raw JSON) as headers. Whatever the process does comes back as an
//! [`Outcome`](crate::handler::Outcome): answers, function errors, init errors, exits, hangs,
//! garbage and floods alike.
//!
//! The pieces, server side first (the runner/executor split of nextest):
//! - `routes`: the path table and the JSON error answers (`ApiError`);
//! - one module per endpoint: `next` (`GET .../invocation/next`), `response`
//!   (`POST .../{id}/response`), `error_report` (`POST .../{id}/error` and `/init/error`);
//! - `exchange`: the hand-over state between the server and the process manager, the only
//!   thing they share;
//! - `server`: the HTTP/1.1 server (hyper) that glues routes, endpoints and the exchange;
//! - `process`: [`ProcessHandler`], the child process and its life cycle;
//! - `logs`: the bounded tail of the process's output;
//! - `registry`: the live process groups, so that Ctrl-C can kill them all
//!   ([`kill_live_processes`]).

mod error_report;
mod exchange;
mod logs;
mod next;
mod peer;
mod process;
mod registry;
mod response;
mod routes;
mod server;
mod sock_diag;

pub use process::{ProcessConfig, ProcessError, ProcessHandler, ProcessStats};
pub use registry::{adopt_orphans, kill_live_processes, reap_orphans};
