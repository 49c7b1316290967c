//! Calling a `tower::Service<LambdaEvent<Value>>` in this process, as the Lambda runtime would.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use lambda_runtime::{Context, Diagnostic, LambdaEvent};
use serde::Serialize;
use serde_json::Value;
use tower::{Service, ServiceExt};

use super::worker::{Ran, Worker, panic_message};
use super::{Answer, Handler, Invocation, Outcome, deadline_ms};

/// A handler called in-process: any `tower::Service<LambdaEvent<Value>>`, for example
/// `lambda_runtime::service_fn(handler)`.
///
/// Each call runs on a thread of its own, so a handler that panics becomes
/// [`Outcome::Panic`], and one that hangs, even by blocking its thread, becomes
/// [`Outcome::Timeout`] once `invocation.timeout` has passed. A thread a handler has blocked is
/// abandoned and replaced, so later cases still run.
pub struct InProcess<S> {
    service: S,
    /// The thread handler calls run on; `None` before the first call and after a wedged one
    /// was abandoned.
    worker: Option<Worker>,
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
            worker: None,
        }
    }
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
        let worker = match &self.worker {
            Some(worker) => worker,
            None => match Worker::spawn() {
                Ok(worker) => self.worker.insert(worker),
                Err(e) => {
                    return Outcome::Exited {
                        status: format!("no thread could be started for the handler: {e}"),
                    };
                }
            },
        };
        match worker.run(future, timeout).await {
            Some(Ran::Done(Ok(response))) => serialize(&response),
            Some(Ran::Done(Err(error))) => function_error(error.into()),
            Some(Ran::Panicked(message)) => Outcome::Panic { message },
            Some(Ran::TimedOut) => Outcome::Timeout { limit: timeout },
            None => {
                // The handler blocks its thread and ignores its deadline: abandon the thread
                // (it stays blocked) and run later cases on a fresh one.
                self.worker = None;
                Outcome::Timeout { limit: timeout }
            }
        }
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
