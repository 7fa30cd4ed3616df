//! The envelope codec: how a response body wraps the payload ([`Envelope`]), read by the client
//! and the token fetch, written by the mock server. Everything about envelope shapes is here.
//!
//! Reading turns an HTTP response into a payload or an [`Error`]. Payloads are always decoded
//! from JSON *text* (never through `serde_json::Value`), because the exact-decimal formats in
//! `wire` read numbers through `RawValue`, which only works on text. Nothing here panics on any
//! input: every malformed body becomes [`Error::Decode`] or [`Error::Http`].
//!
//! The common case takes one pass ([`DecodeContext::decode_success`]): a 2xx wrapped envelope
//! with a success code, its payload decoded into its type while the envelope is read. Anything
//! else goes step by step: [`DecodeContext::interpret`] reads the envelope in one pass that keeps
//! only its code, message and payload fields (raw JSON text borrowed from the body, no map), and
//! [`DecodeContext::decode_payload`] decodes the payload text with plain `serde_json`. Only when
//! a pass fails is the input read again, with `serde_path_to_error`, to name the failing field
//! in the error: the plain and the path-tracking readings accept exactly the same inputs, so the
//! slower one only ever runs to describe a failure.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde_json::value::RawValue;

use super::Error;
use super::redact::{EXCERPT_LIMIT, Redactor, truncate_at_char_boundary};

/// How a response body wraps the payload, generated from the spec's `envelopes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum Envelope {
    /// `{code, message, payload}` under the given names; success when the code is listed.
    Wrapped {
        /// Wire name of the integer result code.
        code_field: &'static str,
        /// Wire name of the message.
        message_field: &'static str,
        /// Wire name of the payload.
        payload_field: &'static str,
        /// Codes meaning success.
        success_codes: &'static [i64],
        /// Where a refused answer may instead carry its code and message
        /// (`{"code": 412, "message": "..."}`).
        error_fields: Option<(&'static str, &'static str)>,
    },
    /// The JSON body is the payload. A failed answer may carry a code and a message at the top
    /// level under these names.
    Bare {
        /// Wire name of a failed answer's integer result code.
        code_field: Option<&'static str>,
        /// Wire name of a failed answer's message.
        message_field: Option<&'static str>,
    },
    /// The body is plain text.
    Text,
}

impl Envelope {
    /// A bare envelope whose failed answers carry no named code or message.
    #[cfg(test)]
    pub(crate) const BARE: Envelope = Envelope::Bare {
        code_field: None,
        message_field: None,
    };

    /// The bytes sent for a serialized request body: the client calls this once per call,
    /// before the first attempt (every attempt sends the same bytes). The kinds of today send
    /// the JSON body as it is; a kind that wraps or encrypts request bodies does it here, and
    /// [`Envelope::read_request`] undoes it for the mock.
    pub(crate) fn write_request(&self, body: Vec<u8>) -> Vec<u8> {
        match self {
            Envelope::Wrapped { .. } | Envelope::Bare { .. } | Envelope::Text => body,
        }
    }

    /// The JSON request body inside what a client sent ([`Envelope::write_request`] undone).
    #[cfg(feature = "mock")]
    pub(crate) fn read_request<'b>(&self, body: &'b [u8]) -> Cow<'b, [u8]> {
        match self {
            Envelope::Wrapped { .. } | Envelope::Bare { .. } | Envelope::Text => {
                Cow::Borrowed(body)
            }
        }
    }

    /// Whether the answer is JSON (the client then sends `Accept: application/json`).
    pub(crate) fn is_json(&self) -> bool {
        !matches!(self, Envelope::Text)
    }

    /// The code and message a failed answer carries, if the envelope names them and the body
    /// has them (a message that is not a string is kept as its JSON text); for a wrapped
    /// envelope without its own code, those of its other error shape (`error_fields`).
    pub(crate) fn failure(&self, body: &[u8]) -> (Option<i64>, Option<String>) {
        let (code_field, message_field, error_fields) = match *self {
            Envelope::Wrapped {
                code_field,
                message_field,
                error_fields,
                ..
            } => (Some(code_field), Some(message_field), error_fields),
            Envelope::Bare {
                code_field,
                message_field,
            } => (code_field, message_field, None),
            Envelope::Text => (None, None, None),
        };
        let Ok(fields) = parse_fields(body) else {
            return (None, None);
        };
        let read = |code_field: Option<&str>, message_field: Option<&str>| {
            let code = code_field
                .and_then(|name| fields.get(name))
                .and_then(|raw| result_code(raw));
            let message = message_field
                .and_then(|name| fields.get(name))
                .map(|raw| message_text(raw));
            (code, message)
        };
        match (read(code_field, message_field), error_fields) {
            ((None, _), Some((code, message))) => read(Some(code), Some(message)),
            (found, _) => found,
        }
    }

    /// The body of a successful answer around `payload` (JSON text), with the envelope's first
    /// success code and the message `Success`.
    #[cfg(feature = "mock")]
    pub(crate) fn write_ok(&self, payload: &RawValue) -> String {
        match *self {
            Envelope::Wrapped {
                code_field,
                message_field,
                payload_field,
                success_codes,
                ..
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
            Envelope::Bare { .. } => payload.get().to_owned(),
            Envelope::Text => serde_json::from_str::<String>(payload.get())
                .unwrap_or_else(|_| payload.get().to_owned()),
        }
    }

    /// The body of a failed answer with `code` and `message`, under the envelope's names (a
    /// wrapped envelope repeats the message as its payload, as EnKash does, or uses its other
    /// error shape when it declares one; a bare envelope without names, or a text one, uses
    /// `code` and `message`).
    #[cfg(feature = "mock")]
    pub(crate) fn write_err(&self, code: i64, message: &str) -> String {
        let (code_field, message_field, payload_field) = match *self {
            Envelope::Wrapped {
                error_fields: Some((code_field, message_field)),
                ..
            } => (code_field, message_field, None),
            Envelope::Wrapped {
                code_field,
                message_field,
                payload_field,
                ..
            } => (code_field, message_field, Some(payload_field)),
            Envelope::Bare {
                code_field,
                message_field,
            } => (
                code_field.unwrap_or("code"),
                message_field.unwrap_or("message"),
                None,
            ),
            Envelope::Text => ("code", "message", None),
        };
        let mut body = serde_json::Map::new();
        body.insert(code_field.to_owned(), code.into());
        body.insert(message_field.to_owned(), message.into());
        if let Some(payload_field) = payload_field {
            body.insert(payload_field.to_owned(), message.into());
        }
        serde_json::Value::Object(body).to_string()
    }
}

/// `text` as a JSON string.
#[cfg(feature = "mock")]
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A message field as text: a string as is, `null` as empty, anything else as its JSON text.
fn message_text(raw: &RawValue) -> String {
    serde_json::from_str::<Option<String>>(raw.get())
        .map(Option::unwrap_or_default)
        .unwrap_or_else(|_| raw.get().to_owned())
}

/// What the decoder needs to know about the call besides the response.
pub(crate) struct DecodeContext<'a> {
    /// Spec id of the operation, for errors.
    pub operation: &'static str,
    /// How the answer wraps the payload.
    pub envelope: &'static Envelope,
    /// Envelope codes meaning "token invalid".
    pub invalid_token_codes: &'static [i64],
    /// Whether to report an invalid-token answer as [`Interpretation::InvalidToken`] (the call
    /// sent a bearer token and has not yet used its one refresh) rather than as an error.
    pub detect_invalid_token: bool,
    /// Masks the call's secrets in any text kept from the body.
    pub redactor: &'a Redactor<'a>,
    /// Keep no part of the body in errors (token responses carry the token).
    pub hide_body: bool,
    /// The answer's `Retry-After`, kept in the errors made from it.
    pub retry_after: Option<std::time::Duration>,
}

/// What a response means, before the payload is decoded into its type.
pub(crate) enum Interpretation<'b> {
    /// Success: decode this JSON text; errors are reported under `prefix` (the payload field).
    Payload {
        json: Cow<'b, str>,
        prefix: Option<&'static str>,
    },
    /// EnKash said the bearer token is invalid.
    InvalidToken,
    /// A failure to report.
    Failed(Error),
}

/// The fields of a wrapped envelope, borrowed from the body.
pub(crate) type Fields<'b> = HashMap<String, &'b RawValue>;

impl DecodeContext<'_> {
    fn excerpt(&self, body: &[u8]) -> String {
        if self.hide_body {
            String::new()
        } else {
            self.redactor.excerpt(body)
        }
    }

    fn decode_error(&self, status: u16, path: String, message: String, body: &[u8]) -> Error {
        Error::Decode {
            operation: self.operation,
            status,
            path,
            message: self.bounded(&message),
            body_excerpt: self.excerpt(body),
            retry_after: self.retry_after,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    /// Server-provided text made safe to keep: secrets masked, length bounded. serde messages
    /// quote values (`invalid type: string "…"`), so they need this too.
    fn bounded(&self, text: &str) -> String {
        let text = self.redactor.redact(text);
        let cut = truncate_at_char_boundary(&text, EXCERPT_LIMIT);
        if cut.len() < text.len() {
            format!("{cut}…")
        } else {
            cut.to_owned()
        }
    }

    /// Reads a response per the operation's envelope.
    pub(crate) fn interpret<'b>(&self, status: u16, body: &'b [u8]) -> Interpretation<'b> {
        let success = (200..300).contains(&status);
        if self.detect_invalid_token && status == 401 {
            return Interpretation::InvalidToken;
        }
        match *self.envelope {
            Envelope::Wrapped {
                code_field,
                message_field,
                payload_field,
                success_codes,
                error_fields,
            } => {
                let names = EnvelopeNames {
                    code: code_field,
                    message: message_field,
                    payload: payload_field,
                };
                let fields = match parse_envelope(body, &names) {
                    Ok(fields) => fields,
                    Err(_) if !success => {
                        return Interpretation::Failed(self.http_error(status, body));
                    }
                    Err((path, message)) => {
                        return Interpretation::Failed(
                            self.decode_error(status, path, message, body),
                        );
                    }
                };
                let code = fields.code.and_then(result_code);
                let Some(code) = code else {
                    // The other shape of a refused answer, when the envelope has one.
                    if let (Some(_), (Some(code), message)) =
                        (error_fields, self.envelope.failure(body))
                    {
                        return Interpretation::Failed(self.api_error(status, code, message, body));
                    }
                    if !success {
                        return Interpretation::Failed(self.http_error(status, body));
                    }
                    let message = match fields.code {
                        None => "missing result code field".to_owned(),
                        Some(_) => {
                            "the result code is not an integer (or a string of digits)".to_owned()
                        }
                    };
                    return Interpretation::Failed(self.decode_error(
                        status,
                        code_field.to_owned(),
                        message,
                        body,
                    ));
                };
                if self.detect_invalid_token && self.invalid_token_codes.contains(&code) {
                    return Interpretation::InvalidToken;
                }
                if success && success_codes.contains(&code) {
                    let json = fields
                        .payload
                        .map_or(Cow::Borrowed("null"), |raw| Cow::Borrowed(raw.get()));
                    return Interpretation::Payload {
                        json,
                        prefix: Some(payload_field),
                    };
                }
                let message = fields.message.map(message_text);
                Interpretation::Failed(self.api_error(status, code, message, body))
            }
            _ if !success => Interpretation::Failed(self.http_error(status, body)),
            Envelope::Bare { .. } | Envelope::Text => {
                let is_text = matches!(*self.envelope, Envelope::Text);
                let text = match std::str::from_utf8(body) {
                    Ok(text) => text,
                    Err(err) => {
                        let what = if is_text { "UTF-8 text" } else { "UTF-8" };
                        let message = format!("the body is not {what}: {err}");
                        let error = self.decode_error(status, ".".to_owned(), message, body);
                        return Interpretation::Failed(error);
                    }
                };
                let json = if is_text {
                    // The text is the payload: a JSON string of it.
                    match serde_json::to_string(text) {
                        Ok(json) => Cow::Owned(json),
                        Err(err) => {
                            let error =
                                self.decode_error(status, ".".to_owned(), err.to_string(), body);
                            return Interpretation::Failed(error);
                        }
                    }
                } else if text.trim().is_empty() {
                    // An empty body is "no payload", which operations without one decode as `null`.
                    Cow::Borrowed("null")
                } else {
                    Cow::Borrowed(text)
                };
                Interpretation::Payload { json, prefix: None }
            }
        }
    }

    /// The common case in one pass: a 2xx wrapped envelope whose code is a success code (and
    /// not an invalid-token code being watched for), its payload decoded straight into `T`
    /// while the envelope is read. `None` for anything else, including every failure and any
    /// irregular envelope (a field given twice, one key naming both the code and the payload):
    /// [`interpret`](Self::interpret) and [`decode_payload`](Self::decode_payload) then read
    /// the response as before. When this returns a value, they would have returned the same.
    pub(crate) fn decode_success<T: DeserializeOwned>(
        &self,
        status: u16,
        body: &[u8],
    ) -> Option<T> {
        let Envelope::Wrapped {
            code_field,
            message_field,
            payload_field,
            success_codes,
            ..
        } = *self.envelope
        else {
            return None;
        };
        if !(200..300).contains(&status) {
            return None;
        }
        let names = EnvelopeNames {
            code: code_field,
            message: message_field,
            payload: payload_field,
        };
        let accepts = |code: i64| {
            success_codes.contains(&code)
                && !(self.detect_invalid_token && self.invalid_token_codes.contains(&code))
        };
        let text = std::str::from_utf8(body).ok()?;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let read = deserializer
            .deserialize_map(SuccessVisitor {
                names: &names,
                accepts: &accepts,
                payload: PhantomData::<T>,
            })
            .ok()?;
        deserializer.end().ok()?;
        if !accepts(read.code?) {
            return None;
        }
        match read.payload {
            Payload::Decoded(value) => Some(value),
            // The code came after the payload.
            Payload::Raw(raw) => serde_json::from_str(raw.get()).ok(),
            Payload::Absent => serde_json::from_str("null").ok(),
        }
    }

    /// [`Error::Api`] for a refused answer with its code and message.
    fn api_error(&self, status: u16, code: i64, message: Option<String>, body: &[u8]) -> Error {
        Error::Api {
            operation: self.operation,
            status,
            code,
            message: self.bounded(&message.unwrap_or_default()),
            body: if self.hide_body {
                String::new()
            } else {
                self.redactor.body_text(body)
            },
            retry_after: self.retry_after,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    fn http_error(&self, status: u16, body: &[u8]) -> Error {
        Error::Http {
            operation: self.operation,
            status,
            body_excerpt: self.excerpt(body),
            retry_after: self.retry_after,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    /// Decodes payload JSON text into `T`, naming the failing field's JSON path.
    pub(crate) fn decode_payload<T: DeserializeOwned>(
        &self,
        status: u16,
        json: &str,
        prefix: Option<&str>,
        body: &[u8],
    ) -> Result<T, Error> {
        // One plain pass (which also rejects trailing garbage); it fails exactly when the
        // path-tracking pass below fails, so that one only runs to describe the failure.
        if let Ok(value) = serde_json::from_str(json) {
            return Ok(value);
        }
        read_json(json.as_bytes()).map_err(|(path, message)| {
            self.decode_error(status, join_path(prefix, &path), message, body)
        })
    }
}

/// A result code: a JSON integer, or a string of digits (`"0"`: some APIs write their code as a
/// string in some answers).
fn result_code(raw: &RawValue) -> Option<i64> {
    if let Ok(code) = serde_json::from_str::<i64>(raw.get()) {
        return Some(code);
    }
    let text: &str = serde_json::from_str(raw.get()).ok()?;
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Decodes JSON text into `T`, naming the failing field on error: the JSON path (`.` for the
/// whole text, as for trailing garbage) and the decoder's message. The one path-tracking decode
/// of the crate: payloads, token answers, webhooks and the mock's request bodies use it.
pub(crate) fn read_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| (err.path().to_string(), err.into_inner().to_string()))?;
    deserializer
        .end()
        .map_err(|err| (".".to_owned(), err.to_string()))?;
    Ok(value)
}

/// Parses a wrapped envelope's top-level fields; on failure, the JSON path and message.
pub(crate) fn parse_fields(body: &[u8]) -> Result<Fields<'_>, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let fields: Fields<'_> = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| (err.path().to_string(), err.into_inner().to_string()))?;
    deserializer
        .end()
        .map_err(|err| (".".to_owned(), err.to_string()))?;
    Ok(fields)
}

/// The field names of a wrapped envelope.
struct EnvelopeNames {
    code: &'static str,
    message: &'static str,
    payload: &'static str,
}

/// The fields of a wrapped envelope that the decoder reads, as raw JSON borrowed from the body.
/// A field that occurs twice has its last value, as in [`Fields`].
#[derive(Default)]
struct EnvelopeFields<'b> {
    code: Option<&'b RawValue>,
    message: Option<&'b RawValue>,
    payload: Option<&'b RawValue>,
}

const CODE: u8 = 1;
const MESSAGE: u8 = 2;
const PAYLOAD: u8 = 4;

impl<'b> EnvelopeFields<'b> {
    fn set(&mut self, which: u8, raw: &'b RawValue) {
        if which & CODE != 0 {
            self.code = Some(raw);
        }
        if which & MESSAGE != 0 {
            self.message = Some(raw);
        }
        if which & PAYLOAD != 0 {
            self.payload = Some(raw);
        }
    }
}

/// Reads a wrapped envelope's code, message and payload fields; on failure, the JSON path and
/// message, exactly as [`parse_fields`] reports them.
///
/// One pass, no allocation: keys are compared in place and other fields' values are skipped.
/// It accepts exactly what [`parse_fields`] accepts: a UTF-8 JSON object (every value is
/// checked for syntax either way; `parse_fields` rejects non-UTF-8 text through its raw
/// values, this through the check up front), nothing after it. Only a failure reads the body
/// again, through [`parse_fields`], for the path of the error.
fn parse_envelope<'b>(
    body: &'b [u8],
    names: &EnvelopeNames,
) -> Result<EnvelopeFields<'b>, (String, String)> {
    match read_envelope(body, names) {
        Some(fields) => Ok(fields),
        None => parse_fields(body).map(|map| {
            let mut fields = EnvelopeFields::default();
            for (name, which) in [
                (names.code, CODE),
                (names.message, MESSAGE),
                (names.payload, PAYLOAD),
            ] {
                if let Some(raw) = map.get(name) {
                    fields.set(which, raw);
                }
            }
            fields
        }),
    }
}

/// The one pass of [`parse_envelope`]; `None` when [`parse_fields`] would fail.
fn read_envelope<'b>(body: &'b [u8], names: &EnvelopeNames) -> Option<EnvelopeFields<'b>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let fields = deserializer.deserialize_map(EnvelopeVisitor(names)).ok()?;
    deserializer.end().ok()?;
    Some(fields)
}

/// Reads the envelope object into [`EnvelopeFields`].
struct EnvelopeVisitor<'n>(&'n EnvelopeNames);

impl<'de> Visitor<'de> for EnvelopeVisitor<'_> {
    type Value = EnvelopeFields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = EnvelopeFields::default();
        while let Some(which) = map.next_key_seed(KeyMatch(self.0))? {
            if which == 0 {
                map.next_value::<IgnoredAny>()?;
            } else {
                fields.set(which, map.next_value::<&'de RawValue>()?);
            }
        }
        Ok(fields)
    }
}

/// What [`SuccessVisitor`] found.
struct SuccessRead<'b, T> {
    code: Option<i64>,
    payload: Payload<'b, T>,
}

enum Payload<'b, T> {
    Absent,
    /// Met before the code, so not yet known to be a success payload.
    Raw(&'b RawValue),
    Decoded(T),
}

/// Reads a wrapped envelope, decoding the payload into `T` as it goes when the code before it
/// is one that `accepts` takes. Fails (and [`decode_success`](DecodeContext::decode_success)
/// gives up) on a code that is not an integer, on a code or payload field given twice, and on
/// a key naming both.
struct SuccessVisitor<'n, F, T> {
    names: &'n EnvelopeNames,
    accepts: &'n F,
    payload: PhantomData<T>,
}

impl<'de, F: Fn(i64) -> bool, T: Deserialize<'de>> Visitor<'de> for SuccessVisitor<'_, F, T> {
    type Value = SuccessRead<'de, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let irregular = || de::Error::custom("irregular envelope");
        let mut read = SuccessRead {
            code: None,
            payload: Payload::Absent,
        };
        while let Some(which) = map.next_key_seed(KeyMatch(self.names))? {
            // The message is not needed on success.
            match which & !MESSAGE {
                0 => {
                    map.next_value::<IgnoredAny>()?;
                }
                CODE if read.code.is_none() => {
                    let raw = map.next_value::<&'de RawValue>()?;
                    let code = result_code(raw).ok_or_else(irregular)?;
                    read.code = Some(code);
                }
                PAYLOAD if matches!(read.payload, Payload::Absent) => {
                    read.payload = if read.code.is_some_and(self.accepts) {
                        Payload::Decoded(map.next_value::<T>()?)
                    } else {
                        Payload::Raw(map.next_value::<&'de RawValue>()?)
                    };
                }
                _ => return Err(irregular()),
            }
        }
        Ok(read)
    }
}

/// Reads a key and says which envelope fields (bits [`CODE`], [`MESSAGE`], [`PAYLOAD`]) it
/// names, without allocating (an escaped key is unescaped into serde_json's scratch buffer).
struct KeyMatch<'n>(&'n EnvelopeNames);

impl<'de> DeserializeSeed<'de> for KeyMatch<'_> {
    type Value = u8;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<u8, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyMatch<'_> {
    type Value = u8;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E>(self, key: &str) -> Result<u8, E> {
        let names = self.0;
        let bit = |name: &str, bit: u8| if key == name { bit } else { 0 };
        Ok(bit(names.code, CODE) | bit(names.message, MESSAGE) | bit(names.payload, PAYLOAD))
    }
}

/// `payload` + `amount.value` = `payload.amount.value`; `payload` + `[0]` = `payload[0]`;
/// `payload` + `.` (the root) = `payload`.
fn join_path(prefix: Option<&str>, path: &str) -> String {
    match prefix {
        None => path.to_owned(),
        Some(prefix) if path == "." => prefix.to_owned(),
        Some(prefix) if path.starts_with('[') => format!("{prefix}{path}"),
        Some(prefix) => format!("{prefix}.{path}"),
    }
}

#[cfg(test)]
mod tests;
