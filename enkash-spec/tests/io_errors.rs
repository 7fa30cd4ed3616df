//! `load` reports folder and file problems as located diagnostics.

mod common;

use std::fs;
use std::path::PathBuf;

/// A fresh folder under Cargo's temporary directory for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("io_errors_{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    dir
}

#[test]
fn missing_folder() {
    let dir = scratch("missing").join("nope");
    let diagnostics = enkash_spec::load(&dir).unwrap_err();
    assert_eq!(diagnostics.errors.len(), 1);
    let error = &diagnostics.errors[0];
    assert!(
        error.message.starts_with("cannot read the spec folder"),
        "{error:?}"
    );
    assert_eq!((error.line, error.column), (1, 1));
    assert!(diagnostics.to_string().contains("due to 1 previous error"));
}

#[test]
fn folder_without_spec_files() {
    let dir = scratch("empty");
    fs::write(dir.join("notes.txt"), "not yaml").unwrap();
    fs::create_dir(dir.join("folder.yaml")).unwrap();
    let diagnostics = enkash_spec::load(&dir).unwrap_err();
    assert_eq!(diagnostics.errors.len(), 1);
    assert!(diagnostics.errors[0].message.starts_with("no *.yaml files"));
}

#[test]
fn file_that_is_not_utf8() {
    let dir = scratch("not_utf8");
    for file in common::read_sources(&common::fixture("valid")) {
        fs::write(dir.join(&file.name), file.text).unwrap();
    }
    fs::write(dir.join("bad.yaml"), b"schemas:\n  Ab\xffc: {}\n").unwrap();
    let diagnostics = enkash_spec::load(&dir).unwrap_err();
    assert_eq!(diagnostics.errors.len(), 1, "{diagnostics}");
    let error = &diagnostics.errors[0];
    assert_eq!(error.file, "bad.yaml");
    assert_eq!(error.message, "the file is not valid UTF-8");
    assert_eq!((error.line, error.column), (2, 5));
}

#[test]
fn reads_files_in_name_order() {
    let dir = scratch("order");
    for file in common::read_sources(&common::fixture("valid")) {
        fs::write(dir.join(&file.name), file.text).unwrap();
    }
    // Both define `Extra`: the first by file name is kept, the second reported.
    let extra = "schemas:\n  Extra:\n    doc: x\n    fields: {}\n";
    fs::write(dir.join("z.yaml"), extra).unwrap();
    fs::write(dir.join("b.yaml"), extra).unwrap();
    let diagnostics = enkash_spec::load(&dir).unwrap_err();
    assert_eq!(diagnostics.errors.len(), 1, "{diagnostics}");
    assert_eq!(diagnostics.errors[0].file, "z.yaml");
    assert_eq!(
        diagnostics.errors[0].help.as_deref(),
        Some("'Extra' is already defined at b.yaml:2")
    );
}
