//! Operations grouped by area: an accessor per area (`client.orders()`), a method per operation,
//! and the `static OperationInfo` the runtime reads.

use std::collections::BTreeSet;

use enkash_spec::{
    Area, BodyEncoding, Credential, Field, HttpMethod, Operation, OperationAuth, Schema, Spec,
    Stability, TypeRef,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::docs::{doc_attrs, escape, first_sentence, link, module_doc, prose};
use crate::models::{Direction, nested_type_imports, schema_struct};
use crate::names::{ident, pascal_ident, static_ident};
use crate::pieces::{Content, Piece, piece};
use crate::types::rust_type;
use crate::validation::{has_constraints, validate_impl};
use crate::{Error, Result};

/// Areas that have at least one callable operation, in the spec's order.
pub(crate) fn areas_with_operations(spec: &Spec) -> Vec<&Area> {
    spec.areas
        .iter()
        .filter(|area| spec.operations_in(area).next().is_some())
        .collect()
}

/// Name of an area's accessor struct (`OrdersApi`).
pub(crate) fn accessor_ident(area: &str) -> Result<Ident> {
    pascal_ident(&format!("{area}_api"))
}

/// Name of an operation's parameter struct (`SearchSettlementPayoutsParams`), if it has one.
pub(crate) fn params_ident(op: &Operation) -> Result<Option<Ident>> {
    crate::shape::params_struct_name(op)
        .map(|name| ident(&name))
        .transpose()
}

/// `operations/mod.rs`: the area modules, their re-exports, and the endpoints not yet callable.
pub(crate) fn operations_module(spec: &Spec) -> Result<TokenStream> {
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
                spec.area(&op.area)
                    .map_or(op.area.as_str(), |area| area.title.as_str()),
                escape(&first_sentence(&op.doc)),
            ));
        }
    }
    let doc = module_doc(&doc);
    let mut modules = Vec::new();
    let mut exports = Vec::new();
    for area in areas_with_operations(spec) {
        let module = ident(&area.name)?;
        let accessor = accessor_ident(&area.name)?;
        let mut names = vec![quote!(#accessor)];
        for op in spec.operations_in(area) {
            if let Some(params) = params_ident(op)? {
                names.push(quote!(#params));
            }
        }
        modules.push(quote!(pub(crate) mod #module;));
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
pub(crate) fn area_pieces<'a>(
    spec: &'a Spec,
    area: &'a Area,
    product: bool,
    validated: &'a BTreeSet<String>,
) -> Vec<Piece<'a>> {
    let head = piece(move || area_head(spec, area, product));
    let ops = spec
        .operations_in(area)
        .map(move |op| piece(move || operation_piece(spec, op, validated)));
    std::iter::once(head).chain(ops).collect()
}

fn area_head(spec: &Spec, area: &Area, product: bool) -> Result<TokenStream> {
    let accessor = accessor_ident(&area.name)?;
    let area_fn = ident(&area.name)?;
    let title = &area.title;
    let module_doc = module_doc(&format!("{title} operations: `client.{}()`.", area.name));
    let accessor_doc = format!(
        " {title} operations. Get it with [`Client::{}`].",
        area.name
    );
    // The root product's client is the runtime's; another product's is its own type.
    let client = if product {
        quote!(
            use super::super::Client;
        )
    } else {
        quote!(
            use crate::runtime::Client;
        )
    };
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
    // The item type of a `..._stream` method.
    let items = spec.operations_in(area).filter_map(|op| {
        let pagination = op.pagination.as_ref()?;
        let Some(TypeRef::Schema(response)) = &op.response else {
            return None;
        };
        let schema = spec.schemas.get(response)?;
        let field = schema
            .fields
            .iter()
            .find(|f| f.wire_name == pagination.items)?;
        Some(&field.ty)
    });
    let imports = nested_type_imports(types.chain(items))?;
    Ok(quote! {
        #module_doc
        use crate::runtime::{self as rt, Error, RequestOptions};
        #client
        #imports

        #[doc = #accessor_doc]
        #[derive(Debug, Clone)]
        pub struct #accessor<'a> {
            client: &'a rt::Client,
            options: RequestOptions,
        }

        impl Client {
            #[doc = #getter_doc]
            pub fn #area_fn(&self) -> #accessor<'_> {
                #accessor { client: self.runtime(), options: RequestOptions::default() }
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
fn operation_piece(spec: &Spec, op: &Operation, validated: &BTreeSet<String>) -> Result<Content> {
    let accessor = accessor_ident(&op.area)?;
    let method = method(spec, op, validated)?;
    let waiter = waiter_method(spec, op)?;
    let stream = crate::paginate::stream_method(spec, op)?;
    let params = params_struct(op, validated)?;
    let info = op_static(spec, op)?;
    let mut content = Content::from(quote! {
        impl #accessor<'_> {
            #method
            #waiter
        }
        #stream
    });
    content.0.extend(params.0);
    Ok(content.tokens(info))
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
    // The body is checked before it is serialized; the dedup key's value is read from it typed.
    if matches!(&op.request, Some(TypeRef::Schema(name)) if validated.contains(name)) {
        steps.push(quote!(.problems(request.validate())));
    }
    steps.push(dedup_step(spec, op)?);
    // A plain `fn` returning the runtime's future: no state machine per operation (an `async fn`
    // here would be one more coroutine to type-check and borrow-check for every operation). The
    // body is serialized inside that future, so only the operations a crate calls get compiled.
    let (ret, execute) = match (&op.response, op.request.is_some()) {
        (Some(ty), false) => {
            let ty = rust_type(ty)?;
            (quote!(#ty), quote!(self.client.execute::<#ty>(call)))
        }
        (Some(ty), true) if op.request_encoding == BodyEncoding::Form => {
            let ty = rust_type(ty)?;
            (
                quote!(#ty),
                quote!(self.client.execute_form::<#ty, _>(call, request)),
            )
        }
        (Some(ty), true) => {
            let ty = rust_type(ty)?;
            (
                quote!(#ty),
                quote!(self.client.execute_json::<#ty, _>(call, request)),
            )
        }
        (None, false) => (quote!(()), quote!(self.client.execute_unit(call))),
        (None, true) if op.request_encoding == BodyEncoding::Form => {
            return Err(Error::new(format!(
                "operations.{}: a form-encoded request needs a `response`",
                op.id
            )));
        }
        (None, true) => (
            quote!(()),
            quote!(self.client.execute_json_unit(call, request)),
        ),
    };
    Ok(quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> impl Future<Output = Result<#ret, Error>> {
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

/// When the runtime may resend an operation's request once it may have reached EnKash, decided
/// here once from the spec. The operation's static carries it (`rt::Resend`) and the retry
/// sentence of its docs and of the README is written from it, so they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResendRule<'a> {
    /// A `GET`: every read is safe to repeat.
    Read,
    /// `idempotent: true`: repeating the call cannot make EnKash act twice.
    Idempotent,
    /// `dedup_key`: safe when the request carries the key's value.
    DedupKey(&'a str),
    /// Any other write: resent only when it never left this machine.
    OnlyUnsent,
}

impl ResendRule<'_> {
    /// The rule of `op`.
    pub(crate) fn of(op: &Operation) -> ResendRule<'_> {
        match (op.method, &op.dedup_key) {
            (HttpMethod::Get, _) => ResendRule::Read,
            _ if op.idempotent => ResendRule::Idempotent,
            (_, Some(key)) => ResendRule::DedupKey(key),
            (_, None) => ResendRule::OnlyUnsent,
        }
    }

    /// The runtime's `Resend` for this rule.
    fn tokens(self) -> TokenStream {
        match self {
            ResendRule::Read | ResendRule::Idempotent => quote!(rt::Resend::Always),
            ResendRule::DedupKey(_) => quote!(rt::Resend::WithDedupValue),
            ResendRule::OnlyUnsent => quote!(rt::Resend::Never),
        }
    }

    /// The rule in words.
    pub(crate) fn sentence(self) -> String {
        match self {
            ResendRule::Read => "on connection failures, timeouts, 502/503/504, and 429 with \
                 `Retry-After`."
                .to_owned(),
            ResendRule::Idempotent => "like a GET, because repeating this call cannot make \
                 EnKash act twice."
                .to_owned(),
            ResendRule::DedupKey(key) => format!(
                "like a GET, on the spec's assumption that EnKash recognises a repeat by the \
                 request's `{key}` (see the operation's doc): keep it the same when you repeat a \
                 call yourself."
            ),
            ResendRule::OnlyUnsent => "only when the connection failed before the request was \
                 sent: EnKash documents no key to recognise a repeated call, so a resend could \
                 act twice."
                .to_owned(),
        }
    }
}

/// When the runtime may resend the call, in words (the same [`ResendRule`] the operation's
/// static carries; the rule itself is written down in the docs of `RetryPolicy`).
pub(crate) fn retry_rule(op: &Operation) -> String {
    ResendRule::of(op).sentence()
}

/// The parameter struct of an operation with query or header parameters.
fn params_struct(op: &Operation, validated: &BTreeSet<String>) -> Result<Content> {
    let Some(name) = params_ident(op)? else {
        return Ok(Content::default());
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
    let item = schema_struct(&schema, "Parameter", Direction::Parameters)?;
    let validate = if params_validated(op) {
        validate_impl(&schema, validated)?
    } else {
        TokenStream::new()
    };
    Ok(item.tokens(validate))
}

/// True when a query or header parameter has a constraint to check before sending.
fn params_validated(op: &Operation) -> bool {
    op.query_params
        .iter()
        .chain(&op.header_params)
        .any(|field| has_constraints(&field.constraints))
}

/// `pub(crate) static CREATE_ORDER: OperationInfo = ...`: the operation's facts, with its
/// envelope and auth headers referring to the statics shared by every operation (`client.rs`).
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
    if !spec.envelopes.contains_key(&op.envelope) {
        return Err(Error::new(format!(
            "operations.{}: unknown envelope `{}`",
            op.id, op.envelope
        )));
    }
    let envelope = crate::client::envelope_static(&op.envelope)?;
    let auth = match &op.auth {
        OperationAuth::None => quote!(&[]),
        OperationAuth::Scheme(scheme) => {
            if !spec.auth.schemes.contains_key(scheme) {
                return Err(Error::new(format!(
                    "operations.{}: unknown auth scheme `{scheme}`",
                    op.id
                )));
            }
            let scheme = crate::client::auth_static(scheme)?;
            quote!(&super::super::client::#scheme)
        }
    };
    let resend = ResendRule::of(op).tokens();
    let body = match op.request_encoding {
        BodyEncoding::Json => quote!(rt::BodyEncoding::Json),
        BodyEncoding::Form => quote!(rt::BodyEncoding::Form),
    };
    let cipher = match spec
        .envelopes
        .get(&op.envelope)
        .and_then(|e| e.cipher.as_ref())
    {
        Some(cipher) => {
            let field = &cipher.field;
            let key = crate::client::credential(cipher.key);
            quote!(Some(rt::CipherSpec { field: #field, key: #key }))
        }
        None => quote!(None),
    };
    let duplicate = match (&op.dedup_key, &spec.duplicate_ids) {
        (Some(key), Some(_)) => quote! {
            Some(rt::DuplicateCheck { key: #key, rule: &super::super::client::DUPLICATE_IDS })
        },
        _ => quote!(None),
    };
    let body_credentials = body_credentials(spec, op)
        .into_iter()
        .map(|(name, credential)| {
            let credential = crate::client::credential(credential);
            quote!((#name, #credential))
        });
    let doc = format!(
        " What the runtime needs to call {} (`{} {}`).",
        op.summary,
        op.method.as_str(),
        op.path
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) static #name: rt::OperationInfo = rt::OperationInfo {
            id: #id,
            method: rt::Method::#method,
            path: #path,
            envelope: &super::super::client::#envelope,
            auth: #auth,
            resend: #resend,
            body_credentials: &[#(#body_credentials),*],
            body: #body,
            cipher: #cipher,
            duplicate: #duplicate,
        };
    })
}

/// The dedup key's value, read from the typed request (`.dedup(&request.order_id)`): the
/// validator proved it is a required top-level field of the request schema.
fn dedup_step(spec: &Spec, op: &Operation) -> Result<TokenStream> {
    let (Some(key), Some(TypeRef::Schema(name))) = (&op.dedup_key, &op.request) else {
        return Ok(TokenStream::new());
    };
    let field = spec
        .schemas
        .get(name)
        .and_then(|schema| schema.fields.iter().find(|f| &f.wire_name == key))
        .ok_or_else(|| {
            Error::new(format!(
                "operations.{}: dedup_key `{key}` is not a field of `{name}`",
                op.id
            ))
        })?;
    let field = ident(&field.rust_name)?;
    Ok(quote!(.dedup(&request.#field)))
}

/// The waiter method of an operation with `waiter:`: polls it until its status is final.
fn waiter_method(spec: &Spec, op: &Operation) -> Result<TokenStream> {
    let Some(waiter) = &op.waiter else {
        return Ok(TokenStream::new());
    };
    let (Some(TypeRef::Schema(response)), true) = (&op.response, op.query_params.is_empty()) else {
        return Err(Error::new(format!(
            "operations.{}: a waiter needs a response schema and no query parameters",
            op.id
        )));
    };
    let field = spec
        .schemas
        .get(response)
        .and_then(|schema| {
            schema
                .fields
                .iter()
                .find(|f| f.wire_name == waiter.status_field)
        })
        .ok_or_else(|| {
            Error::new(format!(
                "operations.{}: waiter status_field `{}` is not a field of `{response}`",
                op.id, waiter.status_field
            ))
        })?;
    let enum_name = match &field.ty {
        TypeRef::Enum(name) => name,
        other => {
            return Err(Error::new(format!(
                "operations.{}: waiter status_field `{}` is {other}, not an enum",
                op.id, waiter.status_field
            )));
        }
    };
    let name = ident(&waiter.method)?;
    let call = ident(&op.client_method)?;
    let id = &op.id;
    let status = ident(&field.rust_name)?;
    let response_ty = ident(response)?;
    let mut args = Vec::new();
    let mut pass = Vec::new();
    for param in &op.path_params {
        let arg = ident(&param.rust_name)?;
        let ty = match &param.ty {
            TypeRef::String => quote!(&str),
            other => rust_type(other)?,
        };
        args.push(quote!(#arg: #ty));
        pass.push(quote!(#arg));
    }
    let (is_final, status_text) = if field.required && !field.nullable {
        (
            quote!(answer.#status.is_final()),
            quote!(answer.#status.to_string()),
        )
    } else {
        (
            quote!(answer.#status.as_ref().is_some_and(|s| s.is_final())),
            quote!(answer.#status.as_ref().map_or_else(|| "(none)".to_owned(), ToString::to_string)),
        )
    };
    let doc = doc_attrs(&format!(
        "Calls [`{call}`](Self::{call}) ({}) until the answer's `{}` is final, and returns that \
         answer.\n\nA status is final when the spec marks it so ([`{enum_name}::is_final`](super::super::{enum_name}::is_final)); a \
         value the spec does not list is never final. Pauses double from \
         `options.first_delay` up to `options.max_delay`; a transient failure \
         ([`Error::is_retryable`]) is polled through. Fails with `Error::NotFinal` (the last \
         status seen) when `options.deadline` passes first, or with the error of a poll that \
         waiting cannot fix.",
        escape(&op.summary),
        waiter.status_field,
    ));
    Ok(quote! {
        #doc
        pub async fn #name(&self, #(#args,)* options: &rt::WaitOptions) -> Result<#response_ty, Error> {
            rt::poll_until_final(
                #id,
                options,
                || self.#call(#(#pass),*),
                |answer: &#response_ty| #is_final,
                |answer: &#response_ty| #status_text,
            )
            .await
        }
    })
}

/// The top-level request-body fields the client fills with a credential, with their credential.
fn body_credentials<'a>(spec: &'a Spec, op: &Operation) -> Vec<(&'a str, Credential)> {
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
