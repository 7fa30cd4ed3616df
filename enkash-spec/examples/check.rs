//! Checks a spec folder: prints every problem (and exits 1), or the counts of what it defines.
//!
//! ```text
//! cargo run -p enkash-spec --example check -- enkash-spec/spec
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(enkash_spec::default_spec_dir, PathBuf::from);
    match enkash_spec::load(&dir) {
        Ok(spec) => {
            let undocumented_operations = spec.undocumented_operations.len();
            let markers = spec.undocumented().len() - undocumented_operations;
            println!("operations: {}", spec.operations.len());
            println!("schemas: {}", spec.schemas.len());
            println!("enums: {}", spec.enums.len());
            println!("webhooks: {}", spec.webhooks.len());
            println!("undocumented_operations: {undocumented_operations}");
            println!("undocumented markers: {markers}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            ExitCode::FAILURE
        }
    }
}
