//! `cargo xtask codegen [--check]`: spec → model → Rust files in `enkash-generated`.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::files::{self, Change};

/// The folder of `enkash-generated` that holds generated files, relative to the workspace root.
pub const GENERATED_DIR: &str = "enkash-generated/src/generated";

/// Where to read the spec and write the generated files.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder of `*.yaml` spec files.
    pub spec_dir: PathBuf,
    /// Folder the generated files belong in.
    pub out_dir: PathBuf,
    /// Compare only: write nothing.
    pub check: bool,
    /// README whose operations table is kept in step with the spec (project runs only).
    pub readme: Option<PathBuf>,
    /// OpenAPI export kept in step with the spec (project runs only).
    pub openapi: Option<PathBuf>,
}

impl Options {
    /// The project's own spec and generated folder.
    pub fn project_defaults(check: bool) -> Self {
        let root = crate::workspace_root();
        Options {
            spec_dir: enkash_spec::default_spec_dir(),
            out_dir: root.join(GENERATED_DIR),
            check,
            readme: Some(root.join("README.md")),
            openapi: Some(root.join(crate::openapi::PROJECT_FILE)),
        }
    }
}

/// A change to a file under `dir`.
#[derive(Debug)]
pub struct Located {
    /// Folder the change's path is relative to.
    pub dir: PathBuf,
    /// The change.
    pub change: Change,
}

/// What a run did (or, with `--check`, would do).
#[derive(Debug)]
pub struct Report {
    /// Files created, updated or deleted, or that would be.
    pub changes: Vec<Located>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Time from loading the spec to the end of writing.
    pub elapsed: Duration,
}

impl Report {
    fn count(&self, pick: fn(&Change) -> bool) -> usize {
        self.changes.iter().filter(|c| pick(&c.change)).count()
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
    /// The README has no operations-table markers.
    Readme(PathBuf),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Spec(diagnostics) => write!(f, "{diagnostics}"),
            Failure::Generate(err) => write!(f, "error: cannot generate the client: {err}"),
            Failure::Io(path, err) => write!(f, "error: {}: {err}", path.display()),
            Failure::Readme(path) => write!(
                f,
                "error: {} has no operations table markers; add the lines\n{}\n{}",
                path.display(),
                enkash_codegen::readme::TABLE_START,
                enkash_codegen::readme::TABLE_END
            ),
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
    let (changes, mut unchanged) = files::plan(&current, &wanted, enkash_codegen::HEADER);
    let mut located: Vec<Located> = changes
        .into_iter()
        .map(|change| Located {
            dir: options.out_dir.clone(),
            change,
        })
        .collect();
    if let Some(readme) = &options.readme {
        match readme_change(&spec, readme)? {
            Some(change) => located.push(change),
            None => unchanged += 1,
        }
    }
    if let Some(file) = &options.openapi {
        let changes =
            crate::openapi::tree_changes(&spec, file).map_err(|failure| match failure {
                crate::openapi::Failure::Spec(diagnostics) => Failure::Spec(diagnostics),
                crate::openapi::Failure::Io(path, err) => Failure::Io(path, err),
            })?;
        unchanged += 1 + spec.products.len() - changes.len();
        located.extend(
            changes
                .into_iter()
                .map(|(dir, change)| Located { dir, change }),
        );
    }
    if !options.check {
        for item in &located {
            files::apply(&item.dir, std::slice::from_ref(&item.change))
                .map_err(|err| Failure::Io(item.dir.join(item.change.path()), err))?;
        }
    }
    Ok(Report {
        changes: located,
        unchanged,
        elapsed: start.elapsed(),
    })
}

/// The README update that brings its operations table in step with the spec, if any.
fn readme_change(spec: &enkash_spec::Spec, readme: &Path) -> Result<Option<Located>, Failure> {
    let old =
        std::fs::read_to_string(readme).map_err(|err| Failure::Io(readme.to_path_buf(), err))?;
    let old = files::normalize_newlines(&old);
    let table = enkash_codegen::readme::operations_table(spec);
    let new = enkash_codegen::readme::replace_table(&old, &table)
        .ok_or_else(|| Failure::Readme(readme.to_path_buf()))?;
    if new == old {
        return Ok(None);
    }
    let dir = readme.parent().unwrap_or(Path::new(".")).to_path_buf();
    let path = readme
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(Located {
        dir,
        change: Change::Update { path, old, new },
    }))
}

/// The text `--check` prints for stale files: a diff per file and the command to run.
pub fn stale_message(report: &Report) -> String {
    let mut text = String::new();
    for item in &report.changes {
        text.push_str(&item.change.unified_diff(&relative_to_root(&item.dir)));
    }
    text.push_str(&format!(
        "\nerror: {} generated file(s) are stale.\n\
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
