//! Spec types to Rust types, and the serde attributes that give each its wire form.

use enkash_spec::{DateFormat, DecimalWire, TypeRef};

/// The tokens of a spec type's Rust type, without `Option`: [`crate::shape::rust_type_tokens`],
/// under the name the generator's modules import.
pub(crate) use crate::shape::rust_type_tokens as rust_type;

/// The `crate::runtime::wire` module that (de)serializes `ty`, if its serde default is not the
/// wire form.
pub(crate) fn wire_module(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::Decimal(DecimalWire::Number) => Some("decimal"),
        TypeRef::Decimal(DecimalWire::String) => Some("decimal_string"),
        TypeRef::DateTime(DateFormat::Iso8601) => Some("datetime"),
        TypeRef::DateTime(DateFormat::LocalDateTime) => Some("datetime_local"),
        TypeRef::DateTime(DateFormat::Date) => Some("date"),
        TypeRef::DateTime(DateFormat::EpochMillis) => Some("epoch_ms"),
        TypeRef::DateTime(DateFormat::EpochSeconds) => Some("epoch_s"),
        // Spelled out, so that a new date format or type must be given a wire form here.
        TypeRef::DateTime(DateFormat::CardExpiry)
        | TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::Json
        | TypeRef::Undocumented
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Schema(_)
        | TypeRef::Enum(_)
        | TypeRef::DateTimeType(_) => None,
    }
}

/// How a value of `ty` appears on the wire, for field docs (`None` when obvious).
pub(crate) fn wire_note(ty: &TypeRef) -> Option<&'static str> {
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
        // Spelled out, so that a new date format or type must be given a note (or none) here.
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::Json
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Schema(_)
        | TypeRef::Enum(_) => None,
    }
}
