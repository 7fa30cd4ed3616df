//! Merging the files: sections that must appear once, and names that must be unique across
//! files. The first definition (in file-name order) is kept; later ones are reported.

use std::collections::BTreeMap;

use crate::files::{Declared, FileDecls, Section};
use crate::model::{
    Api, Area, Auth, Companion, DateTimeType, DuplicateIds, Enum, Envelope, Environment, Operation,
    OperationAuth, Schema, Spec, UndocumentedOperation, Webhook,
};
use crate::products::ProductDecl;
use crate::report::{Report, Target, YamlPath};

/// The merged spec, with `None` or missing entries where a part has problems.
#[derive(Default)]
pub(crate) struct Merged {
    pub api: Option<Api>,
    pub environments: Option<Vec<Environment>>,
    pub auth: Option<Auth>,
    pub envelopes: Option<BTreeMap<String, Envelope>>,
    /// `None` while the section has problems; empty when the spec has no `companions`.
    pub companions: Option<BTreeMap<String, Companion>>,
    /// `None` while the section has problems; `Some(None)` when the spec declares no areas.
    pub areas: Option<Option<Vec<Area>>>,
    /// `None` while the section has problems; empty when the spec has no `products`.
    pub products: Option<Vec<ProductDecl>>,
    /// `None` while the section has problems; `Some(None)` when absent.
    pub duplicate_ids: Option<Option<DuplicateIds>>,
    pub schemas: BTreeMap<String, Schema>,
    pub enums: BTreeMap<String, Enum>,
    pub datetimes: BTreeMap<String, DateTimeType>,
    pub operations: BTreeMap<String, Operation>,
    pub webhooks: BTreeMap<String, Webhook>,
    pub undocumented_operations: BTreeMap<String, UndocumentedOperation>,
}

impl Merged {
    /// The model, when every part decoded.
    pub(crate) fn into_spec(self) -> Option<(Spec, Vec<ProductDecl>)> {
        let areas = match self.areas? {
            Some(areas) => areas,
            None => implied_areas(&self.operations, &self.undocumented_operations),
        };
        let products = self.products?;
        let spec = Spec {
            api: self.api?,
            environments: self.environments?,
            auth: self.auth?,
            envelopes: self.envelopes?,
            schemas: self.schemas,
            enums: self.enums,
            datetimes: self.datetimes,
            operations: self.operations,
            webhooks: self.webhooks,
            undocumented_operations: self.undocumented_operations,
            companions: self.companions?,
            areas,
            duplicate_ids: self.duplicate_ids?,
            products: BTreeMap::new(),
        };
        Some((spec, products))
    }
}

/// The areas of a spec that declares none: those its operations name, in name order, titled
/// after their names (`upi_qr` → `Upi qr`).
fn implied_areas(
    operations: &BTreeMap<String, Operation>,
    undocumented: &BTreeMap<String, UndocumentedOperation>,
) -> Vec<Area> {
    let names: std::collections::BTreeSet<&str> = operations
        .values()
        .map(|op| op.area.as_str())
        .chain(undocumented.values().map(|op| op.area.as_str()))
        .collect();
    names
        .into_iter()
        .map(|name| {
            let words = name.replace('_', " ");
            let mut chars = words.chars();
            let title = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            Area {
                name: name.to_string(),
                title,
            }
        })
        .collect()
}

/// Merges the files' declarations, reporting repeated sections and names.
pub(crate) fn merge(report: &mut Report, files: Vec<FileDecls>, file_names: &[String]) -> Merged {
    let mut api = Vec::new();
    let mut environments = Vec::new();
    let mut auth = Vec::new();
    let mut envelopes = Vec::new();
    let mut companions = Vec::new();
    let mut areas = Vec::new();
    let mut products = Vec::new();
    let mut duplicate_ids = Vec::new();
    let mut schemas = Vec::new();
    let mut enums = Vec::new();
    let mut datetimes = Vec::new();
    let mut operations = Vec::new();
    let mut webhooks = Vec::new();
    let mut undocumented = Vec::new();
    for file in files {
        api.extend(file.api);
        environments.extend(file.environments);
        auth.extend(file.auth);
        envelopes.extend(file.envelopes);
        companions.extend(file.companions);
        areas.extend(file.areas);
        products.extend(file.products);
        duplicate_ids.extend(file.duplicate_ids);
        schemas.extend(file.schemas);
        enums.extend(file.enums);
        datetimes.extend(file.datetimes);
        operations.extend(file.operations);
        webhooks.extend(file.webhooks);
        undocumented.extend(file.undocumented_operations);
    }
    let names = Names(file_names);
    let mut merged = Merged {
        api: names.once(report, "api", api),
        environments: names.once(report, "environments", environments),
        auth: names.once(report, "auth", auth),
        envelopes: names.once(report, "envelopes", envelopes),
        companions: names.at_most_once(report, "companions", companions),
        areas: names.optional(report, "areas", areas),
        products: names
            .optional(report, "products", products)
            .map(Option::unwrap_or_default),
        duplicate_ids: names.optional(report, "duplicate_ids", duplicate_ids),
        ..Merged::default()
    };
    let schemas = names.unique(report, "schemas", "schema", schemas);
    let enums = names.unique(report, "enums", "enum", enums);
    for (name, declared) in &enums {
        if let Some(schema) = schemas.get(name) {
            report
                .error(
                    declared.file,
                    declared.key_span,
                    &YamlPath::root().key("enums").key(name),
                    format!("'{name}' is both a schema and an enum"),
                )
                .help(format!(
                    "the schema is at {}; rename one of them",
                    names.at(schema)
                ));
        }
    }
    let datetimes = names.unique(report, "datetimes", "date-time type", datetimes);
    for (name, declared) in &datetimes {
        let other = schemas
            .get(name)
            .map(|schema| ("a schema", names.at(schema)))
            .or_else(|| enums.get(name).map(|e| ("an enum", names.at(e))));
        if let Some((kind, at)) = other {
            report
                .error(
                    declared.file,
                    declared.key_span,
                    &YamlPath::root().key("datetimes").key(name),
                    format!("'{name}' is both {kind} and a date-time type"),
                )
                .help(format!(
                    "the other definition is at {at}; rename one of them"
                ));
        }
    }
    let operations = names.unique(report, "operations", "operation", operations);
    let undocumented = names.unique(
        report,
        "undocumented_operations",
        "undocumented operation",
        undocumented,
    );
    for (id, declared) in &undocumented {
        if let Some(operation) = operations.get(id) {
            report
                .error(
                    declared.file,
                    declared.key_span,
                    &YamlPath::root().key("undocumented_operations").key(id),
                    format!("'{id}' is both an operation and an undocumented operation"),
                )
                .help(format!(
                    "the operation is at {}; once its path is documented, remove this entry",
                    names.at(operation)
                ));
        }
    }
    let webhooks = names.unique(report, "webhooks", "webhook", webhooks);
    merged.schemas = values(schemas);
    merged.enums = values(enums);
    merged.datetimes = values(datetimes);
    merged.webhooks = values(webhooks);
    merged.undocumented_operations = values(undocumented);
    let default_scheme = merged.auth.as_ref().map(|auth| auth.default_scheme.clone());
    merged.operations = operations
        .into_iter()
        .filter_map(|(id, declared)| {
            let draft = declared.value?;
            let mut operation = draft.operation;
            if !draft.explicit_auth {
                // Without a decoded `auth` section the spec fails anyway; `None` is a placeholder.
                operation.auth = default_scheme
                    .clone()
                    .map_or(OperationAuth::None, OperationAuth::Scheme);
            }
            Some((id, operation))
        })
        .collect();
    merged
}

/// The definitions that decoded, by name.
fn values<T>(declared: BTreeMap<String, Declared<T>>) -> BTreeMap<String, T> {
    declared
        .into_iter()
        .filter_map(|(name, declared)| Some((name, declared.value?)))
        .collect()
}

/// The file names, to say where a first definition is.
struct Names<'a>(&'a [String]);

impl Names<'_> {
    /// `file:line` of a declaration.
    fn at<T>(&self, declared: &Declared<T>) -> String {
        let file = self.0.get(declared.file).map_or("?", String::as_str);
        match declared.key_span {
            Some(span) => format!("{file}:{}", span.line),
            None => file.to_string(),
        }
    }

    /// The one occurrence of a section; a missing section or a repeated one is reported.
    fn once<T>(&self, report: &mut Report, key: &str, sections: Vec<Section<T>>) -> Option<T> {
        if sections.is_empty() {
            let path = YamlPath::root().key(key);
            report
                .error_at(
                    &path,
                    Target::Key,
                    format!("the spec has no `{key}` section"),
                )
                .help(format!(
                    "add `{key}:` to one file (by convention `api.yaml`)"
                ));
            return None;
        }
        self.first(report, key, sections, "exactly once")
    }

    /// The first occurrence of a section, reporting the others (`times`: how often a section of
    /// this kind may appear).
    fn first<T>(
        &self,
        report: &mut Report,
        key: &str,
        sections: Vec<Section<T>>,
        times: &str,
    ) -> Option<T> {
        let path = YamlPath::root().key(key);
        let mut sections = sections.into_iter();
        let first = sections.next()?;
        let first_file = self
            .0
            .get(first.file)
            .map_or("?", String::as_str)
            .to_string();
        for repeated in sections {
            report
                .error(
                    repeated.file,
                    repeated.key_span,
                    &path,
                    format!("the `{key}` section appears more than once"),
                )
                .help(format!(
                    "it is already in {first_file}; a section of this kind appears {times}"
                ));
        }
        first.value
    }

    /// The one occurrence of an optional section, or its default when no file has it; a repeated
    /// one is reported. `None` when the occurrence kept has problems.
    fn at_most_once<T: Default>(
        &self,
        report: &mut Report,
        key: &str,
        sections: Vec<Section<T>>,
    ) -> Option<T> {
        if sections.is_empty() {
            return Some(T::default());
        }
        self.first(report, key, sections, "at most once")
    }

    /// The section if some file has it: `Some(None)` when none has, `None` when it has problems.
    fn optional<T>(
        &self,
        report: &mut Report,
        key: &str,
        sections: Vec<Section<T>>,
    ) -> Option<Option<T>> {
        if sections.is_empty() {
            return Some(None);
        }
        self.first(report, key, sections, "at most once").map(Some)
    }

    /// Definitions by name; a name defined again (in any file) is reported.
    fn unique<T>(
        &self,
        report: &mut Report,
        section: &str,
        what: &str,
        declared: Vec<Declared<T>>,
    ) -> BTreeMap<String, Declared<T>> {
        let mut by_name: BTreeMap<String, Declared<T>> = BTreeMap::new();
        for declaration in declared {
            if let Some(first) = by_name.get(&declaration.name) {
                let first_at = self.at(first);
                report
                    .error(
                        declaration.file,
                        declaration.key_span,
                        &YamlPath::root().key(section).key(&declaration.name),
                        format!("duplicate {what} '{}'", declaration.name),
                    )
                    .help(format!(
                        "'{}' is already defined at {first_at}",
                        declaration.name
                    ));
                continue;
            }
            by_name.insert(declaration.name.clone(), declaration);
        }
        by_name
    }
}
