//! End to end, the retry rules against the mock: a write without a dedup key is never resent
//! once it may have reached the server; GETs are retried on 502/503/504, timeouts and broken
//! connections, and on 429 only with `Retry-After`; writes EnKash deduplicates are resent with
//! the same key and answered with the original result.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use std::time::{Duration, Instant};

use e2e::*;
use enkash_generated::mock::{Always, Fault, MockConfig, MockServer, Times};
use enkash_generated::{Client, Error, OrderStatus, RefundRequest, RequestOptions, RetryPolicy};

const SUBMIT: &str = "submit_payment";
const GET_ORDER: &str = "get_order_status";

async fn with_order() -> (MockServer, Client, String) {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(10000)).await;
    (mock, client, order_id)
}

#[tokio::test]
async fn a_payment_is_never_resent_once_it_may_have_reached_the_server() {
    let faults = [
        Fault::Status(503),
        Fault::Status(502),
        Fault::StatusWithRetryAfter {
            status: 429,
            seconds: 0,
        },
        Fault::DropConnection,
        Fault::Delay(Duration::from_millis(300)),
    ];
    for fault in faults {
        let (mock, client, order_id) = with_order().await;
        mock.inject(SUBMIT, fault.clone(), Always);
        let err = client
            .payments()
            .with_options(RequestOptions::new().timeout(Duration::from_millis(100)))
            .submit(&upi_payment(&order_id, "payer@upi"))
            .await
            .unwrap_err();
        assert_eq!(mock.hits(SUBMIT), 1, "{fault:?} was resent: {err:?}");
        assert!(
            err.may_have_been_processed() || err.status() == Some(429),
            "{fault:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_payment_whose_answer_was_lost_is_not_resent_and_may_have_been_processed() {
    let (mock, client, order_id) = with_order().await;
    mock.inject(SUBMIT, Fault::DropAfterHandling, Times(1));
    let err = client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert_eq!(mock.hits(SUBMIT), 1);
    assert_eq!(
        mock.state().transaction_ids(&order_id).len(),
        1,
        "EnKash did act on it"
    );
}

#[tokio::test]
async fn gets_are_retried_on_502_503_504() {
    for status in [502, 503, 504] {
        let (mock, client, order_id) = with_order().await;
        mock.inject(GET_ORDER, Fault::Status(status), Times(2));
        let order = client.orders().get(&order_id).await.unwrap();
        assert_eq!(order.status, OrderStatus::Created);
        assert_eq!(mock.hits(GET_ORDER), 3, "{status}");
    }
}

#[tokio::test]
async fn gets_give_up_after_max_retries_and_never_retry_a_500() {
    let (mock, client, order_id) = with_order().await;
    mock.inject(GET_ORDER, Fault::Status(503), Always);
    let err = client.orders().get(&order_id).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(mock.hits(GET_ORDER), 3, "one attempt and two retries");
    mock.clear_faults();
    mock.reset_hits();
    mock.inject(GET_ORDER, Fault::Status(500), Times(1));
    let err = client.orders().get(&order_id).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert_eq!(mock.hits(GET_ORDER), 1);
    mock.inject(GET_ORDER, Fault::Status(503), Times(1));
    let err = client
        .orders()
        .with_options(RequestOptions::new().max_retries(0))
        .get(&order_id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Http { status: 503, .. }),
        "no retries for this call: {err:?}"
    );
    assert_eq!(mock.hits(GET_ORDER), 2);
}

#[tokio::test]
async fn gets_are_retried_after_a_timeout_and_a_dropped_connection() {
    let (mock, client, order_id) = with_order().await;
    mock.inject(
        GET_ORDER,
        Fault::Delay(Duration::from_millis(400)),
        Times(1),
    );
    let started = Instant::now();
    client
        .orders()
        .with_options(RequestOptions::new().timeout(Duration::from_millis(80)))
        .get(&order_id)
        .await
        .unwrap();
    assert_eq!(mock.hits(GET_ORDER), 2);
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "the slow answer was not awaited"
    );

    mock.inject(GET_ORDER, Fault::DropConnection, Times(1));
    client.orders().get(&order_id).await.unwrap();
    assert_eq!(mock.hits(GET_ORDER), 4);

    mock.inject(GET_ORDER, Fault::Delay(Duration::from_millis(300)), Always);
    let err = client
        .orders()
        .with_options(RequestOptions::new().timeout(Duration::from_millis(30)))
        .get(&order_id)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(mock.hits(GET_ORDER), 7);
}

#[tokio::test]
async fn a_429_is_retried_only_with_retry_after_which_sets_the_delay() {
    let (mock, _) = start().await;
    let policy = RetryPolicy::new()
        .max_retries(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(120));
    let client = mock.client_builder().retry_policy(policy).build().unwrap();
    let order_id = create_order(&client, rupees(100)).await;

    mock.inject(GET_ORDER, Fault::Status(429), Times(1));
    let err = client.orders().get(&order_id).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 429, .. }), "{err:?}");
    assert_eq!(mock.hits(GET_ORDER), 1, "no Retry-After: no retry");

    // Retry-After: 1 s, capped at the policy's 120 ms maximum delay.
    mock.inject(
        GET_ORDER,
        Fault::StatusWithRetryAfter {
            status: 429,
            seconds: 1,
        },
        Times(1),
    );
    let started = Instant::now();
    client.orders().get(&order_id).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(mock.hits(GET_ORDER), 3);
    assert!(
        waited >= Duration::from_millis(120),
        "waited only {waited:?}"
    );
    assert!(
        waited < Duration::from_millis(900),
        "the cap was ignored: {waited:?}"
    );
}

#[tokio::test]
async fn create_order_is_resent_with_the_same_order_id_and_answered_with_the_same_order() {
    let (mock, client) = start().await;
    let request = order_request(&unique("ORD"), rupees(4500));
    mock.inject("create_order", Fault::DropAfterHandling, Times(1));
    let created = client.orders().create(&request).await.unwrap();
    assert_eq!(mock.hits("create_order"), 2);
    assert_eq!(mock.state().order_count(), 1, "the order exists once");
    assert_eq!(
        mock.state().replayed_duplicates(),
        1,
        "the resend was recognised"
    );
    let stored = mock.state().order(&request.order_id).unwrap();
    assert_eq!(stored.order_id, created.order_id);

    mock.inject("create_order", Fault::Status(503), Times(2));
    let other = order_request(&unique("ORD"), rupees(4500));
    client.orders().create(&other).await.unwrap();
    assert_eq!(mock.hits("create_order"), 5);
    assert_eq!(mock.state().order_count(), 2);
}

#[tokio::test]
async fn a_refund_is_resent_with_the_same_request_id_and_made_once() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let (_order, txn_id) = paid_order(&client, rupees(10000)).await;
    mock.inject("create_refund", Fault::DropAfterHandling, Times(1));
    mock.inject("create_refund", Fault::Status(504), Times(1));
    let refund = client
        .refunds()
        .create(&txn_id, &RefundRequest::new(rupees(4000), unique("RF-")))
        .await
        .unwrap();
    assert_eq!(refund.amount, rupees(4000));
    assert_eq!(mock.hits("create_refund"), 3);
    assert_eq!(mock.state().refund_count(), 1);
    assert_eq!(mock.state().refunded_amount(&txn_id), Some(rupees(4000)));
}

#[tokio::test]
async fn a_connection_that_cannot_be_opened_is_a_transport_error_with_nothing_processed() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = enkash_generated::Client::builder()
        .environment(enkash_generated::Environment::Custom(format!(
            "http://127.0.0.1:{port}"
        )))
        .credentials("AK-closed-port-1", "SK-closed-port-1")
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.payments().get_upi_status("EK1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.may_have_been_processed(), "nothing was sent");
}
