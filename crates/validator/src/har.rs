//! Whole captured HTTP exchanges (HAR 1.2): each entry's request and
//! response against the contract whose method and path template match its
//! URL. The request side (path and query parameters, authentication), the
//! response side (status, content type, documented headers) and the body
//! (schema and semantic rules, with the request available to them) are
//! checked; credentials left in the capture are reported without printing
//! them.
//!
//! An entry is a document: its diagnostics' pointers are into the HAR for
//! request and response problems, into the body for body problems, whose
//! line and column are inside the body text.

use crate::diagnostic::Diagnostic;
use crate::policy::Policy;
use crate::rules::Rule;
use crate::semantic::Request;
use actionlog_models::registry::{Auth, Param, ParamType};
use actionlog_models::{CONTRACTS, Contract};
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

/// The parts of HAR 1.2 the checks read.
#[derive(Debug, Deserialize)]
struct Har {
    log: Log,
}

#[derive(Debug, Deserialize)]
struct Log {
    entries: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    request: HarRequest,
    response: Option<HarResponse>,
}

#[derive(Debug, Deserialize)]
struct HarRequest {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<NameValue>,
}

#[derive(Debug, Deserialize)]
struct HarResponse {
    status: i64,
    #[serde(default)]
    headers: Vec<NameValue>,
    content: Content,
}

#[derive(Debug, Deserialize)]
struct Content {
    #[serde(rename = "mimeType", default)]
    mime_type: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NameValue {
    name: String,
    value: String,
}

/// One entry, read and matched.
pub struct Exchange {
    /// 0-based index in `log.entries`.
    pub index: usize,
    /// The request method.
    pub method: String,
    /// The request URL, with credentials in it masked.
    pub url: String,
    /// The contract whose method and path template match, if any.
    pub contract: Option<&'static Contract>,
    /// Path and query parameters, decoded.
    pub request: Request,
    /// Request- and response-side findings (pointers into the HAR).
    pub diagnostics: Vec<Diagnostic>,
    /// The response body's text, decoded, when it is to be checked.
    pub body: Option<String>,
    /// Why the entry could not be read, if it could not.
    pub problem: Option<String>,
    /// The recorded response status, if there was a response.
    pub status: Option<i64>,
}

/// Reads a HAR document's entries. `Err` when the text is not a HAR.
pub fn exchanges(document: &Value, policy: &Policy) -> Result<Vec<Exchange>, String> {
    let har = Har::deserialize(document)
        .map_err(|error| format!("not a HAR 1.2 capture (expected log.entries[]): {error}"))?;
    Ok(har
        .log
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| exchange(index, entry, policy))
        .collect())
}

fn exchange(index: usize, raw: &Value, policy: &Policy) -> Exchange {
    let at = format!("/log/entries/{index}");
    let mut exchange = Exchange {
        index,
        method: raw
            .pointer("/request/method")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned(),
        url: raw
            .pointer("/request/url")
            .and_then(Value::as_str)
            .map_or_else(|| "?".to_owned(), mask_url),
        contract: None,
        request: Request::default(),
        diagnostics: Vec::new(),
        body: None,
        problem: None,
        status: None,
    };
    let entry = match Entry::deserialize(raw) {
        Ok(entry) => entry,
        Err(error) => {
            exchange.problem = Some(format!("entry {index} is not a HAR entry: {error}"));
            return exchange;
        }
    };
    let mut findings = Findings {
        policy,
        out: &mut exchange.diagnostics,
    };
    secrets(&entry, raw, &at, &mut findings);

    let Ok(url) = url::Url::parse(&entry.request.url) else {
        exchange.problem = Some(format!(
            "entry {index} has a request URL that does not parse"
        ));
        return exchange;
    };
    let Some((contract, path)) = match_contract(&entry.request.method, &url) else {
        return exchange;
    };
    exchange.contract = Some(contract);
    exchange.request = Request {
        path: path.into_iter().collect(),
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    };
    check_path(contract, &exchange.request, &at, &mut findings);
    check_query(contract, &exchange.request, &at, &mut findings);
    check_auth(contract, &entry.request.headers, &at, &mut findings);

    let Some(response) = entry.response else {
        exchange.problem = Some(format!("entry {index} has no response"));
        return exchange;
    };
    exchange.status = Some(response.status);
    let status_ok = check_response(contract, &response, &at, &mut findings);
    if !status_ok {
        return exchange;
    }
    match body_text(&response.content) {
        Ok(Some(text)) => exchange.body = Some(text),
        Ok(None) => findings.push(
            Rule::ResponseContentType,
            format!("{at}/response/content"),
            "the response has no body text (content.text is missing)".to_owned(),
            "the recorded JSON body".to_owned(),
            "no content.text".to_owned(),
        ),
        Err(reason) => findings.push(
            Rule::ResponseContentType,
            format!("{at}/response/content/text"),
            reason,
            "a body that decodes".to_owned(),
            "content.encoding base64 with text that is not base64".to_owned(),
        ),
    }
    exchange
}

struct Findings<'a> {
    policy: &'a Policy,
    out: &'a mut Vec<Diagnostic>,
}

impl Findings<'_> {
    fn push(
        &mut self,
        rule: Rule,
        pointer: String,
        message: String,
        expected: String,
        found: String,
    ) {
        if let Some(severity) = self.policy.severity(rule) {
            self.out.push(Diagnostic {
                rule,
                severity,
                instance_path: pointer,
                position: None,
                message,
                expected,
                found,
            });
        }
    }
}

/// The contract whose method matches and whose path template matches the
/// end of the URL's path (hosts and prefix paths differ between tenants and
/// proxies), with the path parameters it binds.
fn match_contract(
    method: &str,
    url: &url::Url,
) -> Option<(&'static Contract, Vec<(String, String)>)> {
    let segments: Vec<String> = url
        .path_segments()?
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    CONTRACTS.iter().find_map(|contract| {
        if !contract.method.as_str().eq_ignore_ascii_case(method) {
            return None;
        }
        let template: Vec<&str> = contract
            .path_template
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let tail = segments.get(segments.len().checked_sub(template.len())?..)?;
        let mut bound = Vec::new();
        for (pattern, segment) in template.iter().zip(tail) {
            match pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => bound.push((name.to_owned(), segment.clone())),
                None if pattern == segment => {}
                None => return None,
            }
        }
        Some((contract, bound))
    })
}

fn check_path(contract: &Contract, request: &Request, at: &str, findings: &mut Findings<'_>) {
    for param in contract.path_params {
        let Some(value) = request.path.get(param.name) else {
            continue;
        };
        if let Some(problem) = param_problem(param, value) {
            findings.push(
                Rule::RequestPathParam,
                format!("{at}/request/url"),
                format!("path parameter `{}` {problem}", param.name),
                describe(param),
                format!("{value:?}"),
            );
        }
    }
}

fn check_query(contract: &Contract, request: &Request, at: &str, findings: &mut Findings<'_>) {
    for (name, value) in &request.query {
        let pointer = format!("{at}/request/queryString");
        match contract
            .query_params
            .iter()
            .find(|param| param.name == name)
        {
            Some(param) => {
                if let Some(problem) = param_problem(param, value) {
                    findings.push(
                        Rule::RequestQueryParam,
                        pointer,
                        format!("query parameter `{name}` {problem}"),
                        describe(param),
                        if crate::secret::is_secret_name(name) {
                            "(redacted)".to_owned()
                        } else {
                            format!("{value:?}")
                        },
                    );
                }
            }
            None => findings.push(
                Rule::DriftUnknownQueryParam,
                pointer,
                format!(
                    "query parameter `{name}` is not documented for {}",
                    contract.id
                ),
                format!(
                    "one of {}",
                    if contract.query_params.is_empty() {
                        "no query parameters".to_owned()
                    } else {
                        contract
                            .query_params
                            .iter()
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                "(value not shown)".to_owned(),
            ),
        }
    }
}

/// What is wrong with a parameter value, if anything.
fn param_problem(param: &Param, value: &str) -> Option<String> {
    match param.ty {
        ParamType::Integer => match value.parse::<i64>() {
            Err(_) => return Some("is not an integer".to_owned()),
            Ok(number) => {
                if param.minimum.is_some_and(|minimum| number < minimum)
                    || param.maximum.is_some_and(|maximum| number > maximum)
                {
                    return Some(format!("is {number}, outside the documented range"));
                }
            }
        },
        ParamType::Boolean if !matches!(value, "true" | "false") => {
            return Some("is not `true` or `false`".to_owned());
        }
        ParamType::Boolean | ParamType::String => {}
    }
    if !param.values.is_empty() && !param.values.contains(&value) {
        return Some("is not a documented value".to_owned());
    }
    if let Some(pattern) = param.pattern
        && !matches_simple_pattern(pattern, value)
    {
        return Some(format!("does not match {pattern}"));
    }
    None
}

/// The registry's patterns are anchored character classes such as
/// `^[0-9]+$`; this checks exactly that form and treats anything else as
/// matching (a wrong guess must not fail a healthy capture).
fn matches_simple_pattern(pattern: &str, value: &str) -> bool {
    match pattern {
        "^[0-9]+$" => !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    }
}

fn describe(param: &Param) -> String {
    let mut parts = vec![format!("{:?}", param.ty).to_lowercase()];
    match (param.minimum, param.maximum) {
        (Some(minimum), Some(maximum)) => parts.push(format!("{minimum} <= x <= {maximum}")),
        (Some(minimum), None) => parts.push(format!("x >= {minimum}")),
        (None, Some(maximum)) => parts.push(format!("x <= {maximum}")),
        (None, None) => {}
    }
    if let Some(pattern) = param.pattern {
        parts.push(format!("matching {pattern}"));
    }
    if !param.values.is_empty() {
        parts.push(format!("one of {}", param.values.join(", ")));
    }
    format!("{} — {}", parts.join(", "), param.description)
}

fn check_auth(contract: &Contract, headers: &[NameValue], at: &str, findings: &mut Findings<'_>) {
    let header = |name: &str| {
        headers
            .iter()
            .find(|header| header.name.eq_ignore_ascii_case(name))
    };
    let (wanted, ok) = match contract.auth {
        Auth::Bearer => (
            "an `Authorization: Bearer …` header",
            header("authorization").is_some_and(|h| scheme_is(&h.value, "bearer")),
        ),
        Auth::Basic => (
            "an `Authorization: Basic …` header",
            header("authorization").is_some_and(|h| scheme_is(&h.value, "basic")),
        ),
        Auth::ApiKeyHeader { header: name } => (
            "the API key header",
            header(name).is_some_and(|h| !h.value.trim().is_empty()),
        ),
    };
    if !ok {
        let found = match contract.auth {
            Auth::ApiKeyHeader { header: name } if header(name).is_none() => {
                format!("no `{name}` header")
            }
            Auth::ApiKeyHeader { .. } => "an empty key".to_owned(),
            _ => match header("authorization") {
                Some(h) => format!(
                    "an Authorization header with scheme `{}`",
                    h.value.split_whitespace().next().unwrap_or("")
                ),
                None => "no Authorization header".to_owned(),
            },
        };
        let expected = match contract.auth {
            Auth::ApiKeyHeader { header: name } => format!("a `{name}` header"),
            _ => wanted.to_owned(),
        };
        findings.push(
            Rule::RequestAuth,
            format!("{at}/request/headers"),
            format!("the request lacks the documented authentication ({expected})"),
            expected,
            found,
        );
    }
}

fn scheme_is(value: &str, scheme: &str) -> bool {
    value
        .split_whitespace()
        .next()
        .is_some_and(|word| word.eq_ignore_ascii_case(scheme))
}

/// Checks status, content type and documented headers; `false` when the
/// body is not the resource (a status other than the documented one).
fn check_response(
    contract: &Contract,
    response: &HarResponse,
    at: &str,
    findings: &mut Findings<'_>,
) -> bool {
    if response.status != i64::from(contract.success_status) {
        let message = response
            .content
            .text
            .as_deref()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .and_then(|body| {
                contract.error_bodies.iter().find_map(|envelope| {
                    body.pointer(envelope.message)
                        .map(|m| crate::check::shorten(&m.to_string()))
                })
            })
            .map(|message| format!(", message {message}"))
            .unwrap_or_default();
        findings.push(
            Rule::ResponseStatus,
            format!("{at}/response/status"),
            format!(
                "status {}{message}: not the documented {} response",
                response.status, contract.success_status
            ),
            format!("status {}", contract.success_status),
            format!("status {}", response.status),
        );
        return false;
    }
    let mime = response.content.mime_type.as_deref().unwrap_or("");
    let essence = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        findings.push(
            Rule::ResponseContentType,
            format!("{at}/response/content/mimeType"),
            format!("the response is `{mime}`, not JSON"),
            "application/json".to_owned(),
            format!("{mime:?}"),
        );
        return false;
    }
    for documented in contract.response_headers {
        let value = response
            .headers
            .iter()
            .find(|header| header.name.eq_ignore_ascii_case(documented.name))
            .map(|header| header.value.trim());
        let problem = match (value, documented.ty) {
            (None, _) => Some(("missing".to_owned(), "no such header".to_owned())),
            (Some(value), ParamType::Integer) if value.parse::<i64>().is_err() => {
                Some(("not an integer".to_owned(), format!("{value:?}")))
            }
            _ => None,
        };
        if let Some((what, found)) = problem {
            findings.push(
                Rule::ResponseHeader,
                format!("{at}/response/headers"),
                format!("documented response header `{}` is {what}", documented.name),
                format!("{:?} — {}", documented.ty, documented.description).to_lowercase(),
                found,
            );
        }
    }
    true
}

fn body_text(content: &Content) -> Result<Option<String>, String> {
    let Some(text) = &content.text else {
        return Ok(None);
    };
    match content.encoding.as_deref() {
        Some("base64") => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|error| {
                    format!("the body is marked base64 but does not decode: {error}")
                })?;
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| "the base64 body does not decode to UTF-8 text".to_owned())
        }
        _ => Ok(Some(text.clone())),
    }
}

/// Query parameter names that carry credentials.
pub fn is_secret_query(name: &str) -> bool {
    crate::secret::is_secret_name(name)
        || matches!(
            name.to_ascii_lowercase().as_str(),
            "key" | "access_key" | "auth" | "sig" | "signature" | "client_secret"
        )
}

/// The value a redacted capture holds instead of a credential.
pub const REDACTED: &str = "REDACTED";

fn secrets(entry: &Entry, raw: &Value, at: &str, findings: &mut Findings<'_>) {
    let mut report = |pointer: String, what: String| {
        findings.push(
            Rule::SecuritySecretInCapture,
            pointer,
            format!("{what} holds a live credential; run `actionlog redact` before committing the capture"),
            format!("`{REDACTED}` in place of the credential"),
            "a credential (value not shown)".to_owned(),
        );
    };
    let live = |value: &str| {
        let value = value.trim();
        !value.is_empty() && !value.contains(REDACTED)
    };
    let no_headers = Vec::new();
    let response_headers = entry
        .response
        .as_ref()
        .map_or(&no_headers, |response| &response.headers);
    for (side, headers) in [
        ("request", &entry.request.headers),
        ("response", response_headers),
    ] {
        for (index, header) in headers.iter().enumerate() {
            if crate::secret::is_secret_name(&header.name) && live(&header.value) {
                report(
                    format!("{at}/{side}/headers/{index}/value"),
                    format!("header `{}`", header.name),
                );
            }
        }
    }
    if let Ok(url) = url::Url::parse(&entry.request.url) {
        let user = !url.username().is_empty() && url.username() != REDACTED;
        let password = url.password().is_some_and(|password| password != REDACTED);
        if user || password {
            report(
                format!("{at}/request/url"),
                "the URL's user information".to_owned(),
            );
        }
        for (name, value) in url.query_pairs() {
            if is_secret_query(&name) && live(&value) {
                report(
                    format!("{at}/request/url"),
                    format!("query parameter `{name}`"),
                );
            }
        }
    }
    for side in ["request", "response"] {
        let Some(Value::Array(cookies)) = raw.pointer(&format!("/{side}/cookies")) else {
            continue;
        };
        let live_cookie = cookies.iter().any(|cookie| {
            cookie
                .get("value")
                .and_then(Value::as_str)
                .is_some_and(live)
        });
        if live_cookie {
            report(format!("{at}/{side}/cookies"), format!("a {side} cookie"));
        }
    }
}

/// A URL as reports show it: user information and secret query values
/// replaced.
pub fn mask_url(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return text.to_owned();
    };
    if !url.username().is_empty() {
        let _ = url.set_username(REDACTED);
    }
    if url.password().is_some() {
        let _ = url.set_password(Some(REDACTED));
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let value = if is_secret_query(&k) {
                REDACTED.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), value)
        })
        .collect();
    // Rewriting the query re-encodes it (`?a` becomes `?a=`): only when a
    // value is actually replaced.
    if url.query_pairs().any(|(name, _)| is_secret_query(&name)) {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}
