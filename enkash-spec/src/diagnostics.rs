//! Located errors about a spec, rendered like rustc's. (Placeholder; the loader work replaces it.)

use std::fmt;

/// One problem in the spec, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong.
    pub message: String,
    /// File name relative to the spec folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// YAML path (`operations.create_order.response`).
    pub path: String,
    /// A suggestion.
    pub help: Option<String>,
}

/// Every problem found in one load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The problems, in file and line order.
    pub errors: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.errors {
            writeln!(
                f,
                "error: {}\n --> {}:{}:{}",
                d.message, d.file, d.line, d.column
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
