#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo xtask contract`: the flow against the in-process mock answering with drift
//! (`MockConfig::drifting`), and the skip without credentials.

use std::process::Command;

use enkash_generated::mock::{MockConfig, MockServer};
use xtask_client::contract::{self, Options, StepResult, Target};

/// A finding's operation, kind, path, form and value.
type Shape = (String, String, String, Option<String>, Option<String>);

/// Options of a run against `mock` with `keys` (access, secret), writing the report under a
/// folder named after `run`.
fn options(mock: &MockServer, run: &str, keys: (&str, &str)) -> Options {
    Options {
        report: std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("contract-{run}-{}", std::process::id()))
            .join("drift-report.json"),
        ..Options::project_defaults(Target {
            base_url: Some(mock.url().to_owned()),
            access_key: keys.0.to_owned(),
            secret_key: keys.1.to_owned(),
        })
    }
}

/// The mock's own keys.
fn keys(mock: &MockServer) -> (&str, &str) {
    (mock.access_key(), mock.secret_key())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_against_a_drifting_mock_suggests_the_spec_changes() {
    let mock = MockServer::start(MockConfig::default().drifting(true))
        .await
        .unwrap();
    let options = options(&mock, "drifting", keys(&mock));
    let report = options.report.clone();
    let outcome = contract::run(&options).await.unwrap();
    let text = outcome.text();

    // Every call reached the mock; the payouts answer does not decode (its date form), which
    // is EnKash's answer, not a failure of the command.
    assert!(!outcome.failed(), "{text}");
    let result = |op: &str| {
        outcome
            .steps
            .iter()
            .find(|s| s.operation == op)
            .map(|s| s.result.clone())
            .unwrap_or_else(|| panic!("no step {op}: {text}"))
    };
    assert!(
        matches!(result("create_order"), StepResult::Ok(_)),
        "{text}"
    );
    assert_eq!(
        result("get_order_status"),
        StepResult::Ok("status ON_HOLD".to_owned())
    );
    assert!(
        matches!(result("search_settlement_payouts"), StepResult::Answered(ref e) if e.contains("payoutDate")),
        "{text}"
    );
    assert_eq!(mock.hits("get_authorization_token"), 1);

    // The findings, as shapes.
    let found: Vec<Shape> = outcome
        .report
        .findings
        .iter()
        .map(|f| {
            (
                f.operation.clone(),
                f.kind.to_string(),
                f.path.clone(),
                f.form.clone(),
                f.value.clone(),
            )
        })
        .collect();
    let has = |op: &str, kind: &str, path: &str| {
        found
            .iter()
            .any(|(o, k, p, _, _)| o == op && k == kind && p == path)
    };
    assert!(
        has("create_order", "unknown_field", "newField"),
        "{found:?}"
    );
    assert!(
        has("get_order_status", "unknown_field", "newField"),
        "{found:?}"
    );
    // `created` in RFC 3339: read, but not the form EnKash's examples show.
    assert!(
        has("get_order_status", "other_date_form", "created"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(o, k, p, _, v)| o == "get_order_status"
            && k == "unknown_enum_value"
            && p == "status"
            && v.as_deref() == Some("ON_HOLD")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(o, k, p, form, _)| o == "search_settlement_payouts"
                && k == "date_form"
                && p == "data[].payoutDate"
                && form.as_deref() == Some("dd/MM/yyyy HH:mm:ss")),
        "{found:?}"
    );

    // The report was written, in the format `cargo xtask drift` reads.
    let written = std::fs::read_to_string(&report).unwrap();
    assert_eq!(
        enkash_generated::DriftReport::from_json(&written).unwrap(),
        outcome.report
    );

    // The suggested patch: the new member (an RFC 3339 date-time, so the spec's date-time
    // type) on both order schemas, the new enum value; the date form is for review.
    let patch = &outcome.suggestions.patch;
    assert!(
        patch.contains("+++ b/enkash-spec/spec/orders.yaml"),
        "{patch}"
    );
    assert_eq!(patch.matches("+      newField:").count(), 2, "{patch}");
    assert_eq!(
        patch.matches("+        type: EnkashDateTime").count(),
        2,
        "{patch}"
    );
    assert!(
        patch.contains("+      ON_HOLD: \"TODO: not in the docs; seen in EnKash answers"),
        "{patch}"
    );
    let summary = &outcome.suggestions.summary;
    assert!(
        summary.contains("add optional `newField: EnkashDateTime` to `OrderCreateResponse`"),
        "{summary}"
    );
    assert!(
        summary.contains("add optional `newField: EnkashDateTime` to `OrderGetResponse`"),
        "{summary}"
    );
    assert!(
        summary.contains("add `ON_HOLD` to enum `OrderStatus`"),
        "{summary}"
    );
    assert!(
        summary.contains("review: the client reads no `dd/MM/yyyy HH:mm:ss` form yet"),
        "{summary}"
    );
    assert!(text.contains("suggested spec changes"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mock_without_drift_gives_no_findings() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let outcome = contract::run(&options(&mock, "clean", keys(&mock)))
        .await
        .unwrap();
    let text = outcome.text();
    assert!(!outcome.failed(), "{text}");
    assert_eq!(
        outcome.steps[1].result,
        StepResult::Ok("status CREATED".to_owned())
    );
    assert!(outcome.report.findings.is_empty(), "{text}");
    assert!(outcome.suggestions.patch.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_fail_the_command() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let outcome = contract::run(&options(&mock, "refused", ("AK-wrong", "SK-wrong")))
        .await
        .unwrap();
    assert!(outcome.failed(), "{}", outcome.text());
    assert_eq!(outcome.steps.len(), 1);
}

#[test]
fn without_credentials_the_command_skips() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask-client"))
        .arg("contract")
        .env_remove("CARGO")
        .env_remove(contract::ACCESS_KEY_VAR)
        .env_remove(contract::SECRET_KEY_VAR)
        .env_remove(contract::BASE_URL_VAR)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.trim(), contract::SKIPPED);
    assert!(stdout.contains(
        "skipped: set ENKASH_ACCESS_KEY and ENKASH_SECRET_KEY to run the contract check against UAT"
    ));
}
