//! Semantic rules: what the pages promise that a JSON Schema cannot say
//! (an execution that ended before it started, a page count that does not
//! add up, an event that belongs to another record).
//!
//! Each contract's rules read the document through its typed model, so a
//! rule is plain Rust over named members; they run only on documents that
//! read into their model. A rule reports at the pointer of the value that is
//! wrong and names the value it was compared with. Rules see the request too,
//! when the capture has one (HAR), through [`Request`].

use crate::rules::Rule;
use actionlog_models::{Contract, Timestamp};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;

mod arklow;
mod auth0;
mod buddy;
mod stackone;
mod tines;

/// The request a response answered, when the capture recorded it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// Path parameters by name, decoded.
    pub path: BTreeMap<String, String>,
    /// Query parameters in order, decoded.
    pub query: Vec<(String, String)>,
}

impl Request {
    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// One broken promise, before severity and position are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// Pointer of the value that is wrong.
    pub pointer: String,
    /// What is wrong, naming the other value it was compared with.
    pub message: String,
    /// What the page promises.
    pub expected: String,
}

/// Runs the contract's semantic rules over a document; a document that does
/// not read into its model is left to the schema's findings.
pub fn check(contract: &Contract, document: &Value, request: Option<&Request>) -> Vec<Violation> {
    check_model(contract, document, request).unwrap_or_default()
}

/// [`check`], or `None` when the document does not read into the contract's
/// model (the fast path then leaves the document to the full path).
pub fn check_model(
    contract: &Contract,
    document: &Value,
    request: Option<&Request>,
) -> Option<Vec<Violation>> {
    let mut found = Vec::new();
    let mut report = Report { found: &mut found };
    let read = match contract.id {
        "auth0.execution" => with_model(document, |model| auth0::check(model, &mut report)),
        "buddy.action-execution" => with_model(document, |model| buddy::check(model, &mut report)),
        "arklow.action-records" => {
            with_model(document, |model| arklow::check(model, request, &mut report))
        }
        "tines.action-events" => {
            with_model(document, |model| tines::check(model, request, &mut report))
        }
        "stackone.action-log" => with_model(document, |model| stackone::check(model, &mut report)),
        _ => true,
    };
    read.then_some(found)
}

/// The members `contract`'s rules read, as pointer patterns (`*` for any
/// array item).
pub fn reads(contract: &Contract) -> &'static [&'static str] {
    match contract.id {
        "auth0.execution" => auth0::READS,
        "buddy.action-execution" => buddy::READS,
        "arklow.action-records" => arklow::READS,
        "tines.action-events" => tines::READS,
        "stackone.action-log" => stackone::READS,
        _ => &[],
    }
}

fn with_model<T: DeserializeOwned>(document: &Value, rules: impl FnOnce(&T)) -> bool {
    match T::deserialize(document) {
        Ok(model) => {
            rules(&model);
            true
        }
        Err(_) => false,
    }
}

/// Where rules put what they find.
pub(crate) struct Report<'a> {
    found: &'a mut Vec<Violation>,
}

impl Report<'_> {
    pub(crate) fn push(
        &mut self,
        rule: Rule,
        pointer: String,
        message: String,
        expected: impl Into<String>,
    ) {
        self.found.push(Violation {
            rule,
            pointer,
            message,
            expected: expected.into(),
        });
    }

    /// `time.order`: `later` (at `later_at`) must not be before `earlier`.
    pub(crate) fn not_before(
        &mut self,
        earlier: (&str, Option<&Timestamp>),
        later: (&str, Option<&Timestamp>),
    ) {
        if let ((earlier_at, Some(earlier)), (later_at, Some(later))) = (earlier, later)
            && later.cmp_instant(earlier).is_lt()
        {
            self.push(
                Rule::TimeOrder,
                later_at.to_owned(),
                format!("{later} is before {earlier} at {earlier_at}"),
                format!("a time at or after {earlier_at}"),
            );
        }
    }

    /// `time.sane`: each timestamp between 2000 and a day from now.
    pub(crate) fn sane(&mut self, at: &str, timestamp: Option<&Timestamp>) {
        const YEAR_2000: i64 = 946_684_800;
        const DAY: i64 = 86_400;
        let Some(timestamp) = timestamp else { return };
        let seconds = timestamp.instant().timestamp();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(i64::MAX, |since| {
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
            });
        if seconds < YEAR_2000 || seconds > now.saturating_add(DAY) {
            self.push(
                Rule::TimeSane,
                at.to_owned(),
                format!("{timestamp} is before 2000 or more than a day in the future"),
                "a time between 2000 and tomorrow",
            );
        }
    }

    /// `identity.unique`: each id once in a list.
    pub(crate) fn unique<I>(&mut self, list_at: &str, ids: I)
    where
        I: IntoIterator<Item = (usize, Option<String>)>,
    {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (index, id) in ids {
            let Some(id) = id else { continue };
            if let Some(first) = seen.get(&id) {
                self.push(
                    Rule::IdentityUnique,
                    format!("{list_at}/{index}/id"),
                    format!("id {id} is the id of {list_at}/{first} too"),
                    "an id unique within its list",
                );
            } else {
                seen.insert(id, index);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract(id: &str) -> &'static Contract {
        actionlog_models::registry::find(id).unwrap()
    }

    fn rules(id: &str, document: Value, request: Option<&Request>) -> Vec<(Rule, String)> {
        check(contract(id), &document, request)
            .into_iter()
            .map(|violation| (violation.rule, violation.pointer))
            .collect()
    }

    fn request(path: &[(&str, &str)], query: &[(&str, &str)]) -> Request {
        Request {
            path: path
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn tines_events_belong_to_the_requested_action() {
        let page = json!({"events": [{"id": 1, "agent_id": 21}, {"id": 2, "agent_id": 22}]});
        let asked = request(&[("action_id", "21")], &[]);
        assert_eq!(
            rules("tines.action-events", page.clone(), Some(&asked)),
            vec![(Rule::IdentityParent, "/events/1/agent_id".to_owned())]
        );
        assert!(rules("tines.action-events", page, None).is_empty());
    }

    #[test]
    fn arklow_records_belong_to_the_requested_org_and_fit_take() {
        let page = json!({"data": {"items": [{"id": "a", "org_id": "7"}, {"id": "b", "org_id": "8"}], "count": 2}, "errors": null});
        let asked = request(&[("org_id", "7")], &[("take", "1")]);
        assert_eq!(
            rules("arklow.action-records", page, Some(&asked)),
            vec![
                (Rule::PageSize, "/data/items".to_owned()),
                (Rule::IdentityParent, "/data/items/1/org_id".to_owned()),
            ]
        );
    }

    #[test]
    fn instants_are_compared_not_spellings() {
        // 01:00+01:00 is the same instant as 00:00Z: not out of order.
        let execution = json!({"created_at": "2021-01-01T01:00:00+01:00", "updated_at": "2021-01-01T00:00:00Z"});
        assert!(rules("auth0.execution", execution, None).is_empty());
    }

    #[test]
    fn the_duration_tolerance_is_the_timestamps_precision() {
        // The page's own example: 356 ms between two equal whole-second times.
        let page = json!({"log_id": "a", "log_type": "action", "action_run_id": "r",
            "start_time": "2021-01-01T00:00:00Z", "end_time": "2021-01-01T00:00:00Z", "duration_ms": 356});
        assert!(rules("stackone.action-log", page, None).is_empty());
        let precise = json!({"log_id": "a", "log_type": "action", "action_run_id": "r",
            "start_time": "2021-01-01T00:00:00.000Z", "end_time": "2021-01-01T00:00:00.000Z", "duration_ms": 356});
        assert_eq!(
            rules("stackone.action-log", precise, None),
            vec![(Rule::TimeDuration, "/duration_ms".to_owned())]
        );
    }
}
