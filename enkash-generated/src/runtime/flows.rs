//! Payment-flow helpers on top of the generated operations: waiting until an order or a UPI
//! transaction reaches a final status, and confirming a payment notification with the API.
//!
//! Both lean on lifecycle facts from the spec (`is_final()`, `is_success()` of the generated
//! status enums), so they follow the spec when EnKash documents more statuses.

use std::time::{Duration, Instant};

use crate::generated::{OrderGetResponse, OrderStatus, PaymentNotification, UpiStatusResponse};
use crate::{Client, Error, OrdersApi, PaymentsApi};

/// How long and how often the `wait_for_final` helpers poll.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Give up (with [`Error::NotFinal`]) after this long. Default: 5 minutes.
    pub deadline: Duration,
    /// Pause before the second poll. Default: 1 s.
    pub first_delay: Duration,
    /// Longest pause between polls; pauses double up to it. Default: 15 s.
    pub max_delay: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            deadline: Duration::from_secs(300),
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15),
        }
    }
}

impl WaitOptions {
    /// Sets the deadline.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the first pause and the longest pause between polls.
    pub fn delays(mut self, first: Duration, max: Duration) -> Self {
        self.first_delay = first;
        self.max_delay = max.max(first);
        self
    }
}

/// Polls `poll` until `is_final` holds, the deadline passes, or a poll fails for a reason
/// that waiting cannot fix. Transient failures (see [`Error::is_retryable`]) are polled through.
async fn poll_until_final<T, F, Fut>(
    operation: &'static str,
    options: &WaitOptions,
    mut poll: F,
    is_final: impl Fn(&T) -> bool,
    status_of: impl Fn(&T) -> String,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let start = Instant::now();
    let mut delay = options.first_delay;
    let mut last_status = String::from("(no answer yet)");
    loop {
        match poll().await {
            Ok(value) if is_final(&value) => return Ok(value),
            Ok(value) => last_status = status_of(&value),
            Err(err) if err.is_retryable() => {
                tracing::debug!(operation, "poll failed transiently, polling on");
                if start.elapsed() + delay > options.deadline {
                    return Err(err);
                }
            }
            Err(err) => return Err(err),
        }
        if start.elapsed() + delay > options.deadline {
            return Err(Error::NotFinal {
                operation,
                last_status,
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(options.max_delay);
    }
}

impl OrdersApi<'_> {
    /// Polls Get Order Status until the order's status is final per the EnKash docs
    /// ([`OrderStatus::is_final`]: paid, cancelled or expired) and returns the order.
    ///
    /// Fails with [`Error::NotFinal`] when `options.deadline` passes first. An unknown status is
    /// never taken as final. A paid order is [`OrderStatus::is_success`].
    pub async fn wait_for_final(
        &self,
        order_id: &str,
        options: &WaitOptions,
    ) -> Result<OrderGetResponse, Error> {
        poll_until_final(
            "get_order_status",
            options,
            || self.get(order_id),
            |order: &OrderGetResponse| order.status.is_final(),
            |order| order.status.to_string(),
        )
        .await
    }
}

impl PaymentsApi<'_> {
    /// Polls Get UPI Transaction Status until the UPI transaction is final (success or failure)
    /// and returns the last answer. Fails with [`Error::NotFinal`] when the deadline passes.
    ///
    /// This is the transaction status that carries a status: Get Transaction Status's documented
    /// fields do not include one.
    pub async fn wait_for_final_upi(
        &self,
        transaction_id: &str,
        options: &WaitOptions,
    ) -> Result<UpiStatusResponse, Error> {
        poll_until_final(
            "get_upi_transaction_status",
            options,
            || self.get_upi_status(transaction_id),
            |answer: &UpiStatusResponse| answer.status.is_final(),
            |answer| answer.status.to_string(),
        )
        .await
    }
}

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
