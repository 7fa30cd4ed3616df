//! JSON examples from the EnKash docs (https://docs.enkash.com) decode into the generated types and encode
//! back to equivalent JSON: no field lost, amounts exact, dates in their EnKash format.

// Round trips need both serde directions on every type (feature `serde-roundtrip`).
#![cfg(feature = "serde-roundtrip")]
// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use enkash_generated::{
    CreateOrderRequest, OrderGetResponse, OrderStatus, RefundRequest, RefundResponse,
    SettlementPayoutDetail, TokenResponse,
};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `json` into `T`, encodes it again, and checks both are equivalent. Returns the value
/// and the re-encoded text.
fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> (T, String) {
    let value: T = serde_json::from_str(json).unwrap_or_else(|err| panic!("decode: {err}"));
    let encoded = serde_json::to_string(&value).unwrap();
    let original: Value = serde_json::from_str(json).unwrap();
    let again: Value = serde_json::from_str(&encoded).unwrap();
    assert_equivalent(&original, &again, "$");
    (value, encoded)
}

/// Equal JSON, where a number and a numeric string with the same decimal value are equal (EnKash
/// sends some amounts as strings) and an absent member equals `null`.
fn assert_equivalent(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let left = a.get(key).unwrap_or(&Value::Null);
                let right = b.get(key).unwrap_or(&Value::Null);
                assert_equivalent(left, right, &format!("{path}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: array lengths differ");
            for (i, (left, right)) in a.iter().zip(b).enumerate() {
                assert_equivalent(left, right, &format!("{path}[{i}]"));
            }
        }
        _ => match (as_decimal(a), as_decimal(b)) {
            (Some(left), Some(right)) => assert_eq!(left, right, "{path}"),
            _ => assert_eq!(a, b, "{path}"),
        },
    }
}

fn as_decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[test]
fn create_order_request() {
    let json = r#"{
        "orderId": "RANDOMID123",
        "amount": {"value": 100.00, "currency": "INR"},
        "returnUrl": "https://merchant.example/return",
        "notifyUrl": "https://merchant.example/notify",
        "customerInfo": {
            "firstName": "Asha", "lastName": "Rao",
            "address": {"streetName": "MG Road", "city": "Bengaluru", "state": "KA",
                        "country": "IN", "zipcode": "560001"},
            "email": "asha@example.com", "phoneNumber": "9889890909"
        },
        "customParameters": {"customParam1": "value"},
        "description": "Two notebooks",
        "paymentDetail": {"accountNumber": "123456789012", "ifsc": "KKBK0000432"},
        "restrictedPaymentOptions": {"NETBANKING": ["HDFC"], "CREDIT_CARD": ["VISA", "MASTERCARD"], "UPI": null}
    }"#;
    let (order, encoded): (CreateOrderRequest, _) = round_trip(json);
    assert_eq!(order.order_id, "RANDOMID123");
    assert_eq!(order.amount.value, Decimal::new(10000, 2));
    assert!(
        encoded.contains(r#""value":100.00"#),
        "amount written as an exact JSON number: {encoded}"
    );
    assert!(order.validate().is_empty(), "{:?}", order.validate());
}

#[test]
fn settlement_payout_with_local_dates_and_four_decimals() {
    let json = r#"{
        "settlementPayoutId": "SP11114BPTOS",
        "totalSaleAmount": 13.84, "totalRefundAmount": 0.00, "totalCharges": 0.1176,
        "totalGst": 0.0212, "totalSettlementAmount": 13.70,
        "instantSettlementCharges": 0.0000, "instantSettlementGst": 0.0000,
        "refundChargebackAmount": 0.00, "carryForwardAmount": 0.00, "adjustmentAmount": 0.00,
        "payoutStatus": "SUCCESS", "utr": "AXISCN111118675",
        "payoutDate": "2026-04-22 13:50:03", "remarks": "Settlement processed",
        "transferId": "EK111112134500394CW",
        "createdOn": "2026-04-22 13:50:03", "modifiedOn": "2026-04-22 13:50:03",
        "settlementTransactions": [{
            "settlementTransactionId": "STGD11VLSUO23L",
            "saleAmount": 13.84, "txnAmount": 13.84, "taxAmount": 0.0212, "charges": 0.1176,
            "settlementAmount": 13.70, "transactionType": "SALE", "settlementStatus": "SETTLED",
            "approvedOn": "2026-04-22 13:50:03", "merchantMdrMode": "NORMAL",
            "createdOn": "2026-04-22 13:50:03", "modifiedOn": "2026-04-22 13:50:03"
        }],
        "walletFundAdjustment": 0.00, "splitTransactionCharges": 0.00, "splitTransactionGst": 0.00
    }"#;
    let (payout, encoded): (SettlementPayoutDetail, _) = round_trip(json);
    assert_eq!(payout.total_charges, Some(Decimal::new(1176, 4)));
    let date = payout.payout_date.expect("payoutDate").local();
    assert_eq!(
        (date.year(), u8::from(date.month()), date.day()),
        (2026, 4, 22)
    );
    assert_eq!((date.hour(), date.minute(), date.second()), (13, 50, 3));
    assert!(encoded.contains(r#""totalCharges":0.1176"#), "{encoded}");
    assert!(
        encoded.contains(r#""instantSettlementCharges":0.0000"#),
        "{encoded}"
    );
    assert!(
        encoded.contains(r#""payoutDate":"2026-04-22 13:50:03""#),
        "{encoded}"
    );
}

#[test]
fn a_date_in_the_wrong_format_is_an_error_naming_the_field() {
    let json = r#"{"settlementPayoutId": "SP1", "payoutStatus": "SUCCESS",
                   "payoutDate": "22/04/2026 13:50"}"#;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let err = serde_path_to_error::deserialize::<_, SettlementPayoutDetail>(&mut deserializer)
        .expect_err("a date in none of the forms EnKash uses");
    assert_eq!(err.path().to_string(), "payoutDate");
    let message = err.inner().to_string();
    assert!(message.contains("`yyyy-MM-dd HH:mm:ss`"), "{message}");
    assert!(message.contains("22/04/2026 13:50"), "{message}");
}

#[test]
fn refund_request_with_the_amount_as_a_string() {
    let json = r#"{"amount": "100", "remarks": "Customer returned the item",
                   "requestId": "EK576354215522333D33233005"}"#;
    let (refund, encoded): (RefundRequest, _) = round_trip(json);
    assert_eq!(refund.amount, Decimal::new(100, 0));
    assert_eq!(refund.request_id, "EK576354215522333D33233005");
    assert!(
        encoded.contains(r#""amount":"100""#),
        "written as the V5 sample writes it, a JSON string: {encoded}"
    );
}

#[test]
fn refund_response() {
    let json = r#"{"amount": 0, "paymentMode": "NET_BANKING", "bankCode": "HDFC",
                   "bankName": "HDFC Bank", "currency": "INR", "status": "CREATED",
                   "transactionId": "EK1743074262175e8KIO", "txnMsg": "Refund initiated",
                   "txnDate": "2026-03-17 10:00:00", "uniqueTransactionId": "U1",
                   "bankTransactionId": "B1"}"#;
    let (_refund, _): (RefundResponse, _) = round_trip(json);
}

#[test]
fn token_response() {
    let json = r#"{"token": "eyJhbGciOi.secret.token", "expiry": 1672531199000,
                   "resultCode": 200, "resultMessage": "Token generated successfully."}"#;
    let (token, _): (TokenResponse, _) = round_trip(json);
    assert_eq!(
        token.expiry.map(|e| e.unix_timestamp()),
        Some(1_672_531_199)
    );
    let debug = format!("{token:?}");
    assert!(
        !debug.contains("secret"),
        "the token is redacted from Debug: {debug}"
    );
}

#[test]
fn an_unknown_enum_value_survives_the_round_trip() {
    let json =
        r#"{"orderId": "EKO1", "status": "REFUND_QUEUED", "amount": 10.5, "currency": "INR"}"#;
    let (order, encoded): (OrderGetResponse, _) = round_trip(json);
    assert!(!order.status.is_known());
    assert_eq!(order.status.as_str(), "REFUND_QUEUED");
    assert!(
        !order.status.is_final(),
        "an unknown status is never taken as final"
    );
    assert!(encoded.contains(r#""status":"REFUND_QUEUED""#), "{encoded}");
    assert_eq!(OrderStatus::from("PAID"), OrderStatus::Paid);
    assert!(OrderStatus::Paid.is_final() && OrderStatus::Paid.is_success());
}
