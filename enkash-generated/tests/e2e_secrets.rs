//! End to end, secrets: the access key, the secret key, bearer tokens, card numbers and CVVs
//! appear in no log line (every tracing event and span of this test binary, at TRACE, is
//! captured) and in no `Debug` output, through token refreshes, retries and every kind of error.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::CardExpiry;
use enkash_generated::mock::{Fault, MockConfig, MockServer, Times};
use enkash_generated::{
    Client, PaymentMode, SubmitPaymentRequest, TokenRequest, ValidateOtpRequest, VerifyVpaRequest,
};

const CARD: &str = "4111111111111111";
const CVV: &str = "739";
/// Every token the mock issues starts with this.
const TOKEN_PREFIX: &str = "MOCKTKN-";

#[path = "support/global_logs.rs"]
mod global_logs;
use global_logs::{capture_logs, logs};

/// The secrets found in `text`.
fn leaks(mock: &MockServer, text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    if text.contains(mock.access_key()) {
        found.push("access key");
    }
    if text.contains(mock.secret_key()) {
        found.push("secret key");
    }
    if text.contains(TOKEN_PREFIX) {
        found.push("token");
    }
    if text.contains(CARD) {
        found.push("card number");
    }
    if [
        format!("\"{CVV}\""),
        format!("cvv: {CVV}"),
        format!("cvv={CVV}"),
    ]
    .iter()
    .any(|form| text.contains(form.as_str()))
    {
        found.push("cvv");
    }
    found
}

fn card_payment(order_id: &str) -> SubmitPaymentRequest {
    SubmitPaymentRequest::new(order_id, Some(PaymentMode::DebitCard))
        .with_card_number(CARD)
        .with_cvv(CVV)
        .with_expiry(CardExpiry::new(1, 31).unwrap())
}

/// A busy session: token fetch and refresh, a card payment, retries, and errors of each kind.
/// Returns the `Debug` and `Display` text of everything it saw.
async fn busy_session(mock: &MockServer, client: &Client) -> String {
    let mut seen = Vec::new();
    let order_id = create_order(client, rupees(2500)).await;
    let submitted = client
        .payments()
        .submit(&card_payment(&order_id))
        .await
        .unwrap();
    let txn_id = submitted["transactionId"].as_str().unwrap().to_owned();
    seen.push(format!("{submitted:?}"));
    seen.push(format!("{:?}", card_payment(&order_id)));

    // A refused token: one refresh, one resend.
    mock.state().invalidate_tokens();
    client.orders().get(&order_id).await.unwrap();
    // Retries.
    mock.inject("get_order_status", Fault::Status(503), Times(1));
    client.orders().get(&order_id).await.unwrap();
    // An error message that echoes the access key back.
    let echo = format!("unknown merchant {}", mock.access_key());
    mock.inject("get_order_status", Fault::ResponseCode(9, echo), Times(1));
    let err = client.orders().get(&order_id).await.unwrap_err();
    seen.push(format!("{err:?} / {err}"));
    // A truncated order: its excerpt may hold `merchantIdentifierKey`, i.e. the access key.
    mock.inject("get_order_status", Fault::TruncatedJson, Times(1));
    let err = client.orders().get(&order_id).await.unwrap_err();
    seen.push(format!("{err:?} / {err}"));
    // A broken connection, a failing payment.
    mock.inject("submit_payment", Fault::DropConnection, Times(1));
    let err = client
        .payments()
        .submit(&card_payment(&order_id))
        .await
        .unwrap_err();
    seen.push(format!("{err:?} / {err}"));
    // OTP.
    let otp = ValidateOtpRequest::new(&txn_id, "123456");
    seen.push(format!("{otp:?}"));
    let _ = client.payments().validate_otp(&otp).await;
    // The token operation called directly, and its malformed answer.
    let token_request = TokenRequest::new(mock.access_key(), mock.secret_key());
    seen.push(format!("{token_request:?}"));
    let token = client
        .authorization()
        .get_token(&token_request)
        .await
        .unwrap();
    seen.push(format!("{token:?}"));
    mock.inject("get_authorization_token", Fault::TruncatedJson, Times(1));
    let err = client
        .authorization()
        .get_token(&token_request)
        .await
        .unwrap_err();
    seen.push(format!("{err:?} / {err}"));
    // Everything that holds credentials or a token.
    seen.push(format!("{client:?}"));
    seen.push(format!("{:?}", mock.client_builder()));
    seen.push(format!(
        "{mock:?} {:?} {:?}",
        mock.state(),
        mock.state().config()
    ));
    seen.join("\n")
}

#[tokio::test]
async fn no_secret_in_any_log_line_or_debug_output() {
    capture_logs();
    let (mock, client) = start().await;
    let seen = busy_session(&mock, &client).await;
    assert_eq!(
        leaks(&mock, &seen),
        Vec::<&str>::new(),
        "in Debug/Display:\n{seen}"
    );

    // Wrong credentials: the Auth error and its logs.
    let wrong = Client::builder()
        .environment(enkash_generated::Environment::Custom(mock.url().to_owned()))
        .credentials(
            mock.access_key().to_owned(),
            format!("{}-wrong", mock.secret_key()),
        )
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = wrong.orders().get("ORD-1").await.unwrap_err();
    let text = format!("{err:?} / {err} / {wrong:?}");
    assert_eq!(leaks(&mock, &text), Vec::<&str>::new(), "{text}");

    let logs = logs();
    assert!(logs.contains("enkash.call"), "the capture works: {logs}");
    assert!(
        logs.contains("refreshing"),
        "the refresh was logged: {logs}"
    );
    assert_eq!(
        leaks(&mock, &logs),
        Vec::<&str>::new(),
        "in the logs:\n{logs}"
    );
}

#[tokio::test]
async fn no_secret_in_the_logs_of_fifty_concurrent_refreshes() {
    capture_logs();
    let (mock, client) = start_with(MockConfig::default().invalid_token_as_401()).await;
    let order_id = create_order(&client, rupees(100)).await;
    mock.state().invalidate_tokens();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let (client, order_id) = (client.clone(), order_id.clone());
            tokio::spawn(async move { client.orders().get(&order_id).await.map(drop) })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(leaks(&mock, &logs()), Vec::<&str>::new());
}

/// `merchantIdentifierKey` (OrderGetResponse, VerifyVpaRequest) and `publicIdentifierKey`
/// (OtpResponse) hold the merchant access key, as the EnKash docs say; the spec marks them
/// `sensitive`, so their `Debug` must not print it.
#[tokio::test]
async fn models_holding_the_access_key_do_not_debug_print_it() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let (order_id, txn_id) = paid_order(&client, rupees(100)).await;
    let order = client.orders().get(&order_id).await.unwrap();
    let otp = client
        .payments()
        .validate_otp(&ValidateOtpRequest::new(&txn_id, "123456"))
        .await
        .unwrap();
    let verify = VerifyVpaRequest::new("ORD-1", "a@upi");
    for (what, debug) in [
        ("OrderGetResponse", format!("{order:?}")),
        ("OtpResponse", format!("{otp:?}")),
        ("VerifyVpaRequest", format!("{verify:?}")),
    ] {
        assert!(
            !debug.contains(mock.access_key()),
            "{what} prints the access key: {debug}"
        );
    }
}
