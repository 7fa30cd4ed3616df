//! `enkash`: every operation of the EnKash APIs from the command line (feature `cli`).
//!
//! `enkash --env uat orders get ORDER_ID`; `enkash --help` lists the subcommands. See
//! [`enkash_generated::run_cli`].

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    enkash_generated::run_cli(std::env::args_os())
}
