//! Recursive looping on Aave V3.0: borrow the debt asset, swap it for the
//! collateral asset, supply that, repeat — and the unwind that takes it apart
//! while keeping the health factor above a floor at every step.
//!
//! Every borrow, supply, withdraw and repay goes through the Pool's own checks
//! ([`super::actions`]); swaps are priced at a given rate less slippage and
//! rounded down to the token's smallest unit, as a real swap delivers.

use alloy_primitives::U256;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};

use super::actions::{apply, Action, AmountOrMax};
use super::math::HEALTH_FACTOR_LIQUIDATION_THRESHOLD;
use super::position::{base_to_rational, u256_to_big, Position};
use super::solvers::{less_margin, max_borrow, max_borrow_keeping, max_withdraw, SolveError};
use crate::exact::PlainDecimal;
use crate::liquidation::{crash_line, CrashLine};
use crate::scenario::{ScenarioError, BPS_ONE};

/// What the loop should reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoopTarget {
    /// Collateral value over equity (collateral − debt), e.g. 3.
    Leverage(BigRational),
    /// A fixed number of borrow-swap-supply rounds.
    Loops(u32),
}

/// The loop's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopParams {
    pub collateral_asset: String,
    pub debt_asset: String,
    /// Units of collateral one unit of debt buys, before slippage.
    pub swap_rate: BigRational,
    pub slippage_bps: u32,
    pub target: LoopTarget,
    /// Each borrow stays this far (basis points) under the Pool's maximum.
    pub borrow_margin_bps: u32,
    /// No step may leave the health factor under this (a wad, at least 1).
    pub min_health_factor: U256,
}

/// One borrow-swap-supply round, smallest units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopStep {
    pub borrowed: U256,
    pub supplied: U256,
    /// After the borrow, before the swapped collateral is supplied: the
    /// round's lowest point, which the floor holds too (the steps are
    /// separate transactions, and a price can move between them).
    pub health_factor_after_borrow: U256,
    pub health_factor: U256,
}

/// One withdraw-swap-repay round of the unwind, smallest units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnwindStep {
    pub withdrawn: U256,
    pub repaid: U256,
    /// After the withdrawal, before the repayment: the round's lowest point.
    pub health_factor_after_withdraw: U256,
    /// `U256::MAX` once the debt is repaid (the Pool's answer for no debt).
    pub health_factor: U256,
}

/// The plan: the loop, where it ends, and how to take it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopPlan {
    pub steps: Vec<LoopStep>,
    pub looped: Position,
    pub leverage: BigRational,
    pub unwind: Vec<UnwindStep>,
    /// The collateral price move that liquidates, before and after looping.
    pub unlooped_liquidation: Option<CrashLine>,
    pub looped_liquidation: Option<CrashLine>,
}

/// Why a loop cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoopError {
    #[error(transparent)]
    Input(#[from] ScenarioError),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error("the unwind cannot proceed: no withdrawal keeps the health factor above the floor")]
    Stuck,
    /// Parameters no loop can be planned with; the text names the problem.
    #[error("{0}")]
    Invalid(&'static str),
}

/// Rounds at most this many times, so a target that cannot be reached ends.
pub const MAX_LOOPS: u32 = 50;

fn unknown(asset: &str) -> LoopError {
    LoopError::Input(ScenarioError::new("asset", format!("{asset:?} is not an asset of the position")))
}

/// Collateral value over equity, from the Pool's base-currency totals.
pub fn leverage(p: &Position) -> Result<BigRational, ScenarioError> {
    let t = p.totals()?;
    let equity = t.collateral.saturating_sub(t.debt);
    Ok(if equity.is_zero() {
        BigRational::zero()
    } else {
        BigRational::new(u256_to_big(t.collateral).into(), u256_to_big(equity).into())
    })
}

/// `amount` of `from` swapped to `to` at `rate` less slippage, floored to
/// `to`'s smallest unit.
fn swap(p: &Position, from: &str, to: &str, amount: U256, rate: &BigRational, slippage_bps: u32) -> Option<U256> {
    let (f, t) = (p.reserve(from)?, p.reserve(to)?);
    let keep = BigRational::new((BPS_ONE - slippage_bps.min(BPS_ONE)).into(), BPS_ONE.into());
    let out = f.tokens(amount) * rate * keep * BigRational::from_integer(u256_to_big(t.unit).into());
    let whole: BigInt = out.floor().to_integer();
    U256::try_from_le_slice(&whole.to_biguint()?.to_bytes_le())
}

/// Plans the loop and its unwind on `start`.
pub fn plan_loop(start: &Position, params: &LoopParams) -> Result<LoopPlan, LoopError> {
    let (c, d) = (params.collateral_asset.as_str(), params.debt_asset.as_str());
    if c == d {
        return Err(LoopError::Invalid("the collateral and the debt asset must differ"));
    }
    if matches!(&params.target, LoopTarget::Leverage(t) if *t <= BigRational::from_integer(1.into())) {
        return Err(LoopError::Invalid("the target leverage must be more than 1 (collateral over equity)"));
    }
    if params.min_health_factor < HEALTH_FACTOR_LIQUIDATION_THRESHOLD {
        return Err(LoopError::Invalid("the health factor floor must be at least 1"));
    }
    start.reserve(c).ok_or_else(|| unknown(c))?;
    start.reserve(d).ok_or_else(|| unknown(d))?;
    let floor = params.min_health_factor;
    let mut p = start.clone();
    let mut steps = Vec::new();
    for round in 0..MAX_LOOPS {
        if let LoopTarget::Loops(n) = params.target {
            if round >= n {
                break;
            }
        }
        let current = leverage(&p)?;
        if let LoopTarget::Leverage(target) = &params.target {
            // Rounding to token units leaves a hair; a millionth is close enough.
            let tolerance = target / BigRational::from_integer(1_000_000.into());
            if current >= target - tolerance {
                break;
            }
        }
        let Ok(max) = max_borrow(&p, d) else { break };
        // The floor holds right after the borrow too: the round's lowest point.
        let Ok(keeping_floor) = max_borrow_keeping(&p, d, floor) else { break };
        let mut borrow = less_margin(max, params.borrow_margin_bps).min(keeping_floor);
        if let LoopTarget::Leverage(target) = &params.target {
            borrow = borrow.min(borrow_for_leverage(&p, d, target, params.slippage_bps)?);
        }
        // Shrink the borrow until the floor holds after the borrow (the
        // round's lowest point) and after the supply.
        let round_result = |amount: U256| -> Option<(Position, U256, U256)> {
            let mut next = p.clone();
            let supplied = swap(&next, d, c, amount, &params.swap_rate, params.slippage_bps)?;
            act(&mut next, d, amount, |asset, amount| Action::Borrow { asset, amount })?;
            let after_borrow = next.totals().ok()?.health_factor().ok()?;
            if after_borrow < floor {
                return None;
            }
            act(&mut next, c, supplied, |asset, amount| Action::Supply { asset, amount })?;
            let hf = next.totals().ok()?.health_factor().ok()?;
            (hf >= floor).then_some((next, supplied, after_borrow))
        };
        let mut amount = borrow;
        let mut found = None;
        while !amount.is_zero() {
            if let Some(done) = round_result(amount) {
                found = Some(done);
                break;
            }
            amount = less_margin(amount, 1000);
        }
        let Some((next, supplied, health_factor_after_borrow)) = found else { break };
        if supplied.is_zero() {
            break;
        }
        p = next;
        steps.push(LoopStep {
            borrowed: amount,
            supplied,
            health_factor_after_borrow,
            health_factor: p.totals()?.health_factor()?,
        });
    }
    let looped = p.clone();
    let unwind = plan_unwind(&looped, params, floor)?;
    let collateral_move = |pos: &Position| {
        let zero = BigRational::zero();
        crash_line(&pos.price_exposures(), &[(c.to_owned(), BigRational::one())], &zero, &zero)
    };
    Ok(LoopPlan {
        leverage: leverage(&looped)?,
        unlooped_liquidation: collateral_move(start),
        looped_liquidation: collateral_move(&looped),
        steps,
        looped,
        unwind,
    })
}

/// Debt to add so that collateral / (collateral − debt) reaches `target`,
/// counting the swapped collateral at the oracle price (an estimate the loop
/// then checks against the Pool).
fn borrow_for_leverage(
    p: &Position,
    debt_asset: &str,
    target: &BigRational,
    slippage_bps: u32,
) -> Result<U256, LoopError> {
    let t = p.totals()?;
    let r = p.reserve(debt_asset).ok_or_else(|| unknown(debt_asset))?;
    let collateral = base_to_rational(t.collateral);
    let debt = base_to_rational(t.debt);
    let equity = &collateral - &debt;
    // Borrowing x adds x·(1 − s) of collateral and loses x·s of equity:
    // (C + x(1 − s)) / (E − x·s) = L  →  x = (L·E − C) / (1 − s + L·s).
    let s = BigRational::new(slippage_bps.into(), BPS_ONE.into());
    let x = (target * &equity - &collateral) / (BigRational::one() - &s + target * &s);
    if x <= BigRational::zero() {
        return Ok(U256::ZERO);
    }
    let price = base_to_rational(r.effective_price_base(p.emode.as_ref()));
    if price.is_zero() {
        return Ok(U256::ZERO);
    }
    let raw = (x / price * BigRational::from_integer(u256_to_big(r.unit).into())).ceil().to_integer();
    Ok(raw.to_biguint().and_then(|v| U256::try_from_le_slice(&v.to_bytes_le())).unwrap_or(U256::MAX))
}

/// Withdraw as much collateral as the floor allows, swap it to the debt
/// asset, repay; repeat until the debt is gone.
fn plan_unwind(looped: &Position, params: &LoopParams, floor: U256) -> Result<Vec<UnwindStep>, LoopError> {
    let (c, d) = (params.collateral_asset.as_str(), params.debt_asset.as_str());
    let back_rate = if params.swap_rate.is_zero() { return Ok(Vec::new()) } else { params.swap_rate.recip() };
    let mut p = looped.clone();
    let mut steps = Vec::new();
    for _ in 0..MAX_LOOPS * 4 {
        let owed = p.reserve(d).map_or(U256::ZERO, |r| r.debt);
        if owed.is_zero() {
            break;
        }
        let can = max_withdraw(&p, c, floor)?;
        // Withdraw no more than what repays the rest of the debt.
        let needed = swap_needed(&p, c, d, owed, &back_rate, params.slippage_bps).unwrap_or(can);
        let withdraw = can.min(needed);
        if withdraw.is_zero() {
            return Err(LoopError::Stuck);
        }
        let proceeds = swap(&p, c, d, withdraw, &back_rate, params.slippage_bps).unwrap_or(U256::ZERO);
        let repaid = proceeds.min(owed);
        if repaid.is_zero() {
            return Err(LoopError::Stuck);
        }
        act(&mut p, c, withdraw, |asset, amount| Action::Withdraw { asset, amount: AmountOrMax::Tokens(amount) })
            .ok_or(LoopError::Stuck)?;
        let health_factor_after_withdraw = p.totals()?.health_factor()?;
        act(&mut p, d, repaid, |asset, amount| Action::Repay { asset, amount: AmountOrMax::Tokens(amount) })
            .ok_or(LoopError::Stuck)?;
        steps.push(UnwindStep {
            withdrawn: withdraw,
            repaid,
            health_factor_after_withdraw,
            health_factor: p.totals()?.health_factor()?,
        });
    }
    Ok(steps)
}

/// Applies one Pool action of `raw` units of `asset`; `None` if the Pool refuses.
fn act(p: &mut Position, asset: &str, raw: U256, make: impl Fn(String, PlainDecimal) -> Action) -> Option<()> {
    let amount = PlainDecimal::parse(&p.reserve(asset)?.tokens_text(raw)).ok()?;
    apply(p, &make(asset.to_owned(), amount), &[]).ok()
}

/// Collateral to sell so the swap yields at least `owed` of the debt asset.
fn swap_needed(p: &Position, from: &str, to: &str, owed: U256, rate: &BigRational, slippage_bps: u32) -> Option<U256> {
    let (f, t) = (p.reserve(from)?, p.reserve(to)?);
    let keep = BigRational::new((BPS_ONE - slippage_bps.min(BPS_ONE - 1)).into(), BPS_ONE.into());
    let tokens = t.tokens(owed) / (rate * keep);
    let raw = (tokens * BigRational::from_integer(u256_to_big(f.unit).into())).ceil().to_integer();
    U256::try_from_le_slice(&raw.to_biguint()?.to_bytes_le())
}

/// Units of `to` one unit of `from` buys at the oracle prices the Pool uses
/// (e-mode category prices included): the swap rate of a loop with no
/// market spread. `None` for an unknown asset or a zero price.
pub fn oracle_swap_rate(p: &Position, from: &str, to: &str) -> Option<BigRational> {
    let price = |asset: &str| p.reserve(asset).map(|r| base_to_rational(r.effective_price_base(p.emode.as_ref())));
    let (from_price, to_price) = (price(from)?, price(to)?);
    (!to_price.is_zero()).then(|| from_price / to_price)
}

/// A health factor typed as a decimal ("1.1") as the Pool's wad; `None`
/// past 18 decimals (a wad cannot hold it).
pub fn health_factor_wad(hf: &PlainDecimal) -> Option<U256> {
    U256::try_from_le_slice(&hf.to_scaled_integer(18)?.to_bytes_le())
}

/// The Pool's health factor wad as exact text; `None` for `U256::MAX`, the
/// Pool's answer when there is no debt (never printed as a 60-digit number).
///
/// ```
/// use alloy_primitives::U256;
/// use ballast_core::aave_v3::looping::health_factor_text;
/// assert_eq!(health_factor_text(U256::from(1_050_000_000_000_000_000u64)).as_deref(), Some("1.05"));
/// assert_eq!(health_factor_text(U256::MAX), None);
/// ```
pub fn health_factor_text(wad: U256) -> Option<String> {
    (wad != U256::MAX).then(|| wad_text(wad))
}

/// A wad (a health factor) as an exact decimal.
pub fn wad_text(v: U256) -> String {
    // Digits with the point moved 18 places, trailing zeros dropped: what
    // format_exact prints for a wad, without rational arithmetic (the
    // interest outlook prints hundreds of these).
    let digits = format!("{v:0>19}");
    let (whole, fraction) = digits.split_at(digits.len() - 18);
    match fraction.trim_end_matches('0') {
        "" => whole.to_owned(),
        fraction => format!("{whole}.{fraction}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wad_text_prints_what_format_exact_prints() {
        for v in [
            0u128,
            1,
            10,
            999_999_999_999_999_999,
            1_000_000_000_000_000_000,
            1_500_000_000_000_000_000,
            123_456_789_012_345_678_901_234,
        ] {
            let exact = crate::exact::format_exact(&BigRational::new(v.into(), crate::exact::pow10(18).into()));
            assert_eq!(wad_text(U256::from(v)), exact, "{v}");
        }
        assert_eq!(wad_text(U256::MAX).len(), 79);
    }

    #[test]
    fn health_factors_convert_to_wads_and_back_exactly() {
        let hf = PlainDecimal::parse("1.05").unwrap();
        assert_eq!(health_factor_wad(&hf), Some(U256::from(1_050_000_000_000_000_000u64)));
        assert_eq!(wad_text(U256::from(1_050_000_000_000_000_001u64)), "1.050000000000000001");
        assert_eq!(health_factor_wad(&PlainDecimal::parse("1.0000000000000000001").unwrap()), None);
    }

    #[test]
    fn the_oracle_swap_rate_is_the_price_ratio() {
        let json = include_str!("../../../ballast-cli/tests/fixtures/spec-aave-v3.json");
        let p = Position::from_scenario(&crate::Scenario::parse(json).unwrap()).unwrap();
        // 1 USDC at 1.0001 buys 1.0001 / 2000 WETH.
        assert_eq!(oracle_swap_rate(&p, "USDC", "WETH"), Some(BigRational::new(10_001.into(), 20_000_000.into())));
        assert_eq!(oracle_swap_rate(&p, "WETH", "USDC"), Some(BigRational::new(20_000_000.into(), 10_001.into())));
        assert_eq!(oracle_swap_rate(&p, "DAI", "WETH"), None);
    }
}
