//! Snapshots of the generator's output for small fixture specs (each on top of
//! `fixtures/base.yaml`). The output for the full EnKash spec is the checked-in
//! `enkash-generated/src/generated`, which `cargo xtask codegen --check` and `xtask/tests/fresh.rs`
//! keep in step with the spec.

use std::fs;
use std::path::Path;

use enkash_spec::{SourceFile, Spec};

/// Loads `fixtures/base.yaml` plus every YAML file of `fixtures/<case>/`.
fn load_fixture(case: &str) -> Spec {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = vec![read(&fixtures.join("base.yaml"), "base.yaml")];
    let mut entries: Vec<_> = fs::read_dir(fixtures.join(case))
        .unwrap_or_else(|err| panic!("fixture {case}: {err}"))
        .map(|entry| entry.unwrap_or_else(|err| panic!("fixture {case}: {err}")))
        .collect();
    entries.sort_by_key(|entry| entry.path());
    for entry in entries {
        // No `/` in the name: a folder in a name is a product of the spec tree.
        let name = format!("{case}.{}", entry.file_name().to_string_lossy());
        files.push(read(&entry.path(), &name));
    }
    enkash_spec::load_sources(&files).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

fn read(path: &Path, name: &str) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        text: fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display())),
    }
}

/// The generated files whose path is in `wanted`, concatenated with a header per file.
fn generated(spec: &Spec, wanted: &[&str]) -> String {
    let files = enkash_codegen::generate(spec).unwrap_or_else(|err| panic!("{err}"));
    let mut out = String::new();
    for file in files.iter().filter(|f| wanted.contains(&f.path.as_str())) {
        out.push_str(&format!("==> {} <==\n{}\n", file.path, file.contents));
    }
    assert!(!out.is_empty(), "none of {wanted:?} was generated");
    out
}

#[test]
fn struct_with_every_field_type() {
    insta::assert_snapshot!(generated(&load_fixture("every_field_type"), &["models.rs"]));
}

#[test]
fn enum_with_lifecycle() {
    insta::assert_snapshot!(generated(&load_fixture("enum_lifecycle"), &["enums.rs"]));
}

#[test]
fn operation_with_path_query_and_header_params() {
    let spec = load_fixture("operation_params");
    insta::assert_snapshot!(generated(
        &spec,
        &[
            "operations/mod.rs",
            "operations/refunds.rs",
            "operations/settlements.rs"
        ]
    ));
}

#[test]
fn each_envelope() {
    insta::assert_snapshot!(generated(
        &load_fixture("envelopes"),
        &["operations/payments.rs"]
    ));
}

#[test]
fn each_date_format() {
    insta::assert_snapshot!(generated(
        &load_fixture("date_formats"),
        &["models.rs", "datetimes.rs"]
    ));
}

#[test]
fn webhooks() {
    insta::assert_snapshot!(generated(&load_fixture("webhooks"), &["webhooks.rs"]));
}

#[test]
fn undocumented_operations_are_listed_not_generated() {
    insta::assert_snapshot!(generated(
        &load_fixture("undocumented_operations"),
        &["operations/mod.rs"]
    ));
}

#[test]
fn client_glue() {
    insta::assert_snapshot!(generated(
        &load_fixture("envelopes"),
        &["mod.rs", "client.rs"]
    ));
}

#[test]
fn companions_are_declared_and_exported_and_the_mock_serves_every_operation() {
    insta::assert_snapshot!(generated(
        &load_fixture("companions"),
        &["mod.rs", "mock.rs"]
    ));
}

#[test]
fn output_is_deterministic() {
    let spec = load_fixture("every_field_type");
    let first = enkash_codegen::generate(&spec).unwrap();
    for _ in 0..3 {
        assert_eq!(enkash_codegen::generate(&spec).unwrap(), first);
    }
}

#[test]
fn every_file_starts_with_the_generated_header() {
    let spec = load_fixture("operation_params");
    for file in enkash_codegen::generate(&spec).unwrap() {
        assert!(
            file.contents.starts_with(enkash_codegen::HEADER),
            "{}",
            file.path
        );
    }
}
