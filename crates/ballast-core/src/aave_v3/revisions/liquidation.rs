//! `LiquidationLogic.executeLiquidationCall` of 3.2, 3.3 and 3.5.
//!
//! Sources (aave-dao/aave-v3-origin unless named):
//! - 3.2: the per-reserve close factor of 3.0 (described as the old rule in
//!   `docs/3.3/Aave-v3.3-features.md` §2.1), with the bonus taken from the category
//!   when the collateral is on its collateral bitmap and oracle prices only
//!   (`changelog/3.2.md`; the same lines carry over unchanged into 3.3's file below).
//! - 3.3: `src/contracts/protocol/libraries/logic/LiquidationLogic.sol` as deployed with
//!   `POOL_REVISION = 7` (aave/aave-v3-origin @ 400917a): `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD
//!   = 2000e8`, `MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2`,
//!   `CLOSE_FACTOR_HF_THRESHOLD = 0.95e18`, `DEFAULT_LIQUIDATION_CLOSE_FACTOR = 0.5e4`, the
//!   dust check, `hasNoCollateralLeft`, `_burnDebtTokens` and `_burnBadDebt`.
//!   3.4 (`POOL_REVISION = 8`) keeps the same arithmetic.
//! - 3.5: the same file @ e4cc47e: `borrowerReserveDebtInBaseCurrency` and the dust
//!   check's debt leftover through `MathUtils.mulDivCeil` (StErMi's v3.5 report L-04),
//!   and `debtAmountNeeded` through `percentDivCeil` when the collateral caps the call.

use alloy_primitives::U256;

use super::account::{collateral_base, debt_base, in_emode_collateral, EModeAssets, Totals};
use super::rounding::{mul_div_floor, percent_div_ceil};
use super::AaveRevision;
use crate::aave_v3::actions::PoolError;
use crate::aave_v3::liquidation_call::{
    self as v3_0, LiquidationError, LiquidationOutcome, CLOSE_FACTOR_HF_THRESHOLD, DEFAULT_LIQUIDATION_CLOSE_FACTOR,
    MAX_LIQUIDATION_CLOSE_FACTOR,
};
use crate::aave_v3::math::{percent_div, percent_mul, HEALTH_FACTOR_LIQUIDATION_THRESHOLD};
use crate::aave_v3::position::{base_to_rational, overflow, Position, Reserve};
use crate::exact::format_exact;
use crate::scenario::ScenarioError;

/// 3.3: under this much collateral or debt of the reserves liquidated (USD, 8 decimals,
/// 2000e8) the whole reserve debt may be repaid whatever the health factor.
pub const MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD: U256 = U256::from_limbs([200_000_000_000, 0, 0, 0]);
/// 3.3: a partial liquidation must leave at least this much debt and collateral
/// (1000e8, half the threshold above) in the reserves it touches.
pub const MIN_LEFTOVER_BASE: U256 = U256::from_limbs([100_000_000_000, 0, 0, 0]);

/// One liquidation call with what the later revisions add to V3.0's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionLiquidation {
    /// As V3.0 reports it. From 3.3 `close_factor_bps` is 5000 when the
    /// position-wide cap limited the call and 10000 otherwise, and `after` has the
    /// written-off debt removed.
    pub outcome: LiquidationOutcome,
    /// The most debt this call could repay before the collateral cap: the reserve
    /// debt times the close factor (3.0, 3.2), or from 3.3 the whole reserve debt or
    /// half the position's total debt in this asset.
    pub max_liquidatable_debt: U256,
    /// From 3.3: debt burned without repayment because no collateral is left,
    /// booked as each reserve's deficit (`DeficitCreated`): the liquidated reserve
    /// first, then the others in the position's order.
    pub deficit: Vec<Deficit>,
}

/// Debt of one reserve written off into its deficit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deficit {
    pub asset: String,
    /// Smallest units of the asset.
    pub amount: U256,
}

/// Why a liquidation preview under a later revision has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevisionLiquidationError {
    #[error(transparent)]
    Input(#[from] ScenarioError),
    #[error("the Pool refuses the liquidation: {0}")]
    Refused(PoolError),
    /// 3.3's `Errors.MUST_NOT_LEAVE_DUST` ('103'), `MustNotLeaveDust()` from 3.4: the
    /// call repays part of the debt and takes part of the collateral but leaves less
    /// than [`MIN_LEFTOVER_BASE`] of one of them.
    #[error(
        "the Pool refuses the liquidation: MUST_NOT_LEAVE_DUST (103): it would leave {} USD of {debt_asset} debt and {} USD of {collateral_asset} collateral; without clearing one of them, both must stay at least 1000 USD",
        usd(.debt_left_base), usd(.collateral_left_base)
    )]
    MustNotLeaveDust {
        debt_asset: String,
        collateral_asset: String,
        /// Base currency (USD, 8 decimals).
        debt_left_base: U256,
        collateral_left_base: U256,
    },
}

impl From<LiquidationError> for RevisionLiquidationError {
    fn from(e: LiquidationError) -> Self {
        match e {
            LiquidationError::Input(e) => RevisionLiquidationError::Input(e),
            LiquidationError::Refused(e) => RevisionLiquidationError::Refused(e),
        }
    }
}

fn usd(base: &U256) -> String {
    format_exact(&base_to_rational(*base))
}

/// `liquidationCall(collateral, debt, user, debtToCover, false)` under `revision`,
/// the e-mode category as the 3.2 migration left it ([`EModeAssets::migrated`]);
/// `debt_to_cover` `None` is `type(uint256).max`. `V3_0` is the engine's own
/// [`v3_0::liquidation_call`].
pub fn liquidation_call(
    position: &Position,
    collateral_asset: &str,
    debt_asset: &str,
    debt_to_cover: Option<U256>,
    revision: AaveRevision,
) -> Result<LiquidationOutcome, RevisionLiquidationError> {
    let emode = EModeAssets::migrated(position);
    liquidation_call_with(position, collateral_asset, debt_asset, debt_to_cover, revision, &emode).map(|l| l.outcome)
}

/// [`liquidation_call`] with the user's category given as bitmaps, and the close
/// factor's cut and any deficit reported. `V3_0` ignores `emode` (3.0 has no bitmaps).
pub fn liquidation_call_with(
    position: &Position,
    collateral_asset: &str,
    debt_asset: &str,
    debt_to_cover: Option<U256>,
    revision: AaveRevision,
    emode: &EModeAssets,
) -> Result<RevisionLiquidation, RevisionLiquidationError> {
    if !revision.liquid_emodes() {
        let outcome = v3_0::liquidation_call(position, collateral_asset, debt_asset, debt_to_cover)?;
        let debt = position.reserve(debt_asset).map_or(U256::ZERO, |r| r.debt);
        let max_liquidatable_debt =
            percent_mul(debt, U256::from(outcome.close_factor_bps)).ok_or_else(|| overflow("close factor"))?;
        return Ok(RevisionLiquidation { outcome, max_liquidatable_debt, deficit: Vec::new() });
    }
    Liquidation::new(position, collateral_asset, debt_asset, revision, emode)?.run(debt_to_cover)
}

/// The inputs of one call, read and validated.
struct Liquidation<'a> {
    position: &'a Position,
    revision: AaveRevision,
    collateral: &'a Reserve,
    debt: &'a Reserve,
    totals: Totals,
    health_factor: U256,
    bonus: u32,
}

impl<'a> Liquidation<'a> {
    fn new(
        position: &'a Position,
        collateral_asset: &str,
        debt_asset: &str,
        revision: AaveRevision,
        emode: &EModeAssets,
    ) -> Result<Self, RevisionLiquidationError> {
        let unknown = |a: &str| ScenarioError::new("asset", format!("{a:?} is not an asset of the position"));
        let collateral = position.reserve(collateral_asset).ok_or_else(|| unknown(collateral_asset))?;
        let debt = position.reserve(debt_asset).ok_or_else(|| unknown(debt_asset))?;
        let totals = Totals::compute(position, revision, emode)?;
        let health_factor = totals.health_factor(revision)?;

        // ValidationLogic.validateLiquidationCall, in its order.
        let refuse = |e| Err(RevisionLiquidationError::Refused(e));
        if collateral.paused || debt.paused {
            return refuse(PoolError::ReservePaused);
        }
        if health_factor >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD {
            return refuse(PoolError::HealthFactorNotBelowThreshold);
        }
        // The Pool's collateral flag is never on for a zero balance; the scenario's may be.
        if collateral.liquidation_threshold == 0 || !collateral.use_as_collateral || collateral.collateral.is_zero() {
            return refuse(PoolError::CollateralCannotBeLiquidated);
        }
        if debt.debt.is_zero() {
            return refuse(PoolError::SpecifiedCurrencyNotBorrowedByUser);
        }

        // The category's bonus when the collateral is on its collateral bitmap; no
        // e-mode price any more, so both prices are the oracle's.
        let bonus = match position.emode.as_ref() {
            Some(e) if in_emode_collateral(position, emode, collateral) => e.liquidation_bonus,
            _ => collateral.liquidation_bonus,
        };
        Ok(Self { position, revision, collateral, debt, totals, health_factor, bonus })
    }

    fn run(&self, debt_to_cover: Option<U256>) -> Result<RevisionLiquidation, RevisionLiquidationError> {
        let (max_liquidatable_debt, close_factor_bps) = self.max_liquidatable_debt()?;
        let requested = debt_to_cover.unwrap_or(U256::MAX).min(max_liquidatable_debt);
        let seized = self.collateral_to_liquidate(requested)?;
        let taken = seized.to_liquidator + seized.protocol_fee;
        if self.revision.bad_debt_rules() {
            self.check_no_dust(seized.debt_repaid, taken)?;
        }
        // hasNoCollateralLeft: what the call seizes, valued as calculateUserAccountData
        // values collateral, is all the collateral there is.
        let no_collateral_left = self.revision.bad_debt_rules() && self.totals.collateral == seized.value_base;

        // The Pool subtracts the repayment from the reserve debt and reverts below zero.
        if seized.debt_repaid > self.debt.debt {
            return Err(overflow("the debt repaid beyond the reserve debt").into());
        }
        let mut after = self.position.clone();
        let mut deficit = Vec::new();
        if let Some(r) = after.reserve_mut(&self.debt.symbol) {
            r.debt -= seized.debt_repaid;
        }
        if let Some(r) = after.reserve_mut(&self.collateral.symbol) {
            r.collateral -= taken.min(r.collateral);
            if r.collateral.is_zero() {
                r.use_as_collateral = false;
            }
        }
        if no_collateral_left {
            // _burnDebtTokens burns what is left of the liquidated reserve's debt, then
            // _burnBadDebt every other borrowed reserve's: all of it becomes deficit,
            // in the order the Pool emits DeficitCreated.
            let mut indices: Vec<(bool, usize)> = after
                .reserves
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.debt.is_zero())
                .map(|(i, r)| (r.symbol != self.debt.symbol, i))
                .collect();
            // The liquidated reserve first (false sorts first), then the position's order
            // (the Pool's is the reserve index).
            indices.sort_unstable();
            for (_, i) in indices {
                if let Some(r) = after.reserves.get_mut(i) {
                    deficit.push(Deficit { asset: r.symbol.clone(), amount: r.debt });
                    r.debt = U256::ZERO;
                }
            }
        }
        Ok(RevisionLiquidation {
            outcome: LiquidationOutcome {
                collateral_asset: self.collateral.symbol.clone(),
                debt_asset: self.debt.symbol.clone(),
                close_factor_bps,
                liquidation_bonus_bps: self.bonus,
                debt_repaid: seized.debt_repaid,
                collateral_to_liquidator: seized.to_liquidator,
                protocol_fee: seized.protocol_fee,
                after,
            },
            max_liquidatable_debt,
            deficit,
        })
    }

    /// The close factor's cut of the debt reserve, and the factor to report.
    fn max_liquidatable_debt(&self) -> Result<(U256, u32), RevisionLiquidationError> {
        let debt = self.debt;
        if !self.revision.bad_debt_rules() {
            // 3.0 to 3.2 (_calculateDebt): 50 % of this reserve's debt, all of it at HF ≤ 0.95.
            let factor = if self.health_factor > CLOSE_FACTOR_HF_THRESHOLD {
                DEFAULT_LIQUIDATION_CLOSE_FACTOR
            } else {
                MAX_LIQUIDATION_CLOSE_FACTOR
            };
            let max = percent_mul(debt.debt, U256::from(factor)).ok_or_else(|| overflow("close factor"))?;
            return Ok((max, factor));
        }
        // 3.3: the whole reserve debt, unless both reserves are at least 2000 USD and the
        // HF is above 0.95; then at most half the position's total debt, in this asset.
        // The thresholds compare the two reserves of the call, not the position's totals,
        // although the constant's natspec says "total collateral or debt on a position".
        let debt_value = debt_base(debt, debt.debt, self.revision)?;
        let collateral_value = collateral_base(self.collateral, self.collateral.collateral)?;
        if collateral_value >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD
            && debt_value >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD
            && self.health_factor > CLOSE_FACTOR_HF_THRESHOLD
        {
            let half_of_total = percent_mul(self.totals.debt, U256::from(DEFAULT_LIQUIDATION_CLOSE_FACTOR))
                .ok_or_else(|| overflow("close factor"))?;
            if debt_value > half_of_total {
                let max =
                    mul_div_floor(half_of_total, debt.unit, debt.price_base).ok_or_else(|| overflow("close factor"))?;
                return Ok((max, DEFAULT_LIQUIDATION_CLOSE_FACTOR));
            }
        }
        Ok((debt.debt, MAX_LIQUIDATION_CLOSE_FACTOR))
    }

    /// `_calculateAvailableCollateralToLiquidate`.
    fn collateral_to_liquidate(&self, debt_to_cover: U256) -> Result<Seized, RevisionLiquidationError> {
        let (c, d) = (self.collateral, self.debt);
        let bonus = U256::from(self.bonus);
        let base_collateral = d
            .price_base
            .checked_mul(debt_to_cover)
            .and_then(|n| n.checked_mul(c.unit))
            .zip(c.price_base.checked_mul(d.unit))
            .and_then(|(n, den)| n.checked_div(den))
            .ok_or_else(|| overflow("collateral to seize"))?;
        let max_collateral = percent_mul(base_collateral, bonus).ok_or_else(|| overflow("bonus"))?;
        let (amount, debt_repaid) = if max_collateral > c.collateral {
            let value = c
                .price_base
                .checked_mul(c.collateral)
                .and_then(|n| n.checked_mul(d.unit))
                .zip(d.price_base.checked_mul(c.unit))
                .and_then(|(n, den)| n.checked_div(den))
                .ok_or_else(|| overflow("debt needed"))?;
            // 3.5 rounds the debt the liquidator owes up; before, half up.
            let needed = if self.revision.pessimistic_rounding() {
                percent_div_ceil(value, bonus)
            } else {
                percent_div(value, bonus)
            };
            (c.collateral, needed.ok_or_else(|| overflow("debt needed"))?)
        } else {
            (max_collateral, debt_to_cover)
        };
        let value_base = collateral_base(c, amount)?;
        let protocol_fee = if c.liquidation_protocol_fee != 0 {
            let without_bonus = percent_div(amount, bonus).ok_or_else(|| overflow("bonus"))?;
            let bonus_collateral = amount.checked_sub(without_bonus).ok_or_else(|| overflow("bonus"))?;
            percent_mul(bonus_collateral, U256::from(c.liquidation_protocol_fee)).ok_or_else(|| overflow("fee"))?
        } else {
            U256::ZERO
        };
        let to_liquidator = amount.checked_sub(protocol_fee).ok_or_else(|| overflow("fee"))?;
        Ok(Seized { to_liquidator, protocol_fee, debt_repaid, value_base })
    }

    /// 3.3's dust rule: clear the debt reserve, or clear the collateral reserve, or
    /// leave at least MIN_LEFTOVER_BASE of both.
    fn check_no_dust(&self, debt_repaid: U256, taken: U256) -> Result<(), RevisionLiquidationError> {
        let (c, d) = (self.collateral, self.debt);
        if debt_repaid >= d.debt || taken >= c.collateral {
            return Ok(());
        }
        // The debt left is valued up from 3.5 (L-04), the collateral left always down.
        let debt_left_base = debt_base(d, d.debt - debt_repaid, self.revision)?;
        let collateral_left_base = collateral_base(c, c.collateral - taken)?;
        if debt_left_base >= MIN_LEFTOVER_BASE && collateral_left_base >= MIN_LEFTOVER_BASE {
            return Ok(());
        }
        Err(RevisionLiquidationError::MustNotLeaveDust {
            debt_asset: d.symbol.clone(),
            collateral_asset: c.symbol.clone(),
            debt_left_base,
            collateral_left_base,
        })
    }
}

/// What `_calculateAvailableCollateralToLiquidate` returns.
struct Seized {
    to_liquidator: U256,
    protocol_fee: U256,
    debt_repaid: U256,
    /// `collateralToLiquidateInBaseCurrency`: liquidator's share and fee together.
    value_base: U256,
}
