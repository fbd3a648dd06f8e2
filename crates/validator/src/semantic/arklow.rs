//! Arklow record pages: at most 50 items and no more than `count` (or the
//! request's `take`); events belong to their record and every `org_id` in a
//! record agrees; times in order; attempts and counts never negative; ids
//! unique.

use super::{Report, Request};
use crate::rules::Rule;
use actionlog_models::contracts::arklow::{ActionRecord, ActionRecords};

/// The most `take` allows, so the most one page holds.
const MOST_ITEMS: usize = 50;

/// Every member these rules read, as pointer patterns: the fast path keeps
/// them (and only them) for the rules. `tests/fast_path.rs` checks the rules
/// find the same on the kept value as on the whole document.
pub(super) const READS: &[&str] = &[
    "/data/count",
    "/data/items/*/id",
    "/data/items/*/org_id",
    "/data/items/*/timeout",
    "/data/items/*/definition/org_id",
    "/data/items/*/definition/destinations/*/org_id",
    "/data/items/*/definition/destinations/*/destination/org_id",
    "/data/items/*/events/*/id",
    "/data/items/*/events/*/org_id",
    "/data/items/*/events/*/action_record_id",
    "/data/items/*/events/*/available_at",
    "/data/items/*/events/*/timeout_at",
    "/data/items/*/events/*/attempt",
    "/data/items/*/state/started_at",
    "/data/items/*/state/completed_at",
    "/data/items/*/state/available_at",
    "/data/items/*/state/timeout_at",
    "/data/items/*/state/updated_at",
    "/data/items/*/state/attempt",
];

pub(super) fn check(page: &ActionRecords, request: Option<&Request>, report: &mut Report<'_>) {
    let items = page.data.items.as_deref().unwrap_or_default();
    if items.len() > MOST_ITEMS {
        report.push(
            Rule::PageSize,
            "/data/items".to_owned(),
            format!("{} items on one page", items.len()),
            format!("at most {MOST_ITEMS} items (the largest `take`)"),
        );
    }
    if let Some(count) = page.data.count {
        if count < 0 {
            report.push(
                Rule::ValueRange,
                "/data/count".to_owned(),
                format!("count {count} is negative"),
                "a count of 0 or more",
            );
        } else if items.len() as i64 > count {
            report.push(
                Rule::PageSize,
                "/data/items".to_owned(),
                format!("{} items, but count is {count}", items.len()),
                "no more items than count",
            );
        }
    }
    if let Some(take) = request
        .and_then(|request| request.query("take"))
        .and_then(|take| take.parse::<usize>().ok())
        && items.len() > take
    {
        report.push(
            Rule::PageSize,
            "/data/items".to_owned(),
            format!(
                "{} items, but the request asked for take={take}",
                items.len()
            ),
            "no more items than the request's take",
        );
    }
    report.unique(
        "/data/items",
        items
            .iter()
            .enumerate()
            .map(|(index, item)| (index, item.id.clone())),
    );
    let org_from_path = request.and_then(|request| request.path.get("org_id"));
    for (index, record) in items.iter().enumerate() {
        check_record(
            record,
            &format!("/data/items/{index}"),
            org_from_path.map(String::as_str),
            report,
        );
    }
}

fn check_record(
    record: &ActionRecord,
    at: &str,
    org_from_path: Option<&str>,
    report: &mut Report<'_>,
) {
    // The record's own org_id, or the request's, is what every other must equal.
    let owner = record
        .org_id
        .as_deref()
        .map(|org| (org, format!("{at}/org_id")));
    if let (Some(path_org), Some((org, org_at))) = (org_from_path, &owner)
        && path_org != *org
    {
        report.push(
            Rule::IdentityParent,
            org_at.clone(),
            format!("org_id {org} is not the requested organization {path_org}"),
            "the org_id of the request path",
        );
    }
    let mut org_ids: Vec<(String, Option<&str>)> = Vec::new();
    if let Some(definition) = &record.definition {
        org_ids.push((
            format!("{at}/definition/org_id"),
            definition.org_id.as_deref(),
        ));
        for (index, link) in definition.destinations.iter().flatten().enumerate() {
            let link_at = format!("{at}/definition/destinations/{index}");
            org_ids.push((format!("{link_at}/org_id"), link.org_id.as_deref()));
            if let Some(destination) = &link.destination {
                org_ids.push((
                    format!("{link_at}/destination/org_id"),
                    destination.org_id.as_deref(),
                ));
            }
        }
    }
    let events = record.events.as_deref().unwrap_or_default();
    for (index, event) in events.iter().enumerate() {
        let event_at = format!("{at}/events/{index}");
        org_ids.push((format!("{event_at}/org_id"), event.org_id.as_deref()));
        if let (Some(record_id), Some(parent)) = (&record.id, &event.action_record_id)
            && record_id != parent
        {
            report.push(
                Rule::IdentityParent,
                format!("{event_at}/action_record_id"),
                format!("action_record_id {parent} is not this record's id {record_id} at {at}/id"),
                "the id of the record the event is listed under",
            );
        }
        report.not_before(
            (
                &format!("{event_at}/available_at"),
                event.available_at.as_ref(),
            ),
            (&format!("{event_at}/timeout_at"), event.timeout_at.as_ref()),
        );
        if let Some(attempt) = event.attempt.filter(|attempt| *attempt < 0) {
            report.push(
                Rule::ValueRange,
                format!("{event_at}/attempt"),
                format!("attempt {attempt} is negative"),
                "an attempt of 0 or more",
            );
        }
    }
    if let Some((org, org_at)) = &owner {
        for (other_at, other) in org_ids {
            if let Some(other) = other.filter(|other| other != org) {
                report.push(
                    Rule::IdentityParent,
                    other_at,
                    format!("org_id {other} differs from the record's org_id {org} at {org_at}"),
                    "the record's org_id",
                );
            }
        }
    }
    report.unique(
        &format!("{at}/events"),
        events
            .iter()
            .enumerate()
            .map(|(index, event)| (index, event.id.clone())),
    );

    if let Some(state) = &record.state {
        let state_at = format!("{at}/state");
        report.not_before(
            (&format!("{state_at}/started_at"), state.started_at.as_ref()),
            (
                &format!("{state_at}/completed_at"),
                state.completed_at.as_ref(),
            ),
        );
        report.not_before(
            (
                &format!("{state_at}/available_at"),
                state.available_at.as_ref(),
            ),
            (&format!("{state_at}/timeout_at"), state.timeout_at.as_ref()),
        );
        for (name, timestamp) in [
            ("updated_at", &state.updated_at),
            ("available_at", &state.available_at),
            ("timeout_at", &state.timeout_at),
            ("started_at", &state.started_at),
            ("completed_at", &state.completed_at),
        ] {
            report.sane(&format!("{state_at}/{name}"), timestamp.as_ref());
        }
        if let Some(attempt) = state.attempt.filter(|attempt| *attempt < 0) {
            report.push(
                Rule::ValueRange,
                format!("{state_at}/attempt"),
                format!("attempt {attempt} is negative"),
                "an attempt of 0 or more",
            );
        }
    }
    if let Some(timeout) = record.timeout.filter(|timeout| *timeout < 0) {
        report.push(
            Rule::ValueRange,
            format!("{at}/timeout"),
            format!("timeout {timeout} is negative"),
            "a timeout of 0 or more",
        );
    }
}
