//! One type per date-time type of the spec (`datetimes:`).
//!
//! Each is an invocation of `crate::runtime::wire::date_time_type!`, which carries everything the
//! types share; the spec decides only the forms read, the form written and the assumed offset.

use enkash_spec::{DateTimeType, Spec};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::Result;
use crate::docs::{doc_attrs, link, module_doc, prose};
use crate::names::ident;
use crate::pieces::{Piece, piece};

/// `datetimes.rs`: a head (docs), then one piece per date-time type, in name order.
pub(crate) fn datetimes_pieces(spec: &Spec) -> Vec<Piece<'_>> {
    let head = piece(|| {
        Ok(module_doc(
            "Date-time types of the API: each reads the forms the spec lists (EnKash writes the same \
             kind of date in more than one form) and writes one. Each has `local()` (the date and \
             time as sent), `offset()` (when one was sent), `to_offset_date_time()` (taking a local \
             time at the spec's assumed offset), `assume_offset(..)`, `FromStr`, `Display` and serde \
             in its written form; the shared parts come from \
             `crate::runtime::wire::date_time_type!`.",
        ))
    });
    let types = spec
        .datetimes
        .values()
        .map(|datetime| piece(move || datetime_item(datetime)));
    std::iter::once(head).chain(types).collect()
}

fn datetime_item(datetime: &DateTimeType) -> Result<TokenStream> {
    let name = ident(&datetime.name)?;
    let doc = doc_attrs(&type_doc(datetime));
    let reads = datetime.reads.iter().map(|form| form_ident(*form));
    let writes = form_ident(datetime.writes);
    // Decided by the spec loader, once: the text for the docs, the seconds for the value.
    let (offset_text, offset_seconds) = datetime
        .assumed_offset
        .as_ref()
        .map_or(("+00:00", 0), |offset| {
            (offset.text.as_str(), offset.seconds)
        });
    let offset_seconds = proc_macro2::Literal::i32_unsuffixed(offset_seconds);
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct #name(crate::runtime::wire::date_time::DateTimeParts);

        crate::runtime::wire::date_time_type!(
            #name, [#(#reads),*], #writes, #offset_text, #offset_seconds
        );
    })
}

/// The spec's doc, then the forms in plain words.
fn type_doc(datetime: &DateTimeType) -> String {
    let mut doc = prose(&datetime.doc);
    let reads = datetime
        .reads
        .iter()
        .map(|form| format!("`{}`", form.example()))
        .collect::<Vec<_>>()
        .join(", ");
    doc.push_str(&format!(
        "\n\nReads {reads}; writes `{}`.",
        datetime.writes.example()
    ));
    if let Some(offset) = &datetime.assumed_offset {
        doc.push_str(&format!(
            " A value without a zone is taken to be at {} by `to_offset_date_time()`.",
            offset.text
        ));
    }
    if let Some(url) = &datetime.doc_url {
        doc.push_str(&format!("\n\nSee the {}.", link("EnKash docs", url)));
    }
    doc
}

/// The `DateTimeForm` variant of the runtime for a spec form.
fn form_ident(form: enkash_spec::DateTimeForm) -> Ident {
    let name = match form {
        enkash_spec::DateTimeForm::Rfc3339 => "Rfc3339",
        enkash_spec::DateTimeForm::IsoLocal => "IsoLocal",
        enkash_spec::DateTimeForm::SpaceLocal => "SpaceLocal",
    };
    Ident::new(name, Span::call_site())
}
