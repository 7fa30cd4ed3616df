//! `cargo xtask synth`: the synthetic specs load without errors and generate, at small and
//! benchmark scale.

use enkash_spec::load_sources;
use xtask::synth;

fn load(operations: usize) -> enkash_spec::Spec {
    match load_sources(&synth::synthesize(operations)) {
        Ok(spec) => spec,
        Err(diagnostics) => panic!("synthetic spec of {operations} does not load:\n{diagnostics}"),
    }
}

#[test]
fn fifty_operations_written_to_a_folder_load_and_generate() {
    let dir = std::env::temp_dir().join(format!("xtask-synth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let options = synth::Options {
        operations: 50,
        out_dir: dir.clone(),
    };
    let written = synth::run(&options).unwrap();
    assert_eq!(
        written.len(),
        1 + 10,
        "api.yaml and one file per area (ten areas)"
    );
    let spec = match enkash_spec::load(&dir) {
        Ok(spec) => spec,
        Err(diagnostics) => panic!("{diagnostics}"),
    };
    assert_eq!(spec.operations.len(), 50);
    assert_eq!(spec.schemas.len(), 2 * 49 + 3);
    let files = enkash_codegen::generate(&spec).unwrap();
    assert!(files.iter().any(|f| f.path == "operations/upi_qr.rs"));
    // A second run replaces its own files and leaves others alone.
    std::fs::write(dir.join("mine.yaml"), "# not synthetic\n").unwrap();
    synth::run(&synth::Options {
        operations: 3,
        out_dir: dir.clone(),
    })
    .unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["api.yaml", "authorization.yaml", "mine.yaml", "orders.yaml"]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_is_deterministic_and_counts_the_token_exchange() {
    let a = synth::synthesize(20);
    let b = synth::synthesize(20);
    assert_eq!(
        a.iter().map(|f| (&f.name, &f.text)).collect::<Vec<_>>(),
        b.iter().map(|f| (&f.name, &f.text)).collect::<Vec<_>>()
    );
    assert_eq!(load(1).operations.len(), 1);
    assert_eq!(load(2).operations.len(), 2);
}

/// Scale: a thousand operations load and generate (no timing here; see `cargo bench`).
#[test]
fn a_thousand_operations_load_and_generate() {
    let spec = load(1_000);
    assert_eq!(spec.operations.len(), 1_000);
    let files = enkash_codegen::generate(&spec).unwrap();
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    assert!(lines > 100_000, "{lines} lines generated");
}

/// The secured variant loads with an OAuth2 password grant and a cipher on every envelope but
/// the token's, and generates.
#[test]
fn the_secured_variant_loads_and_generates() {
    let spec = enkash_spec::load_sources(&synth::synthesize_secured(30))
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(spec.operations.len(), 30);
    assert_eq!(spec.auth.token.kind, enkash_spec::TokenKind::OAuth2Password);
    assert!(spec.envelopes["standard"].cipher.is_some());
    assert!(spec.envelopes["token"].cipher.is_none());
    let files = enkash_codegen::generate(&spec).unwrap();
    let client = files.iter().find(|f| f.path == "client.rs").unwrap();
    assert!(client.contents.contains("rt::AuthValue::Basic"));
    assert!(client.contents.contains("rt::IssuedToken::lasting"));
}
