//! The contract registry: the one list of contracts that the validator, xtask
//! and the tests iterate. A contract is an endpoint as its page documents it:
//! request shape, authentication, response headers and the response model.
//!
//! Adding a contract is one module under `contracts/` and one entry in
//! [`CONTRACTS`].

use schemars::{JsonSchema, Schema};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::contracts::{arklow, auth0, buddy, stackone, tines};

/// One documented endpoint.
#[derive(Debug)]
pub struct Contract {
    /// Stable id, `vendor.resource`; also the folder name under `fixtures/`
    /// and `schemas/`.
    pub id: &'static str,
    /// Who publishes the API.
    pub vendor: &'static str,
    /// The page's title for the operation.
    pub title: &'static str,
    /// What one response is, in words ("action execution", "page of action
    /// events"), for messages.
    pub resource: &'static str,
    /// The page's summary of the operation.
    pub description: &'static str,
    /// The seed page this contract encodes (`../shared/seeds/`).
    pub page: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The server the path template is relative to, with `{variables}`.
    pub server: &'static str,
    /// The path template, with `{parameter}` placeholders.
    pub path_template: &'static str,
    /// Path parameters, in the order they appear in the template.
    pub path_params: &'static [Param],
    /// Query parameters.
    pub query_params: &'static [Param],
    /// How the request authenticates.
    pub auth: Auth,
    /// The documented success status.
    pub success_status: u16,
    /// Documented response headers.
    pub response_headers: &'static [Header],
    /// The response body's model.
    pub response: ResponseModel,
    /// What the vendor is seen to send beyond the page, each with its source.
    /// Not in the schema: the schema is the page.
    pub observed: &'static [Observed],
    /// The vendor's error envelopes: bodies that are not the resource.
    pub error_bodies: &'static [ErrorBody],
}

/// A fact about the vendor's real traffic that its page does not document.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Observed {
    /// Where it applies: a JSON pointer in which `*` stands for any array
    /// index (`/results/*/binding_id`).
    pub pointer: &'static str,
    /// What is observed there.
    pub fact: Fact,
    /// Where it was seen: package@version and file, or a page and its date.
    pub source: &'static str,
}

/// What kind of observed fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Fact {
    /// A value of a documented enum that the page does not list.
    Value {
        /// The wire value.
        value: &'static str,
    },
    /// A JSON type the page does not give the member (e.g. a fraction where
    /// the page's example is an integer).
    Type {
        /// The JSON Schema type name.
        json_type: &'static str,
    },
    /// A member the page does not document.
    Member,
    /// A member spelled the way the page's field table spells it, where the
    /// API (and the page's own sample) uses another key.
    Misspelling {
        /// The key the API sends.
        real: &'static str,
    },
}

/// The shape of a vendor's error body: every `markers` test holds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ErrorBody {
    /// What the vendor calls it, for messages.
    pub name: &'static str,
    /// Tests on the document that together identify the envelope.
    pub markers: &'static [(&'static str, Marker)],
    /// Pointer of the HTTP status member, if the envelope has one.
    pub status: Option<&'static str>,
    /// Pointer of the human-readable message.
    pub message: &'static str,
    /// Where the shape is documented or seen.
    pub source: &'static str,
}

/// A test on one member of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Marker {
    /// The member exists (with any value but `null`).
    Present,
    /// The member exists and is `null`.
    Null,
    /// The member is a non-empty array.
    NonEmptyArray,
}

impl Observed {
    /// Whether this fact's pointer pattern matches a concrete pointer.
    ///
    /// ```
    /// use actionlog_models::registry::{Fact, Observed};
    /// let fact = Observed { pointer: "/results/*/binding_id", fact: Fact::Member, source: "" };
    /// assert!(fact.matches("/results/12/binding_id"));
    /// assert!(!fact.matches("/results/x/binding_id"));
    /// assert!(!fact.matches("/results/1/binding_id/0"));
    /// ```
    pub fn matches(&self, pointer: &str) -> bool {
        pattern_matches(self.pointer, pointer)
    }
}

/// Whether `pointer` matches `pattern`, where a `*` token in the pattern
/// stands for any array index.
pub fn pattern_matches(pattern: &str, pointer: &str) -> bool {
    let mut pattern_tokens = pattern.split('/');
    let mut tokens = pointer.split('/');
    loop {
        match (pattern_tokens.next(), tokens.next()) {
            (None, None) => return true,
            (Some("*"), Some(token))
                if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) => {}
            (Some(expected), Some(token)) if expected == token => {}
            _ => return false,
        }
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
}

impl Method {
    /// The method as it is written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
        }
    }
}

/// A documented request parameter (path or query).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Param {
    /// The name on the wire; nested query objects use `outer[inner]`.
    pub name: &'static str,
    /// Whether the page marks it required (path parameters always are).
    pub required: bool,
    /// The documented type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// The page's description.
    pub description: &'static str,
    /// The documented default, as written on the wire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<&'static str>,
    /// Inclusive lower bound for integers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// Inclusive upper bound for integers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// A regular expression the value must match, anchored as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<&'static str>,
    /// The allowed values, when the page lists them.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub values: &'static [&'static str],
}

impl Param {
    /// A parameter with only a name, type and description; the struct update
    /// syntax fills in the rest: `Param { minimum: Some(1), ..Param::new(…) }`.
    pub const fn new(name: &'static str, ty: ParamType, description: &'static str) -> Param {
        Param {
            name,
            required: false,
            ty,
            description,
            default: None,
            minimum: None,
            maximum: None,
            pattern: None,
            values: &[],
        }
    }

    /// A required parameter (every path parameter).
    pub const fn required(name: &'static str, ty: ParamType, description: &'static str) -> Param {
        Param {
            required: true,
            ..Param::new(name, ty, description)
        }
    }
}

/// The type of a request parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Any string.
    String,
    /// A base-10 integer.
    Integer,
    /// `true` or `false`.
    Boolean,
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "scheme", rename_all = "lowercase")]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// An API key in a request header.
    ApiKeyHeader {
        /// The header's name.
        header: &'static str,
    },
}

/// A documented response header.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Header {
    /// The header's name, as the page spells it.
    pub name: &'static str,
    /// The type of its value.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// What the page says of it.
    pub description: &'static str,
}

/// The response body's Rust model, as functions over it, so the registry can
/// hold contracts of different types in one list.
#[derive(Debug, Clone, Copy)]
pub struct ResponseModel {
    /// The model's Rust type name.
    pub type_name: &'static str,
    /// Generates the JSON Schema (draft 2020-12) of the model.
    pub schema: fn() -> Schema,
    /// Reads a document into the model and writes it back, for round trips.
    pub round_trip: fn(&str) -> Result<String, serde_json::Error>,
    /// A document drawn from the model's proptest strategy (feature
    /// `proptest`), for generated example fixtures.
    #[cfg(feature = "proptest")]
    pub generate: fn(&mut proptest::test_runner::TestRunner) -> String,
}

impl ResponseModel {
    /// The functions for model `T`.
    #[cfg(not(feature = "proptest"))]
    pub const fn of<T: JsonSchema + Serialize + DeserializeOwned>(type_name: &'static str) -> Self {
        ResponseModel {
            type_name,
            schema: crate::schema::generate::<T>,
            round_trip: |text| serde_json::to_string(&serde_json::from_str::<T>(text)?),
        }
    }

    /// The functions for model `T`.
    #[cfg(feature = "proptest")]
    pub const fn of<T>(type_name: &'static str) -> Self
    where
        T: JsonSchema + Serialize + DeserializeOwned + proptest::arbitrary::Arbitrary,
    {
        ResponseModel {
            type_name,
            schema: crate::schema::generate::<T>,
            round_trip: |text| serde_json::to_string(&serde_json::from_str::<T>(text)?),
            generate: |runner| {
                use proptest::strategy::{Strategy, ValueTree};
                let value = proptest::arbitrary::any::<T>()
                    .new_tree(runner)
                    .map(|tree| tree.current());
                match value {
                    Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_default(),
                    Err(reason) => format!("{{\"error\": {reason:?}}}"),
                }
            },
        }
    }
}

/// Every contract, in a stable order (by id).
pub static CONTRACTS: &[Contract] = &[
    arklow::CONTRACT,
    auth0::CONTRACT,
    buddy::CONTRACT,
    stackone::CONTRACT,
    tines::CONTRACT,
];

/// The contract with this id.
///
/// ```
/// let contract = actionlog_models::registry::find("tines.action-events").unwrap();
/// assert_eq!(contract.path_template, "/api/v1/actions/{action_id}/events");
/// ```
pub fn find(id: &str) -> Option<&'static Contract> {
    CONTRACTS.iter().find(|contract| contract.id == id)
}

/// The ids of every contract, for messages that list the choices.
pub fn ids() -> impl Iterator<Item = &'static str> {
    CONTRACTS.iter().map(|contract| contract.id)
}
