//! [`MockState`] behind the generated router: the hooks (auth, faults, hit counting) and one
//! method per operation of the spec, each delegating to the area file of `state`.
//!
//! When the spec gains an operation, the generated `MockOperations` trait gains a method and
//! this file stops compiling until the operation is served; [`OPERATIONS`] must list it too (the
//! end-to-end coverage test compares that list with the spec).

use crate::generated::mock::MockOperations;
use crate::generated::models::{
    CancelQrCodeRequest, CreateCustomerRequest, CreateMandateRequest, CreateOrderRequest,
    CreateVirtualAccountRequest, DynamicUpiQrResponse, EditSplitTransactionRequest,
    ExecuteMandateDebitRequest, OrderCreateResponse, OrderGetResponse, OrderTransactionResponse,
    OtpResponse, PreDebitNotificationRequest, PreDebitNotificationResponse, QrCodeResponse,
    RefundRequest, RefundResponse, RevokeMandateRequest, SettlementPayoutDetail,
    SettlementPayoutSearchRequest, SettlementPayoutSearchResponse, SubmitPaymentRequest,
    TokenRequest, TokenResponse, UpiIntentLinksResponse, UpiStatusResponse, ValidateOtpRequest,
    VerifyVpaRequest, VerifyVpaResponse, VirtualAccount,
};
use crate::generated::operations::{
    authorization, e_collect, orders, payments, refunds, settlements, split_settlements,
    upi_mandates, upi_qr,
};
use crate::runtime::{Credential, OperationInfo};

use super::state::MockState;
use super::{Fault, MockContext, MockError, MockHooks, MockReply, codes};

/// Every operation the mock serves.
pub(crate) static OPERATIONS: [&OperationInfo; 31] = [
    &authorization::GET_AUTHORIZATION_TOKEN,
    &orders::CREATE_ORDER,
    &orders::GET_ORDER_STATUS,
    &orders::GET_DYNAMIC_UPI_QR,
    &orders::GET_UPI_INTENT_LINKS,
    &payments::SUBMIT_PAYMENT,
    &payments::GET_TRANSACTION_STATUS,
    &payments::GET_UPI_TRANSACTION_STATUS,
    &payments::VALIDATE_OTP,
    &payments::RESEND_OTP,
    &payments::VERIFY_VPA,
    &refunds::CREATE_REFUND,
    &settlements::GET_SETTLEMENT_PAYOUT,
    &settlements::SEARCH_SETTLEMENT_PAYOUTS,
    &split_settlements::CREATE_SPLIT_ACCOUNT,
    &split_settlements::ACTIVATE_SPLIT_ACCOUNT,
    &split_settlements::EDIT_SPLIT_SETTLEMENT,
    &upi_qr::CREATE_QR_CODE,
    &upi_qr::GET_QR_CODE,
    &upi_qr::SEARCH_QR_CODES,
    &upi_qr::CANCEL_QR_CODE,
    &upi_qr::CREATE_QR_CUSTOMER,
    &upi_qr::SEARCH_QR_CUSTOMERS,
    &upi_mandates::CREATE_UPI_MANDATE,
    &upi_mandates::GET_UPI_MANDATE,
    &upi_mandates::UPDATE_UPI_MANDATE,
    &upi_mandates::REVOKE_UPI_MANDATE,
    &upi_mandates::NOTIFY_UPI_MANDATE_PRE_DEBIT,
    &upi_mandates::EXECUTE_UPI_MANDATE_DEBIT,
    &e_collect::CREATE_VIRTUAL_ACCOUNT,
    &e_collect::GET_VIRTUAL_ACCOUNT_BY_CUSTOMER_REFERENCE_ID,
];

impl MockHooks for MockState {
    /// Checks every auth header the operation asks for: the bearer token first (a missing,
    /// unknown or expired one is the invalid-token answer), then `merchantAccessKey`.
    fn authorize(&self, op: &'static OperationInfo, ctx: &MockContext) -> Result<(), MockError> {
        for header in op.auth {
            let value = ctx
                .header(header.name)
                .and_then(|v| v.strip_prefix(header.prefix));
            match header.credential {
                Credential::Token => {
                    let valid = value.is_some_and(|token| self.with(|s| s.token_is_valid(token)));
                    if !valid {
                        return Err(self.with(|s| s.invalid_token()));
                    }
                }
                Credential::AccessKey => {
                    if value != Some(self.config().access_key.as_str()) {
                        return Err(MockError {
                            status: 403,
                            code: codes::INVALID_ACCESS_KEY,
                            message: format!("missing or wrong `{}` header", header.name),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The access key a body must carry (Verify VPA's `merchantIdentifierKey`), else the mock's
    /// invalid-access-key answer.
    fn authorize_body(&self, op: &'static OperationInfo, body: &[u8]) -> Result<(), MockError> {
        for (name, credential, value) in super::body_credentials(op, body) {
            let expected = match credential {
                Credential::AccessKey => Some(self.config().access_key.clone()),
                Credential::Token => None,
            };
            if value.is_none() || value != expected {
                return Err(MockError::api(
                    codes::INVALID_ACCESS_KEY,
                    format!("Invalid merchant access key in `{name}`"),
                ));
            }
        }
        Ok(())
    }

    /// Called once per request, before anything else: counts the hit, then takes the next
    /// injected fault.
    fn fault(&self, op: &'static OperationInfo) -> Option<Fault> {
        self.hits.record(op.id);
        self.faults.take(op.id)
    }
}

impl MockOperations for MockState {
    fn activate_split_account(&self, ctx: &MockContext) -> MockReply<serde_json::Value> {
        self.with(|s| s.activate_split_account(ctx))
    }

    fn cancel_qr_code(
        &self,
        _ctx: &MockContext,
        qr_code_id: String,
        body: CancelQrCodeRequest,
    ) -> MockReply<QrCodeResponse> {
        self.with(|s| s.cancel_qr_code(&qr_code_id, body))
    }

    fn create_order(
        &self,
        _ctx: &MockContext,
        body: CreateOrderRequest,
    ) -> MockReply<OrderCreateResponse> {
        self.with(|s| s.create_order(body))
    }

    fn create_qr_code(
        &self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.create_qr_code(&body))
    }

    fn create_qr_customer(
        &self,
        _ctx: &MockContext,
        body: CreateCustomerRequest,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.create_qr_customer(&body))
    }

    fn create_refund(
        &self,
        _ctx: &MockContext,
        transaction_id: String,
        body: RefundRequest,
    ) -> MockReply<RefundResponse> {
        self.with(|s| s.create_refund(&transaction_id, body))
    }

    fn create_virtual_account(
        &self,
        _ctx: &MockContext,
        body: CreateVirtualAccountRequest,
    ) -> MockReply<VirtualAccount> {
        self.with(|s| s.create_virtual_account(body))
    }

    fn get_virtual_account_by_customer_reference_id(
        &self,
        _ctx: &MockContext,
        customer_reference_id: String,
    ) -> MockReply<VirtualAccount> {
        self.with(|s| s.get_virtual_account_by_customer_reference_id(&customer_reference_id))
    }

    fn create_split_account(
        &self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.create_split_account(&body))
    }

    fn create_upi_mandate(
        &self,
        _ctx: &MockContext,
        body: CreateMandateRequest,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.create_upi_mandate(body))
    }

    fn edit_split_settlement(
        &self,
        _ctx: &MockContext,
        transaction_id: String,
        body: EditSplitTransactionRequest,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.edit_split_settlement(&transaction_id, body))
    }

    fn execute_upi_mandate_debit(
        &self,
        _ctx: &MockContext,
        body: ExecuteMandateDebitRequest,
    ) -> MockReply<OrderGetResponse> {
        self.with(|s| s.execute_upi_mandate_debit(&body))
    }

    fn get_authorization_token(
        &self,
        _ctx: &MockContext,
        body: TokenRequest,
    ) -> MockReply<TokenResponse> {
        self.with(|s| s.issue_token(&body))
    }

    fn get_dynamic_upi_qr(
        &self,
        _ctx: &MockContext,
        order_id: String,
    ) -> MockReply<DynamicUpiQrResponse> {
        self.with(|s| s.get_dynamic_upi_qr(&order_id))
    }

    fn get_order_status(
        &self,
        _ctx: &MockContext,
        order_id: String,
    ) -> MockReply<OrderGetResponse> {
        self.with(|s| s.get_order_status(&order_id))
    }

    fn get_qr_code(&self, _ctx: &MockContext, qr_code_id: String) -> MockReply<serde_json::Value> {
        self.with(|s| s.get_qr_code(&qr_code_id))
    }

    fn get_settlement_payout(
        &self,
        _ctx: &MockContext,
        settlement_payout_id: String,
    ) -> MockReply<SettlementPayoutDetail> {
        self.with(|s| s.get_settlement_payout(&settlement_payout_id))
    }

    fn get_transaction_status(
        &self,
        _ctx: &MockContext,
        transaction_id: String,
    ) -> MockReply<OrderTransactionResponse> {
        self.with(|s| s.get_transaction_status(&transaction_id))
    }

    fn get_upi_intent_links(
        &self,
        _ctx: &MockContext,
        transaction_id: String,
    ) -> MockReply<UpiIntentLinksResponse> {
        self.with(|s| s.get_upi_intent_links(&transaction_id))
    }

    fn get_upi_mandate(
        &self,
        _ctx: &MockContext,
        reference_id: String,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.get_upi_mandate(&reference_id))
    }

    fn get_upi_transaction_status(
        &self,
        _ctx: &MockContext,
        transaction_id: String,
    ) -> MockReply<UpiStatusResponse> {
        self.with(|s| s.get_upi_transaction_status(&transaction_id))
    }

    fn notify_upi_mandate_pre_debit(
        &self,
        _ctx: &MockContext,
        body: PreDebitNotificationRequest,
    ) -> MockReply<PreDebitNotificationResponse> {
        self.with(|s| s.notify_upi_mandate_pre_debit(&body))
    }

    fn resend_otp(&self, _ctx: &MockContext, enkash_transaction_id: String) -> MockReply<String> {
        self.with(|s| s.resend_otp(&enkash_transaction_id))
    }

    fn revoke_upi_mandate(
        &self,
        _ctx: &MockContext,
        body: RevokeMandateRequest,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.revoke_upi_mandate(&body))
    }

    fn search_qr_codes(
        &self,
        ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.search_qr_codes(ctx, &body))
    }

    fn search_qr_customers(
        &self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.search_qr_customers(&body))
    }

    fn search_settlement_payouts(
        &self,
        ctx: &MockContext,
        body: SettlementPayoutSearchRequest,
    ) -> MockReply<SettlementPayoutSearchResponse> {
        self.with(|s| s.search_settlement_payouts(ctx, &body))
    }

    fn submit_payment(
        &self,
        _ctx: &MockContext,
        body: SubmitPaymentRequest,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.submit_payment(body))
    }

    fn update_upi_mandate(
        &self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        self.with(|s| s.update_upi_mandate(&body))
    }

    fn validate_otp(&self, _ctx: &MockContext, body: ValidateOtpRequest) -> MockReply<OtpResponse> {
        self.with(|s| s.validate_otp(&body))
    }

    fn verify_vpa(
        &self,
        _ctx: &MockContext,
        body: VerifyVpaRequest,
    ) -> MockReply<VerifyVpaResponse> {
        self.with(|s| s.verify_vpa(&body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_operation_is_listed_once() {
        let mut ids: Vec<_> = OPERATIONS.iter().map(|op| op.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OPERATIONS.len());
    }
}
