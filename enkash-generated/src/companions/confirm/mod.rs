//! `Client::confirm_payment`: a payment notification is checked against the order the API reports
//! before anything is done about it (a companion of the spec: it uses the generated order and
//! notification types, so it lives beside the generated code, not in the runtime).

use crate::generated::{OrderGetResponse, OrderStatus, PaymentNotification};
use crate::runtime::{Client, Error};

/// A payment notification that matched EnKash's own record of the order.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConfirmedPayment {
    /// The order as the API reports it now: trust this, not the notification.
    pub order: OrderGetResponse,
    /// The transaction the notification was about.
    pub transaction_id: String,
}

impl ConfirmedPayment {
    /// True when the order is paid (a final, successful status).
    pub fn is_paid(&self) -> bool {
        self.order.status.is_success()
    }
}

impl Client {
    /// Confirms a Payment Notify with the API before anything is done about it.
    ///
    /// EnKash does not document how a notification's `checksum` is computed, so the body POSTed
    /// to your `notifyUrl` proves nothing by itself: anyone who learns the URL can post one. This
    /// fetches the order (`orderId` of the notification, with Get Order Status) and checks that
    /// amount, currency and status agree with the notification and that the notified
    /// transaction belongs to the order. On agreement it returns the order as the API reports it;
    /// otherwise [`Error::Unconfirmed`] names the first field that disagrees.
    pub async fn confirm_payment(
        &self,
        notification: &PaymentNotification,
    ) -> Result<ConfirmedPayment, Error> {
        let order = self.orders().get(&notification.order_id).await?;
        check_notification(notification, &order)?;
        Ok(ConfirmedPayment {
            order,
            transaction_id: notification.transaction_id.clone(),
        })
    }
}

/// The agreement rules of [`Client::confirm_payment`].
fn check_notification(
    notification: &PaymentNotification,
    order: &OrderGetResponse,
) -> Result<(), Error> {
    let mismatch = |field: &'static str, notified: String, actual: String| {
        Err(Error::Unconfirmed {
            field,
            notified,
            actual,
        })
    };
    if notification.amount != order.amount {
        return mismatch(
            "amount",
            notification.amount.to_string(),
            order.amount.to_string(),
        );
    }
    if notification.currency != order.currency {
        return mismatch(
            "currency",
            notification.currency.to_string(),
            order.currency.to_string(),
        );
    }
    // A notified success must show as a paid order. A notified failure may be an earlier attempt
    // of an order paid since, so it is not a disagreement: `is_paid` tells the truth either way.
    if notification.status.is_success() && order.status != OrderStatus::Paid {
        return mismatch(
            "status",
            notification.status.to_string(),
            order.status.to_string(),
        );
    }
    // A final order status in the notification cannot have changed since.
    if let Some(notified) = notification.order_status.as_ref().filter(|s| s.is_final())
        && *notified != order.status
    {
        return mismatch(
            "orderStatus",
            notified.to_string(),
            order.status.to_string(),
        );
    }
    if let Some(transactions) = order.transactions.as_ref().filter(|t| !t.is_empty()) {
        let known = transactions
            .iter()
            .any(|t| t.transaction_id.as_deref() == Some(notification.transaction_id.as_str()));
        if !known {
            return mismatch(
                "transactionId",
                notification.transaction_id.clone(),
                "(not among the order's transactions)".to_owned(),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::{
        Currency, OrderTransactionResponse, PaymentNotificationRequired, TransactionStatus,
    };
    use rust_decimal::Decimal;

    fn notification(status: TransactionStatus) -> PaymentNotification {
        notification_of(Decimal::new(10050, 2), Currency::Inr, status, "EK1")
    }

    fn notification_of(
        amount: Decimal,
        currency: Currency,
        status: TransactionStatus,
        transaction_id: &str,
    ) -> PaymentNotification {
        PaymentNotification::new(PaymentNotificationRequired {
            amount,
            currency,
            status,
            transaction_id: transaction_id.to_owned(),
            order_id: "O1".to_owned(),
        })
    }

    fn order(status: OrderStatus) -> OrderGetResponse {
        OrderGetResponse::new("O1", Decimal::new(1005, 1), Currency::Inr, status).with_transactions(
            vec![OrderTransactionResponse::new().with_transaction_id("EK1")],
        )
    }

    fn field_of(result: Result<(), Error>) -> &'static str {
        match result {
            Err(Error::Unconfirmed { field, .. }) => field,
            other => panic!("expected Unconfirmed, got {other:?}"),
        }
    }

    #[test]
    fn a_matching_success_is_confirmed_whatever_the_decimal_scale() {
        assert!(
            check_notification(
                &notification(TransactionStatus::Success),
                &order(OrderStatus::Paid)
            )
            .is_ok()
        );
    }

    #[test]
    fn a_forged_success_is_refused() {
        let forged = notification(TransactionStatus::Success);
        assert_eq!(
            field_of(check_notification(&forged, &order(OrderStatus::Attempted))),
            "status"
        );
        let cheaper = notification_of(
            Decimal::new(1, 0),
            Currency::Inr,
            TransactionStatus::Success,
            "EK1",
        );
        assert_eq!(
            field_of(check_notification(&cheaper, &order(OrderStatus::Paid))),
            "amount"
        );
        let other_currency = notification_of(
            Decimal::new(10050, 2),
            Currency::from("USD"),
            TransactionStatus::Success,
            "EK1",
        );
        assert_eq!(
            field_of(check_notification(
                &other_currency,
                &order(OrderStatus::Paid)
            )),
            "currency"
        );
        let stranger = notification_of(
            Decimal::new(10050, 2),
            Currency::Inr,
            TransactionStatus::Success,
            "EK9",
        );
        assert_eq!(
            field_of(check_notification(&stranger, &order(OrderStatus::Paid))),
            "transactionId"
        );
    }

    #[test]
    fn a_late_failure_of_a_paid_order_is_not_a_disagreement() {
        let failed = notification(TransactionStatus::Failed);
        assert!(check_notification(&failed, &order(OrderStatus::Paid)).is_ok());
        let final_claim = failed.with_order_status(OrderStatus::Cancelled);
        assert_eq!(
            field_of(check_notification(&final_claim, &order(OrderStatus::Paid))),
            "orderStatus"
        );
    }
}
