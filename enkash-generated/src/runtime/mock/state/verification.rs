//! Checks around a payment: Validate OTP, Resend OTP and Verify VPA.

use super::super::{MockError, MockReply};
use super::{Store, codes, is_vpa, local_text, not_found, now_local};
use crate::generated::enums::Currency;
use crate::generated::models::{
    OtpResponse, ValidateOtpRequest, VerifyVpaRequest, VerifyVpaResponse,
};

impl Store {
    /// Validate OTP: the configured OTP is right, anything else is [`codes::INVALID_OTP`].
    pub(crate) fn validate_otp(&mut self, body: &ValidateOtpRequest) -> MockReply<OtpResponse> {
        let txn = self
            .txns
            .get(&body.ek_pay_id)
            .ok_or_else(|| not_found("transaction", &body.ek_pay_id))?;
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
    pub(crate) fn resend_otp(&self, txn_id: &str) -> MockReply<String> {
        if self.txns.contains_key(txn_id) {
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
    pub(crate) fn verify_vpa(&self, body: &VerifyVpaRequest) -> MockReply<VerifyVpaResponse> {
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
