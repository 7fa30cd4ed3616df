//! The webhook configuration: one per account, replaced by each Create Webhook Data.

use super::Store;
use super::rules::{INVALID_PARAMETER, is_company_id, refusal};
use crate::generated::payouts::mock::MockWebhookConfig;
use crate::generated::payouts::{WebhookDataRequest, WebhookDataResponse};
use crate::runtime::mock::{MockContext, MockReply};

impl MockWebhookConfig for Store {
    /// Create Webhook Data: needs an `http(s)` URL and at least one event (422 otherwise) and a
    /// valid company id when one is sent (412); the configuration replaces the previous one
    /// (`enabled` defaults to true) and is echoed.
    fn create_webhook_config(
        &mut self,
        _ctx: &MockContext,
        body: WebhookDataRequest,
    ) -> MockReply<WebhookDataResponse> {
        let url = body.webhook_url.as_str();
        if !(url.starts_with("https://") || url.starts_with("http://")) || body.events.is_empty() {
            return Err(refusal(422, INVALID_PARAMETER));
        }
        if body
            .company_id
            .as_deref()
            .is_some_and(|id| !is_company_id(id))
        {
            return Err(refusal(412, "Invalid Company ID."));
        }
        let mut answer = WebhookDataResponse::new()
            .with_webhook_url(body.webhook_url)
            .with_events(body.events)
            .with_enabled(body.enabled.unwrap_or(true));
        if let Some(headers) = body.headers {
            answer = answer.with_headers(headers);
        }
        if let Some(certificate) = body.ssl_certificate {
            answer = answer.with_ssl_certificate(certificate);
        }
        if let Some(company_id) = body.company_id {
            answer = answer.with_company_id(company_id);
        }
        self.webhook = Some(answer.clone());
        Ok(answer)
    }
}
