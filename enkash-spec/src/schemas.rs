//! Schemas (named object types) and enums (named string enums).

use crate::decode::{Decoder, Item};
use crate::fields::{FieldRole, decode_fields, report_alias_clashes, report_collisions};
use crate::model::{Enum, EnumValue, Schema};
use crate::naming;
use crate::report::YamlPath;
use crate::source::Span;
use crate::yaml::Value;

/// The Rust variant every generated enum adds for values EnKash introduces later.
const RESERVED_VARIANT: &str = "Unknown";

/// Reports a schema or enum name that is not PascalCase.
fn check_type_name(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath, what: &str) {
    if naming::is_pascal_identifier(item.name) {
        return;
    }
    let pascal = naming::pascal(item.name);
    let problem = d.error(
        item.key_span,
        path,
        format!("{what} name '{}' is not PascalCase", item.name),
    );
    if naming::is_pascal_identifier(&pascal) {
        problem.help(format!("did you mean '{pascal}'?"));
    }
}

/// Decodes `schemas.<name>`. `None` when the schema has a problem (reported).
pub(crate) fn decode_schema(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
) -> Option<Schema> {
    check_type_name(d, item, path, "schema");
    let keys = d.keys(
        item.value,
        path,
        item.key_span,
        &["doc", "doc_url", "fields"],
    )?;
    let doc = keys.required_string(d, "doc");
    let doc_url = keys.optional_string(d, "doc_url");
    let fields = keys
        .required(d, "fields")
        .map(|node| decode_fields(d, node, &keys.path_of("fields"), FieldRole::SchemaField));
    let (fields, complete) = fields?;
    report_collisions(d, &fields.iter().collect::<Vec<_>>());
    report_alias_clashes(d, &fields);
    let fields = complete.then(|| fields.into_iter().map(|placed| placed.field).collect());
    Some(Schema {
        name: item.name.to_string(),
        doc: doc?,
        doc_url: doc_url.ok()?,
        fields: fields?,
    })
}

/// Decodes `enums.<name>`. `None` when the enum has a problem (reported).
pub(crate) fn decode_enum(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<Enum> {
    check_type_name(d, item, path, "enum");
    let keys = d.keys(
        item.value,
        path,
        item.key_span,
        &["doc", "doc_url", "values"],
    )?;
    let doc = keys.required_string(d, "doc");
    let doc_url = keys.optional_string(d, "doc_url");
    let values_node = keys.required(d, "values")?;
    let values_path = keys.path_of("values");
    let items = d.items(values_node, &values_path, "enum value");
    let mut values: Vec<(EnumValue, Item<'_>)> = Vec::new();
    let mut complete = matches!(values_node.value, Value::Map(_));
    if complete && items.is_empty() {
        d.error(
            keys.key_span("values"),
            &values_path,
            format!("enum '{}' has no values", item.name),
        )
        .help("an enum needs at least one value");
        complete = false;
    }
    for value_item in items {
        let value_path = values_path.key(value_item.name);
        let Some(value) = decode_value(d, &value_item, &value_path) else {
            complete = false;
            continue;
        };
        let clash = values
            .iter()
            .find(|(earlier, _)| earlier.rust_name == value.rust_name);
        if let Some((earlier, _)) = clash {
            d.error(
                value_item.key_span,
                &value_path,
                format!(
                    "enum values '{}' and '{}' both become the variant `{}`",
                    earlier.wire, value.wire, value.rust_name
                ),
            )
            .help("set `rust_name` on one of them");
            complete = false;
            continue;
        }
        values.push((value, value_item));
    }
    Some(Enum {
        name: item.name.to_string(),
        doc: doc?,
        doc_url: doc_url.ok()?,
        values: complete.then(|| values.into_iter().map(|(value, _)| value).collect())?,
    })
}

/// Decodes one enum value: `WIRE: doc` or `WIRE: {doc, final, success, rust_name}`.
fn decode_value(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<EnumValue> {
    let (doc, is_final, is_success, rust_name) = match &item.value.value {
        Value::String(doc) => (Some(doc.clone()), Some(false), Some(false), None),
        Value::Map(_) => {
            let keys = d.keys(
                item.value,
                path,
                item.key_span,
                &["doc", "final", "success", "rust_name"],
            )?;
            let doc = keys.required_string(d, "doc");
            let is_final = keys.flag(d, "final", false);
            let is_success = keys.flag(d, "success", false);
            if is_success == Some(true) && is_final == Some(false) {
                d.error(
                    keys.key_span("success"),
                    &keys.path_of("success"),
                    format!("'{}' has `success: true` without `final: true`", item.name),
                )
                .help("a success value is final: add `final: true`");
            }
            let rust_name = keys
                .get("rust_name")
                .map(|node| (d.string(node, &keys.path_of("rust_name")), node.span));
            (doc, is_final, is_success, rust_name)
        }
        _ => {
            d.wrong_type(item.value, path, "a string (the value's doc) or a mapping");
            return None;
        }
    };
    let rust_name = match rust_name {
        Some((explicit, span)) => variant_override(d, span, path, explicit?)?,
        None => derived_variant(d, item, path)?,
    };
    Some(EnumValue {
        wire: item.name.to_string(),
        rust_name,
        doc: doc?,
        is_final: is_final?,
        is_success: is_success? && is_final?,
    })
}

/// A `rust_name` given for an enum value: PascalCase and not the reserved `Unknown`.
fn variant_override(
    d: &mut Decoder<'_>,
    span: Option<Span>,
    path: &YamlPath,
    name: String,
) -> Option<String> {
    let path = path.key("rust_name");
    if !naming::is_pascal_identifier(&name) {
        d.error(
            span,
            &path,
            format!("rust_name '{name}' is not a PascalCase Rust identifier"),
        );
        return None;
    }
    if name == RESERVED_VARIANT {
        d.error(span, &path, "the variant name `Unknown` is reserved")
            .help("every generated enum has an `Unknown` variant for values added later");
        return None;
    }
    Some(name)
}

/// The PascalCase of the wire value, checked.
fn derived_variant(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<String> {
    let variant = naming::pascal(item.name);
    if !naming::is_identifier(&variant) {
        d.error(
            item.key_span,
            path,
            format!(
                "enum value '{}' becomes `{variant}`, which is not a Rust identifier",
                item.name
            ),
        )
        .help("set `rust_name`");
        return None;
    }
    if variant == RESERVED_VARIANT {
        d.error(
            item.key_span,
            path,
            format!(
                "enum value '{}' becomes the reserved variant `Unknown`",
                item.name
            ),
        )
        .help(
            "set `rust_name`: every generated enum has an `Unknown` variant for values added later",
        );
        return None;
    }
    Some(variant)
}
