//! `enkash`: every operation of the spec from the command line (feature `cli`).
//!
//! `enkash --env uat orders get ORDER_ID`; `enkash --help` lists the subcommands. See
//! [`enkash_generated::cli_main`].

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    enkash_generated::cli_main()
}
