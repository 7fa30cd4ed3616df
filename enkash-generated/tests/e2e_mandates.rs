//! End to end, UPI mandates: create, get, update, pre-debit notification, debit (which creates
//! an order that gets paid), revoke.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::mock::{MockConfig, codes};
use enkash_generated::{
    AmountRule, CreateMandateRequest, CreateMandateRequestRequired, Currency,
    ExecuteMandateDebitRequest, MandatePayer, MandateRecurrence, MandateValidity, OrderStatus,
    PreDebitNotificationRequest, RevokeMandateRequest,
};
use serde_json::json;
use time::macros::{date, datetime};

fn mandate(reference_id: &str, amount: i64, rule: AmountRule) -> CreateMandateRequest {
    CreateMandateRequest::new(CreateMandateRequestRequired {
        reference_id: reference_id.to_owned(),
        amount,
        amount_rule: rule,
        currency: Currency::Inr,
        payer: MandatePayer::new("Ravi Kumar", "ravi@okbank", "123456789012", true),
        mandate_name: "Monthly plan".to_owned(),
        expiry: datetime!(2026-05-01 00:00 UTC),
        block_fund: false,
        recurrence: MandateRecurrence::new("monthly", "on", 1),
        validity: MandateValidity::new(
            datetime!(2026-05-01 00:00 UTC),
            datetime!(2027-05-01 00:00 UTC),
        ),
    })
}

#[tokio::test]
async fn a_mandate_is_notified_debited_updated_and_revoked() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(1)).await;
    let reference = unique("MANDATE-");
    let created = client
        .upi_mandates()
        .create(&mandate(&reference, 500, AmountRule::Max))
        .await
        .unwrap();
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["referenceId"], reference.as_str());
    let mandate_id = created["mandateId"].as_str().unwrap().to_owned();
    let read = client.upi_mandates().get(&reference).await.unwrap();
    assert_eq!(read["mandateId"], mandate_id.as_str());

    let debit = ExecuteMandateDebitRequest::new(&mandate_id, rupees(49900), "May");
    let err = client
        .upi_mandates()
        .execute_debit(&debit)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(codes::INVALID_STATE),
        "no pre-debit notification: {err:?}"
    );
    let too_much =
        PreDebitNotificationRequest::new(&mandate_id, rupees(50001), date!(2026 - 06 - 01));
    let err = client
        .upi_mandates()
        .notify_pre_debit(&too_much)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::AMOUNT_EXCEEDED), "{err:?}");
    let notified = client
        .upi_mandates()
        .notify_pre_debit(&PreDebitNotificationRequest::new(
            &mandate_id,
            rupees(49900),
            date!(2026 - 06 - 01),
        ))
        .await
        .unwrap();
    assert_eq!(notified.mandate_id, mandate_id);
    assert_eq!(notified.amount, rupees(49900));
    assert_eq!(notified.debit_date.as_deref(), Some("2026-06-01"));

    let order = client.upi_mandates().execute_debit(&debit).await.unwrap();
    assert_eq!(order.amount, rupees(49900));
    assert_eq!(order.status, OrderStatus::Attempted);
    assert_eq!(order.transactions.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        client.orders().get(&order.order_id).await.unwrap().status,
        OrderStatus::Paid
    );
    let err = client
        .upi_mandates()
        .execute_debit(&debit)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(codes::INVALID_STATE),
        "the notification was used: {err:?}"
    );

    let updated = client
        .upi_mandates()
        .update(&json!({"referenceId": reference, "amount": 800, "mandateName": "Premium"}))
        .await
        .unwrap();
    assert_eq!(updated["amount"], 800);
    assert_eq!(updated["mandateName"], "Premium");

    let revoked = client
        .upi_mandates()
        .revoke(&RevokeMandateRequest::new().with_reference_id(&reference))
        .await
        .unwrap();
    assert_eq!(revoked["status"], "REVOKED");
    assert_eq!(
        mock.state().mandate(&mandate_id).unwrap()["status"],
        "REVOKED"
    );
    for err in [
        client
            .upi_mandates()
            .revoke(&RevokeMandateRequest::new().with_reference_id(&reference))
            .await
            .unwrap_err(),
        client
            .upi_mandates()
            .notify_pre_debit(&PreDebitNotificationRequest::new(
                &mandate_id,
                rupees(100),
                date!(2026 - 07 - 01),
            ))
            .await
            .unwrap_err(),
        client
            .upi_mandates()
            .update(&json!({"mandateId": mandate_id, "amount": 900}))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");
    }
}

#[tokio::test]
async fn an_exact_mandate_debits_exactly_its_amount() {
    let (_mock, client) = start().await;
    let reference = unique("MANDATE-");
    let created = client
        .upi_mandates()
        .create(&mandate(&reference, 299, AmountRule::Exact))
        .await
        .unwrap();
    let mandate_id = created["mandateId"].as_str().unwrap();
    let less = PreDebitNotificationRequest::new(mandate_id, rupees(19900), date!(2026 - 06 - 01));
    let err = client
        .upi_mandates()
        .notify_pre_debit(&less)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::AMOUNT_EXCEEDED), "{err:?}");
    let exact = PreDebitNotificationRequest::new(mandate_id, rupees(29900), date!(2026 - 06 - 01));
    client
        .upi_mandates()
        .notify_pre_debit(&exact)
        .await
        .unwrap();
}

#[tokio::test]
async fn bad_mandate_requests_are_rejected() {
    let (_mock, client) = start().await;
    let reference = unique("MANDATE-");
    client
        .upi_mandates()
        .create(&mandate(&reference, 100, AmountRule::Max))
        .await
        .unwrap();
    let err = client
        .upi_mandates()
        .create(&mandate(&reference, 100, AmountRule::Max))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::DUPLICATE), "{err:?}");
    let err = client
        .upi_mandates()
        .create(&mandate(&unique("MANDATE-"), 0, AmountRule::Max))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    let mut backwards = mandate(&unique("MANDATE-"), 100, AmountRule::Max);
    backwards.validity = MandateValidity::new(
        datetime!(2027-01-01 00:00 UTC),
        datetime!(2026-01-01 00:00 UTC),
    );
    let err = client.upi_mandates().create(&backwards).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");

    let err = client.upi_mandates().get("MANDATE-NOPE").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    let err = client
        .upi_mandates()
        .revoke(&RevokeMandateRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    let err = client
        .upi_mandates()
        .update(&json!({"amount": 5}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
}
