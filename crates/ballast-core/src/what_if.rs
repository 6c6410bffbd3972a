//! Helpers for interactive what-ifs: turning a slider's move into a price the
//! protocol accepts, rounded toward danger so a what-if never looks safer
//! than the move the user asked for.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use crate::aave_v3::position::Position;
use crate::aave_v3::BASE_CURRENCY_DECIMALS;
use crate::exact::{format_exact, pow10, PlainDecimal};
use crate::scenario::{Protocol, Scenario, ScenarioError};

/// Decimals a maker or liquity-v1 what-if price keeps (the OSM's wad).
pub const VAULT_PRICE_DECIMALS: u32 = 18;

/// Which way a price move hurts the position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Danger {
    /// Mostly collateral: a lower price is worse.
    Falling,
    /// Mostly debt: a higher price is worse.
    Rising,
    /// The price does not move the health factor.
    Neither,
}

/// How `asset`'s price moves the scenario's health.
pub fn danger_of(s: &Scenario, asset: &str) -> Result<Danger, ScenarioError> {
    match s.protocol {
        Protocol::Aave(_) => {
            let position = Position::from_scenario(s)?;
            let Some(e) = position.price_exposures().into_iter().find(|e| e.asset == asset && e.price_moves_health)
            else {
                return Ok(Danger::Neither);
            };
            let net = &e.collateral_weight - &e.debt_weight;
            Ok(if net.is_positive() {
                Danger::Falling
            } else if net.is_negative() {
                Danger::Rising
            } else {
                Danger::Neither
            })
        }
        Protocol::Maker | Protocol::LiquityV1 => {
            Ok(if s.collateral.iter().any(|h| h.asset == asset) { Danger::Falling } else { Danger::Neither })
        }
    }
}

/// `price × (1 + move_fraction)`, rounded to the decimals the protocol takes
/// (8 for Aave's base currency), toward danger; at least one unit, so a
/// price never reaches 0.
pub fn price_after_move(s: &Scenario, asset: &str, move_fraction: &BigRational) -> Result<PlainDecimal, ScenarioError> {
    let (i, a) = s.asset(asset).ok_or_else(|| ScenarioError::new("asset", format!("{asset:?} is not listed")))?;
    let price = a.price.as_ref().ok_or_else(|| ScenarioError::new(format!("assets[{i}].price"), "is not set"))?;
    let target = price.to_rational() * (BigRational::one() + move_fraction);
    let decimals = if s.protocol.is_aave() { BASE_CURRENCY_DECIMALS } else { VAULT_PRICE_DECIMALS };
    let scale = BigRational::from_integer(BigInt::from(pow10(decimals)));
    let scaled = &target * &scale;
    let units = match danger_of(s, asset)? {
        Danger::Rising => scaled.ceil(),
        Danger::Falling | Danger::Neither => scaled.floor(),
    };
    let units = if units.is_positive() { units } else { BigRational::one() };
    let rounded = units / scale;
    PlainDecimal::parse(&format_exact(&rounded))
        .map_err(|e| ScenarioError::new(format!("assets[{i}].price"), format!("the moved price {e}")))
}

/// The move of `price` from `original`, a fraction (−0.3 is 30 % down).
pub fn move_between(original: &BigRational, price: &BigRational) -> BigRational {
    if original.is_zero() {
        BigRational::zero()
    } else {
        (price - original) / original
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Scenario {
        Scenario::parse(include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json")).unwrap()
    }

    fn frac(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn collateral_prices_round_down_and_debt_prices_up() {
        let s = spec();
        assert_eq!(danger_of(&s, "WETH").unwrap(), Danger::Falling);
        assert_eq!(danger_of(&s, "USDC").unwrap(), Danger::Rising);
        // 2000 × (1 − 1/3) = 1333.333333333… → 1333.33333333 (down, 8 decimals).
        assert_eq!(price_after_move(&s, "WETH", &frac(-1, 3)).unwrap().as_str(), "1333.33333333");
        // 1.0001 × (1 + 1/3) = 1.33346666… → 1.33346667 (up).
        assert_eq!(price_after_move(&s, "USDC", &frac(1, 3)).unwrap().as_str(), "1.33346667");
    }

    #[test]
    fn a_price_never_reaches_zero() {
        assert_eq!(price_after_move(&spec(), "WETH", &frac(-1, 1)).unwrap().as_str(), "0.00000001");
    }
}
