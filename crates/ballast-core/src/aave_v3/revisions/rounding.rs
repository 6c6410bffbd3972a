//! The explicitly rounded helpers later revisions use beside `math.rs`'s
//! half-up ones. `None` wherever the Solidity reverts (zero divisor, overflow).

use alloy_primitives::U256;

use crate::aave_v3::math::PERCENTAGE_FACTOR;

/// `a × b / c` rounded down: the plain `(a * b) / c` of the contracts.
pub(crate) fn mul_div_floor(a: U256, b: U256, c: U256) -> Option<U256> {
    a.checked_mul(b)?.checked_div(c)
}

/// `MathUtils.mulDivCeil` (aave-v3-origin `src/contracts/protocol/libraries/math/MathUtils.sol`
/// @ 13fc64a, 3.5 line): `a × b / c` rounded up; reverts on `c = 0` and on overflow.
pub(crate) fn mul_div_ceil(a: U256, b: U256, c: U256) -> Option<U256> {
    let product = a.checked_mul(b)?;
    let (quotient, remainder) = product.checked_div(c).zip(product.checked_rem(c))?;
    Some(if remainder.is_zero() { quotient } else { quotient + U256::from(1) })
}

/// `PercentageMath.percentMulFloor` (3.5): `value × percentage / 10_000` rounded down,
/// the change StErMi's v3.5 report I-16 asked for in `calculateAvailableBorrows`.
pub(crate) fn percent_mul_floor(value: U256, percentage: U256) -> Option<U256> {
    mul_div_floor(value, percentage, PERCENTAGE_FACTOR)
}

/// `PercentageMath.percentDivCeil` (aave-v3-origin `PercentageMath.sol` @ 0d9c8d2):
/// `value × 10_000 / percentage` rounded up; reverts on a zero percentage.
pub(crate) fn percent_div_ceil(value: U256, percentage: U256) -> Option<U256> {
    mul_div_ceil(value, PERCENTAGE_FACTOR, percentage)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(n: u128) -> U256 {
        U256::from(n)
    }

    #[test]
    fn ceil_and_floor_part_only_on_a_remainder() {
        assert_eq!(mul_div_ceil(u(7), u(3), u(2)), Some(u(11)));
        assert_eq!(mul_div_floor(u(7), u(3), u(2)), Some(u(10)));
        assert_eq!(mul_div_ceil(u(6), u(3), u(2)), Some(u(9)));
        assert_eq!(mul_div_ceil(u(1), u(1), U256::ZERO), None);
        assert_eq!(mul_div_ceil(U256::MAX, u(2), u(3)), None);
    }

    #[test]
    fn percentages_round_the_named_way() {
        // 100000001 × 50 % = 50000000.5: floor 50000000 where percentMul gives 50000001.
        assert_eq!(percent_mul_floor(u(100_000_001), u(5000)), Some(u(50_000_000)));
        // 20 / 105 % = 19.047…: up to 20 where percentDiv gives 19.
        assert_eq!(percent_div_ceil(u(20), u(10_500)), Some(u(20)));
        assert_eq!(percent_div_ceil(u(21), u(10_500)), Some(u(20)));
        assert_eq!(percent_div_ceil(u(1), U256::ZERO), None);
    }
}
