//! The interest side of an Aave V3 position, for the planner and `ballast
//! project`: each reserve's rates (its strategy at its utilisation, or as
//! stated), a utilisation what-if, a strategy's borrow-rate curve, and the
//! health factor day by day from interest alone, prices held, with the first
//! day it falls under 1 ([`super::projection`]; V3.0's health factor).

use alloy_primitives::U256;
use num_bigint::BigInt;
use num_rational::BigRational;
use serde::Serialize;

use super::looping::health_factor_text;
use super::math::{HEALTH_FACTOR_LIQUIDATION_THRESHOLD, RAY};
use super::position::{u256_to_big, Position};
use super::projection::{project_health, HealthPoint};
use super::rates::{calculate_interest_rates, RateStrategy};
use crate::exact::{format_exact, pow10, PlainDecimal};
use crate::scenario::{Protocol, RateStrategyInput, Scenario, ScenarioError};

/// Days an outlook covers unless asked otherwise: one year.
pub const DEFAULT_DAYS: u32 = 365;

/// Longest outlook: ten years of daily steps.
pub const MAX_DAYS: u32 = 3650;

/// One reserve's yearly rates, exact decimals (fractions: `"0.05"` is 5 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReserveRateLine {
    pub asset: String,
    /// Total borrowed over total supplied, when both are given.
    pub utilisation: Option<String>,
    pub variable_borrow_rate: String,
    pub supply_rate: String,
}

/// The health factor over time from interest, and the rates behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterestOutlook {
    pub days: u32,
    /// The first day on which interest alone makes the position liquidatable
    /// (health factor under 1); `None` if not within `days`.
    pub days_until_liquidation: Option<u32>,
    /// The health factor on each day 0..=days, exact; `None` without debt.
    pub health_factors: Vec<Option<String>>,
    pub rates: Vec<ReserveRateLine>,
    #[serde(skip)]
    pub points: Vec<HealthPoint>,
}

impl InterestOutlook {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| unreachable!("an outlook always serializes: {e}"))
    }
}

fn ray_text(v: U256) -> String {
    format_exact(&BigRational::new(u256_to_big(v).into(), u256_to_big(RAY).into()))
}

fn not_aave(s: &Scenario) -> ScenarioError {
    ScenarioError::new("protocol", format!("interest projections are for Aave V3 positions, not {}", s.protocol))
}

/// The position's health factor each day for `days` days from interest at
/// its reserves' rates, and the day it first falls under 1.
pub fn interest_outlook(s: &Scenario, days: u32) -> Result<InterestOutlook, ScenarioError> {
    if !matches!(s.protocol, Protocol::Aave(_)) {
        return Err(not_aave(s));
    }
    if days > MAX_DAYS {
        return Err(ScenarioError::new("days", format!("{days} is more than {MAX_DAYS} (ten years)")));
    }
    let position = Position::from_scenario(s)?;
    let points = project_health(&position, days)?;
    let days_until_liquidation =
        points.iter().find(|p| p.health_factor < HEALTH_FACTOR_LIQUIDATION_THRESHOLD).map(|p| p.day);
    let health_factors = points.iter().map(|p| health_factor_text(p.health_factor)).collect();
    let rates = position
        .reserves
        .iter()
        .map(|r| ReserveRateLine {
            asset: r.symbol.clone(),
            utilisation: utilisation(r.total_supplied, r.total_borrowed).map(|u| format_exact(&u)),
            variable_borrow_rate: ray_text(r.variable_borrow_rate),
            supply_rate: ray_text(r.supply_rate),
        })
        .collect();
    Ok(InterestOutlook { days, days_until_liquidation, health_factors, rates, points })
}

/// Borrowed over supplied, exact; `None` without both or with nothing supplied.
fn utilisation(supplied: Option<U256>, borrowed: Option<U256>) -> Option<BigRational> {
    let (supplied, borrowed) = (supplied?, borrowed?);
    (!supplied.is_zero()).then(|| BigRational::new(u256_to_big(borrowed).into(), u256_to_big(supplied).into()))
}

/// `asset`'s utilisation in `s` (total borrowed over total supplied).
pub fn current_utilisation(s: &Scenario, asset: &str) -> Option<BigRational> {
    let (_, a) = s.asset(asset)?;
    let supplied = a.total_supplied.as_ref()?.to_rational();
    let borrowed = a.total_borrowed.as_ref()?.to_rational();
    (supplied != BigRational::from_integer(0.into())).then(|| borrowed / supplied)
}

/// `s` with `asset`'s total borrowed set so its utilisation is `utilisation`
/// (a fraction; the total rounded down to the token's decimals). With the
/// reserve's rate strategy the engine then gives the rates at that
/// utilisation. Refused when the reserve's totals are not given, when the
/// fraction is over 1, or when the total would be less than this position's
/// own debt, which is part of it.
pub fn with_utilisation(s: &Scenario, asset: &str, utilisation: &PlainDecimal) -> Result<Scenario, ScenarioError> {
    if !matches!(s.protocol, Protocol::Aave(_)) {
        return Err(not_aave(s));
    }
    let (i, a) = s.asset(asset).ok_or_else(|| ScenarioError::new("asset", format!("{asset} is not listed")))?;
    let field = |name: &str| format!("assets[{i}].{name}");
    let supplied = a
        .total_supplied
        .as_ref()
        .ok_or_else(|| ScenarioError::new(field("total_supplied"), "is needed for a utilisation what-if"))?;
    let u = utilisation.to_rational();
    if u > BigRational::from_integer(1.into()) {
        return Err(ScenarioError::new("utilisation", format!("{utilisation} is more than 1 (100 %)")));
    }
    let decimals = a.decimals.ok_or_else(|| ScenarioError::new(field("decimals"), "is needed"))?;
    let unit = BigInt::from(pow10(decimals));
    let raw = (supplied.to_rational() * u * BigRational::from_integer(unit.clone())).floor();
    let borrowed = raw / BigRational::from_integer(unit);
    let own_debt = s.debt.iter().find(|h| h.asset == asset).map(|h| h.amount.to_rational());
    if own_debt.is_some_and(|d| d > borrowed) {
        return Err(ScenarioError::new(
            "utilisation",
            format!("{utilisation} of {asset}'s supply is less than this position's own {asset} debt"),
        ));
    }
    let text = format_exact(&borrowed);
    let mut next = s.clone();
    next.assets[i].total_borrowed = Some(
        PlainDecimal::parse(&text)
            .map_err(|e| ScenarioError::new(field("total_borrowed"), format!("{text:?}: {e}")))?,
    );
    next.validate()?;
    Ok(next)
}

/// A strategy in the Pool's rays, or the field that does not fit one.
fn strategy_rays(strategy: &RateStrategyInput) -> Option<RateStrategy> {
    let ray = |d: &PlainDecimal| U256::try_from_le_slice(&d.to_scaled_integer(27)?.to_bytes_le());
    Some(RateStrategy {
        optimal_usage_ratio: ray(&strategy.optimal_usage_ratio)?,
        base_variable_borrow_rate: ray(&strategy.base_variable_borrow_rate)?,
        variable_rate_slope1: ray(&strategy.variable_rate_slope1)?,
        variable_rate_slope2: ray(&strategy.variable_rate_slope2)?,
    })
}

/// The strategy's variable borrow rate at utilisation 0, 1/`steps`, … 1
/// (each exact, as the contract computes it); empty when the strategy is
/// out of the contract's range.
pub fn borrow_rate_curve(strategy: &RateStrategyInput, steps: u32) -> Vec<(BigRational, BigRational)> {
    let Some(rays) = strategy_rays(strategy) else { return Vec::new() };
    let steps = steps.max(1);
    (0..=steps)
        .map_while(|i| {
            let (debt, available) = (U256::from(i), U256::from(steps - i));
            let rates = calculate_interest_rates(&rays, available, debt, 0)?;
            let u = BigRational::new(i.into(), steps.into());
            let rate = BigRational::new(u256_to_big(rates.variable_borrow_rate).into(), u256_to_big(RAY).into());
            Some((u, rate))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weth_usdc() -> Scenario {
        Scenario::parse(
            r#"{"schema":"ballast.scenario/1","protocol":"aave-v3",
            "assets":[
              {"symbol":"WETH","decimals":18,"price":"2000","ltv_bps":8000,"liquidation_threshold_bps":8250,"liquidation_bonus_bps":10500},
              {"symbol":"USDC","decimals":6,"price":"1","ltv_bps":7700,"liquidation_threshold_bps":8000,"liquidation_bonus_bps":10450,
               "total_supplied":"1000000","total_borrowed":"500000","reserve_factor_bps":1000,
               "rate_strategy":{"optimal_usage_ratio":"0.8","base_variable_borrow_rate":"0","variable_rate_slope1":"0.04","variable_rate_slope2":"0.75"}}],
            "collateral":[{"asset":"WETH","amount":"10"}],"debt":[{"asset":"USDC","amount":"16000"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_outlook_gives_the_strategys_rates_and_the_day_interest_liquidates() {
        let o = interest_outlook(&weth_usdc(), 365).unwrap();
        // 50 % used: 4 % × 0.5 / 0.8 = 2.5 %; suppliers 2.5 % × 0.5 × 90 % = 1.125 %.
        let usdc = &o.rates[1];
        assert_eq!(usdc.utilisation.as_deref(), Some("0.5"));
        assert_eq!((usdc.variable_borrow_rate.as_str(), usdc.supply_rate.as_str()), ("0.025", "0.01125"));
        assert_eq!(o.health_factors[0].as_deref(), Some("1.03125"));
        assert_eq!(o.health_factors.len(), 366);
        // HF 1.03125 at 2.5 % a year: ln(1.03125)/0.025 ≈ 1.23 years, so not within one.
        assert_eq!(o.days_until_liquidation, None);
        // At 95 % used: 4 % + 75 % × 0.15 / 0.2 = 60.25 %: ln(1.03125)/0.6025 ≈ 18.6 days.
        let hot = with_utilisation(&weth_usdc(), "USDC", &PlainDecimal::parse("0.95").unwrap()).unwrap();
        assert_eq!(hot.assets[1].total_borrowed.as_ref().map(PlainDecimal::as_str), Some("950000"));
        let o = interest_outlook(&hot, 365).unwrap();
        assert_eq!(o.rates[1].variable_borrow_rate, "0.6025");
        assert_eq!(o.days_until_liquidation, Some(19));
        assert!(o.to_json().contains(r#""days_until_liquidation":19"#));
    }

    #[test]
    fn a_utilisation_what_if_is_checked() {
        let s = weth_usdc();
        let u = |t: &str| PlainDecimal::parse(t).unwrap();
        assert_eq!(
            with_utilisation(&s, "USDC", &u("1.5")).unwrap_err().to_string(),
            "utilisation: 1.5 is more than 1 (100 %)"
        );
        assert_eq!(
            with_utilisation(&s, "USDC", &u("0.01")).unwrap_err().to_string(),
            "utilisation: 0.01 of USDC's supply is less than this position's own USDC debt"
        );
        assert_eq!(
            with_utilisation(&s, "WETH", &u("0.5")).unwrap_err().to_string(),
            "assets[0].total_supplied: is needed for a utilisation what-if"
        );
        // Rounded down to the token's 6 decimals.
        let s = with_utilisation(&s, "USDC", &u("0.1234567891")).unwrap();
        assert_eq!(s.assets[1].total_borrowed.as_ref().map(PlainDecimal::as_str), Some("123456.7891"));
        assert_eq!(
            current_utilisation(&s, "USDC"),
            Some(BigRational::new(1_234_567_891.into(), 10_000_000_000u64.into()))
        );
    }

    #[test]
    fn the_curve_bends_at_the_optimal_usage() {
        let s = weth_usdc();
        let curve = borrow_rate_curve(s.assets[1].rate_strategy.as_ref().unwrap(), 20);
        assert_eq!(curve.len(), 21);
        let at = |i: usize| format_exact(&curve[i].1);
        // 0 % → 0; 80 % (step 16) → slope1 4 %; 90 % → 4 % + 37.5 %; 100 % → 79 %.
        assert_eq!((at(0), at(16), at(18), at(20)), ("0".into(), "0.04".into(), "0.415".into(), "0.79".into()));
    }
}
