//! Exact decimals for prices: an integer count of `10^-scale`, never a float.
//!
//! A Chainlink answer is an int256 with the feed's `decimals`, a Pyth price an
//! i64 with an exponent; both are exactly `units × 10^-scale`. Keeping that
//! form means `1956.56091864` stays `195656091864 × 10^-8`, with no binary
//! rounding on the way to the engine or the screen.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use alloy_primitives::{Sign, Uint, I256, U256};

/// The largest scale: `10^76` is the largest power of ten an int256 holds.
pub const MAX_SCALE: u8 = 76;

/// Wide enough that comparing or dividing two rescaled int256 values cannot
/// overflow (2^255 · 10^76 · 10^78 < 2^1024).
pub(crate) type Wide = Uint<1024, 16>;

/// Why a value cannot be an exact [`Decimal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("a scale of {0} decimals is more than the {MAX_SCALE} an int256 price can carry")]
    ScaleTooLarge(i64),
    #[error("the value does not fit in an int256")]
    Overflow,
}

/// Why a string is not a decimal [`Decimal::from_str`] accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a plain decimal such as \"-12.5\" (digits, an optional sign and one point)")]
pub struct ParseDecimalError(String);

/// `units × 10^-scale`, exactly. Equality and order are numeric: `1.50 == 1.5`.
#[derive(Clone, Copy)]
pub struct Decimal {
    units: I256,
    scale: u8,
}

impl Decimal {
    pub const ZERO: Self = Self { units: I256::ZERO, scale: 0 };

    /// `units × 10^-scale`; `scale` at most [`MAX_SCALE`].
    pub fn new(units: I256, scale: u8) -> Result<Self, DecimalError> {
        if scale > MAX_SCALE {
            return Err(DecimalError::ScaleTooLarge(scale.into()));
        }
        Ok(Self { units, scale })
    }

    /// `mantissa × 10^exponent`, the way Pyth reports a price (`expo` is
    /// usually negative). A positive exponent multiplies out.
    pub fn from_exponent(mantissa: i128, exponent: i32) -> Result<Self, DecimalError> {
        let units = I256::try_from(mantissa).map_err(|_| DecimalError::Overflow)?;
        if exponent <= 0 {
            let scale =
                u8::try_from(exponent.unsigned_abs()).map_err(|_| DecimalError::ScaleTooLarge(-i64::from(exponent)))?;
            return Self::new(units, scale);
        }
        let factor =
            pow10(u32::try_from(exponent).map_err(|_| DecimalError::Overflow)?).ok_or(DecimalError::Overflow)?;
        let units = units.checked_mul(factor).ok_or(DecimalError::Overflow)?;
        Ok(Self { units, scale: 0 })
    }

    /// `bps / 100` percent, exactly: 50 bps is `0.50`.
    pub fn from_bps(bps: u32) -> Self {
        Self { units: I256::from_raw(U256::from(bps)), scale: 2 }
    }

    pub fn units(&self) -> I256 {
        self.units
    }

    pub fn scale(&self) -> u8 {
        self.scale
    }

    pub fn is_zero(&self) -> bool {
        self.units.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        self.units.is_positive()
    }

    pub fn is_negative(&self) -> bool {
        self.units.is_negative()
    }

    /// The same value with trailing zero decimals removed: `1.500` → `1.5`.
    pub fn normalized(self) -> Self {
        let ten = I256::from_raw(U256::from(10u8));
        let mut out = self;
        while out.scale > 0 && !out.units.is_zero() && (out.units % ten).is_zero() {
            out.units /= ten;
            out.scale -= 1;
        }
        if out.units.is_zero() {
            out.scale = 0;
        }
        out
    }

    pub fn checked_add(self, other: Self) -> Result<Self, DecimalError> {
        let (a, b, scale) = self.aligned(other)?;
        Ok(Self { units: a.checked_add(b).ok_or(DecimalError::Overflow)?, scale })
    }

    pub fn checked_sub(self, other: Self) -> Result<Self, DecimalError> {
        let (a, b, scale) = self.aligned(other)?;
        Ok(Self { units: a.checked_sub(b).ok_or(DecimalError::Overflow)?, scale })
    }

    /// Both values' units at their common (larger) scale.
    fn aligned(self, other: Self) -> Result<(I256, I256, u8), DecimalError> {
        let scale = self.scale.max(other.scale);
        Ok((self.units_at(scale)?, other.units_at(scale)?, scale))
    }

    fn units_at(self, scale: u8) -> Result<I256, DecimalError> {
        let factor = pow10(u32::from(scale - self.scale)).ok_or(DecimalError::Overflow)?;
        self.units.checked_mul(factor).ok_or(DecimalError::Overflow)
    }

    /// Sign and magnitude at `scale` (≥ self.scale), widened so nothing overflows.
    pub(crate) fn wide_at(&self, scale: u8) -> (bool, Wide) {
        let shift = scale.saturating_sub(self.scale);
        let magnitude = widen(self.units.unsigned_abs()) * wide_pow10(u32::from(shift));
        (self.units.is_negative(), magnitude)
    }
}

/// `10^exp` as an int256, if it fits.
fn pow10(exp: u32) -> Option<I256> {
    let value = U256::from(10u8).checked_pow(U256::from(exp))?;
    I256::checked_from_sign_and_abs(Sign::Positive, value)
}

pub(crate) fn wide_pow10(exp: u32) -> Wide {
    Wide::from(10u8).pow(Wide::from(exp))
}

pub(crate) fn widen(value: U256) -> Wide {
    Wide::from_limbs_slice(value.as_limbs())
}

/// The value back in 256 bits, or `None` when it does not fit.
pub(crate) fn narrow(value: Wide) -> Option<U256> {
    let limbs = value.as_limbs();
    if limbs[4..].iter().any(|&limb| limb != 0) {
        return None;
    }
    U256::checked_from_limbs_slice(&limbs[..4])
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        let (a_negative, a) = self.wide_at(scale);
        let (b_negative, b) = other.wide_at(scale);
        match (a_negative, b_negative) {
            (false, false) => a.cmp(&b),
            (true, true) => b.cmp(&a),
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.unsigned_abs().to_string();
        let scale = usize::from(self.scale);
        let sign = if self.units.is_negative() { "-" } else { "" };
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int_part, frac_part) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int_part}.{frac_part}")
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    /// `"2000"`, `"-0.5"`, `"1956.56091864"`; no exponents, spaces or `".5"`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ParseDecimalError(text.chars().take(80).collect());
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) || unsigned.ends_with('.') {
            return Err(bad());
        }
        let scale = u8::try_from(frac_part.len()).ok().filter(|s| *s <= MAX_SCALE).ok_or_else(bad)?;
        let magnitude = U256::from_str_radix(&[int_part, frac_part].concat(), 10).map_err(|_| bad())?;
        let sign = if text.starts_with('-') { Sign::Negative } else { Sign::Positive };
        let units = I256::checked_from_sign_and_abs(sign, magnitude).ok_or_else(bad)?;
        Ok(Self { units, scale })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn displays_units_at_their_scale() {
        let eth = Decimal::new(I256::try_from(195_656_091_864i64).unwrap(), 8).unwrap();
        assert_eq!(eth.to_string(), "1956.56091864");
        assert_eq!(Decimal::new(I256::ONE, 8).unwrap().to_string(), "0.00000001");
        assert_eq!(Decimal::new(I256::try_from(-5).unwrap(), 1).unwrap().to_string(), "-0.5");
        assert_eq!(Decimal::from_bps(25).to_string(), "0.25");
    }

    #[test]
    fn exponents_move_the_point_exactly() {
        assert_eq!(Decimal::from_exponent(7_765_012_345_678, -8).unwrap().to_string(), "77650.12345678");
        assert_eq!(Decimal::from_exponent(12_345, 2).unwrap().to_string(), "1234500");
        assert_eq!(Decimal::from_exponent(-3, -2).unwrap().to_string(), "-0.03");
        assert_eq!(Decimal::from_exponent(1, -77), Err(DecimalError::ScaleTooLarge(77)));
        assert_eq!(Decimal::from_exponent(1, i32::MIN), Err(DecimalError::ScaleTooLarge(2_147_483_648)));
        assert_eq!(Decimal::from_exponent(i128::MAX, 60), Err(DecimalError::Overflow));
    }

    #[test]
    fn equality_and_order_are_numeric_across_scales() {
        assert_eq!(d("1.50"), d("1.5"));
        assert!(d("1.49999999") < d("1.5"));
        assert!(d("-2") < d("-1.9"));
        assert!(d("-0.01") < d("0"));
        assert_eq!(d("1.500").normalized().scale(), 1);
        assert_eq!(d("0.000").normalized(), Decimal::ZERO);
    }

    #[test]
    fn sums_align_scales() {
        assert_eq!(d("1956.56").checked_sub(d("0.87908136")).unwrap().to_string(), "1955.68091864");
        assert_eq!(d("1").checked_add(d("0.001")).unwrap(), d("1.001"));
    }

    #[test]
    fn parsing_rejects_what_is_not_plain() {
        for bad in ["", "-", ".5", "5.", "1e5", "+1", " 1", "1.2.3", "0x10"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad:?} parsed");
        }
        assert_eq!(d("-12.5").units(), I256::try_from(-125).unwrap());
    }
}
