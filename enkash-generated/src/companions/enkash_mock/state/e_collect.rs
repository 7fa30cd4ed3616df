//! E-Collect virtual accounts: create, then look up by the merchant's customer reference id.
//!
//! The mock gives every account an EnKash-style id and account number in its own test bank, keeps
//! it `ACTIVE` with nothing paid, and refuses a second account for the same customer reference id.

use rust_decimal::Decimal;

use super::{Store, check_amount, duplicate, not_found};
use crate::generated::mock::MockECollect;
use crate::generated::models::{CreateVirtualAccountRequest, VirtualAccount};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// The mock's virtual accounts, by customer reference id.
pub(crate) type VirtualAccounts = std::collections::BTreeMap<String, VirtualAccount>;

impl MockECollect for Store {
    /// Create Virtual Account: needs a `customerReferenceId` (the mock's key for the lookup) and,
    /// when given, a positive `expectedAmount` with at most 2 decimals.
    fn create_virtual_account(
        &mut self,
        _ctx: &MockContext,
        body: CreateVirtualAccountRequest,
    ) -> MockReply<VirtualAccount> {
        let reference = body
            .customer_reference_id
            .clone()
            .filter(|reference| !reference.is_empty())
            .ok_or_else(|| MockError::bad_request("`customerReferenceId` is required"))?;
        if let Some(amount) = body.expected_amount {
            check_amount("`expectedAmount`", amount)?;
        }
        if self.virtual_accounts.contains_key(&reference) {
            return Err(duplicate(format!(
                "a virtual account for customer reference id {reference} exists"
            )));
        }
        let id = self.next_id("va_");
        let number = format!("VA{}", &id[id.len().saturating_sub(8)..]);
        let mut account = VirtualAccount::new()
            .with_virtual_account_id(id)
            .with_customer_reference_id(reference.clone())
            .with_virtual_account_number(number)
            .with_virtual_account_ifsc_code("ENKM0VAMOCK")
            .with_bank_name("EnKash Mock Bank")
            .with_status("ACTIVE")
            .with_amount_paid(Decimal::ZERO);
        account.merchant_detail_id = body.merchant_detail_id;
        account.customer_id = body.customer_id;
        account.customer_name = body.customer_name;
        account.customer_email = body.customer_email;
        account.customer_phone = body.customer_phone;
        account.description = body.description;
        account.expected_amount = body.expected_amount;
        account.closed_on = body.close_by.map(Into::into);
        account.notes = body.notes.map(|notes| {
            notes
                .into_iter()
                .map(|(key, value)| (key, serde_json::Value::String(value)))
                .collect()
        });
        self.virtual_accounts.insert(reference, account.clone());
        Ok(account)
    }

    /// View Virtual Account by Customer Reference Id: not found unless created.
    fn get_virtual_account_by_customer_reference_id(
        &mut self,
        _ctx: &MockContext,
        reference: String,
    ) -> MockReply<VirtualAccount> {
        self.virtual_accounts
            .get(&reference)
            .cloned()
            .ok_or_else(|| not_found("virtual account with customer reference id", &reference))
    }
}
