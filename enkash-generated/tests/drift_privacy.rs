//! A drift report holds shapes, not data, whatever EnKash sends: random Payment Notify bodies
//! full of card numbers, e-mail addresses, names, phone numbers and tokens (as member values,
//! nested values, numbers, and as member names) are recorded, and none of those values appears
//! in the report. The one value a report keeps is an enum value that looks like one
//! (`ON_HOLD`); a card number, e-mail address, name or phone number sent in an enum member is
//! kept as its form only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use enkash_generated::DriftRecorder;
use enkash_generated::webhooks::parse_payment_notify_recording;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// A value that is personal or secret data, never an enum value.
fn data() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{12,19}",                                  // a card or account number
        "[a-z]{3,8}\\.[a-z]{2,6}@[a-z]{3,8}\\.(com|in)", // an e-mail address
        "[A-Z][a-z]{2,8} [A-Z][a-z]{2,9}",               // a name
        "\\+91[6-9][0-9]{9}",                            // a phone number
    ]
}

/// Any secret: data, or a token (which could pass for an enum value, so it never goes into an
/// enum member or a member name here).
fn secret() -> impl Strategy<Value = String> {
    prop_oneof![
        data(),
        "[A-Za-z0-9]{24,40}",
        "eyJ[A-Za-z0-9]{10,20}\\.[A-Za-z0-9]{10,20}"
    ]
}

/// Where a secret goes, and how.
#[derive(Debug, Clone)]
enum Placement {
    /// As the value of a member of the notification (known or not), as a string.
    Value(&'static str, String),
    /// As the value of a member, as a JSON number (digits only).
    Number(&'static str, String),
    /// Inside an object and an array under a member.
    Nested(&'static str, String),
    /// As the name of a member (data only).
    Name(String),
    /// As the value of an enum member (data only).
    Enum(&'static str, String),
}

/// Members of Payment Notify that are not enums, and a few it does not have.
const MEMBERS: &[&str] = &[
    "amount",
    "transactionId",
    "txnMsg",
    "txnDate",
    "bankName",
    "cardHolderName",
    "maskedCardNumber",
    "paymentToken",
    "checksum",
    "bankTransactionId",
    "customerEmail",
    "customerPhone",
    "vpa",
];

/// The members of [`MEMBERS`] that Payment Notify does not have.
const UNKNOWN: &[&str] = &["customerEmail", "customerPhone", "vpa"];

/// Its enum members.
const ENUMS: &[&str] = &["currency", "status"];

fn placement() -> impl Strategy<Value = Placement> {
    let member = proptest::sample::select(MEMBERS);
    prop_oneof![
        (member.clone(), secret()).prop_map(|(m, s)| Placement::Value(m, s)),
        (member.clone(), "[1-9][0-9]{11,18}").prop_map(|(m, s)| Placement::Number(m, s)),
        (member, secret()).prop_map(|(m, s)| Placement::Nested(m, s)),
        data().prop_map(Placement::Name),
        (proptest::sample::select(ENUMS), data()).prop_map(|(m, s)| Placement::Enum(m, s)),
    ]
}

/// A notification with `placements`, over a valid base; the secrets it holds.
fn body(placements: &[Placement]) -> (String, Vec<String>) {
    let mut object: Map<String, Value> = serde_json::from_value(json!({
        "amount": 100.50, "currency": "INR", "status": "SUCCESS",
        "transactionId": "TXN1", "orderId": "ORD1"
    }))
    .unwrap();
    let mut secrets = Vec::new();
    for placement in placements {
        let (name, value, secret) = match placement {
            Placement::Value(member, secret) => {
                ((*member).to_owned(), json!(secret), secret.clone())
            }
            Placement::Number(member, digits) => (
                (*member).to_owned(),
                serde_json::from_str(digits).unwrap(),
                digits.clone(),
            ),
            Placement::Nested(member, secret) => (
                (*member).to_owned(),
                json!({ "inner": [secret, { "deeper": secret }] }),
                secret.clone(),
            ),
            Placement::Name(secret) => (secret.clone(), json!(1), secret.clone()),
            Placement::Enum(member, secret) => {
                ((*member).to_owned(), json!(secret), secret.clone())
            }
        };
        object.insert(name, value);
        secrets.push(secret);
    }
    (Value::Object(object).to_string(), secrets)
}

proptest! {
    // No failure file written into the repository: a failure prints its minimal input.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_secret_of_a_notification_reaches_the_report(
        placements in proptest::collection::vec(placement(), 1..8)
    ) {
        let (body, secrets) = body(&placements);
        let recorder = DriftRecorder::new();
        // Decoded or not (a secret where the amount belongs does not decode), it is recorded.
        let _ = parse_payment_notify_recording(body.as_bytes(), &recorder);
        let report = recorder.report();
        // A member Payment Notify does not have is always found: the pass did run.
        let unknown_member = placements.iter().any(|placement| match placement {
            Placement::Name(_) => true,
            Placement::Value(member, _)
            | Placement::Number(member, _)
            | Placement::Nested(member, _) => UNKNOWN.contains(member),
            Placement::Enum(..) => false,
        });
        prop_assert!(!unknown_member || !report.findings.is_empty(), "{report:?}");
        let text = format!("{}\n{report:?}", report.to_json());
        for secret in &secrets {
            prop_assert!(!text.contains(secret.as_str()), "`{secret}` is in the report:\n{text}");
        }
    }
}
