//! [`MockContext`]: what a mock handler sees of a request besides its body.

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::Response;

use super::MockError;

/// What a mock handler sees of a request besides its body.
#[derive(Debug, Clone, Default)]
pub struct MockContext {
    /// Request headers.
    pub headers: HeaderMap,
    /// Query parameters in order.
    pub query: Vec<(String, String)>,
    /// Path parameters by name.
    pub path: BTreeMap<String, String>,
}

impl MockContext {
    /// A path parameter, or a 400 answer when it is missing.
    pub fn path_param(&self, name: &str) -> Result<String, MockError> {
        self.path
            .get(name)
            .cloned()
            .ok_or_else(|| MockError::bad_request(format!("missing path parameter {name}")))
    }

    /// The first query parameter called `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MockContext {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = RawPathParams::from_request_parts(parts, state).await.ok();
        let path = raw
            .map(|params| {
                params
                    .iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let query = parts.uri.query().map(parse_query).unwrap_or_default();
        Ok(MockContext {
            headers: parts.headers.clone(),
            query,
            path,
        })
    }
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
