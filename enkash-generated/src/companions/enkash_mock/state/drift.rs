//! Drift in answers ([`MockConfig::drifting`](super::super::MockConfig::drifting)): what an
//! EnKash newer than the spec might send, added to the successful answers of the order and
//! settlement-search operations after the store answered them. Members are edited as raw JSON
//! text, so every other value (decimals such as `1.00` included) is sent exactly as before.

use std::collections::BTreeMap as Map;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::value::RawValue;

/// The unknown member added to orders, and its value (a date-time in RFC 3339).
pub(crate) const NEW_FIELD: (&str, &str) = ("newField", "\"2026-04-22T13:50:03Z\"");
/// The order status no enum lists, sent by Get Order Status.
pub(crate) const UNKNOWN_ORDER_STATUS: &str = "ON_HOLD";
/// The `payoutDate` of settlement summaries, in a form the client does not read.
pub(crate) const OTHER_DATE_FORM: &str = "22/04/2026 13:50:03";
/// The order's `created`, in a form the client reads but EnKash's examples do not use.
pub(crate) const READ_DATE_FORM: &str = "2026-04-22T13:50:03+05:30";

/// What to change in the payload of one operation's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Create Order: an unknown member.
    CreatedOrder,
    /// Get Order Status: an unknown member, an unknown status, and `created` in RFC 3339.
    OrderStatus,
    /// Search Settlement Payouts: each summary's `payoutDate` in another form.
    PayoutSearch,
}

impl Change {
    fn of(method: &Method, path: &str) -> Option<Change> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method.as_str(), segments.as_slice()) {
            ("POST", ["api", "v0", "orders"]) => Some(Change::CreatedOrder),
            ("GET", ["api", "v0", "orders", _]) => Some(Change::OrderStatus),
            ("POST", ["api", "v0", "settlement-payout", "search"]) => Some(Change::PayoutSearch),
            _ => None,
        }
    }

    /// The envelope `body` with its payload changed; `None` when it is not a standard envelope
    /// with an object payload.
    fn apply(self, body: &[u8]) -> Option<String> {
        let raw: Map<String, Box<RawValue>> = serde_json::from_slice(body).ok()?;
        let mut payload: Map<String, Box<RawValue>> =
            serde_json::from_str(raw.get("payload")?.get()).ok()?;
        match self {
            Change::CreatedOrder => {
                payload.insert(NEW_FIELD.0.to_owned(), raw_text(NEW_FIELD.1)?);
            }
            Change::OrderStatus => {
                payload.insert(NEW_FIELD.0.to_owned(), raw_text(NEW_FIELD.1)?);
                payload.insert(
                    "status".to_owned(),
                    raw_text(&format!("\"{UNKNOWN_ORDER_STATUS}\""))?,
                );
                if payload.contains_key("created") {
                    payload.insert(
                        "created".to_owned(),
                        raw_text(&format!("\"{READ_DATE_FORM}\""))?,
                    );
                }
            }
            Change::PayoutSearch => {
                let items: Vec<Map<String, Box<RawValue>>> =
                    serde_json::from_str(payload.get("data")?.get()).ok()?;
                let items: Vec<Map<String, Box<RawValue>>> = items
                    .into_iter()
                    .map(|mut item| {
                        if let Some(date) = raw_text(&format!("\"{OTHER_DATE_FORM}\"")) {
                            item.insert("payoutDate".to_owned(), date);
                        }
                        item
                    })
                    .collect();
                payload.insert(
                    "data".to_owned(),
                    serde_json::value::to_raw_value(&items).ok()?,
                );
            }
        }
        let payload = serde_json::value::to_raw_value(&payload).ok()?;
        // The envelope's other members keep their text.
        let mut out = raw;
        out.insert("payload".to_owned(), payload);
        serde_json::to_string(&out).ok()
    }
}

fn raw_text(json: &str) -> Option<Box<RawValue>> {
    RawValue::from_string(json.to_owned()).ok()
}

/// The middleware of a drifting mock: the answer of `request`, with drift added to a
/// successful answer of an operation that has some.
pub(crate) async fn drifting_answer(request: Request, next: Next) -> Response {
    let change = Change::of(request.method(), request.uri().path());
    let response = next.run(request).await;
    let Some(change) = change else {
        return response;
    };
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        // The answer broke while it was read (an injected fault): break this one too.
        parts.status = StatusCode::BAD_GATEWAY;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    let body = match change.apply(&bytes) {
        Some(text) => Body::from(text),
        None => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_is_added_to_the_payload_only() {
        let body = br#"{"response_code":0,"response_message":"Success","payload":{"orderId":"ORD1","amount":1.00,"status":"CREATED","created":"2026-04-22 13:50:03"}}"#;
        let text = Change::OrderStatus.apply(body).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(value["response_message"], "Success");
        assert_eq!(value["payload"]["newField"], "2026-04-22T13:50:03Z");
        assert_eq!(value["payload"]["status"], "ON_HOLD");
        assert_eq!(value["payload"]["created"], "2026-04-22T13:50:03+05:30");
        assert!(text.contains(r#""amount":1.00"#), "{text}");
        let body = br#"{"response_code":0,"payload":{"recordsCount":1,"data":[{"payoutDate":"2026-04-22 13:50:03"}]}}"#;
        let text = Change::PayoutSearch.apply(body).unwrap_or_default();
        assert!(
            text.contains(r#""payoutDate":"22/04/2026 13:50:03""#),
            "{text}"
        );
        assert_eq!(Change::CreatedOrder.apply(b"not json"), None);
        assert_eq!(
            Change::of(&Method::GET, "/api/v0/orders/ORD1"),
            Some(Change::OrderStatus)
        );
        assert_eq!(Change::of(&Method::GET, "/api/v0/payment/T1"), None);
    }
}
