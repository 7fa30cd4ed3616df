//! End to end, orders: create (deduplicated on `orderId`), status through the lifecycle, dynamic
//! UPI QR and intent links, against the mock server over loopback.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use std::time::Duration;

use e2e::*;
use enkash_generated::mock::{MockConfig, codes};
use enkash_generated::{Error, OrderStatus, UpiStatus};

#[tokio::test]
async fn an_order_moves_from_created_to_paid_as_its_payment_is_polled() {
    let (mock, client) = start().await;
    let merchant_id = unique("ORD");
    let request = order_request(&merchant_id, rupees(10050))
        .with_return_url("https://shop.example/return")
        .with_description("two books");
    let created = client.orders().create(&request).await.unwrap();
    assert!(
        created.redirection_url.starts_with(mock.url()),
        "{created:?}"
    );

    let order = client.orders().get(&created.order_id).await.unwrap();
    assert_eq!(order.status, OrderStatus::Created);
    assert_eq!(order.amount, rupees(10050));
    assert_eq!(
        order.merchant_order_id.as_deref(),
        Some(merchant_id.as_str())
    );
    assert_eq!(
        order.return_url.as_deref(),
        Some("https://shop.example/return")
    );
    assert!(order.transactions.as_deref().unwrap_or_default().is_empty());

    let submitted = client
        .payments()
        .submit(&upi_payment(&created.order_id, "payer@upi"))
        .await
        .unwrap();
    let txn_id = submitted["transactionId"].as_str().unwrap().to_owned();
    assert_eq!(submitted["transactionStatus"], "PENDING_WITH_BANK");
    assert_eq!(
        mock.state().order(&created.order_id).unwrap().status,
        OrderStatus::Attempted
    );

    let polled = client.orders().get(&created.order_id).await.unwrap();
    assert_eq!(polled.status, OrderStatus::PaymentConfirmationPending);
    assert!(!polled.status.is_final());
    let paid = client.orders().get(&created.order_id).await.unwrap();
    assert_eq!(paid.status, OrderStatus::Paid);
    assert!(paid.status.is_final() && paid.status.is_success());
    let txns = paid.transactions.unwrap();
    assert_eq!(txns.len(), 1);
    assert_eq!(txns[0].transaction_id, Some(txn_id));
    assert_eq!(mock.hits("get_order_status"), 3);
}

#[tokio::test]
async fn the_order_can_be_read_by_the_merchant_order_id_too() {
    let (_mock, client) = start().await;
    let merchant_id = unique("ORD");
    let created = client
        .orders()
        .create(&order_request(&merchant_id, rupees(100)))
        .await
        .unwrap();
    let order = client.orders().get(&merchant_id).await.unwrap();
    assert_eq!(order.order_id, created.order_id);
}

#[tokio::test]
async fn a_repeated_order_id_returns_the_original_order_and_a_different_body_is_rejected() {
    let (mock, client) = start().await;
    let merchant_id = unique("ORD");
    let request = order_request(&merchant_id, rupees(2500));
    let first = client.orders().create(&request).await.unwrap();
    let again = client.orders().create(&request).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(mock.state().order_count(), 1);
    assert_eq!(mock.state().replayed_duplicates(), 1);

    let different = order_request(&merchant_id, rupees(2600));
    let err = client.orders().create(&different).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::DUPLICATE), "{err:?}");
    assert!(matches!(err, Error::Api { status: 200, .. }));
    assert_eq!(mock.state().order_count(), 1);
}

#[tokio::test]
async fn an_invalid_order_is_refused_by_the_client_before_anything_is_sent() {
    let (mock, client) = start().await;
    let err = client
        .orders()
        .create(&order_request(&unique("ORD"), rupees(1)).with_description("x"))
        .await;
    assert!(err.is_ok(), "0.01 is the smallest amount: {err:?}");
    let err = client
        .orders()
        .create(&order_request(&unique("ORD"), rupees(0)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(mock.hits("create_order"), 1);
}

#[tokio::test]
async fn an_unknown_order_is_an_api_error() {
    let (_mock, client) = start().await;
    let err = client.orders().get("ORD-NOPE").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    assert!(err.to_string().contains("ORD-NOPE"), "{err}");
}

#[tokio::test]
async fn failed_and_cancelled_payments_and_paid_or_expired_orders() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let failed = create_order(&client, rupees(500)).await;
    client
        .payments()
        .submit(&upi_payment(&failed, "fail.payer@upi"))
        .await
        .unwrap();
    let order = client.orders().get(&failed).await.unwrap();
    assert_eq!(
        order.status,
        OrderStatus::Attempted,
        "the customer may try again"
    );
    client
        .payments()
        .submit(&upi_payment(&failed, "payer@upi"))
        .await
        .unwrap();
    assert_eq!(
        client.orders().get(&failed).await.unwrap().status,
        OrderStatus::Paid
    );
    let err = client
        .payments()
        .submit(&upi_payment(&failed, "payer@upi"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(codes::INVALID_STATE),
        "a paid order: {err:?}"
    );

    let cancelled = create_order(&client, rupees(500)).await;
    client
        .payments()
        .submit(&upi_payment(&cancelled, "cancel.payer@upi"))
        .await
        .unwrap();
    assert_eq!(
        client.orders().get(&cancelled).await.unwrap().status,
        OrderStatus::Cancelled
    );

    let expired = create_order(&client, rupees(500)).await;
    assert!(
        mock.state()
            .set_order_status(&expired, OrderStatus::Expired)
    );
    assert_eq!(
        client.orders().get(&expired).await.unwrap().status,
        OrderStatus::Expired
    );
    let err = client
        .payments()
        .submit(&upi_payment(&expired, "payer@upi"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");
}

#[tokio::test]
async fn payments_also_complete_after_the_configured_time() {
    let config = MockConfig::default()
        .complete_payments_after_polls(u32::MAX)
        .complete_payments_after(Duration::from_millis(30));
    let (_mock, client) = start_with(config).await;
    let order_id = create_order(&client, rupees(999)).await;
    client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap();
    assert_eq!(
        client.orders().get(&order_id).await.unwrap().status,
        OrderStatus::PaymentConfirmationPending
    );
    tokio::time::sleep(Duration::from_millis(40)).await;
    assert_eq!(
        client.orders().get(&order_id).await.unwrap().status,
        OrderStatus::Paid
    );
}

#[tokio::test]
async fn a_dynamic_upi_qr_renders_the_checkout_and_is_paid_through_its_ek_pay_id() {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(4999)).await;
    let qr = client.orders().get_dynamic_upi_qr(&order_id).await.unwrap();
    let ek_pay_id = qr.ek_pay_id.clone().unwrap();
    assert!(qr.qr_url.as_deref().unwrap().starts_with("upi://pay?"));
    assert!(qr.qr_url.as_deref().unwrap().contains("am=49.99"));
    assert!(!qr.qr_code.as_deref().unwrap().is_empty());
    assert_eq!(
        mock.state().order(&order_id).unwrap().status,
        OrderStatus::CheckoutRendered
    );
    // Asking again while the payment is pending gives the same transaction.
    let again = client.orders().get_dynamic_upi_qr(&order_id).await.unwrap();
    assert_eq!(again.ek_pay_id.as_deref(), Some(ek_pay_id.as_str()));

    let links = client
        .orders()
        .get_upi_intent_links(&ek_pay_id)
        .await
        .unwrap();
    assert_eq!(links.transaction_id.as_deref(), Some(ek_pay_id.as_str()));
    for link in [&links.gpay, &links.phonepe, &links.paytm, &links.upi] {
        assert!(
            link.as_deref()
                .unwrap()
                .contains(&format!("tr={ek_pay_id}"))
        );
    }

    let status = client.payments().get_upi_status(&ek_pay_id).await.unwrap();
    assert_eq!(status.status, UpiStatus::Process);
    let status = client.payments().get_upi_status(&ek_pay_id).await.unwrap();
    assert_eq!(status.status, UpiStatus::Success);
    assert!(status.status.is_final());
    assert_eq!(
        client.orders().get(&order_id).await.unwrap().status,
        OrderStatus::Paid
    );
    // Neither checkout helper needs a token.
    assert_eq!(mock.hits("get_authorization_token"), 1);
    let err = client
        .orders()
        .get_dynamic_upi_qr(&order_id)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(codes::INVALID_STATE),
        "a paid order: {err:?}"
    );
}

#[tokio::test]
async fn intent_links_need_a_known_upi_transaction() {
    let (_mock, client) = start().await;
    let err = client
        .orders()
        .get_upi_intent_links("EK-NOPE")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
}

#[tokio::test]
async fn amounts_keep_every_digit_through_the_wire() {
    let (_mock, client) = start().await;
    let created = client
        .orders()
        .create(&order_request(&unique("ORD"), rupees(49900)))
        .await
        .unwrap();
    let order = client.orders().get(&created.order_id).await.unwrap();
    // 499.00 goes out as the JSON number `499.00` and comes back the same: no float on the way.
    assert_eq!(order.amount.to_string(), "499.00");
}
