//! `cargo xtask <command>`: see `cargo xtask help`.

use std::process::ExitCode;

use xtask::args::{Arg, Args, dispatch};
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
    dispatch(
        USAGE,
        &args,
        &[
            ("codegen", run_codegen),
            ("openapi", run_openapi),
            ("diff", run_diff),
            ("drift", |args| run_client_tool("drift", args)),
            ("contract", |args| run_client_tool("contract", args)),
            ("synth", run_synth),
            ("any-spec", run_any_spec),
        ],
    )
}

fn codegen_options(args: &[String]) -> Result<codegen::Options, String> {
    let mut options = codegen::Options::project_defaults(false);
    let mut args = Args::new("codegen", args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag("--check") => options.check = true,
            Arg::Flag(flag @ "--spec") => options.spec_dir = args.path(flag, "a folder")?,
            Arg::Flag(flag @ "--out") => {
                options.out_dir = args.path(flag, "a folder")?;
                // A folder of one's own gets the client only: not the project's README table
                // nor its openapi.json.
                options.readme = None;
                options.openapi = None;
            }
            other => return Err(args.unknown(other)),
        }
    }
    Ok(options)
}

fn run_codegen(args: &[String]) -> Result<ExitCode, String> {
    let options = codegen_options(args)?;
    Ok(match codegen::run(&options) {
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
    })
}

fn openapi_options(args: &[String]) -> Result<openapi::Options, String> {
    let mut options = openapi::Options::project_defaults();
    let mut args = Args::new("openapi", args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag(flag @ "--spec") => options.spec_dir = args.path(flag, "a folder")?,
            Arg::Flag(flag @ "--out") => options.out_file = args.path(flag, "a file")?,
            other => return Err(args.unknown(other)),
        }
    }
    Ok(options)
}

fn run_openapi(args: &[String]) -> Result<ExitCode, String> {
    let options = openapi_options(args)?;
    Ok(match openapi::run(&options) {
        Ok(changed) => {
            let verb = if changed { "wrote" } else { "unchanged:" };
            println!("openapi: {verb} {}", options.out_file.display());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::FAILURE
        }
    })
}

fn diff_options(args: &[String]) -> Result<diff::Options, String> {
    const ONCE: &str = "give either a git ref or --old DIR, once";
    let mut options = diff::Options::project_defaults();
    let mut old_given = false;
    let mut args = Args::new("diff", args);
    while let Some(arg) = args.next() {
        let old = match arg {
            Arg::Flag(flag @ "--spec") => {
                options.spec_dir = args.path(flag, "a folder")?;
                continue;
            }
            Arg::Flag(flag @ "--old") => diff::OldSpec::Dir(args.path(flag, "a folder")?),
            Arg::Positional(rev) => diff::OldSpec::GitRef(rev.to_owned()),
            other @ Arg::Flag(_) => return Err(args.unknown(other)),
        };
        if old_given {
            return Err(ONCE.to_owned());
        }
        options.old = old;
        old_given = true;
    }
    Ok(options)
}

fn run_diff(args: &[String]) -> Result<ExitCode, String> {
    let options = diff_options(args)?;
    Ok(match diff::run(&options) {
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
    })
}

/// Runs `command` of the `xtask-client` package (`drift`, `contract`): the commands that use
/// the generated client live there, so that this package never depends on the generated crate
/// and `cargo xtask codegen` works while the generated code does not compile (a runtime change
/// waiting for its regenerated code). It reads the arguments itself.
fn run_client_tool(command: &str, args: &[String]) -> Result<ExitCode, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask-client", "--", command])
        .args(args)
        .current_dir(xtask::workspace_root())
        .status();
    Ok(match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
            None => ExitCode::from(2),
        },
        Err(err) => {
            eprintln!("cannot run cargo for `{command}`: {err}");
            ExitCode::from(2)
        }
    })
}

fn synth_options(args: &[String]) -> Result<synth::Options, String> {
    let (mut operations, mut out_dir) = (None, None);
    let mut args = Args::new("synth", args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag(flag @ "--operations") => operations = Some(args.number(flag)?),
            Arg::Flag(flag @ "--out") => out_dir = Some(args.path(flag, "a folder")?),
            other => return Err(args.unknown(other)),
        }
    }
    let (Some(operations), Some(out_dir)) = (operations, out_dir) else {
        return Err("synth needs --operations N and --out DIR".to_owned());
    };
    Ok(synth::Options {
        operations,
        out_dir,
    })
}

fn run_synth(args: &[String]) -> Result<ExitCode, String> {
    let options = synth_options(args)?;
    Ok(match synth::run(&options) {
        Ok(written) => {
            println!(
                "synth: {} operations in {} files under {}",
                options.operations,
                written.len(),
                options.out_dir.display()
            );
            ExitCode::SUCCESS
        }
        Err((path, err)) => {
            eprintln!("error: {}: {err}", path.display());
            ExitCode::FAILURE
        }
    })
}

fn any_spec_options(args: &[String]) -> Result<any_spec::Options, String> {
    let mut options = any_spec::Options::project_defaults();
    let mut args = Args::new("any-spec", args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag(flag @ "--synth") => {
                options.synth_sizes = args.numbers(flag, "sizes, e.g. 30,300")?;
            }
            other => return Err(args.unknown(other)),
        }
    }
    Ok(options)
}

fn run_any_spec(args: &[String]) -> Result<ExitCode, String> {
    let options = any_spec_options(args)?;
    Ok(
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
        },
    )
}
