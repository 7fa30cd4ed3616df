//! JSON examples as EnKash's doc pages print them (`tests/fixtures/docs/`, sources in its
//! `SOURCES.md` and in `FIXTURES` below) decode into the generated types; requests encode the way
//! the docs send them.

// Request examples are decoded and responses re-encoded: both serde directions on every type.
#![cfg(feature = "serde-roundtrip")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use enkash_generated::webhooks::{PAYMENT_LINK_NOTIFY_ACKNOWLEDGEMENT, parse_payment_link_notify};
use enkash_generated::{
    CreateOrderRequest, CreateVirtualAccountRequest, OrderGetResponse, OrderTransactionResponse,
    PaymentLinkEventType, PaymentLinkNotification, PaymentLinkPaymentStatus, PayoutMode,
    PayoutStatus, RefundRequest, SettlementPayoutDetail, SettlementPayoutSummary, SettlementStatus,
    SettlementTransaction, VirtualAccount,
};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::macros::datetime;

/// A doc example: its file under `tests/fixtures/docs/` and the page that prints it.
struct Fixture {
    file: &'static str,
    source: &'static str,
}

/// Every fixture with the page it comes from (`SOURCES.md` says what is verbatim).
const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "create_order_request.v4.json",
        source: "https://docs.enkash.com/api-8990249",
    },
    Fixture {
        file: "refund_request.v5.json",
        source: "https://docs.enkash.com/api-8990254",
    },
    Fixture {
        file: "settlement_payout.v2v3.json",
        source: "https://docs.enkash.com/api-8990255?nav=01J41JZXDCD0NZ8KRY2TXW4N7Z",
    },
    Fixture {
        file: "payment_link_notify.json",
        source: "https://docs.enkash.com/api-11989113?nav=01J41JZXDCD0NZ8KRY2TXW4N7Z",
    },
    Fixture {
        file: "e_collect_create_request.json",
        source: "https://docs.enkash.com/api-36240387",
    },
    Fixture {
        file: "e_collect_create_response.json",
        source: "https://docs.enkash.com/api-36240387",
    },
    Fixture {
        file: "e_collect_by_reference_response.json",
        source: "https://docs.enkash.com/api-36879224",
    },
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs")
}

/// The text of a fixture listed in `FIXTURES`.
fn example(file: &str) -> String {
    assert!(
        FIXTURES.iter().any(|fixture| fixture.file == file),
        "{file} is not listed in FIXTURES"
    );
    std::fs::read_to_string(dir().join(file)).unwrap_or_else(|err| panic!("{file}: {err}"))
}

/// Decodes a fixture, naming the failing JSON path on error.
fn decode<T: DeserializeOwned>(file: &str) -> T {
    decode_str(&example(file))
}

fn decode_str<T: DeserializeOwned>(json: &str) -> T {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer)
        .unwrap_or_else(|err| panic!("at `{}`: {}", err.path(), err.inner()))
}

/// Decodes the `payload` of a fixture holding a whole standard-envelope answer.
fn payload<T: DeserializeOwned>(file: &str) -> T {
    let answer: Value = decode(file);
    assert_eq!(answer["response_code"], 0, "{file}: a success answer");
    decode_str(&answer["payload"].to_string())
}

#[test]
fn every_fixture_is_listed_with_its_page() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|f| f.file.to_owned()).collect();
    assert_eq!(on_disk, listed, "FIXTURES and the folder differ");
    let sources = std::fs::read_to_string(dir().join("SOURCES.md")).unwrap();
    for fixture in FIXTURES {
        assert!(
            fixture.source.starts_with("https://docs.enkash.com/"),
            "{}: {}",
            fixture.file,
            fixture.source
        );
        assert!(
            sources.contains(&format!("`{}` | {}", fixture.file, fixture.source)),
            "SOURCES.md names {} with its page {}",
            fixture.file,
            fixture.source
        );
    }
}

/// Issue 8.4: the V4 example has no `paymentDetail`; it decodes, and an order is sent without it.
#[test]
fn create_order_example_without_payment_detail() {
    let order: CreateOrderRequest = decode("create_order_request.v4.json");
    assert_eq!(order.order_id, "RANDOMID123");
    assert_eq!(order.payment_detail, None);
    assert_eq!(order.validate(), Vec::<String>::new());
    let sent: Value = serde_json::to_value(&order).unwrap();
    assert!(
        sent.get("paymentDetail").is_none(),
        "no `paymentDetail` unless the caller sets it: {sent}"
    );
}

/// Issue 8.4: "Accepts alphanumeric characters only": other order ids are refused before sending.
#[test]
fn create_order_refuses_an_order_id_that_is_not_alphanumeric() {
    let mut order: CreateOrderRequest = decode("create_order_request.v4.json");
    for bad in ["ORDER-1", "order 1", "ORDER_1", "ÖRDER1", ""] {
        order.order_id = bad.to_owned();
        let problems = order.validate();
        assert!(
            problems.iter().any(|problem| problem.contains("orderId")),
            "{bad}: {problems:?}"
        );
    }
    order.order_id = "Order123".to_owned();
    assert_eq!(order.validate(), Vec::<String>::new());
}

/// Issue 8.3: the refund amount is written as the V5 sample writes it, a string with its decimals.
#[test]
fn refund_amount_is_written_as_a_decimal_string() {
    let text = example("refund_request.v5.json");
    let refund: RefundRequest = decode_str(&text);
    assert_eq!(refund.amount, Decimal::new(100, 0));
    let written: Value = serde_json::to_value(&refund).unwrap();
    let printed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written, printed, "re-encoded exactly as the docs print it");

    let partial = RefundRequest::new(Decimal::new(10050, 2), "EK1");
    let written = serde_json::to_value(&partial).unwrap();
    assert_eq!(written["amount"], Value::from("100.50"));
}

/// Issue 8.6: the V2/V3 shape names the array `settlementTransactionResponses`; its transactions
/// are read, not dropped. The re-encoded payout uses the V5 name.
#[test]
fn settlement_payout_v2v3_example_keeps_its_transactions() {
    let payout: SettlementPayoutDetail = payload("settlement_payout.v2v3.json");
    assert_eq!(payout.payout_status, Some(PayoutStatus::Init));
    assert_eq!(payout.payout_mode, Some(PayoutMode::Imps));
    let transactions = payout
        .settlement_transactions
        .as_ref()
        .expect("settlementTransactionResponses is read");
    assert_eq!(transactions.len(), 1);
    assert_eq!(transactions[0].id, Some(0));
    assert_eq!(
        transactions[0].settlement_status,
        Some(SettlementStatus::Pending)
    );
    let written = serde_json::to_value(&payout).unwrap();
    assert!(written.get("settlementTransactionResponses").is_none());
    assert_eq!(
        written["settlementTransactions"].as_array().map(Vec::len),
        Some(1)
    );
}

/// Issue 8.1: members the docs mark optional may be absent (V1 Get Transaction Status; every
/// settlement payload member).
#[test]
fn members_the_docs_mark_optional_may_be_absent() {
    let transaction: OrderTransactionResponse = decode_str(r#"{"created": null}"#);
    assert_eq!(transaction.transaction_id, None);
    let payout: SettlementPayoutDetail = decode_str(r#"{"utr": "AXISCN111118675"}"#);
    assert_eq!(
        (payout.settlement_payout_id, payout.payout_status),
        (None, None)
    );
    let settled: SettlementTransaction = decode_str(r#"{"saleAmount": 13.84}"#);
    assert_eq!(
        (settled.settlement_transaction_id, settled.settlement_status),
        (None, None)
    );
    let summary: SettlementPayoutSummary = decode_str(r#"{"transactionsCount": 2}"#);
    assert_eq!(
        (summary.settlement_payout_id, summary.payout_status),
        (None, None)
    );
}

/// Issue 8.2: the response's `customParameters` is a free-form object: any JSON value is read.
#[test]
fn order_custom_parameters_accept_any_json_value() {
    let order: OrderGetResponse = decode_str(
        r#"{"orderId": "EKO1", "amount": 10.5, "currency": "INR", "status": "PAID",
            "customParameters": {"customParam1": "value", "attempt": 2, "vip": true,
                                 "cart": {"items": ["A1"]}}}"#,
    );
    let params = order.custom_parameters.expect("customParameters");
    assert_eq!(params["customParam1"], Value::from("value"));
    assert_eq!(params["attempt"], Value::from(2));
    assert_eq!(params["vip"], Value::from(true));
    assert_eq!(params["cart"]["items"][0], Value::from("A1"));
}

/// Issue 8.7: the Payment Link webhook body is typed; its acknowledgement is 200 with `{}`.
#[test]
fn payment_link_webhook_example_is_typed() {
    let body = example("payment_link_notify.json");
    let notice = parse_payment_link_notify(body.as_bytes()).expect("the doc example parses");
    assert_eq!(notice.quick_collect_request_id.as_deref(), Some("string"));
    assert_eq!(notice.event_type, Some(PaymentLinkEventType::Payment));
    assert_eq!(notice.amount, Some(Decimal::ZERO));
    assert_eq!(
        notice.payment_status,
        Some(PaymentLinkPaymentStatus::Success)
    );
    assert_eq!(notice.message.as_deref(), Some("string"));
    assert_eq!(
        notice
            .payment_date
            .map(|date| date.to_offset_date_time().unix_timestamp()),
        Some(1_566_656_122)
    );
    let due: PaymentLinkNotification =
        decode_str(r#"{"type": "DUE_DATE", "paymentStatus": "FAILED"}"#);
    assert_eq!(due.event_type, Some(PaymentLinkEventType::DueDate));
    assert_eq!(due.payment_status, Some(PaymentLinkPaymentStatus::Failed));

    assert_eq!(PAYMENT_LINK_NOTIFY_ACKNOWLEDGEMENT.status, 200);
    let ack: Value = serde_json::from_str(PAYMENT_LINK_NOTIFY_ACKNOWLEDGEMENT.body).unwrap();
    assert_eq!(ack, serde_json::json!({}));
}

/// Issue 8.8: the Create Virtual Account request example decodes and encodes back as printed.
#[test]
fn e_collect_create_request_example() {
    let text = example("e_collect_create_request.json");
    let request: CreateVirtualAccountRequest = decode_str(&text);
    assert_eq!(request.expected_amount, Some(Decimal::new(500_000, 2)));
    assert_eq!(request.close_by, Some(datetime!(2026-06-01 23:59:59)));
    assert_eq!(
        request
            .notes
            .as_ref()
            .and_then(|notes| notes.get("key1"))
            .map(String::as_str),
        Some("value1")
    );
    let written = serde_json::to_value(&request).unwrap();
    let printed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written["closeBy"], printed["closeBy"]);
    assert_eq!(
        written["customerReferenceId"],
        printed["customerReferenceId"]
    );
    let text = serde_json::to_string(&request).unwrap();
    assert!(
        text.contains(r#""expectedAmount":5000.00"#),
        "an exact JSON number: {text}"
    );
}

/// Issue 8.8: both virtual-account answers of the docs decode, dates and amounts exact.
#[test]
fn e_collect_response_examples() {
    let created: VirtualAccount = payload("e_collect_create_response.json");
    assert_eq!(created.virtual_account_id.as_deref(), Some("va_abc123"));
    assert_eq!(created.merchant_detail_id.as_deref(), Some("mdt_abc123"));
    assert_eq!(
        created.virtual_account_ifsc_code.as_deref(),
        Some("RATN0VAAPIS")
    );
    assert_eq!(created.amount_paid, Some(Decimal::new(300_000, 2)));
    assert_eq!(created.expected_amount, Some(Decimal::new(500_000, 2)));
    assert_eq!(
        created.closed_on.map(|date| date.local()),
        Some(datetime!(2026-06-01 23:59:59))
    );
    assert_eq!(created.customer_reference_id, None);

    let found: VirtualAccount = payload("e_collect_by_reference_response.json");
    assert_eq!(found.customer_reference_id.as_deref(), Some("INV-2026-001"));
    assert_eq!(found.merchant_detail_id, None);
    assert_eq!(found.status.as_deref(), Some("ACTIVE"));
    assert_eq!(
        found.notes.as_ref().map(|notes| notes["key1"].clone()),
        Some(Value::from("value1"))
    );
}
