//! JSON text to a value, for definitions: as `serde_json::from_str`, except that a key given
//! twice in one object is an error naming the object's pointer (serde_json keeps the last one
//! silently, so `{"name": "a", "name": "b"}` would test a tool the author did not mean), and a
//! UTF-8 byte order mark before the text is skipped.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::pointer::JsonPointer;

/// Why a JSON text cannot be used.
#[derive(Debug)]
pub(crate) enum JsonError {
    /// Not JSON (or nested past serde_json's limit).
    Syntax(serde_json::Error),
    /// A key given twice in the object at `pointer`.
    DuplicateKey {
        /// The object.
        pointer: JsonPointer,
        /// The key.
        key: String,
        /// 1-based line and column of the second occurrence's value.
        line: usize,
        column: usize,
    },
}

/// `text` without a leading UTF-8 byte order mark (editors on Windows write one).
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses `text` (a BOM before it is skipped), refusing duplicate keys.
pub(crate) fn parse(text: &str) -> Result<Value, JsonError> {
    let duplicate = RefCell::new(None);
    let path = RefCell::new(Vec::new());
    let mut deserializer = serde_json::Deserializer::from_str(without_bom(text));
    let seed = Node {
        path: &path,
        duplicate: &duplicate,
    };
    let parsed = seed
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match parsed {
        Ok(value) => Ok(value),
        Err(error) => Err(match duplicate.into_inner() {
            Some((pointer, key)) => JsonError::DuplicateKey {
                pointer,
                key,
                line: error.line(),
                column: error.column(),
            },
            None => JsonError::Syntax(error),
        }),
    }
}

/// One step of the path from the root.
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Clone, Copy)]
struct Node<'a> {
    path: &'a RefCell<Vec<Step>>,
    duplicate: &'a RefCell<Option<(JsonPointer, String)>>,
}

impl Node<'_> {
    fn pointer(&self) -> JsonPointer {
        let mut pointer = JsonPointer::root();
        for step in self.path.borrow().iter() {
            pointer = match step {
                Step::Key(key) => pointer.key(key),
                Step::Index(index) => pointer.index(*index),
            };
        }
        pointer
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.path.borrow_mut().push(Step::Index(items.len()));
            let item = seq.next_element_seed(self);
            self.path.borrow_mut().pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some((self.pointer(), key.clone()));
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            self.path.borrow_mut().push(Step::Key(key.clone()));
            let value = access.next_value_seed(self);
            self.path.borrow_mut().pop();
            map.insert(key, value?);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {}}}"#;
        assert_eq!(
            parse(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        assert_eq!(parse("\u{feff}[1]").unwrap(), json!([1]));
    }

    #[test]
    fn duplicate_keys_name_their_object() {
        let text = "[{\"name\": \"a\",\n \"x\": [{}, {\"k\": 1, \"k\": 2}]}]";
        match parse(text) {
            Err(JsonError::DuplicateKey {
                pointer, key, line, ..
            }) => {
                assert_eq!(pointer.as_str(), "/0/x/1");
                assert_eq!(key, "k");
                assert_eq!(line, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_stay_syntax_errors() {
        assert!(matches!(parse("[1,"), Err(JsonError::Syntax(_))));
        assert!(matches!(parse("[1] x"), Err(JsonError::Syntax(_))));
    }
}
