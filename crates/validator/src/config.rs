//! `actionlog.toml`: which contract a path holds, and per-path rule settings.
//!
//! ```toml
//! # Globs are relative to the folder of actionlog.toml.
//! [contracts]
//! "captures/auth0/**" = "auth0.execution"
//!
//! [rules]
//! "json.duplicate-key" = "error"     # error | warning | off
//!
//! [[overrides]]
//! paths = ["captures/legacy/**"]
//! rules = { "drift.unknown-field" = "off" }
//! ```

use crate::diagnostic::Severity;
use crate::policy::Policy;
use crate::rules::Rule;
use actionlog_models::Contract;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The configuration file's name.
pub const FILE_NAME: &str = "actionlog.toml";

/// A parsed, checked configuration.
#[derive(Debug)]
pub struct Config {
    root: PathBuf,
    contracts: Vec<(GlobSet, &'static Contract)>,
    rules: BTreeMap<Rule, Option<Severity>>,
    overrides: Vec<(GlobSet, BTreeMap<Rule, Option<Severity>>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    contracts: BTreeMap<String, String>,
    #[serde(default)]
    rules: BTreeMap<String, RawSeverity>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, RawSeverity>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawSeverity {
    Error,
    Warning,
    Off,
}

impl Config {
    /// Finds `actionlog.toml` in `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|folder| folder.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// Reads and checks a configuration file; every error names the file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::parse(&text, root).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// Parses configuration text whose globs are relative to `root`.
    pub fn parse(text: &str, root: PathBuf) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut contracts = Vec::new();
        for (pattern, id) in raw.contracts {
            let contract =
                actionlog_models::registry::find(&id).ok_or_else(|| unknown_contract(&id))?;
            let glob = Glob::new(&pattern).map_err(|error| error.to_string())?;
            contracts.push((single(glob)?, contract));
        }
        let rules = rule_settings(raw.rules)?;
        let mut overrides = Vec::new();
        for raw_override in raw.overrides {
            let mut builder = GlobSetBuilder::new();
            for pattern in &raw_override.paths {
                builder.add(Glob::new(pattern).map_err(|error| error.to_string())?);
            }
            let set = builder.build().map_err(|error| error.to_string())?;
            overrides.push((set, rule_settings(raw_override.rules)?));
        }
        Ok(Config {
            root,
            contracts,
            rules,
            overrides,
        })
    }

    /// The contract the mapping gives `path`, if any (first pattern in
    /// sorted order wins).
    pub fn contract_for(&self, path: &Path) -> Option<&'static Contract> {
        let relative = self.relative(path);
        self.contracts
            .iter()
            .find(|(set, _)| set.is_match(&relative))
            .map(|(_, contract)| *contract)
    }

    /// `base` with this file's rule settings, and those of every override
    /// whose paths match `path`, applied in file order.
    pub fn policy_for(&self, base: &Policy, path: &Path) -> Policy {
        let mut policy = base.clone();
        policy
            .overrides
            .extend(self.rules.iter().map(|(rule, setting)| (*rule, *setting)));
        let relative = self.relative(path);
        for (set, rules) in &self.overrides {
            if set.is_match(&relative) {
                policy
                    .overrides
                    .extend(rules.iter().map(|(rule, setting)| (*rule, *setting)));
            }
        }
        policy
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let root = std::path::absolute(&self.root).unwrap_or_else(|_| self.root.clone());
        absolute
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .unwrap_or(absolute)
    }
}

fn single(glob: Glob) -> Result<GlobSet, String> {
    GlobSetBuilder::new()
        .add(glob)
        .build()
        .map_err(|error| error.to_string())
}

fn rule_settings(
    raw: BTreeMap<String, RawSeverity>,
) -> Result<BTreeMap<Rule, Option<Severity>>, String> {
    raw.into_iter()
        .map(|(id, setting)| {
            let rule = Rule::parse(&id)?;
            let severity = match setting {
                RawSeverity::Error => Some(Severity::Error),
                RawSeverity::Warning => Some(Severity::Warning),
                RawSeverity::Off => None,
            };
            Ok((rule, severity))
        })
        .collect()
}

/// The message for a contract id that does not exist, listing those that do.
pub fn unknown_contract(id: &str) -> String {
    format!(
        "unknown contract `{id}`; the contracts are {}",
        actionlog_models::registry::ids()
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[contracts]
"captures/auth0/**" = "auth0.execution"

[rules]
"json.duplicate-key" = "error"

[[overrides]]
paths = ["captures/legacy/**"]
rules = { "drift.unknown-field" = "off" }
"#;

    #[test]
    fn maps_paths_to_contracts_and_rules() {
        let config = Config::parse(TEXT, PathBuf::from("/repo")).unwrap();
        let contract = config.contract_for(Path::new("/repo/captures/auth0/a/b.json"));
        assert_eq!(contract.map(|c| c.id), Some("auth0.execution"));
        assert!(
            config
                .contract_for(Path::new("/repo/other/b.json"))
                .is_none()
        );

        let base = Policy::default();
        let legacy = config.policy_for(&base, Path::new("/repo/captures/legacy/x.json"));
        assert_eq!(legacy.severity(Rule::DriftUnknownField), None);
        assert_eq!(
            legacy.severity(Rule::JsonDuplicateKey),
            Some(Severity::Error)
        );
        let other = config.policy_for(&base, Path::new("/repo/captures/x.json"));
        assert_eq!(
            other.severity(Rule::DriftUnknownField),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn names_what_is_wrong() {
        let error =
            Config::parse("[contracts]\n\"x/**\" = \"nope\"\n", PathBuf::new()).unwrap_err();
        assert!(error.contains("unknown contract `nope`"));
        let error =
            Config::parse("[rules]\n\"schema.typo\" = \"off\"\n", PathBuf::new()).unwrap_err();
        assert!(error.contains("unknown rule `schema.typo`"));
        assert!(Config::parse("[colors]\n", PathBuf::new()).is_err());
    }
}
