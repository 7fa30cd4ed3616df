//! The bearer token's lifecycle: fetched lazily, cached, refreshed ahead of expiry, one refresh
//! at a time, dropped when EnKash rejects it.
//!
//! # Expiry rules
//!
//! EnKash's token response carries `expiry`, an absolute time in epoch milliseconds. With
//! `remaining = expiry - now` and the configured `margin`:
//!
//! * `remaining > 2 * margin`: the token is refreshed `margin` before it expires.
//! * `0 < remaining <= 2 * margin` (short-lived token, or a margin larger than its lifetime):
//!   refreshed at half its remaining lifetime, so it is still used for a while instead of being
//!   refetched on every call.
//! * `remaining <= 0` (expiry already past: usually this machine's clock is ahead): a warning is
//!   logged, the calls waiting for the token use it anyway (EnKash just issued it, and answers
//!   an invalid-token code if it disagrees, which triggers one refresh and one resend), and the
//!   next call fetches a new one.
//! * expiry missing or not an integer: a warning is logged and the token is treated as living
//!   [`LIFETIME_WITHOUT_EXPIRY`] (5 minutes), with the rules above.
//! * in any case a token is refreshed after at most [`MAX_TOKEN_REUSE`] (24 hours).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;
use tracing::Instrument;

use super::client::Inner;
use super::decode::{Fields, parse_fields};
use super::redact::{Redactor, truncate_at_char_boundary};
use super::retry::{self, Decision, Outcome};
use super::transport::{self, Attempt};
use super::{Credential, Envelope, Error};

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

/// Asks EnKash for a token: the value and how long to use it.
async fn fetch(inner: &Inner) -> Result<(SecretString, Duration), Error> {
    let exchange = &inner.api.token;
    let op = exchange.operation;
    let config = &inner.config;
    let (Some(access_key), Some(secret_key)) = (&config.access_key, &config.secret_key) else {
        return Err(Error::config(
            "this operation needs a bearer token, but no credentials were configured: \
             call `.credentials(access_key, secret_key)` on the client builder",
        ));
    };
    let mut body = serde_json::Map::new();
    body.insert(
        exchange.access_key_field.to_owned(),
        access_key.expose_secret().into(),
    );
    body.insert(
        exchange.secret_key_field.to_owned(),
        secret_key.expose_secret().into(),
    );
    let body = serde_json::to_vec(&body)
        .map_err(|err| Error::config(format!("cannot serialize the token request: {err}")))?;
    let url = config.url(op.path).map_err(Error::config)?;
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(reqwest::header::USER_AGENT, config.user_agent.clone());
    // A token operation asking for the token itself would be circular; only the access key
    // can be sent with it.
    let auth: Vec<_> = op
        .auth
        .iter()
        .filter(|h| h.credential == Credential::AccessKey)
        .copied()
        .collect();
    let attempt = Attempt {
        method: op.method,
        url: &url,
        headers: &headers,
        body: Some(&body),
        timeout: config.timeout,
        // A larger token answer is cut, fails to parse, and becomes an `Auth` error.
        max_response_size: config.max_response_size,
    };
    let policy = &config.retry;
    let mut retries = 0;
    let response = loop {
        tracing::debug!(attempt = retries + 1, "requesting a bearer token");
        let auth_headers = transport::auth_headers(config, &auth, None)?;
        let (outcome, result) = match transport::send(&inner.http, &attempt, auth_headers).await {
            Ok(response) => (
                Outcome::Status {
                    status: response.status,
                    retry_after: response.retry_after,
                },
                Ok(response),
            ),
            Err(err) => (transport::outcome_of(&err), Err(err)),
        };
        // The spec marks the token request `idempotent`: asking twice moves no money.
        let safe = retry::any_resend_is_safe(op);
        let decision = retry::decide(outcome, safe, retries, policy, policy.max_retries);
        match (decision, result) {
            (Decision::Stop, Ok(response)) => break response,
            (Decision::Stop, Err(err)) => {
                return Err(transport::transport_error(op.id, err, config.timeout));
            }
            (decision, _) => {
                tracing::debug!(?outcome, "token request failed transiently; retrying");
                super::client::pause(policy, decision, retries).await;
                retries += 1;
            }
        }
    };
    tracing::debug!(status = response.status, "token response received");
    read_token_response(
        inner,
        response.status,
        &response.body,
        [access_key.expose_secret(), secret_key.expose_secret()],
    )
}

/// Extracts the token and its refresh delay from a token response. Errors never contain the
/// body (it may carry a token) nor a secret; EnKash's own message is kept, with the
/// credentials and any token in it masked.
fn read_token_response(
    inner: &Inner,
    status: u16,
    body: &[u8],
    credentials: [&str; 2],
) -> Result<(SecretString, Duration), Error> {
    let exchange = &inner.api.token;
    let envelope = exchange.operation.envelope;
    let fields = parse_fields(body).ok();
    let token_in = |fields: &Fields<'_>| {
        fields
            .get(exchange.token_field)
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
    };
    let stray_token = fields.as_ref().and_then(token_in);
    let redactor = Redactor::new([
        stray_token.as_deref(),
        Some(credentials[0]),
        Some(credentials[1]),
    ]);
    let (code, message) = match (envelope, &fields) {
        (
            Envelope::Wrapped {
                code_field,
                message_field,
                ..
            },
            Some(fields),
        ) => (
            int_field(fields, code_field),
            string_field(fields, message_field),
        ),
        // The bare token response documents `resultCode`/`resultMessage`.
        (_, Some(fields)) => (
            int_field(fields, "resultCode"),
            string_field(fields, "resultMessage"),
        ),
        (_, None) => (None, None),
    };
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
    let Some(fields) = fields else {
        return Err(fail("the token response is not a JSON object"));
    };
    let payload_fields = match envelope {
        Envelope::Text => return Err(Error::config("the token operation must answer JSON")),
        Envelope::Bare => fields,
        Envelope::Wrapped {
            code_field,
            payload_field,
            success_codes,
            ..
        } => {
            if !int_field(&fields, code_field).is_some_and(|c| success_codes.contains(&c)) {
                return Err(fail("EnKash did not issue a token"));
            }
            match fields
                .get(payload_field)
                .map(|raw| parse_fields(raw.get().as_bytes()))
            {
                Some(Ok(payload)) => payload,
                _ => return Err(fail("the token response's payload is not a JSON object")),
            }
        }
    };
    let Some(token) = token_in(&payload_fields).filter(|t| !t.is_empty()) else {
        return Err(fail(&format!(
            "the token response has no `{}` string",
            exchange.token_field
        )));
    };
    if HeaderValue::from_str(&token).is_err() {
        return Err(fail(
            "the token contains characters that cannot be sent in an HTTP header",
        ));
    }
    let expiry = payload_fields
        .get(exchange.expiry_field)
        .and_then(|raw| epoch_ms(raw.get()));
    let now = now_ms();
    match expiry {
        None => tracing::warn!(
            field = exchange.expiry_field,
            "the token response has no usable expiry; assuming the token lives {:?}",
            LIFETIME_WITHOUT_EXPIRY
        ),
        Some(expiry) if expiry <= now => tracing::warn!(
            expired_ms_ago = now.saturating_sub(expiry),
            "EnKash issued a token whose expiry has already passed (is this machine's clock \
             right?); it is used once and refreshed on the next call"
        ),
        Some(_) => {}
    }
    let lifetime = refresh_after(expiry, now, inner.config.token_refresh_margin);
    Ok((SecretString::from(token), lifetime))
}

/// An epoch-milliseconds value: a JSON integer or a string of digits.
fn epoch_ms(raw: &str) -> Option<i64> {
    serde_json::from_str::<i64>(raw).ok().or_else(|| {
        serde_json::from_str::<String>(raw)
            .ok()
            .and_then(|s| s.trim().parse().ok())
    })
}

fn int_field(fields: &Fields<'_>, name: &str) -> Option<i64> {
    fields
        .get(name)
        .and_then(|raw| serde_json::from_str::<i64>(raw.get()).ok())
}

fn string_field(fields: &Fields<'_>, name: &str) -> Option<String> {
    fields
        .get(name)
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
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

    #[test]
    fn expiry_is_an_integer_or_a_numeric_string() {
        assert_eq!(epoch_ms("1672531199000"), Some(1_672_531_199_000));
        assert_eq!(epoch_ms("\"1672531199000\""), Some(1_672_531_199_000));
        assert_eq!(epoch_ms("null"), None);
        assert_eq!(epoch_ms("1.5"), None);
        assert_eq!(epoch_ms("\"soon\""), None);
    }
}
