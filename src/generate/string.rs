//! `string`: `minLength`/`maxLength` (counted in Unicode code points), `pattern`, `format`, and
//! the values, patterns and formats a negation excludes.
//!
//! Plain strings come from [`Plain`]: biased toward the empty string, a few edge strings
//! (non-ASCII, astral plane, combining marks, a zero-width joiner, NUL, newline, quote,
//! backslash) and one very long string, and shrinking toward the shortest allowed string of
//! simple characters.

use std::sync::Arc;

use jsonschema::canonical::{CanonicalSchema, StringView};
use proptest::{
    prelude::RngExt,
    strategy::{NewTree, Strategy, ValueTree},
    test_runner::{TestRng, TestRunner},
};
use serde_json::Value;

use super::{
    GenerateError, boundary,
    compile::{Compiler, Empty, Node, Stop, Strat, finish},
    family::{Family, type_set},
    format,
    invalid::{self, Mutation},
    number, pattern,
};

/// The lengths of the edgy draw's plain strings (before the bounds).
const EDGY_LENGTHS: std::ops::RangeInclusive<usize> = 3..=8;

/// The largest `minLength` generated for: longer strings are refused rather than built.
const MAX_MIN_LENGTH: usize = 100_000;

/// How far past the minimum a random plain string's length goes (before `maxLength`).
const RANDOM_SPAN: usize = 24;

/// How far past the minimum a log-uniform length goes (before `maxLength`): past the random
/// span, short of the very long string.
const LOG_SPAN: usize = 256;

/// Strings tried as they are (when their length fits).
const EDGE_STRINGS: &[&str] = &[
    " ",
    "0",
    "é",
    "ß",
    "日本語",
    "😀",
    "𝕏",
    "e\u{301}",
    "👩\u{200d}💻",
    "\0",
    "\n",
    "\"",
    "\\",
    "a\u{0}b",
    "null",
    "true",
    "Ωμέγα",
    "<script>",
    "' OR 1=1 --",
];

/// `type: string` with its facets: built for valid values, bounded by length for boundary
/// values, broken by length, pattern and format for invalid ones.
pub(crate) struct Strings(pub(crate) StringView);

impl Strings {
    fn lengths(&self) -> (usize, Option<usize>) {
        let min = self
            .0
            .min_length
            .as_ref()
            .and_then(number::to_usize)
            .unwrap_or(0);
        (min, self.0.max_length.as_ref().and_then(number::to_usize))
    }
}

impl Family for Strings {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        finish(build(compiler, node, &self.0))
    }

    fn bounds(&self, current: &Value, at: &str) -> Vec<(String, Value)> {
        let (min, max) = self.lengths();
        length_bounds(current, min, max, at)
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, _: usize) {
        let (min, max) = self.lengths();
        if min > 0 {
            out.push(Mutation::Truncate {
                at: at.to_vec(),
                chars: min - 1,
            });
        }
        if let Some(max) = max.filter(|max| *max < invalid::MAX_BUILT_LENGTH) {
            out.push(Mutation::Pad {
                at: at.to_vec(),
                chars: max.saturating_add(1),
            });
        }
        for source in &self.0.patterns {
            if let Some(value) = not_matching(source, min, max) {
                out.push(Mutation::Set {
                    at: at.to_vec(),
                    value,
                });
            }
        }
        if !self.0.formats.is_empty() {
            let n = min.max(3).min(max.unwrap_or(usize::MAX));
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: Value::String("%".repeat(n)),
            });
        }
    }

    fn types(&self) -> Option<jsonschema::JsonTypeSet> {
        Some(type_set(&[jsonschema::JsonType::String]))
    }
}

/// The boundary strings of a length window: the empty string (when allowed and not the
/// current one) and the longest readable one, made from the current value so a pattern it
/// matches is more likely to still match.
pub(crate) fn length_bounds(
    current: &Value,
    min: usize,
    max: Option<usize>,
    at: &str,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if min == 0 && current.as_str() != Some("") {
        out.push((
            format!("empty string at {at}"),
            Value::String(String::new()),
        ));
    }
    let longest = max
        .unwrap_or(boundary::READABLE_LENGTH)
        .min(boundary::READABLE_LENGTH)
        .max(min);
    let base = current.as_str().unwrap_or_default();
    let mut s: String = base.chars().take(longest).collect();
    let fill = s.chars().last().unwrap_or('a');
    while s.chars().count() < longest {
        s.push(fill);
    }
    out.push((format!("longest string at {at}"), Value::String(s)));
    out
}

/// A string of a fitting length that does not match `source` (to break a `pattern`).
fn not_matching(source: &str, min: usize, max: Option<usize>) -> Option<Value> {
    let regex = pattern::validator_regex(source)?;
    let n = min.max(1).min(max.unwrap_or(usize::MAX));
    ["!", " ", "~", "0", "a", "é", "-"]
        .iter()
        .map(|c| c.repeat(n))
        .chain(std::iter::once(String::new()).filter(|_| min == 0))
        .find(|s| !regex.is_match(s).unwrap_or(true))
        .map(Value::String)
}

fn build(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    view: &StringView,
) -> Result<Strat, Stop> {
    let min = view
        .min_length
        .as_ref()
        .and_then(number::to_usize)
        .unwrap_or(0);
    let max = view.max_length.as_ref().and_then(number::to_usize);
    if max.is_some_and(|max| max < min) {
        return Err(Stop::Empty(Empty::False));
    }
    if min > MAX_MIN_LENGTH {
        let written = view.min_length.clone().map(Value::Number);
        return Err(Stop::Error(GenerateError::too_hard(
            compiler.keyword_pointer("minLength", written.as_ref()),
            format!(
                "strings of at least {min} characters (the generator builds at most {MAX_MIN_LENGTH})"
            ),
        )));
    }
    let long = compiler.options.long_string_length;

    let mut formats = Vec::new();
    for name in &view.formats {
        match format::strategy(name) {
            Some(strategy) => formats.push((name.clone(), strategy)),
            None => {
                let pointer =
                    compiler.keyword_pointer("format", Some(&Value::String(name.clone())));
                compiler.warn(
                    pointer,
                    format!(
                        "unknown format `{name}` is an annotation in 2020-12: plain strings are \
                         generated"
                    ),
                );
            }
        }
    }

    let mut checks_length = false;
    let mut strategy: Strat = if let Some((name, first)) = formats.first() {
        checks_length = true;
        match view.patterns.first() {
            // A format with a pattern: format values spliced with the literal ends the pattern
            // forces (then checked by the pattern filter below, as every value is).
            Some(pattern) => match (compiler.regex(pattern), format_check(name, compiler)) {
                (Some(regex), Some(in_format)) => {
                    format::spliced(first.clone(), pattern, regex, in_format)
                }
                _ => first.clone(),
            },
            None => first.clone(),
        }
    } else if let Some(pattern) = view.patterns.first() {
        checks_length = true;
        compiler.pattern(pattern)?.strategy(min, max)
    } else {
        Plain::new(min, max, long).sboxed()
    };

    // Further patterns, checked with the regex the validator uses.
    let skip = usize::from(formats.is_empty());
    for pattern in view.patterns.iter().skip(skip) {
        let pointer = compiler.pattern_pointer(pattern);
        let site = compiler.site("pattern", pointer, format!("a string matching `{pattern}`"));
        // Strings are built from one pattern (or the format): the others are checked with the
        // validator's own regex.
        if let Some(regex) = compiler.regex(pattern) {
            strategy = compiler.native_filter(strategy, site, move |value| {
                value
                    .as_str()
                    .is_some_and(|s| regex.is_match(s).unwrap_or(false))
            })?;
        } else {
            strategy = compiler.validating_filter(strategy, node, site)?;
        }
    }
    if checks_length && (min > 0 || max.is_some()) {
        let (keyword, written) = if min > 0 {
            ("minLength", view.min_length.clone())
        } else {
            ("maxLength", view.max_length.clone())
        };
        let site = compiler.site_at_value(
            keyword,
            written.map(Value::Number).as_ref(),
            format!("a string of {min} to {max:?} characters"),
        );
        // Pattern repetitions are sized toward the length window and unanchored matches padded,
        // but a pattern or format string can still miss it (a native length check).
        strategy = compiler.native_filter(strategy, site, move |value| {
            value.as_str().is_some_and(|s| {
                let n = s.chars().count();
                n >= min && max.is_none_or(|max| n <= max)
            })
        })?;
    }
    if formats.len() > 1 || !view.excluded_formats.is_empty() || has_content(view) {
        let site =
            compiler.site_at_keyword("format", "a string in every format (and no barred one)");
        // A second format, a barred one, or content keywords: the node's validator checks.
        strategy = compiler.validating_filter(strategy, node, site)?;
    }
    if !view.excluded.is_empty() {
        let excluded: Arc<Vec<String>> = Arc::new(view.excluded.clone());
        let site = compiler.site_at_keyword("not", "a string other than the excluded values");
        // A few excluded values (from `not`): almost every string passes.
        strategy = compiler.native_filter(strategy, site, move |value| {
            value
                .as_str()
                .is_some_and(|s| !excluded.iter().any(|e| e == s))
        })?;
    }
    for pattern in &view.excluded_patterns {
        let site = compiler.site_at_keyword("not", format!("a string not matching `{pattern}`"));
        // A barred pattern (from `not`): checked with the validator's regex.
        if let Some(regex) = compiler.regex(pattern) {
            strategy = compiler.native_filter(strategy, site, move |value| {
                value
                    .as_str()
                    .is_some_and(|s| !regex.is_match(s).unwrap_or(true))
            })?;
        } else {
            strategy = compiler.validating_filter(strategy, node, site)?;
        }
    }
    Ok(strategy)
}

/// Whether a string is in the format `name`, by the validator's own format check.
fn format_check(
    name: &str,
    compiler: &Compiler<'_>,
) -> Option<impl Fn(&str) -> bool + Send + Sync + 'static> {
    let schema = serde_json::json!({"type": "string", "format": name});
    let validator = super::refs::build_validator(&schema, &compiler.resources).ok()?;
    Some(move |s: &str| validator.is_valid(&Value::String(s.to_owned())))
}

fn has_content(view: &StringView) -> bool {
    !view.content_media_types.is_empty() || !view.content_encodings.is_empty()
}

/// Plain strings of `min..=max` characters, biased toward edges, shrinking toward short and
/// simple.
#[derive(Clone, Debug)]
pub(crate) struct Plain {
    min: usize,
    max: Option<usize>,
    long: usize,
}

impl Plain {
    pub(crate) fn new(min: usize, max: Option<usize>, long: usize) -> Plain {
        Plain { min, max, long }
    }

    fn fits(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }

    fn random_len(&self, rng: &mut TestRng, span: usize) -> usize {
        let hi = self
            .max
            .unwrap_or(usize::MAX)
            .min(self.min.saturating_add(span));
        rng.random_range(self.min..=hi.max(self.min))
    }
}

impl Strategy for Plain {
    type Tree = PlainTree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let rng = runner.rng();
        if super::early::edgy() {
            // Non-ASCII text only, a few characters (within the bounds): wrong at every
            // position for a handler that takes bytes for characters.
            let n = rng
                .random_range(EDGY_LENGTHS)
                .clamp(self.min, self.max.unwrap_or(usize::MAX));
            let text: String = (0..n).map(|_| super::early::non_ascii_char(rng)).collect();
            return Ok(PlainTree::with_len(text, n, self.min));
        }
        // Strings are built as text directly (with their length in characters): `current`
        // then only copies bytes, which matters as every case draws several strings.
        let (text, len): (String, usize) = match rng.random_range(0..32u32) {
            // The shortest string.
            0..=3 => ("a".repeat(self.min), self.min),
            // An edge string as it is, or padded to the minimum.
            4..=9 => {
                let edge = EDGE_STRINGS[rng.random_range(0..EDGE_STRINGS.len())];
                let mut text = edge.to_owned();
                let mut len = edge.chars().count();
                while len < self.min {
                    text.push(random_char(rng));
                    len += 1;
                }
                if self.fits(len) {
                    (text, len)
                } else {
                    ((0..self.min).map(|_| random_char(rng)).collect(), self.min)
                }
            }
            // A very long string (within `maxLength`): a chunk of 32 characters, repeated.
            10 => {
                let n = self.long.max(self.min).min(self.max.unwrap_or(usize::MAX));
                let chunk: String = (0..32).map(|_| random_char(rng)).collect();
                let mut text = chunk.repeat(n / 32);
                text.extend(chunk.chars().take(n % 32));
                (text, n)
            }
            // Any length the bounds allow (up to [`LOG_SPAN`] past the minimum), log-uniform:
            // every order of magnitude as likely.
            11..=13 => {
                let hi = self
                    .max
                    .unwrap_or(usize::MAX)
                    .min(self.min.saturating_add(LOG_SPAN.min(self.long.max(1))));
                // A bit length of the distance past the minimum, then a distance of that many
                // bits (up to the room there is).
                let room = hi - self.min;
                let bits = usize::BITS - room.leading_zeros();
                let b = rng.random_range(0..=bits);
                let distance = if b == 0 {
                    0
                } else {
                    let lo = 1usize << (b - 1);
                    rng.random_range(lo..=(lo * 2 - 1).min(room))
                };
                let n = self.min + distance;
                ((0..n).map(|_| random_char(rng)).collect(), n)
            }
            // Mostly ASCII words.
            14..=18 => {
                let n = self.random_len(rng, 12);
                let text = (0..n)
                    .map(|_| char::from(rng.random_range(b'a'..=b'z')))
                    .collect();
                (text, n)
            }
            _ => {
                let n = self.random_len(rng, RANDOM_SPAN);
                ((0..n).map(|_| random_char(rng)).collect(), n)
            }
        };
        Ok(PlainTree::with_len(text, len, self.min))
    }
}

/// Strings matching the regular expression `pattern` (proptest's regex syntax), parsed once.
///
/// A `&str` is itself a proptest strategy, but one that parses its regex again on every draw:
/// for the untyped test-suite schemas that was about a fifth of the time of each value.
pub(crate) fn regex(pattern: &'static str) -> proptest::strategy::SBoxedStrategy<String> {
    proptest::string::string_regex(pattern)
        .unwrap_or_else(|error| panic!("the built-in regex {pattern:?} is valid: {error}"))
        .sboxed()
}

/// One character from a distribution weighted toward printable ASCII, with the edges that break
/// handlers: accented and CJK letters, astral-plane characters, combining marks, zero-width
/// characters, controls, quotes and backslashes.
pub(crate) fn random_char(rng: &mut TestRng) -> char {
    let pick = rng.random_range(0..100u32);
    let code = match pick {
        0..=59 => rng.random_range(0x20..=0x7e),
        60..=69 => *pick_one(rng, &[0xe9, 0xdf, 0xfc, 0xf1, 0xe7, 0xc5, 0x3a9, 0x436]),
        70..=74 => rng.random_range(0x4e00..=0x9fff),
        75..=77 => *pick_one(rng, &[0x1f600, 0x1f4a9, 0x1d54f, 0x10348, 0x1f680]),
        78..=80 => rng.random_range(0x300..=0x36f),
        81..=82 => *pick_one(rng, &[0x200d, 0x200b, 0xfeff, 0x2028]),
        83..=87 => *pick_one(rng, &[0x0, 0xa, 0x9, 0xd, 0x1b, 0x7f]),
        _ => *pick_one(rng, &[0x22, 0x5c, 0x27, 0x3c, 0x3e, 0x26, 0x25, 0x7b]),
    };
    char::from_u32(code).unwrap_or('?')
}

fn pick_one<'t, T>(rng: &mut TestRng, items: &'t [T]) -> &'t T {
    &items[rng.random_range(0..items.len())]
}

/// A plain string that shrinks: first to its first `min` characters, then one character
/// removed at a time, then each character replaced by `a`.
#[derive(Clone, Debug)]
pub(crate) struct PlainTree {
    text: String,
    /// The length of `text` in characters.
    len: usize,
    min: usize,
    /// Which candidate simplification comes next.
    step: usize,
    prev: Option<(String, usize)>,
}

impl PlainTree {
    /// A tree of `text`, shrinking to no fewer than `min` characters.
    #[cfg(test)]
    pub(crate) fn new(text: &str, min: usize) -> PlainTree {
        PlainTree::with_len(text.to_owned(), text.chars().count(), min)
    }

    /// [`PlainTree::new`] for a `text` of `len` characters.
    fn with_len(text: String, len: usize, min: usize) -> PlainTree {
        debug_assert_eq!(text.chars().count(), len);
        PlainTree {
            text,
            len,
            min,
            step: 0,
            prev: None,
        }
    }

    /// The byte offset of character `i` (the end of the text for `i == len`).
    fn offset(&self, i: usize) -> usize {
        self.text
            .char_indices()
            .nth(i)
            .map_or(self.text.len(), |(at, _)| at)
    }

    /// The candidate of number `step` (text and length), if there is one.
    fn candidate(&self, step: usize) -> Option<(String, usize)> {
        let n = self.len;
        if step == 0 {
            return (n > self.min)
                .then(|| (self.text[..self.offset(self.min)].to_owned(), self.min));
        }
        let step = step - 1;
        if step < n {
            if n <= self.min {
                return None;
            }
            let mut shorter = self.text.clone();
            shorter.remove(self.offset(n - 1 - step));
            return Some((shorter, n - 1));
        }
        let i = step - n;
        if i < n {
            let at = self.offset(i);
            let c = self.text[at..].chars().next()?;
            if c != 'a' {
                let mut simpler = self.text.clone();
                simpler.replace_range(at..at + c.len_utf8(), "a");
                return Some((simpler, n));
            }
        }
        None
    }
}

impl ValueTree for PlainTree {
    type Value = Value;

    fn current(&self) -> Value {
        Value::String(self.text.clone())
    }

    fn simplify(&mut self) -> bool {
        let limit = 1 + 2 * self.len;
        while self.step <= limit {
            if let Some((text, len)) = self.candidate(self.step) {
                let text = std::mem::replace(&mut self.text, text);
                self.prev = Some((text, std::mem::replace(&mut self.len, len)));
                return true;
            }
            self.step += 1;
        }
        false
    }

    fn complicate(&mut self) -> bool {
        match self.prev.take() {
            Some((text, len)) => {
                self.text = text;
                self.len = len;
                self.step += 1;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn runner() -> TestRunner {
        crate::generate::seeded::runner(
            &[3; 32],
            crate::generate::seeded::DEFAULT_MAX_LOCAL_REJECTS,
        )
    }

    #[test]
    fn trees_uphold_the_shrinking_contract() {
        proptest::strategy::check_strategy_sanity(Plain::new(0, None, 200), None);
        proptest::strategy::check_strategy_sanity(Plain::new(3, Some(10), 200), None);
    }

    #[test]
    fn lengths_are_respected_in_code_points() {
        let strategy = Plain::new(2, Some(5), 1024);
        let mut runner = runner();
        for _ in 0..2000 {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            let n = value.as_str().unwrap().chars().count();
            assert!((2..=5).contains(&n), "{value:?}");
        }
    }

    #[test]
    fn edges_show_up() {
        let strategy = Plain::new(0, None, 64);
        let mut runner = runner();
        let values: Vec<String> = (0..512)
            .map(|_| {
                strategy
                    .new_tree(&mut runner)
                    .unwrap()
                    .current()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert!(values.iter().any(String::is_empty));
        assert!(values.iter().any(|s| !s.is_ascii()));
        assert!(values.iter().any(|s| s.chars().any(|c| c as u32 > 0xffff)));
        assert!(values.iter().any(|s| s.chars().count() == 64));
    }

    #[test]
    fn shrinks_to_the_minimum_of_simple_characters() {
        let mut tree = PlainTree::new("é😀xyz", 2);
        // A property failing on every string: shrinking goes all the way down.
        while tree.simplify() {}
        assert_eq!(tree.current(), Value::String("aa".to_owned()));
        // A property failing only on strings containing 'y' keeps the 'y'.
        let mut tree = PlainTree::new("é😀xyz", 0);
        let fails = |v: &Value| v.as_str().unwrap().contains('y');
        while tree.simplify() {
            if !fails(&tree.current()) && !tree.complicate() {
                break;
            }
        }
        assert_eq!(tree.current(), Value::String("y".to_owned()));
    }
}
