//! Tines API: `GET /api/v1/actions/{action_id}/events`
//! (`tines.action-events`, page `003_c63a5773d627231b.txt`).
//!
//! The page contradicts itself twice, and the model follows the sample
//! response, which is what the API sends:
//!
//! - The prose says "a JSON Array", but the sample is an object with `events`
//!   and `meta`. The model is that object; a bare array is a `schema.type`
//!   error at the root.
//! - The field table says `previous_event_ids`, the sample
//!   `previous_events_ids`. The model uses the sample's key; the table's
//!   spelling is an undocumented member (drift), not an alias, so a capture
//!   that uses it is reported instead of silently accepted.
//!
//! The page marks nothing required. `meta`'s page links and next page number
//! are `null` in the sample, so they are optional and nullable; everything
//! else is optional and non-null. "`updated_at` will always be the same as
//! `created_at`" is a promise between two members, which a schema cannot
//! state; it belongs to the validator's semantic rules.

use crate::field::{forbid_null, non_null};
use crate::registry::{
    Auth, Contract, ErrorBody, Fact, Method, Observed, Param, ParamType, ResponseModel,
};
use crate::{Nullable, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A page of events emitted by the specified action.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[schemars(title = "Tines action events")]
pub struct ActionEvents {
    /// The events emitted by the action, on this page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(8)")
    )]
    pub events: Option<Vec<Event>>,

    /// Pagination: where this page is and how many there are.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub meta: Option<Meta>,
}

/// An event emitted by an action.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Event {
    /// Event ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<i64>,

    /// ID of action that emitted the event.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub agent_id: Option<i64>,

    /// JSON representation of the event payload.
    ///
    /// Any JSON value; the member is optional but, when present, is what the
    /// action emitted, `null` included.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::json_value())")
    )]
    pub payload: Option<serde_json::Value>,

    /// ISO 8601 Timestamp representing date and time the event was emitted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub created_at: Option<Timestamp>,

    /// ISO 8601 Timestamp representing date and time the event was last
    /// updated. Will always by the same as 'created_at'.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub updated_at: Option<Timestamp>,

    /// Unique identifier of that event's story run.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub story_run_guid: Option<String>,

    /// IDs of the upstream action's events in that event's story run.
    ///
    /// The page's field table spells this `previous_event_ids`; its sample
    /// response, and the API, say `previous_events_ids`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(8)")
    )]
    pub previous_events_ids: Option<Vec<i64>>,
}

/// Pagination of the event list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Meta {
    /// URL of this page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub current_page: Option<String>,

    /// URL of the previous page; `null` on the first page.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub previous_page: Nullable<String>,

    /// URL of the next page; `null` on the last page.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub next_page: Nullable<String>,

    /// Number of the next page; `null` on the last page.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub next_page_number: Nullable<i64>,

    /// The number of results returned per page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub per_page: Option<i64>,

    /// The number of pages.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub pages: Option<i64>,

    /// The number of events across all pages.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub count: Option<i64>,
}

/// The `tines.action-events` contract.
pub const CONTRACT: Contract = Contract {
    id: "tines.action-events",
    vendor: "Tines",
    title: "Get action events",
    resource: "page of action events",
    description: "Retrieve a list of events emitted by a specified action.",
    page: "003_c63a5773d627231b.txt",
    method: Method::Get,
    server: "https://{tenantDomain}",
    path_template: "/api/v1/actions/{action_id}/events",
    path_params: &[Param {
        pattern: Some("^[0-9]+$"),
        ..Param::required("action_id", ParamType::Integer, "ID of the action")
    }],
    query_params: &[
        Param::new(
            "since_id",
            ParamType::Integer,
            "Only retrieve events after this ID.",
        ),
        Param::new(
            "until_id",
            ParamType::Integer,
            "Only retrieve events until (and including) this ID.",
        ),
        Param {
            default: Some("20"),
            minimum: Some(1),
            ..Param::new(
                "per_page",
                ParamType::Integer,
                "Set the number of results returned per page. Defaults to 20.",
            )
        },
        Param {
            default: Some("1"),
            minimum: Some(1),
            ..Param::new(
                "page",
                ParamType::Integer,
                "Specify the page of results to return if there are multiple pages. Defaults to page 1.",
            )
        },
    ],
    auth: Auth::Bearer,
    success_status: 200,
    response_headers: &[],
    response: ResponseModel::of::<ActionEvents>("tines::ActionEvents"),
    observed: OBSERVED,
    error_bodies: ERROR_BODIES,
};

const TINES_REFERENCE: &str = "Tines API reference, current \"Actions: events\" page";

/// What Tines sends beyond the page.
const OBSERVED: &[Observed] = &[
    Observed {
        pointer: "/events/*/re_emitted",
        fact: Fact::Member,
        source: TINES_REFERENCE,
    },
    Observed {
        pointer: "/events/*/user_id",
        fact: Fact::Member,
        source: TINES_REFERENCE,
    },
    Observed {
        pointer: "/events/*/previous_event_ids",
        fact: Fact::Misspelling {
            real: "previous_events_ids",
        },
        source: "Tines API reference, corrected field table (the page's table says previous_event_ids)",
    },
];

/// Tines' error bodies (`{"error": …}`) share no documented member with a
/// page of events, which the validator reports as not a resource; no
/// envelope needs listing here.
const ERROR_BODIES: &[ErrorBody] = &[];
