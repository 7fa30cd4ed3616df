//! Split settlements: split accounts (create, activate) and the split of a paid transaction (at
//! submit, or edited/deferred later).
//!
//! EnKash publishes neither the create body nor any response here; the mock takes the names of
//! the Update Split Settlement Account page's body for the account and answers it as JSON.

use rust_decimal::Decimal;

use super::{Store, duplicate, exceeded, invalid_state, not_found, string_field};
use crate::generated::enums::SplitAmountType;
use crate::generated::mock::MockSplitSettlements;
use crate::generated::models::{EditSplitTransactionRequest, SplitSettlement};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// A split-settlement (recipient) account.
pub(crate) struct SplitAccount {
    id: String,
    active: bool,
    /// The account's fields as last given (camelCase JSON), without any access key.
    fields: serde_json::Map<String, serde_json::Value>,
}

impl SplitAccount {
    /// The account as the mock answers it.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut map = self.fields.clone();
        map.insert("splitAccountDetailId".into(), self.id.clone().into());
        map.insert(
            "status".into(),
            if self.active { "ACTIVE" } else { "INACTIVE" }.into(),
        );
        serde_json::Value::Object(map)
    }
}

impl MockSplitSettlements for Store {
    /// Create Split Settlement Account: needs `name`, `accountNumber` and `ifsc`; starts
    /// `INACTIVE`. An account number can be registered once.
    fn create_split_account(
        &mut self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        let Some(fields) = body.as_object() else {
            return Err(MockError::bad_request("the body must be a JSON object"));
        };
        for required in ["name", "accountNumber", "ifsc"] {
            if string_field(&body, required)?.is_none_or(str::is_empty) {
                return Err(MockError::bad_request(format!("`{required}` is required")));
            }
        }
        let account_number = string_field(&body, "accountNumber")?.unwrap_or_default();
        if self.split_account_by_number(account_number).is_some() {
            return Err(duplicate(format!(
                "account {account_number} is already registered"
            )));
        }
        let mut fields = fields.clone();
        fields.remove("accessKey");
        let id = self.next_id("SAD");
        let account = SplitAccount {
            id: id.clone(),
            active: false,
            fields,
        };
        let reply = account.to_json();
        self.split_accounts.insert(id, account);
        Ok(reply)
    }

    /// Activate Split Settlement Account (idempotent).
    fn activate_split_account(&mut self, ctx: &MockContext) -> MockReply<serde_json::Value> {
        let id = ctx
            .query_param("splitAccountDetailId")
            .ok_or_else(|| MockError::bad_request("`splitAccountDetailId` is required"))?;
        let account = self
            .split_accounts
            .get_mut(id)
            .ok_or_else(|| not_found("split account", id))?;
        account.active = true;
        Ok(account.to_json())
    }

    /// Edit Or Deferred Split Settlement: replaces the split of a paid, unsettled transaction.
    fn edit_split_settlement(
        &mut self,
        _ctx: &MockContext,
        txn_id: String,
        body: EditSplitTransactionRequest,
    ) -> MockReply<serde_json::Value> {
        let txn = self.txn(&txn_id)?;
        if !txn.is_paid() {
            return Err(invalid_state(format!(
                "transaction {txn_id} is {}: only a paid transaction can be split",
                txn.status.as_str()
            )));
        }
        if txn.settled {
            return Err(invalid_state(format!(
                "transaction {txn_id} is already settled"
            )));
        }
        let amount = txn.amount;
        self.check_split(&body.split_settlement, amount)?;
        let split = serde_json::to_value(&body.split_settlement)
            .map_err(|err| MockError::bad_request(err.to_string()))?;
        if let Some(txn) = self.txns.get_mut(&txn_id) {
            txn.details.split = Some(body.split_settlement);
        }
        Ok(serde_json::json!({
            "transactionId": txn_id,
            "splitSettlement": split,
            "status": "SPLIT_UPDATED",
        }))
    }
}

impl Store {
    /// A split must name active accounts and add up to at most the amount (or 100 %).
    pub(crate) fn check_split(
        &self,
        split: &SplitSettlement,
        amount: Decimal,
    ) -> Result<(), MockError> {
        if split.split_settlement_details.is_empty() {
            return Err(MockError::bad_request("`splitSettlementDetails` is empty"));
        }
        let mut total = Decimal::ZERO;
        for detail in &split.split_settlement_details {
            let id = detail
                .split_account_id
                .as_deref()
                .ok_or_else(|| MockError::bad_request("every split needs a `splitAccountId`"))?;
            let account = self
                .split_accounts
                .get(id)
                .ok_or_else(|| not_found("split account", id))?;
            if !account.active {
                return Err(invalid_state(format!("split account {id} is not active")));
            }
            let value = detail.value.unwrap_or_default();
            if value <= Decimal::ZERO {
                return Err(MockError::bad_request(
                    "every split `value` must be more than 0",
                ));
            }
            total += value;
        }
        let limit = match &split.amount_split_type {
            SplitAmountType::Flat => amount,
            SplitAmountType::Percentage => Decimal::ONE_HUNDRED,
            SplitAmountType::Unknown(value) => {
                return Err(MockError::bad_request(format!(
                    "unknown amountSplitType {}",
                    value.as_str()
                )));
            }
        };
        if total > limit {
            return Err(exceeded(format!(
                "the splits add up to {total}, more than {limit}"
            )));
        }
        Ok(())
    }

    fn split_account_by_number(&self, number: &str) -> Option<String> {
        self.split_accounts
            .values()
            .find(|a| a.fields.get("accountNumber").and_then(|v| v.as_str()) == Some(number))
            .map(|a| a.id.clone())
    }
}
