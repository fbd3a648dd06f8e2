//! Buddy action executions: start before finish, the status agrees with the
//! finish date and progress, progress is a percentage, variable ids unique.

use super::{Report, Request};
use crate::rules::Rule;
use actionlog_models::Timestamp;
use actionlog_models::contracts::buddy::{ActionExecution, ExecutionStatus};
use serde::Deserialize;

pub(super) struct Rules;

/// What the rules read of an action execution.
#[derive(Deserialize)]
pub(super) struct View {
    start_date: Option<Timestamp>,
    finish_date: Option<Timestamp>,
    status: Option<ExecutionStatus>,
    progress: Option<f64>,
    action: Option<ActionView>,
    approval_date: Option<Timestamp>,
}

#[derive(Deserialize)]
struct ActionView {
    variables: Option<Vec<VariableView>>,
}

#[derive(Deserialize)]
struct VariableView {
    id: Option<i64>,
}

impl super::Rules for Rules {
    const READS: &'static [&'static str] = &[
        "/start_date",
        "/finish_date",
        "/approval_date",
        "/progress",
        "/status",
        "/action/variables/*/id",
    ];
    type Model = ActionExecution;
    type View<'de> = View;

    fn check(execution: &View, _: Option<&Request>, report: &mut Report<'_>) {
        check(execution, report);
    }
}

fn check(execution: &View, report: &mut Report<'_>) {
    report.not_before(
        ("/start_date", execution.start_date.as_ref()),
        ("/finish_date", execution.finish_date.as_ref()),
    );
    for (at, timestamp) in [
        ("/start_date", &execution.start_date),
        ("/finish_date", &execution.finish_date),
        ("/approval_date", &execution.approval_date),
    ] {
        report.sane(at, timestamp.as_ref());
    }

    if let Some(progress) = execution.progress
        && !(0.0..=100.0).contains(&progress)
    {
        report.push(
            Rule::ValueRange,
            "/progress".to_owned(),
            format!("progress {progress} is not a percentage"),
            "a progress from 0 to 100",
        );
    }

    if let Some(status) = &execution.status {
        let terminal = matches!(
            status,
            ExecutionStatus::Successful | ExecutionStatus::Failed | ExecutionStatus::Terminated
        );
        let not_started = matches!(status, ExecutionStatus::Enqueued | ExecutionStatus::Initial);
        if terminal && execution.finish_date.is_none() {
            report.push(
                Rule::StatusCoherence,
                String::new(),
                format!("status {status} is terminal, but there is no `finish_date`"),
                "a `finish_date` on a SUCCESSFUL, FAILED or TERMINATED execution",
            );
        }
        if not_started && execution.finish_date.is_some() {
            report.push(
                Rule::StatusCoherence,
                "/finish_date".to_owned(),
                format!(
                    "an execution with status {status} has not run, yet it has a `finish_date`"
                ),
                "no `finish_date` on an ENQUEUED or INITIAL execution",
            );
        }
        if *status == ExecutionStatus::Successful
            && let Some(progress) = execution.progress.filter(|progress| *progress != 100.0)
        {
            report.push(
                Rule::StatusCoherence,
                "/progress".to_owned(),
                format!("progress {progress} on an execution whose status is SUCCESSFUL"),
                "progress 100 on a SUCCESSFUL execution",
            );
        }
    }

    if let Some(variables) = execution
        .action
        .as_ref()
        .and_then(|action| action.variables.as_ref())
    {
        report.unique(
            "/action/variables",
            variables
                .iter()
                .enumerate()
                .map(|(index, variable)| (index, variable.id)),
        );
    }
}
