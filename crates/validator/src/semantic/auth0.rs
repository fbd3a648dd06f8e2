//! Auth0 executions: times in order; a `final` execution has finished every
//! result.

use super::Report;
use crate::rules::Rule;
use actionlog_models::contracts::auth0::{Execution, ExecutionStatus};

/// Every member these rules read, as pointer patterns: the fast path keeps
/// them (and only them) for the rules. `tests/fast_path.rs` checks the rules
/// find the same on the kept value as on the whole document.
pub(super) const READS: &[&str] = &[
    "/created_at",
    "/updated_at",
    "/status",
    "/results/*/started_at",
    "/results/*/ended_at",
];

pub(super) fn check(execution: &Execution, report: &mut Report<'_>) {
    report.not_before(
        ("/created_at", execution.created_at.as_ref()),
        ("/updated_at", execution.updated_at.as_ref()),
    );
    report.sane("/created_at", execution.created_at.as_ref());
    report.sane("/updated_at", execution.updated_at.as_ref());
    let is_final = execution.status_or_default() == ExecutionStatus::Final;
    for (index, result) in execution.results.iter().flatten().enumerate() {
        let started_at = format!("/results/{index}/started_at");
        let ended_at = format!("/results/{index}/ended_at");
        report.not_before(
            (&started_at, result.started_at.as_ref()),
            (&ended_at, result.ended_at.as_ref()),
        );
        report.sane(&started_at, result.started_at.as_ref());
        report.sane(&ended_at, result.ended_at.as_ref());
        if is_final && result.ended_at.is_none() {
            report.push(
                Rule::StatusCoherence,
                format!("/results/{index}"),
                format!("result {index} has no `ended_at`, but the execution's status is `final`"),
                "`ended_at` on every result of a final execution",
            );
        }
    }
}
