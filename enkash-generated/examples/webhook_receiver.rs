//! Receiving Payment Notify in an axum server, against a mock EnKash started in this process:
//! the receiver confirms each notification through the API and hands the application only the
//! confirmed payment.
//!
//! ```sh
//! cargo run -p enkash-generated --features webhook-axum,mock --example webhook_receiver
//! ```
//!
//! It starts the mock and a receiver on 127.0.0.1, creates an order whose `notifyUrl` is the
//! receiver, pays it through the mock's hosted checkout (which posts Payment Notify to that URL),
//! and prints the confirmed payment. Then it posts a forged notification (a lower amount) and
//! shows that it is not handed over. Against the real gateway, replace the mock's URL with
//! `Environment::Uat` (or `Production`) and put the receiver at a public HTTPS URL.

use std::time::Duration;

use enkash_generated::mock::{MockConfig, MockServer};
use enkash_generated::{
    Amount, Client, ConfirmedPayment, CreateOrderRequest, Currency, Decimal, Environment,
    payment_notify_route,
};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(MockConfig::default()).await?;
    let client = Client::builder()
        .environment(Environment::Custom(mock.url().to_owned()))
        .credentials(mock.access_key().to_owned(), mock.secret_key().to_owned())
        .timeout(Duration::from_secs(10))
        .build()?;
    println!("1. mock EnKash server at {}", mock.url());

    // The receiver: the handler gets a `ConfirmedPayment` (the order as the API reports it), never
    // the notification's own amount or status. A real shop would mark the order paid here,
    // idempotently: EnKash may send the same notification more than once.
    let (confirmed, mut payments) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/enkash/notify",
        payment_notify_route(client.clone(), move |payment: ConfirmedPayment| {
            let confirmed = confirmed.clone();
            async move { confirmed.send(payment).map_err(|_| "the shop has stopped") }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let notify_url = format!("http://{}/enkash/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("2. receiving Payment Notify at {notify_url}");

    let request = CreateOrderRequest::new(
        format!("SHOP{}", std::process::id()).as_str(),
        Amount::new(Decimal::new(49_900, 2), Currency::Inr), // INR 499.00
    )
    .with_notify_url(notify_url.as_str());
    let order = client.orders().create(&request).await?;
    println!("3. order {} created", order.order_id);

    // The customer pays by UPI on the mock's hosted checkout page (the form its button posts).
    // With rustls-ring alone, reqwest needs the crypto provider installed first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let page = http
        .post(&order.redirection_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("outcome=upi")
        .send()
        .await?;
    println!("4. paid on the hosted checkout: HTTP {}", page.status());

    let payment = tokio::time::timeout(Duration::from_secs(10), payments.recv())
        .await?
        .ok_or("the receiver stopped")?;
    println!(
        "5. confirmed payment: order {} is {} ({} {}), transaction {}, paid: {}",
        payment.order.order_id,
        payment.order.status,
        payment.order.currency,
        payment.order.amount,
        payment.transaction_id,
        payment.is_paid()
    );

    // A forged notification for the same order, claiming one rupee: the API disagrees, so the
    // receiver answers 503 and the handler never sees it.
    let forged = format!(
        r#"{{"amount":1.00,"currency":"INR","status":"SUCCESS","transactionId":"{}","orderId":"{}"}}"#,
        payment.transaction_id, payment.order.order_id
    );
    let answer = http
        .post(&notify_url)
        .header("content-type", "application/json")
        .body(forged)
        .send()
        .await?;
    let handed_over = tokio::time::timeout(Duration::from_millis(500), payments.recv())
        .await
        .is_ok();
    println!(
        "6. forged notification (INR 1.00): HTTP {}, handed over: {handed_over}",
        answer.status()
    );
    Ok(())
}
