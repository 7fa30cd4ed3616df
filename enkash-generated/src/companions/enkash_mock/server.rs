//! [`MockServer`]: the generated router over [`MockState`], served on 127.0.0.1 by the engine's
//! `LocalServer`.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use super::config::MockConfig;
use super::state::MockState;
use crate::generated::Environment;
use crate::generated::mock::{OPERATION_IDS, router};
use crate::runtime::mock::{Fault, LocalServer, MockHooks, Repeat};
use crate::runtime::{Client, ClientBuilder};

/// A mock EnKash server running in this process, on `127.0.0.1` (loopback only).
///
/// It serves every operation of the spec from the generated routes, with [`MockState`] behind
/// them: tokens, orders and payments with their lifecycle, refunds, settlements, split accounts,
/// UPI QR codes and mandates. Tests inject faults per operation and count the requests that
/// arrived. The server stops when this value is dropped.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use enkash_generated::mock::{Fault, MockConfig, MockServer, Times};
/// use enkash_generated::{Amount, CreateOrderRequest, Currency};
/// use rust_decimal::Decimal;
///
/// let mock = MockServer::start(MockConfig::default()).await?;
/// let client = mock.client_builder().build().expect("valid settings");
/// mock.inject("create_order", Fault::Status(503), Times(1));
/// let request = CreateOrderRequest::new(
///     "ORDER1",
///     Amount::new(Decimal::new(10050, 2), Currency::Inr),
/// );
/// let order = client.orders().create(&request).await.expect("retried once, then created");
/// assert_eq!(mock.hits("create_order"), 2);
/// assert!(mock.state().order(&order.order_id).is_some());
/// # Ok(()) }
/// ```
pub struct MockServer {
    server: LocalServer,
    state: Arc<MockState>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.server.url())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on `127.0.0.1` (port [`MockConfig::port`], 0 for any free one) on the
    /// current tokio runtime. Fails only when the port cannot be bound.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let port = config.port;
        let state = Arc::new(MockState::new(config));
        let mut routes = router(state.clone()).merge(super::checkout::routes(state.clone()));
        if state.config().drifting {
            routes = routes.layer(axum::middleware::from_fn(
                super::state::drift::drifting_answer,
            ));
        }
        let server = LocalServer::start(port, routes).await?;
        // Nobody knows the URL before `start` returns, so no request can come before this.
        state.set_base_url(server.url());
        Ok(MockServer { server, state })
    }

    /// The base URL, `http://127.0.0.1:<port>` (for `Environment::Custom`).
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// The access key the server accepts (a test credential, never a real one).
    pub fn access_key(&self) -> &str {
        &self.state.config().access_key
    }

    /// The secret key the server accepts (a test credential, never a real one).
    pub fn secret_key(&self) -> &str {
        &self.state.config().secret_key
    }

    /// A client builder for this server: its URL as `Environment::Custom` and its test
    /// credentials. Add timeouts or a retry policy, then `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .environment(Environment::Custom(self.url().to_owned()))
            .credentials(self.access_key().to_owned(), self.secret_key().to_owned())
    }

    /// Replaces the next answers of operation `op_id` (such as `"get_order_status"`) with
    /// `fault`: `Times(n)` for the next `n` answers, `Always` until [`clear_faults`](Self::clear_faults).
    /// Faults injected for the same operation apply one after the other.
    ///
    /// # Panics
    ///
    /// When `op_id` is not an operation of the spec (a typo would otherwise inject nothing).
    pub fn inject(&self, op_id: &str, fault: Fault, repeat: Repeat) {
        assert!(
            OPERATION_IDS.contains(&op_id),
            "`{op_id}` is not an operation the mock serves; see mock::OPERATION_IDS"
        );
        self.state.faults_and_hits().inject(op_id, fault, repeat);
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

    /// The server's state, to seed or inspect orders, payments, refunds, tokens, ...
    pub fn state(&self) -> &MockState {
        &self.state
    }
}
