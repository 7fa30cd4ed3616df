//! The crate-level glue: the generated folder's `mod.rs`, environments, and the API facts the
//! runtime needs (token exchange, invalid-token codes).

use enkash_spec::{EnvelopeKind, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{doc_attrs, escape, module_doc, prose};
use crate::names::{ident, pascal_ident, static_ident};
use crate::{Error, Result};

/// `mod.rs` of the generated folder.
pub fn root_module(spec: &Spec) -> Result<TokenStream> {
    let doc = module_doc(&format!(
        "Generated from the {} {} spec in `enkash-spec/spec`.",
        escape(&spec.api.name),
        escape(&spec.api.version)
    ));
    Ok(quote! {
        #doc
        mod client;
        pub mod datetimes;
        pub mod enums;
        #[cfg(feature = "mock")]
        pub mod mock;
        pub mod models;
        pub mod operations;
        pub mod webhooks;

        pub use client::Environment;
        pub use datetimes::*;
        pub use enums::*;
        pub use models::*;
        pub use operations::*;
    })
}

/// `client.rs`: `Environment`, `Client::builder()` and the `ApiInfo` static.
pub fn client_module(spec: &Spec) -> Result<TokenStream> {
    let doc = module_doc("Environments and the API facts the runtime needs.");
    let mut variants = Vec::new();
    let mut urls = Vec::new();
    for env in &spec.environments {
        let variant = pascal_ident(&env.name)?;
        let doc = doc_attrs(&format!("{}\n\nBase URL `{}`.", prose(&env.doc), env.url));
        let url = &env.url;
        variants.push(quote!(#doc #variant,));
        urls.push(quote!(Self::#variant => #url,));
    }

    let token = &spec.auth.token;
    let token_op = spec.operations.get(&token.operation).ok_or_else(|| {
        Error::new(format!(
            "auth.token.operation: no operation `{}`",
            token.operation
        ))
    })?;
    if spec
        .envelopes
        .get(&token_op.envelope)
        .is_some_and(|e| e.kind == EnvelopeKind::Text)
    {
        return Err(Error::new(
            "auth.token.operation: a text envelope cannot carry a token",
        ));
    }
    let token_area = ident(token_op.area.as_str())?;
    let token_static = static_ident(&token_op.id)?;
    let access_key = &token.access_key_field;
    let secret_key = &token.secret_key_field;
    let token_field = &token.token_field;
    let expiry = &token.expiry_field;
    let codes = spec
        .auth
        .invalid_token_codes
        .iter()
        .map(|code| proc_macro2::Literal::i64_unsuffixed(*code));
    let api_doc = format!(
        " What the runtime needs to know about the {} as a whole.",
        spec.api.name
    );

    Ok(quote! {
        #doc
        use crate::runtime::{self as rt, Client, ClientBuilder};

        /// Where the client sends its requests.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Environment {
            #(#variants)*
            /// Any other base URL, e.g. a mock server: `http://127.0.0.1:8080`.
            Custom(String),
        }

        impl Environment {
            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                match self {
                    #(#urls)*
                    Self::Custom(url) => url,
                }
            }
        }

        impl ClientBuilder {
            /// Sets the environment (required: there is no default, so a test key can never
            /// reach production by accident).
            pub fn environment(self, environment: Environment) -> Self {
                self.base_url(environment.base_url())
            }
        }

        impl Client {
            /// Starts configuring a client. See [`ClientBuilder`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(&API)
            }
        }

        #[doc = #api_doc]
        pub(crate) static API: rt::ApiInfo = rt::ApiInfo {
            token: rt::TokenExchange {
                operation: &super::operations::#token_area::#token_static,
                access_key_field: #access_key,
                secret_key_field: #secret_key,
                token_field: #token_field,
                expiry_field: #expiry,
            },
            invalid_token_codes: &[#(#codes),*],
        };
    })
}
