//! The one error type of the client.

use std::time::Duration;

use super::retry::{self, Outcome};

/// Everything that can go wrong with a call.
///
/// Each variant keeps what a caller needs to act on it. Messages and bodies taken from responses
/// have the client's secrets (access key, secret key, bearer token) masked, and no variant ever
/// holds the body of a token response. Body excerpts are at most 1 KiB.
///
/// For money-moving calls, the question after an error is usually "did EnKash act on it?":
/// [`Error::may_have_been_processed`] answers it as far as the client can know.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// EnKash answered with an envelope whose result code is not a success code (also for a
    /// non-2xx status whose body is such an envelope).
    #[error("EnKash answered `{operation}` with code {code} (HTTP {status}): {message}{}", earlier_note(*earlier_attempt_may_have_succeeded))]
    #[non_exhaustive]
    Api {
        /// Id of the operation (`create_order`).
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The envelope's result code (for example `117`, "token invalid").
        code: i64,
        /// The envelope's message (empty when absent).
        message: String,
        /// The whole response body, secrets masked. Its payload often says more than `message`
        /// (EnKash answers an invalid token with `"payload": "Token is invalid."`).
        body: String,
        /// The `Retry-After` delay the answer asked for (seconds form only), uncapped.
        retry_after: Option<Duration>,
        /// An earlier attempt of this call may have reached EnKash (it timed out, its
        /// connection broke, or it got HTTP 429/5xx) and the call was resent: EnKash may have
        /// acted on that attempt even though this one failed, for example when it rejects the
        /// repeated `orderId` as a duplicate. [`Error::may_have_been_processed`] is then `true`.
        /// Never set for a `GET`.
        earlier_attempt_may_have_succeeded: bool,
    },

    /// An answer that is neither a success nor an envelope with a result code: a non-2xx status
    /// whose body is not such an envelope (an HTML error page from a proxy in front of EnKash),
    /// or an answer of *any* status, 2xx included, whose body could not be read because it is
    /// larger than the client's `max_response_size`. A 2xx here means EnKash probably acted.
    #[error("EnKash answered `{operation}` with HTTP {status}{}", earlier_note(*earlier_attempt_may_have_succeeded))]
    #[non_exhaustive]
    Http {
        /// Id of the operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The start of the body (at most 1 KiB), secrets masked; for an answer that was too
        /// large, a note saying so instead.
        body_excerpt: String,
        /// The `Retry-After` delay the answer asked for (seconds form only), uncapped.
        retry_after: Option<Duration>,
        /// An earlier attempt of this call may have reached EnKash; see the field of the same
        /// name of [`Error::Api`].
        earlier_attempt_may_have_succeeded: bool,
    },

    /// The response could not be decoded: malformed or truncated JSON, a missing field, or a
    /// value of the wrong type. With a 2xx status the call itself probably succeeded.
    #[error("cannot decode EnKash's answer to `{operation}` at `{path}`: {message}{}", earlier_note(*earlier_attempt_may_have_succeeded))]
    #[non_exhaustive]
    Decode {
        /// Id of the operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// JSON path of the failing value, such as `payload.amount.value` or
        /// `payload.data[0].status`; `payload` is the envelope's payload field. `.` is the body.
        path: String,
        /// What was wrong, as serde put it.
        message: String,
        /// The start of the body (at most 1 KiB), secrets masked; empty for token responses.
        body_excerpt: String,
        /// The `Retry-After` delay the answer asked for (seconds form only), uncapped.
        retry_after: Option<Duration>,
        /// An earlier attempt of this call may have reached EnKash; see the field of the same
        /// name of [`Error::Api`].
        earlier_attempt_may_have_succeeded: bool,
    },

    /// An attempt did not complete within its timeout (retries, if any, included).
    #[error("`{operation}` timed out after {timeout:?}{}", earlier_note(*earlier_attempt_may_have_succeeded))]
    #[non_exhaustive]
    Timeout {
        /// Id of the operation.
        operation: &'static str,
        /// The per-attempt timeout that elapsed.
        timeout: Duration,
        /// An earlier attempt of this call may have reached EnKash; see the field of the same
        /// name of [`Error::Api`].
        earlier_attempt_may_have_succeeded: bool,
    },

    /// The connection failed: it could not be opened (then nothing reached EnKash) or it broke
    /// before the whole answer arrived (then EnKash may have received the request).
    #[error("{} `{operation}`{}", if source.is_connect() { "cannot connect to EnKash for" } else { "the connection to EnKash broke during" }, earlier_note(*earlier_attempt_may_have_succeeded))]
    #[non_exhaustive]
    Transport {
        /// Id of the operation.
        operation: &'static str,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
        /// An earlier attempt of this call may have reached EnKash; see the field of the same
        /// name of [`Error::Api`].
        earlier_attempt_may_have_succeeded: bool,
    },

    /// No usable bearer token could be obtained: EnKash refused the credentials, or its token
    /// response had no token or a failure code. Never contains a secret or a token.
    #[error("authentication with EnKash failed: {message}")]
    #[non_exhaustive]
    Auth {
        /// What went wrong.
        message: String,
        /// HTTP status of the token response, when there was one.
        status: Option<u16>,
        /// Result code of the token response, when it had one.
        code: Option<i64>,
    },

    /// The request was invalid; nothing was sent (not even a token request).
    ///
    /// Problems include a body that fails its schema's checks, a header value HTTP cannot carry,
    /// and a path parameter that cannot stay in its path segment: empty, `.` or `..`, or
    /// containing a control character (`orders().get("..")` would otherwise call another
    /// endpoint).
    #[error("invalid request for `{operation}`, nothing was sent: {}", problems.join("; "))]
    #[non_exhaustive]
    Validation {
        /// Id of the operation.
        operation: &'static str,
        /// Every problem found.
        problems: Vec<String>,
    },

    /// `wait_for_final` reached its deadline while the status was still not final.
    #[error("`{operation}` still reports `{last_status}`, not a final status, after {waited:?}")]
    #[non_exhaustive]
    NotFinal {
        /// Id of the polled operation.
        operation: &'static str,
        /// The last status seen.
        last_status: String,
        /// How long the helper polled.
        waited: std::time::Duration,
    },

    /// A notification disagrees with what the API reports for the same order: do not act on it.
    #[error(
        "the notification does not match EnKash's record: {field} is `{notified}` in the notification but `{actual}` per the API"
    )]
    #[non_exhaustive]
    Unconfirmed {
        /// JSON name of the field that disagrees (`amount`, `currency`, `status`, ...).
        field: &'static str,
        /// The value in the notification.
        notified: String,
        /// The value the API reports.
        actual: String,
    },

    /// The API refused the request because its dedup id (`transactionId`, `beneficiaryId`, ...)
    /// was already used: the spec's `duplicate_ids` rule (for example HTTP 409, or the code 409
    /// in the answer).
    ///
    /// When this call was resent after an attempt whose answer was lost, the refusal most
    /// likely means that first attempt landed: [`Error::may_have_been_processed`] is then
    /// `true` (look the id up before acting). When it is `false`, the id was used by an earlier
    /// call: a mistake, or a call of yours that succeeded before.
    #[error("EnKash refused `{operation}`: `{key}` {value:?} was already used (HTTP {status}{}){}", code.map(|c| format!(", code {c}")).unwrap_or_default(), duplicate_note(*earlier_attempt_may_have_succeeded))]
    #[non_exhaustive]
    DuplicateId {
        /// Id of the operation.
        operation: &'static str,
        /// Wire name of the dedup key (`transactionId`).
        key: &'static str,
        /// The value sent.
        value: String,
        /// HTTP status.
        status: u16,
        /// The code of the answer, when it carried one.
        code: Option<i64>,
        /// The message of the answer (empty when absent).
        message: String,
        /// This call was resent after an attempt that may have reached the API: the refusal
        /// then most likely answers that attempt's success.
        earlier_attempt_may_have_succeeded: bool,
    },

    /// An encrypted answer could not be decrypted (a body cipher of the spec): its text is not
    /// Base64, is truncated, was encrypted with another key, or is not UTF-8. No byte of the
    /// body is kept. A 2xx answer means the API probably acted.
    #[error("the encrypted answer to `{operation}` (HTTP {status}) cannot be read: {fault}")]
    #[non_exhaustive]
    Cipher {
        /// Id of the operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// What is wrong with it.
        fault: CipherFault,
    },

    /// The client is misconfigured (no base URL, a malformed one, missing credentials for an
    /// authenticated call, ...). Fix the configuration; retrying cannot help.
    #[error("invalid EnKash client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Why an encrypted answer could not be decrypted. None of them holds a byte of the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CipherFault {
    /// The wrapper member is not a JSON string.
    #[error("the member `{field}` of the encrypted answer is not a string")]
    NotText {
        /// The wrapper member.
        field: &'static str,
    },
    /// The cipher text is not standard Base64.
    #[error("the encrypted answer is not valid Base64")]
    NotBase64,
    /// The cipher text is empty or not a whole number of 16-byte blocks: truncated.
    #[error(
        "the encrypted answer is {len} bytes, not a whole number of 16-byte AES blocks (truncated?)"
    )]
    Truncated {
        /// Length of the decoded cipher text.
        len: usize,
    },
    /// The padding is wrong after decryption: encrypted with another key, or corrupted.
    #[error(
        "the encrypted answer does not decrypt with this client's key (another key, or corrupted)"
    )]
    WrongKey,
    /// The plain text is not UTF-8.
    #[error("the decrypted answer is not UTF-8 text")]
    NotUtf8,
    /// This build cannot decrypt: the crate's `body-cipher` feature is off.
    #[error("this build has no body cipher: enable the `body-cipher` feature of enkash-generated")]
    Unsupported,
}

/// The sentence the Display of [`Error::DuplicateId`] adds.
fn duplicate_note(earlier_attempt_may_have_succeeded: bool) -> &'static str {
    if earlier_attempt_may_have_succeeded {
        "; this call was resent after an attempt whose answer was lost, so that attempt most \
         likely landed: look the id up before acting on this error"
    } else {
        "; the id was used by an earlier call: look it up, or use a new id for a new request"
    }
}

/// The `earlier_attempt_may_have_succeeded` field of the variants that have one (`$error` is an
/// `&Error` or `&mut Error`), as `Some(&field)` / `Some(&mut field)`.
macro_rules! earlier_flag {
    ($error:expr) => {
        match $error {
            Error::Api {
                earlier_attempt_may_have_succeeded: earlier,
                ..
            }
            | Error::Http {
                earlier_attempt_may_have_succeeded: earlier,
                ..
            }
            | Error::Decode {
                earlier_attempt_may_have_succeeded: earlier,
                ..
            }
            | Error::Timeout {
                earlier_attempt_may_have_succeeded: earlier,
                ..
            }
            | Error::Transport {
                earlier_attempt_may_have_succeeded: earlier,
                ..
            }
            | Error::DuplicateId {
                earlier_attempt_may_have_succeeded: earlier,
                ..
            } => Some(earlier),
            _ => None,
        }
    };
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn auth(message: impl Into<String>, status: Option<u16>, code: Option<i64>) -> Self {
        Error::Auth {
            message: message.into(),
            status,
            code,
        }
    }

    /// Id of the operation the error belongs to, when it belongs to one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::Http { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Validation { operation, .. }
            | Error::DuplicateId { operation, .. }
            | Error::Cipher { operation, .. }
            | Error::NotFinal { operation, .. } => Some(operation),
            Error::Auth { .. } | Error::Config { .. } | Error::Unconfirmed { .. } => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::DuplicateId { status, .. }
            | Error::Cipher { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// EnKash's result code, when the response carried one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            Error::Auth { code, .. } | Error::DuplicateId { code, .. } => *code,
            _ => None,
        }
    }

    /// The response body (the whole body for [`Error::Api`], an excerpt for [`Error::Http`] and
    /// [`Error::Decode`]), secrets masked.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } => Some(body),
            Error::Http { body_excerpt, .. } | Error::Decode { body_excerpt, .. } => {
                Some(body_excerpt)
            }
            _ => None,
        }
    }

    /// Whether the failure looks transient, so that the same call may succeed later.
    ///
    /// This is exactly the rule the client's own retries follow (see
    /// [`RetryPolicy`](crate::RetryPolicy#which-failures-are-retried)): a connection that
    /// could not be opened or broke, a timeout, HTTP 502/503/504, and HTTP 429 *with* a
    /// `Retry-After` header. A 429 without `Retry-After` and a 500 are not transient.
    ///
    /// The client already retried where that was safe. Before sending a money-moving call again
    /// yourself, check [`Error::may_have_been_processed`]: if it is `true`, look the order or
    /// refund up (by your `orderId`/`requestId`) first, or resend with the *same* id.
    pub fn is_retryable(&self) -> bool {
        self.outcome().and_then(retry::transient).is_some()
    }

    /// What this error says about its attempt, in the terms of the retry rule.
    pub(crate) fn outcome(&self) -> Option<Outcome> {
        match self {
            Error::Timeout { .. } => Some(Outcome::TimedOut),
            Error::Transport { source, .. } if source.is_builder() => None,
            Error::Transport { source, .. } if source.is_connect() => Some(Outcome::ConnectFailed),
            Error::Transport { .. } => Some(Outcome::ConnectionLost),
            Error::Api {
                status,
                retry_after,
                ..
            }
            | Error::Http {
                status,
                retry_after,
                ..
            }
            | Error::Decode {
                status,
                retry_after,
                ..
            } => Some(Outcome::Status {
                status: *status,
                retry_after: *retry_after,
            }),
            _ => None,
        }
    }

    /// Whether EnKash may have acted on the request despite the error.
    ///
    /// `true` for:
    /// * timeouts, and connections that broke after the request was sent;
    /// * 2xx answers that could not be read or decoded (too large, malformed): the call
    ///   probably succeeded;
    /// * 5xx answers that are not envelopes with a result code (EnKash may have failed halfway);
    /// * any error ending a call that was resent after an earlier attempt that may have reached
    ///   EnKash (`earlier_attempt_may_have_succeeded`).
    ///
    /// `false` when nothing was sent (validation, configuration, a refused connection) or
    /// EnKash answered definitively (an envelope with a result code, a 4xx).
    pub fn may_have_been_processed(&self) -> bool {
        if self.earlier_attempt_may_have_succeeded() {
            return true;
        }
        let unreadable = |status: u16| (200..300).contains(&status) || status >= 500;
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } => !source.is_connect(),
            Error::Http { status, .. }
            | Error::Decode { status, .. }
            | Error::Cipher { status, .. } => unreadable(*status),
            _ => false,
        }
    }

    fn earlier_attempt_may_have_succeeded(&self) -> bool {
        earlier_flag!(self).is_some_and(|earlier| *earlier)
    }

    /// Marks an error ending a call whose earlier attempt may have reached EnKash.
    pub(crate) fn after_uncertain_attempt(mut self) -> Self {
        if let Some(earlier) = earlier_flag!(&mut self) {
            *earlier = true;
        }
        self
    }
}

/// The sentence the Display of an error adds when an earlier attempt may have succeeded.
fn earlier_note(earlier_attempt_may_have_succeeded: bool) -> &'static str {
    if earlier_attempt_may_have_succeeded {
        "; the call was resent after an earlier attempt that may have reached EnKash, so that \
         attempt may have succeeded: look the order or refund up by your id (`orderId`, \
         `requestId`, ...) before acting on this error or sending it again"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::retry::{Decision, RetryPolicy, decide};

    fn http(status: u16, retry_after: Option<Duration>) -> Error {
        Error::Http {
            operation: "op",
            status,
            body_excerpt: String::new(),
            retry_after,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    /// The three errors made from an answer with `status`.
    fn answered(status: u16, retry_after: Option<Duration>) -> [Error; 3] {
        let api = Error::Api {
            operation: "op",
            status,
            code: 1,
            message: String::new(),
            body: String::new(),
            retry_after,
            earlier_attempt_may_have_succeeded: false,
        };
        let decode = Error::Decode {
            operation: "op",
            status,
            path: ".".to_owned(),
            message: String::new(),
            body_excerpt: String::new(),
            retry_after,
            earlier_attempt_may_have_succeeded: false,
        };
        [api, http(status, retry_after), decode]
    }

    /// Real transport errors: a refused connection, and one closed before any answer.
    async fn transport_errors() -> [(Outcome, Error); 2] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let closing = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                drop(socket);
            }
        });
        let refused = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap()
        };
        // Through the crate's TLS setup: with `rustls-ring` alone, reqwest has no provider of its own.
        let http = crate::runtime::tls::configure(reqwest::Client::builder())
            .unwrap()
            .build()
            .unwrap();
        let mut errors = Vec::new();
        for (outcome, addr) in [
            (Outcome::ConnectFailed, refused),
            (Outcome::ConnectionLost, closing),
        ] {
            let source = http
                .get(format!("http://{addr}/"))
                .send()
                .await
                .unwrap_err();
            let error = crate::runtime::transport::transport_error("op", source, Duration::ZERO);
            errors.push((outcome, error));
        }
        errors.try_into().unwrap()
    }

    #[test]
    fn a_429_is_retryable_only_with_retry_after() {
        assert!(!http(429, None).is_retryable());
        assert!(http(429, Some(Duration::from_secs(1))).is_retryable());
    }

    #[tokio::test]
    async fn the_client_retries_exactly_what_errors_call_retryable() {
        let policy = RetryPolicy::default();
        let mut cases: Vec<(Outcome, Error)> = transport_errors().await.into();
        cases.push((Outcome::TimedOut, timeout_error()));
        for status in [
            200, 204, 302, 400, 401, 404, 409, 429, 500, 501, 502, 503, 504, 505,
        ] {
            for retry_after in [None, Some(Duration::from_secs(2))] {
                for error in answered(status, retry_after) {
                    cases.push((
                        Outcome::Status {
                            status,
                            retry_after,
                        },
                        error,
                    ));
                }
            }
        }
        for (outcome, error) in cases {
            assert_eq!(error.outcome(), Some(outcome), "{error:?}");
            let retried = decide(outcome, true, 0, &policy, 2) != Decision::Stop;
            assert_eq!(retried, error.is_retryable(), "{outcome:?}: {error:?}");
        }
    }

    fn timeout_error() -> Error {
        Error::Timeout {
            operation: "op",
            timeout: Duration::from_secs(1),
            earlier_attempt_may_have_succeeded: false,
        }
    }

    #[test]
    fn an_unreadable_2xx_or_5xx_may_have_been_processed() {
        for status in [200, 201, 500, 502, 503] {
            for error in answered(status, None).into_iter().skip(1) {
                assert!(error.may_have_been_processed(), "{error:?}");
            }
        }
        for status in [302, 400, 404, 429] {
            for error in answered(status, None) {
                assert!(!error.may_have_been_processed(), "{error:?}");
            }
        }
    }

    #[test]
    fn an_error_after_an_uncertain_attempt_says_so() {
        for error in answered(400, None) {
            let message = error.to_string();
            assert!(!error.may_have_been_processed());
            let marked = error.after_uncertain_attempt();
            assert!(marked.may_have_been_processed(), "{marked:?}");
            let text = marked.to_string();
            assert!(text.starts_with(&message), "{text}");
            assert!(
                text.contains("earlier attempt that may have reached EnKash"),
                "{text}"
            );
            assert!(text.contains("look the order or refund up"), "{text}");
        }
    }
}
