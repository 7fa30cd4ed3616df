//! The client and its call loop: auth headers, retries, the one invalid-token refresh, decoding.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::config::{Config, credentials_state};
use super::decode::{DecodeContext, Interpretation};
use super::redact::Redactor;
use super::retry::{self, Decision, Outcome, RetryPolicy};
use super::token::{CachedToken, TokenCache};
use super::transport::{self, Attempt};
use super::{ApiInfo, Credential, Envelope, Error, Method, Request};

/// A configured EnKash client.
///
/// Cheap to clone (an `Arc` inside): clones share the connection pool and the bearer token.
/// `Send + Sync`; use one per set of credentials. `Debug` never shows a secret.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What clones of a client share.
pub(crate) struct Inner {
    pub api: &'static ApiInfo,
    pub config: Config,
    pub http: reqwest::Client,
    pub tokens: TokenCache,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field(
                "credentials",
                &credentials_state(&config.access_key, &config.secret_key),
            )
            .field("timeout", &config.timeout)
            .field("connect_timeout", &config.connect_timeout)
            .field("retry", &config.retry)
            .field("token_refresh_margin", &config.token_refresh_margin)
            .field("token", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(crate) fn new(api: &'static ApiInfo, config: Config, http: reqwest::Client) -> Self {
        Client {
            inner: Arc::new(Inner {
                api,
                config,
                http,
                tokens: TokenCache::default(),
            }),
        }
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    /// Sends a request built by generated code and decodes the payload into `T`.
    ///
    /// In order:
    /// 1. A request with `problems` fails with [`Error::Validation`]; nothing is sent.
    /// 2. When an auth header needs the bearer token, a cached one is used, or one is fetched
    ///    first (one fetch shared by all concurrent calls).
    /// 3. Each attempt gets the per-attempt timeout. A transient failure is resent only when
    ///    resending cannot make EnKash act twice, by the one rule written down in
    ///    [`RetryPolicy`'s docs](RetryPolicy#which-failures-are-retried): always when no
    ///    connection could be opened; after a timeout, a broken connection, HTTP 502/503/504 or
    ///    HTTP 429 with `Retry-After` only for a `GET`, an idempotent operation, or a write whose
    ///    body carries its dedup key. Resends reuse the same body bytes. When a resent write
    ///    still fails, the error says an earlier attempt may have succeeded.
    /// 4. When EnKash says the token is invalid (HTTP 401, or an invalid-token code such as 117)
    ///    the token is dropped, a new one fetched, and the call resent once (safe: EnKash refused
    ///    it). A second refusal is returned as the error it is.
    /// 5. The body is decoded per the operation's envelope; see [`Error`] for the failures.
    pub async fn execute<T: DeserializeOwned>(&self, request: Request<'_>) -> Result<T, Error> {
        let op = request.op;
        // `attempts` and `status` are recorded once, when the call ends; each attempt also
        // logs a DEBUG event with its number and status.
        let span = tracing::info_span!(
            "enkash.call",
            operation = op.id,
            method = op.method.as_str(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let mut stats = CallStats::default();
        let result = self
            .run(request, &mut stats)
            .instrument(span.clone())
            .await
            .map_err(|err| {
                if stats.earlier_attempt_uncertain {
                    err.after_uncertain_attempt()
                } else {
                    err
                }
            });
        span.record("attempts", stats.attempts);
        if let Some(status) = stats.status {
            span.record("status", status);
        }
        result
    }

    async fn run<T: DeserializeOwned>(
        &self,
        request: Request<'_>,
        stats: &mut CallStats,
    ) -> Result<T, Error> {
        let op = request.op;
        let inner = &*self.inner;
        let config = &inner.config;
        if !request.problems.is_empty() {
            return Err(Error::Validation {
                operation: op.id,
                problems: request.problems,
            });
        }
        let (url, headers) = self.prepare(&request)?;
        let needs_token = op.auth.iter().any(|h| h.credential == Credential::Token);
        let needs_access_key = op
            .auth
            .iter()
            .map(|h| h.credential)
            .chain(
                op.body_credentials
                    .iter()
                    .map(|(_, credential)| *credential),
            )
            .any(|credential| credential == Credential::AccessKey);
        if needs_access_key && config.access_key.is_none() {
            return Err(Error::config(
                "this operation needs the access key, but no credentials were configured: \
                 call `.credentials(access_key, secret_key)` on the client builder",
            ));
        }
        let safe = retry::resend_is_safe(&request);
        let timeout = request.options.timeout.unwrap_or(config.timeout);
        let max_retries = request
            .options
            .max_retries
            .unwrap_or(config.retry.max_retries);
        let body = with_body_credentials(op.body_credentials, request.body.as_deref(), config)?;
        let attempt = Attempt {
            method: op.method,
            url: &url,
            headers: &headers,
            body: body.as_deref(),
            timeout,
            max_response_size: config.max_response_size,
        };
        let mut retries = 0;
        let mut refreshed = false;
        loop {
            stats.attempts = stats.attempts.saturating_add(1);
            let attempt_number = stats.attempts;
            let token: Option<Arc<CachedToken>> = if needs_token {
                Some(inner.tokens.get(inner).await?)
            } else {
                None
            };
            let auth = transport::auth_headers(config, op.auth, token.as_ref().map(|t| t.value()))?;
            let (outcome, result) = match transport::send(&inner.http, &attempt, auth).await {
                Ok(response) => (
                    Outcome::Status {
                        status: response.status,
                        retry_after: response.retry_after,
                    },
                    Ok(response),
                ),
                Err(err) => (transport::outcome_of(&err), Err(err)),
            };
            match &result {
                Ok(response) => {
                    stats.status = Some(response.status);
                    tracing::debug!(
                        attempt = attempt_number,
                        status = response.status,
                        "response received"
                    );
                }
                Err(_) => tracing::debug!(attempt = attempt_number, ?outcome, "attempt failed"),
            }
            let decision = match &result {
                Err(err) if err.is_builder() => Decision::Stop,
                _ => retry::decide(outcome, safe, retries, &config.retry, max_retries),
            };
            if decision != Decision::Stop {
                tracing::debug!(?outcome, "transient failure; retrying");
                // EnKash may have acted on this attempt: a later failure must not say otherwise.
                stats.earlier_attempt_uncertain |=
                    outcome != Outcome::ConnectFailed && op.method != Method::Get;
                pause(&config.retry, decision, retries).await;
                retries += 1;
                continue;
            }
            let response = match result {
                Ok(response) => response,
                Err(err) => {
                    return Err(transport::transport_error(op.id, err, timeout));
                }
            };
            if response.oversized {
                return Err(Error::Http {
                    operation: op.id,
                    status: response.status,
                    body_excerpt: format!(
                        "(not read: the response is larger than the client's limit of {} bytes)",
                        config.max_response_size
                    ),
                    retry_after: response.retry_after,
                    earlier_attempt_may_have_succeeded: false,
                });
            }
            let redactor = Redactor::new([
                config.access_key.as_ref().map(|s| s.expose_secret()),
                config.secret_key.as_ref().map(|s| s.expose_secret()),
                token.as_ref().map(|t| t.value().expose_secret()),
            ]);
            let context = DecodeContext {
                op,
                invalid_token_codes: inner.api.invalid_token_codes,
                detect_invalid_token: token.is_some() && !refreshed,
                redactor: &redactor,
                // Calling the token operation directly answers a token: keep no body in errors.
                hide_body: std::ptr::eq(op, inner.api.token.operation)
                    || op.id == inner.api.token.operation.id,
                retry_after: response.retry_after,
            };
            // The common case in one pass; anything else is read again, step by step.
            if let Some(value) = context.decode_success(response.status, &response.body) {
                return Ok(value);
            }
            match context.interpret(response.status, &response.body) {
                Interpretation::Payload { json, prefix } => {
                    return context.decode_payload(response.status, &json, prefix, &response.body);
                }
                Interpretation::InvalidToken => {
                    tracing::info!(
                        status = response.status,
                        "EnKash rejected the bearer token; refreshing it and resending once"
                    );
                    refreshed = true;
                    if let Some(token) = &token {
                        inner.tokens.invalidate(token);
                    }
                }
                Interpretation::Failed(err) => {
                    return Err(err);
                }
            }
        }
    }

    /// The URL and the non-auth headers of a request; problems become [`Error::Validation`].
    fn prepare(&self, request: &Request<'_>) -> Result<(reqwest::Url, HeaderMap), Error> {
        let op = request.op;
        let config = &self.inner.config;
        let mut problems = Vec::new();
        let mut url = match config.url(&request.path) {
            Ok(url) => Some(url),
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        if let Some(url) = url.as_mut()
            && !request.query.is_empty()
        {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, config.user_agent.clone());
        if matches!(op.envelope, Envelope::Wrapped { .. } | Envelope::Bare) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        if request.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &request.headers {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                (Err(_), _) => problems.push(format!("`{name}` is not a valid header name")),
                (_, Err(_)) => problems.push(format!(
                    "header `{name}` has characters that cannot be sent in an HTTP header"
                )),
            }
        }
        match url {
            Some(url) if problems.is_empty() => Ok((url, headers)),
            _ => Err(Error::Validation {
                operation: op.id,
                problems,
            }),
        }
    }
}

/// The body with the fields the client fills (`credentials`) added at the front of the JSON
/// object; the body itself when there are none. Such a body holds a secret: it is only sent, never
/// kept in an error or a log.
fn with_body_credentials<'a>(
    credentials: &[(&'static str, Credential)],
    body: Option<&'a [u8]>,
    config: &Config,
) -> Result<Option<Cow<'a, [u8]>>, Error> {
    let Some(body) = body else {
        return Ok(None);
    };
    if credentials.is_empty() {
        return Ok(Some(Cow::Borrowed(body)));
    }
    let Some(rest) = body.strip_prefix(b"{") else {
        return Err(Error::config(
            "this operation's body carries a credential, so it must be a JSON object",
        ));
    };
    let mut out = Vec::with_capacity(body.len() + 64);
    out.push(b'{');
    for (name, credential) in credentials {
        let value = match credential {
            Credential::AccessKey => config.access_key.as_ref(),
            Credential::Token => None,
        }
        .ok_or_else(|| {
            Error::config(
                "this operation sends the access key in its body, but no credentials were \
                 configured: call `.credentials(access_key, secret_key)` on the client builder",
            )
        })?;
        let write = |out: &mut Vec<u8>, text: &str| {
            serde_json::to_writer(out, text)
                .map_err(|err| Error::config(format!("cannot write `{name}`: {err}")))
        };
        write(&mut out, name)?;
        out.push(b':');
        write(&mut out, value.expose_secret())?;
        out.push(b',');
    }
    if rest.trim_ascii_start().starts_with(b"}") {
        out.pop();
    }
    out.extend_from_slice(rest);
    Ok(Some(Cow::Owned(out)))
}

/// What the call span reports when the call ends.
#[derive(Default)]
struct CallStats {
    attempts: u32,
    status: Option<u16>,
    /// A write was resent after an attempt that may have reached EnKash.
    earlier_attempt_uncertain: bool,
}

/// Waits before retry number `retries` (0-based) as `decision` says.
pub(crate) async fn pause(policy: &RetryPolicy, decision: Decision, retries: u32) {
    let delay = match decision {
        Decision::RetryAfter(delay) => delay,
        _ => policy.jittered_backoff(retries),
    };
    tracing::debug!(
        retry = retries + 1,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        "waiting before retrying"
    );
    tokio::time::sleep(delay).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn client_is_cheap_to_share() {
        assert_send_sync::<Client>();
    }
}
