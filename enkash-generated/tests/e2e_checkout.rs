//! End to end, the mock's hosted checkout (`redirectionUrl`): the page, every outcome (state
//! after, Payment Notify received with its exact body, the form back to `returnUrl` and its
//! fields), the second visit, and the notification resent while the merchant answers 500.

#![cfg(feature = "mock")]
// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/e2e.rs"]
mod e2e;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use e2e::*;
use enkash_generated::mock::{MockServer, NOTIFY_ATTEMPTS};
use enkash_generated::webhooks::parse_payment_notify;
use enkash_generated::{Client, OrderStatus, TransactionStatus};

/// A merchant's notify endpoint on 127.0.0.1: records every body, and answers 500 to the first
/// `failures` of them.
struct Merchant {
    url: String,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

async fn merchant(failures: usize) -> Merchant {
    let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let seen = bodies.clone();
    let app = Router::new().route(
        "/notify",
        post(move |body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let mut seen = seen.lock().unwrap();
                seen.push(body.to_vec());
                if seen.len() <= failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Merchant { url, bodies }
}

impl Merchant {
    /// Waits (at most 5 s) until `count` notifications arrived, and returns them.
    async fn received(&self, count: usize) -> Vec<Vec<u8>> {
        for _ in 0..500 {
            let bodies = self.bodies.lock().unwrap().clone();
            if bodies.len() >= count {
                return bodies;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{count} notifications did not arrive");
    }
}

const RETURN_URL: &str = "https://shop.example.test/return?cart=7";

/// Creates an order of 100.50 INR with `notify` as its notifyUrl; returns the EnKash order id
/// and its `redirectionUrl`.
async fn order(client: &Client, notify: &str) -> (String, String) {
    let request = order_request(&unique("SHOP"), rupees(10050))
        .with_notify_url(notify)
        .with_return_url(RETURN_URL);
    let created = client.orders().create(&request).await.unwrap();
    (created.order_id, created.redirection_url)
}

/// The text of `url` with its status.
async fn get(url: &str) -> (StatusCode, String) {
    let answer = http().get(url).send().await.unwrap();
    (answer.status(), answer.text().await.unwrap())
}

/// Posts `outcome` as the page's form does.
async fn pick(url: &str, outcome: &str) -> (StatusCode, String) {
    post_form(url, format!("outcome={outcome}")).await
}

/// The value of hidden field `name` in a page.
fn field(page: &str, name: &str) -> String {
    hidden_fields(page)
        .into_iter()
        .find_map(|(field, value)| (field == name).then_some(value))
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[tokio::test]
async fn the_page_shows_the_order_and_one_button_per_outcome() {
    let (mock, client) = start().await;
    let (order_id, url) = order(&client, "http://127.0.0.1:9/never").await;
    assert!(url.starts_with(mock.url()), "{url}");
    let (status, page) = get(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&order_id));
    assert!(page.contains("INR 100.50"), "{page}");
    assert!(page.contains("EnKash Mock Merchant"));
    for outcome in ["upi", "card", "decline", "cancel", "pending"] {
        assert!(
            page.contains(&format!("name=\"outcome\" value=\"{outcome}\"")),
            "{outcome}"
        );
    }
    assert!(
        !page.contains("src=") && !page.contains("href=\"http"),
        "no external asset"
    );
    let order = client.orders().get(&order_id).await.unwrap();
    assert_eq!(order.status, OrderStatus::CheckoutRendered);
    assert_eq!(
        get(&format!("{}/pay/checkout/NOPE", mock.url())).await.0,
        StatusCode::NOT_FOUND
    );
}

/// Picks `outcome` for a new order; checks the state, the notification and the way back.
async fn outcome_case(
    outcome: &str,
    order_status: OrderStatus,
    txn_status: TransactionStatus,
    mode: &str,
) -> (MockServer, String, String) {
    let (mock, client) = start().await;
    let merchant = merchant(0).await;
    let (order_id, url) = order(&client, &merchant.url).await;
    let (status, page) = pick(&url, outcome).await;
    assert_eq!(status, StatusCode::OK, "{page}");

    let order = client.orders().get(&order_id).await.unwrap();
    assert_eq!(order.status, order_status, "{outcome}");
    let txn_id = field(&page, "transactionId");
    assert_eq!(
        mock.state().transaction_status(&txn_id),
        Some(txn_status.clone())
    );

    assert!(page.contains(&format!("action=\"{}\"", RETURN_URL.replace('&', "&amp;"))));
    assert_eq!(field(&page, "orderStatus"), order_status.as_str());
    assert_eq!(field(&page, "status"), txn_status.as_str());
    assert_eq!(field(&page, "transactionStatus"), txn_status.as_str());
    assert_eq!(field(&page, "amount"), "100.50");
    assert_eq!(field(&page, "finalAmount"), "100.50");
    assert_eq!(field(&page, "currency"), "INR");
    assert_eq!(field(&page, "paymentMode"), mode);
    assert_eq!(
        field(&page, "uniqueTransactionId"),
        order.merchant_order_id.clone().unwrap_or_default()
    );
    assert_eq!(
        field(&page, "paymentAttemptLeft"),
        (!order_status.is_final()).to_string()
    );

    let bodies = merchant.received(1).await;
    let notice = parse_payment_notify(&bodies[0]).unwrap();
    assert_eq!(notice.order_id, order_id);
    assert_eq!(notice.transaction_id, txn_id);
    assert_eq!(notice.amount, rupees(10050));
    assert_eq!(notice.status, txn_status);
    let text = String::from_utf8(bodies[0].clone()).unwrap();
    assert!(
        text.contains("\"amount\":100.50"),
        "exact amount on the wire: {text}"
    );
    (mock, order_id, url)
}

#[tokio::test]
async fn paying_by_upi_or_card_pays_the_order() {
    outcome_case("upi", OrderStatus::Paid, TransactionStatus::Success, "UPI").await;
    outcome_case(
        "card",
        OrderStatus::Paid,
        TransactionStatus::Success,
        "CREDIT_CARD",
    )
    .await;
}

#[tokio::test]
async fn a_bank_decline_fails_the_payment_and_the_order_can_be_paid_again() {
    let (_mock, _order_id, url) = outcome_case(
        "decline",
        OrderStatus::Attempted,
        TransactionStatus::Failed,
        "CREDIT_CARD",
    )
    .await;
    let (_, page) = get(&url).await;
    assert!(
        page.contains("value=\"card\""),
        "the buttons are back: {page}"
    );
    let (status, page) = pick(&url, "card").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(field(&page, "orderStatus"), "PAID");
}

#[tokio::test]
async fn cancelling_cancels_the_order() {
    outcome_case(
        "cancel",
        OrderStatus::Cancelled,
        TransactionStatus::Cancelled,
        "CREDIT_CARD",
    )
    .await;
}

#[tokio::test]
async fn leaving_it_pending_awaits_the_bank_until_the_status_is_polled() {
    let (mock, order_id, url) = outcome_case(
        "pending",
        OrderStatus::PaymentConfirmationPending,
        TransactionStatus::PendingWithBank,
        "CREDIT_CARD",
    )
    .await;
    let (_, page) = get(&url).await;
    assert!(
        !page.contains("name=\"outcome\""),
        "no buttons while pending"
    );
    // The mock's usual rule completes it after status polls.
    let client = client_for(&mock);
    let mut status = OrderStatus::PaymentConfirmationPending;
    for _ in 0..5 {
        status = client.orders().get(&order_id).await.unwrap().status;
    }
    assert_eq!(status, OrderStatus::Paid);
}

#[tokio::test]
async fn a_paid_order_cannot_be_paid_twice() {
    let (_mock, _order_id, url) = outcome_case(
        "card",
        OrderStatus::Paid,
        TransactionStatus::Success,
        "CREDIT_CARD",
    )
    .await;
    let (status, page) = get(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(">PAID<"), "{page}");
    assert!(
        !page.contains("name=\"outcome\""),
        "no buttons after a final status"
    );
    let (status, page) = pick(&url, "card").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains(">PAID<"));
}

#[tokio::test]
async fn an_unknown_outcome_is_refused() {
    let (_mock, client) = start().await;
    let (_, url) = order(&client, "http://127.0.0.1:9/never").await;
    assert_eq!(pick(&url, "steal").await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_notification_is_resent_while_the_merchant_answers_500() {
    let (_mock, client) = start().await;
    let merchant = merchant(2).await;
    let (_, url) = order(&client, &merchant.url).await;
    pick(&url, "upi").await;
    let bodies = merchant.received(3).await;
    assert_eq!(bodies[0], bodies[2], "the same body each time");
    // Bounded: a merchant that always fails gets NOTIFY_ATTEMPTS deliveries, then none.
    let failing = merchant_always_failing().await;
    let (_, url) = order(&client, &failing.url).await;
    pick(&url, "card").await;
    let count = failing.received(NOTIFY_ATTEMPTS as usize).await.len();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(failing.bodies.lock().unwrap().len(), count);
    assert_eq!(count, NOTIFY_ATTEMPTS as usize);
}

async fn merchant_always_failing() -> Merchant {
    merchant(usize::MAX).await
}
