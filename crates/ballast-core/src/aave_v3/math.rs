//! Aave's `WadRayMath` and `PercentageMath` on uint256, as the contracts do
//! them: half-up rounding, and `None` where Solidity would revert on overflow.

use alloy_primitives::U256;

/// 1e18.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// 1e27.
pub const RAY: U256 = U256::from_limbs([0x9fd0803ce8000000, 0x33b2e3c, 0, 0]);
/// 100 % in basis points.
pub const PERCENTAGE_FACTOR: U256 = U256::from_limbs([10_000, 0, 0, 0]);
/// The health factor under which a position can be liquidated: 1 as a wad.
pub const HEALTH_FACTOR_LIQUIDATION_THRESHOLD: U256 = WAD;

/// `value × percentage / 10_000`, rounded half up (PercentageMath.percentMul).
pub fn percent_mul(value: U256, percentage: U256) -> Option<U256> {
    let half = PERCENTAGE_FACTOR >> 1;
    value.checked_mul(percentage)?.checked_add(half).map(|n| n / PERCENTAGE_FACTOR)
}

/// `value × 10_000 / percentage`, rounded half up (PercentageMath.percentDiv);
/// `None` for a zero percentage or overflow, where the contract reverts.
pub fn percent_div(value: U256, percentage: U256) -> Option<U256> {
    if percentage.is_zero() {
        return None;
    }
    value.checked_mul(PERCENTAGE_FACTOR)?.checked_add(percentage >> 1).map(|n| n / percentage)
}

/// `a × 1e18 / b`, rounded half up (WadRayMath.wadDiv); `None` when `b` is 0
/// or the product overflows, where the contract reverts.
pub fn wad_div(a: U256, b: U256) -> Option<U256> {
    if b.is_zero() {
        return None;
    }
    a.checked_mul(WAD)?.checked_add(b >> 1).map(|n| n / b)
}

/// `a × b / 1e27`, rounded half up (WadRayMath.rayMul).
pub fn ray_mul(a: U256, b: U256) -> Option<U256> {
    let half = RAY >> 1;
    a.checked_mul(b)?.checked_add(half).map(|n| n / RAY)
}

/// 1e9: a wad is a ray over this (WadRayMath.WAD_RAY_RATIO).
pub const WAD_RAY_RATIO: U256 = U256::from_limbs([1_000_000_000, 0, 0, 0]);

/// `a × 1e27 / b`, rounded half up (WadRayMath.rayDiv); `None` when `b` is 0
/// or the product overflows, where the contract reverts.
pub fn ray_div(a: U256, b: U256) -> Option<U256> {
    if b.is_zero() {
        return None;
    }
    a.checked_mul(RAY)?.checked_add(b >> 1).map(|n| n / b)
}

/// A wad as a ray (WadRayMath.wadToRay): exact, `None` on overflow.
pub fn wad_to_ray(a: U256) -> Option<U256> {
    a.checked_mul(WAD_RAY_RATIO)
}

/// A ray as a wad, rounded half up (WadRayMath.rayToWad). Never reverts:
/// 1.19.3 rounds with the remainder instead of adding half first.
pub fn ray_to_wad(a: U256) -> U256 {
    let (wad, remainder) = a.div_rem(WAD_RAY_RATIO);
    if remainder >= WAD_RAY_RATIO >> 1 {
        wad + U256::from(1)
    } else {
        wad
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(n: u128) -> U256 {
        U256::from(n)
    }

    #[test]
    fn constants_are_the_contracts() {
        assert_eq!(WAD.to_string(), "1000000000000000000");
        assert_eq!(RAY.to_string(), "1000000000000000000000000000");
    }

    #[test]
    fn percent_mul_rounds_half_up() {
        // 3 × 50.00 % = 1.5 → 2; 1 × 49.99 % = 0.4999 → 0.
        assert_eq!(percent_mul(u(3), u(5000)), Some(u(2)));
        assert_eq!(percent_mul(u(1), u(4999)), Some(u(0)));
        assert_eq!(percent_mul(u(2_000_000_000_000), u(8250)), Some(u(1_650_000_000_000)));
        assert_eq!(percent_mul(U256::MAX, u(2)), None);
    }

    #[test]
    fn wad_div_rounds_half_up_and_refuses_zero() {
        assert_eq!(wad_div(u(1), u(3)), Some(u(333_333_333_333_333_333)));
        assert_eq!(wad_div(u(2), u(3)), Some(u(666_666_666_666_666_667)));
        assert_eq!(wad_div(u(1), u(0)), None);
    }

    #[test]
    fn ray_mul_rounds_half_up() {
        // 1.5 ray × 1 wei = 1.5 wei → 2.
        let one_and_half = RAY + (RAY >> 1);
        assert_eq!(ray_mul(one_and_half, u(1)), Some(u(2)));
        assert_eq!(ray_mul(RAY, u(12345)), Some(u(12345)));
    }
}

#[cfg(test)]
mod conversion_tests {
    use super::*;

    fn u(n: u128) -> U256 {
        U256::from(n)
    }

    #[test]
    fn ray_div_rounds_half_up_and_refuses_zero() {
        // 1 / 3 as a ray: 0.333… → …333; 2 / 3 → …667.
        assert_eq!(ray_div(u(1), u(3)), Some(u(333_333_333_333_333_333_333_333_333)));
        assert_eq!(ray_div(u(2), u(3)), Some(u(666_666_666_666_666_666_666_666_667)));
        assert_eq!(ray_div(RAY, RAY), Some(RAY));
        assert_eq!(ray_div(u(1), U256::ZERO), None);
        assert_eq!(ray_div(U256::MAX, u(1)), None);
    }

    #[test]
    fn wad_ray_conversions_round_half_up_at_the_ninth_digit() {
        assert_eq!(wad_to_ray(WAD), Some(RAY));
        assert_eq!(wad_to_ray(U256::MAX), None);
        // 1.4999999999 wad-units of ray → 1; exactly 1.5 → 2 (remainder ≥ half).
        assert_eq!(ray_to_wad(u(1_499_999_999)), u(1));
        assert_eq!(ray_to_wad(u(1_500_000_000)), u(2));
        assert_eq!(ray_to_wad(u(499_999_999)), u(0));
        // Near the top it rounds up without overflowing: the Solidity divides
        // before it adds. MAX ends in …129639935, so MAX − 2e8 ends in …929639935.
        assert_eq!(ray_to_wad(U256::MAX - u(200_000_000)), U256::MAX / WAD_RAY_RATIO);
    }
}
