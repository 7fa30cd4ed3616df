//! The retry rules against a local server: only resends that cannot move money twice.

mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use enkash_generated::runtime::Request;
use enkash_generated::{Error, RequestOptions, RetryPolicy};
use support::*;

fn nth_then_ok(failures: Vec<Reply>) -> Handler {
    handler(move |_, n| {
        failures
            .get(n)
            .cloned()
            .unwrap_or_else(|| Reply::ok(order_json("O-1")))
    })
}

fn create_order(options: &RequestOptions) -> Request<'_> {
    Request::new(&CREATE_ORDER, options).json(&serde_json::json!({
        "orderId": "MERCHANT-ORDER-42",
        "amount": {"value": 20.15, "currency": "INR"},
    }))
}

fn submit_payment(options: &RequestOptions) -> Request<'_> {
    Request::new(&SUBMIT_PAYMENT, options)
        .json(&serde_json::json!({"orderId": "EK-1", "paymentMode": "UPI"}))
}

#[tokio::test]
async fn get_503_then_200_succeeds() {
    let server = MockServer::start(nth_then_ok(vec![Reply::raw(503, "Service Unavailable")])).await;
    let order: Order = server
        .client()
        .execute(get_order(&RequestOptions::new()))
        .await
        .unwrap();
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
    let _: Order = server
        .client()
        .execute(get_order(&RequestOptions::new()))
        .await
        .unwrap();
    assert_eq!(server.api_hits(), 3);

    let server = MockServer::start(nth_then_ok(vec![Reply::raw(500, "oops")])).await;
    let err = server
        .client()
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await
        .unwrap_err();
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
    let _: Order = client
        .execute(get_order(&RequestOptions::new()))
        .await
        .unwrap();
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
    let _: Order = server
        .client()
        .execute(get_order(&RequestOptions::new()))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.api_hits(), 2);
}

#[tokio::test]
async fn get_429_without_retry_after_is_not_retried() {
    let server = MockServer::start(nth_then_ok(vec![Reply::raw(429, "slow down")])).await;
    let err = server
        .client()
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await
        .unwrap_err();
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
        .execute::<Order>(submit_payment(&RequestOptions::new()))
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
        .execute::<Order>(submit_payment(&RequestOptions::new()))
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
    let server = MockServer::start(handler(|_, _| {
        Reply::ok(order_json("O-1")).delay(Duration::from_millis(500))
    }))
    .await;
    let options = RequestOptions::new().timeout(Duration::from_millis(100));
    let err = server
        .client()
        .execute::<Order>(submit_payment(&options))
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
    // No token needed: use an unauthenticated write.
    static VERIFY_VPA: enkash_generated::runtime::OperationInfo =
        enkash_generated::runtime::OperationInfo {
            id: "verify_vpa",
            method: enkash_generated::runtime::Method::Post,
            path: "/pay/charge/verify-vpa",
            envelope: STANDARD,
            auth: &[],
            dedup_key: None,
            body_credentials: &[],
            idempotent: false,
            developing: false,
        };
    let client = fast_builder(&base_url).build().unwrap();
    let options = RequestOptions::new();
    let request = Request::new(&VERIFY_VPA, &options).json(&serde_json::json!({"vpa": "a@upi"}));
    let err = client
        .execute::<serde_json::Value>(request)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn get_on_a_dropped_connection_is_retried() {
    let (base_url, accepted) = dropping_server().await;
    let client = fast_builder(&base_url).build().unwrap();
    let options = RequestOptions::new();
    let request = Request::new(&BARE_GET, &options);
    let err = client
        .execute::<serde_json::Value>(request)
        .await
        .unwrap_err();
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
    let order: Order = server
        .client()
        .execute(create_order(&RequestOptions::new()))
        .await
        .unwrap();
    assert_eq!(order.order_id, "O-1");
    let hits = server.api_requests();
    assert_eq!(hits.len(), 3);
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "same bytes every time"
    );
    assert_eq!(hits[0].json()["orderId"], "MERCHANT-ORDER-42");
    assert_eq!(hits[0].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn post_with_dedup_key_is_retried_after_a_timeout() {
    let server = MockServer::start(handler(|_, n| {
        let reply = Reply::ok(order_json("O-1"));
        if n == 0 {
            reply.delay(Duration::from_millis(500))
        } else {
            reply
        }
    }))
    .await;
    let options = RequestOptions::new().timeout(Duration::from_millis(100));
    let _: Order = server
        .client()
        .execute(create_order(&options))
        .await
        .unwrap();
    let hits = server.api_requests();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].body, hits[1].body);
}

#[tokio::test]
async fn post_with_dedup_key_but_no_id_in_the_body_is_not_retried() {
    let server = MockServer::start(handler(|_, _| Reply::raw(503, "busy"))).await;
    let options = RequestOptions::new();
    let request = Request::new(&CREATE_ORDER, &options).json(&serde_json::json!({"amount": 1}));
    let _ = server.client().execute::<Order>(request).await.unwrap_err();
    assert_eq!(server.api_hits(), 1);
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
        let app = axum::Router::new().fallback(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { r#"{"response_code":0,"payload":{"vpa":"a@upi"}}"# }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        hits
    });
    static VERIFY_VPA: enkash_generated::runtime::OperationInfo =
        enkash_generated::runtime::OperationInfo {
            id: "verify_vpa",
            method: enkash_generated::runtime::Method::Post,
            path: "/pay/charge/verify-vpa",
            envelope: STANDARD,
            auth: &[],
            dedup_key: None,
            body_credentials: &[],
            idempotent: false,
            developing: false,
        };
    let options = RequestOptions::new();
    let request = Request::new(&VERIFY_VPA, &options).json(&serde_json::json!({"vpa": "a@upi"}));
    let answer: serde_json::Value = client.execute(request).await.unwrap();
    assert_eq!(answer["vpa"], "a@upi");
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
    let options = RequestOptions::new();
    let err = client
        .execute::<serde_json::Value>(Request::new(&BARE_GET, &options))
        .await
        .unwrap_err();
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
    let err = client
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(server.api_hits(), 4);

    let _ = client
        .execute::<Order>(get_order(&RequestOptions::new().max_retries(0)))
        .await
        .unwrap_err();
    assert_eq!(server.api_hits(), 5);

    let _ = client
        .execute::<Order>(get_order(&RequestOptions::new().max_retries(5)))
        .await
        .unwrap_err();
    assert_eq!(server.api_hits(), 11);

    let none = server
        .builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let _ = none
        .execute::<Order>(get_order(&RequestOptions::new()))
        .await
        .unwrap_err();
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
    let _: Order = client
        .execute(get_order(&RequestOptions::new()))
        .await
        .unwrap();
    let err = client
        .execute::<Order>(get_order(
            &RequestOptions::new().timeout(Duration::from_millis(50)),
        ))
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
        .execute::<Order>(create_order(&RequestOptions::new()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(42));
    assert!(!err.is_retryable() && !err.may_have_been_processed());
    assert_eq!(server.api_hits(), 1);
}
