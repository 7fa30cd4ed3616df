//! Tokens: issued by the token operation for the configured credentials, accepted until they
//! expire or are invalidated. (The Basic header of the token call is checked by the hooks,
//! before the store is reached.)

use std::time::{Duration, Instant};

use super::Store;
use super::rules::refusal;
use crate::generated::payouts::mock::MockAuthorization;
use crate::generated::payouts::{AccessTokenRequest, AccessTokenResponse, GrantType};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// Every token (access or refresh) the mock issues starts with this, so that tests can look
/// for leaks.
pub const TOKEN_PREFIX: &str = "pmtok-";

/// Why a bearer token is refused.
pub(crate) enum TokenRefusal {
    /// Never issued, or invalidated.
    Unknown,
    /// Issued, but its lifetime is over.
    Expired,
}

impl MockAuthorization for Store {
    /// Get Authentication Token: a new token for the configured form credentials; 401 for
    /// wrong ones, 400 for a grant type other than `password`.
    fn get_access_token(
        &mut self,
        _ctx: &MockContext,
        body: AccessTokenRequest,
    ) -> MockReply<AccessTokenResponse> {
        if body.grant_type != GrantType::Password {
            return Err(refusal(
                400,
                "unsupported_grant_type: Unsupported grant type",
            ));
        }
        if body.client_id != self.config.client_id {
            return Err(refusal(401, "invalid_client: Bad client credentials"));
        }
        if body.username != self.config.username || body.password != self.config.password {
            return Err(refusal(401, "invalid_grant: Bad credentials"));
        }
        self.tokens_issued += 1;
        let token = format!("{TOKEN_PREFIX}{}-{}", self.tokens_issued, random_alnum(24));
        let refresh = format!("{TOKEN_PREFIX}refresh-{}", random_alnum(24));
        let now = Instant::now();
        let lifetime = Duration::from_secs(self.config.expires_in);
        let expiry = now.checked_add(lifetime).unwrap_or(now);
        self.tokens.insert(token.clone(), expiry);
        Ok(AccessTokenResponse::new(token)
            .with_token_type("bearer")
            .with_expires_in(i64::try_from(self.config.expires_in).unwrap_or(i64::MAX))
            .with_refresh_token(refresh)
            .with_scope("read write trust"))
    }
}

impl Store {
    /// Whether `token` was issued, is not invalidated and has not expired.
    pub(crate) fn check_token(&self, token: &str) -> Result<(), TokenRefusal> {
        match self.tokens.get(token) {
            None => Err(TokenRefusal::Unknown),
            Some(expiry) if *expiry <= Instant::now() => Err(TokenRefusal::Expired),
            Some(_) => Ok(()),
        }
    }
}

/// The 401 answer of a refused bearer token.
pub(crate) fn token_refused(why: TokenRefusal) -> MockError {
    let message = match why {
        TokenRefusal::Unknown => "invalid_token: Invalid access token",
        TokenRefusal::Expired => "invalid_token: Access token expired",
    };
    refusal(401, message)
}

/// `len` random ASCII letters and digits.
fn random_alnum(len: usize) -> String {
    (0..len).map(|_| fastrand::alphanumeric()).collect()
}
