//! `validate()` for every request body schema and every schema with constraints (pattern, length,
//! range, decimals), so a request that breaks a documented rule is refused before anything is
//! sent. A required string must not be empty (an empty id is never what a caller meant), unless
//! the spec sets `min_length: 0`.

use std::collections::BTreeSet;

use enkash_spec::{Constraints, Field, Schema, Spec, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::names::ident;
use crate::shape::is_option;
use crate::{Error, Result};

/// Names of the schemas with something to check, directly or in a nested schema: constraints, or
/// (in request bodies) required strings that must not be empty. Request bodies with nothing to
/// check get a `validate()` that finds nothing ([`trivial_validate_impl`]).
pub(crate) fn validated_schemas(spec: &Spec, requests: &BTreeSet<String>) -> BTreeSet<String> {
    let mut validated: BTreeSet<String> = spec
        .schemas
        .values()
        .filter(|schema| {
            schema
                .fields
                .iter()
                .any(|field| has_constraints(&field.constraints))
                || (requests.contains(&schema.name) && schema.fields.iter().any(must_not_be_empty))
        })
        .map(|schema| schema.name.clone())
        .collect();
    // Propagate to schemas that contain validated ones until nothing changes.
    loop {
        let before = validated.len();
        for schema in spec.schemas.values() {
            if schema
                .fields
                .iter()
                .any(|field| refers_to_any(&field.ty, &validated))
            {
                validated.insert(schema.name.clone());
            }
        }
        if validated.len() == before {
            return validated;
        }
    }
}

/// True when `c` asks for any check.
pub(crate) fn has_constraints(c: &Constraints) -> bool {
    c.pattern.is_some()
        || c.min_length.is_some()
        || c.max_length.is_some()
        || c.min.is_some()
        || c.max.is_some()
        || c.max_decimals.is_some()
}

/// Request body schemas and every schema nested in them.
pub(crate) fn request_schemas(spec: &Spec) -> BTreeSet<String> {
    reachable(
        spec,
        spec.operations
            .values()
            .filter_map(|op| op.request.as_ref()),
    )
}

/// Schemas the client receives: response payloads and webhook payloads, and every schema nested
/// in them.
pub(crate) fn received_schemas(spec: &Spec) -> BTreeSet<String> {
    let responses = spec
        .operations
        .values()
        .filter_map(|op| op.response.as_ref());
    let webhooks = spec.webhooks.values().map(|webhook| &webhook.payload);
    reachable(spec, responses.chain(webhooks))
}

/// The schemas `roots` name, directly or nested.
fn reachable<'a>(spec: &Spec, roots: impl Iterator<Item = &'a TypeRef>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<&TypeRef> = roots.collect();
    while let Some(ty) = pending.pop() {
        ty.walk(&mut |inner| {
            if let TypeRef::Schema(name) = inner
                && found.insert(name.clone())
                && let Some(schema) = spec.schemas.get(name)
            {
                pending.extend(schema.fields.iter().map(|field| &field.ty));
            }
        });
    }
    found
}

/// True for a required string without an explicit `min_length`: it must not be empty.
fn must_not_be_empty(field: &Field) -> bool {
    !is_option(field) && field.ty == TypeRef::String && field.constraints.min_length.is_none()
}

fn refers_to_any(ty: &TypeRef, names: &BTreeSet<String>) -> bool {
    let mut found = false;
    ty.walk(&mut |inner| {
        if let TypeRef::Schema(name) = inner {
            found |= names.contains(name);
        }
    });
    found
}

/// The `validate` / `collect_problems` impl of a validated schema.
pub(crate) fn validate_impl(schema: &Schema, validated: &BTreeSet<String>) -> Result<TokenStream> {
    let schema = &*crate::models::members(schema);
    let name = ident(&schema.name)?;
    let checks = schema
        .fields
        .iter()
        .map(|field| field_checks(schema, field, validated))
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        impl #name {
            /// Every way this value breaks a rule of the EnKash docs (pattern, length, range,
            /// decimal places) or leaves a required string empty, each naming its JSON path;
            /// empty when it is valid. Operations run this before sending and refuse to send an
            /// invalid request.
            pub fn validate(&self) -> Vec<String> {
                let mut problems = Vec::new();
                self.collect_problems("", &mut problems);
                problems
            }

            /// Appends the problems of this value, found at JSON path `path`, to `problems`.
            pub(crate) fn collect_problems(&self, path: &str, problems: &mut Vec<String>) {
                #(#checks)*
            }
        }
    })
}

/// `validate()` of a request body schema with nothing to check, so every request type has one.
pub(crate) fn trivial_validate_impl(schema: &Schema) -> Result<TokenStream> {
    let name = ident(&schema.name)?;
    Ok(quote! {
        impl #name {
            /// Always empty: the EnKash docs state no rule for this value. Every request type
            /// has `validate()`, so code can check any request the same way.
            pub fn validate(&self) -> Vec<String> {
                Vec::new()
            }
        }
    })
}

fn field_checks(
    schema: &Schema,
    field: &Field,
    validated: &BTreeSet<String>,
) -> Result<TokenStream> {
    let mut value_checks = value_checks(schema, field, &field.ty, validated)?;
    if must_not_be_empty(field) {
        value_checks.extend(quote!(rt::validate::non_empty(problems, &path, value);));
    }
    if value_checks.is_empty() {
        return Ok(TokenStream::new());
    }
    let member = ident(&field.rust_name)?;
    let wire = &field.wire_name;
    Ok(if is_option(field) {
        quote! {
            if let Some(value) = &self.#member {
                let path = rt::validate::join(path, #wire);
                #value_checks
            }
        }
    } else {
        quote! {
            {
                let value = &self.#member;
                let path = rt::validate::join(path, #wire);
                #value_checks
            }
        }
    })
}

/// Checks of `value: &T` at `path: String` for a value of type `ty`.
fn value_checks(
    schema: &Schema,
    field: &Field,
    ty: &TypeRef,
    validated: &BTreeSet<String>,
) -> Result<TokenStream> {
    let c = &field.constraints;
    let mut checks = Vec::new();
    match ty {
        TypeRef::String => {
            if let Some(pattern) = &c.pattern {
                checks.push(quote! {
                    static PATTERN: rt::validate::Pattern =
                        std::sync::LazyLock::new(|| regex_lite::Regex::new(#pattern).ok());
                    rt::validate::pattern(problems, &path, value, &PATTERN, #pattern);
                });
            }
            if c.min_length.is_some() || c.max_length.is_some() {
                let min = option_u64(c.min_length);
                let max = option_u64(c.max_length);
                checks.push(quote!(rt::validate::length(problems, &path, value, #min, #max);));
            }
        }
        TypeRef::I32 | TypeRef::I64 if c.min.is_some() || c.max.is_some() => {
            let min = option_int(schema, field, c.min.as_deref())?;
            let max = option_int(schema, field, c.max.as_deref())?;
            checks.push(
                quote!(rt::validate::int_range(problems, &path, i64::from(*value), #min, #max);),
            );
        }
        TypeRef::Decimal(_) => {
            if c.min.is_some() || c.max.is_some() {
                let min = option_decimal(schema, field, c.min.as_deref())?;
                let max = option_decimal(schema, field, c.max.as_deref())?;
                checks
                    .push(quote!(rt::validate::decimal_range(problems, &path, value, #min, #max);));
            }
            if let Some(decimals) = c.max_decimals {
                let decimals = Literal::u32_unsuffixed(decimals);
                checks.push(quote!(rt::validate::decimals(problems, &path, value, #decimals);));
            }
        }
        TypeRef::Schema(name) if validated.contains(name) => {
            checks.push(quote!(value.collect_problems(&path, problems);));
        }
        TypeRef::List(inner) => {
            let inner = value_checks(schema, field, inner, validated)?;
            if !inner.is_empty() {
                checks.push(quote! {
                    for (position, value) in value.iter().enumerate() {
                        let path = rt::validate::index(&path, position);
                        #inner
                    }
                });
            }
        }
        TypeRef::Map(inner) => {
            let inner = value_checks(schema, field, inner, validated)?;
            if !inner.is_empty() {
                checks.push(quote! {
                    for (key, value) in value {
                        let path = rt::validate::join(&path, key);
                        #inner
                    }
                });
            }
        }
        _ => {}
    }
    Ok(quote!(#(#checks)*))
}

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = Literal::u64_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

fn option_int(schema: &Schema, field: &Field, value: Option<&str>) -> Result<TokenStream> {
    match value {
        None => Ok(quote!(None)),
        Some(text) => match text.trim().parse::<i64>() {
            Ok(value) => {
                let value = Literal::i64_unsuffixed(value);
                Ok(quote!(Some(#value)))
            }
            Err(_) => Err(Error::new(format!(
                "schemas.{}.fields.{}: bound `{text}` of an integer field is not an integer",
                schema.name, field.wire_name
            ))),
        },
    }
}

fn option_decimal(schema: &Schema, field: &Field, value: Option<&str>) -> Result<TokenStream> {
    let Some(text) = value else {
        return Ok(quote!(None));
    };
    let (mantissa, scale) = decimal_parts(text).ok_or_else(|| {
        Error::new(format!(
            "schemas.{}.fields.{}: bound `{text}` is not a decimal literal",
            schema.name, field.wire_name
        ))
    })?;
    let mantissa = Literal::i128_unsuffixed(mantissa);
    let scale = Literal::u32_unsuffixed(scale);
    Ok(quote!(Some(rust_decimal::Decimal::from_i128_with_scale(#mantissa, #scale))))
}

/// `"-12.50"` -> `(-1250, 2)`; `None` unless it is `[-]digits[.digits]` with at most 28 decimals.
pub(crate) fn decimal_parts(text: &str) -> Option<(i128, u32)> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 28 {
        return None;
    }
    let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let scale = u32::try_from(fraction.len()).ok()?;
    Some((if negative { -mantissa } else { mantissa }, scale))
}

#[cfg(test)]
mod tests {
    use super::decimal_parts;

    #[test]
    fn splits_decimal_literals() {
        assert_eq!(decimal_parts("0.01"), Some((1, 2)));
        assert_eq!(decimal_parts("-12.50"), Some((-1250, 2)));
        assert_eq!(decimal_parts("5000"), Some((5000, 0)));
        assert_eq!(decimal_parts("1e3"), None);
        assert_eq!(decimal_parts(".5"), None);
        assert_eq!(decimal_parts(""), None);
    }
}
