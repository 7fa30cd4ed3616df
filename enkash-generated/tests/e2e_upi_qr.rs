//! End to end, UPI QR: customers (create, search) and QR codes (create, get, search, cancel).

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::mock::codes;
use enkash_generated::{
    CancelQrCodeRequest, CreateCustomerRequest, CustomerKeyContact, Error, QrCodeStatus,
    SearchQrCodesParams,
};
use serde_json::json;

fn customer(account: &str) -> CreateCustomerRequest {
    CreateCustomerRequest::new(vec![
        CustomerKeyContact::new(false, "Asha Traders Pvt Ltd", "9876543210", "Asha")
            .with_email("asha@example.com"),
    ])
    .with_account_number(account)
    .with_company_id("CEK1234567")
}

#[tokio::test]
async fn customers_are_created_once_per_account_and_searched() {
    let (_mock, client) = start().await;
    let created = client
        .upi_qr()
        .create_customer(&customer("ACC123456789"))
        .await
        .unwrap();
    let customer_id = created["customerId"].as_str().unwrap().to_owned();
    assert_eq!(created["customerKeyContacts"][0]["name"], "Asha");
    let err = client
        .upi_qr()
        .create_customer(&customer("ACC123456789"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::DUPLICATE), "{err:?}");
    client
        .upi_qr()
        .create_customer(&customer("ACC999999999"))
        .await
        .unwrap();

    let found = client
        .upi_qr()
        .search_customers(&json!({"accountNumber": "ACC123456789"}))
        .await
        .unwrap();
    assert_eq!(found["recordsCount"], 1);
    assert_eq!(found["data"][0]["customerId"], customer_id.as_str());
    let all = client.upi_qr().search_customers(&json!({})).await.unwrap();
    assert_eq!(all["recordsCount"], 2);
    let err = client
        .upi_qr()
        .search_customers(&json!([1, 2]))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
}

#[tokio::test]
async fn a_qr_is_created_read_searched_and_cancelled_once() {
    let (mock, client) = start().await;
    let customer_id = client
        .upi_qr()
        .create_customer(&customer("ACC555555555"))
        .await
        .unwrap()["customerId"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = client
        .upi_qr()
        .create(&json!({
            "qrName": "Counter 1",
            "fixedAmount": true,
            "amount": 250.5,
            "customerId": customer_id,
            "customParams": {"till": "1"},
        }))
        .await
        .unwrap();
    let qr_id = created["qrCodeId"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["multipleUse"], false);
    assert_eq!(created["customerName"], "Asha");
    let open = client
        .upi_qr()
        .create(&json!({"qrName": "Donations", "multipleUse": true}))
        .await
        .unwrap();
    assert_eq!(open["fixedAmount"], false);

    let read = client.upi_qr().get(&qr_id).await.unwrap();
    assert_eq!(read, created);
    assert_eq!(
        mock.state().qr_code(&qr_id).unwrap().amount,
        Some(rupees(25050))
    );

    let page = client
        .upi_qr()
        .search(
            &json!({"status": "ACTIVE"}),
            &SearchQrCodesParams::new().with_limit(1),
        )
        .await
        .unwrap();
    assert_eq!(page["recordsCount"], 2);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);

    let cancelled = client
        .upi_qr()
        .cancel(&qr_id, &CancelQrCodeRequest::new())
        .await
        .unwrap();
    assert_eq!(cancelled.status, Some(QrCodeStatus::Cancelled));
    assert!(cancelled.status.as_ref().unwrap().is_final());
    let err = client
        .upi_qr()
        .cancel(&qr_id, &CancelQrCodeRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::INVALID_STATE), "{err:?}");
    let by_customer = client
        .upi_qr()
        .search(
            &json!({"customerId": customer_id, "status": "CANCELLED"}),
            &SearchQrCodesParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(by_customer["recordsCount"], 1);
}

#[tokio::test]
async fn bad_qr_requests_are_rejected() {
    let (_mock, client) = start().await;
    let expect_400 = |err: Error| assert_eq!(err.status(), Some(400), "{err:?}");
    expect_400(
        client
            .upi_qr()
            .create(&json!({"fixedAmount": true}))
            .await
            .unwrap_err(),
    );
    expect_400(
        client
            .upi_qr()
            .create(&json!({"amount": "lots"}))
            .await
            .unwrap_err(),
    );
    expect_400(
        client
            .upi_qr()
            .create(&json!({"amount": 1.234}))
            .await
            .unwrap_err(),
    );
    expect_400(
        client
            .upi_qr()
            .create(&json!("a string"))
            .await
            .unwrap_err(),
    );
    let err = client
        .upi_qr()
        .create(&json!({"customerId": "CUS-NOPE"}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    let err = client.upi_qr().get("QR-NOPE").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
    let err = client
        .upi_qr()
        .cancel("QR-NOPE", &CancelQrCodeRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
}
