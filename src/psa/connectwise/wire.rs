//! ConnectWise wire formats: `conditions` literals, `Link` headers, the 100-character
//! summary, note text that survives line-break collapsing, and both error body shapes.

use serde::Deserialize;
use serde_json::Value;

use crate::lifecycle::content::{TextUnit, shorten_title};

/// `summary` and `externalXRef` limit (.NET string length: UTF-16 code units).
pub const SUMMARY_MAX: usize = 100;

/// A string literal for `conditions`: double-quoted, `\` and `"` escaped, and `[` written
/// `[[]` (the guide's rule: conditions reach SQL, where `[` opens a character class).
/// URL encoding is the query encoder's job.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '[' => out.push_str("[[]"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `(rel, url)` pairs of an RFC 5988 `Link` header. URLs may contain commas, so this walks
/// the `<...>` brackets instead of splitting on `,`.
pub fn links(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let url = rest[open + 1..close].trim().to_string();
        let after = &rest[close + 1..];
        let params_end = after.find('<').unwrap_or(after.len());
        let params = after[..params_end].trim().trim_end_matches(',');
        for param in params.split(';') {
            if let Some((k, v)) = param.split_once('=')
                && k.trim().eq_ignore_ascii_case("rel")
            {
                for rel in v.trim().trim_matches('"').split_whitespace() {
                    out.push((rel.to_ascii_lowercase(), url.clone()));
                }
            }
        }
        rest = &after[params_end..];
    }
    out
}

pub fn link<'a>(links: &'a [(String, String)], rel: &str) -> Option<&'a str> {
    links
        .iter()
        .find(|(r, _)| r == rel)
        .map(|(_, u)| u.as_str())
}

/// The `page` number in a page link.
pub fn page_of(link: &str) -> Option<u32> {
    let url = url::Url::parse(link).ok()?;
    url.query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("page"))
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// `summary`/`externalXRef` length as ConnectWise counts it.
pub fn summary_len(s: &str) -> usize {
    TextUnit::Utf16.len(s)
}

/// A ticket title within ConnectWise's 100-unit `summary`, shortened by the shared title
/// rule ([`shorten_title`]: severity prefix and organization kept, ellipses inside).
pub fn summary(title: &str) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    shorten_title(&title, SUMMARY_MAX, TextUnit::Utf16)
}

/// Line breaks normalised to `\n`, trailing blank lines dropped.
pub fn normalize_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_string()
}

/// Note text for an instance that collapses line breaks to a space (the developer guide
/// lists `\n` as unsupported): the lines joined with ` | ` so they stay apart.
pub fn single_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Whether the instance collapsed the line breaks of text it stored.
pub fn newlines_collapsed(sent: &str, stored: &str) -> bool {
    sent.contains('\n') && !stored.contains('\n') && !stored.contains('\r')
}

/// A ConnectWise error body, in either shape: `{code, message, errors:[...]|null}` or the
/// rate limiter's `{error, message}`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: Option<String>,
    /// The 429 shape's `"error": "ConnectWiseAPI"`.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "field_errors")]
    pub errors: Vec<FieldError>,
}

/// One entry of `errors`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct FieldError {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

/// `errors` may be an array, `null` or absent; anything else is ignored.
fn field_errors<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<FieldError>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(match value {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    })
}

impl ErrorBody {
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        let parsed: ErrorBody = serde_json::from_slice(body).ok()?;
        (parsed.code.is_some() || parsed.error.is_some() || parsed.message.is_some())
            .then_some(parsed)
    }

    /// Whether a field error names `field` (`status/id`, `status`).
    pub fn names_field(&self, field: &str) -> bool {
        self.errors.iter().any(|e| {
            e.field.as_deref().is_some_and(|f| {
                f.eq_ignore_ascii_case(field) || f.starts_with(&format!("{field}/"))
            })
        })
    }
}

/// The policy's message extractor: the message, then each field error with its field.
pub fn error_message(status: u16, body: &[u8]) -> String {
    let Some(parsed) = ErrorBody::parse(body) else {
        return crate::http::default_error_message(status, body);
    };
    let mut text = parsed
        .message
        .clone()
        .or(parsed.code.clone())
        .or(parsed.error.clone())
        .unwrap_or_default();
    let details: Vec<String> = parsed
        .errors
        .iter()
        .filter_map(|e| {
            let msg = e.message.as_deref().or(e.code.as_deref())?;
            Some(match &e.field {
                Some(f) if !msg.contains(f.as_str()) => format!("{msg} (field {f})"),
                _ => msg.to_string(),
            })
        })
        .collect();
    if !details.is_empty() {
        text = format!("{text}: {}", details.join("; "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_brackets() {
        assert_eq!(quote("Acme"), r#""Acme""#);
        assert_eq!(
            quote(r#"Tom's "Best" [Shop] \ Co & Sons"#),
            r#""Tom's \"Best\" [[]Shop] \\ Co & Sons""#
        );
    }

    #[test]
    fn link_header_with_commas_in_urls() {
        let h = r#"<https://x/a?fields=id,name&page=1>; rel="first", <https://x/a?fields=id,name&page=3>; rel="next", <https://x/a?page=9>; rel="last""#;
        let l = links(h);
        assert_eq!(link(&l, "next"), Some("https://x/a?fields=id,name&page=3"));
        assert_eq!(link(&l, "last").and_then(page_of), Some(9));
        assert_eq!(link(&l, "prev"), None);
        assert!(links("").is_empty());
    }

    #[test]
    fn long_titles_keep_severity_and_organization() {
        let host = "WORKSTATION-".repeat(10);
        let t = format!("CRITICAL - Incident on {host} (Able Moose Accounting)");
        let s = summary(&t);
        assert!(summary_len(&s) <= SUMMARY_MAX, "{s}");
        assert!(s.starts_with("CRITICAL - Incident on WORKSTATION-"), "{s}");
        assert!(s.ends_with("… (Able Moose Accounting)"), "{s}");

        let t = format!(
            "[Unmapped] HIGH - Incident on PC01 ({})",
            "Very Long Organization Name ".repeat(5)
        );
        let s = summary(&t);
        assert!(summary_len(&s) <= SUMMARY_MAX, "{s}");
        assert!(
            s.starts_with("[Unmapped] HIGH - Incident on PC01 (Very Long"),
            "{s}"
        );
        assert!(s.ends_with("…)"), "{s}");

        let short = "LOW - Incident on PC01 (Contoso Ltd)";
        assert_eq!(summary(short), short);
        let s = summary(&"x".repeat(300));
        assert_eq!(summary_len(&s), SUMMARY_MAX);
        // Characters outside the BMP count twice, as in .NET.
        let s = summary(&format!("HIGH - Incident on {} (Org)", "😀".repeat(80)));
        assert!(summary_len(&s) <= SUMMARY_MAX, "{s}");
        assert!(s.ends_with("… (Org)"), "{s}");
        // The organization is the final balanced group, nested parentheses included.
        let t = format!(
            "HIGH - Incident on {} (Acme Holdings (UK) Ltd)",
            "host-".repeat(30)
        );
        let s = summary(&t);
        assert!(summary_len(&s) <= SUMMARY_MAX, "{s}");
        assert!(s.ends_with("… (Acme Holdings (UK) Ltd)"), "{s}");
    }

    #[test]
    fn single_line_keeps_lines_apart() {
        assert_eq!(single_line("a\n\n b \nc"), "a | b | c");
        assert!(newlines_collapsed("a\nb", "a b"));
        assert!(!newlines_collapsed("a\nb", "a\nb"));
        assert!(!newlines_collapsed("ab", "ab"));
    }

    #[test]
    fn both_error_shapes_parse() {
        let v = br#"{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"NotFound","message":"Service Status 17 not found for Service Board 21","resource":"ticket","field":"status/id"}]}"#;
        let b = ErrorBody::parse(v).unwrap();
        assert_eq!(b.code.as_deref(), Some("InvalidObject"));
        assert!(b.names_field("status"));
        assert_eq!(
            error_message(400, v),
            "ticket object is invalid: Service Status 17 not found for Service Board 21 (field status/id)"
        );
        let limited = br#"{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 30 seconds."}"#;
        let b = ErrorBody::parse(limited).unwrap();
        assert_eq!(b.error.as_deref(), Some("ConnectWiseAPI"));
        assert!(b.errors.is_empty());
        assert_eq!(
            error_message(429, limited),
            "Too many requests. Please try again in 30 seconds."
        );
        let null = br#"{"code":"Security","message":"SSL is required.","errors":null}"#;
        assert_eq!(error_message(400, null), "SSL is required.");
        assert_eq!(error_message(404, b""), "HTTP 404 with an empty body");
        assert_eq!(
            error_message(504, b"504 Gateway Time-out"),
            "504 Gateway Time-out"
        );
    }
}
