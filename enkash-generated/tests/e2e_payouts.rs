#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end, EnKash Payouts: the generated payouts client against the payouts mock companion
//! (`PayoutsMockServer`: real credential checks, issued bearer tokens, dedup ids refused with
//! 409, transfers moving through their statuses). Covers the token lifecycle, the body cipher,
//! cipher faults, duplicate ids and resends after lost answers, the transfer lifecycle (success,
//! failure, rejection and resend, batches), and that no secret or decrypted body reaches the
//! logs. Every mock runs on 127.0.0.1; nothing here touches the internet.

#![cfg(all(feature = "mock", feature = "payouts"))]

use std::time::Duration;

use base64::Engine as _;
use enkash_generated::payouts::mock::{
    Fault, PayoutsMockConfig, PayoutsMockServer, TOKEN_PREFIX, Times,
};
use enkash_generated::payouts::{
    AccessTokenRequest, BatchPayoutCreateRequest, BeneficiaryCreateRequest,
    BeneficiaryDetailCreateRequest, Client, GetBalanceParams, GrantType, PayoutStatus,
    PayoutTransactionCreateRequest, RejectReasonCode, SourceBankAccountRequest, StatementRequest,
    TransferMode, WebhookDataRequest, WebhookEvent,
};
use enkash_generated::{CipherFault, Error, RetryPolicy};
use rust_decimal::Decimal;

const CLIENT_ID: &str = "CEKPAYCID7";
const CLIENT_SECRET: &str = "csec-Zq9wPayouts8812";
const USERNAME: &str = "payout-user-5519@example.com";
const PASSWORD: &str = "pw-Xk31hunter2Payouts";
const BENEFICIARY_ACCOUNT: &str = "918273645501";
const BENEFICIARY_NAME: &str = "Asha Verkatraman";
const BALANCE: &str = "12345.67";
const FUND_SOURCE: &str = "EKCI4XTWKC";

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// The mock's settings for these tests: the test credentials, tokens of `expires_in` seconds,
/// the opening balance [`BALANCE`], and transfers that stay in flight for a minute (tests of the
/// lifecycle shorten it or settle them).
fn config(expires_in: u64) -> PayoutsMockConfig {
    PayoutsMockConfig::default()
        .credentials(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
        .expires_in(expires_in)
        .opening_balance(BALANCE.parse().unwrap())
        .fund_source_id(FUND_SOURCE)
        .transfer_delay(Duration::from_secs(60))
}

/// A payouts mock started with `config`, with the beneficiary `BEN001` the transfers pay.
async fn start_with(config: PayoutsMockConfig) -> PayoutsMockServer {
    let mock = PayoutsMockServer::start(config)
        .await
        .expect("the mock binds 127.0.0.1");
    mock.state()
        .add_beneficiary(beneficiary("BEN001"))
        .expect("a valid beneficiary");
    mock
}

/// A strict payouts mock whose tokens last `expires_in` seconds.
async fn start_mock(expires_in: i64) -> PayoutsMockServer {
    start_with(config(u64::try_from(expires_in).unwrap())).await
}

/// Injects `fault` into the next answer of `op`.
fn inject(mock: &PayoutsMockServer, op: &str, fault: Fault) {
    assert!(mock.inject(op, fault, Times(1)), "`{op}` is an operation");
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

fn client_with(mock: &PayoutsMockServer, password: &str) -> Client {
    Client::builder()
        .base_url(mock.url())
        .credentials(CLIENT_ID, CLIENT_SECRET, USERNAME, password)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(1))
        .retry_policy(fast_retries())
        .build()
        .expect("a valid client configuration")
}

fn client_for(mock: &PayoutsMockServer) -> Client {
    client_with(mock, PASSWORD)
}

fn balance_params() -> GetBalanceParams {
    GetBalanceParams::new(FUND_SOURCE)
}

fn transfer(id: &str) -> PayoutTransactionCreateRequest {
    PayoutTransactionCreateRequest::new(id, Decimal::new(25050, 2), TransferMode::Imps)
        .with_beneficiary_id("BEN001")
        .with_transfer_remark("Invoice 42")
        .with_fund_source_id(FUND_SOURCE)
}

fn beneficiary(id: &str) -> BeneficiaryCreateRequest {
    BeneficiaryCreateRequest::new(id, BENEFICIARY_NAME)
        .with_beneficiary_account_number(BENEFICIARY_ACCOUNT)
        .with_beneficiary_ifsc("HDFC0001234")
}

/// The dedup key and `earlier_attempt_may_have_succeeded` of a [`Error::DuplicateId`].
fn duplicate(err: &Error) -> Option<(&'static str, bool)> {
    match err {
        Error::DuplicateId {
            key,
            earlier_attempt_may_have_succeeded,
            ..
        } => Some((key, *earlier_attempt_may_have_succeeded)),
        _ => None,
    }
}

/// A plain reqwest client (with `rustls-ring` alone, reqwest needs a crypto provider). It sends
/// a `User-Agent`, as the mock requires.
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent("e2e-payouts-test")
        .build()
        .expect("a reqwest client")
}

// ---------------------------------------------------------------------------------------------
// Log capture (every tracing event and span of this test binary, at TRACE).
// ---------------------------------------------------------------------------------------------

#[path = "support/global_logs.rs"]
mod global_logs;
use global_logs::{capture_logs, logs};

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
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
    assert_eq!(
        mock.hits("get_access_token"),
        0,
        "no token request at build"
    );

    let balance = client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(balance.total_balance, BALANCE.parse::<Decimal>().unwrap());
    assert_eq!(mock.hits("get_access_token"), 1);

    client.accounts().balance(&balance_params()).await.unwrap();
    client
        .beneficiaries()
        .create(&beneficiary("BENLAZY1"))
        .await
        .unwrap();
    assert_eq!(mock.hits("get_access_token"), 1, "the token is reused");
    assert_eq!(mock.state().tokens_issued(), 1);
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    capture_logs();
    let mock = start_mock(2).await;
    let client = Client::builder()
        .base_url(mock.url())
        .credentials(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
        .token_refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    client.accounts().balance(&balance_params()).await.unwrap();
    client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(
        mock.state().tokens_issued(),
        1,
        "still fresh right after issue"
    );

    // A 2 s token with a 1 s margin is refreshed after about 1 s, before it expires.
    tokio::time::sleep(Duration::from_millis(1400)).await;
    client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(mock.state().tokens_issued(), 2, "refreshed ahead of expiry");
    assert_eq!(mock.hits("get_access_token"), 2);
}

#[tokio::test]
async fn concurrent_first_calls_share_one_token_request() {
    capture_logs();
    let mock = start_mock(3600).await;
    // Slow token answer: every call arrives while the fetch is under way.
    inject(
        &mock,
        "get_access_token",
        Fault::Delay(Duration::from_millis(200)),
    );
    let client = client_for(&mock);
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
    assert_eq!(mock.hits("get_access_token"), 1, "single flight");
    assert_eq!(mock.hits("get_balance"), 10);
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_without_secrets() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_with(&mock, "wrong-pw-Qm47");
    let err = client
        .accounts()
        .balance(&balance_params())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_eq!(mock.state().tokens_issued(), 0);
    assert_eq!(mock.hits("get_balance"), 0, "no call without a token");
    let shown = format!("{err} {err:?} {client:?}");
    assert!(leaks(&shown).is_empty(), "{:?} in {shown}", leaks(&shown));
}

#[tokio::test]
async fn bodies_are_encrypted_and_read_decrypted() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
    let sent = transfer("TXNCIPHER1").with_reference("ref-cipher-1");
    let answer = client.transfers().create(&sent).await.unwrap();
    // The client read the decrypted answer.
    assert_eq!(answer.transaction_id.as_deref(), Some("TXNCIPHER1"));
    assert!(answer.enkash_transaction_id.is_some());
    assert_eq!(answer.payout_status, Some(PayoutStatus::Processing));
    // The mock saw the decrypted request.
    assert_eq!(mock.state().transfer_ids(), ["TXNCIPHER1"]);
    let stored = mock.state().transfer("TXNCIPHER1").unwrap();
    assert_eq!(stored.request, sent);
    assert_eq!(stored.request.transfer_amount, Decimal::new(25050, 2));
    assert_eq!(stored.request.reference.as_deref(), Some("ref-cipher-1"));
    assert_eq!(
        answer.enkash_transaction_id.as_deref(),
        Some(stored.enkash_transaction_id.as_str())
    );

    let token = client
        .authorization()
        .get_token(&AccessTokenRequest::new(
            USERNAME,
            PASSWORD,
            GrantType::Password,
            CLIENT_ID,
        ))
        .await
        .unwrap()
        .access_token;
    let http = http();
    // A plain JSON body where cipher text is expected is refused.
    let raw = http
        .post(format!("{}/api/v0/payout-transaction", mock.url()))
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
    assert_eq!(mock.state().transfer_ids().len(), 1);

    // A request without a `User-Agent` is refused before anything else.
    let raw = reqwest::Client::builder()
        .build()
        .unwrap()
        .get(format!(
            "{}/api/v0/payout-account/balance?fundSourceId={FUND_SOURCE}",
            mock.url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);

    // Answers are encrypted on the wire: `{"request": "<base64>"}`, no plain member.
    let raw = http
        .get(format!(
            "{}/api/v0/payout-account/balance?fundSourceId=EKCI4XTWKC",
            mock.url()
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
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
    // Take the token first, so each fault hits the balance answer.
    client.accounts().balance(&balance_params()).await.unwrap();

    inject(&mock, "get_balance", Fault::CipherNotBase64);
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

    inject(&mock, "get_balance", Fault::CipherWrongKey);
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

    inject(&mock, "get_balance", Fault::CipherTruncated);
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

    inject(&mock, "get_balance", Fault::CipherNotText);
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
    assert_eq!(mock.hits("get_balance"), 5);
    let balance = client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(balance.total_balance, BALANCE.parse::<Decimal>().unwrap());
}

#[tokio::test]
async fn reused_ids_are_duplicate_errors() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);

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
            code,
            message,
            earlier_attempt_may_have_succeeded,
            ..
        } => {
            assert_eq!(*key, "transactionId");
            assert_eq!(value, "TXNDUP1");
            assert_eq!(*status, 409);
            // Read from the `{"code", "message"}` shape of a refused answer.
            assert_eq!(*code, Some(409));
            assert_eq!(message, "Transaction ID already exists.");
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
    assert_eq!(
        duplicate(&err).map(|(key, _)| key),
        Some("beneficiaryId"),
        "{err:?}"
    );

    // The answer is lost after the mock acted: the client resends with the same id (the dedup
    // key makes that safe), and the 409 tells that the first attempt landed.
    inject(&mock, "create_transfer", Fault::DropAfterHandling);
    let err = client
        .transfers()
        .create(&transfer("TXNLOST1"))
        .await
        .unwrap_err();
    assert_eq!(duplicate(&err), Some(("transactionId", true)), "{err:?}");
    assert!(err.may_have_been_processed());
    assert_eq!(
        mock.hits("create_transfer"),
        4,
        "2 + the lost attempt + its resend"
    );
    let landed = mock.state().transfer("TXNLOST1").unwrap();
    assert_eq!(landed.attempts, 1, "exactly one transfer with that id");
    assert_eq!(landed.status, PayoutStatus::Processing);
}

#[tokio::test]
async fn no_resend_without_a_dedup_key() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
    inject(&mock, "add_source_bank_account", Fault::DropAfterHandling);
    let request = SourceBankAccountRequest::new("50100012345678", "HDFC0001234");
    let err = client
        .accounts()
        .add_source_bank_account(&request)
        .await
        .unwrap_err();
    assert!(err.may_have_been_processed(), "{err:?}");
    assert_eq!(mock.hits("add_source_bank_account"), 1, "not resent");
    assert_eq!(mock.state().source_accounts(), [request]);
}

#[tokio::test]
async fn batch_statement_and_webhook_answer() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);

    let batch = BatchPayoutCreateRequest::new("BATCH1", vec![transfer("TXNB1"), transfer("TXNB2")]);
    let answer = client.transfers().create_batch(&batch).await.unwrap();
    assert_eq!(answer.batch_transaction_id.as_deref(), Some("BATCH1"));
    let items = answer
        .successful_payout_transaction_create_responses
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].transaction_id.as_deref(), Some("TXNB1"));
    assert_eq!(
        items[0].payout_status,
        Some(PayoutStatus::Pending),
        "batch items queue"
    );
    let err = client.transfers().create_batch(&batch).await.unwrap_err();
    assert_eq!(
        duplicate(&err),
        Some(("batchTransactionId", false)),
        "{err:?}"
    );

    // Both items succeed: the opening credit, then one debit each.
    mock.state().settle_transfers();
    let from = enkash_generated::time::OffsetDateTime::UNIX_EPOCH;
    let to = enkash_generated::time::OffsetDateTime::now_utc() + Duration::from_secs(60);
    let statement = StatementRequest::new(FUND_SOURCE, "50100012345678", from, to);
    let entries = client.accounts().statement(&statement).await.unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].transaction_type, "CREDIT");
    assert_eq!(entries[1].transaction_id.as_deref(), Some("TXNB1"));
    assert_eq!(entries[2].running_balance, Decimal::new(1_184_467, 2));
    // Nothing written before 1970-01-01 00:00:01.
    let early = StatementRequest::new(FUND_SOURCE, "50100012345678", from, from);
    assert!(
        client
            .accounts()
            .statement(&early)
            .await
            .unwrap()
            .is_empty()
    );

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
    assert_eq!(mock.state().webhook_config(), Some(config));

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
    assert_eq!(mock.state().tokens_issued(), 2);
}

#[tokio::test]
async fn no_secret_or_decrypted_body_in_logs() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
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
    inject(&mock, "create_transfer", Fault::CipherWrongKey);
    client
        .transfers()
        .create(&transfer("TXNLOG2"))
        .await
        .unwrap_err();
    assert_eq!(mock.state().tokens_issued(), 1);

    let text = logs();
    assert!(
        text.contains("enkash"),
        "the capture saw the client's spans"
    );
    let found = leaks(&text);
    assert!(found.is_empty(), "{found:?} leaked into the logs:\n{text}");
}

#[tokio::test]
async fn transfer_moves_to_success_debits_the_balance_and_writes_a_statement_entry() {
    capture_logs();
    let mock = start_with(config(3600).transfer_delay(Duration::from_millis(300))).await;
    let client = client_for(&mock);
    let opening: Decimal = BALANCE.parse().unwrap();

    let answer = client
        .transfers()
        .create(&transfer("TXNFLOW1"))
        .await
        .unwrap();
    assert_eq!(answer.payout_status, Some(PayoutStatus::Processing));
    let in_flight = mock.state().transfer("TXNFLOW1").unwrap();
    assert_eq!(in_flight.status, PayoutStatus::Processing);
    assert_eq!(in_flight.utr, None);
    assert_eq!(mock.state().balance(), opening, "nothing debited in flight");
    assert_eq!(mock.state().statement().len(), 1, "the opening credit only");

    tokio::time::sleep(Duration::from_millis(400)).await;
    let done = mock.state().transfer("TXNFLOW1").unwrap();
    assert_eq!(done.status, PayoutStatus::Success);
    let debited = opening - Decimal::new(25050, 2);
    assert_eq!(mock.state().balance(), debited);
    let balance = client.accounts().balance(&balance_params()).await.unwrap();
    assert_eq!(balance.total_balance, debited);

    let statement = mock.state().statement();
    assert_eq!(statement.len(), 2);
    let entry = &statement[1];
    assert_eq!(entry.transaction_type, "DEBIT");
    assert_eq!(entry.transaction_id.as_deref(), Some("TXNFLOW1"));
    assert_eq!(entry.transaction_amount, 25050, "in paise");
    assert_eq!(entry.running_balance, debited);
    assert_eq!(entry.remarks.as_deref(), Some("Invoice 42"));
    assert_eq!(Some(&entry.transaction_reference_number), done.utr.as_ref());

    // A successful id stays spent.
    let err = client
        .transfers()
        .create(&transfer("TXNFLOW1"))
        .await
        .unwrap_err();
    assert_eq!(
        duplicate(&err).map(|(key, _)| key),
        Some("transactionId"),
        "{err:?}"
    );
}

#[tokio::test]
async fn amount_ending_in_13_paise_fails() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
    let failing = transfer("TXNFAIL1").with_transfer_remark("Refund 13");
    let mut failing = failing;
    failing.transfer_amount = Decimal::new(25013, 2);
    let answer = client.transfers().create(&failing).await.unwrap();
    assert_eq!(answer.payout_status, Some(PayoutStatus::Processing));

    mock.state().settle_transfers();
    let failed = mock.state().transfer("TXNFAIL1").unwrap();
    assert_eq!(failed.status, PayoutStatus::Failed);
    assert!(failed.failure_reason.is_some());
    assert_eq!(failed.utr, None);
    assert_eq!(mock.state().balance(), BALANCE.parse::<Decimal>().unwrap());
    assert_eq!(mock.state().statement().len(), 1, "no debit for a failure");

    // A FAILED id is not reusable (only REJECTED ones are).
    let err = client.transfers().create(&failing).await.unwrap_err();
    assert_eq!(
        duplicate(&err).map(|(key, _)| key),
        Some("transactionId"),
        "{err:?}"
    );
}

#[tokio::test]
async fn rejected_transfer_may_be_resent_with_the_same_id() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);

    // An unknown beneficiary id and no inline detail: REJECTED at once.
    let wrong = transfer("TXNREJ1").with_beneficiary_id("BENUNKNOWN9");
    let answer = client.transfers().create(&wrong).await.unwrap();
    assert_eq!(answer.payout_status, Some(PayoutStatus::Rejected));
    let rejected = mock.state().transfer("TXNREJ1").unwrap();
    assert_eq!(rejected.status, PayoutStatus::Rejected);
    assert_eq!(
        rejected.reject_reason,
        Some(RejectReasonCode::RejectBenefId)
    );
    assert_eq!(rejected.attempts, 1);

    // Corrected (an inline beneficiary this time) and resent with the same id: accepted.
    let detail = BeneficiaryDetailCreateRequest::new("BENINLINE1", BENEFICIARY_NAME)
        .with_beneficiary_account_number(BENEFICIARY_ACCOUNT)
        .with_beneficiary_ifsc("HDFC0001234");
    let mut fixed = transfer("TXNREJ1").with_beneficiary_detail(detail);
    fixed.beneficiary_id = None;
    let answer = client.transfers().create(&fixed).await.unwrap();
    assert_eq!(answer.payout_status, Some(PayoutStatus::Processing));
    let resent = mock.state().transfer("TXNREJ1").unwrap();
    assert_eq!(resent.attempts, 2);
    assert_eq!(resent.reject_reason, None);
    assert_eq!(resent.request, fixed);
    assert_ne!(resent.enkash_transaction_id, rejected.enkash_transaction_id);

    // Now the id is spent.
    let err = client.transfers().create(&fixed).await.unwrap_err();
    assert_eq!(
        duplicate(&err).map(|(key, _)| key),
        Some("transactionId"),
        "{err:?}"
    );

    // With no beneficiary at all, the transfer is refused outright (422), not stored.
    let nobody =
        PayoutTransactionCreateRequest::new("TXNNOBODY1", Decimal::ONE_HUNDRED, TransferMode::Imps);
    let err = client.transfers().create(&nobody).await.unwrap_err();
    assert!(!matches!(err, Error::DuplicateId { .. }), "{err:?}");
    assert!(mock.state().transfer("TXNNOBODY1").is_none());
}

#[tokio::test]
async fn batch_duplicates_are_refused() {
    capture_logs();
    let mock = start_mock(3600).await;
    let client = client_for(&mock);
    client
        .transfers()
        .create(&transfer("TXNSINGLE1"))
        .await
        .unwrap();

    let batch = BatchPayoutCreateRequest::new(
        "BATCHDUP1",
        vec![
            transfer("TXNBD1"),
            transfer("TXNBD1"),
            transfer("TXNSINGLE1"),
            transfer("TXNBD2").with_beneficiary_id("BENUNKNOWN9"),
        ],
    );
    let answer = client.transfers().create_batch(&batch).await.unwrap();
    let items = answer
        .successful_payout_transaction_create_responses
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .filter_map(|i| i.transaction_id.as_deref())
        .collect();
    assert_eq!(ids, ["TXNBD1"], "duplicates and rejects are not listed");
    let taken = mock.state().batch("BATCHDUP1").unwrap();
    assert_eq!(taken.accepted, ["TXNBD1"]);
    assert_eq!(taken.rejected, ["TXNBD2"]);
    let refused: Vec<_> = taken
        .refused
        .iter()
        .map(|(id, m)| (id.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            ("TXNBD1", "Transaction ID already exists."),
            ("TXNSINGLE1", "Transaction ID already exists."),
        ]
    );
    let single = mock.state().transfer("TXNSINGLE1").unwrap();
    assert_eq!(
        single.batch_transaction_id, None,
        "the single transfer is untouched"
    );
    assert_eq!(single.attempts, 1);
    assert_eq!(
        mock.state().transfer_status("TXNBD1"),
        Some(PayoutStatus::Pending)
    );

    // The same batch again: refused as a whole.
    let err = client.transfers().create_batch(&batch).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::DuplicateId {
                key: "batchTransactionId",
                status: 409,
                ..
            }
        ),
        "{err:?}"
    );

    // A new batch may carry the REJECTED item again, corrected; the spent ids stay refused.
    let retry =
        BatchPayoutCreateRequest::new("BATCHDUP2", vec![transfer("TXNBD2"), transfer("TXNBD1")]);
    let answer = client.transfers().create_batch(&retry).await.unwrap();
    let items = answer
        .successful_payout_transaction_create_responses
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].transaction_id.as_deref(), Some("TXNBD2"));
    assert_eq!(mock.state().transfer("TXNBD2").unwrap().attempts, 2);

    mock.state().settle_transfers();
    assert_eq!(
        mock.state().transfer_status("TXNBD1"),
        Some(PayoutStatus::Success)
    );
    assert_eq!(
        mock.state().transfer_status("TXNBD2"),
        Some(PayoutStatus::Success)
    );
    let spent = Decimal::new(25050, 2) * Decimal::from(3);
    assert_eq!(
        mock.state().balance(),
        BALANCE.parse::<Decimal>().unwrap() - spent
    );
}

#[tokio::test]
async fn mock_refuses_bad_client_credentials_and_unknown_or_expired_tokens() {
    capture_logs();
    let mock = start_mock(1).await;
    let http = http();
    let form = [
        ("username", USERNAME),
        ("password", PASSWORD),
        ("grant_type", "password"),
        ("clientId", CLIENT_ID),
    ];
    let form = serde_urlencoded::to_string(form).unwrap();
    // The right form behind a wrong Basic header: 401, OAuth-style.
    let raw = http
        .post(format!("{}/oauth/token", mock.url()))
        .basic_auth(CLIENT_ID, Some("not-the-secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 401);
    let body = raw.text().await.unwrap();
    assert!(body.contains("invalid_client"), "{body}");
    // The right Basic header: a token that lasts `expires_in` (1 s here).
    let raw = http
        .post(format!("{}/oauth/token", mock.url()))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    let token: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(token["expires_in"], 1);
    let token = token["access_token"].as_str().unwrap().to_owned();
    assert_eq!(mock.state().tokens_issued(), 1);

    let balance = |bearer: String| {
        http.get(format!(
            "{}/api/v0/payout-account/balance?fundSourceId={FUND_SOURCE}",
            mock.url()
        ))
        .bearer_auth(bearer)
        .send()
    };
    assert_eq!(balance(token.clone()).await.unwrap().status().as_u16(), 200);
    let unknown = balance("not-a-token".into()).await.unwrap();
    assert_eq!(unknown.status().as_u16(), 401);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = balance(token).await.unwrap();
    assert_eq!(expired.status().as_u16(), 401);
    let body = expired.text().await.unwrap();
    assert!(body.contains("expired"), "{body}");
}
