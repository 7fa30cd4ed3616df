//! Project automation behind `cargo xtask`. Each command is a module (`codegen`, `openapi`,
//! `diff`, `drift`, `contract`, `synth`, `any_spec`); `files` holds the shared helpers that write generated files
//! safely and compare them for `--check`, and `json` an insertion-ordered JSON writer.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod any_spec;
pub mod codegen;
pub mod contract;
pub mod diff;
pub mod drift;
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
