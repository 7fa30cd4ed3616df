//! `cargo xtask any-spec`: the client generated from specs other than EnKash's compiles.
//!
//! The generated crate is the hand-written runtime (`enkash-generated/src/lib.rs`,
//! `src/runtime/`, and `src/companions/` when there is one) under the generated code; nothing
//! hand-written may depend on what one spec happens to contain. This command proves it: it builds
//! a scratch workspace under `target/any-spec/` with one crate per spec, each a copy of the
//! hand-written files plus the code generated (in process) from that spec, and runs
//! `cargo check --workspace` on it with all features and with none. The specs are the synthetic
//! spec of `cargo xtask synth` at two sizes and every fixture spec of the generator's snapshot
//! tests (`enkash-codegen/tests/fixtures/<case>/` on top of its `base.yaml`); a fixture that does
//! not load is skipped with the loader's first error as the reason. The smallest synthetic
//! spec's crate then runs its generated smoke test and its `enkash` binary (`--help`).
//!
//! Each crate's manifest is `enkash-generated/Cargo.toml` with the root's `workspace = true`
//! entries resolved and only the library and the binaries kept ([`manifest`]); the scratch workspace has the
//! project's `Cargo.lock` and profiles, and `target/` as its target folder, so the dependencies
//! already built for the project are reused. Nothing outside `target/any-spec/` is written, and
//! only files whose contents change are, so a second run checks only what changed.

pub mod manifest;
pub mod messages;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use enkash_spec::SourceFile;

use self::manifest::{Sources, Toml};
use self::messages::{Messages, Verdict};

/// Sizes of the synthetic spec checked by default (operations, the token exchange included).
pub const SYNTH_SIZES: [usize; 2] = [30, 300];

/// Files named in a spec's one-line summary of errors.
const FILES_SHOWN: usize = 4;

/// The scratch workspace, relative to the target folder.
pub const SCRATCH: &str = "any-spec";

/// What to check and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project's workspace root (its `Cargo.toml`, `Cargo.lock` and `enkash-generated/`).
    pub root: PathBuf,
    /// The target folder shared with the project's builds; the scratch workspace is inside it.
    pub target_dir: PathBuf,
    /// Sizes of the synthetic specs.
    pub synth_sizes: Vec<usize>,
    /// Folder of the generator's fixture specs.
    pub fixtures_dir: PathBuf,
}

impl Options {
    /// The project's own folders: `target/` (or `CARGO_TARGET_DIR`), the default synthetic sizes
    /// and `enkash-codegen/tests/fixtures`.
    pub fn project_defaults() -> Self {
        let root = crate::workspace_root();
        let target_dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|dir| {
                if dir.is_relative() {
                    root.join(dir)
                } else {
                    dir
                }
            })
            .unwrap_or_else(|| root.join("target"));
        Options {
            fixtures_dir: root.join("enkash-codegen/tests/fixtures"),
            root,
            target_dir,
            synth_sizes: SYNTH_SIZES.to_vec(),
        }
    }

    /// The scratch workspace: `<target>/any-spec`.
    pub fn scratch_dir(&self) -> PathBuf {
        self.target_dir.join(SCRATCH)
    }
}

/// A spec to check: its crate's folder name and its files.
#[derive(Debug, Clone)]
pub struct Case {
    /// Folder and crate name suffix: `synth-30`, `fixture-webhooks`.
    pub name: String,
    /// The spec's files.
    pub files: Vec<SourceFile>,
    /// A fixture that does not load is skipped; a synthetic spec that does not load fails.
    pub may_skip: bool,
}

/// A spec not checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// What was skipped (`fixture-broken`, `notes.yaml`).
    pub name: String,
    /// Why.
    pub reason: String,
}

/// The fixture specs under `dir`: each folder's YAML files (in name order) on top of `base.yaml`
/// when there is one. A folder without YAML files, and a YAML file outside a folder other than
/// `base.yaml`, are skipped with the reason.
pub fn fixture_cases(dir: &Path) -> io::Result<(Vec<Case>, Vec<Skipped>)> {
    let base_path = dir.join("base.yaml");
    let base = if base_path.is_file() {
        Some(SourceFile {
            name: "base.yaml".to_owned(),
            text: fs::read_to_string(&base_path)?,
        })
    } else {
        None
    };
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for entry in sorted_entries(dir)? {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_dir() {
            if is_yaml(&path) && name != "base.yaml" {
                skipped.push(Skipped {
                    name,
                    reason: "a YAML file outside a fixture folder, so no spec of its own"
                        .to_owned(),
                });
            }
            continue;
        }
        let mut files: Vec<SourceFile> = base.iter().cloned().collect();
        for file in sorted_entries(&path)? {
            let file_path = file.path();
            if file.file_type()?.is_file() && is_yaml(&file_path) {
                files.push(SourceFile {
                    // No `/`: a folder in a name is a product of the spec tree.
                    name: format!("{name}.{}", file.file_name().to_string_lossy()),
                    text: fs::read_to_string(&file_path)?,
                });
            }
        }
        let case = format!("fixture-{}", crate_safe(&name));
        if files.len() == usize::from(base.is_some()) {
            skipped.push(Skipped {
                name: case,
                reason: "no YAML files in the folder".to_owned(),
            });
        } else {
            cases.push(Case {
                name: case,
                files,
                may_skip: true,
            });
        }
    }
    Ok((cases, skipped))
}

fn sorted_entries(dir: &Path) -> io::Result<Vec<fs::DirEntry>> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(entries)
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml")
}

/// A name usable in a package name: ASCII letters, digits, `-` and `_`; anything else is `-`.
fn crate_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The synthetic spec of `operations` operations.
pub fn synth_case(operations: usize) -> Case {
    Case {
        name: format!("synth-{operations}"),
        files: crate::synth::synthesize(operations),
        may_skip: false,
    }
}

/// The synthetic spec of `operations` operations with an OAuth2 password grant and encrypted
/// bodies ([`crate::synth::synthesize_secured`]).
pub fn secured_case(operations: usize) -> Case {
    Case {
        name: format!("synth-secured-{operations}"),
        files: crate::synth::synthesize_secured(operations),
        may_skip: false,
    }
}

/// One `cargo check` of the scratch workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Features {
    /// `--all-features`
    All,
    /// No features.
    None,
}

impl Features {
    /// Both, in the order they run.
    pub const BOTH: [Features; 2] = [Features::All, Features::None];

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            Features::All => "all features",
            Features::None => "no features",
        }
    }

    fn args(self) -> &'static [&'static str] {
        match self {
            Features::All => &["--all-features"],
            Features::None => &[],
        }
    }
}

/// How one spec fared.
#[derive(Debug, Clone)]
pub enum CaseResult {
    /// Generated and checked: the verdict of each `cargo check`.
    Checked(Vec<(Features, Verdict)>),
    /// The spec does not load (a synthetic spec) or the generator refused it.
    NotGenerated(String),
}

impl CaseResult {
    /// True when the spec's client compiles everywhere it was checked.
    pub fn passed(&self) -> bool {
        match self {
            CaseResult::Checked(verdicts) => verdicts
                .iter()
                .all(|(_, v)| v.errors == 0 && v.warnings == 0),
            CaseResult::NotGenerated(_) => false,
        }
    }
}

/// Time and trouble of one `cargo check` run.
#[derive(Debug, Clone)]
pub struct Run {
    /// Which features.
    pub features: Features,
    /// Wall time.
    pub elapsed: Duration,
    /// Errors of packages other than the scratch crates, or cargo's own failure (its standard
    /// error) when no compiler error explains it.
    pub trouble: Vec<String>,
}

/// What a whole run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The scratch workspace.
    pub scratch_dir: PathBuf,
    /// Per spec, in the order checked.
    pub results: Vec<(String, CaseResult)>,
    /// What was not checked.
    pub skipped: Vec<Skipped>,
    /// The `cargo check` runs.
    pub runs: Vec<Run>,
    /// Time spent loading, generating and writing the scratch workspace.
    pub prepare: Duration,
    /// The generated smoke tests of the smallest synthetic spec and its secured variant, when
    /// their crates compiled.
    pub smokes: Vec<Smoke>,
    /// The `enkash` binary of the smallest synthetic spec, run with `--help`, when its crate
    /// compiled.
    pub binaries: Vec<BinaryRun>,
}

impl Outcome {
    /// True when every spec checked compiles, every cargo run ended as its errors explain, and
    /// the smoke test (when it ran) passed.
    pub fn passed(&self) -> bool {
        self.results.iter().all(|(_, result)| result.passed())
            && self.runs.iter().all(|run| run.trouble.is_empty())
            && self.smokes.iter().all(|smoke| smoke.passed)
            && self.binaries.iter().all(|binary| binary.passed)
    }
}

/// The run of a synthetic spec's `enkash` binary (feature `cli`) with `--help`: it must build
/// from the runtime and the generated commands alone, exit 0 and list an area of the spec.
#[derive(Debug, Clone)]
pub struct BinaryRun {
    /// The spec (`synth-30`).
    pub name: String,
    /// The area subcommand the help must list (`r00001`... kebab-case).
    pub area: String,
    /// Whether it exited 0 and listed the area.
    pub passed: bool,
    /// Wall time, the build of the binary included.
    pub elapsed: Duration,
    /// The end of its (or cargo's) output, when it failed.
    pub output: String,
}

/// The run of a synthetic spec's generated smoke test (`generated/smoke.rs`): every operation
/// called once through the generated client against the generated mock.
#[derive(Debug, Clone)]
pub struct Smoke {
    /// The spec (`synth-30`).
    pub name: String,
    /// Whether `cargo test` passed.
    pub passed: bool,
    /// Wall time, the build of the test included.
    pub elapsed: Duration,
    /// The end of cargo's output, when it failed.
    pub output: String,
}

/// Why the check could not run at all.
#[derive(Debug)]
pub enum Failure {
    /// Reading or writing a file failed.
    Io(PathBuf, io::Error),
    /// A manifest could not be read or carried over.
    Manifest(PathBuf, String),
    /// Cargo could not be started.
    Cargo(io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Io(path, err) => write!(f, "error: {}: {err}", path.display()),
            Failure::Manifest(path, err) => write!(f, "error: {}: {err}", path.display()),
            Failure::Cargo(err) => write!(f, "error: cannot run cargo: {err}"),
        }
    }
}

/// Generates every spec, writes the scratch workspace and checks it. `progress` receives a line
/// for each step as it starts.
pub fn run(options: &Options, progress: &mut dyn FnMut(&str)) -> Result<Outcome, Failure> {
    let start = Instant::now();
    let (fixtures, mut skipped) = fixture_cases(&options.fixtures_dir)
        .map_err(|err| Failure::Io(options.fixtures_dir.clone(), err))?;
    let smallest = options.synth_sizes.iter().min().copied();
    let cases = options
        .synth_sizes
        .iter()
        .map(|size| synth_case(*size))
        .chain(smallest.map(secured_case))
        .chain(fixtures);
    let mut results = Vec::new();
    let mut crates = BTreeMap::new();
    // Per spec, the command line's first area subcommand (that of its first operation).
    let mut areas = BTreeMap::new();
    for case in cases {
        match enkash_spec::load_sources(&case.files) {
            Err(diagnostics) if case.may_skip => skipped.push(Skipped {
                name: case.name,
                reason: format!("does not load: {}", first_line(&diagnostics.to_string())),
            }),
            Err(diagnostics) => results.push((
                case.name,
                CaseResult::NotGenerated(format!("the spec does not load:\n{diagnostics}")),
            )),
            // Companions are hand-written code beside the generated code of one spec (the
            // EnKash mock state, `confirm_payment`): a fixture that declares them tests the
            // generator's output, not a crate that could compile with the EnKash companions.
            Ok(spec) if case.may_skip && !spec.companions.is_empty() => skipped.push(Skipped {
                name: case.name,
                reason: "declares companions, hand-written modules that only its own crate has"
                    .to_owned(),
            }),
            Ok(spec) => match enkash_codegen::generate(&spec) {
                Ok(files) => {
                    if let Some(op) = spec.operations.values().next() {
                        areas.insert(case.name.clone(), op.area.replace('_', "-"));
                    }
                    crates.insert(case.name.clone(), files);
                    results.push((case.name, CaseResult::Checked(Vec::new())));
                }
                Err(err) => results.push((
                    case.name,
                    CaseResult::NotGenerated(format!("cannot generate the client: {err}")),
                )),
            },
        }
    }
    let scratch_dir = options.scratch_dir();
    write_workspace(options, &crates)?;
    let prepare = start.elapsed();
    let mut runs = Vec::new();
    if !crates.is_empty() {
        for features in Features::BOTH {
            progress(&format!(
                "any-spec: cargo check --workspace{} ({} crates) ...",
                features
                    .args()
                    .iter()
                    .map(|arg| format!(" {arg}"))
                    .collect::<String>(),
                crates.len()
            ));
            let (run, messages) = check(options, features)?;
            for (name, result) in &mut results {
                if let CaseResult::Checked(verdicts) = result {
                    let verdict = messages.crates.get(name).cloned().unwrap_or_default();
                    verdicts.push((features, verdict));
                }
            }
            runs.push(run);
        }
    }
    let mut smokes = Vec::new();
    for name in smoke_cases(options, &results) {
        progress(&format!("any-spec: cargo test of {name}'s smoke test ..."));
        smokes.push(smoke_test(options, &name)?);
    }
    let mut binaries = Vec::new();
    let smallest = smallest.map(|size| synth_case(size).name);
    for name in smoke_cases(options, &results) {
        if Some(&name) != smallest.as_ref() {
            continue;
        }
        let Some(area) = areas.get(&name) else {
            continue;
        };
        progress(&format!(
            "any-spec: cargo run of {name}'s enkash binary ..."
        ));
        binaries.push(run_binary(options, &name, area)?);
    }
    Ok(Outcome {
        scratch_dir,
        results,
        skipped,
        runs,
        prepare,
        smokes,
        binaries,
    })
}

/// Builds and runs the `enkash` binary of the scratch crate `name` with `--help`.
fn run_binary(options: &Options, name: &str, area: &str) -> Result<BinaryRun, Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--features",
            "cli",
            "--bin",
            "enkash",
            "-p",
        ])
        .arg(format!("any-spec-{name}"))
        .args(["--", "--help"])
        .current_dir(options.scratch_dir())
        .env("CARGO_TARGET_DIR", &options.target_dir)
        .output()
        .map_err(Failure::Cargo)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // clap lists each subcommand at the start of a line of `Commands:`.
    let listed = stdout
        .lines()
        .any(|line| line.split_whitespace().next() == Some(area));
    let passed = output.status.success() && listed;
    let output = if passed {
        String::new()
    } else {
        let text = format!(
            "{}{stdout}{}",
            if listed {
                String::new()
            } else {
                format!("the help does not list the area `{area}`:\n")
            },
            String::from_utf8_lossy(&output.stderr)
        );
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    Ok(BinaryRun {
        name: name.to_owned(),
        area: area.to_owned(),
        passed,
        elapsed: start.elapsed(),
        output,
    })
}

/// The smallest synthetic spec and its secured variant, those whose crates compiled: their
/// smoke tests run.
fn smoke_cases(options: &Options, results: &[(String, CaseResult)]) -> Vec<String> {
    let Some(size) = options.synth_sizes.iter().min() else {
        return Vec::new();
    };
    [synth_case(*size).name, secured_case(*size).name]
        .into_iter()
        .filter(|name| {
            results
                .iter()
                .any(|(case, result)| case == name && result.passed())
        })
        .collect()
}

/// Runs the generated smoke test of the scratch crate `name`.
fn smoke_test(options: &Options, name: &str) -> Result<Smoke, Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--all-features", "--lib", "-p"])
        .arg(format!("any-spec-{name}"))
        .args(["--", "smoke"])
        .current_dir(options.scratch_dir())
        .env("CARGO_TARGET_DIR", &options.target_dir)
        .output()
        .map_err(Failure::Cargo)?;
    // A filter that matched no test would pass too: the one smoke test must have run.
    let passed = output.status.success()
        && String::from_utf8_lossy(&output.stdout).contains("test result: ok. 1 passed");
    let output = if passed {
        String::new()
    } else {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    Ok(Smoke {
        name: name.to_owned(),
        passed,
        elapsed: start.elapsed(),
        output,
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// Runs one `cargo check` of the scratch workspace and reads its messages.
fn check(options: &Options, features: Features) -> Result<(Run, Messages), Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .args(features.args())
        .current_dir(options.scratch_dir())
        .env("CARGO_TARGET_DIR", &options.target_dir)
        .output()
        .map_err(Failure::Cargo)?;
    let elapsed = start.elapsed();
    let messages = messages::parse(&String::from_utf8_lossy(&output.stdout));
    let mut trouble = messages.other.clone();
    let explained = messages.crates.values().any(|verdict| verdict.errors > 0);
    if !output.status.success() && !explained && trouble.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        trouble.push(format!(
            "cargo failed ({}) without a compiler error:\n{}",
            output.status,
            tail.join("\n")
        ));
    }
    Ok((
        Run {
            features,
            elapsed,
            trouble,
        },
        messages,
    ))
}

/// Writes the scratch workspace: its manifest, the project's `Cargo.lock`, and per spec a crate
/// of the hand-written files and the generated ones. Only changed files are written; files of
/// earlier runs that are no longer wanted are deleted.
fn write_workspace(
    options: &Options,
    crates: &BTreeMap<String, Vec<enkash_codegen::GeneratedFile>>,
) -> Result<(), Failure> {
    let root_manifest_path = options.root.join("Cargo.toml");
    let member_dir = options.root.join("enkash-generated");
    let member_manifest_path = member_dir.join("Cargo.toml");
    let root_manifest = read_manifest(&root_manifest_path)?;
    let member_manifest = read_manifest(&member_manifest_path)?;
    let hand_written = hand_written_files(&member_dir)?;
    let bin_files: Vec<String> = hand_written
        .keys()
        .filter(|path| path.starts_with("src/bin/"))
        .cloned()
        .collect();
    let sources = Sources {
        member: &member_manifest,
        member_dir: &member_dir,
        root: &root_manifest,
        root_dir: &options.root,
        bin_files: &bin_files,
    };
    let mut wanted: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let members: Vec<String> = crates.keys().map(|name| format!("crates/{name}")).collect();
    let workspace = manifest::workspace_manifest(&root_manifest, &members)
        .map_err(|err| Failure::Manifest(root_manifest_path.clone(), err))?;
    wanted.insert(
        "Cargo.toml".to_owned(),
        manifest::render(&workspace).into_bytes(),
    );
    let lock = options.root.join("Cargo.lock");
    wanted.insert(
        "Cargo.lock".to_owned(),
        fs::read(&lock).map_err(|err| Failure::Io(lock.clone(), err))?,
    );
    for (name, generated) in crates {
        let package_name = format!("any-spec-{name}");
        let package = manifest::crate_manifest(sources, &package_name)
            .map_err(|err| Failure::Manifest(member_manifest_path.clone(), err))?;
        let dir = format!("crates/{name}");
        wanted.insert(
            format!("{dir}/Cargo.toml"),
            manifest::render(&package).into_bytes(),
        );
        for (path, contents) in &hand_written {
            let contents = if path.starts_with("src/bin/") {
                for_crate(contents, &package_name)
            } else {
                contents.clone()
            };
            wanted.insert(format!("{dir}/{path}"), contents);
        }
        for file in generated {
            wanted.insert(
                format!("{dir}/src/generated/{}", file.path),
                file.contents.clone().into_bytes(),
            );
        }
    }
    sync(&options.scratch_dir(), &wanted)
}

/// A binary's source for the scratch crate `package`: the library it calls is that crate's
/// (`any_spec_synth_30`), not `enkash_generated`.
fn for_crate(source: &[u8], package: &str) -> Vec<u8> {
    String::from_utf8_lossy(source)
        .replace("enkash_generated", &package.replace('-', "_"))
        .into_bytes()
}

fn read_manifest(path: &Path) -> Result<Toml, Failure> {
    let text = fs::read_to_string(path).map_err(|err| Failure::Io(path.to_path_buf(), err))?;
    manifest::parse(&text, &path.display().to_string())
        .map_err(|err| Failure::Manifest(path.to_path_buf(), err))
}

/// The hand-written part of the crate, by path relative to it: `src/lib.rs`, `src/runtime/**`,
/// `src/companions/**` (absent before companions exist) and the binaries, `src/bin/**`.
fn hand_written_files(member_dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, Failure> {
    let mut files = BTreeMap::new();
    let lib = member_dir.join("src/lib.rs");
    files.insert(
        "src/lib.rs".to_owned(),
        fs::read(&lib).map_err(|err| Failure::Io(lib.clone(), err))?,
    );
    for folder in ["src/runtime", "src/companions", "src/bin"] {
        let dir = member_dir.join(folder);
        for (path, contents) in read_all(&dir).map_err(|err| Failure::Io(dir.clone(), err))? {
            files.insert(format!("{folder}/{path}"), contents);
        }
    }
    Ok(files)
}

/// Every file under `dir`, by `/`-separated relative path; a missing folder has none.
fn read_all(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    crate::files::read_files(dir, &|_| true)
}

/// Makes `dir` hold exactly `wanted`: writes new and changed files (an unchanged file keeps its
/// modification time, so cargo does not check it again) and deletes the others.
fn sync(dir: &Path, wanted: &BTreeMap<String, Vec<u8>>) -> Result<(), Failure> {
    let current = read_all(dir).map_err(|err| Failure::Io(dir.to_path_buf(), err))?;
    for (path, contents) in wanted {
        if current.get(path) == Some(contents) {
            continue;
        }
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|err| Failure::Io(parent.to_path_buf(), err))?;
        }
        fs::write(&target, contents).map_err(|err| Failure::Io(target.clone(), err))?;
    }
    for path in current.keys().filter(|path| !wanted.contains_key(*path)) {
        let target = dir.join(path);
        fs::remove_file(&target).map_err(|err| Failure::Io(target.clone(), err))?;
    }
    Ok(())
}

/// The report printed at the end: timings, then each spec's verdict with its first errors.
pub fn report(outcome: &Outcome) -> String {
    let mut out = String::new();
    for skipped in &outcome.skipped {
        out.push_str(&format!(
            "any-spec: skipped {}: {}\n",
            skipped.name, skipped.reason
        ));
    }
    out.push_str(&format!(
        "any-spec: {} specs generated into {} in {:.1?}\n",
        outcome.results.len(),
        outcome.scratch_dir.display(),
        outcome.prepare
    ));
    for run in &outcome.runs {
        out.push_str(&format!(
            "any-spec: cargo check, {}: {:.1?}\n",
            run.features.label(),
            run.elapsed
        ));
    }
    out.push('\n');
    let mut runtime_names_generated = false;
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for (name, result) in &outcome.results {
        match result {
            CaseResult::NotGenerated(why) => {
                out.push_str(&format!("{name}: FAILED\n{}\n", indent(why, 2)));
            }
            CaseResult::Checked(verdicts) => {
                let status = if result.passed() { "ok" } else { "FAILED" };
                let summary: Vec<String> = verdicts
                    .iter()
                    .map(|(features, verdict)| {
                        format!("{}: {}", features.label(), verdict_summary(verdict))
                    })
                    .collect();
                out.push_str(&format!("{name}: {status} ({})\n", summary.join("; ")));
                for (features, verdict) in verdicts
                    .iter()
                    .filter(|(_, v)| v.errors > 0 || !v.first.is_empty())
                {
                    runtime_names_generated |=
                        verdict.files.keys().any(|file| is_hand_written(file));
                    let label = features.label();
                    // Specs often fail alike: an error shown once is named, not repeated.
                    let mut earlier = Vec::new();
                    let mut new = Vec::new();
                    for error in &verdict.first {
                        match shown.get(error) {
                            Some(first) => earlier.push(first.clone()),
                            None => {
                                shown.insert(error.clone(), format!("{name}, {label}"));
                                new.push(error);
                            }
                        }
                    }
                    earlier.dedup();
                    let what = if verdict.errors > 0 {
                        "errors"
                    } else {
                        "warnings"
                    };
                    let mut heading = format!("  {label}, first {what}");
                    if !earlier.is_empty() {
                        heading.push_str(&format!(" (as shown for {})", earlier.join("; ")));
                    }
                    out.push_str(&heading);
                    out.push_str(if new.is_empty() { "\n" } else { ":\n" });
                    for error in new {
                        out.push_str(&indent(error, 4));
                        out.push('\n');
                    }
                }
            }
        }
    }
    for run in &outcome.runs {
        for trouble in &run.trouble {
            out.push_str(&format!(
                "\ncargo check, {}: {}\n",
                run.features.label(),
                indent(trouble, 2).trim_start()
            ));
        }
    }
    for smoke in &outcome.smokes {
        if smoke.passed {
            out.push_str(&format!(
                "{}: smoke test passed (every operation called through the generated client \
                 against the generated mock) in {:.1?}\n",
                smoke.name, smoke.elapsed
            ));
        } else {
            out.push_str(&format!(
                "{}: smoke test FAILED in {:.1?}:\n{}\n",
                smoke.name,
                smoke.elapsed,
                indent(&smoke.output, 2)
            ));
        }
    }
    for binary in &outcome.binaries {
        if binary.passed {
            out.push_str(&format!(
                "{}: enkash binary passed (`--help` exits 0 and lists the area `{}`) in {:.1?}\n",
                binary.name, binary.area, binary.elapsed
            ));
        } else {
            out.push_str(&format!(
                "{}: enkash binary FAILED in {:.1?}:\n{}\n",
                binary.name,
                binary.elapsed,
                indent(&binary.output, 2)
            ));
        }
    }
    if runtime_names_generated {
        out.push_str(
            "\nnote: errors in src/lib.rs, src/runtime/ or src/companions/ are in hand-written code \
             that names generated items the failing spec does not have. The runtime must name no \
             generated type; code that needs the EnKash spec's types belongs in a companion module \
             the spec declares (see `companions` in enkash-spec/SPEC-FORMAT.md).\n",
        );
    }
    let failed = outcome
        .results
        .iter()
        .filter(|(_, result)| !result.passed())
        .count();
    out.push_str(&format!(
        "\nany-spec: {}\n",
        if outcome.passed() {
            format!("all {} specs compile", outcome.results.len())
        } else {
            format!(
                "{failed} of {} specs fail{}",
                outcome.results.len(),
                if outcome.runs.iter().any(|run| !run.trouble.is_empty()) {
                    ", and cargo reported trouble outside the specs' crates"
                } else {
                    ""
                }
            )
        }
    ));
    out
}

fn verdict_summary(verdict: &Verdict) -> String {
    let warnings = match verdict.warnings {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    };
    if verdict.errors == 0 {
        return format!("ok{warnings}");
    }
    // The files with most errors first (then by name), at most FILES_SHOWN of them.
    let mut files: Vec<(&String, &usize)> = verdict.files.iter().collect();
    files.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut shown: Vec<String> = files
        .iter()
        .take(FILES_SHOWN)
        .map(|(file, count)| format!("{file} {count}"))
        .collect();
    if files.len() > FILES_SHOWN {
        shown.push(format!("{} more files", files.len() - FILES_SHOWN));
    }
    format!(
        "{} error{} in {}{warnings}",
        verdict.errors,
        if verdict.errors == 1 { "" } else { "s" },
        shown.join(", ")
    )
}

/// True for files of the crate that are copied, not generated.
fn is_hand_written(file: &str) -> bool {
    file == "src/lib.rs"
        || file.starts_with("src/runtime/")
        || file.starts_with("src/companions/")
        || file.starts_with("src/bin/")
}

fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
