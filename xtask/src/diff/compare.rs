//! Two spec models compared, each change classed from the point of view of code that depends on
//! `enkash-generated`: does it still compile, and does it still behave?
//!
//! The rules follow what the generator makes of the spec: structs are `#[non_exhaustive]` with
//! a `new(..)` taking every required field in spec order, optional fields are `Option<T>` with
//! `with_*` setters, enums are `#[non_exhaustive]` with an `Unknown` variant, and each operation
//! is a method `client.<area>().<client_method>(path params.., request, params)`. Rust types,
//! `Option`s, parameter struct names and call paths are the generator's own answers
//! ([`enkash_codegen::shape`]), not a copy of its rules.

use std::collections::{BTreeMap, BTreeSet};

use enkash_codegen::shape::{is_option, rust_type};
use enkash_spec::{Constraints, Enum, Field, OperationAuth, Schema, Spec, TypeRef};

/// Whether a change can break code that depends on `enkash-generated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled may stop compiling, or a working call may start failing.
    Breaking,
    /// Existing code keeps compiling and working.
    Compatible,
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Breaking or compatible.
    pub impact: Impact,
    /// YAML path of what changed (`schemas.Amount.fields.value`).
    pub subject: String,
    /// What changed, in a few words.
    pub change: String,
    /// Why it is (not) breaking, in one line.
    pub reason: String,
}

/// Everything that changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Changes to the API's shape or behaviour, in report order.
    pub entries: Vec<Entry>,
    /// YAML paths whose documentation (doc, summary, doc page, example) alone changed.
    pub docs: Vec<String>,
}

impl Comparison {
    /// True when any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.entries.iter().any(|e| e.impact == Impact::Breaking)
    }

    /// True when nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.docs.is_empty()
    }

    fn push(&mut self, impact: Impact, subject: &str, change: String, reason: impl Into<String>) {
        self.entries.push(Entry {
            impact,
            subject: subject.to_owned(),
            change,
            reason: reason.into(),
        });
    }

    /// Records a breaking change.
    pub(super) fn breaking(&mut self, subject: &str, change: String, reason: impl Into<String>) {
        self.push(Impact::Breaking, subject, change, reason);
    }

    /// Records a compatible change.
    pub(super) fn compatible(&mut self, subject: &str, change: String, reason: impl Into<String>) {
        self.push(Impact::Compatible, subject, change, reason);
    }

    /// Records a documentation-only change of `subject` when `changed`.
    pub(super) fn doc_if(&mut self, changed: bool, subject: &str) {
        if changed && !self.docs.iter().any(|s| s == subject) {
            self.docs.push(subject.to_owned());
        }
    }
}

/// Compares `old` with `new`. Pure: the same pair always gives the same entries, in the same
/// order (operations, schemas, enums, webhooks, envelopes, environments, auth, API).
pub fn compare(old: &Spec, new: &Spec) -> Comparison {
    let mut out = Comparison::default();
    let roles = Roles::of(old).merged(Roles::of(new));
    crate::diff::operations::compare_operations(&mut out, old, new);
    compare_schemas(&mut out, old, new, &roles);
    compare_enums(&mut out, old, new);
    crate::diff::operations::compare_rest(&mut out, old, new);
    compare_products(&mut out, old, new);
    out
}

/// The other products of the trees: removed (breaking: a module and its feature go away),
/// added (compatible), or compared like the root, their subjects under `products.<name>.`.
fn compare_products(out: &mut Comparison, old: &Spec, new: &Spec) {
    for (name, product) in &old.products {
        let subject = format!("products.{name}");
        let Some(new_product) = new.products.get(name) else {
            out.breaking(
                &subject,
                "product removed".into(),
                "its module and its cargo feature go away",
            );
            continue;
        };
        if product.feature != new_product.feature {
            out.breaking(
                &subject,
                format!(
                    "feature `{}` renamed to `{}`",
                    product.feature, new_product.feature
                ),
                "builds that enable the old feature name fail",
            );
        }
        out.doc_if(product.doc != new_product.doc, &subject);
        let inner = compare(&product.spec, &new_product.spec);
        out.entries
            .extend(inner.entries.into_iter().map(|mut entry| {
                entry.subject = format!("{subject}.{}", entry.subject);
                entry
            }));
        out.docs
            .extend(inner.docs.into_iter().map(|doc| format!("{subject}.{doc}")));
    }
    for (name, product) in &new.products {
        if !old.products.contains_key(name) {
            out.compatible(
                &format!("products.{name}"),
                format!(
                    "product added (module `{name}`, feature `{}`)",
                    product.feature
                ),
                "a new module behind a new feature; nothing existing changes",
            );
        }
    }
}

/// Where a schema is used: a request body (the caller builds it) or only in what the client
/// receives (responses, webhooks).
#[derive(Debug, Default)]
struct Roles {
    request: BTreeSet<String>,
    received: BTreeSet<String>,
}

impl Roles {
    fn of(spec: &Spec) -> Roles {
        let mut roles = Roles::default();
        for op in spec.operations.values() {
            if let Some(ty) = &op.request {
                reach(spec, ty, &mut roles.request);
            }
            if let Some(ty) = &op.response {
                reach(spec, ty, &mut roles.received);
            }
        }
        for hook in spec.webhooks.values() {
            reach(spec, &hook.payload, &mut roles.received);
        }
        roles
    }

    fn merged(mut self, other: Roles) -> Roles {
        self.request.extend(other.request);
        self.received.extend(other.received);
        self
    }
}

/// Adds every schema `ty` reaches, through fields, to `seen`.
fn reach(spec: &Spec, ty: &TypeRef, seen: &mut BTreeSet<String>) {
    ty.walk(&mut |inner| {
        if let TypeRef::Schema(name) = inner
            && seen.insert(name.clone())
            && let Some(schema) = spec.schemas.get(name)
        {
            for field in &schema.fields {
                reach(spec, &field.ty, seen);
            }
        }
    });
}

/// How the caller meets a struct, which decides what a new required field breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Built by the caller and sent (request bodies, operation parameters).
    Sent,
    /// Only received (responses, webhook payloads).
    Received,
    /// Not used by any operation or webhook.
    Unused,
}

/// A type change that keeps the Rust type is compatible (only the wire form moves); any other is
/// breaking. `what` names the Rust type in the reason ("the field's Rust type").
pub(super) fn type_change(
    out: &mut Comparison,
    subject: &str,
    old: &TypeRef,
    new: &TypeRef,
    what: &str,
) {
    if old == new {
        return;
    }
    let change = format!("type `{}` → `{}`", old, new);
    let (old_rust, new_rust) = (rust_type(old), rust_type(new));
    if old_rust == new_rust {
        out.compatible(
            subject,
            change,
            format!("{what} stays `{new_rust}`; only the wire form changes"),
        );
    } else {
        out.breaking(
            subject,
            change,
            format!("{what} changes from `{old_rust}` to `{new_rust}`"),
        );
    }
}

fn compare_schemas(out: &mut Comparison, old: &Spec, new: &Spec, roles: &Roles) {
    for (name, old_schema) in &old.schemas {
        let subject = format!("schemas.{name}");
        match new.schemas.get(name) {
            None => out.breaking(
                &subject,
                "schema removed".into(),
                format!("the type `{name}` no longer exists"),
            ),
            Some(new_schema) => {
                let role = if roles.request.contains(name) {
                    Role::Sent
                } else if roles.received.contains(name) {
                    Role::Received
                } else {
                    Role::Unused
                };
                compare_schema(out, &subject, role, old_schema, new_schema);
            }
        }
    }
    for name in new.schemas.keys().filter(|n| !old.schemas.contains_key(*n)) {
        out.compatible(
            &format!("schemas.{name}"),
            "schema added".into(),
            format!("a new type `{name}`; nothing existing changes"),
        );
    }
}

fn compare_schema(out: &mut Comparison, subject: &str, role: Role, old: &Schema, new: &Schema) {
    out.doc_if(old.doc != new.doc || old.doc_url != new.doc_url, subject);
    compare_fields(
        out,
        &format!("{subject}.fields"),
        &old.name,
        role,
        &old.fields,
        &new.fields,
    );
}

/// Compares the fields of a struct (`owner`: its Rust name) field by field, by wire name.
pub(super) fn compare_fields(
    out: &mut Comparison,
    prefix: &str,
    owner: &str,
    role: Role,
    old: &[Field],
    new: &[Field],
) {
    let old_by: BTreeMap<&str, &Field> = old.iter().map(|f| (f.wire_name.as_str(), f)).collect();
    let new_by: BTreeMap<&str, &Field> = new.iter().map(|f| (f.wire_name.as_str(), f)).collect();
    for field in old {
        let subject = format!("{prefix}.{}", field.wire_name);
        match new_by.get(field.wire_name.as_str()) {
            None => out.breaking(
                &subject,
                "field removed".into(),
                format!("the field `{owner}::{}` disappears", field.rust_name),
            ),
            Some(new_field) => compare_field(out, &subject, owner, role, field, new_field),
        }
    }
    for field in new
        .iter()
        .filter(|f| !old_by.contains_key(f.wire_name.as_str()))
    {
        let subject = format!("{prefix}.{}", field.wire_name);
        if !field.required {
            out.compatible(
                &subject,
                format!("optional field added (`{}`)", field.ty),
                format!(
                    "a new `Option` field with a `with_{}` setter; the struct is `#[non_exhaustive]`",
                    field.rust_name
                ),
            );
            continue;
        }
        let change = format!("required field added (`{}`)", field.ty);
        let reason = match role {
            Role::Sent => format!(
                "`{owner}::new(..)` gains a `{}` parameter, so every call to it stops compiling",
                field.rust_name
            ),
            Role::Received => format!(
                "`{owner}::new(..)` gains a parameter (code that builds it, such as mocks and tests, \
                 stops compiling; code that only reads it still compiles), and a body without it no \
                 longer decodes"
            ),
            Role::Unused => format!("`{owner}::new(..)` gains a `{}` parameter", field.rust_name),
        };
        out.breaking(&subject, change, reason);
    }
    let order = |fields: &[Field]| -> Vec<String> {
        fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire_name.clone())
            .collect()
    };
    let (old_order, new_order) = (order(old), order(new));
    let same_set = old_order.iter().collect::<BTreeSet<_>>() == new_order.iter().collect();
    if same_set && old_order != new_order {
        out.breaking(
            prefix,
            format!(
                "required fields reordered ({} → {})",
                old_order.join(", "),
                new_order.join(", ")
            ),
            format!("`{owner}::new(..)` takes its parameters in spec order, which changed"),
        );
    }
}

fn compare_field(
    out: &mut Comparison,
    subject: &str,
    owner: &str,
    role: Role,
    old: &Field,
    new: &Field,
) {
    out.doc_if(old.doc != new.doc || old.example != new.example, subject);
    if old.rust_name != new.rust_name {
        out.breaking(
            subject,
            format!("Rust name `{}` → `{}`", old.rust_name, new.rust_name),
            format!("the field `{owner}::{}` is renamed", old.rust_name),
        );
    }
    type_change(out, subject, &old.ty, &new.ty, "the field's Rust type");
    if old.required != new.required {
        let change = if new.required {
            "optional → required"
        } else {
            "required → optional"
        };
        let mut reason = format!(
            "`{owner}::new(..)` {} a `{}` parameter",
            if new.required { "gains" } else { "loses" },
            new.rust_name
        );
        if is_option(old) != is_option(new) {
            reason.push_str(" and the field's type changes between `T` and `Option<T>`");
        }
        if role == Role::Received && new.required {
            reason.push_str("; a body without it no longer decodes");
        }
        out.breaking(subject, change.into(), reason);
    } else if old.nullable != new.nullable {
        let change = if new.nullable {
            "now nullable"
        } else {
            "no longer nullable"
        };
        if is_option(old) != is_option(new) {
            out.breaking(
                subject,
                change.into(),
                "the required field's type changes between `T` and `Option<T>`",
            );
        } else {
            out.compatible(
                subject,
                change.into(),
                "the field stays `Option<T>`; only whether `null` is accepted changes",
            );
        }
    }
    let constraints = constraint_changes(&old.constraints, &new.constraints);
    if !constraints.is_empty() {
        out.compatible(
            subject,
            format!("constraints: {}", constraints.join(", ")),
            "checked by `validate()` at run time, no signature changes; a tighter rule refuses \
             values it accepted before",
        );
    }
    if old.sensitive != new.sensitive {
        out.compatible(
            subject,
            if new.sensitive {
                "now sensitive"
            } else {
                "no longer sensitive"
            }
            .into(),
            "only `Debug` output changes (the value is redacted or shown)",
        );
    }
    if old.aliases != new.aliases {
        let show = |aliases: &[String]| {
            if aliases.is_empty() {
                "none".to_owned()
            } else {
                aliases.join(", ")
            }
        };
        out.compatible(
            subject,
            format!("aliases: {} → {}", show(&old.aliases), show(&new.aliases)),
            "no signature changes; only which other JSON names are read into the field changes \
             (nothing is written differently)",
        );
    }
}

fn constraint_changes(old: &Constraints, new: &Constraints) -> Vec<String> {
    let show = |value: Option<String>| value.unwrap_or_else(|| "none".into());
    let pairs = [
        ("pattern", old.pattern.clone(), new.pattern.clone()),
        (
            "min_length",
            old.min_length.map(|v| v.to_string()),
            new.min_length.map(|v| v.to_string()),
        ),
        (
            "max_length",
            old.max_length.map(|v| v.to_string()),
            new.max_length.map(|v| v.to_string()),
        ),
        ("min", old.min.clone(), new.min.clone()),
        ("max", old.max.clone(), new.max.clone()),
        (
            "max_decimals",
            old.max_decimals.map(|v| v.to_string()),
            new.max_decimals.map(|v| v.to_string()),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {} → {}", show(a), show(b)))
        .collect()
}

fn compare_enums(out: &mut Comparison, old: &Spec, new: &Spec) {
    for (name, old_enum) in &old.enums {
        let subject = format!("enums.{name}");
        match new.enums.get(name) {
            None => out.breaking(
                &subject,
                "enum removed".into(),
                format!("the type `{name}` no longer exists"),
            ),
            Some(new_enum) => compare_enum(out, &subject, old_enum, new_enum),
        }
    }
    for name in new.enums.keys().filter(|n| !old.enums.contains_key(*n)) {
        out.compatible(
            &format!("enums.{name}"),
            "enum added".into(),
            format!("a new type `{name}`; nothing existing changes"),
        );
    }
}

fn compare_enum(out: &mut Comparison, subject: &str, old: &Enum, new: &Enum) {
    out.doc_if(old.doc != new.doc || old.doc_url != new.doc_url, subject);
    let name = &old.name;
    for value in &old.values {
        let value_subject = format!("{subject}.values.{}", value.wire);
        let Some(new_value) = new.values.iter().find(|v| v.wire == value.wire) else {
            out.breaking(
                &value_subject,
                "value removed".into(),
                format!(
                    "the variant `{name}::{}` disappears (the value now decodes as `Unknown`)",
                    value.rust_name
                ),
            );
            continue;
        };
        out.doc_if(value.doc != new_value.doc, &value_subject);
        if value.rust_name != new_value.rust_name {
            out.breaking(
                &value_subject,
                format!("variant `{}` → `{}`", value.rust_name, new_value.rust_name),
                format!("the variant `{name}::{}` is renamed", value.rust_name),
            );
        }
        if (value.is_final, value.is_success) != (new_value.is_final, new_value.is_success) {
            let flags = |f: bool, s: bool| match (f, s) {
                (true, true) => "final, success",
                (true, false) => "final",
                _ => "not final",
            };
            out.compatible(
                &value_subject,
                format!(
                    "lifecycle {} → {}",
                    flags(value.is_final, value.is_success),
                    flags(new_value.is_final, new_value.is_success)
                ),
                "same variant; only what `is_final()` / `is_success()` answer for it changes",
            );
        }
    }
    for value in new
        .values
        .iter()
        .filter(|v| !old.values.iter().any(|o| o.wire == v.wire))
    {
        out.compatible(
            &format!("{subject}.values.{}", value.wire),
            "value added".into(),
            format!(
                "a new variant `{name}::{}`; the enum is `#[non_exhaustive]`, so matches already \
                 have a wildcard arm (the value used to decode as `Unknown`)",
                value.rust_name
            ),
        );
    }
}

/// The auth scheme's name, or `none`.
pub(super) fn auth_name(auth: &OperationAuth) -> &str {
    match auth {
        OperationAuth::Scheme(name) => name,
        OperationAuth::None => "none",
    }
}
