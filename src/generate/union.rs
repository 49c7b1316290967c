//! A choice between strategies, like proptest's `Union`, without building a runner for every
//! alternative before the one picked.
//!
//! proptest's `Union::new_tree` picks an alternative, then keeps every earlier alternative as a
//! lazy tree holding a runner of its own (`TestRunner::partial_clone`: a copy of the
//! configuration and a fresh generator, seeded with bytes drawn from the runner), so that
//! shrinking can move to them. Most of those trees are never built: a value that is not shrunk
//! never looks at them. Every choice between JSON types, formats' parts and literals goes
//! through a union, so those runners were a sixth of the generator's time and a larger share of
//! its allocations (`perf`, 2026-12-03: `partial_clone` 13-18%, moving the lazy trees 11-15%,
//! dropping them 8-11%). Keeping proptest's exact draws (32 seed bytes per earlier alternative,
//! 32 words of the stream) still cost a fifth of the time on arrays of mixed values.
//!
//! [`Union`] draws the pick as proptest does, then one word that seeds every earlier
//! alternative (each with its own index mixed in), and nothing at all when the first
//! alternative is picked. An earlier alternative is built when shrinking first reaches it,
//! from its seed, so a value and its shrinking depend on the seed alone, as before. The
//! shrinking steps are proptest's (`UnionValueTree`): simplify the picked alternative, then
//! move to earlier alternatives, `complicate` stepping back to the last one.

use std::sync::Arc;

use proptest::{
    prelude::Rng,
    strategy::{NewTree, Strategy, ValueTree},
    test_runner::{RngAlgorithm, TestRng, TestRunner},
};
use rand::distr::{Distribution, Uniform};

use super::seeded;

/// One of several strategies, picked by weight; earlier alternatives are simpler (shrinking
/// moves toward them). A drop-in for proptest's `Union` with the same values.
#[derive(Debug)]
pub(crate) struct Union<S> {
    options: Arc<[(u32, S)]>,
    total: u64,
}

impl<S> Clone for Union<S> {
    fn clone(&self) -> Self {
        Union {
            options: Arc::clone(&self.options),
            total: self.total,
        }
    }
}

impl<S: Strategy> Union<S> {
    /// Each alternative equally likely.
    ///
    /// # Panics
    ///
    /// When `options` is empty (as proptest's `Union::new`).
    pub(crate) fn new(options: impl IntoIterator<Item = S>) -> Self {
        Self::new_weighted(options.into_iter().map(|s| (1, s)).collect())
    }

    /// Each alternative `weight / total` likely.
    ///
    /// # Panics
    ///
    /// When `options` is empty or a weight is 0 (as proptest's `Union::new_weighted`).
    pub(crate) fn new_weighted(options: Vec<(u32, S)>) -> Self {
        assert!(!options.is_empty(), "a union of no strategies");
        assert!(
            options.iter().all(|&(weight, _)| weight > 0),
            "a union alternative of weight 0"
        );
        let total = options.iter().map(|&(weight, _)| u64::from(weight)).sum();
        Union {
            options: options.into(),
            total,
        }
    }
}

impl<S: Strategy> Strategy for Union<S> {
    type Tree = UnionTree<S>;
    type Value = S::Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        // proptest's `pick_weighted`: a uniform draw below the total weight, then the number of
        // alternatives whose running weight it reaches.
        let drawn = Uniform::new(0, self.total)
            .expect("a positive total weight")
            .sample(runner.rng());
        let mut running = 0u64;
        let pick = self
            .options
            .iter()
            .filter(|&&(weight, _)| {
                running += u64::from(weight);
                running <= drawn
            })
            .count();
        let earlier = (pick > 0).then(|| Earlier {
            seed: runner.rng().next_u64(),
            algorithm: runner.config().rng_algorithm,
            max_local_rejects: runner.config().max_local_rejects,
            trees: Vec::new(),
        });
        let picked = self.options[pick].1.new_tree(runner)?;
        Ok(UnionTree {
            options: Arc::clone(&self.options),
            earlier,
            picked,
            first_pick: pick,
            pick,
            min_pick: 0,
            prev_pick: None,
        })
    }
}

/// The alternatives before the first pick: how to seed them, and those shrinking has reached.
struct Earlier<T> {
    seed: u64,
    algorithm: RngAlgorithm,
    max_local_rejects: u32,
    /// Empty until shrinking first leaves the first pick; then one per earlier alternative.
    trees: Vec<Lazy<T>>,
}

/// An earlier alternative: not built, built, or failed to build.
enum Lazy<T> {
    Unbuilt,
    Built(T),
    Failed,
}

impl<T> Earlier<T> {
    /// The runner alternative `index` is built with: the earlier alternatives' seed with
    /// `index` mixed in, the algorithm of the runner the union was drawn with.
    fn runner(&self, index: usize) -> TestRunner {
        let mut state = self.seed ^ (index as u64).wrapping_mul(0xd6e8_feb8_6659_fd93);
        let mut bytes = [0u8; 32];
        for word in bytes.chunks_exact_mut(8) {
            state = seeded::mix(state);
            word.copy_from_slice(&state.to_le_bytes());
        }
        let rng = match self.algorithm {
            RngAlgorithm::XorShift => seeded::rng(&bytes),
            _ => TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
        };
        let mut config = seeded::config(self.max_local_rejects);
        config.rng_algorithm = match self.algorithm {
            RngAlgorithm::XorShift => RngAlgorithm::XorShift,
            _ => RngAlgorithm::ChaCha,
        };
        TestRunner::new_with_rng(config, rng)
    }
}

/// The tree of a [`Union`]: the picked alternative's tree, and the earlier ones as they are
/// reached by shrinking.
pub(crate) struct UnionTree<S: Strategy> {
    options: Arc<[(u32, S)]>,
    /// Alternatives `0..first_pick` (none when the first alternative was picked).
    earlier: Option<Earlier<S::Tree>>,
    /// Alternative `first_pick`, built when the tree was.
    picked: S::Tree,
    first_pick: usize,
    /// Between calls, `pick` and `prev_pick` (when set) name built trees.
    pick: usize,
    min_pick: usize,
    prev_pick: Option<usize>,
}

impl<S: Strategy> UnionTree<S> {
    /// The tree of the alternative picked now.
    pub(crate) fn current_tree(&self) -> &S::Tree {
        self.tree(self.pick)
    }

    fn tree(&self, index: usize) -> &S::Tree {
        if index == self.first_pick {
            return &self.picked;
        }
        match self.earlier.as_ref().map(|e| &e.trees[index]) {
            Some(Lazy::Built(tree)) => tree,
            _ => unreachable!("alternative {index} is picked, so built"),
        }
    }

    fn tree_mut(&mut self, index: usize) -> &mut S::Tree {
        if index == self.first_pick {
            return &mut self.picked;
        }
        match self.earlier.as_mut().map(|e| &mut e.trees[index]) {
            Some(Lazy::Built(tree)) => tree,
            _ => unreachable!("alternative {index} is picked, so built"),
        }
    }

    /// Builds alternative `index` (before the first pick) if it is not yet; whether it is built.
    fn build(&mut self, index: usize) -> bool {
        let Some(earlier) = self.earlier.as_mut() else {
            return false;
        };
        if earlier.trees.is_empty() {
            earlier.trees = (0..self.first_pick).map(|_| Lazy::Unbuilt).collect();
        }
        match earlier.trees[index] {
            Lazy::Built(_) => return true,
            Lazy::Failed => return false,
            Lazy::Unbuilt => {}
        }
        let mut runner = earlier.runner(index);
        earlier.trees[index] = match self.options[index].1.new_tree(&mut runner) {
            Ok(tree) => Lazy::Built(tree),
            Err(_) => Lazy::Failed,
        };
        matches!(earlier.trees[index], Lazy::Built(_))
    }
}

impl<S: Strategy> ValueTree for UnionTree<S> {
    type Value = S::Value;

    fn current(&self) -> S::Value {
        self.tree(self.pick).current()
    }

    fn simplify(&mut self) -> bool {
        let pick = self.pick;
        if self.tree_mut(pick).simplify() {
            self.prev_pick = None;
            return true;
        }
        if self.pick == self.min_pick {
            return false;
        }
        self.prev_pick = Some(self.pick);
        let mut next = self.pick;
        while next > self.min_pick {
            next -= 1;
            if self.build(next) {
                self.pick = next;
                return true;
            }
        }
        false
    }

    fn complicate(&mut self) -> bool {
        if let Some(pick) = self.prev_pick.take() {
            self.pick = pick;
            self.min_pick = pick;
            true
        } else {
            let pick = self.pick;
            self.tree_mut(pick).complicate()
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::{
        prelude::any,
        strategy::{Just, SBoxedStrategy},
    };

    use super::*;

    fn options() -> Vec<(u32, SBoxedStrategy<String>)> {
        vec![
            (1, Just(String::new()).sboxed()),
            (2, any::<u8>().prop_map(|n| n.to_string()).sboxed()),
            (3, "[a-z]{0,6}".sboxed()),
            (1, any::<u64>().prop_map(|n| format!("{n}!")).sboxed()),
        ]
    }

    fn runner(seed: u8) -> TestRunner {
        seeded::runner(&[seed; 32], seeded::DEFAULT_MAX_LOCAL_REJECTS)
    }

    /// The minimal value a shrinking loop reaches from `tree` for a "bug" at `fails`; `None`
    /// when the first value does not fail.
    fn minimal(
        mut tree: impl ValueTree<Value = String>,
        fails: impl Fn(&str) -> bool,
    ) -> Option<String> {
        if !fails(&tree.current()) {
            return None;
        }
        let mut last = tree.current();
        while tree.simplify() {
            if fails(&tree.current()) {
                last = tree.current();
            } else if !tree.complicate() {
                break;
            } else if fails(&tree.current()) {
                last = tree.current();
            }
        }
        Some(last)
    }

    #[test]
    fn a_seed_gives_one_value_and_one_walk() {
        let union = Union::new_weighted(options());
        for seed in 0..=255u8 {
            let mut a = union.new_tree(&mut runner(seed)).expect("generates");
            let mut b = union.new_tree(&mut runner(seed)).expect("generates");
            for step in 0..40 {
                assert_eq!(a.current(), b.current(), "seed {seed}, step {step}");
                let moved = if step % 3 == 2 {
                    (a.complicate(), b.complicate())
                } else {
                    (a.simplify(), b.simplify())
                };
                assert_eq!(moved.0, moved.1, "seed {seed}, step {step}");
            }
        }
    }

    #[test]
    fn shrinks_to_what_proptests_union_shrinks_to() {
        let ours = Union::new_weighted(options());
        let theirs = proptest::strategy::Union::new_weighted(options());
        // A bug at any number: `0` from the second alternative, `0!` from the fourth. Both
        // unions pick alike (one draw below the total weight); the values drawn after the pick
        // differ, the minimal failing value does not.
        let fails = |v: &str| v.trim_end_matches('!').parse::<u64>().is_ok();
        let mut reached = std::collections::BTreeSet::new();
        for seed in 0..=255u8 {
            let a = minimal(ours.new_tree(&mut runner(seed)).expect("generates"), fails);
            let b = minimal(
                theirs.new_tree(&mut runner(seed)).expect("generates"),
                fails,
            );
            assert_eq!(a, b, "seed {seed}");
            reached.extend(a);
        }
        assert!(
            reached.contains("0") && reached.contains("0!"),
            "{reached:?}"
        );
    }

    #[test]
    fn earlier_alternatives_are_built_when_shrinking_reaches_them() {
        let union = Union::new_weighted(options());
        let mut later = 0;
        for seed in 0..=255u8 {
            let mut tree = union.new_tree(&mut runner(seed)).expect("generates");
            later += usize::from(!tree.current().is_empty());
            while tree.simplify() {}
            // Every bug-free step taken: the first alternative, the simplest value.
            assert_eq!(tree.current(), "", "seed {seed}");
        }
        // 6 of 7 pick past the first alternative; the pattern draws "" a seventh of its times.
        assert!(later > 150, "{later} of 256 started from a non-empty value");
    }

    #[test]
    fn other_algorithms_are_honoured() {
        let union = Union::new(options().into_iter().map(|(_, s)| s));
        let mut config = seeded::config(seeded::DEFAULT_MAX_LOCAL_REJECTS);
        config.rng_algorithm = RngAlgorithm::ChaCha;
        let chacha = |seed| {
            TestRunner::new_with_rng(
                config.clone(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
            )
        };
        for seed in 0..50u8 {
            let mut a = union.new_tree(&mut chacha(seed)).expect("generates");
            let mut b = union.new_tree(&mut chacha(seed)).expect("generates");
            while a.simplify() {
                assert!(b.simplify());
                assert_eq!(a.current(), b.current());
            }
            assert_eq!(a.current(), "");
        }
    }

    #[test]
    #[should_panic(expected = "a union of no strategies")]
    fn no_alternatives_is_refused() {
        let _ = Union::<Just<u8>>::new(Vec::new());
    }
}
