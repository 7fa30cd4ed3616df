//! [`serve`]: one answer of the mock, from injected faults through authentication and the
//! store's handler to the operation's envelope; and the small pieces around it (body decoding,
//! the envelope of a success and of an error).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::{BodyCredential, Fault, MockContext, MockError, MockHooks, MockReply, lock};
use crate::runtime::{Envelope, OperationInfo};

/// The string value of each body credential field of `op` (`None` when absent or not a string).
fn body_credentials(op: &'static OperationInfo, body: &[u8]) -> Vec<BodyCredential> {
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
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, MockError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        MockError::bad_request(format!("invalid body at {}: {}", err.path(), err.inner()))
    })
}

/// Answers one request of `op`: counts the hit and takes the next injected fault, checks the
/// auth headers and (for an operation whose body carries credentials) the body's credentials,
/// runs `handler` with the store locked, then wraps its answer in the operation's envelope.
pub(crate) async fn serve<H, P>(
    op: &'static OperationInfo,
    ctx: &MockContext,
    hooks: &H,
    body: &[u8],
    handler: impl FnOnce(&mut H::Store) -> MockReply<P>,
) -> Response
where
    H: MockHooks + ?Sized,
    P: Serialize,
{
    let fault = hooks.faults_and_hits().on_request(op.id);
    if let Some(Fault::Delay(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if let Some(answer) = fault.as_ref().and_then(|fault| fault_answer(op, fault)) {
        return answer;
    }
    if let Err(error) = hooks.authorize(op, ctx) {
        return envelope_error(op, &error);
    }
    let result = if op.body_credentials.is_empty() {
        Ok(())
    } else {
        hooks.authorize_body(op, &body_credentials(op, body))
    }
    .and_then(|()| handler(&mut lock(hooks.store())));
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
            let error = MockError {
                status: 500,
                code: 1,
                message: err.to_string(),
            };
            return envelope_error(op, &error);
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

/// The answer of a fault that replaces the whole exchange (nothing is authorized or handled).
fn fault_answer(op: &OperationInfo, fault: &Fault) -> Option<Response> {
    let answer = match fault {
        Fault::Status(status) => status_only(*status),
        Fault::StatusWithRetryAfter { status, seconds } => {
            let mut response = status_only(*status);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(*seconds));
            response
        }
        Fault::ResponseCode(code, message) => {
            envelope_error(op, &MockError::api(*code, message.clone()))
        }
        Fault::HtmlErrorPage => {
            let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            let content_type = [(header::CONTENT_TYPE, "text/html")];
            (StatusCode::BAD_GATEWAY, content_type, page).into_response()
        }
        Fault::DropConnection => dropped_connection(),
        Fault::Delay(_)
        | Fault::MalformedJson
        | Fault::TruncatedJson
        | Fault::UnknownEnumValue
        | Fault::DropAfterHandling => return None,
    };
    Some(answer)
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
