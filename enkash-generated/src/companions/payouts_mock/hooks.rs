//! [`PayoutsMockState`] as the engine's `MockHooks`: where the store is, the auth rules the mock
//! checks (the `User-Agent` header, HTTP Basic client credentials on the token call, bearer
//! tokens the mock issued everywhere else) and the client secret that keys the body cipher. The
//! operations themselves are served by the store, one area file of `state` per generated area
//! trait.

use std::sync::Mutex;

use base64::Engine as _;

use super::config::PayoutsMockConfig;
use super::state::{PayoutsMockState, Store, token_refused};
use crate::SecretString;
use crate::runtime::mock::{
    FaultsAndHits, MockContext, MockCredential, MockError, MockHooks, MockOperation, lock,
};

impl MockHooks for PayoutsMockState {
    type Store = Store;

    fn store(&self) -> &Mutex<Store> {
        &self.store
    }

    fn faults_and_hits(&self) -> &FaultsAndHits {
        &self.faults_and_hits
    }

    /// Checks `User-Agent` (400 without one), then every auth header the operation asks for:
    /// a Basic header must carry the configured `clientId:clientSecret`, a bearer token must be
    /// one the mock issued and has not expired; any refusal is HTTP 401.
    fn authorize(&self, op: MockOperation, ctx: &MockContext) -> Result<(), MockError> {
        if ctx
            .header("user-agent")
            .is_none_or(|agent| agent.trim().is_empty())
        {
            return Err(MockError {
                status: 400,
                code: 400,
                message: "Invalid request format: a User-Agent header is required.".to_owned(),
            });
        }
        for header in op.auth_headers() {
            let Some(value) = ctx
                .header(header.name)
                .and_then(|value| value.strip_prefix(header.prefix))
            else {
                return Err(unauthorized(
                    "unauthorized: Full authentication is required to access this resource",
                ));
            };
            if let Some((user, password)) = header.basic {
                if !basic_matches(self.config(), value, user, password) {
                    return Err(unauthorized("invalid_client: Bad client credentials"));
                }
            } else if header.credential == MockCredential::Token {
                lock(&self.store)
                    .check_token(value)
                    .map_err(token_refused)?;
            } else if credential(self.config(), header.credential) != Some(value) {
                return Err(unauthorized("unauthorized: Bad credentials"));
            }
        }
        Ok(())
    }

    /// The configured value of `credential` (the client secret keys the body cipher).
    fn secret(&self, credential: MockCredential) -> Option<SecretString> {
        self::credential(self.config(), credential).map(SecretString::from)
    }
}

/// The configured value of `credential`, if the mock holds one.
fn credential(config: &PayoutsMockConfig, credential: MockCredential) -> Option<&str> {
    match credential {
        MockCredential::ClientId => Some(&config.client_id),
        MockCredential::ClientSecret => Some(&config.client_secret),
        MockCredential::Username => Some(&config.username),
        MockCredential::Password => Some(&config.password),
        _ => None,
    }
}

/// Whether `encoded` (a Basic header after its prefix) is Base64 of `user:password`.
fn basic_matches(
    config: &PayoutsMockConfig,
    encoded: &str,
    user: MockCredential,
    password: MockCredential,
) -> bool {
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    match (credential(config, user), credential(config, password)) {
        (Some(user), Some(password)) => {
            decoded.len() == user.len() + 1 + password.len()
                && decoded.starts_with(user.as_bytes())
                && decoded.get(user.len()) == Some(&b':')
                && decoded.ends_with(password.as_bytes())
        }
        _ => false,
    }
}

/// HTTP 401 with code 401 and an OAuth-style message (`error: description`).
fn unauthorized(message: &str) -> MockError {
    MockError {
        status: 401,
        code: 401,
        message: message.to_owned(),
    }
}
