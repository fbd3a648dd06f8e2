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
    ];

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
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
