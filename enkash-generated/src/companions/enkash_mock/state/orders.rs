//! Orders: create (deduplicated on the merchant's `orderId`), status with its lifecycle, and the
//! UPI checkout helpers (dynamic QR, intent links).

use time::OffsetDateTime;

use super::transactions::Outcome;
use super::{Store, check_amount, duplicate, invalid_state, not_found, now};
use crate::generated::enums::{Currency, OrderStatus, PaymentMode};
use crate::generated::mock::MockOrders;
use crate::generated::models::{
    CreateOrderRequest, DynamicUpiQrResponse, OrderCreateResponse, OrderGetResponse,
    OrderTransactionResponse, UpiIntentLinksResponse,
};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// The mock's payee VPA in UPI links.
const PAYEE_VPA: &str = "enkash.mock@upi";

/// An order and what was asked when it was created.
pub(crate) struct Order {
    pub(crate) id: String,
    pub(crate) request: CreateOrderRequest,
    pub(crate) reply: OrderCreateResponse,
    pub(crate) status: OrderStatus,
    pub(crate) created: OffsetDateTime,
    pub(crate) last_modified: OffsetDateTime,
    /// Transaction ids, oldest first.
    pub(crate) txns: Vec<String>,
}

impl MockOrders for Store {
    /// Create Order. A known `orderId` with the same body answers the original order.
    fn create_order(
        &mut self,
        _ctx: &MockContext,
        body: CreateOrderRequest,
    ) -> MockReply<OrderCreateResponse> {
        if body.order_id.trim().is_empty() {
            return Err(MockError::bad_request("`orderId` is required"));
        }
        if let Some(existing) = self.merchant_order_ids.get(&body.order_id) {
            let existing = self
                .orders
                .get(existing)
                .ok_or_else(|| not_found("order", &body.order_id))?;
            if existing.request == body {
                let reply = existing.reply.clone();
                self.replays += 1;
                return Ok(reply);
            }
            return Err(duplicate(format!(
                "orderId {} was already used for a different order",
                body.order_id
            )));
        }
        check_amount("`amount.value`", body.amount.value)?;
        if body.amount.currency != Currency::Inr {
            return Err(MockError::bad_request("`amount.currency` must be INR"));
        }
        let id = self.new_order(body);
        self.orders
            .get(&id)
            .map(|order| order.reply.clone())
            .ok_or_else(|| not_found("order", &id))
    }

    /// Get Order Status: counts a status poll of the order's pending payment, then answers.
    fn get_order_status(
        &mut self,
        _ctx: &MockContext,
        order_id: String,
    ) -> MockReply<OrderGetResponse> {
        let id = self
            .resolve_order_id(&order_id)
            .ok_or_else(|| not_found("order", &order_id))?;
        self.poll_order(&id);
        self.order_view(&id)
            .ok_or_else(|| not_found("order", &order_id))
    }

    /// Get Dynamic QR Code: a UPI QR for the order, backed by a pending UPI transaction (reused
    /// while it is pending) whose id is `ekPayId`.
    fn get_dynamic_upi_qr(
        &mut self,
        _ctx: &MockContext,
        order_id: String,
    ) -> MockReply<DynamicUpiQrResponse> {
        let id = self
            .resolve_order_id(&order_id)
            .ok_or_else(|| not_found("order", &order_id))?;
        let order = self
            .orders
            .get(&id)
            .ok_or_else(|| not_found("order", &order_id))?;
        if order.status.is_final() {
            return Err(invalid_state(format!(
                "order {order_id} is {}",
                order.status.as_str()
            )));
        }
        let pending = order
            .txns
            .iter()
            .find(|txn_id| self.txns.get(*txn_id).is_some_and(|t| t.is_pending()))
            .cloned();
        let txn_id = match pending {
            Some(txn_id)
                if self
                    .txns
                    .get(&txn_id)
                    .is_some_and(|t| t.mode == PaymentMode::Upi) =>
            {
                txn_id
            }
            Some(_) => {
                return Err(invalid_state(
                    "another payment of this order is in progress",
                ));
            }
            None => {
                let txn_id = self.start_transaction(
                    &id,
                    PaymentMode::Upi,
                    Outcome::Success,
                    Default::default(),
                );
                // Nobody has scanned the QR yet: the checkout is rendered, not attempted.
                if self
                    .orders
                    .get(&id)
                    .is_some_and(|o| o.status == OrderStatus::Attempted)
                {
                    self.set_order_status_now(&id, OrderStatus::CheckoutRendered);
                }
                txn_id
            }
        };
        let link = self.upi_link("upi://pay", &txn_id);
        let image = base64(format!("MOCK-QR:{link}").as_bytes());
        Ok(DynamicUpiQrResponse::new()
            .with_qr_code(image)
            .with_qr_url(link)
            .with_ek_pay_id(txn_id))
    }

    /// UPI Intent Link Detail: app deep links for a UPI transaction.
    fn get_upi_intent_links(
        &mut self,
        _ctx: &MockContext,
        txn_id: String,
    ) -> MockReply<UpiIntentLinksResponse> {
        let txn = self.txn(&txn_id)?;
        if txn.mode != PaymentMode::Upi {
            return Err(invalid_state(format!(
                "transaction {txn_id} is not a UPI payment"
            )));
        }
        Ok(UpiIntentLinksResponse::new()
            .with_gpay(self.upi_link("tez://upi/pay", &txn_id))
            .with_phonepe(self.upi_link("phonepe://pay", &txn_id))
            .with_paytm(self.upi_link("paytmmp://pay", &txn_id))
            .with_upi(self.upi_link("upi://pay", &txn_id))
            .with_transaction_id(txn_id))
    }
}

impl Store {
    /// Stores a new `CREATED` order and returns its EnKash id.
    pub(crate) fn new_order(&mut self, request: CreateOrderRequest) -> String {
        let id = self.next_id("ORD");
        let reply =
            OrderCreateResponse::new(format!("{}/pay/checkout/{id}", self.base_url), id.clone());
        let created = now();
        self.merchant_order_ids
            .insert(request.order_id.clone(), id.clone());
        self.orders.insert(
            id.clone(),
            Order {
                id: id.clone(),
                request,
                reply,
                status: OrderStatus::Created,
                created,
                last_modified: created,
                txns: Vec::new(),
            },
        );
        id
    }

    /// The EnKash order id for an EnKash or merchant order id. (V4 says Get Order Status takes
    /// the EnKash id, V1 the merchant's: the mock accepts both.)
    pub(crate) fn resolve_order_id(&self, id: &str) -> Option<String> {
        if self.orders.contains_key(id) {
            Some(id.to_owned())
        } else {
            self.merchant_order_ids.get(id).cloned()
        }
    }

    /// An order as Get Order Status answers it.
    pub(crate) fn order_view(&self, id: &str) -> Option<OrderGetResponse> {
        let order = self.orders.get(id)?;
        let request = &order.request;
        let transactions = order
            .txns
            .iter()
            .filter_map(|txn_id| self.txns.get(txn_id))
            .map(|txn| {
                OrderTransactionResponse::new()
                    .with_transaction_id(txn.id.clone())
                    .with_created(txn.created.into())
                    .with_last_modified(txn.last_modified.into())
            })
            .collect();
        let mut view = OrderGetResponse::new(
            order.id.clone(),
            request.amount.value,
            request.amount.currency.clone(),
            order.status.clone(),
        )
        .with_created(order.created.into())
        .with_last_modified(order.last_modified.into())
        .with_order_date(order.created.into())
        .with_merchant_order_id(request.order_id.clone())
        .with_merchant_identifier_key(self.config.access_key.clone())
        .with_merchant_name(super::checkout::MERCHANT_NAME)
        .with_transactions(transactions);
        if let Some(detail) = &request.payment_detail {
            view = view.with_payment_detail(detail.clone());
        }
        if let Some(url) = &request.return_url {
            view = view.with_return_url(url.clone());
        }
        if let Some(url) = &request.notify_url {
            view = view.with_notify_url(url.clone());
        }
        if let Some(customer) = &request.customer_info {
            view = view.with_customer_info(customer.clone());
        }
        if let Some(params) = &request.custom_parameters {
            let echoed = params
                .iter()
                .map(|(key, value)| (key.clone(), serde_json::Value::String(value.clone())))
                .collect();
            view = view.with_custom_parameters(echoed);
        }
        if let Some(description) = &request.description {
            view = view.with_order_message(description.clone());
        }
        Some(view)
    }

    /// Sets an order's status and its last-modified time.
    pub(crate) fn set_order_status_now(&mut self, id: &str, status: OrderStatus) {
        if let Some(order) = self.orders.get_mut(id) {
            order.status = status;
            order.last_modified = now();
        }
    }

    /// A UPI intent link paying `txn_id`'s amount to the mock merchant.
    fn upi_link(&self, scheme: &str, txn_id: &str) -> String {
        let amount = self.txns.get(txn_id).map(|t| t.amount).unwrap_or_default();
        format!("{scheme}?pa={PAYEE_VPA}&pn=EnKash%20Mock&am={amount:.2}&cu=INR&tr={txn_id}")
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
