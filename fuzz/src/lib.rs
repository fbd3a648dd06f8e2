//! What each fuzz target does with one input, and the properties it asserts.
//!
//! Every target under `fuzz_targets/` is one line that calls a function here,
//! so the same checks also run as an ordinary test over the saved crash
//! inputs (`tests/regressions.rs`), on any toolchain, without cargo-fuzz.
//!
//! Inputs are arbitrary bytes. The CLI refuses a file that is not UTF-8
//! before any of these functions sees it, so most targets return at once on
//! invalid UTF-8; `ndjson` reads it, as the CLI reads an NDJSON file's lines.
//!
//! A failed assertion here is a bug in the validator (or a property the
//! validator's documentation promises that does not hold), never in the
//! input: every property is written so that any input must satisfy it.

use actionlog_models::{CONTRACTS, Contract};
use actionlog_validator::har::Exchange;
use actionlog_validator::position::{SourceMap, push_segment};
use actionlog_validator::{CompiledSchema, Diagnostic, Policy, Rule, check, har, input, json};
use serde_json::Value;
use std::sync::OnceLock;

/// The fuzz targets, by name (each is `fuzz_targets/<name>.rs`).
pub const TARGETS: &[&str] = &["json", "ndjson", "har", "validate"];

/// Runs the named target's checks on one input. `None` for an unknown name.
pub fn run(target: &str, data: &[u8]) -> Option<()> {
    match target {
        "json" => json_reader(data),
        "ndjson" => ndjson_splitter(data),
        "har" => har_reader(data),
        "validate" => validate_every_contract(data),
        _ => return None,
    }
    Some(())
}

/// At most this many pointers of a document are located per input.
const POINTERS: usize = 64;

/// Target `json`: the positioned JSON reader.
///
/// [`json::parse`] never panics; on text it accepts, [`SourceMap`] locates
/// the root and every value (checked: the located text parses back to the
/// very value at that pointer, the last one of a repeated key), the line and column of
/// each position match its byte offset, missing members fall back to an
/// existing ancestor, and `duplicates()` is non-empty exactly when the parse
/// saw a repeated key.
pub fn json_reader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = json::parse(text) else {
        return;
    };
    check_source_map(text, &parsed);
}

/// Target `ndjson`: the NDJSON reader ([`input::Lines`], as a run reads a
/// file), then each document as in `json`.
///
/// Every piece is one whole non-blank line (without its `\r`), named by its
/// 1-based line number, in order; read a few bytes at a time, the batches
/// hold the same pieces and bad lines as read whole; a file that holds one
/// document ([`input::document`]) is the text itself (nothing, for blank
/// text). Bytes that are not UTF-8 are read too: they make bad lines.
pub fn ndjson_splitter(data: &[u8]) {
    let read = |batch: usize| {
        let mut lines = input::Lines::new(data, u64::MAX, batch);
        let (mut pieces, mut bad_lines) = (Vec::new(), Vec::new());
        while let Some(batch) = lines.next_batch(String::new()).expect("no limit, no error") {
            bad_lines.extend(batch.bad_lines.iter().map(|bad| bad.line));
            pieces.extend(
                batch
                    .documents()
                    .iter()
                    .map(|piece| (piece.line, piece.text.to_owned())),
            );
        }
        (pieces, bad_lines)
    };
    let (pieces, bad_lines) = read(input::BATCH);
    // A batch boundary anywhere, from the input's own length.
    let small = 1 + data.len() % 13;
    assert_eq!(
        read(small),
        (pieces.clone(), bad_lines.clone()),
        "batches of {small}"
    );

    let Ok(text) = std::str::from_utf8(data) else {
        assert!(
            !bad_lines.is_empty(),
            "bytes that are not UTF-8 and no bad line"
        );
        return;
    };
    assert!(bad_lines.is_empty());
    let whole = input::document(text);
    if text.trim().is_empty() {
        assert!(whole.is_none(), "a blank file has no document");
    } else {
        assert!(whole.is_some_and(|whole| whole.text == text && whole.line.is_none()));
    }

    let lines: Vec<&str> = text.split('\n').collect();
    let mut previous = 0;
    for (line, piece) in &pieces {
        let line = line.expect("an NDJSON piece has a line number");
        assert!(
            line > previous,
            "pieces out of order: line {line} after {previous}"
        );
        previous = line;
        let raw = lines[line - 1];
        assert_eq!(piece, raw.strip_suffix('\r').unwrap_or(raw));
        assert!(!piece.contains('\n'));
        assert!(
            !piece.trim().is_empty(),
            "blank line {line} taken as a document"
        );
    }
    let non_blank = lines.iter().filter(|line| !line.trim().is_empty()).count();
    assert_eq!(pieces.len(), non_blank, "a non-blank line was dropped");

    for (_, piece) in pieces {
        if let Ok(parsed) = json::parse(&piece) {
            check_source_map(&piece, &parsed);
        }
    }
}

/// Target `har`: the HAR reader and `actionlog redact`.
///
/// [`har::exchanges`] never panics on any JSON value; each matched body is
/// checked as the CLI checks it. [`actionlog_validator::redact::redact`]
/// fails exactly on text that is not JSON or not a HAR; what it writes is
/// JSON, redacting it again changes nothing (idempotence, promised by its
/// doc comment), it holds no credential the HAR check still reports
/// (`security.secret-in-capture`), and it differs from the input only in the
/// string values that held a credential (the README: "every other byte
/// kept"), as many as it counted.
pub fn har_reader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = json::parse(text);
    if let Ok(parsed) = &parsed {
        if let Ok(exchanges) = har::exchanges(&parsed.value, &Policy::default()) {
            for exchange in &exchanges {
                check_exchange_body(exchange);
            }
        }
    }

    let redacted = actionlog_validator::redact::redact(text);
    let Ok((output, count)) = redacted else {
        return;
    };
    assert!(parsed.is_ok(), "redact accepted text that is not JSON");
    if count == 0 {
        assert_eq!(output, text, "nothing was redacted, yet the text changed");
    }
    let reparsed = match json::parse(&output) {
        Ok(reparsed) => reparsed,
        Err(error) => panic!("redact wrote text that is not JSON: {error}\n{output}"),
    };
    match actionlog_validator::redact::redact(&output) {
        Ok((again, again_count)) => {
            assert_eq!(again, output, "redacting a redacted capture changed it");
            assert_eq!(again_count, 0, "redacting a redacted capture counted edits");
        }
        Err(error) => panic!("redact refused its own output: {error}"),
    }
    let original = match &parsed {
        Ok(original) => &original.value,
        Err(_) => unreachable!("checked above"),
    };
    let mut edited = Vec::new();
    changed_strings(original, &reparsed.value, &mut String::new(), &mut edited);
    assert_eq!(
        edited.len(),
        count,
        "edits counted {count}, strings changed {edited:?}"
    );
    for pointer in &edited {
        check_redacted(original, &reparsed.value, pointer);
    }
    if let Ok(exchanges) = har::exchanges(&reparsed.value, &Policy::default()) {
        for exchange in &exchanges {
            for diagnostic in &exchange.diagnostics {
                assert!(
                    diagnostic.rule != Rule::SecuritySecretInCapture,
                    "a credential survived redaction at {}: {}",
                    diagnostic.instance_path,
                    diagnostic.message
                );
            }
        }
    }
}

/// The pointers of the strings that differ between `before` and `after`,
/// which must otherwise be the same document (redaction only replaces string
/// literals).
fn changed_strings(before: &Value, after: &Value, pointer: &mut String, out: &mut Vec<String>) {
    let length = pointer.len();
    match (before, after) {
        (Value::String(old), Value::String(new)) => {
            if old != new {
                out.push(pointer.clone());
            }
        }
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() => {
            for (index, (old, new)) in old.iter().zip(new).enumerate() {
                pointer.push('/');
                pointer.push_str(&index.to_string());
                changed_strings(old, new, pointer, out);
                pointer.truncate(length);
            }
        }
        (Value::Object(old), Value::Object(new))
            if old.len() == new.len() && old.keys().all(|key| new.contains_key(key)) =>
        {
            for (key, old) in old {
                push_segment(pointer, key);
                changed_strings(old, &new[key], pointer, out);
                pointer.truncate(length);
            }
        }
        (old, new) if old == new => {}
        (old, new) => {
            panic!("redaction changed the document's shape at {pointer:?}: {old} became {new}")
        }
    }
}

/// An edit made by `redact` replaced a credential, as its documentation and
/// `security.secret-in-capture` define one, with `REDACTED`, and nothing
/// else.
fn check_redacted(before: &Value, after: &Value, pointer: &str) {
    let segments: Vec<&str> = pointer.split('/').collect();
    let old = before
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let new = after
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let holder = |up: usize| {
        let cut = segments[..segments.len() - up].join("/");
        before.pointer(&cut).cloned().unwrap_or(Value::Null)
    };
    match segments[..] {
        [
            "",
            "log",
            "entries",
            _,
            "request" | "response",
            "headers",
            _,
            "value",
        ] => {
            let name = holder(1)["name"].as_str().unwrap_or_default().to_owned();
            assert!(
                actionlog_validator::secret::is_secret_name(&name),
                "redact replaced the value of header {name:?}, not a credential: {old:?} -> {new:?}"
            );
            assert!(new.contains(har::REDACTED));
        }
        [
            "",
            "log",
            "entries",
            _,
            "request" | "response",
            "cookies",
            _,
            "value",
        ] => {
            assert_eq!(new, har::REDACTED);
        }
        [
            "",
            "log",
            "entries",
            _,
            "request",
            "queryString",
            _,
            "value",
        ] => {
            let name = holder(1)["name"].as_str().unwrap_or_default().to_owned();
            assert!(
                har::is_secret_query(&name),
                "redact replaced query parameter {name:?}, not a credential: {old:?} -> {new:?}"
            );
            assert_eq!(new, har::REDACTED);
        }
        ["", "log", "entries", _, "request", "url"] => {
            let credential = url::Url::parse(old).is_ok_and(|url| {
                !url.username().is_empty()
                    || url.password().is_some()
                    || url
                        .query_pairs()
                        .any(|(name, _)| har::is_secret_query(&name))
            });
            assert!(
                credential,
                "redact rewrote a URL that holds no credential: {old:?} -> {new:?}"
            );
        }
        _ => panic!("redact changed {pointer:?}, which holds no credential: {old:?} -> {new:?}"),
    }
}

/// Target `validate`: one input against every contract.
///
/// Judging is an `Err` exactly when the text is not JSON, and every
/// diagnostic's position is inside the text, on a character boundary, with a
/// line and column that match its offset; at most
/// [`check::MAX_DIAGNOSTICS`] are kept.
pub fn validate_every_contract(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let is_json = json::parse(text).is_ok();
    for schema in schemas() {
        // `actionlog_validator::validate(contract, text)` is exactly
        // `check::check` with a schema compiled on every call and the default
        // policy; the schema is compiled once here, as a run of the CLI does,
        // so the fuzzer spends its time on the input, not on compiling.
        match check::check(schema, &Policy::default(), text) {
            Ok(outcome) => {
                assert!(
                    is_json,
                    "{} judged text that is not JSON",
                    schema.contract.id
                );
                assert!(outcome.diagnostics.len() <= check::MAX_DIAGNOSTICS);
                check_diagnostics(text, &outcome.diagnostics);
            }
            Err(_) => assert!(!is_json, "{} refused JSON as not JSON", schema.contract.id),
        }
    }
}

/// Every contract's schema, compiled once per process.
fn schemas() -> &'static [CompiledSchema] {
    static SCHEMAS: OnceLock<Vec<CompiledSchema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        CONTRACTS
            .iter()
            .map(|contract| match CompiledSchema::compile(contract) {
                Ok(schema) => schema,
                Err(error) => panic!("{error}"),
            })
            .collect()
    })
}

fn schema_of(contract: &Contract) -> &'static CompiledSchema {
    schemas()
        .iter()
        .find(|schema| schema.contract.id == contract.id)
        .expect("every contract has a compiled schema")
}

/// A HAR entry's body, checked as `actionlog validate` checks it.
fn check_exchange_body(exchange: &Exchange) {
    let (Some(contract), Some(body)) = (exchange.contract, &exchange.body) else {
        return;
    };
    let Ok(parsed) = json::parse(body) else {
        return;
    };
    let trusted = !exchange
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.rule == Rule::RequestPathParam);
    let request = trusted.then_some(&exchange.request);
    let outcome = check::check_parsed(
        schema_of(contract),
        &Policy::default(),
        body,
        &parsed,
        request,
    );
    check_diagnostics(body, &outcome.diagnostics);
}

fn check_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        if let Some(position) = diagnostic.position {
            check_position(
                text,
                position,
                &format!("{} at {}", diagnostic.rule.id(), diagnostic.instance_path),
            );
        }
    }
}

/// The source-map properties of text that [`json::parse`] accepted.
fn check_source_map(text: &str, parsed: &json::Parsed) {
    let map = SourceMap::new(text);

    let root = map
        .locate("")
        .unwrap_or_else(|| panic!("no position for the root of accepted JSON {text:?}"));
    check_position(text, root, "the root");

    let mut pointers = Vec::new();
    collect_pointers(&parsed.value, &mut String::new(), &mut pointers);
    for pointer in &pointers {
        let position = map
            .locate(pointer)
            .unwrap_or_else(|| panic!("no position for {pointer:?} in {text:?}"));
        check_position(text, position, pointer);
        // The located text is that value and nothing else (of a repeated
        // key, the last occurrence: the value serde_json keeps).
        let found = &text[position.offset..position.offset + position.len];
        let wanted = parsed.value.pointer(pointer);
        match json::parse(found) {
            Ok(reparsed) => assert_eq!(
                Some(&reparsed.value),
                wanted,
                "{pointer:?} located at {found:?}"
            ),
            Err(error) => panic!("{pointer:?} located at {found:?}, not a value: {error}"),
        }
        // A member that is not there falls back to its parent's position.
        if pointer.len() < 256 {
            let missing = format!("{pointer}/\u{0}missing");
            assert!(map.locate(&missing).is_some());
        }
    }
    for odd in ["/", "//", "/~", "/~2", "/0", "/-", "/x/y/z"] {
        if let Some(position) = map.locate(odd) {
            check_position(text, position, odd);
        }
    }

    let duplicates = map.duplicates();
    assert_eq!(
        !duplicates.is_empty(),
        parsed.has_duplicate_keys,
        "the parse and the source map disagree on repeated keys in {text:?}"
    );
    for duplicate in duplicates {
        let (start, end) = duplicate.key_range;
        assert!(
            start <= end && end <= text.len(),
            "{duplicate:?} out of bounds"
        );
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        let position = map.position(start, end - start);
        check_position(text, position, &duplicate.pointer);
        // The range is the key's string literal, naming the pointer's last
        // segment.
        let literal = &text[start..end];
        let key = match serde_json::from_str::<String>(literal) {
            Ok(key) => key,
            Err(error) => panic!("duplicate key range {literal:?} is not a string: {error}"),
        };
        let mut expected = String::new();
        push_segment(&mut expected, &key);
        assert!(
            duplicate.pointer.ends_with(&expected),
            "duplicate {:?} at key {key:?}",
            duplicate.pointer
        );
    }
}

/// The first [`POINTERS`] pointers of a value, in document order.
fn collect_pointers(value: &Value, pointer: &mut String, out: &mut Vec<String>) {
    if out.len() >= POINTERS {
        return;
    }
    out.push(pointer.clone());
    let length = pointer.len();
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                push_segment(pointer, key);
                collect_pointers(member, pointer, out);
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&index.to_string());
                collect_pointers(item, pointer, out);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

/// A position is inside the text, on character boundaries, and its line and
/// column (1-based, the column in characters) agree with its byte offset.
fn check_position(text: &str, position: actionlog_validator::Position, what: &str) {
    let (offset, len) = (position.offset, position.len);
    assert!(
        offset <= text.len() && len <= text.len() - offset,
        "{what}: {offset}+{len} is past the end ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(offset) && text.is_char_boundary(offset + len),
        "{what}: {offset}+{len} splits a character"
    );
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = text[line_start..offset].chars().count() + 1;
    assert_eq!(
        (position.line, position.column),
        (line, column),
        "{what}: line and column do not match offset {offset}"
    );
}
