#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end, paginated search as a stream: `client.settlements().search_payouts_stream(..)`
//! against the mock, which pages with `offset`/`limit` and reports `recordsCount`. Covers 0, 1
//! and 2.5 pages, the page size capped at the documented maximum, and an error on the second
//! page after the first page's items.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;

use e2e::*;
use enkash_generated::mock::{Fault, MockConfig, Repeat};
use enkash_generated::{
    Error, SearchSettlementPayoutsParams, SettlementPayoutSearchRequest, StreamExt, TryStreamExt,
};

/// Every payout id the stream yields with pages of `page_size`, and how many pages it asked for.
async fn stream_ids(seeded: usize, page_size: i32) -> (Vec<String>, u64) {
    let (mock, client) = start_with(MockConfig::default().seeded_payouts(seeded)).await;
    let request = SettlementPayoutSearchRequest::default();
    let params = SearchSettlementPayoutsParams::new().with_limit(page_size);
    let payouts: Vec<_> = client
        .settlements()
        .search_payouts_stream(&request, &params)
        .try_collect()
        .await
        .unwrap();
    let ids = payouts
        .into_iter()
        .map(|p| p.settlement_payout_id.unwrap())
        .collect();
    (ids, mock.hits("search_settlement_payouts"))
}

#[tokio::test]
async fn no_payouts_is_an_empty_stream_after_one_request() {
    let (ids, pages) = stream_ids(0, 10).await;
    assert!(ids.is_empty());
    assert_eq!(pages, 1);
}

#[tokio::test]
async fn one_full_page_stops_at_the_total() {
    let (ids, pages) = stream_ids(10, 10).await;
    assert_eq!(ids.len(), 10);
    // `recordsCount` says 10: no request for an empty second page.
    assert_eq!(pages, 1);
}

#[tokio::test]
async fn two_and_a_half_pages_yield_every_payout_once_in_order() {
    let (mock, client) = start_with(MockConfig::default().seeded_payouts(25)).await;
    let all = mock.state().payout_ids();
    drop(client);
    let (ids, pages) = stream_ids(25, 10).await;
    assert_eq!(ids, all);
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn a_page_size_above_the_documented_maximum_is_capped() {
    // The mock refuses `limit` above 5000, as the docs say EnKash does: the stream asks for 5000.
    let (ids, pages) = stream_ids(3, 100_000).await;
    assert_eq!(ids.len(), 3);
    assert_eq!(pages, 1);
}

#[tokio::test]
async fn an_error_on_the_second_page_comes_after_the_first_pages_items() {
    let (mock, client) = start_with(MockConfig::default().seeded_payouts(25)).await;
    let request = SettlementPayoutSearchRequest::default();
    let params = SearchSettlementPayoutsParams::new().with_limit(10);
    let mut stream = Box::pin(
        client
            .settlements()
            .search_payouts_stream(&request, &params),
    );
    let mut first = Vec::new();
    for _ in 0..10 {
        first.push(stream.next().await.unwrap().unwrap());
    }
    assert_eq!(
        mock.hits("search_settlement_payouts"),
        1,
        "pages are fetched lazily"
    );
    // The second page is refused (a 400 is not retried).
    mock.inject(
        "search_settlement_payouts",
        Fault::Status(400),
        Repeat::Times(1),
    );
    match stream.next().await {
        Some(Err(Error::Http { status: 400, .. })) => {}
        other => panic!("expected the second page's error, got {other:?}"),
    }
    assert!(
        stream.next().await.is_none(),
        "the stream ends after an error"
    );
    assert_eq!(first.len(), 10);
    assert_eq!(mock.hits("search_settlement_payouts"), 2);
}
