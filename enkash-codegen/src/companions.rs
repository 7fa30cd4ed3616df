//! Companions: hand-written modules of `enkash-generated/src/companions/` that use generated types,
//! declared in the spec's `companions` section. The generator declares each one as a private module
//! of `mod.rs` (behind its feature) and re-exports its public items at one path: the crate root, or
//! the generated `mock` module. A spec without companions compiles none of that code.

use enkash_spec::{Companion, CompanionExport, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::Result;
use crate::docs::doc_attrs;
use crate::names::ident;

/// The companions' module declarations for `mod.rs`, and the `pub use` of those exported at the
/// crate root. Empty for a spec without companions.
/// `depth` is how many folders below the generated folder `mod.rs` is (1 for a product's).
pub(crate) fn declarations(spec: &Spec, depth: usize) -> Result<TokenStream> {
    let mut out = TokenStream::new();
    for companion in spec.companions.values() {
        let module = ident(&companion.module)?;
        let doc = doc_attrs(&companion.doc);
        let cfg = feature_cfg(companion);
        let path = format!(
            "{}../companions/{}/mod.rs",
            "../".repeat(depth),
            companion.module
        );
        let export = (companion.export == CompanionExport::Root).then(|| {
            quote! {
                #cfg
                pub use #module::*;
            }
        });
        out.extend(quote! {
            #doc
            #cfg
            #[path = #path]
            mod #module;

            #export
        });
    }
    Ok(out)
}

/// `pub use super::<module>::*;` for each companion exported into the generated `mock` module.
pub(crate) fn mock_exports(spec: &Spec) -> Result<TokenStream> {
    spec.companions
        .values()
        .filter(|companion| companion.export == CompanionExport::Mock)
        .map(|companion| {
            let module = ident(&companion.module)?;
            Ok(quote!(pub use super::#module::*;))
        })
        .collect()
}

fn feature_cfg(companion: &Companion) -> Option<TokenStream> {
    companion
        .feature
        .as_deref()
        .map(|feature| quote!(#[cfg(feature = #feature)]))
}
