//! A choice between strategies that draws exactly what proptest's `Union` draws, without
//! building a runner for every alternative before the one picked.
//!
//! proptest's `Union::new_tree` picks an alternative, then keeps every earlier alternative as a
//! lazy tree holding a runner of its own (`TestRunner::partial_clone`: a copy of the
//! configuration and a fresh ChaCha generator, seeded with 32 bytes drawn from the runner), so
//! that shrinking can move to them. Most of those trees are never built: a value that is not
//! shrunk never looks at them. Every choice between JSON types, formats' parts and literals goes
//! through a union, so those runners were a sixth of the generator's time and a larger share of
//! its allocations (`perf`, 2026-12-03: `partial_clone` 13-18%, moving the lazy trees 11-15%,
//! dropping them 8-11%).
//!
//! [`Union`] draws the same pick and the same 32 bytes per earlier alternative, in the same
//! order, and keeps only the bytes; the runner is built from them when shrinking first reaches
//! that alternative. Values, their shrinking and every replay token stay what they were with
//! proptest's union (the `same_values_as_proptest` test draws both side by side), at a fraction
//! of the cost. The shrinking steps are proptest's (`UnionValueTree`): simplify the picked
//! alternative, then move to earlier alternatives, `complicate` stepping back to the last one.

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
        let max_local_rejects = runner.config().max_local_rejects;
        let earlier = (0..pick)
            .map(|_| Lazy::unbuilt(runner, max_local_rejects))
            .collect();
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

/// An earlier alternative: not built, built, or failed to build.
enum Lazy<T> {
    /// The 32 bytes proptest seeds the alternative's ChaCha runner with.
    Seed {
        bytes: [u8; 32],
        max_local_rejects: u32,
    },
    /// A runner of another algorithm, as proptest builds it.
    Runner(Box<TestRunner>),
    Built(T),
    Failed,
}

impl<T> Lazy<T> {
    /// What proptest's `LazyValueTree::new` takes from `runner`, in the same order.
    fn unbuilt(runner: &mut TestRunner, max_local_rejects: u32) -> Self {
        if runner.config().rng_algorithm == RngAlgorithm::ChaCha {
            // `TestRng::new_rng_seed` for ChaCha draws a `[u8; 32]`: 32 words of the stream,
            // keeping each word's low byte. Filling 128 bytes takes the same 32 words at once.
            let mut words = [0u8; 128];
            runner.rng().fill_bytes(&mut words);
            Lazy::Seed {
                bytes: std::array::from_fn(|i| words[4 * i]),
                max_local_rejects,
            }
        } else {
            let rng = runner.new_rng();
            Lazy::Runner(Box::new(TestRunner::new_with_rng(
                runner.config().clone(),
                rng,
            )))
        }
    }
}

/// The tree of a [`Union`]: the picked alternative's tree, and the earlier ones as they are
/// reached by shrinking.
pub(crate) struct UnionTree<S: Strategy> {
    options: Arc<[(u32, S)]>,
    /// Alternatives `0..first_pick`.
    earlier: Vec<Lazy<S::Tree>>,
    /// Alternative `first_pick`, built when the tree was.
    picked: S::Tree,
    first_pick: usize,
    /// Between calls, `pick` and `prev_pick` (when set) name built trees.
    pick: usize,
    min_pick: usize,
    prev_pick: Option<usize>,
}

impl<S: Strategy> UnionTree<S> {
    fn tree(&self, index: usize) -> &S::Tree {
        if index == self.first_pick {
            return &self.picked;
        }
        match &self.earlier[index] {
            Lazy::Built(tree) => tree,
            _ => unreachable!("alternative {index} is picked, so built"),
        }
    }

    fn tree_mut(&mut self, index: usize) -> &mut S::Tree {
        if index == self.first_pick {
            return &mut self.picked;
        }
        match &mut self.earlier[index] {
            Lazy::Built(tree) => tree,
            _ => unreachable!("alternative {index} is picked, so built"),
        }
    }

    /// Builds alternative `index` (before the first pick) if it is not yet; whether it is built.
    fn build(&mut self, index: usize) -> bool {
        let lazy = &mut self.earlier[index];
        let mut runner = match std::mem::replace(lazy, Lazy::Failed) {
            Lazy::Built(tree) => {
                *lazy = Lazy::Built(tree);
                return true;
            }
            Lazy::Failed => return false,
            Lazy::Seed {
                bytes,
                max_local_rejects,
            } => TestRunner::new_with_rng(
                seeded::config(max_local_rejects),
                TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
            ),
            Lazy::Runner(runner) => *runner,
        };
        if let Ok(tree) = self.options[index].1.new_tree(&mut runner) {
            *lazy = Lazy::Built(tree);
            true
        } else {
            false
        }
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

    /// Simplifies and complicates both trees alike, comparing every value on the way.
    fn same_walk<A, B>(mut ours: A, mut theirs: B, steps: usize)
    where
        A: ValueTree<Value = String>,
        B: ValueTree<Value = String>,
    {
        assert_eq!(ours.current(), theirs.current());
        for step in 0..steps {
            let (a, b) = if step % 3 == 2 {
                (ours.complicate(), theirs.complicate())
            } else {
                (ours.simplify(), theirs.simplify())
            };
            assert_eq!(a, b, "step {step}");
            assert_eq!(ours.current(), theirs.current(), "step {step}");
        }
    }

    #[test]
    fn same_values_as_proptest() {
        let ours = Union::new_weighted(options());
        let theirs = proptest::strategy::Union::new_weighted(options());
        for seed in 0..=255u8 {
            let bytes = [seed; 32];
            let mut a = seeded::runner(&bytes, seeded::DEFAULT_MAX_LOCAL_REJECTS);
            let mut b = seeded::runner(&bytes, seeded::DEFAULT_MAX_LOCAL_REJECTS);
            let tree_a = ours.new_tree(&mut a).expect("generates");
            let tree_b = theirs.new_tree(&mut b).expect("generates");
            // The runners drew alike: what comes next is the same too.
            assert_eq!(a.rng().next_u64(), b.rng().next_u64(), "seed {seed}");
            same_walk(tree_a, tree_b, 40);
        }
    }

    #[test]
    fn other_algorithms_draw_as_proptest_too() {
        let ours = Union::new(options().into_iter().map(|(_, s)| s));
        let theirs = proptest::strategy::Union::new(options().into_iter().map(|(_, s)| s));
        for seed in 0..50u8 {
            let runner = |seed| {
                let mut config = seeded::config(seeded::DEFAULT_MAX_LOCAL_REJECTS);
                config.rng_algorithm = RngAlgorithm::XorShift;
                TestRunner::new_with_rng(
                    config,
                    TestRng::from_seed(RngAlgorithm::XorShift, &[seed; 16]),
                )
            };
            let (mut a, mut b) = (runner(seed), runner(seed));
            let tree_a = ours.new_tree(&mut a).expect("generates");
            let tree_b = theirs.new_tree(&mut b).expect("generates");
            same_walk(tree_a, tree_b, 30);
        }
    }

    #[test]
    #[should_panic(expected = "a union of no strategies")]
    fn no_alternatives_is_refused() {
        let _ = Union::<Just<u8>>::new(Vec::new());
    }
}
