//! [`MockServer`]: the generated router over [`MockState`], served by axum on 127.0.0.1.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::sync::oneshot;

use super::Fault;
use super::config::MockConfig;
use super::faults::Repeat;
use super::routes::OPERATIONS;
use super::state::MockState;
use crate::generated::Environment;
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
/// use enkash_generated::runtime::mock::{Fault, MockConfig, MockServer, Times};
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
    address: SocketAddr,
    url: String,
    state: Arc<MockState>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on `127.0.0.1` (port [`MockConfig::port`], 0 for any free one) on the
    /// current tokio runtime. Fails only when the port cannot be bound.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let address = listener.local_addr()?;
        let url = format!("http://{address}");
        let state = Arc::new(MockState::new(config));
        state.set_base_url(&url);
        let router = crate::generated::mock::router(state.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let server = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(err) = server.await {
                tracing::warn!(error = %err, "the mock EnKash server stopped");
            }
        });
        Ok(MockServer {
            address,
            url,
            state,
            shutdown: Some(shutdown),
        })
    }

    /// The base URL, `http://127.0.0.1:<port>` (for `Environment::Custom`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
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
            .environment(Environment::Custom(self.url.clone()))
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
            OPERATIONS.iter().any(|op| op.id == op_id),
            "`{op_id}` is not an operation the mock serves; see MockServer::operation_ids()"
        );
        self.state.faults.inject(op_id, fault, repeat);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// How many requests reached operation `op_id`, answered normally or with a fault.
    pub fn hits(&self, op_id: &str) -> u64 {
        self.state.hits.of(op_id)
    }

    /// The hits of every operation that was called at least once.
    pub fn all_hits(&self) -> BTreeMap<&'static str, u64> {
        self.state.hits.all()
    }

    /// Sets every hit counter back to zero.
    pub fn reset_hits(&self) {
        self.state.hits.reset();
    }

    /// The ids of every operation the server serves (all operations of the spec).
    pub fn operation_ids() -> Vec<&'static str> {
        OPERATIONS.iter().map(|op| op.id).collect()
    }

    /// The server's state, to seed or inspect orders, payments, refunds, tokens, ...
    pub fn state(&self) -> &MockState {
        &self.state
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
