//! End to end, the payment-flow helpers against the mock: `wait_for_final` (orders) and
//! `wait_for_final_upi` (UPI transactions) poll until a final status, through transient failures,
//! up to a deadline; `confirm_payment` checks a Payment Notify against the order.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use std::time::{Duration, Instant};

use e2e::*;
use enkash_generated::mock::{Fault, MockConfig, Times, codes};
use enkash_generated::webhooks::parse_payment_notify;
use enkash_generated::{Error, OrderStatus, UpiStatus, WaitOptions};

fn quick(deadline_ms: u64) -> WaitOptions {
    WaitOptions::default()
        .deadline(Duration::from_millis(deadline_ms))
        .delays(Duration::from_millis(1), Duration::from_millis(5))
}

async fn submitted(client: &enkash_generated::Client, vpa: &str) -> (String, String) {
    let order_id = create_order(client, rupees(75000)).await;
    let answer = client
        .payments()
        .submit(&upi_payment(&order_id, vpa))
        .await
        .unwrap();
    let txn_id = answer["transactionId"].as_str().unwrap().to_owned();
    (order_id, txn_id)
}

#[tokio::test]
async fn wait_for_final_polls_until_the_order_is_paid() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(3)).await;
    let (order_id, txn_id) = submitted(&client, "payer@upi").await;
    let order = client
        .orders()
        .wait_for_final(&order_id, &quick(2000))
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::Paid);
    assert!(order.status.is_success());
    assert_eq!(order.transactions.unwrap()[0].transaction_id, Some(txn_id));
    assert_eq!(
        mock.hits("get_order_status"),
        3,
        "one poll per status change"
    );
}

#[tokio::test]
async fn wait_for_final_returns_a_final_failure_too() {
    let (_mock, client) = start().await;
    let (order_id, _) = submitted(&client, "cancel.payer@upi").await;
    let order = client
        .orders()
        .wait_for_final(&order_id, &quick(2000))
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::Cancelled);
    assert!(!order.status.is_success());
}

#[tokio::test]
async fn wait_for_final_gives_up_at_the_deadline_with_the_last_status() {
    let (mock, client) = start().await;
    let (order_id, _) = submitted(&client, "fail.payer@upi").await;
    let started = Instant::now();
    let err = client
        .orders()
        .wait_for_final(&order_id, &quick(60))
        .await
        .unwrap_err();
    match &err {
        Error::NotFinal {
            operation,
            last_status,
            waited,
            ..
        } => {
            assert_eq!(*operation, "get_order_status");
            assert_eq!(
                last_status, "ATTEMPTED",
                "a failed payment leaves the order open"
            );
            // The deadline is checked between polls: a slow poll may overrun it a little.
            assert!(
                *waited >= Duration::from_millis(30),
                "gave up early: {waited:?}"
            );
            assert!(*waited < Duration::from_millis(500), "{waited:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(500));
    assert!(mock.hits("get_order_status") >= 2);
}

#[tokio::test]
async fn wait_for_final_polls_through_transient_failures_and_stops_at_real_ones() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(1)).await;
    let (order_id, _) = submitted(&client, "payer@upi").await;
    // The first poll's three attempts (one try, two retries) all get a 503.
    mock.inject("get_order_status", Fault::Status(503), Times(3));
    let order = client
        .orders()
        .wait_for_final(&order_id, &quick(2000))
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::Paid);
    assert_eq!(mock.hits("get_order_status"), 4);

    let err = client
        .orders()
        .wait_for_final("ORD-NOPE", &quick(2000))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    assert_eq!(
        mock.hits("get_order_status"),
        5,
        "a real failure ends the wait at once"
    );
}

#[tokio::test]
async fn wait_for_final_follows_a_payment_that_completes_with_time() {
    let config = MockConfig::default()
        .complete_payments_after_polls(u32::MAX)
        .complete_payments_after(Duration::from_millis(50));
    let (_mock, client) = start_with(config).await;
    let (order_id, _) = submitted(&client, "payer@upi").await;
    let options = WaitOptions::default()
        .deadline(Duration::from_secs(2))
        .delays(Duration::from_millis(5), Duration::from_millis(20));
    let order = client
        .orders()
        .wait_for_final(&order_id, &options)
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::Paid);
}

#[tokio::test]
async fn wait_for_final_upi_follows_a_dynamic_qr_payment() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(4)).await;
    let order_id = create_order(&client, rupees(19900)).await;
    let qr = client.orders().get_dynamic_upi_qr(&order_id).await.unwrap();
    let ek_pay_id = qr.ek_pay_id.unwrap();
    let answer = client
        .payments()
        .wait_for_final_upi(&ek_pay_id, &quick(2000))
        .await
        .unwrap();
    assert_eq!(answer.status, UpiStatus::Success);
    assert_eq!(mock.hits("get_upi_transaction_status"), 4);

    let (_, failing) = submitted(&client, "fail.payer@upi").await;
    let answer = client
        .payments()
        .wait_for_final_upi(&failing, &quick(2000))
        .await
        .unwrap();
    assert_eq!(answer.status, UpiStatus::Failed);
}

/// The Payment Notify the mock would POST for `txn_id`, as JSON to tamper with.
fn notify_json(mock: &enkash_generated::mock::MockServer, txn_id: &str) -> serde_json::Value {
    serde_json::from_str(&mock.state().payment_notify_body(txn_id).unwrap()).unwrap()
}

fn unconfirmed_field(err: Error) -> &'static str {
    match err {
        Error::Unconfirmed { field, .. } => field,
        other => panic!("expected Unconfirmed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_genuine_payment_notification_is_confirmed_and_forged_ones_are_not() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let (order_id, txn_id) = paid_order(&client, rupees(75000)).await;
    let body = mock.state().payment_notify_body(&txn_id).unwrap();
    let notification = parse_payment_notify(body.as_bytes()).unwrap();
    let confirmed = client.confirm_payment(&notification).await.unwrap();
    assert!(confirmed.is_paid());
    assert_eq!(confirmed.order.order_id, order_id);
    assert_eq!(confirmed.transaction_id, txn_id);

    let mut cheaper = notify_json(&mock, &txn_id);
    cheaper["amount"] = serde_json::json!(1.00);
    let forged = parse_payment_notify(cheaper.to_string().as_bytes()).unwrap();
    assert_eq!(
        unconfirmed_field(client.confirm_payment(&forged).await.unwrap_err()),
        "amount"
    );

    let (other_order, _) = paid_order(&client, rupees(75000)).await;
    let mut stranger = notify_json(&mock, &txn_id);
    stranger["orderId"] = serde_json::json!(other_order);
    let forged = parse_payment_notify(stranger.to_string().as_bytes()).unwrap();
    assert_eq!(
        unconfirmed_field(client.confirm_payment(&forged).await.unwrap_err()),
        "transactionId"
    );

    let mut unknown = notify_json(&mock, &txn_id);
    unknown["orderId"] = serde_json::json!("ORD-NOPE");
    let forged = parse_payment_notify(unknown.to_string().as_bytes()).unwrap();
    let err = client.confirm_payment(&forged).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
}

#[tokio::test]
async fn a_success_claimed_before_the_order_is_paid_is_not_confirmed() {
    let (mock, client) = start().await;
    let (_order_id, txn_id) = submitted(&client, "payer@upi").await;
    let mut early = notify_json(&mock, &txn_id);
    assert_eq!(early["status"], "PENDING_WITH_BANK");
    early["status"] = serde_json::json!("SUCCESS");
    let forged = parse_payment_notify(early.to_string().as_bytes()).unwrap();
    assert_eq!(
        unconfirmed_field(client.confirm_payment(&forged).await.unwrap_err()),
        "status"
    );
}

#[tokio::test]
async fn a_failed_attempt_of_an_order_paid_since_is_confirmed_as_paid() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let order_id = create_order(&client, rupees(3000)).await;
    let failed = client
        .payments()
        .submit(&upi_payment(&order_id, "fail.payer@upi"))
        .await
        .unwrap()["transactionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let late_notice = mock.state().payment_notify_body(&failed).unwrap();
    client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap();
    let notification = parse_payment_notify(late_notice.as_bytes()).unwrap();
    assert!(!notification.status.is_success());
    let confirmed = client.confirm_payment(&notification).await.unwrap();
    assert!(
        confirmed.is_paid(),
        "the order was paid by the second attempt"
    );
}
