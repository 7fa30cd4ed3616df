//! The bearer token's lifecycle: fetched lazily, cached, refreshed ahead of expiry, one refresh
//! at a time, dropped when the API rejects it.
//!
//! # Expiry rules
//!
//! The spec says what the token answer's expiry field holds: an absolute time in epoch
//! milliseconds, or a lifetime in seconds from now (OAuth2's
//! `expires_in`), which is turned into the same absolute time when the answer
//! arrives. With `remaining = expiry - now` and the configured `margin`:
//!
//! * `remaining > 2 * margin`: the token is refreshed `margin` before it expires.
//! * `0 < remaining <= 2 * margin` (short-lived token, or a margin larger than its lifetime):
//!   refreshed at half its remaining lifetime, so it is still used for a while instead of being
//!   refetched on every call.
//! * `remaining <= 0` (expiry already past: usually this machine's clock is ahead): a warning is
//!   logged, the calls waiting for the token use it anyway (EnKash just issued it, and answers
//!   an invalid-token code if it disagrees, which triggers one refresh and one resend), and the
//!   next call fetches a new one.
//! * expiry missing: a warning is logged and the token is treated as living
//!   [`LIFETIME_WITHOUT_EXPIRY`] (5 minutes), with the rules above. An expiry that is there but
//!   not epoch milliseconds (an integer, or a string of digits) is an [`Error::Auth`] naming it.
//! * in any case a token is refreshed after at most [`MAX_TOKEN_REUSE`] (24 hours).
//!
//! The token request is written from the spec's `TokenExchange` fields (credentials and fixed
//! values, as JSON or as a form, with the token operation's auth headers, e.g. HTTP Basic client
//! authentication for an OAuth2 password grant); its answer is read with the spec's token
//! response type (a generated function). The request goes through the one request pipeline,
//! retried like any idempotent call.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use std::future::Future;
use std::pin::Pin;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;
use tracing::Instrument;

use super::client::{Inner, base_headers};
use super::config::Config;
use super::envelope::{DecodeContext, Interpretation, parse_fields};
use super::error::Error;
use super::operation::{BodyEncoding, Resend, TokenExchange, TokenField};
use super::pipeline::{Answer, Call, CallStats, Read};
use super::redact::{Redactor, truncate_at_char_boundary};
use super::transport::RawResponse;

/// Assumed lifetime of a token whose response has no usable expiry.
pub(crate) const LIFETIME_WITHOUT_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Longest a token is used before it is refreshed, whatever its expiry says: a token claiming
/// to live for years more likely has a misread expiry.
pub(crate) const MAX_TOKEN_REUSE: Duration = Duration::from_secs(24 * 60 * 60);

/// A cached bearer token. `Debug` never shows the value.
pub(crate) struct CachedToken {
    value: SecretString,
    refresh_at: Instant,
    generation: u64,
}

impl CachedToken {
    pub(crate) fn value(&self) -> &SecretString {
        &self.value
    }

    fn is_fresh(&self) -> bool {
        Instant::now() < self.refresh_at
    }
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("value", &"[REDACTED]")
            .field("generation", &self.generation)
            .field("refresh_at", &self.refresh_at)
            .finish()
    }
}

/// A failed fetch, remembered so that calls that waited for it share the failure instead of
/// each asking EnKash again (a storm of token requests during an outage).
struct Failure {
    message: String,
    status: Option<u16>,
    code: Option<i64>,
}

/// The token cache of one client.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<Arc<CachedToken>>>,
    /// Held while fetching: the single flight. Holds the last fetch's failure, if it failed.
    refresh: tokio::sync::Mutex<Option<Failure>>,
    /// Completed fetches (successful or not).
    fetches: AtomicU64,
    generations: AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("current", &self.current())
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    fn current(&self) -> Option<Arc<CachedToken>> {
        // A panic while holding this lock cannot leave the Option half-written: keep going.
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A usable token: the cached one while fresh, otherwise one fetched now. Concurrent callers
    /// share a single fetch.
    pub(crate) async fn get(&self, inner: &Inner) -> Result<Arc<CachedToken>, Error> {
        let seen = self.current();
        if let Some(token) = &seen
            && token.is_fresh()
        {
            return Ok(token.clone());
        }
        let fetches_seen = self.fetches.load(Ordering::SeqCst);
        let mut last_failure = self.refresh.lock().await;
        if self.fetches.load(Ordering::SeqCst) != fetches_seen {
            // Another call fetched while this one waited: use its outcome.
            if let Some(token) = self.current()
                && (token.is_fresh()
                    || seen
                        .as_ref()
                        .is_none_or(|s| s.generation != token.generation))
            {
                return Ok(token);
            }
            if let Some(failure) = last_failure.as_ref() {
                return Err(Error::auth(
                    format!(
                        "the token request made for a concurrent call failed: {}",
                        failure.message
                    ),
                    failure.status,
                    failure.code,
                ));
            }
        }
        let result = fetch(inner)
            .instrument(tracing::debug_span!(
                "enkash.token",
                operation = inner.api.token.operation.id
            ))
            .await;
        let outcome = match result {
            Ok((value, lifetime)) => {
                *last_failure = None;
                let token = Arc::new(CachedToken {
                    value,
                    // `lifetime` is at most a day, but never risk an overflow panic here.
                    refresh_at: Instant::now()
                        .checked_add(lifetime)
                        .unwrap_or_else(Instant::now),
                    generation: self.generations.fetch_add(1, Ordering::SeqCst) + 1,
                });
                *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
                Ok(token)
            }
            Err(err) => {
                *last_failure = Some(Failure {
                    message: match &err {
                        Error::Auth { message, .. } => message.clone(),
                        other => other.to_string(),
                    },
                    status: err.status(),
                    code: err.code(),
                });
                Err(err)
            }
        };
        self.fetches.fetch_add(1, Ordering::SeqCst);
        outcome
    }

    /// Forgets `token` because EnKash rejected it, unless a newer token already replaced it.
    pub(crate) fn invalidate(&self, token: &CachedToken) {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_some_and(|c| c.generation == token.generation)
        {
            *current = None;
        }
    }
}

/// How long to use a token before refreshing it; see the module docs.
pub(crate) fn refresh_after(expiry_ms: Option<i64>, now_ms: i64, margin: Duration) -> Duration {
    let remaining_ms = match expiry_ms {
        Some(expiry) => expiry.saturating_sub(now_ms),
        None => i64::try_from(LIFETIME_WITHOUT_EXPIRY.as_millis()).unwrap_or(i64::MAX),
    };
    let Ok(remaining_ms) = u64::try_from(remaining_ms) else {
        return Duration::ZERO;
    };
    let remaining = Duration::from_millis(remaining_ms);
    let reuse = if remaining > margin.saturating_mul(2) {
        remaining - margin
    } else {
        remaining / 2
    };
    reuse.min(MAX_TOKEN_REUSE)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A token as the generated reader of the token operation's answer found it.
#[derive(Debug)]
pub(crate) struct IssuedToken {
    value: SecretString,
    /// The expiry in epoch milliseconds, when the answer has one.
    expiry_ms: Option<i64>,
}

impl IssuedToken {
    /// A token with its expiry, as read with the spec's token response type.
    #[allow(
        dead_code,
        reason = "generated code calls `new` or `lasting`, as the spec's expiry form needs"
    )]
    pub(crate) fn new(value: String, expiry: impl TokenExpiry) -> Self {
        IssuedToken {
            value: SecretString::from(value),
            expiry_ms: expiry.epoch_ms(),
        }
    }

    /// A token whose answer gives its lifetime in seconds from now (OAuth2's `expires_in`).
    /// A negative lifetime reads as already expired; a missing one as absent.
    #[allow(
        dead_code,
        reason = "generated code calls `new` or `lasting`, as the spec's expiry form needs"
    )]
    pub(crate) fn lasting(value: String, seconds: Option<i64>) -> Self {
        IssuedToken {
            value: SecretString::from(value),
            expiry_ms: seconds.map(|s| now_ms().saturating_add(s.saturating_mul(1000))),
        }
    }
}

/// The expiry field of a token response, whatever its spec type.
#[allow(
    dead_code,
    reason = "used by specs whose token answer has an absolute expiry"
)]
pub(crate) trait TokenExpiry {
    /// The expiry in epoch milliseconds, if known.
    fn epoch_ms(&self) -> Option<i64>;
}

impl TokenExpiry for time::OffsetDateTime {
    fn epoch_ms(&self) -> Option<i64> {
        i64::try_from(self.unix_timestamp_nanos() / 1_000_000).ok()
    }
}

impl<T: TokenExpiry> TokenExpiry for Option<T> {
    fn epoch_ms(&self) -> Option<i64> {
        self.as_ref().and_then(TokenExpiry::epoch_ms)
    }
}

/// What fetching a token gives: the value and how long to use it.
type Fetched = Result<(SecretString, Duration), Error>;

/// Asks EnKash for a token, through the one request pipeline like any call (boxed: the
/// pipeline's credentials phase is what calls this).
fn fetch(inner: &Inner) -> Pin<Box<dyn Future<Output = Fetched> + Send + '_>> {
    Box::pin(async move {
        let exchange = &inner.api.token;
        let op = exchange.operation;
        let config = &inner.config;
        let body = token_request_body(exchange, config)?;
        let body = op.envelope.write_request(body);
        let body = match op.cipher {
            Some(cipher) => super::cipher_phase::seal(cipher, config, body)?,
            None => body,
        };
        let mut headers = base_headers(config, op, true);
        for (name, value) in super::transport::auth_headers(config, op.auth, None)? {
            if let Some(name) = name {
                headers.append(name, value);
            }
        }
        let call = Call {
            op,
            url: config.url(op.path).map_err(Error::config)?,
            headers,
            body: Some(bytes::Bytes::from(body)),
            resend_safe: op.resend == Resend::Always,
            timeout: config.timeout,
            max_retries: config.retry.max_retries,
        };
        let mut fetched = None;
        let mut read = |answer: Answer<'_>| {
            tracing::debug!(status = answer.response.status, "token response received");
            fetched = Some(read_token_answer(inner, answer.response)?);
            Ok(Read::Done)
        };
        inner
            .run(&call, &mut CallStats::default(), &mut read)
            .await?;
        fetched.ok_or_else(|| Error::auth("the token request ended without an answer", None, None))
    })
}

/// The token request's body: its fields, filled from the client's credentials and the spec's
/// fixed values, as a JSON object or a form, as the token operation sends its body. It holds
/// secrets: it is only sent, never kept in an error or a log.
fn token_request_body(exchange: &TokenExchange, config: &Config) -> Result<Vec<u8>, Error> {
    let mut fields: Vec<(&str, &str)> = Vec::with_capacity(exchange.fields.len());
    for (name, field) in exchange.fields {
        let value = match field {
            TokenField::Fixed(value) => value,
            TokenField::Credential(credential) => config
                .credentials
                .require(*credential)
                .map_err(|_| {
                    Error::config(format!(
                        "this operation needs a bearer token, and the token request needs {}, \
                         which was not configured: call `.credentials(..)` on the client builder",
                        credential.describe()
                    ))
                })?
                .expose_secret(),
        };
        fields.push((name, value));
    }
    let encoded = match exchange.operation.body {
        BodyEncoding::Form => serde_urlencoded::to_string(&fields)
            .map(String::into_bytes)
            .ok(),
        BodyEncoding::Json => {
            let object: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(name, value)| ((*name).to_owned(), serde_json::Value::from(*value)))
                .collect();
            serde_json::to_vec(&object).ok()
        }
    };
    encoded.ok_or_else(|| Error::config("cannot encode the token request"))
}

/// Extracts the token and its refresh delay from the token operation's answer, read with the
/// envelope codec and the generated reader. Errors never contain the body (it may carry a
/// token) nor a secret; EnKash's own message is kept, with the credentials masked.
fn read_token_answer(
    inner: &Inner,
    response: &RawResponse,
) -> Result<(SecretString, Duration), Error> {
    let exchange = &inner.api.token;
    let op = exchange.operation;
    let status = response.status;
    let config = &inner.config;
    let redactor = Redactor::new(config.credentials.secrets().map(Some));
    // A token answer under a cipher is read decrypted (no spec does that today).
    let body = match op.cipher {
        Some(cipher) => {
            super::cipher_phase::open(cipher, config, &response.body).map_err(|fault| {
                Error::auth(
                    format!("the token answer cannot be read: {fault}"),
                    Some(status),
                    None,
                )
            })?
        }
        None => std::borrow::Cow::Borrowed(response.body.as_ref()),
    };
    let response = &RawResponse {
        status,
        retry_after: response.retry_after,
        body: body.into_owned(),
        oversized: response.oversized,
    };
    let (code, message) = op.envelope.failure(&response.body);
    let fail = |what: &str| -> Error {
        let mut text = what.to_owned();
        if let Some(code) = code {
            text.push_str(&format!(", result code {code}"));
        }
        if let Some(message) = &message {
            let message = redactor.redact(message);
            text.push_str(": ");
            text.push_str(truncate_at_char_boundary(&message, 200));
        }
        Error::auth(text, Some(status), code)
    };
    if !(200..300).contains(&status) {
        return Err(fail(&format!(
            "EnKash refused the token request with HTTP {status}"
        )));
    }
    let context = DecodeContext {
        operation: op.id,
        envelope: op.envelope,
        invalid_token_codes: &[],
        detect_invalid_token: false,
        redactor: &redactor,
        hide_body: true,
        retry_after: response.retry_after,
    };
    let payload = match context.interpret(status, &response.body) {
        Interpretation::Payload { json, .. } => json,
        Interpretation::Failed(Error::Api { .. }) => {
            return Err(fail("EnKash did not issue a token"));
        }
        Interpretation::Failed(_) | Interpretation::InvalidToken => {
            return Err(fail("the token response is not a JSON object"));
        }
    };
    if parse_fields(payload.as_bytes()).is_err() {
        return Err(fail("the token response is not a JSON object"));
    }
    let issued = (exchange.response)(&payload).map_err(|(path, problem)| {
        let problem = redactor.redact(&problem);
        fail(&format!(
            "the token response cannot be read at `{path}`: {}",
            truncate_at_char_boundary(&problem, 200)
        ))
    })?;
    let token = issued.value.expose_secret();
    if token.is_empty() {
        return Err(fail("the token response has an empty token"));
    }
    if HeaderValue::from_str(token).is_err() {
        return Err(fail(
            "the token contains characters that cannot be sent in an HTTP header",
        ));
    }
    let now = now_ms();
    match issued.expiry_ms {
        None => tracing::warn!(
            "the token response has no expiry; assuming the token lives {:?}",
            LIFETIME_WITHOUT_EXPIRY
        ),
        Some(expiry) if expiry <= now => tracing::warn!(
            expired_ms_ago = now.saturating_sub(expiry),
            "EnKash issued a token whose expiry has already passed (is this machine's clock \
             right?); it is used once and refreshed on the next call"
        ),
        Some(_) => {}
    }
    let lifetime = refresh_after(issued.expiry_ms, now, inner.config.token_refresh_margin);
    Ok((issued.value, lifetime))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARGIN: Duration = Duration::from_secs(60);

    #[test]
    fn refreshes_a_margin_before_expiry() {
        let hour = 3_600_000;
        assert_eq!(
            refresh_after(Some(1_000 + hour), 1_000, MARGIN),
            Duration::from_secs(3600 - 60)
        );
    }

    #[test]
    fn short_lived_tokens_are_refreshed_at_half_life() {
        assert_eq!(
            refresh_after(Some(90_000), 0, MARGIN),
            Duration::from_secs(45)
        );
        assert_eq!(
            refresh_after(Some(120_000), 0, MARGIN),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn past_expiry_means_refresh_on_next_call() {
        assert_eq!(refresh_after(Some(0), 5_000, MARGIN), Duration::ZERO);
        assert_eq!(
            refresh_after(Some(i64::MIN), i64::MAX, MARGIN),
            Duration::ZERO
        );
    }

    #[test]
    fn absurd_expiries_are_capped_at_a_day() {
        assert_eq!(refresh_after(Some(i64::MAX), 0, MARGIN), MAX_TOKEN_REUSE);
    }

    #[test]
    fn missing_expiry_assumes_five_minutes() {
        assert_eq!(
            refresh_after(None, 123, MARGIN),
            LIFETIME_WITHOUT_EXPIRY - MARGIN
        );
    }
}
