//! `cargo xtask codegen [--check]`: spec → model → Rust files in `enkash-generated`.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::files::{self, Change};

/// Where to read the spec and write the generated files.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder of `*.yaml` spec files.
    pub spec_dir: PathBuf,
    /// Folder the generated files belong in.
    pub out_dir: PathBuf,
    /// Compare only: write nothing.
    pub check: bool,
}

impl Options {
    /// The project's own spec and generated folder.
    pub fn project_defaults(check: bool) -> Self {
        let root = crate::workspace_root();
        Options {
            spec_dir: enkash_spec::default_spec_dir(),
            out_dir: root.join(enkash_codegen::GENERATED_DIR),
            check,
        }
    }
}

/// What a run did (or, with `--check`, would do).
#[derive(Debug)]
pub struct Report {
    /// Files created or updated, or that would be.
    pub changes: Vec<Change>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Time from loading the spec to the end of writing.
    pub elapsed: Duration,
}

impl Report {
    fn count(&self, pick: fn(&Change) -> bool) -> usize {
        self.changes.iter().filter(|c| pick(c)).count()
    }

    /// The one-line summary printed after a run.
    pub fn summary(&self, check: bool) -> String {
        let written = self.count(|c| !matches!(c, Change::Delete { .. }));
        let deleted = self.count(|c| matches!(c, Change::Delete { .. }));
        let verb = if check { "stale" } else { "written" };
        format!(
            "codegen: {written} {verb}, {} unchanged, {deleted} {} in {:.1?}",
            self.unchanged,
            if check { "to delete" } else { "deleted" },
            self.elapsed
        )
    }
}

/// Why a run stopped before writing anything.
#[derive(Debug)]
pub enum Failure {
    /// The spec has errors (already rendered like rustc).
    Spec(enkash_spec::Diagnostics),
    /// The generator cannot express the spec.
    Generate(enkash_codegen::Error),
    /// Reading or writing a file failed.
    Io(PathBuf, io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Spec(diagnostics) => write!(f, "{diagnostics}"),
            Failure::Generate(err) => write!(f, "error: cannot generate the client: {err}"),
            Failure::Io(path, err) => write!(f, "error: {}: {err}", path.display()),
        }
    }
}

/// Loads, generates and (unless `check`) writes. Nothing is written when the spec has errors.
pub fn run(options: &Options) -> Result<Report, Failure> {
    let start = Instant::now();
    let spec = enkash_spec::load(&options.spec_dir).map_err(Failure::Spec)?;
    let generated = enkash_codegen::generate(&spec).map_err(Failure::Generate)?;
    let wanted: BTreeMap<String, String> = generated
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect();
    let current = files::read_tree(&options.out_dir)
        .map_err(|err| Failure::Io(options.out_dir.clone(), err))?;
    let (changes, unchanged) = files::plan(&current, &wanted, enkash_codegen::HEADER);
    if !options.check {
        files::apply(&options.out_dir, &changes)
            .map_err(|err| Failure::Io(options.out_dir.clone(), err))?;
    }
    Ok(Report {
        changes,
        unchanged,
        elapsed: start.elapsed(),
    })
}

/// The text `--check` prints for stale files: a diff per file and the command to run.
pub fn stale_message(report: &Report, out_dir: &Path) -> String {
    let prefix = relative_to_root(out_dir);
    let mut text = String::new();
    for change in &report.changes {
        text.push_str(&change.unified_diff(&prefix));
    }
    text.push_str(&format!(
        "\nerror: {} generated file(s) in {prefix} are stale.\n\
         help: run `cargo xtask codegen` and commit the result.\n",
        report.changes.len()
    ));
    text
}

fn relative_to_root(path: &Path) -> String {
    let root = crate::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
