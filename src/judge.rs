//! Judging helpers shared by every kind of contract: how an answer breaks the rules that do
//! not depend on the contract (function errors, deadline, size), and schema errors as text.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::check::CheckName;
use crate::handler::{Answer, Outcome, RESPONSE_SIZE_LIMIT};
use crate::pointer::JsonPointer;
use crate::results::Failure;

/// The annotation of a response contract that maps instance locations to checks.
const CHECKS_ANNOTATION: &str = "x-checks";

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
        Outcome::Panic {
            message,
            location: Some(location),
        } => Some(format!("the handler panicked at {location}: {message}")),
        Outcome::Panic { message, .. } => Some(format!("the handler panicked: {message}")),
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

/// A response contract's `x-checks` map: (instance pointer prefix, check).
pub(crate) fn routes(schema: &Value) -> Vec<(JsonPointer, CheckName)> {
    schema
        .get(CHECKS_ANNOTATION)
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(pointer, check)| {
                    Some((
                        JsonPointer::parse(pointer)?,
                        check.as_str()?.parse::<CheckName>().ok()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The check that owns a contract error: the route whose pointer is the longest prefix of the
/// error's location (for a missing member, the member's location), else `None` (the
/// contract's shape check).
pub(crate) fn route(
    routes: &[(JsonPointer, CheckName)],
    error: &ValidationError<'_>,
) -> Option<CheckName> {
    let mut location = JsonPointer::parse(error.instance_path().as_str()).unwrap_or_default();
    if let ValidationErrorKind::Required { property } = error.kind()
        && let Some(member) = property.as_str()
    {
        location = location.key(member);
    }
    routes
        .iter()
        .filter(|(prefix, _)| {
            let (p, l) = (prefix.as_str(), location.as_str());
            l.starts_with(p) && (l.len() == p.len() || l.as_bytes()[p.len()] == b'/')
        })
        .max_by_key(|(prefix, _)| prefix.as_str().len())
        .map(|(_, check)| *check)
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

/// How many bytes of a response (or of a text) messages quote: [`preview`], [`quote`].
const PREVIEW_BYTES: usize = 200;

/// The members a long answer is quoted by first: they say what went wrong.
const KEY_MEMBERS: &[&str] = &[
    "isError",
    "statusCode",
    "success",
    "ok",
    "error",
    "errorMessage",
    "errorType",
    "message",
];

/// A response as compact JSON, cut at [`PREVIEW_BYTES`] (on a character boundary) with `…`:
/// how messages quote a response. A long object that has members saying what went wrong
/// (`error`, `errorMessage`, `statusCode`, ...) is quoted by those first, so the cut never
/// hides them.
///
/// Only the quoted prefix is serialized (a 7 MiB answer is not copied to quote 200 bytes of
/// it); the size a quote by members gives is counted without building the text.
pub(crate) fn preview(body: &serde_json::Value) -> String {
    let prefix = json_prefix(body, PREVIEW_BYTES + 1);
    if prefix.len() <= PREVIEW_BYTES {
        return cut_bytes(&prefix, PREVIEW_BYTES);
    }
    if let Some(object) = body.as_object() {
        let key: serde_json::Map<String, Value> = KEY_MEMBERS
            .iter()
            .filter_map(|k| object.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect();
        if !key.is_empty() && key.len() < object.len() {
            let more = object.len() - key.len();
            let quoted = cut_bytes(
                &json_prefix(&Value::Object(key), PREVIEW_BYTES + 1),
                PREVIEW_BYTES,
            );
            let size = crate::handler::json_size(body);
            return format!("{quoted} and {more} more members ({size} bytes)");
        }
    }
    cut_bytes(&prefix, PREVIEW_BYTES)
}

/// `text` cut at [`PREVIEW_BYTES`] on a character boundary, with `…` when cut: how messages
/// quote an answer's text. Only the quoted prefix is copied.
pub(crate) fn quote(text: &str) -> String {
    let bytes = text.as_bytes();
    cut_bytes(&bytes[..bytes.len().min(PREVIEW_BYTES + 1)], PREVIEW_BYTES)
}

/// At most the first `limit` bytes of `value` as compact JSON: serializing stops once they
/// are written.
fn json_prefix(value: &Value, limit: usize) -> Vec<u8> {
    /// Keeps the first `limit` bytes written, then refuses more, which ends serialization.
    struct Prefix {
        bytes: Vec<u8>,
        limit: usize,
    }
    impl std::io::Write for Prefix {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let room = self.limit - self.bytes.len();
            if buf.len() > room {
                self.bytes.extend_from_slice(&buf[..room]);
                return Err(std::io::Error::other("the quoted prefix is full"));
            }
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut prefix = Prefix {
        bytes: Vec::with_capacity(limit),
        limit,
    };
    // The only error is the full prefix (a `Value` always serializes): it is the point.
    let _ = serde_json::to_writer(&mut prefix, value);
    prefix.bytes
}

/// The UTF-8 `bytes` (a prefix of a text: it may end inside a character) cut at `max` bytes
/// on a character boundary, with `…` when cut; `bytes` longer than `max` say the text is.
fn cut_bytes(bytes: &[u8], max: usize) -> String {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if bytes.len() <= max {
        return text(bytes);
    }
    // A character boundary: a byte that does not continue a character (0b10xx_xxxx).
    let at = (0..=max)
        .rev()
        .find(|&i| bytes[i] & 0xc0 != 0x80)
        .unwrap_or(0);
    let mut cut = text(&bytes[..at]);
    cut.push('…');
    cut
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

/// How an answer says that it failed: the signals every contract and profile read alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ErrorSignal {
    /// `"isError": true`.
    IsError,
    /// A numeric `statusCode` of 400 or more (API Gateway style).
    StatusCode(i64),
    /// An `error`, `errorMessage` or `errorType` member that is not null, false or empty.
    ErrorMember(&'static str),
    /// `"success": false` or `"ok": false`.
    SuccessFalse(&'static str),
    /// Only its text reads as an error ([`is_error_text`]).
    Text,
}

impl ErrorSignal {
    /// The signal in a few words, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            ErrorSignal::IsError => "\"isError\": true".to_owned(),
            ErrorSignal::StatusCode(code) => format!("statusCode {code}"),
            ErrorSignal::ErrorMember(key) => format!("an `{key}` member"),
            ErrorSignal::SuccessFalse(key) => format!("\"{key}\": false"),
            ErrorSignal::Text => "a text that reads as an error".to_owned(),
        }
    }

    /// Whether the signal is structured (a member), not only a reading of the text.
    pub(crate) fn is_structured(&self) -> bool {
        !matches!(self, ErrorSignal::Text)
    }
}

/// The members that carry an error in the common answer styles.
const ERROR_MEMBERS: &[&str] = &["error", "errorMessage", "errorType"];

/// How `body` says it failed, if it does: `isError`, `statusCode`, an error member, `success:
/// false`, or (looked at last) a text that reads as an error: a string answer, a `body` or
/// `message` string, or the text blocks of `content`. A `body` string that is itself JSON is
/// read the same way, one level down.
pub(crate) fn error_signal(body: &Value) -> Option<ErrorSignal> {
    structured_signal(body, true)
        .or_else(|| texts(body).any(is_error_text).then_some(ErrorSignal::Text))
}

fn structured_signal(body: &Value, descend: bool) -> Option<ErrorSignal> {
    let object = body.as_object()?;
    if object.get("isError") == Some(&Value::Bool(true)) {
        return Some(ErrorSignal::IsError);
    }
    if let Some(code) = object.get("statusCode").and_then(status_code)
        && code >= 400
    {
        return Some(ErrorSignal::StatusCode(code));
    }
    for key in ERROR_MEMBERS {
        if object.get(*key).is_some_and(is_present) {
            return Some(ErrorSignal::ErrorMember(key));
        }
    }
    for key in ["success", "ok"] {
        if object.get(key) == Some(&Value::Bool(false)) {
            return Some(ErrorSignal::SuccessFalse(key));
        }
    }
    if descend
        && let Some(Value::String(text)) = object.get("body")
        && text.trim_start().starts_with('{')
        && let Ok(inner) = serde_json::from_str::<Value>(text)
    {
        return structured_signal(&inner, false);
    }
    None
}

/// A status code given as a number or as a numeric string.
fn status_code(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_present(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// The texts of an answer a person would read first: a string answer, a `body` or `message`
/// string, the text blocks of `content`.
fn texts(body: &Value) -> impl Iterator<Item = &str> {
    let own = body.as_str();
    let members = ["body", "message"]
        .into_iter()
        .filter_map(move |key| body.get(key).and_then(Value::as_str));
    let blocks = body
        .get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|block| block.get("text").and_then(Value::as_str));
    own.into_iter().chain(members).chain(blocks)
}

/// Words that make a text an error text.
const ERROR_WORDS: &[&str] = &[
    "error",
    "errors",
    "unknown",
    "invalid",
    "unsupported",
    "unrecognized",
    "unrecognised",
    "failed",
    "failure",
    "exception",
];

/// Word pairs that make a text an error text.
const ERROR_PAIRS: &[(&str, &str)] = &[
    ("not", "found"),
    ("not", "supported"),
    ("not", "recognized"),
    ("not", "implemented"),
    ("no", "such"),
    ("not", "exist"),
    ("doesn't", "exist"),
];

/// How many letters each word of [`ERROR_WORDS`] and each second word of [`ERROR_PAIRS`] has:
/// [`is_error_text`] compares only words of these lengths.
const ERROR_WORD_LENGTHS: std::ops::RangeInclusive<usize> = 4..=12;

/// How much of a text [`is_error_text`] reads: error texts say so up front.
pub const ERROR_TEXT_WINDOW: usize = 1_000;

/// Whether a text reads as an error: its first [`ERROR_TEXT_WINDOW`] characters contain, as
/// whole words and in any case, one of `error`, `errors`, `unknown`, `invalid`, `unsupported`,
/// `unrecognized` (or `unrecognised`), `failed`, `failure`, `exception`, or one of the pairs
/// `not found`, `not supported`, `not recognized`, `not implemented`, `no such`, `not exist`,
/// `doesn't exist`. A heuristic: handlers that report errors only in text still count as
/// rejecting.
pub fn is_error_text(text: &str) -> bool {
    // Every listed word is ASCII: compared without lowercasing, no allocation (this runs on
    // every answer).
    let end = window_end(text);
    let is = |w: &str, word: &str| w.eq_ignore_ascii_case(word);
    let mut previous = "";
    for w in words(&text[..end]) {
        if ERROR_WORD_LENGTHS.contains(&w.len())
            && (ERROR_WORDS.iter().any(|word| is(w, word))
                || ERROR_PAIRS.iter().any(|(a, b)| is(previous, a) && is(w, b)))
        {
            return true;
        }
        previous = w;
    }
    false
}

/// Where the first [`ERROR_TEXT_WINDOW`] characters of `text` end.
fn window_end(text: &str) -> usize {
    // A text of no more bytes than that has no more characters either.
    if text.len() <= ERROR_TEXT_WINDOW {
        return text.len();
    }
    text.char_indices()
        .nth(ERROR_TEXT_WINDOW)
        .map_or(text.len(), |(i, _)| i)
}

fn lower_window(text: &str) -> String {
    text[..window_end(text)].to_lowercase()
}

fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// What a dispatcher calls the thing it could not find.
const TOOL_NOUNS: &[&str] = &[
    "tool",
    "function",
    "action",
    "operation",
    "method",
    "command",
    "path",
    "route",
    "api",
    "endpoint",
    "handler",
];

/// What a dispatcher says when it cannot find what it was asked for.
const MISSING_WORDS: &[&str] = &[
    "unknown",
    "unrecognized",
    "unrecognised",
    "unsupported",
    "invalid",
    "unhandled",
    "unexpected",
    "missing",
];

/// Whether a text is the generic answer of a dispatcher to a name it does not know: "Unknown
/// tool: x", "Unrecognized tool_name: x", "tool x not found", "no such function", "Action not
/// implemented". Such a text says nothing about the tool's own code, so a tool that only ever
/// answers it is not reached.
pub(crate) fn is_unknown_tool_text(text: &str) -> bool {
    let lower = lower_window(text);
    let words: Vec<&str> = words(&lower)
        .flat_map(|w| w.split('_'))
        .filter(|w| !w.is_empty())
        .collect();
    let is_noun =
        |w: &&str| TOOL_NOUNS.contains(w) || TOOL_NOUNS.contains(&w.trim_end_matches('s'));
    (0..words.len()).any(|i| {
        let missing = MISSING_WORDS.contains(&words[i])
            || (words[i] == "such" && i > 0 && words[i - 1] == "no");
        // "unknown tool", "unknown tool name", "no such function"
        let before = missing && words[i + 1..].iter().take(2).any(is_noun);
        // "tool x not found", "tool not implemented", "function does not exist"
        let after = is_noun(&words[i])
            && words[i + 1..]
                .iter()
                .take(4)
                .collect::<Vec<_>>()
                .windows(2)
                .any(|pair| {
                    matches!(
                        (*pair[0], *pair[1]),
                        (
                            "not",
                            "found" | "implemented" | "supported" | "recognized" | "exist"
                        ) | ("doesn't" | "does", "exist")
                    )
                });
        before || after
    })
}

/// The text of an answer for comparing it with other answers: compact JSON (a string answer:
/// its text) with every name in `names` (longest first) replaced by `placeholder`, so
/// "Unknown tool add" and "Unknown tool toolcontract_undeclared_tool" compare equal.
pub(crate) fn normalized(body: &Value, names: &[&str], placeholder: &str) -> String {
    let mut text = match body {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut names: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        if text.contains(name) {
            text = text.replace(name, placeholder);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn error_signals_are_read_alike_from_every_answer_style() {
        let signal = |v: Value| error_signal(&v);
        assert_eq!(
            signal(json!({"content": [], "isError": true})),
            Some(ErrorSignal::IsError)
        );
        assert_eq!(
            signal(json!({"statusCode": 404, "body": "x"})),
            Some(ErrorSignal::StatusCode(404))
        );
        assert_eq!(
            signal(json!({"statusCode": "500"})),
            Some(ErrorSignal::StatusCode(500))
        );
        assert_eq!(
            signal(json!({"error": "boom"})),
            Some(ErrorSignal::ErrorMember("error"))
        );
        assert_eq!(
            signal(json!({"errorMessage": "x", "errorType": "E"})),
            Some(ErrorSignal::ErrorMember("errorMessage"))
        );
        assert_eq!(
            signal(json!({"success": false})),
            Some(ErrorSignal::SuccessFalse("success"))
        );
        // A `body` that is JSON is read one level down.
        assert_eq!(
            signal(json!({"statusCode": 200, "body": "{\"error\": \"no order\"}"})),
            Some(ErrorSignal::ErrorMember("error"))
        );
        assert_eq!(
            signal(json!("Unrecognized tool_name: x")),
            Some(ErrorSignal::Text)
        );
        assert_eq!(
            signal(json!({"content": [{"text": "Order 12 not found"}]})),
            Some(ErrorSignal::Text)
        );
        // Not errors: empty or null error members, success true, ordinary results.
        assert_eq!(signal(json!({"error": null, "result": 3})), None);
        assert_eq!(signal(json!({"error": "", "success": true})), None);
        assert_eq!(
            signal(json!({"statusCode": 200, "body": "{\"orders\": []}"})),
            None
        );
        assert_eq!(signal(json!({"content": [{"text": "3"}]})), None);
        assert_eq!(signal(json!(42)), None);
    }

    #[test]
    fn error_texts_are_whole_words() {
        assert!(is_error_text("Unknown function: foo"));
        assert!(is_error_text("Booking 12 not found"));
        assert!(is_error_text("{\"error\": \"boom\"}"));
        assert!(is_error_text("That action doesn't exist"));
        assert!(!is_error_text("Booking 12 confirmed for 4 guests"));
        assert!(!is_error_text("errorless"));
        assert!(!is_error_text(""));
        // Only the window is read, counted in characters: 999 three-byte characters, then a
        // word that starts inside the window, then one past it.
        let wide = "\u{3042}".repeat(ERROR_TEXT_WINDOW - 6);
        assert!(is_error_text(&format!("{wide} error")));
        assert!(!is_error_text(&format!("{wide}      error")));
        // The length filter in `is_error_text` holds for every listed word.
        for word in ERROR_WORDS.iter().chain(ERROR_PAIRS.iter().map(|(_, b)| b)) {
            assert!(ERROR_WORD_LENGTHS.contains(&word.len()), "{word}");
        }
    }

    #[test]
    fn unknown_tool_texts_are_a_dispatchers_not_a_tools() {
        for text in [
            "Unknown tool: add",
            "unknown tool None",
            "Unrecognized tool_name: get_weather",
            "{\"error\": \"Tool 'x' not found\"}",
            "No such function",
            "Unsupported action …",
            "Invalid tool name",
            "Method not implemented",
            "the tool … does not exist",
        ] {
            assert!(is_unknown_tool_text(text), "{text}");
        }
        for text in [
            "unknown unit: parsec",
            "Order ORD-1 not found",
            "Invalid … arguments: a must be positive",
            "invalid date 2024-13-01",
            "3",
        ] {
            assert!(!is_unknown_tool_text(text), "{text}");
        }
    }

    #[test]
    fn names_are_normalised_out_longest_first() {
        let body = json!({"error": "Unknown tool t___add_v2 (add_v2)"});
        assert_eq!(
            normalized(&body, &["add_v2", "t___add_v2"], "…"),
            r#"{"error":"Unknown tool … (…)"}"#
        );
        assert_eq!(normalized(&json!("no add"), &["add", ""], "…"), "no …");
    }

    #[test]
    fn long_answers_are_quoted_by_what_went_wrong() {
        let mut body = json!({"error": "the order id must be 10 digits", "statusCode": 400});
        body["items"] = json!(vec!["x".repeat(50); 10]);
        let quoted = preview(&body);
        assert!(
            quoted.starts_with(
                r#"{"error":"the order id must be 10 digits","statusCode":400} and 1 more members"#
            ),
            "{quoted}"
        );
        assert_eq!(preview(&json!({"a": 1})), r#"{"a":1}"#);
        assert!(preview(&json!("x".repeat(300))).ends_with('…'));
    }

    /// What [`preview`] gave when it serialized the whole body and cut the text.
    fn preview_of_the_whole_text(body: &Value) -> String {
        let whole = |text: String, max: usize| {
            if text.len() <= max {
                return text;
            }
            let at = (0..=max).rev().find(|i| text.is_char_boundary(*i)).unwrap();
            format!("{}…", &text[..at])
        };
        let text = body.to_string();
        if text.len() <= PREVIEW_BYTES {
            return text;
        }
        if let Some(object) = body.as_object() {
            let key: serde_json::Map<String, Value> = KEY_MEMBERS
                .iter()
                .filter_map(|k| object.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                .collect();
            if !key.is_empty() && key.len() < object.len() {
                let more = object.len() - key.len();
                let quoted = whole(Value::Object(key).to_string(), PREVIEW_BYTES);
                return format!("{quoted} and {more} more members ({} bytes)", text.len());
            }
        }
        whole(text, PREVIEW_BYTES)
    }

    #[test]
    fn previews_serialize_only_their_prefix_and_quote_as_before() {
        let mut with_members = json!({"error": "é".repeat(150), "statusCode": 400});
        with_members["items"] = json!(vec!["x".repeat(50); 10]);
        let bodies = [
            json!({"a": 1}),
            json!("x".repeat(199)),
            json!("x".repeat(198)),
            json!("x".repeat(7 * 1024 * 1024)),
            // Two-byte characters: the cut falls inside one at odd offsets.
            json!("é".repeat(300)),
            json!(format!("x{}", "é".repeat(300))),
            json!({"content": [{"text": "€".repeat(1000)}]}),
            with_members,
            json!({"error": "no", "statusCode": 400}),
        ];
        for body in &bodies {
            let quoted = preview(body);
            assert_eq!(quoted, preview_of_the_whole_text(body));
            assert!(quoted.len() <= PREVIEW_BYTES + 100, "{quoted}");
        }
        // The prefix alone is serialized: a 7 MiB answer gives 201 bytes, not 7 MiB.
        let big = json!({"content": [{"text": "x".repeat(7 * 1024 * 1024)}]});
        assert_eq!(
            json_prefix(&big, PREVIEW_BYTES + 1).len(),
            PREVIEW_BYTES + 1
        );
        assert_eq!(
            json_prefix(&json!({"a": 1}), PREVIEW_BYTES + 1),
            br#"{"a":1}"#
        );
    }

    #[test]
    fn texts_are_quoted_by_their_first_200_bytes() {
        assert_eq!(quote("Unknown tool"), "Unknown tool");
        assert_eq!(quote(&"x".repeat(200)), "x".repeat(200));
        assert_eq!(quote(&"x".repeat(201)), format!("{}…", "x".repeat(200)));
        // 'é' is two bytes: 100 of them fill 200 bytes exactly, 101 are cut after 100.
        assert_eq!(quote(&"é".repeat(100)), "é".repeat(100));
        assert_eq!(quote(&"é".repeat(101)), format!("{}…", "é".repeat(100)));
        assert_eq!(
            quote(&format!("x{}", "é".repeat(100))),
            format!("x{}…", "é".repeat(99))
        );
    }
}
