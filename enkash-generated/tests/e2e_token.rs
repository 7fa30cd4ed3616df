//! End to end, the bearer token's lifecycle against the mock: fetched lazily, refreshed before
//! expiry, one fetch for many concurrent calls, one refresh and one resend after an
//! invalid-token answer, refused credentials.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use std::time::Duration;

use e2e::*;
use enkash_generated::mock::{Fault, MockConfig, MockServer, Times, codes};
use enkash_generated::{Client, Error};

const TOKEN: &str = "get_authorization_token";
const GET_ORDER: &str = "get_order_status";

/// A client for `mock` that refreshes tokens `margin` before they expire.
fn client_with_margin(mock: &MockServer, margin: Duration) -> Client {
    mock.client_builder()
        .timeout(Duration::from_secs(2))
        .retry_policy(fast_retries())
        .token_refresh_margin(margin)
        .build()
        .unwrap()
}

#[tokio::test]
async fn no_token_is_requested_before_the_first_authenticated_call_and_then_only_once() {
    let (mock, client) = start().await;
    let order_id = {
        // An order made with another client, so that this one has not authenticated yet.
        let other = client_for(&mock);
        create_order(&other, rupees(100)).await
    };
    mock.reset_hits();
    let _ = client.payments().get_upi_status("EK-UNAUTHENTICATED").await;
    assert_eq!(
        mock.hits(TOKEN),
        0,
        "an unauthenticated operation needs no token"
    );
    for _ in 0..3 {
        client.orders().get(&order_id).await.unwrap();
    }
    assert_eq!(mock.hits(TOKEN), 1);
    assert_eq!(mock.hits(GET_ORDER), 3);
}

#[tokio::test]
async fn the_token_is_refreshed_before_it_expires_without_a_refused_call() {
    let config = MockConfig::default().token_lifetime(Duration::from_millis(600));
    let (mock, _) = start_with(config).await;
    let client = client_with_margin(&mock, Duration::from_millis(200));
    let order_id = create_order(&client, rupees(100)).await;
    client.orders().get(&order_id).await.unwrap();
    assert_eq!(mock.hits(TOKEN), 1);
    // Refresh is due 200 ms before the 600 ms expiry: after 430 ms, well ahead of it.
    tokio::time::sleep(Duration::from_millis(430)).await;
    client.orders().get(&order_id).await.unwrap();
    assert_eq!(mock.hits(TOKEN), 2);
    assert_eq!(mock.hits(GET_ORDER), 2, "no call was refused and resent");
}

#[tokio::test]
async fn fifty_concurrent_calls_with_an_expired_token_make_one_token_request() {
    let config = MockConfig::default().token_lifetime(Duration::from_millis(200));
    let (mock, _) = start_with(config).await;
    let client = client_with_margin(&mock, Duration::from_millis(50));
    let order_id = create_order(&client, rupees(100)).await;
    // Past the token's expiry (200 ms), not only its refresh point (150 ms).
    tokio::time::sleep(Duration::from_millis(220)).await;
    let calls = (0..50).map(|_| {
        let (client, order_id) = (client.clone(), order_id.clone());
        tokio::spawn(async move { client.orders().get(&order_id).await })
    });
    for call in futures_join(calls).await {
        call.unwrap();
    }
    assert_eq!(mock.hits(TOKEN), 2, "one initial fetch, one refresh");
    assert_eq!(mock.hits(GET_ORDER), 50);
}

#[tokio::test]
async fn an_invalidated_token_is_refreshed_once_and_the_call_resent_once() {
    for config in [
        MockConfig::default(),
        MockConfig::default().invalid_token_as_401(),
    ] {
        let (mock, client) = start_with(config).await;
        let order_id = create_order(&client, rupees(100)).await;
        mock.state().invalidate_tokens();
        client.orders().get(&order_id).await.unwrap();
        assert_eq!(mock.hits(TOKEN), 2);
        assert_eq!(mock.hits(GET_ORDER), 2, "the refused call and its resend");
        assert_eq!(mock.state().tokens_issued(), 2);
    }
}

#[tokio::test]
async fn fifty_concurrent_calls_refused_for_their_token_share_one_refresh() {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(100)).await;
    mock.state().invalidate_tokens();
    let calls = (0..50).map(|_| {
        let (client, order_id) = (client.clone(), order_id.clone());
        tokio::spawn(async move { client.orders().get(&order_id).await })
    });
    for call in futures_join(calls).await {
        call.unwrap();
    }
    assert_eq!(mock.hits(TOKEN), 2, "one initial fetch, one shared refresh");
    assert_eq!(
        mock.hits(GET_ORDER),
        100,
        "each call refused once and resent once"
    );
}

#[tokio::test]
async fn a_second_refusal_is_returned_as_the_error_it_is() {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(100)).await;
    mock.inject(
        GET_ORDER,
        Fault::ResponseCode(117, "Token is invalid.".into()),
        Times(2),
    );
    let err = client.orders().get(&order_id).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                code: codes::INVALID_TOKEN,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(mock.hits(TOKEN), 2);
    assert_eq!(mock.hits(GET_ORDER), 2);
}

#[tokio::test]
async fn wrong_credentials_are_an_auth_error_and_the_call_is_never_sent() {
    let (mock, _) = start().await;
    let client = enkash_generated::Client::builder()
        .environment(enkash_generated::Environment::Custom(mock.url().to_owned()))
        .credentials(mock.access_key().to_owned(), "SK-wrong-secret-0000")
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.orders().get("ORD-ANY").await.unwrap_err();
    match &err {
        Error::Auth { status, code, .. } => {
            assert_eq!(
                (*status, *code),
                (Some(401), Some(codes::INVALID_CREDENTIALS))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("SK-wrong-secret"), "{err}");
    assert_eq!(mock.hits(TOKEN), 1, "a refusal is not retried");
    assert_eq!(mock.hits(GET_ORDER), 0);
}

#[tokio::test]
async fn a_transient_token_failure_is_retried() {
    let (mock, client) = start().await;
    mock.inject(TOKEN, Fault::Status(503), Times(1));
    create_order(&client, rupees(100)).await;
    assert_eq!(mock.hits(TOKEN), 2);
}

#[tokio::test]
async fn the_mock_answers_a_missing_token_and_a_wrong_access_key_like_enkash() {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(100)).await;
    let http = http();
    let url = format!("{}/api/v0/orders/{order_id}", mock.url());
    let answer = http
        .get(&url)
        .header("merchantAccessKey", mock.access_key())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["response_code"], 117);
    assert_eq!(body["payload"], "Token is invalid.");

    let token = http
        .post(format!("{}/api/v0/merchant/token", mock.url()))
        .json(&serde_json::json!({"accessKey": mock.access_key(), "secretKey": mock.secret_key()}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    assert!(
        token["expiry"].as_i64().unwrap() > 1_700_000_000_000,
        "epoch milliseconds"
    );
    let answer = http
        .get(&url)
        .header("Authorization", &bearer)
        .header("merchantAccessKey", "AK-someone-else")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 403);
    let answer = http
        .get(&url)
        .header("Authorization", &bearer)
        .header("merchantAccessKey", mock.access_key())
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["response_code"], 0);
    assert_eq!(body["payload"]["orderId"], order_id.as_str());
}

/// Awaits every task, in order.
async fn futures_join<T>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        out.push(task.await.expect("the task did not panic"));
    }
    out
}
