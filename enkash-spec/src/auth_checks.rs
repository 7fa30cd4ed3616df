//! Checks of the spec's auth facts against the rest: the token exchange and its operation, the
//! credentials every use names, the areas operations name, and form-encoded bodies.

use std::collections::BTreeSet;

use crate::merge::Merged;
use crate::model::{
    BodyEncoding, Credential, DateFormat, HeaderCredential, OperationAuth, TokenExpiry, TokenKind,
    TypeRef,
};
use crate::report::{Report, Target, YamlPath};
use crate::suggest::did_you_mean;
use crate::validate::{body_schema, operation_path, require_field};

/// The token operation exists, has a request schema whose required fields the exchange fills
/// (credentials and fixed values) and a response with the token and an expiry of the declared
/// form, does not itself send the token it is fetching, and follows its kind's protocol.
pub(crate) fn check_token_exchange(report: &mut Report, spec: &Merged) {
    let Some(auth) = &spec.auth else { return };
    let token = &auth.token;
    let token_path = YamlPath::root().key("auth").key("token");
    let Some(operation) = spec.operations.get(&token.operation) else {
        return;
    };
    let op_path = operation_path(operation);
    let request = operation.request.as_ref();
    match (request, body_schema(spec, request)) {
        (Some(TypeRef::Schema(_)), None) => {}
        (_, None) => {
            report
                .error_at(
                    &op_path.key("request"),
                    Target::Value,
                    format!(
                        "the token operation '{}' has no request schema to carry the credentials",
                        operation.id
                    ),
                )
                .help("give it `request:` naming a schema with the credential fields");
        }
        (_, Some(schema)) => {
            let mut filled = BTreeSet::new();
            for (wire, credential) in &token.request_fields {
                let path = request_field_path(report, wire, *credential);
                require_field(report, schema, wire, &path);
                filled.insert(wire.as_str());
            }
            for (wire, _) in &token.fixed_fields {
                require_field(
                    report,
                    schema,
                    wire,
                    &token_path.key("fixed_fields").key(wire),
                );
                filled.insert(wire.as_str());
            }
            for field in schema.fields.iter().filter(|f| f.required) {
                if !filled.contains(field.wire_name.as_str()) {
                    report
                        .error_at(
                            &token_path,
                            Target::Key,
                            format!(
                                "'{}' requires '{}', which the token exchange does not fill",
                                schema.name, field.wire_name
                            ),
                        )
                        .help("name it in `request_fields` (a credential) or `fixed_fields` (a value)");
                }
            }
        }
    }
    let response = operation.response.as_ref();
    match (response, body_schema(spec, response)) {
        (Some(TypeRef::Schema(_)), None) => {}
        (_, None) => {
            report
                .error_at(
                    &op_path.key("response"),
                    Target::Value,
                    format!(
                        "the token operation '{}' has no response schema to carry the token",
                        operation.id
                    ),
                )
                .help("give it `response:` naming a schema with the token and expiry fields");
        }
        (_, Some(schema)) => {
            require_field(
                report,
                schema,
                &token.token_field,
                &token_path.key("token_field"),
            );
            let expiry_path = token_path.key("expiry_field");
            if let Some(expiry) = require_field(report, schema, &token.expiry_field, &expiry_path) {
                let (fits, wanted) = match token.expiry {
                    TokenExpiry::EpochMillis => (
                        expiry.ty == TypeRef::DateTime(DateFormat::EpochMillis),
                        "`epoch_ms` (the token's expiry is milliseconds since the epoch)",
                    ),
                    TokenExpiry::Seconds => (
                        matches!(expiry.ty, TypeRef::I32 | TypeRef::I64),
                        "`i64` or `i32` (`expiry: seconds` is a lifetime in seconds)",
                    ),
                };
                if !fits {
                    report
                        .error_at(
                            &expiry_path,
                            Target::Value,
                            format!(
                                "the expiry field '{}' of '{}' is `{}`",
                                expiry.wire_name, schema.name, expiry.ty
                            ),
                        )
                        .help(format!("its type must be {wanted}"));
                }
            }
        }
    }
    let scheme = match &operation.auth {
        OperationAuth::Scheme(name) => auth.schemes.get(name).map(|scheme| (name, scheme)),
        OperationAuth::None => None,
    };
    if let Some((name, scheme)) = scheme
        && scheme
            .headers
            .iter()
            .any(|header| header.value == HeaderCredential::One(Credential::Token))
    {
        report
            .error_at(&op_path.key("auth"), Target::Value, format!(
                "the token operation '{}' uses auth scheme '{name}', which sends the token it is fetching",
                operation.id
            ))
            .help("set `auth: none` (or a scheme without `{token}`) on the token operation");
    }
    if token.kind == TokenKind::OAuth2Password {
        let mut missing = Vec::new();
        if operation.request_encoding != BodyEncoding::Form {
            missing.push("the token operation has `request_encoding: form`".to_string());
        }
        if !token
            .fixed_fields
            .iter()
            .any(|(wire, value)| wire == "grant_type" && value == "password")
        {
            missing.push("`fixed_fields` has `grant_type: password`".to_string());
        }
        for credential in [Credential::Username, Credential::Password] {
            if !token.request_fields.iter().any(|(_, c)| *c == credential) {
                missing.push(format!(
                    "`request_fields` fills a field with `{}`",
                    credential.as_str()
                ));
            }
        }
        if token.expiry != TokenExpiry::Seconds {
            missing.push("`expiry: seconds` (OAuth2's `expires_in`)".to_string());
        }
        let basic = scheme.is_some_and(|(_, scheme)| {
            scheme
                .headers
                .iter()
                .any(|header| matches!(header.value, HeaderCredential::Basic(..)))
        });
        if !basic {
            missing.push(
                "the token operation's auth scheme sends HTTP Basic client authentication"
                    .to_string(),
            );
        }
        if !missing.is_empty() {
            report
                .error_at(
                    &token_path.key("kind"),
                    Target::Value,
                    format!("an OAuth2 password grant needs: {}", missing.join("; ")),
                )
                .help("see RFC 6749 §4.3; or use `kind: key_pair` for another exchange");
        }
    }
}

/// Where the token request field `wire` is written: `auth.token.request_fields.<wire>`, or the
/// key-pair shorthand's `access_key_field` / `secret_key_field` when the spec uses that.
fn request_field_path(report: &Report, wire: &str, credential: Credential) -> YamlPath {
    let token = YamlPath::root().key("auth").key("token");
    let listed = token.key("request_fields").key(wire);
    if report.site(&listed).is_some() || !report.records_sites() {
        return listed;
    }
    match credential {
        Credential::AccessKey => token.key("access_key_field"),
        Credential::SecretKey => token.key("secret_key_field"),
        _ => listed,
    }
}

/// Every credential the spec uses (auth headers, the token request, body ciphers) is one the
/// client is configured with (`auth.credentials`), or the bearer token.
pub(crate) fn check_credentials(report: &mut Report, spec: &Merged) {
    let Some(auth) = &spec.auth else { return };
    let mut uses: Vec<(YamlPath, Credential)> = Vec::new();
    let auth_path = YamlPath::root().key("auth");
    for scheme in auth.schemes.values() {
        for header in &scheme.headers {
            for credential in header.value.credentials() {
                let path = auth_path
                    .key("schemes")
                    .key(&scheme.name)
                    .key("headers")
                    .key(&header.name);
                uses.push((path, credential));
            }
        }
    }
    for (wire, credential) in &auth.token.request_fields {
        // The key-pair shorthand is reported at `auth.token` itself.
        uses.push((
            auth_path.key("token").key("request_fields").key(wire),
            *credential,
        ));
    }
    for envelope in spec.envelopes.iter().flat_map(|map| map.values()) {
        if let Some(cipher) = &envelope.cipher {
            let path = YamlPath::root()
                .key("envelopes")
                .key(&envelope.name)
                .key("cipher")
                .key("key");
            uses.push((path, cipher.key));
        }
    }
    for schema in spec.schemas.values() {
        for field in &schema.fields {
            if let Some(credential) = field.credential {
                let path = YamlPath::root()
                    .key("schemas")
                    .key(&schema.name)
                    .key("fields")
                    .key(&field.wire_name)
                    .key("credential");
                uses.push((path, credential));
            }
        }
    }
    let configured: Vec<&str> = auth.credentials.iter().map(|c| c.as_str()).collect();
    for (path, credential) in uses {
        if credential == Credential::Token || auth.credentials.contains(&credential) {
            continue;
        }
        report
            .error_at(
                &path,
                Target::Value,
                format!(
                    "'{}' is not among the client's credentials ({})",
                    credential.as_str(),
                    configured.join(", ")
                ),
            )
            .help("add it to `auth.credentials`, the list the client builder takes");
    }
}

/// With `areas:` declared, every operation names a declared area.
pub(crate) fn check_areas(report: &mut Report, spec: &Merged) {
    let Some(Some(areas)) = &spec.areas else {
        return;
    };
    let names: Vec<&str> = areas.iter().map(|area| area.name.as_str()).collect();
    let used = spec
        .operations
        .values()
        .map(|op| (operation_path(op), &op.area))
        .chain(spec.undocumented_operations.values().map(|op| {
            (
                YamlPath::root().key("undocumented_operations").key(&op.id),
                &op.area,
            )
        }));
    for (path, area) in used {
        if names.contains(&area.as_str()) {
            continue;
        }
        let help = did_you_mean(area, names.iter().copied())
            .unwrap_or_else(|| format!("the areas are: {}", names.join(", ")));
        report
            .error_at(
                &path.key("area"),
                Target::Value,
                format!("unknown area '{area}'"),
            )
            .help(help);
    }
}

/// A form-encoded body is a schema of scalar fields (strings, numbers, booleans, enums).
pub(crate) fn check_form_bodies(report: &mut Report, spec: &Merged) {
    for operation in spec.operations.values() {
        if operation.request_encoding != BodyEncoding::Form {
            continue;
        }
        let path = operation_path(operation).key("request_encoding");
        let Some(schema) = body_schema(spec, operation.request.as_ref()) else {
            if !matches!(operation.request, Some(TypeRef::Schema(_))) {
                report
                    .error_at(&path, Target::Value, "a form-encoded body must be a schema")
                    .help("name a schema of scalar fields in `request:`");
            }
            continue;
        };
        for field in &schema.fields {
            let scalar = matches!(
                field.ty,
                TypeRef::String
                    | TypeRef::Bool
                    | TypeRef::I32
                    | TypeRef::I64
                    | TypeRef::Decimal(_)
                    | TypeRef::Enum(_)
            );
            if !scalar {
                report
                    .error_at(
                        &path,
                        Target::Value,
                        format!(
                            "'{}' of the form body '{}' is `{}`, which a form cannot carry",
                            field.wire_name, schema.name, field.ty
                        ),
                    )
                    .help("form fields are strings, numbers, booleans or enums");
            }
        }
    }
}
