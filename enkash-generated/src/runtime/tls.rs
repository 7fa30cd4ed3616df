//! The TLS backend of the HTTP client, chosen by cargo feature: `rustls-ring` (the default),
//! `rustls-aws-lc` or `native-tls`; with several enabled, the first of that list wins. Without
//! any, the client speaks plain HTTP only (a mock on 127.0.0.1), and an `https://` base URL is a
//! configuration error that says which features to enable.

use super::error::Error;

/// Whether this build can speak HTTPS.
pub(crate) const HAS_TLS: bool = cfg!(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
));

/// `builder` with the TLS backend this build was compiled with.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(feature = "rustls-ring")]
    {
        use std::sync::Arc;

        use rustls_platform_verifier::BuilderVerifierExt;

        // rustls with the ring provider, certificates checked against the platform's roots, as
        // reqwest does with its own (aws-lc-rs) provider.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|config| config.with_platform_verifier())
            .map_err(|err| Error::config(format!("cannot set up TLS: {err}")))?
            .with_no_client_auth();
        Ok(builder.tls_backend_preconfigured(config))
    }
    #[cfg(all(not(feature = "rustls-ring"), feature = "rustls-aws-lc"))]
    {
        Ok(builder.tls_backend_rustls())
    }
    #[cfg(all(
        not(feature = "rustls-ring"),
        not(feature = "rustls-aws-lc"),
        feature = "native-tls"
    ))]
    {
        Ok(builder.tls_backend_native())
    }
    #[cfg(not(any(
        feature = "rustls-ring",
        feature = "rustls-aws-lc",
        feature = "native-tls"
    )))]
    {
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_of_this_build_sets_up() {
        let builder = configure(reqwest::Client::builder());
        assert!(builder.is_ok_and(|builder| builder.build().is_ok()));
    }
}
