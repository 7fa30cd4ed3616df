//! The client: preparing a call from a generated request, and reading its answer. The attempts
//! themselves run in the one request pipeline (`pipeline`).

use std::fmt;
use std::sync::Arc;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::config::Config;
use super::drift::DriftRecorder;
use super::envelope::{DecodeContext, Interpretation};
use super::error::Error;
use super::operation::{ApiInfo, BodyEncoding, Credential, OperationInfo, Request};
use super::pipeline::{Answer, Call, CallStats, Read};
use super::redact::Redactor;
use super::retry;
use super::token::TokenCache;

/// A configured EnKash client.
///
/// Cheap to clone (an `Arc` inside): clones share the connection pool and the bearer token.
/// `Send + Sync`; use one per set of credentials. `Debug` never shows a secret.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What clones of a client share.
pub(crate) struct Inner {
    pub(crate) api: &'static ApiInfo,
    pub(crate) config: Config,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: TokenCache,
    /// Where drift is recorded, when it is (`ClientBuilder::drift_recorder`).
    pub(crate) drift: Option<DriftRecorder>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("credentials", &config.credentials)
            .field("timeout", &config.timeout)
            .field("connect_timeout", &config.connect_timeout)
            .field("retry", &config.retry)
            .field("token_refresh_margin", &config.token_refresh_margin)
            .field("token", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(crate) fn new(
        api: &'static ApiInfo,
        config: Config,
        http: reqwest::Client,
        drift: Option<DriftRecorder>,
    ) -> Self {
        Client {
            inner: Arc::new(Inner {
                api,
                config,
                http,
                tokens: TokenCache::default(),
                drift,
            }),
        }
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    /// The recorder this client records drift into, if it was given one
    /// ([`ClientBuilder::drift_recorder`](crate::ClientBuilder::drift_recorder)): pass it to a
    /// `webhooks::parse_*_recording` function to record notifications into the same report.
    pub fn drift_recorder(&self) -> Option<&DriftRecorder> {
        self.inner.drift.as_ref()
    }

    /// This client, as generated accessors reach it (a product's own client type wraps one).
    pub(crate) fn runtime(&self) -> &Client {
        self
    }

    /// Sends a request built by generated code and decodes the payload into `T`.
    ///
    /// In order:
    /// 1. A request with `problems` fails with [`Error::Validation`]; nothing is sent.
    /// 2. The call runs the one request pipeline (`pipeline`): when an auth header needs the
    ///    bearer token, a cached one is used, or one is fetched first (one fetch shared by all
    ///    concurrent calls, through the same pipeline).
    /// 3. Each attempt gets the per-attempt timeout. A transient failure is resent only when
    ///    resending cannot make EnKash act twice, by the one rule written down in
    ///    [`RetryPolicy`'s docs](crate::RetryPolicy#which-failures-are-retried). Resends reuse the same
    ///    body bytes. When a resent write still fails, the error says an earlier attempt may
    ///    have succeeded.
    /// 4. When EnKash says the token is invalid (HTTP 401, or an invalid-token code such as 117)
    ///    the token is dropped, a new one fetched, and the call resent once (safe: EnKash refused
    ///    it). A second refusal is returned as the error it is.
    /// 5. The body is decoded per the operation's envelope; see [`Error`] for the failures.
    pub(crate) async fn execute<T: DeserializeOwned + Send>(
        &self,
        request: Request<'_>,
    ) -> Result<T, Error> {
        let op = request.op;
        // `attempts` and `status` are recorded once, when the call ends; each attempt also
        // logs a DEBUG event with its number and status.
        let span = tracing::info_span!(
            "enkash.call",
            operation = op.id,
            method = op.method.as_str(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let mut stats = CallStats::default();
        let mut value = None;
        let dedup_value = request.dedup_value.clone();
        let result = match self.prepare(request) {
            Ok(call) => {
                let mut read = |answer: Answer<'_>| {
                    let read = self.read(op, &answer, dedup_value.as_deref())?;
                    if let Some(decoded) = read {
                        value = Some(decoded);
                        Ok(Read::Done)
                    } else {
                        Ok(Read::RefreshToken)
                    }
                };
                self.inner
                    .run(&call, &mut stats, &mut read)
                    .instrument(span.clone())
                    .await
            }
            Err(err) => Err(err),
        };
        span.record("attempts", stats.attempts);
        if let Some(status) = stats.status {
            span.record("status", status);
        }
        match (result, value) {
            (Ok(()), Some(value)) => Ok(value),
            (Ok(()), None) => Err(Error::config("the call ended without an answer")),
            (Err(err), _) if stats.earlier_attempt_uncertain => Err(err.after_uncertain_attempt()),
            (Err(err), _) => Err(err),
        }
    }

    /// [`execute`](Self::execute) for an operation whose answer carries no payload the caller
    /// reads: the payload, if any, is skipped.
    #[allow(
        dead_code,
        reason = "generated code calls it only when a spec has such an operation"
    )]
    pub(crate) async fn execute_unit(&self, request: Request<'_>) -> Result<(), Error> {
        self.execute::<serde::de::IgnoredAny>(request)
            .await
            .map(|_| ())
    }

    /// [`execute`](Self::execute) with `body` as the JSON request body. The body is serialized
    /// here, inside the call's future, so that a crate using a few operations compiles the
    /// serialization of only those operations' bodies.
    pub(crate) async fn execute_json<T: DeserializeOwned + Send, B: Serialize + Sync + ?Sized>(
        &self,
        request: Request<'_>,
        body: &B,
    ) -> Result<T, Error> {
        self.execute(request.json(body)).await
    }

    /// [`execute`](Self::execute) with `body` as the form-encoded request body.
    #[allow(
        dead_code,
        reason = "generated code calls it only when a spec has such an operation"
    )]
    pub(crate) async fn execute_form<T: DeserializeOwned + Send, B: Serialize + Sync + ?Sized>(
        &self,
        request: Request<'_>,
        body: &B,
    ) -> Result<T, Error> {
        self.execute(request.form(body)).await
    }

    /// [`execute_unit`](Self::execute_unit) with `body` as the JSON request body.
    #[allow(
        dead_code,
        reason = "generated code calls it only when a spec has such an operation"
    )]
    pub(crate) async fn execute_json_unit<B: Serialize + Sync + ?Sized>(
        &self,
        request: Request<'_>,
        body: &B,
    ) -> Result<(), Error> {
        self.execute_unit(request.json(body)).await
    }

    /// The read phase of a call: the payload decoded into `T`, or `None` when EnKash said the
    /// token is invalid and the call may still refresh it.
    fn read<T: DeserializeOwned>(
        &self,
        op: &'static OperationInfo,
        answer: &Answer<'_>,
        dedup_value: Option<&str>,
    ) -> Result<Option<T>, Error> {
        let inner = &*self.inner;
        let config = &inner.config;
        let response = answer.response;
        let redactor = Redactor::new(
            config
                .credentials
                .secrets()
                .map(Some)
                .chain([answer.token.map(|t| t.expose_secret())]),
        );
        // The cipher phase: an encrypted answer is read once decrypted.
        let body = match op.cipher {
            Some(cipher) => {
                super::cipher_phase::open(cipher, config, &response.body).map_err(|fault| {
                    Error::Cipher {
                        operation: op.id,
                        status: response.status,
                        fault,
                    }
                })?
            }
            None => std::borrow::Cow::Borrowed(response.body.as_ref()),
        };
        if let Some(check) = op.duplicate {
            let (code, message) = op.envelope.failure(&body);
            let refused = check.rule.statuses.contains(&response.status)
                || code.is_some_and(|code| check.rule.codes.contains(&code));
            if refused {
                return Err(Error::DuplicateId {
                    operation: op.id,
                    key: check.key,
                    value: dedup_value.unwrap_or_default().to_owned(),
                    status: response.status,
                    code,
                    message: message
                        .map(|m| redactor.redact(&m).into_owned())
                        .unwrap_or_default(),
                    earlier_attempt_may_have_succeeded: false,
                });
            }
        }
        let context = DecodeContext {
            operation: op.id,
            envelope: op.envelope,
            invalid_token_codes: inner.api.invalid_token_codes,
            detect_invalid_token: answer.may_refresh,
            redactor: &redactor,
            // Calling the token operation directly answers a token, and a decrypted body holds
            // what the cipher protects: keep no body in errors.
            hide_body: std::ptr::eq(op, inner.api.token.operation) || op.cipher.is_some(),
            retry_after: response.retry_after,
        };
        // The common case in one pass; anything else is read again, step by step.
        if let Some(value) = context.decode_success(response.status, &body) {
            if let Some(recorder) = &inner.drift {
                recorder.observe::<T>(
                    inner.api.product,
                    op.id,
                    &context.interpret(response.status, &body),
                );
            }
            return Ok(Some(value));
        }
        let interpretation = context.interpret(response.status, &body);
        if let Some(recorder) = &inner.drift {
            recorder.observe::<T>(inner.api.product, op.id, &interpretation);
        }
        match interpretation {
            Interpretation::Payload { json, prefix } => context
                .decode_payload(response.status, &json, prefix, &body)
                .map(Some),
            Interpretation::InvalidToken => Ok(None),
            Interpretation::Failed(err) => Err(err),
        }
    }

    /// The prepare step, before the first attempt: problems become [`Error::Validation`], a
    /// missing access key [`Error::Config`]; the URL, the non-auth headers and the body (with
    /// its credential fields) are built once for every attempt.
    fn prepare(&self, request: Request<'_>) -> Result<Call, Error> {
        let op = request.op;
        let config = &self.inner.config;
        if !request.problems.is_empty() {
            return Err(Error::Validation {
                operation: op.id,
                problems: request.problems,
            });
        }
        let (url, headers) = self.url_and_headers(&request)?;
        for credential in [
            Credential::AccessKey,
            Credential::SecretKey,
            Credential::ClientId,
            Credential::ClientSecret,
            Credential::Username,
            Credential::Password,
        ] {
            if op.needs(credential) {
                config.credentials.require(credential)?;
            }
        }
        let resend_safe = retry::resend_is_safe(&request);
        let body = with_body_credentials(op.body_credentials, request.body, config)?
            .map(|body| op.envelope.write_request(body));
        let body = match (body, op.cipher) {
            (Some(body), Some(cipher)) => Some(super::cipher_phase::seal(cipher, config, body)?),
            (body, _) => body,
        };
        Ok(Call {
            op,
            url,
            headers,
            body: body.map(bytes::Bytes::from),
            resend_safe,
            timeout: request.options.timeout.unwrap_or(config.timeout),
            max_retries: request
                .options
                .max_retries
                .unwrap_or(config.retry.max_retries),
        })
    }

    /// The URL and the non-auth headers of a request; problems become [`Error::Validation`].
    fn url_and_headers(&self, request: &Request<'_>) -> Result<(reqwest::Url, HeaderMap), Error> {
        let op = request.op;
        let config = &self.inner.config;
        let mut problems = Vec::new();
        let mut url = match config.url(&request.path) {
            Ok(url) => Some(url),
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        if let Some(url) = url.as_mut()
            && !request.query.is_empty()
        {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = base_headers(config, op, request.body.is_some());
        for (name, value) in &request.headers {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                (Err(_), _) => problems.push(format!("`{name}` is not a valid header name")),
                (_, Err(_)) => problems.push(format!(
                    "header `{name}` has characters that cannot be sent in an HTTP header"
                )),
            }
        }
        match url {
            Some(url) if problems.is_empty() => Ok((url, headers)),
            _ => Err(Error::Validation {
                operation: op.id,
                problems,
            }),
        }
    }
}

/// The headers every request of `op` carries: `User-Agent`, `Accept` for JSON answers, and
/// `Content-Type` when it has a body (JSON, also when encrypted, or a form).
pub(crate) fn base_headers(config: &Config, op: &OperationInfo, has_body: bool) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(USER_AGENT, config.user_agent.clone());
    if op.envelope.is_json() {
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    }
    if has_body {
        let content_type = match op.body {
            BodyEncoding::Form if op.cipher.is_none() => "application/x-www-form-urlencoded",
            BodyEncoding::Json | BodyEncoding::Form => "application/json",
        };
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers
}

/// The body with the fields the client fills (`credentials`) added at the front of the JSON
/// object; the body itself when there are none. Such a body holds a secret: it is only sent, never
/// kept in an error or a log.
fn with_body_credentials(
    credentials: &[(&'static str, Credential)],
    body: Option<Vec<u8>>,
    config: &Config,
) -> Result<Option<Vec<u8>>, Error> {
    let Some(body) = body else {
        return Ok(None);
    };
    if credentials.is_empty() {
        return Ok(Some(body));
    }
    let Some(rest) = body.strip_prefix(b"{") else {
        return Err(Error::config(
            "this operation's body carries a credential, so it must be a JSON object",
        ));
    };
    let mut out = Vec::with_capacity(body.len() + 64);
    out.push(b'{');
    for (name, credential) in credentials {
        let value = match credential {
            Credential::Token => None,
            other => config.credentials.get(*other),
        }
        .ok_or_else(|| {
            Error::config(format!(
                "this operation sends {} in its body, but it was not configured: call \
                 `.credentials(..)` on the client builder",
                credential.describe()
            ))
        })?;
        let write = |out: &mut Vec<u8>, text: &str| {
            serde_json::to_writer(out, text)
                .map_err(|err| Error::config(format!("cannot write `{name}`: {err}")))
        };
        write(&mut out, name)?;
        out.push(b':');
        write(&mut out, value.expose_secret())?;
        out.push(b',');
    }
    if rest.trim_ascii_start().starts_with(b"}") {
        out.pop();
    }
    out.extend_from_slice(rest);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::RequestOptions;

    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn client_is_cheap_to_share() {
        assert_send_sync::<Client>();
    }

    static TEXT: crate::runtime::Envelope = crate::runtime::Envelope::Text;
    static WITH_HEADERS: OperationInfo = OperationInfo {
        id: "with_headers",
        method: crate::runtime::Method::Get,
        path: "/x",
        envelope: &TEXT,
        auth: &[],
        resend: crate::runtime::Resend::Always,
        body_credentials: &[],
        body: BodyEncoding::Json,
        cipher: None,
        duplicate: None,
    };

    /// No operation of the EnKash spec has a header parameter, so this is checked here: a
    /// header parameter that cannot be sent is a validation error naming it, before any I/O.
    #[test]
    fn header_parameters_are_sent_or_refused_before_sending() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let options = RequestOptions::default();
        let request = Request::new(&WITH_HEADERS, &options)
            .header("X-Request-Id", "R-1")
            .header_opt("X-Absent", None::<&String>);
        let call = client.prepare(request).unwrap();
        assert_eq!(call.headers["x-request-id"], "R-1");
        assert!(!call.headers.contains_key("x-absent"));
        for (name, value, problem) in [
            (
                "X-Request-Id",
                "a\nb",
                "header `X-Request-Id` has characters",
            ),
            ("Bad Name", "v", "`Bad Name` is not a valid header name"),
        ] {
            let request = Request::new(&WITH_HEADERS, &options).header(name, value);
            match client.prepare(request) {
                Err(Error::Validation { problems, .. }) => {
                    assert!(problems[0].starts_with(problem), "{problems:?}");
                }
                other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
            }
        }
    }
}
