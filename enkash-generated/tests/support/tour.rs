//! Calls any operation of the spec by its id, with whatever it needs created first: the
//! coverage test calls every operation through it, the fault tests inject each fault into each
//! operation. Include with `#[path = "support/tour.rs"] mod tour;` after `e2e`.
//!
//! Setup calls go through `setup` (a client with normal timeouts), the operation under test
//! through `target`. The mock must complete payments at once (`complete_payments_after_polls(0)`).

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use enkash_generated::mock::MockServer;
use enkash_generated::{
    ActivateSplitAccountParams, AmountRule, CancelQrCodeRequest, Client, CreateCustomerRequest,
    CreateMandateRequest, CreateMandateRequestRequired, CreateVirtualAccountRequest, Currency,
    CustomerKeyContact, EditSplitTransactionRequest, Error, ExecuteMandateDebitRequest,
    MandatePayer, MandateRecurrence, MandateValidity, PreDebitNotificationRequest, RefundRequest,
    RevokeMandateRequest, SearchQrCodesParams, SearchSettlementPayoutsParams,
    SettlementPayoutSearchRequest, SplitAmountType, SplitSettlement, SplitSettlementDetail,
    TokenRequest, ValidateOtpRequest, VerifyVpaRequest,
};
use serde_json::json;
use time::macros::{date, datetime};

use super::e2e::{create_order, rupees, unique, upi_payment};

/// Ok(()) when the call answered, the error otherwise. Panics when the setup fails (the setup
/// uses other operations, which are not under test) or when `op_id` has no tour stop.
pub(crate) async fn call(
    setup: &Client,
    target: &Client,
    mock: &MockServer,
    op_id: &str,
) -> Result<(), Error> {
    fn done<T>(result: Result<T, Error>) -> Result<(), Error> {
        result.map(drop)
    }
    match op_id {
        "get_authorization_token" => done(
            target
                .authorization()
                .get_token(&TokenRequest::new(mock.access_key(), mock.secret_key()))
                .await,
        ),
        "create_order" => done(
            target
                .orders()
                .create(&super::e2e::order_request(&unique("TOUR"), rupees(100)))
                .await,
        ),
        "get_order_status" => {
            let order_id = create_order(setup, rupees(100)).await;
            done(target.orders().get(&order_id).await)
        }
        "get_dynamic_upi_qr" => {
            let order_id = create_order(setup, rupees(100)).await;
            done(target.orders().get_dynamic_upi_qr(&order_id).await)
        }
        "get_upi_intent_links" => {
            let txn_id = pending_txn(setup).await;
            done(target.orders().get_upi_intent_links(&txn_id).await)
        }
        "submit_payment" => {
            let order_id = create_order(setup, rupees(100)).await;
            done(
                target
                    .payments()
                    .submit(&upi_payment(&order_id, "payer@upi"))
                    .await,
            )
        }
        "get_transaction_status" => {
            let txn_id = paid_txn(setup).await;
            done(target.payments().get(&txn_id).await)
        }
        "get_upi_transaction_status" => {
            let txn_id = paid_txn(setup).await;
            done(target.payments().get_upi_status(&txn_id).await)
        }
        "validate_otp" => {
            let txn_id = paid_txn(setup).await;
            let otp = ValidateOtpRequest::new(txn_id, mock.state().config().otp.clone());
            done(target.payments().validate_otp(&otp).await)
        }
        "resend_otp" => {
            let txn_id = paid_txn(setup).await;
            done(target.payments().resend_otp(&txn_id).await)
        }
        "verify_vpa" => done(
            target
                .payments()
                .verify_vpa(&VerifyVpaRequest::new("TOUR-1", "tour.payer@upi"))
                .await,
        ),
        "create_refund" => {
            let txn_id = paid_txn(setup).await;
            let refund = RefundRequest::new(rupees(10), unique("TOUR-RF-"));
            done(target.refunds().create(&txn_id, &refund).await)
        }
        "get_settlement_payout" => {
            let payout_id = seeded_payout(mock);
            done(target.settlements().get_payout(&payout_id).await)
        }
        "search_settlement_payouts" => done(
            target
                .settlements()
                .search_payouts(
                    &SettlementPayoutSearchRequest::new(),
                    &SearchSettlementPayoutsParams::new().with_limit(2),
                )
                .await,
        ),
        "create_split_account" => done(
            target
                .split_settlements()
                .create_account(&split_account_body())
                .await,
        ),
        "activate_split_account" => {
            let created = setup
                .split_settlements()
                .create_account(&split_account_body())
                .await
                .expect("split account");
            let id = created["splitAccountDetailId"].as_str().unwrap_or_default();
            done(
                target
                    .split_settlements()
                    .activate_account(&ActivateSplitAccountParams::new(id))
                    .await,
            )
        }
        "edit_split_settlement" => {
            let account = active_split_account(setup).await;
            let txn_id = paid_txn(setup).await;
            let split = SplitSettlement::new(
                SplitAmountType::Flat,
                vec![
                    SplitSettlementDetail::new()
                        .with_split_account_id(account)
                        .with_value(rupees(50)),
                ],
            );
            done(
                target
                    .split_settlements()
                    .edit_split(&txn_id, &EditSplitTransactionRequest::new(split))
                    .await,
            )
        }
        "create_qr_code" => done(target.upi_qr().create(&json!({"qrName": "Tour"})).await),
        "get_qr_code" => {
            let qr_id = qr_code(setup).await;
            done(target.upi_qr().get(&qr_id).await)
        }
        "search_qr_codes" => done(
            target
                .upi_qr()
                .search(&json!({"status": "ACTIVE"}), &SearchQrCodesParams::new())
                .await,
        ),
        "cancel_qr_code" => {
            let qr_id = qr_code(setup).await;
            done(
                target
                    .upi_qr()
                    .cancel(&qr_id, &CancelQrCodeRequest::new())
                    .await,
            )
        }
        "create_qr_customer" => done(target.upi_qr().create_customer(&customer()).await),
        "search_qr_customers" => done(target.upi_qr().search_customers(&json!({})).await),
        "create_upi_mandate" => done(
            target
                .upi_mandates()
                .create(&mandate(&unique("TOUR-MD-")))
                .await,
        ),
        "get_upi_mandate" => {
            let (reference, _) = new_mandate(setup).await;
            done(target.upi_mandates().get(&reference).await)
        }
        "update_upi_mandate" => {
            let (reference, _) = new_mandate(setup).await;
            done(
                target
                    .upi_mandates()
                    .update(&json!({"referenceId": reference, "mandateName": "Tour, renamed"}))
                    .await,
            )
        }
        "revoke_upi_mandate" => {
            let (reference, _) = new_mandate(setup).await;
            let revoke = RevokeMandateRequest::new().with_reference_id(reference);
            done(target.upi_mandates().revoke(&revoke).await)
        }
        "notify_upi_mandate_pre_debit" => {
            let (_, mandate_id) = new_mandate(setup).await;
            let notify =
                PreDebitNotificationRequest::new(mandate_id, rupees(10000), date!(2026 - 06 - 01));
            done(target.upi_mandates().notify_pre_debit(&notify).await)
        }
        "execute_upi_mandate_debit" => {
            let (_, mandate_id) = new_mandate(setup).await;
            let notify =
                PreDebitNotificationRequest::new(&mandate_id, rupees(10000), date!(2026 - 06 - 01));
            setup
                .upi_mandates()
                .notify_pre_debit(&notify)
                .await
                .expect("notified");
            let debit = ExecuteMandateDebitRequest::new(mandate_id, rupees(10000), "tour");
            done(target.upi_mandates().execute_debit(&debit).await)
        }
        "create_virtual_account" => done(
            target
                .e_collect()
                .create_virtual_account(
                    &CreateVirtualAccountRequest::new()
                        .with_customer_reference_id(unique("TOURVA"))
                        .with_expected_amount(rupees(500000)),
                )
                .await,
        ),
        "get_virtual_account_by_customer_reference_id" => {
            let reference = unique("TOURVA");
            setup
                .e_collect()
                .create_virtual_account(
                    &CreateVirtualAccountRequest::new().with_customer_reference_id(&reference),
                )
                .await
                .expect("virtual account");
            done(
                target
                    .e_collect()
                    .get_by_customer_reference_id(&reference)
                    .await,
            )
        }
        other => {
            panic!("the tour has no stop for operation `{other}`: add one to tests/support/tour.rs")
        }
    }
}

async fn pending_txn(setup: &Client) -> String {
    let order_id = create_order(setup, rupees(100)).await;
    let qr = setup
        .orders()
        .get_dynamic_upi_qr(&order_id)
        .await
        .expect("dynamic QR");
    qr.ek_pay_id.expect("ekPayId")
}

async fn paid_txn(setup: &Client) -> String {
    let order_id = create_order(setup, rupees(100)).await;
    let submitted = setup
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .expect("payment submitted");
    submitted["transactionId"]
        .as_str()
        .expect("transaction id")
        .to_owned()
}

fn seeded_payout(mock: &MockServer) -> String {
    mock.state()
        .payout_ids()
        .into_iter()
        .next()
        .expect("the mock seeds payouts")
}

fn split_account_body() -> serde_json::Value {
    let number = format!("9{:011}", unique("").parse::<u64>().unwrap_or(0));
    json!({"name": "Tour vendor", "accountNumber": number, "ifsc": "HDFC0001234"})
}

async fn active_split_account(setup: &Client) -> String {
    let created = setup
        .split_settlements()
        .create_account(&split_account_body())
        .await
        .expect("split account");
    let id = created["splitAccountDetailId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    setup
        .split_settlements()
        .activate_account(&ActivateSplitAccountParams::new(&id))
        .await
        .expect("activated");
    id
}

async fn qr_code(setup: &Client) -> String {
    let created = setup
        .upi_qr()
        .create(&json!({"qrName": "Tour"}))
        .await
        .expect("QR");
    created["qrCodeId"].as_str().unwrap_or_default().to_owned()
}

fn customer() -> CreateCustomerRequest {
    CreateCustomerRequest::new(vec![CustomerKeyContact::new(
        false,
        "Tour Ltd",
        "9876543210",
        "Tour",
    )])
}

fn mandate(reference: &str) -> CreateMandateRequest {
    CreateMandateRequest::new(CreateMandateRequestRequired {
        reference_id: reference.to_owned(),
        amount: 100,
        amount_rule: AmountRule::Max,
        currency: Currency::Inr,
        payer: MandatePayer::new("Tour Payer", "tour@okbank", "123456789012", true),
        mandate_name: "Tour plan".to_owned(),
        expiry: datetime!(2026-05-01 00:00 UTC),
        block_fund: false,
        recurrence: MandateRecurrence::new("monthly", "on", 1),
        validity: MandateValidity::new(
            datetime!(2026-05-01 00:00 UTC),
            datetime!(2027-05-01 00:00 UTC),
        ),
    })
}

/// A new mandate's reference id and mandate id.
async fn new_mandate(setup: &Client) -> (String, String) {
    let reference = unique("TOUR-MD-");
    let created = setup
        .upi_mandates()
        .create(&mandate(&reference))
        .await
        .expect("mandate");
    let mandate_id = created["mandateId"].as_str().unwrap_or_default().to_owned();
    (reference, mandate_id)
}
