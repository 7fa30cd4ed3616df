//! Faults injected per operation, and the hit counters: the two things the mock records for
//! every request before answering it ([`FaultsAndHits`]).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;

use super::{Fault, lock};

/// The faults injected into a mock server's answers and the requests that reached each operation,
/// by operation id (`"get_order_status"`).
#[derive(Debug, Default)]
pub struct FaultsAndHits {
    faults: FaultPlan,
    hits: Hits,
}

impl FaultsAndHits {
    /// Replaces the next answers of operation `op_id` with `fault`: `Times(n)` for the next `n`
    /// answers, `Always` until [`clear_faults`](Self::clear_faults). Faults injected for the same
    /// operation apply one after the other.
    pub fn inject(&self, op_id: &str, fault: Fault, repeat: Repeat) {
        self.faults.inject(op_id, fault, repeat);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.faults.clear();
    }

    /// How many requests reached operation `op_id`, answered normally or with a fault.
    pub fn hits(&self, op_id: &str) -> u64 {
        self.hits.of(op_id)
    }

    /// The hits of every operation that was called at least once.
    pub fn all_hits(&self) -> BTreeMap<&'static str, u64> {
        self.hits.all()
    }

    /// Sets every hit counter back to zero.
    pub fn reset_hits(&self) {
        self.hits.reset();
    }

    /// Called once per request, before anything else: counts the hit, then takes the next
    /// injected fault of `op_id`.
    pub(crate) fn on_request(&self, op_id: &'static str) -> Option<Fault> {
        self.hits.record(op_id);
        self.faults.take(op_id)
    }
}

/// How many answers an injected [`Fault`] replaces.
///
/// `Times` and `Always` are re-exported, so that a test reads
/// `mock.inject("get_order_status", Fault::Status(503), Times(2))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// The next `n` answers of the operation (0 injects nothing).
    Times(u32),
    /// Every answer of the operation from now on, until the faults are cleared
    /// ([`FaultsAndHits::clear_faults`]).
    Always,
}

/// Faults waiting to be applied, per operation id, in the order they were injected: the first
/// one is used until its count runs out, then the next.
#[derive(Debug, Default)]
struct FaultPlan {
    queues: Mutex<HashMap<String, VecDeque<(Fault, Repeat)>>>,
}

impl FaultPlan {
    fn inject(&self, op_id: &str, fault: Fault, repeat: Repeat) {
        if repeat == Repeat::Times(0) {
            return;
        }
        lock(&self.queues)
            .entry(op_id.to_owned())
            .or_default()
            .push_back((fault, repeat));
    }

    /// The fault for this answer of `op_id`, consuming one use of it.
    fn take(&self, op_id: &str) -> Option<Fault> {
        let mut queues = lock(&self.queues);
        let queue = queues.get_mut(op_id)?;
        let (fault, repeat) = queue.front_mut()?;
        let fault = fault.clone();
        if let Repeat::Times(left) = repeat {
            *left = left.saturating_sub(1);
            if *left == 0 {
                queue.pop_front();
            }
        }
        Some(fault)
    }

    fn clear(&self) {
        lock(&self.queues).clear();
    }
}

/// Requests that reached each operation's route, faulted or not.
#[derive(Debug, Default)]
struct Hits {
    counts: Mutex<BTreeMap<&'static str, u64>>,
}

impl Hits {
    fn record(&self, op_id: &'static str) {
        *lock(&self.counts).entry(op_id).or_default() += 1;
    }

    fn of(&self, op_id: &str) -> u64 {
        lock(&self.counts).get(op_id).copied().unwrap_or(0)
    }

    fn all(&self) -> BTreeMap<&'static str, u64> {
        lock(&self.counts).clone()
    }

    fn reset(&self) {
        lock(&self.counts).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_in_order_and_counted_down() {
        let plan = FaultPlan::default();
        plan.inject("op", Fault::Status(503), Repeat::Times(2));
        plan.inject("op", Fault::MalformedJson, Repeat::Times(1));
        plan.inject("other", Fault::Status(500), Repeat::Times(0));
        assert_eq!(plan.take("op"), Some(Fault::Status(503)));
        assert_eq!(plan.take("op"), Some(Fault::Status(503)));
        assert_eq!(plan.take("op"), Some(Fault::MalformedJson));
        assert_eq!(plan.take("op"), None);
        assert_eq!(plan.take("other"), None);
    }

    #[test]
    fn always_stays_until_cleared() {
        let plan = FaultPlan::default();
        plan.inject("op", Fault::DropConnection, Repeat::Always);
        for _ in 0..5 {
            assert_eq!(plan.take("op"), Some(Fault::DropConnection));
        }
        plan.clear();
        assert_eq!(plan.take("op"), None);
    }
}
