//! Every failure becomes the right `Error` variant, with what a caller needs, and no panic.

mod support;

use std::time::Duration;

use enkash_generated::runtime::Request;
use enkash_generated::{ClientBuilder, Error, RequestOptions, RetryPolicy};
use support::*;

async fn get_order_answered(reply: Reply) -> (Result<Order, Error>, MockServer) {
    let server = MockServer::start(handler(move |_, _| reply.clone())).await;
    let result = server
        .client()
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await;
    (result, server)
}

#[tokio::test]
async fn non_zero_response_code_is_an_api_error() {
    let reply = Reply::envelope(40, "Order not found", serde_json::json!("No order O-1"));
    let (result, _) = get_order_answered(reply).await;
    match result.unwrap_err() {
        err @ Error::Api { .. } => {
            assert_eq!(
                (err.status(), err.code(), err.operation()),
                (Some(200), Some(40), Some("get_order"))
            );
            assert!(err.body().unwrap().contains("No order O-1"));
            assert_eq!(
                err.to_string(),
                "EnKash answered `get_order` with code 40 (HTTP 200): Order not found"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn non_2xx_with_an_envelope_is_an_api_error() {
    let reply = Reply::envelope(
        400,
        "amount.value must be positive",
        serde_json::json!(null),
    )
    .status(400);
    let (result, _) = get_order_answered(reply).await;
    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 400,
                code: 400,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn html_error_page_is_an_http_error_with_an_excerpt() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(5000)
    );
    let (result, server) =
        get_order_answered(Reply::raw(502, page).header("content-type", "text/html")).await;
    let err = result.unwrap_err();
    match &err {
        Error::Http {
            status: 502,
            body_excerpt,
            operation: "get_order",
            ..
        } => {
            assert!(body_excerpt.starts_with("<html><head><title>502 Bad Gateway"));
            assert!(body_excerpt.len() <= 1024 + '…'.len_utf8());
            assert!(body_excerpt.ends_with('…'));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable() && err.may_have_been_processed());
    assert_eq!(server.api_hits(), 3, "a GET is retried on 502");
}

#[tokio::test]
async fn non_json_500_is_an_http_error() {
    let (result, _) = get_order_answered(Reply::raw(500, "Internal Server Error")).await;
    match result.unwrap_err() {
        Error::Http {
            status: 500,
            body_excerpt,
            ..
        } => assert_eq!(body_excerpt, "Internal Server Error"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let (result, _) = get_order_answered(Reply::raw(
        200,
        r#"{"response_code":0,"payload":{"orderId":"O-1","amount":{"val"#,
    ))
    .await;
    match result.unwrap_err() {
        err @ Error::Decode { .. } => {
            assert!(
                err.may_have_been_processed(),
                "a 2xx was probably processed"
            );
            assert!(err.body().unwrap().starts_with(r#"{"response_code":0"#));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_field_type_is_a_decode_error_with_the_json_path() {
    let payload =
        serde_json::json!({"orderId": "O-1", "amount": {"value": "twenty", "currency": "INR"}});
    let (result, _) = get_order_answered(Reply::ok(payload)).await;
    match result.unwrap_err() {
        Error::Decode {
            path,
            message,
            status,
            ..
        } => {
            assert_eq!(path, "payload.amount.value");
            assert!(message.contains("expected a decimal number"), "{message}");
            assert_eq!(status, 200);
        }
        other => panic!("{other:?}"),
    }
    let payload = serde_json::json!({"orderId": 7, "amount": {"value": 1, "currency": "INR"}});
    let (result, _) = get_order_answered(Reply::ok(payload)).await;
    let err = result.unwrap_err();
    assert!(err.to_string().contains("at `payload.orderId`"), "{err}");
}

#[tokio::test]
async fn missing_result_code_and_non_object_bodies_are_decode_errors() {
    for body in [r#"{"payload":{}}"#, "[1,2]", "\"ok\"", "", "null"] {
        let (result, _) = get_order_answered(Reply::raw(200, body)).await;
        assert!(
            matches!(result, Err(Error::Decode { .. })),
            "{body}: {result:?}"
        );
    }
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let (base_url, _) = dropping_server().await;
    let client = fast_builder(&base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let err = client
        .execute::<serde_json::Value>(Request::new(&BARE_GET, &options))
        .await
        .unwrap_err();
    match &err {
        Error::Transport {
            operation: "bare_get",
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn slow_server_is_a_timeout() {
    let server = MockServer::start(handler(|_, _| {
        Reply::ok(order_json("O-1")).delay(Duration::from_millis(400))
    }))
    .await;
    let client = server
        .builder()
        .timeout(Duration::from_millis(80))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "get_order",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(server.api_hits(), 3, "a GET is retried after a timeout");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn validation_problems_send_nothing_not_even_the_token_request() {
    let server = MockServer::start(handler(|_, _| Reply::ok(order_json("O-1")))).await;
    let client = server.client();
    let options = RequestOptions::new();
    let request = Request::new(&GET_ORDER, &options).path_param("orderId", "");
    let err = client.execute::<Order>(request).await.unwrap_err();
    match &err {
        Error::Validation {
            operation: "get_order",
            problems,
            ..
        } => {
            assert_eq!(problems, &["path parameter `orderId` is empty"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("nothing was sent"));
    let bad_header = Request::new(&GET_ORDER, &options)
        .path_param("orderId", "O-1")
        .header("x-note", "a\nb");
    assert!(matches!(
        client.execute::<Order>(bad_header).await,
        Err(Error::Validation { .. })
    ));
    assert_eq!((server.token_hits(), server.api_hits()), (0, 0));
}

#[tokio::test]
async fn build_requires_a_valid_base_url() {
    let err = ClientBuilder::new(&API)
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    assert!(err.to_string().contains(".environment(..)"), "{err}");
    for bad in [
        "not a url",
        "ftp://example.com",
        "https://user:pass@example.com",
        "https://example.com?x=1",
    ] {
        let err = ClientBuilder::new(&API).base_url(bad).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{bad}");
    }
    let err = ClientBuilder::new(&API)
        .base_url("https://example.com")
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let err = ClientBuilder::new(&API)
        .base_url("https://example.com")
        .credentials("", SECRET_KEY)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("access key is empty"));
    let client = ClientBuilder::new(&API)
        .base_url("https://example.com/prefix/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://example.com/prefix");
}

#[tokio::test]
async fn query_and_header_params_are_sent_and_a_base_path_is_kept() {
    let server = MockServer::start(handler(|_, _| Reply::ok(order_json("O-1")))).await;
    let client = fast_builder(&format!("{}/gateway/", server.base_url))
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let request = Request::new(&GET_ORDER, &options)
        .path_param("orderId", "O 1/2")
        .query("offset", 0)
        .query("orderBy", "created at&x")
        .header("x-request-id", "abc");
    let _: Order = client.execute(request).await.unwrap();
    let hit = &server.api_requests()[0];
    assert_eq!(hit.path, "/gateway/api/v0/orders/O%201%2F2");
    assert_eq!(
        hit.query.as_deref(),
        Some("offset=0&orderBy=created+at%26x")
    );
    assert_eq!(hit.header("x-request-id"), Some("abc"));
    assert_eq!(hit.header("accept"), Some("application/json"));
    assert!(
        hit.header("content-type").is_none(),
        "no body, no content type"
    );
}

#[tokio::test]
async fn bare_and_text_envelopes_and_empty_payloads() {
    let server = MockServer::start(handler(|hit, _| match hit.path.as_str() {
        "/pay/bare" => Reply::raw(
            200,
            r#"{"orderId":"B-1","amount":{"value":"100.50","currency":"INR"}}"#,
        ),
        "/pay/text" => Reply::raw(200, "PONG"),
        _ => Reply::raw(200, r#"{"response_code":0,"response_message":"Success"}"#),
    }))
    .await;
    let client = server.client();
    let options = RequestOptions::new();
    let order: Order = client
        .execute(Request::new(&BARE_GET, &options))
        .await
        .unwrap();
    assert_eq!(order.amount.value.to_string(), "100.50");
    let text: String = client
        .execute(Request::new(&TEXT_GET, &options))
        .await
        .unwrap();
    assert_eq!(text, "PONG");
    let request = Request::new(&UPI_STATUS, &options).path_param("transactionId", "EK1");
    let _: serde::de::IgnoredAny = client.execute(request).await.unwrap();
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start(handler(|_, _| {
        Reply::raw(302, "").header("location", "http://127.0.0.1:9/elsewhere")
    }))
    .await;
    let options = RequestOptions::new();
    let err = server
        .client()
        .execute::<Order>(get_order(&options))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 302, .. }), "{err:?}");
}

#[test]
fn client_and_errors_are_send_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<enkash_generated::Client>();
    check::<Error>();
}

#[tokio::test]
async fn a_response_larger_than_the_limit_is_not_read() {
    let huge = format!(
        r#"{{"response_code": 0, "payload": {{"orderId": "{}", "amount": {{"value": 1, "currency": "INR"}}}}}}"#,
        "x".repeat(64 * 1024)
    );
    let server = MockServer::start(handler(move |_, _| Reply::raw(200, &huge))).await;
    let client = server.builder().max_response_size(4096).build().unwrap();
    let result = client
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await;
    match result.unwrap_err() {
        Error::Http {
            status: 200,
            body_excerpt,
            ..
        } => assert!(
            body_excerpt.contains("limit of 4096 bytes"),
            "{body_excerpt}"
        ),
        other => panic!("{other:?}"),
    }
    // The default limit reads the same answer whole.
    let order = server
        .client()
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await;
    assert!(order.is_ok(), "{order:?}");
}
