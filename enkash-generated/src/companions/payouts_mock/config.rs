//! [`PayoutsMockConfig`]: what a [`PayoutsMockServer`](super::PayoutsMockServer) is started with.

use std::fmt;
use std::time::Duration;

use rust_decimal::Decimal;

/// Settings of a mock EnKash Payouts server. Start from [`PayoutsMockConfig::default`] and change
/// what a test needs with the builder methods:
///
/// ```
/// use std::time::Duration;
/// use enkash_generated::Decimal;
/// use enkash_generated::payouts::mock::PayoutsMockConfig;
///
/// let config = PayoutsMockConfig::default()
///     .opening_balance(Decimal::new(1_234_567, 2))
///     .transfer_delay(Duration::from_millis(200))
///     .expires_in(60);
/// assert_eq!(config.expires_in, 60);
/// assert_eq!(config.opening_balance.to_string(), "12345.67");
/// ```
///
/// The default credentials are fixed, printable test values (never real ones); `Debug` shows
/// none of them all the same.
#[derive(Clone)]
#[non_exhaustive]
pub struct PayoutsMockConfig {
    /// The OAuth client id the token call must carry, in its Basic header and its `clientId`
    /// form field. Default `CEKMOCK001` (shaped like an EnKash company id).
    pub client_id: String,
    /// The OAuth client secret of the Basic header, and the key of the body cipher.
    /// Default `payouts-mock-client-secret`.
    pub client_secret: String,
    /// The user name the token call's form must carry. Default `payouts.mock@example.com`.
    pub username: String,
    /// The password the token call's form must carry. Default `payouts-mock-password`.
    pub password: String,
    /// Lifetime of an issued token, in seconds: the `expires_in` of the token answer, after
    /// which the token is refused with HTTP 401. Default 86399, EnKash's sample value.
    pub expires_in: u64,
    /// Balance of the payout account when the server starts, in rupees (a `CREDIT` statement
    /// entry records it when it is not zero). Default 100000.00.
    pub opening_balance: Decimal,
    /// The one fund source the account has: Get Balance and Fetch Statement accept only it, and
    /// a transfer naming another is `REJECTED` (`REJECT_FND_SRC_ID`). Default `EKCI4XTWKC`, the
    /// docs' example.
    pub fund_source_id: String,
    /// How long an accepted transfer stays in flight (`PROCESSING`, or `PENDING` then
    /// `PROCESSING` for a batch item) before it ends `SUCCESS` or `FAILED`. Default 2 seconds;
    /// `Duration::ZERO` settles transfers at the first read after they were accepted.
    pub transfer_delay: Duration,
    /// A transfer whose amount ends in this many paise (`.13` for 13) ends `FAILED` instead of
    /// `SUCCESS`. Default `Some(13)`; `None` lets every such transfer succeed.
    pub fail_paise: Option<u8>,
    /// Port to listen on, on 127.0.0.1 (default 0: any free port).
    pub port: u16,
}

impl Default for PayoutsMockConfig {
    fn default() -> Self {
        PayoutsMockConfig {
            client_id: "CEKMOCK001".to_owned(),
            client_secret: "payouts-mock-client-secret".to_owned(),
            username: "payouts.mock@example.com".to_owned(),
            password: "payouts-mock-password".to_owned(),
            expires_in: 86399,
            opening_balance: Decimal::new(10_000_000, 2),
            fund_source_id: "EKCI4XTWKC".to_owned(),
            transfer_delay: Duration::from_secs(2),
            fail_paise: Some(13),
            port: 0,
        }
    }
}

impl PayoutsMockConfig {
    /// Sets the four credentials the mock accepts.
    pub fn credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.client_id = client_id.into();
        self.client_secret = client_secret.into();
        self.username = username.into();
        self.password = password.into();
        self
    }

    /// Sets the lifetime of issued tokens, in seconds.
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = seconds;
        self
    }

    /// Sets the balance the payout account starts with.
    pub fn opening_balance(mut self, balance: Decimal) -> Self {
        self.opening_balance = balance;
        self
    }

    /// Sets the account's fund source id.
    pub fn fund_source_id(mut self, fund_source_id: impl Into<String>) -> Self {
        self.fund_source_id = fund_source_id.into();
        self
    }

    /// Sets how long an accepted transfer stays in flight before its final status.
    pub fn transfer_delay(mut self, delay: Duration) -> Self {
        self.transfer_delay = delay;
        self
    }

    /// Sets the paise ending that makes a transfer fail (`None`: no amount fails).
    pub fn fail_paise(mut self, paise: Option<u8>) -> Self {
        self.fail_paise = paise;
        self
    }

    /// Sets the port to listen on (0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

impl fmt::Debug for PayoutsMockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayoutsMockConfig")
            .field("credentials", &"[REDACTED]")
            .field("expires_in", &self.expires_in)
            .field("opening_balance", &self.opening_balance)
            .field("fund_source_id", &self.fund_source_id)
            .field("transfer_delay", &self.transfer_delay)
            .field("fail_paise", &self.fail_paise)
            .field("port", &self.port)
            .finish()
    }
}
