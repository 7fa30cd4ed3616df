//! [`PayoutsMockServer`]: the generated payouts router over [`PayoutsMockState`], served on
//! 127.0.0.1 by the engine's `LocalServer`.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use super::config::PayoutsMockConfig;
use super::state::PayoutsMockState;
use crate::generated::payouts::mock::{OPERATION_IDS, router};
use crate::generated::payouts::{Client, ClientBuilder};
use crate::runtime::mock::{Fault, LocalServer, MockHooks, Repeat};

/// A mock EnKash Payouts server running in this process, on `127.0.0.1` (loopback only).
///
/// It serves every payouts operation from the generated routes, with [`PayoutsMockState`]
/// behind them: tokens, beneficiaries, transfers with their lifecycle, batches, balance and
/// statement, source bank accounts and the webhook configuration, with the body cipher keyed by
/// the configured client secret. Tests inject faults per operation and count the requests that
/// arrived. The server stops when this value is dropped.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use enkash_generated::Decimal;
/// use enkash_generated::payouts::mock::{PayoutsMockConfig, PayoutsMockServer};
/// use enkash_generated::payouts::{
///     BeneficiaryCreateRequest, PayoutStatus, PayoutTransactionCreateRequest, TransferMode,
/// };
///
/// let config = PayoutsMockConfig::default().transfer_delay(Duration::ZERO);
/// let mock = PayoutsMockServer::start(config).await?;
/// let client = mock.client_builder().build().expect("valid settings");
/// let payee = BeneficiaryCreateRequest::new("BEN1", "Asha Rao")
///     .with_beneficiary_account_number("918273645501")
///     .with_beneficiary_ifsc("HDFC0001234");
/// client.beneficiaries().create(&payee).await.expect("created");
/// let transfer = PayoutTransactionCreateRequest::new("TXN1", Decimal::new(25050, 2), TransferMode::Imps)
///     .with_beneficiary_id("BEN1");
/// client.transfers().create(&transfer).await.expect("accepted");
/// assert_eq!(mock.state().transfer_status("TXN1"), Some(PayoutStatus::Success));
/// # Ok(()) }
/// ```
pub struct PayoutsMockServer {
    server: LocalServer,
    state: Arc<PayoutsMockState>,
}

impl fmt::Debug for PayoutsMockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayoutsMockServer")
            .field("url", &self.server.url())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl PayoutsMockServer {
    /// Starts a server on `127.0.0.1` (port [`PayoutsMockConfig::port`], 0 for any free one)
    /// on the current tokio runtime. Fails only when the port cannot be bound.
    pub async fn start(config: PayoutsMockConfig) -> std::io::Result<PayoutsMockServer> {
        let port = config.port;
        let state = Arc::new(PayoutsMockState::new(config));
        let server = LocalServer::start(port, router(state.clone())).await?;
        Ok(PayoutsMockServer { server, state })
    }

    /// The base URL, `http://127.0.0.1:<port>` (for the client builder's `base_url`).
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// A client builder for this server: its URL and the configured test credentials. Add
    /// timeouts or a retry policy, then `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        let config = self.state.config();
        Client::builder().base_url(self.url()).credentials(
            config.client_id.clone(),
            config.client_secret.clone(),
            config.username.clone(),
            config.password.clone(),
        )
    }

    /// Replaces the next answers of operation `op_id` (such as `"create_transfer"`) with
    /// `fault`: `Times(n)` for the next `n` answers, `Always` until
    /// [`clear_faults`](Self::clear_faults). Faults injected for the same operation apply one
    /// after the other. Returns `false`, injecting nothing, when `op_id` is not an operation of
    /// the spec (see `OPERATION_IDS`).
    pub fn inject(&self, op_id: &str, fault: Fault, repeat: Repeat) -> bool {
        if !OPERATION_IDS.contains(&op_id) {
            return false;
        }
        self.state.faults_and_hits().inject(op_id, fault, repeat);
        true
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.state.faults_and_hits().clear_faults();
    }

    /// How many requests reached operation `op_id`, answered normally or with a fault.
    pub fn hits(&self, op_id: &str) -> u64 {
        self.state.faults_and_hits().hits(op_id)
    }

    /// The hits of every operation that was called at least once.
    pub fn all_hits(&self) -> BTreeMap<&'static str, u64> {
        self.state.faults_and_hits().all_hits()
    }

    /// Sets every hit counter back to zero.
    pub fn reset_hits(&self) {
        self.state.faults_and_hits().reset_hits();
    }

    /// The server's state, to inspect (or move on) tokens, beneficiaries, transfers, the
    /// balance and the statement.
    pub fn state(&self) -> &PayoutsMockState {
        &self.state
    }
}
