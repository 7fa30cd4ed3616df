//! Turns a validated [`enkash_spec::Spec`] into the Rust source files of `enkash-generated`.
//!
//! The pipeline is spec model → tokens → files: each concern has its own module that turns part of
//! the model into `proc_macro2` tokens (`models`, `enums`, `operations`, `webhooks`, `client`,
//! `mock`, `validation`), and `format` parses the tokens into a `syn::File`, prints it with `prettyplease`
//! and adds the "generated, do not edit" header. Nothing here performs I/O, and the same spec always
//! gives byte-identical output: every collection walked is ordered (`BTreeMap` or YAML order).

mod client;
mod docs;
mod enums;
mod format;
mod mock;
mod models;
mod names;
mod operations;
pub mod readme;
mod types;
mod validation;
mod webhooks;

use enkash_spec::Spec;

pub use format::HEADER;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the generated folder, `/`-separated (`operations/orders.rs`).
    pub path: String,
    /// Full contents, starting with [`HEADER`].
    pub contents: String,
}

/// A spec the generator cannot turn into Rust (the validator lets it through, but no Rust form
/// exists yet), or generated tokens that do not parse (a generator bug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What and where, e.g. "`schemas.Foo.fields.bar: list<decimal> is not supported`".
    pub message: String,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Result of a generation step.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The folder of `enkash-generated` that holds generated files, relative to the workspace root.
pub const GENERATED_DIR: &str = "enkash-generated/src/generated";

/// Generates every file of the generated folder, sorted by path.
///
/// Files are independent, so they are generated and formatted on all cores; the result does not
/// depend on the order in which threads finish.
pub fn generate(spec: &Spec) -> Result<Vec<GeneratedFile>> {
    // Which schemas get a `validate()` is needed by several files: decide it once.
    let validated = &validation::validated_schemas(spec);
    let mut jobs: Vec<(String, Job<'_>)> = vec![
        ("mod.rs".into(), Box::new(|| client::root_module(spec))),
        ("client.rs".into(), Box::new(|| client::client_module(spec))),
        (
            "models.rs".into(),
            Box::new(move || models::models_module(spec, validated)),
        ),
        ("enums.rs".into(), Box::new(|| enums::enums_module(spec))),
        ("mock.rs".into(), Box::new(|| mock::mock_module(spec))),
        (
            "operations/mod.rs".into(),
            Box::new(|| operations::operations_module(spec)),
        ),
        (
            "webhooks.rs".into(),
            Box::new(|| webhooks::webhooks_module(spec)),
        ),
    ];
    for area in operations::areas_with_operations(spec) {
        let path = format!("operations/{}.rs", area.as_str());
        jobs.push((
            path,
            Box::new(move || operations::area_module(spec, area, validated)),
        ));
    }
    let mut files = run_jobs(jobs)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Builds one file's tokens. Tokens are not `Send`, so each job makes and formats its own.
type Job<'a> = Box<dyn Fn() -> Result<proc_macro2::TokenStream> + Send + Sync + 'a>;

/// Runs the jobs on up to one thread per core, biggest files first.
fn run_jobs(jobs: Vec<(String, Job<'_>)>) -> Result<Vec<GeneratedFile>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len())
        .max(1);
    let results: Vec<Result<Vec<GeneratedFile>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, job)) = jobs.get(index) else {
                            break;
                        };
                        done.push(file(path, job()?)?);
                    }
                    Ok(done)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err(Error::new("a generator thread panicked")))
            })
            .collect()
    });
    let mut files = Vec::new();
    for result in results {
        files.extend(result?);
    }
    Ok(files)
}

fn file(path: &str, tokens: proc_macro2::TokenStream) -> Result<GeneratedFile> {
    let contents = format::render(path, tokens)?;
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents,
    })
}
