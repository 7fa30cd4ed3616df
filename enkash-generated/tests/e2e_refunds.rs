//! End to end, refunds: partial and full refunds of a paid transaction, over-refunds and
//! refunds of unpaid transactions rejected, `requestId` deduplication.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::mock::codes;
use enkash_generated::{Currency, PaymentMode, RefundRequest, RefundStatus, TransactionStatus};

#[tokio::test]
async fn partial_refunds_add_up_to_a_full_refund_and_no_further() {
    let (mock, client) = start().await;
    let (_order, txn_id) = paid_order(&client, rupees(100000)).await;

    let first = client
        .refunds()
        .create(
            &txn_id,
            &RefundRequest::new(rupees(25050), unique("RF-")).with_remarks("one book"),
        )
        .await
        .unwrap();
    assert_eq!(first.amount, rupees(25050));
    assert_eq!(first.currency, Currency::Inr);
    assert_eq!(first.status, RefundStatus::Created);
    assert_eq!(first.payment_mode, Some(PaymentMode::Upi));
    assert_ne!(first.transaction_id, txn_id, "a refund has its own id");
    assert_eq!(
        mock.state().transaction_status(&txn_id),
        Some(TransactionStatus::PartiallyRefunded)
    );

    let over = client
        .refunds()
        .create(&txn_id, &RefundRequest::new(rupees(74951), unique("RF-")))
        .await
        .unwrap_err();
    assert_eq!(over.code(), Some(codes::AMOUNT_EXCEEDED), "{over:?}");
    assert_eq!(mock.state().refunded_amount(&txn_id), Some(rupees(25050)));

    client
        .refunds()
        .create(&txn_id, &RefundRequest::new(rupees(74950), unique("RF-")))
        .await
        .unwrap();
    assert_eq!(
        mock.state().transaction_status(&txn_id),
        Some(TransactionStatus::Refunded)
    );
    let more = client
        .refunds()
        .create(&txn_id, &RefundRequest::new(rupees(1), unique("RF-")))
        .await
        .unwrap_err();
    assert_eq!(more.code(), Some(codes::INVALID_STATE), "{more:?}");
    assert_eq!(mock.state().refund_count(), 2);
}

#[tokio::test]
async fn only_successful_transactions_can_be_refunded() {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(5000)).await;
    let submitted = client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap();
    let pending = submitted["transactionId"].as_str().unwrap();
    let err = client
        .refunds()
        .create(pending, &RefundRequest::new(rupees(100), unique("RF-")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");
    assert!(err.to_string().contains("PENDING_WITH_BANK"), "{err}");

    let err = client
        .refunds()
        .create("EK-NOPE", &RefundRequest::new(rupees(100), unique("RF-")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    assert_eq!(mock.state().refund_count(), 0);
}

#[tokio::test]
async fn a_refund_amount_must_be_positive_with_two_decimals_at_most() {
    let (_mock, client) = start().await;
    let (_order, txn_id) = paid_order(&client, rupees(5000)).await;
    for amount in [rupees(0), rupees(-100), rust_decimal::Decimal::new(1001, 3)] {
        let err = client
            .refunds()
            .create(&txn_id, &RefundRequest::new(amount, unique("RF-")))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "{amount}: {err:?}");
    }
}

#[tokio::test]
async fn a_repeated_request_id_returns_the_original_refund_and_a_different_one_is_rejected() {
    let (mock, client) = start().await;
    let (_order, txn_id) = paid_order(&client, rupees(10000)).await;
    let request_id = unique("RF-");
    let request = RefundRequest::new(rupees(3000), &request_id);
    let first = client.refunds().create(&txn_id, &request).await.unwrap();
    let again = client.refunds().create(&txn_id, &request).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(mock.state().refunded_amount(&txn_id), Some(rupees(3000)));
    assert_eq!(mock.state().replayed_duplicates(), 1);

    let other_amount = RefundRequest::new(rupees(3100), &request_id);
    let err = client
        .refunds()
        .create(&txn_id, &other_amount)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::DUPLICATE), "{err:?}");
    let (_order2, other_txn) = paid_order(&client, rupees(10000)).await;
    let err = client
        .refunds()
        .create(&other_txn, &request)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(codes::DUPLICATE),
        "same requestId, another payment: {err:?}"
    );
    assert_eq!(mock.state().refund_count(), 1);
}
