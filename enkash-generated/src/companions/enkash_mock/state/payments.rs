//! Payments: submit (checks the order and the mode's fields, starts a pending transaction),
//! transaction and UPI status, and the checks around a payment (Validate OTP, Resend OTP, Verify
//! VPA). The transaction lifecycle is in `transactions`.

use super::transactions::{Outcome, Txn, TxnDetails};
use super::{Store, codes, invalid_state, is_vpa, json_decimal, local_text, not_found, now_local};
use crate::generated::enums::{Currency, PaymentMode, UpiStatus};
use crate::generated::mock::MockPayments;
use crate::generated::models::{
    OrderTransactionResponse, OtpResponse, SubmitPaymentRequest, UpiStatusResponse,
    ValidateOtpRequest, VerifyVpaRequest, VerifyVpaResponse,
};
use crate::runtime::mock::{MockContext, MockError, MockReply};

impl MockPayments for Store {
    /// Submit Payment Detail: checks the order and the mode's fields, starts a pending payment.
    fn submit_payment(
        &mut self,
        _ctx: &MockContext,
        body: SubmitPaymentRequest,
    ) -> MockReply<serde_json::Value> {
        let order_id = self
            .resolve_order_id(&body.order_id)
            .ok_or_else(|| not_found("order", &body.order_id))?;
        let order = self
            .orders
            .get(&order_id)
            .ok_or_else(|| not_found("order", &body.order_id))?;
        if order.status.is_final() {
            return Err(invalid_state(format!(
                "order {} is {}",
                body.order_id,
                order.status.as_str()
            )));
        }
        if order
            .txns
            .iter()
            .any(|id| self.txns.get(id).is_some_and(Txn::is_pending))
        {
            return Err(invalid_state(
                "another payment of this order is in progress",
            ));
        }
        let amount = order.request.amount.value;
        if let Some(detail) = &body.payment_detail {
            if detail.amount.is_some_and(|a| a != amount) {
                return Err(MockError::bad_request(
                    "`paymentDetail.amount` differs from the order amount",
                ));
            }
            if detail
                .currency
                .as_ref()
                .is_some_and(|c| *c != Currency::Inr)
            {
                return Err(MockError::bad_request(
                    "`paymentDetail.currency` must be INR",
                ));
            }
        }
        if let (Some(expected), Some(given)) = (
            order
                .request
                .payment_detail
                .as_ref()
                .and_then(|detail| detail.account_number.as_ref()),
            &body.account_number,
        ) && expected != given
        {
            return Err(invalid_state(
                "the account does not match the order's TPV account",
            ));
        }
        let mode = body
            .payment_mode
            .clone()
            .ok_or_else(|| MockError::bad_request("`paymentMode` is required"))?;
        let details = payment_details(&body, &mode)?;
        if let Some(split) = &details.split {
            self.check_split(split, amount)?;
        }
        let outcome = outcome_of(&body);
        let txn_id = self.start_transaction(&order_id, mode.clone(), outcome, details);
        let status = self.txns.get(&txn_id).map(|t| t.status.as_str().to_owned());
        Ok(serde_json::json!({
            "transactionId": txn_id,
            "orderId": order_id,
            "merchantOrderId": self.orders.get(&order_id).map(|o| o.request.order_id.clone()),
            "transactionStatus": status,
            "paymentMode": mode.as_str(),
            "amount": json_decimal(amount),
            "currency": "INR",
        }))
    }

    /// Get Transaction Status (counts a status poll).
    fn get_transaction_status(
        &mut self,
        _ctx: &MockContext,
        txn_id: String,
    ) -> MockReply<OrderTransactionResponse> {
        self.advance(&txn_id, true);
        let txn = self.txn(&txn_id)?;
        Ok(OrderTransactionResponse::new()
            .with_transaction_id(txn.id.clone())
            .with_created(txn.created.into())
            .with_last_modified(txn.last_modified.into()))
    }

    /// Get UPI Transaction Status (counts a status poll): `PROCESS` while pending.
    fn get_upi_transaction_status(
        &mut self,
        _ctx: &MockContext,
        txn_id: String,
    ) -> MockReply<UpiStatusResponse> {
        self.advance(&txn_id, true);
        let txn = self.txn(&txn_id)?;
        if txn.mode != PaymentMode::Upi {
            return Err(invalid_state(format!(
                "transaction {txn_id} is not a UPI payment"
            )));
        }
        let (status, message) = if txn.is_pending() {
            (UpiStatus::Process, "Payment is being processed")
        } else if txn.is_paid() {
            (UpiStatus::Success, "Payment successful")
        } else {
            (UpiStatus::Failed, "Payment failed")
        };
        Ok(UpiStatusResponse::new(status)
            .with_transaction_message(message)
            .with_order_id(txn.order_id.clone()))
    }

    /// Validate OTP: the configured OTP is right, anything else is [`codes::INVALID_OTP`].
    fn validate_otp(
        &mut self,
        _ctx: &MockContext,
        body: ValidateOtpRequest,
    ) -> MockReply<OtpResponse> {
        let txn = self.txn(&body.ek_pay_id)?;
        if body.otp != self.config.otp {
            return Err(MockError::api(codes::INVALID_OTP, "Invalid OTP"));
        }
        Ok(OtpResponse::new(
            txn.id.clone(),
            txn.amount,
            Currency::Inr,
            txn.status.as_str(),
        )
        .with_order_id(txn.order_id.clone())
        .with_public_identifier_key(self.config.access_key.clone())
        .with_txn_message("OTP verified")
        .with_txn_date(local_text(now_local())))
    }

    /// Resend OTP (a text answer; an unknown transaction is HTTP 404).
    fn resend_otp(&mut self, _ctx: &MockContext, txn_id: String) -> MockReply<String> {
        if self.txns.contains_key(&txn_id) {
            Ok("OTP sent to the registered mobile number".to_owned())
        } else {
            Err(MockError {
                status: 404,
                code: codes::NOT_FOUND,
                message: format!("transaction {txn_id} not found"),
            })
        }
    }

    /// Verify VPA: the registered name, made up from the VPA (`john.doe@upi` → "John Doe"). The
    /// access key in the body was checked by `MockHooks::authorize_body`.
    fn verify_vpa(
        &mut self,
        _ctx: &MockContext,
        body: VerifyVpaRequest,
    ) -> MockReply<VerifyVpaResponse> {
        if !is_vpa(&body.vpa) {
            return Err(MockError::api(codes::INVALID_VPA, "Invalid VPA"));
        }
        let name = body
            .vpa
            .split('@')
            .next()
            .unwrap_or_default()
            .split(['.', '_', '-'])
            .filter(|w| !w.is_empty())
            .map(capitalise)
            .collect::<Vec<_>>()
            .join(" ");
        Ok(VerifyVpaResponse::new().with_name(name))
    }
}

/// Checks the fields a payment mode needs and keeps what the mock may remember of them.
fn payment_details(
    body: &SubmitPaymentRequest,
    mode: &PaymentMode,
) -> Result<TxnDetails, MockError> {
    let missing = |field: &str| {
        MockError::bad_request(format!("`{field}` is required for {}", mode.as_str()))
    };
    let mut details = TxnDetails {
        split: body.split_settlement.clone(),
        ..TxnDetails::default()
    };
    match mode {
        PaymentMode::Upi => {
            if let Some(vpa) = &body.vpa {
                if !is_vpa(vpa) {
                    return Err(MockError::api(codes::INVALID_VPA, "Invalid VPA"));
                }
                details.vpa = Some(vpa.clone());
            }
        }
        PaymentMode::CreditCard
        | PaymentMode::DebitCard
        | PaymentMode::PrepaidCard
        | PaymentMode::CorporateCard => {
            let number = body
                .card_number
                .as_deref()
                .ok_or_else(|| missing("cardNumber"))?;
            if !(12..=19).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(MockError::bad_request(
                    "`cardNumber` must be 12 to 19 digits",
                ));
            }
            let cvv = body.cvv.as_deref().ok_or_else(|| missing("cvv"))?;
            if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()) {
                return Err(MockError::bad_request("`cvv` must be 3 or 4 digits"));
            }
            body.expiry.ok_or_else(|| missing("expiry"))?;
            let (first, last) = (
                number.get(..6).unwrap_or(""),
                number.get(number.len() - 4..).unwrap_or(""),
            );
            details.masked_card = Some(format!("{first}XXXXXX{last}"));
            details.card_holder = body.card_holder_name.clone();
        }
        PaymentMode::NetBanking | PaymentMode::Wallet => {
            details.bank_code = Some(body.bank_code.clone().ok_or_else(|| missing("bankCode"))?);
        }
        PaymentMode::PayLater => {
            details.bank_code = Some(body.bank_code.clone().ok_or_else(|| missing("bankCode"))?);
            body.bnpl_payment_option_id
                .as_deref()
                .ok_or_else(|| missing("bnplPaymentOptionId"))?;
        }
        PaymentMode::Unknown(value) => {
            return Err(MockError::bad_request(format!(
                "unsupported paymentMode {}",
                value.as_str()
            )));
        }
    }
    Ok(details)
}

/// The outcome a test asked for: `fail…@` / `cancel…@` VPAs, cards ending in 0002, bank `FAIL`.
fn outcome_of(body: &SubmitPaymentRequest) -> Outcome {
    let vpa = body.vpa.as_deref().unwrap_or_default().to_ascii_lowercase();
    if vpa.starts_with("cancel") {
        Outcome::Cancel
    } else if vpa.starts_with("fail")
        || body
            .card_number
            .as_deref()
            .is_some_and(|n| n.ends_with("0002"))
        || body
            .bank_code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("FAIL"))
    {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}
