//! Judging helpers shared by every kind of contract: how an answer breaks the rules that do
//! not depend on the contract (function errors, deadline, size), and schema errors as text.

use crate::check::CheckName;
use crate::handler::{Answer, Outcome, RESPONSE_SIZE_LIMIT};
use crate::runner::Failure;

/// How many schema errors a message lists before saying "and N more".
const MAX_LISTED_ERRORS: usize = 3;

/// The failure of an answer that is not a response at all (a function error of any kind), as
/// text, or `None` when the handler answered with JSON (or timed out or was oversize, which
/// other checks own).
pub(crate) fn function_error(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Response { .. } | Outcome::Timeout { .. } | Outcome::Oversize { .. } => None,
        Outcome::FunctionError {
            error_type,
            error_message,
        } => Some(format!(
            "the handler failed with a function error ({error_type}: {error_message})"
        )),
        Outcome::Panic { message } => Some(format!("the handler panicked: {message}")),
        Outcome::Exited { status } => Some(format!("the handler process exited: {status}")),
        Outcome::InitError {
            error_type,
            error_message,
        } => Some(format!(
            "the handler process failed to initialize ({error_type}: {error_message})"
        )),
        Outcome::InvalidJson { error, prefix } => Some(format!(
            "the handler answered with bytes that are not JSON ({error}); they begin {prefix:?}"
        )),
    }
}

/// `within_deadline` and `response_size`: the rules every answer must keep.
pub(crate) fn limits(answer: &Answer, failures: &mut Vec<Failure>) {
    match &answer.outcome {
        Outcome::Timeout { limit } => failures.push(Failure::new(
            CheckName::WithinDeadline,
            format!(
                "no answer within the {} ms deadline; Lambda ends the invocation at its \
                 deadline and the agent gets an opaque error",
                limit.as_millis()
            ),
        )),
        Outcome::Oversize { size_at_least } => failures.push(Failure::new(
            CheckName::ResponseSize,
            format!(
                "the response is over {size_at_least} bytes; Lambda's synchronous response limit \
                 is {RESPONSE_SIZE_LIMIT} bytes"
            ),
        )),
        Outcome::Response { size, .. } if *size > RESPONSE_SIZE_LIMIT => {
            failures.push(Failure::new(
                CheckName::ResponseSize,
                format!(
                    "the response is {size} bytes; Lambda's synchronous response limit is \
                     {RESPONSE_SIZE_LIMIT} bytes"
                ),
            ));
        }
        _ => {}
    }
}

/// The errors `validator` finds in `value`, as one line each with the instance path, or
/// `None` when it is valid.
pub(crate) fn schema_errors(
    validator: &jsonschema::Validator,
    value: &serde_json::Value,
) -> Option<String> {
    // Most answers are valid: `is_valid` answers that without building any error.
    if validator.is_valid(value) {
        return None;
    }
    describe_errors(validator.iter_errors(value))
}

/// Schema errors as text, one per line with the instance path (at most
/// [`MAX_LISTED_ERRORS`], then "and N more"), or `None` when there are none.
pub(crate) fn describe_errors<'a>(
    errors: impl IntoIterator<Item = jsonschema::ValidationError<'a>>,
) -> Option<String> {
    let mut lines = Vec::new();
    let mut more = 0;
    for error in errors {
        if lines.len() < MAX_LISTED_ERRORS {
            let path = error.instance_path().as_str().to_owned();
            let at = if path.is_empty() { "(root)" } else { &path };
            lines.push(format!("at {at}: {error}"));
        } else {
            more += 1;
        }
    }
    if lines.is_empty() {
        return None;
    }
    if more > 0 {
        lines.push(format!("and {more} more"));
    }
    Some(lines.join("; "))
}

/// How many bytes of a response [`preview`] shows.
const PREVIEW_BYTES: usize = 200;

/// A response as compact JSON, cut at [`PREVIEW_BYTES`] (on a character boundary) with `…`:
/// how messages quote a response.
pub(crate) fn preview(body: &serde_json::Value) -> String {
    let mut text = body.to_string();
    if text.len() > PREVIEW_BYTES {
        let cut = (0..=PREVIEW_BYTES)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Keeps the first failure of each check.
pub(crate) fn dedup(failures: &mut Vec<Failure>) {
    let mut seen = Vec::new();
    failures.retain(|f| {
        if seen.contains(&f.check) {
            false
        } else {
            seen.push(f.check);
            true
        }
    });
}
