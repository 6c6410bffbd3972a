//! Figures for people: fixed decimals with the rounding named, always leaning
//! to safety, and the health-factor bands the UI colours by.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed};

use crate::exact::pow10;
use crate::liquidation::{Direction, LiquidationPrice};

/// Which way a displayed figure is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Toward negative infinity (health factors, collateral, max borrow).
    Down,
    /// Toward positive infinity (debt).
    Up,
}

/// `value` with exactly `decimals` decimals, rounded as asked.
///
/// ```
/// use ballast_core::display::{format_fixed, Rounding};
/// use num_rational::BigRational;
/// let two_thirds = BigRational::new(2.into(), 3.into());
/// assert_eq!(format_fixed(&two_thirds, 2, Rounding::Down), "0.66");
/// assert_eq!(format_fixed(&two_thirds, 2, Rounding::Up), "0.67");
/// ```
pub fn format_fixed(value: &BigRational, decimals: u32, rounding: Rounding) -> String {
    // value × 10^decimals rounded by one integer division (the denominator is
    // positive), with no reduction of the product.
    let scaled = value.numer() * BigInt::from(pow10(decimals));
    let units = match rounding {
        Rounding::Down => scaled.div_floor(value.denom()),
        Rounding::Up => scaled.div_ceil(value.denom()),
    };
    let negative = units.is_negative();
    let digits = units.abs().to_string();
    let decimals = decimals as usize;
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (int_part, frac_part) = padded.split_at(padded.len() - decimals);
    let sign = if negative { "-" } else { "" };
    let int_part = group_thousands(int_part);
    if decimals == 0 {
        format!("{sign}{int_part}")
    } else {
        format!("{sign}{int_part}.{frac_part}")
    }
}

/// An exact decimal (a token amount, an oracle price) with its whole part
/// grouped in thousands and nothing rounded; other text is returned as is.
///
/// ```
/// assert_eq!(ballast_core::display::group_exact("1234567.891011"), "1,234,567.891011");
/// assert_eq!(ballast_core::display::group_exact("0.5"), "0.5");
/// ```
pub fn group_exact(decimal: &str) -> String {
    let (int_part, frac_part) = decimal.split_once('.').map_or((decimal, None), |(i, f)| (i, Some(f)));
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return decimal.to_owned();
    }
    match frac_part {
        Some(f) => format!("{}.{f}", group_thousands(int_part)),
        None => group_thousands(int_part),
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A liquidation price for display: rounded toward the current price, so the
/// shown line is never further away than the real one.
pub fn format_liquidation_price(line: &LiquidationPrice, decimals: u32) -> String {
    let rounding = match line.direction {
        Direction::Below => Rounding::Up,
        Direction::Above => Rounding::Down,
    };
    format_fixed(&line.exact, decimals, rounding)
}

/// A fraction as a percentage with `decimals` decimals, rounded toward zero
/// so a distance to liquidation never looks larger than it is.
///
/// ```
/// use ballast_core::display::format_percent_toward_zero;
/// use num_rational::BigRational;
/// assert_eq!(format_percent_toward_zero(&BigRational::new((-2).into(), 3.into()), 1), "-66.6 %");
/// ```
pub fn format_percent_toward_zero(fraction: &BigRational, decimals: u32) -> String {
    let percent = fraction * BigRational::from_integer(100.into());
    let rounding = if percent.is_negative() { Rounding::Up } else { Rounding::Down };
    format!("{} %", format_fixed(&percent, decimals, rounding))
}

/// How close a position is to liquidation, for colour and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthBand {
    /// Under 1: a liquidator can act now.
    Liquidatable,
    /// 1 to under 1.1: a small move liquidates.
    AtRisk,
    /// 1.1 to under 1.5.
    Caution,
    /// 1.5 and above.
    Healthy,
    /// No debt: nothing to liquidate.
    NoDebt,
}

impl HealthBand {
    /// The band thresholds as stated to users.
    pub const THRESHOLDS: &'static str =
        "under 1 liquidatable · 1 to 1.1 at risk · 1.1 to 1.5 caution · 1.5 and above healthy";

    pub fn of(health_factor: Option<&BigRational>) -> Self {
        let Some(hf) = health_factor else { return HealthBand::NoDebt };
        let tenths = |n: i32| BigRational::new(n.into(), 10.into());
        if *hf < BigRational::one() {
            HealthBand::Liquidatable
        } else if *hf < tenths(11) {
            HealthBand::AtRisk
        } else if *hf < tenths(15) {
            HealthBand::Caution
        } else {
            HealthBand::Healthy
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HealthBand::Liquidatable => "Liquidatable",
            HealthBand::AtRisk => "At risk",
            HealthBand::Caution => "Caution",
            HealthBand::Healthy => "Healthy",
            HealthBand::NoDebt => "No debt",
        }
    }

    /// A stable CSS class name.
    pub fn css_class(self) -> &'static str {
        match self {
            HealthBand::Liquidatable => "band-liquidatable",
            HealthBand::AtRisk => "band-at-risk",
            HealthBand::Caution => "band-caution",
            HealthBand::Healthy => "band-healthy",
            HealthBand::NoDebt => "band-no-debt",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rat(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The integer division rounds as the rational floor and ceiling do.
        #[test]
        fn rounds_as_the_rational_floor_and_ceiling(n in proptest::num::i64::ANY, d in 1i64..=i64::MAX, decimals in 0u32..30) {
            let value = rat(n, d);
            let scaled = &value * BigRational::from_integer(BigInt::from(pow10(decimals)));
            for (rounding, units) in [(Rounding::Down, scaled.floor()), (Rounding::Up, scaled.ceil())] {
                let shown = format_fixed(&value, decimals, rounding).replace(',', "");
                let expected = units.to_integer() ;
                let digits: String = shown.chars().filter(|c| *c != '.').collect();
                proptest::prop_assert_eq!(digits.parse::<BigInt>().unwrap(), expected);
            }
        }
    }

    #[test]
    fn rounds_as_named_and_groups_thousands() {
        assert_eq!(format_fixed(&rat(123456789, 1000), 2, Rounding::Down), "123,456.78");
        assert_eq!(format_fixed(&rat(123456789, 1000), 2, Rounding::Up), "123,456.79");
        assert_eq!(format_fixed(&rat(-1, 3), 2, Rounding::Down), "-0.34");
        assert_eq!(format_fixed(&rat(5, 1), 0, Rounding::Up), "5");
        assert_eq!(format_fixed(&rat(1, 100), 2, Rounding::Down), "0.01");
    }

    #[test]
    fn liquidation_lines_round_toward_the_current_price() {
        let below = LiquidationPrice::new("WETH", rat(500050, 825), Direction::Below);
        assert_eq!(format_liquidation_price(&below, 2), "606.13");
        let above = LiquidationPrice::new("USDC", rat(10001, 3000), Direction::Above);
        assert_eq!(format_liquidation_price(&above, 4), "3.3336");
    }

    #[test]
    fn bands_switch_exactly_at_their_thresholds() {
        assert_eq!(HealthBand::of(Some(&rat(99999, 100000))), HealthBand::Liquidatable);
        assert_eq!(HealthBand::of(Some(&rat(1, 1))), HealthBand::AtRisk);
        assert_eq!(HealthBand::of(Some(&rat(11, 10))), HealthBand::Caution);
        assert_eq!(HealthBand::of(Some(&rat(3, 2))), HealthBand::Healthy);
        assert_eq!(HealthBand::of(None), HealthBand::NoDebt);
    }

    #[test]
    fn exact_decimals_are_grouped_without_rounding() {
        assert_eq!(group_exact("123"), "123");
        assert_eq!(group_exact("1234"), "1,234");
        assert_eq!(group_exact("123456.000000000000000001"), "123,456.000000000000000001");
        assert_eq!(group_exact("1000000"), "1,000,000");
        assert_eq!(group_exact("par"), "par");
        assert_eq!(group_exact("-1234"), "-1234", "not a plain decimal: left alone");
    }
}
