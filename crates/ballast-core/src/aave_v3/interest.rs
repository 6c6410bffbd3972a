//! Interest accrual between two timestamps, as Aave V3.0 does it:
//! `MathUtils.calculateLinearInterest` / `calculateCompoundedInterest` and
//! `ReserveLogic.getNormalizedIncome` / `getNormalizedDebt` of
//! `@aave/core-v3` 1.19.3, with the contracts' integer division order.
//!
//! Rates and indexes are rays (1e27 = 100 %, an index of 1e27 = 1.0);
//! timestamps are Unix seconds. Every function returns `None` where the
//! contract would revert (checked overflow, or a current timestamp before
//! the last update, which underflows `block.timestamp - lastUpdateTimestamp`).

use alloy_primitives::U256;

use super::math::{ray_mul, RAY};

/// `MathUtils.SECONDS_PER_YEAR`: 365 days, leap years ignored.
pub const SECONDS_PER_YEAR: u64 = 365 * 24 * 60 * 60;

const SECONDS_PER_YEAR_U256: U256 = U256::from_limbs([SECONDS_PER_YEAR, 0, 0, 0]);
const SECONDS_PER_YEAR_SQUARED: U256 = U256::from_limbs([SECONDS_PER_YEAR * SECONDS_PER_YEAR, 0, 0, 0]);

/// Seconds since the last update; `None` when the clock runs backwards,
/// where Solidity 0.8's checked subtraction reverts.
fn elapsed(last_update_timestamp: u64, current_timestamp: u64) -> Option<u64> {
    current_timestamp.checked_sub(last_update_timestamp)
}

/// `MathUtils.calculateLinearInterest`: the supply side's growth factor,
/// `RAY + rate × Δt / SECONDS_PER_YEAR` (a ray), the division flooring.
///
/// ```solidity
/// uint256 result = rate * (block.timestamp - uint256(lastUpdateTimestamp));
/// unchecked { result = result / SECONDS_PER_YEAR; }
/// return WadRayMath.RAY + result;
/// ```
pub fn linear_interest(rate: U256, last_update_timestamp: u64, current_timestamp: u64) -> Option<U256> {
    let dt = elapsed(last_update_timestamp, current_timestamp)?;
    let accrued = rate.checked_mul(U256::from(dt))? / SECONDS_PER_YEAR_U256;
    RAY.checked_add(accrued)
}

/// `MathUtils.calculateCompoundedInterest`: the borrow side's growth factor,
/// `(1 + rate/SECONDS_PER_YEAR)^Δt` approximated by the first three terms of
/// the binomial expansion. The contract divides the powers of the rate by
/// `SECONDS_PER_YEAR` only after `rayMul`, and floors each step, so the
/// third term is coarse (a 5 % rate gives `basePowerThree` = 3 ray units):
/// this is the Pool's number, not the ideal binomial.
///
/// ```solidity
/// uint256 exp = currentTimestamp - uint256(lastUpdateTimestamp);
/// if (exp == 0) return WadRayMath.RAY;
/// expMinusOne = exp - 1;
/// expMinusTwo = exp > 2 ? exp - 2 : 0;
/// basePowerTwo = rate.rayMul(rate) / (SECONDS_PER_YEAR * SECONDS_PER_YEAR);
/// basePowerThree = basePowerTwo.rayMul(rate) / SECONDS_PER_YEAR;
/// uint256 secondTerm = exp * expMinusOne * basePowerTwo;   secondTerm /= 2;
/// uint256 thirdTerm = exp * expMinusOne * expMinusTwo * basePowerThree;   thirdTerm /= 6;
/// return WadRayMath.RAY + (rate * exp) / SECONDS_PER_YEAR + secondTerm + thirdTerm;
/// ```
pub fn compounded_interest(rate: U256, last_update_timestamp: u64, current_timestamp: u64) -> Option<U256> {
    let dt = elapsed(last_update_timestamp, current_timestamp)?;
    if dt == 0 {
        return Some(RAY);
    }
    let exp = U256::from(dt);
    // dt < 2^64, so dt·(dt−1) fits a u128 and dt·(dt−1)·(dt−2) a uint256:
    // only the products with the rate powers can overflow.
    let exp_times_exp_minus_one = U256::from(u128::from(dt) * u128::from(dt - 1));
    let exp_minus_two = U256::from(dt.saturating_sub(2));

    let base_power_two = ray_mul(rate, rate)? / SECONDS_PER_YEAR_SQUARED;
    let base_power_three = ray_mul(base_power_two, rate)? / SECONDS_PER_YEAR_U256;

    let second_term = exp_times_exp_minus_one.checked_mul(base_power_two)? >> 1;
    let third_term = (exp_times_exp_minus_one * exp_minus_two).checked_mul(base_power_three)? / U256::from(6);
    let first_term = rate.checked_mul(exp)? / SECONDS_PER_YEAR_U256;

    RAY.checked_add(first_term)?.checked_add(second_term)?.checked_add(third_term)
}

/// `ReserveLogic.getNormalizedIncome`: the liquidity index brought forward
/// to `current_timestamp`, what a scaled aToken balance is multiplied by.
///
/// ```solidity
/// if (timestamp == block.timestamp) return reserve.liquidityIndex;
/// return MathUtils.calculateLinearInterest(reserve.currentLiquidityRate, timestamp)
///   .rayMul(reserve.liquidityIndex);
/// ```
pub fn normalized_income(
    liquidity_rate: U256,
    liquidity_index: U256,
    last_update_timestamp: u64,
    current_timestamp: u64,
) -> Option<U256> {
    if last_update_timestamp == current_timestamp {
        return Some(liquidity_index);
    }
    ray_mul(linear_interest(liquidity_rate, last_update_timestamp, current_timestamp)?, liquidity_index)
}

/// `ReserveLogic.getNormalizedDebt`: the variable borrow index brought
/// forward to `current_timestamp`, what a scaled variable debt is multiplied by.
///
/// ```solidity
/// if (timestamp == block.timestamp) return reserve.variableBorrowIndex;
/// return MathUtils.calculateCompoundedInterest(reserve.currentVariableBorrowRate, timestamp)
///   .rayMul(reserve.variableBorrowIndex);
/// ```
pub fn normalized_debt(
    variable_borrow_rate: U256,
    variable_borrow_index: U256,
    last_update_timestamp: u64,
    current_timestamp: u64,
) -> Option<U256> {
    if last_update_timestamp == current_timestamp {
        return Some(variable_borrow_index);
    }
    ray_mul(compounded_interest(variable_borrow_rate, last_update_timestamp, current_timestamp)?, variable_borrow_index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400;
    const T0: u64 = 1_700_000_000;

    /// A rate in percent per year, as a ray.
    fn percent(p: u64) -> U256 {
        RAY / U256::from(100) * U256::from(p)
    }

    fn ray(digits: &str) -> U256 {
        digits.parse().expect("test constant")
    }

    #[test]
    fn a_year_at_five_percent_linear_is_exactly_one_point_zero_five() {
        assert_eq!(linear_interest(percent(5), T0, T0 + SECONDS_PER_YEAR), Some(ray("1050000000000000000000000000")));
    }

    #[test]
    fn a_year_at_five_percent_compounded_is_the_pools_truncated_binomial() {
        // n = 31 536 000 s, x = 0.05. The ideal three terms,
        // 1 + x + x²/2·(1−1/n) + x³/6·(1−1/n)(1−2/n), give 1.05127083329….
        // The Pool floors basePowerTwo = ⌊0.0025e27 / n²⌋ = 2 513 777 269 and
        // basePowerThree = ⌊rayMul(2 513 777 269, 5e25) / n⌋ = ⌊3.98⌋ = 3, so:
        //   first  = 5e25·n / n                        = 50 000 000 000 000 000 000 000 000
        //   second = n(n−1)·2 513 777 269 / 2          =  1 249 999 960 296 101 334 408 000
        //   third  = n(n−1)(n−2)·3 / 6                 =     15 681 578 767 549 087 536 000
        assert_eq!(
            compounded_interest(percent(5), T0, T0 + SECONDS_PER_YEAR),
            Some(ray("1051265681539063650421944000"))
        );
    }

    #[test]
    fn compounding_a_day_and_single_seconds() {
        // One day at 10 %: 1 + 0.1/365 plus 3.753e-8 and 3.3e-12 of compounding.
        assert_eq!(compounded_interest(percent(10), T0, T0 + DAY), Some(ray("1000274010136131111741806860")));
        assert_eq!(linear_interest(percent(10), T0, T0 + DAY), Some(ray("1000273972602739726027397260")));
        // One second has no second or third term (exp − 1 = 0); two seconds no third.
        assert_eq!(compounded_interest(percent(10), T0, T0 + 1), Some(ray("1000000003170979198376458650")));
        assert_eq!(compounded_interest(percent(10), T0, T0 + 2), Some(ray("1000000006341958406808026376")));
    }

    #[test]
    fn no_time_or_no_rate_accrues_nothing() {
        assert_eq!(compounded_interest(percent(10), T0, T0), Some(RAY));
        assert_eq!(linear_interest(percent(10), T0, T0), Some(RAY));
        assert_eq!(compounded_interest(U256::ZERO, T0, T0 + DAY), Some(RAY));
    }

    #[test]
    fn normalized_income_and_debt_bring_the_index_forward() {
        // Index 1.1, 4 % supply rate, one day: 1.1 × (1 + 0.04/365) = 1.10012054794520547945….
        assert_eq!(
            normalized_income(percent(4), ray("1100000000000000000000000000"), T0, T0 + DAY),
            Some(ray("1100120547945205479452054794"))
        );
        // Index 1.05 × the day's 10 % compounding 1.000274010136…, rayMul rounding half up.
        assert_eq!(
            normalized_debt(percent(10), ray("1050000000000000000000000000"), T0, T0 + DAY),
            Some(ray("1050287710642937667328897203"))
        );
    }

    #[test]
    fn same_second_returns_the_stored_index_untouched() {
        // Even an index the interest path would overflow on comes back as stored.
        let huge = U256::MAX;
        assert_eq!(normalized_income(percent(4), huge, T0, T0), Some(huge));
        assert_eq!(normalized_debt(percent(4), huge, T0, T0), Some(huge));
        assert_eq!(normalized_debt(percent(4), huge, T0, T0 + 1), None);
    }

    #[test]
    fn a_clock_before_the_last_update_reverts() {
        assert_eq!(linear_interest(percent(5), T0, T0 - 1), None);
        assert_eq!(compounded_interest(percent(5), T0, T0 - 1), None);
        assert_eq!(normalized_income(percent(5), RAY, T0, T0 - 1), None);
    }

    #[test]
    fn overflowing_rates_revert_like_the_contract() {
        // rate·rate overflows in rayMul.
        assert_eq!(compounded_interest(U256::MAX >> 1, T0, T0 + 10), None);
        // rate·Δt overflows.
        assert_eq!(linear_interest(U256::MAX, T0, T0 + 2), None);
    }
}
