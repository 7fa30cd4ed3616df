//! The mock EnKash Payouts server (features `payouts` and `mock`), a companion of the payouts
//! spec: the Payouts state machine behind the generated payouts mock router. Everything here is
//! re-exported at `crate::payouts::mock`, beside the generated router and the engine's types.
//!
//! | module | what |
//! |---|---|
//! | `server` | [`PayoutsMockServer`]: start on `127.0.0.1`, URL, client builder, fault injection, hit counters |
//! | `config` | [`PayoutsMockConfig`]: credentials, token lifetime, opening balance, fund source, transfer timing and failure trigger |
//! | `hooks` | the engine's `MockHooks` for [`PayoutsMockState`]: `User-Agent`, Basic and bearer auth, the body cipher's key |
//! | `state` | [`PayoutsMockState`] and its store: tokens, beneficiaries, transfers and batches ([`PayoutsMockTransfer`], [`PayoutsMockBatch`]), balance and statement, source accounts, webhook configuration (one file per area, each implementing its area's generated mock trait) |
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use enkash_generated::payouts::GetBalanceParams;
//! use enkash_generated::payouts::mock::{Fault, PayoutsMockConfig, PayoutsMockServer, Times};
//!
//! let mock = PayoutsMockServer::start(PayoutsMockConfig::default()).await?;
//! let client = mock.client_builder().build().expect("a valid client");
//! mock.inject("get_balance", Fault::Status(503), Times(1));
//! let params = GetBalanceParams::new(mock.state().config().fund_source_id.clone());
//! let balance = client.accounts().balance(&params).await.expect("retried, then read");
//! assert_eq!(balance.total_balance, mock.state().balance());
//! assert_eq!(mock.hits("get_access_token"), 1);
//! # Ok(()) }
//! ```

mod config;
mod hooks;
mod server;
mod state;

pub use config::PayoutsMockConfig;
pub use server::PayoutsMockServer;
pub use state::{PayoutsMockBatch, PayoutsMockState, PayoutsMockTransfer, TOKEN_PREFIX};
