//! Aave V3.0: the Pool's `getUserAccountData`, bit for bit, and the exact
//! health ratio behind the liquidation prices.
//!
//! The integer path follows `GenericLogic.calculateUserAccountData` of
//! `@aave/core-v3` 1.19.3 (v3.0.2): 8-decimal base currency, each asset's
//! value floored, basis-point averages floored, `percentMul` and `wadDiv`
//! rounded half up, `uint256` max as the health factor without debt.

pub mod math;

use alloy_primitives::U256;
use num_bigint::BigUint;
use num_rational::BigRational;
use num_traits::Zero;
use serde::Serialize;

use crate::exact::{format_exact, pow10, PlainDecimal};
use crate::liquidation::{liquidation_prices, PriceExposure};
use crate::report::Report;
use crate::scenario::{check_bps, Asset, Holding, Scenario, ScenarioError, BPS_ONE, MAX_TOKEN_DECIMALS};
use math::{percent_mul, wad_div, HEALTH_FACTOR_LIQUIDATION_THRESHOLD, PERCENTAGE_FACTOR, WAD};

/// Decimals of the base currency Aave V3's oracle prices in (USD, 8).
pub const BASE_CURRENCY_DECIMALS: u32 = 8;

/// What the Pool's `getUserAccountData` returns, in its own units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountData {
    /// Collateral in base currency (USD, 8 decimals).
    #[serde(with = "u256_decimal")]
    pub total_collateral_base: U256,
    #[serde(with = "u256_decimal")]
    pub total_debt_base: U256,
    /// Weighted average LTV, basis points.
    #[serde(with = "u256_json_integer")]
    pub ltv: U256,
    /// Weighted average liquidation threshold, basis points.
    #[serde(with = "u256_json_integer")]
    pub current_liquidation_threshold: U256,
    /// A wad; `U256::MAX` without debt.
    #[serde(with = "u256_decimal")]
    pub health_factor: U256,
    #[serde(with = "u256_decimal")]
    pub available_borrows_base: U256,
}

impl AccountData {
    /// True when the Pool would let a liquidator in: health factor below 1.
    pub fn liquidatable(&self) -> bool {
        self.health_factor < HEALTH_FACTOR_LIQUIDATION_THRESHOLD
    }

    /// A base-currency amount (USD × 1e8) in USD, exact.
    pub fn base_to_usd(value: U256) -> BigRational {
        BigRational::new(u256_to_big(value).into(), pow10(BASE_CURRENCY_DECIMALS).into())
    }

    /// A basis-point figure as a fraction (8250 → 0.825).
    pub fn bps_to_fraction(value: U256) -> BigRational {
        BigRational::new(u256_to_big(value).into(), BPS_ONE.into())
    }

    /// The health factor as an exact number, `None` without debt.
    pub fn health_factor_exact(&self) -> Option<BigRational> {
        if self.total_debt_base.is_zero() {
            return None;
        }
        Some(BigRational::new(u256_to_big(self.health_factor).into(), u256_to_big(WAD).into()))
    }
}

/// One asset of the position as the Pool sees it.
struct ReserveView<'a> {
    asset: &'a Asset,
    /// Price in base currency units (USD × 1e8), e-mode price applied.
    price_base: U256,
    price: BigRational,
    /// Whether the price is the e-mode category's, which the asset's own
    /// price does not move.
    priced_by_emode: bool,
    unit: U256,
    /// LTV and threshold that apply, e-mode applied, in basis points.
    ltv: u32,
    liquidation_threshold: u32,
    /// The asset's own threshold: 0 means not collateral at all.
    own_liquidation_threshold: u32,
    /// Collateral and debt in the token's smallest unit, with the whole-token amounts.
    collateral: Option<(U256, BigRational)>,
    debt: Option<(U256, BigRational)>,
}

/// Checks the aave-v3 rules of a scenario (the common ones are already checked).
pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    s.reject_unused_fields()?;
    for (i, a) in s.assets.iter().enumerate() {
        let field = |name: &str| format!("assets[{i}].{name}");
        if let Some(d) = a.decimals {
            if d > MAX_TOKEN_DECIMALS {
                return Err(ScenarioError::new(
                    field("decimals"),
                    format!("is {d}; at most {MAX_TOKEN_DECIMALS} (10^decimals must fit a uint256)"),
                ));
            }
        }
        if let Some(price) = &a.price {
            check_price_decimals(field("price"), price)?;
        }
        check_risk_parameters(&field, a.ltv_bps, a.liquidation_threshold_bps, a.liquidation_bonus_bps)?;
        if let Some(c) = a.emode_category {
            if c > 255 {
                return Err(ScenarioError::new(
                    field("emode_category"),
                    format!("is {c}; e-mode categories are 0 to 255"),
                ));
            }
        }
    }
    if let Some(e) = &s.emode {
        if e.id == 0 || e.id > 255 {
            return Err(ScenarioError::new(
                "emode.id",
                format!("is {}; categories are 1 to 255 (leave emode out for none)", e.id),
            ));
        }
        let field = |name: &str| format!("emode.{name}");
        check_risk_parameters(
            &field,
            Some(e.ltv_bps),
            Some(e.liquidation_threshold_bps),
            Some(e.liquidation_bonus_bps),
        )?;
        if let Some(price) = &e.price {
            if price.is_zero() {
                return Err(ScenarioError::new("emode.price", "must be more than 0 (or null for none)"));
            }
            check_price_decimals("emode.price".into(), price)?;
        }
    }
    for (list, holdings, needs_risk) in [("collateral", &s.collateral, true), ("debt", &s.debt, false)] {
        for (i, h) in holdings.iter().enumerate() {
            let Some((ai, asset)) = s.asset(&h.asset) else {
                continue;
            };
            let missing = |name: &str| {
                ScenarioError::new(
                    format!("assets[{ai}].{name}"),
                    format!("is required for {} held as {list}", asset.symbol),
                )
            };
            let decimals = asset.decimals.ok_or_else(|| missing("decimals"))?;
            asset.price.as_ref().ok_or_else(|| missing("price"))?;
            if needs_risk {
                asset.ltv_bps.ok_or_else(|| missing("ltv_bps"))?;
                asset.liquidation_threshold_bps.ok_or_else(|| missing("liquidation_threshold_bps"))?;
            }
            if h.amount.to_scaled_integer(decimals).is_none() {
                return Err(ScenarioError::new(
                    format!("{list}[{i}].amount"),
                    format!(
                        "{:?} has {} decimals; {} has {decimals}",
                        h.amount.as_str(),
                        h.amount.scale(),
                        asset.symbol
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_price_decimals(field: String, price: &PlainDecimal) -> Result<(), ScenarioError> {
    if price.scale() > BASE_CURRENCY_DECIMALS {
        return Err(ScenarioError::new(
            field,
            format!(
                "{:?} has {} decimals; aave-v3 prices are in an {BASE_CURRENCY_DECIMALS}-decimal base currency",
                price.as_str(),
                price.scale()
            ),
        ));
    }
    Ok(())
}

/// The PoolConfigurator's rules for LTV, threshold and bonus.
fn check_risk_parameters(
    field: &dyn Fn(&str) -> String,
    ltv: Option<u32>,
    threshold: Option<u32>,
    bonus: Option<u32>,
) -> Result<(), ScenarioError> {
    if let Some(ltv) = ltv {
        check_bps(field("ltv_bps"), ltv, BPS_ONE)?;
    }
    if let Some(lt) = threshold {
        check_bps(field("liquidation_threshold_bps"), lt, BPS_ONE)?;
    }
    if let (Some(ltv), Some(lt)) = (ltv, threshold) {
        if ltv > lt {
            return Err(ScenarioError::new(
                field("ltv_bps"),
                format!("is {ltv}, above the liquidation threshold {lt}; the Pool requires LTV ≤ threshold"),
            ));
        }
    }
    if let Some(bonus) = bonus {
        if bonus != 0 && bonus < BPS_ONE {
            return Err(ScenarioError::new(
                field("liquidation_bonus_bps"),
                format!("is {bonus}; it includes the 100 %, e.g. 10500 for a 5 % bonus"),
            ));
        }
        if let Some(lt) = threshold {
            let seized = percent_mul(U256::from(lt), U256::from(bonus)).unwrap_or(U256::MAX);
            if lt != 0 && seized > PERCENTAGE_FACTOR {
                return Err(ScenarioError::new(
                    field("liquidation_bonus_bps"),
                    format!("{bonus} with threshold {lt} would seize more than the collateral (threshold × bonus must be ≤ 100 %)"),
                ));
            }
        }
    }
    Ok(())
}

/// Evaluates a validated aave-v3 scenario.
pub(crate) fn evaluate(s: &Scenario) -> Result<Report, ScenarioError> {
    let reserves = reserve_views(s)?;
    let account = account_data(&reserves)?;

    let mut collateral_value = BigRational::zero();
    let mut debt_value = BigRational::zero();
    let mut exposures = Vec::with_capacity(reserves.len());
    for r in &reserves {
        let counts_as_collateral = r.own_liquidation_threshold != 0;
        let collateral_amount = match (&r.collateral, counts_as_collateral) {
            (Some((_, amount)), true) => amount.clone(),
            _ => BigRational::zero(),
        };
        let debt_amount = r.debt.as_ref().map(|(_, a)| a.clone()).unwrap_or_else(BigRational::zero);
        collateral_value += &collateral_amount * &r.price;
        debt_value += &debt_amount * &r.price;
        exposures.push(PriceExposure {
            asset: r.asset.symbol.clone(),
            price: r.price.clone(),
            collateral_weight: collateral_amount * bps_ratio(r.liquidation_threshold),
            debt_weight: debt_amount,
            price_moves_health: !r.priced_by_emode,
        });
    }

    let health_factor = account.health_factor_exact();
    let liquidation_prices = if health_factor.is_some() {
        liquidation_prices(&exposures, &BigRational::zero(), &BigRational::zero())
    } else {
        Vec::new()
    };
    Ok(Report {
        health_factor: health_factor.as_ref().map(format_exact),
        health_factor_exact: health_factor,
        recovery_mode: None,
        collateral_value: format_exact(&collateral_value),
        debt_value: format_exact(&debt_value),
        liquidatable: account.liquidatable(),
        liquidation_prices,
        aave_v3: Some(account),
    })
}

fn bps_ratio(bps: u32) -> BigRational {
    BigRational::new(bps.into(), BPS_ONE.into())
}

/// The held assets, in the order `assets` lists them, as the Pool values them.
fn reserve_views(s: &Scenario) -> Result<Vec<ReserveView<'_>>, ScenarioError> {
    let user_category = s.emode.as_ref().map(|e| e.id).filter(|id| *id != 0);
    let mut views = Vec::new();
    for (ai, asset) in s.assets.iter().enumerate() {
        let collateral = s.collateral.iter().position(|h| h.asset == asset.symbol);
        let debt = s.debt.iter().position(|h| h.asset == asset.symbol);
        if collateral.is_none() && debt.is_none() {
            continue;
        }
        // validate() guarantees these for held assets.
        let (Some(decimals), Some(own_price)) = (asset.decimals, asset.price.as_ref()) else {
            return Err(ScenarioError::new(format!("assets[{ai}]"), "needs decimals and price"));
        };
        let in_category = user_category.is_some() && asset.emode_category == user_category;
        let emode = s.emode.as_ref().filter(|_| in_category);
        let emode_price = emode.and_then(|e| e.price.as_ref());
        let price = emode_price.unwrap_or(own_price);
        let price_base = to_u256(price.to_scaled_integer(BASE_CURRENCY_DECIMALS), || format!("assets[{ai}].price"))?;
        let own_ltv = asset.ltv_bps.unwrap_or(0);
        let own_lt = asset.liquidation_threshold_bps.unwrap_or(0);
        views.push(ReserveView {
            asset,
            price_base,
            price: price.to_rational(),
            priced_by_emode: emode_price.is_some(),
            unit: to_u256(Some(pow10(decimals)), || format!("assets[{ai}].decimals"))?,
            // Own LTV 0 stays 0 in e-mode: the Pool checks the asset's own LTV first.
            ltv: if own_ltv == 0 { 0 } else { emode.map_or(own_ltv, |e| e.ltv_bps) },
            liquidation_threshold: emode.map_or(own_lt, |e| e.liquidation_threshold_bps),
            own_liquidation_threshold: own_lt,
            collateral: holding_units(&s.collateral, "collateral", collateral, decimals)?,
            debt: holding_units(&s.debt, "debt", debt, decimals)?,
        });
    }
    Ok(views)
}

/// A holding's amount in the token's smallest unit, with the whole-token amount.
fn holding_units(
    holdings: &[Holding],
    list: &str,
    index: Option<usize>,
    decimals: u32,
) -> Result<Option<(U256, BigRational)>, ScenarioError> {
    let Some(i) = index else { return Ok(None) };
    let amount = &holdings[i].amount;
    let raw = to_u256(amount.to_scaled_integer(decimals), || format!("{list}[{i}].amount"))?;
    Ok(Some((raw, amount.to_rational())))
}

fn overflow(what: &str) -> ScenarioError {
    ScenarioError::new(
        "scenario",
        format!("{what} overflows the Pool's uint256 arithmetic; the Pool would revert on this position"),
    )
}

/// `GenericLogic.calculateUserAccountData` followed by
/// `calculateAvailableBorrows`, as `Pool.getUserAccountData` runs them.
fn account_data(reserves: &[ReserveView<'_>]) -> Result<AccountData, ScenarioError> {
    let mut total_collateral = U256::ZERO;
    let mut total_debt = U256::ZERO;
    let mut ltv_weighted = U256::ZERO;
    let mut threshold_weighted = U256::ZERO;
    for r in reserves {
        if let (Some((raw, _)), true) = (&r.collateral, r.own_liquidation_threshold != 0) {
            // Floored per asset: balance × price / 10^decimals.
            let value = raw.checked_mul(r.price_base).ok_or_else(|| overflow("collateral value"))? / r.unit;
            total_collateral = total_collateral.checked_add(value).ok_or_else(|| overflow("total collateral"))?;
            ltv_weighted = value
                .checked_mul(U256::from(r.ltv))
                .and_then(|w| ltv_weighted.checked_add(w))
                .ok_or_else(|| overflow("weighted LTV"))?;
            threshold_weighted = value
                .checked_mul(U256::from(r.liquidation_threshold))
                .and_then(|w| threshold_weighted.checked_add(w))
                .ok_or_else(|| overflow("weighted liquidation threshold"))?;
        }
        if let Some((raw, _)) = &r.debt {
            let value = raw.checked_mul(r.price_base).ok_or_else(|| overflow("debt value"))? / r.unit;
            total_debt = total_debt.checked_add(value).ok_or_else(|| overflow("total debt"))?;
        }
    }
    let (ltv, threshold) = if total_collateral.is_zero() {
        (U256::ZERO, U256::ZERO)
    } else {
        (ltv_weighted / total_collateral, threshold_weighted / total_collateral)
    };
    let health_factor = if total_debt.is_zero() {
        U256::MAX
    } else {
        let adjusted = percent_mul(total_collateral, threshold).ok_or_else(|| overflow("collateral × threshold"))?;
        wad_div(adjusted, total_debt).ok_or_else(|| overflow("health factor"))?
    };
    let borrowable = percent_mul(total_collateral, ltv).ok_or_else(|| overflow("collateral × LTV"))?;
    let available_borrows = borrowable.checked_sub(total_debt).unwrap_or(U256::ZERO);
    Ok(AccountData {
        total_collateral_base: total_collateral,
        total_debt_base: total_debt,
        ltv,
        current_liquidation_threshold: threshold,
        health_factor,
        available_borrows_base: available_borrows,
    })
}

fn to_u256(value: Option<BigUint>, field: impl Fn() -> String) -> Result<U256, ScenarioError> {
    let value = value.ok_or_else(|| ScenarioError::new(field(), "has more decimals than allowed"))?;
    U256::try_from_le_slice(&value.to_bytes_le())
        .ok_or_else(|| ScenarioError::new(field(), "is too large for a uint256 once scaled to the token's units"))
}

fn u256_to_big(v: U256) -> BigUint {
    BigUint::from_bytes_le(&v.to_le_bytes::<32>())
}

/// uint256 values as decimal strings, as JSON cannot hold them as numbers.
mod u256_decimal {
    use alloy_primitives::U256;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// Basis-point values as JSON integers (always below 2^16).
mod u256_json_integer {
    use alloy_primitives::U256;
    use serde::{Serialize, Serializer};
    pub fn serialize<S: Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        u64::try_from(*v).unwrap_or(u64::MAX).serialize(s)
    }
}
