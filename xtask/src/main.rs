//! `cargo xtask <command>`: see `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{any_spec, codegen, diff, openapi, synth};

/// Generation allocates and frees millions of small token and syntax-tree nodes; mimalloc
/// takes about a third off `codegen` at a thousand operations compared with glibc's malloc
/// (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--spec DIR] [--out DIR]
      Regenerate enkash-generated from the spec. With --check, write nothing and fail
      (printing a diff) when the checked-in files are stale. Project runs also keep
      enkash-spec/openapi.json and the README's operations table fresh; with --out DIR only
      the client is written, into DIR.
  openapi [--spec DIR] [--out FILE]
      Export the spec as an OpenAPI 3.0.3 document (default: enkash-spec/openapi.json).
  diff [GIT-REF | --old DIR] [--spec DIR]
      List what changed in the spec since GIT-REF (default: HEAD) or against another spec
      folder, each change classed as breaking or compatible for code using enkash-generated.
      Exits with 1 when anything breaks, 2 on errors.
  drift REPORT.json... [--spec DIR] [--apply FILE]
      Read drift reports recorded by the client (`DriftRecorder`), merge them, and print the
      spec changes they suggest as a unified diff against the spec's YAML files, then a summary
      table. Never edits the spec; with --apply FILE the diff is written to FILE (for review,
      then `git apply FILE`). Exits with 2 on errors.
  contract [--report FILE]
      With ENKASH_ACCESS_KEY and ENKASH_SECRET_KEY set (ENKASH_BASE_URL for another host than
      the spec's UAT), call a minimal flow with drift recording on: create an order of 1.00 INR,
      get its status, search settlement payouts (5), the read-only searches; then print the
      drift found and the spec changes it suggests, and write the report (default
      target/contract/drift-report.json). Without the keys it says it skipped and exits 0.
      Exits with 1 when a call failed without an answer of EnKash (connection, token,
      settings), 2 on errors.
      (drift and contract use the generated client: they are the package xtask-client, which
      this command runs.)
  synth --operations N --out DIR
      Write a synthetic spec of N EnKash-shaped operations (the token exchange included) into
      DIR, for benchmarks and scale tests.
  any-spec [--synth N,N,...]
      Check that the client generated from other specs compiles: in a scratch workspace under
      target/any-spec, one crate per spec (the hand-written runtime of enkash-generated plus
      the code generated for that spec) for the synthetic spec at 30 and 300 operations (or
      the sizes given) and every fixture spec of enkash-codegen/tests/fixtures, then
      `cargo check` with all features and with none. Reports each spec's verdict and first
      errors; exits with 1 when any spec fails, 2 when the check cannot run.
  help
      Print this message.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => run_codegen(&args[1..]),
        Some("openapi") => run_openapi(&args[1..]),
        Some("diff") => run_diff(&args[1..]),
        Some(command @ ("drift" | "contract")) => run_client_tool(command, &args[1..]),
        Some("synth") => run_synth(&args[1..]),
        Some("any-spec") => run_any_spec(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("no command given"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn run_codegen(args: &[String]) -> ExitCode {
    let mut options = codegen::Options::project_defaults(false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--spec" | "--out" => {
                let Some(value) = args.next() else {
                    return usage_error(&format!("{arg} needs a folder"));
                };
                let value = PathBuf::from(value);
                if arg == "--spec" {
                    options.spec_dir = value;
                } else {
                    options.out_dir = value;
                    // A folder of one's own gets the client only: not the project's README table
                    // nor its openapi.json.
                    options.readme = None;
                    options.openapi = None;
                }
            }
            other => return usage_error(&format!("unknown codegen option `{other}`")),
        }
    }
    match codegen::run(&options) {
        Ok(report) if options.check && !report.changes.is_empty() => {
            eprint!("{}", codegen::stale_message(&report));
            ExitCode::FAILURE
        }
        Ok(report) => {
            println!("{}", report.summary(options.check));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::FAILURE
        }
    }
}

fn run_openapi(args: &[String]) -> ExitCode {
    let mut options = openapi::Options::project_defaults();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => {
                let Some(value) = args.next() else {
                    return usage_error("--spec needs a folder");
                };
                options.spec_dir = PathBuf::from(value);
            }
            "--out" => {
                let Some(value) = args.next() else {
                    return usage_error("--out needs a file");
                };
                options.out_file = PathBuf::from(value);
            }
            other => return usage_error(&format!("unknown openapi option `{other}`")),
        }
    }
    match openapi::run(&options) {
        Ok(changed) => {
            let verb = if changed { "wrote" } else { "unchanged:" };
            println!("openapi: {verb} {}", options.out_file.display());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::FAILURE
        }
    }
}

fn run_diff(args: &[String]) -> ExitCode {
    let mut options = diff::Options::project_defaults();
    let mut old_given = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" | "--old" => {
                let Some(value) = args.next() else {
                    return usage_error(&format!("{arg} needs a folder"));
                };
                if arg == "--spec" {
                    options.spec_dir = PathBuf::from(value);
                } else if old_given {
                    return usage_error("give either a git ref or --old DIR, once");
                } else {
                    options.old = diff::OldSpec::Dir(PathBuf::from(value));
                    old_given = true;
                }
            }
            other if other.starts_with('-') => {
                return usage_error(&format!("unknown diff option `{other}`"));
            }
            rev => {
                if old_given {
                    return usage_error("give either a git ref or --old DIR, once");
                }
                options.old = diff::OldSpec::GitRef(rev.to_owned());
                old_given = true;
            }
        }
    }
    match diff::run(&options) {
        Ok(outcome) => {
            print!("{}", outcome.report);
            if outcome.comparison.is_breaking() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(2)
        }
    }
}

/// Runs `command` of the `xtask-client` package (`drift`, `contract`): the commands that use
/// the generated client live there, so that this package never depends on the generated crate
/// and `cargo xtask codegen` works while the generated code does not compile (a runtime change
/// waiting for its regenerated code).
fn run_client_tool(command: &str, args: &[String]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask-client", "--", command])
        .args(args)
        .current_dir(xtask::workspace_root())
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
            None => ExitCode::from(2),
        },
        Err(err) => {
            eprintln!("cannot run cargo for `{command}`: {err}");
            ExitCode::from(2)
        }
    }
}

fn run_synth(args: &[String]) -> ExitCode {
    let mut operations = None;
    let mut out_dir = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--operations" => {
                let Some(value) = args.next() else {
                    return usage_error("--operations needs a number");
                };
                match value.parse::<usize>() {
                    Ok(n) if n >= 1 => operations = Some(n),
                    _ => {
                        return usage_error(&format!(
                            "--operations needs a whole number of at least 1, not `{value}`"
                        ));
                    }
                }
            }
            "--out" => {
                let Some(value) = args.next() else {
                    return usage_error("--out needs a folder");
                };
                out_dir = Some(PathBuf::from(value));
            }
            other => return usage_error(&format!("unknown synth option `{other}`")),
        }
    }
    let (Some(operations), Some(out_dir)) = (operations, out_dir) else {
        return usage_error("synth needs --operations N and --out DIR");
    };
    match synth::run(&synth::Options {
        operations,
        out_dir: out_dir.clone(),
    }) {
        Ok(written) => {
            println!(
                "synth: {operations} operations in {} files under {}",
                written.len(),
                out_dir.display()
            );
            ExitCode::SUCCESS
        }
        Err((path, err)) => {
            eprintln!("error: {}: {err}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn run_any_spec(args: &[String]) -> ExitCode {
    let mut options = any_spec::Options::project_defaults();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--synth" => {
                let Some(value) = args.next() else {
                    return usage_error("--synth needs sizes, e.g. 30,300");
                };
                let sizes: Result<Vec<usize>, _> = value
                    .split(',')
                    .map(|size| size.trim().parse::<usize>())
                    .collect();
                match sizes {
                    Ok(sizes) if sizes.iter().all(|size| *size >= 1) => {
                        options.synth_sizes = sizes;
                    }
                    _ => {
                        return usage_error(&format!(
                            "--synth needs whole numbers of at least 1, comma-separated, not `{value}`"
                        ));
                    }
                }
            }
            other => return usage_error(&format!("unknown any-spec option `{other}`")),
        }
    }
    match any_spec::run(&options, &mut |line| eprintln!("{line}")) {
        Ok(outcome) => {
            print!("{}", any_spec::report(&outcome));
            if outcome.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(2)
        }
    }
}
