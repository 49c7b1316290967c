//! JSON Pointers (RFC 6901): the one place where pointer tokens are escaped and joined.
//!
//! Every error and finding in `toolcontract` says *where*: a file and a JSON Pointer into it.
//! Build pointers with [`JsonPointer`] instead of `format!`, so escaping (`~0`, `~1`) is
//! always right.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A JSON Pointer such as `/0/inputSchema/properties/a~1b`. The empty pointer is the root.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The root pointer (the empty string).
    pub fn root() -> Self {
        JsonPointer(String::new())
    }

    /// Wraps an already escaped pointer string such as `/a/0`. An empty string is the root.
    ///
    /// Returns `None` when the string is neither empty nor starts with `/`.
    pub fn parse(escaped: &str) -> Option<Self> {
        (escaped.is_empty() || escaped.starts_with('/')).then(|| JsonPointer(escaped.to_owned()))
    }

    /// This pointer with one more object key (escaped as RFC 6901 requires).
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in key.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        JsonPointer(s)
    }

    /// This pointer with one more array index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        JsonPointer(format!("{}/{index}", self.0))
    }

    /// This pointer followed by `other` (a pointer relative to the value this one points at).
    #[must_use]
    pub fn join(&self, other: &JsonPointer) -> Self {
        JsonPointer(format!("{}{}", self.0, other.0))
    }

    /// The escaped pointer string (empty for the root).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the root pointer.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }
}

impl fmt::Display for JsonPointer {
    /// Shows the root as `/` would be ambiguous, so the root prints as `(root)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(root)")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::JsonPointer;

    #[test]
    fn escapes_tilde_and_slash() {
        let p = JsonPointer::root().key("a/b").key("c~d").index(3);
        assert_eq!(p.as_str(), "/a~1b/c~0d/3");
        assert_eq!(p.tokens().collect::<Vec<_>>(), vec!["a/b", "c~d", "3"]);
    }

    #[test]
    fn join_and_display() {
        let base = JsonPointer::root().index(0).key("inputSchema");
        let rel = JsonPointer::parse("/properties/x").unwrap();
        assert_eq!(base.join(&rel).to_string(), "/0/inputSchema/properties/x");
        assert_eq!(JsonPointer::root().to_string(), "(root)");
        assert!(JsonPointer::parse("x").is_none());
    }
}
