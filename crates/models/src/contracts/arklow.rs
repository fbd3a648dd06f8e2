//! Arklow API: `GET /v1/orgs/{org_id}/actions/records`
//! (`arklow.action-records`, page `002_4f27f2312d67776c.txt`).
//!
//! The page's response section marks `data` required and `errors` required
//! and nullable (`object[] | null`); everything inside `data` is documented by
//! example only, so each member's type is the example's (`"<string>"` a
//! string, `123` an integer, `"<unknown>"` any JSON, `{}` a free-form map) and
//! none is required or nullable. The example's literal `"webhook"` and `"ack"`
//! are kept as strings with the literal in the description: the page names no
//! other values, and one example value is not an enumeration.

use crate::field::{forbid_null, non_null, require_member, required_nullable};
use crate::registry::{
    Auth, Contract, ErrorBody, Marker, Method, Observed, Param, ParamType, ResponseModel,
};
use crate::{Timestamp, wire_enum};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Default Response: one page of action records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[schemars(title = "Arklow action records", transform = require_errors)]
pub struct ActionRecords {
    /// The page of records.
    pub data: RecordPage,

    /// Errors, or `null` when there are none. Required: the member is always
    /// sent, `null` included.
    #[serde(deserialize_with = "required_nullable")]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::list(3))")
    )]
    pub errors: Option<Vec<ApiError>>,
}

/// schemars leaves an `Option` member out of `required`; the page lists
/// `errors` as required (and nullable).
fn require_errors(schema: &mut schemars::Schema) {
    require_member(schema, "errors");
}

/// A page of action records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct RecordPage {
    /// The records on this page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(4)")
    )]
    pub items: Option<Vec<ActionRecord>>,

    /// The number of records.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub count: Option<i64>,
}

/// A request to run an action, with its state, definition and events.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ActionRecord {
    /// The record's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<String>,

    /// The organization the record belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub org_id: Option<String>,

    /// The definition this record runs.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub action_definition_id: Option<String>,

    /// The action's input: any JSON (the page types it as unknown).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::json_value())")
    )]
    pub input: Option<serde_json::Value>,

    /// The record's timeout.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub timeout: Option<i64>,

    /// Free-form tags.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::string_map())")
    )]
    pub tags: Option<BTreeMap<String, String>>,

    /// Where the record is in its lifecycle.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub state: Option<ActionState>,

    /// The action definition the record runs.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub definition: Option<ActionDefinition>,

    /// What happened to the record, in order.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(4)")
    )]
    pub events: Option<Vec<RecordEvent>>,
}

/// Where a record is in its lifecycle.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ActionState {
    /// The record's status.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub status: Option<String>,

    /// The attempt number; the vendor counts from 0.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(0i64..100)")
    )]
    pub attempt: Option<i64>,

    /// When the state last changed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub updated_at: Option<Timestamp>,

    /// When the record becomes available to run.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub available_at: Option<Timestamp>,

    /// When the current attempt times out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub timeout_at: Option<Timestamp>,

    /// When the record started running.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub started_at: Option<Timestamp>,

    /// When the record completed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub completed_at: Option<Timestamp>,

    /// Why the record failed, if it did.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub error_message: Option<String>,
}

/// An action definition: what a record runs and where it is delivered.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ActionDefinition {
    /// The definition's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<String>,

    /// The organization the definition belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub org_id: Option<String>,

    /// The definition's variant.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub variant: Option<String>,

    /// The definition's version.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub version: Option<i64>,

    /// Other names of the definition.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(4)")
    )]
    pub alias: Option<Vec<String>>,

    /// The definition's input schema: any JSON (the page types it as unknown).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::json_value())")
    )]
    pub schema: Option<serde_json::Value>,

    /// When the definition was deleted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub deleted_at: Option<Timestamp>,

    /// Where records of this definition are delivered.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(3)")
    )]
    pub destinations: Option<Vec<DefinitionDestination>>,
}

/// A link between a definition and a destination.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct DefinitionDestination {
    /// The link's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<String>,

    /// The linked definition.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub action_definition_id: Option<String>,

    /// The linked destination.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub destination_id: Option<String>,

    /// The organization the link belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub org_id: Option<String>,

    /// Whether this is the definition's default destination.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub is_default: Option<bool>,

    /// The destination.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub destination: Option<Destination>,
}

/// Where action records are delivered.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Destination {
    /// The destination's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<String>,

    /// The organization the destination belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub org_id: Option<String>,

    /// When the destination last changed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub updated_at: Option<Timestamp>,

    /// The destination's label.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub label: Option<String>,

    /// The destination's type (the page's example: `webhook`).
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub destination_type: Option<String>,

    /// How to reach the destination.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub config: Option<DestinationConfig>,

    /// When the destination was deleted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub deleted_at: Option<Timestamp>,

    /// Free-form tags.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::string_map())")
    )]
    pub tags: Option<BTreeMap<String, String>>,

    /// The credential used to reach the destination.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub credential_id: Option<String>,
}

/// How to reach a destination.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct DestinationConfig {
    /// The URL records are delivered to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub url: Option<String>,

    /// Headers sent with each delivery.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::string_map())")
    )]
    pub headers: Option<BTreeMap<String, String>>,

    /// How the destination signals progress.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub signaling: Option<Signaling>,

    /// The response time the destination promises, in milliseconds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub response_time_sla_ms: Option<i64>,
}

/// How a destination signals progress.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Signaling {
    /// Whether signaling is on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub enabled: Option<bool>,

    /// The default signal (the page's example: `ack`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub default: Option<String>,
}

/// Something that happened to a record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct RecordEvent {
    /// The event's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<String>,

    /// The record the event belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub action_record_id: Option<String>,

    /// The organization the event belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub org_id: Option<String>,

    /// What kind of event this is.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub kind: Option<String>,

    /// The record's status after the event.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub status: Option<String>,

    /// The attempt the event belongs to; the vendor counts from 0.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(0i64..100)")
    )]
    pub attempt: Option<i64>,

    /// When the record became available to run.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub available_at: Option<Timestamp>,

    /// When the attempt times out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub timeout_at: Option<Timestamp>,

    /// What happened, in words.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub message: Option<String>,

    /// Event data: any JSON (the page types it as unknown).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(crate::strategy::json_value())")
    )]
    pub data: Option<serde_json::Value>,
}

/// An error the API reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ApiError {
    /// A machine-readable error code.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub code: Option<String>,

    /// What went wrong, in words.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub message: Option<String>,
}

wire_enum! {
    /// How the `search` query parameter compares `field` with `value`.
    pub enum SearchOp {
        Eq = "eq",
    }
}

/// The `arklow.action-records` contract.
pub const CONTRACT: Contract = Contract {
    id: "arklow.action-records",
    vendor: "Arklow",
    title: "List action records",
    resource: "page of action records",
    description: "List the action records of an organization.",
    page: "002_4f27f2312d67776c.txt",
    method: Method::Get,
    server: "https://api.arklow.io",
    path_template: "/v1/orgs/{org_id}/actions/records",
    path_params: &[Param {
        pattern: Some("^[0-9]+$"),
        ..Param::required("org_id", ParamType::String, "The organization's ID.")
    }],
    query_params: &[
        Param {
            minimum: Some(1),
            maximum: Some(50),
            ..Param::new("take", ParamType::Integer, "How many records to return.")
        },
        Param {
            minimum: Some(0),
            ..Param::new("skip", ParamType::Integer, "How many records to skip.")
        },
        Param::new("search[field]", ParamType::String, "The field to search."),
        Param::new(
            "search[value]",
            ParamType::String,
            "The value to search for.",
        ),
        Param {
            values: SearchOp::DOCUMENTED,
            ..Param::new(
                "search[op]",
                ParamType::String,
                "How to compare the field with the value.",
            )
        },
        Param::new("count_only", ParamType::Boolean, "Return only the count."),
        Param::new(
            "action_definition_id",
            ParamType::String,
            "Only records of this definition.",
        ),
        Param::new(
            "variant",
            ParamType::String,
            "Only records of this variant.",
        ),
        Param::new(
            "version",
            ParamType::Integer,
            "Only records of this version.",
        ),
        Param::new(
            "include_definition",
            ParamType::Boolean,
            "Include each record's definition.",
        ),
        Param::new(
            "include_state",
            ParamType::Boolean,
            "Include each record's state.",
        ),
    ],
    auth: Auth::ApiKeyHeader {
        header: "x-arklow-auth",
    },
    success_status: 200,
    response_headers: &[],
    response: ResponseModel::of::<ActionRecords>("arklow::ActionRecords"),
    observed: OBSERVED,
    error_bodies: ERROR_BODIES,
};

/// Nothing observed beyond the page yet.
const OBSERVED: &[Observed] = &[];

/// Arklow's own page documents the envelope: an error is `data: null` with
/// a non-empty `errors` list.
const ERROR_BODIES: &[ErrorBody] = &[ErrorBody {
    name: "Arklow API error",
    markers: &[("/data", Marker::Null), ("/errors", Marker::NonEmptyArray)],
    status: None,
    message: "/errors/0/message",
    source: "Arklow API page 002_4f27f2312d67776c.txt (`errors: object[] | null`, `code`, `message`)",
}];
