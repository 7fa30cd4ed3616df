//! Times [`enkash_spec::load`] on a spec folder: loads it a number of times and prints the
//! fastest and the median wall time (system allocator; the `xtask` binary and benches use
//! mimalloc, so their figures are somewhat lower).
//!
//! ```text
//! cargo run --release -p enkash-spec --example load_time -- enkash-spec/spec 50
//! cargo xtask synth --operations 1000 --out /tmp/s1000
//! cargo run --release -p enkash-spec --example load_time -- /tmp/s1000 20
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let dir = args
        .next()
        .map_or_else(enkash_spec::default_spec_dir, PathBuf::from);
    let runs: usize = args
        .next()
        .and_then(|runs| runs.to_str()?.parse().ok())
        .unwrap_or(20)
        .max(1);
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut operations = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = enkash_spec::load(&dir);
        times.push(start.elapsed());
        match loaded {
            Ok(spec) => operations = spec.operations.len(),
            Err(diagnostics) => {
                eprintln!("{diagnostics}");
                return ExitCode::FAILURE;
            }
        }
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let fastest = times.first().copied().unwrap_or_default();
    println!(
        "{}: {operations} operations, {runs} loads: fastest {:.2} ms, median {:.2} ms",
        dir.display(),
        fastest.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
    );
    ExitCode::SUCCESS
}
