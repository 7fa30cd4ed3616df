//! Shared pieces of the end-to-end tests: a mock EnKash server on 127.0.0.1 with a client
//! pointed at it (tiny timeouts and retry delays), request builders and a few flows.
//! Include with `#[path = "support/e2e.rs"] mod e2e;`. Nothing here touches the internet.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)] // Each test file uses a different subset.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use enkash_generated::mock::{MockConfig, MockServer};
use enkash_generated::{
    Amount, Client, CreateOrderRequest, Currency, OrderStatus, PaymentMode, RetryPolicy,
    SubmitPaymentRequest,
};
use rust_decimal::Decimal;

/// A retry policy for tests: 2 retries, delays of at most a few milliseconds.
pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// A client for `mock` with tiny timeouts and fast retries.
pub(crate) fn client_for(mock: &MockServer) -> Client {
    mock.client_builder()
        .timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_millis(500))
        .retry_policy(fast_retries())
        .build()
        .expect("a valid client configuration")
}

/// A mock with `config` and a client for it.
pub(crate) async fn start_with(config: MockConfig) -> (MockServer, Client) {
    let mock = MockServer::start(config)
        .await
        .expect("the mock binds 127.0.0.1:0");
    let client = client_for(&mock);
    (mock, client)
}

/// A mock with the default configuration and a client for it.
pub(crate) async fn start() -> (MockServer, Client) {
    start_with(MockConfig::default()).await
}

/// A plain reqwest client for talking to the mock directly (with `rustls-ring` alone, reqwest
/// needs a crypto provider installed first).
pub(crate) fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

/// Posts `body` to `url` as an HTML form does; returns the status and the page.
pub(crate) async fn post_form(url: &str, body: String) -> (reqwest::StatusCode, String) {
    let answer = http()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the form is posted");
    let status = answer.status();
    (status, answer.text().await.expect("a page"))
}

/// The hidden fields of a page's form, in order, as a browser would post them (`&quot;` and
/// `&amp;` unescaped).
pub(crate) fn hidden_fields(page: &str) -> Vec<(String, String)> {
    page.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest
                .split_once("\" value=\"")
                .expect("a hidden field's value");
            let value = rest.split('"').next().unwrap_or_default();
            (
                name.to_owned(),
                value.replace("&quot;", "\"").replace("&amp;", "&"),
            )
        })
        .collect()
}

/// A unique merchant id with `prefix` (orders, refunds, mandates, ...).
pub(crate) fn unique(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{prefix}{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// `units / 100` rupees, e.g. `rupees(10050)` = 100.50.
pub(crate) fn rupees(paise: i64) -> Decimal {
    Decimal::new(paise, 2)
}

/// A create-order request for `merchant_order_id` of `amount` INR.
pub(crate) fn order_request(merchant_order_id: &str, amount: Decimal) -> CreateOrderRequest {
    CreateOrderRequest::new(merchant_order_id, Amount::new(amount, Currency::Inr))
}

/// A UPI collect payment of `order_id` from `vpa`.
pub(crate) fn upi_payment(order_id: &str, vpa: &str) -> SubmitPaymentRequest {
    SubmitPaymentRequest::new(order_id, Some(PaymentMode::Upi)).with_vpa(vpa)
}

/// Creates an order of `amount` and returns its EnKash id.
pub(crate) async fn create_order(client: &Client, amount: Decimal) -> String {
    client
        .orders()
        .create(&order_request(&unique("ORD"), amount))
        .await
        .expect("order created")
        .order_id
}

/// Creates an order of `amount`, pays it by UPI and polls it until `PAID`; returns the EnKash
/// order id and the transaction id.
pub(crate) async fn paid_order(client: &Client, amount: Decimal) -> (String, String) {
    let order_id = create_order(client, amount).await;
    let submitted = client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .expect("payment submitted");
    let txn_id = submitted["transactionId"]
        .as_str()
        .expect("the submit answer names the transaction")
        .to_owned();
    for _ in 0..20 {
        let order = client.orders().get(&order_id).await.expect("order read");
        if order.status == OrderStatus::Paid {
            return (order_id, txn_id);
        }
    }
    panic!("order {order_id} never became PAID");
}
