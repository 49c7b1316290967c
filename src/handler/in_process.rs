//! Calling a `tower::Service<LambdaEvent<Value>>` in this process, as the Lambda runtime would.

use std::future::Future;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use futures::FutureExt;

use lambda_runtime::{Context, Diagnostic, LambdaEvent};
use serde::Serialize;
use serde_json::Value;
use tower::{Service, ServiceExt};

use super::{Answer, Handler, Invocation, MAX_ANSWER_DEPTH, Outcome, deadline_ms, depth};

/// A handler called in-process: any `tower::Service<LambdaEvent<Value>>`, for example
/// `lambda_runtime::service_fn(handler)`.
///
/// Handler futures run inline, in the runner's task: a handler that panics becomes
/// [`Outcome::Panic`], one that hangs becomes [`Outcome::Timeout`] at its deadline, and one that
/// blocks its thread for a while and then answers is judged late ([`Outcome::Timeout`] too).
/// A handler that blocks its thread *forever* cannot be interrupted in-process; the `check`
/// entry points run the runner on a thread of their own and give up on it when that happens,
/// reporting the case (see `Gateway::check`).
pub struct InProcess<S> {
    service: S,
}

impl<S> std::fmt::Debug for InProcess<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcess").finish_non_exhaustive()
    }
}

impl<S> InProcess<S> {
    /// Wraps a service.
    pub fn new(service: S) -> Self {
        quiet_handler_panics();
        InProcess { service }
    }
}

thread_local! {
    /// Whether this thread is polling a handler future right now.
    static IN_HANDLER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last handler panic on this thread was raised (`file:line:column`), noted by
    /// the panic hook and taken when the panic is caught.
    static PANIC_LOCATION: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the default panic hook from printing panics raised while a handler is polled: each
/// one is captured as an [`Outcome::Panic`], with its location, and shown in its finding, so
/// printing it again (once per shrinking step) only buries the report. Every other panic
/// prints as before.
fn quiet_handler_panics() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_HANDLER.with(std::cell::Cell::get) {
                let location = info.location().map(ToString::to_string);
                PANIC_LOCATION.with(|slot| *slot.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f` with [`IN_HANDLER`] set.
fn in_handler<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            IN_HANDLER.with(|flag| flag.set(self.0));
        }
    }
    let _reset = Reset(IN_HANDLER.with(|flag| flag.replace(true)));
    f()
}

pin_project_lite::pin_project! {
    /// A handler future, polled with [`IN_HANDLER`] set.
    struct HandlerFuture<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for HandlerFuture<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<F::Output> {
        let future = self.project().future;
        in_handler(|| future.poll(cx))
    }
}

/// The Lambda context for an invocation, with the deadline set from now.
pub(crate) fn lambda_context(invocation: &Invocation) -> Context {
    // `Context::default()` allocates a fresh function configuration each time; one shared
    // template is cloned instead (its configuration is an `Arc`).
    static TEMPLATE: std::sync::OnceLock<Context> = std::sync::OnceLock::new();
    let mut context = TEMPLATE.get_or_init(Context::default).clone();
    context.request_id = invocation.request_id.clone();
    context.deadline = deadline_ms(invocation.timeout);
    context.invoked_function_arn = invocation.invoked_function_arn.clone();
    // `ClientContext` is not re-exported by lambda_runtime, so it is built through serde, as
    // the runtime itself does from the `Lambda-Runtime-Client-Context` header. A client context
    // the runtime could not parse would make a real runtime loop exit; here it leaves the
    // context without one, and the invocation's builder is tested to produce parseable ones.
    match invocation.client_context.as_ref() {
        Some(raw) => match raw.prepared() {
            Some(prepared) => prepared.apply(raw.as_str(), &mut context),
            None => context.client_context = serde_json::from_str(raw.as_str()).ok(),
        },
        None => context.client_context = None,
    }
    context
}

/// A client context parsed once from a template, with the `custom` values each invocation
/// puts in: cloning the parsed template and replacing two values costs a fraction of parsing
/// the text of every case again (the in-process loop spent a tenth of its time there).
#[derive(Clone)]
pub(crate) struct PreparedContext {
    /// A context whose `client_context` is the template's, parsed.
    base: Arc<Context>,
    /// `custom` keys of the template, and where in the invocation's text (a [`RawJson`]) its
    /// values for them are: JSON strings that need no unescaping (ids of hex and decimal
    /// digits), so the text between the quotes is the value.
    custom: [(&'static str, Range<usize>); 2],
}

impl PreparedContext {
    /// The template `text` (a client context whose `custom` has every key the invocations
    /// fill in), parsed; `None` when Lambda's runtime could not parse it.
    pub(crate) fn parse_template(text: &str) -> Option<Arc<Context>> {
        let mut context = Context::default();
        context.client_context = Some(serde_json::from_str(text).ok()?);
        Some(Arc::new(context))
    }

    /// The client context of `base` with the `custom` values found in the text at the given
    /// ranges.
    pub(crate) fn new(base: Arc<Context>, custom: [(&'static str, Range<usize>); 2]) -> Self {
        PreparedContext { base, custom }
    }

    /// Puts the client context into `context`; `text` is the JSON text it was prepared with.
    fn apply(&self, text: &str, context: &mut Context) {
        context.client_context.clone_from(&self.base.client_context);
        if let Some(client_context) = context.client_context.as_mut() {
            for (key, range) in &self.custom {
                let value = &text[range.clone()];
                match client_context.custom.get_mut(*key) {
                    Some(slot) => value.clone_into(slot),
                    None => {
                        client_context
                            .custom
                            .insert((*key).to_owned(), value.to_owned());
                    }
                }
            }
        }
    }
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
        let (outcome, elapsed) = self.call(event, invocation.timeout, started).await;
        Answer::new(outcome, elapsed)
    }
}

impl<S> InProcess<S>
where
    S: Service<LambdaEvent<Value>> + Send,
    S::Future: Send + 'static,
    S::Response: Serialize + Send + 'static,
    S::Error: Into<Diagnostic> + Send + 'static,
{
    /// Calls the service with `event`, `started` being when the invocation began (its
    /// deadline is `started + timeout`); the outcome and the time it took.
    async fn call(
        &mut self,
        event: LambdaEvent<Value>,
        timeout: Duration,
        started: Instant,
    ) -> (Outcome, Duration) {
        let outcome = self.guarded_call(event, timeout, started).await;
        let elapsed = started.elapsed();
        if elapsed > timeout {
            // Timed out, or answered only after blocking its thread past the deadline: Lambda
            // would have ended the invocation at the deadline either way.
            return (Outcome::Timeout { limit: timeout }, elapsed);
        }
        (outcome, elapsed)
    }

    /// [`InProcess::call`] up to the deadline, with panics caught.
    async fn guarded_call(
        &mut self,
        event: LambdaEvent<Value>,
        timeout: Duration,
        started: Instant,
    ) -> Outcome {
        let ready = AssertUnwindSafe(HandlerFuture {
            future: self.service.ready(),
        })
        .catch_unwind();
        let service = match ready.await {
            Ok(Ok(service)) => service,
            Ok(Err(error)) => return function_error(error.into()),
            Err(panic) => {
                return caught_panic(&*panic);
            }
        };
        // `call` itself may panic before returning a future.
        let future =
            match std::panic::catch_unwind(AssertUnwindSafe(|| in_handler(|| service.call(event))))
            {
                Ok(future) => future,
                Err(panic) => {
                    return caught_panic(&*panic);
                }
            };
        let guarded = AssertUnwindSafe(HandlerFuture { future }).catch_unwind();
        let deadline = tokio::time::Instant::from_std(started + timeout);
        let ran = tokio::time::timeout_at(deadline, guarded).await;
        match ran {
            Ok(Ok(Ok(response))) => serialize(response),
            Ok(Ok(Err(error))) => function_error(error.into()),
            Ok(Err(panic)) => caught_panic(&*panic),
            Err(_elapsed) => Outcome::Timeout { limit: timeout },
        }
    }
}

/// The text of a panic payload.
/// The [`Outcome::Panic`] of a caught panic: its message, and where it was raised.
fn caught_panic(payload: &(dyn std::any::Any + Send)) -> Outcome {
    Outcome::Panic {
        message: panic_message(payload),
        location: PANIC_LOCATION.with(|slot| slot.borrow_mut().take()),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

fn function_error(diagnostic: Diagnostic) -> Outcome {
    Outcome::FunctionError {
        error_type: diagnostic.error_type,
        error_message: diagnostic.error_message,
    }
}

/// Serializes a response as the Lambda runtime would, measuring its size.
fn serialize<R: Serialize + 'static>(response: R) -> Outcome {
    // A service answering with a `Value` (the usual `service_fn` handler) is taken as it is:
    // serializing it again would only copy it.
    let response: Box<dyn std::any::Any> = Box::new(response);
    let response = match response.downcast::<Value>() {
        Ok(body) => return judged(*body),
        Err(other) => match other.downcast::<R>() {
            Ok(response) => *response,
            Err(_) => unreachable!("a box of R downcasts to R"),
        },
    };
    match serde_json::to_value(&response) {
        Ok(body) => judged(body),
        Err(error) => Outcome::InvalidJson {
            error: format!("the response cannot be serialized as JSON: {error}"),
            prefix: String::new(),
        },
    }
}

/// A response, measured; one nested deeper than [`MAX_ANSWER_DEPTH`] is refused (and dropped
/// without recursion) before anything walks it recursively.
fn judged(body: Value) -> Outcome {
    match depth::compact_size(&body, MAX_ANSWER_DEPTH) {
        Some(size) => Outcome::Response { body, size },
        None => {
            depth::dismantle(body);
            Outcome::InvalidJson {
                error: depth::too_deep_message(),
                prefix: String::new(),
            }
        }
    }
}

/// The size in bytes of `value` serialized compactly, without allocating it.
pub(crate) fn json_size(value: &Value) -> usize {
    depth::compact_size(value, usize::MAX).unwrap_or_else(|| json_size_serialized(value))
}

/// [`json_size`] by serializing `value` to a counter (what [`depth::compact_size`] does for
/// the numbers it does not write itself).
pub(crate) fn json_size_serialized(value: &Value) -> usize {
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
