//! [`MockConfig`]: what a [`MockServer`](super::MockServer) is started with.

use std::fmt;
use std::time::Duration;

/// Settings of a mock EnKash server. Start from [`MockConfig::default`] and change what a test
/// needs with the builder methods:
///
/// ```
/// use std::time::Duration;
/// use enkash_generated::mock::MockConfig;
///
/// let config = MockConfig::default()
///     .token_lifetime(Duration::from_millis(300))
///     .complete_payments_after_polls(3);
/// assert_eq!(config.payment_polls, 3);
/// ```
///
/// `Debug` never shows the credentials.
#[derive(Clone)]
#[non_exhaustive]
pub struct MockConfig {
    /// The access key the token operation accepts (and `merchantAccessKey` must carry).
    /// Default: a random `AK-mock-...` value per config.
    pub access_key: String,
    /// The secret key the token operation accepts. Default: a random `SK-mock-...` value.
    pub secret_key: String,
    /// How long an issued token is accepted (default 30 minutes). Its `expiry` says so.
    pub token_lifetime: Duration,
    /// HTTP status of the invalid-token answer (envelope code 117, "Token is invalid."):
    /// 200 as seen in the wild (default), or 401.
    pub invalid_token_status: u16,
    /// Status polls (Get Order Status, Get Transaction Status, Get UPI Transaction Status) of a
    /// pending payment before it completes (default 2). The first poll moves the order to
    /// `PAYMENT_CONFIRMATION_PENDING`; 0 completes payments as they are submitted.
    pub payment_polls: u32,
    /// Also complete a pending payment once this much time has passed since it was submitted,
    /// whatever the number of polls (default: none).
    pub payment_delay: Option<Duration>,
    /// Number of settlement payouts present from the start (default 3).
    pub seeded_payouts: usize,
    /// The OTP Validate OTP accepts (default `123456`).
    pub otp: String,
    /// Port to listen on, on 127.0.0.1 (default 0: any free port).
    pub port: u16,
    /// Answer with drift, as an EnKash newer than the spec would (default `false`): orders get
    /// an unknown member (`"newField": "2026-04-22T13:50:03Z"`), Get Order Status an order
    /// `status` no enum lists (`ON_HOLD`) and its `created` in RFC 3339 (a form the client reads
    /// but EnKash's examples do not use), and Search Settlement Payouts a `payoutDate` in a
    /// form the client does not read (`22/04/2026 13:50:03`, so that answer fails to decode).
    /// For testing `DriftRecorder` and `cargo xtask contract`.
    pub drifting: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            access_key: format!("AK-mock-{}", random_alnum(16)),
            secret_key: format!("SK-mock-{}", random_alnum(24)),
            token_lifetime: Duration::from_secs(30 * 60),
            invalid_token_status: 200,
            payment_polls: 2,
            payment_delay: None,
            seeded_payouts: 3,
            otp: "123456".to_owned(),
            port: 0,
            drifting: false,
        }
    }
}

impl MockConfig {
    /// Sets the credentials the mock accepts.
    pub fn credentials(
        mut self,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.access_key = access_key.into();
        self.secret_key = secret_key.into();
        self
    }

    /// Sets how long issued tokens are accepted.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Answers an invalid or expired token with HTTP 401 (and code 117) instead of HTTP 200.
    pub fn invalid_token_as_401(mut self) -> Self {
        self.invalid_token_status = 401;
        self
    }

    /// Sets how many status polls a pending payment needs before it completes.
    pub fn complete_payments_after_polls(mut self, polls: u32) -> Self {
        self.payment_polls = polls;
        self
    }

    /// Also completes pending payments this long after they were submitted.
    pub fn complete_payments_after(mut self, delay: Duration) -> Self {
        self.payment_delay = Some(delay);
        self
    }

    /// Sets how many settlement payouts exist from the start.
    pub fn seeded_payouts(mut self, count: usize) -> Self {
        self.seeded_payouts = count;
        self
    }

    /// Sets the OTP Validate OTP accepts.
    pub fn otp(mut self, otp: impl Into<String>) -> Self {
        self.otp = otp.into();
        self
    }

    /// Sets the port to listen on (0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Answers with drift (unknown members, an unknown enum value, dates in other forms):
    /// see the field `drifting`.
    ///
    /// ```
    /// use enkash_generated::mock::MockConfig;
    ///
    /// assert!(MockConfig::default().drifting(true).drifting);
    /// assert!(!MockConfig::default().drifting);
    /// ```
    pub fn drifting(mut self, drifting: bool) -> Self {
        self.drifting = drifting;
        self
    }
}

impl fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConfig")
            .field("credentials", &"[REDACTED]")
            .field("token_lifetime", &self.token_lifetime)
            .field("invalid_token_status", &self.invalid_token_status)
            .field("payment_polls", &self.payment_polls)
            .field("payment_delay", &self.payment_delay)
            .field("seeded_payouts", &self.seeded_payouts)
            .field("otp", &"[REDACTED]")
            .field("port", &self.port)
            .field("drifting", &self.drifting)
            .finish()
    }
}

/// `len` random ASCII letters and digits.
pub(crate) fn random_alnum(len: usize) -> String {
    (0..len).map(|_| fastrand::alphanumeric()).collect()
}
