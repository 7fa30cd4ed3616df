//! Client configuration and request execution. (Minimal placeholder; the runtime issue replaces it.)

use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::{ApiInfo, Error, Request};

/// A configured EnKash client; cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    _api: &'static ApiInfo,
    _base_url: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    api: &'static ApiInfo,
    base_url: Option<String>,
}

impl ClientBuilder {
    /// Starts a builder for the API described by `api` (generated code calls this).
    pub fn new(api: &'static ApiInfo) -> Self {
        ClientBuilder {
            api,
            base_url: None,
        }
    }

    /// Sets the base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self
            .base_url
            .ok_or_else(|| Error::Validation("no environment".into()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                _api: self.api,
                _base_url: base_url,
            }),
        })
    }
}

impl Client {
    /// Sends a request built by generated code and decodes the payload.
    pub async fn execute<T: DeserializeOwned>(&self, request: Request<'_>) -> Result<T, Error> {
        let _ = (&self.inner, request);
        Err(Error::Validation(
            "not implemented in the placeholder runtime".into(),
        ))
    }
}
