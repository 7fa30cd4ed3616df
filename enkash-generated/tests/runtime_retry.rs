//! The retry rules against a local server: only resends that cannot move money twice.

mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use enkash_generated::{
    Client, Error, OrderGetResponse, RequestOptions, RetryPolicy, SearchSettlementPayoutsParams,
    SettlementPayoutSearchRequest,
};
use support::*;

fn nth_then_ok(failures: Vec<Reply>) -> Handler {
    handler(move |hit, n| {
        failures
            .get(n)
            .cloned()
            .unwrap_or_else(|| Reply::success(hit))
    })
}

/// `GET /api/v0/orders/O-1` (Get Order Status): authenticated, standard envelope.
async fn get_order(client: &Client) -> Result<OrderGetResponse, Error> {
    client.orders().get("O-1").await
}

/// The same, with per-call options.
async fn get_order_with(
    client: &Client,
    options: RequestOptions,
) -> Result<OrderGetResponse, Error> {
    client.orders().with_options(options).get("O-1").await
}

#[tokio::test]
async fn get_503_then_200_succeeds() {
    let server = MockServer::start(nth_then_ok(vec![Reply::raw(503, "Service Unavailable")])).await;
    let order = get_order(&server.client()).await.unwrap();
    assert_eq!(order.order_id, "O-1");
    assert_eq!(server.api_hits(), 2);
}

#[tokio::test]
async fn get_502_and_504_are_retried_but_500_is_not() {
    let server = MockServer::start(nth_then_ok(vec![
        Reply::raw(502, "bad gateway"),
        Reply::raw(504, "timeout"),
    ]))
    .await;
    get_order(&server.client()).await.unwrap();
    assert_eq!(server.api_hits(), 3);

    let server = MockServer::start(nth_then_ok(vec![Reply::raw(500, "oops")])).await;
    let err = get_order(&server.client()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert_eq!(server.api_hits(), 1);
}

#[tokio::test]
async fn get_429_with_retry_after_waits_as_told() {
    let server = MockServer::start(nth_then_ok(vec![
        Reply::raw(429, "slow down").header("retry-after", "1"),
    ]))
    .await;
    let client = server
        .builder()
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_secs(5)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    get_order(&client).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.api_hits(), 2);
}

#[tokio::test]
async fn retry_after_is_capped_at_the_max_delay() {
    let server = MockServer::start(nth_then_ok(vec![
        Reply::raw(429, "slow down").header("retry-after", "3600"),
    ]))
    .await;
    let started = Instant::now();
    // The client's max delay is 10 ms; an uncapped wait would be an hour.
    get_order(&server.client()).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.api_hits(), 2);
}

#[tokio::test]
async fn get_429_without_retry_after_is_not_retried() {
    let server = MockServer::start(nth_then_ok(vec![Reply::raw(429, "slow down")])).await;
    let err = get_order(&server.client()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 429, .. }), "{err:?}");
    assert!(
        !err.is_retryable(),
        "the client did not retry it, so it must not call it retryable"
    );
    assert_eq!(server.api_hits(), 1);
}

#[tokio::test]
async fn post_without_dedup_key_answered_503_is_sent_exactly_once() {
    let server = MockServer::start(handler(|_, _| Reply::raw(503, "Service Unavailable"))).await;
    let err = server
        .client()
        .payments()
        .submit(&payment_request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert_eq!(server.api_hits(), 1);
}

#[tokio::test]
async fn post_without_dedup_key_answered_429_with_retry_after_is_sent_exactly_once() {
    let server = MockServer::start(handler(|_, _| {
        Reply::raw(429, "").header("retry-after", "0")
    }))
    .await;
    let err = server
        .client()
        .payments()
        .submit(&payment_request())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(
        matches!(err, Error::Http { retry_after: Some(d), .. } if d.is_zero()),
        "{err:?}"
    );
    assert!(
        err.is_retryable(),
        "transient (a GET would have been retried), but unsafe to resend here"
    );
    assert!(!err.may_have_been_processed());
    assert_eq!(server.api_hits(), 1);
}

#[tokio::test]
async fn post_without_dedup_key_timing_out_is_sent_exactly_once() {
    let server = MockServer::start(handler(|hit, _| {
        Reply::success(hit).delay(Duration::from_secs(3))
    }))
    .await;
    let options = RequestOptions::new().timeout(Duration::from_millis(100));
    let err = server
        .client()
        .payments()
        .with_options(options)
        .submit(&payment_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "submit_payment",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    assert_eq!(server.api_hits(), 1);
}

#[tokio::test]
async fn post_without_dedup_key_on_a_dropped_connection_is_sent_exactly_once() {
    let (base_url, accepted) = dropping_server().await;
    // No token needed: Validate OTP is an unauthenticated write without dedup key.
    let client = fast_builder(&base_url).build().unwrap();
    let err = client
        .payments()
        .validate_otp(&otp_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "validate_otp",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn get_on_a_dropped_connection_is_retried() {
    let (base_url, accepted) = dropping_server().await;
    // No token needed: Get UPI Transaction Status is an unauthenticated GET.
    let client = fast_builder(&base_url).build().unwrap();
    let err = client.payments().get_upi_status("EK1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn post_with_dedup_key_is_retried_with_identical_body_bytes() {
    let server = MockServer::start(nth_then_ok(vec![
        Reply::raw(503, "busy"),
        Reply::raw(504, "gateway timeout"),
    ]))
    .await;
    let created = server
        .client()
        .orders()
        .create(&order_request())
        .await
        .unwrap();
    assert_eq!(created.order_id, "O-1");
    let hits = server.api_requests();
    assert_eq!(hits.len(), 3);
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "same bytes every time"
    );
    assert_eq!(hits[0].path, "/api/v0/orders");
    assert_eq!(hits[0].json()["orderId"], MERCHANT_ORDER_ID);
    assert_eq!(hits[0].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn post_with_dedup_key_is_retried_after_a_timeout() {
    let server = MockServer::start(handler(|hit, n| {
        let reply = Reply::success(hit);
        if n == 0 {
            reply.delay(Duration::from_secs(3))
        } else {
            reply
        }
    }))
    .await;
    let options = RequestOptions::new().timeout(Duration::from_millis(300));
    server
        .client()
        .orders()
        .with_options(options)
        .create(&order_request())
        .await
        .unwrap();
    let hits = server.api_requests();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].body, hits[1].body);
}

/// The runtime resends a dedup-key write only when the body carries a non-empty id. Through the
/// generated API a Create Order without its `orderId` cannot even be sent: `orderId` is a
/// required `String` and the generated `validate()` refuses an empty one. (A dedup-key body
/// *lacking* the key is only reachable in-crate.)
#[tokio::test]
async fn post_with_dedup_key_but_an_empty_id_is_never_sent() {
    let server = MockServer::start(handler(|_, _| Reply::raw(503, "busy"))).await;
    let mut request = order_request();
    request.order_id = String::new();
    let err = server.client().orders().create(&request).await.unwrap_err();
    assert_validation(&err, "create_order", "orderId");
    assert!(!err.may_have_been_processed());
    assert_eq!((server.token_hits(), server.api_hits()), (0, 0));
}

#[tokio::test]
async fn post_the_spec_marks_idempotent_is_retried_like_a_get() {
    // Search Settlement Payouts is a POST that cannot make EnKash act twice.
    let server = MockServer::start(nth_then_ok(vec![
        Reply::raw(503, "busy"),
        Reply::raw(429, "slow down").header("retry-after", "0"),
    ]))
    .await;
    let found = server
        .client()
        .settlements()
        .search_payouts(
            &SettlementPayoutSearchRequest::new(),
            &SearchSettlementPayoutsParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(found.records_count, Some(0));
    let hits = server.api_requests();
    assert_eq!(hits.len(), 3);
    assert!(
        hits.iter()
            .all(|h| h.method == "POST" && h.body == hits[0].body)
    );
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_write_without_dedup_key() {
    // Nothing listens on the port at first; the server appears while the client backs off.
    let port = refused_port().await;
    let base_url = format!("http://127.0.0.1:{port}");
    let client = fast_builder(&base_url)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(20)
                .base_delay(Duration::from_millis(100))
                .max_delay(Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = hits.clone();
        let body = serde_json::json!({"response_code": 0, "payload": otp_json()}).to_string();
        let app = axum::Router::new().fallback(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            async move { body }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        hits
    });
    // Validate OTP: an unauthenticated write without dedup key (no token request to refuse).
    let answer = client
        .payments()
        .validate_otp(&otp_request())
        .await
        .unwrap();
    assert_eq!(answer.transaction_id, "EK1");
    assert!(started.elapsed() >= Duration::from_millis(150));
    let hits = late_server.await.unwrap();
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the request reached the server once"
    );
}

#[tokio::test]
async fn connection_refused_gives_up_after_max_retries() {
    let (_guard, logs) = capture_logs();
    let port = refused_port().await;
    let client = fast_builder(&format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let err = client.payments().get_upi_status("EK1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        !err.may_have_been_processed(),
        "a refused connection sent nothing"
    );
    assert!(err.is_retryable());
    assert_eq!(
        logs.text().matches("waiting before retrying").count(),
        2,
        "{}",
        logs.text()
    );
}

#[tokio::test]
async fn max_retries_is_respected_and_can_be_overridden_per_call() {
    let server = MockServer::start(handler(|_, _| Reply::raw(503, "busy"))).await;
    let client = server
        .builder()
        .retry_policy(
            RetryPolicy::new()
                .max_retries(3)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let err = get_order(&client).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(server.api_hits(), 4);

    get_order_with(&client, RequestOptions::new().max_retries(0))
        .await
        .unwrap_err();
    assert_eq!(server.api_hits(), 5);

    get_order_with(&client, RequestOptions::new().max_retries(5))
        .await
        .unwrap_err();
    assert_eq!(server.api_hits(), 11);

    let none = server
        .builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    get_order(&none).await.unwrap_err();
    assert_eq!(server.api_hits(), 12);
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_timeout() {
    let server = MockServer::start(handler(|_, _| {
        Reply::ok(order_json("O-1")).delay(Duration::from_millis(300))
    }))
    .await;
    let client = server
        .builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    get_order(&client).await.unwrap();
    let err = get_order_with(
        &client,
        RequestOptions::new().timeout(Duration::from_millis(50)),
    )
    .await
    .unwrap_err();
    match err {
        Error::Timeout { timeout, .. } => assert_eq!(timeout, Duration::from_millis(50)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn api_errors_are_not_retried() {
    let server = MockServer::start(handler(|_, _| {
        Reply::envelope(42, "Order not found", serde_json::json!(null))
    }))
    .await;
    let err = server
        .client()
        .orders()
        .create(&order_request())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(42));
    assert!(!err.is_retryable() && !err.may_have_been_processed());
    assert_eq!(server.api_hits(), 1);
}
