//! `cargo xtask openapi [--spec DIR] [--out FILE]`: the spec as an OpenAPI 3.0.3 document.
//!
//! OpenAPI 3.0.3 is what most tools read (progenitor rejects 3.1). The mapping:
//!
//! - every operation under `paths`, `operationId` = the spec id, tagged with its area; a single
//!   `200` response with one media type, so generators such as progenitor accept it;
//! - wrapped envelopes become one wrapper schema per payload (`StandardEnvelope_OrderGetResponse`);
//!   bare envelopes answer the payload itself; text envelopes answer `text/plain`;
//! - decimals are `type: number` (`string` for `decimal_string`) with `format: decimal` and a note
//!   that they are exact; dates use `format` or a `pattern`; enums are string enums; `json` and
//!   `undocumented` are `{}` with a description;
//! - OpenAPI 3.0 has no `webhooks` key: webhooks are listed under `x-webhooks` (in the shape of
//!   3.1's `webhooks`), their payloads in `components/schemas`;
//! - what OpenAPI cannot say goes in `x-` extensions: envelopes, endpoints without a published
//!   path, the token exchange, stability and deduplication keys.
//!
//! [`document`] is pure; [`run`] writes the file only when its contents change.

mod types;

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use enkash_spec::{
    AuthHeader, Credential, Field, HeaderCredential, Operation, OperationAuth, Spec, Stability,
    Webhook,
};

use crate::files::{self, Change};
use crate::json::{Json, Object};
use types::{
    datetime_schema, enum_schema, envelope_extension, envelope_schema, envelope_schema_name,
    object_schema, schema_ref, type_schema, value_schema,
};

/// The OpenAPI version written.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// Where the project's export lives, relative to the workspace root.
pub const PROJECT_FILE: &str = "enkash-spec/openapi.json";

/// Where to read the spec and write the document.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder of `*.yaml` spec files.
    pub spec_dir: PathBuf,
    /// The JSON file to write.
    pub out_file: PathBuf,
}

impl Options {
    /// The project's own spec and `enkash-spec/openapi.json`.
    pub fn project_defaults() -> Self {
        Options {
            spec_dir: enkash_spec::default_spec_dir(),
            out_file: crate::workspace_root().join(PROJECT_FILE),
        }
    }
}

/// Why `openapi` wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The spec has errors (already rendered like rustc).
    Spec(enkash_spec::Diagnostics),
    /// Reading or writing the file failed.
    Io(PathBuf, io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Spec(diagnostics) => write!(f, "{diagnostics}"),
            Failure::Io(path, err) => write!(f, "error: {}: {err}", path.display()),
        }
    }
}

/// Loads the spec and writes the document, and one per other product of the tree beside it
/// ([`product_file`]); returns whether a file changed.
pub fn run(options: &Options) -> Result<bool, Failure> {
    let spec = enkash_spec::load(&options.spec_dir).map_err(Failure::Spec)?;
    let changes = tree_changes(&spec, &options.out_file)?;
    for (dir, change) in &changes {
        files::apply(dir, std::slice::from_ref(change))
            .map_err(|err| Failure::Io(options.out_file.clone(), err))?;
    }
    Ok(!changes.is_empty())
}

/// The change that brings `file` in step with the spec's document, if it is not already.
pub fn file_change(spec: &Spec, file: &Path) -> Result<Option<Change>, Failure> {
    let Some(path) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        let err = io::Error::new(io::ErrorKind::InvalidInput, "not a path to a file");
        return Err(Failure::Io(file.to_path_buf(), err));
    };
    let new = render(spec);
    match std::fs::read_to_string(file) {
        Ok(old) if files::normalize_newlines(&old) == new => Ok(None),
        Ok(old) => Ok(Some(Change::Update {
            path,
            old: files::normalize_newlines(&old),
            new,
        })),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Some(Change::Create {
            path,
            contents: new,
        })),
        Err(err) => Err(Failure::Io(file.to_path_buf(), err)),
    }
}

/// The folder holding `file` (`.` for a bare file name).
pub fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The document as the text written to disk.
pub fn render(spec: &Spec) -> String {
    Json::from(document(spec)).to_pretty()
}

/// The OpenAPI 3.0.3 document of `spec`.
pub fn document(spec: &Spec) -> Object {
    let mut info = Object::new()
        .with("title", spec.api.name.as_str())
        .with("version", spec.api.version.as_str())
        .with(
            "description",
            format!(
                "{}\n\nExported from enkash-spec by `cargo xtask openapi`; the YAML spec is the \
                 source of truth. Webhooks are listed under `x-webhooks` (OpenAPI 3.0 has no \
                 `webhooks` key).",
                spec.api.doc.trim()
            ),
        );
    info.insert("x-api-version", spec.api.version.as_str());
    let mut doc = Object::new()
        .with("openapi", OPENAPI_VERSION)
        .with("info", info);
    if let Some(url) = &spec.api.docs_url {
        doc.insert(
            "externalDocs",
            Object::new()
                .with("description", "EnKash API documentation")
                .with("url", url.as_str()),
        );
    }
    let servers: Vec<Json> = spec
        .environments
        .iter()
        .map(|env| {
            Object::new()
                .with("url", env.url.as_str())
                .with("description", format!("{}: {}", env.name, env.doc.trim()))
                .with("x-environment", env.name.as_str())
                .into()
        })
        .collect();
    doc.insert("servers", servers);
    doc.insert("tags", tags(spec));
    doc.insert("paths", paths(spec));
    doc.insert("components", components(spec));
    doc.insert("x-webhooks", webhooks(spec));
    let mut envelopes = Object::new();
    for envelope in spec.envelopes.values() {
        envelopes.insert(envelope.name.clone(), envelope_extension(envelope));
    }
    doc.insert("x-envelopes", envelopes);
    doc.insert("x-token-exchange", token_exchange(spec));
    if let Some(duplicates) = &spec.duplicate_ids {
        doc.insert(
            "x-duplicate-ids",
            Object::new()
                .with("description", duplicates.doc.trim())
                .with(
                    "statuses",
                    duplicates
                        .statuses
                        .iter()
                        .map(|s| Json::from(i64::from(*s)))
                        .collect::<Vec<_>>(),
                )
                .with(
                    "codes",
                    duplicates
                        .codes
                        .iter()
                        .map(|c| Json::from(*c))
                        .collect::<Vec<_>>(),
                ),
        );
    }
    let mut undocumented = Object::new();
    for op in spec.undocumented_operations.values() {
        undocumented.insert(
            op.id.clone(),
            Object::new()
                .with("summary", op.summary.as_str())
                .with("description", op.doc.trim())
                .with("tags", vec![op.area.as_str()])
                .with_some("method", op.method.map(|m| m.as_str()))
                .with(
                    "externalDocs",
                    Object::new().with("url", op.doc_url.as_str()),
                ),
        );
    }
    doc.insert("x-undocumented-operations", undocumented);
    doc
}

fn tags(spec: &Spec) -> Vec<Json> {
    let used: BTreeSet<&str> = spec
        .operations
        .values()
        .map(|op| op.area.as_str())
        .chain(
            spec.undocumented_operations
                .values()
                .map(|op| op.area.as_str()),
        )
        .collect();
    spec.areas
        .iter()
        .filter(|area| used.contains(area.name.as_str()))
        .map(|area| {
            Object::new()
                .with("name", area.name.as_str())
                .with("description", area.title.as_str())
                .into()
        })
        .collect()
}

/// Path items in path order; methods in the order GET, POST, PUT, PATCH, DELETE.
fn paths(spec: &Spec) -> Object {
    let mut by_path: Vec<&Operation> = spec.operations.values().collect();
    by_path.sort_by(|a, b| (&a.path, a.method).cmp(&(&b.path, b.method)));
    let mut paths = Object::new();
    for op in by_path {
        let mut item = match paths.remove(&op.path) {
            Some(Json::Object(item)) => item,
            _ => Object::new(),
        };
        item.insert(op.method.as_str().to_ascii_lowercase(), operation(spec, op));
        paths.insert(op.path.clone(), item);
    }
    paths
}

fn operation(spec: &Spec, op: &Operation) -> Object {
    let mut description = op.doc.trim().to_owned();
    if op.stability == Stability::Developing {
        description.push_str(
            "\n\nDeveloping: EnKash marks this page \"Developing\"; it may change without notice.",
        );
    }
    description.push_str(&format!(
        "\n\nRust: `client.{}().{}(..)`.",
        op.area.as_str(),
        op.client_method
    ));
    let mut object = Object::new()
        .with("operationId", op.id.as_str())
        .with("summary", op.summary.as_str())
        .with("description", description)
        .with("tags", vec![op.area.as_str()])
        .with(
            "externalDocs",
            Object::new().with("url", op.doc_url.as_str()),
        );
    let parameters: Vec<Json> = [
        ("path", &op.path_params),
        ("query", &op.query_params),
        ("header", &op.header_params),
    ]
    .into_iter()
    .flat_map(|(location, params)| params.iter().map(move |p| parameter(location, p)))
    .collect();
    if !parameters.is_empty() {
        object.insert("parameters", parameters);
    }
    if let Some(request) = &op.request {
        let media = match op.request_encoding {
            enkash_spec::BodyEncoding::Json => "application/json",
            enkash_spec::BodyEncoding::Form => "application/x-www-form-urlencoded",
        };
        object.insert(
            "requestBody",
            Object::new().with("required", true).with(
                "content",
                Object::new().with(media, Object::new().with("schema", type_schema(request))),
            ),
        );
    }
    if let Some(cipher) = spec
        .envelopes
        .get(&op.envelope)
        .and_then(|e| e.cipher.as_ref())
    {
        object.insert("x-body-cipher", types::body_cipher(cipher));
    }
    object.insert("responses", Object::new().with("200", response(spec, op)));
    object.insert("security", security(spec, op));
    let scheme = match &op.auth {
        OperationAuth::Scheme(name) => name.as_str(),
        OperationAuth::None => "none",
    };
    object.insert("x-auth-scheme", scheme);
    object.insert("x-envelope", op.envelope.as_str());
    if op.stability == Stability::Developing {
        object.insert("x-stability", "developing");
    }
    if let Some(key) = &op.dedup_key {
        object.insert("x-dedup-key", key.as_str());
    }
    if let Some(pagination) = &op.pagination {
        object.insert(
            "x-pagination",
            Object::new()
                .with("offset", pagination.offset.as_str())
                .with("limit", pagination.limit.as_str())
                .with("total", pagination.total.as_str())
                .with("items", pagination.items.as_str()),
        );
    }
    object
}

/// The export of product `name` beside `file` (`openapi.json` → `openapi.payouts.json`).
pub fn product_file(file: &Path, name: &str) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "openapi".into(), |s| s.to_string_lossy().into_owned());
    parent_dir(file).join(format!("{stem}.{name}.json"))
}

/// The changes that bring `file` and its products' exports in step with the spec tree, each
/// with the folder its path is relative to.
pub fn tree_changes(spec: &Spec, file: &Path) -> Result<Vec<(PathBuf, Change)>, Failure> {
    let mut changes = Vec::new();
    if let Some(change) = file_change(spec, file)? {
        changes.push((parent_dir(file), change));
    }
    for product in spec.products.values() {
        let product_file = product_file(file, &product.name);
        if let Some(change) = file_change(&product.spec, &product_file)? {
            changes.push((parent_dir(&product_file), change));
        }
    }
    Ok(changes)
}

fn parameter(location: &str, field: &Field) -> Json {
    let mut schema = value_schema(field);
    // The type's note (exact decimal, date form) belongs with the parameter's doc.
    let note = match schema.remove("description") {
        Some(Json::String(note)) => format!("\n\n{note}"),
        _ => String::new(),
    };
    if field.nullable {
        schema.insert("nullable", true);
    }
    Object::new()
        .with("name", field.wire_name.as_str())
        .with("in", location)
        .with("description", format!("{}{note}", field.doc.trim()))
        .with("required", field.required || location == "path")
        .with("schema", schema)
        .into()
}

fn response(spec: &Spec, op: &Operation) -> Object {
    let envelope = spec.envelopes.get(&op.envelope);
    let description = match envelope {
        Some(envelope) => format!(
            "Success, in the `{}` envelope: {}",
            envelope.name,
            envelope.doc.trim()
        ),
        None => "Success.".to_owned(),
    };
    let (media, schema) = match envelope {
        Some(envelope) if envelope.kind.wrapper().is_some() => (
            "application/json",
            Some(schema_ref(&envelope_schema_name(envelope, op))),
        ),
        Some(envelope) if !envelope.kind.is_json() => (
            "text/plain",
            Some(Object::new().with("type", "string").into()),
        ),
        _ => (
            "application/json",
            op.response.as_ref().map(|ty| type_schema(ty).into()),
        ),
    };
    let mut response = Object::new().with("description", description);
    if let Some(schema) = schema {
        response.insert(
            "content",
            Object::new().with(media, Object::new().with("schema", schema)),
        );
    }
    response
}

/// The security scheme component a header maps to: HTTP bearer for `Authorization: Bearer
/// {token}`, an API key in a header otherwise.
fn security_scheme_name(header: &AuthHeader) -> String {
    if is_bearer(header) {
        "bearerAuth".to_owned()
    } else {
        header
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

fn is_bearer(header: &AuthHeader) -> bool {
    header.name.eq_ignore_ascii_case("authorization")
        && header.prefix.trim().eq_ignore_ascii_case("bearer")
        && header.value == HeaderCredential::One(Credential::Token)
}

fn security(spec: &Spec, op: &Operation) -> Vec<Json> {
    let OperationAuth::Scheme(name) = &op.auth else {
        return Vec::new();
    };
    let Some(scheme) = spec.auth.schemes.get(name) else {
        return Vec::new();
    };
    let mut requirement = Object::new();
    for header in &scheme.headers {
        requirement.insert(security_scheme_name(header), Json::Array(Vec::new()));
    }
    vec![requirement.into()]
}

fn security_schemes(spec: &Spec) -> Object {
    let token_call = spec
        .token_operation()
        .map(|op| format!("`{} {}` ({})", op.method.as_str(), op.path, op.id))
        .unwrap_or_else(|| format!("operation {}", spec.auth.token.operation));
    let mut schemes = Object::new();
    for header in spec.auth.schemes.values().flat_map(|s| &s.headers) {
        let credential = match header.value {
            HeaderCredential::One(Credential::Token) => {
                format!("the bearer token from {token_call}")
            }
            HeaderCredential::One(Credential::AccessKey) => "the merchant access key".to_owned(),
            HeaderCredential::One(other) => format!("the `{}` credential", other.as_str()),
            HeaderCredential::Basic(user, password) => format!(
                "HTTP Basic with `{}` and `{}`",
                user.as_str(),
                password.as_str()
            ),
        };
        let scheme = if let HeaderCredential::Basic(..) = header.value {
            Object::new()
                .with("type", "http")
                .with("scheme", "basic")
                .with(
                    "description",
                    format!("`Authorization: Basic`: {credential}."),
                )
        } else if is_bearer(header) {
            Object::new()
                .with("type", "http")
                .with("scheme", "bearer")
                .with(
                    "description",
                    format!("`Authorization: Bearer` with {credential}."),
                )
        } else {
            let prefix = if header.prefix.is_empty() {
                String::new()
            } else {
                format!(" after the literal prefix `{}`", header.prefix)
            };
            Object::new()
                .with("type", "apiKey")
                .with("in", "header")
                .with("name", header.name.as_str())
                .with(
                    "description",
                    format!("Header `{}`: {credential}{prefix}.", header.name),
                )
        };
        schemes.insert(security_scheme_name(header), scheme);
    }
    schemes
}

fn token_exchange(spec: &Spec) -> Object {
    let token = &spec.auth.token;
    Object::new()
        .with("operationId", token.operation.as_str())
        .with("kind", token.kind.as_str())
        .with(
            "requestFields",
            token
                .request_fields
                .iter()
                .fold(Object::new(), |object, (wire, credential)| {
                    object.with(wire.as_str(), credential.as_str())
                }),
        )
        .with(
            "fixedFields",
            token
                .fixed_fields
                .iter()
                .fold(Object::new(), |object, (wire, value)| {
                    object.with(wire.as_str(), value.as_str())
                }),
        )
        .with("tokenField", token.token_field.as_str())
        .with("expiryField", token.expiry_field.as_str())
        .with(
            "expiry",
            match token.expiry {
                enkash_spec::TokenExpiry::EpochMillis => "epoch_ms",
                enkash_spec::TokenExpiry::Seconds => "seconds",
            },
        )
        .with(
            "credentials",
            spec.auth
                .credentials
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
        )
        .with("defaultScheme", spec.auth.default_scheme.as_str())
        .with(
            "invalidTokenCodes",
            spec.auth
                .invalid_token_codes
                .iter()
                .map(|c| Json::from(*c))
                .collect::<Vec<_>>(),
        )
        .with(
            "schemes",
            spec.auth
                .schemes
                .values()
                .fold(Object::new(), |object, scheme| {
                    object.with(
                        scheme.name.as_str(),
                        Object::new().with("description", scheme.doc.trim()).with(
                            "securitySchemes",
                            scheme
                                .headers
                                .iter()
                                .map(security_scheme_name)
                                .collect::<Vec<_>>(),
                        ),
                    )
                }),
        )
}

/// Named schemas, enums and date-time types in name order, then the envelope wrappers in name order.
fn components(spec: &Spec) -> Object {
    let mut named: Vec<(&str, Object)> = spec
        .schemas
        .values()
        .map(|s| (s.name.as_str(), object_schema(s)))
        .chain(
            spec.enums
                .values()
                .map(|e| (e.name.as_str(), enum_schema(e))),
        )
        .chain(
            spec.datetimes
                .values()
                .map(|d| (d.name.as_str(), datetime_schema(d))),
        )
        .collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    let mut schemas = Object::new();
    for (name, schema) in named {
        schemas.insert(name, schema);
    }
    let mut wrappers: Vec<(String, Object)> = Vec::new();
    for op in spec.operations.values() {
        let Some(envelope) = spec.envelopes.get(&op.envelope) else {
            continue;
        };
        if envelope.kind.wrapper().is_none() {
            continue;
        }
        let name = envelope_schema_name(envelope, op);
        if !wrappers.iter().any(|(n, _)| *n == name) {
            wrappers.push((name, envelope_schema(envelope, op.response.as_ref())));
        }
    }
    wrappers.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, schema) in wrappers {
        schemas.insert(name, schema);
    }
    Object::new()
        .with("schemas", schemas)
        .with("securitySchemes", security_schemes(spec))
}

/// The merchant's answer: the documented acknowledgement (status and example body), or a bare
/// 200 noting that none is documented.
fn acknowledgement_responses(hook: &Webhook) -> Object {
    match &hook.acknowledgement {
        None => Object::new().with(
            "200",
            Object::new().with(
                "description",
                "Acknowledged (the expected acknowledgement is not documented).",
            ),
        ),
        Some(ack) => Object::new().with(
            ack.status.to_string(),
            Object::new()
                .with(
                    "description",
                    format!("The documented acknowledgement: body `{}`.", ack.body),
                )
                .with("x-body", ack.body.as_str()),
        ),
    }
}

fn webhooks(spec: &Spec) -> Object {
    let mut hooks = Object::new();
    for hook in spec.webhooks.values() {
        let post = Object::new()
            .with("operationId", hook.id.as_str())
            .with("summary", hook.summary.as_str())
            .with(
                "description",
                format!(
                    "{}\n\nEnKash sends this request to the merchant.",
                    hook.doc.trim()
                ),
            )
            .with(
                "externalDocs",
                Object::new().with("url", hook.doc_url.as_str()),
            )
            .with(
                "requestBody",
                Object::new().with("required", true).with(
                    "content",
                    Object::new().with(
                        "application/json",
                        Object::new().with("schema", type_schema(&hook.payload)),
                    ),
                ),
            )
            .with("responses", acknowledgement_responses(hook));
        hooks.insert(hook.id.clone(), Object::new().with("post", post));
    }
    hooks
}
