//! `--format junit` and `--format sarif`, through the real binary over the
//! fixtures: exit codes, the shape of each report, and the SARIF log against
//! the official SARIF 2.1.0 schema.
//!
//! The expected counts come from the same run in `--format json`, so adding a
//! fixture does not break these tests.
//!
//! `tests/data/sarif-schema-2.1.0.json` is `sarif-2.1.0.json` from the npm
//! package `@microsoft/sarif-multitool-linux` 5.7.0 (Microsoft's SARIF SDK,
//! MIT), byte for byte (sha256 1c49a0f2…d798c). It is the SDK's revision of
//! the OASIS schema: `$schema` says draft 2020-12 and a few enums and formats
//! are newer, but it describes the same 2.1.0 format.

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const INVALID: &str = "fixtures/auth0.execution/invalid";
const VALID: &str = "fixtures/auth0.execution/valid";
const DRIFT: &str = "fixtures/auth0.execution/drift";
const NDJSON: &str = "fixtures/auth0.execution/valid/every-trigger.ndjson";
const HAR_VALID: &str = "fixtures/har/valid";
const HAR_INVALID: &str = "fixtures/har/invalid";

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `actionlog validate --format FORMAT PATHS…` from the workspace root.
fn validate(format: &str, paths: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_actionlog"))
        .arg("validate")
        .arg("--format")
        .arg(format)
        .args(paths)
        .current_dir(root())
        .output()
        .unwrap_or_else(|error| panic!("running actionlog: {error}"))
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap_or_else(|error| panic!("stdout: {error}"))
}

/// The same run's `--format json` summary.
fn summary(paths: &[&str]) -> Value {
    let output = validate("json", paths);
    let report: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|error| panic!("the JSON report: {error}"));
    report["summary"].clone()
}

fn count(summary: &Value, key: &str) -> usize {
    summary[key]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or_else(|| panic!("summary.{key} in {summary}"))
}

/// A temporary directory with a file that is not JSON.
fn malformed() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"id\": \"exec_1\",\n  \"status\": ")
        .unwrap_or_else(|error| panic!("writing {}: {error}", path.display()));
    let shown = path.display().to_string().replace('\\', "/");
    (dir, shown)
}

/// A temporary directory with one Auth0 execution that breaks its contract
/// more often than a document's findings are reported
/// (`check::MAX_DIAGNOSTICS`).
fn too_many_findings() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
    let contract = dir.path().join("auth0.execution");
    std::fs::create_dir(&contract).unwrap_or_else(|error| panic!("mkdir: {error}"));
    let results: Vec<String> = (0..150)
        .map(|n| format!("{{\"action_name\": {n}}}"))
        .collect();
    std::fs::write(
        contract.join("many.json"),
        format!("{{\"id\": \"x\", \"results\": [{}]}}", results.join(", ")),
    )
    .unwrap_or_else(|error| panic!("writing: {error}"));
    let shown = dir.path().display().to_string().replace('\\', "/");
    (dir, shown)
}

// ---------------------------------------------------------------- JUnit

fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|error| panic!("not XML ({error}):\n{text}"))
}

fn elements<'a, 'input>(
    document: &'a roxmltree::Document<'input>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> + 'a {
    document
        .descendants()
        .filter(move |node| node.has_tag_name(name))
}

fn attribute<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("<{}> without {name}", node.tag_name().name()))
}

/// Whether `line` starts with `path:LINE:COL: `.
fn starts_with_location(line: &str, path: &str) -> bool {
    let Some(rest) = line
        .strip_prefix(path)
        .and_then(|rest| rest.strip_prefix(':'))
    else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let number = |part: Option<&str>| {
        part.is_some_and(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    };
    number(parts.next())
        && number(parts.next())
        && parts.next().is_some_and(|tail| tail.starts_with(' '))
}

#[test]
fn junit_invalid_fixtures_fail_with_every_diagnostic_located() {
    let output = validate("junit", &[INVALID]);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    let expected = summary(&[INVALID]);
    let text = stdout(&output);
    let xml = parse_xml(&text);

    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = elements(&xml, "testcase").collect();
    assert!(!cases.is_empty());
    assert_eq!(cases.len(), count(&expected, "documents"));
    assert_eq!(
        elements(&xml, "failure").count(),
        count(&expected, "failed")
    );
    assert_eq!(attribute(root, "tests"), cases.len().to_string());
    assert_eq!(
        attribute(root, "failures"),
        count(&expected, "failed").to_string()
    );
    assert_eq!(elements(&xml, "error").count(), 0);

    let suites: Vec<_> = elements(&xml, "testsuite").collect();
    assert_eq!(suites.len(), 1, "one contract, one suite");
    assert_eq!(attribute(suites[0], "name"), "auth0.execution");

    for case in cases {
        assert_eq!(attribute(case, "classname"), "auth0.execution");
        let name = attribute(case, "name");
        assert!(name.starts_with(&format!("{INVALID}/")), "{name}");
        let Some(failure) = case.children().find(|node| node.has_tag_name("failure")) else {
            continue;
        };
        let message = attribute(failure, "message");
        assert!(!message.is_empty());
        let body = failure.text().unwrap_or_default();
        assert!(!body.is_empty(), "{name}: a failure without text");
        for line in body.lines() {
            assert!(starts_with_location(line, name), "{name}: {line}");
            assert!(line.contains(" (at "), "{line}");
            assert!(line.contains("; expected: "), "{line}");
            assert!(line.contains("; found: "), "{line}");
        }
        // The message is the first error's.
        let first_error = body
            .lines()
            .find(|line| line.contains(": error["))
            .unwrap_or_else(|| panic!("{name}: no error line in\n{body}"));
        assert!(
            first_error.contains(message),
            "{message} not in {first_error}"
        );
    }

    // The case of an enum fixture, exactly.
    assert!(
        text.contains(&format!(
            "{INVALID}/schema.enum--status-done.json:4:13: error[schema.enum] "
        )),
        "{text}"
    );
}

#[test]
fn junit_valid_fixtures_pass_and_ndjson_documents_are_named_by_line() {
    let output = validate("junit", &[VALID]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let expected = summary(&[VALID]);
    let text = stdout(&output);
    let xml = parse_xml(&text);
    assert_eq!(
        elements(&xml, "testcase").count(),
        count(&expected, "documents")
    );
    assert_eq!(elements(&xml, "failure").count(), 0);
    assert_eq!(elements(&xml, "error").count(), 0);
    let names: HashSet<&str> = elements(&xml, "testcase")
        .map(|case| attribute(case, "name"))
        .collect();
    assert!(names.contains(format!("{NDJSON}:1").as_str()), "{names:?}");
    assert!(
        names.contains(format!("{VALID}/minimal.json").as_str()),
        "{names:?}"
    );
}

#[test]
fn junit_warnings_of_passing_documents_go_to_system_out() {
    let output = validate("junit", &[DRIFT]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let expected = summary(&[DRIFT]);
    assert!(count(&expected, "warnings") > 0, "the drift fixtures warn");
    let text = stdout(&output);
    let xml = parse_xml(&text);
    assert_eq!(elements(&xml, "failure").count(), 0);
    let warnings: usize = elements(&xml, "system-out")
        .map(|node| {
            let name = attribute(node.parent().unwrap_or(node), "name");
            let body = node.text().unwrap_or_default();
            for line in body.lines() {
                assert!(starts_with_location(line, name), "{name}: {line}");
                assert!(line.contains(": warning["), "{line}");
            }
            body.lines().count()
        })
        .sum();
    assert_eq!(warnings, count(&expected, "warnings"));
}

#[test]
fn junit_reports_unreadable_files_as_errors_in_the_actionlog_suite() {
    let (_dir, broken) = malformed();
    let output = validate("junit", &[VALID, &broken]);
    assert_eq!(code(&output), 2, "{}", stdout(&output));
    let text = stdout(&output);
    let xml = parse_xml(&text);
    let suite = elements(&xml, "testsuite")
        .find(|suite| attribute(*suite, "name") == "actionlog")
        .unwrap_or_else(|| panic!("no actionlog suite in\n{text}"));
    assert_eq!(attribute(suite, "errors"), "1");
    assert_eq!(attribute(suite, "failures"), "0");
    let case = suite
        .children()
        .find(|node| node.has_tag_name("testcase"))
        .unwrap_or_else(|| panic!("no test case in the actionlog suite"));
    assert!(attribute(case, "name").starts_with(&broken), "{text}");
    let error = case
        .children()
        .find(|node| node.has_tag_name("error"))
        .unwrap_or_else(|| panic!("no <error> in\n{text}"));
    assert!(attribute(error, "message").contains("not JSON"), "{text}");
    assert_eq!(
        elements(&xml, "failure").count(),
        0,
        "a problem is not a failure"
    );
    // The valid documents are still there.
    assert!(
        elements(&xml, "testsuite").any(|suite| attribute(suite, "name") == "auth0.execution"),
        "{text}"
    );
}

#[test]
fn junit_har_entries_are_test_cases_and_unmatched_entries_are_skipped() {
    let paths = [HAR_VALID, HAR_INVALID];
    let output = validate("junit", &paths);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    let expected = summary(&paths);
    assert!(
        count(&expected, "skipped") > 0,
        "a valid HAR has an unmatched entry"
    );
    let text = stdout(&output);
    let xml = parse_xml(&text);
    assert_eq!(
        elements(&xml, "testcase").count(),
        count(&expected, "documents") + count(&expected, "skipped")
    );
    assert_eq!(
        elements(&xml, "skipped").count(),
        count(&expected, "skipped")
    );
    assert_eq!(
        elements(&xml, "failure").count(),
        count(&expected, "failed")
    );
    for case in elements(&xml, "testcase") {
        let name = attribute(case, "name");
        let (file, entry) = name
            .split_once(" entry ")
            .unwrap_or_else(|| panic!("a HAR test case names its entry: {name}"));
        assert!(file.ends_with(".har"), "{name}");
        assert!(entry.contains(" (GET "), "{name}");
        if let Some(skipped) = case.children().find(|node| node.has_tag_name("skipped")) {
            assert_eq!(attribute(case, "classname"), "actionlog");
            assert_eq!(attribute(skipped, "message"), "matches no contract");
        }
        // Body positions are not file positions: never `file.har:L:C`.
        if let Some(failure) = case.children().find(|node| node.has_tag_name("failure")) {
            for line in failure.text().unwrap_or_default().lines() {
                assert!(line.starts_with(&format!("{file} [entry ")), "{line}");
            }
        }
    }
}

#[test]
fn junit_says_how_many_findings_were_left_out() {
    let (_dir, path) = too_many_findings();
    let output = validate("junit", &[&path]);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    let text = stdout(&output);
    let xml = parse_xml(&text);
    let failure = elements(&xml, "failure")
        .next()
        .unwrap_or_else(|| panic!("no failure in\n{text}"));
    let body = failure.text().unwrap_or_default();
    let last = body.lines().last().unwrap_or_default();
    assert!(last.starts_with("… and 50 more"), "{last}");
}

// ---------------------------------------------------------------- SARIF

fn sarif(paths: &[&str]) -> (Output, Value) {
    let output = validate("sarif", paths);
    let text = stdout(&output);
    assert!(text.ends_with("}\n"), "pretty JSON and a newline:\n{text}");
    let log =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"));
    (output, log)
}

fn schema_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    let schema: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("parsing {}: {error}", path.display()));
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|error| panic!("compiling the SARIF schema: {error}"))
}

/// Everything the tests ask of every log, whatever the input.
fn check_log(log: &Value) {
    let errors: Vec<String> = schema_validator()
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );

    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().unwrap_or_else(|| panic!("no runs"));
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "actionlog");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/actionlog-contracts/actionlog-contracts"
    );

    let rules = driver["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("no rules"));
    let ids: Vec<&str> = rules
        .iter()
        .filter_map(|rule| rule["id"].as_str())
        .collect();
    assert_eq!(ids.len(), rules.len());
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "duplicate rule ids"
    );
    assert_eq!(ids.last(), Some(&"actionlog.unreadable"));
    for rule in actionlog_validator::Rule::ALL {
        assert!(
            ids.contains(&rule.id()),
            "{} missing from the rules",
            rule.id()
        );
    }
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"]
                    .as_str()
                    .is_some_and(|text| !text.is_empty()),
                "{key} of {rule}"
            );
        }
        let level = &rule["defaultConfiguration"]["level"];
        assert!(level == "error" || level == "warning", "{rule}");
    }

    let results = run["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results"));
    for result in results {
        let id = result["ruleId"]
            .as_str()
            .unwrap_or_else(|| panic!("no ruleId: {result}"));
        assert!(ids.contains(&id), "{id} is not among the rules");
        let index = result["ruleIndex"]
            .as_u64()
            .and_then(|index| usize::try_from(index).ok())
            .unwrap_or_else(|| panic!("no ruleIndex: {result}"));
        assert_eq!(ids.get(index), Some(&id), "ruleIndex of {result}");
        let level = &result["level"];
        assert!(level == "error" || level == "warning", "{result}");
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|text| !text.is_empty())
        );

        let locations = result["locations"]
            .as_array()
            .unwrap_or_else(|| panic!("{result}"));
        assert_eq!(locations.len(), 1, "{result}");
        let physical = &locations[0]["physicalLocation"];
        assert!(physical["artifactLocation"]["uri"].is_string(), "{result}");
        if let Some(region) = physical.get("region") {
            assert!(
                region["startLine"].as_u64().is_some_and(|line| line >= 1),
                "{result}"
            );
            if let Some(column) = region.get("startColumn") {
                assert!(
                    column.as_u64().is_some_and(|column| column >= 1),
                    "{result}"
                );
            }
        }
        if id != "actionlog.unreadable" {
            assert!(result["properties"]["instancePath"].is_string(), "{result}");
            assert!(result["properties"]["contract"].is_string(), "{result}");
        }
    }
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results"))
}

#[test]
fn sarif_invalid_fixtures_are_valid_sarif_with_relative_locations() {
    let (output, log) = sarif(&[INVALID]);
    assert_eq!(code(&output), 1);
    check_log(&log);
    let expected = summary(&[INVALID]);
    let results = results(&log);
    assert_eq!(
        results.len(),
        count(&expected, "errors") + count(&expected, "warnings")
    );
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    for result in results {
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = artifact["uri"].as_str().unwrap_or_default();
        assert!(uri.starts_with(&format!("{INVALID}/")), "{uri}");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    }

    let done = results
        .iter()
        .find(|result| {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == format!("{INVALID}/schema.enum--status-done.json").as_str()
        })
        .unwrap_or_else(|| panic!("no result for the status-done fixture"));
    assert_eq!(done["ruleId"], "schema.enum");
    assert_eq!(done["level"], "error");
    assert_eq!(
        done["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert_eq!(
        done["locations"][0]["physicalLocation"]["region"]["startColumn"],
        13
    );
    assert_eq!(done["properties"]["instancePath"], "/status");
    assert_eq!(done["properties"]["contract"], "auth0.execution");
    let message = done["message"]["text"].as_str().unwrap_or_default();
    assert!(message.contains("/status"), "{message}");
    assert!(message.contains("expected: "), "{message}");
    assert!(message.contains("found: \"done\""), "{message}");
}

#[test]
fn sarif_valid_and_drift_fixtures_have_no_errors() {
    let (output, log) = sarif(&[VALID, DRIFT]);
    assert_eq!(code(&output), 0);
    check_log(&log);
    let expected = summary(&[VALID, DRIFT]);
    let results = results(&log);
    assert_eq!(results.len(), count(&expected, "warnings"));
    assert!(results.iter().all(|result| result["level"] == "warning"));
    // NDJSON positions are in file coordinates.
    for result in results {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region.is_null() || region["startLine"].as_u64() >= Some(1));
    }
}

#[test]
fn sarif_reports_unreadable_files_and_an_unsuccessful_run() {
    let (_dir, broken) = malformed();
    let (output, log) = sarif(&[INVALID, &broken]);
    assert_eq!(code(&output), 2);
    check_log(&log);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let unreadable: Vec<&Value> = results(&log)
        .iter()
        .filter(|result| result["ruleId"] == "actionlog.unreadable")
        .collect();
    assert_eq!(unreadable.len(), 1);
    let result = unreadable[0];
    assert_eq!(result["level"], "error");
    assert!(
        result["message"]["text"]
            .as_str()
            .is_some_and(|text| text.contains("not JSON")),
        "{result}"
    );
    // An absolute path is a `file:` URI of its own, with no base.
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = artifact["uri"].as_str().unwrap_or_default();
    assert!(uri.starts_with("file:"), "{uri}");
    assert!(uri.ends_with("/broken.json"), "{uri}");
    assert!(artifact.get("uriBaseId").is_none(), "{artifact}");
    // The malformed file's error position.
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    // The input order: the invalid fixtures first, the broken file last.
    assert_eq!(results(&log).last(), Some(result));
    let _ = broken;
}

#[test]
fn sarif_har_results_name_their_entry_and_have_no_file_region() {
    let paths = [HAR_VALID, HAR_INVALID];
    let (output, log) = sarif(&paths);
    assert_eq!(code(&output), 1);
    check_log(&log);
    let expected = summary(&paths);
    let results = results(&log);
    assert_eq!(
        results.len(),
        count(&expected, "errors") + count(&expected, "warnings")
    );
    for result in results {
        assert!(result["properties"]["harEntry"].is_u64(), "{result}");
        assert!(result["properties"]["harUrl"].is_string(), "{result}");
        let physical = &result["locations"][0]["physicalLocation"];
        assert!(physical.get("region").is_none(), "{result}");
        let uri = physical["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(uri.ends_with(".har"), "{uri}");
    }
    // Positioned body findings keep their position in the properties.
    assert!(
        results
            .iter()
            .any(|result| result["properties"]["bodyLine"].as_u64() >= Some(1)),
        "no body position among {results:?}"
    );
    let notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap_or_else(|| panic!("no notifications"));
    let skipped = notifications
        .iter()
        .filter(|notification| {
            notification["message"]["text"]
                .as_str()
                .is_some_and(|text| text.ends_with("matches no contract"))
        })
        .count();
    assert_eq!(skipped, count(&expected, "skipped"));
}

#[test]
fn sarif_says_how_many_findings_were_left_out() {
    let (_dir, path) = too_many_findings();
    let (output, log) = sarif(&[&path]);
    assert_eq!(code(&output), 1);
    check_log(&log);
    assert_eq!(results(&log).len(), 100);
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "warning");
    let text = notification["message"]["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("50 more findings in "), "{text}");
}

#[test]
fn sarif_is_deterministic() {
    let first = validate("sarif", &[INVALID, VALID, DRIFT]);
    let second = validate("sarif", &[INVALID, VALID, DRIFT]);
    assert_eq!(stdout(&first), stdout(&second));
}

#[test]
fn the_vendored_schema_rejects_a_broken_log() {
    // The schema is really applied: a result without a message is invalid.
    let (_, mut log) = sarif(&[INVALID]);
    let result = log["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap_or_else(|| panic!("no result"));
    result.remove("message");
    assert!(!schema_validator().is_valid(&log));

    // Formats are checked too: a URI reference has no spaces.
    let (_, mut log) = sarif(&[INVALID]);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("fixtures/a b.json");
    assert!(!schema_validator().is_valid(&log));
}
