//! Checking one document against one contract: the fast path first
//! ([`crate::fast`]), then, for a document it does not pass, the full path:
//! schema, undocumented members and duplicate keys, with every finding placed
//! at its pointer, line and column.

use crate::coverage::Coverage;
use crate::diagnostic::Diagnostic;
use crate::json::{self, Parsed, SyntaxError};
use crate::kept::Kept;
use crate::policy::Policy;
use crate::position::SourceMap;
use crate::rules::Rule;
use crate::schema::{CompiledSchema, json_type, resolve_pointer};
use crate::secret;
use actionlog_models::Contract;
use actionlog_models::registry::Fact;
use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

/// The most diagnostics one document reports; the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 100;

/// What checking one document found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The first [`MAX_DIAGNOSTICS`] findings, in text order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many more there were.
    pub omitted: usize,
}

/// Checks one document's text. A document that is not JSON is an `Err`: the
/// run could not judge it. Positions are relative to `text`.
pub fn check(schema: &CompiledSchema, policy: &Policy, text: &str) -> Result<Outcome, SyntaxError> {
    check_text(schema, policy, text, None, None, true)
}

/// Checks one document's text against `schema`: the fast path first, which
/// never builds the whole `Value`, then, for a document it does not pass,
/// the full path. Counts the document into `coverage` when given (unless it
/// is an error body). `fast: false` takes the full path for every document.
pub fn check_text(
    schema: &CompiledSchema,
    policy: &Policy,
    text: &str,
    request: Option<&crate::semantic::Request>,
    coverage: Option<&mut Coverage>,
    fast: bool,
) -> Result<Outcome, SyntaxError> {
    if fast && let Some(kept) = fast_path(schema, policy, text, request, coverage.is_some()) {
        if let Some(coverage) = coverage {
            coverage.add(schema.contract, &schema.schema, &kept.to_value());
        }
        return Ok(Outcome::default());
    }
    let parsed = json::parse(text)?;
    let outcome = check_parsed(schema, policy, text, &parsed, request);
    count(coverage, schema, &parsed.value, &outcome);
    Ok(outcome)
}

/// Counts a document the full path judged into `coverage`, unless it is not
/// the resource at all (an error body would only inflate the absences).
pub fn count(
    coverage: Option<&mut Coverage>,
    schema: &CompiledSchema,
    document: &Value,
    outcome: &Outcome,
) {
    let not_the_resource = outcome
        .diagnostics
        .iter()
        .any(|d| matches!(d.rule, Rule::ResponseErrorBody | Rule::ResponseNotAResource));
    if let (Some(coverage), false) = (coverage, not_the_resource) {
        coverage.add(schema.contract, &schema.schema, document);
    }
}

/// The fast path's verdict: the value it kept when the full path would find
/// nothing in `text`, `None` when the full path must decide.
pub fn fast_path<'t>(
    schema: &CompiledSchema,
    policy: &Policy,
    text: &'t str,
    request: Option<&crate::semantic::Request>,
    shape: bool,
) -> Option<Kept<'t>> {
    let contract = schema.contract;
    let fast = schema.fast.get(contract, &schema.schema, shape)?;
    let kept = fast.judge(text, policy.severity(Rule::DriftUnknownField).is_some())?;
    if crate::response::error_body(contract, &kept).is_some() {
        return None;
    }
    let violations =
        crate::semantic::read(contract, crate::semantic::Document::Kept(&kept), request)?;
    // A rule turned off finds nothing the full path would report.
    let clean = violations
        .iter()
        .all(|violation| policy.severity(violation.rule).is_none());
    clean.then_some(kept)
}

/// [`check`] for a document already parsed from `text`, with the request it
/// answered when the capture recorded one (for the semantic rules).
pub fn check_parsed(
    schema: &CompiledSchema,
    policy: &Policy,
    text: &str,
    parsed: &Parsed,
    request: Option<&crate::semantic::Request>,
) -> Outcome {
    let instance = &parsed.value;
    if let Some(other) = crate::response::judge(schema.contract, &schema.schema, instance) {
        let Some(severity) = policy.severity(other.rule) else {
            return Outcome::default();
        };
        let diagnostics = vec![Diagnostic {
            rule: other.rule,
            severity,
            instance_path: String::new(),
            position: SourceMap::new(text).locate(""),
            message: other.message,
            expected: other.expected,
            found: secret::shown_value("", instance),
        }];
        return Outcome {
            diagnostics,
            omitted: 0,
        };
    }
    let mut findings = Vec::new();

    // A huge document can break a rule a million times: keep a bounded
    // number of findings in memory and only count the rest.
    let mut uncollected = 0;
    match schema.validator() {
        Ok(validator) => {
            let mut errors = validator.iter_errors(instance);
            for error in errors.by_ref().take(FINDINGS_KEPT) {
                best_match(&error, &mut findings);
            }
            uncollected = errors.count();
        }
        // A defect in the models (every contract's validator compiling is
        // a test): said at the root rather than passing the document.
        Err(error) => findings.push(Finding {
            rule: Rule::SchemaOther,
            pointer: String::new(),
            expected: "a schema that compiles".to_owned(),
            message: error.to_string(),
            missing_member: None,
        }),
    }
    if policy.severity(Rule::DriftUnknownField).is_some() {
        for pointer in schema.undocumented_members(instance) {
            findings.push(Finding::undocumented(instance, pointer));
        }
    }
    if !policy.documented_only {
        for finding in &mut findings {
            finding.apply_observed(schema.contract, instance);
        }
    }

    for violation in crate::semantic::check(schema.contract, instance, request) {
        findings.push(Finding {
            rule: violation.rule,
            pointer: violation.pointer,
            expected: violation.expected,
            message: violation.message,
            missing_member: None,
        });
    }

    if findings.is_empty() && !parsed.has_duplicate_keys {
        return Outcome::default();
    }
    let map = if parsed.has_duplicate_keys {
        SourceMap::new(text)
    } else {
        SourceMap::without_repeated_keys(text)
    };
    let mut diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .filter_map(|finding| finding.into_diagnostic(schema, policy, instance, &map))
        .collect();
    if let (Some(severity), true) = (
        policy.severity(Rule::JsonDuplicateKey),
        parsed.has_duplicate_keys,
    ) {
        for duplicate in &map.duplicates() {
            let key = duplicate.pointer.rsplit('/').next().unwrap_or_default();
            diagnostics.push(Diagnostic {
                rule: Rule::JsonDuplicateKey,
                severity,
                instance_path: duplicate.pointer.clone(),
                position: Some(map.position(
                    duplicate.key_range.0,
                    duplicate.key_range.1 - duplicate.key_range.0,
                )),
                message: format!("key `{key}` appears twice in the same object"),
                expected: "each key once per object".to_owned(),
                found: "a second occurrence; the schema was checked against this last value"
                    .to_owned(),
            });
        }
    }
    diagnostics.sort_by(in_text_order);
    diagnostics.dedup();
    if diagnostics.len() > MAX_DIAGNOSTICS {
        // Errors go first into the kept part, so a document's verdict never
        // depends on which findings were cut; then back to text order.
        uncollected += diagnostics.len() - MAX_DIAGNOSTICS;
        diagnostics.sort_by_key(|diagnostic| std::cmp::Reverse(diagnostic.severity));
        diagnostics.truncate(MAX_DIAGNOSTICS);
        diagnostics.sort_by(in_text_order);
    }
    Outcome {
        diagnostics,
        omitted: uncollected,
    }
}

/// Orders diagnostics by where they are in the text, then by pointer and rule.
fn in_text_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.position.map(|p| p.offset), &a.instance_path, a.rule).cmp(&(
        b.position.map(|p| p.offset),
        &b.instance_path,
        b.rule,
    ))
}

/// How many schema errors are turned into findings before the rest are only
/// counted: enough to fill [`MAX_DIAGNOSTICS`] after sorting by position.
const FINDINGS_KEPT: usize = 10 * MAX_DIAGNOSTICS;

/// A schema failure reduced to what a reader needs, before positions.
struct Finding {
    rule: Rule,
    pointer: String,
    /// What was expected, without the description (added with the schema).
    expected: String,
    message: String,
    /// For `required`: the missing member, whose description is wanted.
    missing_member: Option<String>,
}

impl Finding {
    fn undocumented(instance: &Value, pointer: String) -> Finding {
        let name = pointer.rsplit('/').next().unwrap_or_default().to_owned();
        let ty = resolve_pointer(instance, &pointer).map_or("value", json_type);
        Finding {
            rule: Rule::DriftUnknownField,
            message: format!("member `{name}` ({ty}) is not documented by the contract"),
            expected: "only the members the page documents".to_owned(),
            pointer,
            missing_member: None,
        }
    }

    /// Re-reads a finding in the light of what the vendor is observed to
    /// send: an observed enum value or type becomes `drift.observed-value`, an
    /// observed member keeps its rule but says it is known, with the source.
    fn apply_observed(&mut self, contract: &Contract, instance: &Value) {
        let value = resolve_pointer(instance, &self.pointer);
        let name = self
            .pointer
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let vendor = contract.vendor;
        for observed in contract
            .observed
            .iter()
            .filter(|observed| observed.matches(&self.pointer))
        {
            match (self.rule, observed.fact, value) {
                (Rule::SchemaEnum, Fact::Value { value: known }, Some(Value::String(found)))
                    if known == found =>
                {
                    self.rule = Rule::DriftObservedValue;
                    self.message = format!(
                        "`{found}` is not on the {vendor} page for `{name}`; {} lists it",
                        observed.source
                    );
                }
                (
                    Rule::SchemaType,
                    Fact::Type {
                        json_type: observed_type,
                    },
                    Some(found),
                ) if type_is(found, observed_type) => {
                    self.rule = Rule::DriftObservedValue;
                    self.message = format!(
                        "`{name}` is {} here, which the {vendor} page does not show; {} types it {observed_type}",
                        with_article(json_type(found)),
                        observed.source
                    );
                }
                (Rule::DriftUnknownField, Fact::Member, _) => {
                    self.message = format!(
                        "{}; known vendor behaviour: {}",
                        self.message, observed.source
                    );
                }
                (Rule::DriftUnknownField, Fact::Misspelling { real }, _) => {
                    self.message = format!(
                        "member `{name}` is the {vendor} page table's spelling; the API sends `{real}` ({})",
                        observed.source
                    );
                    self.expected = format!("`{real}`");
                }
                _ => {}
            }
        }
    }

    fn into_diagnostic(
        self,
        schema: &CompiledSchema,
        policy: &Policy,
        instance: &Value,
        map: &SourceMap<'_>,
    ) -> Option<Diagnostic> {
        let severity = policy.severity(self.rule)?;
        let description = match &self.missing_member {
            Some(member) => schema.member_description(instance, &self.pointer, member),
            None if self.rule == Rule::DriftUnknownField => None,
            None => schema.description(instance, &self.pointer),
        };
        let expected = match description {
            Some(description) => format!("{} — {}", self.expected, first_sentence(description)),
            None => self.expected,
        };
        let found = match (self.rule, resolve_pointer(instance, &self.pointer)) {
            (Rule::DriftUnknownField, Some(value)) => {
                format!("{} (value not shown)", with_article(json_type(value)))
            }
            (Rule::SchemaRequired, Some(_)) => format!(
                "an object without `{}`",
                self.missing_member.as_deref().unwrap_or_default()
            ),
            (_, Some(value)) => secret::shown_value(&self.pointer, value),
            (_, None) => "nothing".to_owned(),
        };
        Some(Diagnostic {
            rule: self.rule,
            severity,
            position: map.locate(&self.pointer),
            instance_path: self.pointer,
            message: self.message,
            expected,
            found,
        })
    }
}

/// Whether `value` is of JSON Schema type `name` (an integer is a number).
fn type_is(value: &Value, name: &str) -> bool {
    let actual = json_type(value);
    actual == name || (name == "number" && actual == "integer")
}

/// "an array", "a string".
pub fn with_article(type_name: &str) -> String {
    match type_name.as_bytes().first().map(u8::to_ascii_lowercase) {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

fn first_sentence(description: &str) -> String {
    let paragraph = description.split("\n\n").next().unwrap_or(description);
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reduces one jsonschema error to findings. An `anyOf`/`oneOf` failure is
/// replaced by the failures inside the branch the value was meant for: the
/// branches whose type the value has, and among those the one whose failures
/// go deepest. Only when the value fits no branch's type is the failure
/// reported at the parent, as a type error naming every allowed type.
fn best_match(error: &ValidationError<'_>, findings: &mut Vec<Finding>) {
    let pointer = error.instance_path().as_str().to_owned();
    let found_type = json_type(error.instance());
    let finding = |rule: Rule, expected: String, message: String| Finding {
        rule,
        pointer: pointer.clone(),
        expected,
        message,
        missing_member: None,
    };
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let fitting = context
                .iter()
                .filter(|branch| {
                    !branch.iter().any(|inner| {
                        matches!(inner.kind(), ValidationErrorKind::Type { .. })
                            && inner.instance_path().as_str() == pointer
                    })
                })
                .max_by_key(|branch| {
                    let depth = branch
                        .iter()
                        .map(|inner| inner.instance_path().as_str().matches('/').count())
                        .max()
                        .unwrap_or(0);
                    (depth, std::cmp::Reverse(branch.len()))
                });
            match fitting {
                Some(branch) => {
                    for inner in branch {
                        best_match(inner, findings);
                    }
                }
                None => {
                    let mut allowed: Vec<String> = Vec::new();
                    for inner in context.iter().flatten() {
                        if let ValidationErrorKind::Type { kind } = inner.kind() {
                            for ty in type_names(kind) {
                                if !allowed.contains(&ty) {
                                    allowed.push(ty);
                                }
                            }
                        }
                    }
                    let expected = join_or(&allowed);
                    findings.push(finding(
                        Rule::SchemaType,
                        expected.clone(),
                        format!("expected {expected}, found {found_type}"),
                    ));
                }
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = join_or(&type_names(kind));
            findings.push(finding(
                Rule::SchemaType,
                expected.clone(),
                format!("expected {expected}, found {found_type}"),
            ));
        }
        ValidationErrorKind::Enum { options } => {
            let values: Vec<String> = options
                .as_array()
                .map(|values| values.iter().map(|v| v.to_string()).collect())
                .unwrap_or_default();
            findings.push(finding(
                Rule::SchemaEnum,
                format!("one of {}", values.join(", ")),
                format!(
                    "{} is not a documented value",
                    shorten(&error.instance().to_string())
                ),
            ));
        }
        ValidationErrorKind::Format { format } => {
            let expected = match format.as_str() {
                "date-time" => "an RFC 3339 date-time such as 2021-01-01T00:00:00.000Z".to_owned(),
                other => format!("a string in format `{other}`"),
            };
            findings.push(finding(
                Rule::SchemaFormat,
                expected,
                format!(
                    "{} is not a valid {format}",
                    shorten(&error.instance().to_string())
                ),
            ));
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            findings.push(Finding {
                rule: Rule::SchemaRequired,
                pointer: pointer.clone(),
                expected: format!("required member `{name}`"),
                message: format!("required member `{name}` is missing"),
                missing_member: Some(name),
            });
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            findings.push(finding(
                Rule::SchemaRange,
                format!("at least {limit}"),
                format!(
                    "{} is below the documented minimum {limit}",
                    error.instance()
                ),
            ));
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            findings.push(finding(
                Rule::SchemaRange,
                format!("at most {limit}"),
                format!(
                    "{} is above the documented maximum {limit}",
                    error.instance()
                ),
            ));
        }
        other => {
            findings.push(finding(
                Rule::SchemaOther,
                format!("`{}` to hold", other.keyword()),
                error.to_string(),
            ));
        }
    }
}

fn type_names(kind: &TypeKind) -> Vec<String> {
    match kind {
        TypeKind::Single(ty) => vec![ty.to_string()],
        TypeKind::Multiple(types) => types.iter().map(|ty| ty.to_string()).collect(),
    }
}

fn join_or(names: &[String]) -> String {
    match names {
        [] => "another type".to_owned(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// At most 60 characters of a value's JSON, with an ellipsis.
pub fn shorten(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(LIMIT - 1).collect();
    short.push('…');
    short
}
