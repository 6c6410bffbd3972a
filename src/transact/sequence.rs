//! The order of the requests around a send, apart from the wallet and the
//! node (they are passed in), so it is tested natively:
//!
//! - [`nonce_checks_send`]: the nonce is read first, then the send checks
//!   run once more, then the wallet is asked to send. Nothing awaited stands
//!   between the last checks and the send, so an account or chain switched
//!   while the nonce was read is caught.
//! - [`wait_until_block`]: after a receipt, the settings' node is polled until
//!   it has the receipt's block, so the position read next includes the
//!   transaction.
//! - [`check_is_stale`]: a step checked more than [`CHECK_FRESH_FOR_MS`] ago
//!   is checked again before it is sent, since the prices and the position its
//!   health factor and simulation rest on may have moved.

use std::future::Future;

use alloy_primitives::B256;

/// Reads the nonce, runs `checks`, then sends: `Err` when the nonce read or
/// the send failed, `Ok(Err(why))` when the checks refused (nothing sent),
/// else the hash and the nonce read before it.
pub async fn nonce_checks_send<E, N, S>(
    read_nonce: impl FnOnce() -> N,
    checks: impl FnOnce() -> Result<(), String>,
    send: impl FnOnce() -> S,
) -> Result<Result<(B256, u64), String>, E>
where
    N: Future<Output = Result<u64, E>>,
    S: Future<Output = Result<B256, E>>,
{
    let nonce = read_nonce().await?;
    if let Err(why) = checks() {
        return Ok(Err(why));
    }
    let hash = send().await?;
    Ok(Ok((hash, nonce)))
}

/// How long a step's check (the position read, the engine's health factor
/// after, the simulation and the fee) is trusted for a send: a minute, a few
/// blocks on Ethereum, long enough for "Sign and send" right after reading it.
pub const CHECK_FRESH_FOR_MS: f64 = 60_000.0;

/// True when a check made at `checked_at_ms` must be made again before a send
/// at `now_ms` (both the page's clock, in ms): it is older than
/// [`CHECK_FRESH_FOR_MS`], or the clock went back, or a time is not a number.
pub fn check_is_stale(checked_at_ms: f64, now_ms: f64) -> bool {
    !(0.0..CHECK_FRESH_FOR_MS).contains(&(now_ms - checked_at_ms))
}

/// How long "Sign and send" does nothing after a check made again at its
/// click is shown: a second click meant for the old figures (a double click, an
/// impatient one) must not send the new ones unread.
pub const RECHECK_SHOWN_PAUSE_MS: f64 = 1_000.0;

/// True when a click at `now_ms` comes too soon after a re-check was shown at
/// `shown_at_ms` to be taken as sending it (a clock gone back counts as too soon).
pub fn too_soon_after_recheck(shown_at_ms: f64, now_ms: f64) -> bool {
    !(RECHECK_SHOWN_PAUSE_MS..).contains(&(now_ms - shown_at_ms))
}

/// How long a permit signed now stays valid.
pub const PERMIT_LIFETIME_SECS: u64 = 20 * 60;

/// How far ahead of the position's read block the page's clock is trusted for a permit's deadline.
pub const PERMIT_CLOCK_AHEAD_MAX_SECS: u64 = 24 * 60 * 60;

/// A permit's deadline for a plan made at `now_ms` (the page's clock) on a position read at the block
/// of `block_timestamp`: [`PERMIT_LIFETIME_SECS`] after the later of the two, so a plan made long
/// after the panel's last read does not ask for a signature that has already expired. The clock
/// counts only up to a day past the block: a clock far ahead must not make a permit valid for days.
pub fn permit_deadline(block_timestamp: u64, now_ms: f64) -> u64 {
    // A clock that is not a number or before 1970 gives way to the block.
    let now_secs = if now_ms.is_finite() && now_ms > 0.0 { (now_ms / 1000.0) as u64 } else { 0 };
    let start = now_secs.clamp(block_timestamp, block_timestamp.saturating_add(PERMIT_CLOCK_AHEAD_MAX_SECS));
    start.saturating_add(PERMIT_LIFETIME_SECS)
}

/// Polls `head` (the node's latest block number; `None` when the read
/// failed) up to `polls` times, with `pause` between polls, until it is at
/// least `block`. True when it got there; false when it gave up.
pub async fn wait_until_block<H, HF, P, PF>(block: u64, polls: u32, mut head: H, mut pause: P) -> bool
where
    H: FnMut() -> HF,
    HF: Future<Output = Option<u64>>,
    P: FnMut() -> PF,
    PF: Future<Output = ()>,
{
    for poll in 0..polls {
        if head().await.is_some_and(|h| h >= block) {
            return true;
        }
        if poll + 1 < polls {
            pause().await;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::future::ready;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Runs a future whose parts are all ready (no executor needed).
    fn run<F: Future>(future: F) -> F::Output {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the fakes are all ready"),
        }
    }

    #[test]
    fn a_permit_deadline_runs_from_the_later_of_the_read_block_and_now() {
        let block = 1_767_225_600;
        // Read just now: twenty minutes after the block.
        assert_eq!(permit_deadline(block, (block as f64 + 5.0) * 1000.0), block + 5 + 1200);
        // Read half an hour ago: from now, not from the old block (which would already be past).
        assert_eq!(permit_deadline(block, (block as f64 + 1800.0) * 1000.0), block + 1800 + 1200);
        // A clock behind the chain, or not a number, gives way to the block.
        assert_eq!(permit_deadline(block, 1_000.0), block + 1200);
        assert_eq!(permit_deadline(block, f64::NAN), block + 1200);
        assert_eq!(permit_deadline(block, -5.0), block + 1200);
        // A clock a year ahead counts for one day at most.
        assert_eq!(permit_deadline(block, (block as f64 + 365.0 * 86_400.0) * 1000.0), block + 86_400 + 1200);
    }

    #[test]
    fn the_nonce_is_read_before_the_last_checks_and_the_send_comes_right_after_them() {
        let hash = B256::repeat_byte(0xab);
        let calls = RefCell::new(Vec::new());
        let attempt = |checks: Result<(), String>, nonce: Result<u64, &'static str>| {
            calls.borrow_mut().clear();
            let sent = run(nonce_checks_send(
                || {
                    calls.borrow_mut().push("nonce");
                    ready(nonce)
                },
                || {
                    calls.borrow_mut().push("checks");
                    checks
                },
                || {
                    calls.borrow_mut().push("send");
                    ready(Ok(hash))
                },
            ));
            (sent, calls.borrow().clone())
        };
        assert_eq!(attempt(Ok(()), Ok(7)), (Ok(Ok((hash, 7))), vec!["nonce", "checks", "send"]));
        // The account changed while the nonce was read: refused, and the wallet never asked to send.
        let (sent, order) = attempt(Err("account changed".into()), Ok(7));
        assert_eq!((sent, order), (Ok(Err("account changed".into())), vec!["nonce", "checks"]));
        // No nonce, no send.
        assert_eq!(attempt(Ok(()), Err("node down")), (Err("node down"), vec!["nonce"]));
    }

    #[test]
    fn a_check_is_trusted_for_a_minute_and_not_when_the_clock_went_back() {
        let checked = 1_700_000_000_000.0;
        assert!(!check_is_stale(checked, checked));
        assert!(!check_is_stale(checked, checked + 59_999.0));
        assert!(check_is_stale(checked, checked + 60_000.0));
        assert!(check_is_stale(checked, checked + 3_600_000.0));
        assert!(check_is_stale(checked, checked - 1.0), "the clock went back: check again");
        assert!(check_is_stale(f64::NAN, checked));
        assert!(check_is_stale(checked, f64::NAN));
    }

    #[test]
    fn a_click_within_a_second_of_a_recheck_being_shown_does_not_send() {
        let shown = 1_700_000_000_000.0;
        assert!(too_soon_after_recheck(shown, shown));
        assert!(too_soon_after_recheck(shown, shown + 999.0));
        assert!(!too_soon_after_recheck(shown, shown + 1_000.0));
        assert!(too_soon_after_recheck(shown, shown - 5.0), "the clock went back");
        assert!(too_soon_after_recheck(f64::NAN, shown));
    }

    #[test]
    fn the_wait_ends_at_the_receipts_block_and_gives_up_after_its_polls() {
        let wait = |heads: Vec<Option<u64>>, polls: u32| {
            let mut heads = heads.into_iter();
            let (reads, pauses) = (RefCell::new(0), RefCell::new(0));
            let reached = run(wait_until_block(
                10,
                polls,
                || {
                    *reads.borrow_mut() += 1;
                    ready(heads.next().flatten())
                },
                || {
                    *pauses.borrow_mut() += 1;
                    ready(())
                },
            ));
            (reached, reads.into_inner(), pauses.into_inner())
        };
        // One block behind, then a failed read, then the receipt's block.
        assert_eq!(wait(vec![Some(9), None, Some(10)], 25), (true, 3, 2));
        assert_eq!(wait(vec![Some(11)], 25), (true, 1, 0));
        // The node never gets there: it gives up after its polls, without a last pause.
        assert_eq!(wait(vec![Some(9); 30], 4), (false, 4, 3));
        assert_eq!(wait(vec![], 0), (false, 0, 0));
    }
}
