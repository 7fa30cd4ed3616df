//! Notifications EnKash sends to the merchant: one parse function per webhook, and the documented
//! acknowledgement of those whose docs give one.

use enkash_spec::Spec;
use proc_macro2::TokenStream;
use quote::quote;

use crate::Result;
use crate::client::{Target, product_name};
use crate::docs::{doc_attrs, escape, link, module_doc, prose};
use crate::models::type_imports;
use crate::names::{ident, static_ident};
use crate::types::rust_type;

/// `webhooks.rs`: `parse_<id>(body)` and `parse_<id>_recording(body, recorder)` for every
/// webhook, in id order.
pub(crate) fn webhooks_module(spec: &Spec, target: Target<'_>) -> Result<TokenStream> {
    let product = product_name(target);
    let doc = module_doc(
        "Notifications EnKash POSTs to the merchant's URLs. Each `parse_*` function decodes a raw \
         request body into its payload type; a malformed body is an error naming the failing field. \
         Its `parse_*_recording` twin also records drift (what the body holds that the spec does \
         not say) into a `DriftRecorder`.\n\n\
         EnKash does not document how a notification's `checksum` is computed, so a parsed \
         notification is a claim, not a proof: confirm it with the API before acting on it.",
    );
    let imports = type_imports(spec.webhooks.values().map(|hook| &hook.payload), true)?;
    let functions = spec
        .webhooks
        .values()
        .map(|hook| {
            let name = ident(&format!("parse_{}", hook.id))?;
            let recording = ident(&format!("parse_{}_recording", hook.id))?;
            let id = &hook.id;
            let recording_doc = doc_attrs(&format!(
                "[`{name}`], also recording into `recorder` what the body holds that the spec does \
                 not say (see [`DriftRecorder`](crate::DriftRecorder)), whether or not it decodes."
            ));
            let ty = rust_type(&hook.payload)?;
            let doc = doc_attrs(&format!(
                "Parses the body of a {} notification.\n\n{}\n\nSee the {}.",
                escape(&hook.summary),
                prose(&hook.doc),
                link("EnKash docs", &hook.doc_url)
            ));
            let acknowledgement = match &hook.acknowledgement {
                None => TokenStream::new(),
                Some(ack) => {
                    let constant = static_ident(&format!("{}_acknowledgement", hook.id))?;
                    let status = proc_macro2::Literal::u16_unsuffixed(ack.status);
                    let body = &ack.body;
                    let doc = doc_attrs(&format!(
                        "The answer EnKash's docs expect for a {} notification: HTTP {status} \
                         with the body `{}`. See the {}.",
                        escape(&hook.summary),
                        body.replace('`', "'"),
                        link("EnKash docs", &hook.doc_url)
                    ));
                    quote! {
                        #doc
                        pub const #constant: WebhookAcknowledgement =
                            WebhookAcknowledgement { status: #status, body: #body };
                    }
                }
            };
            Ok(quote! {
                #doc
                pub fn #name(body: &[u8]) -> Result<#ty, WebhookError> {
                    crate::runtime::parse_webhook(#id, body)
                }

                #recording_doc
                pub fn #recording(
                    body: &[u8],
                    recorder: &crate::DriftRecorder,
                ) -> Result<#ty, WebhookError> {
                    crate::runtime::parse_webhook_recording(#product, #id, body, recorder)
                }

                #acknowledgement
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        #doc
        pub use crate::runtime::{WebhookAcknowledgement, WebhookError};
        #imports

        #(#functions)*
    })
}
