//! `cargo xtask drift` and `cargo xtask contract` (see `cargo xtask help`): `cargo xtask` runs
//! this program for them.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::args::{Arg, Args, dispatch};
use xtask_client::{contract, drift};

const USAGE: &str = "\
usage: cargo xtask drift REPORT.json... [--spec DIR] [--apply FILE]
       cargo xtask contract [--report FILE]

See `cargo xtask help` for what each does.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    dispatch(
        USAGE,
        &args,
        &[("drift", run_drift), ("contract", run_contract)],
    )
}

/// The options of `drift`, and the file of `--apply`.
fn drift_options(args: &[String]) -> Result<(drift::Options, Option<PathBuf>), String> {
    let mut options = drift::Options::project_defaults();
    let mut apply = None;
    let mut args = Args::new("drift", args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag(flag @ "--spec") => {
                let value = args.value(flag, "a path")?;
                options.spec_dir = PathBuf::from(value);
                options.shown_dir = value.trim_end_matches('/').to_owned();
            }
            Arg::Flag(flag @ "--apply") => apply = Some(args.path(flag, "a path")?),
            Arg::Positional(report) => options.reports.push(PathBuf::from(report)),
            other => return Err(args.unknown(other)),
        }
    }
    if options.reports.is_empty() {
        return Err("drift needs at least one report".to_owned());
    }
    Ok((options, apply))
}

fn run_drift(args: &[String]) -> Result<ExitCode, String> {
    let (options, apply) = drift_options(args)?;
    Ok(match drift::run(&options) {
        Ok(outcome) => {
            if let Some(file) = apply {
                if let Err(err) = std::fs::write(&file, &outcome.patch) {
                    eprintln!("cannot write {}: {err}", file.display());
                    return Ok(ExitCode::from(2));
                }
                println!("drift: wrote the suggested changes to {}", file.display());
            } else {
                print!("{}", outcome.patch);
            }
            println!("\n{}", outcome.summary);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(2)
        }
    })
}

/// The file of `contract --report`, if given.
fn contract_options(args: &[String]) -> Result<Option<PathBuf>, String> {
    let mut report = None;
    let mut args = Args::new("contract", args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag(flag @ "--report") => report = Some(args.path(flag, "a file")?),
            other => return Err(args.unknown(other)),
        }
    }
    Ok(report)
}

fn run_contract(args: &[String]) -> Result<ExitCode, String> {
    let report = contract_options(args)?;
    let Some(target) = contract::Target::from_env() else {
        println!("{}", contract::SKIPPED);
        return Ok(ExitCode::SUCCESS);
    };
    let mut options = contract::Options::project_defaults(target);
    if let Some(report) = report {
        options.report = report;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            return Ok(ExitCode::from(2));
        }
    };
    Ok(match runtime.block_on(contract::run(&options)) {
        Ok(outcome) => {
            print!("{}", outcome.text());
            if outcome.failed() {
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
