//! Safety rules of the runtime, each proven against a local server: path parameters cannot
//! leave their segment, and an answer the client could not read never claims "not processed".

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use std::time::Duration;

use enkash_generated::{Decimal, Error, RefundRequest, RequestOptions};
use support::*;

fn assert_path_refused(err: Error, parameter: &str, why: &str) {
    match &err {
        Error::Validation { problems, .. } => assert!(
            problems
                .iter()
                .any(|p| p.contains(&format!("`{parameter}`")) && p.contains(why)),
            "{problems:?}"
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn path_parameters_cannot_leave_their_segment() {
    let server = MockServer::start(handler(|_, _| Reply::ok(serde_json::json!({})))).await;
    let client = server.client();
    let refund = RefundRequest::new(Decimal::new(100, 2), "RF-1");

    let err = client.refunds().create("..", &refund).await.unwrap_err();
    assert_path_refused(err, "transactionId", "`.` or `..`");
    let err = client.orders().get(".").await.unwrap_err();
    assert_path_refused(err, "orderId", "`.` or `..`");
    let err = client.orders().get("a\nb").await.unwrap_err();
    assert_path_refused(err, "orderId", "control character");
    let err = client.orders().get("").await.unwrap_err();
    assert_path_refused(err, "orderId", "empty");

    assert_eq!(
        (server.token_hits(), server.api_hits()),
        (0, 0),
        "nothing may be sent, not even a token request: {:?}",
        server.api_requests()
    );
}

#[tokio::test]
async fn an_unreadable_2xx_to_a_payment_may_have_been_processed() {
    let big = format!("{{\"payload\": \"{}\"}}", "x".repeat(4096));
    let server = MockServer::start(handler(move |_, _| Reply::raw(200, big.clone()))).await;
    let client = server.builder().max_response_size(1024).build().unwrap();
    let err = client
        .payments()
        .submit(&payment_request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 200, .. }), "{err:?}");
    assert!(
        err.may_have_been_processed(),
        "EnKash accepted the payment; resending it could pay twice: {err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.api_hits(), 1, "a payment is never resent");
}

/// An envelope refusing a repeated `orderId`, as EnKash may answer a resend.
fn duplicate() -> Reply {
    Reply::envelope(409, "Duplicate orderId", serde_json::json!(null))
}

async fn create_after(first: Reply) -> (Error, MockServer) {
    let server = MockServer::start(handler(
        move |_, n| {
            if n == 0 { first.clone() } else { duplicate() }
        },
    ))
    .await;
    let options = RequestOptions::new().timeout(Duration::from_millis(500));
    let err = server
        .client()
        .orders()
        .with_options(options)
        .create(&order_request())
        .await
        .unwrap_err();
    (err, server)
}

#[tokio::test]
async fn a_resent_create_that_is_refused_says_the_first_attempt_may_have_succeeded() {
    let first_attempts = [
        Reply::raw(503, ""),
        Reply::ok(created_json("O-1")).delay(Duration::from_secs(5)),
    ];
    for first in first_attempts {
        let (err, server) = create_after(first.clone()).await;
        assert_eq!(server.api_hits(), 2, "{first:?}: the create was resent");
        assert_eq!(err.code(), Some(409), "{err:?}");
        assert!(err.may_have_been_processed(), "{first:?}: {err:?}");
        let message = err.to_string();
        assert!(
            message.contains("that attempt may have succeeded")
                && message.contains("look the order or refund up"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn a_refused_create_without_an_uncertain_attempt_was_not_processed() {
    let (err, server) = create_after(duplicate()).await;
    assert_eq!(server.api_hits(), 1);
    assert_eq!(err.code(), Some(409), "{err:?}");
    assert!(!err.may_have_been_processed(), "{err:?}");
    assert!(!err.to_string().contains("may have succeeded"), "{err}");
}

#[tokio::test]
async fn a_get_resent_after_a_503_is_not_marked() {
    let server = MockServer::start(handler(|_, n| {
        if n == 0 {
            Reply::raw(503, "")
        } else {
            duplicate()
        }
    }))
    .await;
    let err = server.client().orders().get("O-1").await.unwrap_err();
    assert_eq!(server.api_hits(), 2);
    assert!(
        !err.may_have_been_processed(),
        "a read acts on nothing: {err:?}"
    );
}
