//! End to end, settlements: seeded payouts read by id and searched (filters, order, offset and
//! limit), and a payout made from the transactions a test paid.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::mock::{MockConfig, codes};
use enkash_generated::{
    Error, PayoutStatus, RefundRequest, SearchDirection, SearchSettlementPayoutsParams,
    SettlementPayoutSearchRequest, SettlementStatus,
};

#[tokio::test]
async fn a_seeded_payout_is_read_with_exact_amounts_and_its_transactions() {
    let (mock, client) = start().await;
    let ids = mock.state().payout_ids();
    assert_eq!(ids.len(), 3);
    let payout = client.settlements().get_payout(&ids[0]).await.unwrap();
    assert_eq!(payout.settlement_payout_id.as_ref(), Some(&ids[0]));
    assert_eq!(payout.payout_status, Some(PayoutStatus::Success));
    assert_eq!(payout.total_sale_amount, Some(rupees(100000)));
    assert_eq!(payout.total_charges, Some(rupees(850)));
    assert_eq!(payout.total_gst, Some(rupees(153)));
    assert_eq!(payout.total_settlement_amount, Some(rupees(98997)));
    let date = payout.payout_date.unwrap().local();
    assert_eq!(
        (date.year(), u8::from(date.month()), date.day()),
        (2026, 4, 1)
    );
    let txns = payout.settlement_transactions.unwrap();
    assert_eq!(txns.len(), 2);
    assert!(
        txns.iter()
            .all(|t| t.settlement_status == Some(SettlementStatus::Settled))
    );
    let settled: rust_decimal::Decimal = txns.iter().map(|t| t.sale_amount.unwrap()).sum();
    assert_eq!(settled, rupees(100000));

    let err = client
        .settlements()
        .get_payout("SP-NOPE")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND), "{err:?}");
}

#[tokio::test]
async fn search_pages_with_offset_and_limit_and_filters() {
    let (mock, client) = start_with(MockConfig::default().seeded_payouts(5)).await;
    let ids = mock.state().payout_ids();
    let all = SettlementPayoutSearchRequest::new();
    let page = client
        .settlements()
        .search_payouts(
            &all,
            &SearchSettlementPayoutsParams::new()
                .with_offset(1)
                .with_limit(2),
        )
        .await
        .unwrap();
    assert_eq!(page.records_count, Some(5));
    let data = page.data.unwrap();
    let got: Vec<_> = data
        .iter()
        .filter_map(|p| p.settlement_payout_id.clone())
        .collect();
    assert_eq!(got, ids[1..3]);
    assert_eq!(data[0].transactions_count, Some(2));
    assert!(data[0].merchant_name.is_some());

    let last = client
        .settlements()
        .search_payouts(
            &all,
            &SearchSettlementPayoutsParams::new()
                .with_offset(4)
                .with_limit(10),
        )
        .await
        .unwrap();
    assert_eq!(last.data.unwrap().len(), 1);

    let filtered = SettlementPayoutSearchRequest::new()
        .with_settlement_payout_ids(vec![ids[0].clone(), ids[3].clone(), ids[4].clone()])
        .with_total_sale_amount_from(rupees(150000));
    let found = client
        .settlements()
        .search_payouts(
            &filtered,
            &SearchSettlementPayoutsParams::new()
                .with_order_by("totalSettlementAmount")
                .with_direction(SearchDirection::Desc),
        )
        .await
        .unwrap();
    let got: Vec<_> = found
        .data
        .unwrap()
        .into_iter()
        .filter_map(|p| p.settlement_payout_id)
        .collect();
    assert_eq!(got, [ids[4].clone(), ids[3].clone()]);

    let searches = mock.hits("search_settlement_payouts");
    let err = client
        .settlements()
        .search_payouts(&all, &SearchSettlementPayoutsParams::new().with_limit(6000))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(
        mock.hits("search_settlement_payouts"),
        searches,
        "nothing was sent"
    );
    let err = client
        .settlements()
        .search_payouts(&all, &SearchSettlementPayoutsParams::new().with_limit(0))
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(400),
        "the mock refuses an empty page: {err:?}"
    );
}

#[tokio::test]
async fn paid_transactions_are_settled_net_of_refunds_into_a_new_payout() {
    let (mock, client) = start_with(MockConfig::default().seeded_payouts(0)).await;
    assert_eq!(mock.state().settle_paid_transactions(), None);
    let (_o1, txn1) = paid_order(&client, rupees(200000)).await;
    let (_o2, _txn2) = paid_order(&client, rupees(100000)).await;
    client
        .refunds()
        .create(&txn1, &RefundRequest::new(rupees(50000), unique("RF-")))
        .await
        .unwrap();
    let payout_id = mock.state().settle_paid_transactions().unwrap();
    assert_eq!(
        mock.state().settle_paid_transactions(),
        None,
        "nothing left to settle"
    );

    let payout = client.settlements().get_payout(&payout_id).await.unwrap();
    assert_eq!(payout.total_sale_amount, Some(rupees(300000)));
    assert_eq!(payout.total_refund_amount, Some(rupees(50000)));
    let charges = payout.total_charges.unwrap();
    let gst = payout.total_gst.unwrap();
    assert_eq!(
        payout.total_settlement_amount.unwrap(),
        (rupees(250000) - charges - gst).round_dp(2)
    );
    let remarks: Vec<_> = payout
        .settlement_transactions
        .unwrap()
        .into_iter()
        .filter_map(|t| t.remarks)
        .collect();
    assert!(remarks.iter().any(|r| r.contains(&txn1)), "{remarks:?}");

    let found = client
        .settlements()
        .search_payouts(
            &SettlementPayoutSearchRequest::new().with_settlement_payout_id(&payout_id),
            &SearchSettlementPayoutsParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(found.records_count, Some(1));
}
