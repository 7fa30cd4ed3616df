//! [`PayoutsMockState`]: everything the mock EnKash Payouts server remembers. The [`Store`]
//! behind its mutex serves the operations: one file per area, each implementing its area's
//! generated mock trait (`tokens`: `MockAuthorization`, `beneficiaries`, `transfers` (with the
//! status lifecycle), `accounts` (balance, statement, source bank accounts), `webhook_config`),
//! with the validation rules and error answers in `rules`.
//!
//! The generated router holds the mutex only while a trait method computes an answer (never
//! across an `.await`). A poisoned lock is recovered, never a panic. Transfers move on lazily:
//! every operation and every accessor first settles the transfers whose time has come.

mod accounts;
mod beneficiaries;
mod rules;
mod tokens;
mod transfers;
mod webhook_config;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Mutex;
use std::time::Instant;

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::config::PayoutsMockConfig;
use crate::generated::payouts::{
    BeneficiaryCreateRequest, PayoutStatus, SourceBankAccountRequest, StatementEntry,
    WebhookDataResponse,
};
use crate::runtime::mock::{FaultsAndHits, MockError, lock};

pub use tokens::TOKEN_PREFIX;
pub(crate) use tokens::token_refused;
pub use transfers::{PayoutsMockBatch, PayoutsMockTransfer};

/// The mock server's state: issued tokens, beneficiaries, transfers and batches, the balance
/// and statement of the payout account, source bank accounts and the webhook configuration;
/// plus the injected faults and hit counters. Reach it with
/// [`PayoutsMockServer::state`](super::PayoutsMockServer::state) to inspect what a test needs.
///
/// # Rules the mock follows
///
/// * The token call needs `Authorization: Basic base64(clientId:clientSecret)` and the form
///   fields `username`, `password`, `clientId` and `grant_type=password` of the configuration;
///   anything else is refused with HTTP 401 (400 for another grant type). Tokens live
///   [`PayoutsMockConfig::expires_in`] seconds; a missing, unknown, expired or
///   [invalidated](Self::invalidate_tokens) bearer token is refused with HTTP 401.
/// * Every request must carry a `User-Agent` header (the spec's `required_headers`), else 422.
/// * Bodies are encrypted with the client secret (the engine does it, from
///   `MockHooks::secret`); a plain body is refused with 422 "Invalid encrypted request".
/// * A reused `beneficiaryId` is refused with 409 "Beneficiary ID already exists.", a reused
///   `batchTransactionId` with 409 "Batch Transaction ID already exists.", a reused
///   `transactionId` with 409 "Transaction ID already exists.", except that a transfer that
///   ended `REJECTED` may be resent with the same id (reference §1.6).
/// * A transfer that fails validation is accepted with status `REJECTED` and a
///   `RejectReasonCode` kept in the state (the response model has no member for it): an
///   unknown `beneficiaryId` without `beneficiaryDetail` (`REJECT_BENEF_ID`), an amount below
///   1.00 or with more than 2 decimals (`REJECT_TRF_AMT`), a remark with other characters than
///   letters, digits and spaces (`REJECT_TRF_RMK`), another fund source (`REJECT_FND_SRC_ID`),
///   an unknown mode or one that does not fit the payee (UPI needs a VPA, the others an
///   account: `REJECT_TRF_MODE`), a bad inline beneficiary (`REJECT_BENEF_DET_ID`,
///   `REJECT_BENEF_NAME`, `REJECT_BENEF_ACC`, `REJECT_BENEF_IFSC`). A transfer with neither a
///   `beneficiaryId` nor a `beneficiaryDetail` is refused with 422 "No beneficiary details
///   present." Checksums are not checked (their algorithm is not documented).
/// * An accepted single transfer answers `PROCESSING`, a batch item `PENDING` (`PROCESSING`
///   after half of [`PayoutsMockConfig::transfer_delay`]); after the delay it ends `FAILED` when
///   its amount ends in [`PayoutsMockConfig::fail_paise`] paise or the balance does not cover
///   it, else `SUCCESS`: the balance is debited and a `DEBIT` statement entry is written.
///   [`reverse_transfer`](Self::reverse_transfer) turns a `SUCCESS` into `REVERSED`, crediting
///   the amount back.
/// * In a batch, items with a reused `transactionId` (or one repeated in the batch) and items
///   without any beneficiary are left out; `REJECTED` items are kept in the state but not
///   listed among the successful ones.
/// * Statement entries carry `transactionAmount` in paise (the docs type it integer without a
///   unit; paise keep every amount exact) and `runningBalance` in rupees.
/// * Add Source Bank Account keeps every account; the latest is the active one. Create Webhook
///   Data replaces the configuration.
pub struct PayoutsMockState {
    config: PayoutsMockConfig,
    pub(super) store: Mutex<Store>,
    pub(super) faults_and_hits: FaultsAndHits,
}

impl fmt::Debug for PayoutsMockState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayoutsMockState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// What the operations read and change, behind [`PayoutsMockState`]'s mutex: it implements
/// every generated payouts mock area trait. (Public only because it is `PayoutsMockState`'s
/// `MockHooks::Store`; it cannot be named outside the crate.)
pub struct Store {
    config: PayoutsMockConfig,
    seq: u64,
    /// Issued tokens and when each expires.
    tokens: HashMap<String, Instant>,
    tokens_issued: u64,
    beneficiaries: BTreeMap<String, BeneficiaryCreateRequest>,
    transfers: BTreeMap<String, transfers::Transfer>,
    batches: BTreeMap<String, PayoutsMockBatch>,
    balance: Decimal,
    /// Statement entries, oldest first, with the time they were written.
    statement: Vec<(OffsetDateTime, StatementEntry)>,
    source_accounts: Vec<SourceBankAccountRequest>,
    webhook: Option<WebhookDataResponse>,
}

impl PayoutsMockState {
    pub(crate) fn new(config: PayoutsMockConfig) -> Self {
        let mut store = Store {
            config: config.clone(),
            seq: 0,
            tokens: HashMap::new(),
            tokens_issued: 0,
            beneficiaries: BTreeMap::new(),
            transfers: BTreeMap::new(),
            batches: BTreeMap::new(),
            balance: Decimal::ZERO,
            statement: Vec::new(),
            source_accounts: Vec::new(),
            webhook: None,
        };
        if !config.opening_balance.is_zero() {
            store.credit(config.opening_balance, None, "Opening balance");
        }
        PayoutsMockState {
            config,
            store: Mutex::new(store),
            faults_and_hits: FaultsAndHits::default(),
        }
    }

    /// Runs `f` with the store locked, after settling the transfers that are due.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut store = lock(&self.store);
        store.advance();
        f(&mut store)
    }

    /// The configuration the server was started with.
    pub fn config(&self) -> &PayoutsMockConfig {
        &self.config
    }

    /// How many tokens the token operation has issued.
    pub fn tokens_issued(&self) -> u64 {
        self.with(|s| s.tokens_issued)
    }

    /// Forgets every issued token, as if EnKash had revoked them: the next authenticated call
    /// with one of them is refused with HTTP 401.
    pub fn invalidate_tokens(&self) {
        self.with(|s| s.tokens.clear());
    }

    /// A beneficiary, as Create Beneficiary received it.
    pub fn beneficiary(&self, beneficiary_id: &str) -> Option<BeneficiaryCreateRequest> {
        self.with(|s| s.beneficiaries.get(beneficiary_id).cloned())
    }

    /// Registers a beneficiary as Create Beneficiary would (the same checks, the same 409 for
    /// a reused id) without a request: to seed the payees a test pays.
    pub fn add_beneficiary(&self, beneficiary: BeneficiaryCreateRequest) -> Result<(), MockError> {
        self.with(|s| s.add_beneficiary(beneficiary)).map(drop)
    }

    /// How many beneficiaries exist.
    pub fn beneficiary_count(&self) -> usize {
        self.with(|s| s.beneficiaries.len())
    }

    /// A transfer, by the merchant's `transactionId`, with its status as of now (settled if its
    /// time has come).
    pub fn transfer(&self, transaction_id: &str) -> Option<PayoutsMockTransfer> {
        self.with(|s| s.transfers.get(transaction_id).map(|t| t.view.clone()))
    }

    /// A transfer's status as of now.
    pub fn transfer_status(&self, transaction_id: &str) -> Option<PayoutStatus> {
        self.with(|s| {
            s.transfers
                .get(transaction_id)
                .map(|t| t.view.status.clone())
        })
    }

    /// The `transactionId` of every transfer, oldest first.
    pub fn transfer_ids(&self) -> Vec<String> {
        self.with(|s| {
            let mut all: Vec<_> = s
                .transfers
                .values()
                .map(|t| (t.seq, t.view.transaction_id.clone()))
                .collect();
            all.sort();
            all.into_iter().map(|(_, id)| id).collect()
        })
    }

    /// A batch, by its `batchTransactionId`: which items were taken and which were refused.
    pub fn batch(&self, batch_transaction_id: &str) -> Option<PayoutsMockBatch> {
        self.with(|s| s.batches.get(batch_transaction_id).cloned())
    }

    /// Settles every transfer still in flight now, whatever
    /// [`PayoutsMockConfig::transfer_delay`] says (oldest first).
    pub fn settle_transfers(&self) {
        self.with(Store::settle_all);
    }

    /// Marks a `SUCCESS` transfer `REVERSED`, as a bank's reconciliation would, crediting its
    /// amount back with a `CREDIT` statement entry; `false` when there is no such successful
    /// transfer.
    pub fn reverse_transfer(&self, transaction_id: &str) -> bool {
        self.with(|s| s.reverse(transaction_id))
    }

    /// The balance of the payout account now, in rupees.
    pub fn balance(&self) -> Decimal {
        self.with(|s| s.balance)
    }

    /// Adds funds to the payout account, with a `CREDIT` statement entry.
    pub fn add_funds(&self, amount: Decimal) {
        self.with(|s| s.credit(amount, None, "Funds added"));
    }

    /// Every statement entry, oldest first (Fetch Bank Statement answers those of its dates).
    pub fn statement(&self) -> Vec<StatementEntry> {
        self.with(|s| s.statement.iter().map(|(_, e)| e.clone()).collect())
    }

    /// Every source bank account added, oldest first; the last one is the active one.
    pub fn source_accounts(&self) -> Vec<SourceBankAccountRequest> {
        self.with(|s| s.source_accounts.clone())
    }

    /// The webhook configuration, as Create Webhook Data last answered it.
    pub fn webhook_config(&self) -> Option<WebhookDataResponse> {
        self.with(|s| s.webhook.clone())
    }
}

impl Store {
    /// A new id: `prefix`, the time in epoch milliseconds and a 4-digit sequence number.
    fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        let millis = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
        format!("{prefix}{millis:013}{:04}", self.seq % 10_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let state = PayoutsMockState::new(PayoutsMockConfig::default());
        let (a, b) = state.with(|s| (s.next_id("EKPO"), s.next_id("EKPO")));
        assert_ne!(a, b);
        assert!(a.starts_with("EKPO"));
    }

    #[test]
    fn the_opening_balance_is_a_credit() {
        let state = PayoutsMockState::new(
            PayoutsMockConfig::default().opening_balance(Decimal::new(5000, 2)),
        );
        assert_eq!(state.balance(), Decimal::new(5000, 2));
        let statement = state.statement();
        assert_eq!(statement.len(), 1);
        assert_eq!(statement[0].transaction_type, "CREDIT");
        assert_eq!(statement[0].transaction_amount, 5000);
    }

    #[test]
    fn a_poisoned_lock_is_recovered() {
        let state = std::sync::Arc::new(PayoutsMockState::new(PayoutsMockConfig::default()));
        let clone = state.clone();
        let _ = std::thread::spawn(move || {
            clone.with(|_| panic!("poison the lock"));
        })
        .join();
        assert_eq!(state.balance(), Decimal::new(10_000_000, 2));
    }
}
