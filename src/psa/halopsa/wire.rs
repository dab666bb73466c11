//! Tolerant reading of Halo's JSON: ids that arrive as ints, doubles (`12.0`) or strings,
//! booleans as strings, dates without an offset, lists either bare or in an envelope.

use serde_json::{Map, Value};
use time::OffsetDateTime;

/// A whole number from an int, a whole double or a numeric string.
pub fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn field_int(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    obj.get(key).and_then(int)
}

pub fn field_text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn field_bool(obj: &Map<String, Value>, key: &str) -> Option<bool> {
    match obj.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}

/// The records of a list response: a bare array, or the array under `key` in an envelope
/// (matched case-insensitively).
pub fn records<'a>(body: &'a Value, key: &str) -> Option<&'a Vec<Value>> {
    match body {
        Value::Array(items) => Some(items),
        Value::Object(m) => m
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v.as_array()),
        _ => None,
    }
}

/// [`records`], to take the list out of the body.
pub fn records_mut<'a>(body: &'a mut Value, key: &str) -> Option<&'a mut Vec<Value>> {
    match body {
        Value::Array(items) => Some(items),
        Value::Object(m) => m
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v.as_array_mut()),
        _ => None,
    }
}

/// Halo dates: RFC 3339, or UTC without an offset (`2024-05-01T10:00:00.123`).
pub fn date(s: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    time::PrimitiveDateTime::parse(s, &format)
        .ok()
        .map(|p| p.assume_utc())
}

/// Plain text as Halo HTML: escaped, with line breaks kept.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_read_from_ints_doubles_and_strings() {
        assert_eq!(int(&json!(12)), Some(12));
        assert_eq!(int(&json!(12.0)), Some(12));
        assert_eq!(int(&json!("12")), Some(12));
        assert_eq!(int(&json!(12.5)), None);
        assert_eq!(int(&json!("6f1c-uuid")), None);
    }

    #[test]
    fn dates_with_and_without_offset() {
        let a = date("2024-05-01T10:00:00.123").unwrap();
        let b = date("2024-05-01T10:00:00Z").unwrap();
        assert_eq!(a.unix_timestamp(), b.unix_timestamp());
        assert!(date("2024-05-01T10:00:00").is_some());
        assert!(date("yesterday").is_none());
    }

    #[test]
    fn plain_text_becomes_escaped_html_with_breaks() {
        assert_eq!(
            text_to_html("a < b & \"c\"\r\nnext"),
            "a &lt; b &amp; &quot;c&quot;<br>next"
        );
    }

    #[test]
    fn records_from_bare_arrays_and_envelopes() {
        let bare = json!([{"id": 1}]);
        assert_eq!(records(&bare, "clients").unwrap().len(), 1);
        let env = json!({"record_count": 2, "Clients": [{"id": 1}, {"id": 2}]});
        assert_eq!(records(&env, "clients").unwrap().len(), 2);
        assert!(records(&json!({"x": 1}), "clients").is_none());
    }
}
