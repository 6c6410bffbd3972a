//! When to try again: retries of one request, and the polling interval after
//! failed refreshes. Pure, so the schedule is tested natively.

/// Retries of one HTTP exchange that failed in a way that may pass (a
/// timeout, a dropped connection, HTTP 429 or 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub max_attempts: u32,
    pub first_delay_ms: u32,
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    /// Two tries, half a second apart: enough for a blip, short of a storm.
    fn default() -> Self {
        Self { max_attempts: 2, first_delay_ms: 500, max_delay_ms: 4_000 }
    }
}

impl RetryPolicy {
    /// The wait before try `attempt` (2 is the first retry), doubling each
    /// time up to the cap; `None` once the tries are used up.
    pub fn delay_before(&self, attempt: u32) -> Option<u32> {
        if attempt < 2 || attempt > self.max_attempts {
            return None;
        }
        let doublings = (attempt - 2).min(31);
        Some(self.first_delay_ms.saturating_mul(1u32 << doublings).min(self.max_delay_ms))
    }
}

/// The polling interval: `every_secs` while refreshes succeed, doubled for
/// each refresh that failed in a row, up to `max_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSchedule {
    pub every_secs: u32,
    pub max_secs: u32,
}

impl Default for PollSchedule {
    fn default() -> Self {
        Self { every_secs: 15, max_secs: 300 }
    }
}

impl PollSchedule {
    pub fn next_in_secs(&self, failures_in_a_row: u32) -> u32 {
        self.every_secs.saturating_mul(1u32 << failures_in_a_row.min(31)).min(self.max_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_and_stop() {
        let policy = RetryPolicy { max_attempts: 4, first_delay_ms: 500, max_delay_ms: 1_500 };
        let delays: Vec<_> = (1..=5).map(|a| policy.delay_before(a)).collect();
        assert_eq!(delays, [None, Some(500), Some(1_000), Some(1_500), None]);
        assert_eq!(RetryPolicy::default().delay_before(3), None);
    }

    #[test]
    fn polling_backs_off_after_failures_and_caps() {
        let poll = PollSchedule::default();
        let intervals: Vec<_> = [0, 1, 2, 3, 4, 5, 40].iter().map(|&f| poll.next_in_secs(f)).collect();
        assert_eq!(intervals, [15, 30, 60, 120, 240, 300, 300]);
    }
}
