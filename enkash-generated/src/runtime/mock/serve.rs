//! [`serve`]: one answer of the mock, from injected faults through authentication and the
//! store's handler to the operation's envelope (written by the envelope codec); and the small
//! pieces around it.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::{
    BodyCredential, Fault, MockContext, MockError, MockHooks, MockOperation, MockReply, lock,
};
use crate::runtime::{BodyEncoding, CipherSpec, OperationInfo, read_json};

/// The JSON request inside an encrypted body, or "422 Invalid encrypted request" (a
/// plain body where a cipher text is expected, bad Base64, another key, ...).
fn open_request(
    cipher: CipherSpec,
    secret: &crate::SecretString,
    body: &[u8],
) -> Result<Vec<u8>, MockError> {
    let invalid = |why: String| MockError {
        status: 422,
        code: 422,
        message: format!("Invalid encrypted request: {why}"),
    };
    match crate::runtime::cipher_phase::open_with(cipher, secret, body) {
        Ok(Some(plain)) => Ok(plain),
        Ok(None) => Err(invalid(format!(
            "expected {{\"{}\": \"<cipher text>\"}}",
            cipher.field
        ))),
        Err(fault) => Err(invalid(fault.to_string())),
    }
}

/// A successful answer, encrypted, or spoiled as `fault` asks.
fn sealed_answer(
    cipher: CipherSpec,
    secret: &crate::SecretString,
    body: String,
    fault: Option<&Fault>,
) -> Result<String, MockError> {
    let seal = |secret: &crate::SecretString| {
        crate::runtime::cipher_phase::seal_with(cipher, secret, body.clone().into_bytes())
            .map_err(|err| MockError {
                status: 500,
                code: 1,
                message: err.to_string(),
            })
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    };
    let field = cipher.field;
    Ok(match fault {
        Some(Fault::CipherNotBase64) => format!("{{\"{field}\":\"%%% not base64 %%%\"}}"),
        Some(Fault::CipherNotText) => format!("{{\"{field}\":12345}}"),
        Some(Fault::CipherWrongKey) => {
            // Another key for certain: the mock's own secret with something appended.
            use secrecy::ExposeSecret as _;
            seal(&crate::SecretString::from(format!(
                "{}-not-this-key",
                secret.expose_secret()
            )))?
        }
        Some(Fault::CipherTruncated) => {
            let sealed: serde_json::Value =
                serde_json::from_str(&seal(secret)?).unwrap_or_default();
            let text = sealed
                .get(field)
                .and_then(|t| t.as_str())
                .unwrap_or_default();
            // Drop the last 4 Base64 characters: 3 bytes, no longer whole AES blocks.
            let cut = text.get(..text.len().saturating_sub(4)).unwrap_or_default();
            serde_json::json!({ field: cut }).to_string()
        }
        _ => seal(secret)?,
    })
}

/// A form-encoded body as the JSON object of its (string) fields, for the handler.
fn form_as_json(body: &[u8]) -> Result<Vec<u8>, MockError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|err| MockError::bad_request(format!("invalid form body: {err}")))?;
    let object: serde_json::Map<String, serde_json::Value> = pairs
        .into_iter()
        .map(|(name, value)| (name, serde_json::Value::String(value)))
        .collect();
    serde_json::to_vec(&object).map_err(|err| MockError::bad_request(err.to_string()))
}

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
            (*name, (*credential).into(), value)
        })
        .collect()
}

/// Decodes a JSON request body, or answers 400 naming the failing field.
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, MockError> {
    read_json(body).map_err(|(path, message)| {
        MockError::bad_request(format!("invalid body at {path}: {message}"))
    })
}

/// Answers one request of `op`: counts the hit and takes the next injected fault, checks the
/// auth headers and (for an operation whose body carries credentials) the body's credentials,
/// runs `handler` with the store locked and the JSON body (as the envelope codec reads it from
/// what the client sent), then wraps its answer in the operation's envelope.
pub(crate) async fn serve<H, P>(
    op: &'static OperationInfo,
    ctx: &MockContext,
    hooks: &H,
    body: &[u8],
    handler: impl FnOnce(&mut H::Store, &[u8]) -> MockReply<P>,
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
    if let Err(error) = hooks.authorize(MockOperation::new(op), ctx) {
        return envelope_error(op, &error);
    }
    let body = op.envelope.read_request(body);
    let key = match op.cipher {
        Some(cipher) => match hooks.secret(cipher.key.into()) {
            Some(secret) => Some((cipher, secret)),
            None => {
                return envelope_error(
                    op,
                    &MockError {
                        status: 500,
                        code: 1,
                        message: "this mock holds no key for the operation's body cipher".into(),
                    },
                );
            }
        },
        None => None,
    };
    let body = match (&key, body) {
        // A request without a body (a GET) has nothing to decrypt.
        (Some(_), body) if body.is_empty() => body,
        (Some((cipher, secret)), body) => match open_request(*cipher, secret, &body) {
            Ok(plain) => std::borrow::Cow::Owned(plain),
            Err(error) => return envelope_error(op, &error),
        },
        (None, body) if op.body == BodyEncoding::Form => match form_as_json(&body) {
            Ok(json) => std::borrow::Cow::Owned(json),
            Err(error) => return envelope_error(op, &error),
        },
        (None, body) => body,
    };
    let result = if op.body_credentials.is_empty() {
        Ok(())
    } else {
        hooks.authorize_body(MockOperation::new(op), &body_credentials(op, &body))
    }
    .and_then(|()| handler(&mut lock(hooks.store()), &body));
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
    let body = op.envelope.write_ok(&payload);
    let body = match &key {
        Some((cipher, secret)) => match sealed_answer(*cipher, secret, body, fault.as_ref()) {
            Ok(body) => body,
            Err(error) => return envelope_error(op, &error),
        },
        None => body,
    };
    match fault {
        Some(Fault::MalformedJson) => {
            json_response(200, "{\"response_code\": 0, \"payload\": <oops>".into())
        }
        Some(Fault::TruncatedJson) => {
            let cut = body.len() / 2;
            json_response(200, body.get(..cut).unwrap_or_default().to_owned())
        }
        _ if !op.envelope.is_json() => {
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
        | Fault::DropAfterHandling
        | Fault::CipherNotBase64
        | Fault::CipherWrongKey
        | Fault::CipherTruncated
        | Fault::CipherNotText => return None,
    };
    Some(answer)
}

/// The payload with every `...status` string replaced by a value no enum knows.
fn with_unknown_statuses(payload: &RawValue) -> Box<RawValue> {
    let mut value: serde_json::Value = serde_json::from_str(payload.get()).unwrap_or_default();
    replace_statuses(&mut value);
    serde_json::value::to_raw_value(&value).unwrap_or_else(|_| payload.to_owned())
}

/// An error answer of `op`: the envelope codec's failure body with the error's code and message.
fn envelope_error(op: &OperationInfo, error: &MockError) -> Response {
    json_response(
        error.status,
        op.envelope.write_err(error.code, &error.message),
    )
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
