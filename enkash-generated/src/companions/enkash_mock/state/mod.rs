//! [`MockState`]: everything the mock EnKash server remembers, plus the envelope [`codes`] of its
//! error answers. The [`Store`] behind its mutex serves the operations: one file per area, each
//! implementing its area's generated mock trait (`tokens`: `MockAuthorization`, `orders`,
//! `payments` (with the transaction lifecycle in `transactions`), `refunds`, `settlements`,
//! `split`: `MockSplitSettlements`, `qr`: `MockUpiQr`, `mandates`: `MockUpiMandates`,
//! `e_collect`), with shared helpers in `common`.
//!
//! The generated router holds the mutex only while a trait method computes an answer (never
//! across an `.await`). A poisoned lock is recovered, never a panic.

pub(crate) mod checkout;
mod common;
pub(crate) mod drift;
mod e_collect;
mod mandates;
mod orders;
mod payments;
mod qr;
mod refunds;
mod settlements;
mod split;
mod tokens;
mod transactions;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Mutex;

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::config::MockConfig;
use crate::generated::enums::{OrderStatus, TransactionStatus};
use crate::generated::models::{
    OrderGetResponse, PaymentNotification, QrCodeResponse, SettlementPayoutDetail,
};
use crate::runtime::mock::{FaultsAndHits, lock};
use common::{
    base36, check_amount, decimal_field, duplicate, exceeded, invalid_state, is_vpa, json_decimal,
    local_text, not_found, now, now_local, object_body, page, search_page, string_field,
};

pub mod codes {
    //! Envelope codes of the mock's error answers.
    //!
    //! EnKash publishes no error-code table: only 117 ("Token is invalid.") has been seen, by a
    //! third-party client. Every other code here is the mock's own invention, so that tests can
    //! tell the failures apart; do not match on them in production code.

    /// The bearer token is missing, unknown or expired (observed from EnKash). HTTP 200 by
    /// default, 401 with [`MockConfig::invalid_token_as_401`](super::super::MockConfig::invalid_token_as_401).
    pub const INVALID_TOKEN: i64 = 117;
    /// The request is malformed: a missing or invalid field (HTTP 400), as for a body that does
    /// not decode.
    pub const BAD_REQUEST: i64 = 1;
    /// The token request carried a wrong access key or secret key (HTTP 401, bare envelope).
    pub const INVALID_CREDENTIALS: i64 = 1001;
    /// The `merchantAccessKey` header (or an access key in a body) is missing or wrong (HTTP 403).
    pub const INVALID_ACCESS_KEY: i64 = 1002;
    /// No such order, transaction, payout, QR code, customer, mandate or split account.
    pub const NOT_FOUND: i64 = 1004;
    /// A dedup key (`orderId`, `requestId`, a mandate's `referenceId`, an account number) was
    /// used before with a different request.
    pub const DUPLICATE: i64 = 1009;
    /// The resource is not in a state that allows this (refund of an unpaid transaction, payment
    /// of a paid order, debit of a revoked mandate, ...).
    pub const INVALID_STATE: i64 = 1022;
    /// The amount is more than allowed (over-refund, split above the amount, debit above a
    /// mandate's amount).
    pub const AMOUNT_EXCEEDED: i64 = 1023;
    /// Validate OTP got the wrong OTP.
    pub const INVALID_OTP: i64 = 1031;
    /// Verify VPA got something that is not a VPA.
    pub const INVALID_VPA: i64 = 1032;
}

/// The mock server's state: issued tokens, orders and their transactions, refunds, settlement
/// payouts, split accounts, UPI QR codes and customers, mandates; plus the injected faults and
/// hit counters. Reach it with [`MockServer::state`](super::MockServer::state) to seed or
/// inspect what a test needs.
///
/// # Rules the mock follows
///
/// * Tokens live [`MockConfig::token_lifetime`]; a missing, unknown, expired or
///   [invalidated](Self::invalidate_tokens) token is answered with code 117 "Token is invalid.".
/// * Orders start `CREATED`. Get Dynamic QR Code moves them to `CHECKOUT_RENDERED`; a submitted
///   payment to `ATTEMPTED`; the first status poll to `PAYMENT_CONFIRMATION_PENDING`; the
///   completion of the payment (after [`MockConfig::payment_polls`] polls or
///   [`MockConfig::payment_delay`]) to `PAID`. A failed payment leaves the order `ATTEMPTED`
///   (the customer may try again); a cancelled one makes it `CANCELLED`.
/// * Payment outcomes are chosen by test values: a VPA starting with `fail` (`fail@upi`), a
///   card number ending in `0002` or the bank code `FAIL` fail; a VPA starting with `cancel`
///   cancels; everything else succeeds.
/// * A create-order with a known `orderId` (or a refund with a known `requestId`) and the same
///   body answers the original result; with a different body it is rejected
///   ([`codes::DUPLICATE`]).
/// * Refunds need a successful transaction; partial refunds add up to at most its amount.
pub struct MockState {
    config: MockConfig,
    pub(super) store: Mutex<Store>,
    pub(super) faults_and_hits: FaultsAndHits,
}

impl fmt::Debug for MockState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// What the operations read and change, behind [`MockState`]'s mutex: it implements every
/// generated mock area trait. (Public only because it is `MockState`'s `MockHooks::Store`; it
/// cannot be named outside the crate.)
pub struct Store {
    config: MockConfig,
    base_url: String,
    seq: u64,
    tokens: HashMap<String, OffsetDateTime>,
    tokens_issued: u64,
    orders: BTreeMap<String, orders::Order>,
    merchant_order_ids: HashMap<String, String>,
    txns: BTreeMap<String, transactions::Txn>,
    refunds: HashMap<String, refunds::Refund>,
    payouts: Vec<SettlementPayoutDetail>,
    split_accounts: BTreeMap<String, split::SplitAccount>,
    qr_codes: BTreeMap<String, QrCodeResponse>,
    customers: BTreeMap<String, serde_json::Value>,
    mandates: BTreeMap<String, mandates::Mandate>,
    /// E-Collect virtual accounts by customer reference id.
    virtual_accounts: e_collect::VirtualAccounts,
    replays: u64,
}

impl MockState {
    pub(crate) fn new(config: MockConfig) -> Self {
        let mut store = Store {
            config: config.clone(),
            base_url: String::new(),
            seq: 0,
            tokens: HashMap::new(),
            tokens_issued: 0,
            orders: BTreeMap::new(),
            merchant_order_ids: HashMap::new(),
            txns: BTreeMap::new(),
            refunds: HashMap::new(),
            payouts: Vec::new(),
            split_accounts: BTreeMap::new(),
            qr_codes: BTreeMap::new(),
            customers: BTreeMap::new(),
            mandates: BTreeMap::new(),
            virtual_accounts: BTreeMap::new(),
            replays: 0,
        };
        store.seed_payouts(config.seeded_payouts);
        MockState {
            config,
            store: Mutex::new(store),
            faults_and_hits: FaultsAndHits::default(),
        }
    }

    pub(crate) fn set_base_url(&self, url: &str) {
        lock(&self.store).base_url = url.to_owned();
    }

    /// Runs `f` with the store locked.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut lock(&self.store))
    }

    /// The configuration the server was started with.
    pub fn config(&self) -> &MockConfig {
        &self.config
    }

    /// Forgets every issued token, as if EnKash had revoked them: the next authenticated call
    /// with one of them gets the invalid-token answer.
    pub fn invalidate_tokens(&self) {
        self.with(|s| s.tokens.clear());
    }

    /// How many tokens the token operation has issued.
    pub fn tokens_issued(&self) -> u64 {
        self.with(|s| s.tokens_issued)
    }

    /// An order, by EnKash order id or merchant order id, as Get Order Status would answer it
    /// (without counting a status poll).
    pub fn order(&self, order_id: &str) -> Option<OrderGetResponse> {
        self.with(|s| {
            let id = s.resolve_order_id(order_id)?;
            s.order_view(&id)
        })
    }

    /// How many orders exist (a replayed duplicate creates none).
    pub fn order_count(&self) -> usize {
        self.with(|s| s.orders.len())
    }

    /// Forces an order's status (for example `EXPIRED`); `false` when there is no such order.
    pub fn set_order_status(&self, order_id: &str, status: OrderStatus) -> bool {
        self.with(|s| {
            let Some(id) = s.resolve_order_id(order_id) else {
                return false;
            };
            s.set_order_status_now(&id, status);
            true
        })
    }

    /// The transaction ids of an order (EnKash or merchant order id), oldest first.
    pub fn transaction_ids(&self, order_id: &str) -> Vec<String> {
        self.with(|s| {
            s.resolve_order_id(order_id)
                .and_then(|id| s.orders.get(&id))
                .map(|order| order.txns.clone())
                .unwrap_or_default()
        })
    }

    /// A transaction's status.
    pub fn transaction_status(&self, transaction_id: &str) -> Option<TransactionStatus> {
        self.with(|s| s.txns.get(transaction_id).map(|t| t.status.clone()))
    }

    /// How much of a transaction has been refunded.
    pub fn refunded_amount(&self, transaction_id: &str) -> Option<Decimal> {
        self.with(|s| s.txns.get(transaction_id).map(|t| t.refunded))
    }

    /// How many refunds were made (a replayed duplicate makes none).
    pub fn refund_count(&self) -> usize {
        self.with(|s| s.refunds.len())
    }

    /// How many duplicate create-order or refund requests were answered with the original
    /// result.
    pub fn replayed_duplicates(&self) -> u64 {
        self.with(|s| s.replays)
    }

    /// The Payment Notify body EnKash would POST to the order's `notifyUrl` for this
    /// transaction, as JSON text; `None` for an unknown transaction. Feed it to
    /// `webhooks::parse_payment_notify`.
    pub fn payment_notify_body(&self, transaction_id: &str) -> Option<String> {
        let notification: PaymentNotification =
            self.with(|s| s.payment_notification(transaction_id))?;
        serde_json::to_string(&notification).ok()
    }

    /// Settles every paid transaction not settled yet into a new settlement payout and returns
    /// its id; `None` when there is nothing to settle.
    pub fn settle_paid_transactions(&self) -> Option<String> {
        self.with(Store::settle_paid_transactions)
    }

    /// Ids of all settlement payouts, oldest first.
    pub fn payout_ids(&self) -> Vec<String> {
        self.with(|s| {
            s.payouts
                .iter()
                .filter_map(|p| p.settlement_payout_id.clone())
                .collect()
        })
    }

    /// A UPI QR code.
    pub fn qr_code(&self, qr_code_id: &str) -> Option<QrCodeResponse> {
        self.with(|s| s.qr_codes.get(qr_code_id).cloned())
    }

    /// A split-settlement account, as the mock answers it.
    pub fn split_account(&self, split_account_id: &str) -> Option<serde_json::Value> {
        self.with(|s| {
            s.split_accounts
                .get(split_account_id)
                .map(split::SplitAccount::to_json)
        })
    }

    /// A mandate (by reference id or mandate id), as Get UPI Mandate answers it.
    pub fn mandate(&self, reference_id: &str) -> Option<serde_json::Value> {
        self.with(|s| s.find_mandate(reference_id).map(mandates::Mandate::to_json))
    }
}

impl Store {
    /// A new id: `prefix`, the time in epoch milliseconds, and a 5-character sequence number
    /// (like EnKash's `EK1743074262175e8KIO`).
    fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        let millis = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
        format!("{prefix}{millis:013}{}", base36(self.seq, 5))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped_like_enkash_ids() {
        assert_eq!(base36(0, 5), "00000");
        assert_eq!(base36(36 * 36 + 1, 5), "00101");
        let state = MockState::new(MockConfig::default().seeded_payouts(0));
        let (a, b) = state.with(|s| (s.next_id("EK"), s.next_id("EK")));
        assert_ne!(a, b);
        assert_eq!(a.len(), 2 + 13 + 5);
        assert!(a.starts_with("EK"));
    }

    #[test]
    fn vpas_and_amounts_are_checked() {
        assert!(is_vpa("john.doe@upi"));
        assert!(!is_vpa("john.doe"));
        assert!(!is_vpa("@upi"));
        assert!(!is_vpa("a b@upi"));
        assert!(check_amount("amount", Decimal::new(2015, 2)).is_ok());
        assert!(check_amount("amount", Decimal::new(20150, 3)).is_ok());
        assert!(check_amount("amount", Decimal::new(20151, 3)).is_err());
        assert!(check_amount("amount", Decimal::ZERO).is_err());
    }

    #[test]
    fn local_dates_use_the_examples_format() {
        let text = local_text(now_local());
        assert_eq!(text.len(), "2026-04-22 13:50:03".len());
        assert_eq!(&text[4..5], "-");
        assert_eq!(&text[10..11], " ");
    }

    #[test]
    fn a_poisoned_lock_is_recovered() {
        let state = std::sync::Arc::new(MockState::new(MockConfig::default().seeded_payouts(1)));
        let clone = state.clone();
        let _ = std::thread::spawn(move || {
            clone.with(|_| panic!("poison the lock"));
        })
        .join();
        assert_eq!(state.payout_ids().len(), 1);
    }
}
