//! Work spread over every core, for the two steps that take most of this workspace's run time
//! on large specs: parsing and decoding spec files (the loader) and formatting generated code
//! (`enkash-codegen`). One implementation serves both.

use std::sync::{Mutex, PoisonError};

/// `work(index, item)` for every item of `items`, on up to one thread per core, each thread
/// taking the next item when it is done with one (items differ in size). The results keep the
/// order of `items`, whichever thread finished first. With one core or one item, everything runs
/// on the calling thread.
///
/// An item is moved into the thread that works on it, so what `work` does not return is also
/// dropped there. A panic in `work` goes on in the caller, as if there were no threads.
pub fn map<T: Send, R: Send>(items: Vec<T>, work: impl Fn(usize, T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if workers < 2 {
        return items
            .into_iter()
            .enumerate()
            .map(|(index, item)| work(index, item))
            .collect();
    }
    let count = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((index, item)) = next() {
                        done.push((index, work(index, item)));
                    }
                    done
                })
            })
            .collect();
        let mut done = Vec::with_capacity(count);
        for handle in handles {
            done.extend(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1_000).collect();
        // Uneven work, so threads finish out of order.
        let squares = map(items, |index, item| {
            if index % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(50));
            }
            (index, item * item)
        });
        let expected: Vec<(usize, u64)> = (0..1_000).map(|i| (i as usize, i * i)).collect();
        assert_eq!(squares, expected);
    }

    #[test]
    fn no_items_and_one_item() {
        assert_eq!(map(Vec::<u8>::new(), |_, item| item), Vec::<u8>::new());
        assert_eq!(map(vec!["a"], |index, item| (index, item)), vec![(0, "a")]);
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let result = std::panic::catch_unwind(|| {
            map((0..64).collect::<Vec<u32>>(), |_, item| {
                assert_ne!(item, 40, "item 40");
                item
            })
        });
        assert!(result.is_err());
    }
}
