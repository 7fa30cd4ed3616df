//! The sections that appear once in the whole spec: `api`, `environments`, `auth`, `envelopes`.

use std::collections::BTreeMap;

use crate::decode::{Decoder, Item};
use crate::model::{
    Api, Auth, AuthHeader, AuthScheme, BodyCipher, CipherAlgorithm, Credential, Envelope,
    EnvelopeKind, Environment, ErrorFields, HeaderCredential, TokenExchange, TokenExpiry,
    TokenKind,
};
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
    let allowed = &["name", "version", "doc", "docs_url", "required_headers"];
    let keys = d.keys(node, path, owner, allowed)?;
    let name = keys.required_string(d, "name");
    let version = keys.required_string(d, "version");
    let doc = keys.required_string(d, "doc");
    let docs_url = keys.optional_string(d, "docs_url");
    let required_headers = match keys.get("required_headers") {
        None => Some(Vec::new()),
        Some(node) => required_headers(d, node, &keys.path_of("required_headers")),
    };
    Some(Api {
        name: name?,
        version: version?,
        doc: doc?,
        docs_url: docs_url.ok()?,
        required_headers: required_headers?,
    })
}

/// The headers the client always sends: the only ones `required_headers` may list.
pub(crate) const ALWAYS_SENT_HEADERS: [&str; 1] = ["User-Agent"];

/// `required_headers: [User-Agent]`: headers the client always sends.
fn required_headers(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<Vec<String>> {
    let Value::Seq(items) = &node.value else {
        d.wrong_type(node, path, "a list of header names");
        return None;
    };
    let mut names = Vec::new();
    let mut ok = true;
    for (index, item) in items.iter().enumerate() {
        let item_path = path.index(index);
        let Some(name) = d.string(item, &item_path) else {
            ok = false;
            continue;
        };
        match ALWAYS_SENT_HEADERS
            .iter()
            .find(|sent| sent.eq_ignore_ascii_case(&name))
        {
            Some(sent) => names.push((*sent).to_string()),
            None => {
                d.error(
                    item.span,
                    &item_path,
                    format!("'{name}' is not a header the client sends on every request"),
                )
                .help(format!(
                    "the client always sends: {}; a header operations send is an operation's \
                     `headers:` parameter or an auth scheme's header",
                    ALWAYS_SENT_HEADERS.join(", ")
                ));
                ok = false;
            }
        }
    }
    ok.then_some(names)
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
    let mut ok = crate::products::snake_name(d, item, path, "environment");
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
    let allowed = &[
        "token",
        "default_scheme",
        "invalid_token_codes",
        "schemes",
        "credentials",
    ];
    let keys = d.keys(node, path, owner, allowed)?;
    let credentials = match keys.get("credentials") {
        None => Some(vec![Credential::AccessKey, Credential::SecretKey]),
        Some(node) => credential_list(d, node, &keys.path_of("credentials")),
    };
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
        credentials: credentials?,
    })
}

/// `credentials: [client_id, client_secret, username, password]`: what the client builder
/// takes, in order; each once, never `token` (the client fetches it).
fn credential_list(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<Vec<Credential>> {
    let Value::Seq(items) = &node.value else {
        d.wrong_type(node, path, "a list of credential names");
        return None;
    };
    let mut credentials = Vec::new();
    let mut ok = !items.is_empty();
    if items.is_empty() {
        d.error(node.span, path, "`credentials` is empty")
            .help("list what the client builder takes, e.g. `[access_key, secret_key]`");
    }
    for (index, item) in items.iter().enumerate() {
        let item_path = path.index(index);
        match credential_name(d, item, &item_path) {
            Some(Credential::Token) => {
                d.error(
                    item.span,
                    &item_path,
                    "`token` is not configured: the client fetches it",
                )
                .help("list the credentials the token exchange and auth headers use");
                ok = false;
            }
            Some(credential) if credentials.contains(&credential) => {
                d.error(
                    item.span,
                    &item_path,
                    format!("'{}' is listed twice", credential.as_str()),
                );
                ok = false;
            }
            Some(credential) => credentials.push(credential),
            None => ok = false,
        }
    }
    ok.then_some(credentials)
}

/// A credential's spec name.
pub(crate) fn credential_name(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
) -> Option<Credential> {
    let name = d.string(node, path)?;
    let credential = Credential::parse(&name);
    if credential.is_none() {
        let names = Credential::ALL.map(|(name, _)| name);
        let help = did_you_mean(&name, names)
            .unwrap_or_else(|| format!("the credentials are: {}", names.join(", ")));
        d.error(node.span, path, format!("unknown credential '{name}'"))
            .help(help);
    }
    credential
}

fn decode_token(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<TokenExchange> {
    let allowed = &[
        "kind",
        "operation",
        "access_key_field",
        "secret_key_field",
        "request_fields",
        "fixed_fields",
        "token_field",
        "expiry_field",
        "expiry",
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
    let kind = match keys.get("kind") {
        None => Some(TokenKind::KeyPair),
        Some(node) => pick(
            d,
            node,
            &keys.path_of("kind"),
            &[
                ("key_pair", TokenKind::KeyPair),
                ("oauth2_password", TokenKind::OAuth2Password),
            ],
        ),
    };
    let expiry = match keys.get("expiry") {
        None => Some(TokenExpiry::EpochMillis),
        Some(node) => pick(
            d,
            node,
            &keys.path_of("expiry"),
            &[
                ("epoch_ms", TokenExpiry::EpochMillis),
                ("seconds", TokenExpiry::Seconds),
            ],
        ),
    };
    let request_fields = token_request_fields(d, &keys);
    let fixed_fields = match keys.get("fixed_fields") {
        None => Some(Vec::new()),
        Some(node) => {
            let fields_path = keys.path_of("fixed_fields");
            let mut fields = Vec::new();
            let mut ok = matches!(node.value, Value::Map(_));
            for item in d.items(node, &fields_path, "field") {
                match d.scalar_text(item.value, &fields_path.key(item.name)) {
                    Some(value) => fields.push((item.name.to_string(), value)),
                    None => ok = false,
                }
            }
            if !ok && matches!(node.value, Value::Map(_)) {
                return None;
            }
            ok.then_some(fields)
        }
    };
    let token_field = keys.required_string(d, "token_field");
    let expiry_field = keys.required_string(d, "expiry_field");
    Some(TokenExchange {
        kind: kind?,
        operation: operation?,
        request_fields: request_fields?,
        fixed_fields: fixed_fields?,
        token_field: token_field?,
        expiry_field: expiry_field?,
        expiry: expiry?,
    })
}

/// The request fields the client fills with credentials: `request_fields: {field: credential}`,
/// or the key-pair shorthand `access_key_field` / `secret_key_field` (not both forms).
fn token_request_fields(
    d: &mut Decoder<'_>,
    keys: &crate::decode::Keys<'_>,
) -> Option<Vec<(String, Credential)>> {
    let shorthand = ["access_key_field", "secret_key_field"];
    if let Some(node) = keys.get("request_fields") {
        if let Some(key) = shorthand.iter().find(|key| keys.has(key)) {
            d.error(
                keys.key_span(key),
                &keys.path_of(key),
                format!("`{key}` and `request_fields` both name request fields"),
            )
            .help("list every credential field in `request_fields` and drop the shorthand");
            return None;
        }
        let fields_path = keys.path_of("request_fields");
        let mut fields = Vec::new();
        let mut ok = matches!(node.value, Value::Map(_));
        for item in d.items(node, &fields_path, "field") {
            match credential_name(d, item.value, &fields_path.key(item.name)) {
                Some(credential) => fields.push((item.name.to_string(), credential)),
                None => ok = false,
            }
        }
        return ok.then_some(fields);
    }
    let access = keys.required_string(d, "access_key_field");
    let secret = keys.required_string(d, "secret_key_field");
    Some(vec![
        (access?, Credential::AccessKey),
        (secret?, Credential::SecretKey),
    ])
}

/// One of `choices` by its spec spelling.
fn pick<T: Copy>(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    choices: &[(&'static str, T)],
) -> Option<T> {
    let text = d.string(node, path)?;
    let found = choices
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, v)| *v);
    if found.is_none() {
        let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
        let help = did_you_mean(&text, names.iter().copied())
            .unwrap_or_else(|| format!("write one of: {}", names.join(", ")));
        d.error(node.span, path, format!("unknown value '{text}'"))
            .help(help);
    }
    found
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
    if let Value::Map(_) = item.value.value {
        let keys = d.keys(item.value, path, item.key_span, &["basic"])?;
        let node = keys.required(d, "basic")?;
        let basic_path = keys.path_of("basic");
        let pair = match &node.value {
            Value::Seq(items) if items.len() == 2 => {
                let user = credential_name(d, &items[0], &basic_path.index(0));
                let password = credential_name(d, &items[1], &basic_path.index(1));
                Some((user?, password?))
            }
            _ => {
                d.error(node.span, &basic_path, "`basic` takes two credentials")
                    .help("write `basic: [client_id, client_secret]`: the user, then the password");
                None
            }
        }?;
        return Some(AuthHeader {
            name: item.name.to_string(),
            prefix: "Basic ".to_string(),
            value: HeaderCredential::Basic(pair.0, pair.1),
        });
    }
    let template = d.string(item.value, path)?;
    match header_template(&template) {
        Ok((prefix, credential)) => Some(AuthHeader {
            name: item.name.to_string(),
            prefix,
            value: HeaderCredential::One(credential),
        }),
        Err(reason) => {
            d.error(item.value.span, path, format!("bad header template '{template}': {reason}"))
                .help("write literal text followed by one placeholder, e.g. \"Bearer {token}\" or \"{access_key}\", or `{basic: [client_id, client_secret]}`");
            None
        }
    }
}

/// Splits `"Bearer {token}"` into its literal prefix and credential.
pub(crate) fn header_template(template: &str) -> Result<(String, Credential), String> {
    let Some((prefix, credential)) = Credential::ALL.iter().find_map(|(name, credential)| {
        let rest = template
            .strip_suffix('}')?
            .strip_suffix(name)?
            .strip_suffix('{')?;
        Some((rest, *credential))
    }) else {
        return Err(if template.contains('{') {
            "it must end with a credential placeholder such as `{token}` or `{access_key}`"
                .to_string()
        } else {
            "it has no placeholder such as `{token}` or `{access_key}`".to_string()
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
        "cipher",
        "errors",
    ];
    let keys = d.keys(item.value, path, item.key_span, allowed)?;
    let doc = keys.required_string(d, "doc");
    let cipher = match keys.get("cipher") {
        None => Some(None),
        Some(node) => {
            decode_cipher(d, node, &keys.path_of("cipher"), keys.key_span("cipher")).map(Some)
        }
    };
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
    if cipher.as_ref().is_some_and(Option::is_some) && kind == EnvelopeKind::Text {
        d.error(
            keys.key_span("cipher"),
            &keys.path_of("cipher"),
            "a text envelope cannot have a cipher",
        )
        .help("a body cipher wraps JSON bodies");
        return None;
    }
    let error_fields = match keys.get("errors") {
        None => Some(None),
        Some(_) if !matches!(kind, EnvelopeKind::Wrapped { .. }) => {
            d.error(
                keys.key_span("errors"),
                &keys.path_of("errors"),
                format!("`kind: {}` takes no `errors`", kind.name()),
            )
            .help("a bare envelope names its failure fields with `code_field` and `message_field`");
            return None;
        }
        Some(node) => {
            let path = keys.path_of("errors");
            let errors = d.keys(
                node,
                &path,
                keys.key_span("errors"),
                &["code_field", "message_field"],
            );
            errors.and_then(|errors| {
                let code_field = errors.required_string(d, "code_field");
                let message_field = errors.required_string(d, "message_field");
                Some(Some(ErrorFields {
                    code_field: code_field?,
                    message_field: message_field?,
                }))
            })
        }
    };
    Some(Envelope {
        name: item.name.to_string(),
        doc: doc?,
        kind,
        cipher: cipher?,
        error_fields: error_fields?,
    })
}

/// `cipher: {algorithm: aes128_ecb_sha256_key, field: request, key: client_secret}`.
fn decode_cipher(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<BodyCipher> {
    let keys = d.keys(node, path, owner, &["algorithm", "field", "key"])?;
    let algorithm = keys.required(d, "algorithm").and_then(|node| {
        pick(
            d,
            node,
            &keys.path_of("algorithm"),
            &[("aes128_ecb_sha256_key", CipherAlgorithm::Aes128EcbSha256Key)],
        )
    });
    let field = keys.required_string(d, "field");
    let key = keys
        .required(d, "key")
        .and_then(|node| credential_name(d, node, &keys.path_of("key")));
    if key == Some(Credential::Token) {
        d.error(
            keys.get("key").and_then(|node| node.span),
            &keys.path_of("key"),
            "the cipher key cannot be derived from the bearer token",
        )
        .help("name a configured credential, e.g. `client_secret`");
        return None;
    }
    Some(BodyCipher {
        algorithm: algorithm?,
        field: field?,
        key: key?,
    })
}
