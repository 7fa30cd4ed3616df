//! Client overhead: requests per second through the generated client
//! (`client.settlements().get_payout(..)`) against a hand-written reqwest + serde_json call of the
//! same operation (`cargo bench -p xtask --bench client`).
//!
//! Both send the same GET with the same headers through one shared `reqwest::Client` (the same
//! connection pool and settings) to one local axum server on 127.0.0.1, which answers a
//! settlement payout with five transactions in the standard envelope. Both decode the payload
//! into the generated `SettlementPayoutDetail` and check the envelope code, so the difference is
//! what the generated client adds: request building, auth headers from the cached token, the
//! retry loop, per-attempt timeout, tracing span and path-aware decoding. Measured one request at
//! a time and 16 at once, server and client on one current-thread runtime (so the figures
//! include the server's work, the same for both).

use std::time::Duration;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use divan::Bencher;
use divan::counter::ItemsCount;
use enkash_generated::{Client, SettlementPayoutDetail};
use serde::Deserialize;
use tokio::runtime::Runtime;

const ACCESS_KEY: &str = "bench-access-key";
const TIMEOUT: Duration = Duration::from_secs(30);
const CONCURRENT: usize = 16;

fn main() {
    divan::main();
}

fn payout_body() -> String {
    let transaction = |i: usize| {
        format!(
            r#"{{"settlementTransactionId":"STGD11VLSUO2{i}","saleAmount":13.84,"txnAmount":13.84,"taxAmount":0.0212,"charges":0.1176,"settlementAmount":13.70,"transactionType":"SALE","settlementStatus":"SETTLED","approvedOn":"2026-04-22 13:50:03","remarks":"ok","merchantMdr":0.85,"createdOn":"2026-04-22 13:50:03","modifiedOn":"2026-04-22 13:50:03"}}"#
        )
    };
    let transactions: Vec<String> = (0..5).map(transaction).collect();
    format!(
        r#"{{"response_code":0,"response_message":"Success","payload":{{"settlementPayoutId":"SP11114BPTOS","totalSaleAmount":69.20,"totalRefundAmount":0.00,"totalCharges":0.5880,"totalGst":0.1060,"totalSettlementAmount":68.50,"payoutStatus":"SUCCESS","payoutMode":"IMPS","utr":"AXISCN111118675","payoutDate":"2026-04-22 13:50:03","remarks":"Settlement processed","transferId":"EK111112134500394CW","createdOn":"2026-04-22 13:50:03","modifiedOn":"2026-04-22 13:50:03","settlementTransactions":[{}]}}}}"#,
        transactions.join(",")
    )
}

/// The local server, the client runtime and both clients.
struct Fixture {
    runtime: Runtime,
    base_url: String,
    http: reqwest::Client,
    generated: Client,
    token: String,
}

fn fixture() -> Fixture {
    fixture_with(false)
}

/// The fixture, its generated client recording drift or not.
fn fixture_with(recording: bool) -> Fixture {
    let body: &'static str = Box::leak(payout_body().into_boxed_str());
    // Server and client share one current-thread runtime: no cross-thread wake-ups, whose
    // latency on a busy 2-core VM swamps the difference being measured.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|err| panic!("runtime: {err}"));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap_or_else(|err| panic!("bind: {err}"));
    let address = listener
        .local_addr()
        .unwrap_or_else(|err| panic!("address: {err}"));
    let app = Router::new()
        .route(
            "/api/v0/merchant/token",
            post(|| async {
                (
                    [(CONTENT_TYPE, "application/json")],
                    r#"{"token":"bench-token","expiry":4102444800000}"#,
                )
            }),
        )
        .route(
            "/api/v0/settlement-payout/{id}",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], body) }),
        );
    runtime.spawn(async move { axum::serve(listener, app).await });

    let base_url = format!("http://{address}");
    // A reqwest client built by hand needs a rustls provider (the crate's own builder brings its
    // own); installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|err| panic!("reqwest: {err}"));
    let mut builder = Client::builder()
        .base_url(base_url.clone())
        .credentials(ACCESS_KEY, "bench-secret-key")
        .timeout(TIMEOUT)
        .http_client(http.clone());
    if recording {
        builder = builder.drift_recorder(enkash_generated::DriftRecorder::new());
    }
    let generated = builder
        .build()
        .unwrap_or_else(|err| panic!("client: {err}"));
    // Fetch the token once, outside the measurement, as a long-lived client would have.
    runtime
        .block_on(generated.settlements().get_payout("SP11114BPTOS"))
        .unwrap_or_else(|err| panic!("warm-up call: {err}"));
    Fixture {
        runtime,
        base_url,
        http,
        generated,
        token: "bench-token".to_owned(),
    }
}

#[derive(Deserialize)]
struct Envelope {
    response_code: i64,
    response_message: String,
    payload: Option<SettlementPayoutDetail>,
}

/// What a careful hand-written call does: same request, same decode, the envelope code checked.
async fn hand_written(f: &Fixture, id: &str) -> SettlementPayoutDetail {
    let response = f
        .http
        .get(format!("{}/api/v0/settlement-payout/{id}", f.base_url))
        .header("Authorization", format!("Bearer {}", f.token))
        .header("merchantAccessKey", ACCESS_KEY)
        .header("Accept", "application/json")
        .timeout(TIMEOUT)
        .send()
        .await
        .unwrap_or_else(|err| panic!("send: {err}"));
    assert!(response.status().is_success());
    let bytes = response
        .bytes()
        .await
        .unwrap_or_else(|err| panic!("body: {err}"));
    let envelope: Envelope =
        serde_json::from_slice(&bytes).unwrap_or_else(|err| panic!("decode: {err}"));
    assert_eq!(envelope.response_code, 0, "{}", envelope.response_message);
    envelope.payload.unwrap_or_else(|| panic!("no payload"))
}

async fn generated(f: &Fixture, id: &str) -> SettlementPayoutDetail {
    f.generated
        .settlements()
        .get_payout(id)
        .await
        .unwrap_or_else(|err| panic!("{err}"))
}

mod sequential {
    use super::*;

    #[divan::bench(sample_count = 40, sample_size = 50)]
    fn generated_client(bencher: Bencher) {
        let f = fixture();
        bencher
            .counter(ItemsCount::new(1usize))
            .bench(|| f.runtime.block_on(generated(&f, "SP11114BPTOS")));
    }

    #[divan::bench(sample_count = 40, sample_size = 50)]
    fn hand_written_reqwest(bencher: Bencher) {
        let f = fixture();
        bencher
            .counter(ItemsCount::new(1usize))
            .bench(|| f.runtime.block_on(hand_written(&f, "SP11114BPTOS")));
    }

    /// The generated client with drift recording on (`ClientBuilder::drift_recorder`): its cost
    /// per answer, beside `generated_client` (recording off).
    #[divan::bench(sample_count = 40, sample_size = 50)]
    fn generated_client_recording_drift(bencher: Bencher) {
        let f = fixture_with(true);
        bencher
            .counter(ItemsCount::new(1usize))
            .bench(|| f.runtime.block_on(generated(&f, "SP11114BPTOS")));
    }
}

mod concurrent_16 {
    use super::*;

    #[divan::bench(sample_count = 30, sample_size = 5)]
    fn generated_client(bencher: Bencher) {
        let f = fixture();
        bencher.counter(ItemsCount::new(CONCURRENT)).bench(|| {
            f.runtime.block_on(async {
                let calls = (0..CONCURRENT).map(|_| generated(&f, "SP11114BPTOS"));
                futures_join(calls).await
            })
        });
    }

    #[divan::bench(sample_count = 30, sample_size = 5)]
    fn hand_written_reqwest(bencher: Bencher) {
        let f = fixture();
        bencher.counter(ItemsCount::new(CONCURRENT)).bench(|| {
            f.runtime.block_on(async {
                let calls = (0..CONCURRENT).map(|_| hand_written(&f, "SP11114BPTOS"));
                futures_join(calls).await
            })
        });
    }
}

/// Awaits every future concurrently on the current task (no spawn cost on either side).
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> usize {
    futures_util::future::join_all(futures).await.len()
}
