//! Every broken fixture under `tests/fixtures/broken/<case>/` is laid over the valid fixture and
//! loaded; the rendered diagnostics are held by a snapshot per case
//! (`tests/snapshots/broken_fixtures__<case>.snap`).

mod common;

use std::fs;

use common::{assert_located, fixture, overlay};

#[test]
fn broken_fixtures_report_located_errors() {
    let mut cases: Vec<_> = fs::read_dir(fixture("broken"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "only {} broken fixtures", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let files = overlay(&case);
        let diagnostics = match enkash_spec::load_sources(&files) {
            Ok(_) => panic!("broken fixture '{name}' loaded without errors"),
            Err(diagnostics) => diagnostics,
        };
        assert_located(&diagnostics, &files);
        insta::assert_snapshot!(name.as_str(), diagnostics.to_string());
    }
}
