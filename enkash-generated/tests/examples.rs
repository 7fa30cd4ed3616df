//! The example payloads `enkash_codegen::examples` writes for the EnKash spec agree with the
//! generated types: for every schema (so for every request, response and webhook payload) the
//! example text decodes, encodes back to the same JSON (no member ignored or renamed, no value
//! read differently), and for every type with `validate()` (every request type) passes it.
//!
//! The texts are computed here from the spec, with the generator as a dev-dependency, so the
//! generated crate carries no example table. The list of types below is checked against the spec:
//! a schema added to the spec fails this test until it is listed.

// Round trips need both serde directions on every type.
#![cfg(feature = "serde-roundtrip")]

use std::collections::BTreeSet;

use enkash_generated::*;
use enkash_spec::{Spec, TypeRef};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One generated type: its schema name, whether it has `validate()`, and the check of a text.
struct Decoder {
    name: &'static str,
    validated: bool,
    check: fn(&str) -> Result<(), String>,
}

/// Decodes `text` as `T` (naming the failing member), checks that it encodes back to the same
/// JSON, and that `validate` finds no problem.
fn check<T: DeserializeOwned + Serialize>(
    text: &str,
    validate: fn(&T) -> Vec<String>,
) -> Result<(), String> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut reader)
        .map_err(|err| format!("does not decode: {err}"))?;
    let problems = validate(&value);
    if !problems.is_empty() {
        return Err(format!("fails validate(): {problems:?}"));
    }
    let written = serde_json::to_value(&value).map_err(|err| format!("does not encode: {err}"))?;
    let example: Value = serde_json::from_str(text).map_err(|err| format!("not JSON: {err}"))?;
    if written != example {
        return Err(format!(
            "encodes back differently (a member ignored, renamed or read differently):\n  \
             example: {example}\n  encoded: {written}"
        ));
    }
    Ok(())
}

macro_rules! decoders {
    (validated: [$($validated:ident),* $(,)?], decoded: [$($decoded:ident),* $(,)?] $(,)?) => {
        fn decoders() -> Vec<Decoder> {
            vec![
                $(Decoder {
                    name: stringify!($validated),
                    validated: true,
                    check: |text| check::<$validated>(text, $validated::validate),
                },)*
                $(Decoder {
                    name: stringify!($decoded),
                    validated: false,
                    check: |text| check::<$decoded>(text, |_| Vec::new()),
                },)*
            ]
        }
    };
}

decoders! {
    // Every type with `validate()`: the request bodies, what they contain, and the schemas with
    // constraints (and those containing them).
    validated: [
        Address, Amount, CancelQrCodeRequest, CreateCustomerRequest, CreateMandateRequest,
        CreateOrderRequest, CreateVirtualAccountRequest, CustomerDetail, CustomerKeyContact,
        CustomerReminder, EditSplitTransactionRequest, ExecuteMandateDebitRequest, MandatePayer,
        MandateRecurrence, MandateValidity, OrderGetResponse, OrderPaymentDetail, PaymentDetail,
        PreDebitNotificationRequest, RefundRequest, RestrictedPaymentOptions,
        RevokeMandateRequest, SettlementPayoutSearchRequest, SplitSettlement,
        SplitSettlementDetail, SubmitPaymentRequest, TokenRequest, ValidateOtpRequest,
        VerifyVpaRequest,
    ],
    decoded: [
        DynamicUpiQrResponse, MandateCallback, MandateCallbackPayer, MandateCallbackRecurrence,
        MandateCallbackValidity, MandatePausePeriod, MandatePayee, OrderCreateResponse,
        OrderTransactionResponse, OtpResponse, PaymentLinkNotification, PaymentNotification,
        PreDebitNotificationResponse, QrCodeResponse, RefundResponse, SettlementPayoutDetail,
        SettlementPayoutSearchResponse, SettlementPayoutSummary, SettlementTransaction,
        SplitAccountSummary, TokenResponse, UpiIntentLinksResponse, UpiStatusResponse,
        VerifyVpaResponse, VirtualAccount,
    ],
}

fn spec() -> Spec {
    enkash_spec::load(&enkash_spec::default_spec_dir())
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

/// Request body schemas and every schema nested in them.
fn request_schemas(spec: &Spec) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<TypeRef> = spec
        .operations
        .values()
        .filter_map(|op| op.request.clone())
        .collect();
    while let Some(ty) = pending.pop() {
        ty.walk(&mut |inner| {
            if let TypeRef::Schema(name) = inner
                && found.insert(name.clone())
            {
                pending.extend(spec.schemas[name].fields.iter().map(|f| f.ty.clone()));
            }
        });
    }
    found
}

fn example(spec: &Spec, ty: &TypeRef) -> String {
    enkash_codegen::examples::json_text(spec, ty).unwrap_or_else(|err| panic!("{ty}: {err}"))
}

#[test]
fn the_list_of_types_is_every_schema_and_every_request_type_is_validated() {
    let spec = spec();
    let listed: BTreeSet<String> = decoders().iter().map(|d| d.name.to_owned()).collect();
    let schemas: BTreeSet<String> = spec.schemas.keys().cloned().collect();
    let missing: Vec<_> = schemas.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&schemas).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "list these schemas in tests/examples.rs: {missing:?}; remove these: {extra:?}"
    );
    let validated: BTreeSet<String> = decoders()
        .iter()
        .filter(|d| d.validated)
        .map(|d| d.name.to_owned())
        .collect();
    let unvalidated: Vec<_> = request_schemas(&spec)
        .into_iter()
        .filter(|name| !validated.contains(name))
        .collect();
    assert!(
        unvalidated.is_empty(),
        "request types listed under `decoded` instead of `validated`: {unvalidated:?}"
    );
}

#[test]
fn every_schema_example_decodes_encodes_back_and_validates() {
    let spec = spec();
    let failures: Vec<String> = decoders()
        .iter()
        .filter_map(|decoder| {
            let text = example(&spec, &TypeRef::Schema(decoder.name.to_owned()));
            (decoder.check)(&text)
                .err()
                .map(|err| format!("{}: {err}\n  text: {text}", decoder.name))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Payloads that are not schemas (`undocumented`, the text envelope's `string`) are JSON of
/// their Rust type; a list or map of schemas would need a check of its own.
#[test]
fn every_payload_has_an_example_of_its_type() {
    let spec = spec();
    let payloads = spec
        .operations
        .values()
        .flat_map(|op| {
            [("request", &op.request), ("response", &op.response)]
                .into_iter()
                .filter_map(move |(what, ty)| {
                    ty.as_ref().map(|ty| (format!("{}.{what}", op.id), ty))
                })
        })
        .chain(
            spec.webhooks
                .values()
                .map(|hook| (format!("{}.payload", hook.id), &hook.payload)),
        );
    for (at, ty) in payloads {
        let text = example(&spec, ty);
        match ty {
            TypeRef::Schema(_) => {} // checked above, with its generated type
            TypeRef::String => {
                serde_json::from_str::<String>(&text).unwrap_or_else(|err| panic!("{at}: {err}"));
            }
            TypeRef::Json | TypeRef::Undocumented => {
                serde_json::from_str::<Value>(&text).unwrap_or_else(|err| panic!("{at}: {err}"));
            }
            other => panic!("{at}: a payload of type {other} has no check here yet"),
        }
    }
}
