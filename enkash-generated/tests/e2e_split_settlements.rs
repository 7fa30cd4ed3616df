//! End to end, split settlements: accounts (create, activate) and the split of a payment
//! (at submit, or edited after it).

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::mock::{MockConfig, MockServer, codes};
use enkash_generated::{
    ActivateSplitAccountParams, Client, EditSplitTransactionRequest, SplitAmountType,
    SplitSettlement, SplitSettlementDetail,
};
use serde_json::json;

async fn active_account(client: &Client, number: &str) -> String {
    let created = client
        .split_settlements()
        .create_account(&json!({"name": "Vendor", "accountNumber": number, "ifsc": "HDFC0001234"}))
        .await
        .unwrap();
    let id = created["splitAccountDetailId"].as_str().unwrap().to_owned();
    client
        .split_settlements()
        .activate_account(&ActivateSplitAccountParams::new(&id))
        .await
        .unwrap();
    id
}

fn split(kind: SplitAmountType, parts: &[(&str, i64)]) -> SplitSettlement {
    SplitSettlement::new(
        kind,
        parts
            .iter()
            .map(|(id, paise)| {
                SplitSettlementDetail::new()
                    .with_split_account_id(*id)
                    .with_value(rupees(*paise))
            })
            .collect(),
    )
}

#[tokio::test]
async fn an_account_is_created_inactive_and_activated() {
    let (mock, client) = start().await;
    let created = client
        .split_settlements()
        .create_account(
            &json!({"name": "Vendor A", "accountNumber": "123456789012", "ifsc": "HDFC0001234"}),
        )
        .await
        .unwrap();
    assert_eq!(created["status"], "INACTIVE");
    let id = created["splitAccountDetailId"].as_str().unwrap().to_owned();
    let duplicate = client
        .split_settlements()
        .create_account(
            &json!({"name": "Vendor B", "accountNumber": "123456789012", "ifsc": "HDFC0001234"}),
        )
        .await
        .unwrap_err();
    assert_eq!(duplicate.code(), Some(codes::DUPLICATE), "{duplicate:?}");
    let missing = client
        .split_settlements()
        .create_account(&json!({"name": "Vendor C"}))
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(400), "{missing:?}");

    let activated = client
        .split_settlements()
        .activate_account(&ActivateSplitAccountParams::new(&id))
        .await
        .unwrap();
    assert_eq!(activated["status"], "ACTIVE");
    assert_eq!(mock.state().split_account(&id).unwrap()["status"], "ACTIVE");

    let err = client
        .split_settlements()
        .activate_account(&ActivateSplitAccountParams::new("SAD-NOPE"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
}

async fn setup() -> (MockServer, Client, String, String) {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let a = active_account(&client, "111111111111").await;
    let b = active_account(&client, "222222222222").await;
    (mock, client, a, b)
}

#[tokio::test]
async fn a_payment_can_carry_a_split_of_active_accounts_within_its_amount() {
    let (_mock, client, a, b) = setup().await;
    let order_id = create_order(&client, rupees(100000)).await;
    let too_much = upi_payment(&order_id, "payer@upi")
        .with_split_settlement(split(SplitAmountType::Flat, &[(&a, 60000), (&b, 50000)]));
    let err = client.payments().submit(&too_much).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::AMOUNT_EXCEEDED), "{err:?}");
    let unknown = upi_payment(&order_id, "payer@upi")
        .with_split_settlement(split(SplitAmountType::Percentage, &[("SAD-NOPE", 1000)]));
    let err = client.payments().submit(&unknown).await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    let fine = upi_payment(&order_id, "payer@upi")
        .with_split_settlement(split(SplitAmountType::Flat, &[(&a, 60000), (&b, 40000)]));
    client.payments().submit(&fine).await.unwrap();
}

#[tokio::test]
async fn the_split_of_a_paid_transaction_can_be_edited_until_it_is_settled() {
    let (mock, client, a, b) = setup().await;
    let inactive = client
        .split_settlements()
        .create_account(
            &json!({"name": "Later", "accountNumber": "333333333333", "ifsc": "HDFC0001234"}),
        )
        .await
        .unwrap()["splitAccountDetailId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_order, txn_id) = paid_order(&client, rupees(50000)).await;

    let edit = EditSplitTransactionRequest::new(split(
        SplitAmountType::Percentage,
        &[(&a, 7000), (&b, 3000)],
    ));
    let edited = client
        .split_settlements()
        .edit_split(&txn_id, &edit)
        .await
        .unwrap();
    assert_eq!(edited["transactionId"], txn_id.as_str());
    assert_eq!(edited["splitSettlement"]["amountSplitType"], "PERCENTAGE");

    let over = EditSplitTransactionRequest::new(split(
        SplitAmountType::Percentage,
        &[(&a, 7000), (&b, 3001)],
    ));
    let err = client
        .split_settlements()
        .edit_split(&txn_id, &over)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::AMOUNT_EXCEEDED), "{err:?}");
    let to_inactive =
        EditSplitTransactionRequest::new(split(SplitAmountType::Flat, &[(&inactive, 100)]));
    let err = client
        .split_settlements()
        .edit_split(&txn_id, &to_inactive)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");

    mock.state().settle_paid_transactions().unwrap();
    let err = client
        .split_settlements()
        .edit_split(&txn_id, &edit)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "settled: {err:?}");
}
