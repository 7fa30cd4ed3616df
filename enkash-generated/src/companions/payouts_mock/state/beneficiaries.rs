//! Beneficiaries: registered once per `beneficiaryId` (a reused id is refused with 409), with
//! exactly one of a bank account with its IFSC or a VPA.

use time::OffsetDateTime;

use super::Store;
use super::rules::{
    BENEFICIARY_EXISTS, INVALID_PARAMETER, conflict, is_alphanumeric_id, is_ifsc, is_name, is_vpa,
    refusal,
};
use crate::generated::payouts::mock::MockBeneficiaries;
use crate::generated::payouts::{
    BeneficiaryCreateRequest, BeneficiaryCreateResponse, PayoutDateTime,
};
use crate::runtime::mock::{MockContext, MockError, MockReply};

impl MockBeneficiaries for Store {
    /// Create Beneficiary: checks the body as the response-code table describes (422 for an
    /// invalid id, name or VPA, 412 for an account without IFSC or with a VPA), then refuses a
    /// reused `beneficiaryId` with 409.
    fn create_beneficiary(
        &mut self,
        _ctx: &MockContext,
        body: BeneficiaryCreateRequest,
    ) -> MockReply<BeneficiaryCreateResponse> {
        self.add_beneficiary(body)
    }
}

impl Store {
    /// Checks and registers a beneficiary, as Create Beneficiary does.
    pub(super) fn add_beneficiary(
        &mut self,
        body: BeneficiaryCreateRequest,
    ) -> MockReply<BeneficiaryCreateResponse> {
        check_beneficiary(&body)?;
        if self.beneficiaries.contains_key(&body.beneficiary_id) {
            return Err(conflict(BENEFICIARY_EXISTS));
        }
        let mut answer = BeneficiaryCreateResponse::new()
            .with_created_on(PayoutDateTime::from(OffsetDateTime::now_utc()));
        if let Some(account) = &body.beneficiary_account_number {
            answer = answer.with_beneficiary_account_number(account.clone());
        }
        if let Some(address) = &body.beneficiary_address {
            answer = answer.with_beneficiary_address(address.clone());
        }
        if let Some(pincode) = &body.beneficiary_pincode {
            answer = answer.with_beneficiary_pincode(pincode.clone());
        }
        self.beneficiaries.insert(body.beneficiary_id.clone(), body);
        Ok(answer)
    }
}

/// The refusals of Create Beneficiary's body, in the order the mock checks them.
fn check_beneficiary(body: &BeneficiaryCreateRequest) -> Result<(), MockError> {
    if !is_alphanumeric_id(&body.beneficiary_id) {
        return Err(refusal(422, "Please provide a valid Beneficiary ID."));
    }
    if !is_name(&body.beneficiary_name) {
        return Err(refusal(422, "Please provide a valid name."));
    }
    let account = body.beneficiary_account_number.as_deref();
    let ifsc = body.beneficiary_ifsc.as_deref();
    match (account, ifsc, body.vpa_handle.as_deref()) {
        (Some(_), _, Some(_)) => Err(refusal(
            412,
            "Bank account and VPA both provided; send only one to add the beneficiary.",
        )),
        (Some(_), Some(ifsc), None) if is_ifsc(ifsc) => Ok(()),
        (Some(_), Some(_), None) => Err(refusal(422, INVALID_PARAMETER)),
        (None, None, Some(vpa)) if is_vpa(vpa) => Ok(()),
        (None, None, Some(_)) => Err(refusal(
            422,
            "Please provide a valid Virtual Payee Address (VPA).",
        )),
        _ => Err(refusal(412, "Bank account and IFSC both are required.")),
    }
}
