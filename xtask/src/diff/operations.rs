//! Operations, webhooks, envelopes, environments, auth and API metadata compared.

use enkash_spec::{
    AuthScheme, Envelope, EnvelopeKind, Field, HttpMethod, Operation, Spec, TypeRef,
};

use enkash_codegen::shape::{call_path, params_struct_name, rust_type};

use super::compare::{Comparison, Role, auth_name, compare_fields, type_change};

/// Operations by id: removed, changed, added.
pub(super) fn compare_operations(out: &mut Comparison, old: &Spec, new: &Spec) {
    for (id, old_op) in &old.operations {
        let subject = format!("operations.{id}");
        match new.operations.get(id) {
            None => out.breaking(
                &subject,
                format!(
                    "operation removed (`{} {}`)",
                    old_op.method.as_str(),
                    old_op.path
                ),
                format!("`{}(..)` no longer exists", call_path(old_op)),
            ),
            Some(new_op) => compare_operation(out, &subject, old_op, new_op),
        }
    }
    for (id, op) in new
        .operations
        .iter()
        .filter(|(id, _)| !old.operations.contains_key(*id))
    {
        out.compatible(
            &format!("operations.{id}"),
            format!("operation added (`{} {}`)", op.method.as_str(), op.path),
            format!(
                "a new method `{}(..)`; the mock (feature `mock`) answers it with HTTP 501 until \
                 its store serves it",
                call_path(op)
            ),
        );
    }
}

fn compare_operation(out: &mut Comparison, subject: &str, old: &Operation, new: &Operation) {
    out.doc_if(
        old.summary != new.summary || old.doc != new.doc || old.doc_url != new.doc_url,
        subject,
    );
    if (&old.area, &old.client_method) != (&new.area, &new.client_method) {
        out.breaking(
            subject,
            format!(
                "Rust method `{}(..)` → `{}(..)`",
                call_path(old),
                call_path(new)
            ),
            "calls to the old method stop compiling",
        );
    }
    if (old.method, &old.path) != (new.method, &new.path) {
        let mut reason = "the Rust method is unchanged; requests go to the new endpoint".to_owned();
        if (old.method == HttpMethod::Get) != (new.method == HttpMethod::Get) {
            reason.push_str(", and automatic retries follow the new method");
        }
        out.compatible(
            subject,
            format!(
                "endpoint `{} {}` → `{} {}`",
                old.method.as_str(),
                old.path,
                new.method.as_str(),
                new.path
            ),
            reason,
        );
    }
    compare_path_params(out, subject, old, new);
    compare_body(
        out,
        &format!("{subject}.request"),
        old.request.as_ref(),
        new.request.as_ref(),
        "request",
    );
    compare_body(
        out,
        &format!("{subject}.response"),
        old.response.as_ref(),
        new.response.as_ref(),
        "response",
    );
    compare_params(out, subject, old, new);
    compare_waiter(out, subject, old, new);
    if old.envelope != new.envelope {
        out.breaking(
            &format!("{subject}.envelope"),
            format!("envelope `{}` → `{}`", old.envelope, new.envelope),
            "breaking at run time: the body is unwrapped differently, so answers in the old shape \
             fail to decode",
        );
    }
    let (old_auth, new_auth) = (auth_name(&old.auth), auth_name(&new.auth));
    if old_auth != new_auth {
        out.compatible(
            &format!("{subject}.auth"),
            format!("auth `{old_auth}` → `{new_auth}`"),
            "the Rust method is unchanged; the call sends other authentication headers",
        );
    }
    if old.stability != new.stability {
        out.compatible(
            &format!("{subject}.stability"),
            format!("stability {:?} → {:?}", old.stability, new.stability).to_lowercase(),
            "documentation of the method only",
        );
    }
    if old.dedup_key != new.dedup_key {
        let show = |key: &Option<String>| match key {
            Some(key) => format!("`{key}`"),
            None => "none".to_owned(),
        };
        out.compatible(
            &format!("{subject}.dedup_key"),
            format!(
                "dedup key {} → {}",
                show(&old.dedup_key),
                show(&new.dedup_key)
            ),
            "the Rust method is unchanged; when the client resends the call by itself changes",
        );
    }
    if old.idempotent != new.idempotent {
        out.compatible(
            &format!("{subject}.idempotent"),
            format!("idempotent {} → {}", old.idempotent, new.idempotent),
            "the Rust method is unchanged; when the client resends the call by itself changes",
        );
    }
}

fn compare_path_params(out: &mut Comparison, subject: &str, old: &Operation, new: &Operation) {
    let args = |params: &[Field]| -> Vec<String> {
        params
            .iter()
            .map(|p| format!("{}: {}", p.rust_name, rust_type(&p.ty)))
            .collect()
    };
    let (old_args, new_args) = (args(&old.path_params), args(&new.path_params));
    if old_args != new_args {
        out.breaking(
            &format!("{subject}.path_params"),
            format!(
                "path parameters ({}) → ({})",
                old_args.join(", "),
                new_args.join(", ")
            ),
            format!(
                "the positional arguments of `{}(..)` change",
                call_path(new)
            ),
        );
    } else {
        let wire = |params: &[Field]| -> Vec<String> {
            params.iter().map(|p| p.wire_name.clone()).collect()
        };
        if wire(&old.path_params) != wire(&new.path_params) {
            out.compatible(
                &format!("{subject}.path_params"),
                "path parameters renamed on the wire".into(),
                "the Rust arguments are unchanged",
            );
        }
    }
    for (a, b) in old.path_params.iter().zip(&new.path_params) {
        out.doc_if(
            a.doc != b.doc || a.example != b.example,
            &format!("{subject}.path_params.{}", b.wire_name),
        );
    }
}

fn compare_body(
    out: &mut Comparison,
    subject: &str,
    old: Option<&TypeRef>,
    new: Option<&TypeRef>,
    what: &str,
) {
    let place = if what == "request" {
        "the type of the method's `request` argument"
    } else {
        "the method's return type"
    };
    match (old, new) {
        (None, None) => {}
        (Some(a), Some(b)) => type_change(out, subject, a, b, place),
        (None, Some(b)) => out.breaking(
            subject,
            format!("{what} `{}` added", b),
            if what == "request" {
                "the method gains a `request` argument".to_owned()
            } else {
                format!(
                    "the method's return type changes from `()` to `{}`",
                    rust_type(b)
                )
            },
        ),
        (Some(a), None) => out.breaking(
            subject,
            format!("{what} `{}` removed", a),
            if what == "request" {
                "the method loses its `request` argument".to_owned()
            } else {
                format!(
                    "the method's return type changes from `{}` to `()`",
                    rust_type(a)
                )
            },
        ),
    }
}

/// Query and header parameters live in one `<Id>Params` struct, passed as the last argument.
fn compare_params(out: &mut Comparison, subject: &str, old: &Operation, new: &Operation) {
    let names = |op: &Operation| -> Vec<String> {
        op.query_params
            .iter()
            .chain(&op.header_params)
            .map(|p| p.wire_name.clone())
            .collect()
    };
    match (params_struct_name(old), params_struct_name(new)) {
        (None, None) => {}
        (None, Some(new_struct)) => out.breaking(
            subject,
            format!("parameters added ({})", names(new).join(", ")),
            format!(
                "`{}(..)` gains a `params: &{new_struct}` argument",
                call_path(new)
            ),
        ),
        (Some(old_struct), None) => out.breaking(
            subject,
            format!(
                "every query and header parameter removed ({})",
                names(old).join(", ")
            ),
            format!(
                "`{}(..)` loses its `params` argument and `{old_struct}` disappears",
                call_path(old)
            ),
        ),
        (Some(_), Some(owner)) => {
            for (kind, a, b) in [
                ("query", &old.query_params, &new.query_params),
                ("headers", &old.header_params, &new.header_params),
            ] {
                compare_fields(out, &format!("{subject}.{kind}"), &owner, Role::Sent, a, b);
            }
        }
    }
}

/// Webhooks, envelopes, environments, auth, API metadata and undocumented endpoints.
pub(super) fn compare_rest(out: &mut Comparison, old: &Spec, new: &Spec) {
    for (id, hook) in &old.webhooks {
        let subject = format!("webhooks.{id}");
        match new.webhooks.get(id) {
            None => out.breaking(
                &subject,
                "webhook removed".into(),
                "its generated payload type and parser go away",
            ),
            Some(new_hook) => {
                out.doc_if(
                    hook.summary != new_hook.summary
                        || hook.doc != new_hook.doc
                        || hook.doc_url != new_hook.doc_url,
                    &subject,
                );
                type_change(
                    out,
                    &format!("{subject}.payload"),
                    &hook.payload,
                    &new_hook.payload,
                    "the payload's Rust type",
                );
                match (&hook.acknowledgement, &new_hook.acknowledgement) {
                    (Some(_), None) => out.breaking(
                        &format!("{subject}.acknowledgement"),
                        "acknowledgement removed".into(),
                        "its generated `*_ACKNOWLEDGEMENT` constant goes away",
                    ),
                    (old_ack, new_ack) if old_ack != new_ack => out.compatible(
                        &format!("{subject}.acknowledgement"),
                        "acknowledgement added or changed".into(),
                        "the generated `*_ACKNOWLEDGEMENT` constant is added or takes new values",
                    ),
                    _ => {}
                }
            }
        }
    }
    for id in new
        .webhooks
        .keys()
        .filter(|id| !old.webhooks.contains_key(*id))
    {
        out.compatible(
            &format!("webhooks.{id}"),
            "webhook added".into(),
            "a new payload type; nothing existing changes",
        );
    }
    for (name, envelope) in &old.envelopes {
        let subject = format!("envelopes.{name}");
        match new.envelopes.get(name) {
            None => out.compatible(
                &subject,
                "envelope removed".into(),
                "operations that used it are listed with their own change",
            ),
            Some(new_envelope) => compare_envelope(out, &subject, new, envelope, new_envelope),
        }
    }
    for name in new
        .envelopes
        .keys()
        .filter(|n| !old.envelopes.contains_key(*n))
    {
        out.compatible(
            &format!("envelopes.{name}"),
            "envelope added".into(),
            "only operations that use it are affected, and they are listed",
        );
    }
    for env in &old.environments {
        let subject = format!("environments.{}", env.name);
        match new.environments.iter().find(|e| e.name == env.name) {
            None => out.breaking(
                &subject,
                "environment removed".into(),
                "its `Environment` variant disappears",
            ),
            Some(new_env) => {
                out.doc_if(env.doc != new_env.doc, &subject);
                if env.url != new_env.url {
                    out.compatible(
                        &subject,
                        format!("URL {} → {}", env.url, new_env.url),
                        "the same `Environment` variant now points to the new host",
                    );
                }
            }
        }
    }
    for env in new
        .environments
        .iter()
        .filter(|e| !old.environments.iter().any(|o| o.name == e.name))
    {
        out.compatible(
            &format!("environments.{}", env.name),
            format!("environment added ({})", env.url),
            "a new variant of the `#[non_exhaustive]` `Environment`",
        );
    }
    compare_auth(out, old, new);
    out.doc_if(
        old.api.doc != new.api.doc
            || old.api.name != new.api.name
            || old.api.docs_url != new.api.docs_url,
        "api",
    );
    if old.api.version != new.api.version {
        out.compatible(
            "api.version",
            format!("version {} → {}", old.api.version, new.api.version),
            "documentation and `ApiInfo` only",
        );
    }
    for id in old
        .undocumented_operations
        .keys()
        .filter(|id| !new.undocumented_operations.contains_key(*id))
    {
        out.compatible(
            &format!("undocumented_operations.{id}"),
            "no longer listed as undocumented".into(),
            "nothing callable was generated for it",
        );
    }
    for id in new
        .undocumented_operations
        .keys()
        .filter(|id| !old.undocumented_operations.contains_key(*id))
    {
        out.compatible(
            &format!("undocumented_operations.{id}"),
            "listed as undocumented".into(),
            "documentation only; nothing callable is generated for it",
        );
    }
}

fn compare_envelope(
    out: &mut Comparison,
    subject: &str,
    new_spec: &Spec,
    old: &Envelope,
    new: &Envelope,
) {
    out.doc_if(old.doc != new.doc, subject);
    if old.kind != new.kind {
        let users: Vec<&str> = new_spec
            .operations
            .values()
            .filter(|op| op.envelope == new.name)
            .map(|op| op.id.as_str())
            .collect();
        out.breaking(
            subject,
            format!("shape {} → {}", shape(&old.kind), shape(&new.kind)),
            format!(
                "breaking at run time: {} operation(s) unwrap their answers differently{}",
                users.len(),
                if users.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", users.join(", "))
                }
            ),
        );
    }
}

/// `wrapped {response_code, response_message, payload}, success [0]`, `bare`, `text`.
fn shape(kind: &EnvelopeKind) -> String {
    format!("`{kind}`")
}

fn compare_auth(out: &mut Comparison, old: &Spec, new: &Spec) {
    if old.auth.token != new.auth.token {
        out.breaking(
            "auth.token",
            "token exchange changed".into(),
            "breaking at run time: the client asks for and reads its token differently",
        );
    }
    if old.auth.default_scheme != new.auth.default_scheme {
        out.compatible(
            "auth.default_scheme",
            format!(
                "default scheme `{}` → `{}`",
                old.auth.default_scheme, new.auth.default_scheme
            ),
            "operations without `auth:` send other headers; no Rust signature changes",
        );
    }
    if old.auth.invalid_token_codes != new.auth.invalid_token_codes {
        out.compatible(
            "auth.invalid_token_codes",
            format!(
                "{:?} → {:?}",
                old.auth.invalid_token_codes, new.auth.invalid_token_codes
            ),
            "changes which answers make the client refresh its token and retry once",
        );
    }
    let headers = |scheme: &AuthScheme| -> Vec<String> {
        scheme
            .headers
            .iter()
            .map(|h| format!("{}: {}{:?}", h.name, h.prefix, h.value))
            .collect()
    };
    for (name, scheme) in &old.auth.schemes {
        let subject = format!("auth.schemes.{name}");
        match new.auth.schemes.get(name) {
            None => out.compatible(
                &subject,
                "scheme removed".into(),
                "operations that used it are listed with their own change",
            ),
            Some(new_scheme) => {
                out.doc_if(scheme.doc != new_scheme.doc, &subject);
                if headers(scheme) != headers(new_scheme) {
                    out.compatible(
                        &subject,
                        "headers changed".into(),
                        "its operations send other headers; no Rust signature changes",
                    );
                }
            }
        }
    }
    for name in new
        .auth
        .schemes
        .keys()
        .filter(|n| !old.auth.schemes.contains_key(*n))
    {
        out.compatible(
            &format!("auth.schemes.{name}"),
            "scheme added".into(),
            "nothing existing changes",
        );
    }
}

/// `waiter:` added, removed, renamed or polling another field.
fn compare_waiter(out: &mut Comparison, subject: &str, old: &Operation, new: &Operation) {
    let subject = format!("{subject}.waiter");
    let accessor = |op: &Operation, method: &str| format!("client.{}().{method}", op.area.as_str());
    match (&old.waiter, &new.waiter) {
        (None, None) => {}
        (None, Some(waiter)) => out.compatible(
            &subject,
            format!("waiter added (`{}`)", waiter.status_field),
            format!("a new method `{}(..)`", accessor(new, &waiter.method)),
        ),
        (Some(waiter), None) => out.breaking(
            &subject,
            "waiter removed".to_owned(),
            format!("`{}(..)` no longer exists", accessor(old, &waiter.method)),
        ),
        (Some(before), Some(after)) => {
            if (&old.area, &before.method) != (&new.area, &after.method) {
                out.breaking(
                    &subject,
                    format!(
                        "waiter `{}(..)` → `{}(..)`",
                        accessor(old, &before.method),
                        accessor(new, &after.method)
                    ),
                    "calls to the old method stop compiling".to_owned(),
                );
            }
            if before.status_field != after.status_field {
                out.compatible(
                    &subject,
                    format!(
                        "waits on `{}` → `{}`",
                        before.status_field, after.status_field
                    ),
                    "the method is unchanged; it stops at the new field's final values".to_owned(),
                );
            }
        }
    }
}
