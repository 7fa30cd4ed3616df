//! `cargo xtask any-spec` end to end: the built binary generates every spec into the scratch
//! workspace and runs `cargo check` on it twice, which takes minutes, so this test is ignored:
//! CI runs the command itself (`.ci/run`). Run it with
//! `cargo test -p xtask --test any_spec -- --ignored`.
//!
//! It checks the harness, not the verdict: every spec gets one, cargo ran and only the specs'
//! crates had errors (a spec may fail while hand-written code still names EnKash types).

use std::process::Command;

#[test]
#[ignore = "runs cargo check on every spec for minutes; CI runs `cargo xtask any-spec` directly"]
fn every_spec_gets_a_verdict_from_cargo() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["any-spec", "--synth", "2,30"])
        .output()
        .expect("the xtask binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "exit {code:?}: the check did not run\n{stdout}\n{stderr}"
    );
    let fixtures = xtask::workspace_root().join("enkash-codegen/tests/fixtures");
    let (cases, _) = xtask::any_spec::fixture_cases(&fixtures).unwrap();
    for name in ["synth-2", "synth-30"]
        .into_iter()
        .map(str::to_owned)
        .chain(cases.into_iter().map(|case| case.name))
    {
        let verdict = stdout
            .lines()
            .find(|line| line.starts_with(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no verdict for {name}:\n{stdout}"));
        assert!(
            verdict.starts_with(&format!("{name}: ok (all features: "))
                || verdict.starts_with(&format!("{name}: FAILED (all features: ")),
            "{verdict}"
        );
        assert!(verdict.contains("; no features: "), "{verdict}");
    }
    assert!(!stdout.contains("reported trouble outside"), "{stdout}");
    assert_eq!(
        code == Some(0),
        stdout.contains("specs compile\n"),
        "the exit code follows the verdict\n{stdout}"
    );
}
