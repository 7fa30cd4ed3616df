//! `cargo xtask drift` and `cargo xtask contract` (see `cargo xtask help`): `cargo xtask` runs
//! this program for them.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask_client::{contract, drift};

const USAGE: &str = "\
usage: cargo xtask drift REPORT.json... [--spec DIR] [--apply FILE]
       cargo xtask contract [--report FILE]

See `cargo xtask help` for what each does.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("drift") => run_drift(&args[1..]),
        Some("contract") => run_contract(&args[1..]),
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

fn run_drift(args: &[String]) -> ExitCode {
    let mut options = drift::Options::project_defaults();
    let mut apply = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" | "--apply" => {
                let Some(value) = args.next() else {
                    return usage_error(&format!("{arg} needs a path"));
                };
                if arg == "--spec" {
                    options.spec_dir = PathBuf::from(value);
                    options.shown_dir = value.trim_end_matches('/').to_owned();
                } else {
                    apply = Some(PathBuf::from(value));
                }
            }
            other if other.starts_with('-') => {
                return usage_error(&format!("unknown drift option `{other}`"));
            }
            report => options.reports.push(PathBuf::from(report)),
        }
    }
    if options.reports.is_empty() {
        return usage_error("drift needs at least one report");
    }
    match drift::run(&options) {
        Ok(outcome) => {
            if let Some(file) = apply {
                if let Err(err) = std::fs::write(&file, &outcome.patch) {
                    eprintln!("cannot write {}: {err}", file.display());
                    return ExitCode::from(2);
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
    }
}

fn run_contract(args: &[String]) -> ExitCode {
    let mut report = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--report" => {
                let Some(value) = args.next() else {
                    return usage_error("--report needs a file");
                };
                report = Some(PathBuf::from(value));
            }
            other => return usage_error(&format!("unknown contract option `{other}`")),
        }
    }
    let Some(target) = contract::Target::from_env() else {
        println!("{}", contract::SKIPPED);
        return ExitCode::SUCCESS;
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
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(contract::run(&options)) {
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
    }
}
