//! The OpenAPI export parses with the `openapiv3` crate and holds every operation, parameter,
//! schema, enum, envelope and webhook of the spec.

use std::collections::BTreeSet;

use enkash_spec::{EnvelopeKind, Spec, TypeRef};
use openapiv3::{OpenAPI, ReferenceOr};
use xtask::openapi;

fn project_spec() -> Spec {
    enkash_spec::load(&enkash_spec::default_spec_dir()).unwrap_or_else(|d| panic!("{d}"))
}

fn parse(text: &str) -> OpenAPI {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("not an OpenAPI 3.0 document: {err}"))
}

/// Every `$ref` in the document names a component that exists.
fn assert_refs_resolve(text: &str) {
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|err| panic!("not JSON: {err}"));
    let Some(schemas) = value["components"]["schemas"].as_object() else {
        panic!("no components.schemas object")
    };
    let mut stack = vec![&value];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    let Some(name) = target.strip_prefix("#/components/schemas/") else {
                        panic!("$ref {target} is not to a component schema")
                    };
                    assert!(schemas.contains_key(name), "dangling $ref {target}");
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

fn check_covers(spec: &Spec, doc: &OpenAPI) {
    assert_eq!(doc.openapi, "3.0.3");
    assert_eq!(doc.info.title, spec.api.name);
    let urls: Vec<_> = doc.servers.iter().map(|s| s.url.as_str()).collect();
    let expected: Vec<_> = spec.environments.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(urls, expected, "both servers, in spec order");

    let mut seen = BTreeSet::new();
    for (path, item) in doc.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            panic!("{path} is a $ref")
        };
        for (method, op) in item.iter() {
            let Some(id) = op.operation_id.clone() else {
                panic!("{method} {path} has no operationId")
            };
            let spec_op = spec
                .operations
                .get(&id)
                .unwrap_or_else(|| panic!("unknown {id}"));
            assert_eq!(path, &spec_op.path, "{id}");
            assert_eq!(method, spec_op.method.as_str().to_ascii_lowercase(), "{id}");
            let params = spec_op.path_params.len()
                + spec_op.query_params.len()
                + spec_op.header_params.len();
            assert_eq!(op.parameters.len(), params, "{id} parameters");
            assert_eq!(
                op.request_body.is_some(),
                spec_op.request.is_some(),
                "{id} body"
            );
            assert_eq!(
                op.responses.responses.len(),
                1,
                "{id}: a single success response"
            );
            assert!(seen.insert(id.clone()), "{id} appears twice");
        }
    }
    let all: BTreeSet<_> = spec.operations.keys().cloned().collect();
    assert_eq!(seen, all, "every operation is exported");

    let Some(components) = doc.components.as_ref() else {
        panic!("no components")
    };
    for schema in spec.schemas.values() {
        let Some(ReferenceOr::Item(exported)) = components.schemas.get(&schema.name) else {
            panic!("schema {} missing", schema.name)
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &exported.schema_kind
        else {
            panic!("{} is not an object schema", schema.name)
        };
        let props: Vec<_> = object.properties.keys().map(String::as_str).collect();
        let fields: Vec<_> = schema.fields.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(props, fields, "{}: properties in spec order", schema.name);
        let required: Vec<_> = schema
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire_name.clone())
            .collect();
        assert_eq!(object.required, required, "{}", schema.name);
    }
    for spec_enum in spec.enums.values() {
        let Some(ReferenceOr::Item(exported)) = components.schemas.get(&spec_enum.name) else {
            panic!("enum {} missing", spec_enum.name)
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) = &exported.schema_kind
        else {
            panic!("{} is not a string enum", spec_enum.name)
        };
        let values: Vec<_> = string
            .enumeration
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let wire: Vec<_> = spec_enum.values.iter().map(|v| v.wire.as_str()).collect();
        assert_eq!(values, wire, "{}", spec_enum.name);
    }
    for op in spec.operations.values() {
        let envelope = &spec.envelopes[&op.envelope];
        if let EnvelopeKind::Wrapped { payload_field, .. } = &envelope.kind {
            let name = match &op.response {
                Some(TypeRef::Schema(n) | TypeRef::Enum(n)) => {
                    format!(
                        "{}Envelope_{n}",
                        enkash_spec::naming::pascal(&envelope.name)
                    )
                }
                Some(_) => format!(
                    "{}Envelope_{}Payload",
                    enkash_spec::naming::pascal(&envelope.name),
                    enkash_spec::naming::pascal(&op.id)
                ),
                None => format!("{}Envelope", enkash_spec::naming::pascal(&envelope.name)),
            };
            let Some(ReferenceOr::Item(wrapper)) = components.schemas.get(&name) else {
                panic!("{}: envelope schema {name} missing", op.id)
            };
            let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &wrapper.schema_kind
            else {
                panic!("{name} is not an object")
            };
            assert!(object.properties.contains_key(payload_field), "{name}");
        }
    }
    let Some(envelopes) = doc.extensions["x-envelopes"].as_object() else {
        panic!("no x-envelopes object")
    };
    assert_eq!(envelopes.len(), spec.envelopes.len());
    let Some(hooks) = doc.extensions["x-webhooks"].as_object() else {
        panic!("no x-webhooks object")
    };
    let hook_ids: BTreeSet<_> = hooks.keys().cloned().collect();
    assert_eq!(hook_ids, spec.webhooks.keys().cloned().collect());
    assert!(components.security_schemes.contains_key("bearerAuth"));
}

#[test]
fn project_export_parses_and_covers_the_spec() {
    let spec = project_spec();
    let text = openapi::render(&spec);
    check_covers(&spec, &parse(&text));
    assert_refs_resolve(&text);
    let undocumented = parse(&text).extensions["x-undocumented-operations"].clone();
    assert_eq!(
        undocumented.as_object().unwrap().len(),
        spec.undocumented_operations.len()
    );
}

#[test]
fn checked_in_export_is_the_rendered_document() {
    let path = xtask::workspace_root().join(openapi::PROJECT_FILE);
    let on_disk = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\r\n", "\n");
    assert!(
        on_disk == openapi::render(&project_spec()),
        "{} is stale: run `cargo xtask codegen`",
        path.display()
    );
}

#[test]
fn synthetic_export_parses_and_covers_the_spec() {
    let spec = enkash_spec::load_sources(&xtask::synth::synthesize(30)).unwrap();
    let text = openapi::render(&spec);
    check_covers(&spec, &parse(&text));
    assert_refs_resolve(&text);
    assert_eq!(text, openapi::render(&spec), "deterministic");
}

#[test]
fn maps_types_faithfully() {
    let spec = project_spec();
    let text = openapi::render(&spec);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schemas = &doc["components"]["schemas"];
    let amount = &schemas["Amount"]["properties"]["value"];
    assert_eq!(amount["type"], "number");
    assert_eq!(amount["format"], "decimal");
    assert_eq!(amount["minimum"], serde_json::json!(0.01));
    assert!(
        amount["description"]
            .as_str()
            .unwrap()
            .contains("never as a binary float")
    );
    let currency = &schemas["Amount"]["properties"]["currency"];
    assert_eq!(
        currency["allOf"][0]["$ref"],
        "#/components/schemas/Currency"
    );
    let payout = &schemas["SettlementPayoutDetail"]["properties"]["payoutDate"];
    assert_eq!(
        payout["allOf"][0]["$ref"],
        "#/components/schemas/EnkashDateTime"
    );
    let datetime = &schemas["EnkashDateTime"];
    assert_eq!(datetime["type"], "string");
    assert!(
        datetime["pattern"]
            .as_str()
            .unwrap()
            .contains(r"\d{2}:\d{2}")
    );
    assert_eq!(datetime["x-datetime-writes"], "space_local");
    let token = &schemas["TokenResponse"]["properties"]["expiry"];
    assert_eq!(token["type"], "integer");
    assert_eq!(token["format"], "int64");
    let secret = &schemas["TokenRequest"]["properties"]["secretKey"];
    assert_eq!(secret["x-sensitive"], true);
    // The token call authenticates with nothing; the others with the scheme's headers.
    let token_op = &doc["paths"]["/api/v0/merchant/token"]["post"];
    assert_eq!(token_op["security"], serde_json::json!([]));
    assert_eq!(
        token_op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/TokenResponse",
        "the bare envelope answers the payload itself"
    );
}

/// Each product of the tree has its own export beside `openapi.json`, checked in and covering
/// its spec; the body cipher, the form-encoded token request and the duplicate-id rule are in
/// it.
#[test]
fn each_product_has_its_own_export() {
    let spec = project_spec();
    let root = xtask::workspace_root().join(openapi::PROJECT_FILE);
    assert!(!spec.products.is_empty(), "the project's tree has products");
    for product in spec.products.values() {
        let path = openapi::product_file(&root, &product.name);
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
            .replace("\r\n", "\n");
        let text = openapi::render(&product.spec);
        assert!(
            on_disk == text,
            "{} is stale: run `cargo xtask codegen`",
            path.display()
        );
        check_covers(&product.spec, &parse(&text));
        assert_refs_resolve(&text);
    }
    let payouts = &spec.products["payouts"].spec;
    let value: serde_json::Value = serde_json::from_str(&openapi::render(payouts)).unwrap();
    let transfer = &value["paths"]["/api/v0/payout-transaction"]["post"];
    assert_eq!(
        transfer["x-body-cipher"]["algorithm"],
        "aes128_ecb_sha256_key"
    );
    assert_eq!(transfer["x-body-cipher"]["field"], "request");
    assert_eq!(transfer["x-body-cipher"]["keyCredential"], "client_secret");
    assert_eq!(transfer["x-dedup-key"], "transactionId");
    let token = &value["paths"]["/oauth/token"]["post"];
    assert!(token["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
    assert!(
        token.get("x-body-cipher").is_none(),
        "the token call is not encrypted"
    );
    assert_eq!(value["x-duplicate-ids"]["statuses"][0], 409);
    assert_eq!(value["x-token-exchange"]["kind"], "oauth2_password");
}
