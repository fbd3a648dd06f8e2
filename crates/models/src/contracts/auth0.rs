//! Auth0 Management API v2: `GET /api/v2/actions/executions/{id}`
//! (`auth0.execution`, page `000_2d60447b2216d518.txt`).
//!
//! The page marks no response member as required and none as nullable, so
//! every member is optional and, when present, non-null. Defaults the page
//! gives (`id`, `status`, `created_at`, `updated_at`) are schema annotations,
//! not serde defaults: an absent member must stay absent on a round trip.

use crate::field::{forbid_null, non_null};
use crate::registry::{
    Auth, Contract, ErrorBody, Fact, Marker, Method, Observed, Param, ParamType, ResponseModel,
};
use crate::{Timestamp, wire_enum};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The result of a specific execution of a trigger.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[schemars(title = "Auth0 action execution")]
pub struct Execution {
    /// ID identifies this specific execution simulation. These IDs would
    /// resemble real executions in production.
    ///
    /// The page's default looks like a UUID, but the page types the member as
    /// a plain string and real ids are 32-character tokens, so no `uuid`
    /// format is asserted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null, extend("default" = "c5b35bb1-c67d-40bb-9b0d-700b6fe33dd9"))]
    pub id: Option<String>,

    /// An actions extensibility point.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub trigger_id: Option<TriggerId>,

    /// The overall status of an execution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null, extend("default" = "final"))]
    pub status: Option<ExecutionStatus>,

    /// The results of the actions that ran for this execution, one per action.
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
    pub results: Option<Vec<ExecutionResult>>,

    /// The time that the execution was started.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null, extend("default" = "2021-01-01T00:00:00.000Z"))]
    pub created_at: Option<Timestamp>,

    /// The time that the exeution finished executing.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null, extend("default" = "2021-01-01T00:00:00.000Z"))]
    pub updated_at: Option<Timestamp>,
}

impl Execution {
    /// `status`, or the page's default `final` when the member is absent.
    pub fn status_or_default(&self) -> ExecutionStatus {
        self.status.clone().unwrap_or(ExecutionStatus::Final)
    }
}

/// What one action did during an execution. The page shows this object only in
/// its example (`results` is typed `object[]`), so each member's type is the
/// example's and none is required.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ExecutionResult {
    /// The name of the action that produced this result.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub action_name: Option<String>,

    /// The error the action raised, if it failed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub error: Option<ExecutionError>,

    /// When the action started running.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub started_at: Option<Timestamp>,

    /// When the action finished running.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub ended_at: Option<Timestamp>,
}

/// An error raised by an action, as the page's example shows it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ExecutionError {
    /// The error's identifier.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub id: Option<String>,

    /// The error message.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub msg: Option<String>,

    /// A link with more about the error.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "non_null"
    )]
    #[schemars(transform = forbid_null)]
    pub url: Option<String>,
}

wire_enum! {
    /// An actions extensibility point.
    pub enum TriggerId {
        PostLogin = "post-login",
        CredentialsExchange = "credentials-exchange",
        PreUserRegistration = "pre-user-registration",
        PostUserRegistration = "post-user-registration",
        PostChangePassword = "post-change-password",
        SendPhoneMessage = "send-phone-message",
        CustomPhoneProvider = "custom-phone-provider",
        CustomEmailProvider = "custom-email-provider",
        PasswordResetPostChallenge = "password-reset-post-challenge",
        CustomTokenExchange = "custom-token-exchange",
        EventStream = "event-stream",
        PasswordHashMigration = "password-hash-migration",
        LoginPostIdentifier = "login-post-identifier",
        SignupPostIdentifier = "signup-post-identifier",
    }
}

wire_enum! {
    /// The overall status of an execution.
    pub enum ExecutionStatus {
        Unspecified = "unspecified",
        Pending = "pending",
        Final = "final",
        Partial = "partial",
        Canceled = "canceled",
        Suspended = "suspended",
    }
}

/// The `auth0.execution` contract.
pub const CONTRACT: Contract = Contract {
    id: "auth0.execution",
    vendor: "Auth0",
    title: "Get an action execution",
    resource: "action execution",
    description: "Retrieve information about a specific execution of a trigger. \
                  Relevant execution IDs will be included in tenant logs generated as part of \
                  that authentication flow.",
    page: "000_2d60447b2216d518.txt",
    method: Method::Get,
    server: "https://{tenantDomain}/api/v2",
    path_template: "/api/v2/actions/executions/{id}",
    path_params: &[Param::required(
        "id",
        ParamType::String,
        "The ID of the execution to retrieve.",
    )],
    query_params: &[],
    auth: Auth::Bearer,
    success_status: 200,
    response_headers: &[],
    response: ResponseModel::of::<Execution>("auth0::Execution"),
    observed: OBSERVED,
    error_bodies: ERROR_BODIES,
};

/// Where the Auth0 SDK facts come from (see `SOURCES.md`).
const AUTH0_SDKS: &str =
    "auth0 (npm) 7.1.0 and auth0-python, management types ActionTriggerTypeEnum";
const AUTH0_OLD_SPEC: &str = "an older generated Auth0 Management API spec (triggers enum)";
const AUTH0_RESULTS: &str = "auth0 (npm) 7.1.0, management types of an execution's results";

/// What Auth0 sends beyond the page. The SDKs treat `trigger_id` and
/// `status` as open enums, as [`TriggerId`] and [`ExecutionStatus`] do.
const OBSERVED: &[Observed] = &[
    Observed {
        pointer: "/trigger_id",
        fact: Fact::Value {
            value: "post-credential-validation",
        },
        source: AUTH0_SDKS,
    },
    Observed {
        pointer: "/trigger_id",
        fact: Fact::Value {
            value: "iga-approval",
        },
        source: AUTH0_OLD_SPEC,
    },
    Observed {
        pointer: "/trigger_id",
        fact: Fact::Value {
            value: "iga-certification",
        },
        source: AUTH0_OLD_SPEC,
    },
    Observed {
        pointer: "/trigger_id",
        fact: Fact::Value {
            value: "iga-fulfillment-assignment",
        },
        source: AUTH0_OLD_SPEC,
    },
    Observed {
        pointer: "/trigger_id",
        fact: Fact::Value {
            value: "iga-fulfillment-execution",
        },
        source: AUTH0_OLD_SPEC,
    },
    Observed {
        pointer: "/results/*/binding_id",
        fact: Fact::Member,
        source: AUTH0_RESULTS,
    },
    Observed {
        pointer: "/results/*/version_id",
        fact: Fact::Member,
        source: AUTH0_RESULTS,
    },
    Observed {
        pointer: "/results/*/response",
        fact: Fact::Member,
        source: AUTH0_RESULTS,
    },
];

/// Auth0's Management API error body: `{"statusCode", "error", "message",
/// "errorCode"}`.
const ERROR_BODIES: &[ErrorBody] = &[ErrorBody {
    name: "Auth0 Management API error",
    markers: &[
        ("/statusCode", Marker::Present),
        ("/error", Marker::Present),
        ("/message", Marker::Present),
    ],
    status: Some("/statusCode"),
    message: "/message",
    source: "Auth0 Management API v2 reference, error responses (https://auth0.com/docs/api/management/v2)",
}];
