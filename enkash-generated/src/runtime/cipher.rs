//! Body ciphers: request and response bodies encrypted on the wire, for an API whose spec
//! declares one (feature `body-cipher`).
//!
//! The one cipher so far is [`BodyCipher::Aes128EcbSha256Key`]: the JSON body is encrypted with
//! AES-128 in ECB mode with PKCS#7 padding, under a key made of the first 16 bytes of the
//! SHA-256 digest of a secret's UTF-8 bytes, and travels as standard Base64 in a one-member JSON
//! object, `{"<field>": "<Base64>"}`, in both directions. ECB (no IV: equal plaintext blocks give
//! equal ciphertext blocks) is the API's requirement, not this crate's choice; the crypto is
//! RustCrypto's (`aes`, `ecb`, `sha2`) and `base64`'s, nothing hand-rolled.
//!
//! Reading is lenient where the API's docs are silent: an answer that is not wrapped (a JSON
//! value without the wrapper member, e.g. an error body that may not be encrypted) is returned
//! as it is, and only a wrapped answer that cannot be decrypted is an error ([`CipherError`]).

use std::fmt;

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// How an API's bodies are encrypted, as its spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyCipher {
    /// AES-128-ECB, PKCS#7 padding, key = SHA-256(secret)[..16], Base64 text in the JSON member
    /// `field` (both directions).
    Aes128EcbSha256Key {
        /// The wrapper object's one member.
        field: &'static str,
    },
}

/// A derived cipher key. Its bytes are wiped when it is dropped and never printed.
pub(crate) struct CipherKey(Zeroizing<[u8; 16]>);

impl fmt::Debug for CipherKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CipherKey([REDACTED])")
    }
}

impl CipherKey {
    /// The key of `cipher` derived from `secret`.
    pub(crate) fn derive(cipher: BodyCipher, secret: &SecretString) -> CipherKey {
        match cipher {
            BodyCipher::Aes128EcbSha256Key { .. } => {
                let mut digest: [u8; 32] = Sha256::digest(secret.expose_secret().as_bytes()).into();
                let mut key = Zeroizing::new([0u8; 16]);
                key.copy_from_slice(&digest[..16]);
                zeroize::Zeroize::zeroize(&mut digest);
                CipherKey(key)
            }
        }
    }
}

/// Why a wrapped answer could not be decrypted (the public [`crate::CipherFault`]).
pub(crate) use super::error::CipherFault as CipherError;

/// What [`open`] found in a body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Opened {
    /// The body was wrapped and encrypted: the decrypted JSON text.
    Decrypted(String),
    /// The body is not wrapped: read it as it is.
    Plain,
}

/// The wire body for the JSON `plaintext`: encrypted and wrapped.
pub(crate) fn seal(cipher: BodyCipher, key: &CipherKey, plaintext: &[u8]) -> Vec<u8> {
    match cipher {
        BodyCipher::Aes128EcbSha256Key { field } => {
            let sealed = ecb::Encryptor::<aes::Aes128>::new(key.0.as_ref().into())
                .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
            let text = BASE64.encode(sealed);
            let mut body = serde_json::Map::new();
            body.insert(field.to_owned(), serde_json::Value::String(text));
            serde_json::Value::Object(body).to_string().into_bytes()
        }
    }
}

/// Reads a wire body: decrypted when it is a JSON object with the wrapper member, [`Opened::Plain`]
/// otherwise (including text that is not JSON, which the envelope codec then reports).
pub(crate) fn open(
    cipher: BodyCipher,
    key: &CipherKey,
    body: &[u8],
) -> Result<Opened, CipherError> {
    match cipher {
        BodyCipher::Aes128EcbSha256Key { field } => {
            let Ok(serde_json::Value::Object(mut members)) = serde_json::from_slice(body) else {
                return Ok(Opened::Plain);
            };
            let Some(value) = members.remove(field) else {
                return Ok(Opened::Plain);
            };
            let serde_json::Value::String(text) = value else {
                return Err(CipherError::NotText { field });
            };
            let sealed = BASE64
                .decode(text.trim())
                .map_err(|_| CipherError::NotBase64)?;
            if sealed.is_empty() || sealed.len() % 16 != 0 {
                return Err(CipherError::Truncated { len: sealed.len() });
            }
            let plain = ecb::Decryptor::<aes::Aes128>::new(key.0.as_ref().into())
                .decrypt_padded_vec_mut::<Pkcs7>(&sealed)
                .map_err(|_| CipherError::WrongKey)?;
            String::from_utf8(plain)
                .map(Opened::Decrypted)
                .map_err(|_| CipherError::NotUtf8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CIPHER: BodyCipher = BodyCipher::Aes128EcbSha256Key { field: "request" };

    fn key(secret: &str) -> CipherKey {
        CipherKey::derive(CIPHER, &SecretString::from(secret.to_owned()))
    }

    /// The test vector of `enkash-payouts-api.md` §1.3 (computed with Node's `crypto` and checked
    /// with `openssl enc -aes-128-ecb`; not published by EnKash).
    const PLAIN: &str = r#"{"beneficiaryId":"BEN001","beneficiaryName":"Test User"}"#;
    const SEALED: &str =
        "2kpqaVkr4lJS6N+tFmssQIQrNWDCaB31Vv9TXrHhz0o18goHMJv/j5fk39it236ecVSH1NBNXyXD6HMCwlhRRQ==";

    fn wrapped(text: &str) -> Vec<u8> {
        format!(r#"{{"request":"{text}"}}"#).into_bytes()
    }

    #[test]
    fn the_key_is_the_first_half_of_the_sha256_of_the_secret() {
        let key = key("enkash-secret");
        let hex: String = key.0.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "919b44b45a71733be41872829ce38868");
        assert_eq!(format!("{key:?}"), "CipherKey([REDACTED])");
    }

    #[test]
    fn sealing_gives_the_reference_test_vector() {
        let body = seal(CIPHER, &key("enkash-secret"), PLAIN.as_bytes());
        assert_eq!(body, wrapped(SEALED));
    }

    #[test]
    fn opening_the_test_vector_gives_the_plain_text() {
        let opened = open(CIPHER, &key("enkash-secret"), &wrapped(SEALED)).unwrap();
        assert_eq!(opened, Opened::Decrypted(PLAIN.to_owned()));
    }

    #[test]
    fn round_trip_of_any_length() {
        let key = key("another secret, with ünïcode");
        for len in [0, 1, 15, 16, 17, 32, 1000] {
            let plain = "x".repeat(len);
            let body = seal(CIPHER, &key, plain.as_bytes());
            assert_eq!(open(CIPHER, &key, &body).unwrap(), Opened::Decrypted(plain));
        }
    }

    #[test]
    fn an_unwrapped_answer_is_read_as_it_is() {
        let key = key("enkash-secret");
        for body in [
            &br#"{"code":"E401","message":"Unauthorized"}"#[..],
            br#"[1,2]"#,
            b"<html>busy</html>",
            b"",
        ] {
            assert_eq!(open(CIPHER, &key, body).unwrap(), Opened::Plain, "{body:?}");
        }
    }

    #[test]
    fn each_fault_is_a_typed_error() {
        let key = key("enkash-secret");
        let cases = [
            (
                br#"{"request":42}"#.to_vec(),
                CipherError::NotText { field: "request" },
            ),
            (wrapped("not base64!"), CipherError::NotBase64),
            (wrapped(""), CipherError::Truncated { len: 0 }),
            (wrapped(&SEALED[..20]), CipherError::Truncated { len: 15 }),
        ];
        for (body, expected) in cases {
            assert_eq!(open(CIPHER, &key, &body), Err(expected));
        }
        // Encrypted under another key: the padding check fails (or, rarely, passes on garbage
        // that is then not UTF-8 or not the plain text).
        let other = seal(CIPHER, &super::tests::key("wrong secret"), PLAIN.as_bytes());
        match open(CIPHER, &key, &other) {
            Err(CipherError::WrongKey | CipherError::NotUtf8) => {}
            Ok(Opened::Decrypted(text)) => assert_ne!(text, PLAIN),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_error_message_holds_the_body() {
        let key = key("enkash-secret");
        let err = open(CIPHER, &key, &wrapped("c2VjcmV0LXZhbHVl")).unwrap_err();
        assert!(!err.to_string().contains("c2VjcmV0"), "{err}");
    }
}
