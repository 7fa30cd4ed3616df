use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::messages::Verdict;
use super::*;

/// An empty folder of this test's own under the system's temporary folder.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-any-spec-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn names(files: &[SourceFile]) -> Vec<&str> {
    files.iter().map(|file| file.name.as_str()).collect()
}

#[test]
fn fixture_folders_on_top_of_base_are_cases_and_the_rest_is_skipped_with_a_reason() {
    let dir = temp("discover");
    write(&dir.join("base.yaml"), "api: {}\n");
    write(&dir.join("webhooks/b.yaml"), "b: 1\n");
    write(&dir.join("webhooks/a.yml"), "a: 1\n");
    write(&dir.join("webhooks/notes.md"), "not a spec file\n");
    write(
        &dir.join("webhooks/nested/deeper.yaml"),
        "not read: fixtures are flat\n",
    );
    write(&dir.join("odd name/x.yaml"), "x: 1\n");
    write(&dir.join("empty/README.md"), "nothing\n");
    write(&dir.join("loose.yaml"), "loose: 1\n");
    write(&dir.join("README.md"), "ignored\n");
    let (cases, skipped) = fixture_cases(&dir).unwrap();
    let summary: Vec<(&str, Vec<&str>, bool)> = cases
        .iter()
        .map(|case| (case.name.as_str(), names(&case.files), case.may_skip))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "fixture-odd-name",
                vec!["base.yaml", "odd name.x.yaml"],
                true
            ),
            (
                "fixture-webhooks",
                vec!["base.yaml", "webhooks.a.yml", "webhooks.b.yaml"],
                true
            ),
        ]
    );
    assert_eq!(cases[1].files[1].text, "a: 1\n");
    assert_eq!(
        skipped,
        [
            Skipped {
                name: "fixture-empty".to_owned(),
                reason: "no YAML files in the folder".to_owned(),
            },
            Skipped {
                name: "loose.yaml".to_owned(),
                reason: "a YAML file outside a fixture folder, so no spec of its own".to_owned(),
            },
        ]
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_base_yaml_a_folder_is_a_spec_by_itself() {
    let dir = temp("no-base");
    write(&dir.join("alone/spec.yaml"), "x: 1\n");
    let (cases, skipped) = fixture_cases(&dir).unwrap();
    assert_eq!(names(&cases[0].files), ["alone.spec.yaml"]);
    assert!(skipped.is_empty());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_generator_fixture_loads_and_generates() {
    let options = Options::project_defaults();
    let (cases, skipped) = fixture_cases(&options.fixtures_dir).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(cases.len() >= 7, "{} fixture specs", cases.len());
    for case in cases.iter().chain([&synth_case(30)]) {
        let spec = enkash_spec::load_sources(&case.files)
            .unwrap_or_else(|diagnostics| panic!("{}: {diagnostics}", case.name));
        enkash_codegen::generate(&spec).unwrap_or_else(|err| panic!("{}: {err}", case.name));
    }
}

#[test]
fn the_scratch_workspace_is_under_the_target_folder() {
    let options = Options::project_defaults();
    assert!(options.scratch_dir().starts_with(&options.target_dir));
    assert_eq!(options.scratch_dir().file_name().unwrap(), SCRATCH);
}

#[test]
fn sync_writes_only_what_changed_and_deletes_the_rest() {
    let dir = temp("sync");
    write(&dir.join("same.rs"), "same");
    write(&dir.join("changed.rs"), "old");
    write(&dir.join("old/stale.rs"), "stale");
    let past = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(dir.join("same.rs"))
        .unwrap()
        .set_modified(past)
        .unwrap();
    let wanted = BTreeMap::from([
        ("same.rs".to_owned(), b"same".to_vec()),
        ("changed.rs".to_owned(), b"new".to_vec()),
        ("deep/new.rs".to_owned(), b"new".to_vec()),
    ]);
    sync(&dir, &wanted).unwrap();
    assert_eq!(read_all(&dir).unwrap(), wanted);
    let modified = fs::metadata(dir.join("same.rs"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(modified, past, "an unchanged file is not rewritten");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_crate_copies_lib_runtime_binaries_and_companions_when_there_are_some() {
    let dir = temp("hand-written");
    write(&dir.join("src/lib.rs"), "mod runtime;");
    write(&dir.join("src/runtime/mod.rs"), "//! runtime");
    write(&dir.join("src/runtime/wire/date_time.rs"), "//! dates");
    write(
        &dir.join("src/generated/mod.rs"),
        "//! not copied: generated per spec",
    );
    write(&dir.join("src/bin/tool.rs"), "fn main() {}");
    let files = hand_written_files(&dir).unwrap();
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            "src/bin/tool.rs",
            "src/lib.rs",
            "src/runtime/mod.rs",
            "src/runtime/wire/date_time.rs"
        ]
    );
    write(&dir.join("src/companions/confirm/mod.rs"), "//! confirm");
    let files = hand_written_files(&dir).unwrap();
    assert!(files.contains_key("src/companions/confirm/mod.rs"));
    fs::remove_dir_all(&dir).unwrap();
}

fn verdict(errors: usize, files: &[(&str, usize)], first: &[&str]) -> Verdict {
    Verdict {
        errors,
        warnings: 0,
        files: files.iter().map(|(f, n)| ((*f).to_owned(), *n)).collect(),
        first: first.iter().map(|e| (*e).to_owned()).collect(),
    }
}

#[test]
fn the_report_gives_each_spec_its_verdict_and_first_errors() {
    let outcome = Outcome {
        scratch_dir: PathBuf::from("target/any-spec"),
        results: vec![
            (
                "synth-30".to_owned(),
                CaseResult::Checked(vec![
                    (
                        Features::All,
                        verdict(
                            3,
                            &[
                                ("src/runtime/flows.rs", 1),
                                ("src/runtime/mock/routes.rs", 2),
                            ],
                            &["error[E0432]: unresolved import\n --> src/runtime/flows.rs:1:5"],
                        ),
                    ),
                    (
                        Features::None,
                        Verdict {
                            warnings: 2,
                            ..Verdict::default()
                        },
                    ),
                ]),
            ),
            (
                "fixture-webhooks".to_owned(),
                CaseResult::Checked(vec![
                    (Features::All, Verdict::default()),
                    (Features::None, Verdict::default()),
                ]),
            ),
            (
                "fixture-envelopes".to_owned(),
                CaseResult::Checked(vec![
                    (
                        Features::All,
                        verdict(
                            2,
                            &[("src/runtime/flows.rs", 2)],
                            &["error[E0432]: unresolved import\n --> src/runtime/flows.rs:1:5"],
                        ),
                    ),
                    (
                        Features::None,
                        verdict(
                            2,
                            &[("src/runtime/flows.rs", 2)],
                            &[
                                "error[E0432]: unresolved import\n --> src/runtime/flows.rs:1:5",
                                "error[E0425]: cannot find value\n --> src/runtime/flows.rs:9:1",
                            ],
                        ),
                    ),
                ]),
            ),
            (
                "synth-7".to_owned(),
                CaseResult::NotGenerated("cannot generate the client: boom".to_owned()),
            ),
        ],
        skipped: vec![Skipped {
            name: "fixture-broken".to_owned(),
            reason: "does not load: error: unknown type".to_owned(),
        }],
        runs: vec![
            Run {
                features: Features::All,
                elapsed: Duration::from_millis(61_250),
                trouble: Vec::new(),
            },
            Run {
                features: Features::None,
                elapsed: Duration::from_millis(12_000),
                trouble: Vec::new(),
            },
        ],
        prepare: Duration::from_millis(900),
        smokes: Vec::new(),
        binaries: Vec::new(),
    };
    assert!(!outcome.passed());
    assert_eq!(
        report(&outcome),
        "any-spec: skipped fixture-broken: does not load: error: unknown type\n\
         any-spec: 4 specs generated into target/any-spec in 900.0ms\n\
         any-spec: cargo check, all features: 61.2s\n\
         any-spec: cargo check, no features: 12.0s\n\
         \n\
         synth-30: FAILED (all features: 3 errors in src/runtime/mock/routes.rs 2, src/runtime/flows.rs 1; \
         no features: ok, 2 warnings)\n  \
           all features, first errors:\n    \
             error[E0432]: unresolved import\n     \
             --> src/runtime/flows.rs:1:5\n\
         fixture-webhooks: ok (all features: ok; no features: ok)\n\
         fixture-envelopes: FAILED (all features: 2 errors in src/runtime/flows.rs 2; \
         no features: 2 errors in src/runtime/flows.rs 2)\n  \
           all features, first errors (as shown for synth-30, all features)\n  \
           no features, first errors (as shown for synth-30, all features):\n    \
             error[E0425]: cannot find value\n     \
             --> src/runtime/flows.rs:9:1\n\
         synth-7: FAILED\n  \
           cannot generate the client: boom\n\
         \n\
         note: errors in src/lib.rs, src/runtime/ or src/companions/ are in hand-written code \
         that names generated items the failing spec does not have. The runtime must name no \
         generated type; code that needs the EnKash spec's types belongs in a companion module \
         the spec declares (see `companions` in enkash-spec/SPEC-FORMAT.md).\n\
         \n\
         any-spec: 3 of 4 specs fail\n"
    );
}

#[test]
fn trouble_outside_the_crates_fails_the_run() {
    let outcome = Outcome {
        scratch_dir: PathBuf::from("target/any-spec"),
        results: vec![(
            "synth-30".to_owned(),
            CaseResult::Checked(vec![(Features::All, Verdict::default())]),
        )],
        skipped: Vec::new(),
        runs: vec![Run {
            features: Features::All,
            elapsed: Duration::from_secs(1),
            trouble: vec![
                "cargo failed (exit status: 101) without a compiler error:\nerror: no lock"
                    .to_owned(),
            ],
        }],
        prepare: Duration::from_secs(1),
        smokes: Vec::new(),
        binaries: Vec::new(),
    };
    assert!(!outcome.passed());
    let text = report(&outcome);
    assert!(
        text.contains("cargo check, all features: cargo failed (exit status: 101) without a compiler error:\n  error: no lock\n"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "any-spec: 0 of 1 specs fail, and cargo reported trouble outside the specs' crates\n"
        ),
        "{text}"
    );
}

#[test]
fn a_summary_names_the_files_with_most_errors() {
    let many = verdict(
        12,
        &[
            ("a.rs", 1),
            ("b.rs", 5),
            ("c.rs", 2),
            ("d.rs", 2),
            ("e.rs", 1),
            ("f.rs", 1),
        ],
        &[],
    );
    assert_eq!(
        verdict_summary(&many),
        "12 errors in b.rs 5, c.rs 2, d.rs 2, a.rs 1, 2 more files"
    );
    assert_eq!(
        verdict_summary(&verdict(1, &[("src/lib.rs", 1)], &[])),
        "1 error in src/lib.rs 1"
    );
}

#[test]
fn a_failed_smoke_test_fails_the_run_and_shows_its_output() {
    let mut outcome = Outcome {
        scratch_dir: PathBuf::from("target/any-spec"),
        results: vec![(
            "synth-30".to_owned(),
            CaseResult::Checked(vec![(Features::All, Verdict::default())]),
        )],
        skipped: Vec::new(),
        runs: Vec::new(),
        prepare: Duration::from_millis(10),
        smokes: vec![Smoke {
            name: "synth-30".to_owned(),
            passed: true,
            elapsed: Duration::from_secs(2),
            output: String::new(),
        }],
        binaries: Vec::new(),
    };
    assert!(outcome.passed());
    assert!(report(&outcome).contains("synth-30: smoke test passed"));
    outcome.smokes = vec![Smoke {
        name: "synth-30".to_owned(),
        passed: false,
        elapsed: Duration::from_secs(2),
        output: "panicked at create_r00001".to_owned(),
    }];
    assert!(!outcome.passed());
    assert!(
        report(&outcome)
            .contains("synth-30: smoke test FAILED in 2.0s:\n  panicked at create_r00001\n")
    );
}

#[test]
fn a_failed_binary_run_fails_the_run_and_shows_its_output() {
    let mut outcome = Outcome {
        scratch_dir: PathBuf::from("target/any-spec"),
        results: vec![(
            "synth-30".to_owned(),
            CaseResult::Checked(vec![(Features::All, Verdict::default())]),
        )],
        skipped: Vec::new(),
        runs: Vec::new(),
        prepare: Duration::from_millis(10),
        smokes: Vec::new(),
        binaries: vec![BinaryRun {
            name: "synth-30".to_owned(),
            area: "area-1".to_owned(),
            passed: true,
            elapsed: Duration::from_secs(3),
            output: String::new(),
        }],
    };
    assert!(outcome.passed());
    assert!(
        report(&outcome).contains(
            "synth-30: enkash binary passed (`--help` exits 0 and lists the area `area-1`)"
        )
    );
    outcome.binaries[0].passed = false;
    outcome.binaries[0].output = "error: no bin target named `enkash`".to_owned();
    assert!(!outcome.passed());
    assert!(report(&outcome).contains(
        "synth-30: enkash binary FAILED in 3.0s:\n  error: no bin target named `enkash`\n"
    ));
}

#[test]
fn a_binary_calls_the_scratch_crate_library() {
    assert_eq!(
        for_crate(
            b"fn main() { enkash_generated::cli_main(); }",
            "any-spec-synth-30"
        ),
        b"fn main() { any_spec_synth_30::cli_main(); }"
    );
}
