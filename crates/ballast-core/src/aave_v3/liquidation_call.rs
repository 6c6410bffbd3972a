//! `LiquidationLogic.executeLiquidationCall` of Aave V3.0: how much debt a
//! liquidator repays, how much collateral it seizes with the bonus, and the
//! position that remains.

use alloy_primitives::U256;

use super::actions::{reduce_isolated_debt, PoolError};
use super::math::{percent_div, percent_mul, HEALTH_FACTOR_LIQUIDATION_THRESHOLD};
use super::position::{overflow, Position};
use crate::scenario::ScenarioError;

/// Under this health factor (0.95) a liquidator may repay all of a debt.
pub const CLOSE_FACTOR_HF_THRESHOLD: U256 = U256::from_limbs([950_000_000_000_000_000, 0, 0, 0]);
/// 50 % of a debt per call above that.
pub const DEFAULT_LIQUIDATION_CLOSE_FACTOR: u32 = 5_000;
pub const MAX_LIQUIDATION_CLOSE_FACTOR: u32 = 10_000;

/// What one liquidation call does, in the tokens' smallest units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidationOutcome {
    pub collateral_asset: String,
    pub debt_asset: String,
    /// Share of the debt one call may repay, basis points.
    pub close_factor_bps: u32,
    /// The bonus that applied (e-mode's when the collateral is in category).
    pub liquidation_bonus_bps: u32,
    pub debt_repaid: U256,
    /// Collateral the liquidator receives.
    pub collateral_to_liquidator: U256,
    /// Part of the bonus the protocol keeps.
    pub protocol_fee: U256,
    /// The position after the call.
    pub after: Position,
}

/// Why a liquidation preview has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiquidationError {
    #[error(transparent)]
    Input(#[from] ScenarioError),
    #[error("the Pool refuses the liquidation: {0}")]
    Refused(PoolError),
}

/// The pair a liquidator would most likely pick, documented as the default:
/// the debt and the counted collateral with the largest base-currency value
/// (ties to the first listed).
pub fn default_pair(p: &Position) -> Option<(String, String)> {
    let emode = p.emode.as_ref();
    let largest = |pick: &dyn Fn(&super::position::Reserve) -> Option<U256>| {
        p.reserves
            .iter()
            .filter_map(|r| pick(r).map(|v| (v, r.symbol.clone())))
            .fold(None::<(U256, String)>, |best, (v, s)| match best {
                Some((bv, _)) if bv >= v => best,
                _ => Some((v, s)),
            })
            .map(|(_, s)| s)
    };
    let collateral = largest(&|r| r.counts_as_collateral().then(|| r.value_base(r.collateral, emode).ok()).flatten())?;
    let debt = largest(&|r| (!r.debt.is_zero()).then(|| r.value_base(r.debt, emode).ok()).flatten())?;
    Some((collateral, debt))
}

/// One `liquidationCall(collateral, debt, user, debtToCover, false)`;
/// `debt_to_cover` `None` is `type(uint256).max`, as liquidators send.
pub fn liquidation_call(
    p: &Position,
    collateral_asset: &str,
    debt_asset: &str,
    debt_to_cover: Option<U256>,
) -> Result<LiquidationOutcome, LiquidationError> {
    let unknown = |a: &str| {
        LiquidationError::Input(ScenarioError::new("asset", format!("{a:?} is not an asset of the position")))
    };
    let refuse = LiquidationError::Refused;
    let collateral = p.reserve(collateral_asset).ok_or_else(|| unknown(collateral_asset))?;
    let debt = p.reserve(debt_asset).ok_or_else(|| unknown(debt_asset))?;
    let health_factor = p.totals()?.health_factor()?;

    // _calculateDebt
    let close_factor = if health_factor > CLOSE_FACTOR_HF_THRESHOLD {
        DEFAULT_LIQUIDATION_CLOSE_FACTOR
    } else {
        MAX_LIQUIDATION_CLOSE_FACTOR
    };
    let max_liquidatable = percent_mul(debt.debt, U256::from(close_factor)).ok_or_else(|| overflow("close factor"))?;
    let mut debt_repaid = debt_to_cover.unwrap_or(U256::MAX).min(max_liquidatable);

    // validateLiquidationCall
    if collateral.paused || debt.paused {
        return Err(refuse(PoolError::ReservePaused));
    }
    if health_factor >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD {
        return Err(refuse(PoolError::HealthFactorNotBelowThreshold));
    }
    if collateral.liquidation_threshold == 0 || !collateral.use_as_collateral || collateral.collateral.is_zero() {
        return Err(refuse(PoolError::CollateralCannotBeLiquidated));
    }
    if debt.debt.is_zero() {
        return Err(refuse(PoolError::SpecifiedCurrencyNotBorrowedByUser));
    }

    // _getConfigurationData
    let emode = p.emode.as_ref();
    let mut bonus = collateral.liquidation_bonus;
    let (mut collateral_price, mut debt_price) = (collateral.price_base, debt.price_base);
    if let Some(e) = emode {
        if collateral.in_emode(Some(e)) {
            bonus = e.liquidation_bonus;
            if let Some(price) = e.price_base {
                collateral_price = price;
            }
        }
        if let Some(price) = e.price_base {
            debt_price = price;
        }
    }

    if bonus <= 10_000 {
        // The PoolConfigurator requires a bonus above 100 % for any collateral;
        // a scenario without one cannot say what a liquidator seizes.
        return Err(LiquidationError::Input(ScenarioError::new(
            "liquidation_bonus_bps",
            format!("is needed for {collateral_asset} (above 10000) to preview a liquidation"),
        )));
    }

    // _calculateAvailableCollateralToLiquidate
    let bonus_u = U256::from(bonus);
    let base_collateral = debt_price
        .checked_mul(debt_repaid)
        .and_then(|n| n.checked_mul(collateral.unit))
        .zip(collateral_price.checked_mul(debt.unit))
        .and_then(|(n, d)| n.checked_div(d))
        .ok_or_else(|| overflow("collateral to seize"))?;
    let max_collateral = percent_mul(base_collateral, bonus_u).ok_or_else(|| overflow("bonus"))?;
    let collateral_amount = if max_collateral > collateral.collateral {
        let value = collateral_price
            .checked_mul(collateral.collateral)
            .and_then(|n| n.checked_mul(debt.unit))
            .zip(debt_price.checked_mul(collateral.unit))
            .and_then(|(n, d)| n.checked_div(d))
            .ok_or_else(|| overflow("debt needed"))?;
        debt_repaid = percent_div(value, bonus_u).ok_or_else(|| overflow("debt needed"))?;
        collateral.collateral
    } else {
        max_collateral
    };
    let protocol_fee = if collateral.liquidation_protocol_fee != 0 {
        let without_bonus = percent_div(collateral_amount, bonus_u).ok_or_else(|| overflow("bonus"))?;
        let bonus_collateral = collateral_amount.saturating_sub(without_bonus);
        percent_mul(bonus_collateral, U256::from(collateral.liquidation_protocol_fee)).ok_or_else(|| overflow("fee"))?
    } else {
        U256::ZERO
    };

    let mut after = p.clone();
    if let Some(r) = after.reserve_mut(debt_asset) {
        r.debt -= debt_repaid.min(r.debt);
    }
    reduce_isolated_debt(&mut after, debt, debt_repaid)?;
    if let Some(r) = after.reserve_mut(collateral_asset) {
        r.collateral -= collateral_amount.min(r.collateral);
        if r.collateral.is_zero() {
            r.use_as_collateral = false;
        }
    }
    Ok(LiquidationOutcome {
        collateral_asset: collateral_asset.to_owned(),
        debt_asset: debt_asset.to_owned(),
        close_factor_bps: close_factor,
        liquidation_bonus_bps: bonus,
        debt_repaid,
        collateral_to_liquidator: collateral_amount - protocol_fee,
        protocol_fee,
        after,
    })
}
