//! The seam between generated operations and the hand-written runtime.
//!
//! Generated code describes each operation with a `static` [`OperationInfo`] and builds a
//! [`Request`] from the caller's arguments; [`crate::Client::execute`] sends it. Nothing in this
//! file performs I/O.

use std::time::Duration;

use serde::Serialize;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
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
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// How a response body wraps the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// `{code, message, payload}` under the given names; success when the code is listed.
    Wrapped {
        /// Wire name of the integer result code.
        code_field: &'static str,
        /// Wire name of the message.
        message_field: &'static str,
        /// Wire name of the payload.
        payload_field: &'static str,
        /// Codes meaning success.
        success_codes: &'static [i64],
    },
    /// The JSON body is the payload.
    Bare,
    /// The body is plain text.
    Text,
}

/// A credential an auth header carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credential {
    /// The bearer token from the token operation.
    Token,
    /// The merchant access key.
    AccessKey,
}

/// One authentication header: `name: prefix + credential`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthHeader {
    /// Header name.
    pub name: &'static str,
    /// Literal text before the credential (`"Bearer "`).
    pub prefix: &'static str,
    /// The credential that follows.
    pub credential: Credential,
}

/// Static facts about one operation, generated from the spec.
#[derive(Debug)]
pub struct OperationInfo {
    /// Spec id (`create_order`), used in traces and errors.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template (`/api/v0/orders/{orderId}`).
    pub path: &'static str,
    /// How the response wraps the payload.
    pub envelope: Envelope,
    /// Authentication headers; empty for unauthenticated operations.
    pub auth: &'static [AuthHeader],
    /// Request-body field the server deduplicates on; a resend with the same value is safe.
    pub dedup_key: Option<&'static str>,
    /// Top-level request-body fields the client fills with one of its credentials when it
    /// sends (`("merchantIdentifierKey", Credential::AccessKey)`); the caller never sets them.
    pub body_credentials: &'static [(&'static str, Credential)],
    /// Repeating the call cannot make EnKash act twice (the token request, searches sent as
    /// `POST`): it is resent like a `GET`. The spec never sets it on a `GET` or with a dedup key.
    pub idempotent: bool,
    /// EnKash marks the doc page "Developing".
    pub developing: bool,
}

/// How the runtime obtains a bearer token, generated from the spec's `auth.token`.
#[derive(Debug)]
pub struct TokenExchange {
    /// The token operation.
    pub operation: &'static OperationInfo,
    /// Request field carrying the access key.
    pub access_key_field: &'static str,
    /// Request field carrying the secret key.
    pub secret_key_field: &'static str,
    /// Response field carrying the token.
    pub token_field: &'static str,
    /// Response field carrying the expiry in epoch milliseconds.
    pub expiry_field: &'static str,
}

/// API-wide facts the client needs, generated from the spec.
#[derive(Debug)]
pub struct ApiInfo {
    /// How to fetch the bearer token.
    pub token: TokenExchange,
    /// Envelope codes that mean "token invalid": refresh once and retry once.
    pub invalid_token_codes: &'static [i64],
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
pub struct Request<'a> {
    /// The operation.
    pub op: &'static OperationInfo,
    /// Path with parameters substituted and percent-encoded.
    pub path: String,
    /// Query parameters in order.
    pub query: Vec<(&'static str, String)>,
    /// Header parameters (not auth headers, which the runtime adds).
    pub headers: Vec<(&'static str, String)>,
    /// Serialized JSON body.
    pub body: Option<Vec<u8>>,
    /// Value of the `dedup_key` field in the body, when the operation has one.
    pub dedup_value: Option<String>,
    /// Per-call overrides.
    pub options: &'a RequestOptions,
    /// Problems found while building; the request is not sent when this is non-empty.
    pub problems: Vec<String>,
}

impl<'a> Request<'a> {
    /// Starts a request for `op` with the caller's options.
    pub fn new(op: &'static OperationInfo, options: &'a RequestOptions) -> Self {
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
    pub fn path_param(mut self, name: &'static str, value: &str) -> Self {
        if let Some(problem) = path_param_problem(name, value) {
            self.problems.push(problem);
        }
        let placeholder = format!("{{{name}}}");
        self.path = self.path.replace(&placeholder, &encode_path_segment(value));
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a query parameter when it is set.
    pub fn query_opt<T: std::fmt::Display>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.query(name, value.to_string()),
            None => self,
        }
    }

    /// Adds a header parameter when it is set.
    pub fn header_opt<T: std::fmt::Display>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.header(name, value.to_string()),
            None => self,
        }
    }

    /// Adds a header parameter.
    pub fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Adds problems found by the body's generated `validate()`; the request is then not sent.
    pub fn problems(mut self, problems: Vec<String>) -> Self {
        self.problems.extend(problems);
        self
    }

    /// Serializes `body` as the JSON request body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                if let Some(key) = self.op.dedup_key {
                    self.dedup_value = dedup_value(&bytes, key);
                }
                self.body = Some(bytes);
            }
            Err(err) => self
                .problems
                .push(format!("request body cannot be serialized: {err}")),
        }
        self
    }
}

/// Why `value` cannot be the path parameter `name`, if it cannot.
fn path_param_problem(name: &str, value: &str) -> Option<String> {
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

/// Reads the top-level `key` of a serialized JSON object as text.
fn dedup_value(body: &[u8], key: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value can never add a
/// path segment, a query or a fragment.
pub fn encode_path_segment(value: &str) -> String {
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
        envelope: Envelope::Bare,
        auth: &[],
        dedup_key: Some("requestId"),
        body_credentials: &[],
        idempotent: false,
        developing: false,
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
        let request = Request::new(&OP, &options).json(&body);
        assert_eq!(request.dedup_value.as_deref(), Some("R-1"));
    }
}
