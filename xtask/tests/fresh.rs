//! Fails when the checked-in `enkash-generated` files differ from what the spec generates, so a
//! forgotten `cargo xtask codegen` cannot land.

#[test]
fn checked_in_generated_crate_is_fresh() {
    let options = xtask::codegen::Options::project_defaults(true);
    let report = match xtask::codegen::run(&options) {
        Ok(report) => report,
        Err(failure) => panic!("codegen failed:\n{failure}"),
    };
    assert!(
        report.changes.is_empty(),
        "{}",
        xtask::codegen::stale_message(&report)
    );
}
