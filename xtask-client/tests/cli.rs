//! The built `xtask-client` binary's usage errors (`cargo xtask drift` / `contract` read their
//! arguments here): each names what is wrong, prints the usage, and exits with 2.

use std::process::Command;

#[test]
fn bad_arguments_fail_clearly() {
    for (args, error) in [
        (&["drift"][..], "drift needs at least one report"),
        (&["drift", "r.json", "--spec"], "--spec needs a path"),
        (&["drift", "r.json", "--apply"], "--apply needs a path"),
        (
            &["drift", "r.json", "--bogus"],
            "unknown drift option `--bogus`",
        ),
        (&["contract", "--report"], "--report needs a file"),
        (
            &["contract", "--bogus"],
            "unknown contract option `--bogus`",
        ),
        (&["contract", "x"], "unknown contract option `x`"),
        (&["frobnicate"], "unknown command `frobnicate`"),
        (&[], "no command given"),
    ] {
        let run = Command::new(env!("CARGO_BIN_EXE_xtask-client"))
            .args(args)
            .env_remove("CARGO")
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.starts_with(&format!("error: {error}\n\nusage: cargo xtask drift")),
            "{args:?}: {stderr}"
        );
    }
    let run = Command::new(env!("CARGO_BIN_EXE_xtask-client"))
        .arg("help")
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stdout).contains("cargo xtask contract [--report FILE]"));
}
