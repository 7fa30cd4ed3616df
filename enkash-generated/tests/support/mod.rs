//! Shared pieces of the runtime tests: test-local operation descriptions, a scriptable HTTP
//! server on 127.0.0.1:0, hit counters and a log capture. Nothing here touches the internet.

#![allow(dead_code)] // Each test file uses a different subset.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use enkash_generated::runtime::{
    ApiInfo, AuthHeader, Credential, Envelope, Method as OpMethod, OperationInfo, TokenExchange,
};
use enkash_generated::{Client, ClientBuilder, RetryPolicy};

// ---------------------------------------------------------------------------------------------
// Secrets: distinctive strings, so that a leak anywhere is easy to find.

pub const ACCESS_KEY: &str = "AK-acc3ss-k3y-7f3c9a1e5b";
pub const SECRET_KEY: &str = "SK-s3cr3t-k3y-d41d8cd98f";

/// The value of the `n`th token the mock server issues (1-based).
pub fn token_value(n: usize) -> String {
    format!("TKN-b3ar3r-{n:03}-9b2e7c41aa")
}

pub fn secrets_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for secret in [ACCESS_KEY, SECRET_KEY, "TKN-b3ar3r", "s3cr3t", "acc3ss-k3y"] {
        if text.contains(secret) {
            found.push(secret.to_owned());
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Test-local operation descriptions, shaped like the generated ones.

pub const STANDARD: Envelope = Envelope::Wrapped {
    code_field: "response_code",
    message_field: "response_message",
    payload_field: "payload",
    success_codes: &[0],
};

pub const MERCHANT_AUTH: &[AuthHeader] = &[
    AuthHeader {
        name: "Authorization",
        prefix: "Bearer ",
        credential: Credential::Token,
    },
    AuthHeader {
        name: "merchantAccessKey",
        prefix: "",
        credential: Credential::AccessKey,
    },
];

pub const TOKEN_PATH: &str = "/api/v0/merchant/token";

pub static TOKEN_OP: OperationInfo = OperationInfo {
    id: "get_authorization_token",
    method: OpMethod::Post,
    path: TOKEN_PATH,
    envelope: Envelope::Bare,
    auth: &[],
    dedup_key: None,
    body_credentials: &[],
    idempotent: true,
    developing: false,
};

pub static API: ApiInfo = ApiInfo {
    token: TokenExchange {
        operation: &TOKEN_OP,
        access_key_field: "accessKey",
        secret_key_field: "secretKey",
        token_field: "token",
        expiry_field: "expiry",
    },
    invalid_token_codes: &[117],
};

/// `GET`, authenticated, standard envelope.
pub static GET_ORDER: OperationInfo = OperationInfo {
    id: "get_order",
    method: OpMethod::Get,
    path: "/api/v0/orders/{orderId}",
    envelope: STANDARD,
    auth: MERCHANT_AUTH,
    dedup_key: None,
    body_credentials: &[],
    idempotent: false,
    developing: false,
};

/// `POST` that EnKash deduplicates on `orderId`.
pub static CREATE_ORDER: OperationInfo = OperationInfo {
    id: "create_order",
    method: OpMethod::Post,
    path: "/api/v0/orders",
    envelope: STANDARD,
    auth: MERCHANT_AUTH,
    dedup_key: Some("orderId"),
    body_credentials: &[],
    idempotent: false,
    developing: false,
};

/// `POST` without a dedup key: never resent once it may have arrived.
pub static SUBMIT_PAYMENT: OperationInfo = OperationInfo {
    id: "submit_payment",
    method: OpMethod::Post,
    path: "/api/v0/payment/submit",
    envelope: STANDARD,
    auth: MERCHANT_AUTH,
    dedup_key: None,
    body_credentials: &[],
    idempotent: false,
    developing: false,
};

/// `GET` without authentication.
pub static UPI_STATUS: OperationInfo = OperationInfo {
    id: "get_upi_status",
    method: OpMethod::Get,
    path: "/pay/checkout/status/upi/{transactionId}",
    envelope: STANDARD,
    auth: &[],
    dedup_key: None,
    body_credentials: &[],
    idempotent: false,
    developing: false,
};

/// `GET` whose body is the payload.
pub static BARE_GET: OperationInfo = OperationInfo {
    id: "bare_get",
    method: OpMethod::Get,
    path: "/pay/bare",
    envelope: Envelope::Bare,
    auth: &[],
    dedup_key: None,
    body_credentials: &[],
    idempotent: false,
    developing: false,
};

/// `GET` answering plain text.
pub static TEXT_GET: OperationInfo = OperationInfo {
    id: "text_get",
    method: OpMethod::Get,
    path: "/pay/text",
    envelope: Envelope::Text,
    auth: &[],
    dedup_key: None,
    body_credentials: &[],
    idempotent: false,
    developing: false,
};

// ---------------------------------------------------------------------------------------------
// Replies.

/// What the mock server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// `{"response_code": code, "response_message": message, "payload": payload}` with HTTP 200.
    pub fn envelope(code: i64, message: &str, payload: serde_json::Value) -> Self {
        let body = serde_json::json!({
            "response_code": code,
            "response_message": message,
            "payload": payload,
        });
        Reply::raw(200, body.to_string()).header("content-type", "application/json")
    }

    /// A standard success envelope around `payload`.
    pub fn ok(payload: serde_json::Value) -> Self {
        Reply::envelope(0, "Success", payload)
    }

    /// EnKash's invalid-token answer, as seen in the wild.
    pub fn invalid_token() -> Self {
        Reply::envelope(117, "Failure", serde_json::json!("Token is invalid."))
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The `n`th token (1-based), valid for `lifetime`.
pub fn token_reply(n: usize, lifetime: Duration) -> Reply {
    let body = serde_json::json!({
        "token": token_value(n),
        "expiry": now_ms() + lifetime.as_millis() as i64,
        "resultCode": 0,
        "resultMessage": "Token generated successfully.",
    });
    Reply::raw(200, body.to_string()).header("content-type", "application/json")
}

// ---------------------------------------------------------------------------------------------
// The mock server.

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Hit {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Answers the `n`th request (0-based) of its kind.
pub type Handler = Arc<dyn Fn(&Hit, usize) -> Reply + Send + Sync>;

pub fn handler(f: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> Handler {
    Arc::new(f)
}

struct ServerState {
    token: Handler,
    api: Handler,
    token_hits: AtomicUsize,
    api_hits: AtomicUsize,
    token_log: Mutex<Vec<Hit>>,
    api_log: Mutex<Vec<Hit>>,
}

/// A scriptable EnKash stand-in on 127.0.0.1. Token requests (`POST /api/v0/merchant/token`)
/// go to one handler, everything else to another; each kind is counted.
pub struct MockServer {
    pub base_url: String,
    state: Arc<ServerState>,
}

impl MockServer {
    /// A server whose token endpoint issues `token_value(1)`, `token_value(2)`, ... valid for an
    /// hour, and whose other requests go to `api`.
    pub async fn start(api: Handler) -> Self {
        Self::with_token(
            handler(|_, n| token_reply(n + 1, Duration::from_secs(3600))),
            api,
        )
        .await
    }

    pub async fn with_token(token: Handler, api: Handler) -> Self {
        let state = Arc::new(ServerState {
            token,
            api,
            token_hits: AtomicUsize::new(0),
            api_hits: AtomicUsize::new(0),
            token_log: Mutex::new(Vec::new()),
            api_log: Mutex::new(Vec::new()),
        });
        let app = Router::new().fallback(serve).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MockServer {
            base_url: format!("http://{addr}"),
            state,
        }
    }

    pub fn token_hits(&self) -> usize {
        self.state.token_hits.load(Ordering::SeqCst)
    }

    pub fn api_hits(&self) -> usize {
        self.state.api_hits.load(Ordering::SeqCst)
    }

    pub fn api_requests(&self) -> Vec<Hit> {
        self.state.api_log.lock().unwrap().clone()
    }

    pub fn token_requests(&self) -> Vec<Hit> {
        self.state.token_log.lock().unwrap().clone()
    }

    /// A client with tiny timeouts and backoffs, for this server.
    pub fn client(&self) -> Client {
        self.builder().build().expect("client builds")
    }

    pub fn builder(&self) -> ClientBuilder {
        fast_builder(&self.base_url)
    }
}

/// A builder with credentials, a 2 s timeout and millisecond backoffs.
pub fn fast_builder(base_url: &str) -> ClientBuilder {
    ClientBuilder::new(&API)
        .base_url(base_url)
        .credentials(ACCESS_KEY, SECRET_KEY)
        .timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_secs(1))
        .retry_policy(
            RetryPolicy::new()
                .max_retries(2)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(10)),
        )
}

async fn serve(
    State(state): State<Arc<ServerState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let hit = Hit {
        method,
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body,
    };
    let is_token = hit.path.ends_with(TOKEN_PATH);
    let (handler, counter, log) = if is_token {
        (&state.token, &state.token_hits, &state.token_log)
    } else {
        (&state.api, &state.api_hits, &state.api_log)
    };
    let n = counter.fetch_add(1, Ordering::SeqCst);
    log.lock().unwrap().push(hit.clone());
    let reply = handler(&hit, n);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap();
    for (name, value) in reply.headers {
        response.headers_mut().append(
            HeaderName::from_static(name),
            HeaderValue::from_str(&value).unwrap(),
        );
    }
    response.into_response()
}

// ---------------------------------------------------------------------------------------------
// Raw TCP servers for failures axum cannot produce.

/// A server that accepts connections, reads the request and closes without answering.
/// Returns its base URL and the number of connections it accepted.
pub async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = tokio::time::timeout(Duration::from_millis(200), socket.read(&mut buf)).await;
            drop(socket);
        }
    });
    (format!("http://{addr}"), accepted)
}

/// A local port with nothing listening on it (connections are refused).
pub async fn refused_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Log capture.
//
// One global subscriber (TRACE, all targets) writes each line to a buffer owned by the thread
// that emitted it, if that thread is capturing. A global subscriber rather than a thread-local
// default: tracing caches per-callsite interest, and with thread-local defaults a callsite first
// hit by a test running in parallel can stay disabled for the capturing test.

thread_local! {
    static CAPTURE: std::cell::RefCell<Option<LogBuffer>> = const { std::cell::RefCell::new(None) };
}

#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Writes to the current thread's capture buffer, or nowhere.
pub struct ThreadWriter(Option<LogBuffer>);

impl io::Write for ThreadWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(buffer) = &self.0 {
            buffer.0.lock().unwrap().extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct ThreadRouter;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for ThreadRouter {
    type Writer = ThreadWriter;

    fn make_writer(&'a self) -> Self::Writer {
        ThreadWriter(CAPTURE.with(|c| c.borrow().clone()))
    }
}

/// Stops capturing when dropped.
pub struct CaptureGuard;

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|c| *c.borrow_mut() = None);
    }
}

/// Captures every tracing line (all targets, TRACE and up, with span fields and span
/// open/close) emitted on this thread until the guard drops. Use with the current-thread test
/// runtime, so that the client's tasks run on this thread.
pub fn capture_logs() -> (CaptureGuard, LogBuffer) {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(ThreadRouter)
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
    });
    let buffer = LogBuffer::default();
    CAPTURE.with(|c| *c.borrow_mut() = Some(buffer.clone()));
    (CaptureGuard, buffer)
}

// ---------------------------------------------------------------------------------------------
// A payload type shaped like a generated one.

#[derive(Debug, serde::Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    #[serde(with = "enkash_generated::runtime::wire::decimal")]
    pub value: rust_decimal::Decimal,
    pub currency: String,
}

#[derive(Debug, serde::Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub order_id: String,
    pub amount: Amount,
}

pub fn order_json(order_id: &str) -> serde_json::Value {
    serde_json::json!({"orderId": order_id, "amount": {"value": 20.15, "currency": "INR"}})
}

/// A `get_order` request.
pub fn get_order(
    options: &enkash_generated::RequestOptions,
) -> enkash_generated::runtime::Request<'_> {
    enkash_generated::runtime::Request::new(&GET_ORDER, options).path_param("orderId", "O-1")
}
