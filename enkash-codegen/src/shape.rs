//! What the generated crate looks like, as answers to questions about the spec: the Rust type of
//! a spec type ([`rust_type`]), whether a field is an `Option` ([`is_option`]), the name of an
//! operation's parameter struct ([`params_struct_name`]) and how an operation is called
//! ([`call_path`]).
//!
//! The generator builds its code from these answers, and tools that describe the generated
//! crate without generating it (`cargo xtask diff`, the README's operations table) ask the same
//! questions here, so what they say is what the generator emits. Everything is pure.

use std::fmt;

use enkash_spec::{DateFormat, Field, Operation, TypeRef, naming};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::types::wire_module;
use crate::{Error, Result};

/// The Rust type the generator gives a spec type, before any `Option` (see [`is_option`]).
///
/// [`Display`](fmt::Display) writes it as a reader writes it with the imports of the generated
/// code (`Decimal`, `Vec<Order>`, `BTreeMap<String, i64>`); [`RustType::tokens`] gives the tokens the
/// generated code contains (`rust_decimal::Decimal`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType<'a> {
    /// A type from `std`, a dependency or the runtime.
    Foreign(Foreign),
    /// A type generated from the spec: a schema's struct, an enum or a date-time type, by name.
    Generated(&'a str),
    /// `Vec<T>`.
    Vec(Box<RustType<'a>>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType<'a>>),
}

/// The Rust types of spec types that are not generated from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `time::OffsetDateTime`.
    OffsetDateTime,
    /// `time::PrimitiveDateTime`.
    PrimitiveDateTime,
    /// `time::Date`.
    Date,
    /// The runtime's `CardExpiry`.
    CardExpiry,
    /// `serde_json::Value`.
    JsonValue,
}

impl Foreign {
    /// The name a reader writes: the last path segment, except `serde_json::Value` (a bare
    /// `Value` would not say which).
    pub fn name(self) -> &'static str {
        match self {
            Foreign::String => "String",
            Foreign::Bool => "bool",
            Foreign::I32 => "i32",
            Foreign::I64 => "i64",
            Foreign::Decimal => "Decimal",
            Foreign::OffsetDateTime => "OffsetDateTime",
            Foreign::PrimitiveDateTime => "PrimitiveDateTime",
            Foreign::Date => "Date",
            Foreign::CardExpiry => "CardExpiry",
            Foreign::JsonValue => "serde_json::Value",
        }
    }

    /// The path the generated code writes, as text (for tables laid out by the generator).
    pub fn path(self) -> &'static str {
        match self {
            Foreign::String => "String",
            Foreign::Bool => "bool",
            Foreign::I32 => "i32",
            Foreign::I64 => "i64",
            Foreign::Decimal => "rust_decimal::Decimal",
            Foreign::OffsetDateTime => "time::OffsetDateTime",
            Foreign::PrimitiveDateTime => "time::PrimitiveDateTime",
            Foreign::Date => "time::Date",
            Foreign::CardExpiry => "crate::runtime::wire::CardExpiry",
            Foreign::JsonValue => "serde_json::Value",
        }
    }

    /// The path the generated code writes.
    pub fn tokens(self) -> TokenStream {
        match self {
            Foreign::String => quote!(String),
            Foreign::Bool => quote!(bool),
            Foreign::I32 => quote!(i32),
            Foreign::I64 => quote!(i64),
            Foreign::Decimal => quote!(rust_decimal::Decimal),
            Foreign::OffsetDateTime => quote!(time::OffsetDateTime),
            Foreign::PrimitiveDateTime => quote!(time::PrimitiveDateTime),
            Foreign::Date => quote!(time::Date),
            Foreign::CardExpiry => quote!(crate::runtime::wire::CardExpiry),
            Foreign::JsonValue => quote!(serde_json::Value),
        }
    }
}

/// The Rust type of `ty` (without `Option`). Every spec type has one; whether the generator can
/// also (de)serialize it in place is for [`rust_type_tokens`] to say.
pub fn rust_type(ty: &TypeRef) -> RustType<'_> {
    match ty {
        TypeRef::String => RustType::Foreign(Foreign::String),
        TypeRef::Bool => RustType::Foreign(Foreign::Bool),
        TypeRef::I32 => RustType::Foreign(Foreign::I32),
        TypeRef::I64 => RustType::Foreign(Foreign::I64),
        TypeRef::Decimal(_) => RustType::Foreign(Foreign::Decimal),
        TypeRef::DateTime(
            DateFormat::Iso8601 | DateFormat::EpochMillis | DateFormat::EpochSeconds,
        ) => RustType::Foreign(Foreign::OffsetDateTime),
        TypeRef::DateTime(DateFormat::LocalDateTime) => {
            RustType::Foreign(Foreign::PrimitiveDateTime)
        }
        TypeRef::DateTime(DateFormat::Date) => RustType::Foreign(Foreign::Date),
        TypeRef::DateTime(DateFormat::CardExpiry) => RustType::Foreign(Foreign::CardExpiry),
        TypeRef::Json | TypeRef::Undocumented => RustType::Foreign(Foreign::JsonValue),
        TypeRef::List(inner) => RustType::Vec(Box::new(rust_type(inner))),
        TypeRef::Map(inner) => RustType::Map(Box::new(rust_type(inner))),
        TypeRef::Schema(name) | TypeRef::Enum(name) | TypeRef::DateTimeType(name) => {
            RustType::Generated(name)
        }
    }
}

impl RustType<'_> {
    /// The tokens the generated code contains for this type. Fails only for a generated type
    /// whose name is not an identifier (the validator refuses those).
    pub fn tokens(&self) -> Result<TokenStream> {
        Ok(match self {
            RustType::Foreign(foreign) => foreign.tokens(),
            RustType::Generated(name) => {
                let name = ident(name)?;
                quote!(#name)
            }
            RustType::Vec(inner) => {
                let inner = inner.tokens()?;
                quote!(Vec<#inner>)
            }
            RustType::Map(inner) => {
                let inner = inner.tokens()?;
                quote!(std::collections::BTreeMap<String, #inner>)
            }
        })
    }
}

impl RustType<'_> {
    /// The type as the generated code writes it, as text: the same type as [`RustType::tokens`],
    /// spaced as a reader writes it.
    pub fn code(&self) -> Result<String> {
        Ok(match self {
            RustType::Foreign(foreign) => foreign.path().to_owned(),
            RustType::Generated(name) => ident(name)?.to_string(),
            RustType::Vec(inner) => format!("Vec<{}>", inner.code()?),
            RustType::Map(inner) => {
                format!("std::collections::BTreeMap<String, {}>", inner.code()?)
            }
        })
    }
}

impl fmt::Display for RustType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Foreign(foreign) => f.write_str(foreign.name()),
            RustType::Generated(name) => f.write_str(name),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Map(inner) => write!(f, "BTreeMap<String, {inner}>"),
        }
    }
}

/// The tokens of `ty`'s Rust type (without `Option`), as the generator emits them.
///
/// Items of lists and maps must serialize on their own: a `with` module cannot reach inside a
/// container, so a decimal or date inside a list or map is an error rather than a value written
/// in the wrong form.
pub fn rust_type_tokens(ty: &TypeRef) -> Result<TokenStream> {
    let mut unsupported = None;
    ty.walk(&mut |inner| {
        if let TypeRef::List(item) | TypeRef::Map(item) = inner
            && unsupported.is_none()
            && wire_module(item).is_some()
        {
            unsupported = Some(item.to_string());
        }
    });
    if let Some(item) = unsupported {
        return Err(Error::new(format!(
            "{item} inside a list or map is not supported yet: its wire form needs a `with` module"
        )));
    }
    rust_type(ty).tokens()
}

/// True when the field's Rust type is `Option<T>`: the field is optional or may be `null`.
pub fn is_option(field: &Field) -> bool {
    !field.required || field.nullable
}

/// The name of the struct that carries an operation's query and header parameters
/// (`SearchSettlementPayoutsParams`), or `None` when it has neither.
pub fn params_struct_name(op: &Operation) -> Option<String> {
    if op.query_params.is_empty() && op.header_params.is_empty() {
        return None;
    }
    Some(naming::pascal(&format!("{}_params", op.id)))
}

/// The path of the call to an operation's method, without its arguments:
/// `client.orders().create_order`.
pub fn call_path(op: &Operation) -> String {
    format!("client.{}().{}", op.area.as_str(), op.client_method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_tokens_name_the_same_type() {
        let ty = TypeRef::Map(Box::new(TypeRef::List(Box::new(TypeRef::Schema(
            "Order".into(),
        )))));
        let shape = rust_type(&ty);
        assert_eq!(shape.to_string(), "BTreeMap<String, Vec<Order>>");
        assert_eq!(
            shape.tokens().unwrap().to_string().replace(' ', ""),
            "std::collections::BTreeMap<String,Vec<Order>>"
        );
    }

    #[test]
    fn text_is_the_last_path_segment_except_json() {
        for foreign in [
            Foreign::String,
            Foreign::Bool,
            Foreign::I32,
            Foreign::I64,
            Foreign::Decimal,
            Foreign::OffsetDateTime,
            Foreign::PrimitiveDateTime,
            Foreign::Date,
            Foreign::CardExpiry,
        ] {
            let path = foreign.tokens().to_string().replace(' ', "");
            assert_eq!(path.rsplit("::").next(), Some(foreign.name()), "{path}");
        }
        assert_eq!(Foreign::JsonValue.name(), "serde_json::Value");
    }

    #[test]
    fn wire_formatted_items_of_containers_are_refused() {
        let list = TypeRef::List(Box::new(TypeRef::Decimal(enkash_spec::DecimalWire::Number)));
        let err = rust_type_tokens(&list).unwrap_err();
        assert!(err.message.contains("inside a list or map"), "{err}");
        let nested = TypeRef::Map(Box::new(TypeRef::List(Box::new(TypeRef::DateTime(
            DateFormat::Date,
        )))));
        assert!(rust_type_tokens(&nested).is_err());
        let fine = TypeRef::List(Box::new(TypeRef::I64));
        assert_eq!(rust_type_tokens(&fine).unwrap().to_string(), "Vec < i64 >");
    }
}
