//! Refunds: against a paid transaction only, partial or full, never above what is left;
//! deduplicated on the merchant's `requestId`.

use super::{Store, check_amount, duplicate, exceeded, invalid_state, local_text, now, now_local};
use crate::generated::enums::{Currency, RefundStatus, TransactionStatus};
use crate::generated::mock::MockRefunds;
use crate::generated::models::{RefundRequest, RefundResponse};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// A refund that was made, kept to answer a repeated `requestId`.
pub(crate) struct Refund {
    txn_id: String,
    request: RefundRequest,
    reply: RefundResponse,
}

impl MockRefunds for Store {
    /// Refund: a repeated `requestId` with the same transaction and body answers the original
    /// refund; with anything different it is rejected.
    fn create_refund(
        &mut self,
        _ctx: &MockContext,
        txn_id: String,
        body: RefundRequest,
    ) -> MockReply<RefundResponse> {
        if body.request_id.trim().is_empty() {
            return Err(MockError::bad_request("`requestId` is required"));
        }
        if let Some(existing) = self.refunds.get(&body.request_id) {
            if existing.txn_id == txn_id && existing.request == body {
                let reply = existing.reply.clone();
                self.replays += 1;
                return Ok(reply);
            }
            return Err(duplicate(format!(
                "requestId {} was already used for a different refund",
                body.request_id
            )));
        }
        check_amount("`amount`", body.amount)?;
        let refund_id = self.next_id("EKRF");
        let txn = self.txn_mut(&txn_id)?;
        match txn.status {
            TransactionStatus::Success | TransactionStatus::PartiallyRefunded => {}
            TransactionStatus::Refunded => {
                return Err(invalid_state(format!(
                    "transaction {txn_id} is already fully refunded"
                )));
            }
            ref other => {
                return Err(invalid_state(format!(
                    "refunds can only be made against successful transactions; {txn_id} is {}",
                    other.as_str()
                )));
            }
        }
        let left = txn.amount - txn.refunded;
        if body.amount > left {
            return Err(exceeded(format!(
                "refund amount {} is more than the {left} left to refund on {txn_id}",
                body.amount
            )));
        }
        txn.refunded += body.amount;
        txn.status = if txn.refunded == txn.amount {
            TransactionStatus::Refunded
        } else {
            TransactionStatus::PartiallyRefunded
        };
        txn.last_modified = now();
        let mut reply =
            RefundResponse::new(body.amount, Currency::Inr, RefundStatus::Created, refund_id)
                .with_payment_mode(txn.mode.clone())
                .with_txn_msg("Refund initiated")
                .with_txn_date(local_text(now_local()))
                .with_unique_transaction_id(body.request_id.clone());
        if let Some(code) = &txn.details.bank_code {
            reply = reply.with_bank_code(code.clone());
        }
        self.refunds.insert(
            body.request_id.clone(),
            Refund {
                txn_id: txn_id.to_owned(),
                request: body,
                reply: reply.clone(),
            },
        );
        Ok(reply)
    }
}
