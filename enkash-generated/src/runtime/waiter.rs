//! The generic poller under generated waiters: call an operation until a status in its answer
//! is final, with doubling pauses and a deadline.

use std::time::{Duration, Instant};

use super::error::Error;

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
///
/// Generated waiters (`client.orders().wait_for_final(..)`) call this with the operation and
/// the status field the spec names (`waiter:`), and the generated `is_final()` of its enum.
pub(crate) async fn poll_until_final<T, F, Fut>(
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
