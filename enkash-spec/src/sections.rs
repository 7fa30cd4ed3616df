//! The sections that appear once in the whole spec: `api`, `environments`, `auth`, `envelopes`.

use std::collections::BTreeMap;

use crate::decode::{Decoder, Item};
use crate::model::{
    Api, Auth, AuthHeader, AuthScheme, Credential, Envelope, EnvelopeKind, Environment,
    TokenExchange,
};
use crate::naming;
use crate::operations::NO_AUTH;
use crate::report::YamlPath;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

/// The keys a wrapped envelope needs (and the other kinds must not have).
const WRAPPED_KEYS: [&str; 4] = [
    "code_field",
    "message_field",
    "payload_field",
    "success_codes",
];

/// Decodes `api:`.
pub(crate) fn decode_api(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<Api> {
    let keys = d.keys(node, path, owner, &["name", "version", "doc", "docs_url"])?;
    let name = keys.required_string(d, "name");
    let version = keys.required_string(d, "version");
    let doc = keys.required_string(d, "doc");
    let docs_url = keys.optional_string(d, "docs_url");
    Some(Api {
        name: name?,
        version: version?,
        doc: doc?,
        docs_url: docs_url.ok()?,
    })
}

/// Decodes `environments:`, in file order.
pub(crate) fn decode_environments(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<Vec<Environment>> {
    let items = d.items(node, path, "environment");
    let mut complete = matches!(node.value, Value::Map(_));
    if complete && items.is_empty() {
        d.error(owner, path, "`environments` lists no host")
            .help("add at least one environment, e.g. `uat: {url: https://..., doc: ...}`");
        complete = false;
    }
    let mut environments = Vec::new();
    for item in items {
        match decode_environment(d, &item, &path.key(item.name)) {
            Some(environment) => environments.push(environment),
            None => complete = false,
        }
    }
    complete.then_some(environments)
}

fn decode_environment(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
) -> Option<Environment> {
    let mut ok = true;
    if !naming::is_snake_identifier(item.name) {
        d.error(
            item.key_span,
            path,
            format!("environment name '{}' is not snake_case", item.name),
        )
        .maybe_help(
            Some(naming::snake(item.name))
                .filter(|s| naming::is_snake_identifier(s))
                .map(|s| format!("did you mean '{s}'?")),
        );
        ok = false;
    }
    let keys = d.keys(item.value, path, item.key_span, &["url", "doc"])?;
    let url = keys.required_string(d, "url");
    let doc = keys.required_string(d, "doc");
    if let Some(url) = &url {
        let span = keys.get("url").and_then(|node| node.span);
        let url_path = keys.path_of("url");
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            d.error(
                span,
                &url_path,
                format!("url '{url}' does not start with https:// or http://"),
            );
            ok = false;
        } else if url.ends_with('/') {
            d.error(span, &url_path, format!("url '{url}' ends with '/'"))
                .help("remove the trailing slash: operation paths start with '/'");
            ok = false;
        }
    }
    let environment = Environment {
        name: item.name.to_string(),
        url: url?,
        doc: doc?,
    };
    ok.then_some(environment)
}

/// Decodes `auth:`.
pub(crate) fn decode_auth(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<Auth> {
    let allowed = &["token", "default_scheme", "invalid_token_codes", "schemes"];
    let keys = d.keys(node, path, owner, allowed)?;
    let token = keys
        .required(d, "token")
        .and_then(|node| decode_token(d, node, &keys.path_of("token"), keys.key_span("token")));
    let schemes = keys
        .required(d, "schemes")
        .and_then(|node| decode_schemes(d, node, &keys.path_of("schemes")));
    let default_scheme = keys.required_string(d, "default_scheme");
    if let (Some(name), Some(schemes)) = (&default_scheme, &schemes)
        && !schemes.contains_key(name)
    {
        let span = keys.get("default_scheme").and_then(|node| node.span);
        let help = did_you_mean(name, schemes.keys().map(String::as_str));
        d.error(
            span,
            &keys.path_of("default_scheme"),
            format!("unknown auth scheme '{name}'"),
        )
        .maybe_help(help.or_else(|| Some("name a scheme of `auth.schemes`".to_string())));
    }
    let invalid_token_codes = match keys.get("invalid_token_codes") {
        None => Some(Vec::new()),
        Some(node) => d.integers(node, &keys.path_of("invalid_token_codes")),
    };
    Some(Auth {
        token: token?,
        schemes: schemes?,
        default_scheme: default_scheme?,
        invalid_token_codes: invalid_token_codes?,
    })
}

fn decode_token(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<TokenExchange> {
    let allowed = &[
        "operation",
        "access_key_field",
        "secret_key_field",
        "token_field",
        "expiry_field",
    ];
    let keys = d.keys(node, path, owner, allowed)?;
    let operation = keys.required_string(d, "operation");
    if let Some(id) = &operation
        && !d.names.operations.contains(id)
    {
        let span = keys.get("operation").and_then(|node| node.span);
        let help = did_you_mean(id, d.names.operations.iter().map(String::as_str));
        d.error(
            span,
            &keys.path_of("operation"),
            format!("unknown operation '{id}'"),
        )
        .maybe_help(help);
    }
    let access_key_field = keys.required_string(d, "access_key_field");
    let secret_key_field = keys.required_string(d, "secret_key_field");
    let token_field = keys.required_string(d, "token_field");
    let expiry_field = keys.required_string(d, "expiry_field");
    Some(TokenExchange {
        operation: operation?,
        access_key_field: access_key_field?,
        secret_key_field: secret_key_field?,
        token_field: token_field?,
        expiry_field: expiry_field?,
    })
}

fn decode_schemes(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
) -> Option<BTreeMap<String, AuthScheme>> {
    let mut schemes = BTreeMap::new();
    let mut complete = matches!(node.value, Value::Map(_));
    for item in d.items(node, path, "auth scheme") {
        let scheme_path = path.key(item.name);
        if item.name == NO_AUTH {
            d.error(
                item.key_span,
                &scheme_path,
                "the scheme name 'none' is reserved",
            )
            .help("`auth: none` means an operation sends no auth headers");
            complete = false;
            continue;
        }
        match decode_scheme(d, &item, &scheme_path) {
            Some(scheme) => {
                schemes.insert(scheme.name.clone(), scheme);
            }
            None => complete = false,
        }
    }
    complete.then_some(schemes)
}

fn decode_scheme(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<AuthScheme> {
    let keys = d.keys(item.value, path, item.key_span, &["doc", "headers"])?;
    let doc = keys.required_string(d, "doc");
    let headers_node = keys.required(d, "headers");
    let headers_path = keys.path_of("headers");
    let headers = headers_node.map(|node| {
        let mut headers = Vec::new();
        let mut ok = matches!(node.value, Value::Map(_));
        for header in d.items(node, &headers_path, "header") {
            match decode_header(d, &header, &headers_path.key(header.name)) {
                Some(header) => headers.push(header),
                None => ok = false,
            }
        }
        ok.then_some(headers)
    });
    Some(AuthScheme {
        name: item.name.to_string(),
        doc: doc?,
        headers: headers??,
    })
}

/// `Name: "literal {token}"`: literal text, then exactly one placeholder at the end.
fn decode_header(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<AuthHeader> {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if item.name.is_empty() || !item.name.chars().all(is_token_char) {
        d.error(
            item.key_span,
            path,
            format!("'{}' is not a valid HTTP header name", item.name),
        );
        return None;
    }
    let template = d.string(item.value, path)?;
    match header_template(&template) {
        Ok((prefix, credential)) => Some(AuthHeader {
            name: item.name.to_string(),
            prefix,
            credential,
        }),
        Err(reason) => {
            d.error(item.value.span, path, format!("bad header template '{template}': {reason}"))
                .help("write literal text followed by one placeholder, e.g. \"Bearer {token}\" or \"{access_key}\"");
            None
        }
    }
}

/// Splits `"Bearer {token}"` into its literal prefix and credential.
pub(crate) fn header_template(template: &str) -> Result<(String, Credential), String> {
    let placeholders = [
        ("{token}", Credential::Token),
        ("{access_key}", Credential::AccessKey),
    ];
    let Some((prefix, credential)) = placeholders.iter().find_map(|(placeholder, credential)| {
        Some((template.strip_suffix(placeholder)?, *credential))
    }) else {
        return Err(if template.contains('{') {
            "it must end with `{token}` or `{access_key}`".to_string()
        } else {
            "it has no `{token}` or `{access_key}` placeholder".to_string()
        });
    };
    if prefix.contains(['{', '}']) {
        return Err("it must have exactly one placeholder, at its end".to_string());
    }
    Ok((prefix.to_string(), credential))
}

/// Decodes `envelopes:`.
pub(crate) fn decode_envelopes(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
) -> Option<BTreeMap<String, Envelope>> {
    let mut envelopes = BTreeMap::new();
    let mut complete = matches!(node.value, Value::Map(_));
    for item in d.items(node, path, "envelope") {
        match decode_envelope(d, &item, &path.key(item.name)) {
            Some(envelope) => {
                envelopes.insert(envelope.name.clone(), envelope);
            }
            None => complete = false,
        }
    }
    complete.then_some(envelopes)
}

fn decode_envelope(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<Envelope> {
    let allowed = &[
        "doc",
        "kind",
        "code_field",
        "message_field",
        "payload_field",
        "success_codes",
    ];
    let keys = d.keys(item.value, path, item.key_span, allowed)?;
    let doc = keys.required_string(d, "doc");
    let kind_node = keys.required(d, "kind")?;
    let kind_path = keys.path_of("kind");
    let kind = match d.string(kind_node, &kind_path)?.as_str() {
        "wrapped" => {
            let code_field = keys.required_string(d, "code_field");
            let message_field = keys.required_string(d, "message_field");
            let payload_field = keys.required_string(d, "payload_field");
            let codes_path = keys.path_of("success_codes");
            let success_codes = keys
                .required(d, "success_codes")
                .and_then(|node| Some((node, d.integers(node, &codes_path)?)));
            let success_codes = match success_codes {
                Some((node, codes)) if codes.is_empty() => {
                    d.error(
                        node.span.or(keys.key_span("success_codes")),
                        &codes_path,
                        "`success_codes` is empty",
                    )
                    .help("list the codes that mean success, e.g. `[0]`");
                    None
                }
                other => other.map(|(_, codes)| codes),
            };
            EnvelopeKind::Wrapped {
                code_field: code_field?,
                message_field: message_field?,
                payload_field: payload_field?,
                success_codes: success_codes?,
            }
        }
        kind @ ("bare" | "text") => {
            // A bare body is the payload: it may name where a failed answer keeps its code and
            // message, but has no payload field or success codes; a text body has none of them.
            let refused: &[&str] = if kind == "bare" {
                &["payload_field", "success_codes"]
            } else {
                &WRAPPED_KEYS
            };
            let mut ok = true;
            for key in refused {
                if keys.has(key) {
                    d.error(
                        keys.key_span(key),
                        &keys.path_of(key),
                        format!("`kind: {kind}` takes no `{key}`"),
                    )
                    .help(if kind == "bare" {
                        "a bare body is the payload; it may only name `code_field` and \
                         `message_field`, where a failed answer carries them"
                    } else {
                        "only `kind: wrapped` has code, message and payload fields"
                    });
                    ok = false;
                }
            }
            if !ok {
                return None;
            }
            if kind == "bare" {
                let code_field = keys.optional_string(d, "code_field");
                let message_field = keys.optional_string(d, "message_field");
                EnvelopeKind::Bare {
                    code_field: code_field.ok()?,
                    message_field: message_field.ok()?,
                }
            } else {
                EnvelopeKind::Text
            }
        }
        other => {
            let help = did_you_mean(other, ["wrapped", "bare", "text"])
                .unwrap_or_else(|| "write `wrapped`, `bare` or `text`".to_string());
            d.error(
                kind_node.span,
                &kind_path,
                format!("unknown envelope kind '{other}'"),
            )
            .help(help);
            return None;
        }
    };
    Some(Envelope {
        name: item.name.to_string(),
        doc: doc?,
        kind,
    })
}
