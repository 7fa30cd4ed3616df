//! Schemas (named object types) and enums (named string enums).

use crate::decode::{Decoder, Item};
use crate::fields::{FieldRole, decode_fields, report_alias_clashes, report_collisions};
use crate::model::{DateTimeForm, DateTimeType, Enum, EnumValue, Offset, Schema};
use crate::naming;
use crate::report::YamlPath;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

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

/// The spec names of the date-time forms, for messages.
fn form_names() -> String {
    DateTimeForm::ALL
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One date-time form named by `node`.
fn decode_form(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<DateTimeForm> {
    let name = d.string(node, path)?;
    let found = DateTimeForm::ALL
        .iter()
        .find(|(spec_name, _)| *spec_name == name)
        .map(|(_, form)| *form);
    if found.is_none() {
        let names = DateTimeForm::ALL.iter().map(|(name, _)| *name);
        d.error(node.span, path, format!("unknown date-time form '{name}'"))
            .help(
                did_you_mean(&name, names)
                    .unwrap_or_else(|| format!("the forms are: {}", form_names())),
            );
    }
    found
}

/// `reads:`: a non-empty list of forms without repeats.
fn decode_reads(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<Vec<DateTimeForm>> {
    let Value::Seq(items) = &node.value else {
        d.wrong_type(
            node,
            path,
            &format!("a list of date-time forms ({})", form_names()),
        );
        return None;
    };
    if items.is_empty() {
        d.error(node.span, path, "`reads` lists no form")
            .help(format!("list at least one of: {}", form_names()));
        return None;
    }
    let mut forms = Vec::new();
    let mut ok = true;
    for (index, item) in items.iter().enumerate() {
        let item_path = path.index(index);
        match decode_form(d, item, &item_path) {
            Some(form) if forms.contains(&form) => {
                d.error(
                    item.span,
                    &item_path,
                    format!("date-time form '{}' is listed twice", form.spec_name()),
                );
                ok = false;
            }
            Some(form) => forms.push(form),
            None => ok = false,
        }
    }
    ok.then_some(forms)
}

/// `assumed_offset:` as `+HH:MM` or `-HH:MM`, at most 23:59 either way.
fn decode_offset(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<Offset> {
    let text = d.string(node, path)?;
    let parsed = parse_offset(&text);
    if parsed.is_none() {
        d.error(
            node.span,
            path,
            format!("assumed_offset '{text}' is not an offset like '+05:30'"),
        )
        .help("write `+HH:MM` or `-HH:MM`, hours 00-23, minutes 00-59, quoted");
    }
    parsed.map(|seconds| Offset { text, seconds })
}

/// Seconds east of UTC of `+HH:MM` / `-HH:MM`.
fn parse_offset(text: &str) -> Option<i32> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hours) || !digits(minutes) {
        return None;
    }
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Decodes `datetimes.<name>`. `None` when the type has a problem (reported).
pub(crate) fn decode_datetime(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
) -> Option<DateTimeType> {
    check_type_name(d, item, path, "date-time type");
    let keys = d.keys(
        item.value,
        path,
        item.key_span,
        &["doc", "doc_url", "reads", "writes", "assumed_offset"],
    )?;
    let doc = keys.required_string(d, "doc");
    let doc_url = keys.optional_string(d, "doc_url");
    let reads = keys
        .required(d, "reads")
        .and_then(|node| decode_reads(d, node, &keys.path_of("reads")));
    let writes = keys
        .required(d, "writes")
        .and_then(|node| decode_form(d, node, &keys.path_of("writes")));
    let assumed_offset = match keys.get("assumed_offset") {
        Some(node) => Some(decode_offset(d, node, &keys.path_of("assumed_offset"))?),
        None => None,
    };
    let (reads, writes) = (reads?, writes?);
    if !reads.contains(&writes) {
        d.error(
            keys.key_span("writes"),
            &keys.path_of("writes"),
            format!(
                "'{}' writes '{}', which it does not read",
                item.name,
                writes.spec_name()
            ),
        )
        .help("add the written form to `reads`, so that what the client writes reads back");
        return None;
    }
    let local = reads.iter().chain([&writes]).any(|form| form.is_local());
    if local && assumed_offset.is_none() {
        d.error(
            item.key_span,
            path,
            format!(
                "'{}' reads or writes a form without a zone but has no `assumed_offset`",
                item.name
            ),
        )
        .help("say which offset such values are taken to have, e.g. `assumed_offset: \"+05:30\"`, and in `doc` that it is an assumption");
        return None;
    }
    Some(DateTimeType {
        name: item.name.to_string(),
        doc: doc?,
        doc_url: doc_url.ok()?,
        reads,
        writes,
        assumed_offset,
    })
}
