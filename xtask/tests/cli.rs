//! The built `xtask` binary, run directly (no cargo) on folders of its own: synth, codegen,
//! openapi and diff with `--spec` / `--out`, exit codes, and usage errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env_remove("CARGO")
        .output()
        .unwrap_or_else(|err| panic!("the xtask binary does not run: {err}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn s(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()))
}

#[test]
fn synth_codegen_openapi_and_diff_work_on_any_folder() {
    let root = temp("flow");
    let (old, new, out) = (root.join("old"), root.join("new"), root.join("out"));
    let project_openapi = xtask::workspace_root().join(xtask::openapi::PROJECT_FILE);
    let before = fs::read(&project_openapi).unwrap();

    let run = xtask(&["synth", "--operations", "12", "--out", s(&old)]);
    assert!(run.status.success(), "{}", text(&run));
    let run = xtask(&["synth", "--operations", "14", "--out", s(&new)]);
    assert!(run.status.success(), "{}", text(&run));

    let run = xtask(&["codegen", "--spec", s(&new), "--out", s(&out)]);
    assert!(run.status.success(), "{}", text(&run));
    assert!(out.join("models.rs").exists() && out.join("operations/orders.rs").exists());
    let run = xtask(&["codegen", "--check", "--spec", s(&new), "--out", s(&out)]);
    assert!(run.status.success(), "fresh after writing: {}", text(&run));
    assert!(
        !out.join("openapi.json").exists(),
        "--out runs write the client only"
    );
    assert_eq!(
        fs::read(&project_openapi).unwrap(),
        before,
        "project export untouched"
    );

    let file = root.join("api.json");
    let run = xtask(&["openapi", "--spec", s(&new), "--out", s(&file)]);
    assert!(run.status.success(), "{}", text(&run));
    let doc = fs::read_to_string(&file).unwrap();
    assert!(doc.contains("\"operationId\": \"synth_op_00013\""));

    let run = xtask(&["diff", "--old", s(&old), "--spec", s(&new)]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(text(&run).contains("operation added"));
    let run = xtask(&["diff", "--old", s(&new), "--spec", s(&old)]);
    assert_eq!(run.status.code(), Some(1), "removals break: {}", text(&run));
    assert!(text(&run).contains("operation removed"));

    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn spec_errors_and_bad_arguments_fail_clearly() {
    let root = temp("errors");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("api.yaml"), "api:\n  name: X\n  versoin: v0\n").unwrap();
    let run = xtask(&["codegen", "--spec", s(&root), "--out", s(&root.join("out"))]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run).contains("api.yaml"), "{}", text(&run));
    let run = xtask(&["diff", "--old", s(&root), "--spec", s(&root)]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("does not load"), "{}", text(&run));

    let run = xtask(&["openapi", "--out", ".."]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert!(
        text(&run).contains("not a path to a file"),
        "{}",
        text(&run)
    );

    for (args, error) in [
        (
            &["synth", "--operations", "zero", "--out", "x"][..],
            "--operations needs a whole number of at least 1, not `zero`",
        ),
        (
            &["synth", "--out", "x"],
            "synth needs --operations N and --out DIR",
        ),
        (&["synth", "--out"], "--out needs a folder"),
        (&["synth", "--operations"], "--operations needs a number"),
        (&["openapi", "--bogus"], "unknown openapi option `--bogus`"),
        (&["openapi", "--out"], "--out needs a file"),
        (&["codegen", "--spec"], "--spec needs a folder"),
        (&["codegen", "HEAD"], "unknown codegen option `HEAD`"),
        (
            &["diff", "HEAD", "HEAD~1"],
            "give either a git ref or --old DIR, once",
        ),
        (
            &["diff", "--old", "a", "HEAD"],
            "give either a git ref or --old DIR, once",
        ),
        (&["diff", "-x"], "unknown diff option `-x`"),
        (&["diff", "--old"], "--old needs a folder"),
        (
            &["any-spec", "--synth", "30,0"],
            "--synth needs whole numbers of at least 1, comma-separated, not `30,0`",
        ),
        (&["any-spec", "--synth"], "--synth needs sizes, e.g. 30,300"),
        (&["frobnicate"], "unknown command `frobnicate`"),
        (&[], "no command given"),
    ] {
        let run = xtask(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", text(&run));
        assert!(run.stdout.is_empty(), "{args:?}: {}", text(&run));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.starts_with(&format!("error: {error}\n\nusage: cargo xtask")),
            "{args:?}: {stderr}"
        );
    }
    let run = xtask(&["help"]);
    assert!(run.status.success());
    for command in ["codegen", "openapi", "diff", "synth"] {
        assert!(text(&run).contains(command), "help lists {command}");
    }
    fs::remove_dir_all(&root).unwrap();
}
