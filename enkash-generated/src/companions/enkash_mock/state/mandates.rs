//! UPI mandates (UPI AutoPay): create, get, update, revoke, pre-debit notification and debit.
//!
//! EnKash publishes no mandate status values and no create/get/update/revoke answers. The mock
//! uses `ACTIVE` (a created mandate counts as approved by the payer at once) and `REVOKED`,
//! treats the integer mandate `amount` as rupees, and, as NPCI's AutoPay rules require, debits
//! only after a pre-debit notification of the same amount.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::transactions::{Outcome, TxnDetails};
use super::{
    Store, check_amount, decimal_field, duplicate, exceeded, invalid_state, local_text, not_found,
    now_local, string_field,
};
use crate::generated::enums::{AmountRule, Currency, PaymentMode};
use crate::generated::mock::MockUpiMandates;
use crate::generated::models::{
    Amount, CreateMandateRequest, CreateOrderRequest, ExecuteMandateDebitRequest, OrderGetResponse,
    PreDebitNotificationRequest, PreDebitNotificationResponse, RevokeMandateRequest,
};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// A mandate as created, with what happened to it since.
pub(crate) struct Mandate {
    mandate_id: String,
    umn: String,
    request: CreateMandateRequest,
    active: bool,
    created_on: String,
    /// Pre-debit notifications not used by a debit yet: (id, amount).
    notified: Vec<(String, Decimal)>,
    /// EnKash order ids of the debits.
    debits: Vec<String>,
}

impl Mandate {
    /// The mandate as Get UPI Mandate answers it.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut json = serde_json::to_value(&self.request).unwrap_or_default();
        if let Some(map) = json.as_object_mut() {
            map.insert("mandateId".into(), self.mandate_id.clone().into());
            map.insert("umn".into(), self.umn.clone().into());
            map.insert(
                "status".into(),
                if self.active { "ACTIVE" } else { "REVOKED" }.into(),
            );
            map.insert("createdOn".into(), self.created_on.clone().into());
            map.insert("debitOrderIds".into(), self.debits.clone().into());
        }
        json
    }

    /// Whether `amount` may be debited under this mandate.
    fn check_debit_amount(&self, amount: Decimal) -> Result<(), MockError> {
        check_amount("`amount`", amount)?;
        let limit = Decimal::from(self.request.amount);
        match self.request.amount_rule {
            AmountRule::Exact if amount != limit => Err(exceeded(format!(
                "this mandate debits exactly {limit}, not {amount}"
            ))),
            _ if amount > limit => Err(exceeded(format!(
                "this mandate debits at most {limit}, not {amount}"
            ))),
            _ => Ok(()),
        }
    }
}

impl MockUpiMandates for Store {
    /// Create UPI Mandate: a new `referenceId`, a positive amount, a valid period.
    fn create_upi_mandate(
        &mut self,
        _ctx: &MockContext,
        body: CreateMandateRequest,
    ) -> MockReply<serde_json::Value> {
        if body.reference_id.trim().is_empty() {
            return Err(MockError::bad_request("`referenceId` is required"));
        }
        if self.mandates.contains_key(&body.reference_id) {
            return Err(duplicate(format!(
                "a mandate with referenceId {} exists",
                body.reference_id
            )));
        }
        if body.amount <= 0 {
            return Err(MockError::bad_request("`amount` must be more than 0"));
        }
        if body.currency != Currency::Inr {
            return Err(MockError::bad_request("`currency` must be INR"));
        }
        if body.validity.end_at <= body.validity.start_at {
            return Err(MockError::bad_request(
                "`validity.endAt` must be after `validity.startAt`",
            ));
        }
        if !super::is_vpa(&body.payer.vpa) {
            return Err(MockError::api(
                super::codes::INVALID_VPA,
                "Invalid payer VPA",
            ));
        }
        let mandate = Mandate {
            mandate_id: self.next_id("MD"),
            umn: format!("{}@enkash", self.next_id("UMN")),
            request: body,
            active: true,
            created_on: local_text(now_local()),
            notified: Vec::new(),
            debits: Vec::new(),
        };
        let reply = mandate.to_json();
        self.mandates
            .insert(mandate.request.reference_id.clone(), mandate);
        Ok(reply)
    }

    /// Get UPI Mandate.
    fn get_upi_mandate(
        &mut self,
        _ctx: &MockContext,
        reference_id: String,
    ) -> MockReply<serde_json::Value> {
        self.find_mandate(&reference_id)
            .map(Mandate::to_json)
            .ok_or_else(|| not_found("mandate", &reference_id))
    }

    /// Update UPI Mandate (body not published): names the mandate with `referenceId`,
    /// `reference_id` or `mandateId`; changes `amount`, `mandateName` and `description`.
    fn update_upi_mandate(
        &mut self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        super::object_body(&body)?;
        let id = ["referenceId", "reference_id", "mandateId"]
            .into_iter()
            .find_map(|name| string_field(&body, name).ok().flatten())
            .ok_or_else(|| {
                MockError::bad_request("name the mandate with `referenceId` or `mandateId`")
            })?
            .to_owned();
        let amount = decimal_field(&body, "amount")?;
        let name = string_field(&body, "mandateName")?.map(str::to_owned);
        let description = string_field(&body, "description")?.map(str::to_owned);
        let mandate = self.find_mandate_mut(&id)?;
        if !mandate.active {
            return Err(invalid_state(format!("mandate {id} is revoked")));
        }
        if let Some(amount) = amount {
            if amount <= Decimal::ZERO || !amount.fract().is_zero() {
                return Err(MockError::bad_request(
                    "`amount` must be a whole number more than 0",
                ));
            }
            mandate.request.amount = amount
                .to_i64()
                .ok_or_else(|| MockError::bad_request("`amount` is too large"))?;
        }
        if let Some(name) = name {
            mandate.request.mandate_name = name;
        }
        if let Some(description) = description {
            mandate.request.description = Some(description);
        }
        Ok(mandate.to_json())
    }

    /// Revoke UPI Mandate: once.
    fn revoke_upi_mandate(
        &mut self,
        _ctx: &MockContext,
        body: RevokeMandateRequest,
    ) -> MockReply<serde_json::Value> {
        let id = body
            .reference_id
            .as_deref()
            .ok_or_else(|| MockError::bad_request("`reference_id` is required"))?;
        let mandate = self.find_mandate_mut(id)?;
        if !mandate.active {
            return Err(invalid_state(format!("mandate {id} is already revoked")));
        }
        mandate.active = false;
        Ok(mandate.to_json())
    }

    /// Mandate Pre-debit Notification: for an active mandate and an allowed amount.
    fn notify_upi_mandate_pre_debit(
        &mut self,
        _ctx: &MockContext,
        body: PreDebitNotificationRequest,
    ) -> MockReply<PreDebitNotificationResponse> {
        let notification_id = self.next_id("PDN");
        let mandate = self.find_mandate_mut(&body.mandate_id)?;
        if !mandate.active {
            return Err(invalid_state(format!(
                "mandate {} is revoked",
                body.mandate_id
            )));
        }
        mandate.check_debit_amount(body.amount)?;
        mandate
            .notified
            .push((notification_id.clone(), body.amount));
        let date = body.debit_date;
        Ok(PreDebitNotificationResponse::new(
            mandate.mandate_id.clone(),
            notification_id,
            "NOTIFIED",
            body.amount,
        )
        .with_debit_date(format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )))
    }

    /// Execute Mandate Debit: uses a pre-debit notification of the same amount and answers the
    /// order it creates; its UPI payment then completes like any other.
    fn execute_upi_mandate_debit(
        &mut self,
        _ctx: &MockContext,
        body: ExecuteMandateDebitRequest,
    ) -> MockReply<OrderGetResponse> {
        let mandate = self.find_mandate_mut(&body.mandate_id)?;
        if !mandate.active {
            return Err(invalid_state(format!(
                "mandate {} is revoked",
                body.mandate_id
            )));
        }
        mandate.check_debit_amount(body.amount)?;
        let Some(position) = mandate
            .notified
            .iter()
            .position(|(_, amount)| *amount == body.amount)
        else {
            return Err(invalid_state(format!(
                "no pre-debit notification of {} for mandate {}",
                body.amount, body.mandate_id
            )));
        };
        mandate.notified.remove(position);
        // Letters and digits only, as Create Order requires of a merchant order id.
        let reference: String = mandate
            .request
            .reference_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let merchant_order_id = format!("{reference}DEBIT{}", mandate.debits.len() + 1);
        let vpa = mandate.request.payer.vpa.clone();
        let reference_id = mandate.request.reference_id.clone();
        let request =
            CreateOrderRequest::new(merchant_order_id, Amount::new(body.amount, Currency::Inr))
                .with_description(body.remarks.clone());
        let order_id = self.new_order(request);
        let details = TxnDetails {
            vpa: Some(vpa),
            ..TxnDetails::default()
        };
        self.start_transaction(&order_id, PaymentMode::Upi, Outcome::Success, details);
        if let Some(mandate) = self.mandates.get_mut(&reference_id) {
            mandate.debits.push(order_id.clone());
        }
        self.order_view(&order_id)
            .ok_or_else(|| not_found("order", &order_id))
    }
}

impl Store {
    /// A mandate by reference id or mandate id.
    pub(crate) fn find_mandate(&self, id: &str) -> Option<&Mandate> {
        self.mandates
            .get(id)
            .or_else(|| self.mandates.values().find(|m| m.mandate_id == id))
    }

    fn find_mandate_mut(&mut self, id: &str) -> Result<&mut Mandate, MockError> {
        let key = match self.find_mandate(id) {
            Some(m) => m.request.reference_id.clone(),
            None => return Err(not_found("mandate", id)),
        };
        self.mandates
            .get_mut(&key)
            .ok_or_else(|| not_found("mandate", id))
    }
}
