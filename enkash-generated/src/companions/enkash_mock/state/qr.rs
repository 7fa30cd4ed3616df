//! UPI QR codes (create, get, search, cancel) and the customers they can be tied to.
//!
//! EnKash publishes neither the create body nor the get/search answers: the mock takes the
//! `QrCodeResponse` names for both (`qrName`, `multipleUse`, `fixedAmount`, `amount`,
//! `description`, `expiry`, `customParams`, `customerId`).

use super::{
    Store, check_amount, decimal_field, duplicate, invalid_state, local_text, not_found, now_local,
    object_body, page, search_page, string_field,
};
use crate::generated::enums::QrCodeStatus;
use crate::generated::mock::MockUpiQr;
use crate::generated::models::{CancelQrCodeRequest, CreateCustomerRequest, QrCodeResponse};
use crate::runtime::mock::{MockContext, MockError, MockReply};

impl MockUpiQr for Store {
    /// Create QR: `ACTIVE`; a fixed-amount QR needs an `amount`; a `customerId` must exist.
    fn create_qr_code(
        &mut self,
        _ctx: &MockContext,
        body: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        object_body(&body)?;
        let flag = |name: &str| -> Result<Option<bool>, MockError> {
            match body.get(name) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::Bool(b)) => Ok(Some(*b)),
                Some(_) => Err(MockError::bad_request(format!(
                    "`{name}` must be true or false"
                ))),
            }
        };
        let fixed_amount = flag("fixedAmount")?.unwrap_or(false);
        let multiple_use = flag("multipleUse")?.unwrap_or(!fixed_amount);
        let amount = decimal_field(&body, "amount")?;
        if let Some(amount) = amount {
            check_amount("`amount`", amount)?;
        } else if fixed_amount {
            return Err(MockError::bad_request(
                "a fixed-amount QR needs an `amount`",
            ));
        }
        let id = self.next_id("QR");
        let created = local_text(now_local());
        let mut qr = QrCodeResponse::new()
            .with_qr_code_id(id.clone())
            .with_multiple_use(multiple_use)
            .with_fixed_amount(fixed_amount)
            .with_status(QrCodeStatus::Active)
            .with_qr_code_base64("TU9DSy1RUg==")
            .with_created_on(created.clone())
            .with_modified_on(created)
            .with_reference_number(self.next_id("REF"));
        if let Some(amount) = amount {
            qr = qr.with_amount(amount);
        }
        for (name, set) in [
            (
                "qrName",
                QrCodeResponse::with_qr_name as fn(QrCodeResponse, String) -> QrCodeResponse,
            ),
            ("description", QrCodeResponse::with_description),
            ("expiry", QrCodeResponse::with_expiry),
        ] {
            if let Some(value) = string_field(&body, name)? {
                qr = set(qr, value.to_owned());
            }
        }
        if let Some(params) = body.get("customParams") {
            qr = qr.with_custom_params(params.clone());
        }
        if let Some(customer_id) = string_field(&body, "customerId")? {
            let customer = self
                .customers
                .get(customer_id)
                .ok_or_else(|| not_found("customer", customer_id))?;
            let contact = customer.pointer("/customerKeyContacts/0");
            let text = |name: &str| {
                contact
                    .and_then(|c| c.get(name))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            qr = qr.with_customer_id(customer_id);
            if let Some(name) = text("name") {
                qr = qr.with_customer_name(name);
            }
            if let Some(email) = text("email") {
                qr = qr.with_customer_email(email);
            }
            if let Some(mobile) = text("mobile") {
                qr = qr.with_customer_mobile(mobile);
            }
        }
        self.qr_codes.insert(id, qr.clone());
        to_json(&qr)
    }

    /// Get QR Code.
    fn get_qr_code(&mut self, _ctx: &MockContext, id: String) -> MockReply<serde_json::Value> {
        to_json(
            self.qr_codes
                .get(&id)
                .ok_or_else(|| not_found("QR code", &id))?,
        )
    }

    /// Search QR Code: filters `qrCodeId`, `status`, `customerId`, `qrName` (exact), paginated.
    fn search_qr_codes(
        &mut self,
        ctx: &MockContext,
        filter: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        object_body(&filter)?;
        let (offset, limit) = page(ctx)?;
        let mut found = Vec::new();
        for qr in self.qr_codes.values() {
            let json = to_json(qr)?;
            if matches_all(
                &filter,
                &json,
                &["qrCodeId", "status", "customerId", "qrName"],
            )? {
                found.push(json);
            }
        }
        Ok(search_page(found, offset, limit))
    }

    /// Cancel QR Code: `ACTIVE` → `CANCELLED`, once.
    fn cancel_qr_code(
        &mut self,
        _ctx: &MockContext,
        id: String,
        _body: CancelQrCodeRequest,
    ) -> MockReply<QrCodeResponse> {
        let qr = self
            .qr_codes
            .get_mut(&id)
            .ok_or_else(|| not_found("QR code", &id))?;
        if qr.status == Some(QrCodeStatus::Cancelled) {
            return Err(invalid_state(format!("QR code {id} is already cancelled")));
        }
        qr.status = Some(QrCodeStatus::Cancelled);
        qr.modified_on = Some(local_text(now_local()));
        Ok(qr.clone())
    }

    /// Create QR Customer: needs at least one key contact; a non-empty `accountNumber` can be
    /// registered once.
    fn create_qr_customer(
        &mut self,
        _ctx: &MockContext,
        body: CreateCustomerRequest,
    ) -> MockReply<serde_json::Value> {
        if body.customer_key_contacts.is_empty() {
            return Err(MockError::bad_request(
                "`customerKeyContacts` needs at least one contact",
            ));
        }
        if let Some(number) = body.account_number.as_deref().filter(|n| !n.is_empty())
            && self
                .customers
                .values()
                .any(|c| c.get("accountNumber").and_then(|v| v.as_str()) == Some(number))
        {
            return Err(duplicate(format!(
                "a customer with account number {number} exists"
            )));
        }
        let mut customer =
            serde_json::to_value(body).map_err(|err| MockError::bad_request(err.to_string()))?;
        let id = self.next_id("CUS");
        if let Some(map) = customer.as_object_mut() {
            map.insert("customerId".into(), id.clone().into());
            map.insert("createdOn".into(), local_text(now_local()).into());
        }
        self.customers.insert(id, customer.clone());
        Ok(customer)
    }

    /// Search Customer: filters `customerId`, `accountNumber`, `customerCompanyId`, `companyId`
    /// (exact); `offset`/`limit` in the body (the docs publish no pagination).
    fn search_qr_customers(
        &mut self,
        _ctx: &MockContext,
        filter: serde_json::Value,
    ) -> MockReply<serde_json::Value> {
        object_body(&filter)?;
        let number = |name: &str, default: usize| -> Result<usize, MockError> {
            match filter.get(name) {
                None | Some(serde_json::Value::Null) => Ok(default),
                Some(v) => v
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        MockError::bad_request(format!("`{name}` must be a whole number"))
                    }),
            }
        };
        let (offset, limit) = (number("offset", 0)?, number("limit", 20)?);
        let mut found = Vec::new();
        for customer in self.customers.values() {
            if matches_all(
                &filter,
                customer,
                &[
                    "customerId",
                    "accountNumber",
                    "customerCompanyId",
                    "companyId",
                ],
            )? {
                found.push(customer.clone());
            }
        }
        Ok(search_page(found, offset, limit))
    }
}

/// Whether `item` has the value `filter` gives for each of `fields` that it gives.
fn matches_all(
    filter: &serde_json::Value,
    item: &serde_json::Value,
    fields: &[&str],
) -> Result<bool, MockError> {
    for field in fields {
        if let Some(wanted) = string_field(filter, field)?
            && item.get(*field).and_then(|v| v.as_str()) != Some(wanted)
        {
            return Ok(false);
        }
    }
    Ok(true)
}

fn to_json(qr: &QrCodeResponse) -> MockReply<serde_json::Value> {
    serde_json::to_value(qr).map_err(|err| MockError {
        status: 500,
        code: 1,
        message: err.to_string(),
    })
}
