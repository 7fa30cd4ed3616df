//! The shop of the `merchant_site` example: its routes and what it remembers. The example's
//! `main.rs` serves it; `tests/e2e_merchant_site.rs` drives it over HTTP.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use enkash_generated::webhooks::parse_payment_notify;
use enkash_generated::{Amount, Client, CreateOrderRequest, Currency, Decimal};

/// What the shop knows: its URL, the client, EnKash's order id of each of its own order ids, and
/// the payments it confirmed, by EnKash order id.
struct Shop {
    url: String,
    client: Client,
    orders: Mutex<BTreeMap<String, String>>,
    confirmed: Mutex<BTreeMap<String, String>>,
}

/// The shop's routes, serving on `url` with `client` (pointed at EnKash or its mock).
pub(crate) fn router(url: String, client: Client) -> Router {
    let shop = Arc::new(Shop {
        url,
        client,
        orders: Mutex::default(),
        confirmed: Mutex::default(),
    });
    Router::new()
        .route("/", get(home))
        .route("/buy", post(buy))
        .route("/notify", post(notify))
        .route("/return", post(back))
        .with_state(shop)
}

/// The shop's one product.
async fn home() -> Html<String> {
    page(
        "Mock coffee shop",
        "<p>One coffee: INR 100.50.</p>\n<form method=\"post\" action=\"/buy\">\
         <button type=\"submit\">Buy</button></form>\n",
    )
}

/// Creates an order and sends the browser to its checkout page.
async fn buy(State(shop): State<Arc<Shop>>) -> Response {
    let id = format!("SHOP{}", std::process::id() as u64 * 1000 + next());
    let request = CreateOrderRequest::new(&id, Amount::new(Decimal::new(10050, 2), Currency::Inr))
        .with_return_url(format!("{}/return", shop.url))
        .with_notify_url(format!("{}/notify", shop.url));
    match shop.client.orders().create(&request).await {
        Ok(order) => {
            shop.orders
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id, order.order_id);
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, order.redirection_url)],
            )
                .into_response()
        }
        Err(err) => failure(&format!("the order was not created: {err}")),
    }
}

/// Payment Notify: parsed, confirmed with the API, then recorded.
async fn notify(State(shop): State<Arc<Shop>>, body: axum::body::Bytes) -> StatusCode {
    let Ok(notification) = parse_payment_notify(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    match shop.client.confirm_payment(&notification).await {
        Ok(confirmed) => {
            shop.confirmed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(
                    notification.order_id.clone(),
                    confirmed.order.status.to_string(),
                );
            StatusCode::OK
        }
        // Not what EnKash says: do nothing about it.
        Err(_) => StatusCode::BAD_REQUEST,
    }
}

/// The browser back from the checkout: the status shown is the API's, not the form's.
async fn back(State(shop): State<Arc<Shop>>, form: String) -> Response {
    let own_id = form_value(&form, "uniqueTransactionId").unwrap_or_default();
    let order_id = shop
        .orders
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&own_id)
        .cloned();
    let Some(order_id) = order_id else {
        return failure("the checkout came back for an order this shop did not make");
    };
    let status = match shop.client.orders().get(&order_id).await {
        Ok(order) => order.status.to_string(),
        Err(err) => return failure(&format!("the order could not be read: {err}")),
    };
    let notified = shop
        .confirmed
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&order_id)
        .cloned()
        .unwrap_or_else(|| "not yet".to_owned());
    page(
        "Thank you",
        &format!(
            "<p>Order <code>{own_id}</code>: <strong id=\"status\">{status}</strong> \
             (confirmed with EnKash).</p>\n<p>Payment Notify confirmed: \
             <span id=\"notified\">{notified}</span>.</p>\n<p><a href=\"/\">Shop again</a></p>\n"
        ),
    )
    .into_response()
}

/// The value of `name` in a form body (the checkout posts plain values: ids, statuses, amounts).
fn form_value(body: &str, name: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.replace('+', " "))
    })
}

fn failure(message: &str) -> Response {
    (
        StatusCode::BAD_GATEWAY,
        page(
            "Something went wrong",
            &format!("<p>{}</p>\n", message.replace('<', "&lt;")),
        ),
    )
        .into_response()
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body>\n<main>\n<h1>{title}</h1>\n{body}</main>\n</body>\n</html>\n"
    ))
}

/// A counter for order ids.
fn next() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
