//! `cargo xtask diff [GIT-REF | --old DIR] [--spec DIR]`: what changed in the spec since a git
//! ref (default `HEAD`), each change classed as breaking or compatible for code that depends on
//! `enkash-generated`, printed as a Markdown changelog entry.
//!
//! The old spec is read straight from git (`git ls-tree` + `git cat-file`), so the working tree
//! is never touched; a ref where the spec does not load is an error with its diagnostics. The
//! comparison itself ([`compare::compare`]) and the report ([`render`]) are pure.

pub mod compare;
mod operations;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use enkash_spec::{SourceFile, Spec};

pub use compare::{Comparison, Entry, Impact};

/// Where the old spec comes from.
#[derive(Debug, Clone)]
pub enum OldSpec {
    /// The spec folder as committed at a git revision.
    GitRef(String),
    /// Another spec folder.
    Dir(PathBuf),
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct Options {
    /// The old side.
    pub old: OldSpec,
    /// The new side: a spec folder (default: the project's, in the working tree).
    pub spec_dir: PathBuf,
}

impl Options {
    /// The project's spec at `HEAD` against the working tree.
    pub fn project_defaults() -> Self {
        Options {
            old: OldSpec::GitRef("HEAD".to_owned()),
            spec_dir: enkash_spec::default_spec_dir(),
        }
    }
}

/// Why there is no report.
#[derive(Debug)]
pub enum Failure {
    /// A git command failed or the ref/folder does not exist there.
    Git(String),
    /// One side's spec has errors.
    Spec {
        /// Which side (`HEAD (d54341a)`, a folder).
        side: String,
        /// Its problems, rendered like rustc.
        diagnostics: enkash_spec::Diagnostics,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Git(message) => write!(f, "error: {message}"),
            Failure::Spec { side, diagnostics } => {
                write!(f, "error: the spec at {side} does not load:\n{diagnostics}")
            }
        }
    }
}

/// A finished comparison with its report text.
#[derive(Debug)]
pub struct Outcome {
    /// The changes.
    pub comparison: Comparison,
    /// The Markdown report.
    pub report: String,
}

/// Loads both sides, compares them and renders the report.
pub fn run(options: &Options) -> Result<Outcome, Failure> {
    let (old_label, old_spec) = match &options.old {
        OldSpec::GitRef(rev) => {
            let files = spec_at_ref(&options.spec_dir, rev)?;
            let label = ref_label(&options.spec_dir, rev)?;
            (label.clone(), load(&label, &files)?)
        }
        OldSpec::Dir(dir) => {
            let label = format!("`{}`", dir.display());
            let spec = enkash_spec::load(dir).map_err(|diagnostics| Failure::Spec {
                side: label.clone(),
                diagnostics,
            })?;
            (label, spec)
        }
    };
    let new_label = if options.spec_dir == enkash_spec::default_spec_dir() {
        "the working tree".to_owned()
    } else {
        format!("`{}`", options.spec_dir.display())
    };
    let new_spec = enkash_spec::load(&options.spec_dir).map_err(|diagnostics| Failure::Spec {
        side: new_label.clone(),
        diagnostics,
    })?;
    let comparison = compare::compare(&old_spec, &new_spec);
    let report = render(&comparison, &old_label, &new_label);
    Ok(Outcome { comparison, report })
}

fn load(side: &str, files: &[SourceFile]) -> Result<Spec, Failure> {
    enkash_spec::load_sources(files).map_err(|diagnostics| Failure::Spec {
        side: side.to_owned(),
        diagnostics,
    })
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Failure> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|err| Failure::Git(format!("cannot run git: {err}")))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(Failure::Git(format!(
            "`git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        )))
    }
}

fn check_rev(rev: &str) -> Result<(), Failure> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Failure::Git(format!("`{rev}` is not a git revision")));
    }
    Ok(())
}

/// `` `REF` (short hash) ``, or an error when `rev` names no commit.
fn ref_label(spec_dir: &Path, rev: &str) -> Result<String, Failure> {
    check_rev(rev)?;
    let commit = format!("{rev}^{{commit}}");
    let hash = git(
        spec_dir,
        &["rev-parse", "--verify", "--quiet", "--short", &commit],
    )
    .map_err(|_| Failure::Git(format!("`{rev}` names no commit of this repository")))?;
    Ok(format!(
        "`{rev}` ({})",
        String::from_utf8_lossy(&hash).trim()
    ))
}

/// The `*.yaml` files of the spec tree in `spec_dir` (sub-folders included, as `folder/file.yaml`)
/// as committed at `rev`, in file-name order.
pub fn spec_at_ref(spec_dir: &Path, rev: &str) -> Result<Vec<SourceFile>, Failure> {
    check_rev(rev)?;
    if !spec_dir.is_dir() {
        return Err(Failure::Git(format!(
            "{} is not a folder",
            spec_dir.display()
        )));
    }
    let prefix = git(spec_dir, &["rev-parse", "--show-prefix"]).map_err(|_| {
        Failure::Git(format!(
            "{} is not inside a git repository (compare two folders with --old DIR)",
            spec_dir.display()
        ))
    })?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_owned();
    let tree = format!("{rev}:{prefix}");
    // `-r`: the products of the tree are in sub-folders (`payouts/api.yaml`).
    let listing = git(spec_dir, &["ls-tree", "-r", "-z", "--full-tree", &tree]).map_err(|_| {
        Failure::Git(format!(
            "the spec folder `{}` does not exist at `{rev}`",
            if prefix.is_empty() {
                "."
            } else {
                prefix.trim_end_matches('/')
            }
        ))
    })?;
    let mut files = Vec::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, name)) = record.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (mode, kind) = (meta.next(), meta.next());
        if kind != Some("blob") || mode == Some("120000") || !name.ends_with(".yaml") {
            continue;
        }
        let blob = git(spec_dir, &["cat-file", "blob", &format!("{tree}{name}")])?;
        let text = String::from_utf8(blob)
            .map_err(|_| Failure::Git(format!("{prefix}{name} at `{rev}` is not UTF-8")))?;
        files.push(SourceFile {
            name: name.to_owned(),
            text,
        });
    }
    if files.is_empty() {
        return Err(Failure::Git(format!(
            "no *.yaml files in `{}` at `{rev}`",
            if prefix.is_empty() {
                "."
            } else {
                prefix.trim_end_matches('/')
            }
        )));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// The report: a Markdown section usable as a changelog entry.
pub fn render(comparison: &Comparison, old_label: &str, new_label: &str) -> String {
    let mut text = format!("## Spec changes from {old_label} to {new_label}\n\n");
    if comparison.is_empty() {
        text.push_str("No changes.\n");
        return text;
    }
    let count = |impact| {
        comparison
            .entries
            .iter()
            .filter(|e| e.impact == impact)
            .count()
    };
    let (breaking, compatible) = (count(Impact::Breaking), count(Impact::Compatible));
    text.push_str(&format!(
        "{breaking} breaking, {compatible} compatible, {} documentation-only.\n",
        comparison.docs.len()
    ));
    for (impact, title) in [
        (Impact::Breaking, "Breaking"),
        (Impact::Compatible, "Compatible"),
    ] {
        let entries: Vec<&Entry> = comparison
            .entries
            .iter()
            .filter(|e| e.impact == impact)
            .collect();
        if entries.is_empty() {
            continue;
        }
        text.push_str(&format!("\n### {title}\n\n"));
        for entry in entries {
            text.push_str(&format!(
                "- `{}`: {} — {}.\n",
                entry.subject, entry.change, entry.reason
            ));
        }
    }
    if !comparison.docs.is_empty() {
        text.push_str("\n### Documentation only\n\n");
        for subject in &comparison.docs {
            text.push_str(&format!("- `{subject}`\n"));
        }
    }
    text
}
