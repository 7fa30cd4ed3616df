//! Checks of `pagination:` on operations, run on the merged spec: `offset` and `limit` are
//! integer query parameters or top-level request fields, `total` is an integer field of the
//! response schema and `items` a list field of it, and the generated `<client_method>_stream`
//! method name is free in the operation's area.

use crate::merge::Merged;
use crate::model::{Field, Operation, TypeRef};
use crate::report::{Report, Target, YamlPath};
use crate::suggest::did_you_mean;
use crate::validate::{body_schema, operation_path};

/// Runs the pagination checks of every operation.
pub(crate) fn check_pagination(report: &mut Report, spec: &Merged) {
    for operation in spec.operations.values() {
        let Some(pagination) = &operation.pagination else {
            continue;
        };
        let path = operation_path(operation).key("pagination");
        for (key, wire) in [("offset", &pagination.offset), ("limit", &pagination.limit)] {
            check_page_parameter(report, spec, operation, wire, &path.key(key));
        }
        check_response_fields(report, spec, operation, pagination, &path);
        let method = format!("{}_stream", operation.client_method);
        let taken = spec.operations.values().any(|other| {
            other.area == operation.area
                && (other.client_method == method
                    || other.waiter.as_ref().is_some_and(|w| w.method == method))
        });
        if taken {
            report
                .error_at(
                    &path,
                    Target::Key,
                    format!(
                        "the generated method '{method}' is already a method of area '{}'",
                        operation.area
                    ),
                )
                .help(
                    "rename the other method: a paginated operation gets `<client_method>_stream`",
                );
        }
    }
}

/// `wire` names an integer query parameter or top-level field of the request schema.
fn check_page_parameter(
    report: &mut Report,
    spec: &Merged,
    operation: &Operation,
    wire: &str,
    path: &YamlPath,
) {
    let body = body_schema(spec, operation.request.as_ref());
    let candidates: Vec<&Field> = operation
        .query_params
        .iter()
        .chain(body.iter().flat_map(|schema| &schema.fields))
        .collect();
    match candidates.iter().find(|field| field.wire_name == wire) {
        Some(field) if matches!(field.ty, TypeRef::I32 | TypeRef::I64) => {}
        Some(field) => {
            report
                .error_at(
                    path,
                    Target::Value,
                    format!("'{wire}' is `{}`, not an integer", field.ty),
                )
                .help("an offset and a page size are `i32` or `i64`");
        }
        None => {
            let help = did_you_mean(wire, candidates.iter().map(|f| f.wire_name.as_str()))
                .unwrap_or_else(|| {
                    "name a query parameter or a top-level field of the request".to_owned()
                });
            report
                .error_at(
                    path,
                    Target::Value,
                    format!(
                        "'{}' has no query parameter or request field '{wire}'",
                        operation.id
                    ),
                )
                .help(help);
        }
    }
}

/// A response field to check: the spec key, the wire name, what its type must be, and how that
/// is said.
type FieldCheck<'a> = (&'a str, &'a String, fn(&TypeRef) -> bool, &'a str);

/// `total` is an integer field and `items` a list field of the response schema.
fn check_response_fields(
    report: &mut Report,
    spec: &Merged,
    operation: &Operation,
    pagination: &crate::model::Pagination,
    path: &YamlPath,
) {
    let Some(TypeRef::Schema(name)) = &operation.response else {
        report
            .error_at(
                path,
                Target::Key,
                format!(
                    "the pagination of '{}' needs a response schema with the total and the items",
                    operation.id
                ),
            )
            .help("a paginated operation's `response:` names a schema");
        return;
    };
    let Some(schema) = spec.schemas.get(name) else {
        return;
    };
    let checks: [FieldCheck<'_>; 2] = [
        (
            "total",
            &pagination.total,
            |ty| matches!(ty, TypeRef::I32 | TypeRef::I64),
            "an integer",
        ),
        (
            "items",
            &pagination.items,
            |ty| matches!(ty, TypeRef::List(_)),
            "a list",
        ),
    ];
    for (key, wire, fits, wanted) in checks {
        match schema.fields.iter().find(|f| &f.wire_name == wire) {
            Some(field) if fits(&field.ty) => {}
            Some(field) => {
                report
                    .error_at(
                        &path.key(key),
                        Target::Value,
                        format!("'{wire}' of '{name}' is `{}`, not {wanted}", field.ty),
                    )
                    .help(format!("`{key}` names {wanted} field of the response"));
            }
            None => {
                let help = did_you_mean(wire, schema.fields.iter().map(|f| f.wire_name.as_str()));
                report
                    .error_at(
                        &path.key(key),
                        Target::Value,
                        format!("'{name}' has no field '{wire}'"),
                    )
                    .maybe_help(help);
            }
        }
    }
}
