//! Every operation of the spec is served by the mock and callable through the client: the
//! generated operation list (`mock::OPERATION_IDS`, what the generated router serves) is compared
//! with the spec itself, then each operation is called once through the client, must succeed and
//! the mock's hit counters must show it arrived. A new operation in the spec fails this test until
//! the EnKash mock state overrides its generated trait method (the default answers HTTP 501 "not
//! implemented by this mock") and the tour (`tests/support/tour.rs`) calls it.

#![cfg(feature = "mock")]

#[path = "support/e2e.rs"]
mod e2e;
#[path = "support/tour.rs"]
mod tour;

use std::collections::BTreeSet;

use e2e::*;
use enkash_generated::mock::{MockConfig, OPERATION_IDS};

fn spec_operation_ids() -> BTreeSet<String> {
    let spec = enkash_spec::load(&enkash_spec::default_spec_dir())
        .unwrap_or_else(|diagnostics| panic!("the spec does not load:\n{diagnostics}"));
    spec.operations.keys().cloned().collect()
}

#[test]
fn the_mock_serves_exactly_the_operations_of_the_spec() {
    let served: BTreeSet<String> = OPERATION_IDS.iter().map(|id| (*id).to_owned()).collect();
    assert_eq!(served, spec_operation_ids());
}

#[tokio::test]
async fn every_operation_of_the_spec_is_called_and_reaches_the_mock() {
    let (mock, client) = start_with(MockConfig::default().complete_payments_after_polls(0)).await;
    let ids = spec_operation_ids();
    for id in &ids {
        tour::call(&client, &client, &mock, id)
            .await
            .unwrap_or_else(|err| panic!("`{id}` failed: {err:?}"));
    }
    let hits = mock.all_hits();
    let never_called: Vec<_> = ids
        .iter()
        .filter(|id| hits.get(id.as_str()).copied().unwrap_or(0) == 0)
        .collect();
    assert!(
        never_called.is_empty(),
        "never reached the mock: {never_called:?}"
    );
    let unknown: Vec<_> = hits.keys().filter(|id| !ids.contains(**id)).collect();
    assert!(
        unknown.is_empty(),
        "hits for operations not in the spec: {unknown:?}"
    );
}
