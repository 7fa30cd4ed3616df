//! Settlement payouts: seeded at start, made from paid transactions on request
//! ([`MockState::settle_paid_transactions`](super::MockState::settle_paid_transactions)), read by
//! id and searched with filters, `orderBy`/`direction` and `offset`/`limit`.

use rust_decimal::Decimal;
use time::{Duration, PrimitiveDateTime};

use super::{Store, not_found, now_local, page};
use crate::generated::enums::{
    PayoutMode, PayoutStatus, SettlementStatus, SettlementTransactionType, SettlementType,
};
use crate::generated::mock::MockSettlements;
use crate::generated::models::{
    SettlementPayoutDetail, SettlementPayoutSearchRequest, SettlementPayoutSearchResponse,
    SettlementPayoutSummary, SettlementTransaction,
};
use crate::runtime::mock::{MockContext, MockError, MockReply};

/// Charges the mock takes on a sale: 0.85 %, plus 18 % GST on them.
const CHARGE_RATE: Decimal = Decimal::from_parts(85, 0, 0, false, 4);
const GST_RATE: Decimal = Decimal::from_parts(18, 0, 0, false, 2);

impl MockSettlements for Store {
    /// Get Settlement Payout By Id.
    fn get_settlement_payout(
        &mut self,
        _ctx: &MockContext,
        id: String,
    ) -> MockReply<SettlementPayoutDetail> {
        self.payouts
            .iter()
            .find(|p| p.settlement_payout_id.as_deref() == Some(&id))
            .cloned()
            .ok_or_else(|| not_found("settlement payout", &id))
    }

    /// Search Settlement Payouts.
    fn search_settlement_payouts(
        &mut self,
        ctx: &MockContext,
        filter: SettlementPayoutSearchRequest,
    ) -> MockReply<SettlementPayoutSearchResponse> {
        let (offset, limit) = page(ctx)?;
        let mut found: Vec<&SettlementPayoutDetail> = self
            .payouts
            .iter()
            .filter(|p| matches(&filter, p))
            .collect();
        let key = |p: &SettlementPayoutDetail| -> (Decimal, String) {
            match ctx.query_param("orderBy") {
                Some("totalSettlementAmount") => {
                    (p.total_settlement_amount.unwrap_or_default(), String::new())
                }
                Some("totalSaleAmount") => (p.total_sale_amount.unwrap_or_default(), String::new()),
                Some("settlementPayoutId") => (
                    Decimal::ZERO,
                    p.settlement_payout_id.clone().unwrap_or_default(),
                ),
                // payoutDate, createdOn, or nothing: by date, which the payouts are stored in.
                _ => (Decimal::ZERO, String::new()),
            }
        };
        found.sort_by_cached_key(|p| key(p));
        match ctx.query_param("direction") {
            None | Some("ASC") => {}
            Some("DESC") => found.reverse(),
            Some(_) => return Err(MockError::bad_request("`direction` must be ASC or DESC")),
        }
        let count = found.len();
        let data = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(summary)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SettlementPayoutSearchResponse::new()
            .with_records_count(i64::try_from(count).unwrap_or(i64::MAX))
            .with_data(data))
    }
}

impl Store {
    /// Seeds `count` successful payouts, one day apart from 2026-04-01, two sales each.
    pub(crate) fn seed_payouts(&mut self, count: usize) {
        let first = PrimitiveDateTime::new(
            time::Date::from_calendar_date(2026, time::Month::April, 1).unwrap_or(time::Date::MIN),
            time::Time::from_hms(13, 50, 3).unwrap_or(time::Time::MIDNIGHT),
        );
        for i in 0..count {
            let at = first.saturating_add(Duration::days(i64::try_from(i).unwrap_or(0)));
            let sale = Decimal::from(1000 + 250 * u64::try_from(i).unwrap_or(0));
            let half = (sale / Decimal::TWO).round_dp(2);
            let sales = [half, sale - half];
            let id = format!("SP{:05}SEED{:02}", 11114 + i, i % 100);
            let payout = self.payout(id, &sales, Decimal::ZERO, at);
            self.payouts.push(payout);
        }
    }

    /// A successful payout of `sales` (minus `refunds`, charges and GST), made at `at`.
    fn payout(
        &mut self,
        id: String,
        sales: &[Decimal],
        refunds: Decimal,
        at: PrimitiveDateTime,
    ) -> SettlementPayoutDetail {
        let mut transactions = Vec::new();
        for (n, sale) in sales.iter().enumerate() {
            let charges = (*sale * CHARGE_RATE).round_dp(4);
            let gst = (charges * GST_RATE).round_dp(4);
            transactions.push(
                SettlementTransaction::new()
                    .with_settlement_transaction_id(format!("ST{}{n}", self.next_id("")))
                    .with_settlement_status(SettlementStatus::Settled)
                    .with_sale_amount(*sale)
                    .with_txn_amount(*sale)
                    .with_charges(charges)
                    .with_tax_amount(gst)
                    .with_settlement_amount((*sale - charges - gst).round_dp(2))
                    .with_transaction_type(SettlementTransactionType::Sale)
                    .with_approved_on(at.into())
                    .with_created_on(at.into())
                    .with_modified_on(at.into()),
            );
        }
        let total_sale: Decimal = sales.iter().sum();
        let charges = (total_sale * CHARGE_RATE).round_dp(4);
        let gst = (charges * GST_RATE).round_dp(4);
        SettlementPayoutDetail::new()
            .with_settlement_payout_id(id)
            .with_payout_status(PayoutStatus::Success)
            .with_total_sale_amount(total_sale)
            .with_total_refund_amount(refunds)
            .with_total_charges(charges)
            .with_total_gst(gst)
            .with_total_settlement_amount((total_sale - refunds - charges - gst).round_dp(2))
            .with_instant_settlement_charges(Decimal::ZERO)
            .with_instant_settlement_gst(Decimal::ZERO)
            .with_refund_chargeback_amount(Decimal::ZERO)
            .with_carry_forward_amount(Decimal::ZERO)
            .with_adjustment_amount(Decimal::ZERO)
            .with_payout_mode(PayoutMode::Imps)
            .with_utr(format!("MOCKUTR{}", self.next_id("")))
            .with_payout_date(at.into())
            .with_remarks("Settlement processed")
            .with_transfer_id(self.next_id("EK"))
            .with_created_on(at.into())
            .with_modified_on(at.into())
            .with_settlement_transactions(transactions)
    }

    /// Settles every paid, unsettled transaction into one new payout.
    pub(crate) fn settle_paid_transactions(&mut self) -> Option<String> {
        let due: Vec<_> = self
            .txns
            .values()
            .filter(|t| t.is_paid() && !t.settled)
            .map(|t| (t.id.clone(), t.amount, t.refunded))
            .collect();
        if due.is_empty() {
            return None;
        }
        let sales: Vec<Decimal> = due.iter().map(|(_, amount, _)| *amount).collect();
        let refunds = due.iter().map(|(_, _, refunded)| *refunded).sum();
        let id = self.next_id("SP");
        let mut payout = self.payout(id.clone(), &sales, refunds, now_local());
        if let Some(transactions) = payout.settlement_transactions.as_mut() {
            for (transaction, (txn_id, _, _)) in transactions.iter_mut().zip(&due) {
                transaction.remarks = Some(format!("transaction {txn_id}"));
            }
        }
        for (txn_id, _, _) in &due {
            if let Some(txn) = self.txns.get_mut(txn_id) {
                txn.settled = true;
            }
        }
        self.payouts.push(payout);
        Some(id)
    }
}

fn matches(filter: &SettlementPayoutSearchRequest, payout: &SettlementPayoutDetail) -> bool {
    let in_range = |value: Option<Decimal>, from: Option<Decimal>, to: Option<Decimal>| {
        let value = value.unwrap_or_default();
        from.is_none_or(|from| value >= from) && to.is_none_or(|to| value <= to)
    };
    let id = payout.settlement_payout_id.as_deref().unwrap_or_default();
    filter
        .settlement_payout_id
        .as_ref()
        .is_none_or(|wanted| wanted == id)
        && filter
            .settlement_payout_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|wanted| wanted == id))
        && in_range(
            payout.total_sale_amount,
            filter.total_sale_amount_from,
            filter.total_sale_amount_to,
        )
        && in_range(
            payout.total_refund_amount,
            filter.total_refund_amount_from,
            filter.total_refund_amount_to,
        )
        && in_range(
            payout.total_charges,
            filter.total_charges_from,
            filter.total_charges_to,
        )
        && in_range(payout.total_gst, filter.total_gst_from, filter.total_gst_to)
        && in_range(
            payout.total_settlement_amount,
            filter.total_settlement_amount_from,
            filter.total_settlement_amount_to,
        )
}

/// A payout as the search lists it: the detail without its transactions, plus count and type.
fn summary(payout: &SettlementPayoutDetail) -> Result<SettlementPayoutSummary, MockError> {
    let internal = |err: serde_json::Error| MockError {
        status: 500,
        code: 1,
        message: format!("cannot summarise a payout: {err}"),
    };
    let mut json = serde_json::to_value(payout).map_err(internal)?;
    let count = payout.settlement_transactions.as_ref().map_or(0, Vec::len);
    if let Some(map) = json.as_object_mut() {
        map.remove("settlementTransactions");
        map.insert("merchantName".into(), "EnKash Mock Merchant".into());
        map.insert("transactionsCount".into(), count.into());
        map.insert(
            "settlementType".into(),
            SettlementType::Normal.as_str().into(),
        );
    }
    serde_json::from_value(json).map_err(internal)
}
