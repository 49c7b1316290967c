//! Calling a `tower::Service<LambdaEvent<Value>>` in this process, as the Lambda runtime would.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use lambda_runtime::{Context, Diagnostic, LambdaEvent};
use serde::Serialize;
use serde_json::Value;
use tower::{Service, ServiceExt};

use super::{Answer, Handler, Invocation, Outcome, deadline_ms};

/// A handler called in-process: any `tower::Service<LambdaEvent<Value>>`, for example
/// `lambda_runtime::service_fn(handler)`.
///
/// Each call runs on a small runtime of its own, so a handler that panics becomes
/// [`Outcome::Panic`], and one that hangs, even by blocking its thread, becomes
/// [`Outcome::Timeout`] once `invocation.timeout` has passed. A runtime whose thread a handler
/// has blocked is abandoned and replaced, so later cases still run.
pub struct InProcess<S> {
    service: S,
    /// The runtime handler calls run on; `None` only after a wedged one was abandoned and
    /// before the next call builds a fresh one.
    runtime: Option<tokio::runtime::Runtime>,
}

impl<S> std::fmt::Debug for InProcess<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcess").finish_non_exhaustive()
    }
}

impl<S> InProcess<S> {
    /// Wraps a service.
    pub fn new(service: S) -> Self {
        InProcess {
            service,
            runtime: None,
        }
    }

    fn runtime(&mut self) -> &tokio::runtime::Runtime {
        self.runtime.get_or_insert_with(handler_runtime)
    }

    /// Drops the handler runtime without waiting for a thread a handler may have blocked.
    fn abandon_runtime(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The name of the threads handlers run on.
const HANDLER_THREAD: &str = "toolcontract-handler";

fn handler_runtime() -> tokio::runtime::Runtime {
    quiet_handler_panics();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(HANDLER_THREAD)
        .enable_all()
        .build()
        .expect("a tokio runtime with one worker thread can always be built")
}

/// Keeps the default panic hook from printing panics of handler threads: each one is
/// captured as an [`Outcome::Panic`] and shown in its finding, so printing it again (once per
/// shrinking step) only buries the report. Other threads' panics print as before.
fn quiet_handler_panics() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(HANDLER_THREAD) {
                previous(info);
            }
        }));
    });
}

/// The Lambda context for an invocation, with the deadline set from now.
pub(crate) fn lambda_context(invocation: &Invocation) -> Context {
    let mut context = Context::default();
    context.request_id = invocation.request_id.clone();
    context.deadline = deadline_ms(invocation.timeout);
    context.invoked_function_arn = invocation.invoked_function_arn.clone();
    // `ClientContext` is not re-exported by lambda_runtime, so it is built through serde, as
    // the runtime itself does from the `Lambda-Runtime-Client-Context` header. A client context
    // the runtime could not parse would make a real runtime loop exit; here it leaves the
    // context without one, and the invocation's builder is tested to produce parseable ones.
    context.client_context = invocation
        .client_context
        .as_ref()
        .and_then(|raw| serde_json::from_value(raw.clone()).ok());
    context
}

/// How long to wait, after the deadline, for a handler to notice it was aborted.
const ABORT_GRACE: Duration = Duration::from_millis(100);

impl<S> Handler for InProcess<S>
where
    S: Service<LambdaEvent<Value>> + Send,
    S::Future: Send + 'static,
    S::Response: Serialize + Send + 'static,
    S::Error: Into<Diagnostic> + Send + 'static,
{
    async fn invoke(&mut self, invocation: &Invocation) -> Answer {
        let started = Instant::now();
        let event = LambdaEvent::new(invocation.event.clone(), lambda_context(invocation));
        let outcome = self.call(event, invocation.timeout).await;
        Answer::new(outcome, started.elapsed())
    }
}

impl<S> InProcess<S>
where
    S: Service<LambdaEvent<Value>> + Send,
    S::Future: Send + 'static,
    S::Response: Serialize + Send + 'static,
    S::Error: Into<Diagnostic> + Send + 'static,
{
    async fn call(&mut self, event: LambdaEvent<Value>, timeout: Duration) -> Outcome {
        let ready = futures::FutureExt::catch_unwind(AssertUnwindSafe(self.service.ready()));
        let service = match ready.await {
            Ok(Ok(service)) => service,
            Ok(Err(error)) => return function_error(error.into()),
            Err(panic) => {
                return Outcome::Panic {
                    message: panic_message(&*panic),
                };
            }
        };
        // `call` itself may panic before returning a future.
        let future = match std::panic::catch_unwind(AssertUnwindSafe(|| service.call(event))) {
            Ok(future) => future,
            Err(panic) => {
                return Outcome::Panic {
                    message: panic_message(&*panic),
                };
            }
        };
        let mut task = self.runtime().spawn(future);
        match tokio::time::timeout(timeout, &mut task).await {
            Ok(Ok(Ok(response))) => serialize(&response),
            Ok(Ok(Err(error))) => function_error(error.into()),
            Ok(Err(join)) if join.is_panic() => Outcome::Panic {
                message: panic_message(&*join.into_panic()),
            },
            Ok(Err(join)) => Outcome::Panic {
                message: format!("the handler task ended abnormally: {join}"),
            },
            Err(_elapsed) => {
                task.abort();
                if tokio::time::timeout(ABORT_GRACE, task).await.is_err() {
                    // The handler blocks its thread and ignores cancellation: give up on this
                    // runtime (its thread stays blocked) and run later cases on a fresh one.
                    self.abandon_runtime();
                }
                Outcome::Timeout { limit: timeout }
            }
        }
    }
}

impl<S> Drop for InProcess<S> {
    fn drop(&mut self) {
        // Never block the caller (possibly inside an async context) on a handler's thread.
        self.abandon_runtime();
    }
}

fn function_error(diagnostic: Diagnostic) -> Outcome {
    Outcome::FunctionError {
        error_type: diagnostic.error_type,
        error_message: diagnostic.error_message,
    }
}

/// Serializes a response as the Lambda runtime would, measuring its size.
fn serialize<R: Serialize>(response: &R) -> Outcome {
    match serde_json::to_value(response) {
        Ok(body) => {
            let size = json_size(&body);
            Outcome::Response { body, size }
        }
        Err(error) => Outcome::InvalidJson {
            error: format!("the response cannot be serialized as JSON: {error}"),
            prefix: String::new(),
        },
    }
}

/// The size in bytes of `value` serialized compactly, without allocating it.
pub(crate) fn json_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a `Value` to an infallible sink cannot fail.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}
