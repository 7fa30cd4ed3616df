//! Transfers: single and batch, deduplicated on `transactionId` (and `batchTransactionId`),
//! validated into `REJECTED` with a reason code, then moved through their statuses by the
//! clock: `PENDING` (batch items) → `PROCESSING` → `SUCCESS` or `FAILED`, and `REVERSED` on
//! demand.

use std::time::Instant;

use rust_decimal::Decimal;

use super::Store;
use super::rules::{
    BATCH_EXISTS, INVALID_PARAMETER, NO_BENEFICIARY, TRANSACTION_EXISTS, conflict,
    is_alphanumeric_id, is_ifsc, is_name, is_remark, is_transaction_id, is_transfer_amount, is_vpa,
    refusal,
};
use crate::generated::payouts::mock::MockTransfers;
use crate::generated::payouts::{
    BatchPayoutCreateRequest, BatchPayoutCreateResponse, BeneficiaryDetailCreateRequest,
    PayoutStatus, PayoutTransactionCreateRequest, PayoutTransactionCreateResponse,
    RejectReasonCode, TransferMode,
};
use crate::runtime::mock::{MockContext, MockReply};

/// A transfer as the mock holds it: what was sent, where it stands, and why.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PayoutsMockTransfer {
    /// The merchant's `transactionId`.
    pub transaction_id: String,
    /// The mock's `enkashTransactionId` of the latest attempt.
    pub enkash_transaction_id: String,
    /// The batch the transfer came in, if any.
    pub batch_transaction_id: Option<String>,
    /// The request of the latest attempt, as the mock decrypted it.
    pub request: PayoutTransactionCreateRequest,
    /// Status as of the read.
    pub status: PayoutStatus,
    /// Why a `REJECTED` transfer was rejected (kept here because the response model has no
    /// member for it).
    pub reject_reason: Option<RejectReasonCode>,
    /// Why a `FAILED` transfer failed (the mock's own words).
    pub failure_reason: Option<String>,
    /// The bank reference (UTR) of a transfer that reached `SUCCESS`; also the statement
    /// entry's `transactionReferenceNumber`.
    pub utr: Option<String>,
    /// How many times the id was taken: 1, plus one per resend after `REJECTED`.
    pub attempts: u32,
}

/// A batch as the mock took it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayoutsMockBatch {
    /// The merchant's `batchTransactionId`.
    pub batch_transaction_id: String,
    /// Items taken and in flight (listed in the answer's successful items), in order.
    pub accepted: Vec<String>,
    /// Items taken but `REJECTED` by validation (kept in the state, not listed in the answer).
    pub rejected: Vec<String>,
    /// Items left out, with the refusal's message: a reused `transactionId` ("Transaction ID
    /// already exists.") or no beneficiary at all.
    pub refused: Vec<(String, String)>,
}

/// A transfer in the store.
pub(crate) struct Transfer {
    pub(super) view: PayoutsMockTransfer,
    /// Order of creation (of the latest attempt).
    pub(super) seq: u64,
    /// When the latest attempt was taken.
    sent: Instant,
}

impl Transfer {
    fn in_flight(&self) -> bool {
        matches!(
            self.view.status,
            PayoutStatus::Pending | PayoutStatus::Processing
        )
    }
}

impl MockTransfers for Store {
    /// Create Batch Payout: refuses a reused `batchTransactionId` (409) or an empty batch (422),
    /// then takes each item as Create Payout would (starting `PENDING`); refused items are left
    /// out, `REJECTED` ones kept but not listed.
    fn create_batch_transfer(
        &mut self,
        _ctx: &MockContext,
        body: BatchPayoutCreateRequest,
    ) -> MockReply<BatchPayoutCreateResponse> {
        self.advance();
        if self.batches.contains_key(&body.batch_transaction_id) {
            return Err(conflict(BATCH_EXISTS));
        }
        if body.batch_transaction_id.trim().is_empty() || body.transfers.is_empty() {
            return Err(refusal(422, INVALID_PARAMETER));
        }
        let mut batch = PayoutsMockBatch {
            batch_transaction_id: body.batch_transaction_id.clone(),
            accepted: Vec::new(),
            rejected: Vec::new(),
            refused: Vec::new(),
        };
        let mut items = Vec::new();
        for item in body.transfers {
            let id = item.transaction_id.clone();
            match self.take_transfer(item, Some(&body.batch_transaction_id)) {
                Ok(answer) if answer.payout_status == Some(PayoutStatus::Rejected) => {
                    batch.rejected.push(id);
                }
                Ok(answer) => {
                    batch.accepted.push(id);
                    items.push(answer);
                }
                Err(error) => batch.refused.push((id, error.message)),
            }
        }
        self.batches
            .insert(body.batch_transaction_id.clone(), batch);
        Ok(BatchPayoutCreateResponse::new()
            .with_batch_transaction_id(body.batch_transaction_id)
            .with_successful_payout_transaction_create_responses(items))
    }

    /// Create Payout: refuses a reused `transactionId` (409, unless its transfer ended
    /// `REJECTED`) or a transfer with no beneficiary (422); answers `PROCESSING`, or
    /// `REJECTED` when validation fails.
    fn create_transfer(
        &mut self,
        _ctx: &MockContext,
        body: PayoutTransactionCreateRequest,
    ) -> MockReply<PayoutTransactionCreateResponse> {
        self.advance();
        self.take_transfer(body, None)
    }
}

/// The payee of a transfer: whether it can take a bank transfer, and a UPI one.
struct Payee {
    account: bool,
    vpa: bool,
}

impl Store {
    /// Takes one transfer (single, or an item of batch `batch`).
    fn take_transfer(
        &mut self,
        body: PayoutTransactionCreateRequest,
        batch: Option<&str>,
    ) -> MockReply<PayoutTransactionCreateResponse> {
        let previous = self.transfers.get(&body.transaction_id);
        if previous.is_some_and(|t| t.view.status != PayoutStatus::Rejected) {
            return Err(conflict(TRANSACTION_EXISTS));
        }
        let attempts = previous.map_or(0, |t| t.view.attempts).saturating_add(1);
        if body.beneficiary_id.is_none() && body.beneficiary_detail.is_none() {
            return Err(refusal(422, NO_BENEFICIARY));
        }
        let reject_reason = self.reject_reason(&body);
        let status = match (&reject_reason, batch) {
            (Some(_), _) => PayoutStatus::Rejected,
            (None, Some(_)) => PayoutStatus::Pending,
            (None, None) => PayoutStatus::Processing,
        };
        let enkash_id = self.next_id("EKPO");
        let answer = PayoutTransactionCreateResponse::new()
            .with_transaction_id(body.transaction_id.clone())
            .with_enkash_transaction_id(enkash_id.clone())
            .with_payout_status(status.clone());
        let transfer = Transfer {
            view: PayoutsMockTransfer {
                transaction_id: body.transaction_id.clone(),
                enkash_transaction_id: enkash_id,
                batch_transaction_id: batch.map(str::to_owned),
                request: body,
                status,
                reject_reason,
                failure_reason: None,
                utr: None,
                attempts,
            },
            seq: self.seq,
            sent: Instant::now(),
        };
        self.transfers
            .insert(transfer.view.transaction_id.clone(), transfer);
        Ok(answer)
    }

    /// Why `body` is `REJECTED`, if it is (the first failing rule).
    fn reject_reason(&self, body: &PayoutTransactionCreateRequest) -> Option<RejectReasonCode> {
        if !is_transaction_id(&body.transaction_id) {
            return Some(RejectReasonCode::RejectTxnId);
        }
        let payee = match (&body.beneficiary_detail, &body.beneficiary_id) {
            (Some(detail), _) => match detail_payee(detail) {
                Ok(payee) => payee,
                Err(reason) => return Some(reason),
            },
            (None, Some(id)) => match self.beneficiaries.get(id) {
                Some(known) => Payee {
                    account: known.beneficiary_account_number.is_some(),
                    vpa: known.vpa_handle.is_some(),
                },
                None => return Some(RejectReasonCode::RejectBenefId),
            },
            (None, None) => return Some(RejectReasonCode::RejectBenefId),
        };
        if !is_transfer_amount(body.transfer_amount) {
            return Some(RejectReasonCode::RejectTrfAmt);
        }
        let mode_fits = match body.transfer_mode {
            TransferMode::Upi => payee.vpa,
            TransferMode::Imps | TransferMode::Neft | TransferMode::Rtgs => payee.account,
            _ => false,
        };
        if !mode_fits {
            return Some(RejectReasonCode::RejectTrfMode);
        }
        if body
            .transfer_remark
            .as_deref()
            .is_some_and(|r| !is_remark(r))
        {
            return Some(RejectReasonCode::RejectTrfRmk);
        }
        if body
            .fund_source_id
            .as_deref()
            .is_some_and(|id| id != self.config.fund_source_id)
        {
            return Some(RejectReasonCode::RejectFndSrcId);
        }
        None
    }

    /// Moves every transfer on as the clock says: a batch item `PENDING` becomes `PROCESSING`
    /// after half of the transfer delay, and every transfer in flight is settled after all of
    /// it (oldest first).
    pub(super) fn advance(&mut self) {
        let delay = self.config.transfer_delay;
        let now = Instant::now();
        let mut due = Vec::new();
        for transfer in self.transfers.values_mut() {
            if !transfer.in_flight() {
                continue;
            }
            let elapsed = now.saturating_duration_since(transfer.sent);
            if elapsed >= delay {
                due.push((transfer.seq, transfer.view.transaction_id.clone()));
            } else if elapsed >= delay / 2 && transfer.view.status == PayoutStatus::Pending {
                transfer.view.status = PayoutStatus::Processing;
            }
        }
        due.sort();
        for (_, id) in due {
            self.settle(&id);
        }
    }

    /// Settles every transfer in flight, oldest first.
    pub(super) fn settle_all(&mut self) {
        let mut due: Vec<_> = self
            .transfers
            .values()
            .filter(|t| t.in_flight())
            .map(|t| (t.seq, t.view.transaction_id.clone()))
            .collect();
        due.sort();
        for (_, id) in due {
            self.settle(&id);
        }
    }

    /// The final status of one transfer in flight: `FAILED` for the failing amount or a
    /// balance that does not cover it, else `SUCCESS` with the debit and its statement entry.
    fn settle(&mut self, transaction_id: &str) {
        let fail_paise = self.config.fail_paise;
        let balance = self.balance;
        let utr = self.next_id("UTR");
        let Some(transfer) = self.transfers.get_mut(transaction_id) else {
            return;
        };
        let amount = transfer.view.request.transfer_amount;
        let failure = if fail_paise.is_some_and(|p| paise_part(amount) == Some(Decimal::from(p))) {
            Some(format!(
                "the amount {amount} ends in the mock's failing paise"
            ))
        } else if amount > balance {
            Some(format!("insufficient balance: {balance} for {amount}"))
        } else {
            None
        };
        if let Some(reason) = failure {
            transfer.view.status = PayoutStatus::Failed;
            transfer.view.failure_reason = Some(reason);
            return;
        }
        transfer.view.status = PayoutStatus::Success;
        transfer.view.utr = Some(utr.clone());
        let remark = transfer
            .view
            .request
            .transfer_remark
            .clone()
            .unwrap_or_else(|| format!("Payout {transaction_id}"));
        let mode = transfer.view.request.transfer_mode.as_str().to_owned();
        let id = transaction_id.to_owned();
        self.debit(amount, &id, &utr, &remark, &mode);
    }

    /// Marks a `SUCCESS` transfer `REVERSED` and credits its amount back.
    pub(super) fn reverse(&mut self, transaction_id: &str) -> bool {
        let Some(transfer) = self.transfers.get_mut(transaction_id) else {
            return false;
        };
        if transfer.view.status != PayoutStatus::Success {
            return false;
        }
        transfer.view.status = PayoutStatus::Reversed;
        let amount = transfer.view.request.transfer_amount;
        self.credit(
            amount,
            Some(transaction_id),
            &format!("Reversal of {transaction_id}"),
        );
        true
    }
}

/// The payee of an inline `beneficiaryDetail`, or the reject code of its first invalid member.
fn detail_payee(detail: &BeneficiaryDetailCreateRequest) -> Result<Payee, RejectReasonCode> {
    if !is_alphanumeric_id(&detail.beneficiary_id) {
        return Err(RejectReasonCode::RejectBenefDetId);
    }
    if !is_name(&detail.beneficiary_name) {
        return Err(RejectReasonCode::RejectBenefName);
    }
    let account = detail.beneficiary_account_number.as_deref();
    match (
        account,
        detail.beneficiary_ifsc.as_deref(),
        detail.vpa_handle.as_deref(),
    ) {
        (Some(_), _, Some(_)) => Err(RejectReasonCode::RejectBenefAcc),
        (Some(account), _, None) if account.trim().is_empty() => {
            Err(RejectReasonCode::RejectBenefAcc)
        }
        (Some(_), Some(ifsc), None) if is_ifsc(ifsc) => Ok(Payee {
            account: true,
            vpa: false,
        }),
        (Some(_), _, None) => Err(RejectReasonCode::RejectBenefIfsc),
        (None, _, Some(vpa)) if is_vpa(vpa) => Ok(Payee {
            account: false,
            vpa: true,
        }),
        (None, _, _) => Err(RejectReasonCode::RejectBenefAcc),
    }
}

/// The paise of `amount` (13 for 250.13); `None` for an amount too large to scale.
fn paise_part(amount: Decimal) -> Option<Decimal> {
    amount
        .checked_mul(Decimal::ONE_HUNDRED)?
        .trunc()
        .checked_rem(Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paise_of_amounts() {
        assert_eq!(paise_part(Decimal::new(25013, 2)), Some(Decimal::from(13)));
        assert_eq!(
            paise_part(Decimal::new(2501300, 4)),
            Some(Decimal::from(13))
        );
        assert_eq!(paise_part(Decimal::new(250, 0)), Some(Decimal::ZERO));
        assert_eq!(paise_part(Decimal::MAX), None);
    }
}
