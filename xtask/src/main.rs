//! `cargo xtask <command>`: see `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::codegen;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--spec DIR] [--out DIR]
      Regenerate enkash-generated from the spec. With --check, write nothing and fail
      (printing a diff) when the checked-in files are stale.
  help
      Print this message.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => run_codegen(&args[1..]),
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
                    // A folder of one's own gets the client only, not the project README table.
                    options.readme = None;
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
