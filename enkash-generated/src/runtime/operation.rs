//! The seam between generated operations and the hand-written runtime, private to the crate.
//!
//! Generated code describes each operation with a `static` [`OperationInfo`] and builds a
//! [`Request`] from the caller's arguments; `Client::execute` sends it. Nothing in this file
//! performs I/O. None of it is public: the generated code lives in the same crate, so the seam
//! can change without a semver break.

use std::time::Duration;

use serde::Serialize;

use super::envelope::Envelope;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Upper-case method name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The same method for reqwest.
    pub(crate) fn to_http(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A credential an auth header, a body field, a token request or a body cipher uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub(crate) enum Credential {
    /// The bearer token from the token operation.
    Token,
    /// An access key.
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

impl Credential {
    /// What the credential is, for error messages (`the client secret`).
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Credential::Token => "the bearer token",
            Credential::AccessKey => "the access key",
            Credential::SecretKey => "the secret key",
            Credential::ClientId => "the client id",
            Credential::ClientSecret => "the client secret",
            Credential::Username => "the username",
            Credential::Password => "the password",
        }
    }
}

/// What follows an auth header's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthValue {
    /// One credential as it is.
    Plain(Credential),
    /// HTTP Basic: Base64 of `user:password` (the prefix is `"Basic "`).
    Basic(Credential, Credential),
}

/// One authentication header: `name: prefix + value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AuthHeader {
    /// Header name.
    pub(crate) name: &'static str,
    /// Literal text before the credential (`"Bearer "`).
    pub(crate) prefix: &'static str,
    /// The credential(s) that follow.
    pub(crate) value: AuthValue,
}

impl AuthHeader {
    /// Whether the header carries `credential`.
    pub(crate) fn uses(&self, credential: Credential) -> bool {
        match self.value {
            AuthValue::Plain(c) => c == credential,
            AuthValue::Basic(user, password) => user == credential || password == credential,
        }
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// A body cipher of an operation's envelope: request and response bodies travel encrypted, as
/// Base64 text in a one-member JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CipherSpec {
    /// The member of the wrapper object (`request`).
    pub(crate) field: &'static str,
    /// The credential the key is derived from.
    pub(crate) key: Credential,
}

/// How the API refuses a reused dedup id (the spec's `duplicate_ids`).
#[derive(Debug)]
pub(crate) struct DuplicateIds {
    /// HTTP statuses meaning "this id already exists".
    pub(crate) statuses: &'static [u16],
    /// Envelope codes meaning the same.
    pub(crate) codes: &'static [i64],
}

/// The duplicate-id check of an operation with a dedup key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DuplicateCheck {
    /// Wire name of the dedup key (`transactionId`).
    pub(crate) key: &'static str,
    /// How a reused value is refused.
    pub(crate) rule: &'static DuplicateIds,
}

/// Static facts about one operation, generated from the spec.
#[derive(Debug)]
pub(crate) struct OperationInfo {
    /// Spec id (`create_order`), used in traces and errors.
    pub(crate) id: &'static str,
    /// HTTP method.
    pub(crate) method: Method,
    /// Path template (`/api/v0/orders/{orderId}`).
    pub(crate) path: &'static str,
    /// How the response wraps the payload.
    pub(crate) envelope: &'static Envelope,
    /// Authentication headers; empty for unauthenticated operations.
    pub(crate) auth: &'static [AuthHeader],
    /// When a request may be resent after it may have reached EnKash, decided by the generator
    /// from the spec (the same decision writes the retry sentence of the method's docs).
    pub(crate) resend: Resend,
    /// Top-level request-body fields the client fills with one of its credentials when it
    /// sends (`("merchantIdentifierKey", Credential::AccessKey)`); the caller never sets them.
    pub(crate) body_credentials: &'static [(&'static str, Credential)],
    /// How the request body is encoded.
    pub(crate) body: BodyEncoding,
    /// The cipher request and response bodies travel under, if any.
    pub(crate) cipher: Option<CipherSpec>,
    /// How a reused dedup id is refused, for an operation with a dedup key.
    pub(crate) duplicate: Option<DuplicateCheck>,
}

/// When a request that may have reached EnKash may be sent again (a request that never left
/// this machine always may). The prose is in `RetryPolicy`'s docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Repeating the call cannot make EnKash act twice: a `GET`, or an operation the spec marks
    /// `idempotent` (the token request, searches sent as `POST`).
    Always,
    /// A write EnKash deduplicates on a body field (the spec's `dedup_key`): safe when the
    /// request carries a non-empty value for it ([`Request::dedup`]).
    WithDedupValue,
    /// Any other write: never resent once it may have arrived.
    Never,
}

impl OperationInfo {
    /// Whether an auth header or a body field of the operation needs `credential`.
    pub(crate) fn needs(&self, credential: Credential) -> bool {
        self.auth.iter().any(|h| h.uses(credential))
            || self.body_credentials.iter().any(|(_, c)| *c == credential)
            || self.cipher.is_some_and(|cipher| cipher.key == credential)
    }
}

/// What fills one field of the token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenField {
    /// One of the client's credentials.
    Credential(Credential),
    /// A fixed value (`grant_type=password`).
    Fixed(&'static str),
}

/// How the runtime obtains a bearer token: the token operation, the fields of its request
/// (written as JSON or as a form, per the operation) and the generated function that reads its
/// answer with the spec's types.
#[derive(Debug)]
pub(crate) struct TokenExchange {
    /// The token operation.
    pub(crate) operation: &'static OperationInfo,
    /// The request's fields, in order.
    pub(crate) fields: &'static [(&'static str, TokenField)],
    /// Reads the token and its expiry from the answer's payload (JSON text); on failure the
    /// JSON path and the decoder's message.
    pub(crate) response: fn(&str) -> Result<super::token::IssuedToken, (String, String)>,
}

/// API-wide facts the client needs, generated from the spec.
#[derive(Debug)]
pub(crate) struct ApiInfo {
    /// The product's name in the spec tree (`payouts`); `None` for the root spec. Drift reports
    /// name a product's operations and webhooks `<product>.<id>`.
    pub(crate) product: Option<&'static str>,
    /// How to fetch the bearer token.
    pub(crate) token: TokenExchange,
    /// Envelope codes that mean "token invalid": refresh once and retry once.
    pub(crate) invalid_token_codes: &'static [i64],
    /// The credentials the client builder takes, in order.
    pub(crate) credentials: &'static [Credential],
}

/// Per-call overrides of the client's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Total time allowed for one attempt, replacing the client's timeout.
    pub timeout: Option<Duration>,
    /// Most retries after the first attempt, replacing the client's retry policy's.
    pub max_retries: Option<u32>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the number of retries (0 disables retries for this call).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }
}

/// A request built by generated code from the caller's arguments, ready for the runtime to send.
///
/// Building never fails: problems (an empty path parameter, a body that cannot be serialized) are
/// collected and reported by `Client::execute` as an error before anything is sent.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    /// The operation.
    pub(crate) op: &'static OperationInfo,
    /// Path with parameters substituted and percent-encoded.
    pub(crate) path: String,
    /// Query parameters in order.
    pub(crate) query: Vec<(&'static str, String)>,
    /// Header parameters (not auth headers, which the runtime adds).
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Serialized JSON body.
    pub(crate) body: Option<Vec<u8>>,
    /// Value of the operation's dedup key in this request's body, read from the typed request
    /// by generated code.
    pub(crate) dedup_value: Option<String>,
    /// Per-call overrides.
    pub(crate) options: &'a RequestOptions,
    /// Problems found while building; the request is not sent when this is non-empty.
    pub(crate) problems: Vec<String>,
}

impl<'a> Request<'a> {
    /// Starts a request for `op` with the caller's options.
    pub(crate) fn new(op: &'static OperationInfo, options: &'a RequestOptions) -> Self {
        Request {
            op,
            path: op.path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            dedup_value: None,
            options,
            problems: Vec::new(),
        }
    }

    /// Substitutes `{name}` in the path with the percent-encoded `value`.
    ///
    /// A value that cannot stay inside its path segment is a problem (so `Client::execute`
    /// returns [`Error::Validation`](crate::Error::Validation) and sends nothing, not even a
    /// token request): the empty string, `.` and `..` (URL parsers remove such dot segments, so
    /// `orders().get("..")` would call another endpoint; percent-encoding cannot prevent it, as
    /// `%2e` is a dot to them too), and any value containing a control character.
    pub(crate) fn path_param(mut self, name: &'static str, value: &str) -> Self {
        if let Some(problem) = path_param_problem(name, value) {
            self.problems.push(problem);
        }
        let placeholder = format!("{{{name}}}");
        self.path = self.path.replace(&placeholder, &encode_path_segment(value));
        self
    }

    /// Adds a query parameter.
    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a query parameter when it is set.
    pub(crate) fn query_opt<T: std::fmt::Display>(
        self,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        match value {
            Some(value) => self.query(name, value.to_string()),
            None => self,
        }
    }

    /// Adds a header parameter when it is set.
    pub(crate) fn header_opt<T: std::fmt::Display>(
        self,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        match value {
            Some(value) => self.header(name, value.to_string()),
            None => self,
        }
    }

    /// Adds a header parameter.
    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Adds problems found by the body's generated `validate()`; the request is then not sent.
    pub(crate) fn problems(mut self, problems: Vec<String>) -> Self {
        self.problems.extend(problems);
        self
    }

    /// Serializes `body` as the form-encoded request body.
    pub(crate) fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(text) => self.body = Some(text.into_bytes()),
            Err(err) => self
                .problems
                .push(format!("request body cannot be form-encoded: {err}")),
        }
        self
    }

    /// Serializes `body` as the JSON request body.
    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(err) => self
                .problems
                .push(format!("request body cannot be serialized: {err}")),
        }
        self
    }

    /// Records the value of the operation's dedup key in this request's body (generated code
    /// reads it from the typed request, which the body is serialized from).
    pub(crate) fn dedup(mut self, value: &impl std::fmt::Display) -> Self {
        self.dedup_value = Some(value.to_string());
        self
    }
}

/// Why `value` cannot be the path parameter `name`, if it cannot.
pub(crate) fn path_param_problem(name: &str, value: &str) -> Option<String> {
    let why = match value {
        "" => "is empty",
        "." | ".." => {
            "is `.` or `..`, which would leave its path segment and call another endpoint"
        }
        _ if value.chars().any(char::is_control) => "contains a control character",
        _ => return None,
    };
    Some(format!("path parameter `{name}` {why}"))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value can never add a
/// path segment, a query or a fragment.
pub(crate) fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: OperationInfo = OperationInfo {
        id: "refund",
        method: Method::Post,
        path: "/api/v0/payment/{transactionId}/refund",
        envelope: &Envelope::BARE,
        auth: &[],
        resend: Resend::WithDedupValue,
        body_credentials: &[],
        body: BodyEncoding::Json,
        cipher: None,
        duplicate: None,
    };

    #[test]
    fn substitutes_and_encodes_path_params() {
        let options = RequestOptions::default();
        let request = Request::new(&OP, &options).path_param("transactionId", "EK1/../x y");
        assert_eq!(request.path, "/api/v0/payment/EK1%2F..%2Fx%20y/refund");
        assert!(request.problems.is_empty());
    }

    #[test]
    fn empty_path_param_is_a_problem_not_a_different_url() {
        let options = RequestOptions::default();
        let request = Request::new(&OP, &options).path_param("transactionId", "");
        assert_eq!(
            request.problems,
            ["path parameter `transactionId` is empty"]
        );
    }

    #[test]
    fn dot_segments_are_problems_not_other_endpoints() {
        let options = RequestOptions::default();
        for value in [".", ".."] {
            let request = Request::new(&OP, &options).path_param("transactionId", value);
            assert_eq!(request.problems.len(), 1, "{value:?}");
            assert!(
                request.problems[0].starts_with("path parameter `transactionId` is `.` or `..`"),
                "{:?}",
                request.problems
            );
        }
    }

    #[test]
    fn control_characters_are_problems() {
        let options = RequestOptions::default();
        for value in ["a\nb", "\r", "x\u{0}", "tab\there", "\u{7f}", "\u{85}"] {
            let request = Request::new(&OP, &options).path_param("transactionId", value);
            assert_eq!(
                request.problems,
                ["path parameter `transactionId` contains a control character"],
                "{value:?}"
            );
        }
    }

    #[test]
    fn dots_inside_a_value_are_fine() {
        let options = RequestOptions::default();
        for value in ["...", ".a", "a..", "EK.1", " .."] {
            let request = Request::new(&OP, &options).path_param("transactionId", value);
            assert!(request.problems.is_empty(), "{value:?}");
        }
    }

    #[test]
    fn remembers_the_dedup_key_value() {
        let options = RequestOptions::default();
        let body = serde_json::json!({"requestId": "R-1", "amount": 10});
        let request = Request::new(&OP, &options).json(&body).dedup(&"R-1");
        assert_eq!(request.dedup_value.as_deref(), Some("R-1"));
        // The body is not read for it: without `dedup`, there is no value.
        let request = Request::new(&OP, &options).json(&body);
        assert_eq!(request.dedup_value, None);
    }
}
