//! One HTTP attempt: send, read the whole body, classify failures for the retry rules.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};

use super::config::Config;
use super::error::Error;
use super::operation::{AuthHeader, AuthValue, Credential};
use super::retry::{self, Outcome};

/// A response with its body read.
pub(crate) struct RawResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
    /// The body was larger than the limit: `body` holds only its start.
    pub oversized: bool,
}

/// Sends one attempt's request and reads the body (both within the request's timeout), at most
/// `max_response_size` bytes of it: reading stops there and the connection is dropped.
pub(crate) async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    max_response_size: usize,
) -> Result<RawResponse, reqwest::Error> {
    let mut response = http.execute(request).await?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(retry::parse_retry_after);
    let mut body = Vec::new();
    let mut oversized = false;
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max_response_size {
            let room = max_response_size.saturating_sub(body.len());
            body.extend_from_slice(chunk.get(..room).unwrap_or_default());
            oversized = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse {
        status,
        retry_after,
        body,
        oversized,
    })
}

/// How a failed attempt counts for the retry rules.
pub(crate) fn outcome_of(err: &reqwest::Error) -> Outcome {
    // A connect timeout is both a connect and a timeout error; it counts as a connect failure,
    // because nothing was sent.
    if err.is_connect() {
        Outcome::ConnectFailed
    } else if err.is_timeout() {
        Outcome::TimedOut
    } else {
        Outcome::ConnectionLost
    }
}

/// The error reported for a failed attempt that is not retried.
pub(crate) fn transport_error(
    operation: &'static str,
    err: reqwest::Error,
    timeout: Duration,
) -> Error {
    if !err.is_connect() && err.is_timeout() {
        Error::Timeout {
            operation,
            timeout,
            earlier_attempt_may_have_succeeded: false,
        }
    } else {
        Error::Transport {
            operation,
            source: err,
            earlier_attempt_may_have_succeeded: false,
        }
    }
}

/// The auth headers of an operation, values marked sensitive so that HTTP tooling never prints
/// them. `token` must be present when a header asks for it.
pub(crate) fn auth_headers(
    config: &Config,
    auth: &[AuthHeader],
    token: Option<&SecretString>,
) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    for header in auth {
        let name = HeaderName::from_bytes(header.name.as_bytes())
            .map_err(|_| Error::config(format!("invalid auth header name `{}`", header.name)))?;
        let secret = |credential: Credential| match credential {
            Credential::Token => token.ok_or_else(|| {
                Error::config(
                    "this operation needs the bearer token, but no credentials were configured: \
                     call `.credentials(..)` on the client builder",
                )
            }),
            other => config.credentials.require(other),
        };
        let (text, what) = match header.value {
            AuthValue::Plain(credential) => (
                format!("{}{}", header.prefix, secret(credential)?.expose_secret()),
                credential.describe(),
            ),
            AuthValue::Basic(user, password) => {
                use base64::Engine as _;
                let pair = format!(
                    "{}:{}",
                    secret(user)?.expose_secret(),
                    secret(password)?.expose_secret()
                );
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                (
                    format!("{}{encoded}", header.prefix),
                    "the Basic credentials",
                )
            }
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            Error::auth(
                format!("{what} contains characters that cannot be sent in an HTTP header"),
                None,
                None,
            )
        })?;
        value.set_sensitive(true);
        headers.append(name, value);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::RetryPolicy;

    fn config(access_key: Option<&str>) -> Config {
        let mut credentials = crate::runtime::config::Credentials::default();
        if let Some(key) = access_key {
            credentials.set(Credential::AccessKey, SecretString::from(key));
        }
        credentials.set(Credential::SecretKey, SecretString::from("secret"));
        Config {
            base_url: "https://example.com".to_owned(),
            credentials,
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            retry: RetryPolicy::default(),
            token_refresh_margin: Duration::from_secs(60),
            max_response_size: 1024,
            user_agent: HeaderValue::from_static("test"),
        }
    }

    const MERCHANT: &[AuthHeader] = &[
        AuthHeader {
            name: "Authorization",
            prefix: "Bearer ",
            value: AuthValue::Plain(Credential::Token),
        },
        AuthHeader {
            name: "merchantAccessKey",
            prefix: "",
            value: AuthValue::Plain(Credential::AccessKey),
        },
    ];

    #[test]
    fn auth_headers_carry_the_credentials_and_are_sensitive() {
        let token = SecretString::from("tok");
        let headers = auth_headers(&config(Some("ak")), MERCHANT, Some(&token)).unwrap();
        assert_eq!(headers["authorization"], "Bearer tok");
        assert_eq!(headers["merchantaccesskey"], "ak");
        assert!(headers.values().all(HeaderValue::is_sensitive));
        // Sensitive values are hidden from the headers' own Debug output too.
        assert!(!format!("{headers:?}").contains("tok"));
    }

    #[test]
    fn basic_auth_is_base64_of_user_colon_password() {
        let mut config = config(None);
        config
            .credentials
            .set(Credential::ClientId, SecretString::from("enkash-client"));
        config.credentials.set(
            Credential::ClientSecret,
            SecretString::from("enkash-secret"),
        );
        let basic = &[AuthHeader {
            name: "Authorization",
            prefix: "Basic ",
            value: AuthValue::Basic(Credential::ClientId, Credential::ClientSecret),
        }];
        let headers = auth_headers(&config, basic, None).unwrap();
        // The reference's example header: base64("enkash-client:enkash-secret").
        assert_eq!(
            headers["authorization"],
            "Basic ZW5rYXNoLWNsaWVudDplbmthc2gtc2VjcmV0"
        );
        assert!(headers["authorization"].is_sensitive());
    }

    #[test]
    fn missing_credentials_are_a_config_error_naming_the_fix() {
        let err = auth_headers(&config(None), MERCHANT, None).unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(err.to_string().contains(".credentials("));
    }

    #[test]
    fn a_token_unfit_for_a_header_is_an_auth_error_without_the_token() {
        let token = SecretString::from("bad\ntoken-value");
        let err = auth_headers(&config(Some("ak")), MERCHANT, Some(&token)).unwrap_err();
        assert!(matches!(err, Error::Auth { .. }));
        assert!(!format!("{err} {err:?}").contains("token-value"));
    }
}
