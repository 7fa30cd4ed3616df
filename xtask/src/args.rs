//! The command line of `cargo xtask` and of `xtask-client`: [`dispatch`] runs the command the
//! first argument names (or prints the usage), and [`Args`] reads one command's arguments with
//! the same error texts everywhere (`--spec needs a folder`, "unknown diff option `-x`").
//!
//! A command is a function of its arguments whose `Err` is a usage error: [`dispatch`] prints it
//! with the usage and exits with 2.

use std::path::PathBuf;
use std::process::ExitCode;

/// A command: runs on its arguments (those after its name); `Err` is a usage error.
pub type Run = fn(&[String]) -> Result<ExitCode, String>;

/// Runs the command of `commands` that `args[0]` names on the rest of `args`; `help`, `--help`
/// and `-h` print `usage`; no command, an unknown one, or a command's `Err` is a usage error.
pub fn dispatch(usage: &str, args: &[String], commands: &[(&str, Run)]) -> ExitCode {
    let outcome = match args.split_first() {
        None => Err("no command given".to_owned()),
        Some((name, rest)) => match commands.iter().find(|(command, _)| command == name) {
            Some((_, run)) => run(rest),
            None if matches!(name.as_str(), "help" | "--help" | "-h") => {
                println!("{usage}");
                Ok(ExitCode::SUCCESS)
            }
            None => Err(format!("unknown command `{name}`")),
        },
    };
    outcome.unwrap_or_else(|message| usage_error(usage, &message))
}

/// Prints `error: <message>`, then `usage`, to stderr; the exit code of usage errors, 2.
pub fn usage_error(usage: &str, message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{usage}");
    ExitCode::from(2)
}

/// One argument: an option (it starts with `-`) or a positional one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// `--check`, `--spec`, `-`: whatever starts with `-`.
    Flag(&'a str),
    /// Anything else (a git ref, a report file).
    Positional(&'a str),
}

/// The arguments of one command, read in order; errors name the command and the flag.
#[derive(Debug, Clone)]
pub struct Args<'a> {
    command: &'a str,
    rest: std::slice::Iter<'a, String>,
}

impl<'a> Args<'a> {
    /// The arguments `args` of `command` (named in "unknown `command` option").
    pub fn new(command: &'a str, args: &'a [String]) -> Self {
        Args {
            command,
            rest: args.iter(),
        }
    }

    /// The value of `flag`, the next argument whatever it is; without one,
    /// "`flag` needs `what`" (`--spec needs a folder`).
    pub fn value(&mut self, flag: &str, what: &str) -> Result<&'a str, String> {
        self.rest
            .next()
            .map(String::as_str)
            .ok_or_else(|| format!("{flag} needs {what}"))
    }

    /// The value of `flag` as a path (see [`Args::value`]).
    pub fn path(&mut self, flag: &str, what: &str) -> Result<PathBuf, String> {
        self.value(flag, what).map(PathBuf::from)
    }

    /// The value of `flag` as a whole number of at least 1.
    pub fn number(&mut self, flag: &str) -> Result<usize, String> {
        let value = self.value(flag, "a number")?;
        whole_number(value)
            .ok_or_else(|| format!("{flag} needs a whole number of at least 1, not `{value}`"))
    }

    /// The value of `flag` as comma-separated whole numbers of at least 1 (`30,300`); without
    /// a value, "`flag` needs `what`".
    pub fn numbers(&mut self, flag: &str, what: &str) -> Result<Vec<usize>, String> {
        let value = self.value(flag, what)?;
        let numbers: Option<Vec<usize>> = value
            .split(',')
            .map(|number| whole_number(number.trim()))
            .collect();
        numbers.ok_or_else(|| {
            format!("{flag} needs whole numbers of at least 1, comma-separated, not `{value}`")
        })
    }

    /// The error for an argument the command does not take: "unknown codegen option `x`".
    pub fn unknown(&self, arg: Arg<'_>) -> String {
        let (Arg::Flag(text) | Arg::Positional(text)) = arg;
        format!("unknown {} option `{text}`", self.command)
    }
}

impl<'a> Iterator for Args<'a> {
    type Item = Arg<'a>;

    fn next(&mut self) -> Option<Arg<'a>> {
        let arg = self.rest.next()?.as_str();
        Some(if arg.starts_with('-') {
            Arg::Flag(arg)
        } else {
            Arg::Positional(arg)
        })
    }
}

/// `text` as a whole number of at least 1.
fn whole_number(text: &str) -> Option<usize> {
    text.parse::<usize>().ok().filter(|n| *n >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn yields_flags_and_positionals_and_takes_values_verbatim() {
        let args = strings(&["--check", "HEAD", "--out", "--check", "-"]);
        let mut args = Args::new("codegen", &args);
        assert_eq!(args.next(), Some(Arg::Flag("--check")));
        assert_eq!(args.next(), Some(Arg::Positional("HEAD")));
        assert_eq!(args.next(), Some(Arg::Flag("--out")));
        assert_eq!(args.path("--out", "a folder"), Ok(PathBuf::from("--check")));
        assert_eq!(args.next(), Some(Arg::Flag("-")));
        assert_eq!(args.next(), None);
        assert_eq!(
            args.value("--spec", "a folder"),
            Err("--spec needs a folder".to_owned())
        );
    }

    #[test]
    fn names_the_command_in_unknown_options() {
        let args = Args::new("diff", &[]);
        assert_eq!(args.unknown(Arg::Flag("-x")), "unknown diff option `-x`");
        assert_eq!(
            args.unknown(Arg::Positional("y")),
            "unknown diff option `y`"
        );
    }

    #[test]
    fn reads_whole_numbers_of_at_least_one() {
        let args = strings(&["12", "0", "zero", "-3", "30, 300", "30,,300"]);
        let mut args = Args::new("synth", &args);
        assert_eq!(args.number("--operations"), Ok(12));
        for bad in ["0", "zero", "-3"] {
            let message = format!("--operations needs a whole number of at least 1, not `{bad}`");
            assert_eq!(args.number("--operations"), Err(message));
        }
        assert_eq!(args.numbers("--synth", "sizes"), Ok(vec![30, 300]));
        assert_eq!(
            args.numbers("--synth", "sizes"),
            Err(
                "--synth needs whole numbers of at least 1, comma-separated, not `30,,300`"
                    .to_owned()
            )
        );
        assert_eq!(
            args.number("--operations"),
            Err("--operations needs a number".to_owned())
        );
        assert_eq!(
            args.numbers("--synth", "sizes"),
            Err("--synth needs sizes".to_owned())
        );
    }
}
