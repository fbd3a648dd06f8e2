//! Arklow record pages: at most 50 items and no more than `count` (or the
//! request's `take`); events belong to their record and every `org_id` in a
//! record agrees; times in order; attempts and counts never negative; ids
//! unique.

use super::{Report, Request, Str};
use crate::rules::Rule;
use actionlog_models::Timestamp;
use actionlog_models::contracts::arklow::ActionRecords;
use serde::Deserialize;

/// The most `take` allows, so the most one page holds.
const MOST_ITEMS: usize = 50;

pub(super) struct Rules;

/// What the rules read of a page of records.
#[derive(Deserialize)]
pub(super) struct View<'a> {
    #[serde(borrow)]
    data: PageView<'a>,
}

#[derive(Deserialize)]
struct PageView<'a> {
    #[serde(borrow)]
    items: Option<Vec<RecordView<'a>>>,
    count: Option<i64>,
}

#[derive(Deserialize)]
struct RecordView<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    org_id: Option<Str<'a>>,
    timeout: Option<i64>,
    state: Option<StateView>,
    #[serde(borrow)]
    definition: Option<DefinitionView<'a>>,
    #[serde(borrow)]
    events: Option<Vec<EventView<'a>>>,
}

#[derive(Deserialize)]
struct StateView {
    attempt: Option<i64>,
    updated_at: Option<Timestamp>,
    available_at: Option<Timestamp>,
    timeout_at: Option<Timestamp>,
    started_at: Option<Timestamp>,
    completed_at: Option<Timestamp>,
}

#[derive(Deserialize)]
struct DefinitionView<'a> {
    #[serde(borrow)]
    org_id: Option<Str<'a>>,
    #[serde(borrow)]
    destinations: Option<Vec<LinkView<'a>>>,
}

/// A definition's link to a destination.
#[derive(Deserialize)]
struct LinkView<'a> {
    #[serde(borrow)]
    org_id: Option<Str<'a>>,
    #[serde(borrow)]
    destination: Option<DestinationView<'a>>,
}

#[derive(Deserialize)]
struct DestinationView<'a> {
    #[serde(borrow)]
    org_id: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct EventView<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    action_record_id: Option<Str<'a>>,
    #[serde(borrow)]
    org_id: Option<Str<'a>>,
    attempt: Option<i64>,
    available_at: Option<Timestamp>,
    timeout_at: Option<Timestamp>,
}

impl super::Rules for Rules {
    const READS: &'static [&'static str] = &[
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
    type Model = ActionRecords;
    type View<'de> = View<'de>;

    fn check(page: &View<'_>, request: Option<&Request>, report: &mut Report<'_>) {
        check(page, request, report);
    }
}

fn check(page: &View<'_>, request: Option<&Request>, report: &mut Report<'_>) {
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
            .map(|(index, item)| (index, item.id.as_deref())),
    );
    let org_from_path = request.and_then(|request| request.path.get("org_id"));
    for (index, record) in items.iter().enumerate() {
        check_record(record, index, org_from_path.map(String::as_str), report);
    }
}

/// Where in a record another `org_id` sits.
#[derive(Clone, Copy)]
enum OrgAt {
    Definition,
    Link(usize),
    Destination(usize),
    Event(usize),
}

impl OrgAt {
    /// The pointer of that `org_id` in the record at `at`.
    fn pointer(self, at: &str) -> String {
        match self {
            OrgAt::Definition => format!("{at}/definition/org_id"),
            OrgAt::Link(index) => format!("{at}/definition/destinations/{index}/org_id"),
            OrgAt::Destination(index) => {
                format!("{at}/definition/destinations/{index}/destination/org_id")
            }
            OrgAt::Event(index) => format!("{at}/events/{index}/org_id"),
        }
    }
}

fn check_record(
    record: &RecordView<'_>,
    index: usize,
    org_from_path: Option<&str>,
    report: &mut Report<'_>,
) {
    let at = format!("/data/items/{index}");
    // The record's own org_id, or the request's, is what every other must equal.
    let owner = record.org_id.as_deref();
    if let (Some(path_org), Some(org)) = (org_from_path, owner)
        && path_org != org
    {
        report.push(
            Rule::IdentityParent,
            format!("{at}/org_id"),
            format!("org_id {org} is not the requested organization {path_org}"),
            "the org_id of the request path",
        );
    }
    let mut org_ids: Vec<(OrgAt, Option<&str>)> = Vec::new();
    if let Some(definition) = &record.definition {
        org_ids.push((OrgAt::Definition, definition.org_id.as_deref()));
        for (index, link) in definition.destinations.iter().flatten().enumerate() {
            org_ids.push((OrgAt::Link(index), link.org_id.as_deref()));
            if let Some(destination) = &link.destination {
                org_ids.push((OrgAt::Destination(index), destination.org_id.as_deref()));
            }
        }
    }
    let events = record.events.as_deref().unwrap_or_default();
    for (index, event) in events.iter().enumerate() {
        org_ids.push((OrgAt::Event(index), event.org_id.as_deref()));
        if let (Some(record_id), Some(parent)) = (&record.id, &event.action_record_id)
            && record_id != parent
        {
            report.push(
                Rule::IdentityParent,
                format!("{at}/events/{index}/action_record_id"),
                format!("action_record_id {parent} is not this record's id {record_id} at {at}/id"),
                "the id of the record the event is listed under",
            );
        }
        report.not_before(
            (
                format_args!("{at}/events/{index}/available_at"),
                event.available_at.as_ref(),
            ),
            (
                format_args!("{at}/events/{index}/timeout_at"),
                event.timeout_at.as_ref(),
            ),
        );
        if let Some(attempt) = event.attempt.filter(|attempt| *attempt < 0) {
            report.push(
                Rule::ValueRange,
                format!("{at}/events/{index}/attempt"),
                format!("attempt {attempt} is negative"),
                "an attempt of 0 or more",
            );
        }
    }
    if let Some(org) = owner {
        for (other_at, other) in org_ids {
            if let Some(other) = other.filter(|other| *other != org) {
                report.push(
                    Rule::IdentityParent,
                    other_at.pointer(&at),
                    format!("org_id {other} differs from the record's org_id {org} at {at}/org_id"),
                    "the record's org_id",
                );
            }
        }
    }
    report.unique(
        format_args!("{at}/events"),
        events
            .iter()
            .enumerate()
            .map(|(index, event)| (index, event.id.as_deref())),
    );

    if let Some(state) = &record.state {
        report.not_before(
            (
                format_args!("{at}/state/started_at"),
                state.started_at.as_ref(),
            ),
            (
                format_args!("{at}/state/completed_at"),
                state.completed_at.as_ref(),
            ),
        );
        report.not_before(
            (
                format_args!("{at}/state/available_at"),
                state.available_at.as_ref(),
            ),
            (
                format_args!("{at}/state/timeout_at"),
                state.timeout_at.as_ref(),
            ),
        );
        for (name, timestamp) in [
            ("updated_at", &state.updated_at),
            ("available_at", &state.available_at),
            ("timeout_at", &state.timeout_at),
            ("started_at", &state.started_at),
            ("completed_at", &state.completed_at),
        ] {
            report.sane(format_args!("{at}/state/{name}"), timestamp.as_ref());
        }
        if let Some(attempt) = state.attempt.filter(|attempt| *attempt < 0) {
            report.push(
                Rule::ValueRange,
                format!("{at}/state/attempt"),
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
