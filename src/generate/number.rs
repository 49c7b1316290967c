//! `integer` and `number`: bounds (inclusive and exclusive), `multipleOf` (built as multiples,
//! never filtered), edge bias and shrinking toward zero.
//!
//! Both types draw a starting point (0 or the bound nearest it, an edge value, a small number, a
//! number anywhere in range) and shrink by binary search toward the value nearest zero, so a
//! property failing for `x > 100` shrinks to exactly `101`. `multipleOf` values are `k * step`
//! with the search on `k`; decimal steps are written in decimal (`0.1 * 3` is `0.3`, not
//! `0.30000000000000004`), which is how the validator checks them.

use jsonschema::canonical::{CanonicalSchema, IntegerView, NumberView};
use jsonschema::{JsonType, JsonTypeSet};
use proptest::{
    prelude::RngExt,
    strategy::{NewTree, Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::{Number, Value, json};

use super::{
    compile::{Compiler, Empty, Node, Strat, finish},
    family::{Family, type_set},
    invalid::Mutation,
};

/// Integers the generator tries first (when in range): the classic overflow and precision edges.
const INTEGER_EDGES: &[i128] = &[
    0,
    1,
    -1,
    2,
    (1 << 31) - 1,
    1 << 31,
    -(1 << 31),
    1 << 32,
    (1 << 53) + 1,
    -((1 << 53) + 1),
    i64::MAX as i128,
    i64::MIN as i128,
    u64::MAX as i128,
];

/// Non-integral numbers the generator tries first (when in range).
const FLOAT_EDGES: &[f64] = &[0.5, -0.5, 1e-7, 1.5, -1.5, 0.1, 1.5e300, -1.5e300, 3.25];

/// Bounds beyond this magnitude are brought in (a subset of the range, so still valid): the
/// integer arithmetic works in `i128`.
const INTEGER_LIMIT: i128 = 1 << 100;

/// Decimal multiples are kept within this magnitude of digits so they print exactly.
const DECIMAL_DIGITS_LIMIT: i128 = 1_000_000_000_000_000;

/// The largest integer every f64 path of the validator handles exactly (2^53).
const SAFE_INTEGER: i128 = 1 << 53;

/// The most decimal places of a `multipleOf` built exactly.
const MAX_DECIMAL_EXPONENT: i32 = 290;

/// The range generated for an unbounded integer when drawing "anywhere".
const WIDE: i128 = i64::MAX as i128;

/// `type: integer` with its bounds and divisors: built as multiples in range for valid values,
/// its minimum and maximum for boundary values, off range or off a multiple for invalid ones.
pub(crate) struct Integers(pub(crate) IntegerView);

impl Family for Integers {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, super::GenerateError> {
        integer(compiler, node, &self.0)
    }

    fn bounds(&self, _: &Value, at: &str) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        if let Some(min) = &self.0.minimum {
            out.push((format!("minimum of {at}"), Value::Number(min.clone())));
        }
        if let Some(max) = &self.0.maximum {
            out.push((format!("maximum of {at}"), Value::Number(max.clone())));
        }
        out
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, _: usize) {
        let view = &self.0;
        for m in view.multiple_of.iter().filter_map(Number::as_f64) {
            // Off a multiple by a fraction of it (the validator drops it when that leaves the
            // range too).
            let base = view
                .minimum
                .as_ref()
                .and_then(Number::as_f64)
                .unwrap_or(0.0);
            let base = (base / m).ceil() * m;
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: json!(base + m / 2.0),
            });
            if m > 1.0 {
                out.push(Mutation::Set {
                    at: at.to_vec(),
                    value: integer_value(base as i128 + 1),
                });
            }
        }
        if let Some(min) = view.minimum.as_ref().and_then(Number::as_f64) {
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: integer_value((min.ceil() as i128) - 1),
            });
        }
        if let Some(max) = view.maximum.as_ref().and_then(Number::as_f64) {
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: integer_value((max.floor() as i128) + 1),
            });
        }
    }

    fn types(&self) -> Option<JsonTypeSet> {
        Some(type_set(&[JsonType::Integer]))
    }
}

/// `type: number` with its bounds (inclusive or exclusive) and divisors.
pub(crate) struct Numbers(pub(crate) NumberView);

impl Family for Numbers {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, super::GenerateError> {
        number(compiler, node, &self.0)
    }

    fn bounds(&self, _: &Value, at: &str) -> Vec<(String, Value)> {
        let view = &self.0;
        let mut out = Vec::new();
        if let Some(min) = view.minimum.as_ref().and_then(Number::as_f64) {
            let x = if view.exclusive_minimum {
                min.next_up()
            } else {
                min
            };
            out.push((format!("minimum of {at}"), json!(x)));
        }
        if let Some(max) = view.maximum.as_ref().and_then(Number::as_f64) {
            let x = if view.exclusive_maximum {
                max.next_down()
            } else {
                max
            };
            out.push((format!("maximum of {at}"), json!(x)));
        }
        out
    }

    fn mutations(&self, at: &[String], out: &mut Vec<Mutation>, _: usize) {
        let view = &self.0;
        for m in view.multiple_of.iter().filter_map(Number::as_f64) {
            let base = view
                .minimum
                .as_ref()
                .and_then(Number::as_f64)
                .unwrap_or(0.0);
            let base = (base / m).ceil() * m;
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: json!(base + m / 2.0),
            });
        }
        if let Some(min) = view.minimum.as_ref().and_then(Number::as_f64) {
            let below = if view.exclusive_minimum {
                min
            } else {
                min - 1.0
            };
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: json!(below),
            });
        }
        if let Some(max) = view.maximum.as_ref().and_then(Number::as_f64) {
            let above = if view.exclusive_maximum {
                max
            } else {
                max + 1.0
            };
            out.push(Mutation::Set {
                at: at.to_vec(),
                value: json!(above),
            });
        }
    }

    fn types(&self) -> Option<JsonTypeSet> {
        Some(type_set(&[JsonType::Number, JsonType::Integer]))
    }
}

/// `integer`.
fn integer(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    view: &IntegerView,
) -> Result<Node, super::GenerateError> {
    let lo = view.minimum.as_ref().map(|n| integer_bound(n, true));
    let hi = view.maximum.as_ref().map(|n| integer_bound(n, false));
    let (lo, hi) = match (lo, hi) {
        (Some(IntBound::Beyond), _) | (_, Some(IntBound::Below)) => {
            // Every admitted integer is beyond what `i128` holds: generate big floats, all of
            // which are integral.
            let strategy = huge_integers(view);
            return Ok(Node::Gen(strategy));
        }
        (lo, hi) => (
            lo.map_or(-INTEGER_LIMIT, IntBound::clamped),
            hi.map_or(INTEGER_LIMIT, IntBound::clamped),
        ),
    };
    let Some(step) = integer_step(&view.multiple_of) else {
        return fallback(
            compiler,
            node,
            "multipleOf",
            "a `multipleOf` too large for 128 bits",
        );
    };
    // The validator checks a multiple exactly only up to 2^53 when the schema's divisor is a
    // decimal (which the canonical form may have turned into an integer step): stay below.
    let (lo, hi) = if view.multiple_of.is_empty() {
        (lo, hi)
    } else {
        (lo.max(-SAFE_INTEGER), hi.min(SAFE_INTEGER))
    };
    let kmin = div_ceil(lo, step);
    let kmax = div_floor(hi, step);
    if kmin > kmax {
        return Ok(Node::Empty(Empty::False));
    }
    let strategy = NumStrategy {
        kmin,
        kmax,
        wide: WIDE / step,
        edges: int_edges(
            kmin,
            kmax,
            step,
            view.minimum.is_some(),
            view.maximum.is_some(),
        ),
        map: KMap::Integer { step },
        first: None,
    }
    .sboxed();
    not_multiple(compiler, node, strategy, &view.not_multiple_of)
}

/// `number`.
fn number(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    view: &NumberView,
) -> Result<Node, super::GenerateError> {
    let lo = view
        .minimum
        .as_ref()
        .map(|n| float_bound(n, true, view.exclusive_minimum));
    let hi = view
        .maximum
        .as_ref()
        .map(|n| float_bound(n, false, view.exclusive_maximum));
    let (lo, hi) = (lo.unwrap_or(f64::MIN), hi.unwrap_or(f64::MAX));
    if lo > hi {
        return Ok(Node::Empty(Empty::False));
    }
    let strategy = if view.multiple_of.is_empty() {
        FloatStrategy {
            lo,
            hi,
            bounded: (view.minimum.is_some(), view.maximum.is_some()),
        }
        .sboxed()
    } else {
        let Some((mantissa, exponent)) = decimal_step(&view.multiple_of) else {
            return fallback(
                compiler,
                node,
                "multipleOf",
                "a `multipleOf` with too many digits",
            );
        };
        let step = decimal_value(1, mantissa, exponent);
        let limit = DECIMAL_DIGITS_LIMIT / mantissa.max(1);
        let mut kmin = (lo / step).ceil().max(-(limit as f64)) as i128;
        let mut kmax = (hi / step).floor().min(limit as f64) as i128;
        while kmin <= kmax && decimal_value(kmin, mantissa, exponent) < lo {
            kmin += 1;
        }
        while kmin <= kmax && decimal_value(kmax, mantissa, exponent) > hi {
            kmax -= 1;
        }
        if kmin > kmax {
            // The multiples in range are beyond exact decimal printing (or there are none).
            return fallback(
                compiler,
                node,
                "multipleOf",
                "no multiple written exactly in range",
            );
        }
        let edges = [lo, hi, 0.0, 1.0, -1.0]
            .iter()
            .map(|x| (x / step).round() as i128)
            .filter(|k| (kmin..=kmax).contains(k))
            .collect();
        NumStrategy {
            kmin,
            kmax,
            wide: limit,
            edges,
            map: KMap::Decimal { mantissa, exponent },
            first: None,
        }
        .sboxed()
    };
    let strategy = if view.excludes_integers {
        let site = compiler.site_at_keyword("type", "a draft 4 number that is not an integer");
        // Draft 4 only (`not: {type: integer}`): most generated numbers are not integral.
        match compiler.native_filter(strategy, site, |value| {
            value.as_f64().is_some_and(|x| x.fract() != 0.0)
        }) {
            Ok(strategy) => strategy,
            Err(stop) => return finish(Err(stop)),
        }
    } else {
        strategy
    };
    not_multiple(compiler, node, strategy, &view.not_multiple_of)
}

/// Any integer (for `{"type": "integer"}` with no other constraint).
pub(crate) fn any_integer() -> Strat {
    NumStrategy {
        kmin: -INTEGER_LIMIT,
        kmax: INTEGER_LIMIT,
        wide: WIDE,
        edges: int_edges(-INTEGER_LIMIT, INTEGER_LIMIT, 1, false, false),
        map: KMap::Integer { step: 1 },
        first: None,
    }
    .sboxed()
}

/// Any number (for `{"type": "number"}` with no other constraint).
pub(crate) fn any_number() -> Strat {
    FloatStrategy {
        lo: f64::MIN,
        hi: f64::MAX,
        bounded: (false, false),
    }
    .sboxed()
}

/// `not multipleOf` (from a negation): keep the values its validator accepts.
fn not_multiple(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    strategy: Strat,
    barred: &[Number],
) -> Result<Node, super::GenerateError> {
    if barred.is_empty() {
        return Ok(Node::Gen(strategy));
    }
    let site =
        compiler.site_at_keyword("multipleOf", "a number that is not a multiple (from `not`)");
    // The barred divisors are checked by the node's validator: rejection sampling, but most
    // numbers are not multiples of a given divisor.
    finish(compiler.validating_filter(strategy, node, site))
}

/// Numbers the arithmetic here cannot build: any number, kept when the node's validator accepts.
fn fallback(
    compiler: &mut Compiler<'_>,
    node: &CanonicalSchema,
    keyword: &str,
    why: &str,
) -> Result<Node, super::GenerateError> {
    let site = compiler.site_at_keyword(keyword, why);
    // Not built exactly: rejection sampling by the node's validator (the probe refuses the
    // schema when too few pass).
    finish(compiler.validating_filter(any_number(), node, site))
}

/// Integers beyond `i128`: floats in range, which at that magnitude are all integral.
fn huge_integers(view: &IntegerView) -> Strat {
    let lo = view
        .minimum
        .as_ref()
        .and_then(Number::as_f64)
        .unwrap_or(f64::MIN);
    let hi = view
        .maximum
        .as_ref()
        .and_then(Number::as_f64)
        .unwrap_or(f64::MAX);
    FloatStrategy {
        lo: lo.ceil(),
        hi: hi.floor(),
        bounded: (true, view.maximum.is_some()),
    }
    .prop_map(|value| {
        let x = value.as_f64().unwrap_or(0.0).round();
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    })
    .sboxed()
}

/// An integer bound read from a schema number.
#[derive(Clone, Copy, Debug, PartialEq)]
enum IntBound {
    Exact(i128),
    /// Above everything `i128` holds.
    Beyond,
    /// Below everything `i128` holds.
    Below,
}

impl IntBound {
    fn clamped(self) -> i128 {
        match self {
            IntBound::Exact(x) => x.clamp(-INTEGER_LIMIT, INTEGER_LIMIT),
            IntBound::Beyond => INTEGER_LIMIT,
            IntBound::Below => -INTEGER_LIMIT,
        }
    }
}

/// A bound on integers: rounded up for a minimum, down for a maximum.
fn integer_bound(n: &Number, minimum: bool) -> IntBound {
    if let Some(x) = n.as_i64() {
        return IntBound::Exact(x.into());
    }
    if let Some(x) = n.as_u64() {
        return IntBound::Exact(x.into());
    }
    let x = n.as_f64().unwrap_or(0.0);
    let x = if minimum { x.ceil() } else { x.floor() };
    if x >= INTEGER_LIMIT as f64 {
        IntBound::Beyond
    } else if x <= -(INTEGER_LIMIT as f64) {
        IntBound::Below
    } else {
        IntBound::Exact(x as i128)
    }
}

/// An inclusive float bound on the safe side of `n` (and of the exclusive bound).
fn float_bound(n: &Number, minimum: bool, exclusive: bool) -> f64 {
    let exact = n
        .as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from));
    let mut x = n.as_f64().unwrap_or(0.0);
    if let Some(exact) = exact {
        // Large integers round when read as f64; stay inside.
        if minimum && (x as i128) < exact {
            x = x.next_up();
        }
        if !minimum && (x as i128) > exact {
            x = x.next_down();
        }
    }
    match (exclusive, minimum) {
        (true, true) => x.next_up(),
        (true, false) => x.next_down(),
        (false, _) => x,
    }
}

/// The least common multiple of integral divisors, and for decimal ones the least integer they
/// divide; `None` on overflow.
fn integer_step(divisors: &[Number]) -> Option<i128> {
    let mut step: i128 = 1;
    for divisor in divisors {
        let need = if let Some(d) = divisor.as_u64() {
            i128::from(d)
        } else if let Some(d) = divisor.as_i64() {
            i128::from(d).abs()
        } else {
            let (mantissa, decimals) = decimal_parts(divisor.as_f64()?)?;
            if decimals <= 0 {
                mantissa.checked_mul(10_i128.checked_pow(decimals.unsigned_abs())?)?
            } else {
                // The least s with s * 10^decimals divisible by the mantissa.
                let scale = 10_i128.checked_pow(decimals.unsigned_abs())?;
                mantissa / gcd(mantissa, scale)
            }
        };
        if need == 0 {
            return None;
        }
        step = lcm(step, need)?;
    }
    Some(step)
}

/// The least common multiple of decimal divisors as `mantissa * 10^-exponent`.
fn decimal_step(divisors: &[Number]) -> Option<(i128, i32)> {
    let parts: Vec<(i128, i32)> = divisors
        .iter()
        .map(|d| decimal_parts(d.as_f64()?))
        .collect::<Option<_>>()?;
    let exponent = parts.iter().map(|(_, e)| *e).max()?.max(0);
    let mut mantissa: i128 = 1;
    for (m, e) in parts {
        let scaled = m.checked_mul(10_i128.checked_pow(u32::try_from(exponent - e).ok()?)?)?;
        mantissa = lcm(mantissa, scaled)?;
    }
    // Steps below 1e-290 would put multiples among the subnormal floats, which do not print
    // back as the decimal they were built from.
    (mantissa < DECIMAL_DIGITS_LIMIT && exponent <= MAX_DECIMAL_EXPONENT)
        .then_some((mantissa, exponent))
}

/// `x` as `mantissa * 10^-decimals` from its shortest decimal form (`0.1` is `(1, 1)`,
/// `1500` is `(15, -2)`).
pub(crate) fn decimal_parts(x: f64) -> Option<(i128, i32)> {
    if !x.is_finite() {
        return None;
    }
    let text = format!("{:e}", x.abs());
    let (digits, exp) = text.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mantissa: i128 = format!("{int}{frac}").parse().ok()?;
    let decimals = i32::try_from(frac.len()).ok()? - exp;
    Some((mantissa, decimals))
}

/// `k * mantissa * 10^-exponent` as the f64 its decimal form reads as.
fn decimal_value(k: i128, mantissa: i128, exponent: i32) -> f64 {
    let digits = k.saturating_mul(mantissa);
    format!("{digits}e{}", -exponent).parse().unwrap_or(0.0)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn lcm(a: i128, b: i128) -> Option<i128> {
    (a / gcd(a, b)).checked_mul(b)
}

fn div_floor(a: i128, b: i128) -> i128 {
    a.div_euclid(b)
}

fn div_ceil(a: i128, b: i128) -> i128 {
    -((-a).div_euclid(b))
}

/// The edge multipliers `k` in range: edge integers, and the bounds when declared.
fn int_edges(kmin: i128, kmax: i128, step: i128, low: bool, high: bool) -> Vec<i128> {
    let mut edges: Vec<i128> = Vec::new();
    if low {
        edges.push(kmin);
    }
    if high {
        edges.push(kmax);
    }
    for edge in INTEGER_EDGES {
        let k = edge / step;
        if (kmin..=kmax).contains(&k) && !edges.contains(&k) {
            edges.push(k);
        }
    }
    edges
}

/// How `k` maps to a value.
#[derive(Clone, Copy, Debug)]
enum KMap {
    Integer { step: i128 },
    Decimal { mantissa: i128, exponent: i32 },
}

impl KMap {
    fn value(self, k: i128) -> Value {
        match self {
            KMap::Integer { step } => integer_value(k.saturating_mul(step)),
            KMap::Decimal { mantissa, exponent } => {
                if exponent <= 0 {
                    integer_value(k * mantissa * 10_i128.pow(exponent.unsigned_abs()))
                } else {
                    float_value(decimal_value(k, mantissa, exponent))
                }
            }
        }
    }
}

/// An integer as the JSON number that holds it exactly (a float beyond 64 bits).
pub(crate) fn integer_value(x: i128) -> Value {
    if let Ok(x) = i64::try_from(x) {
        Value::from(x)
    } else if let Ok(x) = u64::try_from(x) {
        Value::from(x)
    } else {
        float_value(x as f64)
    }
}

fn float_value(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Multiples `k * step` for `k` in `[kmin, kmax]`.
#[derive(Clone, Debug)]
struct NumStrategy {
    kmin: i128,
    kmax: i128,
    /// The half-width of "anywhere" draws for an unbounded side.
    wide: i128,
    edges: Vec<i128>,
    map: KMap,
    /// A fixed first value (tests).
    first: Option<i128>,
}

impl Strategy for NumStrategy {
    type Tree = IntTree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let target = 0.clamp(self.kmin, self.kmax);
        let rng = runner.rng();
        if super::early::edgy()
            && let Some(k) = self.edgy_k(rng)
        {
            return Ok(IntTree::new(k, target, self.map));
        }
        let k = self
            .first
            .unwrap_or_else(|| match rng.random_range(0..16u32) {
                0 | 1 => target,
                2..=5 if !self.edges.is_empty() => {
                    self.edges[rng.random_range(0..self.edges.len())]
                }
                2..=7 => (target + rng.random_range(-100..=100i128)).clamp(self.kmin, self.kmax),
                8..=12 => log_uniform(rng, target, self.kmin, self.kmax),
                _ => {
                    let lo = self.kmin.max(-self.wide);
                    let hi = self.kmax.min(self.wide);
                    if lo <= hi {
                        rng.random_range(lo..=hi)
                    } else {
                        target
                    }
                }
            });
        Ok(IntTree::new(k, target, self.map))
    }
}

/// The integers of the edgy draw: just past 32 bits on each side, and past 2^53 (where a
/// double stops holding every integer).
const EDGY_INTEGERS: &[i128] = &[1 << 31, -(1 << 31) - 1, (1 << 53) + 1, -(1 << 53) - 1];

impl NumStrategy {
    /// The edgy draw's `k`: an integer of [`EDGY_INTEGERS`] (the nearest multiple past it) in
    /// range, if any; `None` for decimal steps and for ranges within 32 bits.
    fn edgy_k(&self, rng: &mut proptest::test_runner::TestRng) -> Option<i128> {
        let KMap::Integer { step } = self.map else {
            return None;
        };
        let ks: Vec<i128> = EDGY_INTEGERS
            .iter()
            .map(|x| {
                if *x > 0 {
                    div_ceil(*x, step)
                } else {
                    div_floor(*x, step)
                }
            })
            .filter(|k| (self.kmin..=self.kmax).contains(k))
            .collect();
        (!ks.is_empty()).then(|| ks[rng.random_range(0..ks.len())])
    }
}

/// The most decimal digits of a log-uniform draw's distance from its target.
const MAX_DIGITS: u32 = 18;

/// A `k` in `[kmin, kmax]` at a log-uniform distance from `target`: a side with room, then a
/// number of decimal digits up to that side's room (at most [`MAX_DIGITS`]), then a distance with
/// that many digits. Every order of magnitude the range holds is as likely as any other, so a
/// range `0..=10^6` gives `1,559..=5,000` in about one such draw in 18 (the 4-digit distances
/// are one in 7, and 38% of them fall there).
fn log_uniform(
    rng: &mut proptest::test_runner::TestRng,
    target: i128,
    kmin: i128,
    kmax: i128,
) -> i128 {
    let (up, down) = (kmax.saturating_sub(target), target.saturating_sub(kmin));
    let upward = match (up > 0, down > 0) {
        (true, true) => rng.random_bool(0.5),
        (true, false) => true,
        (false, true) => false,
        (false, false) => return target,
    };
    let room = if upward { up } else { down };
    let digits = (room.checked_ilog10().unwrap_or(0) + 1).min(MAX_DIGITS);
    let d = rng.random_range(1..=digits);
    let lo = 10_i128.pow(d - 1);
    let hi = (10_i128.pow(d) - 1).min(room);
    let distance = if lo >= hi {
        lo.min(room)
    } else {
        rng.random_range(lo..=hi)
    };
    if upward {
        target + distance
    } else {
        target - distance
    }
}

/// Binary search from the drawn `k` toward `target` (0, or the bound nearest it).
#[derive(Clone, Debug)]
pub(crate) struct IntTree {
    target: i128,
    /// +1 or -1: the side of `target` the drawn value is on.
    dir: i128,
    lo: u128,
    curr: u128,
    hi: u128,
    map: KMap,
}

impl IntTree {
    fn new(k: i128, target: i128, map: KMap) -> IntTree {
        let distance = k.abs_diff(target);
        IntTree {
            target,
            dir: if k >= target { 1 } else { -1 },
            lo: 0,
            curr: distance,
            hi: distance,
            map,
        }
    }

    fn k(&self) -> i128 {
        // The distance never exceeds the one drawn, which fits.
        self.target + self.dir * (self.curr as i128)
    }

    fn reposition(&mut self) -> bool {
        let mid = self.lo + (self.hi - self.lo) / 2;
        if mid == self.curr {
            false
        } else {
            self.curr = mid;
            true
        }
    }
}

impl ValueTree for IntTree {
    type Value = Value;

    fn current(&self) -> Value {
        self.map.value(self.k())
    }

    fn simplify(&mut self) -> bool {
        if self.hi <= self.lo {
            return false;
        }
        self.hi = self.curr;
        self.reposition()
    }

    fn complicate(&mut self) -> bool {
        if self.hi <= self.lo {
            return false;
        }
        self.lo = self.curr + 1;
        self.reposition()
    }
}

/// Floats in `[lo, hi]` (already inclusive: exclusive bounds were moved inside).
#[derive(Clone, Debug)]
struct FloatStrategy {
    lo: f64,
    hi: f64,
    /// Whether the minimum and maximum were declared (then they are edges).
    bounded: (bool, bool),
}

impl FloatStrategy {
    fn target(&self) -> f64 {
        0.0_f64.clamp(self.lo, self.hi)
    }

    fn in_range(&self, x: f64) -> bool {
        x.is_finite() && self.lo <= x && x <= self.hi
    }

    /// The edgy draw's number: a short decimal with a fraction (`-12.34`), or the middle of a
    /// narrow range, in range; `None` when neither has a fraction.
    fn edgy_fraction(&self, rng: &mut proptest::test_runner::TestRng) -> Option<f64> {
        let cents = rng.random_range(1..=99_999i64) * 100 + rng.random_range(1..=99i64);
        let sign = if rng.random_bool(0.5) { 1 } else { -1 };
        // Parsed from text, as the other decimals: the same number on every platform.
        let x: f64 = format!("{}e-2", sign * cents).parse().ok()?;
        let middle = self.lo / 2.0 + self.hi / 2.0;
        [x, -x, middle]
            .into_iter()
            .find(|x| self.in_range(*x) && x.fract() != 0.0)
    }
}

impl Strategy for FloatStrategy {
    type Tree = FloatTree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let target = self.target();
        let rng = runner.rng();
        if super::early::edgy()
            && let Some(x) = self.edgy_fraction(rng)
        {
            return Ok(FloatTree::new(x, target, None));
        }
        let mut first = None;
        let pick = rng.random_range(0..20u32);
        let x = match pick {
            0 | 1 => target,
            2 if self.in_range(-0.0) => -0.0,
            3..=6 => {
                let mut edges: Vec<f64> = Vec::new();
                if self.bounded.0 {
                    edges.push(self.lo);
                }
                if self.bounded.1 {
                    edges.push(self.hi);
                }
                edges.extend(FLOAT_EDGES.iter().copied().filter(|x| self.in_range(*x)));
                let ints: Vec<i128> = INTEGER_EDGES
                    .iter()
                    .copied()
                    .filter(|x| self.in_range(*x as f64) && self.in_range(*x as f64 * 1.0))
                    .filter(|x| (*x as f64) >= self.lo && (*x as f64) <= self.hi)
                    .collect();
                let total = edges.len() + ints.len();
                if total == 0 {
                    target
                } else {
                    let i = rng.random_range(0..total);
                    if i < edges.len() {
                        edges[i]
                    } else {
                        // Integer edges as exact JSON integers (e.g. 2^53 + 1).
                        let int = ints[i - edges.len()];
                        first = Some(integer_value(int));
                        int as f64
                    }
                }
            }
            7..=11 => {
                // A short decimal near zero: `12.34`.
                let cents = rng.random_range(-100_000..=100_000i64);
                format!("{}e-2", cents).parse().unwrap_or(0.0)
            }
            12..=14 => {
                let digits = rng.random_range(-8..=15i32);
                let mantissa: f64 = rng.random_range(1.0..10.0);
                // Written out and parsed (not `powi`, whose rounding may differ between
                // platforms): the same seed gives the same number everywhere.
                let x: f64 = format!("{mantissa}e{digits}").parse().unwrap_or(0.0);
                if rng.random_bool(0.5) { x } else { -x }
            }
            _ => {
                let lo = self.lo.max(-1e9);
                let hi = self.hi.min(1e9);
                if lo < hi {
                    rng.random_range(lo..=hi)
                } else {
                    target
                }
            }
        };
        let x = if self.in_range(x) {
            x
        } else if self.bounded.0 && self.bounded.1 && self.lo < self.hi {
            // Out of a bounded range: fold into it.
            let span = self.hi - self.lo;
            let folded = self.lo + (x.abs() % span);
            if self.in_range(folded) {
                folded
            } else {
                target
            }
        } else {
            first = None;
            target
        };
        Ok(FloatTree::new(x, target, first))
    }
}

/// Shrinks a float toward `target` by bisection, preferring round numbers.
#[derive(Clone, Debug)]
pub(crate) struct FloatTree {
    /// The exact drawn value when it is a JSON integer a float cannot hold (shown whenever the
    /// tree is back at the drawn float).
    first: Option<Value>,
    origin: f64,
    /// Nearest the target; assumed to pass until shown otherwise.
    lo: f64,
    curr: f64,
    /// Known to fail.
    hi: f64,
    steps: u32,
}

/// Bisection steps before the float tree stops simplifying.
const FLOAT_SHRINK_STEPS: u32 = 256;

impl FloatTree {
    fn new(x: f64, target: f64, first: Option<Value>) -> FloatTree {
        FloatTree {
            first,
            origin: x,
            lo: target,
            curr: x,
            hi: x,
            steps: 0,
        }
    }

    fn reposition(&mut self) -> bool {
        if self.steps >= FLOAT_SHRINK_STEPS {
            return false;
        }
        self.steps += 1;
        // Bisect the order of the bit patterns: exponents first, so any magnitude converges in
        // about 64 steps.
        let (a, b) = (
            i128::from(order_key(self.lo)),
            i128::from(order_key(self.hi)),
        );
        let mid = from_order_key((a + (b - a) / 2) as i64);
        let round = mid.round();
        let strictly_inside = |x: f64| (self.lo < x && x < self.hi) || (self.hi < x && x < self.lo);
        let mid = if strictly_inside(round) { round } else { mid };
        if mid == self.curr || mid == self.hi || mid == self.lo || !mid.is_finite() {
            return false;
        }
        self.curr = mid;
        true
    }
}

/// A key whose integer order is the order of the floats.
fn order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    if bits < 0 { bits ^ i64::MAX } else { bits }
}

fn from_order_key(key: i64) -> f64 {
    let bits = if key < 0 { key ^ i64::MAX } else { key };
    f64::from_bits(bits as u64)
}

impl ValueTree for FloatTree {
    type Value = Value;

    fn current(&self) -> Value {
        match &self.first {
            Some(first) if self.curr == self.origin => first.clone(),
            _ => float_value(self.curr),
        }
    }

    fn simplify(&mut self) -> bool {
        self.hi = self.curr;
        if self.curr == self.lo {
            return false;
        }
        // The nearest value first, then bisection.
        if self.steps == 0 {
            self.steps = 1;
            self.curr = self.lo;
            return true;
        }
        self.reposition()
    }

    fn complicate(&mut self) -> bool {
        if self.curr == self.hi {
            return false;
        }
        // The current value passed: it is the new near end. Bisect again, or settle back on the
        // last failing value when nothing is left between.
        self.lo = self.curr;
        if !self.reposition() {
            self.curr = self.hi;
        }
        true
    }
}

/// A number as `usize` (lengths and counts), saturating; `None` for negatives.
pub(crate) fn to_usize(n: &Number) -> Option<usize> {
    if let Some(x) = n.as_u64() {
        return Some(usize::try_from(x).unwrap_or(usize::MAX));
    }
    let x = n.as_f64()?;
    (x >= 0.0).then_some({
        if x >= usize::MAX as f64 {
            usize::MAX
        } else {
            x as usize
        }
    })
}

/// Shared for tests: a strategy drawing `k` first.
#[cfg(test)]
fn fixed_integer(k: i128) -> Strat {
    NumStrategy {
        kmin: -INTEGER_LIMIT,
        kmax: INTEGER_LIMIT,
        wide: WIDE,
        edges: Vec::new(),
        map: KMap::Integer { step: 1 },
        first: Some(k),
    }
    .sboxed()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn runner() -> TestRunner {
        crate::generate::seeded::runner(
            &[1; 32],
            crate::generate::seeded::DEFAULT_MAX_LOCAL_REJECTS,
        )
    }

    /// Shrinks as proptest's runner does for a test failing on `fails`.
    fn shrink(strategy: &Strat, fails: impl Fn(&Value) -> bool) -> Value {
        let mut runner = runner();
        let mut tree = strategy.new_tree(&mut runner).expect("tree");
        assert!(fails(&tree.current()));
        if tree.simplify() {
            loop {
                let more = if fails(&tree.current()) {
                    tree.simplify()
                } else {
                    tree.complicate()
                };
                if !more {
                    break;
                }
            }
        }
        tree.current()
    }

    #[test]
    fn floats_shrink_toward_the_boundary() {
        let strategy = FloatStrategy {
            lo: f64::MIN,
            hi: f64::MAX,
            bounded: (false, false),
        }
        .sboxed();
        let mut runner = runner();
        for _ in 0..50 {
            let mut tree = strategy.new_tree(&mut runner).unwrap();
            let fails = |v: &Value| v.as_f64().is_some_and(|x| x > 10.5);
            if !fails(&tree.current()) {
                continue;
            }
            if tree.simplify() {
                loop {
                    let more = if fails(&tree.current()) {
                        tree.simplify()
                    } else {
                        tree.complicate()
                    };
                    if !more {
                        break;
                    }
                }
            }
            let x = tree.current().as_f64().unwrap();
            assert!(x > 10.5 && x < 11.0, "{x}");
        }
    }

    #[test]
    fn integers_shrink_to_the_boundary() {
        let strategy = fixed_integer(1 << 31);
        let minimal = shrink(&strategy, |v| v.as_i64().is_some_and(|x| x > 100));
        assert_eq!(minimal, json!(101));
        let strategy = fixed_integer(-(1 << 40));
        let minimal = shrink(&strategy, |v| v.as_i64().is_some_and(|x| x < -7));
        assert_eq!(minimal, json!(-8));
    }

    #[test]
    fn trees_uphold_the_shrinking_contract() {
        use proptest::strategy::check_strategy_sanity;
        check_strategy_sanity(
            NumStrategy {
                kmin: -1000,
                kmax: 1 << 70,
                wide: WIDE,
                edges: vec![0, 1, 7],
                map: KMap::Integer { step: 3 },
                first: None,
            },
            None,
        );
        check_strategy_sanity(
            FloatStrategy {
                lo: -2.5,
                hi: 1e300,
                bounded: (true, false),
            },
            None,
        );
        check_strategy_sanity(
            FloatStrategy {
                lo: f64::MIN,
                hi: f64::MAX,
                bounded: (false, false),
            },
            None,
        );
    }

    #[test]
    fn decimal_parts_read_the_shortest_form() {
        assert_eq!(decimal_parts(0.1), Some((1, 1)));
        assert_eq!(decimal_parts(1500.0), Some((15, -2)));
        assert_eq!(decimal_parts(0.0001), Some((1, 4)));
        assert_eq!(decimal_parts(1.5), Some((15, 1)));
    }

    #[test]
    fn integer_steps() {
        assert_eq!(integer_step(&[Number::from(2), Number::from(3)]), Some(6));
        assert_eq!(integer_step(&[Number::from_f64(0.5).unwrap()]), Some(1));
        assert_eq!(integer_step(&[Number::from_f64(1.5).unwrap()]), Some(3));
        assert_eq!(
            integer_step(&[Number::from_f64(0.123456789).unwrap()]),
            Some(123456789)
        );
        assert_eq!(
            decimal_step(&[
                Number::from_f64(0.1).unwrap(),
                Number::from_f64(0.25).unwrap()
            ]),
            Some((50, 2))
        );
    }

    #[test]
    fn decimal_multiples_print_exactly() {
        let map = KMap::Decimal {
            mantissa: 1,
            exponent: 1,
        };
        assert_eq!(map.value(3), json!(0.3));
        let map = KMap::Decimal {
            mantissa: 15,
            exponent: 1,
        };
        assert_eq!(map.value(-2), json!(-3.0));
    }

    #[test]
    fn float_bounds_stay_inside() {
        let n = Number::from((1u64 << 53) + 3);
        let hi = float_bound(&n, false, false);
        assert!((hi as i128) <= (1i128 << 53) + 3);
        let lo = float_bound(&Number::from(0), true, true);
        assert!(lo > 0.0);
    }
}
