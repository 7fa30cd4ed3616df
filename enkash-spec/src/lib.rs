//! The EnKash Payment Gateway API described in YAML (`spec/`), with the Rust model of that
//! description, its loader and its validator.
//!
//! ```no_run
//! let spec = enkash_spec::load(std::path::Path::new("enkash-spec/spec")).unwrap_or_else(|diagnostics| {
//!     eprintln!("{diagnostics}");
//!     std::process::exit(1);
//! });
//! println!("{} operations", spec.operations.len());
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth_checks;
mod companions;
mod decode;
pub mod diagnostics;
mod fields;
mod files;
mod loader;
mod merge;
pub mod model;
mod names;
pub mod naming;
mod operations;
mod pagination;
pub mod parallel;
mod products;
mod report;
mod schemas;
mod sections;
mod source;
mod suggest;
mod types;
mod validate;
mod waiters;
mod yaml;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use loader::{SourceFile, load, load_sources};
pub use model::*;

/// The folder of the project's own spec, for tools in this workspace.
pub fn default_spec_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec")
}
