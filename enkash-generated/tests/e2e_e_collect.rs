//! End to end, E-Collect: a virtual account is created, then found by the merchant's customer
//! reference id; an unknown reference id is not found, a repeated one is refused.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use std::collections::BTreeMap;

use e2e::*;
use enkash_generated::mock::codes;
use enkash_generated::{CreateVirtualAccountRequest, Decimal};
use time::macros::datetime;

fn request(reference: &str) -> CreateVirtualAccountRequest {
    CreateVirtualAccountRequest::new()
        .with_customer_reference_id(reference)
        .with_customer_name("Emmett Sawayn")
        .with_customer_phone("9876543210")
        .with_description("Monthly rent")
        .with_notes(BTreeMap::from([("key1".to_owned(), "value1".to_owned())]))
        .with_expected_amount(Decimal::new(500_000, 2))
        .with_close_by(datetime!(2026-06-01 23:59:59))
}

#[tokio::test]
async fn a_virtual_account_is_created_then_found_by_its_customer_reference_id() {
    let (mock, client) = start().await;
    let reference = unique("CUST");
    let created = client
        .e_collect()
        .create_virtual_account(&request(&reference))
        .await
        .unwrap();
    assert!(created.virtual_account_id.is_some());
    assert!(created.virtual_account_number.is_some());
    assert_eq!(created.status.as_deref(), Some("ACTIVE"));
    assert_eq!(created.expected_amount, Some(Decimal::new(500_000, 2)));
    assert_eq!(
        created.closed_on.map(|date| date.local()),
        Some(datetime!(2026-06-01 23:59:59))
    );
    assert_eq!(
        created.notes.as_ref().map(|notes| notes["key1"].clone()),
        Some(serde_json::Value::from("value1"))
    );

    let found = client
        .e_collect()
        .get_by_customer_reference_id(&reference)
        .await
        .unwrap();
    assert_eq!(found, created);
    assert_eq!(
        found.customer_reference_id.as_deref(),
        Some(reference.as_str())
    );
    assert_eq!(mock.hits("create_virtual_account"), 1);
    assert_eq!(mock.hits("get_virtual_account_by_customer_reference_id"), 1);
}

#[tokio::test]
async fn unknown_and_repeated_reference_ids_are_refused() {
    let (_mock, client) = start().await;
    let err = client
        .e_collect()
        .get_by_customer_reference_id("CUSTNOPE")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");

    let reference = unique("CUST");
    client
        .e_collect()
        .create_virtual_account(&request(&reference))
        .await
        .unwrap();
    let err = client
        .e_collect()
        .create_virtual_account(&request(&reference))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::DUPLICATE), "{err:?}");
    let err = client
        .e_collect()
        .create_virtual_account(&CreateVirtualAccountRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
}
