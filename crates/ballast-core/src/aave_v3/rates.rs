//! Aave V3.0's `DefaultReserveInterestRateStrategy.calculateInterestRates`
//! for variable debt: borrow and supply rates from utilisation, in rays.
//! (Stable debt is left out: it is disabled on every live V3 market.)

use alloy_primitives::U256;

use super::math::{percent_mul, ray_div, ray_mul, wad_to_ray, PERCENTAGE_FACTOR, RAY};

/// A reserve's rate strategy; every field is a ray (1e27 = 100 % a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateStrategy {
    /// The utilisation where the steep slope starts.
    pub optimal_usage_ratio: U256,
    pub base_variable_borrow_rate: U256,
    /// Rate added between 0 and optimal utilisation.
    pub variable_rate_slope1: U256,
    /// Rate added between optimal and full utilisation.
    pub variable_rate_slope2: U256,
}

/// What the strategy returns for one state of the reserve, rays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReserveRates {
    pub borrow_usage_ratio: U256,
    pub variable_borrow_rate: U256,
    /// What suppliers earn: the borrow rate × utilisation × (1 − reserve factor).
    pub liquidity_rate: U256,
}

/// The rates for `available_liquidity` and `total_variable_debt` (both in the
/// token's smallest unit, after the action being priced). `None` only where
/// the contract would revert on overflow, or for an optimal ratio of 0 or 1.
pub fn calculate_interest_rates(
    strategy: &RateStrategy,
    available_liquidity: U256,
    total_variable_debt: U256,
    reserve_factor_bps: u32,
) -> Option<ReserveRates> {
    if strategy.optimal_usage_ratio > RAY {
        return None;
    }
    let max_excess_usage_ratio = RAY - strategy.optimal_usage_ratio;
    let mut usage = U256::ZERO;
    if !total_variable_debt.is_zero() {
        usage = ray_div(total_variable_debt, available_liquidity.checked_add(total_variable_debt)?)?;
    }
    let mut variable_rate = strategy.base_variable_borrow_rate;
    if usage > strategy.optimal_usage_ratio {
        let excess = ray_div(usage - strategy.optimal_usage_ratio, max_excess_usage_ratio)?;
        variable_rate = variable_rate
            .checked_add(strategy.variable_rate_slope1)?
            .checked_add(ray_mul(strategy.variable_rate_slope2, excess)?)?;
    } else {
        let ramp = ray_div(ray_mul(strategy.variable_rate_slope1, usage)?, strategy.optimal_usage_ratio)?;
        variable_rate = variable_rate.checked_add(ramp)?;
    }
    // _getOverallBorrowRate with no stable debt: variable debt × rate / debt.
    let overall = if total_variable_debt.is_zero() {
        U256::ZERO
    } else {
        let debt_ray = wad_to_ray(total_variable_debt)?;
        ray_div(ray_mul(debt_ray, variable_rate)?, debt_ray)?
    };
    let keep = PERCENTAGE_FACTOR.checked_sub(U256::from(reserve_factor_bps))?;
    let liquidity_rate = percent_mul(ray_mul(overall, usage)?, keep)?;
    Some(ReserveRates { borrow_usage_ratio: usage, variable_borrow_rate: variable_rate, liquidity_rate })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n / 1000` as a ray.
    fn ray_permille(n: u64) -> U256 {
        RAY * U256::from(n) / U256::from(1000)
    }

    fn strategy() -> RateStrategy {
        // Optimal 80 %, base 0, slopes 4 % and 75 %: a common stablecoin curve.
        RateStrategy {
            optimal_usage_ratio: ray_permille(800),
            base_variable_borrow_rate: U256::ZERO,
            variable_rate_slope1: ray_permille(40),
            variable_rate_slope2: ray_permille(750),
        }
    }

    #[test]
    fn below_optimal_the_rate_ramps_along_slope1() {
        // 50 % used: 4 % × 0.5 / 0.8 = 2.5 %; suppliers get 2.5 % × 0.5 × 90 % = 1.125 %.
        let r = calculate_interest_rates(&strategy(), U256::from(500u64), U256::from(500u64), 1000).unwrap();
        assert_eq!(r.borrow_usage_ratio, ray_permille(500));
        assert_eq!(r.variable_borrow_rate, ray_permille(25));
        assert_eq!(r.liquidity_rate, RAY * U256::from(1125) / U256::from(100_000));
    }

    #[test]
    fn above_optimal_slope2_takes_over() {
        // 90 % used: 4 % + 75 % × (0.9 − 0.8) / 0.2 = 41.5 %.
        let r = calculate_interest_rates(&strategy(), U256::from(100u64), U256::from(900u64), 0).unwrap();
        assert_eq!(r.variable_borrow_rate, ray_permille(415));
        // Without a reserve factor suppliers get 41.5 % × 90 % = 37.35 %.
        assert_eq!(r.liquidity_rate, RAY * U256::from(3735) / U256::from(10_000));
    }

    #[test]
    fn an_optimal_ratio_of_100_percent_never_reaches_slope2() {
        // The constructor accepts RAY (MAX_EXCESS_USAGE_RATIO is then 0, never divided by):
        // fully used, the rate is base + slope1, the whole of slope1 and none of slope2.
        let mut s = strategy();
        s.optimal_usage_ratio = RAY;
        let r = calculate_interest_rates(&s, U256::ZERO, U256::from(1000u64), 0).unwrap();
        assert_eq!(r.borrow_usage_ratio, RAY);
        assert_eq!(r.variable_borrow_rate, ray_permille(40));
        s.optimal_usage_ratio = RAY + U256::from(1u8);
        assert_eq!(calculate_interest_rates(&s, U256::ZERO, U256::from(1000u64), 0), None);
    }

    #[test]
    fn an_optimal_ratio_of_zero_is_all_slope2_and_reverts_only_when_nothing_is_borrowed() {
        let mut s = strategy();
        s.optimal_usage_ratio = U256::ZERO;
        // 50 % used: 4 % + 75 % × 0.5 / 1 = 41.5 %.
        let r = calculate_interest_rates(&s, U256::from(500u64), U256::from(500u64), 0).unwrap();
        assert_eq!(r.variable_borrow_rate, ray_permille(415));
        // No debt: the contract's slope1 branch is rayDiv(0, 0), which reverts.
        assert_eq!(calculate_interest_rates(&s, U256::from(500u64), U256::ZERO, 0), None);
    }

    #[test]
    fn an_unused_reserve_pays_the_base_rate_and_nothing_to_suppliers() {
        let mut s = strategy();
        s.base_variable_borrow_rate = ray_permille(10);
        let r = calculate_interest_rates(&s, U256::from(1000u64), U256::ZERO, 1000).unwrap();
        assert_eq!(r.variable_borrow_rate, ray_permille(10));
        assert_eq!(r.liquidity_rate, U256::ZERO);
    }
}
