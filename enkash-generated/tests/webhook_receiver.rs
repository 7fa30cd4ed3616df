//! The notification receiver (feature `webhook-axum`) against the mock's hosted checkout: a paid
//! order's Payment Notify is confirmed through the API and handed over; a forged one (amount or
//! status changed) is not; a body that does not parse is answered 400 without calling the
//! handler; a failing handler gets the resent notification; Payment Link Webhook and UPI Mandate
//! Callback are handed over unconfirmed with their acknowledgements.

#![cfg(all(feature = "mock", feature = "webhook-axum"))]
// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/e2e.rs"]
mod e2e;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use e2e::*;
use enkash_generated::{
    Client, ConfirmedPayment, MandateCallback, OrderStatus, PaymentLinkNotification,
    UnconfirmedNotification, payment_link_notify_route, payment_notify_route,
    upi_mandate_callback_route,
};
use reqwest::StatusCode;
use tokio::sync::mpsc;

/// A merchant's receiver on 127.0.0.1: `/notify` hands confirmed payments to `payments`; the
/// handler answers `Err` to its first `failures` calls.
struct Receiver {
    url: String,
    payments: mpsc::UnboundedReceiver<ConfirmedPayment>,
    calls: Arc<AtomicUsize>,
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

async fn receiver(client: &Client, failures: usize) -> Receiver {
    let (sender, payments) = mpsc::unbounded_channel();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let app = Router::new().route(
        "/notify",
        payment_notify_route(client.clone(), move |payment: ConfirmedPayment| {
            let sender = sender.clone();
            let call = counted.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                if call <= failures {
                    return Err(format!("database down (call {call})"));
                }
                sender.send(payment).map_err(|err| err.to_string())
            }
        }),
    );
    let url = format!("{}/notify", serve(app).await);
    Receiver {
        url,
        payments,
        calls,
    }
}

impl Receiver {
    /// The next confirmed payment (waits at most 5 s).
    async fn next(&mut self) -> ConfirmedPayment {
        tokio::time::timeout(Duration::from_secs(5), self.payments.recv())
            .await
            .expect("a confirmed payment within 5 s")
            .expect("the receiver is running")
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Posts `body` as EnKash would; returns the status and the answer's text.
    async fn post(&self, body: &str) -> (StatusCode, String) {
        post_json(&self.url, body).await
    }
}

async fn post_json(url: &str, body: &str) -> (StatusCode, String) {
    let answer = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = answer.status();
    (status, answer.text().await.unwrap())
}

/// Creates an order of 100.50 INR notifying `notify_url`; returns its id and checkout URL.
async fn order(client: &Client, notify_url: &str) -> (String, String) {
    let request = order_request(&unique("HOOK"), rupees(10050))
        .with_notify_url(notify_url)
        .with_return_url("https://shop.example.test/return");
    let created = client.orders().create(&request).await.unwrap();
    (created.order_id, created.redirection_url)
}

/// Pays `checkout_url` through the mock's hosted checkout with `outcome`; returns the
/// transaction id the page sends back to the shop.
async fn pay(checkout_url: &str, outcome: &str) -> String {
    let (status, page) = post_form(checkout_url, format!("outcome={outcome}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    hidden_fields(&page)
        .into_iter()
        .find_map(|(name, value)| (name == "transactionId").then_some(value))
        .expect("the page carries the transaction id")
}

/// A Payment Notify body, as EnKash's is shaped.
fn notify_body(order_id: &str, transaction_id: &str, amount: &str, status: &str) -> String {
    format!(
        r#"{{"amount":{amount},"currency":"INR","status":"{status}","transactionId":"{transaction_id}","orderId":"{order_id}","checksum":""}}"#
    )
}

#[tokio::test]
async fn a_paid_checkout_hands_over_the_payment_the_api_confirms() {
    let (_mock, client) = start().await;
    let mut receiver = receiver(&client, 0).await;
    let (order_id, checkout) = order(&client, &receiver.url).await;
    let transaction_id = pay(&checkout, "upi").await;

    let payment = receiver.next().await;
    assert!(payment.is_paid());
    assert_eq!(payment.order.order_id, order_id);
    assert_eq!(payment.order.status, OrderStatus::Paid);
    assert_eq!(payment.order.amount, rupees(10050));
    assert_eq!(payment.transaction_id, transaction_id);
    // Answered 200: the mock does not send it again.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(receiver.calls(), 1);
}

#[tokio::test]
async fn a_declined_payment_is_handed_over_as_not_paid() {
    let (_mock, client) = start().await;
    let mut receiver = receiver(&client, 0).await;
    let (order_id, checkout) = order(&client, &receiver.url).await;
    pay(&checkout, "decline").await;
    let payment = receiver.next().await;
    assert!(!payment.is_paid());
    assert_eq!(payment.order.order_id, order_id);
    assert_eq!(payment.order.status, OrderStatus::Attempted);
}

#[tokio::test]
async fn a_forged_amount_is_not_handed_over() {
    let (_mock, client) = start().await;
    let mut receiver = receiver(&client, 0).await;
    let (order_id, checkout) = order(&client, &receiver.url).await;
    let transaction_id = pay(&checkout, "upi").await;
    receiver.next().await;

    let forged = notify_body(&order_id, &transaction_id, "1.00", "SUCCESS");
    let (status, text) = receiver.post(&forged).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert!(
        !text.contains("100.50"),
        "the answer tells a forger nothing: {text}"
    );
    // The genuine amount, posted again, is confirmed (a resend is handed over again).
    let genuine = notify_body(&order_id, &transaction_id, "100.50", "SUCCESS");
    assert_eq!(receiver.post(&genuine).await.0, StatusCode::OK);
    assert_eq!(receiver.next().await.transaction_id, transaction_id);
    assert_eq!(
        receiver.calls(),
        2,
        "the forged one never reached the handler"
    );
}

#[tokio::test]
async fn a_forged_success_of_an_unpaid_order_is_not_handed_over() {
    let (_mock, client) = start().await;
    let receiver = receiver(&client, 0).await;
    let (order_id, _checkout) = order(&client, &receiver.url).await;

    let forged = notify_body(&order_id, "EKFORGED1", "100.50", "SUCCESS");
    assert_eq!(
        receiver.post(&forged).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // An order that does not exist is not confirmed either.
    let stranger = notify_body("NOSUCHORDER", "EKFORGED2", "100.50", "SUCCESS");
    assert_eq!(
        receiver.post(&stranger).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(receiver.calls(), 0);
    let order = client.orders().get(&order_id).await.unwrap();
    assert_ne!(order.status, OrderStatus::Paid);
}

#[tokio::test]
async fn a_body_that_does_not_parse_is_answered_400_without_calling_the_handler() {
    let (_mock, client) = start().await;
    let receiver = receiver(&client, 0).await;
    for body in [
        "{\"amount\":",
        "not json",
        "{}",
        r#"{"amount":"lots","currency":"INR","status":"SUCCESS","transactionId":"T","orderId":"O"}"#,
    ] {
        let (status, text) = receiver.post(body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
    }
    let (status, text) = receiver.post(r#"{"amount":"lots"}"#).await;
    assert!(text.contains("amount"), "names the failing field: {text}");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let get = http().get(&receiver.url).send().await.unwrap();
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(receiver.calls(), 0);
}

#[tokio::test]
async fn notifications_are_recorded_into_the_clients_drift_recorder() {
    let (mock, _) = start().await;
    let recorder = enkash_generated::DriftRecorder::new();
    let client = mock
        .client_builder()
        .drift_recorder(recorder.clone())
        .build()
        .unwrap();
    let mut receiver = receiver(&client, 0).await;
    // The mock's own notification is as the spec says: nothing to record.
    let (order_id, checkout) = order(&client, &receiver.url).await;
    let transaction_id = pay(&checkout, "upi").await;
    assert!(receiver.next().await.is_paid());
    assert!(
        !recorder
            .report()
            .findings
            .iter()
            .any(|f| f.operation.starts_with("webhooks.")),
        "{:?}",
        recorder.report()
    );
    // A newer EnKash: an unknown member and an unknown status (the API confirms the payment
    // all the same), and a body that does not parse (400): both recorded, as shapes.
    let newer = notify_body(&order_id, &transaction_id, "100.50", "ON_HOLD").replace(
        "\"checksum\"",
        "\"bankRef\":\"AXIS98765432101\",\"checksum\"",
    );
    let (status, _) = receiver.post(&newer).await;
    assert_eq!(status, StatusCode::OK);
    assert!(receiver.next().await.is_paid());
    let (status, _) = receiver
        .post(&notify_body(
            &order_id,
            &transaction_id,
            "\"lots\"",
            "SUCCESS",
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let found: Vec<(String, String, String)> = recorder
        .report()
        .findings
        .into_iter()
        .filter(|f| f.operation == "webhooks.payment_notify")
        .map(|f| (f.kind.to_string(), f.path, f.value.unwrap_or_default()))
        .collect();
    let expected =
        |kind: &str, path: &str, value: &str| (kind.to_owned(), path.to_owned(), value.to_owned());
    assert_eq!(
        found,
        vec![
            expected("unknown_field", "bankRef", ""),
            expected("unknown_enum_value", "status", "ON_HOLD"),
            expected("type_mismatch", "amount", ""),
        ]
    );
    let json = recorder.report().to_json();
    assert!(
        !json.contains("AXIS98765432101") && !json.contains(&order_id),
        "{json}"
    );
    assert_eq!(receiver.calls(), 2);
}

#[tokio::test]
async fn a_failing_handler_is_answered_500_and_gets_the_resent_notification() {
    let (_mock, client) = start().await;
    let mut receiver = receiver(&client, 1).await;
    let (order_id, checkout) = order(&client, &receiver.url).await;
    pay(&checkout, "card").await;
    // The first delivery fails in the handler (500); the mock resends after 200 ms.
    let payment = receiver.next().await;
    assert_eq!(payment.order.order_id, order_id);
    assert!(payment.is_paid());
    assert_eq!(receiver.calls(), 2);
}

#[tokio::test]
async fn payment_link_and_mandate_callbacks_are_handed_over_unconfirmed() {
    let (links, mut link_rx) = mpsc::unbounded_channel();
    let (mandates, mut mandate_rx) = mpsc::unbounded_channel();
    let app = Router::new()
        .route(
            "/link",
            payment_link_notify_route(
                move |notice: UnconfirmedNotification<PaymentLinkNotification>| {
                    let links = links.clone();
                    async move {
                        let _ = links.send(notice.into_unconfirmed_payload());
                    }
                },
            ),
        )
        .route(
            "/mandate",
            upi_mandate_callback_route(move |notice: UnconfirmedNotification<MandateCallback>| {
                let mandates = mandates.clone();
                async move {
                    mandates
                        .send(notice.unconfirmed_payload().clone())
                        .map_err(|err| err.to_string())
                }
            }),
        );
    let url = serve(app).await;

    let link = include_str!("fixtures/docs/payment_link_notify.json");
    let answer = http()
        .post(format!("{url}/link"))
        .body(link)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(
        answer.text().await.unwrap(),
        "{}",
        "EnKash's documented answer"
    );
    let notice = link_rx.recv().await.unwrap();
    assert_eq!(notice.quick_collect_request_id.as_deref(), Some("string"));

    let mandate = r#"{"referenceId":"REF1","mandateId":"M1","amount":500,"currency":"INR"}"#;
    let (status, text) = post_json(&format!("{url}/mandate"), mandate).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, ""));
    assert_eq!(mandate_rx.recv().await.unwrap().reference_id, "REF1");

    assert_eq!(
        post_json(&format!("{url}/link"), "[1,2").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        post_json(&format!("{url}/mandate"), r#"{"referenceId":"REF2"}"#)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert!(link_rx.try_recv().is_err());
    assert!(mandate_rx.try_recv().is_err());
}
