//! One struct per spec schema: its fields, its serde table (`json_object!`), constructor, setters
//! table (`setters!`) and `Debug`.

use std::collections::BTreeSet;

use enkash_spec::{Field, Schema, Spec, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::Result;
use crate::docs::{doc_attrs, link, module_doc, prose};
use crate::names::ident;
use crate::pieces::{Content, Piece, piece};
use crate::shape::is_option;
use crate::types::{rust_type, wire_module, wire_note};
use crate::validation::{trivial_validate_impl, validate_impl};

/// `models.rs`: a head (docs, imports), then one piece per schema, in name order.
/// `validated`, `requests` and `received` are decided once per run
/// (`validation::validated_schemas`, `validation::request_schemas`,
/// `validation::received_schemas`).
pub(crate) fn models_pieces<'a>(
    spec: &'a Spec,
    validated: &'a BTreeSet<String>,
    requests: &'a BTreeSet<String>,
    received: &'a BTreeSet<String>,
) -> Vec<Piece<'a>> {
    let head = piece(move || {
        let doc = module_doc(
            "Request, response and notification bodies, one struct per schema of the spec.\n\n\
             Construct a struct with `new(..)`, which takes every required field (forgetting one is a \
             compile error; a struct with more than four takes them named, in a `<Name>Required` \
             struct literal), then set optional fields with the `with_*` methods. Unknown JSON fields in \
             responses are ignored, so a field EnKash adds later never breaks decoding.\n\n\
             Each struct is followed by two tables: `json_object!` maps its fields to their JSON \
             members and implements serde (`Serialize` for what is sent, `Deserialize` for what is \
             received, both with the `serde-roundtrip` feature), and `setters!` lists its `with_*` \
             methods. Both macros are in `src/runtime/wire/object.rs`.",
        );
        let runtime = (!validated.is_empty()).then(|| {
            quote!(
                use crate::runtime as rt;
            )
        });
        let imports = imports(spec.schemas.values().flat_map(|s| &s.fields), false)?;
        Ok(quote! {
            #doc
            #runtime
            #imports
        })
    });
    let schemas = spec.schemas.values().map(move |schema| {
        piece(move || {
            let direction = Direction::of(
                requests.contains(&schema.name),
                received.contains(&schema.name),
            );
            let item = schema_struct(schema, "JSON", direction)?;
            let validate = if validated.contains(&schema.name) {
                validate_impl(schema, validated)?
            } else if requests.contains(&schema.name) {
                trivial_validate_impl(schema)?
            } else {
                TokenStream::new()
            };
            Ok(item.tokens(validate))
        })
    });
    std::iter::once(head).chain(schemas).collect()
}

/// `use` items for the named types `fields` refer to (schemas only when `with_schemas`).
pub(crate) fn imports<'a>(
    fields: impl Iterator<Item = &'a Field>,
    with_schemas: bool,
) -> Result<TokenStream> {
    type_imports(fields.map(|field| &field.ty), with_schemas)
}

/// `use` items for the schemas and enums named in `types`, sorted and deduplicated.
pub(crate) fn type_imports<'a>(
    types: impl IntoIterator<Item = &'a TypeRef>,
    with_schemas: bool,
) -> Result<TokenStream> {
    imports_from(types, with_schemas, &quote!(super))
}

/// [`type_imports`] with the generated folder's root at `root` (`super`, `super::super`).
fn imports_from<'a>(
    types: impl IntoIterator<Item = &'a TypeRef>,
    with_schemas: bool,
    root: &TokenStream,
) -> Result<TokenStream> {
    let mut schemas = BTreeSet::new();
    let mut enums = BTreeSet::new();
    let mut datetimes = BTreeSet::new();
    for ty in types {
        ty.walk(&mut |inner| match inner {
            TypeRef::Schema(name) if with_schemas => {
                schemas.insert(name.clone());
            }
            TypeRef::Enum(name) => {
                enums.insert(name.clone());
            }
            TypeRef::DateTimeType(name) => {
                datetimes.insert(name.clone());
            }
            _ => {}
        });
    }
    let schemas = schemas
        .iter()
        .map(|name| ident(name))
        .collect::<Result<Vec<_>>>()?;
    let enums = enums
        .iter()
        .map(|name| ident(name))
        .collect::<Result<Vec<_>>>()?;
    let schemas = (!schemas.is_empty()).then(|| quote!(use #root::models::{#(#schemas),*};));
    let datetimes = datetimes
        .iter()
        .map(|name| ident(name))
        .collect::<Result<Vec<_>>>()?;
    let enums = (!enums.is_empty()).then(|| quote!(use #root::enums::{#(#enums),*};));
    let datetimes =
        (!datetimes.is_empty()).then(|| quote!(use #root::datetimes::{#(#datetimes),*};));
    Ok(quote!(#schemas #datetimes #enums))
}

/// [`type_imports`] for a file one folder down (`operations/<area>.rs`): `super::super::`.
pub(crate) fn nested_type_imports<'a>(
    types: impl Iterator<Item = &'a TypeRef>,
) -> Result<TokenStream> {
    imports_from(types, true, &quote!(super::super))
}

/// Which way a struct's values travel, which decides the serde traits its table implements.
///
/// A struct implements what its direction needs (`Serialize` to send, `Deserialize` to
/// receive), and the other trait only with the crate's `serde-roundtrip` feature: `Deserialize`
/// is the largest part of the crate's type-check and borrow-check time, and a request type
/// needs none unless the caller stores requests and reads them back (or runs the mock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Only sent: request bodies and parameters.
    Sent,
    /// Only received: response and webhook payloads.
    Received,
    /// Both ways, or neither (a schema no operation names): both traits, always.
    Both,
    /// Query and header parameters, which generated code writes one by one: serde only with
    /// `serde-roundtrip`.
    Parameters,
}

impl Direction {
    /// The direction of a schema that requests do or do not contain (`sent`) and responses or
    /// webhooks do or do not contain (`received`).
    pub(crate) fn of(sent: bool, received: bool) -> Direction {
        match (sent, received) {
            (true, false) => Direction::Sent,
            (false, true) => Direction::Received,
            _ => Direction::Both,
        }
    }

    /// The direction's keyword in a `json_object!` table.
    fn keyword(self) -> &'static str {
        match self {
            Direction::Sent => "sent",
            Direction::Received => "received",
            Direction::Both => "both",
            Direction::Parameters => "parameters",
        }
    }
}

/// A struct for `schema`: the struct, its serde table (`json_object!`, see
/// `enkash-generated/src/runtime/wire/object.rs`), its constructor and setters. `label` says
/// where its fields travel ("JSON", "Parameter"), and `direction` which serde traits it gets.
pub(crate) fn schema_struct(schema: &Schema, label: &str, direction: Direction) -> Result<Content> {
    let name = ident(&schema.name)?;
    let mut doc = prose(&schema.doc);
    for field in schema
        .fields
        .iter()
        .filter(|field| field.credential.is_some())
    {
        doc.push_str(&format!(
            "\n\nThe client fills `{}` with its own {} when it sends this; it is not a member.",
            field.wire_name,
            credential_name(field)
        ));
    }
    if let Some(url) = &schema.doc_url {
        doc.push_str(&format!("\n\nSee the {}.", link("EnKash docs", url)));
    }
    let schema = &*members(schema);
    let doc = doc_attrs(&doc);
    let fields = schema
        .fields
        .iter()
        .map(|field| struct_field(field, label))
        .collect::<Result<Vec<_>>>()?;
    let constructor = constructor(schema)?;
    let required_struct = required_struct(schema, label)?;
    let sensitive = schema.fields.iter().any(|field| field.sensitive);
    let all_optional = schema.fields.iter().all(|field| !field.required);
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    let derive_default = all_optional.then(|| quote!(Default,));
    let debug_impl = if sensitive {
        Some(redacted_debug(schema)?)
    } else {
        None
    };
    let item = quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    };
    let constructor = quote! {
        impl #name {
            #constructor
        }
    };
    Ok(Content::from(item)
        .text(json_table(schema, direction)?)
        .tokens(constructor)
        .text(setters_table(schema, label)?)
        .tokens(quote!(#debug_impl #required_struct)))
}

/// The `json_object!` invocation giving `schema`'s struct its serde impls: one line per field.
fn json_table(schema: &Schema, direction: Direction) -> Result<String> {
    let head = format!("{}: {}", ident(&schema.name)?, direction.keyword());
    let rows = schema
        .fields
        .iter()
        .map(|field| {
            let kind = match (is_option(field), field.required) {
                (false, _) => "required",
                (true, false) => "optional",
                (true, true) => "nullable",
            };
            let mut row = format!(
                "{kind} {} = {}",
                ident(&field.rust_name)?,
                Literal::string(&field.wire_name)
            );
            for alias in &field.aliases {
                row.push_str(&format!(" | {}", Literal::string(alias)));
            }
            if let Some(module) = wire_module(&field.ty) {
                let suffix = if is_option(field) { "::option" } else { "" };
                row.push_str(&format!(" => {module}{suffix}"));
            }
            if field.sensitive {
                row.push_str(" [sensitive]");
            }
            Ok(row)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(macro_table("json_object", &head, &rows))
}

/// A table-macro invocation of `crate::runtime::wire`, laid out here because prettyplease would
/// run a macro's tokens together: the head line, then one `;`-terminated row per line.
fn macro_table(name: &str, head: &str, rows: &[String]) -> String {
    let mut text = format!("crate::runtime::wire::{name}! {{\n    {head};\n");
    for row in rows {
        text.push_str("    ");
        text.push_str(row);
        text.push_str(";\n");
    }
    text.push('}');
    text
}

/// `schema` without the fields the client fills with a credential (they are not struct members).
pub(crate) fn members(schema: &Schema) -> std::borrow::Cow<'_, Schema> {
    if schema.fields.iter().all(|field| field.credential.is_none()) {
        return std::borrow::Cow::Borrowed(schema);
    }
    let mut members = schema.clone();
    members.fields.retain(|field| field.credential.is_none());
    std::borrow::Cow::Owned(members)
}

/// How a field's credential is called in docs.
fn credential_name(field: &Field) -> &'static str {
    match field.credential {
        Some(enkash_spec::Credential::AccessKey) => "merchant access key",
        Some(enkash_spec::Credential::Token) => "bearer token",
        Some(other) => other.as_str(),
        None => "",
    }
}

/// The Rust type of a field: `Option<T>` unless it is required and not nullable.
fn field_type(field: &Field) -> Result<TokenStream> {
    let ty = rust_type(&field.ty)?;
    Ok(if is_option(field) {
        quote!(Option<#ty>)
    } else {
        ty
    })
}

fn struct_field(field: &Field, label: &str) -> Result<TokenStream> {
    let name = ident(&field.rust_name)?;
    let ty = field_type(field)?;
    let doc = doc_attrs(&field_doc(field, label));
    Ok(quote! {
        #doc
        pub #name: #ty,
    })
}

/// Field documentation: the spec's doc, then requiredness, wire form, example and constraints.
pub(crate) fn field_doc(field: &Field, label: &str) -> String {
    let mut doc = prose(&field.doc);
    let mut facts = Vec::new();
    facts.push(format!(
        "{label} `{}`, {}{}.",
        field.wire_name,
        if field.required {
            "required"
        } else {
            "optional"
        },
        if field.nullable { ", may be null" } else { "" }
    ));
    if let Some(note) = wire_note(&field.ty) {
        facts.push(note.to_owned());
    }
    if !field.aliases.is_empty() {
        let names: Vec<String> = field
            .aliases
            .iter()
            .map(|alias| format!("`{}`", alias.replace('`', "'")))
            .collect();
        facts.push(format!(
            "Also read from {} (never written).",
            names.join(", ")
        ));
    }
    if let Some(example) = field.example.as_ref().filter(|_| !field.sensitive) {
        facts.push(format!("Example: `{}`.", example.replace('`', "'")));
    }
    let c = &field.constraints;
    if let Some(pattern) = &c.pattern {
        facts.push(format!("Pattern: `{}`.", pattern.replace('`', "'")));
    }
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => facts.push(format!("Length: {min} to {max} characters.")),
        (Some(min), None) => facts.push(format!("Length: at least {min} characters.")),
        (None, Some(max)) => facts.push(format!("Length: at most {max} characters.")),
        (None, None) => {}
    }
    match (&c.min, &c.max) {
        (Some(min), Some(max)) => facts.push(format!("Range: {min} to {max}.")),
        (Some(min), None) => facts.push(format!("Minimum: {min}.")),
        (None, Some(max)) => facts.push(format!("Maximum: {max}.")),
        (None, None) => {}
    }
    if let Some(decimals) = c.max_decimals {
        facts.push(format!("At most {decimals} decimals."));
    }
    if field.sensitive {
        facts.push("Sensitive: hidden from `Debug`.".to_owned());
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&facts.join(" "));
    doc
}

/// Most arguments `new(..)` takes; a schema with more required fields is built from a
/// `<Name>Required` struct instead, whose literal must name every field (a missing one is still
/// a compile error) and names them at the call site.
const MAX_CONSTRUCTOR_ARGS: usize = 4;

/// `new(..)` taking the required fields in spec order, or a `<Name>Required` struct when there
/// are more than [`MAX_CONSTRUCTOR_ARGS`].
fn constructor(schema: &Schema) -> Result<TokenStream> {
    let required = schema.fields.iter().filter(|field| field.required).count();
    if required > MAX_CONSTRUCTOR_ARGS {
        return grouped_constructor(schema);
    }
    let name = &schema.name;
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for field in &schema.fields {
        let field_name = ident(&field.rust_name)?;
        if field.required {
            let (param_ty, value) = param_and_value(field, &field_name)?;
            params.push(quote!(#field_name: #param_ty));
            inits.push(value);
        } else {
            inits.push(quote!(#field_name: None));
        }
    }
    let doc = if params.is_empty() {
        format!(" Creates an empty `{name}`; set its fields with the `with_*` methods.")
    } else {
        format!(
            " Creates `{name}` from its required fields; set optional fields with the `with_*` methods."
        )
    };
    Ok(quote! {
        #[doc = #doc]
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    })
}

/// The name of the struct that groups the required fields of `schema`.
fn required_struct_name(schema: &Schema) -> String {
    format!("{}Required", schema.name)
}

/// `new(required)` from a `<Name>Required` struct, and `From` for it. The struct itself is
/// emitted by [`required_struct`].
fn grouped_constructor(schema: &Schema) -> Result<TokenStream> {
    let required = ident(&required_struct_name(schema))?;
    let mut names = Vec::new();
    let mut inits = Vec::new();
    for field in &schema.fields {
        let field_name = ident(&field.rust_name)?;
        if field.required {
            names.push(field_name.clone());
            inits.push(quote!(#field_name));
        } else {
            inits.push(quote!(#field_name: None));
        }
    }
    let doc = format!(
        " Creates `{}` from its required fields, named in a [`{}`]; set optional fields with the \
         `with_*` methods.",
        schema.name,
        required_struct_name(schema)
    );
    Ok(quote! {
        #[doc = #doc]
        pub fn new(required: #required) -> Self {
            let #required { #(#names),* } = required;
            Self { #(#inits),* }
        }
    })
}

/// The `<Name>Required` struct of a schema with more than [`MAX_CONSTRUCTOR_ARGS`] required
/// fields (nothing otherwise): public fields, no `#[non_exhaustive]`, so a struct literal names
/// each required field and forgetting one does not compile.
fn required_struct(schema: &Schema, label: &str) -> Result<TokenStream> {
    if schema.fields.iter().filter(|field| field.required).count() <= MAX_CONSTRUCTOR_ARGS {
        return Ok(TokenStream::new());
    }
    let name = &schema.name;
    let required = ident(&required_struct_name(schema))?;
    let target = ident(name)?;
    let fields = schema
        .fields
        .iter()
        .filter(|field| field.required)
        .map(|field| {
            let field_name = ident(&field.rust_name)?;
            let ty = field_type(field)?;
            let doc = doc_attrs(&field_doc(field, label));
            Ok(quote!(#doc pub #field_name: #ty,))
        })
        .collect::<Result<Vec<_>>>()?;
    let doc = format!(
        " The required fields of [`{name}`], for [`{name}::new`]: write it as a struct literal, so \
         every field is named and none can be forgotten."
    );
    let from_doc = format!(" The same as [`{name}::new`].");
    // Sensitive values never reach `Debug`: without a redacting impl, no `Debug` at all.
    let sensitive = schema
        .fields
        .iter()
        .any(|field| field.required && field.sensitive);
    let debug = (!sensitive).then(|| quote!(Debug,));
    Ok(quote! {
        #[doc = #doc]
        #[derive(#debug Clone, PartialEq)]
        pub struct #required {
            #(#fields)*
        }

        impl From<#required> for #target {
            #[doc = #from_doc]
            fn from(required: #required) -> Self {
                Self::new(required)
            }
        }
    })
}

/// Parameter type and the expression that stores it: strings take `impl Into<String>`.
/// The field initializer is shorthand (`name`) unless the value needs converting.
fn param_and_value(field: &Field, name: &proc_macro2::Ident) -> Result<(TokenStream, TokenStream)> {
    Ok(match (&field.ty, is_option(field)) {
        (TypeRef::String, false) => (quote!(impl Into<String>), quote!(#name: #name.into())),
        _ => (field_type(field)?, quote!(#name)),
    })
}

/// The `setters!` invocation giving `schema`'s struct a `with_*` method per optional field (see
/// `enkash-generated/src/runtime/wire/object.rs`): one line per setter. Strings are taken as
/// `impl Into<String>`, other types as themselves. Empty when every field is required.
fn setters_table(schema: &Schema, label: &str) -> Result<String> {
    let rows = schema
        .fields
        .iter()
        .filter(|field| !field.required)
        .map(|field| {
            let how = match &field.ty {
                TypeRef::String => " into",
                _ => ":",
            };
            Ok(format!(
                "{}({} = {}){how} {}",
                ident(&format!("with_{}", field.rust_name))?,
                ident(&field.rust_name)?,
                Literal::string(&field.wire_name),
                crate::shape::rust_type(&field.ty).code()?
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    if rows.is_empty() {
        return Ok(String::new());
    }
    let head = format!("{}, {}", ident(&schema.name)?, Literal::string(label));
    Ok(macro_table("setters", &head, &rows))
}

/// `Debug` that prints `[REDACTED]` for sensitive fields.
fn redacted_debug(schema: &Schema) -> Result<TokenStream> {
    let name = ident(&schema.name)?;
    let type_name = &schema.name;
    let fields = schema
        .fields
        .iter()
        .map(|field| {
            let field_name = ident(&field.rust_name)?;
            let label = &field.rust_name;
            Ok(if field.sensitive {
                quote!(.field(#label, &format_args!("[REDACTED]")))
            } else {
                quote!(.field(#label, &self.#field_name))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* .finish()
            }
        }
    })
}
