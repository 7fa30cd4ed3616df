//! End to end, payments: submit per payment mode, transaction and UPI status, OTP, VPA
//! verification, and the Payment Notify body the mock would send.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::CardExpiry;
use enkash_generated::mock::{MockConfig, codes};
use enkash_generated::webhooks::parse_payment_notify;
use enkash_generated::{
    Error, OrderPaymentDetail, OrderStatus, PaymentDetail, PaymentMode, SubmitPaymentRequest,
    TransactionStatus, UpiStatus, ValidateOtpRequest, VerifyVpaRequest,
};

fn card_payment(order_id: &str, number: &str) -> SubmitPaymentRequest {
    SubmitPaymentRequest::new(order_id, Some(PaymentMode::CreditCard))
        .with_card_number(number)
        .with_cvv("123")
        .with_expiry(CardExpiry::new(12, 30).unwrap())
        .with_card_holder_name("A Customer")
}

#[tokio::test]
async fn a_upi_payment_is_pending_then_successful_in_every_status_view() {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(12345)).await;
    let submitted = client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap();
    let txn_id = submitted["transactionId"].as_str().unwrap();
    assert_eq!(submitted["orderId"], order_id.as_str());
    assert_eq!(submitted["paymentMode"], "UPI");
    assert_eq!(submitted["amount"].to_string(), "123.45");

    let txn = client.payments().get(txn_id).await.unwrap();
    assert_eq!(txn.transaction_id.as_deref(), Some(txn_id));
    assert!(txn.created.is_some() && txn.last_modified.is_some());
    assert_eq!(
        mock.state().transaction_status(txn_id),
        Some(TransactionStatus::PendingWithBank)
    );
    let upi = client.payments().get_upi_status(txn_id).await.unwrap();
    assert_eq!(
        upi.status,
        UpiStatus::Success,
        "the second poll completes it"
    );
    assert_eq!(upi.order_id.as_deref(), Some(order_id.as_str()));
    assert_eq!(
        mock.state().transaction_status(txn_id),
        Some(TransactionStatus::Success)
    );
    assert_eq!(
        client.orders().get(&order_id).await.unwrap().status,
        OrderStatus::Paid
    );
}

#[tokio::test]
async fn each_payment_mode_needs_its_fields() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let bad_request = |err: Error| {
        assert!(
            matches!(
                err,
                Error::Api {
                    status: 400,
                    code: codes::BAD_REQUEST,
                    ..
                }
            ),
            "{err:?}"
        );
    };
    let order_id = create_order(&client, rupees(1000)).await;
    let no_cvv = card_payment(&order_id, "4111111111111111").with_cvv("");
    bad_request(client.payments().submit(&no_cvv).await.unwrap_err());
    let no_bank = SubmitPaymentRequest::new(&order_id, Some(PaymentMode::NetBanking));
    bad_request(client.payments().submit(&no_bank).await.unwrap_err());
    let no_mode = SubmitPaymentRequest::new(&order_id, None);
    bad_request(client.payments().submit(&no_mode).await.unwrap_err());
    let pay_later =
        SubmitPaymentRequest::new(&order_id, Some(PaymentMode::PayLater)).with_bank_code("LAZYPAY");
    bad_request(client.payments().submit(&pay_later).await.unwrap_err());
    let wrong_amount = upi_payment(&order_id, "payer@upi")
        .with_payment_detail(PaymentDetail::new().with_amount(rupees(999)));
    bad_request(client.payments().submit(&wrong_amount).await.unwrap_err());
    let bad_vpa = upi_payment(&order_id, "not-a-vpa");
    assert_eq!(
        client.payments().submit(&bad_vpa).await.unwrap_err().code(),
        Some(codes::INVALID_VPA)
    );
    assert_eq!(mock.state().transaction_ids(&order_id).len(), 0);

    let banking =
        SubmitPaymentRequest::new(&order_id, Some(PaymentMode::NetBanking)).with_bank_code("HDFC");
    client.payments().submit(&banking).await.unwrap();
    assert_eq!(
        client.orders().get(&order_id).await.unwrap().status,
        OrderStatus::Paid
    );
}

#[tokio::test]
async fn a_card_payment_keeps_only_the_masked_number_and_a_0002_card_fails() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let declined = create_order(&client, rupees(1500)).await;
    let submitted = client
        .payments()
        .submit(&card_payment(&declined, "4000000000000002"))
        .await
        .unwrap();
    let txn_id = submitted["transactionId"].as_str().unwrap();
    assert_eq!(
        mock.state().transaction_status(txn_id),
        Some(TransactionStatus::Failed)
    );
    let order_id = create_order(&client, rupees(1500)).await;
    let submitted = client
        .payments()
        .submit(&card_payment(&order_id, "4111111111111111"))
        .await
        .unwrap();
    let txn_id = submitted["transactionId"].as_str().unwrap();
    let body = mock.state().payment_notify_body(txn_id).unwrap();
    assert!(
        !body.contains("4111111111111111") && !body.contains("\"123\""),
        "{body}"
    );
    let notification = parse_payment_notify(body.as_bytes()).unwrap();
    assert_eq!(
        notification.masked_card_number.as_deref(),
        Some("411111XXXXXX1111")
    );
    assert_eq!(notification.status, TransactionStatus::Success);
    assert_eq!(notification.order_id, order_id);
    assert_eq!(notification.amount, rupees(1500));
    assert_eq!(notification.order_status, Some(OrderStatus::Paid));
}

#[tokio::test]
async fn one_payment_at_a_time_and_only_from_the_tpv_account() {
    let (_mock, client) = start().await;
    let order_id = create_order(&client, rupees(700)).await;
    client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap();
    let err = client
        .payments()
        .submit(&upi_payment(&order_id, "other@upi"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");

    let tpv = order_request(&unique("ORD"), rupees(700)).with_description("TPV");
    let mut tpv = tpv;
    tpv.payment_detail = Some(
        OrderPaymentDetail::new()
            .with_account_number("123456789012")
            .with_ifsc("HDFC0001234"),
    );
    let tpv_order = client.orders().create(&tpv).await.unwrap().order_id;
    let other_account = upi_payment(&tpv_order, "payer@upi")
        .with_account_number("999999999999")
        .with_ifsc("HDFC0001234");
    let err = client.payments().submit(&other_account).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");
    let same_account = upi_payment(&tpv_order, "payer@upi")
        .with_account_number("123456789012")
        .with_ifsc("HDFC0001234");
    client.payments().submit(&same_account).await.unwrap();
}

#[tokio::test]
async fn unknown_transactions_are_api_errors() {
    let (_mock, client) = start().await;
    for err in [
        client.payments().get("EK-NOPE").await.unwrap_err(),
        client
            .payments()
            .get_upi_status("EK-NOPE")
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    }
    let err = client.payments().resend_otp("EK-NOPE").await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
}

#[tokio::test]
async fn otp_is_validated_and_resent_without_a_token() {
    let (mock, client) = start_with(MockConfig::default().otp("424242")).await;
    let order_id = create_order(&client, rupees(2000)).await;
    let submitted = client
        .payments()
        .submit(&card_payment(&order_id, "5555555555554444"))
        .await
        .unwrap();
    let txn_id = submitted["transactionId"].as_str().unwrap();
    let token_requests = mock.hits("get_authorization_token");

    let text = client.payments().resend_otp(txn_id).await.unwrap();
    assert!(text.contains("OTP sent"), "{text}");
    let wrong = client
        .payments()
        .validate_otp(&ValidateOtpRequest::new(txn_id, "000000"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some(codes::INVALID_OTP), "{wrong:?}");
    let otp = client
        .payments()
        .validate_otp(&ValidateOtpRequest::new(txn_id, "424242"))
        .await
        .unwrap();
    assert_eq!(otp.transaction_id, txn_id);
    assert_eq!(otp.amount, rupees(2000));
    assert_eq!(otp.txn_status, "PENDING_WITH_BANK");
    assert_eq!(mock.hits("get_authorization_token"), token_requests);
}

#[tokio::test]
async fn a_vpa_is_verified_with_the_merchant_key_and_a_bearer_token() {
    let (mock, client) = start().await;
    // The caller never passes the access key: the client fills `merchantIdentifierKey` (the mock
    // answers INVALID_ACCESS_KEY to a body without the right one).
    let found = client
        .payments()
        .verify_vpa(&VerifyVpaRequest::new("ORD-1", "john.doe@okbank"))
        .await
        .unwrap();
    assert_eq!(found.name.as_deref(), Some("John Doe"));
    let err = client
        .payments()
        .verify_vpa(&VerifyVpaRequest::new("ORD-1", "john.doe"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_VPA), "{err:?}");
    assert_eq!(mock.hits("get_authorization_token"), 1);
}
