//! `POST /2018-06-01/runtime/invocation/{id}/response`: the handler's answer.
//!
//! The body is read up to [`RESPONSE_SIZE_LIMIT`] plus one byte and no further: an oversized
//! answer never sits in memory whole. What was read becomes the invocation's
//! [`Outcome`]: a JSON value, bytes that are not JSON, or an oversize.

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::Body;

use crate::handler::{MAX_ANSWER_DEPTH, Outcome, RESPONSE_SIZE_LIMIT, depth};

/// How many leading bytes of a non-JSON answer an [`Outcome::InvalidJson`] keeps.
const PREFIX_BYTES: usize = 256;

/// A request body read with a size limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Bounded {
    /// The whole body, at most the limit.
    Complete(Bytes),
    /// The body went past the limit; reading stopped after `seen` bytes (more than the limit).
    Over {
        /// Bytes received before reading stopped.
        seen: usize,
    },
}

/// Reads `body` up to `limit` bytes. Stops as soon as the limit is passed; never holds more
/// than `limit` bytes.
pub(crate) async fn read_bounded<B>(mut body: B, limit: usize) -> Result<Bounded, B::Error>
where
    B: Body<Data = Bytes> + Unpin,
{
    let declared = body
        .size_hint()
        .exact()
        .and_then(|n| usize::try_from(n).ok());
    if let Some(declared) = declared
        && declared > limit
    {
        // Still read up to the limit plus one, so that what is reported was actually seen.
        return read_past(body, limit).await;
    }
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue; // trailers
        };
        seen += data.len();
        if seen > limit {
            return Ok(Bounded::Over { seen });
        }
        match (&mut first, &mut rest) {
            (None, _) => first = Some(data),
            (Some(head), None) => {
                let capacity = declared
                    .unwrap_or(seen.saturating_mul(2))
                    .clamp(seen, limit);
                let mut buffer = BytesMut::with_capacity(capacity);
                buffer.extend_from_slice(head);
                buffer.extend_from_slice(&data);
                rest = Some(buffer);
            }
            (Some(_), Some(buffer)) => buffer.extend_from_slice(&data),
        }
    }
    Ok(Bounded::Complete(match (first, rest) {
        (_, Some(buffer)) => buffer.freeze(),
        (Some(head), None) => head,
        (None, None) => Bytes::new(),
    }))
}

/// Counts the body without keeping it until the limit is passed.
async fn read_past<B>(mut body: B, limit: usize) -> Result<Bounded, B::Error>
where
    B: Body<Data = Bytes> + Unpin,
{
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            seen += data.len();
            if seen > limit {
                return Ok(Bounded::Over { seen });
            }
        }
    }
    // The declared length was a lie and the body is short: count it as what was sent.
    Ok(Bounded::Over { seen })
}

/// The outcome of an answer read with [`read_bounded`] and [`RESPONSE_SIZE_LIMIT`].
pub(crate) fn outcome_of(body: Bounded) -> Outcome {
    match body {
        Bounded::Over { seen } => Outcome::Oversize {
            size_at_least: seen,
        },
        Bounded::Complete(bytes) if depth::text_deeper_than(&bytes, MAX_ANSWER_DEPTH) => {
            Outcome::InvalidJson {
                error: depth::too_deep_message(),
                prefix: String::from_utf8_lossy(&bytes[..bytes.len().min(PREFIX_BYTES)])
                    .into_owned(),
            }
        }
        Bounded::Complete(bytes) => match parse_repaired(&bytes) {
            Ok(body) => Outcome::Response {
                body,
                size: bytes.len(),
            },
            Err(error) => Outcome::InvalidJson {
                error: error.to_string(),
                prefix: String::from_utf8_lossy(&bytes[..bytes.len().min(PREFIX_BYTES)])
                    .into_owned(),
            },
        },
    }
}

/// Parses an answer; valid JSON that serde_json cannot hold is judged repaired, not rejected:
/// a number beyond an f64 (`1e400`, a 309-digit integer) is clamped to the largest f64 of its
/// sign, and a lone UTF-16 surrogate escape (`"\ud800"`, which `JSON.stringify` and Python's
/// `json.dumps` write for such strings, and which RFC 8259 section 8.2 allows) becomes U+FFFD.
/// When no repair helps, the error is the first parse's.
fn parse_repaired(bytes: &[u8]) -> serde_json::Result<serde_json::Value> {
    let first = match parse(bytes) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let (mut text, mut message) = (bytes.to_vec(), first.to_string());
    // Each repair is needed at most once: two rounds cover an answer that needs both.
    for _ in 0..2 {
        let repaired = if message.starts_with("number out of range") {
            clamp_huge_numbers(&text)
        } else if message.contains("surrogate") || message.contains("hex escape") {
            replace_lone_surrogates(&text)
        } else {
            None
        };
        let Some(repaired) = repaired else { break };
        match parse(&repaired) {
            Ok(value) => return Ok(value),
            Err(error) => (text, message) = (repaired, error.to_string()),
        }
    }
    Err(first)
}

/// Parses an answer nested at most [`MAX_ANSWER_DEPTH`] levels (serde_json's own limit of 128
/// is lifted: the depth was checked before).
fn parse(bytes: &[u8]) -> serde_json::Result<serde_json::Value> {
    use serde::Deserialize;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    deserializer.disable_recursion_limit();
    let value = serde_json::Value::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// `bytes` with every number token outside strings whose value is beyond an f64 replaced by
/// the largest f64 of its sign; `None` when there is none.
fn clamp_huge_numbers(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut i, mut in_string, mut changed) = (0, false, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            match b {
                b'\\' if i + 1 < bytes.len() => {
                    out.push(bytes[i + 1]);
                    i += 1;
                }
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
        } else if b == b'-' || b.is_ascii_digit() {
            let end = bytes[i..]
                .iter()
                .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                .map_or(bytes.len(), |n| i + n);
            let token = std::str::from_utf8(&bytes[i..end]).ok()?;
            match token.parse::<f64>() {
                Ok(value) if value.is_infinite() => {
                    let max = if value < 0.0 { -f64::MAX } else { f64::MAX };
                    out.extend_from_slice(format!("{max:e}").as_bytes());
                    changed = true;
                }
                _ => out.extend_from_slice(token.as_bytes()),
            }
            i = end;
            continue;
        }
        out.push(b);
        i += 1;
    }
    changed.then_some(out)
}

/// `bytes` with every `\uXXXX` escape of a UTF-16 surrogate that is not part of a pair
/// (a high surrogate followed by a low one) replaced by `\ufffd`; `None` when there is none.
fn replace_lone_surrogates(bytes: &[u8]) -> Option<Vec<u8>> {
    /// The code unit of the `\uXXXX` escape at `at`, if there is one.
    fn escape_at(bytes: &[u8], at: usize) -> Option<u16> {
        let hex = bytes.get(at..at + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    }
    let is_high = |unit: u16| (0xD800..0xDC00).contains(&unit);
    let is_low = |unit: u16| (0xDC00..0xE000).contains(&unit);
    let mut out = Vec::with_capacity(bytes.len());
    let (mut i, mut in_string, mut changed) = (0, false, false);
    while i < bytes.len() {
        let b = bytes[i];
        if !in_string {
            in_string = b == b'"';
            out.push(b);
            i += 1;
            continue;
        }
        match (b, escape_at(bytes, i)) {
            (_, Some(unit)) if is_high(unit) && escape_at(bytes, i + 6).is_some_and(is_low) => {
                out.extend_from_slice(&bytes[i..i + 12]);
                i += 12;
            }
            (_, Some(unit)) if is_high(unit) || is_low(unit) => {
                out.extend_from_slice(b"\\ufffd");
                changed = true;
                i += 6;
            }
            (b'\\', _) => {
                out.extend_from_slice(&bytes[i..(i + 2).min(bytes.len())]);
                i += 2;
            }
            (b'"', _) => {
                in_string = false;
                out.push(b);
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

/// [`read_bounded`] with the Lambda limit, then [`outcome_of`].
pub(crate) async fn read_outcome<B>(body: B) -> Result<Outcome, B::Error>
where
    B: Body<Data = Bytes> + Unpin,
{
    read_bounded(body, RESPONSE_SIZE_LIMIT)
        .await
        .map(outcome_of)
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_beyond_an_f64_are_judged_clamped_not_rejected() {
        use super::{Bounded, outcome_of};
        use crate::handler::Outcome;
        let big = "9".repeat(309);
        let body = format!(r#"{{"n": {big}, "m": -1e400, "s": "1e400 \" {big}", "k": 2}}"#);
        let Outcome::Response { body: value, size } =
            outcome_of(Bounded::Complete(body.clone().into_bytes().into()))
        else {
            panic!("a valid JSON answer was not judged");
        };
        assert_eq!(size, body.len());
        assert_eq!(value["n"].as_f64(), Some(f64::MAX));
        assert_eq!(value["m"].as_f64(), Some(-f64::MAX));
        assert_eq!(value["s"], format!("1e400 \" {big}"));
        assert_eq!(value["k"], 2);
        // Not JSON stays not JSON.
        assert!(matches!(
            outcome_of(Bounded::Complete(b"{\"n\": 1e400,".to_vec().into())),
            Outcome::InvalidJson { .. }
        ));
    }

    #[test]
    fn lone_surrogate_escapes_are_judged_replaced_not_rejected() {
        use super::{Bounded, outcome_of};
        use crate::handler::Outcome;
        let judged =
            |text: &str| match outcome_of(Bounded::Complete(text.as_bytes().to_vec().into())) {
                Outcome::Response { body, .. } => body,
                other => panic!("{text} was not judged: {other:?}"),
            };
        // What `JSON.stringify("a\ud800b")` and Python's `json.dumps` write.
        assert_eq!(judged(r#"{"t": "a\ud800b"}"#)["t"], "a\u{fffd}b");
        assert_eq!(
            judged(r#"["\udc00", "\ud83d"]"#),
            serde_json::json!(["\u{fffd}", "\u{fffd}"])
        );
        // A real pair is kept; an escaped backslash before `u` is not an escape.
        assert_eq!(
            judged(r#"["\ud83d\ude00 \ud800", "\\ud800"]"#),
            serde_json::json!(["\u{1f600} \u{fffd}", "\\ud800"])
        );
        // Both repairs in one answer.
        let both = judged(r#"{"n": 1e400, "t": "\udfff"}"#);
        assert_eq!(
            (both["n"].as_f64(), &both["t"]),
            (Some(f64::MAX), &serde_json::json!("\u{fffd}"))
        );
        // Not JSON stays not JSON.
        assert!(matches!(
            outcome_of(Bounded::Complete(b"{\"t\": \"\\ud800".to_vec().into())),
            Outcome::InvalidJson { .. }
        ));
    }

    use std::convert::Infallible;

    use futures::stream;
    use http_body_util::{Full, StreamBody};
    use hyper::body::Frame;
    use serde_json::json;

    use super::*;

    fn chunks(
        parts: Vec<&'static [u8]>,
    ) -> StreamBody<impl futures::Stream<Item = Result<Frame<Bytes>, Infallible>>> {
        StreamBody::new(stream::iter(
            parts
                .into_iter()
                .map(|p| Ok::<_, Infallible>(Frame::data(Bytes::from_static(p)))),
        ))
    }

    #[tokio::test]
    async fn a_json_answer_is_a_response_with_its_size() {
        let body = Full::new(Bytes::from_static(br#"{"content":[{"text":"hi"}]}"#));
        assert_eq!(
            read_outcome(body).await.unwrap(),
            Outcome::Response {
                body: json!({"content": [{"text": "hi"}]}),
                size: 27
            }
        );
    }

    #[tokio::test]
    async fn chunks_are_joined() {
        let body = chunks(vec![b"{\"a\":", b"[1,", b"2]}"]);
        assert_eq!(
            read_outcome(body).await.unwrap(),
            Outcome::Response {
                body: json!({"a": [1, 2]}),
                size: 11
            }
        );
    }

    #[tokio::test]
    async fn bytes_that_are_not_json_keep_their_first_bytes() {
        let body = Full::new(Bytes::from_static(b"<html>oops</html>"));
        let Outcome::InvalidJson { error, prefix } = read_outcome(body).await.unwrap() else {
            panic!("not InvalidJson");
        };
        assert_eq!(prefix, "<html>oops</html>");
        assert!(error.contains("expected value"), "{error}");

        let long = vec![b'x'; 1000];
        let Outcome::InvalidJson { prefix, .. } = outcome_of(Bounded::Complete(Bytes::from(long)))
        else {
            panic!("not InvalidJson");
        };
        assert_eq!(prefix.len(), PREFIX_BYTES);
    }

    /// Issue 11: past serde_json's 128 levels, valid JSON is judged; past the limit it is
    /// refused by name, never parsed.
    #[test]
    fn deep_answers_are_judged_up_to_the_limit() {
        let text =
            |levels: usize| Bytes::from(format!("{}1{}", "[".repeat(levels), "]".repeat(levels)));
        for levels in [130, MAX_ANSWER_DEPTH] {
            assert!(
                matches!(
                    outcome_of(Bounded::Complete(text(levels))),
                    Outcome::Response { .. }
                ),
                "{levels}"
            );
        }
        let Outcome::InvalidJson { error, .. } = outcome_of(Bounded::Complete(text(30_000))) else {
            panic!("not refused");
        };
        assert!(error.contains("more than 512 levels deep"), "{error}");
    }

    #[tokio::test]
    async fn an_empty_answer_is_invalid_json() {
        let body = Full::new(Bytes::new());
        assert!(matches!(
            read_outcome(body).await.unwrap(),
            Outcome::InvalidJson { .. }
        ));
    }

    #[tokio::test]
    async fn reading_stops_past_the_limit() {
        let body = chunks(vec![b"12345", b"67890", b"never read"]);
        assert_eq!(
            read_bounded(body, 7).await.unwrap(),
            Bounded::Over { seen: 10 }
        );
        let body = chunks(vec![b"1234567"]);
        assert_eq!(
            read_bounded(body, 7).await.unwrap(),
            Bounded::Complete(Bytes::from_static(b"1234567"))
        );
        let body = Full::new(Bytes::from(vec![b' '; 8]));
        assert_eq!(
            read_bounded(body, 7).await.unwrap(),
            Bounded::Over { seen: 8 }
        );
    }

    #[tokio::test]
    async fn an_oversized_answer_is_oversize() {
        let body = Full::new(Bytes::from(vec![b' '; RESPONSE_SIZE_LIMIT + 1]));
        assert_eq!(
            read_outcome(body).await.unwrap(),
            Outcome::Oversize {
                size_at_least: RESPONSE_SIZE_LIMIT + 1
            }
        );
    }
}
