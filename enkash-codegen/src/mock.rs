//! The mock server's routes, generated so that the mock changes with the spec: a trait with one
//! method per operation (the hand-written mock state implements it, so a new operation is a
//! compile error there until it is served) and an axum router calling it.

use std::collections::BTreeMap;

use enkash_spec::{HttpMethod, Operation, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::Result;
use crate::docs::{doc_attrs, escape, module_doc};
use crate::models::type_imports;
use crate::names::{ident, static_ident};
use crate::pieces::{Piece, piece};
use crate::types::rust_type;

/// `mock.rs` (compiled only with the `mock` feature): the head with the trait, the router, then
/// one handler per operation.
pub fn mock_pieces(spec: &Spec) -> Vec<Piece<'_>> {
    let head = piece(move || mock_head(spec));
    let router = piece(move || router(spec));
    let handlers = spec
        .operations
        .values()
        .map(|op| piece(move || handler(spec, op)));
    [head, router].into_iter().chain(handlers).collect()
}

fn mock_head(spec: &Spec) -> Result<TokenStream> {
    let doc = module_doc(
        "Routes of the mock EnKash server (feature `mock`): [`MockOperations`] has one method per \
         operation of the spec and [`router`] serves them all, checking authentication, injecting \
         faults and wrapping answers in each operation's envelope (see `crate::runtime::mock`).",
    );
    let ops: Vec<&Operation> = spec.operations.values().collect();
    let methods = ops
        .iter()
        .map(|op| trait_method(op))
        .collect::<Result<Vec<_>>>()?;
    let types = ops
        .iter()
        .flat_map(|op| op.request.iter().chain(op.response.iter()));
    let imports = type_imports(types, true)?;
    let areas: std::collections::BTreeSet<&str> = ops.iter().map(|op| op.area.as_str()).collect();
    let areas = areas.into_iter().map(ident).collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        #doc
        use std::sync::Arc;

        use axum::body::Bytes;
        use axum::extract::State;
        use axum::response::Response;

        use crate::generated::operations::{#(#areas),*};
        use crate::runtime::mock::{self as m, MockContext, MockHooks, MockReply};
        #imports

        /// One method per operation of the spec. The mock state implements it; path parameters
        /// arrive as strings, bodies already decoded.
        pub trait MockOperations: MockHooks {
            #(#methods)*
        }
    })
}

/// `router()`: one statement per path, never one long method chain, which would nest as deep as
/// there are operations when parsed, printed and dropped.
fn router(spec: &Spec) -> Result<TokenStream> {
    let ops: Vec<&Operation> = spec.operations.values().collect();
    let routes = routes(&ops)?;
    Ok(quote! {
        /// An axum router serving every operation of the spec from `state`.
        pub fn router<T: MockOperations>(state: Arc<T>) -> axum::Router {
            let router: axum::Router<Arc<T>> = axum::Router::new();
            #( let router = router #routes; )*
            router.with_state(state)
        }
    })
}

fn path_args(op: &Operation) -> Result<Vec<proc_macro2::Ident>> {
    op.path_params
        .iter()
        .map(|param| ident(&param.rust_name))
        .collect()
}

fn trait_method(op: &Operation) -> Result<TokenStream> {
    let name = ident(&op.id)?;
    let doc = doc_attrs(&format!(
        "{}: `{} {}`.",
        escape(&op.summary),
        op.method.as_str(),
        op.path
    ));
    let path_args = path_args(op)?;
    let body = match &op.request {
        Some(ty) => {
            let ty = rust_type(ty)?;
            quote!(, body: #ty)
        }
        None => TokenStream::new(),
    };
    let response = match &op.response {
        Some(ty) => rust_type(ty)?,
        None => quote!(()),
    };
    Ok(quote! {
        #doc
        fn #name(&self, ctx: &MockContext #(, #path_args: String)* #body) -> MockReply<#response>;
    })
}

fn handler(spec: &Spec, op: &Operation) -> Result<TokenStream> {
    let name = ident(&op.id)?;
    let op_static = static_ident(&op.id)?;
    let area = ident(op.area.as_str())?;
    let path_args = path_args(op)?;
    let wires: Vec<&str> = op
        .path_params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    let (body_param, body_arg) = if op.request.is_some() {
        (quote!(, body: Bytes), quote!(, m::json_body(&body)?))
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    // Only an operation whose body carries a credential has one to check (a spec fact).
    let body_check = (!crate::operations::body_credentials(spec, op).is_empty())
        .then(|| quote!(state.authorize_body(&#area::#op_static, &body)?;));
    Ok(quote! {
        async fn #name<T: MockOperations>(State(state): State<Arc<T>>, ctx: MockContext #body_param) -> Response {
            m::serve(&#area::#op_static, &ctx, &*state, || {
                #body_check
                #( let #path_args = ctx.path_param(#wires)?; )*
                state.#name(&ctx #(, #path_args)* #body_arg)
            })
            .await
        }
    })
}

/// `.route(path, get(a).post(b))`, one per path: axum needs every method of a path in one call.
fn routes(ops: &[&Operation]) -> Result<Vec<TokenStream>> {
    let mut by_path: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in ops {
        by_path.entry(op.path.as_str()).or_default().push(op);
    }
    by_path
        .into_iter()
        .map(|(path, ops)| {
            let mut chain = TokenStream::new();
            for (position, op) in ops.iter().enumerate() {
                let method = ident(match op.method {
                    HttpMethod::Get => "get",
                    HttpMethod::Post => "post",
                    HttpMethod::Put => "put",
                    HttpMethod::Patch => "patch",
                    HttpMethod::Delete => "delete",
                })?;
                let handler = ident(&op.id)?;
                chain = if position == 0 {
                    quote!(axum::routing::#method(#handler::<T>))
                } else {
                    quote!(#chain.#method(#handler::<T>))
                };
            }
            Ok(quote!(.route(#path, #chain)))
        })
        .collect()
}
