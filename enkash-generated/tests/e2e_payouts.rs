#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end, EnKash Payouts: the generated payouts client against the generated payouts mock,
//! served from a strict test-local store (real credential checks, issued bearer tokens, dedup
//! ids refused with 409). Covers the token lifecycle, the body cipher, cipher faults, duplicate
//! ids and resends after lost answers, and that no secret or decrypted body reaches the logs.
//! Every mock runs on 127.0.0.1; nothing here touches the internet.

#![cfg(all(feature = "mock", feature = "payouts"))]

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use enkash_generated::payouts::mock::{
    self as m, Fault, FaultsAndHits, LocalServer, MockContext, MockCredential, MockError,
    MockHooks, MockOperation, MockReply, Times,
};
use enkash_generated::payouts::{
    AccessTokenRequest, AccessTokenResponse, BalanceResponse, BatchPayoutCreateRequest,
    BatchPayoutCreateResponse, BeneficiaryCreateRequest, BeneficiaryCreateResponse, Client,
    GetBalanceParams, GrantType, PayoutStatus, PayoutTransactionCreateRequest,
    PayoutTransactionCreateResponse, SourceBankAccountRequest, StatementEntry, StatementRequest,
    TransferMode, WebhookDataRequest, WebhookDataResponse, WebhookEvent,
};
use enkash_generated::{CipherFault, Error, RetryPolicy, SecretString};
use rust_decimal::Decimal;

const CLIENT_ID: &str = "CEKPAYCID7";
const CLIENT_SECRET: &str = "csec-Zq9wPayouts8812";
const USERNAME: &str = "payout-user-5519@example.com";
const PASSWORD: &str = "pw-Xk31hunter2Payouts";
/// Every token the mock issues starts with this.
const TOKEN_PREFIX: &str = "ptok-7f3a9c-";
const BENEFICIARY_ACCOUNT: &str = "918273645501";
const BENEFICIARY_NAME: &str = "Asha Verkatraman";
const BALANCE: &str = "12345.67";

// ---------------------------------------------------------------------------------------------
// The test-local mock: store and hooks.
// ---------------------------------------------------------------------------------------------

/// The credentials the mock expects.
#[derive(Clone)]
struct Creds {
    client_id: String,
    client_secret: String,
    username: String,
    password: String,
}

impl Creds {
    fn standard() -> Self {
        Creds {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            username: USERNAME.into(),
            password: PASSWORD.into(),
        }
    }

    fn of(&self, credential: MockCredential) -> Option<&str> {
        match credential {
            MockCredential::ClientId => Some(&self.client_id),
            MockCredential::ClientSecret => Some(&self.client_secret),
            MockCredential::Username => Some(&self.username),
            MockCredential::Password => Some(&self.password),
            _ => None,
        }
    }

    /// Whether `header` (after `Basic `) carries `user:password` of these credentials.
    fn basic_matches(&self, encoded: &str, user: MockCredential, password: MockCredential) -> bool {
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return false;
        };
        match (self.of(user), self.of(password)) {
            (Some(user), Some(password)) => decoded == format!("{user}:{password}"),
            _ => false,
        }
    }
}

fn unauthorized(message: &str) -> MockError {
    MockError {
        status: 401,
        code: 401,
        message: message.into(),
    }
}

fn conflict(message: &str) -> MockError {
    MockError {
        status: 409,
        code: 409,
        message: message.into(),
    }
}

/// The mock's state.
struct Store {
    creds: Creds,
    /// `expires_in` of issued tokens, seconds.
    expires_in: i64,
    tokens: Vec<String>,
    beneficiaries: HashMap<String, BeneficiaryCreateRequest>,
    /// Every accepted transfer, in order (a resend that landed twice would show twice).
    transfers: Vec<PayoutTransactionCreateRequest>,
    batches: Vec<String>,
    source_accounts: Vec<SourceBankAccountRequest>,
}

impl m::MockAuthorization for Store {
    fn get_access_token(
        &mut self,
        ctx: &MockContext,
        body: AccessTokenRequest,
    ) -> MockReply<AccessTokenResponse> {
        let basic = ctx
            .header("authorization")
            .and_then(|value| value.strip_prefix("Basic "))
            .unwrap_or_default();
        if !self.creds.basic_matches(
            basic,
            MockCredential::ClientId,
            MockCredential::ClientSecret,
        ) {
            return Err(unauthorized("Bad client credentials"));
        }
        if body.username != self.creds.username
            || body.password != self.creds.password
            || body.client_id != self.creds.client_id
            || body.grant_type != GrantType::Password
        {
            return Err(unauthorized("Bad credentials"));
        }
        let token = format!("{TOKEN_PREFIX}{}", self.tokens.len() + 1);
        self.tokens.push(token.clone());
        Ok(AccessTokenResponse::new(token)
            .with_token_type("bearer")
            .with_expires_in(self.expires_in))
    }
}

impl m::MockBeneficiaries for Store {
    fn create_beneficiary(
        &mut self,
        _ctx: &MockContext,
        body: BeneficiaryCreateRequest,
    ) -> MockReply<BeneficiaryCreateResponse> {
        if self.beneficiaries.contains_key(&body.beneficiary_id) {
            return Err(conflict("Beneficiary ID already exists."));
        }
        let mut answer = BeneficiaryCreateResponse::new();
        if let Some(account) = &body.beneficiary_account_number {
            answer = answer.with_beneficiary_account_number(account.clone());
        }
        self.beneficiaries.insert(body.beneficiary_id.clone(), body);
        Ok(answer)
    }
}

fn accepted(transfer: &PayoutTransactionCreateRequest) -> PayoutTransactionCreateResponse {
    PayoutTransactionCreateResponse::new()
        .with_transaction_id(transfer.transaction_id.clone())
        .with_enkash_transaction_id(format!("EK-{}", transfer.transaction_id))
        .with_payout_status(PayoutStatus::Processing)
}

impl m::MockTransfers for Store {
    fn create_batch_transfer(
        &mut self,
        _ctx: &MockContext,
        body: BatchPayoutCreateRequest,
    ) -> MockReply<BatchPayoutCreateResponse> {
        if self.batches.contains(&body.batch_transaction_id) {
            return Err(conflict("Batch Transaction ID already exists."));
        }
        self.batches.push(body.batch_transaction_id.clone());
        let items = body.transfers.iter().map(accepted).collect();
        self.transfers.extend(body.transfers);
        Ok(BatchPayoutCreateResponse::new()
            .with_batch_transaction_id(body.batch_transaction_id)
            .with_successful_payout_transaction_create_responses(items))
    }

    fn create_transfer(
        &mut self,
        _ctx: &MockContext,
        body: PayoutTransactionCreateRequest,
    ) -> MockReply<PayoutTransactionCreateResponse> {
        if self
            .transfers
            .iter()
            .any(|t| t.transaction_id == body.transaction_id)
        {
            return Err(conflict("Transaction ID already exists."));
        }
        let answer = accepted(&body);
        self.transfers.push(body);
        Ok(answer)
    }
}

impl m::MockAccounts for Store {
    fn add_source_bank_account(
        &mut self,
        _ctx: &MockContext,
        body: SourceBankAccountRequest,
    ) -> MockReply<serde_json::Value> {
        self.source_accounts.push(body);
        Ok(serde_json::json!({}))
    }

    fn get_balance(&mut self, _ctx: &MockContext) -> MockReply<BalanceResponse> {
        Ok(BalanceResponse::new(BALANCE.parse().unwrap()))
    }

    fn get_statement(
        &mut self,
        _ctx: &MockContext,
        _body: StatementRequest,
    ) -> MockReply<Vec<StatementEntry>> {
        Ok(vec![
            StatementEntry::new("CREDIT", "UTR0001", 500, "500.00".parse().unwrap()),
            StatementEntry::new("DEBIT", "UTR0002", 100, "400.00".parse().unwrap())
                .with_remarks("payout"),
        ])
    }
}

impl m::MockWebhookConfig for Store {
    fn create_webhook_config(
        &mut self,
        _ctx: &MockContext,
        body: WebhookDataRequest,
    ) -> MockReply<WebhookDataResponse> {
        Ok(WebhookDataResponse::new()
            .with_webhook_url(body.webhook_url)
            .with_events(body.events)
            .with_enabled(body.enabled.unwrap_or(true)))
    }
}

/// Strict hooks: Basic and Bearer headers checked, the client secret as the cipher key.
struct PayoutsHooks {
    store: Mutex<Store>,
    faults_and_hits: FaultsAndHits,
    creds: Creds,
}

impl PayoutsHooks {
    fn new(expires_in: i64) -> Self {
        let creds = Creds::standard();
        PayoutsHooks {
            store: Mutex::new(Store {
                creds: creds.clone(),
                expires_in,
                tokens: Vec::new(),
                beneficiaries: HashMap::new(),
                transfers: Vec::new(),
                batches: Vec::new(),
                source_accounts: Vec::new(),
            }),
            faults_and_hits: FaultsAndHits::default(),
            creds,
        }
    }

    fn with_store<R>(&self, f: impl FnOnce(&Store) -> R) -> R {
        f(&self.store.lock().unwrap())
    }

    fn issued(&self) -> usize {
        self.with_store(|s| s.tokens.len())
    }

    fn hits(&self, op: &str) -> u64 {
        self.faults_and_hits.hits(op)
    }

    fn inject(&self, op: &str, fault: Fault) {
        self.faults_and_hits.inject(op, fault, Times(1));
    }
}

impl MockHooks for PayoutsHooks {
    type Store = Store;

    fn store(&self) -> &Mutex<Store> {
        &self.store
    }

    fn faults_and_hits(&self) -> &FaultsAndHits {
        &self.faults_and_hits
    }

    fn authorize(&self, op: MockOperation, ctx: &MockContext) -> Result<(), MockError> {
        for header in op.auth_headers() {
            let Some(value) = ctx.header(header.name) else {
                return Err(unauthorized("missing Authorization"));
            };
            let Some(rest) = value.strip_prefix(header.prefix) else {
                return Err(unauthorized("wrong Authorization scheme"));
            };
            if let Some((user, password)) = header.basic {
                if !self.creds.basic_matches(rest, user, password) {
                    return Err(unauthorized("Bad client credentials"));
                }
            } else if header.credential == MockCredential::Token {
                let known = self.with_store(|s| s.tokens.iter().any(|t| t == rest));
                if !known {
                    return Err(unauthorized("Invalid access token"));
                }
            } else if self.creds.of(header.credential) != Some(rest) {
                return Err(unauthorized("Bad credential"));
            }
        }
        Ok(())
    }

    fn secret(&self, credential: MockCredential) -> Option<SecretString> {
        self.creds.of(credential).map(SecretString::from)
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// A strict payouts mock whose tokens last `expires_in` seconds.
async fn start_mock(expires_in: i64) -> (Arc<PayoutsHooks>, LocalServer) {
    let hooks = Arc::new(PayoutsHooks::new(expires_in));
    let server = LocalServer::start(0, m::router(hooks.clone()))
        .await
        .expect("the mock binds 127.0.0.1");
    (hooks, server)
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

fn client_with(server: &LocalServer, password: &str) -> Client {
    Client::builder()
        .base_url(server.url())
        .credentials(CLIENT_ID, CLIENT_SECRET, USERNAME, password)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(1))
        .retry_policy(fast_retries())
        .build()
        .expect("a valid client configuration")
}

fn client_for(server: &LocalServer) -> Client {
    client_with(server, PASSWORD)
}

fn balance_params() -> GetBalanceParams {
    GetBalanceParams::new("EKCI4XTWKC")
}

fn transfer(id: &str) -> PayoutTransactionCreateRequest {
    PayoutTransactionCreateRequest::new(id, Decimal::new(25050, 2), TransferMode::Imps)
        .with_beneficiary_id("BEN001")
        .with_transfer_remark("Invoice 42")
        .with_fund_source_id("EKCI4XTWKC")
}

fn beneficiary(id: &str) -> BeneficiaryCreateRequest {
    BeneficiaryCreateRequest::new(id, BENEFICIARY_NAME)
        .with_beneficiary_account_number(BENEFICIARY_ACCOUNT)
        .with_beneficiary_ifsc("HDFC0001234")
}

/// A plain reqwest client (with `rustls-ring` alone, reqwest needs a crypto provider).
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .build()
        .expect("a reqwest client")
}

// ---------------------------------------------------------------------------------------------
// Log capture (every tracing event and span of this test binary, at TRACE).
// ---------------------------------------------------------------------------------------------

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| Capture)
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .without_time()
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// What of the secrets and sensitive values is found in `text`.
fn leaks(text: &str) -> Vec<&'static str> {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    [
        (CLIENT_ID, "client id"),
        (CLIENT_SECRET, "client secret"),
        (USERNAME, "username"),
        (PASSWORD, "password"),
        (TOKEN_PREFIX, "token"),
        (BENEFICIARY_ACCOUNT, "beneficiary account"),
        (BENEFICIARY_NAME, "beneficiary name"),
        (basic.as_str(), "Basic credentials"),
        ("wrong-pw-Qm47", "wrong password"),
    ]
    .into_iter()
    .filter(|(value, _)| text.contains(value))
    .map(|(_, what)| what)
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_is_fetched_lazily_and_reused() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);
    assert_eq!(
        hooks.hits("get_access_token"),
        0,
        "no token request at build"
    );

    let balance = client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(balance.total_balance, BALANCE.parse::<Decimal>().unwrap());
    assert_eq!(hooks.hits("get_access_token"), 1);

    client.accounts().balance(&balance_params()).await.unwrap();
    client
        .beneficiaries()
        .create(&beneficiary("BENLAZY1"))
        .await
        .unwrap();
    assert_eq!(hooks.hits("get_access_token"), 1, "the token is reused");
    assert_eq!(hooks.issued(), 1);
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    capture_logs();
    let (hooks, server) = start_mock(2).await;
    let client = Client::builder()
        .base_url(server.url())
        .credentials(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
        .token_refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    client.accounts().balance(&balance_params()).await.unwrap();
    client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(hooks.issued(), 1, "still fresh right after issue");

    // A 2 s token with a 1 s margin is refreshed after about 1 s, before it expires.
    tokio::time::sleep(Duration::from_millis(1400)).await;
    client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(hooks.issued(), 2, "refreshed ahead of expiry");
    assert_eq!(hooks.hits("get_access_token"), 2);
}

#[tokio::test]
async fn concurrent_first_calls_share_one_token_request() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    // Slow token answer: every call arrives while the fetch is under way.
    hooks.inject("get_access_token", Fault::Delay(Duration::from_millis(200)));
    let client = client_for(&server);
    let mut calls = Vec::new();
    for _ in 0..10 {
        let client = client.clone();
        calls.push(tokio::spawn(async move {
            client.accounts().balance(&balance_params()).await
        }));
    }
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(hooks.hits("get_access_token"), 1, "single flight");
    assert_eq!(hooks.hits("get_balance"), 10);
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_without_secrets() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_with(&server, "wrong-pw-Qm47");
    let err = client
        .accounts()
        .balance(&balance_params())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_eq!(hooks.issued(), 0);
    assert_eq!(hooks.hits("get_balance"), 0, "no call without a token");
    let shown = format!("{err} {err:?} {client:?}");
    assert!(leaks(&shown).is_empty(), "{:?} in {shown}", leaks(&shown));
}

#[tokio::test]
async fn bodies_are_encrypted_and_read_decrypted() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);
    let sent = transfer("TXNCIPHER1").with_reference("ref-cipher-1");
    let answer = client.transfers().create(&sent).await.unwrap();
    // The client read the decrypted answer.
    assert_eq!(answer.transaction_id.as_deref(), Some("TXNCIPHER1"));
    assert_eq!(
        answer.enkash_transaction_id.as_deref(),
        Some("EK-TXNCIPHER1")
    );
    assert_eq!(answer.payout_status, Some(PayoutStatus::Processing));
    // The mock saw the decrypted request.
    let stored = hooks.with_store(|s| s.transfers.clone());
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0], sent);
    assert_eq!(stored[0].transfer_amount, Decimal::new(25050, 2));
    assert_eq!(stored[0].reference.as_deref(), Some("ref-cipher-1"));

    let token = hooks.with_store(|s| s.tokens[0].clone());
    let http = http();
    // A plain JSON body where cipher text is expected is refused.
    let raw = http
        .post(format!("{}/api/v0/payout-transaction", server.url()))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "transactionId": "TXNPLAIN1",
            "transferAmount": 10,
            "transferMode": "IMPS",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 422);
    let body = raw.text().await.unwrap();
    assert!(body.contains("Invalid encrypted request"), "{body}");
    assert_eq!(hooks.with_store(|s| s.transfers.len()), 1);

    // Answers are encrypted on the wire: `{"request": "<base64>"}`, no plain member.
    let raw = http
        .get(format!(
            "{}/api/v0/payout-account/balance?fundSourceId=EKCI4XTWKC",
            server.url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    let body: serde_json::Value = raw.json().await.unwrap();
    let text = body["request"].as_str().expect("a wrapped cipher text");
    assert!(!text.is_empty());
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("Base64 cipher text");
    assert!(!body.to_string().contains("totalBalance"), "{body}");
    assert!(!body.to_string().contains(BALANCE), "{body}");
}

#[tokio::test]
async fn cipher_faults_are_typed_errors() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);
    // Take the token first, so each fault hits the balance answer.
    client.accounts().balance(&balance_params()).await.unwrap();

    hooks.inject("get_balance", Fault::CipherNotBase64);
    let err = client
        .accounts()
        .balance(&balance_params())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cipher {
                fault: CipherFault::NotBase64,
                operation: "get_balance",
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );

    hooks.inject("get_balance", Fault::CipherWrongKey);
    let err = client
        .accounts()
        .balance(&balance_params())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cipher {
                fault: CipherFault::WrongKey,
                ..
            }
        ),
        "{err:?}"
    );

    hooks.inject("get_balance", Fault::CipherTruncated);
    let err = client
        .accounts()
        .balance(&balance_params())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cipher {
                fault: CipherFault::Truncated { .. },
                ..
            }
        ),
        "{err:?}"
    );

    hooks.inject("get_balance", Fault::CipherNotText);
    let err = client
        .accounts()
        .balance(&balance_params())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cipher {
                fault: CipherFault::NotText { field: "request" },
                ..
            }
        ),
        "{err:?}"
    );

    // Each fault was one answer: no resend, and the next call reads normally.
    assert_eq!(hooks.hits("get_balance"), 5);
    let balance = client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(balance.total_balance, BALANCE.parse::<Decimal>().unwrap());
}

#[tokio::test]
async fn reused_ids_are_duplicate_errors() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);

    client
        .transfers()
        .create(&transfer("TXNDUP1"))
        .await
        .unwrap();
    let err = client
        .transfers()
        .create(&transfer("TXNDUP1"))
        .await
        .unwrap_err();
    match &err {
        Error::DuplicateId {
            key,
            value,
            status,
            earlier_attempt_may_have_succeeded,
            ..
        } => {
            assert_eq!(*key, "transactionId");
            assert_eq!(value, "TXNDUP1");
            assert_eq!(*status, 409);
            assert!(!earlier_attempt_may_have_succeeded);
        }
        other => panic!("expected DuplicateId, got {other:?}"),
    }
    assert!(!err.may_have_been_processed());

    client
        .beneficiaries()
        .create(&beneficiary("BENDUP1"))
        .await
        .unwrap();
    let err = client
        .beneficiaries()
        .create(&beneficiary("BENDUP1"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::DuplicateId {
                key: "beneficiaryId",
                ..
            }
        ),
        "{err:?}"
    );

    // The answer is lost after the mock acted: the client resends with the same id (the dedup
    // key makes that safe), and the 409 tells that the first attempt landed.
    hooks.inject("create_transfer", Fault::DropAfterHandling);
    let err = client
        .transfers()
        .create(&transfer("TXNLOST1"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::DuplicateId {
                key: "transactionId",
                earlier_attempt_may_have_succeeded: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    assert_eq!(
        hooks.hits("create_transfer"),
        4,
        "2 + the lost attempt + its resend"
    );
    let landed = hooks.with_store(|s| {
        s.transfers
            .iter()
            .filter(|t| t.transaction_id == "TXNLOST1")
            .count()
    });
    assert_eq!(landed, 1, "exactly one transfer with that id");
}

#[tokio::test]
async fn no_resend_without_a_dedup_key() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);
    hooks.inject("add_source_bank_account", Fault::DropAfterHandling);
    let request = SourceBankAccountRequest::new("50100012345678", "HDFC0001234");
    let err = client
        .accounts()
        .add_source_bank_account(&request)
        .await
        .unwrap_err();
    assert!(err.may_have_been_processed(), "{err:?}");
    assert_eq!(hooks.hits("add_source_bank_account"), 1, "not resent");
    assert_eq!(hooks.with_store(|s| s.source_accounts.len()), 1);
}

#[tokio::test]
async fn batch_statement_and_webhook_answer() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);

    let batch = BatchPayoutCreateRequest::new("BATCH1", vec![transfer("TXNB1"), transfer("TXNB2")]);
    let answer = client.transfers().create_batch(&batch).await.unwrap();
    assert_eq!(answer.batch_transaction_id.as_deref(), Some("BATCH1"));
    let items = answer
        .successful_payout_transaction_create_responses
        .unwrap();
    assert_eq!(items.len(), 2);
    let err = client.transfers().create_batch(&batch).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::DuplicateId {
                key: "batchTransactionId",
                earlier_attempt_may_have_succeeded: false,
                ..
            }
        ),
        "{err:?}"
    );

    let from = enkash_generated::time::OffsetDateTime::UNIX_EPOCH;
    let statement = StatementRequest::new("EKCI4XTWKC", "50100012345678", from, from);
    let entries = client.accounts().statement(&statement).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].running_balance, Decimal::new(40000, 2));

    let webhook = WebhookDataRequest::new(
        "https://merchant.example.com/payouts",
        vec![WebhookEvent::PayoutSuccess],
    );
    let config = client.webhook_config().create(&webhook).await.unwrap();
    assert_eq!(
        config.webhook_url.as_deref(),
        Some("https://merchant.example.com/payouts")
    );
    assert_eq!(config.enabled, Some(true));

    // A direct token call works with the same strict checks.
    let token = client
        .authorization()
        .get_token(&AccessTokenRequest::new(
            USERNAME,
            PASSWORD,
            GrantType::Password,
            CLIENT_ID,
        ))
        .await
        .unwrap();
    assert!(token.access_token.starts_with(TOKEN_PREFIX));
    assert_eq!(hooks.issued(), 2);
}

#[tokio::test]
async fn no_secret_or_decrypted_body_in_logs() {
    capture_logs();
    let (hooks, server) = start_mock(3600).await;
    let client = client_for(&server);
    client
        .beneficiaries()
        .create(&beneficiary("BENLOG1"))
        .await
        .unwrap();
    client
        .transfers()
        .create(&transfer("TXNLOG1"))
        .await
        .unwrap();
    // Errors are logged too: a duplicate and a cipher fault.
    client
        .beneficiaries()
        .create(&beneficiary("BENLOG1"))
        .await
        .unwrap_err();
    hooks.inject("create_transfer", Fault::CipherWrongKey);
    client
        .transfers()
        .create(&transfer("TXNLOG2"))
        .await
        .unwrap_err();
    assert_eq!(hooks.issued(), 1);

    let text = logs();
    assert!(
        text.contains("enkash"),
        "the capture saw the client's spans"
    );
    let found = leaks(&text);
    assert!(found.is_empty(), "{found:?} leaked into the logs:\n{text}");
}
