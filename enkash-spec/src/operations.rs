//! Operations, undocumented operations and webhooks.

use crate::decode::{Decoder, Item, Keys};
use crate::fields::{FieldRole, PlacedField, decode_fields, field_type, report_collisions};
use crate::model::{
    Acknowledgement, BodyEncoding, Field, HttpMethod, Operation, OperationAuth, Pagination,
    Stability, UndocumentedOperation, Waiter, Webhook,
};
use crate::naming;
use crate::report::YamlPath;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

/// The keys of an operation.
const OPERATION_KEYS: &[&str] = &[
    "area",
    "client_method",
    "summary",
    "doc",
    "doc_url",
    "method",
    "path",
    "path_params",
    "query",
    "headers",
    "request",
    "request_encoding",
    "response",
    "envelope",
    "auth",
    "stability",
    "dedup_key",
    "idempotent",
    "waiter",
    "pagination",
];

/// The HTTP methods an operation may use.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// `auth:` value meaning "no auth headers".
pub(crate) const NO_AUTH: &str = "none";

/// A decoded operation whose `auth` may still be the spec's default scheme, which is only known
/// once every file is read.
pub(crate) struct OperationDraft {
    /// The operation; its `auth` is final only when `explicit_auth`.
    pub operation: Operation,
    /// True when the operation says `auth:` itself.
    pub explicit_auth: bool,
}

/// Reports an id (operation, webhook) that is not snake_case.
fn check_id(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath, what: &str) {
    if naming::is_snake_identifier(item.name) {
        return;
    }
    let snake = naming::snake(item.name);
    let problem = d.error(
        item.key_span,
        path,
        format!("{what} id '{}' is not snake_case", item.name),
    );
    if naming::is_snake_identifier(&snake) {
        problem.help(format!("did you mean '{snake}'?"));
    }
}

/// Decodes `operations.<id>`. `None` when the operation has a problem (reported).
pub(crate) fn decode_operation(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
) -> Option<OperationDraft> {
    check_id(d, item, path, "operation");
    let keys = d.keys(item.value, path, item.key_span, OPERATION_KEYS)?;
    let area = keys
        .required(d, "area")
        .and_then(|node| area(d, node, &keys.path_of("area")));
    let client_method = keys.required_string(d, "client_method").and_then(|name| {
        if naming::is_snake_identifier(&name) {
            return Some(name);
        }
        let span = keys.get("client_method").and_then(|node| node.span);
        d.error(
            span,
            &keys.path_of("client_method"),
            format!("client_method '{name}' is not a snake_case Rust identifier"),
        );
        None
    });
    let summary = keys.required_string(d, "summary");
    let doc = keys.required_string(d, "doc");
    let doc_url = keys.required_string(d, "doc_url");
    let method = keys
        .required(d, "method")
        .and_then(|node| method(d, node, &keys.path_of("method")));
    let path_template = keys
        .required(d, "path")
        .and_then(|node| path_template(d, node, &keys.path_of("path")));
    let params = parameters(d, &keys, path_template.as_ref());
    let request = optional_type(d, &keys, "request");
    let request_encoding = match keys.get("request_encoding") {
        None => Some(BodyEncoding::Json),
        Some(node) => request_encoding(d, node, &keys.path_of("request_encoding")),
    };
    let response = optional_type(d, &keys, "response");
    let envelope = keys
        .required_string(d, "envelope")
        .and_then(|name| envelope_name(d, &keys, name));
    let auth = match keys.get("auth") {
        None => Some(None),
        Some(node) => operation_auth(d, node, &keys.path_of("auth")).map(Some),
    };
    let stability = match keys.get("stability") {
        None => Some(Stability::Stable),
        Some(node) => stability(d, node, &keys.path_of("stability")),
    };
    let dedup_key = keys.optional_string(d, "dedup_key");
    let idempotent = idempotent(d, &keys, method, dedup_key.as_ref().ok());
    let pagination = match keys.get("pagination") {
        None => Some(None),
        Some(node) => {
            let path = keys.path_of("pagination");
            let span = keys.key_span("pagination");
            d.keys(node, &path, span, &["offset", "limit", "total", "items"])
                .and_then(|page| {
                    let offset = page.required_string(d, "offset");
                    let limit = page.required_string(d, "limit");
                    let total = page.required_string(d, "total");
                    let items = page.required_string(d, "items");
                    Some(Some(Pagination {
                        offset: offset?,
                        limit: limit?,
                        total: total?,
                        items: items?,
                    }))
                })
        }
    };
    let waiter = match keys.get("waiter") {
        None => Some(None),
        Some(node) => waiter(d, node, &keys.path_of("waiter"), keys.key_span("waiter")).map(Some),
    };
    let (path_params, query_params, header_params) = params?;
    let (template, _) = path_template?;
    let auth = auth?;
    Some(OperationDraft {
        explicit_auth: auth.is_some(),
        operation: Operation {
            id: item.name.to_string(),
            area: area?,
            client_method: client_method?,
            summary: summary?,
            doc: doc?,
            doc_url: doc_url?,
            method: method?,
            path: template,
            path_params,
            query_params,
            header_params,
            request: request.ok()?,
            request_encoding: request_encoding?,
            response: response.ok()?,
            envelope: envelope?,
            auth: auth.unwrap_or(OperationAuth::None),
            stability: stability?,
            dedup_key: dedup_key.ok()?,
            idempotent: idempotent?,
            waiter: waiter?,
            pagination: pagination?,
        },
    })
}

/// Reads `waiter: {method, status_field}`; whether the field exists and is a status enum is
/// checked once every file is read.
fn waiter(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    key_span: Option<crate::source::Span>,
) -> Option<Waiter> {
    let keys = d.keys(node, path, key_span, &["method", "status_field"])?;
    let method = keys.required_string(d, "method").and_then(|name| {
        if naming::is_snake_identifier(&name) {
            return Some(name);
        }
        let span = keys.get("method").and_then(|node| node.span);
        d.error(
            span,
            &keys.path_of("method"),
            format!("waiter method '{name}' is not a snake_case Rust identifier"),
        );
        None
    });
    let status_field = keys.required_string(d, "status_field");
    Some(Waiter {
        method: method?,
        status_field: status_field?,
    })
}

/// Reads `idempotent:` (default `false`). `true` is refused on a `GET` (every read already is)
/// and next to a `dedup_key` (which makes a resend safe only when the body carries the id).
fn idempotent(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    method: Option<HttpMethod>,
    dedup_key: Option<&Option<String>>,
) -> Option<bool> {
    let flag = keys.flag(d, "idempotent", false)?;
    let conflict = match (method, dedup_key) {
        _ if !flag => return Some(false),
        (Some(HttpMethod::Get), _) => (
            "a GET is always idempotent".to_string(),
            "remove `idempotent: true`",
        ),
        (_, Some(Some(key))) => (
            format!("an operation with dedup_key '{key}' cannot also be `idempotent: true`"),
            "keep `dedup_key` if resending is safe only with the same id; remove it if any resend is safe",
        ),
        _ => return Some(true),
    };
    let span = keys.get("idempotent").and_then(|node| node.span);
    d.error(span, &keys.path_of("idempotent"), conflict.0)
        .help(conflict.1);
    None
}

/// Reads `area:`, a snake_case name (the validator checks it against `areas:`).
fn area(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<String> {
    let name = d.string(node, path)?;
    if naming::is_snake_identifier(&name) {
        return Some(name);
    }
    d.error(node.span, path, format!("area '{name}' is not snake_case"))
        .maybe_help(
            Some(naming::snake(&name))
                .filter(|s| naming::is_snake_identifier(s))
                .map(|s| format!("did you mean '{s}'?")),
        );
    None
}

/// Reads `request_encoding:`, `json` or `form`.
fn request_encoding(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<BodyEncoding> {
    match d.string(node, path)?.as_str() {
        "json" => Some(BodyEncoding::Json),
        "form" => Some(BodyEncoding::Form),
        other => {
            d.error(
                node.span,
                path,
                format!("unknown request encoding '{other}'"),
            )
            .help("write `json` (the default) or `form` (application/x-www-form-urlencoded)");
            None
        }
    }
}

/// Reads `method:`.
fn method(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<HttpMethod> {
    let name = d.string(node, path)?;
    let method = HttpMethod::parse(&name);
    if method.is_none() {
        let help = did_you_mean(&name, METHODS)
            .unwrap_or_else(|| format!("the methods are: {}", METHODS.join(", ")));
        d.error(node.span, path, format!("unknown HTTP method '{name}'"))
            .help(help);
    }
    method
}

/// Reads `stability:`.
fn stability(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<Stability> {
    match d.string(node, path)?.as_str() {
        "stable" => Some(Stability::Stable),
        "developing" => Some(Stability::Developing),
        other => {
            let help = did_you_mean(other, ["stable", "developing"])
                .unwrap_or_else(|| "write `stable` or `developing`".to_string());
            d.error(node.span, path, format!("unknown stability '{other}'"))
                .help(help);
            None
        }
    }
}

/// Reads `auth:`: `none` or the name of an auth scheme.
fn operation_auth(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<OperationAuth> {
    let name = d.string(node, path)?;
    if name == NO_AUTH {
        return Some(OperationAuth::None);
    }
    if let Some(schemes) = &d.names.schemes
        && !schemes.contains(&name)
    {
        let candidates = schemes.iter().map(String::as_str).chain([NO_AUTH]);
        let help = did_you_mean(&name, candidates);
        d.error(node.span, path, format!("unknown auth scheme '{name}'"))
            .maybe_help(help.or_else(|| Some("name a scheme of `auth.schemes`, or `none`".into())));
        return None;
    }
    Some(OperationAuth::Scheme(name))
}

/// Checks that `envelope:` names an envelope.
fn envelope_name(d: &mut Decoder<'_>, keys: &Keys<'_>, name: String) -> Option<String> {
    let Some(envelopes) = &d.names.envelopes else {
        return Some(name);
    };
    if envelopes.contains(&name) {
        return Some(name);
    }
    let help = did_you_mean(&name, envelopes.iter().map(String::as_str));
    let span = keys.get("envelope").and_then(|node| node.span);
    d.error(
        span,
        &keys.path_of("envelope"),
        format!("unknown envelope '{name}'"),
    )
    .maybe_help(help.or_else(|| Some("name an envelope of `envelopes`".into())));
    None
}

/// An optional type (`request`, `response`): `Ok(None)` when absent, `Err(())` when wrong.
fn optional_type(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    key: &'static str,
) -> Result<Option<crate::model::TypeRef>, ()> {
    match keys.get(key) {
        None => Ok(None),
        Some(node) => field_type(d, node, &keys.path_of(key)).map(Some).ok_or(()),
    }
}

/// Reads `path:` and the names of its `{parameters}`, in order.
fn path_template(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
) -> Option<(String, Vec<String>)> {
    let template = d.string(node, path)?;
    match template_params(&template) {
        Ok(names) => Some((template, names)),
        Err(reason) => {
            d.error(
                node.span,
                path,
                format!("malformed path '{template}': {reason}"),
            );
            None
        }
    }
}

/// The `{name}` placeholders of a path template, in order.
pub(crate) fn template_params(template: &str) -> Result<Vec<String>, String> {
    if !template.starts_with('/') {
        return Err("a path starts with '/'".to_string());
    }
    if template.contains(['?', '#']) || template.contains(char::is_whitespace) {
        return Err(
            "a path has no query, fragment or spaces (use `query:` for parameters)".to_string(),
        );
    }
    let mut names = Vec::new();
    let mut open: Option<String> = None;
    for c in template.chars() {
        match (c, open.as_mut()) {
            ('{', None) => open = Some(String::new()),
            ('{', Some(_)) => return Err("'{' inside a parameter".to_string()),
            ('}', None) => return Err("'}' without '{'".to_string()),
            ('}', Some(name)) => {
                if name.is_empty() {
                    return Err("empty parameter name '{}'".to_string());
                }
                names.push(std::mem::take(name));
                open = None;
            }
            ('/', Some(_)) => return Err("a parameter is not closed with '}'".to_string()),
            (c, Some(name)) => name.push(c),
            (_, None) => {}
        }
    }
    if open.is_some() {
        return Err("a parameter is not closed with '}'".to_string());
    }
    Ok(names)
}

/// The path, query and header parameters, checked against the path template. Path parameters
/// come back in template order.
fn parameters(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    template: Option<&(String, Vec<String>)>,
) -> Option<(Vec<Field>, Vec<Field>, Vec<Field>)> {
    let mut group = |key: &'static str, role| match keys.get(key) {
        None => (Vec::new(), true),
        Some(node) => decode_fields(d, node, &keys.path_of(key), role),
    };
    let (path_params, path_ok) = group("path_params", FieldRole::PathParam);
    let (query, query_ok) = group("query", FieldRole::Query);
    let (headers, headers_ok) = group("headers", FieldRole::Header);
    let all: Vec<&PlacedField> = path_params.iter().chain(&query).chain(&headers).collect();
    report_collisions(d, &all);
    let mut ok = path_ok && query_ok && headers_ok;
    if let Some((template, names)) = template {
        let declared = keys.get("path_params").map(string_keys).unwrap_or_default();
        ok &= match_path_params(d, keys, template, names, &declared, &path_params);
    }
    if !ok {
        return None;
    }
    let mut ordered = Vec::new();
    if let Some((_, names)) = template {
        for name in names {
            if let Some(placed) = path_params.iter().find(|p| &p.field.wire_name == name) {
                ordered.push(placed.field.clone());
            }
        }
    }
    let fields = |placed: Vec<PlacedField>| placed.into_iter().map(|p| p.field).collect();
    Some((ordered, fields(query), fields(headers)))
}

/// Reports `{name}`s of the template without a `path_params` entry, entries not in the
/// template, and names the template repeats. `declared` are the keys of `path_params`.
fn match_path_params(
    d: &mut Decoder<'_>,
    keys: &Keys<'_>,
    template: &str,
    names: &[String],
    declared: &[String],
    decoded: &[PlacedField],
) -> bool {
    let mut ok = true;
    let path_span = keys.get("path").and_then(|node| node.span);
    let path_path = keys.path_of("path");
    for (index, name) in names.iter().enumerate() {
        if names.iter().take(index).any(|earlier| earlier == name) {
            d.error(
                path_span,
                &path_path,
                format!("'{{{name}}}' appears twice in the path"),
            )
            .help("each path parameter appears once");
            ok = false;
        } else if !declared.contains(name) {
            d.error(
                path_span,
                &path_path,
                format!("path parameter '{name}' has no entry in `path_params`"),
            )
            .help(format!(
                "add `{name}` to `path_params`, with its type and doc"
            ));
            ok = false;
        }
    }
    for placed in decoded {
        let name = &placed.field.wire_name;
        if !names.contains(name) {
            d.error(
                placed.key_span,
                &placed.path,
                format!("path parameter '{name}' does not appear in the path '{template}'"),
            )
            .maybe_help(did_you_mean(name, names.iter().map(String::as_str)));
            ok = false;
        }
    }
    ok
}

/// The string keys of a mapping node.
fn string_keys(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|entry| match &entry.key.value {
                Value::String(name) => Some(name.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Decodes `undocumented_operations.<id>`.
pub(crate) fn decode_undocumented(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
) -> Option<UndocumentedOperation> {
    check_id(d, item, path, "operation");
    let allowed = &["area", "summary", "method", "doc", "doc_url"];
    let keys = d.keys(item.value, path, item.key_span, allowed)?;
    let area = keys
        .required(d, "area")
        .and_then(|node| area(d, node, &keys.path_of("area")));
    let summary = keys.required_string(d, "summary");
    let method = match keys.get("method") {
        None => Some(None),
        Some(node) => method(d, node, &keys.path_of("method")).map(Some),
    };
    let doc = keys.required_string(d, "doc");
    let doc_url = keys.required_string(d, "doc_url");
    Some(UndocumentedOperation {
        id: item.name.to_string(),
        area: area?,
        summary: summary?,
        method: method?,
        doc: doc?,
        doc_url: doc_url?,
    })
}

/// Decodes `webhooks.<id>`.
pub(crate) fn decode_webhook(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
) -> Option<Webhook> {
    check_id(d, item, path, "webhook");
    if let Some(twin) = item.name.strip_suffix("_recording") {
        d.error(
            item.key_span,
            path,
            format!("webhook id '{}' ends in '_recording'", item.name),
        )
        .help(format!(
            "`parse_{}` would clash with the recording twin of a webhook '{twin}' \
             (`parse_<id>_recording`): choose another id",
            item.name
        ));
    }
    let allowed = &["summary", "doc", "doc_url", "payload", "acknowledgement"];
    let keys = d.keys(item.value, path, item.key_span, allowed)?;
    let summary = keys.required_string(d, "summary");
    let doc = keys.required_string(d, "doc");
    let doc_url = keys.required_string(d, "doc_url");
    let payload = keys
        .required(d, "payload")
        .and_then(|node| field_type(d, node, &keys.path_of("payload")));
    let acknowledgement = match keys.get("acknowledgement") {
        None => Some(None),
        Some(node) => decode_acknowledgement(
            d,
            node,
            &keys.path_of("acknowledgement"),
            keys.key_span("acknowledgement"),
        )
        .map(Some),
    };
    Some(Webhook {
        id: item.name.to_string(),
        summary: summary?,
        doc: doc?,
        doc_url: doc_url?,
        payload: payload?,
        acknowledgement: acknowledgement?,
    })
}

/// Decodes a webhook's `acknowledgement: {status, body}`: a status from 100 to 599 and the body
/// text.
fn decode_acknowledgement(
    d: &mut Decoder<'_>,
    node: &crate::yaml::Node,
    path: &YamlPath,
    key_span: Option<crate::source::Span>,
) -> Option<Acknowledgement> {
    let keys = d.keys(node, path, key_span, &["status", "body"])?;
    let status = keys.required(d, "status").and_then(|status_node| {
        let status_path = keys.path_of("status");
        let value = d.unsigned(status_node, &status_path)?;
        match u16::try_from(value)
            .ok()
            .filter(|code| (100..=599).contains(code))
        {
            Some(code) => Some(code),
            None => {
                d.error(
                    status_node.span,
                    &status_path,
                    format!("HTTP status {value} is not between 100 and 599"),
                );
                None
            }
        }
    });
    let body = keys.required_string(d, "body");
    Some(Acknowledgement {
        status: status?,
        body: body?,
    })
}
