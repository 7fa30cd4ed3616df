//! The `enkash` command line's program (feature `cli`): what does not depend on the spec. The
//! generated `cli_commands.rs` files give it their clap `Command` tree and a dispatch function
//! ([`CliApp`]); this module adds the global options, reads the credentials (environment or
//! `--config` file, never flags) and `--body`, runs the dispatch on a current-thread runtime,
//! prints the answer or the request of `--dry-run`, shows a spinner while a waiter polls, and
//! turns errors into exit codes by class.
//!
//! Like the rest of the runtime it names no generated type: the generated commands reach it
//! through [`Host`], [`Outcome`], [`Failure`] and the argument helpers of [`args`].

mod args;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::future::Future;
use std::io::{IsTerminal, Read, Write};
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};

pub(crate) use self::args::*;
use crate::runtime::{DriftRecorder, DriftReport, Error};

/// Exit code: the call succeeded (also `--help`, `--version`, `--dry-run`).
const EXIT_OK: u8 = 0;
/// Exit code: bad arguments or request body, or a request the client refused to send
/// (`Error::Validation`).
const EXIT_USAGE: u8 = 2;
/// Exit code: the API refused the call (`Error::Api`, `Error::DuplicateId`).
const EXIT_REFUSED: u8 = 3;
/// Exit code: no usable answer (transport, timeout, HTTP, decode, cipher, a waiter's deadline).
const EXIT_TRANSPORT: u8 = 4;
/// Exit code: authentication or configuration (credentials, `--env`, `--config`).
const EXIT_CONFIG: u8 = 5;

/// What a command needs from the program running it.
pub(crate) trait Host {
    /// A setting: the environment variable `name`, or the config file's line `name=...`.
    fn setting(&self, name: &str) -> Option<String>;
    /// The text of `--body`: the JSON itself, `@FILE`'s contents, or standard input for `-`.
    fn read_body(&self, source: &str) -> Result<String, Failure>;
    /// `--dry-run`: describe the request instead of sending it.
    fn dry_run(&self) -> bool;
    /// Starts (`Some(message)`) or stops (`None`) showing that a waiter is polling.
    fn progress(&self, message: Option<&str>);
    /// `--record-drift`: the recorder the clients record into.
    fn drift_recorder(&self) -> Option<DriftRecorder>;
}

/// What a command did.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The decoded payload of the answer, as JSON.
    Payload(serde_json::Value),
    /// `--dry-run`: the request that was not sent.
    DryRun(Preview),
}

/// A request described instead of sent, its secrets left out.
#[derive(Debug)]
pub(crate) struct Preview {
    /// HTTP method.
    pub(crate) method: &'static str,
    /// The whole URL, query included.
    pub(crate) url: String,
    /// Headers, secrets replaced by `<redacted>`.
    pub(crate) headers: Vec<(String, String)>,
    /// The body as JSON, fields the client fills with a credential `<redacted>`.
    pub(crate) body: Option<serde_json::Value>,
    /// The body travels encrypted (the envelope's body cipher); shown in clear here.
    pub(crate) encrypted: bool,
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad arguments or request body: nothing was sent.
    Usage(String),
    /// Missing credentials or a bad `--env`.
    Config(String),
    /// The call failed.
    Call(Error),
    /// The answer could not be printed.
    Output(String),
}

/// The future of a generated dispatch function.
pub(crate) type RunFuture<'a> = Pin<Box<dyn Future<Output = Result<Outcome, Failure>> + 'a>>;

/// The generated part of a command line: its commands and how to run one.
pub(crate) struct CliApp {
    /// The program's name (`enkash`).
    pub(crate) name: &'static str,
    /// The names of the spec's environments, for the help of `--env`.
    pub(crate) environments: &'static [&'static str],
    /// The command tree (areas, operations, products), named `name`, without global options.
    pub(crate) command: fn(&'static str) -> Command,
    /// Runs the subcommand of the matches of `command`; the `Option<&str>` is `--env`.
    pub(crate) run: for<'a> fn(&'a dyn Host, Option<&'a str>, &'a ArgMatches) -> RunFuture<'a>,
}

/// Runs the command line `app` with `args` (the program name first, as `std::env::args_os`
/// gives them) and returns the process's exit code: 0 success, 2 usage or validation, 3 the API
/// refused the call, 4 transport, timeout, HTTP, decoding or cipher failures, 5 authentication or
/// configuration.
pub(crate) fn main<I, T>(app: &CliApp, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let env_help = if app.environments.is_empty() {
        "Where to send requests: a base URL".to_owned()
    } else {
        format!(
            "Where to send requests: an environment of the spec ({}) or a base URL",
            app.environments.join(", ")
        )
    };
    let command = (app.command)(app.name)
        .version(env!("CARGO_PKG_VERSION"))
        .arg(
            Arg::new("env")
                .long("env")
                .global(true)
                .value_name("ENV|URL")
                .help(env_help),
        )
        .arg(
            Arg::new("config")
                .long("config")
                .global(true)
                .value_name("FILE")
                .help("Read credentials from FILE's `KEY=VALUE` lines (they win over the environment)"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print the request (method, URL, headers with secrets redacted, body) and send nothing"),
        )
        .arg(
            Arg::new("record-drift")
                .long("record-drift")
                .global(true)
                .value_name("FILE")
                .help("Record what the answers hold that the spec does not say (shapes, never values) and merge it into the drift report FILE, for `cargo xtask drift`"),
        );
    let matches = match command.try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(err) => {
            // `--help` and `--version` are "errors" printed to stdout with success.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    match run(app, &matches) {
        Ok(outcome) => match print_outcome(&outcome) {
            Ok(()) => ExitCode::from(EXIT_OK),
            Err(err) => report(&Failure::Output(err.to_string())),
        },
        Err(failure) => report(&failure),
    }
}

fn run(app: &CliApp, matches: &ArgMatches) -> Result<Outcome, Failure> {
    let settings = match matches.get_one::<String>("config") {
        Some(path) => read_config(path)?,
        None => BTreeMap::new(),
    };
    let dry_run = matches.get_flag("dry-run");
    // Read before anything is sent: a file that is no drift report stops the command here.
    let drift = match matches.get_one::<String>("record-drift") {
        Some(path) if !dry_run => Some((path.as_str(), read_report(path)?)),
        _ => None,
    };
    let recorder = drift.as_ref().map(|_| DriftRecorder::new());
    let host = CliHost {
        settings,
        dry_run,
        spinner: RefCell::new(None),
        recorder: recorder.clone(),
    };
    let env = matches.get_one::<String>("env").map(String::as_str);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Config(format!("cannot start the async runtime: {err}")))?;
    let outcome = runtime.block_on((app.run)(&host, env, matches));
    // What a failed call's answer held is drift too: recorded whatever the outcome.
    if let (Some((path, mut merged)), Some(recorder)) = (drift, recorder) {
        merged.merge(recorder.report());
        if let Err(failure) = write_report(path, &merged) {
            match outcome {
                Ok(_) => return Err(failure),
                // The call's own failure decides the exit code; this one is said too.
                Err(_) => {
                    report(&failure);
                }
            }
        }
    }
    outcome
}

/// The drift report already in `path` (empty when there is no such file).
fn read_report(path: &str) -> Result<DriftReport, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => DriftReport::from_json(&text).map_err(|err| {
            Failure::Config(format!(
                "`--record-drift {path}`: the file is not a drift report ({err}); nothing was sent"
            ))
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(DriftReport::default()),
        Err(err) => Err(Failure::Config(format!(
            "`--record-drift {path}`: cannot read it: {err}; nothing was sent"
        ))),
    }
}

/// Writes `report` to `path` whole or not at all: a file beside it, then renamed over it.
fn write_report(path: &str, report: &DriftReport) -> Result<(), Failure> {
    let failed = |err: std::io::Error| {
        Failure::Config(format!(
            "`--record-drift {path}`: cannot write the report: {err}"
        ))
    };
    let temporary = format!("{path}.{}.tmp", std::process::id());
    std::fs::write(&temporary, report.to_json()).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(|err| {
        let _ = std::fs::remove_file(&temporary);
        failed(err)
    })
}

/// The settings of a config file: `KEY=VALUE` lines; blank lines and `#` comments are skipped,
/// `export ` before a key and quotes around a value are allowed.
fn read_config(path: &str) -> Result<BTreeMap<String, String>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Failure::Config(format!("cannot read the config file `{path}`: {err}")))?;
    parse_config(&text).map_err(|line| {
        Failure::Config(format!(
            "the config file `{path}`: line {line} is not `KEY=VALUE`"
        ))
    })
}

/// `KEY=VALUE` lines, or the number of the first line that is not one.
fn parse_config(text: &str) -> Result<BTreeMap<String, String>, usize> {
    let mut settings = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(number + 1);
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(number + 1);
        }
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|quote| {
                value
                    .strip_prefix(*quote)
                    .and_then(|rest| rest.strip_suffix(*quote))
            })
            .unwrap_or(value);
        settings.insert(key.to_owned(), value.to_owned());
    }
    Ok(settings)
}

/// The program side of the generated commands. No `Debug`: the settings hold credentials.
struct CliHost {
    settings: BTreeMap<String, String>,
    dry_run: bool,
    spinner: RefCell<Option<indicatif::ProgressBar>>,
    recorder: Option<DriftRecorder>,
}

impl Host for CliHost {
    fn setting(&self, name: &str) -> Option<String> {
        self.settings
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
            .filter(|value| !value.is_empty())
    }

    fn read_body(&self, source: &str) -> Result<String, Failure> {
        if source == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|err| {
                Failure::Usage(format!("cannot read the body from standard input: {err}"))
            })?;
            Ok(text)
        } else if let Some(path) = source.strip_prefix('@') {
            std::fs::read_to_string(path)
                .map_err(|err| Failure::Usage(format!("cannot read the body file `{path}`: {err}")))
        } else {
            Ok(source.to_owned())
        }
    }

    fn dry_run(&self) -> bool {
        self.dry_run
    }

    fn drift_recorder(&self) -> Option<DriftRecorder> {
        self.recorder.clone()
    }

    fn progress(&self, message: Option<&str>) {
        let mut spinner = self.spinner.borrow_mut();
        if let Some(done) = spinner.take() {
            done.finish_and_clear();
        }
        if let Some(message) = message
            && std::io::stderr().is_terminal()
        {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message(message.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            *spinner = Some(bar);
        }
    }
}

/// Prints an answer (JSON, pretty on a terminal, one line otherwise) or a dry run's request.
fn print_outcome(outcome: &Outcome) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let pretty = stdout.is_terminal();
    let mut out = stdout.lock();
    match outcome {
        Outcome::Payload(value) => write_json(&mut out, value, pretty)?,
        Outcome::DryRun(preview) => print_preview(&mut out, preview)?,
    }
    out.flush()
}

fn write_json(
    out: &mut impl Write,
    value: &serde_json::Value,
    pretty: bool,
) -> std::io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    writeln!(out)
}

fn print_preview(out: &mut impl Write, preview: &Preview) -> std::io::Result<()> {
    writeln!(out, "{} {}", preview.method, preview.url)?;
    for (name, value) in &preview.headers {
        writeln!(out, "{name}: {value}")?;
    }
    if let Some(body) = &preview.body {
        writeln!(out)?;
        write_json(out, body, true)?;
        if preview.encrypted {
            writeln!(out, "(sent encrypted with the API's body cipher)")?;
        }
    }
    writeln!(out, "(dry run: nothing was sent)")
}

/// Prints a failure on stderr and returns its exit code.
fn report(failure: &Failure) -> ExitCode {
    let mut err = std::io::stderr().lock();
    let code = match failure {
        Failure::Usage(message) => {
            let _ = writeln!(err, "error: {message}");
            EXIT_USAGE
        }
        Failure::Config(message) => {
            let _ = writeln!(err, "error: {message}");
            EXIT_CONFIG
        }
        Failure::Output(message) => {
            let _ = writeln!(err, "error: cannot print the answer: {message}");
            EXIT_TRANSPORT
        }
        Failure::Call(error) => {
            let _ = writeln!(err, "error: {error}");
            if let Some(code) = error.code() {
                let _ = writeln!(err, "code: {code}");
            }
            if let Some(message) = api_message(error) {
                let _ = writeln!(err, "message: {message}");
            }
            let processed = if error.may_have_been_processed() {
                "yes: look the call up before repeating it"
            } else {
                "no"
            };
            let _ = writeln!(err, "may have been processed: {processed}");
            exit_code(error)
        }
    };
    ExitCode::from(code)
}

/// The API's message of a refusal.
fn api_message(error: &Error) -> Option<&str> {
    match error {
        Error::Api { message, .. } | Error::DuplicateId { message, .. } if !message.is_empty() => {
            Some(message)
        }
        _ => None,
    }
}

/// The exit code of a failed call, by class.
fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Validation { .. } => EXIT_USAGE,
        Error::Api { .. } | Error::DuplicateId { .. } | Error::Unconfirmed { .. } => EXIT_REFUSED,
        Error::Auth { .. } | Error::Config { .. } => EXIT_CONFIG,
        _ => EXIT_TRANSPORT,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_config;

    #[test]
    fn config_lines_are_key_value_with_comments_and_quotes() {
        let settings = parse_config(
            "# credentials\n\nENKASH_ACCESS_KEY=ak\nexport ENKASH_SECRET_KEY = \"s=k\"\n",
        );
        let settings = settings.unwrap_or_default();
        assert_eq!(
            settings.get("ENKASH_ACCESS_KEY").map(String::as_str),
            Some("ak")
        );
        assert_eq!(
            settings.get("ENKASH_SECRET_KEY").map(String::as_str),
            Some("s=k")
        );
        assert_eq!(parse_config("A=1\nnot a setting\n"), Err(2));
    }
}
