//! The five vendors' documented action-log contracts as Rust types.
//!
//! Each module under [`contracts`] encodes one page from `../shared/seeds/`:
//! every member, type, enum value, format, default, range, nullability and
//! required marker, with the page's descriptions as doc comments (and so as
//! `description` in the generated schemas). [`registry::CONTRACTS`] lists them
//! with their request side (method, path, parameters, authentication, response
//! headers).
//!
//! Invariants: this crate does no I/O and knows nothing of diagnostics; the
//! schemas it generates are a pure function of the types.

// Nothing that input can influence may panic: no unwrap/expect outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod contracts;
pub mod field;
pub mod registry;
pub mod schema;
#[cfg(feature = "proptest")]
pub mod strategy;
mod timestamp;
#[doc(hidden)]
pub mod wire_enum;

pub use field::Nullable;
pub use registry::{CONTRACTS, Contract};
pub use timestamp::{Timestamp, TimestampError};
