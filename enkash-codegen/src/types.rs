//! Spec types to Rust types, and the serde attributes that give each its wire form.

use enkash_spec::{DateFormat, DecimalWire, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::{Error, Result};

/// The Rust type of a spec type (without `Option`).
pub fn rust_type(ty: &TypeRef) -> Result<TokenStream> {
    Ok(match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::Decimal(_) => quote!(rust_decimal::Decimal),
        TypeRef::DateTime(
            DateFormat::Iso8601 | DateFormat::EpochMillis | DateFormat::EpochSeconds,
        ) => {
            quote!(time::OffsetDateTime)
        }
        TypeRef::DateTime(DateFormat::LocalDateTime) => quote!(time::PrimitiveDateTime),
        TypeRef::DateTime(DateFormat::Date) => quote!(time::Date),
        TypeRef::DateTime(DateFormat::CardExpiry) => quote!(crate::runtime::wire::CardExpiry),
        TypeRef::Json | TypeRef::Undocumented => quote!(serde_json::Value),
        TypeRef::List(inner) => {
            let inner = container_item(inner)?;
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = container_item(inner)?;
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Schema(name) | TypeRef::Enum(name) | TypeRef::DateTimeType(name) => {
            let name = ident(name)?;
            quote!(#name)
        }
    })
}

/// Items of lists and maps must serialize on their own: a `with` module cannot reach inside a
/// container, so decimals and dates there are refused rather than written in the wrong form.
fn container_item(inner: &TypeRef) -> Result<TokenStream> {
    if wire_module(inner).is_some() {
        return Err(Error::new(format!(
            "{} inside a list or map is not supported yet: its wire form needs a `with` module",
            inner
        )));
    }
    rust_type(inner)
}

/// The `crate::runtime::wire` module that (de)serializes `ty`, if its serde default is not the
/// wire form.
pub fn wire_module(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::Decimal(DecimalWire::Number) => Some("decimal"),
        TypeRef::Decimal(DecimalWire::String) => Some("decimal_string"),
        TypeRef::DateTime(DateFormat::Iso8601) => Some("datetime"),
        TypeRef::DateTime(DateFormat::LocalDateTime) => Some("datetime_local"),
        TypeRef::DateTime(DateFormat::Date) => Some("date"),
        TypeRef::DateTime(DateFormat::EpochMillis) => Some("epoch_ms"),
        TypeRef::DateTime(DateFormat::EpochSeconds) => Some("epoch_s"),
        _ => None,
    }
}

/// The `with = "..."` path for a field of type `ty`, `Option`-wrapped or not.
pub fn serde_with(ty: &TypeRef, optional: bool) -> Option<String> {
    wire_module(ty).map(|module| {
        let suffix = if optional { "::option" } else { "" };
        format!("crate::runtime::wire::{module}{suffix}")
    })
}

/// How a value of `ty` appears on the wire, for field docs (`None` when obvious).
pub fn wire_note(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::Decimal(DecimalWire::Number) => {
            Some("Wire: a JSON number (a numeric string is also read), exact.")
        }
        TypeRef::Decimal(DecimalWire::String) => {
            Some("Wire: a JSON string (a JSON number is also read), exact.")
        }
        TypeRef::DateTime(DateFormat::Iso8601) => Some("Wire: ISO-8601, `2019-08-24T14:15:22Z`."),
        TypeRef::DateTime(DateFormat::LocalDateTime) => {
            Some("Wire: `yyyy-MM-dd HH:mm:ss` without a zone, `2026-04-22 13:50:03`.")
        }
        TypeRef::DateTime(DateFormat::Date) => Some("Wire: `yyyy-MM-dd`."),
        TypeRef::DateTime(DateFormat::EpochMillis) => Some("Wire: epoch milliseconds."),
        TypeRef::DateTime(DateFormat::EpochSeconds) => Some("Wire: epoch seconds."),
        TypeRef::DateTime(DateFormat::CardExpiry) => Some("Wire: `MM/YY`."),
        TypeRef::DateTimeType(_) => {
            Some("Wire: a date-time string in any of the forms its type reads (see the type).")
        }
        TypeRef::Undocumented => Some(
            "EnKash does not document this shape yet, so it is kept as raw JSON (see `enkash-spec/GAPS.md`).",
        ),
        _ => None,
    }
}
