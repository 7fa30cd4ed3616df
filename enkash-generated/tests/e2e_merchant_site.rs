//! End to end, the `merchant_site` example's shop against the mock's hosted checkout, over HTTP as
//! a browser would go: Buy, the checkout's outcome, the form back to the shop, and the status the
//! shop confirmed with the API (and from Payment Notify).

#![cfg(feature = "mock")]
// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/e2e.rs"]
mod e2e;
#[path = "../examples/merchant_site/shop.rs"]
mod shop;

use std::time::Duration;

use e2e::*;
use reqwest::StatusCode;

/// A mock EnKash and the shop on 127.0.0.1; returns the shop's URL (and keeps the mock alive).
async fn shop() -> (enkash_generated::mock::MockServer, String) {
    let (mock, client) = start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = shop::router(url.clone(), client);
    tokio::spawn(async move { axum::serve(listener, app).await });
    (mock, url)
}

/// The hidden fields of the checkout's way back, as the browser would post them.
fn return_form(page: &str) -> (String, String) {
    let action = page
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let fields: Vec<String> = hidden_fields(page)
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    (action.to_owned(), fields.join("&"))
}

/// Buys, picks `outcome` on the checkout, goes back to the shop; returns the shop's last page.
async fn buy_with(outcome: &str) -> String {
    let (_mock, url) = shop().await;
    let http = http();
    let bought = http.post(format!("{url}/buy")).send().await.unwrap();
    assert_eq!(bought.status(), StatusCode::SEE_OTHER);
    let checkout = bought.headers()["location"].to_str().unwrap().to_owned();
    let page = http
        .get(&checkout)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("value=\"{outcome}\"")), "{page}");
    let (_, page) = post_form(&checkout, format!("outcome={outcome}")).await;
    let (action, form) = return_form(&page);
    assert_eq!(action, format!("{url}/return"));
    // Give Payment Notify (sent in the background) a moment, as a browser's redirect would.
    let mut last = String::new();
    for _ in 0..100 {
        last = post_form(&action, form.clone()).await.1;
        if !last.contains("not yet") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    last
}

#[tokio::test]
async fn a_card_payment_is_shown_paid_as_the_api_confirms_it() {
    let page = buy_with("card").await;
    assert!(
        page.contains("<strong id=\"status\">PAID</strong>"),
        "{page}"
    );
    assert!(page.contains("<span id=\"notified\">PAID</span>"), "{page}");
}

#[tokio::test]
async fn a_cancelled_payment_is_shown_cancelled() {
    let page = buy_with("cancel").await;
    assert!(
        page.contains("<strong id=\"status\">CANCELLED</strong>"),
        "{page}"
    );
    assert!(
        page.contains("<span id=\"notified\">CANCELLED</span>"),
        "{page}"
    );
}

#[tokio::test]
async fn a_declined_payment_leaves_the_order_payable() {
    let page = buy_with("decline").await;
    assert!(
        page.contains("<strong id=\"status\">ATTEMPTED</strong>"),
        "{page}"
    );
}

#[tokio::test]
async fn the_shop_refuses_a_return_for_an_order_it_did_not_make() {
    let (_mock, url) = shop().await;
    let answer = http()
        .post(format!("{url}/return"))
        .body("uniqueTransactionId=FORGED&orderStatus=PAID")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    assert!(!answer.text().await.unwrap().contains("PAID"));
}
