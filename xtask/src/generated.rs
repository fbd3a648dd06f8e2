//! Generated files: what they should contain, and writing or checking them.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A file the repository generates: its path relative to the root and the
/// text it must hold.
pub struct GeneratedFile {
    pub path: PathBuf,
    pub text: String,
}

/// `schemas/<id>.schema.json` for every contract, and `schemas/openapi.json`
/// for all of them.
pub fn schema_files() -> Vec<GeneratedFile> {
    let mut files: Vec<GeneratedFile> = actionlog_models::CONTRACTS
        .iter()
        .map(|contract| GeneratedFile {
            path: PathBuf::from("schemas").join(format!("{}.schema.json", contract.id)),
            text: actionlog_models::schema::to_text(&(contract.response.schema)()),
        })
        .collect();
    files.push(GeneratedFile {
        path: PathBuf::from("schemas").join("openapi.json"),
        text: crate::openapi::text(),
    });
    files
}

/// Writes the files (atomically: a temporary file in the same folder, then a
/// rename), or with `check` compares them and prints a unified diff of each
/// stale file, writing nothing.
pub fn sync(root: &Path, files: &[GeneratedFile], check: bool) -> Result<ExitCode> {
    let stale_files = stale(root, files)?;
    for (file, current) in &stale_files {
        let path = root.join(&file.path);
        if check {
            let old = current.clone().unwrap_or_default();
            let diff = similar::TextDiff::from_lines(&old, &file.text);
            let shown = file.path.display().to_string();
            print!(
                "{}",
                diff.unified_diff()
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
            );
        } else {
            write_atomically(&path, &file.text)?;
            println!("wrote {}", file.path.display());
        }
    }
    if check && !stale_files.is_empty() {
        eprintln!(
            "{} generated file(s) are stale: run `cargo xtask schemas` and commit the result",
            stale_files.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The files whose committed text differs from what the generator gives,
/// each with its current text (`None` when missing). Writes nothing.
pub fn stale<'a>(
    root: &Path,
    files: &'a [GeneratedFile],
) -> Result<Vec<(&'a GeneratedFile, Option<String>)>> {
    let mut stale = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let current = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
        };
        if current.as_deref() != Some(file.text.as_str()) {
            stale.push((file, current));
        }
    }
    Ok(stale)
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let folder = path
        .parent()
        .context("a generated file has no parent folder")?;
    std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("creating a temporary file in {}", folder.display()))?;
    std::io::Write::write_all(&mut temporary, text.as_bytes())?;
    temporary
        .persist(path)
        .with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}
