//! The whole checkout flow, end to end, against a mock EnKash server started in this process:
//! token, order, UPI payment, waiting for the final status, confirming the payment
//! notification, a partial refund, and the settlement that pays the merchant.
//!
//! ```sh
//! cargo run -p enkash-generated --features mock --example checkout
//! ```
//!
//! Against the real gateway, replace the mock's URL with `Environment::Uat` (or `Production`)
//! and its test credentials with yours. Nothing secret is printed.

use std::time::{Duration, Instant};

use enkash_generated::mock::{MockConfig, MockServer};
use enkash_generated::webhooks::parse_payment_notify;
use enkash_generated::{
    Amount, Client, CreateOrderRequest, Currency, Decimal, Environment, PaymentMode, RefundRequest,
    SubmitPaymentRequest, TokenRequest, WaitOptions,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A mock EnKash on 127.0.0.1; its payments complete after two status polls.
    let mock = MockServer::start(MockConfig::default().complete_payments_after_polls(2)).await?;
    println!("0. mock EnKash server at {}", mock.url());

    let client = Client::builder()
        .environment(Environment::Custom(mock.url().to_owned()))
        .credentials(mock.access_key().to_owned(), mock.secret_key().to_owned())
        .timeout(Duration::from_secs(10))
        .build()?;

    // 1. The client fetches (and refreshes) its bearer token by itself on the first call that
    //    needs one. Asked for explicitly here only to show its expiry; the token is not printed.
    let token = client
        .authorization()
        .get_token(&TokenRequest::new(mock.access_key(), mock.secret_key()))
        .await?;
    match token.expiry {
        Some(expiry) => println!("1. token issued, valid until {expiry}"),
        None => println!("1. token issued without an expiry"),
    }

    // 2. Create the order. `orderId` is yours (letters and digits only); we assume EnKash
    //    deduplicates on it, and the mock does: resending the same request (the client does so
    //    after a timeout) returns the same order.
    let merchant_order_id = format!("SHOP{}", std::process::id());
    let amount = Decimal::new(149_900, 2); // INR 1,499.00
    let request = CreateOrderRequest::new(
        merchant_order_id.as_str(),
        Amount::new(amount, Currency::Inr),
    )
    .with_description("A pair of running shoes")
    .with_notify_url("https://shop.example/enkash/notify");
    let order = client.orders().create(&request).await?;
    println!(
        "2. order {merchant_order_id} created as EnKash order {}; checkout at {}",
        order.order_id, order.redirection_url
    );

    // 3. Submit a UPI collect payment (server to server). Never resent by the client once it may
    //    have reached EnKash: no key lets EnKash recognise a repeat.
    let payment = SubmitPaymentRequest::new(order.order_id.as_str(), Some(PaymentMode::Upi))
        .with_vpa("customer@okbank");
    let submitted = client.payments().submit(&payment).await?;
    let transaction_id = submitted["transactionId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    println!(
        "3. UPI payment {transaction_id} submitted: {}",
        submitted["transactionStatus"]
    );

    // 4. Wait until the order's status is final (paid, cancelled or expired).
    let started = Instant::now();
    let options = WaitOptions::default()
        .deadline(Duration::from_secs(30))
        .delays(Duration::from_millis(100), Duration::from_secs(1));
    let order_now = client
        .orders()
        .wait_for_final(&order.order_id, &options)
        .await?;
    println!(
        "4. order is {} after {:?} (final: {}, paid: {})",
        order_now.status,
        started.elapsed(),
        order_now.status.is_final(),
        order_now.status.is_success()
    );

    // 5. EnKash POSTs a Payment Notify to your `notifyUrl`. Its checksum cannot be verified, so
    //    confirm it with the API before shipping anything.
    if let Some(body) = mock.state().payment_notify_body(&transaction_id) {
        let notification = parse_payment_notify(body.as_bytes())?;
        let confirmed = client.confirm_payment(&notification).await?;
        println!(
            "5. payment notification confirmed: order {} is paid: {}",
            confirmed.order.order_id,
            confirmed.is_paid()
        );
    }

    // 6. Refund part of it. `requestId` is yours; we assume EnKash deduplicates on it.
    let refund = client
        .refunds()
        .create(
            &transaction_id,
            &RefundRequest::new(Decimal::new(49_900, 2), format!("{merchant_order_id}-R1"))
                .with_remarks("one shoe was the wrong size"),
        )
        .await?;
    println!(
        "6. refund {} of INR {:.2} {}",
        refund.transaction_id, refund.amount, refund.status
    );

    // 7. EnKash settles paid transactions to the merchant (the mock does it on request).
    let payout_id = mock
        .state()
        .settle_paid_transactions()
        .ok_or("nothing to settle")?;
    let payout = client.settlements().get_payout(&payout_id).await?;
    let money = |value: Option<Decimal>| format!("{:.2}", value.unwrap_or_default());
    println!(
        "7. settlement {} ({}): sales {} - refunds {} - charges {} - GST {} = paid out INR {}",
        payout.settlement_payout_id.as_deref().unwrap_or(&payout_id),
        payout
            .payout_status
            .as_ref()
            .map_or_else(|| "status not given".to_owned(), ToString::to_string),
        money(payout.total_sale_amount),
        money(payout.total_refund_amount),
        money(payout.total_charges),
        money(payout.total_gst),
        money(payout.total_settlement_amount),
    );
    Ok(())
}
