//! `format`: strings in the formats the validator asserts (date-time, date, time, duration,
//! email, idn-email, hostname, idn-hostname, ipv4, ipv6, uri, uri-reference, iri,
//! iri-reference, uri-template, uuid, json-pointer, relative-json-pointer, regex).
//!
//! Each generator is built from proptest combinators, so values shrink field by field (a date
//! toward 2000-01-01, a host name toward `a.com`). An unknown format is an annotation in 2020-12:
//! [`strategy`] returns `None` and the caller generates plain strings (with a warning).

use proptest::{
    collection::vec,
    prelude::any,
    sample::select,
    strategy::{Just, Strategy},
};
use std::sync::Arc;

use serde_json::Value;

use super::compile::Strat;
use super::string;
use super::union::Union;

/// The strategy for the format `name`, or `None` when the generator does not know it.
pub(crate) fn strategy(name: &str) -> Option<Strat> {
    let strategy: Strat = match name {
        "date" => date_text().prop_map(Value::String).sboxed(),
        "time" => time_text().prop_map(Value::String).sboxed(),
        "date-time" => date_time_text().prop_map(Value::String).sboxed(),
        "duration" => duration().prop_map(Value::String).sboxed(),
        "email" | "idn-email" => email().prop_map(Value::String).sboxed(),
        "hostname" | "idn-hostname" => hostname().prop_map(Value::String).sboxed(),
        "ipv4" => ipv4().prop_map(Value::String).sboxed(),
        "ipv6" => ipv6().prop_map(Value::String).sboxed(),
        "uri" | "iri" => uri().prop_map(Value::String).sboxed(),
        "uri-reference" | "iri-reference" => Union::new_weighted(vec![
            (1, relative_reference().sboxed()),
            (3, uri().sboxed()),
        ])
        .prop_map(Value::String)
        .sboxed(),
        "uri-template" => uri_template().prop_map(Value::String).sboxed(),
        "uuid" => uuid().prop_map(Value::String).sboxed(),
        "json-pointer" => json_pointer().prop_map(Value::String).sboxed(),
        "relative-json-pointer" => (0u32..20, prop_bool(), json_pointer())
            .prop_map(|(n, hash, pointer)| {
                Value::String(if hash {
                    format!("{n}#")
                } else {
                    format!("{n}{pointer}")
                })
            })
            .sboxed(),
        "regex" => select(vec![
            "^[a-z]+$",
            ".*",
            "a|b",
            "\\d{3}-\\d{4}",
            "^(foo|bar)?baz$",
            "[A-Z][a-z]*",
        ])
        .prop_map(|s| Value::String(s.to_owned()))
        .sboxed(),
        _ => return None,
    };
    Some(strategy)
}

fn prop_bool() -> impl Strategy<Value = bool> {
    any::<bool>()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date: year, month, day.
type Date = (u32, u32, u32);
/// A time: hour, minute, second, milliseconds (`None`: no fraction), offset (`None`: `Z`; else
/// negative, hours, minutes).
type Time = (u32, u32, u32, Option<u32>, Option<(bool, u32, u32)>);

/// `date`, as text.
fn date_text() -> impl Strategy<Value = String> {
    date().prop_map(|d| {
        let mut text = String::with_capacity(10);
        write_date(&mut text, d);
        text
    })
}

/// `time`, as text.
fn time_text() -> impl Strategy<Value = String> {
    time().prop_map(|t| {
        let mut text = String::with_capacity(18);
        write_time(&mut text, t);
        text
    })
}

/// `date-time`, as text.
fn date_time_text() -> impl Strategy<Value = String> {
    (date(), time()).prop_map(|(d, t)| {
        let mut text = String::with_capacity(29);
        write_date(&mut text, d);
        text.push('T');
        write_time(&mut text, t);
        text
    })
}

// Dates and times are drawn as numbers and written once, digit by digit: drawn as strings (a
// string per part, joined), their allocations were a third of a date-time value's time. The
// draws are those of the strings they replace, so the values are too.

fn date() -> impl Strategy<Value = Date> {
    let random = (1900u32..2100, 1u32..=12, 1u32..=31)
        .prop_map(|(y, m, d)| (y, m, d.min(days_in_month(y, m))));
    Union::new_weighted(vec![
        (
            1,
            select(vec![
                (2000, 1, 1),
                (2024, 2, 29),
                (1970, 1, 1),
                (1999, 12, 31),
                (9999, 12, 31),
            ])
            .sboxed(),
        ),
        (4, random.sboxed()),
    ])
}

fn time() -> impl Strategy<Value = Time> {
    let offset = Union::new_weighted(vec![
        (3, Just(None).sboxed()),
        (
            1,
            (prop_bool(), 0u32..=14, select(vec![0u32, 30, 45]))
                .prop_map(Some)
                .sboxed(),
        ),
    ]);
    let fraction = Union::new_weighted(vec![
        (3, Just(None).sboxed()),
        (1, (0u32..1000).prop_map(Some).sboxed()),
    ]);
    (0u32..24, 0u32..60, 0u32..60, fraction, offset)
}

/// `{y:04}-{m:02}-{d:02}`.
fn write_date(out: &mut String, (y, m, d): Date) {
    digits(out, y, 4);
    out.push('-');
    digits(out, m, 2);
    out.push('-');
    digits(out, d, 2);
}

/// `{h:02}:{m:02}:{s:02}`, then `.{f:03}` when there is a fraction, then `Z` or `±{h:02}:{m:02}`.
fn write_time(out: &mut String, (h, m, s, fraction, offset): Time) {
    digits(out, h, 2);
    out.push(':');
    digits(out, m, 2);
    out.push(':');
    digits(out, s, 2);
    if let Some(f) = fraction {
        out.push('.');
        digits(out, f, 3);
    }
    match offset {
        None => out.push('Z'),
        Some((negative, h, m)) => {
            out.push(if negative { '-' } else { '+' });
            digits(out, h, 2);
            out.push(':');
            digits(out, m, 2);
        }
    }
}

/// Writes the last `width` decimal digits of `n` to `out`, zero-padded (as `{n:0width$}` does
/// for an `n` below `10^width`).
fn digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

fn duration() -> impl Strategy<Value = String> {
    Union::new_weighted(vec![
        (1, (1u32..100).prop_map(|d| format!("P{d}D")).sboxed()),
        (1, (1u32..53).prop_map(|w| format!("P{w}W")).sboxed()),
        (
            2,
            (0u32..24, 0u32..60, 1u32..60)
                .prop_map(|(h, m, s)| format!("PT{h}H{m}M{s}S"))
                .sboxed(),
        ),
        (
            1,
            (1u32..10, 1u32..12, 1u32..28, 1u32..24)
                .prop_map(|(y, mo, d, h)| format!("P{y}Y{mo}M{d}DT{h}H"))
                .sboxed(),
        ),
    ])
}

fn label() -> impl Strategy<Value = String> {
    Union::new_weighted(vec![
        (
            3,
            select(vec!["a", "example", "api", "mail", "x1", "my-host"])
                .prop_map(str::to_owned)
                .sboxed(),
        ),
        (2, string::regex("[a-z][a-z0-9]{0,8}")),
        (1, string::regex("[a-z][a-z0-9]{0,6}-[a-z0-9]{1,4}")),
    ])
}

fn hostname() -> impl Strategy<Value = String> {
    (
        vec(label(), 1..=3),
        select(vec!["com", "org", "net", "io", "example"]),
    )
        .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join(".")))
}

fn email() -> impl Strategy<Value = String> {
    let local = Union::new_weighted(vec![
        (
            2,
            select(vec!["user", "a", "first.last", "x+tag", "o'brien"])
                .prop_map(str::to_owned)
                .sboxed(),
        ),
        (3, string::regex("[a-z0-9]{1,10}(\\.[a-z0-9]{1,5})?")),
    ]);
    (local, hostname()).prop_map(|(l, h)| format!("{l}@{h}"))
}

fn ipv4() -> impl Strategy<Value = String> {
    Union::new_weighted(vec![
        (
            1,
            select(vec!["127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.1"])
                .prop_map(str::to_owned)
                .sboxed(),
        ),
        (
            3,
            any::<[u8; 4]>()
                .prop_map(|[a, b, c, d]| format!("{a}.{b}.{c}.{d}"))
                .sboxed(),
        ),
    ])
}

fn ipv6() -> impl Strategy<Value = String> {
    Union::new_weighted(vec![
        (
            1,
            select(vec!["::1", "::", "fe80::1", "2001:db8::8a2e:370:7334"])
                .prop_map(str::to_owned)
                .sboxed(),
        ),
        (
            3,
            any::<[u16; 8]>()
                .prop_map(|groups| {
                    groups
                        .iter()
                        .map(|g| format!("{g:x}"))
                        .collect::<Vec<_>>()
                        .join(":")
                })
                .sboxed(),
        ),
    ])
}

fn path_segment() -> impl Strategy<Value = String> {
    string::regex("[a-z0-9_-]{1,8}")
}

fn uri() -> impl Strategy<Value = String> {
    let scheme = select(vec!["https", "http", "urn", "ftp", "s3"]);
    let path = vec(path_segment(), 0..=3);
    let query = Union::new_weighted(vec![
        (3, Just(String::new()).sboxed()),
        (
            1,
            string::regex("[a-z]{1,5}=[a-z0-9]{0,5}")
                .prop_map(|q| format!("?{q}"))
                .sboxed(),
        ),
    ]);
    (scheme, hostname(), path, query).prop_map(|(scheme, host, path, query)| {
        let path: String = path.iter().map(|s| format!("/{s}")).collect();
        if scheme == "urn" {
            format!("urn:example:{}", host.replace('.', "-"))
        } else {
            format!("{scheme}://{host}{path}{query}")
        }
    })
}

fn relative_reference() -> impl Strategy<Value = String> {
    Union::new_weighted(vec![
        (
            1,
            select(vec!["", "#", "#frag", "../a", "?q=1"])
                .prop_map(str::to_owned)
                .sboxed(),
        ),
        (
            2,
            vec(path_segment(), 1..=3)
                .prop_map(|segments| format!("/{}", segments.join("/")))
                .sboxed(),
        ),
    ])
}

fn uri_template() -> impl Strategy<Value = String> {
    (uri(), string::regex("[a-z]{1,6}")).prop_map(|(base, var)| format!("{base}/{{{var}}}"))
}

fn uuid() -> impl Strategy<Value = String> {
    Union::new_weighted(vec![
        (
            1,
            select(vec![
                "00000000-0000-0000-0000-000000000000",
                "123e4567-e89b-42d3-a456-426614174000",
            ])
            .prop_map(str::to_owned)
            .sboxed(),
        ),
        (
            3,
            any::<u128>()
                .prop_map(|bits| {
                    // Version 4, RFC 4122 variant.
                    let bits = (bits & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
                    let hex = format!("{bits:032x}");
                    format!(
                        "{}-{}-{}-{}-{}",
                        &hex[0..8],
                        &hex[8..12],
                        &hex[12..16],
                        &hex[16..20],
                        &hex[20..32]
                    )
                })
                .sboxed(),
        ),
    ])
}

fn json_pointer() -> impl Strategy<Value = String> {
    vec(
        Union::new_weighted(vec![
            (4, string::regex("[a-z0-9]{0,6}")),
            (
                1,
                select(vec!["~0", "~1", "a~1b", "0"])
                    .prop_map(str::to_owned)
                    .sboxed(),
            ),
        ]),
        0..=3,
    )
    .prop_map(|tokens| tokens.iter().map(|t| format!("/{t}")).collect())
}

/// The literal text a pattern forces at the start (after `^`) and at the end (before `$`) of
/// every match, as far as a plain scan can tell: `("", "@example.com")` for
/// `@example\.com$`, `("2024-", "")` for `^2024-`. Empty where the pattern has an alternation
/// or the scan meets anything but literal characters.
pub(crate) fn literal_ends(pattern: &str) -> (String, String) {
    // A literal character, an anchor, or anything else.
    #[derive(PartialEq)]
    enum Token {
        Literal(char),
        Start,
        End,
        Other,
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let token = match c {
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_alphanumeric() => Token::Other,
                Some(e) => Token::Literal(e),
                None => Token::Other,
            },
            '^' => Token::Start,
            '$' => Token::End,
            '|' => return (String::new(), String::new()),
            '.' | '[' | ']' | '(' | ')' | '{' | '}' => Token::Other,
            '*' | '+' | '?' => {
                // A quantified character is not forced.
                if let Some(last) = tokens.last_mut() {
                    *last = Token::Other;
                }
                Token::Other
            }
            c => Token::Literal(c),
        };
        if token == Token::Other
            && c == '{'
            && let Some(last) = tokens.last_mut()
        {
            // A character with a counted repetition is not forced either.
            *last = Token::Other;
        }
        tokens.push(token);
    }
    let literal = |t: &Token| match t {
        Token::Literal(c) => Some(*c),
        _ => None,
    };
    let prefix: String = if tokens.first() == Some(&Token::Start) {
        tokens[1..].iter().map_while(literal).collect()
    } else {
        String::new()
    };
    let suffix: String = if tokens.last() == Some(&Token::End) {
        let mut tail: Vec<char> = tokens[..tokens.len() - 1]
            .iter()
            .rev()
            .map_while(literal)
            .collect();
        tail.reverse();
        tail.into_iter().collect()
    } else {
        String::new()
    };
    (prefix, suffix)
}

/// The characters at which a format value is cut to splice in a pattern's literal ends.
const SEPARATORS: &[char] = &['@', '.', '/', ':', '-', '_', 'T', '+', ' '];

/// Format values spliced with the literal text a pattern forces at its ends: the drawn value
/// when it already matches, else the first of a few splices (the prefix written over the
/// value's start or at a separator, the suffix over its end or at a separator) that matches
/// `regex` and is still in the format (`in_format`); the drawn value otherwise (left for the
/// caller's pattern filter). `email` with `@example\.com$` gives `local@example.com` from
/// `local@host.org`.
pub(crate) fn spliced(
    strategy: Strat,
    pattern: &str,
    regex: Arc<fancy_regex::Regex>,
    in_format: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> Strat {
    let (prefix, suffix) = literal_ends(pattern);
    if prefix.is_empty() && suffix.is_empty() {
        return strategy;
    }
    let matches = move |s: &str| regex.is_match(s).unwrap_or(false);
    strategy
        .prop_map(move |value| {
            let Value::String(drawn) = &value else {
                return value;
            };
            if matches(drawn) {
                return value;
            }
            let chars: Vec<char> = drawn.chars().collect();
            let mut starts = vec![drawn.clone()];
            if !prefix.is_empty() {
                let mut cuts = vec![0, prefix.chars().count().min(chars.len())];
                cuts.extend((0..chars.len()).filter(|&i| SEPARATORS.contains(&chars[i])));
                cuts.extend(
                    (0..chars.len())
                        .filter(|&i| SEPARATORS.contains(&chars[i]))
                        .map(|i| i + 1),
                );
                starts = cuts
                    .into_iter()
                    .map(|k| format!("{prefix}{}", chars[k..].iter().collect::<String>()))
                    .collect();
            }
            let mut candidates = Vec::new();
            for start in starts {
                if suffix.is_empty() {
                    candidates.push(start);
                    continue;
                }
                let chars: Vec<char> = start.chars().collect();
                let n = chars.len();
                let mut cuts = vec![n, n.saturating_sub(suffix.chars().count())];
                cuts.extend((0..n).filter(|&i| SEPARATORS.contains(&chars[i])));
                for k in cuts {
                    candidates.push(format!("{}{suffix}", chars[..k].iter().collect::<String>()));
                }
            }
            candidates
                .into_iter()
                .find(|s| matches(s) && in_format(s))
                .map_or(value, Value::String)
        })
        .sboxed()
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use serde_json::json;

    use super::*;

    #[test]
    fn digits_are_written_as_format_pads_them() {
        for n in (0..10_000)
            .step_by(7)
            .chain([9, 10, 99, 100, 999, 1000, 9999])
        {
            for width in 2..=4 {
                if n < 10u32.pow(width) {
                    let mut text = String::new();
                    digits(&mut text, n, width);
                    assert_eq!(text, format!("{n:0w$}", w = width as usize));
                }
            }
        }
    }

    const FORMATS: &[&str] = &[
        "date",
        "time",
        "date-time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "iri",
        "uri-reference",
        "iri-reference",
        "uri-template",
        "uuid",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    ];

    #[test]
    fn every_format_is_accepted_by_the_validator() {
        let mut runner = crate::generate::seeded::runner(
            &[9; 32],
            crate::generate::seeded::DEFAULT_MAX_LOCAL_REJECTS,
        );
        for name in FORMATS {
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&json!({"type": "string", "format": name}))
                .expect("validator");
            let strategy = strategy(name).expect("known format");
            for _ in 0..300 {
                let value = strategy.new_tree(&mut runner).unwrap().current();
                assert!(validator.is_valid(&value), "{name}: {value}");
            }
        }
    }

    #[test]
    fn unknown_formats_are_none() {
        assert!(strategy("path").is_none());
    }

    #[test]
    fn literal_ends_are_what_every_match_starts_and_ends_with() {
        let ends = |p: &str| super::literal_ends(p);
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(ends("@example\\.com$"), pair("", "@example.com"));
        assert_eq!(ends("^2024-"), pair("2024-", ""));
        assert_eq!(ends("^https://[a-z]+\\.org$"), pair("https://", ".org"));
        // Quantified or counted characters are not forced; alternations say nothing.
        assert_eq!(ends("^ab?c"), pair("a", ""));
        assert_eq!(ends("^ab{2}"), pair("a", ""));
        assert_eq!(ends("^a|b$"), pair("", ""));
        assert_eq!(ends("\\d+$"), pair("", ""));
    }
}
