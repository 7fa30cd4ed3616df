//! The one error type of the client.

use std::time::Duration;

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
    #[error("EnKash answered `{operation}` with code {code} (HTTP {status}): {message}")]
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
    },

    /// EnKash (or a proxy in front of it) answered with a non-2xx status and a body that is not
    /// an envelope with a result code, such as an HTML error page.
    #[error("EnKash answered `{operation}` with HTTP {status}")]
    #[non_exhaustive]
    Http {
        /// Id of the operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The start of the body (at most 1 KiB), secrets masked.
        body_excerpt: String,
    },

    /// The response could not be decoded: malformed or truncated JSON, a missing field, or a
    /// value of the wrong type. With a 2xx status the call itself probably succeeded.
    #[error("cannot decode EnKash's answer to `{operation}` at `{path}`: {message}")]
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
    },

    /// An attempt did not complete within its timeout (retries, if any, included).
    #[error("`{operation}` timed out after {timeout:?}")]
    #[non_exhaustive]
    Timeout {
        /// Id of the operation.
        operation: &'static str,
        /// The per-attempt timeout that elapsed.
        timeout: Duration,
    },

    /// The connection failed: it could not be opened (then nothing reached EnKash) or it broke
    /// before the whole answer arrived (then EnKash may have received the request).
    #[error("{} `{operation}`", if source.is_connect() { "cannot connect to EnKash for" } else { "the connection to EnKash broke during" })]
    #[non_exhaustive]
    Transport {
        /// Id of the operation.
        operation: &'static str,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
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
    /// containing a control character (see [`Request::path_param`](crate::runtime::Request::path_param)).
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

    /// The client is misconfigured (no base URL, a malformed one, missing credentials for an
    /// authenticated call, ...). Fix the configuration; retrying cannot help.
    #[error("invalid EnKash client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
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
            | Error::NotFinal { operation, .. } => Some(operation),
            Error::Auth { .. } | Error::Config { .. } | Error::Unconfirmed { .. } => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// EnKash's result code, when the response carried one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            Error::Auth { code, .. } => *code,
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

    /// Whether the failure looks transient, so that the same call may succeed later: timeouts,
    /// connection failures, and HTTP 429/502/503/504.
    ///
    /// The client already retried where that was safe. Before sending a money-moving call again
    /// yourself, check [`Error::may_have_been_processed`]: if it is `true`, look the order or
    /// refund up (by your `orderId`/`requestId`) first, or resend with the *same* id.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Http { status, .. } => matches!(status, 429 | 502..=504),
            _ => false,
        }
    }

    /// Whether EnKash may have acted on the request despite the error.
    ///
    /// `true` for timeouts, connections that broke after the request was sent, 5xx answers that
    /// are not envelopes, and undecodable 2xx answers (the call probably succeeded). `false` when
    /// nothing was sent or EnKash answered definitively (an envelope code, a 4xx).
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } => !source.is_connect(),
            Error::Http { status, .. } => *status >= 500,
            Error::Decode { status, .. } => (200..300).contains(status),
            _ => false,
        }
    }
}
