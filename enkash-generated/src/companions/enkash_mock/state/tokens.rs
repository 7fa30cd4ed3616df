//! Tokens: issued by the token operation for the configured credentials, accepted until they
//! expire or are invalidated.

use time::Duration as TimeDuration;

use super::super::config::random_alnum;
use super::{Store, codes, now};
use crate::generated::mock::MockAuthorization;
use crate::generated::models::{TokenRequest, TokenResponse};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// Every token the mock issues starts with this, so that tests can look for leaks.
pub(crate) const TOKEN_PREFIX: &str = "MOCKTKN-";

impl MockAuthorization for Store {
    /// Get Authorization Token: a new token for the right credentials, HTTP 401 otherwise.
    fn get_authorization_token(
        &mut self,
        _ctx: &MockContext,
        body: TokenRequest,
    ) -> MockReply<TokenResponse> {
        if body.access_key != self.config.access_key || body.secret_key != self.config.secret_key {
            return Err(MockError {
                status: 401,
                code: codes::INVALID_CREDENTIALS,
                message: "Invalid access key or secret key".to_owned(),
            });
        }
        self.tokens_issued += 1;
        let token = format!("{TOKEN_PREFIX}{}-{}", self.tokens_issued, random_alnum(24));
        let lifetime =
            TimeDuration::try_from(self.config.token_lifetime).unwrap_or(TimeDuration::DAY);
        let issued = time::OffsetDateTime::now_utc();
        let expiry = issued.checked_add(lifetime).unwrap_or(issued);
        self.tokens.insert(token.clone(), expiry);
        Ok(TokenResponse::new(token)
            .with_expiry(expiry)
            .with_result_code(0)
            .with_result_message("Token generated successfully."))
    }
}

impl Store {
    /// Whether `token` was issued, is not invalidated and has not expired.
    pub(crate) fn token_is_valid(&mut self, token: &str) -> bool {
        let now = now();
        self.tokens
            .retain(|_, expiry| *expiry > now - TimeDuration::MINUTE);
        self.tokens
            .get(token)
            .is_some_and(|expiry| *expiry > time::OffsetDateTime::now_utc())
    }

    /// The invalid-token answer, as seen in the wild.
    pub(crate) fn invalid_token(&self) -> MockError {
        MockError {
            status: self.config.invalid_token_status,
            code: codes::INVALID_TOKEN,
            message: "Token is invalid.".to_owned(),
        }
    }
}
