//! Safety rules of the runtime, each proven against a local server: path parameters cannot
//! leave their segment, and an answer the client could not read never claims "not processed".

mod support;

use std::time::Duration;

use enkash_generated::{Client, Decimal, Environment, Error, RefundRequest};
use support::*;

/// A client of the generated API for the scriptable server, with fast retries.
fn api_client(server: &MockServer) -> Client {
    Client::builder()
        .environment(Environment::Custom(server.base_url.clone()))
        .credentials(ACCESS_KEY, SECRET_KEY)
        .timeout(Duration::from_secs(2))
        .retry_policy(
            enkash_generated::RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .expect("client builds")
}

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
    let client = api_client(&server);
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
