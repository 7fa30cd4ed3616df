//! Secrets (access key, secret key, bearer token) never show up in `Debug` output, error
//! messages or log lines, even when EnKash echoes them back.

mod support;

use std::time::Duration;

use enkash_generated::{Client, Error, OrderGetResponse, TokenRequest};
use support::*;

/// `GET /api/v0/orders/O-1` (Get Order Status): authenticated, standard envelope.
async fn get_order(client: &Client) -> Result<OrderGetResponse, Error> {
    client.orders().get("O-1").await
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        secrets_in(text).is_empty(),
        "{what} leaks {:?}:\n{text}",
        secrets_in(text)
    );
}

#[tokio::test]
async fn debug_of_builder_and_client_shows_no_secret() {
    // EnKash echoes the access key in `merchantIdentifierKey`, a field the spec marks sensitive.
    let server = MockServer::start(handler(|_, _| {
        let mut order = order_json("O-1");
        order["merchantIdentifierKey"] = ACCESS_KEY.into();
        Reply::ok(order)
    }))
    .await;
    let builder = server.builder();
    let shown = format!("{builder:?}");
    assert_clean("builder", &shown);
    assert!(
        shown.contains("[REDACTED]") && shown.contains(&server.base_url),
        "{shown}"
    );

    let client = builder.build().unwrap();
    assert_clean("client before a token", &format!("{client:?} {client:#?}"));
    let order = get_order(&client).await.unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert_clean("client holding a token", &shown);
    assert!(shown.contains("CachedToken"), "{shown}");
    // The decoded payload holds the echoed key, but its `Debug` hides it.
    assert_eq!(order.merchant_identifier_key.as_deref(), Some(ACCESS_KEY));
    let shown = format!("{order:?} {order:#?}");
    assert_clean("payload", &shown);
    assert!(shown.contains("O-1"), "{shown}");
}

#[tokio::test]
async fn echoed_secrets_are_masked_in_error_bodies() {
    let echo = format!(
        r#"{{"response_code":12,"response_message":"bad key {ACCESS_KEY}","payload":{{"merchantIdentifierKey":"{ACCESS_KEY}","secret":"{SECRET_KEY}"}}}}"#
    );
    let server = MockServer::start(handler(move |hit, n| match n {
        0 => Reply::raw(200, echo.clone()),
        1 => Reply::raw(
            500,
            format!("<html>{}</html>", hit.header("authorization").unwrap_or("")),
        ),
        _ => Reply::raw(
            200,
            format!(
                r#"{{"response_code":0,"payload":{{"orderId":5,"token":"{}"}}}}"#,
                token_value(1)
            ),
        ),
    }))
    .await;
    let client = server.client();
    for expected in ["Api", "Http", "Decode"] {
        let err = get_order(&client).await.unwrap_err();
        let shown = format!("{err} | {err:?} | {:?}", err.body());
        assert!(shown.contains(expected), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
        assert_clean(expected, &shown);
    }
}

#[tokio::test]
async fn calling_the_token_operation_directly_keeps_its_body_out_of_errors() {
    let server = MockServer::with_token(
        handler(|_, _| {
            Reply::raw(
                200,
                format!(r#"{{"token":"{}","expiry":"soon"}}"#, token_value(1)),
            )
        }),
        handler(|_, _| Reply::raw(500, "")),
    )
    .await;
    let err = server
        .client()
        .authorization()
        .get_token(&TokenRequest::new(ACCESS_KEY, SECRET_KEY))
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path, body_excerpt, ..
        } => {
            assert_eq!(path, "expiry");
            assert!(body_excerpt.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.operation(), Some("get_authorization_token"));
    assert_clean("token decode error", &format!("{err} {err:?}"));
}

#[tokio::test]
async fn log_lines_carry_call_facts_but_no_secret() {
    let (guard, logs) = capture_logs();
    let first = format!("Bearer {}", token_value(1));
    let server = MockServer::with_token(
        handler(|_, n| {
            // The first token expires at once; the clock warning must not leak it either.
            let mut reply = token_reply(n + 1, Duration::from_secs(3600));
            if n == 0 {
                reply.body = format!(r#"{{"token":"{}","expiry":1}}"#, token_value(1));
            }
            reply
        }),
        handler(move |hit, n| match n {
            _ if hit.header("authorization") == Some(first.as_str()) => Reply::invalid_token(),
            1 => Reply::raw(503, format!("echo {ACCESS_KEY}")),
            2 => Reply::ok(order_json("O-1")),
            3 => Reply::raw(401, "Unauthorized"),
            _ => Reply::envelope(9, &format!("secret {SECRET_KEY}"), serde_json::json!(null)),
        }),
    )
    .await;
    let client = server.client();
    get_order(&client).await.unwrap();
    let _ = get_order(&client).await;
    let _ = get_order(&client).await;

    let bad = MockServer::with_token(
        handler(|_, _| {
            Reply::raw(
                403,
                format!(
                    r#"{{"resultCode":1,"resultMessage":"{SECRET_KEY}","token":"{}"}}"#,
                    token_value(9)
                ),
            )
        }),
        handler(|_, _| Reply::ok(order_json("O-1"))),
    )
    .await;
    let err = get_order(&bad.client()).await.unwrap_err();
    assert_clean("auth error", &format!("{err} {err:?}"));
    drop(guard);

    let text = logs.text();
    assert_clean("logs", &text);
    for expected in [
        "enkash.call",
        "operation=\"get_order_status\"",
        "attempts=",
        "attempt=",
        "status=",
        "enkash.token",
        "rejected the bearer token",
    ] {
        assert!(text.contains(expected), "logs lack {expected}:\n{text}");
    }
    assert!(!text.contains("Token is invalid"), "no bodies in logs");
}
