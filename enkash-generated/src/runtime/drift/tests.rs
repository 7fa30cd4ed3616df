//! Each kind of drift, found by the pass on structs declared as generated code declares them.

// The macros write the public API of generated types; these test types are private.
#![allow(unreachable_pub, dead_code)]

use rust_decimal::Decimal;

use super::scan::{Note, scan};
use super::*;

#[derive(Debug)]
#[allow(dead_code)]
struct Payout {
    id: String,
    amount: Option<Decimal>,
    fee: Option<Decimal>,
    status: Option<Status>,
    when: Option<When>,
    expiry: Option<time::OffsetDateTime>,
    items: Option<Vec<Item>>,
    extra: Option<serde_json::Value>,
    due: Option<time::Date>,
    settled_at: Option<time::OffsetDateTime>,
    card_status: Option<Status>,
    card: Option<Card>,
    seen: Option<Seen>,
}

crate::runtime::wire::json_object! {
    Payout: received;
    required id = "id";
    optional amount = "amount" => decimal::option;
    optional fee = "fee" => decimal_string::option;
    optional status = "status";
    optional when = "when";
    optional expiry = "expiry" => epoch_ms::option;
    optional items = "items";
    optional extra = "extra";
    optional due = "due" => date::option;
    optional settled_at = "settledAt" => datetime::option;
    optional card_status = "cardStatus" [sensitive];
    optional card = "card" [sensitive];
    optional seen = "seen";
}

#[derive(Debug)]
#[allow(dead_code)]
struct Card {
    status: Option<Status>,
}

crate::runtime::wire::json_object! {
    Card: received;
    optional status = "status";
}

#[derive(Debug)]
#[allow(dead_code)]
struct Item {
    code: i32,
    note: Option<String>,
}

crate::runtime::wire::json_object! {
    Item: received;
    required code = "code";
    optional note = "note";
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Status {
    Done,
    Unknown(crate::runtime::wire::UnknownValue),
}

impl Status {
    fn as_str(&self) -> &str {
        match self {
            Status::Done => "DONE",
            Status::Unknown(value) => value.as_str(),
        }
    }
}

impl From<&str> for Status {
    fn from(value: &str) -> Self {
        match value {
            "DONE" => Status::Done,
            other => Status::Unknown(crate::runtime::wire::UnknownValue::new(other)),
        }
    }
}

crate::runtime::wire::string_enum!(Status);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct When(crate::runtime::wire::date_time::DateTimeParts);

crate::runtime::wire::date_time_type!(When, [SpaceLocal], SpaceLocal, "+05:30", 19800);

/// Reads RFC 3339 too, writes (declares) the space form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Seen(crate::runtime::wire::date_time::DateTimeParts);

crate::runtime::wire::date_time_type!(Seen, [Rfc3339, SpaceLocal], SpaceLocal, "+05:30", 19800);

/// A note as a tuple, for comparisons.
type Found = (
    DriftKind,
    String,
    &'static str,
    Option<&'static str>,
    Option<String>,
);

fn notes(json: &str) -> Vec<Found> {
    scan::<Payout>(json)
        .notes
        .into_iter()
        .map(
            |Note {
                 kind,
                 path,
                 json_type,
                 form,
                 value,
             }| (kind, path, json_type, form, value),
        )
        .collect()
}

#[test]
fn an_answer_as_the_spec_says_has_no_drift() {
    let json = r#"{"id":"P1","amount":1.5,"fee":"0.10","status":"DONE","when":"2026-04-22 13:50:03",
        "expiry":1713790203000,"items":[{"code":1,"note":"x"}],"extra":{"anything":[1,"a"]}}"#;
    assert_eq!(notes(json), vec![]);
}

#[test]
fn unknown_members_are_found_with_their_path_type_and_form() {
    let json = r#"{"id":"P1","bankRef":"AXIS1234567890","items":[{"code":1,"settledOn":"2026-04-22T13:50:03Z"},
        {"code":2,"settledOn":"2026-04-22T13:50:03Z","flags":[{"a":1}]}],"count":3,"ok":true,"gone":null}"#;
    let found = notes(json);
    for expected in [
        (
            DriftKind::UnknownField,
            "bankRef",
            "string",
            Some("text (9-32 chars)"),
        ),
        (
            DriftKind::UnknownField,
            "items[].settledOn",
            "string",
            Some("yyyy-MM-dd'T'HH:mm:ssXXX"),
        ),
        (
            DriftKind::UnknownField,
            "items[].flags",
            "array",
            Some("of object"),
        ),
        (DriftKind::UnknownField, "count", "number", Some("integer")),
        (DriftKind::UnknownField, "ok", "boolean", None),
        (DriftKind::UnknownField, "gone", "null", None),
    ] {
        assert!(
            found.contains(&(
                expected.0,
                expected.1.to_owned(),
                expected.2,
                expected.3,
                None
            )),
            "{expected:?} not in {found:?}"
        );
    }
    // The second element's `settledOn` is the same finding.
    assert_eq!(found.len(), 6, "{found:?}");
}

#[test]
fn enum_values_number_forms_and_date_forms_are_found() {
    let json =
        r#"{"id":"P1","amount":"12.50","fee":0.1,"status":"ON_HOLD","expiry":"1713790203000"}"#;
    let found = notes(json);
    assert_eq!(
        found,
        vec![
            (
                DriftKind::NumberAsString,
                "amount".to_owned(),
                "string",
                Some("decimal string"),
                None
            ),
            (
                DriftKind::StringAsNumber,
                "fee".to_owned(),
                "number",
                Some("decimal"),
                None
            ),
            (
                DriftKind::UnknownEnumValue,
                "status".to_owned(),
                "string",
                None,
                Some("ON_HOLD".to_owned())
            ),
            (
                DriftKind::NumberAsString,
                "expiry".to_owned(),
                "string",
                Some("integer string (13 digits, epoch ms?)"),
                None
            ),
        ]
    );
    let found = notes(r#"{"id":"P1","when":"22/04/2026 13:50:03"}"#);
    assert_eq!(
        found,
        vec![(
            DriftKind::DateForm,
            "when".to_owned(),
            "string",
            Some("dd/MM/yyyy HH:mm:ss"),
            None
        )]
    );
}

#[test]
fn failures_are_classified() {
    assert_eq!(
        notes(r#"{"amount":1}"#),
        vec![(
            DriftKind::MissingField,
            "id".to_owned(),
            "missing",
            None,
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":"P1","items":[{"code":null}]}"#),
        vec![(
            DriftKind::NullValue,
            "items[].code".to_owned(),
            "null",
            None,
            None
        )]
    );
    // An integer sent as a string of digits, and a string sent as a number, fail to decode:
    // they are found as such, not as any type mismatch.
    assert_eq!(
        notes(r#"{"id":"P1","items":[{"code":"7"}]}"#),
        vec![(
            DriftKind::NumberAsString,
            "items[].code".to_owned(),
            "string",
            Some("integer string"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":"P1","items":[{"code":1,"note":12.5}]}"#),
        vec![(
            DriftKind::StringAsNumber,
            "items[].note".to_owned(),
            "number",
            Some("decimal"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":"P1","items":[{"code":"seven"}]}"#),
        vec![(
            DriftKind::TypeMismatch,
            "items[].code".to_owned(),
            "string",
            Some("text (1-8 chars)"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":"P1","amount":"ten rupees"}"#),
        vec![(
            DriftKind::TypeMismatch,
            "amount".to_owned(),
            "string",
            Some("text (9-32 chars)"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":42}"#),
        vec![(
            DriftKind::StringAsNumber,
            "id".to_owned(),
            "number",
            Some("integer"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":true}"#),
        vec![(
            DriftKind::TypeMismatch,
            "id".to_owned(),
            "boolean",
            None,
            None
        )]
    );
}

#[test]
fn dates_in_another_form_than_a_fixed_format_reads_are_date_forms() {
    assert_eq!(
        notes(r#"{"id":"P1","due":"22/04/2026"}"#),
        vec![(
            DriftKind::DateForm,
            "due".to_owned(),
            "string",
            Some("dd/MM/yyyy"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":"P1","settledAt":"2026-04-22 13:50:03"}"#),
        vec![(
            DriftKind::DateForm,
            "settledAt".to_owned(),
            "string",
            Some("yyyy-MM-dd HH:mm:ss"),
            None
        )]
    );
    assert_eq!(
        notes(r#"{"id":"P1","due":"2026-04-22","settledAt":"2026-04-22T13:50:03Z"}"#),
        vec![]
    );
    // A number where a date string belongs is a type, not a form.
    assert_eq!(
        notes(r#"{"id":"P1","due":20260422}"#),
        vec![(
            DriftKind::TypeMismatch,
            "due".to_owned(),
            "number",
            Some("integer"),
            None
        )]
    );
}

#[test]
fn a_date_read_in_another_form_than_the_declared_one_is_evidence() {
    assert_eq!(
        notes(r#"{"id":"P1","seen":"2026-04-22T13:50:03+05:30"}"#),
        vec![(
            DriftKind::OtherDateForm,
            "seen".to_owned(),
            "string",
            Some("yyyy-MM-dd'T'HH:mm:ssXXX"),
            None
        )]
    );
    assert_eq!(notes(r#"{"id":"P1","seen":"2026-04-22 13:50:03"}"#), vec![]);
}

#[test]
fn no_value_is_kept_inside_a_sensitive_member() {
    let found = notes(
        r#"{"id":"P1","status":"ON_HOLD","cardStatus":"BLOCKED","card":{"status":"FROZEN"}}"#,
    );
    assert_eq!(
        found,
        vec![
            (
                DriftKind::UnknownEnumValue,
                "status".to_owned(),
                "string",
                None,
                Some("ON_HOLD".to_owned())
            ),
            (
                DriftKind::UnknownEnumValue,
                "cardStatus".to_owned(),
                "string",
                Some("text (1-8 chars)"),
                None
            ),
            (
                DriftKind::UnknownEnumValue,
                "card.status".to_owned(),
                "string",
                Some("text (1-8 chars)"),
                None
            ),
        ]
    );
    // After the sensitive members, values are kept again.
    let found = notes(r#"{"id":"P1","card":{"status":"FROZEN"},"status":"ON_HOLD"}"#);
    assert_eq!(found[1].4.as_deref(), Some("ON_HOLD"), "{found:?}");
}

#[test]
fn webhook_bodies_are_recorded_under_their_id_whether_or_not_they_decode() {
    use crate::runtime::parse_webhook_recording;
    let recorder = DriftRecorder::new();
    let parsed = parse_webhook_recording::<Payout>(
        None,
        "payout_notify",
        br#"{"id":"P1","newMember":"x"}"#,
        &recorder,
    );
    assert_eq!(parsed.unwrap().id, "P1");
    let failed =
        parse_webhook_recording::<Payout>(None, "payout_notify", br#"{"amount":1}"#, &recorder);
    assert!(
        failed
            .unwrap_err()
            .message
            .starts_with("missing field `id`")
    );
    // A body that is no JSON at all is the parse error's business, not drift.
    assert!(parse_webhook_recording::<Payout>(None, "payout_notify", b"id=P1", &recorder).is_err());
    // A product's webhook is named after its product.
    let body = br#"{"id":"P1","newMember":1}"#;
    let product =
        parse_webhook_recording::<Payout>(Some("payouts"), "payout_notify", body, &recorder);
    assert!(product.is_ok());
    let report = recorder.report();
    let found: Vec<(&str, DriftKind, &str)> = report
        .findings
        .iter()
        .map(|f| (f.operation.as_str(), f.kind, f.path.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "payouts.webhooks.payout_notify",
                DriftKind::UnknownField,
                "newMember"
            ),
            (
                "webhooks.payout_notify",
                DriftKind::UnknownField,
                "newMember"
            ),
            ("webhooks.payout_notify", DriftKind::MissingField, "id"),
        ]
    );
}

#[test]
fn hooks_do_nothing_outside_a_pass() {
    let status = Status::from("NEW_VALUE");
    assert!(!status.is_known());
    let payout: Payout = serde_json::from_str(r#"{"id":"P1","amount":"1"}"#).unwrap();
    assert_eq!(payout.amount, Some(Decimal::ONE));
}

#[test]
fn reports_merge_and_round_trip() {
    let finding = |count, first_seen: &str| DriftFinding {
        operation: "get_order".to_owned(),
        kind: DriftKind::UnknownField,
        path: "bankRef".to_owned(),
        json_type: "string".to_owned(),
        form: Some("uuid".to_owned()),
        value: None,
        count,
        first_seen: first_seen.to_owned(),
    };
    let mut report = DriftReport {
        findings: vec![finding(2, "2026-05-02T00:00:00Z")],
        dropped: 1,
    };
    report.merge(DriftReport {
        findings: vec![finding(3, "2026-05-01T00:00:00Z")],
        dropped: 2,
    });
    assert_eq!(report.findings, vec![finding(5, "2026-05-01T00:00:00Z")]);
    assert_eq!(report.dropped, 3);
    let json = report.to_json();
    assert!(json.starts_with("{\n  \"version\": 1,"), "{json}");
    assert_eq!(DriftReport::from_json(&json).unwrap(), report);
    assert!(DriftReport::from_json(r#"{"version":2,"findings":[]}"#).is_err());
}

#[test]
fn memory_is_bounded_over_100_000_answers() {
    let recorder = DriftRecorder::new();
    for i in 0..100_000 {
        // Each answer has a member never seen before, and one seen every time.
        let json = format!(r#"{{"id":"P{i}","field{i}":1,"always":"x"}}"#);
        let interpretation = Interpretation::Payload {
            json: std::borrow::Cow::Owned(json),
            prefix: Some("payload"),
        };
        recorder.observe::<Payout>(None, "get_payout", &interpretation);
    }
    let report = recorder.report();
    assert_eq!(recorder.len(), DriftRecorder::DEFAULT_LIMIT);
    assert_eq!(report.findings.len(), DriftRecorder::DEFAULT_LIMIT);
    // `always` and 999 `fieldN` are kept; the other 99,001 new members are counted.
    assert_eq!(report.dropped, 99_001);
    let always = report.findings.iter().find(|f| f.path == "always").unwrap();
    assert_eq!(always.count, 100_000);
}
