//! Payment-flow helpers on top of the generated operations: waiting until an order or a UPI
//! transaction reaches a final status.
//!
//! They lean on lifecycle facts from the spec (`is_final()`, `is_success()` of the generated
//! status enums), so they follow the spec when EnKash documents more statuses.

use std::time::{Duration, Instant};

use crate::generated::{OrderGetResponse, UpiStatusResponse};
use crate::{Error, OrdersApi, PaymentsApi};

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
    /// ([`OrderStatus::is_final`](crate::OrderStatus::is_final): paid, cancelled or expired) and
    /// returns the order.
    ///
    /// Fails with [`Error::NotFinal`] when `options.deadline` passes first. An unknown status is
    /// never taken as final. A paid order is
    /// [`OrderStatus::is_success`](crate::OrderStatus::is_success).
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
