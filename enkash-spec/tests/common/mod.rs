//! Helpers shared by the integration tests.
#![allow(dead_code)] // Each test crate uses a different subset.

use std::fs;
use std::path::{Path, PathBuf};

use enkash_spec::{Diagnostics, SourceFile};

/// `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The `*.yaml` files directly in `dir`, sorted by name (as `load` reads them).
pub(crate) fn read_sources(dir: &Path) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|err| panic!("{}: {err}", dir.display())))
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "yaml"))
        .map(|entry| SourceFile {
            name: entry.file_name().to_string_lossy().into_owned(),
            text: fs::read_to_string(entry.path())
                .unwrap_or_else(|err| panic!("{}: {err}", entry.path().display())),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The valid fixture with the files of `overlay` laid over it: a file of the same name replaces
/// the valid one, others are added.
pub(crate) fn overlay(overlay: &Path) -> Vec<SourceFile> {
    let mut files = read_sources(&fixture("valid"));
    for file in read_sources(overlay) {
        files.retain(|existing| existing.name != file.name);
        files.push(file);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// Every diagnostic is located in one of the input files, with a path, and renders.
pub(crate) fn assert_located(diagnostics: &Diagnostics, files: &[SourceFile]) {
    assert!(!diagnostics.errors.is_empty(), "an Err without diagnostics");
    for error in &diagnostics.errors {
        assert!(error.line >= 1 && error.column >= 1, "{error:?}");
        assert!(error.width >= 1, "{error:?}");
        assert!(
            files.iter().any(|file| file.name == error.file),
            "not an input file: {error:?}"
        );
        assert!(!error.path.is_empty(), "{error:?}");
        assert!(!error.message.is_empty(), "{error:?}");
    }
    let rendered = diagnostics.to_string();
    assert!(rendered.contains("could not load the spec"));
}
