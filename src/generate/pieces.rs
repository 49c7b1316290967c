//! Strings built from pieces (literals, characters, sequences, choices, repetitions) whose tree
//! writes the whole string into one buffer: the generator of `pattern`.
//!
//! The pattern walk built these from proptest combinators, each piece a `String` strategy: a
//! literal cloned its text on every `current`, a sequence collected its parts' strings into a
//! vector and concatenated them, and every piece's tree was boxed. A string of `a*` with five
//! repetitions cost a dozen allocations, and a string matching a pattern took three times as
//! long as a plain string (`perf`, 2026-12-03). [`Piece`] draws exactly what those combinators
//! drew, in the same order (`Just`, `Vec<S>`, [`Union`], `collection::vec`), and its tree
//! shrinks in exactly their steps (proptest's `VecValueTree`: delete items from the front down
//! to the minimum, then simplify each item), so every seed gives the same string and the same
//! shrinking as before; `current` allocates the string once.

use std::sync::Arc;

use proptest::{
    num::sample_uniform_incl,
    strategy::{NewTree, SBoxedStrategy, Strategy, ValueTree},
    test_runner::TestRunner,
};

use super::union::{Union, UnionTree};

/// A string generator made of pieces.
#[derive(Debug)]
pub(crate) enum Piece {
    /// This text, always (proptest's `Just`).
    Literal(Arc<str>),
    /// One character.
    Char(SBoxedStrategy<char>),
    /// Each piece in turn (proptest's `Vec<S>` strategy).
    Concat(Arc<[Piece]>),
    /// One of the pieces ([`Union::new`]).
    Choice(Union<Piece>),
    /// `lo..=hi` repetitions of one piece, each drawn on its own (`collection::vec`).
    Repeat {
        sub: Arc<Piece>,
        lo: usize,
        hi: usize,
    },
}

impl Strategy for Piece {
    type Tree = PieceTree;
    type Value = String;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(match self {
            Piece::Literal(text) => PieceTree::Literal(Arc::clone(text)),
            Piece::Char(chars) => PieceTree::Char(chars.new_tree(runner)?),
            Piece::Concat(parts) => {
                let items = parts
                    .iter()
                    .map(|part| part.new_tree(runner))
                    .collect::<Result<Vec<_>, _>>()?;
                let all = items.len();
                PieceTree::Seq(Seq::new(items, all))
            }
            Piece::Choice(union) => PieceTree::Choice(Box::new(union.new_tree(runner)?)),
            Piece::Repeat { sub, lo, hi } => {
                let n = sample_uniform_incl(runner, *lo, *hi);
                let mut items = Vec::with_capacity(n);
                while items.len() < n {
                    items.push(sub.new_tree(runner)?);
                }
                PieceTree::Seq(Seq::new(items, *lo))
            }
        })
    }
}

/// The tree of a [`Piece`].
pub(crate) enum PieceTree {
    Literal(Arc<str>),
    Char(Box<dyn ValueTree<Value = char>>),
    Seq(Seq),
    Choice(Box<UnionTree<Piece>>),
}

impl std::fmt::Debug for PieceTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PieceTree").field(&self.current()).finish()
    }
}

impl PieceTree {
    /// Appends the current string to `out`.
    fn write(&self, out: &mut String) {
        match self {
            PieceTree::Literal(text) => out.push_str(text),
            PieceTree::Char(tree) => out.push(tree.current()),
            PieceTree::Seq(seq) => {
                for (item, _) in seq.items.iter().zip(&seq.included).filter(|(_, on)| **on) {
                    item.write(out);
                }
            }
            PieceTree::Choice(union) => union.current_tree().write(out),
        }
    }
}

impl ValueTree for PieceTree {
    type Value = String;

    fn current(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn simplify(&mut self) -> bool {
        match self {
            PieceTree::Literal(_) => false,
            PieceTree::Char(tree) => tree.simplify(),
            PieceTree::Seq(seq) => seq.simplify(),
            PieceTree::Choice(union) => union.simplify(),
        }
    }

    fn complicate(&mut self) -> bool {
        match self {
            PieceTree::Literal(_) => false,
            PieceTree::Char(tree) => tree.complicate(),
            PieceTree::Seq(seq) => seq.complicate(),
            PieceTree::Choice(union) => union.complicate(),
        }
    }
}

/// proptest's shrinking state of a vector.
#[derive(Clone, Copy, Debug)]
enum Shrink {
    /// Delete the item at this index next.
    Delete(usize),
    /// Simplify the item at this index next.
    Item(usize),
}

/// A sequence of pieces, shrinking as proptest's `VecValueTree` does.
pub(crate) struct Seq {
    items: Vec<PieceTree>,
    /// Which items are in the string.
    included: Vec<bool>,
    /// The fewest items deleting may leave.
    min: usize,
    shrink: Shrink,
    prev: Option<Shrink>,
}

impl Seq {
    /// All of `items`, deletable down to `min` of them. A sequence of fixed length (`min` is
    /// all of them) shrinks as proptest's `Vec<S>` does: its first step finds nothing to delete
    /// and goes on to simplify the items in the same call.
    fn new(items: Vec<PieceTree>, min: usize) -> Seq {
        Seq {
            included: vec![true; items.len()],
            items,
            min,
            shrink: Shrink::Delete(0),
            prev: None,
        }
    }

    fn count(&self) -> usize {
        self.included.iter().filter(|on| **on).count()
    }

    fn simplify(&mut self) -> bool {
        if let Shrink::Delete(i) = self.shrink {
            if i >= self.items.len() || self.count() == self.min {
                self.shrink = Shrink::Item(0);
            } else {
                self.included[i] = false;
                self.prev = Some(self.shrink);
                self.shrink = Shrink::Delete(i + 1);
                return true;
            }
        }
        while let Shrink::Item(i) = self.shrink {
            if i >= self.items.len() {
                return false;
            }
            if !self.included[i] || !self.items[i].simplify() {
                self.shrink = Shrink::Item(i + 1);
            } else {
                self.prev = Some(self.shrink);
                return true;
            }
        }
        false
    }

    fn complicate(&mut self) -> bool {
        match self.prev {
            None => false,
            Some(Shrink::Delete(i)) => {
                self.included[i] = true;
                self.prev = None;
                true
            }
            Some(Shrink::Item(i)) => {
                if self.items[i].complicate() {
                    true
                } else {
                    self.prev = None;
                    false
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::{
        collection::vec,
        prelude::{Rng, any},
        strategy::{Just, Strategy, ValueTree},
    };

    use super::*;
    use crate::generate::seeded;

    /// A piece and the proptest combinators it replaces.
    fn both(piece: &Piece) -> (Piece, SBoxedStrategy<String>) {
        match piece {
            Piece::Literal(text) => (
                Piece::Literal(Arc::clone(text)),
                Just(text.to_string()).sboxed(),
            ),
            Piece::Char(chars) => (
                Piece::Char(chars.clone()),
                chars.clone().prop_map(String::from).sboxed(),
            ),
            Piece::Concat(parts) => {
                let (pieces, strategies): (Vec<_>, Vec<_>) = parts.iter().map(both).unzip();
                (
                    Piece::Concat(pieces.into()),
                    strategies.prop_map(|parts| parts.concat()).sboxed(),
                )
            }
            Piece::Choice(_) => unreachable!("built by `choice` below"),
            Piece::Repeat { sub, lo, hi } => {
                let (piece, strategy) = both(sub);
                (
                    Piece::Repeat {
                        sub: Arc::new(piece),
                        lo: *lo,
                        hi: *hi,
                    },
                    vec(strategy, *lo..=*hi)
                        .prop_map(|parts| parts.concat())
                        .sboxed(),
                )
            }
        }
    }

    fn choice(options: Vec<(Piece, SBoxedStrategy<String>)>) -> (Piece, SBoxedStrategy<String>) {
        let (pieces, strategies): (Vec<_>, Vec<_>) = options.into_iter().unzip();
        (
            Piece::Choice(Union::new(pieces)),
            Union::new(strategies).sboxed(),
        )
    }

    fn lit(text: &str) -> Piece {
        Piece::Literal(text.into())
    }

    fn class() -> Piece {
        Piece::Char(any::<u8>().prop_map(|b| char::from(b'a' + b % 26)).sboxed())
    }

    /// Walks both trees through the same shrinking moves (simplify while the string is longer
    /// than `keep`, else complicate), comparing every string and every answer.
    fn same_walk(piece: &Piece, reference: &SBoxedStrategy<String>, seed: u8, keep: usize) {
        let mut a = seeded::runner(&[seed; 32], seeded::DEFAULT_MAX_LOCAL_REJECTS);
        let mut b = seeded::runner(&[seed; 32], seeded::DEFAULT_MAX_LOCAL_REJECTS);
        let mut ours = piece.new_tree(&mut a).expect("draws");
        let mut theirs = reference.new_tree(&mut b).expect("draws");
        assert_eq!(ours.current(), theirs.current(), "seed {seed}");
        for step in 0..500 {
            let (x, y) = if ours.current().len() > keep {
                (ours.simplify(), theirs.simplify())
            } else {
                (ours.complicate(), theirs.complicate())
            };
            assert_eq!(x, y, "seed {seed}, step {step}");
            assert_eq!(ours.current(), theirs.current(), "seed {seed}, step {step}");
            if !x {
                break;
            }
        }
        // The runners drew the same: what comes next is the same too.
        assert_eq!(a.rng().next_u64(), b.rng().next_u64(), "seed {seed}");
    }

    #[test]
    fn pieces_draw_and_shrink_as_the_combinators_they_replace() {
        let (word, word_ref) = both(&Piece::Repeat {
            sub: Arc::new(class()),
            lo: 1,
            hi: 9,
        });
        let (alt, alt_ref) = choice(vec![both(&lit("foo")), both(&lit("ba")), (word, word_ref)]);
        let (star, star_ref) = both(&Piece::Repeat {
            sub: Arc::new(lit("a")),
            lo: 0,
            hi: 8,
        });
        let (piece, reference) = {
            let (head, head_ref) = both(&Piece::Concat(vec![lit("<"), class()].into()));
            let (pieces, strategies): (Vec<_>, Vec<_>) =
                vec![(head, head_ref), (alt, alt_ref), (star, star_ref)]
                    .into_iter()
                    .unzip();
            (
                Piece::Concat(pieces.into()),
                strategies.prop_map(|parts| parts.concat()).sboxed(),
            )
        };
        for seed in 0..=255u8 {
            for keep in [0, 3, 6] {
                same_walk(&piece, &reference, seed, keep);
            }
        }
    }
}
