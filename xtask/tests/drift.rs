#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo xtask drift` on fixture reports against a fixture spec (a root and one product):
//! the suggested patch and the summary table are snapshots; the patched spec still loads.

use std::path::PathBuf;

use xtask::drift::{self, Options};

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
    assert!(
        spec.products["payouts"]
            .spec
            .operations
            .contains_key("get_transfer")
    );
}
