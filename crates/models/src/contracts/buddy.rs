//! Buddy.works API: details and logs of one action in a pipeline execution
//! (`buddy.action-execution`, page `001_55a318d32fbc2dc5.txt`).
//!
//! The page documents the response by example only, so each member's type is
//! the example's, and none is marked required or nullable: every member is
//! optional and non-null. Its hint lists the eight statuses of
//! `last_execution_status`; the execution's own `status` takes the same
//! values, so both use [`ExecutionStatus`].

use crate::field::{forbid_null, non_null};
use crate::registry::{
    Auth, Contract, ErrorBody, Fact, Header, Marker, Method, Observed, Param, ParamType,
    ResponseModel,
};
use crate::{Timestamp, wire_enum};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Details and logs for a specific action in a pipeline execution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[schemars(title = "Buddy.works action execution")]
pub struct ActionExecution {
    /// API URL of this action execution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub url: Option<String>,

    /// Web URL of this action execution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub html_url: Option<String>,

    /// When the action started running.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub start_date: Option<Timestamp>,

    /// When the action finished running.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub finish_date: Option<Timestamp>,

    /// The status of this action execution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub status: Option<ExecutionStatus>,

    /// How far the action has run, in percent (the example shows `100`; the
    /// page gives no type beyond the example's integer).
    ///
    /// The schema says integer, as the page does; the model reads any number,
    /// because Buddy's current reference types `progress` as a number from 0
    /// to 100 (an observed fact, see `SOURCES.md`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(with = "i64")]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_percent()")
    )]
    pub progress: Option<f64>,

    /// The pipeline action that ran.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub action: Option<Action>,

    /// The action's log, one entry per line.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(64)")
    )]
    pub log: Option<Vec<String>>,

    /// ID of the user who approved the action.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub approver_id: Option<i64>,

    /// When the action was approved.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub approval_date: Option<Timestamp>,

    /// Variables passed to the action.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(6)")
    )]
    pub passed_variables: Option<Vec<KeyValue>>,

    /// Variables the action put out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(6)")
    )]
    pub outputted_variables: Option<Vec<KeyValue>>,
}

/// The pipeline action an execution ran.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Action {
    /// API URL of the action.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub url: Option<String>,

    /// Web URL of the action's settings.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub html_url: Option<String>,

    /// The action's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<i64>,

    /// The action's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub name: Option<String>,

    /// The action's type (the example shows `WAIT_FOR_VARIABLES`; the page
    /// does not list the types).
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub action_type: Option<String>,

    /// When the action runs (the example shows `ON_EVERY_EXECUTION`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub trigger_time: Option<String>,

    /// The status of the action's last execution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub last_execution_status: Option<ExecutionStatus>,

    /// Whether the action is disabled.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub disabled: Option<bool>,

    /// Whether the pipeline goes on when the action fails.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub ignore_errors: Option<bool>,

    /// When the next action runs (the example shows `WAIT_ON_SUCCESS`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub run_next: Option<String>,

    /// The action's variables.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::strategy::optional_list(6)")
    )]
    pub variables: Option<Vec<Variable>>,
}

/// A variable defined on an action.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Variable {
    /// The variable's ID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<i64>,

    /// The variable's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub key: Option<String>,

    /// The variable's type (the example shows `VAR`).
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub variable_type: Option<String>,

    /// The variable's description.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub description: Option<String>,

    /// The variable's default value, as text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub defaults: Option<String>,
}

/// A variable's name and value as passed to or put out by an action.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct KeyValue {
    /// The variable's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub key: Option<String>,

    /// The variable's value, as text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub value: Option<String>,
}

wire_enum! {
    /// The status of an action execution; the page's hint lists these eight.
    pub enum ExecutionStatus {
        Successful = "SUCCESSFUL",
        Failed = "FAILED",
        InProgress = "INPROGRESS",
        Enqueued = "ENQUEUED",
        Skipped = "SKIPPED",
        Terminated = "TERMINATED",
        NotExecuted = "NOT_EXECUTED",
        Initial = "INITIAL",
    }
}

/// The `buddy.action-execution` contract.
pub const CONTRACT: Contract = Contract {
    id: "buddy.action-execution",
    vendor: "Buddy.works",
    title: "Get details and logs by action_execution_id",
    resource: "action execution",
    description: "Returns details and logs for a specific action in the defined pipeline execution.",
    page: "001_55a318d32fbc2dc5.txt",
    method: Method::Get,
    server: "https://api.buddy.works",
    path_template: "/workspaces/{workspace}/projects/{project_name}/pipelines/{pipeline_id}/executions/{execution_id}/action_executions/{action_execution_id}",
    path_params: &[
        Param::required("workspace", ParamType::String, "The workspace's domain."),
        Param::required("project_name", ParamType::String, "The project's name."),
        Param::required("pipeline_id", ParamType::Integer, "The pipeline's ID."),
        Param::required(
            "execution_id",
            ParamType::String,
            "The pipeline execution's ID.",
        ),
        Param::required(
            "action_execution_id",
            ParamType::String,
            "The action execution's ID.",
        ),
    ],
    query_params: &[],
    auth: Auth::Bearer,
    success_status: 200,
    response_headers: &[
        Header {
            name: "X-Rate-Limit-Limit",
            ty: ParamType::Integer,
            description: "How many requests the rate limit allows.",
        },
        Header {
            name: "X-Rate-Limit-Remaining",
            ty: ParamType::Integer,
            description: "How many requests remain in the current window.",
        },
    ],
    response: ResponseModel::of::<ActionExecution>("buddy::ActionExecution"),
    observed: OBSERVED,
    error_bodies: ERROR_BODIES,
};

const BUDDY_REFERENCE: &str =
    "Buddy.works REST API reference, current \"Get pipeline action execution\" page";

/// What Buddy sends beyond the page: its current reference lists 13
/// execution statuses (the page's 8 and five more), four more members, and
/// `progress` as a number.
const OBSERVED: &[Observed] = &[
    Observed {
        pointer: "/status",
        fact: Fact::Value {
            value: "TERMINATING",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/status",
        fact: Fact::Value {
            value: "WAITING_FOR_APPLY",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/status",
        fact: Fact::Value {
            value: "WAITING_FOR_VARIABLES",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/status",
        fact: Fact::Value {
            value: "WAITING_FOR_SETTABLE_VARIABLES",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/status",
        fact: Fact::Value {
            value: "WAITING_FOR_VT_SESSION",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/action/last_execution_status",
        fact: Fact::Value {
            value: "TERMINATING",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/action/last_execution_status",
        fact: Fact::Value {
            value: "WAITING_FOR_APPLY",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/action/last_execution_status",
        fact: Fact::Value {
            value: "WAITING_FOR_VARIABLES",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/action/last_execution_status",
        fact: Fact::Value {
            value: "WAITING_FOR_SETTABLE_VARIABLES",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/action/last_execution_status",
        fact: Fact::Value {
            value: "WAITING_FOR_VT_SESSION",
        },
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/action_execution_id",
        fact: Fact::Member,
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/error_message",
        fact: Fact::Member,
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/terminator_id",
        fact: Fact::Member,
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/termination_date",
        fact: Fact::Member,
        source: BUDDY_REFERENCE,
    },
    Observed {
        pointer: "/progress",
        fact: Fact::Type {
            json_type: "number",
        },
        source: BUDDY_REFERENCE,
    },
];

/// Buddy's error body: `{"errors": [{"message": …}]}`.
const ERROR_BODIES: &[ErrorBody] = &[ErrorBody {
    name: "Buddy.works API error",
    markers: &[("/errors", Marker::NonEmptyArray)],
    status: None,
    message: "/errors/0/message",
    source: "Buddy.works REST API reference, error responses",
}];
