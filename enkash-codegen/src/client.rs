//! The crate-level glue: the generated folder's `mod.rs`, environments, and the API facts the
//! runtime needs (token exchange, invalid-token codes).

use enkash_spec::{Credential, EnvelopeKind, Spec, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::docs::{doc_attrs, escape, module_doc, prose};
use crate::names::{ident, pascal_ident, static_ident};
use crate::{Error, Result};

/// `mod.rs` of the generated folder.
pub(crate) fn root_module(spec: &Spec) -> Result<TokenStream> {
    let doc = module_doc(&format!(
        "Generated from the {} {} spec in `enkash-spec/spec`.",
        escape(&spec.api.name),
        escape(&spec.api.version)
    ));
    // The type modules are private and re-exported at the crate root, so that each type has
    // one documented path; `webhooks` (functions and constants) and `mock` stay modules. A
    // module with nothing in it is not re-exported (the glob would be an unused import).
    let datetimes = (!spec.datetimes.is_empty()).then(|| {
        quote!(
            pub use datetimes::*;
        )
    });
    let enums = (!spec.enums.is_empty()).then(|| {
        quote!(
            pub use enums::*;
        )
    });
    Ok(quote! {
        #doc
        mod client;
        mod datetimes;
        mod enums;
        #[cfg(feature = "mock")]
        pub mod mock;
        mod models;
        mod operations;
        #[cfg(all(test, feature = "mock"))]
        mod smoke;
        pub mod webhooks;

        pub use client::Environment;
        #datetimes
        #enums
        pub use models::*;
        pub use operations::*;
    })
}

/// `client.rs`: `Environment`, `Client::builder()` and the `ApiInfo` static.
pub(crate) fn client_module(spec: &Spec) -> Result<TokenStream> {
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

    let token = token_exchange(spec)?;
    let shared = shared_statics(spec)?;
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
            #token
            invalid_token_codes: &[#(#codes),*],
        };

        #shared
    })
}

/// Name of the static holding envelope `name` (`ENVELOPE_STANDARD`).
pub(crate) fn envelope_static(name: &str) -> Result<Ident> {
    static_ident(&format!("envelope_{name}"))
}

/// Name of the static holding the headers of auth scheme `name` (`AUTH_MERCHANT`).
pub(crate) fn auth_static(name: &str) -> Result<Ident> {
    static_ident(&format!("auth_{name}"))
}

/// A credential as the runtime names it.
pub(crate) fn credential(credential: Credential) -> TokenStream {
    match credential {
        Credential::Token => quote!(rt::Credential::Token),
        Credential::AccessKey => quote!(rt::Credential::AccessKey),
    }
}

/// One static per envelope and per auth scheme that an operation uses, which the operations'
/// statics refer to.
fn shared_statics(spec: &Spec) -> Result<TokenStream> {
    let mut items = Vec::new();
    let envelope_used = |name: &str| spec.operations.values().any(|op| op.envelope == name);
    let scheme_used = |name: &str| {
        spec.operations
            .values()
            .any(|op| matches!(&op.auth, enkash_spec::OperationAuth::Scheme(s) if s == name))
    };
    for envelope in spec.envelopes.values().filter(|e| envelope_used(&e.name)) {
        let name = envelope_static(&envelope.name)?;
        let value = match &envelope.kind {
            EnvelopeKind::Wrapped {
                code_field,
                message_field,
                payload_field,
                success_codes,
            } => {
                let codes = success_codes
                    .iter()
                    .map(|code| proc_macro2::Literal::i64_unsuffixed(*code));
                quote! {
                    rt::Envelope::Wrapped {
                        code_field: #code_field,
                        message_field: #message_field,
                        payload_field: #payload_field,
                        success_codes: &[#(#codes),*],
                    }
                }
            }
            EnvelopeKind::Bare {
                code_field,
                message_field,
            } => {
                let code_field = option_str(code_field.as_deref());
                let message_field = option_str(message_field.as_deref());
                quote! {
                    rt::Envelope::Bare { code_field: #code_field, message_field: #message_field }
                }
            }
            EnvelopeKind::Text => quote!(rt::Envelope::Text),
        };
        let doc = format!(" The `{}` envelope.", envelope.name);
        items.push(quote! {
            #[doc = #doc]
            pub(crate) static #name: rt::Envelope = #value;
        });
    }
    for scheme in spec.auth.schemes.values().filter(|s| scheme_used(&s.name)) {
        let name = auth_static(&scheme.name)?;
        let count = proc_macro2::Literal::usize_unsuffixed(scheme.headers.len());
        let headers = scheme.headers.iter().map(|header| {
            let name = &header.name;
            let prefix = &header.prefix;
            let credential = credential(header.credential);
            quote!(rt::AuthHeader { name: #name, prefix: #prefix, credential: #credential })
        });
        let doc = format!(" The headers of the `{}` auth scheme.", scheme.name);
        items.push(quote! {
            #[doc = #doc]
            pub(crate) static #name: [rt::AuthHeader; #count] = [#(#headers),*];
        });
    }
    Ok(quote!(#(#items)*))
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// The `token:` field of `API`, and the functions that write the token request and read its
/// answer with the spec's types. The validator proved that the token operation exists, that its
/// request has the key fields and its response the token and (epoch-ms) expiry fields.
fn token_exchange(spec: &Spec) -> Result<TokenStream> {
    let token = &spec.auth.token;
    let missing = |what: String| Error::new(format!("auth.token: {what}"));
    let op = spec
        .operations
        .get(&token.operation)
        .ok_or_else(|| missing(format!("no operation `{}`", token.operation)))?;
    let schema_of = |ty: Option<&TypeRef>, what: &str| match ty {
        Some(TypeRef::Schema(name)) => spec
            .schemas
            .get(name)
            .ok_or_else(|| missing(format!("no schema `{name}`"))),
        _ => Err(missing(format!("the token operation has no {what} schema"))),
    };
    let request = schema_of(op.request.as_ref(), "request")?;
    let response = schema_of(op.response.as_ref(), "response")?;
    fn field<'s>(schema: &'s enkash_spec::Schema, wire: &str) -> Result<&'s enkash_spec::Field> {
        schema
            .fields
            .iter()
            .find(|f| f.wire_name == wire)
            .ok_or_else(|| {
                Error::new(format!(
                    "auth.token: `{}` has no field `{wire}`",
                    schema.name
                ))
            })
    }
    // `new` takes the required fields in order; each must be one of the two keys.
    let mut args = Vec::new();
    for required in request.fields.iter().filter(|f| f.required) {
        if required.wire_name == token.access_key_field {
            args.push(quote!(access_key));
        } else if required.wire_name == token.secret_key_field {
            args.push(quote!(secret_key));
        } else {
            return Err(missing(format!(
                "`{}` has a required field `{}` the token exchange cannot fill",
                request.name, required.wire_name
            )));
        }
    }
    field(request, &token.access_key_field)?;
    field(request, &token.secret_key_field)?;
    let token_field = ident(&field(response, &token.token_field)?.rust_name)?;
    let expiry_field = ident(&field(response, &token.expiry_field)?.rust_name)?;
    let request_ty = ident(&request.name)?;
    let response_ty = ident(&response.name)?;
    let area = ident(op.area.as_str())?;
    let op_static = static_ident(&op.id)?;
    Ok(quote! {
        token: rt::TokenExchange {
            operation: &super::operations::#area::#op_static,
            request: |access_key, secret_key| {
                serde_json::to_vec(&super::models::#request_ty::new(#(#args),*))
            },
            response: |payload| {
                let answer: super::models::#response_ty = rt::read_json(payload.as_bytes())?;
                Ok(rt::IssuedToken::new(answer.#token_field, answer.#expiry_field))
            },
        },
    })
}
