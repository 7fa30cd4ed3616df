#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo xtask drift` on fixture reports against a fixture spec (a root and one product, each
//! with an operation and a webhook): the suggested patch and the summary table are snapshots;
//! the patched spec still loads and a second run over the same reports changes nothing.

use std::path::{Path, PathBuf};

use xtask_client::drift::{self, Options};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drift")
}

fn options(reports: &[&str]) -> Options {
    Options {
        reports: reports.iter().map(|name| fixtures().join(name)).collect(),
        spec_dir: fixtures().join("spec"),
        shown_dir: "spec".to_owned(),
    }
}

#[test]
fn one_report_suggests_a_patch_and_a_summary() {
    let outcome = drift::run(&options(&["run1.json"])).unwrap();
    insta::assert_snapshot!("drift_one_report_patch", outcome.patch);
    insta::assert_snapshot!("drift_one_report_summary", outcome.summary);
}

#[test]
fn reports_are_merged_and_products_are_patched_in_their_folder() {
    let outcome = drift::run(&options(&["run1.json", "run2.json"])).unwrap();
    insta::assert_snapshot!("drift_merged_patch", outcome.patch);
    insta::assert_snapshot!("drift_merged_summary", outcome.summary);
    assert!(outcome.patch.contains("+++ b/spec/payouts/transfers.yaml"));
    // Counts add up and the earliest first-seen time is kept.
    assert!(
        outcome
            .summary
            .contains("| `bankRef` | string (text (9-32 chars)) | 15 | 2026-05-01T08:00:00Z |")
    );
}

#[test]
fn merging_reads_every_report_and_refuses_other_versions() {
    let findings = drift::read_reports(&options(&["run1.json", "run2.json"]).reports).unwrap();
    assert_eq!(findings.len(), 12);
    let dir = std::env::temp_dir().join(format!("xtask-drift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("v2.json");
    std::fs::write(&bad, r#"{"version":2,"findings":[]}"#).unwrap();
    let err = drift::read_reports(&[bad]).unwrap_err();
    assert!(err.contains("version 1"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_fixture_spec_loads() {
    let spec = enkash_spec::load(&fixtures().join("spec")).unwrap();
    assert!(spec.operations.contains_key("get_settlement"));
    assert!(spec.webhooks.contains_key("settlement_notify"));
    let payouts = &spec.products["payouts"].spec;
    assert!(payouts.operations.contains_key("get_transfer"));
    assert!(payouts.webhooks.contains_key("transfer_notify"));
}

#[test]
fn webhook_findings_integers_as_strings_and_fixed_dates_are_planned() {
    let outcome = drift::run(&options(&["run3.json"])).unwrap();
    insta::assert_snapshot!("drift_webhooks_and_forms_patch", outcome.patch);
    insta::assert_snapshot!("drift_webhooks_and_forms_summary", outcome.summary);
    let rows = [
        // A root webhook: its path starts from its payload type; "notifications", not "answers".
        "| webhooks.settlement_notify | unknown_field | `utr` | string (text (9-32 chars)) | 3 | 2026-05-03T08:00:00Z | add optional `utr: string` to `SettlementNotification` |",
        "| webhooks.settlement_notify | unknown_enum_value | `status` | string `REVERSED` | 1 | 2026-05-03T08:30:00Z | add `REVERSED` to enum `SettlementStatus` |",
        // A `datetime` field and a `datetimes:` type that reads both forms: retyped.
        "| webhooks.settlement_notify | date_form | `paidAt` | string (yyyy-MM-dd HH:mm:ss) | 3 | 2026-05-03T08:00:00Z | read `SettlementNotification.paidAt` as `FixtureWideDateTime` (reads rfc3339, iso_local, space_local) |",
        "| get_settlement | number_as_string | `batchNo` | string (integer string (10 digits)) | 6 | 2026-05-03T09:00:00Z | `Settlement.batchNo` is sent as a string of digits: write it as `string` |",
        // A `date` has no `datetimes:` form: review only.
        "| get_settlement | date_form | `valueDate` | string (yyyy-MM-dd HH:mm:ss) | 2 | 2026-05-03T09:00:00Z | review: `Settlement.valueDate` is sent as `yyyy-MM-dd HH:mm:ss` where the spec says `date` (`yyyy-MM-dd`); no `datetimes:` type reads a date alone |",
        "| payouts.get_transfer | string_as_number | `reference` | number (integer) | 4 | 2026-05-03T10:00:00Z | review: `Transfer.reference` is sent as a JSON number (an integer) where the spec says `string`; the client fails to read it |",
        // A product's webhook, patched in the product's folder.
        "| payouts.webhooks.transfer_notify | number_as_string | `attempt` | string (integer string) | 2 | 2026-05-03T11:00:00Z | `TransferNotification.attempt` is sent as a string of digits: write it as `string` |",
        "| payouts.webhooks.transfer_notify | null_value | `transferId` | null | 1 | 2026-05-03T11:00:00Z | `TransferNotification.transferId`: make it nullable |",
        // The product has no `datetimes:` type reading both forms: review.
        "| payouts.webhooks.transfer_notify | date_form | `updatedOn` | string (yyyy-MM-dd'T'HH:mm:ssXXX) | 1 | 2026-05-03T11:00:00Z | review: `TransferNotification.updatedOn` is sent as `yyyy-MM-dd'T'HH:mm:ssXXX` where the spec says `datetime_local` (`yyyy-MM-dd HH:mm:ss`); no `datetimes:` type reads both `space_local` and `rfc3339` |",
        "| webhooks.gone_notify | unknown_field | `x` | boolean | 1 | 2026-05-03T12:00:00Z | no such webhook in the spec: is the report from another version? |",
    ];
    for row in rows {
        assert!(outcome.summary.contains(row), "{row}\n{}", outcome.summary);
    }
    assert!(
        outcome
            .patch
            .contains("seen in EnKash notifications (3 notifications since")
    );
    assert!(outcome.patch.contains("+        type: FixtureWideDateTime"));
    assert!(
        outcome
            .patch
            .contains("+        type: string\n         doc: Batch number.")
    );
    assert!(outcome.patch.contains("+++ b/spec/payouts/transfers.yaml"));
}

#[test]
fn the_patched_spec_loads_and_a_second_run_changes_nothing() {
    let reports = ["run1.json", "run2.json", "run3.json"];
    let first = drift::run(&options(&reports)).unwrap();
    let dir = std::env::temp_dir().join(format!("xtask-drift-apply-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixtures().join("spec"), &dir.join("spec"));
    apply_patch(&dir, &first.patch);
    let patched = enkash_spec::load(&dir.join("spec"));
    assert!(patched.is_ok(), "{}", patched.err().unwrap());
    let second = drift::run(&Options {
        spec_dir: dir.join("spec"),
        ..options(&reports)
    })
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(second.patch, "", "{}", second.summary);
    for now in [
        "none: `bankRef` is in `Settlement` now",
        "none: `ON_HOLD` is in `SettlementStatus` now",
        "none: `FixtureDateTime` reads `rfc3339` now",
        "none: `SettlementTransaction.txnId` is optional now",
        "none: `Transfer.transferId` is nullable now",
        "none: `utr` is in `SettlementNotification` now",
        "none: `REVERSED` is in `SettlementStatus` now",
        "none: `FixtureWideDateTime` reads `space_local` now",
        "none: `Settlement.batchNo` is a `string` now",
        "none: `TransferNotification.attempt` is a `string` now",
        "none: `TransferNotification.transferId` is nullable now",
    ] {
        assert!(second.summary.contains(now), "{now}\n{}", second.summary);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Applies a unified diff whose `+++ b/<path>` names are relative to `root` (as `git apply`
/// would), checking every context and removed line.
fn apply_patch(root: &Path, patch: &str) {
    let mut lines = patch.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("+++ b/") else {
            continue;
        };
        let path = root.join(name);
        let old = std::fs::read_to_string(&path).unwrap();
        let old: Vec<&str> = old.lines().collect();
        let mut new: Vec<String> = Vec::new();
        let mut at = 0;
        while let Some(header) = lines.next_if(|line| line.starts_with("@@ ")) {
            let start: usize = header[4..]
                .split([',', ' '])
                .next()
                .unwrap()
                .parse()
                .unwrap();
            while at + 1 < start {
                new.push(old[at].to_owned());
                at += 1;
            }
            while let Some(body) =
                lines.next_if(|line| line.starts_with([' ', '-', '+']) && !line.starts_with("--- "))
            {
                let (mark, text) = body.split_at(1);
                match mark {
                    "+" => new.push(text.to_owned()),
                    _ => {
                        assert_eq!(old[at], text, "{name}: line {}", at + 1);
                        if mark == " " {
                            new.push(text.to_owned());
                        }
                        at += 1;
                    }
                }
            }
        }
        new.extend(old[at..].iter().map(|line| (*line).to_owned()));
        std::fs::write(&path, new.join("\n") + "\n").unwrap();
    }
}
