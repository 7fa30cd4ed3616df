//! Spec types, fields, schemas, enums and envelopes as OpenAPI 3.0 schema objects.

use enkash_spec::{
    DateFormat, DateTimeType, DecimalWire, Enum, Envelope, EnvelopeWrapper, Field, Operation,
    Schema, TypeRef, naming,
};

use crate::json::{Json, Object};

/// `#/components/schemas/NAME`.
pub(super) fn schema_ref(name: &str) -> Json {
    Object::new()
        .with("$ref", format!("#/components/schemas/{name}"))
        .into()
}

/// The schema of a type, with a `description` when the type needs a note (exact decimals, date
/// forms, free-form JSON, undocumented shapes).
pub(super) fn type_schema(ty: &TypeRef) -> Object {
    let mut schema = Object::new();
    let note = match ty {
        TypeRef::String => {
            schema.insert("type", "string");
            None
        }
        TypeRef::Bool => {
            schema.insert("type", "boolean");
            None
        }
        TypeRef::I32 | TypeRef::I64 => {
            let format = if *ty == TypeRef::I32 {
                "int32"
            } else {
                "int64"
            };
            schema.insert("type", "integer").insert("format", format);
            None
        }
        TypeRef::Decimal(DecimalWire::Number) => {
            schema.insert("type", "number").insert("format", "decimal");
            Some(
                "Exact decimal written as a JSON number: read it as a decimal, never as a binary \
                 float. A numeric string is also accepted.",
            )
        }
        TypeRef::Decimal(DecimalWire::String) => {
            schema.insert("type", "string").insert("format", "decimal");
            Some("Exact decimal written as a JSON string. A JSON number is also accepted.")
        }
        TypeRef::DateTime(format) => return date_schema(*format),
        TypeRef::Json => {
            schema.insert("description", "Any JSON value (free-form by design).");
            return schema;
        }
        TypeRef::Undocumented => {
            schema
                .insert(
                    "description",
                    "Undocumented: the EnKash docs do not show this shape, so any JSON value is \
                     accepted (see enkash-spec/GAPS.md).",
                )
                .insert("x-undocumented", true);
            return schema;
        }
        TypeRef::List(inner) => {
            schema
                .insert("type", "array")
                .insert("items", type_schema(inner));
            None
        }
        TypeRef::Map(inner) => {
            schema
                .insert("type", "object")
                .insert("additionalProperties", type_schema(inner));
            None
        }
        TypeRef::Schema(name) | TypeRef::Enum(name) | TypeRef::DateTimeType(name) => {
            return match schema_ref(name) {
                Json::Object(object) => object,
                _ => Object::new(),
            };
        }
    };
    if let Some(note) = note {
        schema.insert("description", note);
    }
    schema
}

fn date_schema(format: DateFormat) -> Object {
    let (ty, fmt, pattern, note) = match format {
        DateFormat::Iso8601 => (
            "string",
            Some("date-time"),
            None,
            "ISO-8601 / RFC 3339 date-time with offset, e.g. `2019-08-24T14:15:22Z`.",
        ),
        DateFormat::LocalDateTime => (
            "string",
            None,
            Some(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"),
            "Local date-time `yyyy-MM-dd HH:mm:ss` without a zone, e.g. `2026-04-22 13:50:03`.",
        ),
        DateFormat::Date => ("string", Some("date"), None, "Date `yyyy-MM-dd`."),
        DateFormat::EpochMillis => (
            "integer",
            Some("int64"),
            None,
            "Milliseconds since 1970-01-01T00:00:00Z.",
        ),
        DateFormat::EpochSeconds => (
            "integer",
            Some("int64"),
            None,
            "Seconds since 1970-01-01T00:00:00Z.",
        ),
        DateFormat::CardExpiry => (
            "string",
            None,
            Some(r"^(0[1-9]|1[0-2])/\d{2}$"),
            "Card expiry `MM/YY`.",
        ),
    };
    Object::new()
        .with("type", ty)
        .with_some("format", fmt)
        .with_some("pattern", pattern)
        .with("description", note)
}

/// `schema` documented by `doc` (before any note the type carries). A `$ref` cannot carry
/// siblings in OpenAPI 3.0, so a documented or nullable reference becomes `allOf: [$ref]`.
pub(super) fn documented(schema: Object, doc: &str, nullable: bool) -> Object {
    let doc = doc.trim();
    if schema.get("$ref").is_some() {
        if doc.is_empty() && !nullable {
            return schema;
        }
        let mut wrapper = Object::new().with("allOf", Json::Array(vec![schema.into()]));
        if !doc.is_empty() {
            wrapper.insert("description", doc);
        }
        if nullable {
            wrapper.insert("nullable", true);
        }
        return wrapper;
    }
    let mut schema = schema;
    let description = match (doc.is_empty(), schema.remove("description")) {
        (true, note) => note,
        (false, Some(Json::String(note))) => Some(Json::String(format!("{doc}\n\n{note}"))),
        (false, _) => Some(Json::String(doc.to_owned())),
    };
    if let Some(description) = description {
        schema.insert("description", description);
    }
    if nullable {
        schema.insert("nullable", true);
    }
    schema
}

/// The JSON type a schema object declares, if any.
fn json_type(schema: &Object) -> Option<&str> {
    match schema.get("type") {
        Some(Json::String(ty)) => Some(ty),
        _ => None,
    }
}

/// The schema of a field or parameter value: type, constraints, example and sensitivity, without
/// its doc (parameters carry the doc beside the schema, properties inside it).
pub(super) fn value_schema(field: &Field) -> Object {
    let mut schema = type_schema(&field.ty);
    let c = &field.constraints;
    let numeric = matches!(json_type(&schema), Some("number" | "integer"));
    if let Some(pattern) = &c.pattern {
        schema.insert("pattern", pattern.as_str());
    }
    if let Some(min) = c.min_length {
        schema.insert("minLength", min);
    }
    if let Some(max) = c.max_length {
        schema.insert("maxLength", max);
    }
    for (key, bound) in [("minimum", &c.min), ("maximum", &c.max)] {
        let Some(bound) = bound else { continue };
        match Json::number(bound).filter(|_| numeric) {
            Some(number) => schema.insert(key, number),
            // A bound on a decimal string (or a literal JSON cannot spell) stays exact, as text.
            None => schema.insert(format!("x-{key}"), bound.as_str()),
        };
    }
    if let Some(decimals) = c.max_decimals {
        schema.insert("x-max-decimals", u64::from(decimals));
    }
    if field.sensitive {
        schema.insert("x-sensitive", true);
    }
    if !field.aliases.is_empty() {
        let aliases: Vec<Json> = field
            .aliases
            .iter()
            .map(|alias| Json::from(alias.as_str()))
            .collect();
        schema.insert("x-aliases", aliases);
    }
    if let Some(example) = field.example.as_ref().filter(|_| !field.sensitive) {
        let value = match Json::number(example).filter(|_| numeric) {
            Some(number) => number,
            None if example == "true" || example == "false" => {
                if matches!(json_type(&schema), Some("boolean")) {
                    Json::Bool(example == "true")
                } else {
                    Json::from(example.as_str())
                }
            }
            None => Json::from(example.as_str()),
        };
        schema.insert("example", value);
    }
    schema
}

/// A property of an object schema: the field's value schema with its doc and nullability.
pub(super) fn property(field: &Field) -> Object {
    documented(value_schema(field), &field.doc, field.nullable)
}

/// `description` from a doc and an optional doc page.
pub(super) fn doc_with_url(doc: &str, url: Option<&str>) -> String {
    let doc = doc.trim();
    match url {
        Some(url) if doc.is_empty() => format!("See {url}."),
        Some(url) => format!("{doc}\n\nSee {url}."),
        None => doc.to_owned(),
    }
}

/// A spec schema as an object schema, properties in spec order.
pub(super) fn object_schema(schema: &Schema) -> Object {
    let required: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire_name.as_str())
        .collect();
    let mut properties = Object::new();
    for field in &schema.fields {
        properties.insert(field.wire_name.clone(), property(field));
    }
    let mut object = Object::new().with("type", "object").with(
        "description",
        doc_with_url(&schema.doc, schema.doc_url.as_deref()),
    );
    if !required.is_empty() {
        object.insert("required", required);
    }
    object.with("properties", properties)
}

/// A spec enum as a string enum, with the values' docs and lifecycle flags as extensions.
/// A date-time type: a string in one of several forms. OpenAPI has one `date-time` format (RFC
/// 3339), so the forms go in a `pattern` alternation, the description and `x-datetime-forms`.
pub(super) fn datetime_schema(datetime: &DateTimeType) -> Object {
    let mut doc = doc_with_url(&datetime.doc, datetime.doc_url.as_deref());
    doc.push_str("\n\nForms read:");
    for form in &datetime.reads {
        doc.push_str(&format!(
            "\n- `{}` (`{}`)",
            form.spec_name(),
            form.example()
        ));
    }
    doc.push_str(&format!(
        "\n\nWritten as `{}` (`{}`).",
        datetime.writes.spec_name(),
        datetime.writes.example()
    ));
    if let Some(offset) = &datetime.assumed_offset {
        doc.push_str(&format!(
            " A value without a zone is taken to be at {} (an assumption).",
            offset.text
        ));
    }
    let pattern = datetime
        .reads
        .iter()
        .map(|form| match form {
            enkash_spec::DateTimeForm::Rfc3339 => {
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"
            }
            enkash_spec::DateTimeForm::IsoLocal => r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?",
            enkash_spec::DateTimeForm::SpaceLocal => r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?",
        })
        .collect::<Vec<_>>()
        .join("|");
    let forms: Vec<&str> = datetime.reads.iter().map(|form| form.spec_name()).collect();
    Object::new()
        .with("type", "string")
        .with("description", doc)
        .with("pattern", format!("^({pattern})$"))
        .with("x-datetime-forms", forms)
        .with("x-datetime-writes", datetime.writes.spec_name())
}

/// An enum: a string with its values listed.
pub(super) fn enum_schema(spec_enum: &Enum) -> Object {
    let mut doc = doc_with_url(&spec_enum.doc, spec_enum.doc_url.as_deref());
    doc.push_str("\n\nValues:");
    for value in &spec_enum.values {
        let flags = match (value.is_final, value.is_success) {
            (true, true) => " (final, success)",
            (true, false) => " (final)",
            _ => "",
        };
        doc.push_str(&format!(
            "\n- `{}`{flags}: {}",
            value.wire,
            value.doc.trim()
        ));
    }
    doc.push_str(
        "\n\nEnKash may add values: accept unknown ones (the Rust client keeps them in `Unknown`).",
    );
    let pick = |keep: fn(&enkash_spec::EnumValue) -> bool| -> Vec<&str> {
        spec_enum
            .values
            .iter()
            .filter(|v| keep(v))
            .map(|v| v.wire.as_str())
            .collect()
    };
    Object::new()
        .with("type", "string")
        .with("description", doc)
        .with("enum", pick(|_| true))
        .with(
            "x-enum-varnames",
            spec_enum
                .values
                .iter()
                .map(|v| v.rust_name.as_str())
                .collect::<Vec<_>>(),
        )
        .with(
            "x-enum-descriptions",
            spec_enum
                .values
                .iter()
                .map(|v| v.doc.trim())
                .collect::<Vec<_>>(),
        )
        .with("x-final-values", pick(|v| v.is_final))
        .with("x-success-values", pick(|v| v.is_success))
}

/// Component name of the wrapper schema an operation's response uses in a wrapped envelope:
/// `StandardEnvelope_OrderGetResponse`, `StandardEnvelope` when there is no payload, and
/// `StandardEnvelope_<OperationId>Payload` when the payload is not a named type.
pub(super) fn envelope_schema_name(envelope: &Envelope, op: &Operation) -> String {
    let base = format!("{}Envelope", naming::pascal(&envelope.name));
    match &op.response {
        None => base,
        Some(TypeRef::Schema(name) | TypeRef::Enum(name)) => format!("{base}_{name}"),
        Some(_) => format!("{base}_{}Payload", naming::pascal(&op.id)),
    }
}

/// The wrapper object of a wrapped envelope around `payload` (none: the payload is not used).
pub(super) fn envelope_schema(envelope: &Envelope, payload: Option<&TypeRef>) -> Object {
    let Some(EnvelopeWrapper {
        code_field,
        message_field,
        payload_field,
        success_codes,
    }) = envelope.kind.wrapper()
    else {
        return Object::new();
    };
    let codes: Vec<String> = success_codes.iter().map(i64::to_string).collect();
    let code_doc = format!(
        "Result code: {} means success; any other code is a failure described by `{message_field}`.",
        codes.join(" or ")
    );
    let payload_schema = match payload {
        Some(ty) => documented(
            type_schema(ty),
            "The payload; present when the call succeeded.",
            false,
        ),
        None => Object::new().with(
            "description",
            "The spec describes no payload for this operation.",
        ),
    };
    let properties = Object::new()
        .with(
            code_field,
            Object::new()
                .with("type", "integer")
                .with("format", "int64")
                .with("description", code_doc),
        )
        .with(
            message_field,
            Object::new()
                .with("type", "string")
                .with("description", "Human-readable result message."),
        )
        .with(payload_field, payload_schema);
    Object::new()
        .with("type", "object")
        .with(
            "description",
            format!("The `{}` envelope: {}", envelope.name, envelope.doc.trim()),
        )
        .with("required", vec![code_field, message_field])
        .with("properties", properties)
        .with("x-envelope", envelope.name.as_str())
        .with(
            "x-success-codes",
            success_codes
                .iter()
                .map(|c| Json::from(*c))
                .collect::<Vec<_>>(),
        )
}

/// `x-envelopes`: every envelope of the spec, used or not, as the spec declares it.
pub(super) fn envelope_extension(envelope: &Envelope) -> Object {
    let mut object = Object::new()
        .with("description", envelope.doc.trim())
        .with("kind", envelope.kind.name());
    for (key, name) in envelope.kind.fields() {
        // `code_field` -> `codeField`, as the other extension keys are written.
        let key = naming::pascal(key);
        let key = format!("{}{}", key[..1].to_ascii_lowercase(), &key[1..]);
        object.insert(key.as_str(), name);
    }
    let codes = envelope.kind.success_codes();
    if !codes.is_empty() {
        object.insert(
            "successCodes",
            codes.iter().map(|c| Json::from(*c)).collect::<Vec<_>>(),
        );
    }
    if let Some(fields) = &envelope.error_fields {
        object.insert(
            "errorFields",
            Object::new()
                .with("codeField", fields.code_field.as_str())
                .with("messageField", fields.message_field.as_str()),
        );
    }
    if let Some(cipher) = &envelope.cipher {
        object.insert("x-body-cipher", body_cipher(cipher));
    }
    object
}

/// The `x-body-cipher` extension: what OpenAPI cannot say about encrypted bodies. The schemas of
/// the document describe the decrypted JSON.
pub(super) fn body_cipher(cipher: &enkash_spec::BodyCipher) -> Object {
    Object::new()
        .with("algorithm", cipher.algorithm.as_str())
        .with(
            "description",
            "Request and response bodies travel as `{\"<field>\": \"<Base64>\"}`: the JSON text \
             encrypted with AES-128-ECB and PKCS#7 padding under the first 16 bytes of SHA-256 of \
             the key credential's UTF-8 bytes, standard Base64. The schemas here describe the \
             decrypted JSON. ECB is the API's requirement.",
        )
        .with("field", cipher.field.as_str())
        .with("keyCredential", cipher.key.as_str())
}
