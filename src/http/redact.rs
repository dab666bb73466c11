//! Keeps secrets out of every trace, log line and error message.
//!
//! Two layers: known-secret *names* (headers, query parameters, form and JSON keys) are
//! masked wherever they appear, and every secret *value* psa-link has loaded is registered
//! here so that it is masked even where it turns up unexpectedly (an error body that
//! echoes the request, a URL built by a vendor).

use std::sync::{Mutex, OnceLock};

pub const MASK: &str = "[REDACTED]";

/// Header names whose values are credentials (compared case-insensitively).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "secret",
    "apiintegrationcode",
    "x-api-key",
];

/// Query, form and JSON keys whose values are credentials (compared case-insensitively,
/// ignoring `_`, `-` and case so `accessToken`, `access_token` and `Access-Token` match).
const SECRET_KEYS: &[&str] = &[
    "clientsecret",
    "apisecret",
    "apikey",
    "password",
    "secret",
    "privatekey",
    "token",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "apitoken",
    "samlresponse",
    "mfacode",
];

fn registry() -> &'static Mutex<Vec<String>> {
    static REG: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    REG.get_or_init(|| Mutex::new(Vec::new()))
}

/// Remembers a secret value so [`scrub`] masks it anywhere. Very short values are not
/// registered: masking every "1" in a trace would make it unreadable and protects nothing.
pub fn register(value: &str) {
    if value.len() < 4 {
        return;
    }
    let mut reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    if !reg.iter().any(|v| v == value) {
        reg.push(value.to_string());
        // Longest first, so a secret that contains another is masked whole.
        reg.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }
}

/// Masks every registered secret value in `text`.
pub fn scrub(text: &str) -> String {
    let reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    let mut out = text.to_string();
    for secret in reg.iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

pub fn is_secret_key(key: &str) -> bool {
    let k = normalise_key(key);
    SECRET_KEYS.iter().any(|s| *s == k)
}

/// A header line for a trace, with credential headers masked.
pub fn header(name: &str, value: &str) -> String {
    if is_secret_header(name) {
        format!("{name}: {MASK}")
    } else {
        format!("{name}: {}", scrub(value))
    }
}

/// A URL for a trace or an error message: secret query parameters masked, then any
/// registered secret value masked.
pub fn url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.query().is_some() {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if is_secret_key(&k) {
                            MASK.to_string()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            if !u.username().is_empty() || u.password().is_some() {
                let _ = u.set_username("");
                let _ = u.set_password(None);
            }
            scrub(u.as_str())
        }
        Err(_) => scrub(raw),
    }
}

/// A request or response body for a `-vv` trace: form and JSON secrets masked.
pub fn body(content_type: Option<&str>, raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if ct.contains("x-www-form-urlencoded") {
        let pairs: Vec<String> = url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| {
                if is_secret_key(&k) {
                    format!("{k}={MASK}")
                } else {
                    format!("{k}={v}")
                }
            })
            .collect();
        return scrub(&pairs.join("&"));
    }
    if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) {
        mask_json(&mut value);
        return scrub(&value.to_string());
    }
    scrub(&text)
}

fn mask_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_key(k) && !v.is_null() {
                    *v = serde_json::Value::String(MASK.into());
                } else {
                    mask_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_values_are_masked_anywhere() {
        register("s3cr3t-value-for-test");
        assert_eq!(
            scrub("echo s3cr3t-value-for-test back"),
            format!("echo {MASK} back")
        );
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        let u = url("https://x.example/api?client_secret=abc&page=2&api_key=k");
        assert!(
            u.contains("client_secret=%5BREDACTED%5D") || u.contains("client_secret=[REDACTED]")
        );
        assert!(u.contains("page=2"));
        assert!(!u.contains("abc"));
        assert!(!u.contains("api_key=k"));
    }

    #[test]
    fn credential_headers_are_masked() {
        assert_eq!(
            header("Authorization", "Basic Zm9vOmJhcg=="),
            format!("Authorization: {MASK}")
        );
        assert_eq!(header("secret", "pw"), format!("secret: {MASK}"));
        assert_eq!(
            header("ApiIntegrationCode", "X"),
            format!("ApiIntegrationCode: {MASK}")
        );
        assert_eq!(
            header("Accept", "application/json"),
            "Accept: application/json"
        );
    }

    #[test]
    fn form_and_json_bodies_are_masked() {
        let form = body(
            Some("application/x-www-form-urlencoded"),
            b"grant_type=client_credentials&client_id=id&client_secret=topsecret",
        );
        assert!(form.contains("client_id=id"));
        assert!(!form.contains("topsecret"));
        let json = body(
            Some("application/json"),
            br#"{"access_token":"tok123","expires_in":3600}"#,
        );
        assert!(!json.contains("tok123"));
        assert!(json.contains("3600"));
        let nested = body(
            None,
            br#"{"result":{"accessToken":"jwt","refreshToken":"r"}}"#,
        );
        assert!(!nested.contains("jwt"));
    }
}
