//! A small JSON tree that keeps keys in the order they were inserted, and its pretty printer.
//!
//! `serde_json::Map` is sorted or insertion-ordered depending on a cargo feature any crate in the
//! build may switch on, so the same code could write different files from `cargo test` and from
//! `cargo xtask`. This tree prints the same bytes everywhere, and lets a document keep a reader's
//! order (`openapi`, `info`, `paths`; properties in spec order).

use std::fmt::Write as _;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as its literal text (always a valid JSON number).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object.
    Object(Object),
}

/// A JSON object whose keys keep their insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(Vec<(String, Json)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Object(Vec::new())
    }

    /// Sets `key`, replacing an earlier value in place or appending.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Json>) -> &mut Self {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
        self
    }

    /// Builder form of [`Object::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Json>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets `key` only when `value` is `Some`.
    pub fn with_some(mut self, key: &str, value: Option<impl Into<Json>>) -> Self {
        if let Some(value) = value {
            self.insert(key, value);
        }
        self
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }

    /// True when the object has no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys and values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl From<Object> for Json {
    fn from(object: Object) -> Self {
        Json::Object(object)
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Self {
        Json::String(text.to_owned())
    }
}

impl From<String> for Json {
    fn from(text: String) -> Self {
        Json::String(text)
    }
}

impl From<&String> for Json {
    fn from(text: &String) -> Self {
        Json::String(text.clone())
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Self {
        Json::Bool(value)
    }
}

impl From<i64> for Json {
    fn from(value: i64) -> Self {
        Json::Number(value.to_string())
    }
}

impl From<u64> for Json {
    fn from(value: u64) -> Self {
        Json::Number(value.to_string())
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Self {
        Json::Array(items.into_iter().map(Into::into).collect())
    }
}

impl Json {
    /// The number a decimal literal such as `"0.01"` or `"-5000"` spells, if it is a valid JSON
    /// number (no `+`, no leading zeros, digits on both sides of the point).
    pub fn number(literal: &str) -> Option<Json> {
        let digits = literal.strip_prefix('-').unwrap_or(literal);
        let (int, frac) = match digits.split_once('.') {
            Some((int, frac)) => (int, Some(frac)),
            None => (digits, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let int_ok = all_digits(int) && (int == "0" || !int.starts_with('0'));
        let frac_ok = frac.is_none_or(all_digits);
        (int_ok && frac_ok).then(|| Json::Number(literal.to_owned()))
    }

    /// Pretty-printed with two-space indents and a final newline, like `serde_json`'s pretty
    /// printer, keys in insertion order.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Number(literal) => out.push_str(literal),
            Json::String(text) => write_string(out, text),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    item.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            Json::Object(object) if object.is_empty() => out.push_str("{}"),
            Json::Object(object) => {
                out.push('{');
                for (i, (key, value)) in object.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push('}');
            }
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// `text` as a JSON string literal (also a valid TOML basic string: the escapes are common).
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Every control character, DEL and C1 included: JSON allows them raw above U+001F,
            // but TOML (which shares this writer) does not.
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_in_insertion_order_with_escapes() {
        let doc = Object::new()
            .with("z", "a \"quoted\"\nline\u{1}")
            .with("a", Json::Array(vec![1i64.into(), Json::Null, true.into()]))
            .with("empty", Object::new())
            .with("none", Json::Array(Vec::new()));
        assert_eq!(
            Json::from(doc).to_pretty(),
            "{\n  \"z\": \"a \\\"quoted\\\"\\nline\\u0001\",\n  \"a\": [\n    1,\n    null,\n    true\n  ],\n  \"empty\": {},\n  \"none\": []\n}\n"
        );
    }

    #[test]
    fn accepts_only_json_number_literals() {
        for ok in ["0", "0.01", "-5", "1000000000", "13.70"] {
            assert!(Json::number(ok).is_some(), "{ok}");
        }
        for bad in ["", "+1", "01", ".5", "5.", "1e3", "x", "-"] {
            assert!(Json::number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn insert_replaces_in_place() {
        let mut object = Object::new().with("a", 1i64).with("b", 2i64);
        object.insert("a", 3i64);
        let keys: Vec<_> = object.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(object.get("a"), Some(&Json::Number("3".into())));
    }
}
