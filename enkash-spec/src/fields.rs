//! Fields (of schemas, and the path, query and header parameters of operations) and their
//! constraints.

use std::cmp::Ordering;

use crate::decode::{Decoder, Item, Keys};
use crate::model::{Constraints, Credential, Field, TypeRef};
use crate::naming;
use crate::report::YamlPath;
use crate::source::Span;
use crate::types::{TypeError, is_numeric, parse_type};
use crate::yaml::Value;

/// The keys a field may have.
const FIELD_KEYS: &[&str] = &[
    "type",
    "required",
    "nullable",
    "doc",
    "example",
    "pattern",
    "min_length",
    "max_length",
    "min",
    "max",
    "max_decimals",
    "sensitive",
    "rust_name",
    "credential",
    "aliases",
];

/// What a field is: decides `required`'s default and what its name is called in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldRole {
    /// A field of a schema.
    SchemaField,
    /// A path parameter: always required.
    PathParam,
    /// A query parameter.
    Query,
    /// A header parameter.
    Header,
}

impl FieldRole {
    fn noun(self) -> &'static str {
        match self {
            FieldRole::SchemaField => "field",
            FieldRole::PathParam => "path parameter",
            FieldRole::Query => "query parameter",
            FieldRole::Header => "header parameter",
        }
    }
}

/// Where an alias is written: its span and path.
pub(crate) type AliasSite = (Option<Span>, YamlPath);

/// A decoded field with where it was, for name-collision checks.
pub(crate) struct PlacedField {
    /// The field.
    pub field: Field,
    /// Its key's span.
    pub key_span: Option<Span>,
    /// Its path.
    pub path: YamlPath,
    /// Where each of its `aliases` is written, in the order of `field.aliases`.
    pub alias_sites: Vec<AliasSite>,
}

/// Decodes the fields of the mapping `node`. Returns the fields that decoded and whether all
/// did. Rust-name collisions are left to the caller, which knows which fields share a
/// namespace (a schema's fields; all parameters of an operation).
pub(crate) fn decode_fields(
    d: &mut Decoder<'_>,
    node: &crate::yaml::Node,
    path: &YamlPath,
    role: FieldRole,
) -> (Vec<PlacedField>, bool) {
    let mut fields = Vec::new();
    let mut complete = true;
    for item in d.items(node, path, role.noun()) {
        let field_path = path.key(item.name);
        match decode_field(d, &item, &field_path, role) {
            Some((field, alias_sites)) => fields.push(PlacedField {
                field,
                key_span: item.key_span,
                path: field_path,
                alias_sites,
            }),
            None => complete = false,
        }
    }
    (fields, complete)
}

/// Reports fields whose Rust names are equal (`orderId` and `order_id` both give `order_id`).
pub(crate) fn report_collisions(d: &mut Decoder<'_>, fields: &[&PlacedField]) {
    for (index, later) in fields.iter().enumerate() {
        let earlier = fields
            .iter()
            .take(index)
            .find(|earlier| earlier.field.rust_name == later.field.rust_name);
        if let Some(earlier) = earlier {
            d.error(
                later.key_span,
                &later.path,
                format!(
                    "'{}' and '{}' both become `{}` in Rust",
                    earlier.field.wire_name, later.field.wire_name, later.field.rust_name
                ),
            )
            .help("set `rust_name` on one of them");
        }
    }
}

/// Decodes one field, with the sites of its aliases; `None` when something about it is wrong
/// (and reported).
fn decode_field(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
    role: FieldRole,
) -> Option<(Field, Vec<AliasSite>)> {
    let keys = d.keys(item.value, path, item.key_span, FIELD_KEYS)?;
    let ty = keys
        .required(d, "type")
        .and_then(|node| field_type(d, node, &keys.path_of("type")));
    let doc = keys.required_string(d, "doc");
    let required = match role {
        FieldRole::PathParam => path_param_required(d, &keys),
        _ => keys.flag(d, "required", false),
    };
    let nullable = keys.flag(d, "nullable", false);
    let sensitive = keys.flag(d, "sensitive", false);
    let example = match keys.get("example") {
        Some(node) => d.scalar_text(node, &keys.path_of("example")).map(Some),
        None => Some(None),
    };
    let constraints = decode_constraints(d, &keys, ty.as_ref());
    let rust_name = rust_name(d, item, &keys, role);
    let credential = credential(d, &keys, role, ty.as_ref(), required);
    let aliases = decode_aliases(d, &keys, item.name, role);
    let (aliases, alias_sites) = aliases?.into_iter().unzip();
    Some((
        Field {
            wire_name: item.name.to_string(),
            rust_name: rust_name?,
            ty: ty?,
            required: required?,
            nullable: nullable?,
            doc: doc?,
            example: example?,
            constraints: constraints?,
            // A field carrying a credential is always sensitive.
            sensitive: sensitive? || credential.flatten().is_some(),
            credential: credential?,
            aliases,
        },
        alias_sites,
    ))
}

/// Reads `aliases`: a non-empty list of non-empty strings, none equal to the field's own name
/// or repeated, and only on schema fields. Each alias comes with its site.
fn decode_aliases(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    wire_name: &str,
    role: FieldRole,
) -> Option<Vec<(String, AliasSite)>> {
    let Some(node) = keys.get("aliases") else {
        return Some(Vec::new());
    };
    let path = keys.path_of("aliases");
    if role != FieldRole::SchemaField {
        d.error(
            keys.key_span("aliases"),
            &path,
            format!(
                "`aliases` applies only to schema fields, not to a {}",
                role.noun()
            ),
        )
        .help("remove `aliases`");
        return None;
    }
    let Value::Seq(items) = &node.value else {
        d.wrong_type(node, &path, "a list of strings");
        return None;
    };
    if items.is_empty() {
        d.error(keys.key_span("aliases"), &path, "`aliases` is empty")
            .help("remove `aliases`, or list the other JSON names the field is read from");
        return None;
    }
    let mut aliases: Vec<(String, AliasSite)> = Vec::new();
    let mut ok = true;
    for (index, alias_node) in items.iter().enumerate() {
        let alias_path = path.index(index);
        let Some(alias) = d.string(alias_node, &alias_path) else {
            ok = false;
            continue;
        };
        let problem = if alias.is_empty() {
            Some("an alias is empty".to_owned())
        } else if alias == wire_name {
            Some(format!("alias '{alias}' is the field's own name"))
        } else if aliases.iter().any(|(earlier, _)| *earlier == alias) {
            Some(format!("alias '{alias}' is listed twice"))
        } else {
            None
        };
        if let Some(message) = problem {
            d.error(alias_node.span, &alias_path, message);
            ok = false;
            continue;
        }
        aliases.push((alias, (alias_node.span, alias_path)));
    }
    ok.then_some(aliases)
}

/// Reports aliases equal to the wire name or an alias of another field of the same schema: the
/// JSON member would be read into two fields.
pub(crate) fn report_alias_clashes(d: &mut Decoder<'_>, fields: &[PlacedField]) {
    for (index, placed) in fields.iter().enumerate() {
        for (alias, (span, path)) in placed.field.aliases.iter().zip(&placed.alias_sites) {
            let clash = fields.iter().enumerate().find_map(|(other_index, other)| {
                if other_index == index {
                    return None;
                }
                if other.field.wire_name == *alias {
                    Some(format!(
                        "alias '{alias}' is the name of the field '{alias}'"
                    ))
                } else if other_index < index && other.field.aliases.contains(alias) {
                    Some(format!(
                        "alias '{alias}' is also an alias of the field '{}'",
                        other.field.wire_name
                    ))
                } else {
                    None
                }
            });
            if let Some(message) = clash {
                d.error(*span, path, message)
                    .help("a JSON name can be read into one field only");
            }
        }
    }
}

/// `credential: access_key`: a request field the client fills with its merchant access key. Only
/// on a required `string` field of a schema.
fn credential(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    role: FieldRole,
    ty: Option<&TypeRef>,
    required: Option<bool>,
) -> Option<Option<Credential>> {
    let Some(node) = keys.get("credential") else {
        return Some(None);
    };
    let path = keys.path_of("credential");
    let span = keys.key_span("credential");
    let name = d.string(node, &path)?;
    let credential = match name.as_str() {
        "access_key" => Credential::AccessKey,
        other => {
            d.error(node.span, &path, format!("unknown credential '{other}'"))
                .help("a body field can carry `access_key` (the merchant access key)");
            return None;
        }
    };
    if role != FieldRole::SchemaField {
        d.error(
            span,
            &path,
            format!("a {} cannot carry a credential", role.noun()),
        )
        .help("credentials in headers are declared by an auth scheme (`auth.schemes`)");
        return None;
    }
    if ty.is_some_and(|ty| *ty != TypeRef::String) || required == Some(false) {
        d.error(
            span,
            &path,
            "a credential field must be a required `string`",
        )
        .help("add `type: string` and `required: true`");
        return None;
    }
    Some(Some(credential))
}

/// Reads a `type:` value.
pub(crate) fn field_type(
    d: &mut Decoder<'_>,
    node: &crate::yaml::Node,
    path: &YamlPath,
) -> Option<TypeRef> {
    let text = d.string(node, path)?;
    match parse_type(&text, d.names) {
        Ok(ty) => Some(ty),
        Err(TypeError::Malformed(reason)) => {
            d.error(
                node.span,
                path,
                format!("malformed type '{text}': {reason}"),
            )
            .help("a type is a name (`string`, `Order`) or `list<T>` / `map<T>`");
            None
        }
        Err(TypeError::Unknown { name, help }) => {
            d.error(node.span, path, format!("unknown type '{name}'"))
                .maybe_help(help);
            None
        }
    }
}

/// Path parameters are always required; `required: false` contradicts that.
fn path_param_required(d: &mut Decoder<'_>, keys: &Keys<'_>) -> Option<bool> {
    let required = keys.flag(d, "required", true)?;
    if !required {
        d.error(
            keys.key_span("required"),
            &keys.path_of("required"),
            "path parameters are always required",
        )
        .help("remove `required: false`");
    }
    Some(true)
}

/// The Rust name: `rust_name`, or the snake_case of the wire name, which must then be a usable
/// identifier.
fn rust_name(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    keys: &Keys<'_>,
    role: FieldRole,
) -> Option<String> {
    if let Some(node) = keys.get("rust_name") {
        let path = keys.path_of("rust_name");
        let name = d.string(node, &path)?;
        if !naming::is_snake_identifier(&name) {
            d.error(
                node.span,
                &path,
                format!("rust_name '{name}' is not a snake_case Rust identifier"),
            );
            return None;
        }
        return Some(name);
    }
    let snake = naming::snake(item.name);
    let noun = role.noun();
    if naming::is_keyword(&snake) {
        d.error(
            item.key_span,
            &keys.path,
            format!("{noun} '{}' becomes the Rust keyword `{snake}`", item.name),
        )
        .help(format!("set `rust_name` (for example `{snake}_`)"));
        return None;
    }
    if !naming::is_identifier(&snake) {
        d.error(
            item.key_span,
            &keys.path,
            format!(
                "{noun} '{}' becomes `{snake}`, which is not a Rust identifier",
                item.name
            ),
        )
        .help("set `rust_name`");
        return None;
    }
    Some(snake)
}

/// Reads and checks `pattern`, `min_length`, `max_length`, `min`, `max` and `max_decimals`.
fn decode_constraints(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    ty: Option<&TypeRef>,
) -> Option<Constraints> {
    let mut ok = true;
    let pattern = match keys.optional_string(d, "pattern") {
        Ok(Some(pattern)) if pattern.is_empty() => {
            let node_span = keys.get("pattern").and_then(|node| node.span);
            d.error(node_span, &keys.path_of("pattern"), "the pattern is empty")
                .help("remove `pattern`, or give the regular expression");
            ok = false;
            None
        }
        Ok(pattern) => pattern,
        Err(()) => {
            ok = false;
            None
        }
    };
    let mut length = |key| match keys.get(key) {
        None => None,
        Some(node) => {
            let value = d.unsigned(node, &keys.path_of(key));
            ok &= value.is_some();
            value
        }
    };
    let min_length = length("min_length");
    let max_length = length("max_length");
    let max_decimals = length("max_decimals").and_then(|value| {
        let value = u32::try_from(value).ok();
        ok &= value.is_some();
        value
    });
    let min = decimal_bound(d, keys, "min", &mut ok);
    let max = decimal_bound(d, keys, "max", &mut ok);
    if let (Some(low), Some(high)) = (min_length, max_length)
        && low > high
    {
        report_order(d, keys, "min_length", "max_length", &mut ok);
    }
    if let (Some(low), Some(high)) = (&min, &max)
        && compare_decimals(low, high) == Ordering::Greater
    {
        report_order(d, keys, "min", "max", &mut ok);
    }
    if let Some(ty) = ty {
        let is_string = *ty == TypeRef::String;
        for key in ["pattern", "min_length", "max_length"] {
            if keys.has(key) && !is_string {
                report_misplaced(d, keys, key, "`string`", ty, &mut ok);
            }
        }
        for key in ["min", "max", "max_decimals"] {
            if keys.has(key) && !is_numeric(ty) {
                report_misplaced(
                    d,
                    keys,
                    key,
                    "numeric (`i32`, `i64`, `decimal`, `decimal_string`)",
                    ty,
                    &mut ok,
                );
            }
        }
    }
    ok.then_some(Constraints {
        pattern,
        min_length,
        max_length,
        min,
        max,
        max_decimals,
    })
}

fn report_order(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    low: &'static str,
    high: &'static str,
    ok: &mut bool,
) {
    d.error(
        keys.key_span(high),
        &keys.path_of(high),
        format!("`{low}` is greater than `{high}`"),
    );
    *ok = false;
}

fn report_misplaced(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    key: &'static str,
    allowed: &str,
    ty: &TypeRef,
    ok: &mut bool,
) {
    d.error(
        keys.key_span(key),
        &keys.path_of(key),
        format!(
            "`{key}` applies only to {allowed} fields, and this one is `{}`",
            ty
        ),
    );
    *ok = false;
}

/// An inclusive bound written as a decimal literal (`"0.01"`, or unquoted `0.01`).
fn decimal_bound(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    key: &'static str,
    ok: &mut bool,
) -> Option<String> {
    let node = keys.get(key)?;
    let path = keys.path_of(key);
    let text = d.scalar_text(node, &path)?;
    if is_decimal_literal(&text) {
        return Some(text);
    }
    d.error(
        node.span,
        &path,
        format!("`{key}` must be a decimal number, found '{text}'"),
    )
    .help("write it like \"0.01\" or \"1000000\"");
    *ok = false;
    None
}

/// `-?digits(.digits)?`
pub(crate) fn is_decimal_literal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// Compares two decimal literals exactly (no floats).
pub(crate) fn compare_decimals(a: &str, b: &str) -> Ordering {
    let (a_negative, a_whole, a_fraction) = decimal_parts(a);
    let (b_negative, b_whole, b_fraction) = decimal_parts(b);
    let magnitude = a_whole
        .len()
        .cmp(&b_whole.len())
        .then_with(|| a_whole.cmp(b_whole))
        .then_with(|| a_fraction.cmp(b_fraction));
    match (a_negative, b_negative) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// Sign, whole digits without leading zeros, fraction digits without trailing zeros. Zero is
/// never negative.
fn decimal_parts(text: &str) -> (bool, &str, &str) {
    let negative = text.starts_with('-');
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let is_zero = whole.is_empty() && fraction.is_empty();
    (negative && !is_zero, whole, fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_decimal_literals() {
        for good in ["0", "0.01", "-5", "1000000000", "007.50"] {
            assert!(is_decimal_literal(good), "{good}");
        }
        for bad in ["", ".5", "5.", "1e3", "+1", "-", "1,000", "abc"] {
            assert!(!is_decimal_literal(bad), "{bad}");
        }
    }

    #[test]
    fn compares_decimals_exactly() {
        assert_eq!(compare_decimals("0.01", "1"), Ordering::Less);
        assert_eq!(compare_decimals("10", "9.99"), Ordering::Greater);
        assert_eq!(compare_decimals("1.50", "1.5"), Ordering::Equal);
        assert_eq!(compare_decimals("-0", "0.00"), Ordering::Equal);
        assert_eq!(compare_decimals("-2", "-10"), Ordering::Greater);
        assert_eq!(compare_decimals("-1", "0.5"), Ordering::Less);
    }
}
