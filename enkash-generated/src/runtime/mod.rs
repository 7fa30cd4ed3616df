//! The hand-written runtime under the generated operations: client configuration, the one request
//! pipeline (bearer token, retries, the envelope codec), errors and the JSON wire formats.
//!
//! Nothing in this folder is generated, and nothing in it names a generated type: it is the
//! engine under `src/generated/`, which gives it every spec fact as static data. The module is
//! private; its public types are re-exported at the crate root.
//!
//! | module | what |
//! |---|---|
//! | `operation` | the seam: `OperationInfo`, `ApiInfo`, `Request` built by generated code |
//! | `config` | [`ClientBuilder`] and its validated settings |
//! | `client` | [`Client`]: preparing a call, reading its answer |
//! | `pipeline` | the one retry loop and its per-attempt phases, for every call and the token fetch |
//! | `token` | the bearer token: lazy fetch, cache, single-flight refresh, invalidation |
//! | `retry` | [`RetryPolicy`] and the one rule deciding when a resend is safe |
//! | `tls` | the TLS backend, chosen by cargo feature |
//! | `transport` | one HTTP exchange and how its failures are classified |
//! | `cipher` | body ciphers: encrypted request and response bodies (feature `body-cipher`) |
//! | `cli` | the `enkash` command line's program around the generated commands (feature `cli`) |
//! | `cipher_phase` | the pipeline's cipher phase: sealing request bodies, opening answers |
//! | `envelope` | the envelope codec: reading answers (payload decoding with JSON paths), writing them for the mock |
//! | `redact` | bounded body excerpts with secrets masked |
//! | `error` | [`Error`] |
//! | `waiter` | [`WaitOptions`] and the generic poller under generated waiters |
//! | `paginate` | the generic pager under generated `..._stream` methods |
//! | `validate` | the constraint checks of generated `validate()` methods |
//! | `drift` | [`DriftRecorder`]: opt-in recording of what answers hold that the spec does not say |
//! | `webhook` | decoding notification bodies, [`WebhookAcknowledgement`] |
//! | `mock` | the mock server's engine under the generated mock (feature `mock`); reached at `crate::mock` |
//! | `wire` | the JSON formats of generated fields |

// The engine serves any spec, and a given spec uses part of it: the modules marked below hold
// capabilities (envelope kinds, request parts, constraint checks, waiters, webhooks, wire formats)
// that some specs never use, so dead code there is not an error for such a spec.
// Encrypted bodies (feature `body-cipher`), for specs whose envelopes declare a cipher.
#[cfg(feature = "body-cipher")]
mod cipher;
pub(crate) mod cipher_phase;
// The `enkash` command line's program (feature `cli`); a spec without waiters or a token
// operation leaves some of its helpers unused.
#[cfg(feature = "cli")]
#[allow(dead_code)]
pub(crate) mod cli;
mod client;
mod config;
// Drift recording (`ClientBuilder::drift_recorder`): off unless a recorder is given.
pub(crate) mod drift;
#[allow(dead_code)]
mod envelope;
mod error;
#[cfg(feature = "mock")]
pub(crate) mod mock;
#[allow(dead_code)]
mod operation;
#[allow(dead_code)]
mod paginate;
mod pipeline;
mod redact;
mod retry;
pub(crate) mod tls;
mod token;
mod transport;
#[allow(dead_code)]
pub(crate) mod validate;
#[allow(dead_code)]
mod waiter;
#[allow(dead_code)]
mod webhook;
// The formats any spec may use; a given spec uses some of them.
#[allow(dead_code, unused_imports, unused_macros)]
pub(crate) mod wire;

pub use client::Client;
pub use config::ClientBuilder;
pub use drift::{DriftFinding, DriftKind, DriftRecorder, DriftReport};
pub(crate) use envelope::{Envelope, read_json};
pub use error::{CipherFault, Error};
pub use operation::RequestOptions;
pub(crate) use operation::{ApiInfo, Method, OperationInfo, Request, Resend, TokenExchange};
#[allow(unused_imports)]
// Generated auth, credential, cipher and token statics use them, when the spec has some.
pub(crate) use operation::{
    AuthHeader, AuthValue, BodyEncoding, CipherSpec, Credential, DuplicateCheck, DuplicateIds,
    TokenField,
};
pub use retry::RetryPolicy;
pub use secrecy::SecretString;
pub(crate) use token::IssuedToken;
pub use waiter::WaitOptions;
pub use webhook::{WebhookAcknowledgement, WebhookError};
#[allow(unused_imports)]
// Generated `..._stream` methods use them, when the spec has paginated operations.
pub(crate) use {
    futures_util::Stream,
    paginate::{Page, page_size, paginate},
};
#[allow(unused_imports)]
// Generated waiters and webhook parsers use them, when the spec has some.
pub(crate) use {
    waiter::poll_until_final,
    webhook::{parse_webhook, parse_webhook_recording},
};
