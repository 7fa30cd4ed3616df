//! Client configuration: [`ClientBuilder`] and the validated settings it produces.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use super::client::Client;
use super::drift::DriftRecorder;
use super::{ApiInfo, Credential, Error, RetryPolicy};

/// `User-Agent` of every request: this crate's name and version, nothing about the machine.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`].
///
/// A base URL is required (generated code offers `.environment(..)`, which sets it); everything
/// else has a default:
///
/// | setting | default |
/// |---|---|
/// | `credentials` (generated from the spec) | none: calls that need a credential or a token fail with [`Error::Config`] |
/// | [`timeout`](Self::timeout) (per attempt) | 30 s ([`Self::DEFAULT_TIMEOUT`]) |
/// | [`connect_timeout`](Self::connect_timeout) | 10 s ([`Self::DEFAULT_CONNECT_TIMEOUT`]) |
/// | [`retry_policy`](Self::retry_policy) | 2 retries, 500 ms base delay, 8 s cap ([`RetryPolicy::default`]) |
/// | [`token_refresh_margin`](Self::token_refresh_margin) | 60 s ([`Self::DEFAULT_TOKEN_REFRESH_MARGIN`]) |
/// | [`max_response_size`](Self::max_response_size) | 32 MiB ([`Self::DEFAULT_MAX_RESPONSE_SIZE`]) |
/// | [`http_client`](Self::http_client) | a new `reqwest` client (rustls, no redirects followed) |
/// | [`drift_recorder`](Self::drift_recorder) | none: no drift recorded |
///
/// Every request carries `User-Agent: enkash-generated/<version>`. The client sends nothing
/// anywhere but to the base URL: no telemetry of any kind.
///
/// `Debug` shows the settings but never the credentials.
pub struct ClientBuilder {
    api: &'static ApiInfo,
    base_url: Option<String>,
    credentials: Credentials,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    token_refresh_margin: Duration,
    max_response_size: usize,
    http_client: Option<reqwest::Client>,
    drift: Option<DriftRecorder>,
}

impl ClientBuilder {
    /// Default time allowed for one attempt, from connecting to the end of the response body.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default time allowed to open a connection (TCP and TLS).
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default time before the token's expiry at which it is refreshed.
    pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);
    /// Default largest response body read: far above any EnKash answer (a 5,000-record search
    /// is a few MiB), low enough that a broken proxy cannot exhaust memory.
    pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;

    /// Starts a builder for the API described by `api` (generated code calls this from
    /// `Client::builder()`).
    pub(crate) fn new(api: &'static ApiInfo) -> Self {
        ClientBuilder {
            api,
            base_url: None,
            credentials: Credentials::default(),
            timeout: Self::DEFAULT_TIMEOUT,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            token_refresh_margin: Self::DEFAULT_TOKEN_REFRESH_MARGIN,
            max_response_size: Self::DEFAULT_MAX_RESPONSE_SIZE,
            http_client: None,
            drift: None,
        }
    }

    /// Sets the base URL, such as `https://olympus-pg-uat.enkash.in` (prefer `.environment(..)`).
    ///
    /// It must be an `http` or `https` URL without credentials, query or fragment; a path prefix
    /// is kept. [`build`](Self::build) checks it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets one credential (generated `credentials(..)` methods call this for each of the
    /// spec's credentials).
    pub(crate) fn credential(mut self, credential: Credential, value: SecretString) -> Self {
        self.credentials.set(credential, value);
        self
    }

    /// Sets the time allowed for one attempt, from connecting until the whole response body has
    /// arrived (default 30 s). Retries each get the full time again. Per call:
    /// [`RequestOptions::timeout`](super::RequestOptions::timeout); the token request always
    /// uses this client-wide value.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the time allowed to open a connection (default 10 s). A connection that could not
    /// be opened in time is retried for every operation, since nothing was sent.
    ///
    /// Ignored with [`http_client`](Self::http_client): that client's own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]). Per call:
    /// [`RequestOptions::max_retries`](super::RequestOptions::max_retries).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets how long before its expiry the bearer token is refreshed (default 60 s). When the
    /// token lives less than twice the margin, it is refreshed at half its lifetime instead.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Sets the largest response body the client reads, in bytes (default 32 MiB). A larger
    /// answer is not read further and fails with [`Error::Http`]; the connection is closed.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Uses this `reqwest` client (for a proxy, custom TLS roots, shared pools, ...).
    ///
    /// Its own connect timeout, redirect policy and proxy settings then apply. Keep redirects off
    /// (`reqwest::redirect::Policy::none()`): a `POST` redirected by a proxy is silently turned
    /// into a `GET`. The per-attempt timeout and the `User-Agent` are still set on each request.
    ///
    /// With the default `rustls-ring` feature, reqwest itself has no TLS crypto provider: build
    /// your client with `tls_backend_preconfigured(..)`, or install one first
    /// (`rustls::crypto::ring::default_provider().install_default()`), or `build()` panics
    /// inside reqwest.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Records drift: what EnKash's answers hold that the spec does not say (unknown members,
    /// enum values, number and date forms, envelope codes), as shapes, never values, into
    /// `recorder` (see [`DriftRecorder`]). Off by default; when off it costs nothing. When on,
    /// each answer's payload is decoded a second time.
    pub fn drift_recorder(mut self, recorder: DriftRecorder) -> Self {
        self.drift = Some(recorder);
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent: the token is fetched
    /// on the first call that needs it.
    ///
    /// Fails with [`Error::Config`] when no base URL was set, when it is not an `http(s)` URL,
    /// when a timeout is zero, when a credential is empty or cannot be sent in a header, or when
    /// the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = validate_base_url(self.base_url.as_deref())?;
        for (credential, value) in &self.credentials.values {
            validate_credential(credential.describe(), value.expose_secret())?;
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::config("timeouts must be longer than zero"));
        }
        let http = match self.http_client {
            Some(client) => client,
            None => super::tls::configure(reqwest::Client::builder())?
                .connect_timeout(self.connect_timeout)
                // A redirect would turn a POST into a GET and could send headers elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(USER_AGENT)
                .build()
                .map_err(|err| Error::config(format!("cannot create the HTTP client: {err}")))?,
        };
        let config = Config {
            base_url,
            credentials: self.credentials,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry,
            token_refresh_margin: self.token_refresh_margin,
            max_response_size: self.max_response_size,
            user_agent: HeaderValue::from_static(USER_AGENT),
        };
        Ok(Client::new(self.api, config, http, self.drift))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("max_response_size", &self.max_response_size)
            .field("custom_http_client", &self.http_client.is_some())
            .field("drift_recorder", &self.drift.is_some())
            .finish_non_exhaustive()
    }
}

/// The credentials a client was configured with. `Debug` says "[REDACTED]" when some are set
/// and "not set" otherwise, never a value.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    values: Vec<(Credential, SecretString)>,
}

impl Credentials {
    /// Sets (or replaces) one credential.
    pub(crate) fn set(&mut self, credential: Credential, value: SecretString) {
        self.values.retain(|(c, _)| *c != credential);
        self.values.push((credential, value));
    }

    /// One credential, if configured.
    pub(crate) fn get(&self, credential: Credential) -> Option<&SecretString> {
        self.values
            .iter()
            .find(|(c, _)| *c == credential)
            .map(|(_, value)| value)
    }

    /// Every configured value, to mask them in error texts.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(|(_, value)| value.expose_secret())
    }

    /// One credential, or the configuration error naming it.
    pub(crate) fn require(&self, credential: Credential) -> Result<&SecretString, Error> {
        self.get(credential).ok_or_else(|| {
            Error::config(format!(
                "this operation needs {}, but it was not configured: call `.credentials(..)` \
                 on the client builder",
                credential.describe()
            ))
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.values.is_empty() {
            "not set"
        } else {
            "[REDACTED]"
        })
    }
}

/// The validated settings of a built client.
pub(crate) struct Config {
    /// `http(s)://host[:port][/prefix]`, without a trailing slash.
    pub base_url: String,
    pub credentials: Credentials,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
    pub token_refresh_margin: Duration,
    /// Largest response body read, in bytes.
    pub max_response_size: usize,
    pub user_agent: HeaderValue,
}

impl Config {
    /// The base URL followed by an already percent-encoded path.
    pub(crate) fn url(&self, path: &str) -> Result<reqwest::Url, String> {
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        reqwest::Url::parse(&format!("{}{path}", self.base_url))
            .map_err(|err| format!("the path `{path}` does not form a valid URL: {err}"))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("max_response_size", &self.max_response_size)
            .finish_non_exhaustive()
    }
}

fn validate_base_url(url: Option<&str>) -> Result<String, Error> {
    let Some(url) = url else {
        return Err(Error::config(
            "no base URL: choose the EnKash environment with `.environment(..)` (or set \
             `.base_url(..)`) on the client builder",
        ));
    };
    // The URL is not echoed in these errors: a mistaken one may carry credentials.
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|err| Error::config(format!("the base URL is not a valid URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::config(
            "the base URL must start with `https://` (or `http://`)",
        ));
    }
    if parsed.scheme() == "https" && !super::tls::HAS_TLS {
        return Err(Error::config(
            "the base URL is `https://`, but this build has no TLS backend: enable the \
             `rustls-ring` (default), `rustls-aws-lc` or `native-tls` feature of enkash-generated",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::config("the base URL has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::config(
            "the base URL must not contain credentials; use `.credentials(..)`",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::config(
            "the base URL must not have a query or a fragment",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn validate_credential(name: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::config(format!("{name} is empty")));
    }
    if value.trim() != value {
        return Err(Error::config(format!(
            "{name} starts or ends with whitespace (a copy-paste slip?)"
        )));
    }
    if HeaderValue::from_str(value).is_err() {
        return Err(Error::config(format!(
            "{name} contains characters that cannot be sent in an HTTP header"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_needs_a_tls_backend_and_http_does_not() {
        assert_eq!(
            validate_base_url(Some("https://example.com")).is_ok(),
            super::super::tls::HAS_TLS
        );
        assert!(validate_base_url(Some("http://127.0.0.1:8080")).is_ok());
    }

    #[test]
    fn base_url_is_required_and_checked() {
        let missing = validate_base_url(None).unwrap_err().to_string();
        assert!(missing.contains(".environment("), "{missing}");
        for bad in [
            "olympus-pg-uat.enkash.in",
            "ftp://example.com",
            "https://user:pw@example.com",
            "https://example.com/?a=1",
            "https://example.com/#x",
            "",
        ] {
            assert!(validate_base_url(Some(bad)).is_err(), "{bad}");
        }
        let err = validate_base_url(Some("https://user:hunter2@example.com"))
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"));
        assert_eq!(
            validate_base_url(Some("https://olympus-pg-uat.enkash.in/")).unwrap(),
            "https://olympus-pg-uat.enkash.in"
        );
        assert_eq!(
            validate_base_url(Some("http://127.0.0.1:8080/prefix/")).unwrap(),
            "http://127.0.0.1:8080/prefix"
        );
    }

    #[test]
    fn credentials_are_checked_without_echoing_them() {
        assert!(validate_credential("access key", "").is_err());
        let err = validate_credential("secret key", " s3cr3t")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cr3t"));
        assert!(validate_credential("secret key", "a\nb").is_err());
        assert!(validate_credential("secret key", "AbC-123_x").is_ok());
    }
}
