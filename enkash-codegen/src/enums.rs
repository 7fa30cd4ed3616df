//! One forward-compatible enum per spec enum.
//!
//! A value EnKash adds later deserializes into `Unknown`, which keeps the raw value and serializes
//! it back unchanged, so a new status never breaks decoding of a whole response.

use enkash_spec::{Enum, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::Result;
use crate::docs::{doc_attrs, link, module_doc, prose};
use crate::names::ident;
use crate::pieces::{Piece, piece};

/// `enums.rs`: a head (docs, imports), then one piece per enum, in name order.
pub(crate) fn enums_pieces(spec: &Spec) -> Vec<Piece<'_>> {
    let head = piece(|| {
        let doc = module_doc(
            "String enums of the API. Every enum is `#[non_exhaustive]` and has an `Unknown` variant \
             that keeps values EnKash adds later, so match on the values you handle and treat the rest \
             alike. Each has `as_str`, `From<&str>` (never fails), `parse_known` (strict), `Display`, \
             `FromStr` and serde as its wire string; the impls every enum shares come from \
             `crate::runtime::wire::string_enum!`.",
        );
        let import = (!spec.enums.is_empty()).then(|| {
            quote!(
                use crate::runtime::wire::UnknownValue;
            )
        });
        Ok(quote! {
            #doc
            #import
        })
    });
    let enums = spec
        .enums
        .values()
        .map(|spec_enum| piece(move || enum_item(spec_enum)));
    std::iter::once(head).chain(enums).collect()
}

fn enum_item(spec_enum: &Enum) -> Result<TokenStream> {
    let name = ident(&spec_enum.name)?;
    let type_name = &spec_enum.name;
    let mut doc = prose(&spec_enum.doc);
    if let Some(url) = &spec_enum.doc_url {
        doc.push_str(&format!("\n\nSee the {}.", link("EnKash docs", url)));
    }
    let doc = doc_attrs(&doc);

    let mut variants = Vec::new();
    let mut to_str = Vec::new();
    let mut from_str = Vec::new();
    let mut known = Vec::new();
    for value in &spec_enum.values {
        let variant = ident(&value.rust_name)?;
        let wire = &value.wire;
        let mut value_doc = prose(&value.doc);
        let lifecycle = match (value.is_final, value.is_success) {
            (true, true) => " Final, successful.",
            (true, false) => " Final.",
            _ => "",
        };
        value_doc.push_str(&format!("\n\nWire value `{wire}`.{lifecycle}"));
        let value_doc = doc_attrs(&value_doc);
        variants.push(quote! { #value_doc #variant, });
        to_str.push(quote! { Self::#variant => #wire, });
        from_str.push(quote! { #wire => Self::#variant, });
        known.push(quote! { Self::#variant });
    }
    let count = proc_macro2::Literal::usize_unsuffixed(spec_enum.values.len());
    let lifecycle = lifecycle_methods(spec_enum)?;
    let known_doc = format!(" Every value of `{type_name}` this version of the crate knows.");

    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; [`UnknownValue::as_str`] gives it.
            Unknown(UnknownValue),
        }

        impl #name {
            #[doc = #known_doc]
            pub const KNOWN: [Self; #count] = [#(#known),*];

            /// The value exactly as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            #lifecycle
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(UnknownValue::new(other)),
                }
            }
        }

        crate::runtime::wire::string_enum!(#name);
    })
}

/// `is_final` / `is_success` when the spec gives lifecycle facts for this enum.
fn lifecycle_methods(spec_enum: &Enum) -> Result<TokenStream> {
    let finals = spec_enum
        .values
        .iter()
        .filter(|value| value.is_final)
        .map(|value| ident(&value.rust_name))
        .collect::<Result<Vec<_>>>()?;
    if finals.is_empty() {
        return Ok(TokenStream::new());
    }
    let successes = spec_enum
        .values
        .iter()
        .filter(|value| value.is_success)
        .map(|value| ident(&value.rust_name))
        .collect::<Result<Vec<_>>>()?;
    let final_list = spec_enum
        .values
        .iter()
        .filter(|value| value.is_final)
        .map(|value| format!("`{}`", value.wire))
        .collect::<Vec<_>>()
        .join(", ");
    let final_doc = format!(
        " True when no further change follows, as the spec reads EnKash's lifecycle (each value's \
         doc says how sure that is): {final_list}. Unknown values are not final."
    );
    let success = if successes.is_empty() {
        quote! {
            /// True for final values that mean the money moved; the docs name none for this enum.
            pub fn is_success(&self) -> bool {
                false
            }
        }
    } else {
        quote! {
            /// True for final values that mean the money moved as asked.
            pub fn is_success(&self) -> bool {
                matches!(self, #(Self::#successes)|*)
            }
        }
    };
    Ok(quote! {
        #[doc = #final_doc]
        pub fn is_final(&self) -> bool {
            matches!(self, #(Self::#finals)|*)
        }

        #success
    })
}
