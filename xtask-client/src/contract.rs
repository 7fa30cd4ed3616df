//! `cargo xtask contract [--report FILE]`: calls a minimal documented flow of EnKash's UAT with
//! drift recording on, then prints what the answers hold that the spec does not say, and the spec
//! changes that suggests (through [`crate::drift`]).
//!
//! The flow: the token (implicit, on the first call), Create Order of ₹1.00 with a fresh
//! `orderId`, Get Order Status of that order, Search Settlement Payouts (first page of 5), and
//! the read-only operations that need no existing id (Search QR Code, Search Customer). Only
//! with credentials in the environment ([`Target::from_env`]); without them the command says
//! it skipped ([`SKIPPED`]) and succeeds, as in CI.
//!
//! An answer of EnKash that is an error (an envelope with a failure code, an answer that does not
//! decode, another HTTP status) is printed and the flow goes on where it can; a failure that is
//! not an answer of EnKash (no connection, a timeout, a refused token exchange, an invalid
//! request or setting) fails the command.

use std::fmt::Write as _;
use std::path::PathBuf;

use enkash_generated::{
    Amount, Client, CreateOrderRequest, Currency, Decimal, DriftRecorder, DriftReport, Environment,
    Error, SearchQrCodesParams, SearchSettlementPayoutsParams, SettlementPayoutSearchRequest,
};

use crate::drift;

/// What the command prints, and exits 0 with, when the credentials are not in the environment.
pub const SKIPPED: &str =
    "skipped: set ENKASH_ACCESS_KEY and ENKASH_SECRET_KEY to run the contract check against UAT";

/// The environment variable holding the access key.
pub const ACCESS_KEY_VAR: &str = "ENKASH_ACCESS_KEY";
/// The environment variable holding the secret key.
pub const SECRET_KEY_VAR: &str = "ENKASH_SECRET_KEY";
/// The environment variable holding another base URL (default: the spec's `uat` environment).
pub const BASE_URL_VAR: &str = "ENKASH_BASE_URL";

/// The report file written when `--report` is not given, under the workspace root.
pub const DEFAULT_REPORT: &str = "target/contract/drift-report.json";

/// Where the flow runs, and with which credentials.
#[derive(Clone)]
pub struct Target {
    /// The base URL; `None` for the spec's UAT environment.
    pub base_url: Option<String>,
    /// The access key.
    pub access_key: String,
    /// The secret key.
    pub secret_key: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("base_url", &self.base_url)
            .field("credentials", &"[REDACTED]")
            .finish()
    }
}

impl Target {
    /// The target the environment gives: `ENKASH_ACCESS_KEY` and `ENKASH_SECRET_KEY` (both set
    /// and not empty, else `None`), and `ENKASH_BASE_URL` when set.
    pub fn from_env() -> Option<Target> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Some(Target {
            base_url: var(BASE_URL_VAR),
            access_key: var(ACCESS_KEY_VAR)?,
            secret_key: var(SECRET_KEY_VAR)?,
        })
    }
}

/// What `cargo xtask contract` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to call.
    pub target: Target,
    /// Where the drift report is written.
    pub report: PathBuf,
    /// The spec folder the suggestions are made against.
    pub spec_dir: PathBuf,
    /// How file names are shown in the suggested diff.
    pub shown_dir: String,
}

impl Options {
    /// The project's spec and the default report file, for `target`.
    pub fn project_defaults(target: Target) -> Self {
        let drift = drift::Options::project_defaults();
        Options {
            target,
            report: crate::workspace_root().join(DEFAULT_REPORT),
            spec_dir: drift.spec_dir,
            shown_dir: drift.shown_dir,
        }
    }
}

/// How one call of the flow went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepResult {
    /// It succeeded; what it answered, in short.
    Ok(String),
    /// EnKash answered with an error (failure code, undecodable answer, another status); the
    /// flow went on.
    Answered(String),
    /// It failed without an answer of EnKash (connection, timeout, token exchange, invalid
    /// request): the command fails.
    Failed(String),
    /// It was not made; why.
    Skipped(String),
}

/// One call of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Spec id of the operation.
    pub operation: &'static str,
    /// How it went.
    pub result: StepResult,
}

/// What the flow found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Each call, in order.
    pub steps: Vec<Step>,
    /// The drift recorded.
    pub report: DriftReport,
    /// The spec changes the drift suggests, and the summary table.
    pub suggestions: drift::Outcome,
    /// Where the report was written.
    pub report_file: PathBuf,
}

impl Outcome {
    /// True when a call failed without an answer of EnKash.
    pub fn failed(&self) -> bool {
        self.steps
            .iter()
            .any(|step| matches!(step.result, StepResult::Failed(_)))
    }

    /// What the command prints: each call, the drift found, the suggested patch and the
    /// summary table.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let (tag, text) = match &step.result {
                StepResult::Ok(text) => ("ok     ", text),
                StepResult::Answered(text) => ("answer ", text),
                StepResult::Failed(text) => ("FAILED ", text),
                StepResult::Skipped(text) => ("skipped", text),
            };
            let _ = writeln!(out, "{tag} {}: {text}", step.operation);
        }
        let _ = writeln!(
            out,
            "\ncontract: {} drift findings ({} dropped); report written to {}",
            self.report.findings.len(),
            self.report.dropped,
            self.report_file.display()
        );
        if self.report.findings.is_empty() {
            out.push_str("contract: the answers hold nothing the spec does not say\n");
            return out;
        }
        if self.suggestions.patch.is_empty() {
            out.push_str("\nno spec change to suggest as YAML; see the summary\n");
        } else {
            out.push_str(
                "\nsuggested spec changes (review, fill in the TODO docs, then `git apply`):\n\n",
            );
            out.push_str(&self.suggestions.patch);
        }
        let _ = write!(out, "\n{}", self.suggestions.summary);
        if self.failed() {
            out.push_str("\ncontract: a call failed without an answer of EnKash\n");
        }
        out
    }
}

/// How a failed call counts: as EnKash's answer (the flow goes on) or not.
fn failure(err: &Error) -> StepResult {
    match err {
        Error::Api { .. }
        | Error::Http { .. }
        | Error::Decode { .. }
        | Error::DuplicateId { .. } => StepResult::Answered(err.to_string()),
        _ => StepResult::Failed(err.to_string()),
    }
}

/// A fresh merchant order id (letters and digits only, as the spec requires).
fn fresh_order_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("XTASKCONTRACT{nanos}")
}

/// Runs the flow against `options.target`, writes the drift report, and suggests spec changes.
/// Fails (saying why) only when the client cannot be configured, the report cannot be written,
/// or the spec does not load; a failed call is a [`Step`] of the outcome.
pub async fn run(options: &Options) -> Result<Outcome, String> {
    let recorder = DriftRecorder::new();
    let environment = match &options.target.base_url {
        Some(url) => Environment::Custom(url.clone()),
        None => Environment::Uat,
    };
    let client = Client::builder()
        .environment(environment)
        .credentials(
            options.target.access_key.clone(),
            options.target.secret_key.clone(),
        )
        .drift_recorder(recorder.clone())
        .build()
        .map_err(|err| format!("cannot configure the client: {err}"))?;
    let steps = flow(&client).await;
    let report = recorder.report();
    if let Some(dir) = options.report.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    std::fs::write(&options.report, report.to_json())
        .map_err(|err| format!("cannot write {}: {err}", options.report.display()))?;
    let suggestions = drift::run(&drift::Options {
        reports: vec![options.report.clone()],
        spec_dir: options.spec_dir.clone(),
        shown_dir: options.shown_dir.clone(),
    })?;
    Ok(Outcome {
        steps,
        report,
        suggestions,
        report_file: options.report.clone(),
    })
}

/// The calls, each recorded as a [`Step`]; the token is fetched by the first.
async fn flow(client: &Client) -> Vec<Step> {
    let mut steps = Vec::new();
    let order_id = fresh_order_id();
    let request = CreateOrderRequest::new(
        order_id.clone(),
        Amount::new(Decimal::new(100, 2), Currency::Inr),
    );
    let created = client.orders().create(&request).await;
    let enkash_order_id = match created {
        Ok(order) => {
            steps.push(Step {
                operation: "create_order",
                result: StepResult::Ok(format!("order {} for {order_id}, ₹1.00", order.order_id)),
            });
            Some(order.order_id)
        }
        Err(err) => {
            steps.push(Step {
                operation: "create_order",
                result: failure(&err),
            });
            None
        }
    };
    if steps
        .iter()
        .any(|s| matches!(s.result, StepResult::Failed(_)))
    {
        // No token or no connection: the other calls would fail the same way.
        return steps;
    }
    steps.push(Step {
        operation: "get_order_status",
        result: match &enkash_order_id {
            Some(id) => match client.orders().get(id).await {
                Ok(order) => StepResult::Ok(format!("status {}", order.status.as_str())),
                Err(err) => failure(&err),
            },
            None => StepResult::Skipped("no order was created".to_owned()),
        },
    });
    let mut params = SearchSettlementPayoutsParams::default();
    params.offset = Some(0);
    params.limit = Some(5);
    steps.push(Step {
        operation: "search_settlement_payouts",
        result: match client
            .settlements()
            .search_payouts(&SettlementPayoutSearchRequest::new(), &params)
            .await
        {
            Ok(page) => StepResult::Ok(format!(
                "{} payouts on the first page, {} in all",
                page.data.as_ref().map_or(0, Vec::len),
                page.records_count
                    .map_or_else(|| "?".to_owned(), |n| n.to_string())
            )),
            Err(err) => failure(&err),
        },
    });
    let mut params = SearchQrCodesParams::default();
    params.offset = Some(0);
    params.limit = Some(5);
    let filter = serde_json::json!({});
    steps.push(Step {
        operation: "search_qr_codes",
        result: match client.upi_qr().search(&filter, &params).await {
            Ok(_) => StepResult::Ok("answered (the response is not documented)".to_owned()),
            Err(err) => failure(&err),
        },
    });
    steps.push(Step {
        operation: "search_qr_customers",
        result: match client.upi_qr().search_customers(&filter).await {
            Ok(_) => StepResult::Ok("answered (the response is not documented)".to_owned()),
            Err(err) => failure(&err),
        },
    });
    steps
}
