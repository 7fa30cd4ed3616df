//! Spec → Rust: load + validate + generate + format, for the EnKash spec and synthetic specs of
//! 100, 1,000 and 10,000 operations (`cargo bench -p xtask --bench generate`).
//!
//! Each measured call reads the YAML files from disk, validates them and generates every file
//! (prettyplease-formatted) in memory, as `cargo xtask codegen` does before writing. The
//! synthetic specs are written to a temporary folder once, outside the measurement. Like the
//! `xtask` binary, the bench runs on mimalloc.

use std::path::{Path, PathBuf};

use divan::Bencher;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A synthetic spec of `operations` operations written to a temporary folder.
fn synthetic_dir(operations: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-bench-{operations}-{}", std::process::id()));
    xtask::synth::run(&xtask::synth::Options {
        operations,
        out_dir: dir.clone(),
    })
    .unwrap_or_else(|(path, err)| panic!("{}: {err}", path.display()));
    dir
}

/// Load + validate + generate + format; returns the bytes generated.
fn load_and_generate(dir: &Path) -> usize {
    let spec = enkash_spec::load(dir).unwrap_or_else(|d| panic!("{d}"));
    let files = enkash_codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
    files.iter().map(|f| f.contents.len()).sum()
}

#[divan::bench(sample_count = 30)]
fn enkash_spec(bencher: Bencher) {
    let dir = enkash_spec::default_spec_dir();
    bencher.bench(|| load_and_generate(&dir));
}

#[divan::bench(args = [100, 1_000], sample_count = 10)]
fn synthetic(bencher: Bencher, operations: usize) {
    let dir = synthetic_dir(operations);
    bencher.bench(|| load_and_generate(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[divan::bench(args = [10_000], sample_count = 3)]
fn synthetic_large(bencher: Bencher, operations: usize) {
    let dir = synthetic_dir(operations);
    bencher.bench(|| load_and_generate(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The two halves at 1,000 operations: loading + validating, and generating + formatting.
mod phases {
    use super::*;

    #[divan::bench(sample_count = 10)]
    fn load_1000(bencher: Bencher) {
        let dir = synthetic_dir(1_000);
        bencher.bench(|| enkash_spec::load(&dir).map(|s| s.operations.len()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[divan::bench(sample_count = 10)]
    fn generate_1000(bencher: Bencher) {
        let spec = enkash_spec::load_sources(&xtask::synth::synthesize(1_000))
            .unwrap_or_else(|d| panic!("{d}"));
        bencher.bench(|| enkash_codegen::generate(&spec).map(|files| files.len()));
    }

    #[divan::bench(sample_count = 10)]
    fn openapi_1000(bencher: Bencher) {
        let spec = enkash_spec::load_sources(&xtask::synth::synthesize(1_000))
            .unwrap_or_else(|d| panic!("{d}"));
        bencher.bench(|| xtask::openapi::render(&spec).len());
    }
}
