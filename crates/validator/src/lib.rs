//! Checks captured API responses against the actionlog contracts.
//!
//! The library judges documents and returns diagnostics as data; the `report`
//! module renders them, and `cli` is a thin command line over both. Data flows
//! one way: inputs → [`check`] (parse, schema, drift, duplicate keys,
//! positions) → reports.
//!
//! ```
//! let contract = actionlog_models::registry::find("auth0.execution").unwrap();
//! let diagnostics = actionlog_validator::validate(contract, r#"{"status": "done"}"#).unwrap();
//! assert_eq!(diagnostics[0].rule.id(), "schema.enum");
//! assert_eq!(diagnostics[0].instance_path, "/status");
//! assert_eq!(diagnostics[0].position.map(|p| (p.line, p.column)), Some((1, 12)));
//! ```

// Nothing that input can influence may panic: no unwrap/expect outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod check;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod diagnostic;
pub mod fast;
pub mod har;
pub mod input;
pub mod json;
pub mod kept;
pub mod parser;
pub mod policy;
pub mod position;
pub mod redact;
pub mod report;
pub mod response;
pub mod rules;
pub mod run;
pub mod schema;
pub mod secret;
pub mod select;
pub mod semantic;

pub use diagnostic::{Diagnostic, Position, Severity};
pub use json::SyntaxError;
pub use policy::Policy;
pub use rules::Rule;
pub use schema::CompiledSchema;

/// Why [`validate`] could not judge a document.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The document is not JSON.
    #[error("not JSON: {0}")]
    Syntax(#[from] SyntaxError),
    /// The contract's schema did not compile (a defect in the models).
    #[error(transparent)]
    Schema(#[from] schema::CompileError),
}

/// Checks one document against `contract` with the default policy.
///
/// Compiles the contract's schema on every call; to check many documents,
/// compile once with [`CompiledSchema::compile`] and call [`check::check`].
pub fn validate(
    contract: &'static actionlog_models::Contract,
    text: &str,
) -> Result<Vec<Diagnostic>, ValidateError> {
    let schema = CompiledSchema::compile(contract)?;
    Ok(check::check(&schema, &Policy::default(), text)?.diagnostics)
}
