//! The hand-written runtime under the generated operations: client configuration, the bearer
//! token's lifecycle, retries, errors and the JSON wire formats.
//!
//! Nothing in this folder is generated; everything in `src/generated/` is.
//!
//! | module | what |
//! |---|---|
//! | `operation` | the seam: [`OperationInfo`], [`ApiInfo`], [`Request`] built by generated code |
//! | `config` | [`ClientBuilder`] and its validated settings |
//! | `client` | [`Client`] and the call loop |
//! | `token` | the bearer token: lazy fetch, cache, single-flight refresh, invalidation |
//! | `retry` | [`RetryPolicy`] and the one rule deciding when a resend is safe |
//! | `transport` | one HTTP attempt and how its failures are classified |
//! | `decode` | envelopes, payload decoding with JSON paths |
//! | `redact` | bounded body excerpts with secrets masked |
//! | `error` | [`Error`] |
//! | `flows` | `wait_for_final`: payment-flow helpers over generated operations |
//! | [`validate`] | the constraint checks of generated `validate()` methods |
//! | `webhook` | [`parse_webhook`] behind the generated `webhooks::parse_*`, and [`WebhookAcknowledgement`] |
//! | `mock` | the mock server's engine under the generated mock (feature `mock`); reached at `crate::mock` |
//! | [`wire`] | the JSON formats of generated fields |

mod client;
mod config;
mod decode;
mod error;
mod flows;
#[cfg(feature = "mock")]
pub(crate) mod mock;
mod operation;
mod redact;
mod retry;
mod token;
mod transport;
pub mod validate;
mod webhook;
pub mod wire;

pub use client::Client;
pub use config::ClientBuilder;
pub use error::Error;
pub use flows::WaitOptions;
pub use operation::{
    ApiInfo, AuthHeader, Credential, Envelope, Method, OperationInfo, Request, RequestOptions,
    TokenExchange, encode_path_segment,
};
pub use retry::RetryPolicy;
pub use secrecy::SecretString;
pub use webhook::{WebhookAcknowledgement, WebhookError, parse_webhook};
