//! Auth0 executions: times in order; a `final` execution has finished every
//! result.

use super::{Lazy, Report, Request};
use crate::rules::Rule;
use actionlog_models::Timestamp;
use actionlog_models::contracts::auth0::{Execution, ExecutionStatus};
use serde::Deserialize;

pub(super) struct Rules;

/// What the rules read of an execution.
#[derive(Deserialize)]
pub(super) struct View {
    status: Option<ExecutionStatus>,
    results: Option<Vec<ResultView>>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

#[derive(Deserialize)]
struct ResultView {
    started_at: Option<Timestamp>,
    ended_at: Option<Timestamp>,
}

impl super::Rules for Rules {
    const READS: &'static [&'static str] = &[
        "/created_at",
        "/updated_at",
        "/status",
        "/results/*/started_at",
        "/results/*/ended_at",
    ];
    type Model = Execution;
    type View<'de> = View;

    fn check(execution: &View, _: Option<&Request>, report: &mut Report<'_>) {
        check(execution, report);
    }
}

fn check(execution: &View, report: &mut Report<'_>) {
    report.not_before(
        ("/created_at", execution.created_at.as_ref()),
        ("/updated_at", execution.updated_at.as_ref()),
    );
    report.sane("/created_at", execution.created_at.as_ref());
    report.sane("/updated_at", execution.updated_at.as_ref());
    // The page's default status is `final`.
    let is_final = execution
        .status
        .as_ref()
        .is_none_or(|status| *status == ExecutionStatus::Final);
    for (index, result) in execution.results.iter().flatten().enumerate() {
        let started_at = || format!("/results/{index}/started_at");
        let ended_at = || format!("/results/{index}/ended_at");
        report.not_before(
            (Lazy(started_at), result.started_at.as_ref()),
            (Lazy(ended_at), result.ended_at.as_ref()),
        );
        report.sane(Lazy(started_at), result.started_at.as_ref());
        report.sane(Lazy(ended_at), result.ended_at.as_ref());
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
