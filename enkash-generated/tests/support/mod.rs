//! Shared pieces of the runtime tests: a scriptable HTTP server on 127.0.0.1:0 answering at the
//! real EnKash paths, hit counters, a log capture, and clients of the generated API pointed at
//! it. The tests use only the crate's public API (`Client::builder()`, `client.orders().get(..)`,
//! ...). Nothing here touches the internet.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
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
use enkash_generated::{
    Amount, Client, ClientBuilder, CreateOrderRequest, Currency, Decimal, Environment, Error,
    PaymentMode, RetryPolicy, SubmitPaymentRequest, ValidateOtpRequest,
};

/// Asserts that `err` is [`Error::Validation`] of `operation` with a problem mentioning `needle`.
pub(crate) fn assert_validation(err: &Error, operation: &str, needle: &str) {
    match err {
        Error::Validation {
            operation: op,
            problems,
            ..
        } if *op == operation => {
            assert!(problems.iter().any(|p| p.contains(needle)), "{problems:?}")
        }
        other => panic!("expected a validation error of `{operation}`, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets: distinctive strings, so that a leak anywhere is easy to find.

pub(crate) const ACCESS_KEY: &str = "AK-acc3ss-k3y-7f3c9a1e5b";
pub(crate) const SECRET_KEY: &str = "SK-s3cr3t-k3y-d41d8cd98f";

/// The value of the `n`th token the mock server issues (1-based).
pub(crate) fn token_value(n: usize) -> String {
    format!("TKN-b3ar3r-{n:03}-9b2e7c41aa")
}

pub(crate) fn secrets_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for secret in [ACCESS_KEY, SECRET_KEY, "TKN-b3ar3r", "s3cr3t", "acc3ss-k3y"] {
        if text.contains(secret) {
            found.push(secret.to_owned());
        }
    }
    found
}

/// Path of the token operation (`get_authorization_token`): the server routes it apart.
pub(crate) const TOKEN_PATH: &str = "/api/v0/merchant/token";

// ---------------------------------------------------------------------------------------------
// Requests of the generated API the tests send.
//
// The operations used, and why (see `src/generated/operations/`):
// * `orders().get(..)` (`get_order_status`): `GET`, authenticated, standard envelope.
// * `orders().create(..)` (`create_order`): `POST` deduplicated on `orderId`.
// * `payments().submit(..)` (`submit_payment`): authenticated `POST` without dedup key.
// * `payments().validate_otp(..)` (`validate_otp`): unauthenticated `POST` without dedup key.
// * `payments().get_upi_status(..)` (`get_upi_transaction_status`): unauthenticated `GET`.
// * `payments().resend_otp(..)` (`resend_otp`): unauthenticated `GET` answering plain text.
// * `authorization().get_token(..)` (`get_authorization_token`): the bare envelope.
// * `settlements().search_payouts(..)` (`search_settlement_payouts`): a `POST` the spec marks
//   idempotent, with query parameters.
// * `upi_qr().get(..)` (`get_qr_code`): authenticated `GET` whose payload is any JSON.

/// The merchant order id the create requests carry (letters and digits, as the spec requires).
pub(crate) const MERCHANT_ORDER_ID: &str = "MERCHANTORDER42";

/// A valid Create Order request for ₹20.15 with id [`MERCHANT_ORDER_ID`].
pub(crate) fn order_request() -> CreateOrderRequest {
    CreateOrderRequest::new(MERCHANT_ORDER_ID, inr(2015))
}

/// `paise` as an INR amount.
pub(crate) fn inr(paise: i64) -> Amount {
    Amount::new(Decimal::new(paise, 2), Currency::Inr)
}

/// A valid Submit Payment request (UPI) for the EnKash order `EK1`.
pub(crate) fn payment_request() -> SubmitPaymentRequest {
    SubmitPaymentRequest::new("EK1", Some(PaymentMode::Upi))
}

/// A valid Validate OTP request.
pub(crate) fn otp_request() -> ValidateOtpRequest {
    ValidateOtpRequest::new("EK1", "123456")
}

// ---------------------------------------------------------------------------------------------
// Payloads shaped like the generated response types.

/// An `OrderGetResponse` (Get Order Status) for `order_id`: ₹20.15, `CREATED`.
pub(crate) fn order_json(order_id: &str) -> serde_json::Value {
    serde_json::json!({
        "orderId": order_id,
        "amount": 20.15,
        "currency": "INR",
        "status": "CREATED",
    })
}

/// An `OrderCreateResponse` (Create Order) for `order_id`.
pub(crate) fn created_json(order_id: &str) -> serde_json::Value {
    serde_json::json!({
        "orderId": order_id,
        "redirectionUrl": format!("https://pay.example/checkout/{order_id}"),
    })
}

/// An `OtpResponse` (Validate OTP).
pub(crate) fn otp_json() -> serde_json::Value {
    serde_json::json!({
        "transactionId": "EK1",
        "amount": "20.15",
        "currency": "INR",
        "txnStatus": "SUCCESS",
    })
}

/// The successful payload of the operation `hit` called, decodable into its response type.
pub(crate) fn payload_for(hit: &Hit) -> serde_json::Value {
    let path = hit.path.as_str();
    if path.contains("/pay/checkout/status/upi/") {
        serde_json::json!({"status": "SUCCESS", "orderId": "O-1"})
    } else if path.ends_with("/pay/otp/validate") {
        otp_json()
    } else if path.ends_with("/api/v0/orders") {
        created_json("O-1")
    } else if path.ends_with("/api/v0/payment/submit") {
        serde_json::json!({"orderId": "O-1", "status": "PENDING"})
    } else if path.ends_with("/api/v0/settlement-payout/search") {
        serde_json::json!({"recordsCount": 0, "data": []})
    } else {
        order_json("O-1")
    }
}

// ---------------------------------------------------------------------------------------------
// Replies.

/// What the mock server answers.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub(crate) fn raw(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// `{"response_code": code, "response_message": message, "payload": payload}` with HTTP 200.
    pub(crate) fn envelope(code: i64, message: &str, payload: serde_json::Value) -> Self {
        let body = serde_json::json!({
            "response_code": code,
            "response_message": message,
            "payload": payload,
        });
        Reply::raw(200, body.to_string()).header("content-type", "application/json")
    }

    /// A standard success envelope around `payload`.
    pub(crate) fn ok(payload: serde_json::Value) -> Self {
        Reply::envelope(0, "Success", payload)
    }

    /// A standard success envelope around the payload of the operation `hit` called.
    pub(crate) fn success(hit: &Hit) -> Self {
        Reply::ok(payload_for(hit))
    }

    /// EnKash's invalid-token answer, as seen in the wild.
    pub(crate) fn invalid_token() -> Self {
        Reply::envelope(117, "Failure", serde_json::json!("Token is invalid."))
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The `n`th token (1-based), valid for `lifetime`.
pub(crate) fn token_reply(n: usize, lifetime: Duration) -> Reply {
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
pub(crate) struct Hit {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Hit {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Answers the `n`th request (0-based) of its kind.
pub(crate) type Handler = Arc<dyn Fn(&Hit, usize) -> Reply + Send + Sync>;

pub(crate) fn handler(f: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> Handler {
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
pub(crate) struct MockServer {
    pub base_url: String,
    state: Arc<ServerState>,
}

impl MockServer {
    /// A server whose token endpoint issues `token_value(1)`, `token_value(2)`, ... valid for an
    /// hour, and whose other requests go to `api`.
    pub(crate) async fn start(api: Handler) -> Self {
        Self::with_token(
            handler(|_, n| token_reply(n + 1, Duration::from_secs(3600))),
            api,
        )
        .await
    }

    pub(crate) async fn with_token(token: Handler, api: Handler) -> Self {
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

    pub(crate) fn token_hits(&self) -> usize {
        self.state.token_hits.load(Ordering::SeqCst)
    }

    pub(crate) fn api_hits(&self) -> usize {
        self.state.api_hits.load(Ordering::SeqCst)
    }

    pub(crate) fn api_requests(&self) -> Vec<Hit> {
        self.state.api_log.lock().unwrap().clone()
    }

    pub(crate) fn token_requests(&self) -> Vec<Hit> {
        self.state.token_log.lock().unwrap().clone()
    }

    /// A client with tiny timeouts and backoffs, for this server.
    pub(crate) fn client(&self) -> Client {
        self.builder().build().expect("client builds")
    }

    pub(crate) fn builder(&self) -> ClientBuilder {
        fast_builder(&self.base_url)
    }
}

/// A client of the generated API for `base_url`, without credentials or other settings.
pub(crate) fn bare_builder(base_url: &str) -> ClientBuilder {
    Client::builder().environment(Environment::Custom(base_url.to_owned()))
}

/// A builder with credentials, a 2 s timeout and millisecond backoffs.
pub(crate) fn fast_builder(base_url: &str) -> ClientBuilder {
    bare_builder(base_url)
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
pub(crate) async fn dropping_server() -> (String, Arc<AtomicUsize>) {
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
pub(crate) async fn refused_port() -> u16 {
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
pub(crate) struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Writes to the current thread's capture buffer, or nowhere.
pub(crate) struct ThreadWriter(Option<LogBuffer>);

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
pub(crate) struct CaptureGuard;

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|c| *c.borrow_mut() = None);
    }
}

/// Captures every tracing line (all targets, TRACE and up, with span fields and span
/// open/close) emitted on this thread until the guard drops. Use with the current-thread test
/// runtime, so that the client's tasks run on this thread.
pub(crate) fn capture_logs() -> (CaptureGuard, LogBuffer) {
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
