//! `GET /2018-06-01/runtime/invocation/next`: the event and its context headers.
//!
//! The headers are the ones `lambda_runtime` (`types.rs`) and the AWS runtime interface clients
//! read. Header names go out in Lambda's own spelling (`Lambda-Runtime-Aws-Request-Id`): the
//! server writes title-case names, which some clients (the Python one among them) look up
//! case-sensitively.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::Full;

use crate::handler::{Invocation, deadline_ms};

/// `Lambda-Runtime-Aws-Request-Id`
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-request-id");
/// `Lambda-Runtime-Deadline-Ms`
pub(crate) const DEADLINE_MS: HeaderName = HeaderName::from_static("lambda-runtime-deadline-ms");
/// `Lambda-Runtime-Invoked-Function-Arn`
pub(crate) const INVOKED_FUNCTION_ARN: HeaderName =
    HeaderName::from_static("lambda-runtime-invoked-function-arn");
/// `Lambda-Runtime-Trace-Id`
pub(crate) const TRACE_ID: HeaderName = HeaderName::from_static("lambda-runtime-trace-id");
/// `Lambda-Runtime-Client-Context`
pub(crate) const CLIENT_CONTEXT: HeaderName =
    HeaderName::from_static("lambda-runtime-client-context");

/// An invocation ready to be handed to the runtime: the event serialized once, the header values
/// built once. Cloning is cheap (reference-counted bytes).
#[derive(Clone, Debug)]
pub(crate) struct Handover {
    /// The request id, as the runtime must echo it in `/response` and `/error` paths.
    pub(crate) request_id: Box<str>,
    request_id_header: HeaderValue,
    invoked_function_arn: HeaderValue,
    client_context: Option<HeaderValue>,
    /// How long the handler has once the invocation is handed over.
    pub(crate) timeout: Duration,
    event: Bytes,
}

impl Handover {
    /// Prepares `invocation` for `/next`.
    pub(crate) fn new(invocation: &Invocation) -> Self {
        let client_context = invocation.client_context.as_ref().map(|context| {
            // ASCII-only JSON is always a valid header value and parses to the same value.
            HeaderValue::from_maybe_shared(Bytes::from(ascii_json_text(context.as_str())))
                .unwrap_or_else(|_| HeaderValue::from_static("{}"))
        });
        Handover {
            request_id: invocation.request_id.as_str().into(),
            request_id_header: header_value(&invocation.request_id),
            invoked_function_arn: header_value(&invocation.invoked_function_arn),
            client_context,
            timeout: invocation.timeout,
            event: Bytes::from(serde_json::to_vec(&invocation.event).unwrap_or_default()),
        }
    }

    /// The answer to `/next`, with the deadline set to now plus the timeout.
    pub(crate) fn into_response(self, trace_id: HeaderValue) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.event));
        *response.status_mut() = StatusCode::OK;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(REQUEST_ID, self.request_id_header);
        headers.insert(DEADLINE_MS, HeaderValue::from(deadline_ms(self.timeout)));
        headers.insert(INVOKED_FUNCTION_ARN, self.invoked_function_arn);
        headers.insert(TRACE_ID, trace_id);
        if let Some(client_context) = self.client_context {
            headers.insert(CLIENT_CONTEXT, client_context);
        }
        response
    }
}

/// A header value for `text`; characters a header cannot carry (controls, non-ASCII) are
/// dropped rather than failing the invocation.
fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| {
        let kept: String = text
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .collect();
        HeaderValue::from_str(&kept).unwrap_or_else(|_| HeaderValue::from_static(""))
    })
}

/// JSON `text` using only ASCII: characters outside ASCII (which valid JSON holds only inside
/// strings) are written as `\uXXXX` escapes (UTF-16, surrogate pairs where needed), so the text
/// is a valid HTTP header value that every client reads back as the same JSON value.
pub(crate) fn ascii_json_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| !c.is_ascii()) {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// Makes well-formed X-Ray trace headers:
/// `Root=1-<8 hex: epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0`.
#[derive(Debug)]
pub(crate) struct TraceIds {
    state: AtomicU64,
}

impl TraceIds {
    /// A generator seeded from the clock and the process id (trace ids need to be well formed
    /// and distinct, not unpredictable).
    pub(crate) fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let seed = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
        TraceIds {
            state: AtomicU64::new(seed),
        }
    }

    fn next_u64(&self) -> u64 {
        // splitmix64
        let mut z = self
            .state
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Random hex digits, `n` of them (at most 16).
    pub(crate) fn hex(&self, n: usize) -> String {
        let full = format!("{:016x}", self.next_u64());
        full[16 - n.min(16)..].to_owned()
    }

    /// The next trace header value.
    pub(crate) fn next(&self) -> HeaderValue {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let text = format!(
            "Root=1-{:08x}-{:08x}{:016x};Parent={:016x};Sampled=0",
            seconds as u32,
            self.next_u64() as u32,
            self.next_u64(),
            self.next_u64()
        );
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;
    use serde_json::{Value, json};

    use super::*;

    fn invocation() -> Invocation {
        Invocation::new(
            "req-1",
            json!({"keywords": "wireless headphones"}),
            "arn:aws:lambda:us-east-1:123456789012:function:tool",
            Duration::from_secs(3),
        )
    }

    #[tokio::test]
    async fn next_answers_with_the_event_and_its_headers() {
        let before = deadline_ms(Duration::from_secs(3));
        let response = Handover::new(&invocation()).into_response(TraceIds::new().next());
        let after = deadline_ms(Duration::from_secs(3));
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers[REQUEST_ID], "req-1");
        assert_eq!(
            headers[INVOKED_FUNCTION_ARN],
            "arn:aws:lambda:us-east-1:123456789012:function:tool"
        );
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        let deadline: u64 = headers[DEADLINE_MS].to_str().unwrap().parse().unwrap();
        assert!((before..=after).contains(&deadline), "{deadline}");
        assert!(!headers.contains_key(CLIENT_CONTEXT));
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], br#"{"keywords":"wireless headphones"}"#);
    }

    #[test]
    fn client_context_is_raw_json_not_base64() {
        let context = json!({"custom": {
            "bedrockAgentCoreToolName": "LambdaUsingSDK___get_order_tool",
            "bedrockAgentCoreMessageVersion": "1.0",
        }});
        let response = Handover::new(&invocation().with_client_context(context.clone()))
            .into_response(TraceIds::new().next());
        let raw = response.headers()[CLIENT_CONTEXT].to_str().unwrap();
        assert_eq!(serde_json::from_str::<Value>(raw).unwrap(), context);
    }

    #[test]
    fn client_context_with_non_ascii_stays_a_valid_header() {
        let context = json!({"custom": {"note": "café ☕ 😀 \"q\"\n"}});
        let bytes = ascii_json_text(&context.to_string());
        assert!(bytes.is_ascii());
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.contains(r"caf\u00e9 \u2615 \ud83d\ude00"), "{text}");
        assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap(), context);
        let response = Handover::new(&invocation().with_client_context(context.clone()))
            .into_response(TraceIds::new().next());
        let raw = response.headers()[CLIENT_CONTEXT].to_str().unwrap();
        assert_eq!(serde_json::from_str::<Value>(raw).unwrap(), context);
    }

    #[test]
    fn header_values_drop_what_headers_cannot_carry() {
        assert_eq!(header_value("a\nb\u{e9}c"), "abc");
    }

    #[test]
    fn trace_ids_are_well_formed_and_distinct() {
        let ids = TraceIds::new();
        let a = ids.next();
        let b = ids.next();
        assert_ne!(a, b);
        for id in [a, b] {
            let text = id.to_str().unwrap();
            let (root, rest) = text.split_once(';').unwrap();
            let root = root.strip_prefix("Root=1-").unwrap();
            let (time, random) = root.split_once('-').unwrap();
            assert_eq!(time.len(), 8);
            assert_eq!(random.len(), 24);
            assert!(
                time.chars()
                    .chain(random.chars())
                    .all(|c| c.is_ascii_hexdigit())
            );
            let (parent, sampled) = rest.split_once(';').unwrap();
            let parent = parent.strip_prefix("Parent=").unwrap();
            assert_eq!(parent.len(), 16);
            assert!(parent.chars().all(|c| c.is_ascii_hexdigit()));
            assert_eq!(sampled, "Sampled=0");
        }
        assert_eq!(ids.hex(12).len(), 12);
    }
}
