//! Peak heap memory of load + validate + generate + format (`cargo bench -p xtask --bench
//! memory`), measured with a counting global allocator around mimalloc (the `xtask` binary's
//! allocator). Prints one line per spec: operations, peak heap MiB, output MiB, time.
//!
//! Heap bytes only: the process's resident size (what `/usr/bin/time -v` reports as "Maximum
//! resident set size") is higher by the allocator's slack and the binary; `bench/scale.sh`
//! measures that on the real `xtask codegen` runs.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to mimalloc with the same arguments; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grow(new_size - layout.size());
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: f64 = 1024.0 * 1024.0;

fn measure(label: &str, dir: &std::path::Path) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let spec = enkash_spec::load(dir).unwrap_or_else(|d| panic!("{d}"));
    let files = enkash_codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    let output: usize = files.iter().map(|f| f.contents.len()).sum();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!(
        "{label:>14}: peak heap {:>8.1} MiB, output {:>6.1} MiB, {:>8.1?}",
        peak as f64 / MIB,
        output as f64 / MIB,
        elapsed
    );
}

fn main() {
    // `cargo test --benches` passes `--bench`-less flags; run only under `cargo bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    measure("EnKash spec", &enkash_spec::default_spec_dir());
    for operations in [100, 1_000, 10_000] {
        let dir =
            std::env::temp_dir().join(format!("xtask-memory-{operations}-{}", std::process::id()));
        xtask::synth::run(&xtask::synth::Options {
            operations,
            out_dir: dir.clone(),
        })
        .unwrap_or_else(|(path, err)| panic!("{}: {err}", path.display()));
        measure(&format!("{operations} ops"), &dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
