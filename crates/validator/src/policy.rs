//! Which rules are on and how severe they are for this run: defaults from the
//! rule catalogue, then `actionlog.toml`, then the command line.

use crate::diagnostic::Severity;
use crate::rules::Rule;
use std::collections::BTreeMap;

/// The severity policy of a run.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `--strict`: every warning counts as an error.
    pub strict: bool,
    /// `--allow-unknown`: undocumented members are not reported.
    pub allow_unknown: bool,
    /// `--documented-only`: judge by the pages alone, ignoring what vendors
    /// are observed to send (an observed value is a `schema.enum` error).
    pub documented_only: bool,
    /// Per-rule settings from configuration: `None` switches a rule off.
    pub overrides: BTreeMap<Rule, Option<Severity>>,
}

impl Policy {
    /// The severity `rule` reports with, or `None` when it is off.
    ///
    /// ```
    /// use actionlog_validator::{Policy, Rule, Severity};
    /// let mut policy = Policy::default();
    /// assert_eq!(policy.severity(Rule::DriftUnknownField), Some(Severity::Warning));
    /// policy.strict = true;
    /// assert_eq!(policy.severity(Rule::DriftUnknownField), Some(Severity::Error));
    /// policy.allow_unknown = true;
    /// assert_eq!(policy.severity(Rule::DriftUnknownField), None);
    /// ```
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        if rule == Rule::DriftUnknownField && self.allow_unknown {
            return None;
        }
        let severity = match self.overrides.get(&rule) {
            Some(setting) => (*setting)?,
            None => rule.default_severity(),
        };
        Some(if self.strict {
            Severity::Error
        } else {
            severity
        })
    }
}
