//! What each fixture folder promises, checked against the validator's verdict:
//!
//! - `…/valid/…`: passes, with no diagnostic at all;
//! - `…/invalid/<rule>--<what>.json`: fails, with an error of `<rule>`;
//! - `…/drift/…`: passes, with at least one warning (of `<rule>` when the
//!   file is named `<rule>--<what>.json`);
//! - `…/observed/…`: passes (what the vendor is observed to send beyond its
//!   page is at most a warning, never an error);
//! - `…/generated/…`: passes (examples drawn from the models' strategies).
//!
//! Files elsewhere under `fixtures/` promise nothing.

use actionlog_validator::report::{FileReport, Reporter, Summary};
use actionlog_validator::run::{self, Options};
use actionlog_validator::{Policy, Severity};
use anyhow::Result;
use std::io::{self, Write};
use std::path::Path;

/// Every fixture whose verdict breaks its folder's promise, described.
pub fn check(fixtures: &Path) -> Result<Vec<String>> {
    let mut collector = Collector::default();
    let options = Options {
        policy: Policy::default(),
        max_file_size: actionlog_validator::input::DEFAULT_MAX_FILE_SIZE,
        ..Options::default()
    };
    run::run(
        &[fixtures.to_path_buf()],
        &options,
        &mut collector,
        &mut io::sink(),
    )?;
    Ok(collector.mismatches)
}

#[derive(Default)]
struct Collector {
    mismatches: Vec<String>,
}

impl Reporter for Collector {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        let path = file.path;
        let folder = |name: &str| path.contains(&format!("/{name}/"));
        for problem in &file.problems {
            self.mismatches
                .push(format!("{path}: could not be checked: {}", problem.message));
        }
        for document in &file.documents {
            let at = match document.line {
                Some(line) => format!("{path}:{line}"),
                None => path.to_owned(),
            };
            let rules: Vec<&str> = document.diagnostics.iter().map(|d| d.rule.id()).collect();
            let warned = document
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Warning);
            if folder("valid") && !document.diagnostics.is_empty() {
                self.mismatches
                    .push(format!("{at}: a valid fixture reported {rules:?}"));
            } else if folder("invalid") {
                let name = path.rsplit('/').next().unwrap_or_default();
                let expected_rule = name.split("--").next().unwrap_or_default();
                let has_rule = document
                    .diagnostics
                    .iter()
                    .any(|d| d.rule.id() == expected_rule && d.severity == Severity::Error);
                if document.ok() || !has_rule {
                    self.mismatches.push(format!(
                        "{at}: an invalid fixture should fail with `{expected_rule}`, got {rules:?}"
                    ));
                }
            } else if (folder("observed") || folder("generated")) && !document.ok() {
                self.mismatches.push(format!(
                    "{at}: an observed fixture should pass, got {rules:?}"
                ));
            } else if folder("drift") && (!document.ok() || !warned) {
                self.mismatches.push(format!(
                    "{at}: a drift fixture should pass with warnings, got {rules:?}"
                ));
            }
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_fixture_gets_the_verdict_its_folder_promises() {
        let fixtures = crate::repository_root().unwrap().join("fixtures");
        let mismatches = super::check(&fixtures).unwrap();
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }
}
