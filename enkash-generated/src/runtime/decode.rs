//! Turning an HTTP response into a payload or an [`Error`], per the operation's [`Envelope`].
//!
//! Payloads are always decoded from JSON *text* (never through `serde_json::Value`), because the
//! exact-decimal formats in `wire` read numbers through `RawValue`, which only works on text.
//! Nothing here panics on any input: every malformed body becomes [`Error::Decode`] or
//! [`Error::Http`].
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

use super::redact::{EXCERPT_LIMIT, Redactor, truncate_at_char_boundary};
use super::{Envelope, Error, OperationInfo};

/// What the decoder needs to know about the call besides the response.
pub(crate) struct DecodeContext<'a> {
    /// The operation.
    pub op: &'static OperationInfo,
    /// Envelope codes meaning "token invalid".
    pub invalid_token_codes: &'static [i64],
    /// Whether to report an invalid-token answer as [`Interpretation::InvalidToken`] (the call
    /// sent a bearer token and has not yet used its one refresh) rather than as an error.
    pub detect_invalid_token: bool,
    /// Masks the call's secrets in any text kept from the body.
    pub redactor: &'a Redactor<'a>,
    /// Keep no part of the body in errors (token responses carry the token).
    pub hide_body: bool,
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
            operation: self.op.id,
            status,
            path,
            message: self.bounded(&message),
            body_excerpt: self.excerpt(body),
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
        match self.op.envelope {
            Envelope::Wrapped {
                code_field,
                message_field,
                payload_field,
                success_codes,
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
                let code = fields
                    .code
                    .and_then(|raw| serde_json::from_str::<i64>(raw.get()).ok());
                let Some(code) = code else {
                    if !success {
                        return Interpretation::Failed(self.http_error(status, body));
                    }
                    let message = match fields.code {
                        None => "missing result code field".to_owned(),
                        Some(_) => "the result code is not an integer".to_owned(),
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
                let message = fields.message.map_or(String::new(), |raw| {
                    // A string message is kept as is; anything else as its JSON text.
                    serde_json::from_str::<Option<String>>(raw.get())
                        .map(Option::unwrap_or_default)
                        .unwrap_or_else(|_| raw.get().to_owned())
                });
                Interpretation::Failed(Error::Api {
                    operation: self.op.id,
                    status,
                    code,
                    message: self.bounded(&message),
                    body: if self.hide_body {
                        String::new()
                    } else {
                        self.redactor.body_text(body)
                    },
                })
            }
            _ if !success => Interpretation::Failed(self.http_error(status, body)),
            Envelope::Bare => match std::str::from_utf8(body) {
                // An empty body is "no payload", which operations without one decode as `null`.
                Ok(text) if text.trim().is_empty() => Interpretation::Payload {
                    json: Cow::Borrowed("null"),
                    prefix: None,
                },
                Ok(text) => Interpretation::Payload {
                    json: Cow::Borrowed(text),
                    prefix: None,
                },
                Err(err) => Interpretation::Failed(self.decode_error(
                    status,
                    ".".to_owned(),
                    format!("the body is not UTF-8: {err}"),
                    body,
                )),
            },
            Envelope::Text => match std::str::from_utf8(body) {
                Ok(text) => match serde_json::to_string(text) {
                    Ok(json) => Interpretation::Payload {
                        json: Cow::Owned(json),
                        prefix: None,
                    },
                    Err(err) => Interpretation::Failed(self.decode_error(
                        status,
                        ".".to_owned(),
                        err.to_string(),
                        body,
                    )),
                },
                Err(err) => Interpretation::Failed(self.decode_error(
                    status,
                    ".".to_owned(),
                    format!("the body is not UTF-8 text: {err}"),
                    body,
                )),
            },
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
        } = self.op.envelope
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

    fn http_error(&self, status: u16, body: &[u8]) -> Error {
        Error::Http {
            operation: self.op.id,
            status,
            body_excerpt: self.excerpt(body),
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
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let path = join_path(prefix, &err.path().to_string());
            self.decode_error(status, path, err.into_inner().to_string(), body)
        })?;
        // Trailing garbage after the value is malformed JSON too.
        deserializer.end().map_err(|err| {
            self.decode_error(status, join_path(prefix, "."), err.to_string(), body)
        })?;
        Ok(value)
    }
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
                    let code = serde_json::from_str(raw.get()).map_err(|_| irregular())?;
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
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde::Deserialize;

    static WRAPPED: OperationInfo = op(Envelope::Wrapped {
        code_field: "response_code",
        message_field: "response_message",
        payload_field: "payload",
        success_codes: &[0],
    });
    static BARE: OperationInfo = op(Envelope::Bare);
    static TEXT: OperationInfo = op(Envelope::Text);

    const fn op(envelope: Envelope) -> OperationInfo {
        OperationInfo {
            id: "get_order",
            method: crate::runtime::Method::Get,
            path: "/api/v0/orders/{orderId}",
            envelope,
            auth: &[],
            dedup_key: None,
            developing: false,
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Amount {
        #[serde(with = "crate::runtime::wire::decimal")]
        value: Decimal,
        currency: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Order {
        amount: Amount,
        #[serde(default)]
        items: Vec<Amount>,
    }

    fn ctx<'a>(op: &'static OperationInfo, redactor: &'a Redactor<'a>) -> DecodeContext<'a> {
        DecodeContext {
            op,
            invalid_token_codes: &[117],
            detect_invalid_token: true,
            redactor,
            hide_body: false,
        }
    }

    fn run<T: DeserializeOwned>(
        op: &'static OperationInfo,
        status: u16,
        body: &str,
    ) -> Result<T, Error> {
        let redactor = Redactor::new([Some("ACCESS-KEY-1")]);
        let ctx = ctx(op, &redactor);
        match ctx.interpret(status, body.as_bytes()) {
            Interpretation::Payload { json, prefix } => {
                ctx.decode_payload(status, &json, prefix, body.as_bytes())
            }
            Interpretation::InvalidToken => Err(Error::config("invalid token")),
            Interpretation::Failed(err) => Err(err),
        }
    }

    #[test]
    fn wrapped_success_decodes_exact_decimals_from_text() {
        let body = r#"{"response_code":0,"response_message":"Success","payload":{"amount":{"value":20.15,"currency":"INR"}}}"#;
        let order: Order = run(&WRAPPED, 200, body).unwrap();
        assert_eq!(order.amount.value.to_string(), "20.15");
    }

    #[test]
    fn missing_payload_is_null() {
        let body = r#"{"response_code":0,"response_message":"Success"}"#;
        let _: serde::de::IgnoredAny = run(&WRAPPED, 200, body).unwrap();
        let none: Option<Order> = run(&WRAPPED, 200, body).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn wrong_field_type_names_the_path() {
        let body = r#"{"response_code":0,"payload":{"amount":{"value":"ten","currency":"INR"}}}"#;
        match run::<Order>(&WRAPPED, 200, body) {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, "payload.amount.value");
                assert!(message.contains("expected a decimal number"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let body = r#"{"response_code":0,"payload":{"amount":{"value":1,"currency":"INR"},"items":[{"value":1,"currency":5}]}}"#;
        match run::<Order>(&WRAPPED, 200, body) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "payload.items[0].currency"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn truncated_json_is_a_decode_error() {
        for body in [
            r#"{"response_code":0,"payload":{"amount":{"val"#,
            r#"{"response_code":0"#,
            "",
            "not json",
            r#"{"response_code":0,"payload":null} trailing"#,
        ] {
            match run::<Option<Order>>(&WRAPPED, 200, body) {
                Err(Error::Decode { .. }) => {}
                other => panic!("{body}: {other:?}"),
            }
        }
        match run::<Order>(&BARE, 200, r#"{"amount":{"value":1,"#) {
            Err(Error::Decode { .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_success_code_is_an_api_error_with_the_body_redacted() {
        let body = r#"{"response_code":42,"response_message":"Order not found","payload":"key ACCESS-KEY-1"}"#;
        match run::<Order>(&WRAPPED, 200, body) {
            Err(Error::Api {
                status,
                code,
                message,
                body,
                ..
            }) => {
                assert_eq!(
                    (status, code, message.as_str()),
                    (200, 42, "Order not found")
                );
                assert!(body.contains("[REDACTED]") && !body.contains("ACCESS-KEY-1"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_2xx_is_api_with_an_envelope_and_http_otherwise() {
        let body = r#"{"response_code":500,"response_message":"boom"}"#;
        assert!(matches!(
            run::<Order>(&WRAPPED, 500, body),
            Err(Error::Api {
                status: 500,
                code: 500,
                ..
            })
        ));
        let html = "<html><body>502 Bad Gateway</body></html>";
        match run::<Order>(&WRAPPED, 502, html) {
            Err(Error::Http {
                status: 502,
                body_excerpt,
                ..
            }) => assert_eq!(body_excerpt, html),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            run::<Order>(&WRAPPED, 500, r#"{"response_code":"x"}"#),
            Err(Error::Http { status: 500, .. })
        ));
        assert!(matches!(
            run::<Order>(&BARE, 404, r#"{"error":"nope"}"#),
            Err(Error::Http { status: 404, .. })
        ));
    }

    #[test]
    fn html_with_200_is_a_decode_error() {
        assert!(matches!(
            run::<Order>(&WRAPPED, 200, "<html>maintenance</html>"),
            Err(Error::Decode { status: 200, .. })
        ));
    }

    #[test]
    fn code_must_be_an_integer() {
        match run::<Order>(&WRAPPED, 200, r#"{"response_code":"0","payload":{}}"#) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "response_code"),
            other => panic!("{other:?}"),
        }
        match run::<Order>(&WRAPPED, 200, r#"{"payload":{}}"#) {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, "response_code");
                assert!(message.contains("missing"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_token_is_recognised_by_status_and_code() {
        let redactor = Redactor::default();
        let ctx = ctx(&WRAPPED, &redactor);
        let body = br#"{"response_code":117,"payload":"Token is invalid."}"#;
        assert!(matches!(
            ctx.interpret(200, body),
            Interpretation::InvalidToken
        ));
        assert!(matches!(
            ctx.interpret(401, b"Unauthorized"),
            Interpretation::InvalidToken
        ));
        let once_refreshed = DecodeContext {
            detect_invalid_token: false,
            ..ctx
        };
        assert!(matches!(
            once_refreshed.interpret(200, body),
            Interpretation::Failed(Error::Api { code: 117, .. })
        ));
    }

    #[test]
    fn bare_and_text_envelopes() {
        let order: Order =
            run(&BARE, 200, r#"{"amount":{"value":"100","currency":"INR"}}"#).unwrap();
        assert_eq!(order.amount.value, Decimal::from(100));
        let _: serde::de::IgnoredAny = run(&BARE, 204, "").unwrap();
        let text: String = run(&TEXT, 200, "plain \"text\"\n").unwrap();
        assert_eq!(text, "plain \"text\"\n");
        assert!(matches!(
            run::<String>(&TEXT, 200, "\u{0}ok"),
            Ok(s) if s == "\u{0}ok"
        ));
        let redactor = Redactor::default();
        let ctx = ctx(&TEXT, &redactor);
        assert!(matches!(
            ctx.interpret(200, &[0xff, 0xfe]),
            Interpretation::Failed(Error::Decode { .. })
        ));
    }

    #[test]
    fn hidden_bodies_stay_hidden() {
        let redactor = Redactor::default();
        let ctx = DecodeContext {
            hide_body: true,
            ..ctx(&BARE, &redactor)
        };
        let body = br#"{"token":"T0K3N","expiry":"#;
        match ctx.interpret(200, body) {
            Interpretation::Payload { json, prefix } => {
                match ctx.decode_payload::<Order>(200, &json, prefix, body) {
                    Err(Error::Decode { body_excerpt, .. }) => assert!(body_excerpt.is_empty()),
                    other => panic!("{other:?}"),
                }
            }
            _ => panic!("expected a payload"),
        }
    }

    const NAMES: EnvelopeNames = EnvelopeNames {
        code: "response_code",
        message: "response_message",
        payload: "payload",
    };

    type Texts = (Option<String>, Option<String>, Option<String>);

    fn texts(fields: &EnvelopeFields<'_>) -> Texts {
        let text = |raw: Option<&RawValue>| raw.map(|raw| raw.get().to_owned());
        (
            text(fields.code),
            text(fields.message),
            text(fields.payload),
        )
    }

    /// The envelope as read through [`parse_fields`] (the map of every field).
    fn through_map(body: &[u8], names: &EnvelopeNames) -> Result<Texts, (String, String)> {
        let map = parse_fields(body)?;
        let text = |name: &str| map.get(name).map(|raw| raw.get().to_owned());
        Ok((text(names.code), text(names.message), text(names.payload)))
    }

    #[test]
    fn the_one_pass_envelope_reads_what_the_field_map_reads() {
        let bodies: &[&[u8]] = &[
            br#"{"response_code":0,"response_message":"Success","payload":{"a":[1,2.50,"x"]}}"#,
            br#" { "payload" : null , "response_code" : 0 } "#,
            br#"{"response_code":0,"other":{"deep":[{"x":"\u00e9"}]},"payload":"p"}"#,
            // The last of a repeated field wins, as in a map.
            br#"{"response_code":1,"payload":1,"response_code":0,"payload":2}"#,
            // Escaped keys name the same fields.
            br#"{"response\u005fcode":0,"pay\u006coad":[true]}"#,
            "{\"response_code\":0,\"response_message\":\"d\u{e9}j\u{e0} vu\"}".as_bytes(),
            b"{}",
            // Failures: each is reported with the same path and message.
            b"",
            b"not json",
            b"[1,2]",
            b"null",
            br#"{"response_code":0"#,
            br#"{"response_code":0,"payload":{"amount":{"val"#,
            br#"{"response_code":0,"payload":null} trailing"#,
            br#"{"response_code":0,"payload":[1,}"#,
            br#"{"response_code":0,"other":tru}"#,
            br#"{"response_code":0,"other":"\ud800"}"#,
            br#"{"\ud800":0}"#,
            br#"{1:0}"#,
            // Not UTF-8: in an ignored field, in a read field, in a key.
            b"{\"response_code\":0,\"other\":\"\xff\"}",
            b"{\"response_code\":0,\"payload\":\"\xc3\"}",
            b"{\"\xfe\":0}",
            b"\xef\xbb\xbf{}",
        ];
        for body in bodies {
            let want = through_map(body, &NAMES);
            // The one pass alone succeeds exactly when the map does, with the same fields ...
            let fast = read_envelope(body, &NAMES).map(|fields| texts(&fields));
            assert_eq!(fast, want.clone().ok(), "{}", String::from_utf8_lossy(body));
            // ... and its failures are reported as before.
            let read = parse_envelope(body, &NAMES).map(|fields| texts(&fields));
            assert_eq!(read, want, "{}", String::from_utf8_lossy(body));
        }
        // Nested deeper than serde_json's recursion limit (raw values are skipped without
        // recursing): the same either way.
        let deep = format!("{{\"payload\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            read_envelope(deep.as_bytes(), &NAMES).map(|fields| texts(&fields)),
            through_map(deep.as_bytes(), &NAMES).ok()
        );
    }

    #[test]
    fn one_key_can_name_several_envelope_fields() {
        let names = EnvelopeNames {
            code: "code",
            message: "code",
            payload: "data",
        };
        let body = br#"{"code":0,"data":[1]}"#;
        let fields = read_envelope(body, &names).unwrap();
        assert_eq!(
            texts(&fields),
            (Some("0".into()), Some("0".into()), Some("[1]".into()))
        );
        assert_eq!(Ok(texts(&fields)), through_map(body, &names));
    }

    #[test]
    fn payload_errors_and_successes_are_unchanged_by_the_fast_pass() {
        let redactor = Redactor::default();
        let ctx = ctx(&WRAPPED, &redactor);
        let decode = |json: &str| ctx.decode_payload::<Vec<Order>>(200, json, Some("payload"), b"");
        let ok = r#"[{"amount":{"value":1.10,"currency":"INR"}}]"#;
        assert_eq!(decode(ok).unwrap()[0].amount.value.to_string(), "1.10");
        for (json, want) in [
            (r#"[{"amount":{"value":1,"currency":"INR"}}] x"#, "payload"),
            (
                r#"[{"amount":{"value":1,"currency":"INR"}},{"amount":{}}]"#,
                "payload[1].amount",
            ),
            (
                r#"[{"amount":{"value":1,"currency":"INR"},"items":[{"value":"a"}]}]"#,
                "payload[0].items[0].value",
            ),
            (r#"{"amount":1}"#, "payload"),
            (
                r#"[{"amount":{"value":1,"currency":"IN"#,
                "payload[0].amount.currency",
            ),
        ] {
            match decode(json) {
                Err(Error::Decode { path, .. }) => assert_eq!(path, want, "{json}"),
                other => panic!("{json}: {other:?}"),
            }
        }
    }

    /// Every body of the tests above and more, decoded both ways: whenever the one pass
    /// answers, the step-by-step reading answers the same.
    #[test]
    fn the_single_pass_agrees_with_the_step_by_step_reading() {
        fn both<T: DeserializeOwned + PartialEq + fmt::Debug>(
            ctx: &DecodeContext<'_>,
            status: u16,
            body: &str,
        ) -> Option<T> {
            let fast = ctx.decode_success::<T>(status, body.as_bytes());
            if let Some(value) = &fast {
                let slow = match ctx.interpret(status, body.as_bytes()) {
                    Interpretation::Payload { json, prefix } => {
                        ctx.decode_payload::<T>(status, &json, prefix, body.as_bytes())
                    }
                    Interpretation::InvalidToken => Err(Error::config("invalid token")),
                    Interpretation::Failed(err) => Err(err),
                };
                assert_eq!(Some(value), slow.as_ref().ok(), "{body}");
            }
            fast
        }
        let redactor = Redactor::default();
        let wrapped = ctx(&WRAPPED, &redactor);
        let order = r#"{"amount":{"value":20.150,"currency":"INR"}}"#;

        // Decoded in one pass, exact decimals kept, wherever the fields are.
        for body in [
            format!(r#"{{"response_code":0,"response_message":"Success","payload":{order}}}"#),
            format!(r#"{{"payload":{order},"response_code":0}}"#),
            format!(r#"{{"x":[{{}}],"response_code":0,"payload":{order},"y":null}}"#),
            format!(r#" {{ "response_code" : 0 , "payload" : {order} }} "#),
        ] {
            let got: Order = both(&wrapped, 200, &body).unwrap_or_else(|| panic!("{body}"));
            assert_eq!(got.amount.value.to_string(), "20.150");
            assert!(both::<Order>(&wrapped, 201, &body).is_some());
        }
        let none: Option<Option<Order>> = both(&wrapped, 200, r#"{"response_code":0}"#);
        assert_eq!(none, Some(None));
        assert_eq!(
            both::<Option<Order>>(&wrapped, 200, r#"{"response_code":0,"payload":null}"#),
            Some(None)
        );

        // Everything else is left to the step-by-step reading.
        for (status, body) in [
            (200, format!(r#"{{"response_code":42,"payload":{order}}}"#)),
            (200, format!(r#"{{"response_code":117,"payload":{order}}}"#)),
            (200, format!(r#"{{"response_code":"0","payload":{order}}}"#)),
            (200, format!(r#"{{"response_code":0.5,"payload":{order}}}"#)),
            (200, format!(r#"{{"payload":{order}}}"#)),
            (500, format!(r#"{{"response_code":0,"payload":{order}}}"#)),
            (401, format!(r#"{{"response_code":0,"payload":{order}}}"#)),
            (200, format!(r#"{{"response_code":0,"payload":{order}}} x"#)),
            (200, format!(r#"{{"response_code":0,"payload":{order}"#)),
            (
                200,
                format!(r#"{{"response_code":0,"payload":{order},"z":}}"#),
            ),
            (
                200,
                r#"{"response_code":0,"payload":{"amount":{"value":"ten"}}}"#.to_owned(),
            ),
            (
                200,
                r#"{"payload":{"amount":1},"response_code":0}"#.to_owned(),
            ),
            (
                200,
                format!(r#"{{"response_code":0,"payload":{order},"response_code":7}}"#),
            ),
            (
                200,
                format!(r#"{{"response_code":0,"payload":1,"payload":{order}}}"#),
            ),
            (200, format!(r#"[0,{order}]"#)),
            (200, String::new()),
            (200, "<html>maintenance</html>".to_owned()),
        ] {
            assert_eq!(
                both::<Order>(&wrapped, status, &body),
                None,
                "{status} {body}"
            );
        }
        let not_utf8 = b"{\"response_code\":0,\"x\":\"\xff\",\"payload\":null}";
        assert_eq!(wrapped.decode_success::<Option<Order>>(200, not_utf8), None);

        // An invalid-token code counts as success only once the token has been refreshed, and
        // only if it is a success code at all; other envelopes are never decoded in one pass.
        static ODD: OperationInfo = op(Envelope::Wrapped {
            code_field: "code",
            message_field: "code",
            payload_field: "data",
            success_codes: &[0, 117],
        });
        let odd = ctx(&ODD, &redactor);
        let body = format!(r#"{{"code":117,"data":{order}}}"#);
        assert_eq!(both::<Order>(&odd, 200, &body), None);
        let refreshed = DecodeContext {
            detect_invalid_token: false,
            ..ctx(&ODD, &redactor)
        };
        assert!(both::<Order>(&refreshed, 200, &body).is_some());
        static SAME: OperationInfo = op(Envelope::Wrapped {
            code_field: "x",
            message_field: "m",
            payload_field: "x",
            success_codes: &[0],
        });
        assert_eq!(both::<i64>(&ctx(&SAME, &redactor), 200, r#"{"x":0}"#), None);
        for op in [&BARE, &TEXT] {
            assert_eq!(both::<String>(&ctx(op, &redactor), 200, r#""text""#), None);
        }
    }

    #[test]
    fn paths_join_readably() {
        assert_eq!(join_path(Some("payload"), "."), "payload");
        assert_eq!(join_path(Some("payload"), "[2].x"), "payload[2].x");
        assert_eq!(join_path(Some("payload"), "a.b"), "payload.a.b");
        assert_eq!(join_path(None, "a"), "a");
    }
}
