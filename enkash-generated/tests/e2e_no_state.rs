//! The generated mock of a spec with no hand-written state: the engine's `PermissiveHooks` around
//! `NoState` start the generated router, accept any credentials, count hits, apply injected
//! faults, and every operation answers HTTP 501 "not implemented by this mock" (the default body
//! of every generated trait method). This is how any spec's mock starts; the EnKash state
//! overrides every method (see `e2e_coverage.rs`).

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

use std::sync::Arc;
use std::time::Duration;

use enkash_generated::mock::{
    Fault, LocalServer, MockHooks, NoState, PermissiveHooks, Times, router,
};
use enkash_generated::{Client, Environment, RetryPolicy, TokenRequest};

async fn start() -> (Arc<PermissiveHooks>, LocalServer, Client) {
    let hooks = Arc::new(PermissiveHooks::new(NoState));
    let server = LocalServer::start(0, router(hooks.clone()))
        .await
        .expect("the mock binds 127.0.0.1:0");
    let client = Client::builder()
        .environment(Environment::Custom(server.url().to_owned()))
        .credentials("any-access-key", "any-secret-key")
        .retry_policy(
            RetryPolicy::new()
                .max_retries(1)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .expect("a valid client configuration");
    (hooks, server, client)
}

#[tokio::test]
async fn every_operation_answers_not_implemented() {
    let (hooks, _server, client) = start().await;
    let err = client
        .authorization()
        .get_token(&TokenRequest::new("any-access-key", "any-secret-key"))
        .await
        .expect_err("no state serves the token operation");
    assert_eq!(err.status(), Some(501), "{err:?}");
    assert_eq!(hooks.faults_and_hits().hits("get_authorization_token"), 1);
}

#[tokio::test]
async fn the_answer_names_the_operation() {
    let (_hooks, server, _client) = start().await;
    // The client masks the token operation's bodies (they carry secrets): ask by hand.
    // With `rustls-ring` alone, reqwest needs a crypto provider installed first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::Client::builder()
        .build()
        .unwrap()
        .post(format!("{}/api/v0/merchant/token", server.url()))
        .json(&serde_json::json!({"accessKey": "any", "secretKey": "any"}))
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(answer.status().as_u16(), 501);
    let body: serde_json::Value = answer.json().await.expect("a JSON envelope");
    assert_eq!(
        body["resultMessage"],
        "`get_authorization_token` is not implemented by this mock"
    );
}

#[tokio::test]
async fn injected_faults_apply_and_are_counted() {
    let (hooks, _server, client) = start().await;
    hooks
        .faults_and_hits()
        .inject("get_authorization_token", Fault::Status(503), Times(1));
    let err = client
        .authorization()
        .get_token(&TokenRequest::new("any-access-key", "any-secret-key"))
        .await
        .expect_err("503, retried, then 501");
    assert_eq!(err.status(), Some(501), "{err:?}");
    assert_eq!(hooks.faults_and_hits().hits("get_authorization_token"), 2);
    assert_eq!(hooks.faults_and_hits().all_hits().len(), 1);
}
