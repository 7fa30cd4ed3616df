//! The `<client_method>_stream` method of an operation with `pagination:`: its pages, fetched
//! lazily one after the other by the runtime's generic pager (`rt::paginate`), as a stream of
//! their items.

use enkash_spec::{Field, Operation, Spec, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs::{doc_attrs, escape};
use crate::names::ident;
use crate::operations::params_ident;
use crate::types::rust_type;
use crate::{Error, Result};

/// The stream method of `op`, or nothing for an operation without `pagination:`.
pub(crate) fn stream_method(spec: &Spec, op: &Operation) -> Result<TokenStream> {
    let Some(pagination) = &op.pagination else {
        return Ok(TokenStream::new());
    };
    let fail = |what: String| Error::new(format!("operations.{}.pagination: {what}", op.id));
    let request_schema = match &op.request {
        Some(TypeRef::Schema(name)) => spec.schemas.get(name),
        _ => None,
    };
    let Some(TypeRef::Schema(response)) = &op.response else {
        return Err(fail("the operation has no response schema".into()));
    };
    let response_schema = spec
        .schemas
        .get(response)
        .ok_or_else(|| fail(format!("no schema `{response}`")))?;
    let field_of = |wire: &str| {
        response_schema
            .fields
            .iter()
            .find(|f| f.wire_name == wire)
            .ok_or_else(|| fail(format!("`{response}` has no field `{wire}`")))
    };
    let items_field = field_of(&pagination.items)?;
    let total_field = field_of(&pagination.total)?;
    let TypeRef::List(item_ty) = &items_field.ty else {
        return Err(fail(format!("`{}` is not a list", pagination.items)));
    };
    let item = rust_type(item_ty)?;

    // Where offset and limit go: a query parameter (the params struct) or a request field.
    let (offset_in, offset) = locate(op, request_schema, &pagination.offset, &fail)?;
    let (limit_in, limit) = locate(op, request_schema, &pagination.limit, &fail)?;
    let max = limit
        .constraints
        .max
        .as_deref()
        .and_then(|max| max.parse::<i64>().ok())
        .map_or_else(|| quote!(None), |max| quote!(Some(#max)));

    let mut args = Vec::new();
    let mut pass = Vec::new();
    for param in &op.path_params {
        let arg = ident(&param.rust_name)?;
        let ty = match &param.ty {
            TypeRef::String => quote!(&'s str),
            other => rust_type(other)?,
        };
        args.push(quote!(#arg: #ty));
        pass.push(quote!(#arg));
    }
    // Only what a paging value goes into is cloned per page.
    let body_paged = matches!(offset_in, Place::Body) || matches!(limit_in, Place::Body);
    let query_paged = matches!(offset_in, Place::Query) || matches!(limit_in, Place::Query);
    if let Some(request) = &op.request {
        let ty = rust_type(request)?;
        args.push(quote!(request: &'s #ty));
        pass.push(if body_paged {
            quote!(&request)
        } else {
            quote!(request)
        });
    }
    if let Some(params) = params_ident(op)? {
        args.push(quote!(params: &'s #params));
        pass.push(if query_paged {
            quote!(&params)
        } else {
            quote!(params)
        });
    }
    let start = read_value(offset_in, offset)?;
    let chosen = read_value(limit_in, limit)?;
    let set_offset = write_value(offset_in, offset, quote!(offset))?;
    let set_limit = write_value(limit_in, limit, quote!(limit))?;
    let clone_request = body_paged.then(|| quote!(let mut request = request.clone();));
    let clone_params = query_paged.then(|| quote!(let mut params = params.clone();));
    let items_member = ident(&items_field.rust_name)?;
    let items = if items_field.required && !items_field.nullable {
        quote!(page.#items_member)
    } else {
        quote!(page.#items_member.unwrap_or_default())
    };
    let total_member = ident(&total_field.rust_name)?;
    let total = match (
        total_field.required && !total_field.nullable,
        &total_field.ty,
    ) {
        (true, TypeRef::I32) => quote!(Some(i64::from(page.#total_member))),
        (true, _) => quote!(Some(page.#total_member)),
        (false, TypeRef::I32) => quote!(page.#total_member.map(i64::from)),
        (false, _) => quote!(page.#total_member),
    };
    let call = ident(&op.client_method)?;
    let name = format_ident!("{}_stream", op.client_method);
    let doc = doc_attrs(&format!(
        "Every record of {} ([`{call}`](Self::{call})), page by page, as a stream.\n\n\
         Pages are fetched lazily, one after the other, starting at `{}` (0 when unset), with \
         the page size `{}` (at most the documented maximum, which is also the default when \
         unset; at least 1). The stream ends after the page that reaches the `{}` the answers \
         report, or after a short or empty page. An error ends it after the items already \
         yielded; each page is retried like a single call.",
        escape(&op.summary),
        pagination.offset,
        pagination.limit,
        pagination.total,
    ));
    // The stream owns a copy of the accessor: it borrows the client, not the accessor.
    let accessor = crate::operations::accessor_ident(&op.area)?;
    Ok(quote! {
        impl<'a> #accessor<'a> {
            #doc
            pub fn #name<'s>(
                &self,
                #(#args),*
            ) -> impl rt::Stream<Item = Result<#item, Error>> + Send + 's
            where
                'a: 's,
            {
                let size = rt::page_size(#chosen, #max);
                let accessor = self.clone();
                rt::paginate(#start.unwrap_or(0), size, move |offset, limit| {
                    #clone_request
                    #clone_params
                    #set_offset
                    #set_limit
                    let api = accessor.clone();
                    async move {
                        let page = api.#call(#(#pass),*).await?;
                        Ok(rt::Page { items: #items, total: #total })
                    }
                })
            }
        }
    })
}

/// Where a paging value goes.
#[derive(Clone, Copy)]
enum Place {
    /// A query parameter: a member of `params`.
    Query,
    /// A top-level field of the request body: a member of `request`.
    Body,
}

/// The field `wire` names, and where it is.
fn locate<'s>(
    op: &'s Operation,
    request: Option<&'s enkash_spec::Schema>,
    wire: &str,
    fail: &dyn Fn(String) -> Error,
) -> Result<(Place, &'s Field)> {
    if let Some(field) = op.query_params.iter().find(|f| f.wire_name == wire) {
        return Ok((Place::Query, field));
    }
    request
        .and_then(|schema| schema.fields.iter().find(|f| f.wire_name == wire))
        .map(|field| (Place::Body, field))
        .ok_or_else(|| fail(format!("no query parameter or request field `{wire}`")))
}

/// The caller's value of a paging field, as an `Option<i64>`.
fn read_value(place: Place, field: &Field) -> Result<TokenStream> {
    let member = ident(&field.rust_name)?;
    let holder = match place {
        Place::Query => quote!(params),
        Place::Body => quote!(request),
    };
    let value = quote!(#holder.#member);
    Ok(match (field.required, &field.ty) {
        (true, TypeRef::I32) => quote!(Some(i64::from(#value))),
        (true, _) => quote!(Some(#value)),
        (false, TypeRef::I32) => quote!(#value.map(i64::from)),
        (false, _) => quote!(#value),
    })
}

/// Sets a paging field of the cloned params or request to the `i64` variable `var`.
fn write_value(place: Place, field: &Field, var: TokenStream) -> Result<TokenStream> {
    let member = ident(&field.rust_name)?;
    let holder = match place {
        Place::Query => quote!(params),
        Place::Body => quote!(request),
    };
    let value = match &field.ty {
        TypeRef::I32 => quote!(i32::try_from(#var).unwrap_or(i32::MAX)),
        _ => quote!(#var),
    };
    Ok(if field.required {
        quote!(#holder.#member = #value;)
    } else {
        quote!(#holder.#member = Some(#value);)
    })
}
