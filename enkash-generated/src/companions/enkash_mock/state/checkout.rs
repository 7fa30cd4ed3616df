//! The hosted checkout behind the `redirectionUrl` of Create Order: what its page shows, and what
//! each outcome a tester picks does to the order and its transaction. The page itself and the
//! delivery of Payment Notify are in `checkout` beside `state`.

use rust_decimal::Decimal;

use super::Store;
use super::transactions::{Outcome, TxnDetails};
use crate::generated::enums::{OrderStatus, PaymentMode};

/// The outcome a tester picks on the checkout page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckoutChoice {
    /// Pay by UPI: the payment succeeds.
    Upi,
    /// Pay by card: the payment succeeds.
    Card,
    /// The bank declines the card: the payment fails and the order may be paid again.
    Decline,
    /// The customer cancels: the payment and the order are cancelled.
    Cancel,
    /// The bank has not confirmed yet: the payment stays pending (`PAYMENT_CONFIRMATION_PENDING`)
    /// and completes, successfully, by the mock's usual rule (status polls or time).
    Pending,
}

impl CheckoutChoice {
    /// Every choice, in the order the page shows them.
    pub(crate) const ALL: [CheckoutChoice; 5] = [
        CheckoutChoice::Upi,
        CheckoutChoice::Card,
        CheckoutChoice::Decline,
        CheckoutChoice::Cancel,
        CheckoutChoice::Pending,
    ];

    /// The value the page's form posts.
    pub(crate) fn value(self) -> &'static str {
        match self {
            CheckoutChoice::Upi => "upi",
            CheckoutChoice::Card => "card",
            CheckoutChoice::Decline => "decline",
            CheckoutChoice::Cancel => "cancel",
            CheckoutChoice::Pending => "pending",
        }
    }

    /// The button's label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            CheckoutChoice::Upi => "Pay by UPI (succeeds)",
            CheckoutChoice::Card => "Pay by card (succeeds)",
            CheckoutChoice::Decline => "Bank declines the card (fails)",
            CheckoutChoice::Cancel => "Cancel the payment",
            CheckoutChoice::Pending => "Leave the payment pending with the bank",
        }
    }

    /// The choice whose [`value`](Self::value) is `value`.
    pub(crate) fn parse(value: &str) -> Option<CheckoutChoice> {
        Self::ALL.into_iter().find(|choice| choice.value() == value)
    }

    fn mode_and_outcome(self) -> (PaymentMode, Outcome) {
        match self {
            CheckoutChoice::Upi => (PaymentMode::Upi, Outcome::Success),
            CheckoutChoice::Card | CheckoutChoice::Pending => {
                (PaymentMode::CreditCard, Outcome::Success)
            }
            CheckoutChoice::Decline => (PaymentMode::CreditCard, Outcome::Failure),
            CheckoutChoice::Cancel => (PaymentMode::CreditCard, Outcome::Cancel),
        }
    }
}

/// What the checkout page shows for an order.
pub(crate) struct CheckoutView {
    pub(crate) merchant: &'static str,
    /// EnKash's order id.
    pub(crate) order_id: String,
    /// The merchant's order id.
    pub(crate) merchant_order_id: String,
    pub(crate) amount: Decimal,
    pub(crate) currency: String,
    /// The payment modes the order allows (its `restrictedPaymentOptions`), or every mode.
    pub(crate) modes: Vec<&'static str>,
    pub(crate) status: OrderStatus,
    /// False once the order is final or has a payment in flight: the page then shows the status.
    pub(crate) payable: bool,
}

/// What paying through the checkout did.
pub(crate) struct CheckoutResult {
    /// The order's status afterwards.
    pub(crate) status: OrderStatus,
    /// The merchant's `notifyUrl` and the Payment Notify body for it, when the order has one.
    pub(crate) notify: Option<(String, Vec<u8>)>,
    /// The merchant's `returnUrl`, when the order has one.
    pub(crate) return_url: Option<String>,
    /// The fields posted back to `returnUrl`, in order.
    pub(crate) return_fields: Vec<(&'static str, String)>,
}

/// The name the mock's checkout and order answers show as the merchant.
pub(crate) const MERCHANT_NAME: &str = "EnKash Mock Merchant";

impl Store {
    /// The checkout page's view of `order_id` (EnKash's or the merchant's id); rendering it
    /// moves a `CREATED` order to `CHECKOUT_RENDERED`.
    pub(crate) fn checkout_view(&mut self, order_id: &str) -> Option<CheckoutView> {
        let id = self.resolve_order_id(order_id)?;
        if self
            .orders
            .get(&id)
            .is_some_and(|order| order.status == OrderStatus::Created)
        {
            self.set_order_status_now(&id, OrderStatus::CheckoutRendered);
        }
        let payable = self.payable(&id);
        let order = self.orders.get(&id)?;
        Some(CheckoutView {
            merchant: MERCHANT_NAME,
            order_id: id,
            merchant_order_id: order.request.order_id.clone(),
            amount: order.request.amount.value,
            currency: order.request.amount.currency.to_string(),
            modes: allowed_modes(order),
            status: order.status.clone(),
            payable,
        })
    }

    /// Pays `order_id` as `choice` says, or `None` when there is no such order or it cannot be
    /// paid now (final, or a payment already in flight).
    pub(crate) fn checkout_pay(
        &mut self,
        order_id: &str,
        choice: CheckoutChoice,
    ) -> Option<CheckoutResult> {
        let id = self.resolve_order_id(order_id)?;
        if !self.payable(&id) {
            return None;
        }
        let (mode, outcome) = choice.mode_and_outcome();
        let txn_id = self.start_transaction(&id, mode, outcome, TxnDetails::default());
        if choice == CheckoutChoice::Pending {
            if self.txn(&txn_id).is_ok_and(|txn| txn.is_pending()) {
                self.set_order_status_now(&id, OrderStatus::PaymentConfirmationPending);
            }
        } else {
            self.complete(&txn_id);
        }
        let notification = self.payment_notification(&txn_id)?;
        let order = self.orders.get(&id)?;
        let txn = self.txn(&txn_id).ok()?;
        let notify = order.request.notify_url.clone().and_then(|url| {
            serde_json::to_vec(&notification)
                .ok()
                .map(|body| (url, body))
        });
        let amount = txn.amount.to_string();
        let custom = order
            .request
            .custom_parameters
            .as_ref()
            .and_then(|params| serde_json::to_string(params).ok())
            .unwrap_or_else(|| "{}".to_owned());
        let return_fields = vec![
            ("orderStatus", order.status.to_string()),
            ("status", txn.status.to_string()),
            ("transactionStatus", txn.status.to_string()),
            ("paymentAttemptLeft", (!order.status.is_final()).to_string()),
            ("uniqueTransactionId", order.request.order_id.clone()),
            ("transactionId", txn.id.clone()),
            // EnKash does not document how its checksum is computed; the mock sends none.
            ("checksum", String::new()),
            ("finalAmount", amount.clone()),
            ("amount", amount),
            ("currency", order.request.amount.currency.to_string()),
            ("paymentMode", txn.mode.to_string()),
            ("customParameters", custom),
        ];
        Some(CheckoutResult {
            status: order.status.clone(),
            notify,
            return_url: order.request.return_url.clone(),
            return_fields,
        })
    }

    /// An order can be paid when it is not final and has no payment in flight.
    fn payable(&self, id: &str) -> bool {
        self.orders.get(id).is_some_and(|order| {
            !order.status.is_final()
                && order.status != OrderStatus::PaymentConfirmationPending
                && order
                    .txns
                    .iter()
                    .all(|txn| self.txns.get(txn).is_none_or(|txn| !txn.is_pending()))
        })
    }
}

/// The modes an order allows: the keys of its `restrictedPaymentOptions`, or every mode.
fn allowed_modes(order: &super::orders::Order) -> Vec<&'static str> {
    let all = vec!["UPI", "Credit card", "Debit card", "Net banking", "Wallet"];
    let Some(options) = &order.request.restricted_payment_options else {
        return all;
    };
    let modes: Vec<&'static str> = [
        (options.upi.is_some(), "UPI"),
        (options.credit_card.is_some(), "Credit card"),
        (options.debit_card.is_some(), "Debit card"),
        (options.prepaid_card.is_some(), "Prepaid card"),
        (options.corporate_card.is_some(), "Corporate card"),
        (options.netbanking.is_some(), "Net banking"),
        (options.wallet.is_some(), "Wallet"),
    ]
    .into_iter()
    .filter_map(|(allowed, mode)| allowed.then_some(mode))
    .collect();
    if modes.is_empty() { all } else { modes }
}
