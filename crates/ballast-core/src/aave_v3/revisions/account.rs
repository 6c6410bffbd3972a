//! `GenericLogic.calculateUserAccountData` and `calculateAvailableBorrows` of
//! 3.2, 3.3 and 3.5.
//!
//! Sources (aave-dao/aave-v3-origin unless named):
//! - 3.2/3.3: `src/contracts/protocol/libraries/logic/GenericLogic.sol` as deployed with
//!   `POOL_REVISION = 7` (aave/aave-v3-origin @ 7384224, same math as 3.2 and 3.4):
//!   e-mode membership by `isReserveEnabledOnBitmap(collateralBitmap, reserveIndex)`, every
//!   price from the oracle, `healthFactor = collateral.percentMul(avgLT).wadDiv(debt)`.
//! - 3.5: the same file @ 00cec22 (the commit that fixed StErMi's v3.5 report I-16) and
//!   @ 6512922: debt through `MathUtils.mulDivCeil`, `healthFactor =
//!   avgLiquidationThreshold.wadDiv(totalDebt) / 100_00` on the unaveraged sum,
//!   `calculateAvailableBorrows` with `percentMulFloor`.

use std::collections::BTreeSet;

use alloy_primitives::U256;

use super::rounding::{mul_div_ceil, mul_div_floor, percent_mul_floor};
use super::AaveRevision;
use crate::aave_v3::math::{percent_mul, wad_div, PERCENTAGE_FACTOR};
use crate::aave_v3::position::{overflow, Position, Reserve};
use crate::aave_v3::AccountData;
use crate::scenario::ScenarioError;

/// The user's e-mode category as 3.2 stores it: which assets count as its
/// collateral and which may be borrowed in it (the Pool's `collateralBitmap`
/// and `borrowableBitmap`, by symbol instead of reserve index). The category's
/// LTV, threshold and bonus stay in [`Position::emode`].
///
/// Only `collateral` moves account data and the liquidation bonus; `borrowable`
/// is checked by `validateBorrow` and `setUserEMode`, which this module does not
/// model, and is kept so a scenario can state the whole category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EModeAssets {
    pub collateral: BTreeSet<String>,
    pub borrowable: BTreeSet<String>,
}

impl EModeAssets {
    pub fn new<C, B>(collateral: C, borrowable: B) -> Self
    where
        C: IntoIterator,
        C::Item: Into<String>,
        B: IntoIterator,
        B::Item: Into<String>,
    {
        Self {
            collateral: collateral.into_iter().map(Into::into).collect(),
            borrowable: borrowable.into_iter().map(Into::into).collect(),
        }
    }

    /// The category as the 3.2 upgrade left a 3.0/3.1 one: every asset whose
    /// `emode_category` is the user's became both collateral and borrowable in it
    /// (aave-dao/aave-proposals-v3 PR #466, `UpgradeAllAaveInstancesTo32.md`: "Migrate
    /// all assets currently in eMode to be both borrowable & collateral in eMode").
    pub fn migrated(position: &Position) -> Self {
        let Some(e) = position.emode.as_ref().filter(|e| e.id != 0) else { return Self::default() };
        let members: BTreeSet<String> =
            position.reserves.iter().filter(|r| r.emode_category == e.id).map(|r| r.symbol.clone()).collect();
        Self { collateral: members.clone(), borrowable: members }
    }

    pub fn is_collateral(&self, symbol: &str) -> bool {
        self.collateral.contains(symbol)
    }

    pub fn is_borrowable(&self, symbol: &str) -> bool {
        self.borrowable.contains(symbol)
    }
}

/// `Pool.getUserAccountData` under `revision`, with the e-mode bitmaps a 3.0
/// category would have after the 3.2 migration ([`EModeAssets::migrated`]).
/// `V3_0` is the engine's own [`Position::account_data`].
pub fn account_data(position: &Position, revision: AaveRevision) -> Result<AccountData, ScenarioError> {
    account_data_with(position, revision, &EModeAssets::migrated(position))
}

/// `Pool.getUserAccountData` under `revision` with the user's category given as
/// bitmaps. 3.0 has no bitmaps: `V3_0` ignores `emode` and uses each reserve's
/// `emode_category` and the category's price, as the engine always has.
pub fn account_data_with(
    position: &Position,
    revision: AaveRevision,
    emode: &EModeAssets,
) -> Result<AccountData, ScenarioError> {
    if !revision.liquid_emodes() {
        return position.account_data();
    }
    let totals = Totals::compute(position, revision, emode)?;
    let health_factor = totals.health_factor(revision)?;
    let borrowable = if revision.pessimistic_rounding() {
        percent_mul_floor(totals.collateral, totals.ltv)
    } else {
        percent_mul(totals.collateral, totals.ltv)
    }
    .ok_or_else(|| overflow("collateral × LTV"))?;
    let sums = (totals.collateral, totals.debt, totals.ltv, totals.liquidation_threshold);
    Ok(AccountData::from_parts(sums, health_factor, borrowable))
}

/// What `calculateUserAccountData` sums (3.2 and later), before dividing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Totals {
    pub collateral: U256,
    pub debt: U256,
    /// Averages, floored, basis points.
    pub ltv: U256,
    pub liquidation_threshold: U256,
    /// `Σ value × threshold`, what 3.5 divides the debt into directly.
    pub weighted_threshold: U256,
}

impl Totals {
    pub(super) fn compute(p: &Position, revision: AaveRevision, emode: &EModeAssets) -> Result<Self, ScenarioError> {
        reject_emode_price(p)?;
        let mut t = Totals::default();
        let mut weighted_ltv = U256::ZERO;
        for r in &p.reserves {
            if r.counts_as_collateral() {
                let value = collateral_base(r, r.collateral)?;
                t.collateral = t.collateral.checked_add(value).ok_or_else(|| overflow("total collateral"))?;
                let (ltv, threshold) = collateral_parameters(p, emode, r);
                weighted_ltv = value
                    .checked_mul(U256::from(ltv))
                    .and_then(|w| weighted_ltv.checked_add(w))
                    .ok_or_else(|| overflow("weighted LTV"))?;
                t.weighted_threshold = value
                    .checked_mul(U256::from(threshold))
                    .and_then(|w| t.weighted_threshold.checked_add(w))
                    .ok_or_else(|| overflow("weighted liquidation threshold"))?;
            }
            if !r.debt.is_zero() {
                let value = debt_base(r, r.debt, revision)?;
                t.debt = t.debt.checked_add(value).ok_or_else(|| overflow("total debt"))?;
            }
        }
        if !t.collateral.is_zero() {
            t.ltv = weighted_ltv / t.collateral;
            t.liquidation_threshold = t.weighted_threshold / t.collateral;
        }
        Ok(t)
    }

    /// The health factor as a wad, `uint256` max without debt.
    pub(super) fn health_factor(&self, revision: AaveRevision) -> Result<U256, ScenarioError> {
        if self.debt.is_zero() {
            return Ok(U256::MAX);
        }
        if revision.pessimistic_rounding() {
            // 3.5: the weighted sum (8 + 4 decimals) over the debt, so the average
            // threshold is never floored on this path; wadDiv half up, then / 1e4 down.
            let ratio = wad_div(self.weighted_threshold, self.debt).ok_or_else(|| overflow("health factor"))?;
            return Ok(ratio / PERCENTAGE_FACTOR);
        }
        let adjusted = percent_mul(self.collateral, self.liquidation_threshold)
            .ok_or_else(|| overflow("collateral × threshold"))?;
        wad_div(adjusted, self.debt).ok_or_else(|| overflow("health factor"))
    }
}

/// 3.2 removed the e-mode oracle (aave-v3-origin `changelog/3.2.md`, "Emodes: Removal of
/// the eMode oracle"); a category price would be silently ignored, so refuse it.
fn reject_emode_price(p: &Position) -> Result<(), ScenarioError> {
    if p.emode.as_ref().is_some_and(|e| e.price_base.is_some()) {
        return Err(ScenarioError::new(
            "emode.price",
            "e-mode categories have no price source from Aave 3.2 on (changelog/3.2.md); leave it null",
        ));
    }
    Ok(())
}

/// Whether the reserve takes the user's e-mode LTV, threshold and bonus: in 3.2
/// and later, when it is on the category's collateral bitmap.
pub(super) fn in_emode_collateral(p: &Position, emode: &EModeAssets, r: &Reserve) -> bool {
    p.emode.as_ref().is_some_and(|e| e.id != 0) && emode.is_collateral(&r.symbol)
}

/// LTV and threshold the collateral counts with. The asset's own LTV 0 stays 0
/// inside e-mode: `if (vars.ltv != 0)` reads the reserve's configuration, not the
/// category's (the per-e-mode `ltvzeroBitmap` only arrives in 3.6,
/// `docs/3.6/Aave-v3.6-features.md`).
fn collateral_parameters(p: &Position, emode: &EModeAssets, r: &Reserve) -> (u32, u32) {
    match p.emode.as_ref() {
        Some(e) if in_emode_collateral(p, emode, r) => (if r.ltv == 0 { 0 } else { e.ltv }, e.liquidation_threshold),
        _ => (r.ltv, r.liquidation_threshold),
    }
}

/// `_getUserBalanceInBaseCurrency`: `balance × price / unit`, floored in every revision
/// (StErMi's v3.5 report I-05: "it was already rounding down").
pub(super) fn collateral_base(r: &Reserve, amount: U256) -> Result<U256, ScenarioError> {
    mul_div_floor(amount, r.price_base, r.unit).ok_or_else(|| overflow(&format!("{} amount × price", r.symbol)))
}

/// `_getUserDebtInBaseCurrency`: floored until 3.4, `mulDivCeil` from 3.5, so any
/// debt is worth at least one base unit (`docs/3.5/Aave-v3.5-features.md`,
/// "Rounding for User Position Valuation in Base Currency").
pub(super) fn debt_base(r: &Reserve, amount: U256, revision: AaveRevision) -> Result<U256, ScenarioError> {
    let value = if revision.pessimistic_rounding() {
        mul_div_ceil(amount, r.price_base, r.unit)
    } else {
        mul_div_floor(amount, r.price_base, r.unit)
    };
    value.ok_or_else(|| overflow(&format!("{} amount × price", r.symbol)))
}
