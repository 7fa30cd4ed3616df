#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Drift recording through the client, against a scripted server on 127.0.0.1: each kind found
//! per operation, no value of the answers in the report, bounded memory, off by default.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use enkash_generated::{Client, DriftKind, DriftRecorder, DriftReport, Error};

/// A server answering the token call, and every other request with the current body.
async fn server(body: Arc<Mutex<String>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = Router::new()
        .route(
            "/api/v0/merchant/token",
            post(|| async {
                (
                    [(CONTENT_TYPE, "application/json")],
                    r#"{"token":"eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig","expiry":4102444800000}"#,
                )
            }),
        )
        .fallback(move || {
            let body = body.lock().unwrap().clone();
            async move { ([(CONTENT_TYPE, "application/json")], body) }
        });
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn client(base_url: &str, recorder: Option<&DriftRecorder>) -> Client {
    let mut builder = Client::builder()
        .base_url(base_url)
        .credentials("drift-access-key", "drift-secret-key");
    if let Some(recorder) = recorder {
        builder = builder.drift_recorder(recorder.clone());
    }
    builder.build().unwrap()
}

fn ok(payload: &str) -> String {
    format!(r#"{{"response_code":0,"response_message":"Success","payload":{payload}}}"#)
}

fn kinds(report: &DriftReport, operation: &str) -> Vec<(DriftKind, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.operation == operation)
        .map(|f| (f.kind, f.path.clone()))
        .collect()
}

#[tokio::test]
async fn each_kind_of_drift_is_recorded_per_operation() {
    let body = Arc::new(Mutex::new(String::new()));
    let base_url = server(body.clone()).await;
    let recorder = DriftRecorder::new();
    let client = client(&base_url, Some(&recorder));

    *body.lock().unwrap() = ok(
        r#"{"settlementPayoutId":"SP1","totalSaleAmount":"69.20","payoutStatus":"ON_HOLD",
            "bankRef":"AXIS-1","settlementTransactions":[{"saleAmount":1,"approvedOn":"22/04/2026"}]}"#,
    );
    // A date in no form its type reads fails the call; what came before it is still recorded.
    for _ in 0..2 {
        let answer = client.settlements().get_payout("SP1").await;
        assert!(matches!(answer, Err(Error::Decode { .. })), "{answer:?}");
    }

    *body.lock().unwrap() = ok(r#"{"orderId":"O1","amount":1,"currency":"INR","status":null}"#);
    assert!(matches!(
        client.orders().get("O1").await,
        Err(Error::Decode { .. })
    ));

    *body.lock().unwrap() = r#"{"response_code":4321,"response_message":"No such order"}"#.into();
    assert!(matches!(
        client.orders().get("O1").await,
        Err(Error::Api { code: 4321, .. })
    ));

    let report = recorder.report();
    assert_eq!(
        kinds(&report, "get_settlement_payout"),
        vec![
            (DriftKind::UnknownField, "bankRef".into()),
            (DriftKind::UnknownEnumValue, "payoutStatus".into()),
            (DriftKind::NumberAsString, "totalSaleAmount".into()),
            (
                DriftKind::DateForm,
                "settlementTransactions[].approvedOn".into()
            ),
        ],
        "{}",
        report.to_json()
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.operation != "get_settlement_payout" || f.count == 2)
    );
    let status = report
        .findings
        .iter()
        .find(|f| f.kind == DriftKind::UnknownEnumValue)
        .unwrap();
    assert_eq!(status.value.as_deref(), Some("ON_HOLD"));
    assert_eq!(
        kinds(&report, "get_order_status"),
        vec![
            (DriftKind::NullValue, "status".into()),
            (DriftKind::UnknownCode, ".".into())
        ]
    );
    let merged = DriftReport::from_json(&report.to_json()).unwrap();
    assert_eq!(merged, report);
}

/// Values of sensitive kinds, each in known fields, unknown fields, enum fields and dates.
const SECRETS: &[&str] = &[
    "jane.doe@example.com",
    "4111111111111111",
    "+919876543210",
    "9876543210",
    "Jane Doe",
    "Jane",
    "eyJhbGciOiJIUzI1NiJ9",
    "c2VjcmV0LXRva2Vu",
    "drift-secret-key",
    "drift-access-key",
    "AXISCN111118675",
    "123 MG Road",
];

#[tokio::test]
async fn no_value_of_an_answer_reaches_the_report() {
    let body = Arc::new(Mutex::new(String::new()));
    let base_url = server(body.clone()).await;
    let recorder = DriftRecorder::new();
    let client = client(&base_url, Some(&recorder));
    let answers = [
        ok(r#"{"settlementPayoutId":"jane.doe@example.com","utr":"AXISCN111118675",
            "remarks":"Jane Doe","customerEmail":"jane.doe@example.com","cardNumber":"4111111111111111",
            "mobile":"+919876543210","phone":9876543210,"customerName":"Jane Doe","token":"eyJhbGciOiJIUzI1NiJ9",
            "jane.doe@example.com":"Jane","9876543210":true,"address":{"line1":"123 MG Road"},
            "payoutStatus":"jane.doe@example.com","payoutMode":"Jane",
            "settlementTransactions":[{"remarks":"4111111111111111","cardHolder":"Jane Doe","transactionType":"Jane Doe"}]}"#),
        ok(r#"{"payoutDate":"Jane Doe","totalSaleAmount":"4111111111111111"}"#),
        ok(r#"{"totalSaleAmount":"Jane Doe"}"#),
        ok(r#"{"settlementTransactions":[{"saleAmount":{"pan":"4111111111111111"}}]}"#),
        r#"{"response_code":77,"response_message":"card 4111111111111111 of jane.doe@example.com","payload":"Jane Doe"}"#.to_owned(),
    ];
    for answer in answers {
        *body.lock().unwrap() = answer;
        let _ = client.settlements().get_payout("SP1").await;
    }
    let report = recorder.report();
    assert!(report.findings.len() >= 10, "{}", report.to_json());
    let json = report.to_json();
    for secret in SECRETS {
        assert!(!json.contains(secret), "`{secret}` leaked into {json}");
    }
    // The unknown member named like an e-mail is kept as `<key>`.
    assert!(report.findings.iter().any(|f| f.path == "<key>"), "{json}");
}

#[tokio::test]
async fn memory_stays_bounded_with_many_new_findings() {
    let body = Arc::new(Mutex::new(String::new()));
    let base_url = server(body.clone()).await;
    let recorder = DriftRecorder::with_limit(50);
    let client = client(&base_url, Some(&recorder));
    for i in 0..300 {
        *body.lock().unwrap() = ok(&format!(r#"{{"new{i}":1,"again":true}}"#));
        client.settlements().get_payout("SP1").await.unwrap();
    }
    let report = recorder.report();
    assert_eq!(report.findings.len(), 50);
    assert_eq!(report.dropped, 300 - 49);
    let again = report.findings.iter().find(|f| f.path == "again").unwrap();
    assert_eq!(again.count, 300);
}

#[tokio::test]
async fn recording_is_off_by_default() {
    let body = Arc::new(Mutex::new(ok(
        r#"{"bankRef":"x","payoutStatus":"ON_HOLD"}"#,
    )));
    let base_url = server(body).await;
    let builder = Client::builder().base_url(&base_url);
    assert!(format!("{builder:?}").contains("drift_recorder: false"));
    let recorder = DriftRecorder::new();
    let plain = client(&base_url, None);
    plain.settlements().get_payout("SP1").await.unwrap();
    assert!(recorder.is_empty());
    assert_eq!(recorder.report(), DriftReport::default());
    // The same call with a recorder does find something.
    let recording = client(&base_url, Some(&recorder));
    recording.settlements().get_payout("SP1").await.unwrap();
    assert!(!recorder.is_empty());
}
