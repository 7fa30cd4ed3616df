//! The `enkash` command line (feature `cli`), run as a process against the in-process mock
//! server on 127.0.0.1: bodies from a file and from stdin, exit codes by error class, `--dry-run`,
//! waiters, credentials from a `--config` file, and help text from the spec.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use enkash_generated::mock::{MockConfig, MockServer};

/// A fresh id or file name part.
fn unique(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{prefix}{}{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The binary, without any `ENKASH_` variable of the caller's environment.
fn enkash() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_enkash"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("ENKASH_") {
            command.env_remove(name);
        }
    }
    command
}

/// The binary pointed at `mock`, with its credentials in the environment.
fn against(mock: &MockServer) -> Command {
    let mut command = enkash();
    command
        .args(["--env", mock.url()])
        .env("ENKASH_ACCESS_KEY", mock.access_key())
        .env("ENKASH_SECRET_KEY", mock.secret_key());
    command
}

/// Runs `command` (off the runtime's threads, which serve the mock), with `stdin` as input.
async fn run(mut command: Command, args: &[&str], stdin: Option<&str>) -> Output {
    command.args(args);
    let stdin = stdin.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the enkash binary starts");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON a successful command printed (one line: stdout is not a terminal).
fn json(output: &Output) -> serde_json::Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    let text = stdout(output);
    assert_eq!(
        text.lines().count(),
        1,
        "compact JSON off a terminal: {text}"
    );
    serde_json::from_str(&text).unwrap()
}

/// A file holding `text`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(text: &str) -> TempFile {
        let path = std::env::temp_dir().join(unique("enkash-cli-test-"));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    fn arg(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.0.display())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn order_body(order_id: &str, value: &str) -> String {
    format!(r#"{{"orderId": "{order_id}", "amount": {{"value": "{value}", "currency": "INR"}}}}"#)
}

async fn create_order(mock: &MockServer) -> String {
    let body = TempFile::new(&order_body(&unique("ORD"), "100.50"));
    let output = run(
        against(mock),
        &["orders", "create", "--body", &body.arg("@")],
        None,
    )
    .await;
    json(&output)["orderId"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_is_created_from_a_body_file_and_read_back() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let order_id = create_order(&mock).await;
    let order = json(&run(against(&mock), &["orders", "get", &order_id], None).await);
    assert_eq!(order["orderId"], order_id.as_str());
    assert_eq!(order["status"], "CREATED");
    assert_eq!(mock.hits("create_order"), 1);
    assert_eq!(mock.hits("get_order_status"), 1);

    // The token operation takes its credentials from the environment too.
    let token = json(&run(against(&mock), &["authorization", "get-token"], None).await);
    assert!(token["token"].is_string(), "{token}");
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_polls_until_the_order_is_paid() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let order_id = create_order(&mock).await;
    // The body from standard input.
    let payment =
        format!(r#"{{"orderId": "{order_id}", "paymentMode": "UPI", "vpa": "payer@upi"}}"#);
    let submitted = run(
        against(&mock),
        &["payments", "submit", "--body", "-"],
        Some(&payment),
    )
    .await;
    json(&submitted);
    let order = json(
        &run(
            against(&mock),
            &["orders", "wait", &order_id, "--timeout", "60s"],
            None,
        )
        .await,
    );
    assert_eq!(order["status"], "PAID");
    assert!(mock.hits("get_order_status") >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_the_client_refuses_to_send_exits_with_2() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    // `orderId` must be letters and digits: `validate()` refuses it, nothing is sent.
    let body = order_body("NOT-ALNUM", "100.50");
    let output = run(against(&mock), &["orders", "create", "--body", &body], None).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("orderId"), "{}", stderr(&output));
    assert!(stderr(&output).contains("may have been processed: no"));
    assert_eq!(mock.hits("create_order"), 0);

    // A body that is not the request type, and a usage error.
    let output = run(
        against(&mock),
        &["orders", "create", "--body", r#"{"amount": 5}"#],
        None,
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let output = run(against(&mock), &["orders", "get"], None).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("<ORDER_ID>"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_by_enkash_exits_with_3_and_shows_its_code_and_message() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let output = run(against(&mock), &["orders", "get", "NOSUCHORDER"], None).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("code: "), "{err}");
    assert!(err.contains("message: "), "{err}");
    assert!(err.contains("may have been processed: no"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_and_environment_exit_with_5() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let mut command = enkash();
    command.args(["--env", mock.url()]);
    let output = run(command, &["orders", "get", "ORDER1"], None).await;
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(stderr(&output).contains("ENKASH_ACCESS_KEY"));

    let output = run(enkash(), &["orders", "get", "ORDER1"], None).await;
    assert_eq!(output.status.code(), Some(5));
    assert!(stderr(&output).contains("--env"), "{}", stderr(&output));

    // Wrong credentials: the token request is refused.
    let mut command = enkash();
    command
        .args(["--env", mock.url()])
        .env("ENKASH_ACCESS_KEY", "wrong")
        .env("ENKASH_SECRET_KEY", "wrong");
    let output = run(command, &["orders", "get", "ORDER1"], None).await;
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert_eq!(mock.hits("get_order_status"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_come_from_a_config_file() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let config = TempFile::new(&format!(
        "# test credentials\nENKASH_ACCESS_KEY={}\nENKASH_SECRET_KEY=\"{}\"\n",
        mock.access_key(),
        mock.secret_key()
    ));
    let body = order_body(&unique("ORD"), "10.00");
    let mut command = enkash();
    command.args(["--env", mock.url(), "--config", &config.arg("")]);
    let created = json(&run(command, &["orders", "create", "--body", &body], None).await);
    assert!(created["orderId"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_request_with_secrets_redacted_and_sends_nothing() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let body = order_body("ORDER42", "100.50");
    let output = run(
        against(&mock),
        &["--dry-run", "orders", "create", "--body", &body],
        None,
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!("POST {}/api/v0/orders\n", mock.url())),
        "{text}"
    );
    assert!(text.contains("Authorization: Bearer <redacted>"), "{text}");
    assert!(text.contains("merchantAccessKey: <redacted>"), "{text}");
    assert!(text.contains("\"orderId\": \"ORDER42\""), "{text}");
    assert!(!text.contains(mock.access_key()) && !text.contains(mock.secret_key()));

    // The token request's credential fields are redacted too.
    let output = run(
        against(&mock),
        &["authorization", "get-token", "--dry-run"],
        None,
    )
    .await;
    let text = stdout(&output);
    assert!(text.contains("\"accessKey\": \"<redacted>\""), "{text}");
    assert!(!text.contains(mock.access_key()) && !text.contains(mock.secret_key()));

    // Path parameters are percent-encoded.
    let output = run(
        against(&mock),
        &["orders", "get", "A B/C", "--dry-run"],
        None,
    )
    .await;
    assert!(
        stdout(&output).starts_with(&format!("GET {}/api/v0/orders/A%20B%2FC\n", mock.url())),
        "{}",
        stdout(&output)
    );
    assert_eq!(mock.all_hits().values().sum::<u64>(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_path_parameter_that_would_leave_its_segment_is_refused_with_or_without_dry_run() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    for args in [
        &["orders", "get", "..", "--dry-run"][..],
        &["orders", "get", ".."][..],
    ] {
        let output = run(against(&mock), args, None).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stdout(&output)
        );
        assert!(
            stderr(&output).contains("path parameter `orderId` is `.` or `..`"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), "", "{args:?}: no preview, no answer");
    }
    assert_eq!(mock.all_hits().values().sum::<u64>(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn record_drift_merges_what_the_answers_hold_into_a_report_file() {
    let mock = MockServer::start(MockConfig::default().drifting(true))
        .await
        .unwrap();
    let order_id = create_order(&mock).await;
    let file = TempFile::new("");
    std::fs::remove_file(&file.0).unwrap();
    let get = ["--record-drift", &file.arg(""), "orders", "get", &order_id];
    // Twice: the second run merges into the report the first wrote.
    for _ in 0..2 {
        let order = json(&run(against(&mock), &get, None).await);
        assert_eq!(order["status"], "ON_HOLD");
    }
    let report =
        enkash_generated::DriftReport::from_json(&std::fs::read_to_string(&file.0).unwrap())
            .unwrap();
    let status = report
        .findings
        .iter()
        .find(|f| f.kind == enkash_generated::DriftKind::UnknownEnumValue)
        .unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(
        (
            status.operation.as_str(),
            status.path.as_str(),
            status.value.as_deref(),
            status.count
        ),
        ("get_order_status", "status", Some("ON_HOLD"), 2)
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.path == "newField" && f.count == 2),
        "{report:?}"
    );
    let text = std::fs::read_to_string(&file.0).unwrap();
    assert!(!text.contains(&order_id), "no value of the answers: {text}");

    // A file that is no drift report is left as it is, and nothing is sent.
    let hits = mock.all_hits().values().sum::<u64>();
    std::fs::write(&file.0, "not a report").unwrap();
    let output = run(against(&mock), &get, None).await;
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is not a drift report"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&file.0).unwrap(), "not a report");
    assert_eq!(
        mock.all_hits().values().sum::<u64>(),
        hits,
        "nothing was sent"
    );

    // A dry run records nothing and writes nothing.
    std::fs::remove_file(&file.0).unwrap();
    let mut dry = get.to_vec();
    dry.push("--dry-run");
    let output = run(against(&mock), &dry, None).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!file.0.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_the_spec_docs() {
    let output = run(enkash(), &["orders", "get", "--help"], None).await;
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("Returns an order with its status and transactions."),
        "{text}"
    );
    assert!(text.contains("GET /api/v0/orders/{orderId}"), "{text}");
    assert!(text.contains("<ORDER_ID>"), "{text}");

    let output = run(enkash(), &["--help"], None).await;
    let text = stdout(&output);
    assert!(text.contains("ENKASH_ACCESS_KEY"), "{text}");
    assert!(text.contains("split-settlements"), "{text}");

    let output = run(
        enkash(),
        &["payouts", "transfers", "create", "--help"],
        None,
    )
    .await;
    if cfg!(feature = "payouts") {
        assert_eq!(output.status.code(), Some(0));
        assert!(
            stdout(&output).contains("Create Payout"),
            "{}",
            stdout(&output)
        );
        let output = run(enkash(), &["payouts", "--help"], None).await;
        assert!(stdout(&output).contains("ENKASH_PAYOUTS_CLIENT_ID"));
    } else {
        assert_eq!(output.status.code(), Some(2));
    }
}

/// A paginated search with `--all` reads every page (three here, of 2, 2 and 1 payouts) and
/// prints one JSON array of every record; without it, one page as EnKash answers it.
#[tokio::test(flavor = "multi_thread")]
async fn all_reads_every_page_of_a_paginated_search() {
    let mock = MockServer::start(MockConfig::default().seeded_payouts(5))
        .await
        .unwrap();
    let all = json(
        &run(
            against(&mock),
            &["settlements", "search-payouts", "--limit", "2", "--all"],
            None,
        )
        .await,
    );
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|payout| payout["settlementPayoutId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, mock.state().payout_ids());
    assert_eq!(mock.hits("search_settlement_payouts"), 3);
    let page = json(
        &run(
            against(&mock),
            &["settlements", "search-payouts", "--limit", "2"],
            None,
        )
        .await,
    );
    assert_eq!(page["recordsCount"], 5);
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
}

/// The payouts part of the binary against the Payouts mock: credentials from the
/// `ENKASH_PAYOUTS_*` variables, the OAuth2 token fetched, and the balance's encrypted answer
/// printed decrypted.
#[cfg(feature = "payouts")]
#[tokio::test(flavor = "multi_thread")]
async fn payouts_balance_is_read_and_printed_decrypted() {
    use enkash_generated::payouts::mock::{PayoutsMockConfig, PayoutsMockServer};

    const CREDENTIALS: [(&str, &str); 4] = [
        ("ENKASH_PAYOUTS_CLIENT_ID", "CEKPAYCIDCLI"),
        ("ENKASH_PAYOUTS_CLIENT_SECRET", "csec-CliPayouts4471"),
        ("ENKASH_PAYOUTS_USERNAME", "cli-user@example.com"),
        ("ENKASH_PAYOUTS_PASSWORD", "pw-CliPayouts9921"),
    ];
    let [client_id, client_secret, username, password] = CREDENTIALS.map(|(_, value)| value);
    let mock = PayoutsMockServer::start(
        PayoutsMockConfig::default()
            .credentials(client_id, client_secret, username, password)
            .opening_balance("4321.09".parse().unwrap())
            .fund_source_id("EKCLIFUND1"),
    )
    .await
    .unwrap();
    let mut command = enkash();
    command.args(["--env", mock.url()]).envs(CREDENTIALS);
    let balance = json(
        &run(
            command,
            &[
                "payouts",
                "accounts",
                "balance",
                "--fund-source-id",
                "EKCLIFUND1",
            ],
            None,
        )
        .await,
    );
    assert_eq!(
        balance["totalBalance"].to_string().trim_matches('"'),
        "4321.09"
    );
    assert_eq!(mock.hits("get_access_token"), 1);
    assert_eq!(mock.hits("get_balance"), 1);

    // Without the credentials: exit code 5, and nothing sent.
    let output = run(
        {
            let mut command = enkash();
            command.args(["--env", mock.url()]);
            command
        },
        &[
            "payouts",
            "accounts",
            "balance",
            "--fund-source-id",
            "EKCLIFUND1",
        ],
        None,
    )
    .await;
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ENKASH_PAYOUTS_CLIENT_ID"),
        "{}",
        stderr(&output)
    );
    assert_eq!(mock.hits("get_balance"), 1);
}
