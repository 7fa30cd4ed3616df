//! Payments (transactions): submit, the pending → final lifecycle driven by status polls or
//! time, transaction and UPI status, and the Payment Notify body. (OTP and VPA checks are in
//! `verification`.)

use std::time::Instant;

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::super::{MockError, MockReply};
use super::{Store, codes, invalid_state, is_vpa, json_decimal, not_found, now};
use crate::generated::enums::{Currency, OrderStatus, PaymentMode, TransactionStatus, UpiStatus};
use crate::generated::models::{
    OrderTransactionResponse, PaymentNotification, PaymentNotificationRequired, SplitSettlement,
    SubmitPaymentRequest, UpiStatusResponse,
};

/// How a pending payment ends, chosen from the test values in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    Failure,
    Cancel,
}

/// What a transaction keeps of the payment request (never a full card number or a CVV).
#[derive(Debug, Clone, Default)]
pub(crate) struct TxnDetails {
    pub(crate) masked_card: Option<String>,
    pub(crate) card_holder: Option<String>,
    pub(crate) vpa: Option<String>,
    pub(crate) bank_code: Option<String>,
    pub(crate) split: Option<SplitSettlement>,
}

/// A payment attempt of an order.
pub(crate) struct Txn {
    pub(crate) id: String,
    /// EnKash order id.
    pub(crate) order_id: String,
    pub(crate) amount: Decimal,
    pub(crate) mode: PaymentMode,
    pub(crate) status: TransactionStatus,
    pub(crate) outcome: Outcome,
    pub(crate) polls: u32,
    pub(crate) submitted: Instant,
    pub(crate) created: OffsetDateTime,
    pub(crate) last_modified: OffsetDateTime,
    pub(crate) refunded: Decimal,
    pub(crate) bank_txn_id: Option<String>,
    pub(crate) settled: bool,
    pub(crate) details: TxnDetails,
}

impl Txn {
    pub(crate) fn is_pending(&self) -> bool {
        matches!(
            self.status,
            TransactionStatus::Created
                | TransactionStatus::Authorized
                | TransactionStatus::PendingWithBank
        )
    }

    /// Paid: successful, possibly refunded since.
    pub(crate) fn is_paid(&self) -> bool {
        matches!(
            self.status,
            TransactionStatus::Success
                | TransactionStatus::PartiallyRefunded
                | TransactionStatus::Refunded
        )
    }
}

impl Store {
    /// Submit Payment Detail: checks the order and the mode's fields, starts a pending payment.
    pub(crate) fn submit_payment(
        &mut self,
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

    /// Stores a pending transaction for an order (which becomes `ATTEMPTED`) and returns its id.
    /// With `payment_polls == 0` it completes at once.
    pub(crate) fn start_transaction(
        &mut self,
        order_id: &str,
        mode: PaymentMode,
        outcome: Outcome,
        details: TxnDetails,
    ) -> String {
        let id = self.next_id("EK");
        let amount = self
            .orders
            .get(order_id)
            .map(|o| o.request.amount.value)
            .unwrap_or_default();
        let created = now();
        self.txns.insert(
            id.clone(),
            Txn {
                id: id.clone(),
                order_id: order_id.to_owned(),
                amount,
                mode,
                status: TransactionStatus::PendingWithBank,
                outcome,
                polls: 0,
                submitted: Instant::now(),
                created,
                last_modified: created,
                refunded: Decimal::ZERO,
                bank_txn_id: None,
                settled: false,
                details,
            },
        );
        if let Some(order) = self.orders.get_mut(order_id) {
            order.txns.push(id.clone());
        }
        self.set_order_status_now(order_id, OrderStatus::Attempted);
        self.advance(&id, false);
        id
    }

    /// Counts a status poll of every pending payment of an order.
    pub(crate) fn poll_order(&mut self, order_id: &str) {
        let txns = self
            .orders
            .get(order_id)
            .map(|o| o.txns.clone())
            .unwrap_or_default();
        for txn_id in txns {
            self.advance(&txn_id, true);
        }
    }

    /// Moves a pending payment on: completes it when enough polls (or time) have passed,
    /// otherwise marks its order as awaiting confirmation once it has been polled.
    fn advance(&mut self, txn_id: &str, poll: bool) {
        let (polls_needed, delay) = (self.config.payment_polls, self.config.payment_delay);
        let Some(txn) = self.txns.get_mut(txn_id) else {
            return;
        };
        if !txn.is_pending() {
            return;
        }
        if poll {
            txn.polls = txn.polls.saturating_add(1);
        }
        let due = txn.polls >= polls_needed || delay.is_some_and(|d| txn.submitted.elapsed() >= d);
        let (order_id, polled) = (txn.order_id.clone(), txn.polls > 0);
        if due {
            self.complete(txn_id);
        } else if polled
            && self.orders.get(&order_id).is_some_and(|o| {
                matches!(
                    o.status,
                    OrderStatus::Attempted | OrderStatus::CheckoutRendered
                )
            })
        {
            self.set_order_status_now(&order_id, OrderStatus::PaymentConfirmationPending);
        }
    }

    /// Ends a pending payment with its outcome, and its order accordingly.
    fn complete(&mut self, txn_id: &str) {
        let bank_ref = self.next_id("UTR");
        let Some(txn) = self.txns.get_mut(txn_id) else {
            return;
        };
        let (txn_status, order_status) = match txn.outcome {
            Outcome::Success => (TransactionStatus::Success, OrderStatus::Paid),
            Outcome::Failure => (TransactionStatus::Failed, OrderStatus::Attempted),
            Outcome::Cancel => (TransactionStatus::Cancelled, OrderStatus::Cancelled),
        };
        txn.status = txn_status;
        txn.last_modified = now();
        if txn.outcome == Outcome::Success {
            txn.bank_txn_id = Some(bank_ref);
        }
        let order_id = txn.order_id.clone();
        if self
            .orders
            .get(&order_id)
            .is_some_and(|o| !o.status.is_final())
        {
            self.set_order_status_now(&order_id, order_status);
        }
    }

    /// Get Transaction Status (counts a status poll).
    pub(crate) fn get_transaction_status(
        &mut self,
        txn_id: &str,
    ) -> MockReply<OrderTransactionResponse> {
        self.advance(txn_id, true);
        let txn = self
            .txns
            .get(txn_id)
            .ok_or_else(|| not_found("transaction", txn_id))?;
        Ok(OrderTransactionResponse::new()
            .with_transaction_id(txn.id.clone())
            .with_created(txn.created.into())
            .with_last_modified(txn.last_modified.into()))
    }

    /// Get UPI Transaction Status (counts a status poll): `PROCESS` while pending.
    pub(crate) fn get_upi_transaction_status(
        &mut self,
        txn_id: &str,
    ) -> MockReply<UpiStatusResponse> {
        self.advance(txn_id, true);
        let txn = self
            .txns
            .get(txn_id)
            .ok_or_else(|| not_found("transaction", txn_id))?;
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

    /// The Payment Notify body for a transaction, as EnKash would POST it.
    pub(crate) fn payment_notification(&self, txn_id: &str) -> Option<PaymentNotification> {
        let txn = self.txns.get(txn_id)?;
        let order = self.orders.get(&txn.order_id)?;
        let mut notification = PaymentNotification::new(PaymentNotificationRequired {
            amount: txn.amount,
            currency: Currency::Inr,
            status: txn.status.clone(),
            transaction_id: txn.id.clone(),
            order_id: order.id.clone(),
        })
        .with_payment_mode(txn.mode.clone())
        .with_transaction_status(txn.status.clone())
        .with_order_status(order.status.clone())
        .with_final_amount(txn.amount)
        .with_transaction_amount(txn.amount)
        .with_txn_date(txn.last_modified.into())
        .with_txn_msg(if txn.is_paid() {
            "Transaction successful"
        } else {
            "Transaction not successful"
        })
        .with_unique_transaction_id(order.request.order_id.clone());
        if let Some(bank_ref) = &txn.bank_txn_id {
            notification = notification.with_bank_transaction_id(bank_ref.clone());
        }
        if let Some(code) = &txn.details.bank_code {
            notification = notification.with_bank_code(code.clone());
        }
        if let Some(card) = &txn.details.masked_card {
            notification = notification.with_masked_card_number(card.clone());
        }
        if let Some(holder) = &txn.details.card_holder {
            notification = notification.with_card_holder_name(holder.clone());
        }
        Some(notification)
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
