//! The valid fixture (`tests/fixtures/valid/`) loads, and the model says what the YAML says.

mod common;

use enkash_spec::{
    CompanionExport, Credential, DateFormat, DecimalWire, EnvelopeKind, HeaderCredential,
    HttpMethod, OperationAuth, Stability, TypeRef,
};

fn spec() -> enkash_spec::Spec {
    enkash_spec::load(&common::fixture("valid")).unwrap_or_else(|diagnostics| {
        panic!("the valid fixture does not load:\n{diagnostics}");
    })
}

#[test]
fn counts_everything() {
    let spec = spec();
    assert_eq!(spec.operations.len(), 4);
    assert_eq!(spec.schemas.len(), 5);
    assert_eq!(spec.enums.len(), 2);
    assert_eq!(spec.webhooks.len(), 1);
    assert_eq!(spec.undocumented_operations.len(), 1);
    assert_eq!(
        spec.undocumented(),
        [
            "operations.resend_otp.request",
            "schemas.Order.fields.extra",
            "undocumented_operations.get_bnpl_modes",
        ]
    );
}

#[test]
fn reads_api_environments_auth_and_envelopes() {
    let spec = spec();
    assert_eq!(spec.api.name, "Test Gateway");
    assert_eq!(
        spec.api.docs_url.as_deref(),
        Some("https://docs.example.com")
    );
    let environments: Vec<_> = spec.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(environments, ["uat", "production"], "file order is kept");
    assert_eq!(spec.auth.default_scheme, "merchant");
    assert_eq!(spec.auth.invalid_token_codes, [117]);
    assert_eq!(spec.auth.token.expiry_field, "expiry");
    let merchant = &spec.auth.schemes["merchant"];
    assert_eq!(merchant.headers[0].name, "Authorization");
    assert_eq!(merchant.headers[0].prefix, "Bearer ");
    assert_eq!(
        merchant.headers[0].value,
        HeaderCredential::One(Credential::Token)
    );
    assert_eq!(merchant.headers[1].prefix, "");
    assert_eq!(
        merchant.headers[1].value,
        HeaderCredential::One(Credential::AccessKey)
    );
    assert_eq!(
        spec.envelopes["standard"].kind,
        EnvelopeKind::Wrapped {
            code_field: "response_code".into(),
            message_field: "response_message".into(),
            payload_field: "payload".into(),
            success_codes: vec![0],
        }
    );
    assert_eq!(
        spec.envelopes["token"].kind,
        EnvelopeKind::Bare {
            code_field: None,
            message_field: None
        }
    );
    assert_eq!(spec.envelopes["text"].kind, EnvelopeKind::Text);
}

#[test]
fn reads_companions() {
    let spec = spec();
    let modules: Vec<_> = spec.companions.keys().map(String::as_str).collect();
    assert_eq!(modules, ["confirm", "test_mock"]);
    let mock = &spec.companions["test_mock"];
    assert_eq!(mock.feature.as_deref(), Some("mock"));
    assert_eq!(mock.export, CompanionExport::Mock);
    let confirm = &spec.companions["confirm"];
    assert_eq!(confirm.feature, None, "compiled always");
    assert_eq!(confirm.export, CompanionExport::Root, "the default");
    assert_eq!(confirm.doc, "Hand-written helpers at the crate root.");
}

#[test]
fn reads_fields_and_constraints() {
    let spec = spec();
    let amount = &spec.schemas["Amount"].fields[0];
    assert_eq!(amount.ty, TypeRef::Decimal(DecimalWire::Number));
    assert!(amount.required);
    assert_eq!(
        amount.example.as_deref(),
        Some("100.00"),
        "written as 100.00"
    );
    assert_eq!(amount.constraints.min.as_deref(), Some("0.01"));
    assert_eq!(amount.constraints.max.as_deref(), Some("1000000"));
    assert_eq!(amount.constraints.max_decimals, Some(2));
    assert_eq!(
        spec.schemas["Amount"].fields[1].ty,
        TypeRef::Enum("Currency".into())
    );

    let request = &spec.schemas["CreateOrderRequest"];
    let names: Vec<_> = request
        .fields
        .iter()
        .map(|f| f.rust_name.as_str())
        .collect();
    assert_eq!(names, ["order_id", "amount", "order_type", "notes"]);
    assert_eq!(request.fields[0].wire_name, "orderId");
    assert_eq!(request.fields[0].constraints.max_length, Some(40));
    assert_eq!(
        request.fields[0].constraints.pattern.as_deref(),
        Some("^[A-Za-z0-9_-]+$")
    );
    assert_eq!(request.fields[1].ty, TypeRef::Schema("Amount".into()));
    assert_eq!(request.fields[3].ty, TypeRef::Map(Box::new(TypeRef::Json)));

    let order = &spec.schemas["Order"];
    assert_eq!(
        order.fields[2].ty,
        TypeRef::DateTime(DateFormat::LocalDateTime)
    );
    assert!(order.fields[2].nullable && !order.fields[2].required);
    assert_eq!(order.fields[3].ty, TypeRef::DateTime(DateFormat::Date));
    assert_eq!(order.fields[4].ty, TypeRef::Undocumented);
    assert!(spec.schemas["TokenRequest"].fields[0].sensitive);
}

#[test]
fn reads_enum_values() {
    let spec = spec();
    let status = &spec.enums["OrderStatus"];
    let variants: Vec<_> = status.values.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(
        variants,
        ["Created", "On", "Paid", "Expired", "ThreeDsPending"]
    );
    assert_eq!(status.values[1].wire, "ON", "YAML 1.2: ON is a string");
    let paid = &status.values[2];
    assert!(paid.is_final && paid.is_success);
    let expired = &status.values[3];
    assert!(expired.is_final && !expired.is_success);
    assert!(!status.values[0].is_final);
    assert_eq!(status.values[0].doc, "Created.");
}

#[test]
fn reads_operations() {
    let spec = spec();
    let create = &spec.operations["create_order"];
    assert_eq!(create.dedup_key.as_deref(), Some("orderId"));
    assert_eq!(create.method, HttpMethod::Post);
    assert_eq!(create.area, "orders");
    assert_eq!(
        create.auth,
        OperationAuth::Scheme("merchant".into()),
        "default scheme"
    );
    assert_eq!(
        create.request,
        Some(TypeRef::Schema("CreateOrderRequest".into()))
    );
    assert_eq!(create.stability, Stability::Stable);

    let get = &spec.operations["get_order"];
    let path_params: Vec<_> = get
        .path_params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(
        path_params,
        ["orderId", "itemId"],
        "template order, not YAML order"
    );
    assert!(get.path_params.iter().all(|p| p.required));
    assert_eq!(get.path_params[1].ty, TypeRef::I64);
    assert_eq!(
        get.query_params[0].ty,
        TypeRef::List(Box::new(TypeRef::String))
    );
    assert_eq!(get.header_params[0].rust_name, "x_request_id");
    assert_eq!(get.auth, OperationAuth::Scheme("bearer".into()));
    assert_eq!(get.stability, Stability::Developing);
    assert_eq!(get.dedup_key, None);

    let otp = &spec.operations["resend_otp"];
    assert_eq!(otp.auth, OperationAuth::None);
    assert_eq!(otp.response, Some(TypeRef::String));
    assert_eq!(otp.request, Some(TypeRef::Undocumented));

    let token = spec.token_operation().expect("token operation");
    assert_eq!(token.id, "get_token");
    assert_eq!(token.area, "authorization");
    let orders = spec.area("orders").expect("the orders area");
    assert_eq!(orders.title, "Orders");
    assert_eq!(spec.operations_in(orders).count(), 2);

    let bnpl = &spec.undocumented_operations["get_bnpl_modes"];
    assert_eq!(bnpl.method, Some(HttpMethod::Get));
    assert_eq!(
        spec.webhooks["order_paid"].payload,
        TypeRef::Schema("Order".into())
    );
}
