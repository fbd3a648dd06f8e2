//! StackOne API: `GET /logs/actions/{actionRunId}` (`stackone.action-log`,
//! page `004_5882bab0c821c502.txt`).
//!
//! The page marks `log_id`, `log_type` and `action_run_id` required and types
//! every other member `T | null` without marking it required: those are
//! [`Nullable`], so absent, `null` and a value are three states that survive a
//! round trip. `duration_ms`, `status_code` and `tier2_score` are `number`,
//! not `integer`, as the page types them.

use crate::registry::{
    Auth, Contract, ErrorBody, Fact, Marker, Method, Observed, Param, ParamType, ResponseModel,
};
use crate::{Nullable, Timestamp, wire_enum};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The action log was retrieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[schemars(title = "StackOne action log")]
pub struct ActionLog {
    /// The unique log identifier.
    #[schemars(example = &"adbf752f-6457-4ddd-89b3-98ae2252b83b")]
    pub log_id: String,

    /// The type of log.
    #[schemars(example = &"action")]
    pub log_type: LogType,

    /// The action run ID.
    #[schemars(example = &"adbf752f-6457-4ddd-89b3-98ae2252b83b")]
    pub action_run_id: String,

    /// The event ISO8601 date string.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"2021-01-01T00:00:00Z")]
    pub event_time: Nullable<Timestamp>,

    /// The request start time ISO8601 date string.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"2021-01-01T00:00:00Z")]
    pub start_time: Nullable<Timestamp>,

    /// The request end time ISO8601 date string.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"2021-01-01T00:00:00Z")]
    pub end_time: Nullable<Timestamp>,

    /// The duration in milliseconds.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = 356)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::nullable(crate::strategy::finite())")
    )]
    pub duration_ms: Nullable<f64>,

    /// The project ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"dev-project-68574")]
    pub project_id: Nullable<String>,

    /// The account ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"45355976281015164504")]
    pub account_id: Nullable<String>,

    /// The success flag.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = true)]
    pub success: Nullable<bool>,

    /// The HTTP status code.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = 200)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::nullable(crate::strategy::finite())")
    )]
    pub status_code: Nullable<f64>,

    /// The connector key.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"workday")]
    pub connector_key: Nullable<String>,

    /// The connector version.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"1.0.0")]
    pub connector_version: Nullable<String>,

    /// The connector owner.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"stackone")]
    pub connector_owner: Nullable<String>,

    /// The mode.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"production")]
    pub mode: Nullable<String>,

    /// The HTTP method.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"GET")]
    pub http_method: Nullable<String>,

    /// The request URL.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"https://api.stackone.com/unified/hris/employees")]
    pub url: Nullable<String>,

    /// The source type.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"DASHBOARD")]
    pub source_type: Nullable<String>,

    /// The source ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"1234567890")]
    pub source_id: Nullable<String>,

    /// The source value.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"ACCOUNT_TESTER")]
    pub source_value: Nullable<String>,

    /// The authentication type.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"API_KEY")]
    pub auth_type: Nullable<String>,

    /// The authentication ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"auth-123")]
    pub auth_id: Nullable<String>,

    /// The user agent.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"Mozilla/5.0")]
    pub user_agent: Nullable<String>,

    /// The IP address.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"192.168.1.1")]
    pub ip_address: Nullable<String>,

    /// The session ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"session-123")]
    pub session_id: Nullable<String>,

    /// The agent ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"agent-123")]
    pub agent_id: Nullable<String>,

    /// The transport type.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"HTTP")]
    pub transport_type: Nullable<String>,

    /// The stream type.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"HTTP")]
    pub stream_type: Nullable<String>,

    /// Whether this is a background request.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = false)]
    pub is_background: Nullable<bool>,

    /// The origin owner ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"owner-123")]
    pub origin_owner_id: Nullable<String>,

    /// The origin owner name.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"Test Owner")]
    pub origin_owner_name: Nullable<String>,

    /// The action ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"get_employees")]
    pub action_id: Nullable<String>,

    /// The connector profile ID.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"profile-123")]
    pub connector_profile_id: Nullable<String>,

    /// The action type.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"sync")]
    pub action_type: Nullable<String>,

    /// The category.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"hris")]
    pub category: Nullable<String>,

    /// The risk level from Defender.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = &"low")]
    pub risk_level: Nullable<String>,

    /// The tier 2 score from Defender.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    #[schemars(example = 0.5)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::nullable(crate::strategy::finite())")
    )]
    pub tier2_score: Nullable<f64>,
}

wire_enum! {
    /// The type of log.
    pub enum LogType {
        Action = "action",
    }
}

/// The `stackone.action-log` contract.
pub const CONTRACT: Contract = Contract {
    id: "stackone.action-log",
    vendor: "StackOne",
    title: "Get Action Log",
    resource: "action log",
    description: "Retrieve one action log by its action run ID.",
    page: "004_5882bab0c821c502.txt",
    method: Method::Get,
    server: "https://api.stackone.com",
    path_template: "/logs/actions/{actionRunId}",
    path_params: &[Param::required(
        "actionRunId",
        ParamType::String,
        "The action run ID.",
    )],
    query_params: &[],
    auth: Auth::Basic,
    success_status: 200,
    response_headers: &[],
    response: ResponseModel::of::<ActionLog>("stackone::ActionLog"),
    observed: OBSERVED,
    error_bodies: ERROR_BODIES,
};

const STACKONE_REFERENCE: &str = "StackOne API reference, current \"Get Action Log\" page";

/// What StackOne sends beyond the page: `risk_level` is typed as a plain
/// string and takes these four values (recorded for coverage; a string
/// member has no enum to break).
const OBSERVED: &[Observed] = &[
    Observed {
        pointer: "/risk_level",
        fact: Fact::Value { value: "low" },
        source: STACKONE_REFERENCE,
    },
    Observed {
        pointer: "/risk_level",
        fact: Fact::Value { value: "medium" },
        source: STACKONE_REFERENCE,
    },
    Observed {
        pointer: "/risk_level",
        fact: Fact::Value { value: "high" },
        source: STACKONE_REFERENCE,
    },
    Observed {
        pointer: "/risk_level",
        fact: Fact::Value { value: "critical" },
        source: STACKONE_REFERENCE,
    },
];

/// StackOne's error body: `{"statusCode", "message", "timestamp"}`.
const ERROR_BODIES: &[ErrorBody] = &[ErrorBody {
    name: "StackOne API error",
    markers: &[
        ("/statusCode", Marker::Present),
        ("/message", Marker::Present),
    ],
    status: Some("/statusCode"),
    message: "/message",
    source: "StackOne API reference, error responses (statusCode, message, timestamp)",
}];
