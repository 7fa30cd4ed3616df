//! The seam between the generated mock router (`crate::mock`) and the hand-written mock state.
//!
//! Generated code routes each operation of the spec to a method of the generated
//! `MockOperations` trait through [`serve`], which checks authentication, applies injected faults
//! and wraps the answer in the operation's envelope.
//!
//! The hand-written mock EnKash server built on it:
//!
//! | module | what |
//! |---|---|
//! | `server` | [`MockServer`]: start on `127.0.0.1`, URL, test credentials, fault injection, hit counters |
//! | `config` | [`MockConfig`]: token lifetime, invalid-token status, payment timing, seeded data |
//! | `faults` | [`Repeat`] ([`Times`], [`Always`]) and the per-operation fault queues |
//! | `routes` | the generated `MockOperations` trait implemented by [`MockState`]; auth and hit counting |
//! | `state` | [`MockState`]: tokens, orders, payments, refunds, settlements, split accounts, UPI QR, mandates (one file per area) and the error [`codes`] |
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use enkash_generated::runtime::mock::{Fault, MockConfig, MockServer, Times};
//!
//! let mock = MockServer::start(MockConfig::default()).await?;
//! let client = mock.client_builder().build().expect("a valid client");
//! mock.inject("get_order_status", Fault::Status(503), Times(2));
//! // ... call `client`, then assert on what arrived:
//! assert_eq!(mock.hits("get_authorization_token"), 0);
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::{Envelope, OperationInfo};

mod config;
mod faults;
mod routes;
mod server;
mod state;

pub use config::MockConfig;
pub use faults::Repeat::{self, Always, Times};
pub use server::MockServer;
pub use state::{MockState, codes};

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

/// An error answer: HTTP status plus the envelope's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    /// HTTP status.
    pub status: u16,
    /// Envelope code (non-zero).
    pub code: i64,
    /// Envelope message.
    pub message: String,
}

impl MockError {
    /// HTTP 400 with envelope code 1.
    pub fn bad_request(message: impl Into<String>) -> Self {
        MockError {
            status: 400,
            code: 1,
            message: message.into(),
        }
    }

    /// HTTP 200 with a non-zero envelope code, as EnKash answers business errors.
    pub fn api(code: i64, message: impl Into<String>) -> Self {
        MockError {
            status: 200,
            code,
            message: message.into(),
        }
    }
}

/// What a mock handler returns: the payload, or an error answer.
pub type MockReply<T> = Result<T, MockError>;

/// A fault injected into one route's next answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait before answering.
    Delay(Duration),
    /// Answer with this HTTP status and an empty body.
    Status(u16),
    /// Answer with this HTTP status, an empty body and `Retry-After: <seconds>` (for 429/503).
    StatusWithRetryAfter {
        /// HTTP status.
        status: u16,
        /// Value of the `Retry-After` header, in seconds.
        seconds: u64,
    },
    /// Answer 200 with this non-zero envelope code and message.
    ResponseCode(i64, String),
    /// Answer 200 with a body that is not JSON.
    MalformedJson,
    /// Answer 200 with the real body cut in half.
    TruncatedJson,
    /// Answer 502 with an HTML error page, as a proxy in front of EnKash would.
    HtmlErrorPage,
    /// Replace every `status` string in the payload with a value no enum knows.
    UnknownEnumValue,
    /// Close the connection without answering.
    DropConnection,
    /// Handle the request (the state changes as usual), then close the connection without
    /// answering: the answer is lost, as when a connection breaks after the server acted.
    DropAfterHandling,
}

/// What the hand-written mock state decides for every request.
pub trait MockHooks: Send + Sync + 'static {
    /// Checks the request's auth headers for `op`.
    fn authorize(&self, op: &'static OperationInfo, ctx: &MockContext) -> Result<(), MockError>;

    /// The fault to inject into this answer of `op`, if any.
    fn fault(&self, op: &'static OperationInfo) -> Option<Fault>;

    /// Checks the credentials `op` carries in its request body (`op.body_credentials`).
    fn authorize_body(&self, op: &'static OperationInfo, body: &[u8]) -> Result<(), MockError>;
}

/// The string value of each body credential field of `op` (`None` when absent or not a string).
pub fn body_credentials(
    op: &'static OperationInfo,
    body: &[u8],
) -> Vec<(&'static str, crate::runtime::Credential, Option<String>)> {
    if op.body_credentials.is_empty() {
        return Vec::new();
    }
    let object: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(body).ok();
    op.body_credentials
        .iter()
        .map(|(name, credential)| {
            let value = object
                .as_ref()
                .and_then(|object| object.get(*name))
                .and_then(|value| value.as_str())
                .map(str::to_owned);
            (*name, *credential, value)
        })
        .collect()
}

/// Decodes a JSON request body, or answers 400 naming the failing field.
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, MockError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        MockError::bad_request(format!("invalid body at {}: {}", err.path(), err.inner()))
    })
}

/// Answers one request: faults, authentication, the handler, then the operation's envelope.
pub async fn serve<P: Serialize>(
    op: &'static OperationInfo,
    ctx: &MockContext,
    hooks: &dyn MockHooks,
    handler: impl FnOnce() -> MockReply<P>,
) -> Response {
    let fault = hooks.fault(op);
    if let Some(Fault::Delay(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    match &fault {
        Some(Fault::Status(status)) => return status_only(*status),
        Some(Fault::StatusWithRetryAfter { status, seconds }) => {
            let mut response = status_only(*status);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(*seconds));
            return response;
        }
        Some(Fault::ResponseCode(code, message)) => {
            return envelope_error(op, &MockError::api(*code, message.clone()));
        }
        Some(Fault::HtmlErrorPage) => {
            let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            return (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                page,
            )
                .into_response();
        }
        Some(Fault::DropConnection) => return dropped_connection(),
        _ => {}
    }
    if let Err(error) = hooks.authorize(op, ctx) {
        return envelope_error(op, &error);
    }
    let result = handler();
    if fault == Some(Fault::DropAfterHandling) {
        return dropped_connection();
    }
    let payload = match result {
        Ok(payload) => payload,
        Err(error) => return envelope_error(op, &error),
    };
    // Serialized to JSON text, not to a `serde_json::Value`: a Value would turn decimals into
    // floats (`499.00` into `499.0`), and the mock must answer amounts exactly as EnKash would.
    let mut payload = match serde_json::value::to_raw_value(&payload) {
        Ok(raw) => raw,
        Err(err) => {
            return envelope_error(
                op,
                &MockError {
                    status: 500,
                    code: 1,
                    message: err.to_string(),
                },
            );
        }
    };
    if fault == Some(Fault::UnknownEnumValue) {
        payload = with_unknown_statuses(&payload);
    }
    let body = success_body(op, &payload);
    match fault {
        Some(Fault::MalformedJson) => {
            json_response(200, "{\"response_code\": 0, \"payload\": <oops>".into())
        }
        Some(Fault::TruncatedJson) => {
            let cut = body.len() / 2;
            json_response(200, body.get(..cut).unwrap_or_default().to_owned())
        }
        _ if op.envelope == Envelope::Text => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response()
        }
        _ => json_response(200, body),
    }
}

fn success_body(op: &OperationInfo, payload: &RawValue) -> String {
    let quoted = |text: &str| serde_json::Value::from(text).to_string();
    match op.envelope {
        Envelope::Wrapped {
            code_field,
            message_field,
            payload_field,
            success_codes,
        } => {
            let code = success_codes.first().copied().unwrap_or(0);
            format!(
                "{{{}:{code},{}:\"Success\",{}:{}}}",
                quoted(code_field),
                quoted(message_field),
                quoted(payload_field),
                payload.get()
            )
        }
        Envelope::Bare => payload.get().to_owned(),
        Envelope::Text => serde_json::from_str::<String>(payload.get())
            .unwrap_or_else(|_| payload.get().to_owned()),
    }
}

/// The payload with every `...status` string replaced by a value no enum knows.
fn with_unknown_statuses(payload: &RawValue) -> Box<RawValue> {
    let mut value: serde_json::Value = serde_json::from_str(payload.get()).unwrap_or_default();
    replace_statuses(&mut value);
    serde_json::value::to_raw_value(&value).unwrap_or_else(|_| payload.to_owned())
}

fn envelope_error(op: &OperationInfo, error: &MockError) -> Response {
    let body = match op.envelope {
        Envelope::Wrapped {
            code_field,
            message_field,
            payload_field,
            ..
        } => serde_json::json!({
            code_field: error.code,
            message_field: error.message,
            payload_field: error.message,
        }),
        Envelope::Bare | Envelope::Text => serde_json::json!({
            "resultCode": error.code,
            "resultMessage": error.message,
        }),
    };
    json_response(error.status, body.to_string())
}

fn json_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn status_only(status: u16) -> Response {
    StatusCode::from_u16(status)
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}

/// A response whose body fails while streaming, so the server closes the connection mid-answer.
fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(
            "connection dropped by fault injection",
        ))
    });
    Response::new(axum::body::Body::from_stream(stream))
}

fn replace_statuses(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key.to_ascii_lowercase().ends_with("status") && item.is_string() {
                    *item = serde_json::Value::String("STATUS_FROM_THE_FUTURE".into());
                } else {
                    replace_statuses(item);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(replace_statuses),
        _ => {}
    }
}
