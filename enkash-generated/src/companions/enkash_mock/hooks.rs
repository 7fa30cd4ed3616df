//! [`MockState`] as the engine's `MockHooks`: where the store is, and the EnKash auth rules the
//! mock checks (the bearer token and `merchantAccessKey` headers, and access keys carried in
//! request bodies). The operations themselves are served by the store, one area file of `state`
//! per generated area trait.

use std::sync::Mutex;

use crate::mock::{
    BodyCredential, FaultsAndHits, MockContext, MockCredential, MockError, MockHooks, MockOperation,
};

use super::state::{MockState, Store, codes};

impl MockHooks for MockState {
    type Store = Store;

    fn store(&self) -> &Mutex<Store> {
        &self.store
    }

    fn faults_and_hits(&self) -> &FaultsAndHits {
        &self.faults_and_hits
    }

    /// Checks every auth header the operation asks for: the bearer token first (a missing,
    /// unknown or expired one is the invalid-token answer), then `merchantAccessKey`.
    fn authorize(&self, op: MockOperation, ctx: &MockContext) -> Result<(), MockError> {
        for header in op.auth_headers() {
            let value = ctx
                .header(header.name)
                .and_then(|v| v.strip_prefix(header.prefix));
            match header.credential {
                MockCredential::Token => {
                    let valid = value.is_some_and(|token| self.with(|s| s.token_is_valid(token)));
                    if !valid {
                        return Err(self.with(|s| s.invalid_token()));
                    }
                }
                MockCredential::AccessKey => {
                    if value != Some(self.config().access_key.as_str()) {
                        return Err(MockError {
                            status: 403,
                            code: codes::INVALID_ACCESS_KEY,
                            message: format!("missing or wrong `{}` header", header.name),
                        });
                    }
                }
                // The EnKash spec's auth headers carry only the token and the access key.
                _ => {
                    return Err(MockError {
                        status: 403,
                        code: codes::INVALID_ACCESS_KEY,
                        message: format!(
                            "`{}` carries a credential this mock does not hold",
                            header.name
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The access key a body must carry (Verify VPA's `merchantIdentifierKey`), else the mock's
    /// invalid-access-key answer.
    fn authorize_body(
        &self,
        _op: MockOperation,
        credentials: &[BodyCredential],
    ) -> Result<(), MockError> {
        for (name, credential, value) in credentials {
            let expected = match credential {
                MockCredential::AccessKey => Some(self.config().access_key.clone()),
                _ => None,
            };
            if value.is_none() || *value != expected {
                return Err(MockError::api(
                    codes::INVALID_ACCESS_KEY,
                    format!("Invalid merchant access key in `{name}`"),
                ));
            }
        }
        Ok(())
    }
}
