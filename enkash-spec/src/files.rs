//! One spec file: its root mapping of sections, decoded into what the file declares.

use std::collections::BTreeMap;

use crate::companions::decode_companions;
use crate::decode::{Decoder, Item};
use crate::model::{
    Api, Area, Auth, Companion, DateTimeType, DuplicateIds, Enum, Envelope, Environment, Schema,
    UndocumentedOperation, Webhook,
};
use crate::operations::{OperationDraft, decode_operation, decode_undocumented, decode_webhook};
use crate::products::{ProductDecl, decode_areas, decode_duplicate_ids, decode_products};
use crate::report::YamlPath;
use crate::schemas::{decode_datetime, decode_enum, decode_schema};
use crate::sections::{decode_api, decode_auth, decode_envelopes, decode_environments};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

/// The top-level keys of a spec file.
pub(crate) const SECTIONS: [&str; 14] = [
    "api",
    "areas",
    "products",
    "duplicate_ids",
    "environments",
    "auth",
    "envelopes",
    "companions",
    "schemas",
    "enums",
    "datetimes",
    "operations",
    "webhooks",
    "undocumented_operations",
];

/// A section that appears once in the spec (`api`, ...) or at most once (`companions`), as found
/// in one file.
pub(crate) struct Section<T> {
    /// The file.
    pub file: usize,
    /// The section key's span.
    pub key_span: Option<Span>,
    /// The decoded section; `None` when it has problems (reported).
    pub value: Option<T>,
}

impl<T> Section<T> {
    fn new(file: usize, key_span: Option<Span>, value: Option<T>) -> Section<T> {
        Section {
            file,
            key_span,
            value,
        }
    }
}

/// A named definition (schema, enum, operation, ...) as found in one file.
pub(crate) struct Declared<T> {
    /// The name.
    pub name: String,
    /// The file.
    pub file: usize,
    /// The name key's span.
    pub key_span: Option<Span>,
    /// The decoded definition; `None` when it has problems (reported).
    pub value: Option<T>,
}

/// Everything one file declares.
#[derive(Default)]
pub(crate) struct FileDecls {
    pub api: Option<Section<Api>>,
    pub environments: Option<Section<Vec<Environment>>>,
    pub auth: Option<Section<Auth>>,
    pub envelopes: Option<Section<BTreeMap<String, Envelope>>>,
    pub companions: Option<Section<BTreeMap<String, Companion>>>,
    pub areas: Option<Section<Vec<Area>>>,
    pub products: Option<Section<Vec<ProductDecl>>>,
    pub duplicate_ids: Option<Section<DuplicateIds>>,
    pub schemas: Vec<Declared<Schema>>,
    pub enums: Vec<Declared<Enum>>,
    pub datetimes: Vec<Declared<DateTimeType>>,
    pub operations: Vec<Declared<OperationDraft>>,
    pub webhooks: Vec<Declared<Webhook>>,
    pub undocumented_operations: Vec<Declared<UndocumentedOperation>>,
}

/// Decodes the root of one file. An empty file declares nothing.
pub(crate) fn decode_file(d: &mut Decoder<'_>, root: &Node) -> FileDecls {
    let mut decls = FileDecls::default();
    let root_path = YamlPath::root();
    match &root.value {
        Value::Null => return decls,
        Value::Map(_) => {}
        other => {
            d.error(
                root.span,
                &root_path,
                format!(
                    "expected a mapping of sections at the root of the file, found {}",
                    other.kind()
                ),
            )
            .help(format!("the sections are: {}", SECTIONS.join(", ")));
            return decls;
        }
    }
    for item in d.items(root, &root_path, "section") {
        let path = root_path.key(item.name);
        let (file, key_span) = (d.file, item.key_span);
        match item.name {
            "api" => {
                decls.api = Some(Section::new(
                    file,
                    key_span,
                    decode_api(d, item.value, &path, item.key_span),
                ))
            }
            "environments" => {
                let value = decode_environments(d, item.value, &path, item.key_span);
                decls.environments = Some(Section::new(file, key_span, value));
            }
            "auth" => {
                decls.auth = Some(Section::new(
                    file,
                    key_span,
                    decode_auth(d, item.value, &path, item.key_span),
                ))
            }
            "envelopes" => {
                decls.envelopes = Some(Section::new(
                    file,
                    key_span,
                    decode_envelopes(d, item.value, &path),
                ))
            }
            "areas" => {
                let value = decode_areas(d, item.value, &path);
                decls.areas = Some(Section::new(file, key_span, value));
            }
            "products" => {
                let value = decode_products(d, item.value, &path);
                decls.products = Some(Section::new(file, key_span, value));
            }
            "duplicate_ids" => {
                let value = decode_duplicate_ids(d, item.value, &path, item.key_span);
                decls.duplicate_ids = Some(Section::new(file, key_span, value));
            }
            "companions" => {
                decls.companions = Some(Section::new(
                    file,
                    key_span,
                    decode_companions(d, item.value, &path),
                ))
            }
            "schemas" => decls.schemas = declare(d, &item, &path, "schema", decode_schema),
            "enums" => decls.enums = declare(d, &item, &path, "enum", decode_enum),
            "datetimes" => {
                decls.datetimes = declare(d, &item, &path, "date-time type", decode_datetime);
            }
            "operations" => {
                decls.operations = declare(d, &item, &path, "operation", decode_operation);
            }
            "webhooks" => decls.webhooks = declare(d, &item, &path, "webhook", decode_webhook),
            "undocumented_operations" => {
                decls.undocumented_operations = declare(
                    d,
                    &item,
                    &path,
                    "undocumented operation",
                    decode_undocumented,
                );
            }
            unknown => {
                let help = did_you_mean(unknown, SECTIONS)
                    .unwrap_or_else(|| format!("the sections are: {}", SECTIONS.join(", ")));
                d.error(item.key_span, &path, format!("unknown section '{unknown}'"))
                    .help(help);
            }
        }
    }
    decls
}

/// Decodes every entry of a mapping of named definitions.
fn declare<T>(
    d: &mut Decoder<'_>,
    section: &Item<'_>,
    path: &YamlPath,
    what: &str,
    decode: fn(&mut Decoder<'_>, &Item<'_>, &YamlPath) -> Option<T>,
) -> Vec<Declared<T>> {
    d.items(section.value, path, what)
        .into_iter()
        .map(|item| Declared {
            name: item.name.to_string(),
            file: d.file,
            key_span: item.key_span,
            value: decode(d, &item, &path.key(item.name)),
        })
        .collect()
}
