//! Decoding notification bodies EnKash POSTs to the merchant.

use serde::de::DeserializeOwned;

use super::drift::DriftRecorder;

/// A notification body that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode the {webhook} notification at `{path}`: {message}")]
#[non_exhaustive]
pub struct WebhookError {
    /// Spec id of the webhook (`payment_notify`).
    pub webhook: &'static str,
    /// JSON path of the failing field (`.` for the whole body).
    pub path: String,
    /// What was wrong, from the JSON decoder.
    pub message: String,
}

/// The answer EnKash expects from the merchant's webhook endpoint, as its docs give it
/// (generated `webhooks::*_ACKNOWLEDGEMENT` constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookAcknowledgement {
    /// HTTP status code to answer with.
    pub status: u16,
    /// Response body, exactly as documented (JSON text, `application/json`).
    pub body: &'static str,
}

/// Decodes a raw notification body into `T`, naming the failing field on error.
///
/// Generated `webhooks::parse_*` functions call this.
pub(crate) fn parse_webhook<T: DeserializeOwned>(
    webhook: &'static str,
    body: &[u8],
) -> Result<T, WebhookError> {
    super::envelope::read_json(body).map_err(|(path, message)| WebhookError {
        webhook,
        path,
        message,
    })
}

/// [`parse_webhook`], recording into `recorder` what the body holds that `T` does not expect
/// (as `[<product>.]webhooks.<webhook>`), whether or not it decodes.
///
/// Generated `webhooks::parse_*_recording` functions call this.
pub(crate) fn parse_webhook_recording<T: DeserializeOwned>(
    product: Option<&'static str>,
    webhook: &'static str,
    body: &[u8],
    recorder: &DriftRecorder,
) -> Result<T, WebhookError> {
    let parsed = parse_webhook(webhook, body);
    recorder.observe_webhook::<T>(product, webhook, body);
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Notice {
        #[allow(dead_code)]
        amount: Inner,
    }

    crate::runtime::wire::json_object! {
        Notice: received;
        required amount = "amount";
    }

    #[derive(Debug)]
    struct Inner {
        #[allow(dead_code)]
        value: rust_decimal::Decimal,
    }

    crate::runtime::wire::json_object! {
        Inner: received;
        required value = "value" => decimal;
    }

    #[test]
    fn names_the_failing_field() {
        let err =
            parse_webhook::<Notice>("payment_notify", br#"{"amount":{"value":"x"}}"#).unwrap_err();
        assert_eq!(err.path, "amount.value");
        assert_eq!(err.webhook, "payment_notify");
    }

    #[test]
    fn rejects_trailing_garbage_and_truncation() {
        assert!(parse_webhook::<Notice>("n", br#"{"amount":{"value":1}} x"#).is_err());
        assert!(parse_webhook::<Notice>("n", br#"{"amount":{"val"#).is_err());
        assert!(parse_webhook::<Notice>("n", br#"{"amount":{"value":1}}"#).is_ok());
    }
}
