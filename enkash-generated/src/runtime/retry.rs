//! When a failed attempt may be sent again, and how long to wait first.
//!
//! The rule is written down once, in the docs of [`RetryPolicy`]. In code it is two small
//! functions: [`transient`] says which outcomes are worth another attempt (and how long to wait),
//! and [`decide`] adds when a resend is safe and the retry budget. [`crate::Error::is_retryable`]
//! uses the same [`transient`], so what the client retries and what it calls retryable agree.

use std::time::Duration;

use super::{Request, Resend};

/// How often and how patiently the client retries a call that failed transiently.
///
/// The policy only bounds how many resends happen and how far apart; which failures are
/// resent is fixed, and is the rule below.
///
/// # Which failures are retried
///
/// An attempt's failure is *transient* when another attempt may succeed: no connection could
/// be opened, the connection broke, the attempt timed out, HTTP 502/503/504, or HTTP 429 *with*
/// a `Retry-After` header (without one the client cannot know how long to back off). A 500 is
/// not transient: EnKash may have failed halfway through the work. Every other answer is
/// definitive. [`Error::is_retryable`](crate::Error::is_retryable) is `true` exactly for the
/// transient failures.
///
/// A transient failure is resent (up to `max_retries` times) only when resending cannot make
/// EnKash act twice:
/// * always when no connection could be opened: nothing reached EnKash;
/// * otherwise only for a `GET`, an operation the spec marks idempotent (the token request,
///   searches sent as `POST`), or a write whose body carries the operation's dedup key
///   (`orderId`, `requestId`, ...) that EnKash deduplicates on. Resends reuse the same body
///   bytes. Any other write is never resent once it may have reached EnKash.
///
/// When a write is resent after an attempt that may have reached EnKash and the call still
/// fails, the error says so (`earlier_attempt_may_have_succeeded`, and
/// [`Error::may_have_been_processed`](crate::Error::may_have_been_processed) is `true`).
///
/// Delays use exponential backoff with full jitter: before retry number `n` (0-based) the client
/// waits a random time in `[0, min(max_delay, base_delay * 2^n)]`. When EnKash sends a
/// `Retry-After` header (in seconds) the client waits that long instead, capped at `max_delay`.
///
/// Defaults: 2 retries, 500 ms base delay, 8 s maximum delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Most resends after the first attempt (default 2; 0 disables retries).
    pub max_retries: u32,
    /// Upper bound of the first backoff delay, doubled for each further retry (default 500 ms).
    pub base_delay: Duration,
    /// Cap of every delay, including one asked for by `Retry-After` (default 8 s).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// The default policy: 2 retries, 500 ms base delay, 8 s maximum delay.
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never resends (the delays are the defaults and unused).
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// Sets the most resends after the first attempt.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the upper bound of the first backoff delay.
    pub fn base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// Sets the cap of every delay.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The longest backoff before retry number `retry` (0-based):
    /// `min(max_delay, base_delay * 2^retry)`. The actual delay is random below it.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        // 2^31 times any useful base already exceeds every sane cap; clamp to avoid overflow.
        let factor = 1u32 << retry.min(31);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// A random delay in `[0, backoff_ceiling(retry)]` ("full jitter"), so that many clients
    /// failing together do not retry together.
    pub(crate) fn jittered_backoff(&self, retry: u32) -> Duration {
        let ceiling = u64::try_from(self.backoff_ceiling(retry).as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=ceiling))
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// No connection could be opened: the request never left this machine.
    ConnectFailed,
    /// The attempt's timeout elapsed after the connection was open: EnKash may have the request.
    TimedOut,
    /// The connection broke after the request may have been sent (reset, closed mid-response).
    ConnectionLost,
    /// EnKash answered with this HTTP status.
    Status {
        /// HTTP status code.
        status: u16,
        /// The `Retry-After` header in seconds, when present and numeric.
        retry_after: Option<Duration>,
    },
}

/// How long to wait before another attempt after a transient failure, per [`transient`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// The jittered exponential backoff.
    Backoff,
    /// What the server's `Retry-After` asked for (not yet capped).
    RetryAfter(Duration),
}

/// Whether another attempt after `outcome` may succeed, and how long to wait first; `None`
/// for a definitive outcome. See [`RetryPolicy`] for the rule in prose.
pub(crate) fn transient(outcome: Outcome) -> Option<Wait> {
    match outcome {
        Outcome::ConnectFailed | Outcome::TimedOut | Outcome::ConnectionLost => Some(Wait::Backoff),
        Outcome::Status {
            status: 429,
            retry_after,
        } => retry_after.map(Wait::RetryAfter),
        Outcome::Status {
            status: 502..=504,
            retry_after,
        } => Some(retry_after.map_or(Wait::Backoff, Wait::RetryAfter)),
        Outcome::Status { .. } => None,
    }
}

/// The verdict of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Do not resend; report the outcome.
    Stop,
    /// Resend after a jittered backoff delay.
    RetryAfterBackoff,
    /// Resend after exactly this delay (the server's `Retry-After`, already capped).
    RetryAfter(Duration),
}

/// Whether EnKash can safely see this request twice, per the operation's [`Resend`] rule:
/// always for `GET`s and idempotent operations; for a write with a dedup key only when this
/// request carries a non-empty value for it (the runtime resends the very same body bytes, so
/// the server sees the same id); never for any other write.
pub(crate) fn resend_is_safe(request: &Request<'_>) -> bool {
    match request.op.resend {
        Resend::Always => true,
        Resend::WithDedupValue => request
            .dedup_value
            .as_deref()
            .is_some_and(|v| !v.is_empty()),
        Resend::Never => false,
    }
}

/// Decides whether to resend after `outcome`, given that `retries_done` resends already happened.
///
/// The rules, in order (the prose is in [`RetryPolicy`]):
/// 1. Never more than `max_retries` resends.
/// 2. Only [`transient`] outcomes are resent.
/// 3. A connection that could not be opened is always resent: nothing reached EnKash. Anything
///    else may have reached EnKash, so it is resent only when `resend_is_safe`.
/// 4. A `Retry-After` (429 or 5xx) sets the delay, capped at `max_delay`; otherwise the delay is
///    the jittered exponential backoff.
pub(crate) fn decide(
    outcome: Outcome,
    resend_is_safe: bool,
    retries_done: u32,
    policy: &RetryPolicy,
    max_retries: u32,
) -> Decision {
    if retries_done >= max_retries || !(resend_is_safe || outcome == Outcome::ConnectFailed) {
        return Decision::Stop;
    }
    match transient(outcome) {
        None => Decision::Stop,
        Some(Wait::Backoff) => Decision::RetryAfterBackoff,
        Some(Wait::RetryAfter(wait)) => Decision::RetryAfter(wait.min(policy.max_delay)),
    }
}

/// Reads a `Retry-After` value given in seconds. The HTTP-date form is not used by EnKash as
/// far as anyone has seen and is ignored (which makes a 429 not retried).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{Envelope, Method, OperationInfo, RequestOptions};

    static BARE: Envelope = Envelope::BARE;

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(8),
    };

    fn status(status: u16, retry_after: Option<u64>) -> Outcome {
        Outcome::Status {
            status,
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    fn decide_first(outcome: Outcome, safe: bool) -> Decision {
        decide(outcome, safe, 0, &POLICY, POLICY.max_retries)
    }

    #[test]
    fn connect_failures_are_retried_even_for_unsafe_writes() {
        assert_eq!(
            decide_first(Outcome::ConnectFailed, false),
            Decision::RetryAfterBackoff
        );
        assert_eq!(
            decide_first(Outcome::ConnectFailed, true),
            Decision::RetryAfterBackoff
        );
    }

    #[test]
    fn unsafe_writes_are_never_resent_once_they_may_have_arrived() {
        for outcome in [
            Outcome::TimedOut,
            Outcome::ConnectionLost,
            status(502, None),
            status(503, Some(1)),
            status(504, None),
            status(429, Some(1)),
            status(500, None),
        ] {
            assert_eq!(decide_first(outcome, false), Decision::Stop, "{outcome:?}");
        }
    }

    #[test]
    fn safe_requests_retry_transient_failures() {
        for outcome in [
            Outcome::TimedOut,
            Outcome::ConnectionLost,
            status(502, None),
            status(503, None),
            status(504, None),
        ] {
            assert_eq!(
                decide_first(outcome, true),
                Decision::RetryAfterBackoff,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn safe_requests_do_not_retry_definitive_answers() {
        for code in [200, 201, 400, 401, 403, 404, 409, 422, 500, 501] {
            assert_eq!(
                decide_first(status(code, None), true),
                Decision::Stop,
                "{code}"
            );
        }
    }

    #[test]
    fn too_many_requests_needs_retry_after_and_is_capped() {
        assert_eq!(decide_first(status(429, None), true), Decision::Stop);
        assert_eq!(
            decide_first(status(429, Some(3)), true),
            Decision::RetryAfter(Duration::from_secs(3))
        );
        assert_eq!(
            decide_first(status(429, Some(3600)), true),
            Decision::RetryAfter(POLICY.max_delay)
        );
        assert_eq!(
            decide_first(status(503, Some(2)), true),
            Decision::RetryAfter(Duration::from_secs(2))
        );
    }

    #[test]
    fn max_retries_bounds_everything() {
        assert_eq!(
            decide(Outcome::ConnectFailed, true, 2, &POLICY, 2),
            Decision::Stop
        );
        assert_eq!(
            decide(status(503, None), true, 1, &POLICY, 2),
            Decision::RetryAfterBackoff
        );
        assert_eq!(
            decide(Outcome::ConnectFailed, true, 0, &POLICY, 0),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_below_it() {
        assert_eq!(POLICY.backoff_ceiling(0), Duration::from_millis(500));
        assert_eq!(POLICY.backoff_ceiling(1), Duration::from_secs(1));
        assert_eq!(POLICY.backoff_ceiling(3), Duration::from_secs(4));
        assert_eq!(POLICY.backoff_ceiling(4), Duration::from_secs(8));
        assert_eq!(POLICY.backoff_ceiling(40), Duration::from_secs(8));
        for retry in 0..10 {
            assert!(POLICY.jittered_backoff(retry) <= POLICY.backoff_ceiling(retry));
        }
        let huge = RetryPolicy::new()
            .base_delay(Duration::MAX)
            .max_delay(Duration::MAX);
        assert_eq!(huge.backoff_ceiling(31), Duration::MAX);
        let _ = huge.jittered_backoff(31);
    }

    #[test]
    fn retry_after_is_read_in_seconds_only() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    static GET: OperationInfo = op(Method::Get, Resend::Always);
    static POST_PLAIN: OperationInfo = op(Method::Post, Resend::Never);
    static POST_DEDUP: OperationInfo = op(Method::Post, Resend::WithDedupValue);
    static POST_IDEMPOTENT: OperationInfo = op(Method::Post, Resend::Always);

    const fn op(method: Method, resend: Resend) -> OperationInfo {
        OperationInfo {
            id: "op",
            method,
            path: "/x",
            envelope: &BARE,
            auth: &[],
            resend,
            body_credentials: &[],
            body: crate::runtime::BodyEncoding::Json,
            cipher: None,
            duplicate: None,
        }
    }

    #[test]
    fn idempotent_writes_are_resent_like_gets() {
        let options = RequestOptions::new();
        let search = Request::new(&POST_IDEMPOTENT, &options).json(&serde_json::json!({"a": 1}));
        assert!(resend_is_safe(&search));
    }

    #[test]
    fn writes_are_safe_only_with_a_dedup_value_in_the_body() {
        let options = RequestOptions::new();
        assert!(resend_is_safe(&Request::new(&GET, &options)));
        let plain = Request::new(&POST_PLAIN, &options).json(&serde_json::json!({"a": 1}));
        assert!(!resend_is_safe(&plain));
        let body = serde_json::json!({"orderId": "O-1"});
        let with_id = Request::new(&POST_DEDUP, &options)
            .json(&body)
            .dedup(&"O-1");
        assert!(resend_is_safe(&with_id));
        let without_id = Request::new(&POST_DEDUP, &options).json(&body);
        assert!(!resend_is_safe(&without_id));
        let empty_id = Request::new(&POST_DEDUP, &options).json(&body).dedup(&"");
        assert!(!resend_is_safe(&empty_id));
    }
}
