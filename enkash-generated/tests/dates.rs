//! Every response and webhook date field of the spec reads each form EnKash is known to use:
//! RFC 3339 (with `Z` or an offset), ISO local without a zone, and `yyyy-MM-dd HH:mm:ss`. The
//! table is checked against the spec, so a new date field cannot be left out.

use std::collections::BTreeSet;

use enkash_generated::time::macros::{datetime, offset};
use enkash_generated::{
    EnkashDateTime, OrderGetResponse, OrderTransactionResponse, PaymentLinkNotification,
    PaymentNotification, SettlementPayoutDetail, SettlementPayoutSummary, SettlementTransaction,
    VirtualAccount,
};
use enkash_spec::TypeRef;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Each accepted form of 2026-04-22 13:50:03 (IST), with the offset it carries.
const FORMS: [(&str, Option<i8>); 4] = [
    ("2026-04-22T13:50:03+05:30", Some(5)),
    ("2026-04-22T08:20:03Z", Some(0)),
    ("2026-04-22T13:50:03", None),
    ("2026-04-22 13:50:03", None),
];

/// Decodes `base` with `field` set to `value` and reads the field back.
fn read<T: DeserializeOwned>(
    base: &Value,
    field: &str,
    value: &str,
    get: fn(&T) -> Option<EnkashDateTime>,
) -> Result<Option<EnkashDateTime>, String> {
    let mut object = base.clone();
    object[field] = Value::String(value.to_owned());
    serde_json::from_value::<T>(object)
        .map(|decoded| get(&decoded))
        .map_err(|err| err.to_string())
}

type Case = (
    &'static str,
    &'static str,
    fn(&str) -> Result<Option<EnkashDateTime>, String>,
);

macro_rules! cases {
    ($($schema:ident { base: $base:expr, $($wire:literal => $member:ident),+ $(,)? })+) => {
        vec![$($(
            (
                stringify!($schema),
                $wire,
                (|value: &str| read::<$schema>(&$base, $wire, value, |v| v.$member))
                    as fn(&str) -> Result<Option<EnkashDateTime>, String>,
            ),
        )+)+]
    };
}

fn table() -> Vec<Case> {
    cases! {
        OrderGetResponse {
            base: json!({"orderId": "O1", "amount": 1, "currency": "INR", "status": "PAID"}),
            "created" => created, "lastModified" => last_modified, "orderDate" => order_date,
        }
        OrderTransactionResponse {
            base: json!({}),
            "created" => created, "lastModified" => last_modified,
        }
        PaymentNotification {
            base: json!({"amount": 1, "currency": "INR", "status": "SUCCESS",
                         "transactionId": "EK1", "orderId": "O1"}),
            "txnDate" => txn_date,
        }
        PaymentLinkNotification { base: json!({}), "paymentDate" => payment_date }
        SettlementPayoutDetail {
            base: json!({}),
            "payoutDate" => payout_date, "createdOn" => created_on, "modifiedOn" => modified_on,
        }
        SettlementPayoutSummary {
            base: json!({}),
            "payoutDate" => payout_date, "createdOn" => created_on, "modifiedOn" => modified_on,
        }
        SettlementTransaction {
            base: json!({}),
            "approvedOn" => approved_on, "createdOn" => created_on, "modifiedOn" => modified_on,
        }
        VirtualAccount { base: json!({}), "closedOn" => closed_on }
    }
}

#[test]
fn every_date_field_reads_every_form() {
    for (schema, field, read) in table() {
        for (text, offset_hours) in FORMS {
            let value = read(text)
                .unwrap_or_else(|err| panic!("{schema}.{field} = {text}: {err}"))
                .unwrap_or_else(|| panic!("{schema}.{field} = {text}: dropped"));
            assert_eq!(
                value.to_offset_date_time(),
                datetime!(2026-04-22 13:50:03 +05:30),
                "{schema}.{field} = {text}"
            );
            assert_eq!(
                value.offset().map(|o| o.whole_hours()),
                offset_hours,
                "{schema}.{field} = {text}"
            );
        }
    }
}

#[test]
fn a_date_in_another_form_names_the_field_and_the_forms() {
    for (schema, field, read) in table() {
        let err = read("22/04/2026").expect_err(field);
        assert!(
            err.contains("RFC 3339") && err.contains("yyyy-MM-dd HH:mm:ss"),
            "{schema}.{field}: {err}"
        );
        assert!(err.contains("22/04/2026"), "{schema}.{field}: {err}");
    }
    // Through the client's decoder the error carries the JSON path of the field.
    let err = serde_path_to_error::deserialize::<_, OrderGetResponse>(json!({
        "orderId": "O1", "amount": 1, "currency": "INR", "status": "PAID", "created": "yesterday"
    }))
    .unwrap_err();
    assert_eq!(err.path().to_string(), "created");
}

#[test]
fn local_times_are_taken_as_ist_only_when_asked() {
    let value: EnkashDateTime = "2026-04-22 13:50:03".parse().unwrap();
    assert_eq!(value.local(), datetime!(2026-04-22 13:50:03));
    assert_eq!(value.offset(), None);
    assert_eq!(EnkashDateTime::ASSUMED_OFFSET, offset!(+5:30));
    assert_eq!(
        value.assume_offset(offset!(UTC)),
        datetime!(2026-04-22 13:50:03 UTC)
    );
    // Written back in EnKash's own form.
    assert_eq!(value.to_string(), "2026-04-22 13:50:03");
}

#[test]
fn the_table_covers_every_date_field_of_the_spec() {
    let spec = enkash_spec::load(&enkash_spec::default_spec_dir())
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    let in_spec: BTreeSet<(String, String)> = spec
        .schemas
        .values()
        .flat_map(|schema| {
            schema
                .fields
                .iter()
                .filter(|field| matches!(field.ty, TypeRef::DateTimeType(_)))
                .map(|field| (schema.name.clone(), field.wire_name.clone()))
        })
        .collect();
    let in_table: BTreeSet<(String, String)> = table()
        .into_iter()
        .map(|(schema, field, _)| (schema.to_owned(), field.to_owned()))
        .collect();
    assert_eq!(in_table, in_spec);
}
