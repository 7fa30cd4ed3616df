//! The mock server's engine, under the generated mock (`crate::mock`): it names no type of the
//! spec, so the mock of any spec compiles on it.
//!
//! The generated router calls [`serve`] for every request; `serve` counts the hit, applies the
//! next injected [`Fault`], asks the [`MockHooks`] to authorize the request, locks the hooks'
//! store and runs the generated trait method on it, then wraps the answer in the operation's
//! envelope.
//!
//! | module | what |
//! |---|---|
//! | `context` | [`MockContext`]: headers, query and path parameters of a request |
//! | `serve` | [`serve`], body decoding, the envelopes of answers |
//! | `faults` | [`Repeat`] ([`Times`], [`Always`]) and [`FaultsAndHits`]: the fault queues and hit counters |
//! | `server` | [`LocalServer`]: a router served on `127.0.0.1` until dropped |
//! | `permissive` | [`PermissiveHooks`] and [`NoState`]: the mock of a spec with no hand-written state |
//!
//! The spec-specific mock (the EnKash state machine and `MockServer`) is a companion of the spec,
//! beside the generated code; everything is reached at one path, `crate::mock`.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::{AuthValue, Credential, OperationInfo};

mod context;
mod faults;
mod permissive;
mod serve;
mod server;

pub use context::MockContext;
pub use faults::FaultsAndHits;
pub use faults::Repeat::{self, Always, Times};
pub use permissive::{NoState, PermissiveHooks};
pub(crate) use serve::{json_body, serve};
pub use server::LocalServer;

/// An error answer: HTTP status plus the envelope's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    /// HTTP status.
    pub status: u16,
    /// Envelope code (non-zero).
    pub code: i64,
    /// Envelope message.
    pub message: String,
}

impl MockError {
    /// HTTP 400 with envelope code 1.
    pub fn bad_request(message: impl Into<String>) -> Self {
        MockError {
            status: 400,
            code: 1,
            message: message.into(),
        }
    }

    /// HTTP 200 with a non-zero envelope code, as EnKash answers business errors.
    pub fn api(code: i64, message: impl Into<String>) -> Self {
        MockError {
            status: 200,
            code,
            message: message.into(),
        }
    }

    /// HTTP 501 with envelope code 1: the store behind the mock does not serve operation `op_id`
    /// (the default body of every generated mock trait method).
    pub fn not_implemented(op_id: &str) -> Self {
        MockError {
            status: 501,
            code: 1,
            message: format!("`{op_id}` is not implemented by this mock"),
        }
    }
}

/// What a mock handler returns: the payload, or an error answer.
pub type MockReply<T> = Result<T, MockError>;

/// A fault injected into one route's next answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait before answering.
    Delay(Duration),
    /// Answer with this HTTP status and an empty body.
    Status(u16),
    /// Answer with this HTTP status, an empty body and `Retry-After: <seconds>` (for 429/503).
    StatusWithRetryAfter {
        /// HTTP status.
        status: u16,
        /// Value of the `Retry-After` header, in seconds.
        seconds: u64,
    },
    /// Answer 200 with this non-zero envelope code and message.
    ResponseCode(i64, String),
    /// Answer 200 with a body that is not JSON.
    MalformedJson,
    /// Answer 200 with the real body cut in half.
    TruncatedJson,
    /// Answer 502 with an HTML error page, as a proxy in front of EnKash would.
    HtmlErrorPage,
    /// Replace every `status` string in the payload with a value no enum knows.
    UnknownEnumValue,
    /// Close the connection without answering.
    DropConnection,
    /// Handle the request (the state changes as usual), then close the connection without
    /// answering: the answer is lost, as when a connection breaks after the server acted.
    DropAfterHandling,
    /// For an operation with a body cipher: answer 200 with a wrapper whose text is not Base64.
    CipherNotBase64,
    /// For an operation with a body cipher: answer 200 encrypted with another key.
    CipherWrongKey,
    /// For an operation with a body cipher: answer 200 with the wrapper's text cut short.
    CipherTruncated,
    /// For an operation with a body cipher: answer 200 with the wrapper member holding a
    /// number where the cipher text belongs.
    CipherNotText,
}

/// What the hand-written side of a mock decides: where its store is, and who may call.
///
/// The generated router locks [`store`](Self::store) for each call of a generated trait method
/// (never across an `.await`), so a store's methods take `&mut self`.
pub trait MockHooks: Send + Sync + 'static {
    /// The state the generated trait methods run on.
    type Store: Send + 'static;

    /// The store, behind the mutex every request locks.
    fn store(&self) -> &Mutex<Self::Store>;

    /// The injected faults and the hit counters.
    fn faults_and_hits(&self) -> &FaultsAndHits;

    /// Checks the request's auth headers for `op` (default: anything is accepted).
    fn authorize(&self, op: MockOperation, ctx: &MockContext) -> Result<(), MockError> {
        let _ = (op, ctx);
        Ok(())
    }

    /// The value of `credential` this mock holds, for the body cipher's key (default: none, so
    /// an operation with a cipher answers 500 "no key").
    fn secret(&self, credential: MockCredential) -> Option<crate::SecretString> {
        let _ = credential;
        None
    }

    /// Checks the credentials `op` carries in its request body: each credential field with
    /// its value in this body (`None` when absent or not a string). Called only for an
    /// operation that has some (default: anything is accepted).
    fn authorize_body(
        &self,
        op: MockOperation,
        credentials: &[BodyCredential],
    ) -> Result<(), MockError> {
        let _ = (op, credentials);
        Ok(())
    }
}

/// An operation as the mock's hooks see it: its id and the auth headers the spec gives it.
#[derive(Debug, Clone, Copy)]
pub struct MockOperation(&'static OperationInfo);

impl MockOperation {
    pub(crate) fn new(op: &'static OperationInfo) -> Self {
        MockOperation(op)
    }

    /// Spec id of the operation (`create_order`).
    pub fn id(&self) -> &'static str {
        self.0.id
    }

    /// The auth headers a client sends with this operation.
    pub fn auth_headers(&self) -> impl Iterator<Item = MockAuthHeader> + use<> {
        self.0.auth.iter().map(|header| match header.value {
            AuthValue::Plain(credential) => MockAuthHeader {
                name: header.name,
                prefix: header.prefix,
                credential: credential.into(),
                basic: None,
            },
            AuthValue::Basic(user, password) => MockAuthHeader {
                name: header.name,
                prefix: header.prefix,
                credential: user.into(),
                basic: Some((user.into(), password.into())),
            },
        })
    }

    /// The cipher this operation's bodies travel under, if any: the wrapper member and the
    /// credential the key is derived from.
    pub fn cipher(&self) -> Option<(&'static str, MockCredential)> {
        self.0
            .cipher
            .map(|cipher| (cipher.field, cipher.key.into()))
    }
}

/// One auth header a client sends: `name: prefix + credential`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockAuthHeader {
    /// Header name.
    pub name: &'static str,
    /// Literal text before the credential (`"Bearer "`).
    pub prefix: &'static str,
    /// The credential that follows (for HTTP Basic, the user part).
    pub credential: MockCredential,
    /// For an HTTP Basic header: the user and password credentials, Base64-encoded as
    /// `user:password` after the prefix.
    pub basic: Option<(MockCredential, MockCredential)>,
}

/// A credential a client sends in a header or a body field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MockCredential {
    /// The bearer token from the token operation.
    Token,
    /// The merchant access key.
    AccessKey,
    /// A secret key.
    SecretKey,
    /// An OAuth2 client id.
    ClientId,
    /// An OAuth2 client secret.
    ClientSecret,
    /// A user name.
    Username,
    /// A password.
    Password,
}

impl From<Credential> for MockCredential {
    fn from(credential: Credential) -> Self {
        match credential {
            Credential::Token => MockCredential::Token,
            Credential::AccessKey => MockCredential::AccessKey,
            Credential::SecretKey => MockCredential::SecretKey,
            Credential::ClientId => MockCredential::ClientId,
            Credential::ClientSecret => MockCredential::ClientSecret,
            Credential::Username => MockCredential::Username,
            Credential::Password => MockCredential::Password,
        }
    }
}

/// A credential field of a request body, as found in one request: the field's name, the
/// credential it must carry, and its value (`None` when absent or not a string).
pub type BodyCredential = (&'static str, MockCredential, Option<String>);

/// Locks `mutex`, recovering the data of a poisoned lock instead of panicking.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
