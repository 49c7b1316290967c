//! A local Lambda Runtime API server and a handler process started against it.
//!
//! PLACEHOLDER: built in the "any handler, any language" work.
