//! Receiving EnKash's notifications in an axum server (feature `webhook-axum`; a companion of the
//! spec: it names the generated notification types, so it lives beside the generated code). The
//! rules a user needs are in the docs of the public items (this module is private).

use std::fmt;
use std::future::Future;

use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};

use crate::generated::webhooks::{
    PAYMENT_LINK_NOTIFY_ACKNOWLEDGEMENT, parse_payment_link_notify, parse_payment_notify,
    parse_payment_notify_recording, parse_upi_mandate_callback,
};
use crate::generated::{ConfirmedPayment, MandateCallback, PaymentLinkNotification};
use crate::runtime::{Client, Error, WebhookAcknowledgement, WebhookError};

/// The answer to a notification whose acknowledgement EnKash does not document: 200, empty body.
const UNDOCUMENTED_ACKNOWLEDGEMENT: WebhookAcknowledgement = WebhookAcknowledgement {
    status: 200,
    body: "",
};

/// What a notification handler returns: `()` when it cannot fail, or `Result<(), E>`, whose
/// `Err` makes the route answer 500 so that EnKash sends the notification again (the error is
/// logged at `error`, not sent).
pub trait HandlerOutcome: Send {
    /// `Ok` when the application has done what the notification asks; `Err` with the message to
    /// log otherwise.
    fn into_result(self) -> Result<(), String>;
}

impl HandlerOutcome for () {
    fn into_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: fmt::Display + Send> HandlerOutcome for Result<(), E> {
    fn into_result(self) -> Result<(), String> {
        self.map_err(|err| err.to_string())
    }
}

/// A notification parsed from its body but confirmed by nothing: a claim, not a fact.
///
/// Anyone who knows your URL can post one, and EnKash does not document its `checksum`. Its
/// payload is reached only through methods whose names say so; check it with EnKash before
/// moving goods or money.
#[derive(Debug, Clone, PartialEq)]
pub struct UnconfirmedNotification<T> {
    payload: T,
}

impl<T> UnconfirmedNotification<T> {
    /// The parsed body, as posted: unconfirmed.
    pub fn unconfirmed_payload(&self) -> &T {
        &self.payload
    }

    /// Takes the parsed body out, as posted: unconfirmed.
    pub fn into_unconfirmed_payload(self) -> T {
        self.payload
    }
}

/// Receives Payment Notify: parses the body, confirms it with [`Client::confirm_payment`], and
/// calls `handler` with the [`ConfirmedPayment`] only: the order as the API reports it, never the
/// notification's own amount or status.
///
/// Returns an axum [`MethodRouter`] answering `POST`; mount it at the path of your orders'
/// `notifyUrl`:
///
/// ```no_run
/// # async fn serve(client: enkash_generated::Client) -> std::io::Result<()> {
/// use enkash_generated::{ConfirmedPayment, payment_notify_route};
///
/// let app = axum::Router::new().route(
///     "/enkash/notify",
///     payment_notify_route(client, |payment: ConfirmedPayment| async move {
///         // The order as the API reports it: its amount and status can be trusted.
///         println!("order {} is {}", payment.order.order_id, payment.order.status);
///     }),
/// );
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// axum::serve(listener, app).await
/// # }
/// ```
///
/// The handler returns `()` or `Result<(), E>` ([`HandlerOutcome`]). What the route answers:
///
/// | the notification | answer | the handler |
/// |---|---|---|
/// | the body is not a Payment Notify (bad JSON, a missing or malformed field) | 400, the decoder's message | not called |
/// | the API does not confirm it ([`Client::confirm_payment`] fails: amount, currency or status disagree, the order or transaction is unknown, or the API could not be reached) | 503 | not called |
/// | confirmed, and the handler succeeds | 200, empty body | called with the [`ConfirmedPayment`] |
/// | confirmed, and the handler answers `Err` | 500 | called |
///
/// EnKash does not document how a notification's `checksum` is computed, so the body proves
/// nothing by itself: anyone who learns the URL can post one. Confirmation through the API is the
/// only trust.
///
/// Why 503 for a notification the API does not confirm: a genuine notification can arrive before
/// the order the API reports shows the payment (or while the API is unreachable), and a 5xx is
/// what webhook senders resend on. EnKash documents neither the acknowledgement it expects for
/// Payment Notify nor its retry policy (the mock resends up to three times while the answer is not
/// 2xx), so 200 with an empty body is answered, and only once the handler is done. A forged
/// notification is not handed over however often it is sent, and the answer's body does not say
/// which field disagreed (the log does, at `warn`), so a forger learns nothing about the order.
///
/// EnKash may send one notification more than once (a lost 200, a 500 of yours): make the handler
/// idempotent, for example keyed by [`ConfirmedPayment::transaction_id`]. A confirmed failure is
/// handed over too: [`ConfirmedPayment::is_paid`] tells whether the order is paid.
pub fn payment_notify_route<S, H, F>(client: Client, handler: H) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    H: Fn(ConfirmedPayment) -> F + Clone + Send + Sync + 'static,
    F: Future + Send + 'static,
    F::Output: HandlerOutcome,
{
    post(move |body: Bytes| {
        let client = client.clone();
        let handler = handler.clone();
        async move { receive_payment_notify(&client, &body, handler).await }
    })
}

/// Receives a Payment Link Webhook: parses the body and calls `handler` with it, unconfirmed.
///
/// Answers 400 to a body that does not parse (the handler is not called), 500 when the handler
/// answers `Err`, and otherwise what EnKash documents: 200 with the body `{}`.
pub fn payment_link_notify_route<S, H, F>(handler: H) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    H: Fn(UnconfirmedNotification<PaymentLinkNotification>) -> F + Clone + Send + Sync + 'static,
    F: Future + Send + 'static,
    F::Output: HandlerOutcome,
{
    unconfirmed_route(
        "Payment Link Webhook",
        parse_payment_link_notify,
        PAYMENT_LINK_NOTIFY_ACKNOWLEDGEMENT,
        handler,
    )
}

/// Receives a UPI Mandate Callback: parses the body and calls `handler` with it, unconfirmed.
///
/// Answers 400 to a body that does not parse (the handler is not called), 500 when the handler
/// answers `Err`, and otherwise 200 with an empty body (EnKash documents no acknowledgement).
/// `client.upi_mandates().get(reference_id)` reads the mandate as the API reports it.
pub fn upi_mandate_callback_route<S, H, F>(handler: H) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    H: Fn(UnconfirmedNotification<MandateCallback>) -> F + Clone + Send + Sync + 'static,
    F: Future + Send + 'static,
    F::Output: HandlerOutcome,
{
    unconfirmed_route(
        "UPI Mandate Callback",
        parse_upi_mandate_callback,
        UNDOCUMENTED_ACKNOWLEDGEMENT,
        handler,
    )
}

/// A route that parses with `parse` and hands the payload over unconfirmed.
fn unconfirmed_route<S, T, H, F>(
    name: &'static str,
    parse: fn(&[u8]) -> Result<T, WebhookError>,
    acknowledgement: WebhookAcknowledgement,
    handler: H,
) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    T: Send + 'static,
    H: Fn(UnconfirmedNotification<T>) -> F + Clone + Send + Sync + 'static,
    F: Future + Send + 'static,
    F::Output: HandlerOutcome,
{
    post(move |body: Bytes| {
        let handler = handler.clone();
        async move {
            match parse(&body) {
                Ok(payload) => handled(
                    name,
                    handler(UnconfirmedNotification { payload }).await,
                    acknowledgement,
                ),
                Err(err) => Answer::Malformed(err),
            }
        }
    })
}

/// Payment Notify: parse, confirm, hand over, answer.
async fn receive_payment_notify<H, F>(client: &Client, body: &[u8], handler: H) -> Answer
where
    H: Fn(ConfirmedPayment) -> F,
    F: Future,
    F::Output: HandlerOutcome,
{
    let parsed = match client.drift_recorder() {
        Some(recorder) => parse_payment_notify_recording(body, recorder),
        None => parse_payment_notify(body),
    };
    let notification = match parsed {
        Ok(notification) => notification,
        Err(err) => return Answer::Malformed(err),
    };
    match client.confirm_payment(&notification).await {
        Ok(confirmed) => handled(
            "Payment Notify",
            handler(confirmed).await,
            UNDOCUMENTED_ACKNOWLEDGEMENT,
        ),
        Err(err) => Answer::NotConfirmed(err),
    }
}

/// The answer once the handler has run.
fn handled(
    name: &'static str,
    outcome: impl HandlerOutcome,
    acknowledgement: WebhookAcknowledgement,
) -> Answer {
    match outcome.into_result() {
        Ok(()) => Answer::Acknowledged(acknowledgement),
        Err(message) => Answer::HandlerFailed { name, message },
    }
}

/// How a notification is answered.
enum Answer {
    /// Handled: the acknowledgement EnKash expects.
    Acknowledged(WebhookAcknowledgement),
    /// The body did not parse: 400.
    Malformed(WebhookError),
    /// The API did not confirm the notification: 503, so that a genuine one is sent again.
    NotConfirmed(Error),
    /// The application's handler failed: 500, so that the notification is sent again.
    HandlerFailed { name: &'static str, message: String },
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Answer::Acknowledged(ack) => {
                let status = StatusCode::from_u16(ack.status).unwrap_or(StatusCode::OK);
                if ack.body.is_empty() {
                    status.into_response()
                } else {
                    (
                        status,
                        [(header::CONTENT_TYPE, "application/json")],
                        ack.body,
                    )
                        .into_response()
                }
            }
            Answer::Malformed(err) => {
                tracing::warn!(%err, "notification refused: the body does not parse");
                (StatusCode::BAD_REQUEST, err.to_string()).into_response()
            }
            Answer::NotConfirmed(err) => {
                tracing::warn!(%err, "Payment Notify not confirmed by the EnKash API");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the notification is not confirmed by the EnKash API (yet): send it again later",
                )
                    .into_response()
            }
            Answer::HandlerFailed { name, message } => {
                tracing::error!(notification = name, error = %message, "notification handler failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the merchant could not handle the notification: send it again later",
                )
                    .into_response()
            }
        }
    }
}
