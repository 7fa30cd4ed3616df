//! The one request pipeline. Every call, the token fetch included, runs [`Inner::run`]'s retry
//! loop, and every attempt of it runs the same phases, in this order:
//!
//! 1. **credentials**: the bearer token, when an auth header needs one (cached, or fetched by
//!    the token operation through this same pipeline);
//! 2. **shape**: this attempt's HTTP request: method, URL, headers, auth headers and body
//!    ([`shape`]; a per-attempt concern such as request signing or body encryption is one more
//!    step there);
//! 3. **send**: one HTTP exchange, the body read up to the size limit (`transport`);
//! 4. **classify**: what happened, as the retry rule sees it ([`Outcome`]);
//! 5. **decide**: resend or not, and after how long ([`retry::decide`]);
//! 6. **read**: the caller's reader turns the answer into a value or an error, or asks for the
//!    call's one token refresh (the envelope codec, `envelope`).

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use secrecy::SecretString;

use super::client::Inner;
use super::error::Error;
use super::operation::{Credential, Method, OperationInfo};
use super::retry::{self, Decision, Outcome, RetryPolicy};
use super::token::CachedToken;
use super::transport::{self, RawResponse};

/// One call of one operation, prepared: everything that is the same on every attempt.
pub(crate) struct Call {
    /// The operation.
    pub(crate) op: &'static OperationInfo,
    /// The full URL, query included.
    pub(crate) url: reqwest::Url,
    /// Headers other than auth headers.
    pub(crate) headers: HeaderMap,
    /// The body, sent as the same bytes on every attempt (a deduplicating server sees the same
    /// id each time); cloning it is cheap.
    pub(crate) body: Option<bytes::Bytes>,
    /// Whether a resend after an attempt that may have reached EnKash is safe.
    pub(crate) resend_safe: bool,
    /// Time allowed for one attempt.
    pub(crate) timeout: Duration,
    /// Most resends after the first attempt.
    pub(crate) max_retries: u32,
}

/// What the read phase gets: the answer, and whether an invalid-token answer can still be
/// refreshed (a token was sent and this call has not refreshed it yet).
pub(crate) struct Answer<'a> {
    /// The response, body read.
    pub(crate) response: &'a RawResponse,
    /// The bearer token the attempt sent, if any (to mask it in errors).
    pub(crate) token: Option<&'a SecretString>,
    /// The reader may answer [`Read::RefreshToken`].
    pub(crate) may_refresh: bool,
}

/// The read phase's verdict, when it is not an error.
pub(crate) enum Read {
    /// The reader has its value: the call is over.
    Done,
    /// EnKash said the token is invalid: drop it, fetch a new one and resend once.
    RefreshToken,
}

/// The read phase: called once per answer that is not resent.
pub(crate) type Reader<'r> = dyn FnMut(Answer<'_>) -> Result<Read, Error> + Send + 'r;

/// What the call span reports when the call ends.
#[derive(Default)]
pub(crate) struct CallStats {
    /// Attempts made.
    pub(crate) attempts: u32,
    /// HTTP status of the last answer.
    pub(crate) status: Option<u16>,
    /// A write was resent after an attempt that may have reached EnKash.
    pub(crate) earlier_attempt_uncertain: bool,
}

impl Inner {
    /// Runs `call` until `read` is done, an error ends it, or the retry rule stops it.
    pub(crate) async fn run(
        &self,
        call: &Call,
        stats: &mut CallStats,
        read: &mut Reader<'_>,
    ) -> Result<(), Error> {
        let op = call.op;
        let needs_token = op.needs(Credential::Token);
        let mut retries = 0;
        let mut refreshed = false;
        loop {
            stats.attempts = stats.attempts.saturating_add(1);
            let attempt = stats.attempts;
            // 1. credentials
            let token: Option<Arc<CachedToken>> = if needs_token {
                Some(self.tokens.get(self).await?)
            } else {
                None
            };
            let token_value = token.as_deref().map(CachedToken::value);
            // 2. shape
            let request = shape(self, call, token_value)?;
            // 3. send, 4. classify
            let result = transport::send(&self.http, request, self.config.max_response_size).await;
            let outcome = match &result {
                Ok(response) => {
                    stats.status = Some(response.status);
                    tracing::debug!(attempt, status = response.status, "response received");
                    Outcome::Status {
                        status: response.status,
                        retry_after: response.retry_after,
                    }
                }
                Err(err) => {
                    let outcome = transport::outcome_of(err);
                    tracing::debug!(attempt, ?outcome, "attempt failed");
                    outcome
                }
            };
            // 5. decide
            let decision = match &result {
                Err(err) if err.is_builder() => Decision::Stop,
                _ => retry::decide(
                    outcome,
                    call.resend_safe,
                    retries,
                    &self.config.retry,
                    call.max_retries,
                ),
            };
            if decision != Decision::Stop {
                tracing::debug!(?outcome, "transient failure; retrying");
                // EnKash may have acted on this attempt: a later failure must not say otherwise.
                stats.earlier_attempt_uncertain |=
                    outcome != Outcome::ConnectFailed && op.method != Method::Get;
                pause(&self.config.retry, decision, retries).await;
                retries += 1;
                continue;
            }
            let response =
                result.map_err(|err| transport::transport_error(op.id, err, call.timeout))?;
            if response.oversized {
                return Err(Error::Http {
                    operation: op.id,
                    status: response.status,
                    body_excerpt: format!(
                        "(not read: the response is larger than the client's limit of {} bytes)",
                        self.config.max_response_size
                    ),
                    retry_after: response.retry_after,
                    earlier_attempt_may_have_succeeded: false,
                });
            }
            // 6. read
            let answer = Answer {
                response: &response,
                token: token_value,
                may_refresh: token.is_some() && !refreshed,
            };
            match read(answer)? {
                Read::Done => return Ok(()),
                Read::RefreshToken => {
                    tracing::info!(
                        status = response.status,
                        "EnKash rejected the bearer token; refreshing it and resending once"
                    );
                    refreshed = true;
                    if let Some(token) = &token {
                        self.tokens.invalidate(token);
                    }
                }
            }
        }
    }
}

/// The shape phase: this attempt's HTTP request. Auth header values are marked sensitive so
/// that HTTP tooling never prints them.
fn shape(
    inner: &Inner,
    call: &Call,
    token: Option<&SecretString>,
) -> Result<reqwest::Request, Error> {
    let mut request = reqwest::Request::new(call.op.method.to_http(), call.url.clone());
    let headers = request.headers_mut();
    headers.clone_from(&call.headers);
    for (name, value) in transport::auth_headers(&inner.config, call.op.auth, token)? {
        if let Some(name) = name {
            headers.append(name, value);
        }
    }
    *request.timeout_mut() = Some(call.timeout);
    if let Some(body) = &call.body {
        *request.body_mut() = Some(body.clone().into());
    }
    Ok(request)
}

/// Waits before retry number `retries` (0-based) as `decision` says.
async fn pause(policy: &RetryPolicy, decision: Decision, retries: u32) {
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
