//! Transactions (payment attempts of an order): what one keeps of its payment request, the
//! pending → final lifecycle driven by status polls or time, and the Payment Notify body EnKash
//! would POST for it. The operations that start and read them are in `payments`.

use std::time::Instant;

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::{Store, not_found, now};
use crate::generated::enums::{Currency, OrderStatus, PaymentMode, TransactionStatus};
use crate::generated::models::{PaymentNotification, PaymentNotificationRequired, SplitSettlement};
use crate::mock::MockReply;

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
    /// The transaction `id`, or the mock's not-found answer.
    pub(crate) fn txn(&self, id: &str) -> MockReply<&Txn> {
        self.txns
            .get(id)
            .ok_or_else(|| not_found("transaction", id))
    }

    /// The transaction `id` to change, or the mock's not-found answer.
    pub(crate) fn txn_mut(&mut self, id: &str) -> MockReply<&mut Txn> {
        self.txns
            .get_mut(id)
            .ok_or_else(|| not_found("transaction", id))
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
    pub(crate) fn advance(&mut self, txn_id: &str, poll: bool) {
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
    pub(crate) fn complete(&mut self, txn_id: &str) {
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
