//! Semantic rules: what the pages promise that a JSON Schema cannot say
//! (an execution that ended before it started, a page count that does not
//! add up, an event that belongs to another record).
//!
//! Each contract's rules read the document through a *view*: a serde struct
//! of only the members they read, with the model's types, so a rule is plain
//! Rust over named members. On the fast path the view is read from the few
//! members the fast path kept (each rule file's `READS`), so no typed model
//! is built; on the full path the rules run only on documents that read into
//! their typed model. A rule reports at the pointer of the value that is
//! wrong and names the value it was compared with. Rules see the request too,
//! when the capture has one (HAR), through [`Request`].

use crate::kept::Kept;
use crate::rules::Rule;
use actionlog_models::{Contract, Timestamp};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

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

/// A document as the rules read it.
#[derive(Debug, Clone, Copy)]
pub enum Document<'a> {
    /// Parsed whole, on the full path: the rules run only when it reads
    /// into the contract's typed model.
    Parsed(&'a Value),
    /// What the fast path kept of a document it found valid against the
    /// schema: the members in the rules' `READS`.
    Kept(&'a Kept<'a>),
}

/// Runs the contract's semantic rules over a document; a document that does
/// not read into its model is left to the schema's findings.
pub fn check(contract: &Contract, document: &Value, request: Option<&Request>) -> Vec<Violation> {
    read(contract, Document::Parsed(document), request).unwrap_or_default()
}

/// Runs the contract's semantic rules over `document`, or says `None` when
/// the document does not read into what the rules read (the fast path then
/// leaves it to the full path).
pub fn read(
    contract: &Contract,
    document: Document<'_>,
    request: Option<&Request>,
) -> Option<Vec<Violation>> {
    let mut found = Vec::new();
    let read = match entry(contract) {
        Some(entry) => (entry.run)(document, request, &mut Report { found: &mut found }),
        None => true,
    };
    read.then_some(found)
}

/// The members `contract`'s rules read, as pointer patterns (`*` for any
/// array item).
pub fn reads(contract: &Contract) -> &'static [&'static str] {
    entry(contract).map_or(&[], |entry| entry.reads)
}

/// One contract's rules, with the types erased.
struct Entry {
    contract: &'static str,
    reads: &'static [&'static str],
    run: fn(Document<'_>, Option<&Request>, &mut Report<'_>) -> bool,
}

impl Entry {
    const fn of<R: Rules>(contract: &'static str) -> Entry {
        Entry {
            contract,
            reads: R::READS,
            run: run::<R>,
        }
    }
}

const ENTRIES: &[Entry] = &[
    Entry::of::<auth0::Rules>("auth0.execution"),
    Entry::of::<buddy::Rules>("buddy.action-execution"),
    Entry::of::<arklow::Rules>("arklow.action-records"),
    Entry::of::<tines::Rules>("tines.action-events"),
    Entry::of::<stackone::Rules>("stackone.action-log"),
];

fn entry(contract: &Contract) -> Option<&'static Entry> {
    ENTRIES.iter().find(|entry| entry.contract == contract.id)
}

/// One contract's rules.
trait Rules {
    /// The contract's typed model. On the full path a document that does not
    /// read into it is left to the schema's findings.
    type Model: DeserializeOwned;
    /// The members the rules read (a subset of the model's, with the same
    /// types), strings borrowed where they can be.
    type View<'de>: Deserialize<'de>;
    /// Every member the view reads, as pointer patterns (`*` for any array
    /// item): the fast path keeps them, and only them. `tests/fast_path.rs`
    /// checks that the rules find the same in what was kept as in the whole
    /// document.
    const READS: &'static [&'static str];

    fn check(view: &Self::View<'_>, request: Option<&Request>, report: &mut Report<'_>);
}

fn run<R: Rules>(
    document: Document<'_>,
    request: Option<&Request>,
    report: &mut Report<'_>,
) -> bool {
    let view = match document {
        Document::Parsed(value) => {
            if R::Model::deserialize(value).is_err() {
                return false;
            }
            R::View::deserialize(value)
        }
        Document::Kept(kept) => kept.view(),
    };
    match view {
        Ok(view) => {
            R::check(&view, request, report);
            true
        }
        Err(_) => false,
    }
}

/// A string a view reads: borrowed from the text unless it has escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Str<'a>(Cow<'a, str>);

impl std::ops::Deref for Str<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for Text<'a> {
            type Value = Str<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(value)))
            }

            fn visit_str<E>(self, value: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(value.to_owned())))
            }
        }

        deserializer.deserialize_str(Text(std::marker::PhantomData))
    }
}

/// A pointer written out only when it is shown: rules name the pointer of
/// every value they compare, and almost none is ever reported.
#[derive(Clone, Copy)]
pub(crate) struct Lazy<F>(pub(crate) F);

impl<F: Fn() -> String> fmt::Display for Lazy<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&(self.0)())
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
    /// The pointers are written out only when something is reported.
    pub(crate) fn not_before(
        &mut self,
        earlier: (impl fmt::Display, Option<&Timestamp>),
        later: (impl fmt::Display, Option<&Timestamp>),
    ) {
        if let ((earlier_at, Some(earlier)), (later_at, Some(later))) = (earlier, later)
            && later.cmp_instant(earlier).is_lt()
        {
            self.push(
                Rule::TimeOrder,
                later_at.to_string(),
                format!("{later} is before {earlier} at {earlier_at}"),
                format!("a time at or after {earlier_at}"),
            );
        }
    }

    /// `time.sane`: each timestamp between 2000 and a day from now.
    pub(crate) fn sane(&mut self, at: impl fmt::Display, timestamp: Option<&Timestamp>) {
        const YEAR_2000: i64 = 946_684_800;
        const DAY: i64 = 86_400;
        let Some(timestamp) = timestamp else { return };
        // Read the clock once a run: asking it for every timestamp was a
        // hundredth of a run.
        static NOW: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
        let now = *NOW.get_or_init(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(i64::MAX, |since| {
                    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
                })
        });
        let seconds = timestamp.instant().timestamp();
        if seconds < YEAR_2000 || seconds > now.saturating_add(DAY) {
            self.push(
                Rule::TimeSane,
                at.to_string(),
                format!("{timestamp} is before 2000 or more than a day in the future"),
                "a time between 2000 and tomorrow",
            );
        }
    }

    /// `identity.unique`: each id once in a list.
    pub(crate) fn unique<I, T>(&mut self, list_at: impl fmt::Display, ids: I)
    where
        I: IntoIterator<Item = (usize, Option<T>)>,
        T: Ord + fmt::Display,
    {
        let mut seen: BTreeMap<T, usize> = BTreeMap::new();
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
