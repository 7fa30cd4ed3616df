//! The hosted checkout page the mock's `redirectionUrl` points at (`/pay/checkout/{orderId}`), so
//! the redirect flow can be tried without EnKash's UAT: server-rendered HTML with no script it
//! needs and no external asset, one labelled button per outcome.
//!
//! Picking an outcome moves the order and its transaction through their lifecycle, posts Payment
//! Notify (the spec's payload, amounts exact) to the order's `notifyUrl` in the background, and
//! answers a page whose form posts the outcome back to the order's `returnUrl`. Its fields are
//! the key set of `/api/v0/transactions/{id}/minimal`, which EnKash's checkout SDK code posts to
//! `returnUrl`: this comes from SDK code, not from EnKash's API docs. The form submits itself
//! when the browser runs scripts, and has a button for when it does not.
//!
//! Mock assumptions, since EnKash publishes no rule for them: a notification the merchant does
//! not answer with a 2xx status is sent again, at most [`NOTIFY_ATTEMPTS`] times in all, after
//! 200 ms and then 400 ms; the checksum field is empty (EnKash does not document how it is
//! computed). A second visit after the order is final, or while its payment is pending, shows
//! the status instead of the buttons.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;

use super::state::MockState;
use super::state::checkout::{CheckoutChoice, CheckoutResult, CheckoutView};

/// Most deliveries of one Payment Notify (the first and two resends).
pub const NOTIFY_ATTEMPTS: u32 = 3;

/// What the checkout's handlers share: the mock's state, and the HTTP client that delivers Payment
/// Notify (built once per server; `None` when the crate's TLS set-up refuses, which is logged).
#[derive(Clone)]
struct Checkout {
    state: Arc<MockState>,
    http: Option<reqwest::Client>,
}

/// The checkout routes, to merge with the generated router.
pub(crate) fn routes(state: Arc<MockState>) -> Router {
    let http = crate::runtime::tls::configure(reqwest::Client::builder())
        .ok()
        .and_then(|builder| builder.build().ok());
    if http.is_none() {
        tracing::warn!("mock checkout: no HTTP client, Payment Notify will not be sent");
    }
    Router::new()
        .route("/pay/checkout/{order_id}", get(page).post(pay))
        .with_state(Checkout { state, http })
}

/// `GET`: the order and the outcome buttons, or its status once it cannot be paid.
async fn page(
    State(Checkout { state, .. }): State<Checkout>,
    Path(order_id): Path<String>,
) -> (StatusCode, Html<String>) {
    match state.with(|store| store.checkout_view(&order_id)) {
        Some(view) => (StatusCode::OK, Html(order_page(&view))),
        None => not_found(&order_id),
    }
}

/// `POST` (form field `outcome`): pays the order, starts the notification, sends the browser
/// back to the merchant.
async fn pay(
    State(Checkout { state, http }): State<Checkout>,
    Path(order_id): Path<String>,
    body: String,
) -> (StatusCode, Html<String>) {
    let Some(choice) = form_value(&body, "outcome").and_then(|v| CheckoutChoice::parse(&v)) else {
        return (
            StatusCode::BAD_REQUEST,
            Html(document(
                "Unknown outcome",
                "<p>Pick one of the page's buttons.</p>",
            )),
        );
    };
    let paid = state.with(|store| store.checkout_pay(&order_id, choice));
    let Some(result) = paid else {
        // Unknown, final or pending: the page says which.
        return match state.with(|store| store.checkout_view(&order_id)) {
            Some(view) => (StatusCode::CONFLICT, Html(order_page(&view))),
            None => not_found(&order_id),
        };
    };
    if let (Some((url, body)), Some(http)) = (result.notify.clone(), http) {
        tokio::spawn(deliver(http, url, body));
    }
    (StatusCode::OK, Html(return_page(&result)))
}

/// Posts a Payment Notify body to `url` until it answers 2xx, at most [`NOTIFY_ATTEMPTS`] times.
async fn deliver(http: reqwest::Client, url: String, body: Vec<u8>) {
    let mut delay = Duration::from_millis(200);
    for attempt in 1..=NOTIFY_ATTEMPTS {
        let sent = http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        match sent {
            Ok(answer) if answer.status().is_success() => return,
            Ok(answer) => {
                tracing::info!(
                    attempt,
                    status = answer.status().as_u16(),
                    "mock checkout: Payment Notify not accepted"
                );
            }
            Err(err) => {
                tracing::info!(attempt, %err, "mock checkout: Payment Notify not delivered")
            }
        }
        if attempt < NOTIFY_ATTEMPTS {
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }
}

/// The value of form field `name` in a `application/x-www-form-urlencoded` body.
fn form_value(body: &str, name: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.replace('+', " "))
    })
}

fn not_found(order_id: &str) -> (StatusCode, Html<String>) {
    (
        StatusCode::NOT_FOUND,
        Html(document(
            "Order not found",
            &format!(
                "<p>The mock has no order <code>{}</code>.</p>",
                escape(order_id)
            ),
        )),
    )
}

/// The checkout page of an order.
fn order_page(view: &CheckoutView) -> String {
    let mut body = format!(
        "<dl>\n<dt>Merchant</dt><dd>{}</dd>\n<dt>Order</dt><dd><code>{}</code> (merchant's id <code>{}</code>)</dd>\n\
         <dt>Amount</dt><dd>{} {}</dd>\n<dt>Payment modes</dt><dd>{}</dd>\n<dt>Status</dt><dd id=\"status\">{}</dd>\n</dl>\n",
        escape(view.merchant),
        escape(&view.order_id),
        escape(&view.merchant_order_id),
        escape(&view.currency),
        view.amount,
        escape(&view.modes.join(", ")),
        escape(view.status.as_str()),
    );
    if view.payable {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/pay/checkout/{}\">\n<fieldset>\n<legend>Pick what happens (mock checkout)</legend>\n",
            escape(&view.order_id)
        );
        for choice in CheckoutChoice::ALL {
            let _ = writeln!(
                body,
                "<p><button type=\"submit\" name=\"outcome\" value=\"{}\">{}</button></p>",
                choice.value(),
                escape(choice.label())
            );
        }
        body.push_str("</fieldset>\n</form>\n");
    } else {
        body.push_str("<p>This order cannot be paid now: its status is above.</p>\n");
    }
    document("EnKash mock checkout", &body)
}

/// The page that sends the browser back to the merchant's `returnUrl` with the outcome.
fn return_page(result: &CheckoutResult) -> String {
    let Some(url) = &result.return_url else {
        return document(
            "Payment finished",
            &format!(
                "<p>Order status: <span id=\"status\">{}</span>. The order has no return URL.</p>",
                escape(result.status.as_str())
            ),
        );
    };
    let mut body = format!(
        "<p>Order status: <span id=\"status\">{}</span>.</p>\n<form id=\"back\" method=\"post\" action=\"{}\">\n",
        escape(result.status.as_str()),
        escape(url)
    );
    for (name, value) in &result.return_fields {
        let _ = writeln!(
            body,
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        );
    }
    body.push_str(
        "<button type=\"submit\">Return to the merchant</button>\n</form>\n\
         <script>document.getElementById(\"back\").submit();</script>\n",
    );
    document("Returning to the merchant", &body)
}

/// A whole HTML document.
fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n{body}</main>\n</body>\n</html>\n",
        escape(title),
        escape(title)
    )
}

/// `text` with HTML's special characters escaped, for text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_reads_as_markup() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn reads_a_form_field() {
        assert_eq!(
            form_value("a=1&outcome=card", "outcome").as_deref(),
            Some("card")
        );
        assert_eq!(form_value("outcome=", "outcome").as_deref(), Some(""));
        assert_eq!(form_value("other=1", "outcome"), None);
    }
}
