//! End to end, injected faults: each fault, injected into each operation of the spec, becomes
//! the right error variant (or, for an unknown enum value, a decoded `Unknown`), never a panic;
//! and a closer look at what each error carries.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;
#[path = "support/tour.rs"]
mod tour;

use std::time::Duration;

use e2e::*;
use enkash_generated::mock::{Always, Fault, MockConfig, MockServer, OPERATION_IDS, Times};
use enkash_generated::{
    Client, Error, OrderStatus, PayoutStatus, RefundRequest, RefundStatus, RetryPolicy, UpiStatus,
};

/// The operations whose answer is not a `{response_code, ...}` envelope.
const TOKEN: &str = "get_authorization_token";
const TEXT: &str = "resend_otp";

/// What `fault` injected into `op_id` must turn into.
fn check(fault: &Fault, op_id: &str, result: &Result<(), Error>) -> Result<(), String> {
    let ok = match (fault, result) {
        (Fault::Status(code), Err(Error::Http { status, .. })) => status == code,
        (Fault::StatusWithRetryAfter { status: code, .. }, Err(Error::Http { status, .. })) => {
            status == code
        }
        (
            Fault::HtmlErrorPage,
            Err(Error::Http {
                status: 502,
                body_excerpt,
                ..
            }),
            // No part of a token answer is kept: it may carry a token.
        ) => {
            if op_id == TOKEN {
                body_excerpt.is_empty()
            } else {
                body_excerpt.contains("Bad Gateway")
            }
        }
        // A text answer has no result code, and any text is a valid one.
        (Fault::ResponseCode(..) | Fault::MalformedJson | Fault::TruncatedJson, Ok(())) => {
            op_id == TEXT
        }
        // The bare token answer has no result code: an error envelope has no token.
        (Fault::ResponseCode(..), Err(Error::Decode { status: 200, .. })) => op_id == TOKEN,
        (
            Fault::ResponseCode(code, _),
            Err(Error::Api {
                code: got,
                status: 200,
                ..
            }),
        ) => got == code,
        (Fault::MalformedJson | Fault::TruncatedJson, Err(Error::Decode { status: 200, .. })) => {
            true
        }
        (Fault::UnknownEnumValue, Ok(())) => true,
        (Fault::DropConnection | Fault::DropAfterHandling, Err(Error::Transport { .. })) => true,
        (Fault::Delay(_), Err(Error::Timeout { .. })) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{op_id} with {fault:?} gave {result:?}"))
    }
}

/// Injects `fault` into every operation in turn (always, then cleared) and checks each outcome.
async fn every_operation_with(fault: Fault) -> Vec<String> {
    let (mock, setup) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    // A tiny timeout only where a delay must trip it: elsewhere a slow, loaded machine must
    // not turn an answer into a timeout.
    let timeout = match fault {
        Fault::Delay(_) => Duration::from_millis(50),
        _ => Duration::from_secs(2),
    };
    let target = mock
        .client_builder()
        .timeout(timeout)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(1)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    // Both clients hold a token before any fault touches the token operation.
    for client in [&setup, &target] {
        create_order(client, rupees(100)).await;
    }
    let mut problems = Vec::new();
    for &op_id in OPERATION_IDS {
        mock.inject(op_id, fault.clone(), Always);
        let result = tour::call(&setup, &target, &mock, op_id).await;
        mock.clear_faults();
        if let Err(problem) = check(&fault, op_id, &result) {
            problems.push(problem);
        }
    }
    // The server survived it all.
    create_order(&setup, rupees(100)).await;
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_in_every_operation_becomes_the_right_error() {
    let faults = [
        Fault::Status(503),
        Fault::Status(404),
        Fault::StatusWithRetryAfter {
            status: 429,
            seconds: 0,
        },
        Fault::ResponseCode(42, "Something went wrong".into()),
        Fault::MalformedJson,
        Fault::TruncatedJson,
        Fault::HtmlErrorPage,
        Fault::UnknownEnumValue,
        Fault::DropConnection,
        Fault::DropAfterHandling,
        Fault::Delay(Duration::from_millis(300)),
    ];
    let runs: Vec<_> = faults
        .into_iter()
        .map(|fault| tokio::spawn(every_operation_with(fault)))
        .collect();
    let mut problems = Vec::new();
    for run in runs {
        problems.extend(run.await.expect("no panic"));
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

async fn order_and_client() -> (MockServer, Client, String) {
    let (mock, client) = start().await;
    let order_id = create_order(&client, rupees(100)).await;
    (mock, client, order_id)
}

#[tokio::test]
async fn an_unknown_enum_value_is_kept_not_refused() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let (order_id, txn_id) = paid_order(&client, rupees(1000)).await;
    mock.inject("get_order_status", Fault::UnknownEnumValue, Times(1));
    let order = client.orders().get(&order_id).await.unwrap();
    match &order.status {
        OrderStatus::Unknown(value) => assert_eq!(value.as_str(), "STATUS_FROM_THE_FUTURE"),
        other => panic!("{other:?}"),
    }
    assert!(!order.status.is_final() && !order.status.is_success());

    mock.inject(
        "get_upi_transaction_status",
        Fault::UnknownEnumValue,
        Times(1),
    );
    let upi = client.payments().get_upi_status(&txn_id).await.unwrap();
    assert!(matches!(upi.status, UpiStatus::Unknown(_)), "{upi:?}");
    assert!(!upi.status.is_final());

    mock.inject("create_refund", Fault::UnknownEnumValue, Times(1));
    let refund = client
        .refunds()
        .create(&txn_id, &RefundRequest::new(rupees(100), unique("RF-")))
        .await
        .unwrap();
    assert!(
        matches!(refund.status, RefundStatus::Unknown(_)),
        "{refund:?}"
    );

    let payout_id = mock.state().payout_ids().remove(0);
    mock.inject("get_settlement_payout", Fault::UnknownEnumValue, Times(1));
    let payout = client.settlements().get_payout(&payout_id).await.unwrap();
    assert!(
        matches!(payout.payout_status, Some(PayoutStatus::Unknown(_))),
        "{payout:?}"
    );
}

#[tokio::test]
async fn a_non_zero_response_code_is_an_api_error_with_code_message_and_body() {
    let (mock, client, order_id) = order_and_client().await;
    mock.inject(
        "get_order_status",
        Fault::ResponseCode(42, "Order is locked".into()),
        Times(1),
    );
    let err = client.orders().get(&order_id).await.unwrap_err();
    match &err {
        Error::Api {
            operation,
            status,
            code,
            message,
            body,
            ..
        } => {
            assert_eq!((*operation, *status, *code), ("get_order_status", 200, 42));
            assert_eq!(message, "Order is locked");
            assert!(body.contains("\"response_code\":42"), "{body}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_retryable() && !err.may_have_been_processed());
    assert_eq!(mock.hits("get_order_status"), 1);

    // The split envelope names its code `code`.
    mock.inject(
        "edit_split_settlement",
        Fault::ResponseCode(7, "Split refused".into()),
        Times(1),
    );
    let split =
        enkash_generated::SplitSettlement::new(enkash_generated::SplitAmountType::Flat, vec![]);
    let err = client
        .split_settlements()
        .edit_split(
            "EK1",
            &enkash_generated::EditSplitTransactionRequest::new(split),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { code: 7, .. }), "{err:?}");
}

#[tokio::test]
async fn malformed_and_truncated_answers_are_decode_errors_that_probably_succeeded() {
    let (mock, client, order_id) = order_and_client().await;
    for fault in [Fault::MalformedJson, Fault::TruncatedJson] {
        mock.inject("get_order_status", fault.clone(), Times(1));
        let err = client.orders().get(&order_id).await.unwrap_err();
        match &err {
            Error::Decode {
                status: 200,
                body_excerpt,
                ..
            } => assert!(!body_excerpt.is_empty()),
            other => panic!("{fault:?}: {other:?}"),
        }
        assert!(
            err.may_have_been_processed() && !err.is_retryable(),
            "{fault:?}"
        );
    }
    assert_eq!(
        mock.hits("get_order_status"),
        2,
        "decode errors are not retried"
    );
}

#[tokio::test]
async fn an_html_error_page_is_an_http_error_with_an_excerpt() {
    let (mock, client, order_id) = order_and_client().await;
    mock.inject("submit_payment", Fault::HtmlErrorPage, Times(1));
    let err = client
        .payments()
        .submit(&upi_payment(&order_id, "payer@upi"))
        .await
        .unwrap_err();
    match &err {
        Error::Http {
            status: 502,
            body_excerpt,
            ..
        } => assert!(body_excerpt.contains("<h1>502 Bad Gateway</h1>")),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable() && err.may_have_been_processed());
    assert_eq!(mock.hits("submit_payment"), 1);
}

#[tokio::test]
async fn token_faults_become_auth_or_transport_errors() {
    for (fault, is_expected) in [
        (
            Fault::MalformedJson,
            (|e: &Error| matches!(e, Error::Auth { .. })) as fn(&Error) -> bool,
        ),
        (Fault::ResponseCode(5, "Merchant blocked".into()), |e| {
            matches!(e, Error::Auth { code: Some(5), .. })
        }),
        (Fault::HtmlErrorPage, |e| {
            matches!(
                e,
                Error::Auth {
                    status: Some(502),
                    ..
                }
            )
        }),
        (Fault::DropConnection, |e| {
            matches!(e, Error::Transport { .. })
        }),
    ] {
        let (mock, client) = start().await;
        mock.inject(TOKEN, fault.clone(), Always);
        let err = client.orders().get("ORD-ANY").await.unwrap_err();
        assert!(is_expected(&err), "{fault:?}: {err:?}");
        assert_eq!(mock.hits("get_order_status"), 0, "{fault:?}");
    }
}

#[tokio::test]
async fn malformed_requests_get_a_400_and_the_server_keeps_serving() {
    let (mock, client, order_id) = order_and_client().await;
    let http = http();
    let token: serde_json::Value = http
        .post(format!("{}/api/v0/merchant/token", mock.url()))
        .json(&serde_json::json!({"accessKey": mock.access_key(), "secretKey": mock.secret_key()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    let bodies = [
        "{bad json",
        "",
        "[]",
        r#"{"orderId": 5}"#,
        r#"{"orderId": "X", "amount": {"value": "ten", "currency": "INR"}, "paymentDetail": {}}"#,
        r#"{"orderId": "X", "amount": {"value": 1e400, "currency": "INR"}, "paymentDetail": {}}"#,
        r#"{"orderId": "", "amount": {"value": 1, "currency": "INR"}, "paymentDetail": {}}"#,
    ];
    for (path, body) in bodies
        .iter()
        .map(|body| ("/api/v0/orders", *body))
        .chain([("/api/v0/payment/EK1/refund", r#"{"amount": -1}"#)])
        .chain([("/api/v0/qr-code/search?limit=abc", "{}")])
    {
        let answer = http
            .post(format!("{}{path}", mock.url()))
            .header("Authorization", &bearer)
            .header("merchantAccessKey", mock.access_key())
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 400, "{path} {body}");
        let envelope: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(envelope["response_code"], 1, "{path} {body}: {envelope}");
    }
    let unknown = http
        .get(format!("{}/api/v0/nowhere", mock.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let wrong_method = http
        .delete(format!("{}/api/v0/orders", mock.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status().as_u16(), 405);
    let weird_id = client
        .orders()
        .get("../../etc/passwd?x=1#y")
        .await
        .unwrap_err();
    assert_eq!(
        weird_id.code(),
        Some(enkash_generated::mock::codes::NOT_FOUND)
    );
    client.orders().get(&order_id).await.unwrap();
}
