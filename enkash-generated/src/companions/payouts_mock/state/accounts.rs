//! The payout account: its balance, its statement (one entry per credit and per successful
//! transfer), and the source bank accounts whitelisted to fund it.

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::Store;
use super::rules::{INVALID_PARAMETER, is_account_number, is_company_id, is_ifsc, paise, refusal};
use crate::generated::payouts::mock::MockAccounts;
use crate::generated::payouts::{
    BalanceResponse, PayoutDateTime, SourceBankAccountRequest, StatementEntry, StatementRequest,
};
use crate::runtime::mock::{MockContext, MockError, MockReply};

impl MockAccounts for Store {
    /// Add Source Bank Account: checks the account number, IFSC and company id patterns (422,
    /// 412 "Invalid Company ID"), keeps the account as the active one and echoes it.
    fn add_source_bank_account(
        &mut self,
        _ctx: &MockContext,
        body: SourceBankAccountRequest,
    ) -> MockReply<serde_json::Value> {
        if !is_account_number(&body.account_number) || !is_ifsc(&body.ifsc) {
            return Err(refusal(422, INVALID_PARAMETER));
        }
        if body
            .company_id
            .as_deref()
            .is_some_and(|id| !is_company_id(id))
        {
            return Err(refusal(412, "Invalid Company ID."));
        }
        let mut answer = serde_json::json!({
            "accountNumber": body.account_number,
            "ifsc": body.ifsc,
            "active": true,
        });
        if let (Some(id), Some(object)) = (&body.company_id, answer.as_object_mut()) {
            object.insert("companyId".to_owned(), id.clone().into());
        }
        self.source_accounts.push(body);
        Ok(answer)
    }

    /// Get Balance: the balance now, for the configured fund source only (422 otherwise).
    fn get_balance(&mut self, ctx: &MockContext) -> MockReply<BalanceResponse> {
        self.advance();
        self.check_fund_source(ctx.query_param("fundSourceId"))?;
        Ok(BalanceResponse::new(self.balance))
    }

    /// Fetch Bank Statement: the entries written between `fromDate` and `toDate` (inclusive),
    /// for the configured fund source only (422 otherwise, or for dates in the wrong order).
    fn get_statement(
        &mut self,
        _ctx: &MockContext,
        body: StatementRequest,
    ) -> MockReply<Vec<StatementEntry>> {
        self.advance();
        self.check_fund_source(Some(&body.fund_source_id))?;
        if body.from_date > body.to_date {
            return Err(refusal(422, INVALID_PARAMETER));
        }
        Ok(self
            .statement
            .iter()
            .filter(|(at, _)| (body.from_date..=body.to_date).contains(at))
            .map(|(_, entry)| entry.clone())
            .collect())
    }
}

impl Store {
    /// 422 unless `fund_source_id` is the configured one.
    fn check_fund_source(&self, fund_source_id: Option<&str>) -> Result<(), MockError> {
        if fund_source_id == Some(self.config.fund_source_id.as_str()) {
            Ok(())
        } else {
            Err(refusal(422, INVALID_PARAMETER))
        }
    }

    /// Adds `amount` to the balance with a `CREDIT` entry (for transfer `transaction_id`, if
    /// any).
    pub(super) fn credit(&mut self, amount: Decimal, transaction_id: Option<&str>, remark: &str) {
        self.balance = self.balance.checked_add(amount).unwrap_or(self.balance);
        let reference = self.next_id("CR");
        self.entry("CREDIT", amount, transaction_id, &reference, remark, None);
    }

    /// Takes `amount` off the balance with a `DEBIT` entry for transfer `transaction_id`.
    pub(super) fn debit(
        &mut self,
        amount: Decimal,
        transaction_id: &str,
        utr: &str,
        remark: &str,
        mode: &str,
    ) {
        self.balance = self.balance.checked_sub(amount).unwrap_or(self.balance);
        self.entry(
            "DEBIT",
            amount,
            Some(transaction_id),
            utr,
            remark,
            Some(mode),
        );
    }

    /// Writes one statement entry, dated now, with the balance after it.
    fn entry(
        &mut self,
        kind: &str,
        amount: Decimal,
        transaction_id: Option<&str>,
        reference: &str,
        remark: &str,
        mode: Option<&str>,
    ) {
        let now = OffsetDateTime::now_utc();
        let at = PayoutDateTime::from(now);
        let mut entry = StatementEntry::new(
            kind,
            reference,
            paise(amount).unwrap_or(i64::MAX),
            self.balance,
        )
        .with_transaction_date(at)
        .with_value_date(at)
        .with_remarks(remark);
        if let Some(id) = transaction_id {
            entry = entry.with_transaction_id(id);
        }
        if let Some(mode) = mode {
            entry = entry.with_transaction_mode(mode);
        }
        self.statement.push((now, entry));
    }
}
