//! The hand-over between the process manager and the Runtime API server.
//!
//! The process manager offers one invocation at a time and waits for progress; the server hands
//! the invocation to `/next` and records the answer. Both sides wait on a [`Notify`], never on a
//! timer. Each handler process lives in its own epoch: when a process is stopped, the epoch
//! moves on, and whatever its connections still ask is refused.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::Notify;
use tokio::sync::futures::Notified;

use super::error_report::ErrorReport;
use super::next::Handover;
use super::routes::ApiError;
use crate::handler::Outcome;

/// The shared state. One per [`ProcessHandler`](super::ProcessHandler).
#[derive(Debug, Default)]
pub(crate) struct Exchange {
    state: Mutex<State>,
    /// Wakes `/next` long-polls.
    to_runtime: Notify,
    /// Wakes the process manager.
    to_harness: Notify,
}

#[derive(Debug, Default)]
struct State {
    epoch: u64,
    /// Whether the process of this epoch has asked for `/next` (its init is over).
    initialized: bool,
    /// Offered, not yet taken by `/next`.
    pending: Option<Handover>,
    /// Taken by `/next`, not yet answered.
    active: Option<Active>,
    /// The answer to the last taken invocation, for the process manager.
    answer: Option<(Outcome, Instant)>,
    /// The first `/init/error` of this epoch, for the process manager.
    init_error: Option<ErrorReport>,
}

#[derive(Debug)]
struct Active {
    request_id: Box<str>,
    taken_at: Instant,
}

/// What the process manager sees.
#[derive(Debug, PartialEq)]
pub(crate) enum Progress {
    /// The invocation was not taken yet.
    Waiting,
    /// `/next` took it at this instant; no answer yet.
    Taken(Instant),
    /// The handler answered (response, function error, bad JSON, oversize).
    Answered {
        /// The answer.
        outcome: Outcome,
        /// When `/next` took the invocation.
        taken_at: Instant,
    },
    /// The handler reported an init error.
    InitError(ErrorReport),
}

fn stale() -> ApiError {
    ApiError::invalid_state_transition(
        "this connection belongs to a handler process that toolcontract has stopped",
    )
}

impl Exchange {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current epoch.
    pub(crate) fn epoch(&self) -> u64 {
        self.lock().epoch
    }

    /// Starts a new epoch: forgets the pending, active and answered invocations and any init
    /// error, and refuses whatever the old epoch's connections ask from now on.
    pub(crate) fn reset(&self) -> u64 {
        let epoch = {
            let mut state = self.lock();
            let epoch = state.epoch + 1;
            *state = State {
                epoch,
                ..State::default()
            };
            epoch
        };
        self.to_runtime.notify_waiters();
        epoch
    }

    /// Offers an invocation to `/next`.
    pub(crate) fn offer(&self, handover: Handover) {
        {
            let mut state = self.lock();
            state.pending = Some(handover);
            state.answer = None;
        }
        self.to_runtime.notify_waiters();
    }

    /// A future that completes at the next progress; create it (and enable it) before checking
    /// [`Exchange::progress`], so no progress is missed.
    pub(crate) fn progressed(&self) -> Notified<'_> {
        self.to_harness.notified()
    }

    /// Where the offered invocation stands. An answer or init error is handed out once.
    pub(crate) fn progress(&self) -> Progress {
        let mut state = self.lock();
        if let Some((outcome, taken_at)) = state.answer.take() {
            return Progress::Answered { outcome, taken_at };
        }
        if let Some(report) = state.init_error.take() {
            return Progress::InitError(report);
        }
        match &state.active {
            Some(active) => Progress::Taken(active.taken_at),
            None => Progress::Waiting,
        }
    }

    /// Whether the process of the current epoch has called `/next` at least once.
    pub(crate) fn initialized(&self) -> bool {
        self.lock().initialized
    }

    /// `/next`: waits until an invocation is offered, then takes it.
    pub(crate) async fn take_next(&self, epoch: u64) -> Result<Handover, ApiError> {
        loop {
            let notified = self.to_runtime.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.lock();
                if state.epoch != epoch {
                    return Err(stale());
                }
                if let Some(active) = &state.active {
                    return Err(ApiError::invalid_state_transition(format!(
                        "/next was called while invocation {} is still in progress: \
                         post its /response or /error first",
                        active.request_id
                    )));
                }
                state.initialized = true;
                if let Some(handover) = state.pending.take() {
                    state.active = Some(Active {
                        request_id: handover.request_id.clone(),
                        taken_at: Instant::now(),
                    });
                    drop(state);
                    self.to_harness.notify_one();
                    return Ok(handover);
                }
            }
            notified.await;
        }
    }

    /// Checks that `request_id` is the invocation in progress (before reading a body).
    pub(crate) fn check_active(&self, epoch: u64, request_id: &str) -> Result<(), ApiError> {
        let state = self.lock();
        if state.epoch != epoch {
            return Err(stale());
        }
        match &state.active {
            Some(active) if *active.request_id == *request_id => Ok(()),
            _ => Err(ApiError::invalid_request_id()),
        }
    }

    /// `/response` or `/error`: records the answer to the invocation in progress.
    pub(crate) fn answer(
        &self,
        epoch: u64,
        request_id: &str,
        outcome: Outcome,
    ) -> Result<(), ApiError> {
        {
            let mut state = self.lock();
            if state.epoch != epoch {
                return Err(stale());
            }
            match state.active.take() {
                Some(active) if *active.request_id == *request_id => {
                    state.answer = Some((outcome, active.taken_at));
                }
                other => {
                    state.active = other;
                    return Err(ApiError::invalid_request_id());
                }
            }
        }
        self.to_harness.notify_one();
        Ok(())
    }

    /// `/init/error`: records an init error, allowed only before the first `/next`.
    pub(crate) fn init_error(&self, epoch: u64, report: ErrorReport) -> Result<(), ApiError> {
        {
            let mut state = self.lock();
            if state.epoch != epoch {
                return Err(stale());
            }
            if state.initialized {
                return Err(ApiError::invalid_state_transition(
                    "/init/error was called after /next: init is over; \
                     report errors of an invocation with its /error",
                ));
            }
            state.init_error.get_or_insert(report);
        }
        self.to_harness.notify_one();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use http::StatusCode;
    use serde_json::json;

    use super::*;
    use crate::handler::Invocation;

    fn handover(id: &str) -> Handover {
        Handover::new(&Invocation::new(
            id,
            json!({}),
            "arn",
            Duration::from_secs(1),
        ))
    }

    fn response() -> Outcome {
        Outcome::Response {
            body: json!(1),
            size: 1,
        }
    }

    #[tokio::test]
    async fn an_offer_reaches_a_waiting_next_and_its_answer_the_harness() {
        let exchange = Arc::new(Exchange::default());
        let epoch = exchange.reset();
        let waiter = tokio::spawn({
            let exchange = exchange.clone();
            async move { exchange.take_next(epoch).await }
        });
        tokio::task::yield_now().await;
        assert_eq!(exchange.progress(), Progress::Waiting);
        exchange.offer(handover("r1"));
        let taken = waiter.await.unwrap().unwrap();
        assert_eq!(&*taken.request_id, "r1");
        assert!(matches!(exchange.progress(), Progress::Taken(_)));
        assert!(exchange.initialized());

        assert_eq!(exchange.check_active(epoch, "r1"), Ok(()));
        assert_eq!(
            exchange.check_active(epoch, "r2").unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        exchange.answer(epoch, "r1", response()).unwrap();
        assert!(matches!(
            exchange.progress(),
            Progress::Answered { outcome, .. } if outcome == response()
        ));
        // Handed out once; a second answer for the same id is refused.
        assert_eq!(exchange.progress(), Progress::Waiting);
        assert_eq!(
            exchange.answer(epoch, "r1", response()).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }

    #[tokio::test]
    async fn an_offer_made_before_next_is_taken_at_once() {
        let exchange = Exchange::default();
        let epoch = exchange.reset();
        exchange.offer(handover("r1"));
        let taken = exchange.take_next(epoch).await.unwrap();
        assert_eq!(&*taken.request_id, "r1");
    }

    #[tokio::test]
    async fn next_during_an_invocation_is_refused() {
        let exchange = Exchange::default();
        let epoch = exchange.reset();
        exchange.offer(handover("r1"));
        exchange.take_next(epoch).await.unwrap();
        let error = exchange.take_next(epoch).await.unwrap_err();
        assert_eq!(error.status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn a_reset_refuses_the_old_epoch_and_wakes_its_waiters() {
        let exchange = Arc::new(Exchange::default());
        let old = exchange.reset();
        let waiter = tokio::spawn({
            let exchange = exchange.clone();
            async move { exchange.take_next(old).await }
        });
        tokio::task::yield_now().await;
        let new = exchange.reset();
        assert_ne!(old, new);
        assert_eq!(
            waiter.await.unwrap().unwrap_err().error_type,
            "InvalidStateTransition"
        );
        // The new epoch's offer is not stolen by the old epoch.
        exchange.offer(handover("r2"));
        assert!(exchange.take_next(old).await.is_err());
        assert_eq!(&*exchange.take_next(new).await.unwrap().request_id, "r2");
    }

    #[tokio::test]
    async fn init_error_is_allowed_only_before_next() {
        let exchange = Exchange::default();
        let epoch = exchange.reset();
        let report = ErrorReport {
            error_type: "Runtime.ImportModuleError".into(),
            error_message: "no module".into(),
        };
        exchange.init_error(epoch, report.clone()).unwrap();
        assert_eq!(exchange.progress(), Progress::InitError(report.clone()));
        exchange.offer(handover("r1"));
        exchange.take_next(epoch).await.unwrap();
        assert_eq!(
            exchange.init_error(epoch, report).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
    }
}
