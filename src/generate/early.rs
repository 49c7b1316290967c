//! The first generated cases of a tool, drawn through the same strategies as every other case
//! (so they shrink and replay like any other):
//!
//! - the *simplest* value: the tree of the case's seed simplified as far as it goes, every step
//!   accepted ([`simplify_fully`]): required properties at their simplest (0 or the bound
//!   nearest 0, the shortest string, the fewest items, the first enum member), optional
//!   properties absent, booleans false. The bugs that sit at the simplest value are found on
//!   the first case.
//! - the *edgy* value: a draw in which the strategies that know how choose what breaks handlers
//!   most often ([`edgy`]): every optional property present, plain strings of non-ASCII text
//!   only (2-, 3- and 4-byte UTF-8), numbers with a fraction, integers beyond 32 bits, each
//!   where the schema allows it.
//!
//! - the *sweep*: in the cases after those two, an `enum` takes its members in turn, one per
//!   case (member 1, 2, ..., n - 1, then member 0, which the simplest value already has), and
//!   only then draws them at random ([`swept_member`]). A bug behind any one member of `n` is
//!   found within `n + 1` cases on every seed, where a uniform draw needs `n` cases on average
//!   and many more on an unlucky seed. Only the first draw of each `enum` in a case takes the
//!   sweep, so the items of an array of them still differ.
//!
//! Which case is which is the runner's business (by case index); this module holds what the
//! strategies consult while drawing.

use std::cell::{Cell, RefCell};

use proptest::prelude::RngExt;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::{TestRng, TestRunner};
use serde_json::Value;

use super::compile::Strat;

type BoxedTree = Box<dyn ValueTree<Value = Value>>;

/// The most simplification steps [`simplify_fully`] takes: far above what the tool corpus needs
/// (at most a few hundred), so that a pathological tree costs a bounded time, the same on every
/// machine.
pub(crate) const MAX_SIMPLIFY_STEPS: u32 = 20_000;

thread_local! {
    /// Whether the draw under way is the edgy one (set only around one `new_tree`).
    static EDGY: Cell<bool> = const { Cell::new(false) };
    /// The sweep of the draw under way (set only around one `new_tree`).
    static SWEEP: RefCell<Option<Sweep>> = const { RefCell::new(None) };
}

/// Where the draw under way is in the sweep, and which `enum` nodes took it already.
struct Sweep {
    /// 0 for the first case after the edgy one.
    position: usize,
    /// The ids ([`node_id`]) of the `enum` nodes drawn so far in this draw.
    taken: Vec<usize>,
}

/// A fresh id for an `enum` node, for [`swept_member`].
pub(crate) fn node_id() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Runs `draw` at `position` of the sweep (on this thread, for the duration of the call).
pub(crate) fn drawing_swept<R>(position: usize, draw: impl FnOnce() -> R) -> R {
    struct Reset(Option<Sweep>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let previous = self.0.take();
            SWEEP.with(|s| *s.borrow_mut() = previous);
        }
    }
    let sweep = Sweep {
        position,
        taken: Vec::new(),
    };
    let _reset = Reset(SWEEP.with(|s| s.borrow_mut().replace(sweep)));
    draw()
}

/// The member the `enum` node `id` of `members` members takes in the draw under way: member
/// `(position + 1) % members` while the sweep has not gone round once, on the node's first
/// draw of the case; `None` (draw at random) otherwise.
pub(crate) fn swept_member(id: usize, members: usize) -> Option<usize> {
    SWEEP.with(|s| {
        let mut sweep = s.borrow_mut();
        let sweep = sweep.as_mut()?;
        if sweep.position >= members || sweep.taken.contains(&id) {
            return None;
        }
        sweep.taken.push(id);
        Some((sweep.position + 1) % members)
    })
}

/// Whether the strategies are drawing the edgy value.
pub(crate) fn edgy() -> bool {
    EDGY.with(Cell::get)
}

/// Runs `draw` with the edgy choices on (on this thread, for the duration of the call).
pub(crate) fn drawing_edgy<R>(draw: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            EDGY.with(|e| e.set(self.0));
        }
    }
    let _reset = Reset(EDGY.with(|e| e.replace(true)));
    draw()
}

/// Simplifies `tree` as far as it goes (at most [`MAX_SIMPLIFY_STEPS`] steps), as if every
/// simpler value still failed: the simplest value the tree reaches.
pub(crate) fn simplify_fully<T: ValueTree + ?Sized>(tree: &mut T) {
    let mut steps = 0;
    while steps < MAX_SIMPLIFY_STEPS && tree.simplify() {
        steps += 1;
    }
}

/// One non-ASCII character, of every UTF-8 width: accented Latin, Greek and Cyrillic (2 bytes),
/// CJK and other BMP letters (3 bytes), astral-plane characters (4 bytes). No controls or
/// combining marks: each character stands alone, so a string of them is non-ASCII at every
/// position.
pub(crate) fn non_ascii_char(rng: &mut TestRng) -> char {
    const CHARS: &[u32] = &[
        0xe9, 0xdf, 0xfc, 0xf1, 0xe7, 0xc5, 0x3a9, 0x436, // 2 bytes
        0x20ac, 0x2603, 0x3042, 0xac00, // 3 bytes
        0x1f600, 0x1f4a9, 0x1d54f, 0x10348, // 4 bytes
    ];
    let code = match rng.random_range(0..4u32) {
        // A random CJK ideograph (3 bytes).
        0 => rng.random_range(0x4e00..=0x9fff),
        _ => CHARS[rng.random_range(0..CHARS.len())],
    };
    char::from_u32(code).unwrap_or('é')
}

/// A strategy that draws from `edgy` in the edgy draw and from `normal` otherwise.
#[derive(Clone, Debug)]
pub(crate) struct EdgyOr {
    pub(crate) edgy: Strat,
    pub(crate) normal: Strat,
}

impl Strategy for EdgyOr {
    type Tree = BoxedTree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        if edgy() {
            self.edgy.new_tree(runner)
        } else {
            self.normal.new_tree(runner)
        }
    }
}

/// An optional value that starts present and shrinks to absent first (as proptest's
/// `option::of` does once it drew `Some`).
#[derive(Clone, Debug)]
pub(crate) struct Present(pub(crate) Strat);

impl Strategy for Present {
    type Tree = PresentTree;
    type Value = Option<Value>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(PresentTree {
            inner: self.0.new_tree(runner)?,
            absent: false,
            tried_absent: false,
        })
    }
}

/// The tree of [`Present`].
pub(crate) struct PresentTree {
    inner: BoxedTree,
    absent: bool,
    tried_absent: bool,
}

impl std::fmt::Debug for PresentTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresentTree")
            .field("absent", &self.absent)
            .finish_non_exhaustive()
    }
}

impl ValueTree for PresentTree {
    type Value = Option<Value>;

    fn current(&self) -> Option<Value> {
        (!self.absent).then(|| self.inner.current())
    }

    fn simplify(&mut self) -> bool {
        if self.absent {
            false
        } else if !self.tried_absent {
            self.absent = true;
            self.tried_absent = true;
            true
        } else {
            self.inner.simplify()
        }
    }

    fn complicate(&mut self) -> bool {
        if self.absent {
            self.absent = false;
            true
        } else {
            self.inner.complicate()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Just;

    #[test]
    fn the_edgy_flag_is_scoped() {
        assert!(!edgy());
        let inside = drawing_edgy(|| drawing_edgy(edgy) && edgy());
        assert!(inside);
        assert!(!edgy());
        let _ = std::panic::catch_unwind(|| drawing_edgy(|| panic!("a draw that panics")));
        assert!(!edgy(), "reset on unwinding too");
    }

    #[test]
    fn the_sweep_gives_each_node_its_member_once_per_draw() {
        let (a, b) = (node_id(), node_id());
        assert_eq!(swept_member(a, 6), None, "no sweep outside a draw");
        drawing_swept(0, || {
            assert_eq!(swept_member(a, 6), Some(1));
            assert_eq!(swept_member(a, 6), None, "the node's second draw is random");
            assert_eq!(swept_member(b, 2), Some(1), "another node takes it too");
        });
        drawing_swept(5, || {
            assert_eq!(swept_member(a, 6), Some(0), "member 0 comes last")
        });
        drawing_swept(6, || {
            assert_eq!(swept_member(a, 6), None, "once round, then random")
        });
        let _ = std::panic::catch_unwind(|| drawing_swept(0, || panic!("a draw that panics")));
        assert_eq!(swept_member(a, 6), None, "reset on unwinding too");
    }

    #[test]
    fn present_values_shrink_to_absent_first() {
        let strategy = Present(Just(Value::from(3)).sboxed());
        let mut runner = TestRunner::deterministic();
        let mut tree = strategy.new_tree(&mut runner).unwrap();
        assert_eq!(tree.current(), Some(Value::from(3)));
        assert!(tree.simplify());
        assert_eq!(tree.current(), None);
        assert!(tree.complicate());
        assert_eq!(tree.current(), Some(Value::from(3)));
        assert!(!tree.simplify(), "a constant has nothing simpler");
    }
}
