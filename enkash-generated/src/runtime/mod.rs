//! The hand-written runtime under the generated operations: client configuration, the bearer
//! token's lifecycle, retries, errors and the JSON wire formats.
//!
//! Nothing in this folder is generated; everything in `src/generated/` is.

mod client;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod operation;
pub mod validate;
mod webhook;
pub mod wire;

pub use client::{Client, ClientBuilder};
pub use error::Error;
pub use operation::{
    ApiInfo, AuthHeader, Credential, Envelope, Method, OperationInfo, Request, RequestOptions,
    TokenExchange, encode_path_segment,
};
pub use webhook::{WebhookError, parse_webhook};
