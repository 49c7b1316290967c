//! Redactions: values that change from run to run without the handler's behaviour changing.
//!
//! Built in, everywhere in a response (and in the text of a function error):
//! - the invocation's request ids (`[request_id]`): the Lambda request id and, for the
//!   Gateway, `bedrockAgentCoreAwsRequestId`;
//! - X-Ray trace ids, `1-<8 hex>-<24 hex>` (`[trace_id]`);
//! - timestamps near the run (`[timestamp]`): integers and decimals that read as seconds,
//!   milliseconds, microseconds or nanoseconds since the epoch within minutes of the
//!   invocation (the deadline included), and date-times (`2025-06-12T10:00:00Z`, with or without
//!   fraction and offset) within a day of it.
//!
//! A value that also appears in the event is the handler echoing its input, not a clock, and
//! stays. Besides these, the user names values by JSON Pointer, with `*` for any one member or
//! item and `**` for any number of levels; those are replaced by `"[redacted]"`.

use serde_json::{Number, Value};

use crate::errors::Error;

/// What a user redaction leaves in place of the value.
pub(super) const REDACTED: &str = "[redacted]";
/// What a request id becomes.
pub(super) const REQUEST_ID: &str = "[request_id]";
/// What an X-Ray trace id becomes.
pub(super) const TRACE_ID: &str = "[trace_id]";
/// What a timestamp near the run becomes.
pub(super) const TIMESTAMP: &str = "[timestamp]";

/// How far from the invocation an epoch number may lie and still count as a clock reading.
const NUMBER_SLACK_MS: i128 = 10 * 60 * 1000;
/// How far from the invocation a date-time may lie (a local time without offset may be off by
/// up to 14 hours).
const DATETIME_SLACK_MS: i128 = 24 * 60 * 60 * 1000;
/// Request ids shorter than this are not searched for (they would match ordinary text).
const MIN_ID_LEN: usize = 8;

/// One segment of a user redaction path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// A member name or an array index.
    Key(String),
    /// `*`: any one member or item.
    Any,
    /// `**`: any number of levels, none included.
    Deep,
}

/// A user redaction: a JSON Pointer with wildcards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RedactPath {
    segments: Vec<Segment>,
}

impl RedactPath {
    /// Parses `/a/*/b`, `/**/createdAt`, or `` (the whole response).
    pub(crate) fn parse(text: &str) -> Result<RedactPath, Error> {
        if text.is_empty() {
            return Ok(RedactPath {
                segments: Vec::new(),
            });
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(Error::Usage(format!(
                "redaction `{text}` is not a JSON Pointer: it must start with `/` (e.g. \
                 `/structuredContent/createdAt`, `/content/*/text`, `/**/timestamp`)"
            )));
        };
        let segments = rest
            .split('/')
            .map(|raw| match raw {
                "*" => Segment::Any,
                "**" => Segment::Deep,
                _ => Segment::Key(raw.replace("~1", "/").replace("~0", "~")),
            })
            .collect();
        Ok(RedactPath { segments })
    }

    /// Replaces every value the path names in `value` with [`REDACTED`].
    pub(crate) fn apply(&self, value: &mut Value) {
        apply(value, &self.segments);
    }
}

fn apply(value: &mut Value, segments: &[Segment]) {
    let Some((first, rest)) = segments.split_first() else {
        *value = Value::String(REDACTED.to_owned());
        return;
    };
    match first {
        Segment::Key(key) => match value {
            Value::Object(map) => {
                if let Some(child) = map.get_mut(key) {
                    apply(child, rest);
                }
            }
            Value::Array(items) => {
                if let Some(child) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    apply(child, rest);
                }
            }
            _ => {}
        },
        Segment::Any => for_each_child(value, |child| apply(child, rest)),
        Segment::Deep => {
            apply(value, rest);
            for_each_child(value, |child| apply(child, segments));
        }
    }
}

fn for_each_child(value: &mut Value, mut f: impl FnMut(&mut Value)) {
    match value {
        Value::Object(map) => map.values_mut().for_each(&mut f),
        Value::Array(items) => items.iter_mut().for_each(&mut f),
        _ => {}
    }
}

/// What was volatile about one invocation: its ids, when it ran, and what it was sent.
#[derive(Debug)]
pub(crate) struct Volatile<'a> {
    /// Request ids to replace wherever they appear.
    pub(crate) ids: Vec<&'a str>,
    /// Milliseconds since the epoch just before the invocation was handed over.
    pub(crate) started_ms: i128,
    /// Milliseconds since the epoch of the latest deadline it can have seen (answer time plus
    /// the timeout).
    pub(crate) latest_ms: i128,
    /// The event: values in it are echoes, never redacted.
    pub(crate) event: &'a Value,
}

impl Volatile<'_> {
    fn near(&self, ms: i128, slack: i128) -> bool {
        (self.started_ms - slack..=self.latest_ms + slack).contains(&ms)
    }

    /// Whether the event holds this text (in a string) or this number.
    fn echoed(&self, text: &str) -> bool {
        fn find(value: &Value, text: &str) -> bool {
            match value {
                Value::String(s) => s.contains(text),
                Value::Number(n) => n.to_string() == text,
                Value::Array(items) => items.iter().any(|v| find(v, text)),
                Value::Object(map) => map.values().any(|v| find(v, text)),
                _ => false,
            }
        }
        find(self.event, text)
    }

    /// Whether `digits` (an integer, maybe with a fraction) reads as a clock near the run.
    fn is_epoch(&self, integer_digits: &str, number: f64) -> bool {
        let scale = match integer_digits.len() {
            10 => 1_000.0,
            13 => 1.0,
            16 => 0.001,
            19 => 0.000_001,
            _ => return false,
        };
        let ms = (number * scale) as i128;
        self.near(ms, NUMBER_SLACK_MS)
    }
}

/// Redacts every string and number in `value` (recursively).
pub(crate) fn redact_value(value: &mut Value, volatile: &Volatile<'_>) {
    match value {
        Value::String(s) => *s = redact_text(s, volatile),
        Value::Number(n) if is_epoch_number(n, volatile) => {
            *value = Value::String(TIMESTAMP.to_owned());
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, volatile)),
        Value::Object(map) => map.values_mut().for_each(|v| redact_value(v, volatile)),
        _ => {}
    }
}

fn is_epoch_number(n: &Number, volatile: &Volatile<'_>) -> bool {
    let Some(number) = n.as_f64() else {
        return false;
    };
    if number < 0.0 {
        return false;
    }
    let text = n.to_string();
    let integer_digits = text.split(['.', 'e', 'E']).next().unwrap_or_default();
    volatile.is_epoch(integer_digits, number) && !volatile.echoed(&text)
}

/// Redacts request ids, trace ids and timestamps in a text.
pub(crate) fn redact_text(text: &str, volatile: &Volatile<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut previous: Option<char> = None;
    'scan: while i < text.len() {
        let rest = &text[i..];
        for id in &volatile.ids {
            if id.len() >= MIN_ID_LEN && rest.starts_with(id) {
                out.push_str(REQUEST_ID);
                i += id.len();
                previous = id.chars().last();
                continue 'scan;
            }
        }
        let at_word_start = !previous.is_some_and(|c| c.is_ascii_alphanumeric());
        if at_word_start && rest.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(len) = trace_id(rest) {
                out.push_str(TRACE_ID);
                i += len;
                previous = Some('x');
                continue;
            }
            if let Some((len, epoch_ms)) = datetime(rest)
                && volatile.near(epoch_ms, DATETIME_SLACK_MS)
                && !volatile.echoed(&rest[..len])
            {
                out.push_str(TIMESTAMP);
                i += len;
                previous = Some('0');
                continue;
            }
            // A number: its integer digits, and a fraction when one follows.
            let integer = rest.bytes().take_while(u8::is_ascii_digit).count();
            let mut len = integer;
            let bytes = rest.as_bytes();
            if bytes.get(len) == Some(&b'.') && bytes.get(len + 1).is_some_and(u8::is_ascii_digit) {
                len += 1 + rest[len + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count();
            }
            let followed_by_word = rest[len..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let candidate = &rest[..len];
            if !followed_by_word
                && let Ok(number) = candidate.parse::<f64>()
                && volatile.is_epoch(&rest[..integer], number)
                && !volatile.echoed(candidate)
            {
                out.push_str(TIMESTAMP);
            } else {
                out.push_str(candidate);
            }
            i += len;
            previous = Some('0');
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        previous = Some(c);
        i += c.len_utf8();
    }
    out
}

/// The length of an X-Ray trace id (`1-<8 hex>-<24 hex>`) at the start of `text`.
fn trace_id(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let hex = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_hexdigit))
    };
    let ok = text.starts_with("1-")
        && hex(2..10)
        && bytes.get(10) == Some(&b'-')
        && hex(11..35)
        && !bytes.get(35).is_some_and(u8::is_ascii_alphanumeric);
    ok.then_some(35)
}

/// A date-time at the start of `text` (`YYYY-MM-DD` then `T` or a space, `HH:MM`, optional
/// `:SS`, optional fraction, optional `Z` or offset): its length and the instant in
/// milliseconds since the epoch (UTC when there is no offset).
fn datetime(text: &str) -> Option<(usize, i128)> {
    let b = text.as_bytes();
    let digits = |at: usize, n: usize| -> Option<i128> {
        let slice = b.get(at..at + n)?;
        slice.iter().all(u8::is_ascii_digit).then(|| {
            slice
                .iter()
                .fold(0, |acc, d| acc * 10 + i128::from(d - b'0'))
        })
    };
    let year = digits(0, 4)?;
    (b.get(4) == Some(&b'-')).then_some(())?;
    let month = digits(5, 2)?;
    (b.get(7) == Some(&b'-')).then_some(())?;
    let day = digits(8, 2)?;
    matches!(b.get(10), Some(b'T' | b't' | b' ')).then_some(())?;
    let hour = digits(11, 2)?;
    (b.get(13) == Some(&b':')).then_some(())?;
    let minute = digits(14, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut len = 16;
    let mut second = 0;
    let mut millis = 0;
    if b.get(len) == Some(&b':')
        && let Some(s) = digits(len + 1, 2)
    {
        second = s.min(59);
        len += 3;
        if matches!(b.get(len), Some(b'.' | b',')) && b.get(len + 1).is_some_and(u8::is_ascii_digit)
        {
            let fraction: Vec<u8> = b[len + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .copied()
                .collect();
            millis = fraction
                .iter()
                .chain(std::iter::repeat(&b'0'))
                .take(3)
                .fold(0, |acc, d| acc * 10 + i128::from(d - b'0'));
            len += 1 + fraction.len();
        }
    }
    let mut offset_minutes = 0;
    match b.get(len) {
        Some(b'Z' | b'z') => len += 1,
        Some(sign @ (b'+' | b'-')) => {
            let sign = if *sign == b'+' { 1 } else { -1 };
            if let Some(h) = digits(len + 1, 2) {
                let (m, used) = if b.get(len + 3) == Some(&b':') {
                    (digits(len + 4, 2), 6)
                } else {
                    (digits(len + 3, 2), 5)
                };
                match m {
                    Some(m) => {
                        offset_minutes = sign * (h * 60 + m);
                        len += used;
                    }
                    None => {
                        offset_minutes = sign * h * 60;
                        len += 3;
                    }
                }
            }
        }
        _ => {}
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some((len, seconds * 1_000 + millis))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i128, month: i128, day: i128) -> i128 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Milliseconds since the epoch now.
pub(crate) fn now_ms() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i128)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// 2025-06-12T10:00:00Z.
    const NOW_MS: i128 = 1_749_722_400_000;

    fn volatile(event: &Value) -> Volatile<'_> {
        Volatile {
            ids: vec!["5e1a5f4c-2f0e-4d6b-9a51-2b1f1d9c7e11"],
            started_ms: NOW_MS,
            latest_ms: NOW_MS + 3_000,
            event,
        }
    }

    #[test]
    fn dates_convert_like_the_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            datetime("2025-06-12T10:00:00Z"),
            Some((20, NOW_MS)),
            "an exact instant"
        );
        assert_eq!(
            datetime("2025-06-12T12:00:00.250+02:00 rest"),
            Some((29, NOW_MS + 250))
        );
        assert_eq!(datetime("2025-06-12 10:00"), Some((16, NOW_MS)));
        assert_eq!(datetime("2025-06-12"), None, "a date alone is not a clock");
        assert_eq!(datetime("2025-13-12T10:00Z"), None);
    }

    #[test]
    fn request_ids_trace_ids_and_clocks_are_redacted_in_text() {
        let event = json!({"when": "2025-06-12T10:00:05Z"});
        let v = volatile(&event);
        assert_eq!(
            redact_text(
                "request 5e1a5f4c-2f0e-4d6b-9a51-2b1f1d9c7e11 trace Root=1-6849a5a0-0123456789abcdef01234567;Sampled=0",
                &v
            ),
            "request [request_id] trace Root=[trace_id];Sampled=0"
        );
        assert_eq!(
            redact_text("deadline 1749722403000, now 1749722400.5 s", &v),
            "deadline [timestamp], now [timestamp] s"
        );
        assert_eq!(
            redact_text("at 2025-06-12T11:59:59+02:00.", &v),
            "at [timestamp]."
        );
        // Echoed input, numbers of other sizes, and old dates stay.
        assert_eq!(
            redact_text("you said 2025-06-12T10:00:05Z", &v),
            "you said 2025-06-12T10:00:05Z"
        );
        assert_eq!(redact_text("order 1749722400", &v), "order [timestamp]");
        assert_eq!(
            redact_text("orders 17497224001, x1749722400, 42", &v),
            "orders 17497224001, x1749722400, 42"
        );
        assert_eq!(
            redact_text("since 2001-01-01T00:00:00Z", &v),
            "since 2001-01-01T00:00:00Z"
        );
    }

    #[test]
    fn numbers_near_the_run_become_timestamps_unless_echoed() {
        let event = json!({"at": 1_749_722_401_000_u64});
        let v = volatile(&event);
        let mut value = json!({
            "deadline": 1_749_722_403_000_u64,
            "seconds": 1_749_722_400.25,
            "echo": 1_749_722_401_000_u64,
            "sum": 3,
            "text": "req 5e1a5f4c-2f0e-4d6b-9a51-2b1f1d9c7e11"
        });
        redact_value(&mut value, &v);
        assert_eq!(
            value,
            json!({
                "deadline": "[timestamp]",
                "seconds": "[timestamp]",
                "echo": 1_749_722_401_000_u64,
                "sum": 3,
                "text": "req [request_id]"
            })
        );
    }

    #[test]
    fn user_paths_take_wildcards() {
        let mut value = json!({
            "content": [{"text": "a", "meta": {"at": 1}}, {"text": "b"}],
            "structuredContent": {"deep": {"at": 2, "x": {"at": 3}}}
        });
        for path in ["/content/*/text", "/structuredContent/**/at"] {
            RedactPath::parse(path).unwrap().apply(&mut value);
        }
        assert_eq!(
            value,
            json!({
                "content": [{"text": "[redacted]", "meta": {"at": 1}}, {"text": "[redacted]"}],
                "structuredContent": {"deep": {"at": "[redacted]", "x": {"at": "[redacted]"}}}
            })
        );
        let mut value = json!({"a/b": 1, "list": [1, 2]});
        RedactPath::parse("/a~1b").unwrap().apply(&mut value);
        RedactPath::parse("/list/1").unwrap().apply(&mut value);
        assert_eq!(
            value,
            json!({"a/b": "[redacted]", "list": [1, "[redacted]"]})
        );
        assert!(RedactPath::parse("content/0").is_err());
    }
}
