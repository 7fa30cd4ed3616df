//! `cargo xtask diff`: snapshots of the report for fixture pairs of specs
//! (`fixtures/diff/<case>/{old,new}/*.yaml` on top of `fixtures/diff/base/`), and reading the
//! spec from git.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use enkash_spec::{SourceFile, Spec};
use xtask::diff;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn yaml_files(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let entry = entry.unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "yaml") {
            let name = entry.file_name().to_string_lossy().into_owned();
            let text =
                fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            files.insert(name, text);
        }
    }
    files
}

/// The base files, with the case side's files added (a same-named file replaces the base one).
fn load_side(case: &str, side: &str) -> Spec {
    let mut files = yaml_files(&fixtures().join("base"));
    files.extend(yaml_files(&fixtures().join(case).join(side)));
    let sources: Vec<SourceFile> = files
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect();
    enkash_spec::load_sources(&sources)
        .unwrap_or_else(|diagnostics| panic!("{case}/{side}:\n{diagnostics}"))
}

fn report(case: &str) -> (String, bool) {
    let comparison = diff::compare::compare(&load_side(case, "old"), &load_side(case, "new"));
    (
        diff::render(&comparison, "`old`", "`new`"),
        comparison.is_breaking(),
    )
}

#[test]
fn unchanged_spec_reports_no_changes() {
    let (text, breaking) = report("unchanged");
    assert!(!breaking);
    insta::assert_snapshot!(text);
}

#[test]
fn operation_changes() {
    let (text, breaking) = report("operations");
    assert!(breaking);
    insta::assert_snapshot!(text);
}

#[test]
fn field_changes_in_sent_and_received_schemas() {
    let (text, breaking) = report("fields");
    assert!(breaking);
    insta::assert_snapshot!(text);
}

#[test]
fn enum_changes() {
    let (text, breaking) = report("enums");
    assert!(breaking);
    insta::assert_snapshot!(text);
}

#[test]
fn compatible_changes_only() {
    let (text, breaking) = report("compatible_only");
    assert!(!breaking, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn envelopes_environments_auth_and_webhooks() {
    let (text, breaking) = report("platform");
    assert!(breaking);
    insta::assert_snapshot!(text);
}

#[test]
fn reads_the_committed_spec_from_git() {
    let files = diff::spec_at_ref(&enkash_spec::default_spec_dir(), "HEAD")
        .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(files.iter().any(|f| f.name == "api.yaml"));
    assert!(files.windows(2).all(|w| w[0].name < w[1].name));
    let spec = enkash_spec::load_sources(&files).unwrap_or_else(|d| panic!("{d}"));
    assert!(spec.operations.contains_key(&spec.auth.token.operation));
}

#[test]
fn bad_refs_are_clear_errors() {
    let dir = enkash_spec::default_spec_dir();
    let err = diff::run(&diff::Options {
        old: diff::OldSpec::GitRef("no-such-ref-anywhere".into()),
        spec_dir: dir.clone(),
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("no-such-ref-anywhere"), "{err}");
    let err = diff::spec_at_ref(&dir, "--output=x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not a git revision"), "{err}");
}

#[test]
fn compares_two_folders() {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{}", std::process::id()));
    let (old, new) = (dir.join("old"), dir.join("new"));
    let _ = fs::remove_dir_all(&dir);
    for (side, files) in [
        (&old, xtask::synth::synthesize(3)),
        (&new, xtask::synth::synthesize(4)),
    ] {
        fs::create_dir_all(side).unwrap();
        for file in files {
            fs::write(side.join(&file.name), file.text).unwrap();
        }
    }
    let outcome = diff::run(&diff::Options {
        old: diff::OldSpec::Dir(old),
        spec_dir: new,
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(!outcome.comparison.is_breaking(), "{}", outcome.report);
    assert!(
        outcome
            .report
            .contains("`operations.synth_op_00003`: operation added")
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// The other products of the tree are compared too, under `products.<name>.`; a product
/// removed is breaking, one added is compatible.
#[test]
fn products_are_compared_under_their_name() {
    let old = enkash_spec::load(&enkash_spec::default_spec_dir()).unwrap_or_else(|d| panic!("{d}"));
    let mut new = old.clone();
    let payouts = new
        .products
        .get_mut("payouts")
        .expect("the payouts product");
    payouts.spec.operations.remove("create_transfer");
    let comparison = xtask::diff::compare::compare(&old, &new);
    assert!(comparison.is_breaking());
    assert!(
        comparison
            .entries
            .iter()
            .any(|e| e.subject == "products.payouts.operations.create_transfer"),
        "{:?}",
        comparison.entries
    );
    let mut without = old.clone();
    without.products.clear();
    let removed = xtask::diff::compare::compare(&old, &without);
    assert_eq!(removed.entries.len(), 1, "{:?}", removed.entries);
    assert_eq!(removed.entries[0].subject, "products.payouts");
    assert!(removed.is_breaking());
    let added = xtask::diff::compare::compare(&without, &old);
    assert!(!added.is_breaking());
    assert_eq!(added.entries[0].subject, "products.payouts");
}
