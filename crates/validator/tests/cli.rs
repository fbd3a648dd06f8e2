//! The real `actionlog` binary, run as a user would: exit codes, formats,
//! inputs, contract selection and configuration.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn actionlog(args: &[&str]) -> Output {
    actionlog_in(&root(), args, None)
}

fn actionlog_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_actionlog"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn exit_code_0_when_every_document_passes_even_with_warnings() {
    let output = actionlog(&[
        "validate",
        "fixtures/tines.action-events/valid",
        "fixtures/tines.action-events/drift",
    ]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).contains("warning[drift.unknown-field]"));
    assert!(
        stdout(&output)
            .lines()
            .last()
            .unwrap()
            .contains(" passed, 0 failed (")
    );
}

#[test]
fn exit_code_1_on_a_contract_violation() {
    let output = actionlog(&[
        "validate",
        "fixtures/auth0.execution/invalid/schema.enum--status-done.json",
    ]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("error[schema.enum]"), "{text}");
    assert!(
        text.contains("schema.enum--status-done.json:4:13"),
        "{text}"
    );
}

#[test]
fn strict_turns_warnings_into_failures_and_allow_unknown_silences_drift() {
    let drift = "fixtures/tines.action-events/drift";
    assert_eq!(code(&actionlog(&["validate", "--strict", drift])), 1);
    let quiet = actionlog(&["validate", "--allow-unknown", drift]);
    assert_eq!(code(&quiet), 0);
    assert!(!stdout(&quiet).contains("drift.unknown-field"));
}

#[test]
fn exit_code_2_when_the_run_cannot_be_done() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.json",
        "{\n  \"status\": \"final\",\n  \"id\": tru\n}\n",
    );
    let output = actionlog_in(
        dir.path(),
        &["validate", "--contract", "auth0.execution", "broken.json"],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        stdout(&output).contains("could not check broken.json:3:12: not JSON: expected ident"),
        "{}",
        stdout(&output)
    );

    let missing = actionlog(&["validate", "no/such/file.json"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stdout(&missing).contains("could not check no/such/file.json: no such file or directory")
    );

    let unknown = actionlog(&["validate", "--contract", "auth0.executions", "fixtures"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains(
            "unknown contract `auth0.executions`; the contracts are arklow.action-records"
        )
    );

    let bad_flag = actionlog(&["validate", "--frobnicate", "fixtures"]);
    assert_eq!(code(&bad_flag), 2);
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(
        root().join("fixtures/stackone.action-log/valid/page-example.json"),
    )
    .unwrap();
    write(dir.path(), "a/stackone.action-log/1-broken.json", "{");
    write(dir.path(), "a/stackone.action-log/2-good.json", &good);
    let output = actionlog_in(dir.path(), &["validate", "--format", "json", "a"], None);
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["passed"], 1);
    assert_eq!(report["summary"]["problems"], 1);
    assert_eq!(
        report["problems"][0]["file"],
        "a/stackone.action-log/1-broken.json"
    );
}

#[test]
fn ndjson_documents_are_checked_line_by_line_and_a_broken_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let log = r#"{"log_id":"a","log_type":"action","action_run_id":"r"}"#;
    let bad = r#"{"log_id":"b","log_type":"request","action_run_id":"r"}"#;
    write(
        dir.path(),
        "logs.ndjson",
        &format!("{log}\n\n{bad}\n{{\"log_id\":\n{log}\n"),
    );
    let output = actionlog_in(
        dir.path(),
        &[
            "validate",
            "--contract",
            "stackone.action-log",
            "--format",
            "json",
            "logs.ndjson",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["documents"], 3);
    assert_eq!(report["summary"]["failed"], 1);
    let failed = &report["documents"][1];
    assert_eq!(failed["line"], 3);
    assert_eq!(failed["diagnostics"][0]["rule"], "schema.enum");
    assert_eq!(failed["diagnostics"][0]["line"], 3);
    assert_eq!(failed["diagnostics"][0]["column"], 26);
    assert_eq!(report["problems"][0]["line"], 4);
}

#[test]
fn a_large_ndjson_file_is_read_in_batches_and_its_findings_quoted_from_their_line() {
    // Over three batches of the reader (1 MiB each), with a finding in the
    // last one: its line number and snippet come from its own line.
    let dir = tempfile::tempdir().unwrap();
    let log = r#"{"log_id":"a","log_type":"action","action_run_id":"r"}"#;
    let bad = r#"{"log_id":"b","log_type":"request","action_run_id":"r"}"#;
    let lines = 3 * (1 << 20) / log.len() + 100;
    let mut text = format!("{log}\n").repeat(lines);
    text.push_str(bad);
    text.push('\n');
    write(dir.path(), "logs.ndjson", &text);
    let finding = format!("logs.ndjson:{}:26", lines + 1);
    for threads in ["1", "2"] {
        let args = [
            "validate",
            "-j",
            threads,
            "--contract",
            "stackone.action-log",
        ];
        let human = actionlog_in(dir.path(), &[&args[..], &["logs.ndjson"]].concat(), None);
        assert_eq!(code(&human), 1, "{}", stderr(&human));
        let shown = stdout(&human);
        assert!(shown.contains(&finding), "{shown}");
        assert!(shown.contains(&format!("{} | {bad}", lines + 1)), "{shown}");
        let json = actionlog_in(
            dir.path(),
            &[&args[..], &["--format", "json", "logs.ndjson"]].concat(),
            None,
        );
        let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(report["summary"]["documents"], lines + 1);
        assert_eq!(report["summary"]["failed"], 1);
    }
}

#[test]
fn the_size_limit_holds_each_ndjson_line_not_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = r#"{"log_id":"a","log_type":"action","action_run_id":"r"}"#;
    let long = format!(
        r#"{{"log_id":"{}","log_type":"action","action_run_id":"r"}}"#,
        "x".repeat(200)
    );
    let limit = (log.len() + 10).to_string();
    let args = |file| {
        [
            "validate",
            "--contract",
            "stackone.action-log",
            "--max-file-size",
            &limit,
            "--format",
            "json",
            file,
        ]
        .map(str::to_owned)
    };
    // Ten lines, each under the limit, the file far over it: checked.
    write(dir.path(), "many.ndjson", &format!("{log}\n").repeat(10));
    let many = actionlog_in(
        dir.path(),
        &args("many.ndjson").each_ref().map(String::as_str),
        None,
    );
    assert_eq!(code(&many), 0, "{}", stdout(&many));
    // A line over it: the lines before it are checked, the file is not read
    // past it, and the line is named.
    write(
        dir.path(),
        "long.ndjson",
        &format!("{log}\n{log}\n{long}\n{log}\n"),
    );
    let output = actionlog_in(
        dir.path(),
        &args("long.ndjson").each_ref().map(String::as_str),
        None,
    );
    assert_eq!(code(&output), 2, "{}", stdout(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["documents"], 2);
    assert_eq!(report["problems"][0]["line"], 3);
    let message = report["problems"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("over the {limit}-byte limit")),
        "{message}"
    );
}

#[test]
fn standard_input_is_read_with_dash() {
    let output = actionlog_in(
        &root(),
        &["validate", "--contract", "auth0.execution", "-"],
        Some(r#"{"status": "final", "trigger_id": "post-login"}"#),
    );
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let detected = actionlog_in(
        &root(),
        &["validate", "--format", "json", "-"],
        Some(r#"{"status": "done", "trigger_id": "post-login"}"#),
    );
    assert_eq!(code(&detected), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&detected)).unwrap();
    assert_eq!(report["documents"][0]["file"], "<stdin>");
    assert_eq!(report["documents"][0]["contract"], "auth0.execution");
    assert_eq!(report["documents"][0]["detected"], true);
}

#[test]
fn detection_refuses_to_guess() {
    let output = actionlog_in(
        &root(),
        &["validate", "-"],
        Some(r#"{"statusCode": 404, "error": "Not Found", "message": "x"}"#),
    );
    assert_eq!(code(&output), 2);
    assert!(
        stdout(&output).contains("no contract fits a document with top-level members"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn actionlog_toml_maps_paths_and_sets_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "actionlog.toml",
        "[contracts]\n\"captures/**\" = \"tines.action-events\"\n\n[rules]\n\"drift.unknown-field\" = \"error\"\n",
    );
    write(
        dir.path(),
        "captures/page.json",
        r#"{"events": [], "meta": {"count": 0}, "extra": 1}"#,
    );
    let output = actionlog_in(
        dir.path(),
        &["validate", "--format", "json", "captures"],
        None,
    );
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["documents"][0]["contract"], "tines.action-events");
    assert_eq!(report["documents"][0]["detected"], false);
    assert_eq!(
        report["documents"][0]["diagnostics"][0]["severity"],
        "error"
    );

    let ignored = actionlog_in(
        dir.path(),
        &[
            "validate",
            "--no-config",
            "--contract",
            "tines.action-events",
            "captures",
        ],
        None,
    );
    assert_eq!(code(&ignored), 0);

    write(
        dir.path(),
        "actionlog.toml",
        "[rules]\n\"no.such-rule\" = \"off\"\n",
    );
    let broken = actionlog_in(dir.path(), &["validate", "captures"], None);
    assert_eq!(code(&broken), 2);
    assert!(stderr(&broken).contains("unknown rule `no.such-rule`"));
}

#[test]
fn github_format_writes_workflow_commands() {
    let output = actionlog(&[
        "validate",
        "--format",
        "github",
        "fixtures/auth0.execution/invalid/schema.enum--status-done.json",
    ]);
    assert_eq!(code(&output), 1);
    let first = stdout(&output).lines().next().unwrap().to_owned();
    assert!(
        first.starts_with("::error file=fixtures/auth0.execution/invalid/schema.enum--status-done.json,line=4,col=13,title=schema.enum (auth0.execution)::"),
        "{first}"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let file = "fixtures/auth0.execution/invalid/schema.enum--status-done.json";
    assert!(!stdout(&actionlog(&["validate", file])).contains('\u{1b}'));
    assert!(stdout(&actionlog(&["validate", "--color", "always", file])).contains('\u{1b}'));
}

#[test]
fn secrets_in_a_capture_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tines.action-events/leak.json",
        "{\n  \"events\": [{\"id\": 1, \"payload\": {}, \"authorization\": \"Bearer sk_live_abcdef\"}]\n}\n",
    );
    let output = actionlog_in(dir.path(), &["validate", "tines.action-events"], None);
    let text = stdout(&output);
    assert!(text.contains("authorization"), "{text}");
    assert!(!text.contains("sk_live_abcdef"), "{text}");
}

#[test]
fn listing_commands() {
    let contracts = stdout(&actionlog(&["contracts"]));
    assert!(
        contracts.contains(
            "arklow.action-records    Arklow       GET  /v1/orgs/{org_id}/actions/records"
        )
    );
    let schema = actionlog(&["schema", "tines.action-events"]);
    assert_eq!(code(&schema), 0);
    assert_eq!(
        stdout(&schema),
        std::fs::read_to_string(root().join("schemas/tines.action-events.schema.json")).unwrap()
    );
    assert_eq!(code(&actionlog(&["schema", "nope"])), 2);
    let rules = stdout(&actionlog(&["rules"]));
    assert!(rules.contains("drift.unknown-field    warning"));
    let explain = actionlog(&["explain", "schema.format"]);
    assert!(stdout(&explain).contains("RFC 3339"));
    assert_eq!(code(&actionlog(&["explain", "schema.nope"])), 2);
}

#[test]
fn observed_vendor_values_pass_with_a_sourced_warning_unless_strict_or_documented_only() {
    let observed = "fixtures/auth0.execution/observed/trigger-post-credential-validation.json";
    let output = actionlog(&["validate", "--format", "json", observed]);
    assert_eq!(code(&output), 0);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let diagnostic = &report["documents"][0]["diagnostics"][0];
    assert_eq!(diagnostic["rule"], "drift.observed-value");
    assert_eq!(diagnostic["severity"], "warning");
    let message = diagnostic["message"].as_str().unwrap();
    assert!(
        message.contains("`post-credential-validation` is not on the Auth0 page"),
        "{message}"
    );
    assert!(message.contains("auth0 (npm) 7.1.0"), "{message}");

    assert_eq!(code(&actionlog(&["validate", "--strict", observed])), 1);
    let documented = actionlog(&[
        "validate",
        "--documented-only",
        "--format",
        "json",
        observed,
    ]);
    assert_eq!(code(&documented), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&documented)).unwrap();
    assert_eq!(
        report["documents"][0]["diagnostics"][0]["rule"],
        "schema.enum"
    );

    // Every observed fixture passes by default; the folder as a whole fails
    // under --strict (risk_level values are plain strings and stay clean).
    for contract in [
        "auth0.execution",
        "buddy.action-execution",
        "tines.action-events",
        "stackone.action-log",
    ] {
        let folder = format!("fixtures/{contract}/observed");
        assert_eq!(code(&actionlog(&["validate", &folder])), 0, "{folder}");
    }
    assert_eq!(
        code(&actionlog(&[
            "validate",
            "--strict",
            "fixtures/buddy.action-execution/observed"
        ])),
        1
    );
}

#[test]
fn a_captured_error_body_is_never_green() {
    for (file, quoted) in [
        (
            "fixtures/auth0.execution/invalid/response.error-body--404-execution-not-found.json",
            "status 404, message \"The execution does not exist\"",
        ),
        (
            "fixtures/arklow.action-records/invalid/response.error-body--org-not-found.json",
            "message \"Organization 4821 does not exist\"",
        ),
        (
            "fixtures/tines.action-events/invalid/response.not-a-resource--404-error.json",
            "none of the members",
        ),
    ] {
        let output = actionlog(&["validate", file]);
        assert_eq!(code(&output), 1, "{file}");
        assert!(stdout(&output).contains(quoted), "{}", stdout(&output));
    }
}

#[test]
fn a_document_reports_at_most_100_findings_and_counts_the_rest_errors_first() {
    let dir = tempfile::tempdir().unwrap();
    // 300 undocumented members (warnings) before one error at the end: the
    // cut keeps the error, so the verdict does not depend on the cut.
    let mut members: Vec<String> = (0..300).map(|i| format!("\"x{i}\": {i}")).collect();
    members.extend([
        "\"log_id\": \"a\"".to_owned(),
        "\"action_run_id\": \"r\"".to_owned(),
        "\"log_type\": \"request\"".to_owned(),
    ]);
    write(
        dir.path(),
        "stackone.action-log/many.json",
        &format!("{{{}}}", members.join(", ")),
    );
    let output = actionlog_in(
        dir.path(),
        &["validate", "--format", "json", "stackone.action-log"],
        None,
    );
    assert_eq!(code(&output), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let document = &report["documents"][0];
    assert_eq!(document["diagnostics"].as_array().unwrap().len(), 100);
    assert_eq!(document["omitted"], 201);
    assert!(
        document["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "schema.enum")
    );
    let human = stdout(&actionlog_in(
        dir.path(),
        &["validate", "stackone.action-log"],
        None,
    ));
    assert!(human.contains("… and 201 more in stackone.action-log/many.json (only the first 100 of a document are shown)"), "{human}");
}

#[test]
fn coverage_reports_what_the_captures_exercise_and_can_fail_under_a_threshold() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tines.action-events/a.json",
        r#"{"events": [{"id": 1, "agent_id": 2}], "meta": {"next_page": null}}"#,
    );
    let output = actionlog_in(
        dir.path(),
        &["coverage", "--format", "json", "tines.action-events"],
        None,
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let contract = &report["contracts"][0];
    assert_eq!(contract["contract"], "tines.action-events");
    assert_eq!(contract["documents"], 1);
    assert_eq!(contract["summary"]["fields"]["of"], 16);
    assert_eq!(
        contract["summary"]["nulls"],
        serde_json::json!({"seen": 1, "of": 3})
    );

    let below = actionlog_in(
        dir.path(),
        &["coverage", "--fail-under", "90", "tines.action-events"],
        None,
    );
    assert_eq!(code(&below), 1);
    assert!(
        stdout(&below).starts_with("tines.action-events (1 documents): fields 4/16 (25%)"),
        "{}",
        stdout(&below)
    );

    let markdown = stdout(&actionlog_in(
        dir.path(),
        &["coverage", "--format", "markdown", "tines.action-events"],
        None,
    ));
    assert!(
        markdown.starts_with("| contract | documents | fields | values | nulls | never seen |")
    );

    // Unreadable inputs are reported as validate reports them, and exit 2.
    write(dir.path(), "tines.action-events/broken.json", "{");
    let broken = actionlog_in(dir.path(), &["coverage", "tines.action-events"], None);
    assert_eq!(code(&broken), 2);
    assert!(
        stderr(&broken).contains("could not check tines.action-events/broken.json:1:1: not JSON: EOF while parsing an object"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn validate_can_write_coverage_in_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("coverage.json");
    let output = actionlog(&[
        "validate",
        "--coverage",
        report.to_str().unwrap(),
        "fixtures/stackone.action-log/valid",
    ]);
    assert_eq!(code(&output), 0);
    let coverage: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        coverage["contracts"][0]["summary"]["nulls"],
        serde_json::json!({"seen": 34, "of": 34})
    );
}

#[test]
fn one_run_writes_several_reports() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let github = dir.path().join("annotations.txt");
    let output = actionlog(&[
        "validate",
        "--report",
        &format!("json={}", json.display()),
        "--report",
        &format!("github={}", github.display()),
        "fixtures/auth0.execution/invalid/schema.enum--status-done.json",
    ]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("error[schema.enum]"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["summary"]["failed"], 1);
    assert!(std::fs::read_to_string(&github).unwrap().starts_with(
        "::error file=fixtures/auth0.execution/invalid/schema.enum--status-done.json,line=4,col=13"
    ));
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "temporary files left behind");

    let bad = actionlog(&["validate", "--report", "xml=out.xml", "fixtures"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("unknown format `xml`"));
}

#[test]
fn help_texts_match_their_snapshots() {
    for args in [
        &["--help"][..],
        &["validate", "--help"],
        &["coverage", "--help"],
        &["redact", "--help"],
    ] {
        let output = actionlog(args);
        assert_eq!(code(&output), 0);
        let name = format!(
            "help-{}",
            args.join("-").trim_start_matches("--").replace("--", "")
        );
        insta::assert_snapshot!(name, stdout(&output));
    }
}

#[test]
fn reports_are_the_same_on_one_thread_or_many_and_on_either_path() {
    // The whole fixtures folder (files, NDJSON, HAR, invalid and drift
    // alike): the report does not depend on the thread count, and the fast
    // path changes nothing but speed.
    for format in ["json", "human"] {
        let one = actionlog(&["validate", "--format", format, "-j", "1", "fixtures"]);
        let many = actionlog(&["validate", "--format", format, "-j", "4", "fixtures"]);
        let full = actionlog(&[
            "validate",
            "--format",
            format,
            "-j",
            "3",
            "--full-path-only",
            "fixtures",
        ]);
        assert_eq!(code(&one), 1, "{}", stderr(&one));
        assert!(stdout(&one).len() > 10_000);
        assert_eq!(
            stdout(&one),
            stdout(&many),
            "{format}: -j 1 and -j 4 differ"
        );
        assert_eq!(
            stdout(&one),
            stdout(&full),
            "{format}: the fast path changed the report"
        );
        assert_eq!((code(&one), code(&full)), (code(&many), code(&many)));
    }
}
