//! The generic pager under generated `<method>_stream` methods: pages fetched lazily, one after
//! the other, flattened into a stream of their items.
//!
//! The generated method gives the first offset, the page size and a function fetching the page
//! at an offset (the operation's own call, so each page is retried like a single call). The
//! stream ends after the page that reaches the total the answers report, after a short or empty
//! page, or after an error, which is yielded once the items fetched before it have been.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::Stream;

use super::error::Error;

/// One fetched page.
pub(crate) struct Page<T> {
    /// The page's items.
    pub(crate) items: Vec<T>,
    /// The number of matching records, as the answer reports it.
    pub(crate) total: Option<i64>,
}

/// Page size used when neither the caller nor the spec gives one.
pub(crate) const DEFAULT_PAGE_SIZE: i64 = 100;

/// The page size to ask for: the caller's, capped at the documented maximum; the maximum when
/// the caller gives none (fewer round trips); [`DEFAULT_PAGE_SIZE`] without either; at least 1.
pub(crate) fn page_size(chosen: Option<i64>, max: Option<i64>) -> i64 {
    let size = match (chosen, max) {
        (Some(chosen), Some(max)) => chosen.min(max),
        (Some(chosen), None) => chosen,
        (None, Some(max)) => max,
        (None, None) => DEFAULT_PAGE_SIZE,
    };
    size.max(1)
}

struct Pager<T, F> {
    fetch: F,
    next: i64,
    size: i64,
    buffer: VecDeque<T>,
    done: bool,
}

/// The items of every page from `offset` on, `size` at a time, fetched with `fetch(offset,
/// size)` as the stream is polled.
pub(crate) fn paginate<'a, T, F, Fut>(
    offset: i64,
    size: i64,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    T: Send + 'a,
    F: FnMut(i64, i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    let pager = Pager {
        fetch,
        next: offset.max(0),
        size: size.max(1),
        buffer: VecDeque::new(),
        done: false,
    };
    futures_util::stream::unfold(pager, |mut pager| async move {
        loop {
            if let Some(item) = pager.buffer.pop_front() {
                return Some((Ok(item), pager));
            }
            if pager.done {
                return None;
            }
            match (pager.fetch)(pager.next, pager.size).await {
                Err(err) => {
                    pager.done = true;
                    return Some((Err(err), pager));
                }
                Ok(page) => {
                    let count = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
                    pager.next = pager.next.saturating_add(count);
                    pager.done =
                        count < pager.size || page.total.is_some_and(|total| pager.next >= total);
                    pager.buffer.extend(page.items);
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    /// A server of `records` numbered records that reports the total, recording each request.
    fn server(
        records: i64,
        fail_at: Option<i64>,
        calls: Arc<Mutex<Vec<(i64, i64)>>>,
    ) -> impl FnMut(i64, i64) -> std::future::Ready<Result<Page<i64>, Error>> + Send {
        move |offset, limit| {
            calls.lock().unwrap().push((offset, limit));
            if fail_at == Some(offset) {
                return std::future::ready(Err(Error::config("page failed")));
            }
            let items = (offset..records.min(offset + limit)).collect();
            std::future::ready(Ok(Page {
                items,
                total: Some(records),
            }))
        }
    }

    async fn collect(
        records: i64,
        size: i64,
        fail_at: Option<i64>,
    ) -> (Vec<Result<i64, String>>, Vec<(i64, i64)>) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let got = paginate(0, size, server(records, fail_at, calls.clone()))
            .map(|r| r.map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
            .await;
        let calls = calls.lock().unwrap().clone();
        (got, calls)
    }

    #[tokio::test]
    async fn zero_one_and_two_and_a_half_pages() {
        let (got, calls) = collect(0, 10, None).await;
        assert!(got.is_empty());
        assert_eq!(calls, [(0, 10)]);
        let (got, calls) = collect(10, 10, None).await;
        assert_eq!(got.len(), 10);
        // The total is reached: no second request for an empty page.
        assert_eq!(calls, [(0, 10)]);
        let (got, calls) = collect(25, 10, None).await;
        let items: Vec<i64> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        assert_eq!(calls, [(0, 10), (10, 10), (20, 10)]);
    }

    #[tokio::test]
    async fn an_error_on_the_second_page_comes_after_the_first_pages_items() {
        let (got, calls) = collect(25, 10, Some(10)).await;
        assert_eq!(got.len(), 11);
        assert!(got[..10].iter().all(Result::is_ok));
        assert!(got[10].as_ref().unwrap_err().contains("page failed"));
        // Nothing is fetched after the error.
        assert_eq!(calls, [(0, 10), (10, 10)]);
    }

    #[tokio::test]
    async fn pages_are_fetched_only_as_the_stream_is_read() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let mut stream = Box::pin(paginate(0, 10, server(25, None, calls.clone())));
        assert!(calls.lock().unwrap().is_empty());
        assert_eq!(stream.next().await.unwrap().unwrap(), 0);
        assert_eq!(calls.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_page_size_honours_the_documented_maximum() {
        assert_eq!(page_size(Some(10_000), Some(5000)), 5000);
        assert_eq!(page_size(Some(50), Some(5000)), 50);
        assert_eq!(page_size(None, Some(5000)), 5000);
        assert_eq!(page_size(None, None), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(Some(0), Some(5000)), 1);
        assert_eq!(page_size(Some(-3), None), 1);
    }
}
