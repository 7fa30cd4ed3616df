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

mod cli;
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
mod paginate;
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

/// Generates every file of the generated folder, sorted by path: the root spec's, and each
/// product's in the sub-folder of its name (`payouts/client.rs`).
///
/// Every file is planned as pieces (see the `pieces` module) that are formatted on all cores; the
/// result does not depend on the order in which threads finish.
pub fn generate(spec: &Spec) -> Result<Vec<GeneratedFile>> {
    let facts = Facts::of(spec);
    let mut product_facts = Vec::new();
    for product in spec.products.values() {
        product_facts.push((product, Facts::of(&product.spec)));
    }
    let mut plans = product_plans(spec, client::Target::Root, "", &facts);
    for (product, facts) in &product_facts {
        let prefix = format!("{}/", product.name);
        plans.extend(product_plans(
            &product.spec,
            client::Target::Product(product),
            &prefix,
            facts,
        ));
    }
    let mut files = pieces::run(plans)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Which schemas get a `validate()`, which are received: needed by several files, decided once
/// per product.
struct Facts {
    requests: std::collections::BTreeSet<String>,
    validated: std::collections::BTreeSet<String>,
    received: std::collections::BTreeSet<String>,
}

impl Facts {
    fn of(spec: &Spec) -> Facts {
        let requests = validation::request_schemas(spec);
        let validated = validation::validated_schemas(spec, &requests);
        let received = validation::received_schemas(spec);
        Facts {
            requests,
            validated,
            received,
        }
    }
}

/// The files of one product, their paths under `prefix`.
fn product_plans<'a>(
    spec: &'a Spec,
    target: client::Target<'a>,
    prefix: &str,
    facts: &'a Facts,
) -> Vec<FilePlan<'a>> {
    let (requests, validated, received) = (&facts.requests, &facts.validated, &facts.received);
    let product = matches!(target, client::Target::Product(_));
    let depth = usize::from(product);
    let mut plans = vec![
        FilePlan::new(
            format!("{prefix}mod.rs"),
            vec![
                piece(move || client::root_module(spec, target)),
                piece(move || companions::declarations(spec, depth)),
            ],
        ),
        FilePlan::new(
            format!("{prefix}cli_commands.rs"),
            vec![piece(move || cli::cli_module(spec, target, validated))],
        ),
        FilePlan::new(
            format!("{prefix}client.rs"),
            vec![piece(move || client::client_module(spec, target))],
        ),
        FilePlan::new(
            format!("{prefix}models.rs"),
            models::models_pieces(spec, validated, requests, received),
        ),
        FilePlan::new(format!("{prefix}enums.rs"), enums::enums_pieces(spec)),
        FilePlan::new(
            format!("{prefix}datetimes.rs"),
            datetimes::datetimes_pieces(spec),
        ),
        FilePlan::new(format!("{prefix}mock.rs"), mock::mock_pieces(spec)),
        FilePlan::new(
            format!("{prefix}operations/mod.rs"),
            vec![piece(move || operations::operations_module(spec))],
        ),
        FilePlan::new(
            format!("{prefix}webhooks.rs"),
            vec![piece(move || webhooks::webhooks_module(spec, target))],
        ),
        FilePlan::new(
            format!("{prefix}smoke.rs"),
            vec![piece(move || smoke::smoke_module(spec, target))],
        ),
    ];
    for area in operations::areas_with_operations(spec) {
        plans.push(FilePlan::new(
            format!("{prefix}operations/{}.rs", area.name),
            operations::area_pieces(spec, area, product, validated),
        ));
    }
    plans
}
