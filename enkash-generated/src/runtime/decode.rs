//! Turning an HTTP response into a payload or an [`Error`], per the operation's [`Envelope`].
//!
//! Payloads are always decoded from JSON *text* (never through `serde_json::Value`), because the
//! exact-decimal formats in `wire` read numbers through `RawValue`, which only works on text.
//! Nothing here panics on any input: every malformed body becomes [`Error::Decode`] or
//! [`Error::Http`].

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::DeserializeOwned;
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
                let fields = match parse_fields(body) {
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
                    .get(code_field)
                    .and_then(|raw| serde_json::from_str::<i64>(raw.get()).ok());
                let Some(code) = code else {
                    if !success {
                        return Interpretation::Failed(self.http_error(status, body));
                    }
                    let message = match fields.get(code_field) {
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
                        .get(payload_field)
                        .map_or(Cow::Borrowed("null"), |raw| Cow::Borrowed(raw.get()));
                    return Interpretation::Payload {
                        json,
                        prefix: Some(payload_field),
                    };
                }
                let message = fields.get(message_field).map_or(String::new(), |raw| {
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

    #[test]
    fn paths_join_readably() {
        assert_eq!(join_path(Some("payload"), "."), "payload");
        assert_eq!(join_path(Some("payload"), "[2].x"), "payload[2].x");
        assert_eq!(join_path(Some("payload"), "a.b"), "payload.a.b");
        assert_eq!(join_path(None, "a"), "a");
    }
}
