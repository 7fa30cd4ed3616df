//! Turns a validated [`enkash_spec::Spec`] into the Rust source files of `enkash-generated`.
//!
//! The pipeline is spec model → tokens → files: each concern has its own module that turns part of
//! the model into `proc_macro2` tokens (`models`, `enums`, `operations`, `webhooks`, `client`,
//! `mock`, `companions`, `validation`), `pieces` runs them piece by piece on all cores, and
//! `format` parses each piece into a `syn::File`, prints it with `prettyplease` and adds the
//! "generated, do not edit" header. Nothing here performs I/O, and the same spec always
//! gives byte-identical output: every collection walked is ordered (`BTreeMap` or YAML order).
//!
//! What the generated crate looks like (the Rust type of a spec type, which fields are `Option`,
//! parameter struct names, call paths) is decided in one place, [`shape`], which tools that
//! describe the generated crate without generating it (`cargo xtask diff`) also ask.
//!
//! [`examples`] writes example JSON for any spec type, which the generated types read and whose
//! request types pass `validate()`: the material for mock answers and smoke tests.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod companions;
mod datetimes;
mod docs;
mod enums;
pub mod examples;
mod format;
mod mock;
mod models;
mod names;
mod operations;
mod pieces;
pub mod readme;
pub mod shape;
mod smoke;
mod types;
mod validation;
mod webhooks;

use enkash_spec::Spec;

use crate::pieces::{FilePlan, piece};

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

/// Generates every file of the generated folder, sorted by path.
///
/// Every file is planned as pieces (see the `pieces` module) that are formatted on all cores; the
/// result does not depend on the order in which threads finish.
pub fn generate(spec: &Spec) -> Result<Vec<GeneratedFile>> {
    // Which schemas get a `validate()` is needed by several files: decide it once.
    let requests = &validation::request_schemas(spec);
    let validated = &validation::validated_schemas(spec, requests);
    let received = &validation::received_schemas(spec);
    let mut plans = vec![
        FilePlan::new(
            "mod.rs",
            vec![
                piece(|| client::root_module(spec)),
                piece(|| companions::declarations(spec)),
            ],
        ),
        FilePlan::new("client.rs", vec![piece(|| client::client_module(spec))]),
        FilePlan::new(
            "models.rs",
            models::models_pieces(spec, validated, requests, received),
        ),
        FilePlan::new("enums.rs", enums::enums_pieces(spec)),
        FilePlan::new("datetimes.rs", datetimes::datetimes_pieces(spec)),
        FilePlan::new("mock.rs", mock::mock_pieces(spec)),
        FilePlan::new(
            "operations/mod.rs",
            vec![piece(|| operations::operations_module(spec))],
        ),
        FilePlan::new(
            "webhooks.rs",
            vec![piece(|| webhooks::webhooks_module(spec))],
        ),
        FilePlan::new("smoke.rs", vec![piece(|| smoke::smoke_module(spec))]),
    ];
    for area in operations::areas_with_operations(spec) {
        let path = format!("operations/{}.rs", area.as_str());
        plans.push(FilePlan::new(
            path,
            operations::area_pieces(spec, area, validated),
        ));
    }
    let mut files = pieces::run(plans)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
