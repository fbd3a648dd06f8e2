//! Tines event pages: `updated_at` equals `created_at`; `meta` adds up and
//! its links agree with its numbers; events fit the page; ids are unique and
//! no event precedes itself; with the request, events belong to its action.

use super::{Lazy, Report, Request};
use crate::rules::Rule;
use actionlog_models::contracts::tines::{ActionEvents, Meta};
use actionlog_models::{Nullable, Timestamp};
use serde::Deserialize;

pub(super) struct Rules;

/// What the rules read of a page of events: its `meta` whole.
#[derive(Deserialize)]
pub(super) struct View {
    events: Option<Vec<EventView>>,
    meta: Option<Meta>,
}

#[derive(Deserialize)]
struct EventView {
    id: Option<i64>,
    agent_id: Option<i64>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
    previous_events_ids: Option<Vec<i64>>,
}

impl super::Rules for Rules {
    const READS: &'static [&'static str] = &[
        "/events/*/id",
        "/events/*/created_at",
        "/events/*/updated_at",
        "/events/*/previous_events_ids",
        "/events/*/agent_id",
        "/meta",
    ];
    type Model = ActionEvents;
    type View<'de> = View;

    fn check(page: &View, request: Option<&Request>, report: &mut Report<'_>) {
        check(page, request, report);
    }
}

fn check(page: &View, request: Option<&Request>, report: &mut Report<'_>) {
    let events = page.events.as_deref().unwrap_or_default();
    for (index, event) in events.iter().enumerate() {
        let created_at = || format!("/events/{index}/created_at");
        let updated_at = || format!("/events/{index}/updated_at");
        if let (Some(created), Some(updated)) = (&event.created_at, &event.updated_at)
            && updated.cmp_instant(created).is_ne()
        {
            report.push(
                Rule::TimeOrder,
                updated_at(),
                format!(
                    "{updated} differs from created_at {created} at {}",
                    created_at()
                ),
                "updated_at equal to created_at (\"will always be the same\", says the page)",
            );
        }
        report.sane(Lazy(created_at), event.created_at.as_ref());
        report.sane(Lazy(updated_at), event.updated_at.as_ref());
        if let (Some(id), Some(previous)) = (event.id, &event.previous_events_ids)
            && let Some(position) = previous.iter().position(|previous| *previous == id)
        {
            report.push(
                Rule::IdentityUnique,
                format!("/events/{index}/previous_events_ids/{position}"),
                format!("event {id} lists itself among its previous events"),
                "ids of other events",
            );
        }
        let action_id = request.and_then(|request| request.path.get("action_id"));
        if let (Some(agent_id), Some(action_id)) = (event.agent_id, action_id)
            && agent_id.to_string() != *action_id
        {
            report.push(
                Rule::IdentityParent,
                format!("/events/{index}/agent_id"),
                format!("agent_id {agent_id} is not the requested action {action_id}"),
                "the action_id of the request path",
            );
        }
    }
    report.unique(
        "/events",
        events
            .iter()
            .enumerate()
            .map(|(index, event)| (index, event.id)),
    );
    if let Some(meta) = &page.meta {
        check_meta(meta, events.len(), report);
    }
}

fn check_meta(meta: &Meta, events: usize, report: &mut Report<'_>) {
    if let Some(per_page) = meta.per_page.filter(|per_page| *per_page > 0) {
        if events as i64 > per_page {
            report.push(
                Rule::PageSize,
                "/events".to_owned(),
                format!("{events} events on a page of per_page {per_page}"),
                "at most per_page events",
            );
        }
        if let (Some(count), Some(pages)) = (meta.count, meta.pages) {
            // ceil(count / per_page), without overflowing near i64::MAX.
            let expected = (count / per_page + i64::from(count % per_page != 0)).max(1);
            if pages != expected && count >= 0 {
                report.push(
                    Rule::PageCount,
                    "/meta/pages".to_owned(),
                    format!("pages is {pages}, but ceil(count {count} / per_page {per_page}) is {expected}"),
                    format!("{expected} pages"),
                );
            }
        }
    }

    let Some(current) = meta
        .current_page
        .as_deref()
        .and_then(|link| link_number(link, "page"))
    else {
        return;
    };
    if let Some(link_per_page) = meta
        .current_page
        .as_deref()
        .and_then(|link| link_number(link, "per_page"))
        && meta
            .per_page
            .is_some_and(|per_page| per_page != link_per_page)
    {
        report.push(
            Rule::PageLinks,
            "/meta/current_page".to_owned(),
            format!(
                "current_page asks for per_page={link_per_page}, but per_page is {}",
                meta.per_page.unwrap_or_default()
            ),
            "links that agree with meta's numbers",
        );
    }
    let Some(pages) = meta.pages else { return };
    // The page after the current one (no panic at an absurd i64::MAX).
    let following = current.saturating_add(1);
    let last = current >= pages;
    let first = current <= 1;
    let next = [
        ("/meta/next_page", meta.next_page.as_ref().map(|_| ())),
        (
            "/meta/next_page_number",
            meta.next_page_number.as_ref().map(|_| ()),
        ),
    ];
    for (at, link) in next {
        match (link, last) {
            (Nullable::Null, false) => report.push(
                Rule::PageLinks,
                at.to_owned(),
                format!("null on page {current} of {pages}, which is not the last"),
                "the next page on every page but the last",
            ),
            (Nullable::Value(_), true) => report.push(
                Rule::PageLinks,
                at.to_owned(),
                format!("a next page on page {current} of {pages}, the last"),
                "null on the last page",
            ),
            _ => {}
        }
    }
    if let Nullable::Value(number) = meta.next_page_number
        && !last
        && number != following
    {
        report.push(
            Rule::PageCount,
            "/meta/next_page_number".to_owned(),
            format!("next_page_number is {number} on page {current}"),
            format!("{following}"),
        );
    }
    if let Nullable::Value(link) = &meta.next_page
        && let Some(number) = link_number(link, "page").filter(|number| *number != following)
    {
        report.push(
            Rule::PageLinks,
            "/meta/next_page".to_owned(),
            format!("next_page asks for page={number} from page {current}"),
            format!("a link to page {following}"),
        );
    }
    match (&meta.previous_page, first) {
        (Nullable::Null, false) => report.push(
            Rule::PageLinks,
            "/meta/previous_page".to_owned(),
            format!("null on page {current}, which is not the first"),
            "the previous page on every page but the first",
        ),
        (Nullable::Value(_), true) => report.push(
            Rule::PageLinks,
            "/meta/previous_page".to_owned(),
            "a previous page on the first page".to_owned(),
            "null on the first page",
        ),
        _ => {}
    }
}

/// The integer value of query parameter `name` in a page link.
fn link_number(link: &str, name: &str) -> Option<i64> {
    let query = link.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| value.parse().ok())
}
