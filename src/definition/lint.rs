//! Linting definitions: what the service would reject (errors) and what it may drop or refuse
//! (warnings), each with a JSON Pointer.
//!
//! PLACEHOLDER: built in the definitions work.
