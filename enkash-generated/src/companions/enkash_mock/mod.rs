//! The mock EnKash server (feature `mock`), a companion of the spec: the EnKash state machine
//! behind the generated mock router. Everything here is re-exported at `crate::mock`, beside the
//! generated router and the engine's types.
//!
//! | module | what |
//! |---|---|
//! | `checkout` | the hosted checkout page behind `redirectionUrl`: one button per outcome, Payment Notify to `notifyUrl`, the way back to `returnUrl` |
//! | `server` | [`MockServer`]: start on `127.0.0.1`, URL, test credentials, fault injection, hit counters |
//! | `config` | [`MockConfig`]: token lifetime, invalid-token status, payment timing, seeded data |
//! | `hooks` | the engine's `MockHooks` for [`MockState`]: auth headers and body credentials |
//! | `state` | [`MockState`] and its store: tokens, orders, payments, refunds, settlements, split accounts, UPI QR, mandates, E-Collect (one file per area, each implementing its area's generated mock trait) and the error [`codes`] |
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use enkash_generated::mock::{Fault, MockConfig, MockServer, Times};
//!
//! let mock = MockServer::start(MockConfig::default()).await?;
//! let client = mock.client_builder().build().expect("a valid client");
//! mock.inject("get_order_status", Fault::Status(503), Times(2));
//! // ... call `client`, then assert on what arrived:
//! assert_eq!(mock.hits("get_authorization_token"), 0);
//! # Ok(()) }
//! ```

mod checkout;
mod config;
mod hooks;
mod server;
mod state;

pub use checkout::NOTIFY_ATTEMPTS;
pub use config::MockConfig;
pub use server::MockServer;
pub use state::{MockState, codes};
