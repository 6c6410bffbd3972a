//! Solvers on an Aave V3.0 position: the most that can be borrowed or
//! withdrawn, and the repayment or supply that reaches a target health factor.
//!
//! Each searches the token's smallest unit against the Pool's own integer
//! checks, so every answer is one the Pool accepts. `max_borrow` is exactly
//! the Pool's limit (its check is monotone in the amount). The others are safe
//! but may not be the very edge: the Pool floors the average threshold to
//! basis points, so its health factor can step back and forth by a hair as an
//! amount changes, and a bisection can stop short of the last such step.

use alloy_primitives::U256;

use super::actions::{auto_use_as_collateral, BorrowProbe, PoolError, Step};
use super::math::{HEALTH_FACTOR_LIQUIDATION_THRESHOLD, PERCENTAGE_FACTOR};
use super::position::{Position, Reserve};
use crate::scenario::ScenarioError;

/// Why a solver has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    #[error(transparent)]
    Input(#[from] ScenarioError),
    /// Not even the smallest amount passes: the Pool's reason.
    #[error("the Pool refuses any amount: {0}")]
    Refused(PoolError),
    /// The target cannot be reached with this asset.
    #[error("the target health factor cannot be reached this way")]
    Unreachable,
}

fn step_error(e: Step) -> SolveError {
    match e {
        Step::Pool(p) => SolveError::Refused(p),
        Step::Input(i) => SolveError::Input(i),
    }
}

fn reserve<'a>(p: &'a Position, asset: &str) -> Result<&'a Reserve, SolveError> {
    p.reserve(asset).ok_or_else(|| {
        SolveError::Input(ScenarioError::new("asset", format!("{asset:?} is not an asset of the position")))
    })
}

/// Largest `x` in `[lo, hi]` with `passes(x)`, given `passes` is true up to
/// some point and false after it; `None` when `passes(lo)` is false.
fn largest_passing(lo: U256, hi: U256, passes: impl Fn(U256) -> bool) -> Option<U256> {
    if !passes(lo) {
        return None;
    }
    if passes(hi) {
        return Some(hi);
    }
    let (mut good, mut bad) = (lo, hi);
    while bad - good > U256::from(1) {
        let mid = good + ((bad - good) >> 1);
        if passes(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

/// The most of `asset` the Pool would lend now (variable rate), in its
/// smallest unit. A UI should offer less: see [`less_margin`].
pub fn max_borrow(p: &Position, asset: &str) -> Result<U256, SolveError> {
    let r = reserve(p, asset)?;
    let one = U256::from(1);
    // The Pool's checks, with what does not depend on the amount done once.
    let probe = BorrowProbe::new(p, asset).map_err(step_error)?;
    // Borrowing more than all collateral's worth is never allowed (LTV ≤ 100 %).
    let totals = probe.totals();
    let price = r.effective_price_base(p.emode.as_ref()).max(one);
    let hi = totals.collateral.saturating_mul(r.unit) / price + one;
    let passes = |x| probe.passes(x);
    // Usually the LTV check binds: the limit is within a few base-currency
    // units' worth of tokens of collateral × LTV − debt. Searching that
    // bracket first (a handful of checks instead of up to ~80) gives the same
    // answer whenever the bracket holds the boundary; otherwise (a cap, a
    // ceiling) the whole range is searched.
    let room = super::math::percent_mul(totals.collateral, U256::from(totals.ltv))
        .map_or(U256::ZERO, |limit| limit.saturating_sub(totals.debt));
    let estimate = room.saturating_mul(r.unit) / price;
    let width = (r.unit / price + one).saturating_mul(U256::from(4u8));
    let (near_lo, near_hi) = (estimate.saturating_sub(width).max(one), estimate.saturating_add(width).min(hi));
    if near_lo < near_hi && passes(near_lo) && !passes(near_hi) {
        return largest_passing(near_lo, near_hi, passes).ok_or(SolveError::Unreachable);
    }
    largest_passing(one, hi, passes).ok_or(SolveError::Unreachable)
}

/// The most of `asset` the Pool would lend now that also leaves the health
/// factor at or above `target_hf` (a wad): [`max_borrow`] capped by the
/// target. Zero when the position is already under it.
pub fn max_borrow_keeping(p: &Position, asset: &str, target_hf: U256) -> Result<U256, SolveError> {
    let limit = max_borrow(p, asset)?;
    let keeps = |x: U256| {
        let mut next = p.clone();
        let Some(r) = next.reserve_mut(asset) else { return false };
        r.debt = r.debt.saturating_add(x);
        next.totals().and_then(|t| t.health_factor()).is_ok_and(|hf| hf >= target_hf)
    };
    Ok(largest_passing(U256::ZERO, limit, keeps).unwrap_or(U256::ZERO))
}

/// `amount` less a safety margin in basis points, rounded down: interest and
/// prices move between the preview and the transaction.
pub fn less_margin(amount: U256, margin_bps: u32) -> U256 {
    let keep = PERCENTAGE_FACTOR.saturating_sub(U256::from(margin_bps));
    amount.saturating_mul(keep) / PERCENTAGE_FACTOR
}

/// The most of `asset` that can be withdrawn keeping the health factor at or
/// above `target_hf` (a wad, at least 1), within the Pool's rules.
pub fn max_withdraw(p: &Position, asset: &str, target_hf: U256) -> Result<U256, SolveError> {
    let r = reserve(p, asset)?;
    let target = target_hf.max(HEALTH_FACTOR_LIQUIDATION_THRESHOLD);
    let held = r.collateral;
    let passes = |x: U256| -> bool {
        if x.is_zero() {
            return true;
        }
        let mut next = p.clone();
        let Some(r) = next.reserve_mut(asset) else { return false };
        let (was_collateral, ltv) = (r.use_as_collateral, r.ltv);
        r.collateral -= x;
        if r.collateral.is_zero() {
            r.use_as_collateral = false;
        }
        // Without debt (or for non-collateral) the Pool checks nothing more.
        if !(was_collateral && next.is_borrowing_any()) {
            return true;
        }
        next.totals()
            .is_ok_and(|t| (!t.has_zero_ltv_collateral || ltv == 0) && t.health_factor().is_ok_and(|hf| hf >= target))
    };
    if r.paused {
        return Err(SolveError::Refused(PoolError::ReservePaused));
    }
    largest_passing(U256::ZERO, held, passes).ok_or(SolveError::Unreachable)
}

/// A small repayment of `asset` that brings the health factor to at least
/// `target_hf` (a wad); `Unreachable` when repaying it all is not enough.
pub fn repay_to_reach(p: &Position, asset: &str, target_hf: U256) -> Result<U256, SolveError> {
    let r = reserve(p, asset)?;
    if r.paused {
        return Err(SolveError::Refused(PoolError::ReservePaused));
    }
    let owed = r.debt;
    let reaches = |x: U256| {
        let mut next = p.clone();
        if let Some(r) = next.reserve_mut(asset) {
            r.debt -= x.min(r.debt);
        }
        next.totals().and_then(|t| t.health_factor()).is_ok_and(|hf| hf >= target_hf)
    };
    smallest_reaching(owed, reaches)
}

/// A small supply of `asset` that brings the health factor to at least
/// `target_hf`; `Unreachable` when the supply would not count (the Pool turns
/// collateral on only at a first supply it allows: not for LTV 0, an isolated
/// asset, or beside isolated collateral; a flag turned off stays off) or no
/// amount up to `cap` suffices.
pub fn supply_to_reach(p: &Position, asset: &str, target_hf: U256, cap: U256) -> Result<U256, SolveError> {
    let r = reserve(p, asset)?;
    if r.paused {
        return Err(SolveError::Refused(PoolError::ReservePaused));
    }
    if r.frozen {
        return Err(SolveError::Refused(PoolError::ReserveFrozen));
    }
    let counts = if r.collateral.is_zero() {
        auto_use_as_collateral(p, asset).map_err(step_error)?
    } else {
        r.use_as_collateral
    };
    if r.liquidation_threshold == 0 || !counts {
        return Err(SolveError::Unreachable);
    }
    let reaches = |x: U256| {
        let mut next = p.clone();
        if let Some(r) = next.reserve_mut(asset) {
            r.collateral = r.collateral.saturating_add(x);
            r.use_as_collateral = true;
        }
        next.totals().and_then(|t| t.health_factor()).is_ok_and(|hf| hf >= target_hf)
    };
    smallest_reaching(cap, reaches)
}

/// Smallest `x` in `[0, hi]` with `reaches(x)`, for a `reaches` that stays
/// true once true.
fn smallest_reaching(hi: U256, reaches: impl Fn(U256) -> bool) -> Result<U256, SolveError> {
    if reaches(U256::ZERO) {
        return Ok(U256::ZERO);
    }
    if !reaches(hi) {
        return Err(SolveError::Unreachable);
    }
    let (mut bad, mut good) = (U256::ZERO, hi);
    while good - bad > U256::from(1) {
        let mid = bad + ((good - bad) >> 1);
        if reaches(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Ok(good)
}
