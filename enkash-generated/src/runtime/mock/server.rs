//! [`LocalServer`]: an axum router served on `127.0.0.1` in this process until dropped.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};

use tokio::sync::oneshot;

/// A router served on `127.0.0.1` (loopback only) on the current tokio runtime; the server stops
/// when this value is dropped.
///
/// Any spec's generated mock starts with it, with no hand-written state:
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::sync::Arc;
/// use enkash_generated::mock::{LocalServer, NoState, PermissiveHooks, router};
///
/// let hooks = Arc::new(PermissiveHooks::new(NoState));
/// let server = LocalServer::start(0, router(hooks.clone())).await?;
/// println!("every operation answers 501 at {}", server.url());
/// # Ok(()) }
/// ```
pub struct LocalServer {
    address: SocketAddr,
    url: String,
    shutdown: Option<oneshot::Sender<()>>,
}

impl fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl LocalServer {
    /// Serves `router` on `127.0.0.1:<port>` (0: any free port). Fails only when the port cannot
    /// be bound.
    pub async fn start(port: u16, router: axum::Router) -> std::io::Result<LocalServer> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let address = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let server = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(err) = server.await {
                tracing::warn!(error = %err, "the mock server stopped");
            }
        });
        Ok(LocalServer {
            address,
            url: format!("http://{address}"),
            shutdown: Some(shutdown),
        })
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
