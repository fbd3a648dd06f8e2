//! The rule catalogue: every check the validator makes has a stable id, a
//! default severity, a one-line summary, and `actionlog explain` text with an
//! example. Rule ids appear in every report format and in `actionlog.toml`.

use crate::diagnostic::Severity;
use serde::{Serialize, Serializer};
use std::fmt;

/// A check the validator makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A value has the wrong JSON type (including `null` where the contract
    /// does not allow it).
    SchemaType,
    /// A string is not one of the documented values.
    SchemaEnum,
    /// A string does not have the documented format (`date-time`).
    SchemaFormat,
    /// A required member is missing.
    SchemaRequired,
    /// A number is outside the documented range.
    SchemaRange,
    /// Any other JSON Schema keyword failed.
    SchemaOther,
    /// A member the contract does not document.
    DriftUnknownField,
    /// A value or type the page does not list but the vendor is known to send.
    DriftObservedValue,
    /// The document is the vendor's error envelope, not the resource.
    ResponseErrorBody,
    /// The document shares no documented member with the resource.
    ResponseNotAResource,
    /// The same key twice in one object.
    JsonDuplicateKey,
    /// A time that should come later comes earlier (or a promised equality fails).
    TimeOrder,
    /// A duration disagrees with the start and end times.
    TimeDuration,
    /// A timestamp before 2000 or more than a day in the future.
    TimeSane,
    /// A status disagrees with the members that status implies.
    StatusCoherence,
    /// Pagination numbers that do not add up.
    PageCount,
    /// Page links that disagree with the page numbers.
    PageLinks,
    /// More items than a page may hold.
    PageSize,
    /// A child that names another parent, or members that disagree on an owner.
    IdentityParent,
    /// An id repeated within a list, or an event that lists itself as its own predecessor.
    IdentityUnique,
    /// A value outside the range its meaning allows.
    ValueRange,
    /// A path parameter that breaks its documented type or pattern.
    RequestPathParam,
    /// A query parameter that breaks its documented type, range or values.
    RequestQueryParam,
    /// The documented authentication is missing or uses another scheme.
    RequestAuth,
    /// A query parameter the page does not document.
    DriftUnknownQueryParam,
    /// A response status other than the documented one.
    ResponseStatus,
    /// A response that is not JSON, or whose body cannot be read.
    ResponseContentType,
    /// A documented response header missing or malformed.
    ResponseHeader,
    /// A live credential left in a capture.
    SecuritySecretInCapture,
    /// A HAR entry that matches no contract (only under `--require-match`).
    HarUnmatchedEntry,
}

/// Everything the CLI says about a rule.
pub struct RuleInfo {
    /// The stable id.
    pub id: &'static str,
    /// The severity before any policy applies.
    pub default_severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// `actionlog explain` text: what it checks, why, and an example.
    pub explain: &'static str,
}

impl Rule {
    /// Every rule, in the order `actionlog rules` lists them.
    pub const ALL: &'static [Rule] = &[
        Rule::SchemaType,
        Rule::SchemaEnum,
        Rule::SchemaFormat,
        Rule::SchemaRequired,
        Rule::SchemaRange,
        Rule::SchemaOther,
        Rule::DriftUnknownField,
        Rule::DriftObservedValue,
        Rule::ResponseErrorBody,
        Rule::ResponseNotAResource,
        Rule::JsonDuplicateKey,
        Rule::TimeOrder,
        Rule::TimeDuration,
        Rule::TimeSane,
        Rule::StatusCoherence,
        Rule::PageCount,
        Rule::PageLinks,
        Rule::PageSize,
        Rule::IdentityParent,
        Rule::IdentityUnique,
        Rule::ValueRange,
        Rule::RequestPathParam,
        Rule::RequestQueryParam,
        Rule::RequestAuth,
        Rule::DriftUnknownQueryParam,
        Rule::ResponseStatus,
        Rule::ResponseContentType,
        Rule::ResponseHeader,
        Rule::SecuritySecretInCapture,
        Rule::HarUnmatchedEntry,
    ];

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }

    /// The rule with this id, or a message that lists the rules there are.
    pub fn parse(id: &str) -> Result<Rule, String> {
        Rule::from_id(id).ok_or_else(|| {
            let ids: Vec<&str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
            format!("unknown rule `{id}`; the rules are {}", ids.join(", "))
        })
    }

    /// The stable id, e.g. `schema.type`.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The rule's catalogue entry.
    pub fn info(self) -> &'static RuleInfo {
        match self {
            Rule::SchemaType => &RuleInfo {
                id: "schema.type",
                default_severity: Severity::Error,
                summary: "a value has the wrong JSON type, or is null where the page does not allow null",
                explain: "The page gives each member a type (string, integer, number, boolean, object, \
array) and says whether it may be null. A value of another type breaks every client that \
deserializes the response.\n\nExample (Auth0): `\"results\": null` — the page types `results` as \
object[] and never as null; an absent `results` is fine, a null one is not.",
            },
            Rule::SchemaEnum => &RuleInfo {
                id: "schema.enum",
                default_severity: Severity::Error,
                summary: "a string is not one of the values the page lists",
                explain: "Where the page lists the available options of a member, any other value \
is reported, with the documented values.\n\nExample (Buddy): `\"status\": \"RUNNING\"` — the page's \
statuses are SUCCESSFUL, FAILED, INPROGRESS, ENQUEUED, SKIPPED, TERMINATED, NOT_EXECUTED and INITIAL.",
            },
            Rule::SchemaFormat => &RuleInfo {
                id: "schema.format",
                default_severity: Severity::Error,
                summary: "a string does not have its documented format (RFC 3339 date-time)",
                explain: "Timestamps the page types as `string<date-time>` (or shows as ISO 8601) must be \
RFC 3339 date-times: `YYYY-MM-DDThh:mm:ss`, optional fraction (0 to 9 digits are common), and `Z` or \
a `±hh:mm` offset. Formats are asserted by default, unlike most JSON Schema tools.\n\nExample \
(StackOne): `\"start_time\": \"2021-02-30T00:00:00Z\"` — there is no 30 February; \
`\"2021-01-01 00:00:00\"` lacks the `T` and the offset.",
            },
            Rule::SchemaRequired => &RuleInfo {
                id: "schema.required",
                default_severity: Severity::Error,
                summary: "a member the page marks required is missing",
                explain: "The diagnostic points at the object that lacks the member and names the \
member with its documented description.\n\nExample (StackOne): a log without `log_id`; \
(Arklow) a response without `errors` — `errors` is required even though it may be null.",
            },
            Rule::SchemaRange => &RuleInfo {
                id: "schema.range",
                default_severity: Severity::Error,
                summary: "a number is outside its documented range",
                explain: "Where the page gives a range (minimum, maximum), a value outside it is \
reported with the bound.\n\nExample (Arklow request): `take=80` — the page's range is 1 <= x <= 50.",
            },
            Rule::SchemaOther => &RuleInfo {
                id: "schema.other",
                default_severity: Severity::Error,
                summary: "another JSON Schema keyword of the contract failed",
                explain: "A keyword of the generated schema that has no rule of its own failed; the \
message names the keyword.",
            },
            Rule::DriftUnknownField => &RuleInfo {
                id: "drift.unknown-field",
                default_severity: Severity::Warning,
                summary: "a member the page does not document (the API grew, or a typo)",
                explain: "APIs add members before their pages catch up, so an undocumented member is \
a warning by default: the document passes and the maintainer sees the drift. `--strict` makes it an \
error, `--allow-unknown` silences it. Only the member's name and type are printed, never its \
value.\n\nExample (Tines): `\"previous_event_ids\"` on an event — the page's table spells it that \
way, but the sample response and the model use `previous_events_ids`.",
            },
            Rule::DriftObservedValue => &RuleInfo {
                id: "drift.observed-value",
                default_severity: Severity::Warning,
                summary: "a value the page does not list, but the vendor is known to send (with the source)",
                explain: "Each contract keeps exactly what its page documents, and separately what the vendor \
is observed to send beyond it (SDK enums, newer reference pages), each fact with its source; \
`actionlog contracts --observed` lists them. Such a value passes with this warning, so a new vendor \
value never turns a healthy capture red, and the maintainer still sees that the page is behind; \
`--strict` makes it an error. A value in neither layer stays a `schema.enum` error.\n\nExample \
(Auth0): `\"trigger_id\": \"post-credential-validation\"` — not on the page; the vendor's SDKs list it.",
            },
            Rule::ResponseErrorBody => &RuleInfo {
                id: "response.error-body",
                default_severity: Severity::Error,
                summary: "the document is the vendor's error envelope, not the resource",
                explain: "A captured 404 or 401 is not an execution with some members missing. When a \
document has the shape of the vendor's documented error body, it is reported once, quoting the \
status and message, instead of passing (all members optional) or drowning in schema errors.\n\n\
Example (Auth0): `{\"statusCode\": 404, \"error\": \"Not Found\", \"message\": \"The execution does \
not exist\"}`.",
            },
            Rule::ResponseNotAResource => &RuleInfo {
                id: "response.not-a-resource",
                default_severity: Severity::Error,
                summary: "the document shares no documented member with the resource",
                explain: "Where every member of a contract is optional, any JSON object would satisfy its \
schema. A document that has none of the documented members is almost certainly something else (an \
error body, a proxy page, another endpoint's response) and is reported as such.\n\nExample (Tines): \
`{\"error\": \"Not Found\"}` against `tines.action-events`.",
            },
            Rule::TimeOrder => &RuleInfo {
                id: "time.order",
                default_severity: Severity::Error,
                summary: "a time that must not come before another does (or a promised equality fails)",
                explain: "Auth0 `results[].started_at` <= `ended_at` and `created_at` <= `updated_at`; Buddy \
`start_date` <= `finish_date`; Arklow `state.started_at` <= `completed_at` and `available_at` <= \
`timeout_at`; StackOne `start_time` <= `end_time`; Tines `updated_at` equal to `created_at`, as its \
page promises. Instants are compared, whatever offset each is written in.\n\nExample (Buddy): \
`finish_date` 09:51:38.700Z with `start_date` 09:51:38.709Z.",
            },
            Rule::TimeDuration => &RuleInfo {
                id: "time.duration",
                default_severity: Severity::Error,
                summary: "a duration disagrees with its start and end times",
                explain: "StackOne `duration_ms` must equal `end_time - start_time` within a tolerance: the \
precision of the coarser timestamp (1000 ms for whole seconds, 1 ms for milliseconds) plus 1 ms. The \
page's own example (356 ms between two equal whole-second times) is within it.\n\nExample: \
`duration_ms` 5000 with `start_time` 10:00:00.000Z and `end_time` 10:00:01.000Z.",
            },
            Rule::TimeSane => &RuleInfo {
                id: "time.sane",
                default_severity: Severity::Warning,
                summary: "a timestamp before 2000 or more than a day in the future",
                explain: "Such a time is legal RFC 3339 but almost always a bug (a zero value, seconds read \
as milliseconds). A warning, since a test fixture may do it on purpose.\n\nExample: \
`\"created_at\": \"1970-01-01T00:00:00Z\"`.",
            },
            Rule::StatusCoherence => &RuleInfo {
                id: "status.coherence",
                default_severity: Severity::Error,
                summary: "a status disagrees with what it implies",
                explain: "A terminal status has its end time, a non-terminal one has none: Buddy \
SUCCESSFUL, FAILED and TERMINATED have `finish_date`, SUCCESSFUL has `progress` 100, ENQUEUED and \
INITIAL have no `finish_date`; an Auth0 `final` execution has `ended_at` on every result; StackOne \
`success` agrees with the class of `status_code` (true exactly for 1xx-3xx).\n\nExample (StackOne): \
`\"success\": true, \"status_code\": 500`.",
            },
            Rule::PageCount => &RuleInfo {
                id: "page.count",
                default_severity: Severity::Error,
                summary: "pagination numbers that do not add up",
                explain: "Tines `meta.pages` = ceil(`count` / `per_page`) (at least 1), and \
`next_page_number` is the current page + 1 when there is a next page.\n\nExample: `count` 45, \
`per_page` 20, `pages` 2.",
            },
            Rule::PageLinks => &RuleInfo {
                id: "page.links",
                default_severity: Severity::Error,
                summary: "page links that disagree with the page numbers",
                explain: "Tines `next_page` and `next_page_number` are null exactly on the last page, \
`previous_page` exactly on the first; the `page` and `per_page` in each link agree with the numbers \
in `meta`.\n\nExample: `next_page` null on page 1 of 3.",
            },
            Rule::PageSize => &RuleInfo {
                id: "page.size",
                default_severity: Severity::Error,
                summary: "more items than a page may hold",
                explain: "Tines `events` holds at most `meta.per_page`; Arklow `items` holds at most 50 \
(the most `take` allows), at most `count`, and, when the request is known, at most its `take`.",
            },
            Rule::IdentityParent => &RuleInfo {
                id: "identity.parent",
                default_severity: Severity::Error,
                summary: "a child names another parent, or members disagree on their owner",
                explain: "Arklow events' `action_record_id` equals their record's `id`, and every `org_id` \
in a record (state, definition, destinations, events) equals the record's. When the request is known: \
Tines events' `agent_id` equals the path's `action_id`, Arklow `org_id`s equal the path's `org_id`.",
            },
            Rule::IdentityUnique => &RuleInfo {
                id: "identity.unique",
                default_severity: Severity::Error,
                summary: "an id repeated within a list, or an event listed as its own predecessor",
                explain: "Ids are unique within a list (Tines events, Arklow items and events, Buddy \
variables), and a Tines event's `previous_events_ids` never contains its own `id`.",
            },
            Rule::ValueRange => &RuleInfo {
                id: "value.range",
                default_severity: Severity::Error,
                summary: "a value outside the range its meaning allows",
                explain: "Buddy `progress` is a percentage, 0 to 100; StackOne `status_code` is a real HTTP \
status, 100 to 599; durations (`duration_ms`), attempts (`attempt`) and counts are never negative.",
            },
            Rule::RequestPathParam => &RuleInfo {
                id: "request.path-param",
                default_severity: Severity::Error,
                summary: "a path parameter breaks its documented type or pattern (HAR)",
                explain: "In a HAR capture, the URL's path is matched against each contract's path \
template and the parameters it binds are checked: Arklow `org_id` matches ^[0-9]+$, Buddy \
`pipeline_id` and Tines `action_id` are integers.\n\nExample: `GET /v1/orgs/acme/actions/records`.",
            },
            Rule::RequestQueryParam => &RuleInfo {
                id: "request.query-param",
                default_severity: Severity::Error,
                summary: "a query parameter breaks its documented type, range or values (HAR)",
                explain: "Arklow `take` is an integer 1 <= x <= 50, `skip` >= 0, `search[op]` is `eq`, \
`count_only`, `include_definition`, `include_state` are `true`/`false`; Tines `since_id`, `until_id`, \
`per_page`, `page` are integers.\n\nExample: `?take=80`.",
            },
            Rule::RequestAuth => &RuleInfo {
                id: "request.auth",
                default_severity: Severity::Error,
                summary: "the documented authentication is missing or uses another scheme (HAR)",
                explain: "Auth0, Buddy and Tines use `Authorization: Bearer …`, StackOne `Authorization: \
Basic …`, Arklow the `x-arklow-auth` header. A redacted value still counts as present.\n\nExample: \
a StackOne request with `Authorization: Bearer …`.",
            },
            Rule::DriftUnknownQueryParam => &RuleInfo {
                id: "drift.unknown-query-param",
                default_severity: Severity::Warning,
                summary: "a query parameter the page does not document (HAR)",
                explain: "Like `drift.unknown-field`, for requests: the client sends a parameter the page \
does not list. Its value is never printed.\n\nExample: `?limit=10` on Arklow, whose page says `take`.",
            },
            Rule::ResponseStatus => &RuleInfo {
                id: "response.status",
                default_severity: Severity::Error,
                summary: "the recorded status is not the documented success status (HAR)",
                explain: "With a recorded exchange the status decides first: a 404 is reported as such, \
quoting the vendor's error message when the body is its error envelope, and its body is not judged \
as a resource.\n\nExample: an Auth0 execution request answered 404.",
            },
            Rule::ResponseContentType => &RuleInfo {
                id: "response.content-type",
                default_severity: Severity::Error,
                summary: "the response is not JSON, or its body cannot be read (HAR)",
                explain: "The documented responses are `application/json`. An HTML error page, a body \
missing from the capture, base64 that does not decode, or text that does not parse as JSON is \
reported here, with the reason.\n\nExample: `mimeType: text/html` from a proxy's error page.",
            },
            Rule::ResponseHeader => &RuleInfo {
                id: "response.header",
                default_severity: Severity::Error,
                summary: "a documented response header is missing or malformed (HAR)",
                explain: "Buddy documents `X-Rate-Limit-Limit` and `X-Rate-Limit-Remaining`, both \
integers.\n\nExample: `X-Rate-Limit-Remaining: many`.",
            },
            Rule::SecuritySecretInCapture => &RuleInfo {
                id: "security.secret-in-capture",
                default_severity: Severity::Error,
                summary: "a live credential is left in a capture (HAR)",
                explain: "`Authorization`, `Cookie`, `Set-Cookie` and `x-arklow-auth` headers, cookies, \
tokens or keys in query strings and user information in URLs must not be committed. The diagnostic \
says where, never what; `actionlog redact FILE` writes a copy with each value replaced by \
`REDACTED`, which validates clean.",
            },
            Rule::HarUnmatchedEntry => &RuleInfo {
                id: "har.unmatched-entry",
                default_severity: Severity::Error,
                summary: "a HAR entry matches no contract (under --require-match)",
                explain: "By default, entries whose method and path match no contract (static assets, \
other endpoints) are counted and listed as skipped. `--require-match` makes each one this error.",
            },
            Rule::JsonDuplicateKey => &RuleInfo {
                id: "json.duplicate-key",
                default_severity: Severity::Warning,
                summary: "the same key appears twice in one object",
                explain: "JSON parsers disagree on duplicate keys: serde_json and JavaScript keep the \
last, others the first or reject the document. The schema is checked against the last value (as \
serde_json reads it), and the duplicate is reported at its second occurrence.\n\nExample: \
`{\"status\": \"final\", \"status\": \"pending\"}`.",
            },
        }
    }

    /// The severity before any policy applies.
    pub fn default_severity(self) -> Severity {
        self.info().default_severity
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}
