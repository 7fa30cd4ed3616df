//! Checks that relate definitions to each other, run on the merged spec: the token exchange,
//! `dedup_key`s, text envelopes, and operations that clash on method and path or on their
//! client method. A check is skipped when what it needs did not decode (that problem is
//! already reported).

use std::collections::BTreeMap;

use crate::merge::Merged;
use crate::model::{EnvelopeKind, Operation, Schema, TypeRef};
use crate::report::{Report, Target, YamlPath};
use crate::suggest::did_you_mean;

/// The operations in file order (file, then line), so that of two clashing operations the
/// one written later is reported.
///
/// Without recorded sites (a load without positions) the order is the id order: whether two
/// operations clash does not depend on it, only which of them is reported.
fn in_file_order<'s>(report: &Report, spec: &'s Merged) -> Vec<&'s Operation> {
    let mut operations: Vec<&Operation> = spec.operations.values().collect();
    if report.records_sites() {
        // The stable sort keeps the id order for operations without a site, as before.
        operations.sort_by_cached_key(|operation| {
            let site = report.site(&operation_path(operation));
            site.map(|site| (site.file, site.key))
        });
    }
    operations
}

/// Runs every cross-definition check.
pub(crate) fn validate(report: &mut Report, spec: &Merged) {
    crate::auth_checks::check_token_exchange(report, spec);
    crate::auth_checks::check_credentials(report, spec);
    crate::auth_checks::check_areas(report, spec);
    crate::auth_checks::check_form_bodies(report, spec);
    for operation in spec.operations.values() {
        check_dedup_key(report, spec, operation);
        check_text_envelope(report, spec, operation);
    }
    check_routes(report, spec);
    check_client_methods(report, spec);
    check_credential_fields(report, spec);
    crate::waiters::check_waiters(report, spec);
    crate::pagination::check_pagination(report, spec);
}

/// A schema with a field the client fills with a credential (`credential:`) is used only as
/// the request body of operations: nested, as a response or as a webhook payload the field would
/// have nowhere to come from or go to.
fn check_credential_fields(report: &mut Report, spec: &Merged) {
    let bodies: Vec<&str> = spec
        .operations
        .values()
        .filter_map(|op| match &op.request {
            Some(TypeRef::Schema(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut elsewhere: BTreeMap<String, String> = BTreeMap::new();
    let mut note = |ty: &TypeRef, place: String| {
        ty.walk(&mut |inner| {
            if let TypeRef::Schema(name) = inner {
                elsewhere
                    .entry(name.clone())
                    .or_insert_with(|| place.clone());
            }
        });
    };
    for schema in spec.schemas.values() {
        for field in &schema.fields {
            note(
                &field.ty,
                format!("schemas.{}.fields.{}", schema.name, field.wire_name),
            );
        }
    }
    for op in spec.operations.values() {
        if let Some(ty) = &op.response {
            note(ty, format!("operations.{}.response", op.id));
        }
    }
    for webhook in spec.webhooks.values() {
        note(&webhook.payload, format!("webhooks.{}.payload", webhook.id));
    }
    for schema in spec.schemas.values() {
        let Some(field) = schema.fields.iter().find(|f| f.credential.is_some()) else {
            continue;
        };
        let place = match elsewhere.get(&schema.name) {
            Some(place) => format!("it is also used at {place}"),
            None if !bodies.contains(&schema.name.as_str()) => {
                "it is not the request body of any operation".to_owned()
            }
            None => continue,
        };
        let path = YamlPath::root()
            .key("schemas")
            .key(&schema.name)
            .key("fields")
            .key(&field.wire_name)
            .key("credential");
        report
            .error_at(
                &path,
                Target::Key,
                format!(
                    "'{}' carries a credential, but schema '{}' is not only a request body: {place}",
                    field.wire_name, schema.name
                ),
            )
            .help("only a top-level field of a request body can be filled by the client");
    }
}

pub(crate) fn operation_path(operation: &Operation) -> YamlPath {
    YamlPath::root().key("operations").key(&operation.id)
}

/// The schema a body type names, if it is a schema that decoded.
pub(crate) fn body_schema<'s>(spec: &'s Merged, ty: Option<&TypeRef>) -> Option<&'s Schema> {
    match ty {
        Some(TypeRef::Schema(name)) => spec.schemas.get(name),
        _ => None,
    }
}

/// The field of `schema` named `wire`, or a problem reported at `path` (the spec key naming it).
pub(crate) fn require_field<'s>(
    report: &mut Report,
    schema: &'s Schema,
    wire: &str,
    path: &YamlPath,
) -> Option<&'s crate::model::Field> {
    let field = schema.fields.iter().find(|field| field.wire_name == wire);
    if field.is_none() {
        let help = did_you_mean(wire, schema.fields.iter().map(|f| f.wire_name.as_str()));
        report
            .error_at(
                path,
                Target::Value,
                format!("'{}' has no field '{wire}'", schema.name),
            )
            .maybe_help(help);
    }
    field
}

/// `dedup_key` is a required top-level field of the request schema.
fn check_dedup_key(report: &mut Report, spec: &Merged, operation: &Operation) {
    let Some(key) = &operation.dedup_key else {
        return;
    };
    let path = operation_path(operation).key("dedup_key");
    let schema = match &operation.request {
        None => {
            report
                .error_at(
                    &path,
                    Target::Value,
                    format!(
                        "dedup_key '{key}' needs a request body, and '{}' has no `request`",
                        operation.id
                    ),
                )
                .help("remove `dedup_key`, or give the operation its request schema");
            return;
        }
        Some(TypeRef::Schema(name)) => match spec.schemas.get(name) {
            Some(schema) => schema,
            None => return,
        },
        Some(other) => {
            report.error_at(&path, Target::Value, format!(
                "dedup_key '{key}' names a request field, but the request is `{}`, not a schema",
                other
            ));
            return;
        }
    };
    let Some(field) = require_field(report, schema, key, &path) else {
        return;
    };
    if !field.required {
        report
            .error_at(&path, Target::Value, format!(
                "dedup_key '{key}' is not a required field of '{}'",
                schema.name
            ))
            .help(format!(
                "the server deduplicates on it, so it must always be sent: mark '{key}' `required: true`"
            ));
    }
}

/// An operation whose envelope is plain text answers a `string`.
fn check_text_envelope(report: &mut Report, spec: &Merged, operation: &Operation) {
    let Some(envelope) = spec
        .envelopes
        .as_ref()
        .and_then(|envelopes| envelopes.get(&operation.envelope))
    else {
        return;
    };
    if envelope.kind != EnvelopeKind::Text || operation.response == Some(TypeRef::String) {
        return;
    }
    let op_path = operation_path(operation);
    let (path, message) = match &operation.response {
        Some(ty) => (
            op_path.key("response"),
            format!(
                "envelope '{}' is plain text, so the response must be `string`, not `{}`",
                envelope.name, ty
            ),
        ),
        None => (
            op_path.key("envelope"),
            format!(
                "envelope '{}' is plain text, so '{}' needs `response: string`",
                envelope.name, operation.id
            ),
        ),
    };
    report
        .error_at(&path, Target::Value, message)
        .help("set `response: string`, or use another envelope");
}

/// No two operations share a method and path (parameter names aside: `/a/{x}` is `/a/{y}`).
fn check_routes(report: &mut Report, spec: &Merged) {
    let mut routes: BTreeMap<(&str, String), &str> = BTreeMap::new();
    for operation in in_file_order(report, spec) {
        let route = (operation.method.as_str(), route_shape(&operation.path));
        match routes.get(&route) {
            Some(first) => {
                report
                    .error_at(
                        &operation_path(operation).key("path"),
                        Target::Value,
                        format!(
                            "'{}' has the same method and path as '{first}': {} {}",
                            operation.id,
                            operation.method.as_str(),
                            operation.path
                        ),
                    )
                    .help("each operation is one endpoint; remove or merge the duplicate");
            }
            None => {
                routes.insert(route, &operation.id);
            }
        }
    }
}

/// The path with every `{name}` replaced by `{}`.
fn route_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => shape.push(c),
            _ => {}
        }
    }
    shape
}

/// `client_method` is unique within an area.
fn check_client_methods(report: &mut Report, spec: &Merged) {
    let mut methods: BTreeMap<(_, &str), &str> = BTreeMap::new();
    for operation in in_file_order(report, spec) {
        let key = (operation.area.as_str(), operation.client_method.as_str());
        match methods.get(&key) {
            Some(first) => {
                report
                    .error_at(
                        &operation_path(operation).key("client_method"),
                        Target::Value,
                        format!(
                            "client_method '{}' is already used by '{first}' in area '{}'",
                            operation.client_method, operation.area
                        ),
                    )
                    .help("client methods are unique within an area");
            }
            None => {
                methods.insert(key, &operation.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_routes() {
        assert_eq!(route_shape("/a/{x}/b/{y}"), "/a/{}/b/{}");
        assert_eq!(route_shape("/a"), "/a");
    }
}
