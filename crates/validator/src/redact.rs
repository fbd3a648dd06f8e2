//! `actionlog redact`: a copy of a HAR capture with every credential replaced
//! by `REDACTED`, and every other byte kept. Edits are made in the text at the
//! credentials' own string literals, so the result is still the same HAR,
//! diffable against the original, and it validates clean (an
//! `Authorization` header keeps its scheme: `Bearer REDACTED`).

use crate::har::REDACTED;
use crate::position::SourceMap;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The redacted text of a HAR capture, and how many values were replaced.
/// Redacting a redacted capture changes nothing.
pub fn redact(text: &str) -> Result<(String, usize), String> {
    let document = crate::json::parse(text)
        .map_err(|error| format!("not JSON: {error}"))?
        .value;
    let entries = document
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or("not a HAR 1.2 capture (expected log.entries[])")?;
    let map = SourceMap::new(text);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut replace = |pointer: String, replacement: String| {
        if let Some(position) = map
            .locate(&pointer)
            .filter(|_| document.pointer(&pointer).is_some())
        {
            let literal = serde_json::to_string(&replacement).unwrap_or_default();
            edits.push((position.offset, position.offset + position.len, literal));
        }
    };
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("/log/entries/{index}");
        for side in ["request", "response"] {
            for (list, field) in [("headers", "name"), ("cookies", "name")] {
                let Some(items) = entry
                    .pointer(&format!("/{side}/{list}"))
                    .and_then(Value::as_array)
                else {
                    continue;
                };
                for (item_index, item) in items.iter().enumerate() {
                    let name = item.get(field).and_then(Value::as_str).unwrap_or_default();
                    let Some(value) = item.get("value").and_then(Value::as_str) else {
                        continue;
                    };
                    let secret = list == "cookies" || crate::secret::is_secret_name(name);
                    if !secret || value.contains(REDACTED) || value.trim().is_empty() {
                        continue;
                    }
                    let replacement = match value.split_once(' ') {
                        // Keep the scheme, so the capture still says how it authenticated.
                        Some((scheme, _)) if name.eq_ignore_ascii_case("authorization") => {
                            format!("{scheme} {REDACTED}")
                        }
                        _ => REDACTED.to_owned(),
                    };
                    replace(
                        format!("{at}/{side}/{list}/{item_index}/value"),
                        replacement,
                    );
                }
            }
        }
        if let Some(url) = entry.pointer("/request/url").and_then(Value::as_str) {
            // Compared with the URL as the url crate writes it, not as the
            // capture does: a URL without credentials must stay byte for byte
            // (`https://host` is written back as `https://host/`).
            let masked = crate::har::mask_url(url);
            let normalized =
                url::Url::parse(url).map_or_else(|_| url.to_owned(), |parsed| parsed.to_string());
            if masked != normalized {
                replace(format!("{at}/request/url"), masked);
            }
        }
        if let Some(items) = entry
            .pointer("/request/queryString")
            .and_then(Value::as_array)
        {
            for (item_index, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                let value = item
                    .get("value")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if crate::har::is_secret_query(name) && value != REDACTED && !value.is_empty() {
                    replace(
                        format!("{at}/request/queryString/{item_index}/value"),
                        REDACTED.to_owned(),
                    );
                }
            }
        }
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let count = edits.len();
    let mut redacted = text.to_owned();
    for (start, end, literal) in edits {
        redacted.replace_range(start..end, &literal);
    }
    Ok((redacted, count))
}

/// Where `actionlog redact FILE` writes: `capture.har` → `capture.redacted.har`.
pub fn output_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "har".to_owned());
    path.with_file_name(format!("{stem}.redacted.{extension}"))
}

/// Writes `text` to `path` through a temporary file in the same folder and
/// a rename, keeping `like`'s permissions: the target is never half-written.
pub fn write_atomically(path: &Path, text: &str, like: &Path) -> Result<(), String> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(|error| {
        format!(
            "cannot create a temporary file in {}: {error}",
            folder.display()
        )
    })?;
    std::io::Write::write_all(&mut temporary, text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    if let Ok(metadata) = std::fs::metadata(like) {
        std::fs::set_permissions(temporary.path(), metadata.permissions()).map_err(|error| {
            format!("cannot keep the permissions of {}: {error}", like.display())
        })?;
    }
    temporary
        .persist(path)
        .map_err(|error| format!("cannot rename into {}: {}", path.display(), error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPTURE: &str = r#"{"log": {"entries": [{
  "request": {"method": "GET", "url": "https://user:pw@api.stackone.com/logs/actions/a?api_key=k123&x=1",
    "headers": [{"name": "Authorization", "value": "Basic dXNlcjpwdw=="}, {"name": "Accept", "value": "*/*"}],
    "queryString": [{"name": "api_key", "value": "k123"}, {"name": "x", "value": "1"}],
    "cookies": [{"name": "sid", "value": "s3cr3t"}]},
  "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": "sid=s3cr3t; HttpOnly"}],
    "content": {"mimeType": "application/json", "text": "{}"}}
}]}}"#;

    #[test]
    fn replaces_credentials_and_keeps_every_other_byte() {
        let (redacted, count) = redact(CAPTURE).unwrap();
        assert_eq!(count, 5);
        for secret in ["dXNlcjpwdw==", "k123", "s3cr3t", "user:pw"] {
            assert!(!redacted.contains(secret), "{secret} left in {redacted}");
        }
        assert!(redacted.contains(r#""value": "Basic REDACTED""#));
        assert!(redacted.contains(r#"{"name": "Accept", "value": "*/*"}"#));
        assert!(redacted.contains(r#""text": "{}""#));
        serde_json::from_str::<Value>(&redacted).unwrap();
        assert_eq!(redact(&redacted).unwrap(), (redacted.clone(), 0));
    }

    #[test]
    fn leaves_a_url_without_credentials_as_written() {
        // Both found by the `har` fuzz target (fuzz/regressions/har/).
        for url in ["https://acme.eu.auth0.com", "https://h/?a"] {
            let text = format!(
                r#"{{"log":{{"entries":[{{"request":{{"method":"GET","url":"{url}"}}}}]}}}}"#
            );
            assert_eq!(redact(&text).unwrap(), (text.clone(), 0));
        }
    }

    #[test]
    fn names_the_output_beside_the_input() {
        assert_eq!(
            output_path(Path::new("a/capture.har")),
            PathBuf::from("a/capture.redacted.har")
        );
    }
}
