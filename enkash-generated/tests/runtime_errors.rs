//! Every failure becomes the right `Error` variant, with what a caller needs, and no panic.

mod support;

use std::time::Duration;

use enkash_generated::{
    Client, CreateOrderRequest, Environment, Error, OrderGetResponse, RetryPolicy,
    SearchSettlementPayoutsParams, SettlementPayoutSearchRequest, TokenRequest,
};
use support::*;

/// `GET /api/v0/orders/O-1` (Get Order Status): authenticated, standard envelope.
async fn get_order(client: &Client) -> Result<OrderGetResponse, Error> {
    client.orders().get("O-1").await
}

async fn get_order_answered(reply: Reply) -> (Result<OrderGetResponse, Error>, MockServer) {
    let server = MockServer::start(handler(move |_, _| reply.clone())).await;
    let result = get_order(&server.client()).await;
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
                (Some(200), Some(40), Some("get_order_status"))
            );
            assert!(err.body().unwrap().contains("No order O-1"));
            assert_eq!(
                err.to_string(),
                "EnKash answered `get_order_status` with code 40 (HTTP 200): Order not found"
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
            operation: "get_order_status",
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
        r#"{"response_code":0,"payload":{"orderId":"O-1","amount":20.1"#,
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
    let mut payload = order_json("O-1");
    payload["amount"] = serde_json::json!("twenty");
    let (result, _) = get_order_answered(Reply::ok(payload)).await;
    match result.unwrap_err() {
        Error::Decode {
            path,
            message,
            status,
            ..
        } => {
            assert_eq!(path, "payload.amount");
            assert!(message.contains("expected a decimal number"), "{message}");
            assert_eq!(status, 200);
        }
        other => panic!("{other:?}"),
    }
    let mut payload = order_json("O-1");
    payload["orderId"] = serde_json::json!(7);
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
    // Get UPI Transaction Status: an unauthenticated GET, so no token request comes first.
    let err = client.payments().get_upi_status("EK1").await.unwrap_err();
    match &err {
        Error::Transport {
            operation: "get_upi_transaction_status",
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn slow_server_is_a_timeout() {
    let server = MockServer::start(handler(|_, _| {
        Reply::ok(order_json("O-1")).delay(Duration::from_secs(30))
    }))
    .await;
    let client = server
        .builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = get_order(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "get_order_status",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(server.api_hits(), 3, "a GET is retried after a timeout");
    // Three attempts of 300 ms, not the server's 30 s.
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[tokio::test]
async fn validation_problems_send_nothing_not_even_the_token_request() {
    let server = MockServer::start(handler(|hit, _| Reply::success(hit))).await;
    let client = server.client();
    let err = client.orders().get("").await.unwrap_err();
    match &err {
        Error::Validation {
            operation: "get_order_status",
            problems,
            ..
        } => {
            assert_eq!(problems, &["path parameter `orderId` is empty"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("nothing was sent"));
    // A body breaking the spec's rules is refused the same way (no generated operation has a
    // header parameter, so the old "header value with a newline" case cannot be built here).
    let bad_body = CreateOrderRequest::new("NOT-ALPHANUMERIC", inr(2015));
    let err = client.orders().create(&bad_body).await.unwrap_err();
    assert_validation(&err, "create_order", "orderId");
    assert_eq!((server.token_hits(), server.api_hits()), (0, 0));
}

#[tokio::test]
async fn build_requires_a_valid_base_url() {
    let err = Client::builder()
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
        let err = bare_builder(bad).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{bad}");
    }
    let err = bare_builder("https://example.com")
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let err = bare_builder("https://example.com")
        .credentials("", SECRET_KEY)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("access key is empty"));
    let client = Client::builder()
        .environment(Environment::Custom("https://example.com/prefix/".into()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://example.com/prefix");
}

#[tokio::test]
async fn query_and_path_params_are_encoded_and_a_base_path_is_kept() {
    let server = MockServer::start(handler(|hit, _| Reply::success(hit))).await;
    let client = fast_builder(&format!("{}/gateway/", server.base_url))
        .build()
        .unwrap();
    client.orders().get("O 1/2").await.unwrap();
    // Search Settlement Payouts: the operation with query parameters.
    let params = SearchSettlementPayoutsParams::new()
        .with_offset(0)
        .with_order_by("created at&x");
    client
        .settlements()
        .search_payouts(&SettlementPayoutSearchRequest::new(), &params)
        .await
        .unwrap();
    let hits = server.api_requests();
    let get = &hits[0];
    assert_eq!(get.path, "/gateway/api/v0/orders/O%201%2F2");
    assert_eq!(get.query, None);
    assert_eq!(get.header("accept"), Some("application/json"));
    assert!(
        get.header("content-type").is_none(),
        "no body, no content type"
    );
    let search = &hits[1];
    assert_eq!(search.path, "/gateway/api/v0/settlement-payout/search");
    assert_eq!(
        search.query.as_deref(),
        Some("offset=0&orderBy=created+at%26x")
    );
    assert_eq!(search.header("content-type"), Some("application/json"));
    assert_eq!(
        server.token_requests()[0].path,
        "/gateway/api/v0/merchant/token"
    );
}

#[tokio::test]
async fn bare_and_text_envelopes_and_empty_payloads() {
    let server = MockServer::start(handler(|hit, _| {
        let path = hit.path.as_str();
        if path.starts_with("/pay/resend/otp/") {
            Reply::raw(200, "PONG")
        } else if path.starts_with("/api/v0/qr-code/") {
            Reply::raw(200, r#"{"response_code":0,"response_message":"Success"}"#)
        } else {
            // A numeric string is read as the exact decimal too.
            let mut order = order_json("O-1");
            order["amount"] = serde_json::json!("100.50");
            Reply::ok(order)
        }
    }))
    .await;
    let client = server.client();
    // Bare: the token operation's body is the payload.
    let token = client
        .authorization()
        .get_token(&TokenRequest::new(ACCESS_KEY, SECRET_KEY))
        .await
        .unwrap();
    assert_eq!(token.token, token_value(1));
    assert_eq!(token.result_code, Some(0));
    assert!(
        token
            .expiry
            .is_some_and(|expiry| expiry > enkash_generated::time::OffsetDateTime::now_utc())
    );
    // Text: Resend OTP answers plain text.
    let text = client.payments().resend_otp("EK1").await.unwrap();
    assert_eq!(text, "PONG");
    // Wrapped, with a decimal sent as a string.
    let order = get_order(&client).await.unwrap();
    assert_eq!(order.amount.to_string(), "100.50");
    // Wrapped without a payload: `null` for an operation whose payload is any JSON.
    let qr = client.upi_qr().get("QR1").await.unwrap();
    assert_eq!(qr, serde_json::Value::Null);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start(handler(|_, _| {
        Reply::raw(302, "").header("location", "http://127.0.0.1:9/elsewhere")
    }))
    .await;
    let err = get_order(&server.client()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 302, .. }), "{err:?}");
}

#[test]
fn client_and_errors_are_send_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Client>();
    check::<Error>();
}

#[tokio::test]
async fn a_response_larger_than_the_limit_is_not_read() {
    let huge = serde_json::json!({
        "response_code": 0,
        "payload": order_json(&"x".repeat(64 * 1024)),
    })
    .to_string();
    let server = MockServer::start(handler(move |_, _| Reply::raw(200, &huge))).await;
    let client = server.builder().max_response_size(4096).build().unwrap();
    match get_order(&client).await.unwrap_err() {
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
    let order = get_order(&server.client()).await;
    assert!(order.is_ok(), "{:?}", order.err());
}
