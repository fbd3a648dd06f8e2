//! Secrets never leave a capture through our output. A value is shown only
//! when neither its member's name nor its content looks like a credential.

use serde_json::Value;

/// Member names whose values are credentials, compared case-insensitively
/// after removing `-` and `_`.
const SECRET_NAMES: &[&str] = &[
    "authorization",
    "proxyauthorization",
    "cookie",
    "setcookie",
    "xarklowauth",
    "apikey",
    "xapikey",
    "token",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "clientsecret",
    "secret",
    "password",
    "passwd",
];

/// Whether a member name names a credential.
pub fn is_secret_name(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.contains(&folded.as_str())
}

/// Whether a string looks like a credential whatever its member is called.
pub fn is_secret_text(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("bearer ") || lower.starts_with("basic ")
}

/// The value at `pointer` as a reader should see it: its JSON, shortened, or
/// a placeholder that says what it is without saying what it holds.
pub fn shown_value(pointer: &str, value: &Value) -> String {
    let secret_member = pointer.split('/').any(is_secret_name);
    let secret_text = value.as_str().is_some_and(is_secret_text);
    if secret_member || secret_text {
        return match value {
            Value::String(text) => {
                format!("a string of {} characters (redacted)", text.chars().count())
            }
            other => format!(
                "{} (redacted)",
                crate::check::with_article(crate::schema::json_type(other))
            ),
        };
    }
    crate::check::shorten(&value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hides_credentials_by_name_and_by_content() {
        assert_eq!(
            shown_value("/headers/Set-Cookie", &json!("sid=abc")),
            "a string of 7 characters (redacted)"
        );
        assert_eq!(
            shown_value("/note", &json!("Bearer abc.def")),
            "a string of 14 characters (redacted)"
        );
        assert_eq!(shown_value("/status", &json!("RUNNING")), "\"RUNNING\"");
        assert!(!is_secret_name("credential_id"));
    }
}

/// A line of a captured file with the values of secret-named members (and
/// strings that look like credentials) replaced by `*`, same length, so that
/// columns still line up.
pub fn mask_line(line: &str) -> std::borrow::Cow<'_, str> {
    let strings = string_literals(line);
    let mut masked = String::new();
    let mut copied = 0;
    for (index, &(start, end)) in strings.iter().enumerate() {
        let content = &line[start + 1..end - 1];
        if line[end..].trim_start().starts_with(':') {
            continue; // a key, not a value
        }
        let key_is_secret = index > 0 && {
            let (key_start, key_end) = strings[index - 1];
            line[key_end..start].trim() == ":" && is_secret_name(&line[key_start + 1..key_end - 1])
        };
        if key_is_secret || is_secret_text(content) {
            masked.push_str(&line[copied..=start]);
            masked.extend(content.chars().map(|_| '*'));
            copied = end - 1;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(line);
    }
    masked.push_str(&line[copied..]);
    std::borrow::Cow::Owned(masked)
}

/// Byte ranges of the JSON string literals on a line, quotes included.
fn string_literals(line: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match (start, c) {
            (None, '"') => start = Some(at),
            (Some(_), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(open), '"') if !escaped => {
                found.push((open, at + 1));
                start = None;
            }
            _ => {}
        }
        escaped = false;
    }
    found
}

#[cfg(test)]
mod mask_tests {
    use super::mask_line;

    #[test]
    fn masks_secret_members_and_credential_strings_keeping_columns() {
        let line = r#"  "Authorization": "Bearer abc", "status": "ok", "x": "basic QQ==""#;
        let masked = mask_line(line);
        assert_eq!(masked.chars().count(), line.chars().count());
        assert!(!masked.contains("abc"));
        assert!(!masked.contains("QQ=="));
        assert!(masked.contains(r#""status": "ok""#));
        assert_eq!(mask_line(r#""status": "final""#), r#""status": "final""#);
    }
}
