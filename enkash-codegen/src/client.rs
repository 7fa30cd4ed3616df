//! The crate-level glue: the generated folder's `mod.rs`, environments, and the API facts the
//! runtime needs (token exchange, invalid-token codes).

use enkash_spec::{Credential, EnvelopeKind, HeaderCredential, Spec, TokenExpiry, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::docs::{doc_attrs, escape, module_doc, prose};
use crate::names::{ident, pascal_ident, static_ident};
use crate::{Error, Result};

/// The product a generated folder is for: the root spec (the crate root), or another product
/// of the tree, generated into its own module with its own client type.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// The root spec: `crate::generated`, re-exported at the crate root.
    Root,
    /// A product: `crate::generated::<name>`, public as `crate::<name>`.
    Product(&'a enkash_spec::Product),
}

/// `mod.rs` of the generated folder (of the root, or of a product's sub-folder).
pub(crate) fn root_module(spec: &Spec, target: Target<'_>) -> Result<TokenStream> {
    let doc = match target {
        Target::Root => module_doc(&format!(
            "Generated from the {} {} spec in `enkash-spec/spec`.",
            escape(&spec.api.name),
            escape(&spec.api.version)
        )),
        Target::Product(product) => module_doc(&format!(
            "{}\n\nGenerated from the {} {} spec in `enkash-spec/spec/{}`, compiled with the \
             `{}` feature. `Client` is this product's client, with its own credentials; \
             every type of the product is in this module.",
            prose(&product.doc),
            escape(&spec.api.name),
            escape(&spec.api.version),
            product.name,
            product.feature
        )),
    };
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
    let client_exports = match target {
        Target::Root => quote!(
            pub use client::Environment;
        ),
        Target::Product(_) => quote!(
            pub use client::{Client, ClientBuilder, Environment};
        ),
    };
    let products = spec.products.values().map(|product| {
        let module = ident(&product.name).unwrap_or_else(|_| format_ident!("product"));
        let feature = &product.feature;
        let doc = doc_attrs(&product.doc);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    Ok(quote! {
        #doc
        #[cfg(feature = "cli")]
        pub(crate) mod cli_commands;
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
        #(#products)*

        #client_exports
        #datetimes
        #enums
        pub use models::*;
        pub use operations::*;
    })
}

/// `client.rs`: `Environment`, `Client::builder()`, the builder's `credentials` and the `API`
/// static; for a product, its own `Client` and `ClientBuilder` types around the runtime's.
pub(crate) fn client_module(spec: &Spec, target: Target<'_>) -> Result<TokenStream> {
    let doc = module_doc("Environments, the client and the API facts the runtime needs.");
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
    let configured = spec.auth.credentials.iter().map(|c| credential(*c));
    let api_doc = format!(
        " What the runtime needs to know about the {} as a whole.",
        spec.api.name
    );
    let credentials = credentials_method(spec)?;
    let product = product_name(target);
    let types = match target {
        Target::Root => quote! {
            impl ClientBuilder {
                /// Sets the environment (required: there is no default, so a test key can never
                /// reach production by accident).
                pub fn environment(self, environment: Environment) -> Self {
                    self.base_url(environment.base_url())
                }

                #credentials
            }

            impl Client {
                /// Starts configuring a client. See [`ClientBuilder`].
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new(&API)
                }
            }
        },
        Target::Product(_) => product_client(spec, &credentials),
    };
    let imports = match target {
        Target::Root => quote!(
            use crate::runtime::{self as rt, Client, ClientBuilder};
        ),
        Target::Product(_) => quote!(
            use crate::runtime as rt;
        ),
    };

    Ok(quote! {
        #doc
        #imports

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

        #types

        #[doc = #api_doc]
        pub(crate) static API: rt::ApiInfo = rt::ApiInfo {
            product: #product,
            #token
            invalid_token_codes: &[#(#codes),*],
            credentials: &[#(#configured),*],
        };

        #shared
    })
}

/// The builder's `credentials(..)`: one argument per credential of `auth.credentials`, in order.
fn credentials_method(spec: &Spec) -> Result<TokenStream> {
    let names: Vec<Ident> = spec
        .auth
        .credentials
        .iter()
        .map(|c| ident(c.as_str()))
        .collect::<Result<_>>()?;
    let kinds = spec.auth.credentials.iter().map(|c| credential(*c));
    let listed = spec
        .auth
        .credentials
        .iter()
        .map(|c| format!("`{}`", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        " Sets the credentials issued for the {}: {listed}.\n\n They are kept as \
         [`SecretString`](crate::SecretString)s: never printed, zeroed when the client is \
         dropped, sent only where the spec says (auth headers, the token request{}).",
        spec.api.name,
        if spec.envelopes.values().any(|e| e.cipher.is_some()) {
            ", the key of the body cipher"
        } else {
            ""
        }
    );
    Ok(quote! {
        #[doc = #doc]
        pub fn credentials(
            self,
            #(#names: impl Into<crate::SecretString>),*
        ) -> Self {
            self #(.credential(#kinds, #names.into()))*
        }
    })
}

/// A product's own `Client` and `ClientBuilder`: the runtime's inside, the same settings.
fn product_client(spec: &Spec, credentials: &TokenStream) -> TokenStream {
    let client_doc = format!(
        " A configured {} client.\n\n Cheap to clone (an `Arc` inside): clones share the \
         connection pool and the bearer token. `Send + Sync`; use one per set of credentials. \
         `Debug` never shows a secret.",
        spec.api.name
    );
    let builder_doc = format!(
        " Builds a [`Client`] of the {}: the same settings as the crate's \
         [`ClientBuilder`](crate::ClientBuilder), with this product's environments and \
         credentials.",
        spec.api.name
    );
    quote! {
        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: rt::Client,
        }

        impl Client {
            /// Starts configuring a client. See [`ClientBuilder`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: rt::ClientBuilder::new(&API) }
            }

            /// The base URL requests go to (without a trailing slash).
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The recorder this client records drift into, if it was given one; see
            /// [`crate::Client::drift_recorder`].
            pub fn drift_recorder(&self) -> Option<&crate::DriftRecorder> {
                self.inner.drift_recorder()
            }

            /// The runtime client under this one (generated accessors call it).
            pub(crate) fn runtime(&self) -> &rt::Client {
                &self.inner
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: rt::ClientBuilder,
        }

        impl ClientBuilder {
            /// Sets the environment (required: there is no default, so a test key can never
            /// reach production by accident).
            pub fn environment(self, environment: Environment) -> Self {
                self.base_url(environment.base_url())
            }

            /// Sets the base URL; see [`crate::ClientBuilder::base_url`].
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.base_url(url) }
            }

            #credentials

            fn credential(self, credential: rt::Credential, value: crate::SecretString) -> Self {
                ClientBuilder { inner: self.inner.credential(credential, value) }
            }

            /// Sets the time allowed for one attempt; see [`crate::ClientBuilder::timeout`].
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.timeout(timeout) }
            }

            /// Sets the time allowed to open a connection; see
            /// [`crate::ClientBuilder::connect_timeout`].
            pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.connect_timeout(timeout) }
            }

            /// Sets the retry policy; see [`crate::ClientBuilder::retry_policy`].
            pub fn retry_policy(self, policy: crate::RetryPolicy) -> Self {
                ClientBuilder { inner: self.inner.retry_policy(policy) }
            }

            /// Sets how long before its expiry the token is refreshed; see
            /// [`crate::ClientBuilder::token_refresh_margin`].
            pub fn token_refresh_margin(self, margin: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.token_refresh_margin(margin) }
            }

            /// Sets the largest response body read; see
            /// [`crate::ClientBuilder::max_response_size`].
            pub fn max_response_size(self, bytes: usize) -> Self {
                ClientBuilder { inner: self.inner.max_response_size(bytes) }
            }

            /// Uses this `reqwest` client; see [`crate::ClientBuilder::http_client`].
            pub fn http_client(self, client: reqwest::Client) -> Self {
                ClientBuilder { inner: self.inner.http_client(client) }
            }

            /// Records drift into `recorder`; see [`crate::ClientBuilder::drift_recorder`].
            pub fn drift_recorder(self, recorder: crate::DriftRecorder) -> Self {
                ClientBuilder { inner: self.inner.drift_recorder(recorder) }
            }

            /// Checks the configuration and builds the client; see
            /// [`crate::ClientBuilder::build`].
            pub fn build(self) -> Result<Client, crate::Error> {
                Ok(Client { inner: self.inner.build()? })
            }
        }
    }
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
        Credential::SecretKey => quote!(rt::Credential::SecretKey),
        Credential::ClientId => quote!(rt::Credential::ClientId),
        Credential::ClientSecret => quote!(rt::Credential::ClientSecret),
        Credential::Username => quote!(rt::Credential::Username),
        Credential::Password => quote!(rt::Credential::Password),
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
                let error_fields = match &envelope.error_fields {
                    Some(fields) => {
                        let (code, message) = (&fields.code_field, &fields.message_field);
                        quote!(Some((#code, #message)))
                    }
                    None => quote!(None),
                };
                quote! {
                    rt::Envelope::Wrapped {
                        code_field: #code_field,
                        message_field: #message_field,
                        payload_field: #payload_field,
                        success_codes: &[#(#codes),*],
                        error_fields: #error_fields,
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
            let value = match header.value {
                HeaderCredential::One(one) => {
                    let one = credential(one);
                    quote!(rt::AuthValue::Plain(#one))
                }
                HeaderCredential::Basic(user, password) => {
                    let (user, password) = (credential(user), credential(password));
                    quote!(rt::AuthValue::Basic(#user, #password))
                }
            };
            quote!(rt::AuthHeader { name: #name, prefix: #prefix, value: #value })
        });
        let doc = format!(" The headers of the `{}` auth scheme.", scheme.name);
        items.push(quote! {
            #[doc = #doc]
            pub(crate) static #name: [rt::AuthHeader; #count] = [#(#headers),*];
        });
    }
    if let Some(duplicates) = &spec.duplicate_ids {
        let statuses = duplicates
            .statuses
            .iter()
            .map(|status| proc_macro2::Literal::u16_unsuffixed(*status));
        let codes = duplicates
            .codes
            .iter()
            .map(|code| proc_macro2::Literal::i64_unsuffixed(*code));
        items.push(quote! {
            /// How the API refuses a reused dedup id (`duplicate_ids`).
            pub(crate) static DUPLICATE_IDS: rt::DuplicateIds = rt::DuplicateIds {
                statuses: &[#(#statuses),*],
                codes: &[#(#codes),*],
            };
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
    let mut fields = Vec::new();
    for (wire, filled) in &token.request_fields {
        field(request, wire)?;
        let filled = credential(*filled);
        fields.push(quote!((#wire, rt::TokenField::Credential(#filled))));
    }
    for (wire, value) in &token.fixed_fields {
        field(request, wire)?;
        fields.push(quote!((#wire, rt::TokenField::Fixed(#value))));
    }
    let token_field = field(response, &token.token_field)?;
    let token_member = ident(&token_field.rust_name)?;
    // An optional token member reads as empty when absent, which the runtime refuses.
    let token_value = if token_field.required {
        quote!(answer.#token_member)
    } else {
        quote!(answer.#token_member.unwrap_or_default())
    };
    let expiry_field = field(response, &token.expiry_field)?;
    let expiry_member = ident(&expiry_field.rust_name)?;
    // A lifetime in seconds is an `i64` or an `i32` (widened).
    let widen = (expiry_field.ty != TypeRef::I64).then(|| quote!(.map(i64::from)));
    let issued = match (token.expiry, expiry_field.required) {
        (TokenExpiry::EpochMillis, _) => {
            quote!(rt::IssuedToken::new(#token_value, answer.#expiry_member))
        }
        (TokenExpiry::Seconds, true) => {
            quote!(rt::IssuedToken::lasting(#token_value, Some(answer.#expiry_member)#widen))
        }
        (TokenExpiry::Seconds, false) => {
            quote!(rt::IssuedToken::lasting(#token_value, answer.#expiry_member #widen))
        }
    };
    let response_ty = ident(&response.name)?;
    let area = ident(&op.area)?;
    let op_static = static_ident(&op.id)?;
    Ok(quote! {
        token: rt::TokenExchange {
            operation: &super::operations::#area::#op_static,
            fields: &[#(#fields),*],
            response: |payload| {
                let answer: super::models::#response_ty = rt::read_json(payload.as_bytes())?;
                Ok(#issued)
            },
        },
    })
}

/// `Some("<name>")` for a product, `None` for the root: how generated code tells the runtime
/// which product it is (drift reports name a product's operations `<product>.<id>`).
pub(crate) fn product_name(target: Target<'_>) -> TokenStream {
    match target {
        Target::Root => quote!(None),
        Target::Product(product) => {
            let name = &product.name;
            quote!(Some(#name))
        }
    }
}
