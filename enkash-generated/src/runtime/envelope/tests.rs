//! Unit tests of the envelope and payload decoding.

use super::*;
use rust_decimal::Decimal;

static WRAPPED: Envelope = Envelope::Wrapped {
    code_field: "response_code",
    message_field: "response_message",
    payload_field: "payload",
    success_codes: &[0],
    error_fields: None,
};
static BARE: Envelope = Envelope::BARE;
static TEXT: Envelope = Envelope::Text;

#[derive(Debug, PartialEq)]
struct Amount {
    value: Decimal,
    currency: String,
}

crate::runtime::wire::json_object! {
    Amount: received;
    required value = "value" => decimal;
    required currency = "currency";
}

#[derive(Debug, PartialEq)]
struct Order {
    amount: Amount,
    items: Option<Vec<Amount>>,
}

crate::runtime::wire::json_object! {
    Order: received;
    required amount = "amount";
    optional items = "items";
}

fn ctx<'a>(envelope: &'static Envelope, redactor: &'a Redactor<'a>) -> DecodeContext<'a> {
    DecodeContext {
        operation: "get_order",
        envelope,
        invalid_token_codes: &[117],
        detect_invalid_token: true,
        redactor,
        hide_body: false,
        retry_after: None,
    }
}

fn run<T: DeserializeOwned>(op: &'static Envelope, status: u16, body: &str) -> Result<T, Error> {
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
    let body =
        r#"{"response_code":42,"response_message":"Order not found","payload":"key ACCESS-KEY-1"}"#;
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
    // An integer or a string of digits (see `result_codes_written_as_strings_are_read`).
    match run::<Order>(&WRAPPED, 200, r#"{"response_code":"0x","payload":{}}"#) {
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
    let order: Order = run(&BARE, 200, r#"{"amount":{"value":"100","currency":"INR"}}"#).unwrap();
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
        retry_after: None,
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
        // A code written as a string of digits.
        format!(r#"{{"response_code":"0","payload":{order}}}"#),
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
        (
            200,
            format!(r#"{{"response_code":"zero","payload":{order}}}"#),
        ),
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
    static ODD: Envelope = Envelope::Wrapped {
        code_field: "code",
        message_field: "code",
        payload_field: "data",
        success_codes: &[0, 117],
        error_fields: None,
    };
    let odd = ctx(&ODD, &redactor);
    let body = format!(r#"{{"code":117,"data":{order}}}"#);
    assert_eq!(both::<Order>(&odd, 200, &body), None);
    let refreshed = DecodeContext {
        detect_invalid_token: false,
        ..ctx(&ODD, &redactor)
    };
    assert!(both::<Order>(&refreshed, 200, &body).is_some());
    static SAME: Envelope = Envelope::Wrapped {
        code_field: "x",
        message_field: "m",
        payload_field: "x",
        success_codes: &[0],
        error_fields: None,
    };
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

/// A result code written as a string of digits (`"response_code": "0"`) is read like the
/// integer, in the one-pass success path, in the step-by-step path and for failures; a string
/// that is not a number is still a decode error.
#[test]
fn result_codes_written_as_strings_are_read() {
    let body = r#"{"response_code": "0", "response_message": "Success", "payload": {"value": 1, "currency": "INR"}}"#;
    let redactor = Redactor::new([None]);
    let context = ctx(&WRAPPED, &redactor);
    let fast: Option<Amount> = context.decode_success(200, body.as_bytes());
    assert_eq!(fast.map(|a| a.currency), Some("INR".to_owned()));
    let slow: Amount = run(&WRAPPED, 200, body).unwrap();
    assert_eq!(slow.value, Decimal::new(1, 0));
    let refused = r#"{"response_code": "7", "response_message": "No", "payload": null}"#;
    match run::<Amount>(&WRAPPED, 200, refused) {
        Err(Error::Api {
            code: 7, message, ..
        }) => assert_eq!(message, "No"),
        other => panic!("expected the code 7, got {other:?}"),
    }
    assert_eq!(WRAPPED.failure(refused.as_bytes()).0, Some(7));
    let garbled = r#"{"response_code": "zero", "payload": null}"#;
    match run::<Amount>(&WRAPPED, 200, garbled) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "response_code"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// A wrapped envelope with another error shape (`{"code": 412, "message": "..."}`) reads a
/// refused answer of that shape as [`Error::Api`] with its code and message, whatever the
/// status; without `error_fields` the same body is an HTTP or decode error, as before.
#[test]
fn the_other_error_shape_of_a_wrapped_envelope_is_an_api_error() {
    static WITH_ERRORS: Envelope = Envelope::Wrapped {
        code_field: "response_code",
        message_field: "response_message",
        payload_field: "payload",
        success_codes: &[0],
        error_fields: Some(("code", "message")),
    };
    let body = r#"{"code": 412, "message": "Bank account and IFSC both are required."}"#;
    for status in [412, 200] {
        match run::<Amount>(&WITH_ERRORS, status, body) {
            Err(Error::Api {
                code: 412,
                message,
                status: got,
                ..
            }) => {
                assert_eq!(message, "Bank account and IFSC both are required.");
                assert_eq!(got, status);
            }
            other => panic!("HTTP {status}: expected code 412, got {other:?}"),
        }
    }
    assert_eq!(
        WITH_ERRORS.failure(body.as_bytes()),
        (
            Some(412),
            Some("Bank account and IFSC both are required.".to_owned())
        )
    );
    assert!(matches!(
        run::<Amount>(&WRAPPED, 412, body),
        Err(Error::Http { .. })
    ));
    assert!(matches!(
        run::<Amount>(&WRAPPED, 200, body),
        Err(Error::Decode { .. })
    ));
    // The envelope's own code still wins when both are there.
    let both = r#"{"response_code": 1, "response_message": "Failure", "code": 412}"#;
    assert!(matches!(
        run::<Amount>(&WITH_ERRORS, 200, both),
        Err(Error::Api { code: 1, .. })
    ));
}
