//! The one error type of the client.

/// Everything that can go wrong with a call. (Minimal placeholder; the runtime issue extends it.)
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// EnKash answered with a non-success envelope code.
    #[error("EnKash error {code}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Envelope code.
        code: i64,
        /// Envelope message.
        message: String,
    },
    /// The request was invalid before sending.
    #[error("invalid request: {0}")]
    Validation(String),
    /// The response body could not be decoded.
    #[error("cannot decode response at `{path}`: {message}")]
    Decode {
        /// JSON path of the failing field.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The connection failed.
    #[error("transport error")]
    Transport(#[source] reqwest::Error),
}
