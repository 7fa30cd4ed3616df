//! [`PermissiveHooks`] and [`NoState`]: the mock of a spec that has no hand-written state.

use std::fmt;
use std::sync::Mutex;

use super::{FaultsAndHits, MockCredential, MockHooks};
use crate::SecretString;

/// A store that serves nothing: every generated trait method keeps its default body, answering
/// HTTP 501 "not implemented by this mock". The generated mock implements every area trait for
/// it, so any spec's mock starts with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoState;

/// Hooks that accept any credentials (headers and body), inject no fault unless one is injected,
/// and count hits, around any store `S` (by default [`NoState`]).
pub struct PermissiveHooks<S = NoState> {
    store: Mutex<S>,
    faults_and_hits: FaultsAndHits,
    secrets: Vec<(MockCredential, SecretString)>,
}

impl<S> PermissiveHooks<S> {
    /// Hooks around `store`.
    pub fn new(store: S) -> Self {
        PermissiveHooks {
            store: Mutex::new(store),
            faults_and_hits: FaultsAndHits::default(),
            secrets: Vec::new(),
        }
    }

    /// Holds `value` as the mock's `credential`, for the key of a body cipher.
    pub fn with_secret(mut self, credential: MockCredential, value: &str) -> Self {
        self.secrets.push((credential, SecretString::from(value)));
        self
    }
}

impl<S: Default> Default for PermissiveHooks<S> {
    fn default() -> Self {
        PermissiveHooks::new(S::default())
    }
}

impl<S> fmt::Debug for PermissiveHooks<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermissiveHooks")
            .field("faults_and_hits", &self.faults_and_hits)
            .finish_non_exhaustive()
    }
}

impl<S: Send + 'static> MockHooks for PermissiveHooks<S> {
    type Store = S;

    fn store(&self) -> &Mutex<S> {
        &self.store
    }

    /// Inject faults and read hits through this.
    fn faults_and_hits(&self) -> &FaultsAndHits {
        &self.faults_and_hits
    }

    fn secret(&self, credential: MockCredential) -> Option<SecretString> {
        self.secrets
            .iter()
            .find(|(c, _)| *c == credential)
            .map(|(_, value)| value.clone())
    }
}
