//! The body-cipher phase of the request pipeline, for operations whose envelope declares a
//! cipher ([`CipherSpec`]): the request body is sealed once per call (every attempt sends the
//! same bytes), and each answer is opened before the envelope codec reads it. The key is derived
//! from the credential the spec names. Without the `body-cipher` feature, such an operation
//! fails before anything is sent.

use std::borrow::Cow;

use super::config::Config;
use super::error::{CipherFault, Error};
use super::operation::CipherSpec;
use secrecy::SecretString;

/// The body to send for the JSON `body` of an operation with `cipher`.
pub(crate) fn seal(cipher: CipherSpec, config: &Config, body: Vec<u8>) -> Result<Vec<u8>, Error> {
    seal_with(cipher, config.credentials.require(cipher.key)?, body)
}

/// [`seal`] with the key's secret at hand (the mock's side).
pub(crate) fn seal_with(
    cipher: CipherSpec,
    secret: &SecretString,
    body: Vec<u8>,
) -> Result<Vec<u8>, Error> {
    #[cfg(feature = "body-cipher")]
    {
        use super::cipher::{self, CipherKey};
        let algorithm = algorithm(cipher);
        let key = CipherKey::derive(algorithm, secret);
        Ok(cipher::seal(algorithm, &key, &body))
    }
    #[cfg(not(feature = "body-cipher"))]
    {
        let _ = (cipher, secret, body);
        Err(unsupported())
    }
}

/// The body an answer carries once opened: the decrypted text when it is wrapped and
/// encrypted, the body itself when it is not (an undocumented plain answer, such as an error).
pub(crate) fn open<'b>(
    cipher: CipherSpec,
    config: &Config,
    body: &'b [u8],
) -> Result<Cow<'b, [u8]>, CipherFault> {
    let Some(secret) = config.credentials.get(cipher.key) else {
        return Err(CipherFault::WrongKey);
    };
    Ok(match open_with(cipher, secret, body)? {
        Some(plain) => Cow::Owned(plain),
        None => Cow::Borrowed(body),
    })
}

/// The decrypted text of a wrapped body, `None` for a body that is not wrapped.
pub(crate) fn open_with(
    cipher: CipherSpec,
    secret: &SecretString,
    body: &[u8],
) -> Result<Option<Vec<u8>>, CipherFault> {
    #[cfg(feature = "body-cipher")]
    {
        use super::cipher::{self, CipherKey, Opened};
        let algorithm = algorithm(cipher);
        let key = CipherKey::derive(algorithm, secret);
        Ok(match cipher::open(algorithm, &key, body)? {
            Opened::Decrypted(text) => Some(text.into_bytes()),
            Opened::Plain => None,
        })
    }
    #[cfg(not(feature = "body-cipher"))]
    {
        let _ = (cipher, secret, body);
        Err(CipherFault::Unsupported)
    }
}

#[cfg(not(feature = "body-cipher"))]
fn unsupported() -> Error {
    Error::config(
        "this operation's bodies are encrypted, and this build has no body cipher: enable the \
         `body-cipher` feature of enkash-generated",
    )
}

/// The cipher implementation of the spec's `cipher` (one algorithm so far).
#[cfg(feature = "body-cipher")]
fn algorithm(cipher: CipherSpec) -> super::cipher::BodyCipher {
    super::cipher::BodyCipher::Aes128EcbSha256Key {
        field: cipher.field,
    }
}
