//! Project automation behind `cargo xtask`. Each command is a module (`codegen`, `openapi`,
//! `diff`, `synth`, `any_spec`); `files` holds the shared helpers that write generated files
//! safely and compare them for `--check`, `json` an insertion-ordered JSON writer, and `args`
//! the command-line reader of `cargo xtask` and of `xtask-client`.
//!
//! This package never depends on `enkash-generated`, so that `cargo xtask codegen` builds and
//! runs while the generated code does not compile. The commands that use the generated client
//! (`drift`, `contract`) are the package `xtask-client`, which `cargo xtask` runs for them.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod any_spec;
pub mod args;
pub mod codegen;
pub mod diff;
pub mod files;
pub mod json;
pub mod openapi;
pub mod synth;

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
