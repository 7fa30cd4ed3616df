//! `smoke.rs` of the generated folder (compiled only by `cargo test` with the `mock` feature): a
//! test that calls every operation of the spec once through the generated client against the
//! generated mock, whose store answers each operation with the example of its response
//! ([`crate::examples`]). It passes only when the client, the mock's routes, auth, envelopes and
//! the generated types agree for every operation, for any spec (`cargo xtask any-spec` runs it
//! for a synthetic spec; `cargo test` for the checked-in one).

use std::collections::BTreeMap;

use enkash_spec::{Field, Operation, Spec, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::module_doc;
use crate::examples::{field_json_text, json_string, json_text, parameter_text};
use crate::names::{ident, pascal_ident};
use crate::operations::areas_with_operations;
use crate::shape::params_struct_name;
use crate::types::rust_type;
use crate::{Error, Result};

/// The whole `smoke.rs`.
pub(crate) fn smoke_module(spec: &Spec, target: crate::client::Target<'_>) -> Result<TokenStream> {
    let doc = module_doc(
        "Smoke test: every operation of the spec, called once through the generated client \
         against the generated mock, whose store (`Examples`) answers each with the example of its \
         response. Generated from the spec, so it covers every operation of any spec.",
    );
    // A type's example is written once, however many operations send or answer it.
    let mut examples = Examples::new(spec);
    let mut impls = Vec::new();
    let mut calls = Vec::new();
    for area in areas_with_operations(spec) {
        let area_trait = pascal_ident(&format!("mock_{}", area.name))?;
        let mut methods = Vec::new();
        for op in spec.operations_in(area) {
            methods.push(store_method(&mut examples, op)?);
            calls.push(client_call(&mut examples, op)?);
        }
        impls.push(quote! {
            impl m::#area_trait for Examples {
                #(#methods)*
            }
        });
    }
    let client = match target {
        crate::client::Target::Root => quote!(crate::Client),
        crate::client::Target::Product(_) => quote!(super::Client),
    };
    let value = |credential: &enkash_spec::Credential| {
        format!("smoke-{}", credential.as_str().replace('_', "-"))
    };
    let credentials = spec.auth.credentials.iter().map(value);
    let secrets = spec
        .auth
        .credentials
        .iter()
        .map(|credential| {
            let kind = pascal_ident(credential.as_str())?;
            let text = value(credential);
            Ok(quote!(.with_secret(m::MockCredential::#kind, #text)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        #doc

        use std::sync::Arc;

        // The spec's types, whatever their names.
        #[allow(unused_imports)]
        use super::*;
        use super::mock::{self as m, MockContext, MockHooks, MockReply};

        /// A store answering every operation with the example of its response.
        struct Examples;

        /// `json` read as a `T`, as the mock answers it.
        fn answer<T: serde::de::DeserializeOwned>(json: &str) -> MockReply<T> {
            crate::runtime::read_json(json.as_bytes()).map_err(|(path, message)| m::MockError {
                status: 500,
                code: 1,
                message: format!("the example does not decode at `{path}`: {message}"),
            })
        }

        /// `json` read as a `T`, for an argument of a call.
        fn argument<T: serde::de::DeserializeOwned>(json: &str) -> T {
            crate::runtime::read_json(json.as_bytes())
                .unwrap_or_else(|(path, message)| panic!("example argument at `{path}`: {message}"))
        }

        /// `future`, which must be `Send` (an operation's future can be spawned on a
        /// multi-threaded runtime); checked when this test compiles.
        fn sendable<F: std::future::Future + Send>(future: F) -> F {
            future
        }

        #(#impls)*

        #[tokio::test]
        async fn every_operation_answers_through_the_generated_client() {
            let hooks = Arc::new(m::PermissiveHooks::new(Examples)#(#secrets)*);
            let server = m::LocalServer::start(0, m::router(hooks.clone()))
                .await
                .expect("the mock binds 127.0.0.1");
            let client = #client::builder()
                .base_url(server.url())
                .credentials(#(#credentials),*)
                .build()
                .expect("a valid client configuration");
            #(#calls)*
            for id in m::OPERATION_IDS {
                assert!(hooks.faults_and_hits().hits(id) >= 1, "`{id}` was not called");
            }
        }
    })
}

/// The example JSON of each type, written once.
struct Examples<'a> {
    spec: &'a Spec,
    texts: BTreeMap<String, String>,
}

impl<'a> Examples<'a> {
    fn new(spec: &'a Spec) -> Self {
        Examples {
            spec,
            texts: BTreeMap::new(),
        }
    }

    /// The example JSON text of `ty`, for an argument or answer of `op`.
    fn of(&mut self, op: &Operation, ty: &TypeRef) -> Result<String> {
        let key = ty.to_string();
        if let Some(text) = self.texts.get(&key) {
            return Ok(text.clone());
        }
        let text = json_text(self.spec, ty).map_err(|err| located(op, err))?;
        self.texts.insert(key, text.clone());
        Ok(text)
    }
}

/// The store's method for `op`: the example of its response.
fn store_method(examples: &mut Examples<'_>, op: &Operation) -> Result<TokenStream> {
    let name = ident(&op.id)?;
    let path_params = op
        .path_params
        .iter()
        .map(|param| {
            let param = ident(&format!("_{}", param.rust_name))?;
            Ok(quote!(, #param: String))
        })
        .collect::<Result<Vec<_>>>()?;
    let body = match &op.request {
        Some(ty) => {
            let ty = rust_type(ty)?;
            quote!(, _body: #ty)
        }
        None => TokenStream::new(),
    };
    let (response, json) = match &op.response {
        Some(ty) => (rust_type(ty)?, examples.of(op, ty)?),
        None => (quote!(()), "null".to_owned()),
    };
    Ok(quote! {
        fn #name(&mut self, _ctx: &MockContext #(#path_params)* #body) -> MockReply<#response> {
            answer(#json)
        }
    })
}

/// One call of `op` through the client, with example arguments, that must succeed.
fn client_call(examples: &mut Examples<'_>, op: &Operation) -> Result<TokenStream> {
    let spec = examples.spec;
    let area = ident(&op.area)?;
    let method = ident(&op.client_method)?;
    let id = &op.id;
    let mut args = Vec::new();
    for param in &op.path_params {
        let text = parameter_text(spec, param).map_err(|err| located(op, err))?;
        args.push(match &param.ty {
            TypeRef::String => quote!(#text),
            other => {
                let ty = rust_type(other)?;
                let json = field_json_text(spec, param).map_err(|err| located(op, err))?;
                quote!(argument::<#ty>(#json))
            }
        });
    }
    if let Some(ty) = &op.request {
        let rust = rust_type(ty)?;
        let json = examples.of(op, ty)?;
        args.push(quote!(&argument::<#rust>(#json)));
    }
    if let Some(params) = params_struct_name(op) {
        let params = ident(&params)?;
        let json = params_example(spec, op)?;
        args.push(quote!(&argument::<#params>(#json)));
    }
    Ok(quote! {
        sendable(client.#area().#method(#(#args),*)).await.expect(#id);
    })
}

/// The example of a params struct: its query and header parameters as one JSON object.
fn params_example(spec: &Spec, op: &Operation) -> Result<String> {
    let members = op
        .query_params
        .iter()
        .chain(&op.header_params)
        .map(|field: &Field| {
            let value = field_json_text(spec, field).map_err(|err| located(op, err))?;
            let name = json_string(&field.wire_name);
            Ok(format!("{name}:{value}"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(format!("{{{}}}", members.join(",")))
}

fn located(op: &Operation, err: impl std::fmt::Display) -> Error {
    Error::new(format!("operations.{}: smoke test example: {err}", op.id))
}
