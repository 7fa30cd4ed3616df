//! Operations grouped by area: an accessor per area (`client.orders()`), a method per operation,
//! and the `static OperationInfo` the runtime reads.

use std::collections::BTreeSet;

use enkash_spec::{
    Area, Credential, EnvelopeKind, Field, HttpMethod, Operation, OperationAuth, Schema, Spec,
    Stability, TypeRef,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::docs::{doc_attrs, escape, first_sentence, link, module_doc, prose};
use crate::models::{schema_struct, type_imports};
use crate::names::{ident, pascal_ident, static_ident};
use crate::pieces::{Piece, piece};
use crate::types::rust_type;
use crate::validation::{has_constraints, validate_impl};
use crate::{Error, Result};

/// Areas that have at least one callable operation, in `Area::ALL` order.
pub fn areas_with_operations(spec: &Spec) -> Vec<Area> {
    Area::ALL
        .into_iter()
        .filter(|area| spec.operations_in(*area).next().is_some())
        .collect()
}

/// Name of an area's accessor struct (`OrdersApi`).
fn accessor_ident(area: Area) -> Result<Ident> {
    pascal_ident(&format!("{}_api", area.as_str()))
}

/// Name of an operation's parameter struct (`SearchSettlementPayoutsParams`), if it has one.
fn params_ident(op: &Operation) -> Result<Option<Ident>> {
    crate::shape::params_struct_name(op)
        .map(|name| ident(&name))
        .transpose()
}

/// `operations/mod.rs`: the area modules, their re-exports, and the endpoints not yet callable.
pub fn operations_module(spec: &Spec) -> Result<TokenStream> {
    let mut doc = String::from(
        "Operations grouped by area. Each area has an accessor on [`crate::Client`] \
         (`client.orders()`, `client.refunds()`, ...) whose methods call one endpoint each and \
         return the payload of EnKash's envelope.\n",
    );
    if !spec.undocumented_operations.is_empty() {
        doc.push_str(
            "\n# Not callable yet\n\nThe EnKash docs list these endpoints without publishing their \
             path, so nothing is generated for them (see `enkash-spec/GAPS.md`):\n\n",
        );
        for op in spec.undocumented_operations.values() {
            let method = op
                .method
                .map(|m| format!("{} ", m.as_str()))
                .unwrap_or_default();
            doc.push_str(&format!(
                "- {} ({}{}): {}\n",
                link(&op.summary, &op.doc_url),
                method,
                op.area.title(),
                escape(&first_sentence(&op.doc)),
            ));
        }
    }
    let doc = module_doc(&doc);
    let mut modules = Vec::new();
    let mut exports = Vec::new();
    for area in areas_with_operations(spec) {
        let module = ident(area.as_str())?;
        let accessor = accessor_ident(area)?;
        let mut names = vec![quote!(#accessor)];
        for op in spec.operations_in(area) {
            if let Some(params) = params_ident(op)? {
                names.push(quote!(#params));
            }
        }
        modules.push(quote!(pub mod #module;));
        exports.push(quote!(pub use #module::{#(#names),*};));
    }
    Ok(quote! {
        #doc
        #(#modules)*
        #(#exports)*
    })
}

/// `operations/<area>.rs`: a head (docs, imports, the accessor), then one piece per operation:
/// its method, its parameter struct and its static, side by side.
pub fn area_pieces<'a>(
    spec: &'a Spec,
    area: Area,
    validated: &'a BTreeSet<String>,
) -> Vec<Piece<'a>> {
    let head = piece(move || area_head(spec, area));
    let ops = spec
        .operations_in(area)
        .map(move |op| piece(move || operation_piece(spec, op, validated)));
    std::iter::once(head).chain(ops).collect()
}

fn area_head(spec: &Spec, area: Area) -> Result<TokenStream> {
    let accessor = accessor_ident(area)?;
    let area_fn = ident(area.as_str())?;
    let title = area.title();
    let module_doc = module_doc(&format!(
        "{title} operations: `client.{}()`.",
        area.as_str()
    ));
    let accessor_doc = format!(
        " {title} operations. Get it with [`Client::{}`].",
        area.as_str()
    );
    let getter_doc = format!(" {title} operations.");
    let types = spec.operations_in(area).flat_map(|op| {
        op.request.iter().chain(op.response.iter()).chain(
            op.path_params
                .iter()
                .chain(&op.query_params)
                .chain(&op.header_params)
                .map(|f| &f.ty),
        )
    });
    let imports = type_imports(types, true)?;
    Ok(quote! {
        #module_doc
        use crate::runtime::{self as rt, Client, Error, RequestOptions};
        #imports

        #[doc = #accessor_doc]
        #[derive(Debug, Clone)]
        pub struct #accessor<'a> {
            client: &'a Client,
            options: RequestOptions,
        }

        impl Client {
            #[doc = #getter_doc]
            pub fn #area_fn(&self) -> #accessor<'_> {
                #accessor { client: self, options: RequestOptions::default() }
            }
        }

        impl #accessor<'_> {
            /// Uses `options` (timeout, retries) for the calls made through this accessor.
            pub fn with_options(mut self, options: RequestOptions) -> Self {
                self.options = options;
                self
            }
        }
    })
}

/// One operation: its method (in an `impl` block of its own), parameter struct and static.
fn operation_piece(
    spec: &Spec,
    op: &Operation,
    validated: &BTreeSet<String>,
) -> Result<TokenStream> {
    let accessor = accessor_ident(op.area)?;
    let method = method(spec, op, validated)?;
    let params = params_struct(op, validated)?;
    let info = op_static(spec, op)?;
    Ok(quote! {
        impl #accessor<'_> {
            #method
        }

        #params

        #info
    })
}

/// The method calling one operation.
fn method(spec: &Spec, op: &Operation, validated: &BTreeSet<String>) -> Result<TokenStream> {
    let name = ident(&op.client_method)?;
    let op_static = static_ident(&op.id)?;
    let doc = doc_attrs(&method_doc(spec, op));
    let mut args = Vec::new();
    let mut steps = Vec::new();

    for param in &op.path_params {
        let arg = ident(&param.rust_name)?;
        let wire = &param.wire_name;
        match &param.ty {
            TypeRef::String => {
                args.push(quote!(#arg: &str));
                steps.push(quote!(.path_param(#wire, #arg)));
            }
            TypeRef::I32 | TypeRef::I64 | TypeRef::Enum(_) => {
                let ty = rust_type(&param.ty)?;
                args.push(quote!(#arg: #ty));
                steps.push(quote!(.path_param(#wire, &#arg.to_string())));
            }
            other => return Err(unsupported_param(op, param, other)),
        }
    }
    if let Some(request) = &op.request {
        let ty = rust_type(request)?;
        args.push(quote!(request: &#ty));
    }
    if let Some(params) = params_ident(op)? {
        args.push(quote!(params: &#params));
        for param in &op.query_params {
            steps.push(param_step(op, param, quote!(query))?);
        }
        for param in &op.header_params {
            steps.push(param_step(op, param, quote!(header))?);
        }
        if params_validated(op) {
            steps.push(quote!(.problems(params.validate())));
        }
    }
    if op.request.is_some() {
        steps.push(quote!(.json(request)));
    }
    if matches!(&op.request, Some(TypeRef::Schema(name)) if validated.contains(name)) {
        steps.push(quote!(.problems(request.validate())));
    }
    let (ret, execute) = match &op.response {
        Some(ty) => {
            let ty = rust_type(ty)?;
            (quote!(#ty), quote!(self.client.execute::<#ty>(call).await))
        }
        None => (
            quote!(()),
            quote!(
                self.client
                    .execute::<serde::de::IgnoredAny>(call)
                    .await
                    .map(|_| ())
            ),
        ),
    };
    Ok(quote! {
        #doc
        pub async fn #name(&self, #(#args),*) -> Result<#ret, Error> {
            let call = rt::Request::new(&#op_static, &self.options) #(#steps)*;
            #execute
        }
    })
}

/// Adds one query or header parameter from the params struct.
fn param_step(op: &Operation, param: &Field, kind: TokenStream) -> Result<TokenStream> {
    if !matches!(
        param.ty,
        TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::Decimal(_)
            | TypeRef::Enum(_)
    ) {
        return Err(unsupported_param(op, param, &param.ty));
    }
    let field = ident(&param.rust_name)?;
    let wire = &param.wire_name;
    Ok(if !param.required || param.nullable {
        let kind = format_ident!("{}_opt", kind.to_string());
        quote!(.#kind(#wire, params.#field.as_ref()))
    } else {
        quote!(.#kind(#wire, &params.#field))
    })
}

fn unsupported_param(op: &Operation, param: &Field, ty: &TypeRef) -> Error {
    Error::new(format!(
        "operations.{}: parameter `{}` of type {} cannot be sent in a path, query or header yet",
        op.id, param.wire_name, ty
    ))
}

/// Method documentation: summary, doc, HTTP line, link, stability, retry rule, auth.
fn method_doc(spec: &Spec, op: &Operation) -> String {
    let mut doc = format!("{}\n\n", escape(&op.summary));
    if !op.doc.trim().is_empty() {
        doc.push_str(&prose(&op.doc));
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` ({})\n\n",
        op.method.as_str(),
        op.path,
        link("EnKash docs", &op.doc_url)
    ));
    if op.stability == Stability::Developing {
        doc.push_str("**Developing**: EnKash marks this page \"Developing\"; it may change without notice.\n\n");
    }
    doc.push_str(&format!("Retries: {}\n\n", retry_rule(op)));
    if !op.path_params.is_empty() {
        doc.push_str(
            "A path parameter that is empty, `.` or `..`, or contains a control character is \
             refused with `Error::Validation`; nothing is sent.\n\n",
        );
    }
    let auth = match &op.auth {
        OperationAuth::None => "none.".to_owned(),
        OperationAuth::Scheme(name) => match spec.auth.schemes.get(name) {
            Some(scheme) => {
                let headers: Vec<String> = scheme
                    .headers
                    .iter()
                    .map(|h| format!("`{}`", h.name))
                    .collect();
                format!(
                    "sends {} (fetching the token when needed).",
                    headers.join(" and ")
                )
            }
            None => format!("scheme `{name}`."),
        },
    };
    doc.push_str(&format!("Authentication: {auth}"));
    doc
}

/// When the runtime may resend the call, in words (mirrors the runtime's retry rule, written
/// down in the docs of `RetryPolicy`).
pub fn retry_rule(op: &Operation) -> String {
    match (op.method, &op.dedup_key) {
        (HttpMethod::Get, _) => "on connection failures, timeouts, 502/503/504, and 429 with \
             `Retry-After`."
            .to_owned(),
        _ if op.idempotent => "like a GET, because repeating this call cannot make EnKash act \
             twice."
            .to_owned(),
        (_, Some(key)) => format!(
            "like a GET, on the spec's assumption that EnKash recognises a repeat by the \
             request's `{key}` (see the operation's doc): keep it the same when you repeat a call \
             yourself."
        ),
        (_, None) => "only when the connection failed before the request was sent: EnKash \
             documents no key to recognise a repeated call, so a resend could act twice."
            .to_owned(),
    }
}

/// The parameter struct of an operation with query or header parameters.
fn params_struct(op: &Operation, validated: &BTreeSet<String>) -> Result<TokenStream> {
    let Some(name) = params_ident(op)? else {
        return Ok(TokenStream::new());
    };
    let schema = Schema {
        name: name.to_string(),
        doc: format!(
            "Query and header parameters of `{}` ({}).",
            op.client_method, op.summary
        ),
        doc_url: None,
        fields: op
            .query_params
            .iter()
            .chain(&op.header_params)
            .cloned()
            .collect(),
    };
    let item = schema_struct(&schema, "Parameter")?;
    let validate = if params_validated(op) {
        validate_impl(&schema, validated)?
    } else {
        TokenStream::new()
    };
    Ok(quote!(#item #validate))
}

/// True when a query or header parameter has a constraint to check before sending.
fn params_validated(op: &Operation) -> bool {
    op.query_params
        .iter()
        .chain(&op.header_params)
        .any(|field| has_constraints(&field.constraints))
}

/// `pub static CREATE_ORDER: OperationInfo = ...`.
fn op_static(spec: &Spec, op: &Operation) -> Result<TokenStream> {
    let name = static_ident(&op.id)?;
    let id = &op.id;
    let path = &op.path;
    let method = ident(match op.method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
    })?;
    let envelope = match spec.envelopes.get(&op.envelope).map(|e| &e.kind) {
        Some(EnvelopeKind::Wrapped {
            code_field,
            message_field,
            payload_field,
            success_codes,
        }) => {
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
        Some(EnvelopeKind::Bare) => quote!(rt::Envelope::Bare),
        Some(EnvelopeKind::Text) => quote!(rt::Envelope::Text),
        None => {
            return Err(Error::new(format!(
                "operations.{}: unknown envelope `{}`",
                op.id, op.envelope
            )));
        }
    };
    let headers = match &op.auth {
        OperationAuth::None => Vec::new(),
        OperationAuth::Scheme(scheme) => {
            let scheme = spec.auth.schemes.get(scheme).ok_or_else(|| {
                Error::new(format!(
                    "operations.{}: unknown auth scheme `{scheme}`",
                    op.id
                ))
            })?;
            scheme
                .headers
                .iter()
                .map(|header| {
                    let name = &header.name;
                    let prefix = &header.prefix;
                    let credential = match header.credential {
                        Credential::Token => quote!(rt::Credential::Token),
                        Credential::AccessKey => quote!(rt::Credential::AccessKey),
                    };
                    quote!(rt::AuthHeader { name: #name, prefix: #prefix, credential: #credential })
                })
                .collect()
        }
    };
    let dedup_key = match &op.dedup_key {
        Some(key) => quote!(Some(#key)),
        None => quote!(None),
    };
    let developing = op.stability == Stability::Developing;
    let body_credentials = body_credentials(spec, op)
        .into_iter()
        .map(|(name, credential)| {
            let credential = match credential {
                Credential::Token => quote!(rt::Credential::Token),
                Credential::AccessKey => quote!(rt::Credential::AccessKey),
            };
            quote!((#name, #credential))
        });
    let idempotent = op.idempotent;
    let doc = format!(
        " What the runtime needs to call {} (`{} {}`).",
        op.summary,
        op.method.as_str(),
        op.path
    );
    Ok(quote! {
        #[doc = #doc]
        pub static #name: rt::OperationInfo = rt::OperationInfo {
            id: #id,
            method: rt::Method::#method,
            path: #path,
            envelope: #envelope,
            auth: &[#(#headers),*],
            dedup_key: #dedup_key,
            body_credentials: &[#(#body_credentials),*],
            idempotent: #idempotent,
            developing: #developing,
        };
    })
}

/// The top-level request-body fields the client fills with a credential, with their credential.
pub(crate) fn body_credentials<'a>(spec: &'a Spec, op: &Operation) -> Vec<(&'a str, Credential)> {
    let Some(TypeRef::Schema(name)) = &op.request else {
        return Vec::new();
    };
    spec.schemas.get(name).map_or_else(Vec::new, |schema| {
        schema
            .fields
            .iter()
            .filter_map(|field| Some((field.wire_name.as_str(), field.credential?)))
            .collect()
    })
}
