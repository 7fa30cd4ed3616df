//! Reads the spec folder. (Placeholder; the loader work replaces it.)

use std::path::Path;

use crate::{Diagnostics, Spec};

/// One spec file's name and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name relative to the spec folder.
    pub name: String,
    /// Contents.
    pub text: String,
}

/// Loads and validates every `*.yaml` file in `dir`.
pub fn load(dir: &Path) -> Result<Spec, Diagnostics> {
    let _ = dir;
    Err(Diagnostics::default())
}

/// Loads and validates spec files already in memory.
pub fn load_sources(files: &[SourceFile]) -> Result<Spec, Diagnostics> {
    let _ = files;
    Err(Diagnostics::default())
}
