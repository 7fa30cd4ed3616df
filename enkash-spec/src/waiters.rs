//! Checks of `waiter:` on operations, run on the merged spec: the status field exists in the
//! operation's response schema, is an enum with `final` values, and the waiter's method name is
//! free in the operation's area.

use crate::merge::Merged;
use crate::model::{Operation, TypeRef};
use crate::report::{Report, Target, YamlPath};
use crate::suggest::did_you_mean;

/// Runs the waiter checks of every operation.
pub(crate) fn check_waiters(report: &mut Report, spec: &Merged) {
    for operation in spec.operations.values() {
        if let Some(waiter) = &operation.waiter {
            let path = YamlPath::root()
                .key("operations")
                .key(&operation.id)
                .key("waiter");
            check_status_field(report, spec, operation, &waiter.status_field, &path);
            check_method_free(report, spec, operation, &waiter.method, &path);
        }
    }
}

/// The status field is a field of the response schema whose type is an enum with a `final` value.
fn check_status_field(
    report: &mut Report,
    spec: &Merged,
    operation: &Operation,
    status_field: &str,
    path: &YamlPath,
) {
    let field_path = path.key("status_field");
    let Some(TypeRef::Schema(name)) = &operation.response else {
        report
            .error_at(
                &field_path,
                Target::Value,
                format!(
                    "the waiter of '{}' needs a response schema holding the status",
                    operation.id
                ),
            )
            .help("a waiter polls an operation whose `response:` names a schema");
        return;
    };
    // An unknown schema is reported where it is named.
    let Some(schema) = spec.schemas.get(name) else {
        return;
    };
    let Some(field) = schema.fields.iter().find(|f| f.wire_name == status_field) else {
        let names = schema.fields.iter().map(|f| f.wire_name.as_str());
        let help = did_you_mean(status_field, names)
            .unwrap_or_else(|| format!("name a field of '{name}' whose type is a status enum"));
        report
            .error_at(
                &field_path,
                Target::Value,
                format!("'{name}' has no field '{status_field}'"),
            )
            .help(help);
        return;
    };
    let finals = match &field.ty {
        TypeRef::Enum(enum_name) => spec
            .enums
            .get(enum_name)
            .map(|e| e.values.iter().filter(|v| v.is_final).count()),
        _ => Some(0),
    };
    if finals == Some(0) {
        report
            .error_at(
                &field_path,
                Target::Value,
                format!(
                    "the waiter's status field '{status_field}' of '{name}' is `{}`, not an enum \
                     with `final` values",
                    field.ty
                ),
            )
            .help(
                "a waiter stops at a value marked `final: true`; mark the final values of the enum",
            );
    }
}

/// The waiter's method name is not the client method of another operation in the same area,
/// nor another waiter's.
fn check_method_free(
    report: &mut Report,
    spec: &Merged,
    operation: &Operation,
    method: &str,
    path: &YamlPath,
) {
    let taken_by = spec.operations.values().find(|other| {
        other.area == operation.area
            && (other.client_method == method
                || other.id != operation.id
                    && other.waiter.as_ref().is_some_and(|w| w.method == method))
    });
    if let Some(other) = taken_by {
        report
            .error_at(
                &path.key("method"),
                Target::Value,
                format!(
                    "waiter method '{method}' is already used by '{}' in area '{}'",
                    other.id, operation.area
                ),
            )
            .help("methods are unique within an area: pick another name");
    }
}
