//! The mock server's generated half (`mock.rs`, compiled only with the `mock` feature): per area a
//! trait with one method per operation, the list of operation ids, and an axum router that serves
//! every operation through the runtime's generic mock engine (`crate::runtime::mock`).
//!
//! Every trait method has a default body answering "not implemented by this mock" (HTTP 501), so
//! the mock of any spec compiles and starts with no hand-written state (`NoState`). A store that
//! serves operations overrides their methods: its own types are companions of the spec (see
//! [`crate::companions`]), and the companions exported into `mock` are re-exported here.

use std::collections::BTreeMap;

use enkash_spec::{Area, HttpMethod, Operation, Spec};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::Result;
use crate::companions::mock_exports;
use crate::docs::{doc_attrs, escape, module_doc};
use crate::models::type_imports;
use crate::names::{ident, pascal_ident, static_ident};
use crate::operations::areas_with_operations;
use crate::pieces::{Piece, piece};
use crate::types::rust_type;

/// `mock.rs`: the head (imports, re-exports, operation ids, `MockOperations`), the router, then
/// per area its trait and per operation its handler.
pub(crate) fn mock_pieces(spec: &Spec) -> Vec<Piece<'_>> {
    let head = piece(move || mock_head(spec));
    let router = piece(move || router(spec));
    let traits = areas_with_operations(spec)
        .into_iter()
        .map(|area| piece(move || area_trait(spec, area)));
    let handlers = spec
        .operations
        .values()
        .map(|op| piece(move || handler(op)));
    [head, router]
        .into_iter()
        .chain(traits)
        .chain(handlers)
        .collect()
}

/// `MockOrders` for the area `orders`.
fn trait_ident(area: &str) -> Result<Ident> {
    pascal_ident(&format!("mock_{area}"))
}

fn mock_head(spec: &Spec) -> Result<TokenStream> {
    let doc = module_doc(
        "The mock server (feature `mock`), generated from the spec.\n\
         \n\
         Per area a trait ([`MockOperations`] names them all) with one method per operation, each\n\
         answering \"not implemented by this mock\" (HTTP 501) until a store overrides it.\n\
         [`router`] serves every operation from the store behind a [`MockHooks`]: it checks\n\
         authentication, injects faults, counts hits and wraps answers in each operation's\n\
         envelope. [`OPERATION_IDS`] lists the operations.\n\
         \n\
         The engine's types ([`Fault`], [`Times`], [`MockContext`], ...) and the spec's companions\n\
         exported into `mock` are re-exported here: this module is the one path to the mock.",
    );
    let ops: Vec<&Operation> = spec.operations.values().collect();
    let types = ops
        .iter()
        .flat_map(|op| op.request.iter().chain(op.response.iter()));
    let imports = type_imports(types, true)?;
    let areas = areas_with_operations(spec);
    let area_modules = areas
        .iter()
        .map(|area| ident(&area.name))
        .collect::<Result<Vec<_>>>()?;
    let traits = areas
        .iter()
        .map(|area| trait_ident(&area.name))
        .collect::<Result<Vec<_>>>()?;
    let ids = ops.iter().map(|op| op.id.as_str());
    let companions = mock_exports(spec)?;
    let areas_import =
        (!area_modules.is_empty()).then(|| quote!(use super::operations::{#(#area_modules),*};));
    Ok(quote! {
        #doc
        use std::sync::Arc;

        use axum::body::Bytes;
        use axum::extract::State;
        use axum::response::Response;

        #areas_import
        use crate::runtime::mock as m;
        #imports

        pub use crate::runtime::mock::*;
        #companions

        /// The id of every operation of the spec, in id order: what [`router`] serves, and what
        /// fault injection and hit counters are keyed by.
        pub const OPERATION_IDS: &[&str] = &[#(#ids),*];

        /// Every area's trait: what a store implements to serve the whole spec (implemented for
        /// every type that implements them all).
        pub trait MockOperations: #(#traits)+* {}

        impl<T: #(#traits)+* + ?Sized> MockOperations for T {}
    })
}

/// One area's trait, with a default body per method, and its (empty) impl for `NoState`.
fn area_trait(spec: &Spec, area: &Area) -> Result<TokenStream> {
    let name = trait_ident(&area.name)?;
    let doc = doc_attrs(&format!(
        "The `{area}` operations a mock store serves (see `operations::{area}`).\n\
         \n\
         One method per operation, called with the store locked: path parameters arrive as\n\
         strings, bodies decoded. A method the store does not override answers HTTP 501.",
        area = area.name
    ));
    let methods = spec
        .operations_in(area)
        .map(trait_method)
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        #doc
        pub trait #name {
            #(#methods)*
        }

        impl #name for NoState {}
    })
}

fn path_args(op: &Operation) -> Result<Vec<Ident>> {
    op.path_params
        .iter()
        .map(|param| ident(&param.rust_name))
        .collect()
}

fn trait_method(op: &Operation) -> Result<TokenStream> {
    let name = ident(&op.id)?;
    let id = op.id.as_str();
    let doc = doc_attrs(&format!(
        "{}: `{} {}`.",
        escape(&op.summary),
        op.method.as_str(),
        op.path
    ));
    let path_args = path_args(op)?;
    let (body_param, body_arg) = match &op.request {
        Some(ty) => {
            let ty = rust_type(ty)?;
            (quote!(, body: #ty), quote!(, body))
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let response = match &op.response {
        Some(ty) => rust_type(ty)?,
        None => quote!(()),
    };
    // The default body uses every parameter, so that their names can stay readable.
    let unused = if path_args.is_empty() && body_arg.is_empty() {
        quote!(ctx)
    } else {
        quote!((ctx #(, #path_args)* #body_arg))
    };
    Ok(quote! {
        #doc
        fn #name(&mut self, ctx: &MockContext #(, #path_args: String)* #body_param) -> MockReply<#response> {
            let _ = #unused;
            Err(MockError::not_implemented(#id))
        }
    })
}

fn handler(op: &Operation) -> Result<TokenStream> {
    let name = ident(&op.id)?;
    let op_static = static_ident(&op.id)?;
    let area = ident(op.area.as_str())?;
    let area_trait = trait_ident(&op.area)?;
    let path_args = path_args(op)?;
    let wires: Vec<&str> = op
        .path_params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    let (body_param, body, body_arg) = if op.request.is_some() {
        (
            quote!(, body: Bytes),
            quote!(&body),
            quote!(, m::json_body(body)?),
        )
    } else {
        (TokenStream::new(), quote!(&[]), TokenStream::new())
    };
    let call = quote!(store.#name(&ctx #(, #path_args)* #body_arg));
    let body_name = if op.request.is_some() {
        quote!(body)
    } else {
        quote!(_)
    };
    let handle = if path_args.is_empty() {
        quote!(|store, #body_name| #call)
    } else {
        quote!(|store, #body_name| {
            #( let #path_args = ctx.path_param(#wires)?; )*
            #call
        })
    };
    Ok(quote! {
        async fn #name<H>(State(hooks): State<Arc<H>>, ctx: MockContext #body_param) -> Response
        where
            H: MockHooks,
            H::Store: #area_trait,
        {
            m::serve(&#area::#op_static, &ctx, &*hooks, #body, #handle).await
        }
    })
}

/// `router()`: one statement per path, never one long method chain, which would nest as deep as
/// there are operations when parsed, printed and dropped.
fn router(spec: &Spec) -> Result<TokenStream> {
    let ops: Vec<&Operation> = spec.operations.values().collect();
    let routes = routes(&ops)?;
    Ok(quote! {
        /// An axum router serving every operation of the spec: `hooks` authorizes each request,
        /// the engine injects faults and counts hits, and the store behind `hooks` answers, locked
        /// for the call. Serve it with [`LocalServer::start`].
        pub fn router<H>(hooks: Arc<H>) -> axum::Router
        where
            H: MockHooks,
            H::Store: MockOperations,
        {
            let router: axum::Router<Arc<H>> = axum::Router::new();
            #( let router = router #routes; )*
            router.with_state(hooks)
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
                    quote!(axum::routing::#method(#handler::<H>))
                } else {
                    quote!(#chain.#method(#handler::<H>))
                };
            }
            Ok(quote!(.route(#path, #chain)))
        })
        .collect()
}
