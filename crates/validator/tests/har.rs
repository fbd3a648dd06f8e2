//! HAR captures through the real binary, and `actionlog redact`: a copy
//! beside the original or in place, atomic, permissions kept, never over a
//! file it did not write, and idempotent (a property over generated HARs).

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn actionlog(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_actionlog"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn a_clean_capture_passes_and_lists_what_matched_no_contract() {
    let output = actionlog(
        &root(),
        &[
            "validate",
            "--format",
            "json",
            "fixtures/har/valid/five-contracts.har",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["documents"], 5);
    assert_eq!(report["summary"]["skipped"], 1);
    assert_eq!(
        report["skipped"][0]["entry"],
        "entry 5 (GET https://acme.eu.auth0.com/favicon.ico)"
    );
    let contracts: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["contract"].as_str().unwrap())
        .collect();
    assert_eq!(
        contracts,
        [
            "auth0.execution",
            "buddy.action-execution",
            "arklow.action-records",
            "tines.action-events",
            "stackone.action-log"
        ]
    );

    let strict = actionlog(
        &root(),
        &[
            "validate",
            "--require-match",
            "fixtures/har/valid/five-contracts.har",
        ],
    );
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("error[har.unmatched-entry]"));
}

#[test]
fn body_problems_carry_the_entry_and_a_position_inside_the_body() {
    let file = "fixtures/har/invalid/schema.format--tines-body-created-at-february-30.har";
    let output = actionlog(&root(), &["validate", "--format", "json", file]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let document = &report["documents"][0];
    assert_eq!(document["entry"]["index"], 0);
    assert_eq!(document["entry"]["method"], "GET");
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(diagnostic["instance_path"], "/events/1/created_at");
    // Line and column inside the pretty-printed body text.
    assert!(diagnostic["line"].as_u64().unwrap() > 10);
    assert_eq!(diagnostic["column"], 21);
}

#[test]
fn secrets_are_reported_by_place_never_by_value() {
    let file = "fixtures/har/invalid/security.secret-in-capture--live-bearer-token.har";
    for format in ["human", "json", "github", "junit", "sarif"] {
        let output = actionlog(&root(), &["validate", "--format", format, file]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = stdout(&output);
        assert!(
            text.contains("security.secret-in-capture"),
            "{format}: {text}"
        );
        assert!(
            !text.contains("live-token-do-not-commit"),
            "{format} printed the secret"
        );
    }
}

#[test]
fn redact_writes_a_clean_copy_and_never_overwrites_what_it_did_not_write() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.har");
    std::fs::copy(
        root().join("fixtures/har/invalid/security.secret-in-capture--live-bearer-token.har"),
        &capture,
    )
    .unwrap();
    std::fs::set_permissions(&capture, std::fs::Permissions::from_mode(0o640)).unwrap();
    let original = std::fs::read_to_string(&capture).unwrap();

    let output = actionlog(dir.path(), &["redact", "capture.har"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "capture.redacted.har: 1 value(s) redacted\n"
    );
    assert_eq!(
        std::fs::read_to_string(&capture).unwrap(),
        original,
        "the input was modified"
    );
    let copy = dir.path().join("capture.redacted.har");
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        actionlog(dir.path(), &["validate", "capture.redacted.har"])
            .status
            .code(),
        Some(0)
    );

    let again = actionlog(dir.path(), &["redact", "capture.har"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists; pass --force"));

    let in_place = actionlog(dir.path(), &["redact", "--in-place", "capture.har"]);
    assert_eq!(in_place.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&capture).unwrap(),
        std::fs::read_to_string(&copy).unwrap()
    );
    assert_eq!(
        std::fs::metadata(&capture).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "temporary files left behind: {leftovers:?}"
    );

    let not_har = dir.path().join("plain.har");
    std::fs::write(&not_har, "[]").unwrap();
    let refused = actionlog(dir.path(), &["redact", "--in-place", "plain.har"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&not_har).unwrap(), "[]");
}

fn header() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![
            Just("Authorization".to_owned()),
            Just("Cookie".to_owned()),
            Just("Set-Cookie".to_owned()),
            Just("x-arklow-auth".to_owned()),
            Just("Accept".to_owned()),
            "[A-Za-z-]{1,12}",
        ],
        prop_oneof![
            Just("Bearer abc.def".to_owned()),
            Just("Basic dXM6cHc=".to_owned()),
            "[ -~]{0,20}",
            ".{0,8}"
        ],
    )
}

fn har() -> impl Strategy<Value = serde_json::Value> {
    let entry = (
        prop::collection::vec(header(), 0..4),
        prop::collection::vec(header(), 0..3),
        prop_oneof![Just("token"), Just("api_key"), Just("page"), Just("take")],
        "[a-z0-9]{0,8}",
        any::<bool>(),
    )
        .prop_map(|(request_headers, response_headers, query_name, query_value, userinfo)| {
            let pairs = |headers: Vec<(String, String)>| -> Vec<serde_json::Value> {
                headers.into_iter().map(|(name, value)| serde_json::json!({"name": name, "value": value})).collect()
            };
            let user = if userinfo { "me:pw@" } else { "" };
            serde_json::json!({
                "request": {
                    "method": "GET",
                    "url": format!("https://{user}api.arklow.io/v1/orgs/1/actions/records?{query_name}={query_value}"),
                    "headers": pairs(request_headers),
                    "queryString": [{"name": query_name, "value": query_value}],
                    "cookies": [{"name": "sid", "value": query_value}]
                },
                "response": {"status": 200, "headers": pairs(response_headers),
                             "content": {"mimeType": "application/json", "text": "{\"data\": {}, \"errors\": null}"}}
            })
        });
    prop::collection::vec(entry, 0..4)
        .prop_map(|entries| serde_json::json!({"log": {"version": "1.2", "entries": entries}}))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Redacting keeps the HAR a HAR, is idempotent, and leaves no credential
    /// for the validator to find.
    #[test]
    fn redact_is_idempotent_and_keeps_the_har_valid(har in har(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&har).unwrap() } else { serde_json::to_string(&har).unwrap() };
        let (once, _) = actionlog_validator::redact::redact(&text).unwrap();
        let reparsed: serde_json::Value = serde_json::from_str(&once).unwrap();
        prop_assert_eq!(reparsed["log"]["entries"].as_array().map(Vec::len), har["log"]["entries"].as_array().map(Vec::len));
        let (twice, count) = actionlog_validator::redact::redact(&once).unwrap();
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(count, 0);
        let policy = actionlog_validator::Policy::default();
        for exchange in actionlog_validator::har::exchanges(&reparsed, &policy).unwrap() {
            let secrets: Vec<_> = exchange.diagnostics.iter().filter(|d| d.rule.id() == "security.secret-in-capture").collect();
            prop_assert!(secrets.is_empty(), "{:?} in {}", secrets, once);
        }
    }
}
