//! The compile step: canonicalize the schema, then turn each [`CanonicalView`] into a strategy.
//!
//! [`Compiler::compile`] hands each canonical node to the module of its keyword family through
//! the one dispatch table (`family`), which `boundary` and `invalid` use too. Recursion (`$ref`
//! cycles) is unrolled up to [`GenerateOptions::max_recursion_depth`] expansions on any path;
//! compiled references are memoized by (URI, remaining depth), so a recursive document costs its
//! size times the depth, not an exponential. Each node is compiled at its `Location` in the
//! original schema, which errors, filter sites and warnings name.
//!
//! Where a strategy cannot build exactly the values a node accepts (an opaque `not`, `allOf` or
//! `oneOf`, excluded values, object violations, ...), [`Compiler::validating_filter`] keeps
//! only the values a validator compiled from that canonical node accepts, and the whole strategy
//! is then wrapped in one filter by the whole-schema validator (the soundness net). Before
//! handing out such a strategy, [`build`] draws a few values with a fixed seed and refuses the
//! schema as [`TooHard`](super::GenerateErrorKind::TooHard) when too few pass.

use std::{
    cell::Cell,
    collections::{BTreeMap, BTreeSet},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use jsonschema::{
    Draft, Validator,
    canonical::{CanonicalSchema, CanonicalView, ObjectViolationView},
};
use proptest::{
    sample::select,
    strategy::{SBoxedStrategy, Strategy, ValueTree},
};
use serde_json::Value;

use super::union::Union;
use super::{
    GenerateError, GenerateOptions, GenerateWarning, LabeledValue, boundary,
    family::{Family, family},
    literals,
    location::{Location, Step},
    pattern::Pattern,
    raw,
    refs::{self, Prepared, Resources},
    unsatisfiable, walk,
};
use crate::pointer::JsonPointer;

/// The strategy every node compiles to.
pub(crate) type Strat = SBoxedStrategy<Value>;

/// How many values the compile-time probe draws.
pub(crate) const PROBE_DRAWS: usize = 64;
/// The fewest probe values (of [`PROBE_DRAWS`]) that must pass for a filtered strategy to be
/// handed out: about 10%.
pub(crate) const PROBE_MIN_PASSES: usize = 7;
/// The local rejections the probe allows over all its draws: at most about 10 per value.
const PROBE_MAX_LOCAL_REJECTS: u32 = 640;
/// The probe's fixed seed.
const PROBE_SEED: [u8; 32] = [0x5e; 32];

thread_local! {
    /// The work done on this thread by compiling (see [`charge`]); a compile reads it at its
    /// start and checks the difference against [`GenerateOptions::max_work`].
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Counts `units` of compile-time work on this thread.
pub(crate) fn charge(units: u64) {
    WORK.with(|work| work.set(work.get().saturating_add(units)));
}

fn work_done() -> u64 {
    WORK.with(Cell::get)
}

/// How many JSON nodes `value` has (the work of drawing it).
pub(crate) fn nodes(value: &Value) -> u64 {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes).sum(),
        Value::Object(map) => map.values().map(nodes).sum(),
        _ => 0,
    }
}

/// What compiling one canonical node gives.
#[derive(Clone)]
pub(crate) enum Node {
    /// A strategy of values the node accepts.
    Gen(Strat),
    /// No value can be generated here.
    Empty(Empty),
}

/// Why a node has no values to generate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Empty {
    /// The node admits no value (`false`, or a contradiction the canonical form found).
    False,
    /// The recursion bound stopped the expansion of this reference.
    Recursion(String),
    /// A filter here rejects too often (the compile-time probe says so).
    Hard(JsonPointer, String),
}

/// Why compiling a node stopped short of a strategy: no values, or an error.
pub(crate) enum Stop {
    Empty(Empty),
    Error(GenerateError),
}

impl From<GenerateError> for Stop {
    fn from(error: GenerateError) -> Stop {
        Stop::Error(error)
    }
}

/// A module's result as a [`Node`].
pub(crate) fn finish(result: Result<Strat, Stop>) -> Result<Node, GenerateError> {
    match result {
        Ok(strategy) => Ok(Node::Gen(strategy)),
        Err(Stop::Empty(empty)) => Ok(Node::Empty(empty)),
        Err(Stop::Error(error)) => Err(error),
    }
}

/// The strategy of a compiled child, or stop with its reason.
pub(crate) fn need(node: Node) -> Result<Strat, Stop> {
    match node {
        Node::Gen(strategy) => Ok(strategy),
        Node::Empty(empty) => Err(Stop::Empty(empty)),
    }
}

impl Node {
    pub(crate) fn strategy(self) -> Option<Strat> {
        match self {
            Node::Gen(strategy) => Some(strategy),
            Node::Empty(_) => None,
        }
    }
}

/// A `$ref` the canonical form kept: compiled by [`Compiler`] itself, which bounds recursion.
pub(crate) struct Reference(pub(crate) String);

impl Family for Reference {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        compiler.reference(node, &self.0)
    }
}

/// One place where a strategy filters, with its hit counts (read by the probe to blame the
/// filter that rejects most).
#[derive(Debug)]
pub(crate) struct Site {
    keyword: String,
    pointer: JsonPointer,
    why: String,
    accepted: AtomicU64,
    rejected: AtomicU64,
}

impl Site {
    fn record(&self, ok: bool) {
        let counter = if ok { &self.accepted } else { &self.rejected };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn rejection_rate(&self) -> Option<f64> {
        let accepted = self.accepted.load(Ordering::Relaxed) as f64;
        let rejected = self.rejected.load(Ordering::Relaxed) as f64;
        (accepted + rejected > 0.0).then(|| rejected / (accepted + rejected))
    }
}

/// The compile-time state.
pub(crate) struct Compiler<'a> {
    pub(crate) options: &'a GenerateOptions,
    /// The schema after the pre-pass: what [`Location`]s point into.
    pub(crate) source: &'a Value,
    /// Where the node being compiled came from (see [`Location`]).
    here: Location<'a>,
    pub(crate) resources: Resources,
    pub(crate) warnings: Vec<GenerateWarning>,
    /// Whether some strategy filters with a validator (so the whole-schema validator must too).
    pub(crate) inexact: bool,
    /// Whether some strategy filters at all (so the probe must check the rejection rate).
    filters: bool,
    recursive: BTreeSet<String>,
    memo: BTreeMap<(String, u32), Node>,
    budget: u32,
    validators: BTreeMap<String, Arc<Validator>>,
    sites: Vec<Arc<Site>>,
    /// Compiled patterns, or why a pattern cannot be generated for (the pointer depends on
    /// where it is used).
    patterns: BTreeMap<String, Result<Arc<Pattern>, String>>,
    regexes: BTreeMap<String, Option<Arc<fancy_regex::Regex>>>,
    /// How many containers deep the node being compiled is (sizes shrink with depth).
    pub(crate) depth: u32,
    declared: Option<Arc<Vec<String>>>,
    /// [`work_done`] when this compile started.
    work_start: u64,
    /// Where the reference being expanded is (blamed when the budget runs out).
    expanding: JsonPointer,
    /// What the tool's description names ([`GenerateOptions::description`]).
    described: Vec<Value>,
}

/// What [`build`] produces.
pub(crate) struct Built {
    pub(crate) strategy: Strat,
    pub(crate) boundary: Vec<LabeledValue>,
    pub(crate) warnings: Vec<GenerateWarning>,
    pub(crate) validator: Arc<Validator>,
    pub(crate) canonical: CanonicalSchema,
}

/// Compiles `schema` into a strategy.
pub(crate) fn build(schema: &Value, options: &GenerateOptions) -> Result<Built, GenerateError> {
    let resources = Resources::new(&options.resources);
    let Prepared {
        schema: source,
        warnings,
        replaced,
        validator,
    } = refs::prepare(schema, &resources)?;
    let validator = Arc::new(validator);
    let canonical = canonicalize(&source, &resources, None)?;
    let mut compiler = Compiler::new(options, &source, resources.clone(), &canonical);
    compiler.warnings = warnings;
    let root = match canonical.view() {
        CanonicalView::Raw(raw) => raw::compile(&mut compiler, &raw)?,
        _ => compiler.compile(&canonical)?,
    };
    let strategy = match root {
        Node::Gen(strategy) => strategy,
        Node::Empty(Empty::False) => {
            return Err(unsatisfiable::error(&source, &resources, &replaced));
        }
        Node::Empty(Empty::Hard(pointer, message)) => {
            return Err(GenerateError::too_hard(pointer, message));
        }
        Node::Empty(Empty::Recursion(uri)) => {
            return Err(GenerateError::too_hard(
                pointer_of_uri(&uri),
                format!(
                    "every value nests `{uri}` deeper than max_recursion_depth = {}",
                    options.max_recursion_depth
                ),
            ));
        }
    };
    if compiler.filters {
        compiler.probe(&strategy, &validator)?;
    }
    compiler.within_budget()?;
    let strategy = if compiler.inexact {
        let net = Arc::clone(&validator);
        // The soundness net: some node above filtered with a validator compiled from its
        // canonical form; the whole-schema validator has the last word.
        strategy
            .prop_filter("rejected by the whole-schema validator", move |value| {
                net.is_valid(value)
            })
            .sboxed()
    } else {
        strategy
    };
    let boundary = boundary::values(&mut compiler, &source, &canonical, &strategy, &validator);
    Ok(Built {
        strategy,
        boundary,
        warnings: compiler.warnings,
        validator,
        canonical,
    })
}

/// Canonicalizes `schema` (formats asserted, references served from `resources` only).
pub(crate) fn canonicalize(
    schema: &Value,
    resources: &Resources,
    draft: Option<Draft>,
) -> Result<CanonicalSchema, GenerateError> {
    let mut options = jsonschema::canonical::options()
        .with_retriever(resources.clone())
        .should_validate_formats(true);
    if let Some(draft) = draft {
        options = options.with_draft(draft);
    }
    options.canonicalize(schema).map_err(|error| {
        use jsonschema::CanonicalizationError as E;
        // Nothing is compiled yet, so there is no location to name: the errors say what is at
        // fault, not where, and the first subschema writing it is named. For a pattern that is
        // exact (the same text is invalid wherever it is written); a reference the validator
        // resolved but the canonicalizer could not is named by the first `$ref` (the pre-pass
        // has already named every reference that is missing or unavailable).
        match error {
            E::ReferenceResolution(error) => GenerateError::unresolvable_ref(
                walk::locate_keyword(schema, "$ref"),
                error.to_string(),
            ),
            E::InvalidPattern { pattern } => GenerateError::invalid_schema(
                walk::locate_pattern(schema, &pattern),
                format!("invalid regular expression {pattern:?}"),
            ),
            E::ValidationError(error) => GenerateError::invalid_schema(
                JsonPointer::parse(error.instance_path().as_str()).unwrap_or_default(),
                error.to_string(),
            ),
            other => GenerateError::invalid_schema(JsonPointer::root(), other.to_string()),
        }
    })
}

/// The pointer a canonical reference URI names in the original schema, when it is a local one.
pub(crate) fn pointer_of_uri(uri: &str) -> JsonPointer {
    uri.strip_prefix('#')
        .and_then(JsonPointer::parse)
        .unwrap_or_default()
}

impl<'a> Compiler<'a> {
    pub(crate) fn new(
        options: &'a GenerateOptions,
        source: &'a Value,
        resources: Resources,
        root: &CanonicalSchema,
    ) -> Compiler<'a> {
        let recursive = recursive_definitions(root);
        // The first expansion of a recursive `$ref` is not "inside itself"; the root, when it is
        // on a cycle, already is that first expansion.
        let budget = if recursive.contains("#") {
            options.max_recursion_depth
        } else {
            options.max_recursion_depth.saturating_add(1)
        };
        Compiler {
            options,
            source,
            here: Location::root(source),
            resources,
            warnings: Vec::new(),
            inexact: false,
            filters: false,
            recursive,
            memo: BTreeMap::new(),
            budget,
            validators: BTreeMap::new(),
            sites: Vec::new(),
            patterns: BTreeMap::new(),
            regexes: BTreeMap::new(),
            depth: 0,
            declared: None,
            work_start: work_done(),
            expanding: JsonPointer::root(),
            described: literals::described(options.description.as_deref()),
        }
    }

    /// The work this compile has done so far.
    pub(crate) fn work(&self) -> u64 {
        work_done().saturating_sub(self.work_start)
    }

    /// A refusal when the work budget is spent.
    pub(crate) fn within_budget(&self) -> Result<(), GenerateError> {
        if self.work() > self.options.max_work {
            return Err(GenerateError::budget_exceeded(
                self.expanding.clone(),
                self.options.max_work,
            ));
        }
        Ok(())
    }

    /// Compiles one canonical node, through the dispatch table ([`family`]).
    pub(crate) fn compile(&mut self, node: &CanonicalSchema) -> Result<Node, GenerateError> {
        charge(1);
        self.within_budget()?;
        family(node).valid(self, node)
    }

    /// Runs `f` one container deeper (sizes shrink with depth).
    pub(crate) fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Node, GenerateError>,
    ) -> Result<Node, GenerateError> {
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// A `$ref`: the target's strategy, memoized; a recursive target is expanded at most
    /// `max_recursion_depth` times on any path.
    fn reference(&mut self, node: &CanonicalSchema, uri: &str) -> Result<Node, GenerateError> {
        let key = (uri.to_owned(), self.budget);
        if let Some(done) = self.memo.get(&key) {
            return Ok(done.clone());
        }
        let recursive = self.recursive.contains(uri);
        if recursive && self.budget == 0 {
            return Ok(Node::Empty(Empty::Recursion(uri.to_owned())));
        }
        let Some(target) = node.definition(uri) else {
            return Err(GenerateError::unresolvable_ref(
                self.keyword_pointer("$ref", None),
                uri,
            ));
        };
        let saved = self.budget;
        if recursive {
            self.budget -= 1;
        }
        let outer = std::mem::replace(&mut self.expanding, pointer_of_uri(uri));
        // The target is compiled where it is written (the memo is keyed by the URI, so every
        // referrer gets the same node and the same pointers).
        let at = self.here.definition(uri);
        let result = self.compile_at(at, &target);
        self.expanding = outer;
        self.budget = saved;
        let result = result?;
        self.memo.insert(key, result.clone());
        Ok(result)
    }

    /// Compiles the root of another document (an approximation of a `Raw` node) at `at`, with
    /// its own recursion bookkeeping.
    pub(crate) fn compile_document(
        &mut self,
        at: Location<'a>,
        canonical: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        let saved = std::mem::replace(&mut self.recursive, recursive_definitions(canonical));
        let saved_memo = std::mem::take(&mut self.memo);
        let compiled = self.compile_at(at, canonical);
        self.recursive = saved;
        self.memo = saved_memo;
        compiled
    }

    /// Compiles `node` at `at` (a value inside the current one, or a reference's target).
    pub(crate) fn compile_at(
        &mut self,
        at: Location<'a>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        let outer = std::mem::replace(&mut self.here, at);
        let result = match self.compile(node) {
            Ok(Node::Gen(strategy)) => Ok(Node::Gen(self.with_literals(strategy, node))),
            other => other,
        };
        self.here = outer;
        result
    }

    /// `strategy`, drawing one value in [`literals::LITERAL_ODDS`] from the literals the
    /// subschemas here name (`examples`, `default`, mentions in `description`) that `node`
    /// accepts, by its validator; `strategy` itself when there are none.
    fn with_literals(&mut self, strategy: Strat, node: &CanonicalSchema) -> Strat {
        if matches!(
            node.view(),
            CanonicalView::Const(_) | CanonicalView::Enum(_) | CanonicalView::Reference(_)
        ) {
            // Every value named already, or named where the reference leads.
            return strategy;
        }
        // A tool's description names strings and numbers: no object or array admits them.
        let outside = match node.view() {
            CanonicalView::Object(_) | CanonicalView::Array(_) => &[][..],
            _ => &self.described[..],
        };
        let candidates = literals::candidates(self.here.subschemas(), outside);
        if candidates.is_empty() {
            return strategy;
        }
        let Ok(validator) = self.validator_for(node) else {
            return strategy;
        };
        let admitted: Vec<Value> = candidates
            .into_iter()
            .filter(|value| validator.is_valid(value))
            .collect();
        if admitted.is_empty() {
            return strategy;
        }
        // The drawn values first: shrinking leaves a literal for them. The edgy draw skips the
        // literals: it is there for the values the strategy makes edgy (non-ASCII text,
        // integers past 32 bits), which a literal named in the description is not.
        super::early::EdgyOr {
            edgy: strategy.clone(),
            normal: Union::new_weighted(vec![
                (literals::LITERAL_ODDS - 1, strategy),
                (1, select(admitted).sboxed()),
            ])
            .sboxed(),
        }
        .sboxed()
    }

    /// Compiles `node`, the canonical form of the value one `step` inside the current one.
    pub(crate) fn compile_step(
        &mut self,
        step: Step<'_>,
        node: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        let at = self.step(step);
        self.compile_at(at, node)
    }

    /// Where the value one `step` inside the current one comes from.
    pub(crate) fn step(&mut self, step: Step<'_>) -> Location<'a> {
        let here = self.here.clone();
        here.step(step, &mut |pattern, name| {
            self.regex(pattern)
                .is_some_and(|regex| regex.is_match(name).unwrap_or(false))
        })
    }

    /// Where the node being compiled came from.
    pub(crate) fn here(&self) -> &Location<'a> {
        &self.here
    }

    /// The pointer of `keyword` (with `value`, when known) in the subschemas the node being
    /// compiled came from (see [`Location::keyword`]).
    pub(crate) fn keyword_pointer(&self, keyword: &str, value: Option<&Value>) -> JsonPointer {
        self.here.keyword(keyword, value)
    }

    /// Where `pattern` is written in the subschemas the node being compiled came from.
    pub(crate) fn pattern_pointer(&self, pattern: &str) -> JsonPointer {
        self.here.pattern(pattern)
    }

    /// Registers a filter site.
    pub(crate) fn site(
        &mut self,
        keyword: &str,
        pointer: JsonPointer,
        why: impl Into<String>,
    ) -> Arc<Site> {
        let site = Arc::new(Site {
            keyword: keyword.to_owned(),
            pointer,
            why: why.into(),
            accepted: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        });
        self.sites.push(Arc::clone(&site));
        site
    }

    /// Registers a filter site at `keyword` of the node being compiled.
    pub(crate) fn site_at_keyword(&mut self, keyword: &str, why: impl Into<String>) -> Arc<Site> {
        self.site_at_value(keyword, None, why)
    }

    /// Registers a filter site at `keyword` of the node being compiled, written with `value`
    /// (when known: it picks the subschema whose keyword the canonical form kept).
    pub(crate) fn site_at_value(
        &mut self,
        keyword: &str,
        value: Option<&Value>,
        why: impl Into<String>,
    ) -> Arc<Site> {
        let pointer = self.keyword_pointer(keyword, value);
        self.site(keyword, pointer, why)
    }

    /// A validator compiled from one canonical node (equivalent to the part of the schema it came
    /// from), shared between nodes that emit the same schema.
    pub(crate) fn validator_for(
        &mut self,
        node: &CanonicalSchema,
    ) -> Result<Arc<Validator>, GenerateError> {
        let schema = node.to_json_schema();
        let key = schema.to_string();
        if let Some(done) = self.validators.get(&key) {
            return Ok(Arc::clone(done));
        }
        let validator = refs::build_validator(&schema, &self.resources).map_err(|error| {
            GenerateError::unsupported_keyword(
                self.here.pointer(),
                "(canonical form)",
                format!("the canonical form of a subschema does not compile: {error}"),
            )
        })?;
        let validator = Arc::new(validator);
        self.validators.insert(key, Arc::clone(&validator));
        Ok(validator)
    }

    /// Keeps the values of `strategy` that `node` accepts, by its validator.
    pub(crate) fn validating_filter(
        &mut self,
        strategy: Strat,
        node: &CanonicalSchema,
        site: Arc<Site>,
    ) -> Result<Strat, Stop> {
        let validator = self.validator_for(node)?;
        self.validator_filter(strategy, validator, site)
    }

    /// Keeps the values of `strategy` that `validator` accepts.
    pub(crate) fn validator_filter(
        &mut self,
        strategy: Strat,
        validator: Arc<Validator>,
        site: Arc<Site>,
    ) -> Result<Strat, Stop> {
        self.inexact = true;
        self.checked_filter(strategy, site, move |value| validator.is_valid(value))
    }

    /// Keeps the values of `strategy` that `predicate` accepts (a native check, e.g. a length or
    /// a regex), counted at `site`.
    pub(crate) fn native_filter(
        &mut self,
        strategy: Strat,
        site: Arc<Site>,
        predicate: impl Fn(&Value) -> bool + Send + Sync + 'static,
    ) -> Result<Strat, Stop> {
        self.checked_filter(strategy, site, predicate)
    }

    /// A filter, after a probe: when fewer than [`PROBE_MIN_PASSES`] of [`PROBE_DRAWS`] values
    /// pass, the node has no values to generate (an `anyOf` drops it, an optional property is
    /// left out; at the root it is a `TooHard` error naming the site).
    fn checked_filter(
        &mut self,
        strategy: Strat,
        site: Arc<Site>,
        predicate: impl Fn(&Value) -> bool + Send + Sync + 'static,
    ) -> Result<Strat, Stop> {
        let passes = probe_passes(&strategy, &predicate);
        self.probed_filter(strategy, site, predicate, (passes, PROBE_DRAWS))
    }

    /// A filter whose probe the caller ran: `passes` of `draws` values passed.
    pub(crate) fn probed_filter(
        &mut self,
        strategy: Strat,
        site: Arc<Site>,
        predicate: impl Fn(&Value) -> bool + Send + Sync + 'static,
        (passes, draws): (usize, usize),
    ) -> Result<Strat, Stop> {
        self.filters = true;
        if passes * PROBE_DRAWS < PROBE_MIN_PASSES * draws {
            return Err(Stop::Empty(Empty::Hard(
                site.pointer.clone(),
                format!(
                    "`{}`: {}: {passes} of {draws} values drawn with a fixed seed pass (about \
                     10% needed)",
                    site.keyword, site.why
                ),
            )));
        }
        Ok(filter_with(strategy, site, predicate))
    }

    /// The generator of strings matching `pattern` (compiled once per pattern); the error
    /// names where the node being compiled writes it.
    pub(crate) fn pattern(&mut self, pattern: &str) -> Result<Arc<Pattern>, GenerateError> {
        let compiled = match self.patterns.get(pattern) {
            Some(done) => done.clone(),
            None => {
                let compiled = Pattern::compile(pattern).map(Arc::new);
                self.patterns.insert(pattern.to_owned(), compiled.clone());
                compiled
            }
        };
        compiled.map_err(|reason| {
            GenerateError::unsupported_pattern(self.pattern_pointer(pattern), pattern, reason)
        })
    }

    /// `pattern` compiled the way the validator compiles it (ECMA-262 translated, fancy-regex).
    pub(crate) fn regex(&mut self, pattern: &str) -> Option<Arc<fancy_regex::Regex>> {
        if let Some(done) = self.regexes.get(pattern) {
            return done.clone();
        }
        let compiled = super::pattern::validator_regex(pattern).map(Arc::new);
        self.regexes.insert(pattern.to_owned(), compiled.clone());
        compiled
    }

    /// Every property name the schema declares (in `properties` or `required`), sorted.
    pub(crate) fn declared_names(&mut self) -> Arc<Vec<String>> {
        if let Some(done) = &self.declared {
            return Arc::clone(done);
        }
        let mut names = BTreeSet::new();
        walk::for_each(self.source, &mut |_, schema| {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                names.extend(properties.keys().cloned());
            }
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                names.extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
            }
        });
        let names = Arc::new(names.into_iter().collect::<Vec<_>>());
        self.declared = Some(Arc::clone(&names));
        names
    }

    /// Records a warning.
    pub(crate) fn warn(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        let warning = GenerateWarning {
            pointer,
            message: message.into(),
        };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Draws [`PROBE_DRAWS`] values with a fixed seed; refuses when too few pass `validator`.
    fn probe(&self, strategy: &Strat, validator: &Validator) -> Result<(), GenerateError> {
        let passes = probe_passes(strategy, |value| validator.is_valid(value));
        if passes >= PROBE_MIN_PASSES {
            return Ok(());
        }
        let worst = self
            .sites
            .iter()
            .filter_map(|site| site.rejection_rate().map(|rate| (rate, site)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let message = |why: &str| {
            format!(
                "{why}: {passes} of {PROBE_DRAWS} values drawn with a fixed seed pass (at least \
                 {PROBE_MIN_PASSES} needed)"
            )
        };
        Err(match worst {
            Some((_, site)) => GenerateError::too_hard(
                site.pointer.clone(),
                message(&format!("`{}`: {}", site.keyword, site.why)),
            ),
            None => GenerateError::too_hard(
                JsonPointer::root(),
                message("the generated values are rejected by the validator"),
            ),
        })
    }
}

/// How many of [`PROBE_DRAWS`] values drawn from `strategy` with a fixed seed pass `accept`
/// (a draw whose filters give up counts as a failure).
pub(crate) fn probe_passes(strategy: &Strat, accept: impl Fn(&Value) -> bool) -> usize {
    probe(strategy, accept, PROBE_DRAWS)
}

/// How many of `draws` values drawn from `strategy` with a fixed seed pass `accept`.
pub(crate) fn probe(strategy: &Strat, accept: impl Fn(&Value) -> bool, draws: usize) -> usize {
    // About 10 local rejections per value.
    let max_local_rejects = u32::try_from(draws * 10).unwrap_or(PROBE_MAX_LOCAL_REJECTS);
    let mut runner = super::seeded::runner(&PROBE_SEED, max_local_rejects);
    (0..draws)
        .filter(|_| {
            charge(1);
            strategy.new_tree(&mut runner).is_ok_and(|tree| {
                let value = tree.current();
                charge(nodes(&value));
                accept(&value)
            })
        })
        .count()
}

/// `strategy` filtered by `predicate`, counting at `site`.
pub(crate) fn filter_with(
    strategy: Strat,
    site: Arc<Site>,
    predicate: impl Fn(&Value) -> bool + Send + Sync + 'static,
) -> Strat {
    let why = site.why.clone();
    strategy
        .prop_filter(why, move |value| {
            let ok = predicate(value);
            site.record(ok);
            ok
        })
        .sboxed()
}

/// The definitions that can reach themselves through references.
fn recursive_definitions(root: &CanonicalSchema) -> BTreeSet<String> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut bodies: Vec<(String, CanonicalSchema)> = root.definitions().collect();
    bodies.push(("#".to_owned(), root.clone()));
    for (uri, body) in &bodies {
        let mut out = BTreeSet::new();
        references(body, &mut out);
        graph.entry(uri.clone()).or_default().extend(out);
    }
    let mut recursive = BTreeSet::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = graph[start].iter().collect();
        while let Some(next) = stack.pop() {
            if next == start {
                recursive.insert(start.clone());
                break;
            }
            if seen.insert(next.clone())
                && let Some(more) = graph.get(next)
            {
                stack.extend(more.iter());
            }
        }
    }
    recursive
}

/// The node a chain of references ends at (at most 8 links; a dangling or longer chain stops
/// at the last node reached). Boundary and invalid values look through references this way.
pub(crate) fn resolve(node: &CanonicalSchema) -> CanonicalSchema {
    let mut node = node.clone();
    for _ in 0..8 {
        match node.view() {
            CanonicalView::Reference(uri) => match node.definition(&uri) {
                Some(target) => node = target,
                None => break,
            },
            _ => break,
        }
    }
    node
}

/// Whether a node names any reference.
pub(crate) fn names_references(node: &CanonicalSchema) -> bool {
    let mut out = BTreeSet::new();
    references(node, &mut out);
    !out.is_empty()
}

/// The reference URIs a node names (without following them).
fn references(node: &CanonicalSchema, out: &mut BTreeSet<String>) {
    match node.view() {
        CanonicalView::Reference(uri) => {
            out.insert(uri);
        }
        CanonicalView::TypedGroup(group) => references(&group.body, out),
        CanonicalView::Array(view) => {
            for child in view.prefix_items.iter().chain(view.items.iter()) {
                references(child, out);
            }
            for contains in &view.contains {
                references(&contains.schema, out);
            }
        }
        CanonicalView::Object(view) => {
            for child in view
                .property_names
                .iter()
                .chain(view.properties.values())
                .chain(view.pattern_properties.values())
                .chain(view.additional_properties.iter())
            {
                references(child, out);
            }
            for violation in &view.violations {
                match violation {
                    ObjectViolationView::NameFails(schema)
                    | ObjectViolationView::UndeclaredValueFails {
                        additional: schema, ..
                    }
                    | ObjectViolationView::PatternValueFails { schema, .. } => {
                        references(schema, out);
                    }
                }
            }
        }
        CanonicalView::Not(inner) => references(&inner, out),
        CanonicalView::AllOf(branches)
        | CanonicalView::AnyOf(branches)
        | CanonicalView::OneOf(branches) => {
            for branch in &branches {
                references(branch, out);
            }
        }
        CanonicalView::MultiType(_)
        | CanonicalView::String(_)
        | CanonicalView::Integer(_)
        | CanonicalView::Number(_)
        | CanonicalView::Const(_)
        | CanonicalView::Enum(_)
        | CanonicalView::True
        | CanonicalView::False
        | CanonicalView::Raw(_) => {}
    }
}
