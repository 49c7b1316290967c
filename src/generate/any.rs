//! Values constrained only by their JSON type (`true`, `{}`, `{"type": [...]}`), simplest types
//! first: null, boolean, integer, number, string, array, object; and `false`, which has none.
//!
//! Objects stay empty unless [`GenerateOptions::extra_properties`](super::GenerateOptions) asks
//! for undeclared properties: a handler gets what an LLM client sends, and clients do not invent
//! keys the schema does not mention.

use jsonschema::{JsonType, JsonTypeSet, canonical::CanonicalSchema};
use proptest::{
    collection::vec,
    prelude::any,
    strategy::{Just, Strategy},
};
use serde_json::{Map, Value};

use super::union::Union;
use super::{
    GenerateError,
    compile::{Compiler, Empty, Node, Strat},
    early,
    family::Family,
    number, object,
    string::{self, Plain},
};

/// How many items an array of arbitrary values holds at most.
const ANY_ARRAY_MAX: usize = 4;

/// `type` alone: any value of one of the types.
pub(crate) struct Types(pub(crate) JsonTypeSet);

impl Family for Types {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        _: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        Ok(Node::Gen(of_types(compiler, self.0)))
    }

    fn bounds(&self, current: &Value, at: &str) -> Vec<(String, Value)> {
        if self.0.contains(JsonType::String) {
            string::length_bounds(current, 0, None, at)
        } else {
            Vec::new()
        }
    }

    fn types(&self) -> Option<JsonTypeSet> {
        Some(self.0)
    }
}

/// `true`: any value.
pub(crate) struct True;

impl Family for True {
    fn valid(
        &self,
        compiler: &mut Compiler<'_>,
        _: &CanonicalSchema,
    ) -> Result<Node, GenerateError> {
        Ok(Node::Gen(any_value(compiler)))
    }
}

/// `false`: no value.
pub(crate) struct False;

impl Family for False {
    fn valid(&self, _: &mut Compiler<'_>, _: &CanonicalSchema) -> Result<Node, GenerateError> {
        Ok(Node::Empty(Empty::False))
    }
}

/// Any value of one of `types`.
pub(crate) fn of_types(compiler: &Compiler<'_>, types: JsonTypeSet) -> Strat {
    let long = compiler.options.long_string_length;
    let extras = compiler.options.extra_properties;
    let deep = compiler.depth < 2;
    let mut options: Vec<(u32, Strat)> = Vec::new();
    for ty in types.iter() {
        let option = match ty {
            JsonType::Null => (1, Just(Value::Null).sboxed()),
            JsonType::Boolean => (1, any::<bool>().prop_map(Value::Bool).sboxed()),
            JsonType::Integer if types.contains(JsonType::Number) => continue,
            JsonType::Integer => (2, number::any_integer()),
            JsonType::Number => (
                2,
                // The edgy draw: a number with a fraction, never one of the integers.
                early::EdgyOr {
                    edgy: number::any_number(),
                    normal: Union::new(vec![number::any_integer(), number::any_number()]).sboxed(),
                }
                .sboxed(),
            ),
            JsonType::String => (2, Plain::new(0, None, long).sboxed()),
            JsonType::Array => {
                let items = if deep {
                    leaf(long)
                } else {
                    Just(Value::Null).sboxed()
                };
                (
                    1,
                    vec(items, 0..=ANY_ARRAY_MAX)
                        .prop_map(Value::Array)
                        .sboxed(),
                )
            }
            JsonType::Object if extras => (
                1,
                vec((object::random_key(), leaf(long)), 0..=3)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect()))
                    .sboxed(),
            ),
            JsonType::Object => (1, Just(Value::Object(Map::new())).sboxed()),
        };
        options.push(option);
    }
    if options.len() == 1 {
        return options
            .pop()
            .map(|(_, s)| s)
            .unwrap_or_else(|| Just(Value::Null).sboxed());
    }
    Union::new_weighted(options).sboxed()
}

/// Any value.
pub(crate) fn any_value(compiler: &Compiler<'_>) -> Strat {
    of_types(compiler, JsonTypeSet::all())
}

/// Any non-container value.
fn leaf(long: usize) -> Strat {
    Union::new_weighted(vec![
        (1, Just(Value::Null).sboxed()),
        (1, any::<bool>().prop_map(Value::Bool).sboxed()),
        (2, number::any_integer()),
        (1, number::any_number()),
        (3, Plain::new(0, None, long.min(64)).sboxed()),
    ])
    .sboxed()
}
