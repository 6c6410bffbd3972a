//! Exact decimal input and exact rational arithmetic.
//!
//! Scenario numbers arrive as plain decimal strings of up to 78 significant
//! digits (what a uint256 holds), and Maker's rad carries 45 decimals, so no
//! fixed-width decimal type can hold them. Every value the engine reports on
//! the exact path is a [`BigRational`], printed by [`format_exact`]: exactly
//! when its decimal expansion terminates, otherwise rounded to nearest with
//! at least 16 significant digits.

use std::fmt;
use std::str::FromStr;

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// At most this many significant digits in one number: what a uint256 holds.
pub const MAX_SIGNIFICANT_DIGITS: usize = 78;
/// At most this many digits on either side of the point, so that a number
/// cannot smuggle a huge power of ten past the significant-digit limit.
pub const MAX_DIGITS_PER_SIDE: usize = 78;

/// Why a string is not a plain decimal the scenario format accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalSyntaxError {
    #[error("is empty; expected a plain decimal such as \"2000.5\"")]
    Empty,
    #[error("{0:?} is negative; numbers here are written without a sign")]
    Negative(String),
    #[error("{0:?} is not a plain decimal (digits with an optional single point, e.g. \"2000.5\"; no signs, exponents or spaces)")]
    NotPlain(String),
    #[error("{0:?} has more than {MAX_SIGNIFICANT_DIGITS} significant digits")]
    TooManySignificantDigits(String),
    #[error("{0:?} has more than {MAX_DIGITS_PER_SIDE} digits on one side of the point")]
    TooLong(String),
}

/// A non-negative decimal exactly as written: the text is kept for round trips
/// (an exported scenario says what the user typed), the value for arithmetic.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainDecimal {
    text: String,
    /// The value as an integer count of `10^-scale`.
    units: BigUint,
    /// Decimals as written, trailing zeros removed (`"1.50"` has one).
    scale: u32,
}

impl PlainDecimal {
    /// Parses `"123"`, `"0.5"`, `"2000.50"`. Rejects signs, exponents,
    /// `".5"`, `"5."`, blanks and anything past the digit limits.
    pub fn parse(text: &str) -> Result<Self, DecimalSyntaxError> {
        if text.is_empty() {
            return Err(DecimalSyntaxError::Empty);
        }
        if text.starts_with('-') && text.len() > 1 {
            return Err(DecimalSyntaxError::Negative(text.to_owned()));
        }
        let (int_part, frac_part) = match text.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (text, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
            return Err(DecimalSyntaxError::NotPlain(text.to_owned()));
        }
        let frac = frac_part.unwrap_or("").trim_end_matches('0');
        let digits: String = [int_part, frac].concat();
        let significant = digits.trim_start_matches('0').trim_end_matches('0');
        if significant.len() > MAX_SIGNIFICANT_DIGITS {
            return Err(DecimalSyntaxError::TooManySignificantDigits(text.to_owned()));
        }
        if int_part.trim_start_matches('0').len() > MAX_DIGITS_PER_SIDE || frac.len() > MAX_DIGITS_PER_SIDE {
            return Err(DecimalSyntaxError::TooLong(text.to_owned()));
        }
        let units = BigUint::from_str(&digits).map_err(|_| DecimalSyntaxError::NotPlain(text.to_owned()))?;
        let scale = u32::try_from(frac.len()).map_err(|_| DecimalSyntaxError::TooLong(text.to_owned()))?;
        Ok(Self { text: text.to_owned(), units, scale })
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Decimals after the point, trailing zeros not counted.
    pub fn scale(&self) -> u32 {
        self.scale
    }

    pub fn is_zero(&self) -> bool {
        self.units.is_zero()
    }

    /// The value as an exact rational.
    pub fn to_rational(&self) -> BigRational {
        BigRational::new(BigInt::from(self.units.clone()), BigInt::from(pow10(self.scale)))
    }

    /// `value × 10^decimals` when that is a whole number, which is how a token
    /// amount becomes its on-chain integer; `None` when it has more decimals.
    pub fn to_scaled_integer(&self, decimals: u32) -> Option<BigUint> {
        let shift = decimals.checked_sub(self.scale)?;
        Some(&self.units * pow10(shift))
    }
}

impl fmt::Debug for PlainDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text)
    }
}

impl fmt::Display for PlainDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for PlainDecimal {
    type Err = DecimalSyntaxError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for PlainDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for PlainDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = PlainDecimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal in a JSON string, e.g. \"2000.5\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PlainDecimal, E> {
                PlainDecimal::parse(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PlainDecimal, E> {
                Err(E::custom(format!("{v} is a JSON number; write it as a string, e.g. \"{v}\", so no digit is lost")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PlainDecimal, E> {
                Err(E::custom(format!("{v} is a JSON number; write it as a string, e.g. \"{v}\", so no digit is lost")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PlainDecimal, E> {
                Err(E::custom(format!("{v} is a JSON number; write it as a string holding a decimal")))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `10^n` as an unbounded integer.
pub fn pow10(n: u32) -> BigUint {
    num_traits::pow(BigUint::from(10u8), n as usize)
}

/// True when `r` has a finite decimal expansion (its reduced denominator has
/// no prime factors but 2 and 5).
pub fn terminates(r: &BigRational) -> bool {
    decimals_to_terminate(r.denom()).is_some()
}

/// The fewest decimals that print `n / denom` (reduced) exactly: with
/// `denom = 2^a × 5^b` it is `max(a, b)`; `None` when another prime divides it.
fn decimals_to_terminate(denom: &BigInt) -> Option<u32> {
    let d = denom.magnitude();
    if d.is_zero() {
        return None;
    }
    let twos = d.trailing_zeros().unwrap_or(0);
    let mut rest = d >> twos;
    // 5^27 fits a u64: strip it in large steps first, then one 5 at a time.
    let fives = 27 * strip_factor(&mut rest, &BigUint::from(7_450_580_596_923_828_125u64))
        + strip_factor(&mut rest, &BigUint::from(5u8));
    if !rest.is_one() {
        return None;
    }
    u32::try_from(twos.max(fives)).ok()
}

/// Divides `factor` out of `n` as often as it goes; how often it went.
fn strip_factor(n: &mut BigUint, factor: &BigUint) -> u64 {
    let mut times = 0;
    loop {
        let (q, r) = n.div_rem(factor);
        if !r.is_zero() {
            return times;
        }
        *n = q;
        times += 1;
    }
}

/// Prints an exact rational as a plain decimal: exactly, trailing zeros
/// removed, when its expansion terminates; otherwise rounded to nearest (a
/// tie cannot occur) to 16 decimals, or more for small values so that at least
/// 16 significant digits are shown. A rounded value keeps its trailing zeros,
/// so `"1.0000000000000000"` is visibly not exactly 1.
///
/// Integer arithmetic on the reduced numerator and denominator throughout:
/// the exact digits need `max(a, b)` decimals for a denominator `2^a × 5^b`,
/// found by counting factors rather than by trying one power of ten after
/// another (wad and ray values need 18 to 27 and more).
pub fn format_exact(r: &BigRational) -> String {
    format_exact_rounding(r, Rounding::HalfUp)
}

/// As [`format_exact`], but a value whose expansion does not terminate is cut
/// (rounded toward zero) at its last printed decimal instead of rounded to
/// nearest. For health factors: a ratio a hair under 1 must not print as
/// `1.0000000000000000` beside `liquidatable: true`.
pub fn format_exact_toward_zero(r: &BigRational) -> String {
    format_exact_rounding(r, Rounding::TowardZero)
}

#[derive(Clone, Copy)]
enum Rounding {
    HalfUp,
    TowardZero,
}

fn format_exact_rounding(r: &BigRational, rounding: Rounding) -> String {
    let negative = r.is_negative();
    let numer = r.numer().magnitude();
    let denom = r.denom().magnitude();
    let body = match decimals_to_terminate(r.denom()) {
        // Exact: denom divides 10^k, so the quotient is whole.
        Some(k) => digits_with_point(&(numer * pow10(k) / denom), k),
        None => format_rounded(numer, denom, decimals_for_16_significant(numer, denom), rounding),
    };
    if negative {
        format!("-{body}")
    } else {
        body
    }
}

/// Decimals needed so that at least 16 significant digits show: 16 for values
/// of 1 or more, more for each leading zero after the point.
fn decimals_for_16_significant(numer: &BigUint, denom: &BigUint) -> u32 {
    if numer.is_zero() || numer >= denom {
        return 16;
    }
    // Count leading zeros after the point: smallest z with n × 10^(z+1) ≥ d.
    let mut z = 0u32;
    let ten = BigUint::from(10u8);
    let mut scaled = numer * &ten;
    while scaled < *denom {
        scaled *= &ten;
        z += 1;
    }
    z + 16
}

/// `numer / denom` rounded at `decimals` places, printed with all of them.
fn format_rounded(numer: &BigUint, denom: &BigUint, decimals: u32, rounding: Rounding) -> String {
    let (q, rem) = (numer * pow10(decimals)).div_rem(denom);
    let units = match rounding {
        Rounding::HalfUp if rem * 2u8 >= *denom => q + 1u8,
        _ => q,
    };
    digits_with_point(&units, decimals)
}

/// Writes `units × 10^-decimals` with exactly `decimals` digits after the
/// point, trimming nothing.
fn digits_with_point(units: &BigUint, decimals: u32) -> String {
    let digits = units.to_string();
    let decimals = decimals as usize;
    if decimals == 0 {
        return digits;
    }
    let padded = if digits.len() <= decimals {
        format!("{}{}", "0".repeat(decimals + 1 - digits.len()), digits)
    } else {
        digits
    };
    let (int_part, frac_part) = padded.split_at(padded.len() - decimals);
    format!("{int_part}.{frac_part}")
}

/// An approximate f64 for charts and statistics only; never for protocol math.
pub fn to_f64_lossy(r: &BigRational) -> f64 {
    r.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rat(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn parses_plain_decimals_and_counts_scale_without_trailing_zeros() {
        let d = PlainDecimal::parse("2000.50").unwrap();
        assert_eq!(d.scale(), 1);
        assert_eq!(d.to_rational(), rat(4001, 2));
        assert_eq!(d.as_str(), "2000.50");
        assert_eq!(PlainDecimal::parse("007").unwrap().to_rational(), rat(7, 1));
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        for bad in ["", "1e5", "+1", " 1", "1 ", ".5", "5.", "1.2.3", "0x10", "١"] {
            assert!(PlainDecimal::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(matches!(PlainDecimal::parse("-1"), Err(DecimalSyntaxError::Negative(_))));
    }

    #[test]
    fn enforces_the_78_significant_digit_limit() {
        let max = "9".repeat(78);
        assert!(PlainDecimal::parse(&max).is_ok());
        assert!(matches!(PlainDecimal::parse(&"9".repeat(79)), Err(DecimalSyntaxError::TooManySignificantDigits(_))));
        // Leading and trailing zeros are not significant, but length is bounded.
        assert!(PlainDecimal::parse(&format!("0.{}1", "0".repeat(70))).is_ok());
        assert!(matches!(PlainDecimal::parse(&format!("0.{}1", "0".repeat(80))), Err(DecimalSyntaxError::TooLong(_))));
    }

    #[test]
    fn scales_token_amounts_only_when_whole() {
        let d = PlainDecimal::parse("10.5").unwrap();
        assert_eq!(d.to_scaled_integer(18).unwrap().to_string(), "10500000000000000000");
        assert_eq!(d.to_scaled_integer(1).unwrap().to_string(), "105");
        assert!(d.to_scaled_integer(0).is_none());
    }

    #[test]
    fn formats_terminating_values_exactly() {
        assert_eq!(format_exact(&rat(40001, 20)), "2000.05");
        assert_eq!(format_exact(&rat(33, 10)), "3.3");
        assert_eq!(format_exact(&rat(20000, 1)), "20000");
        assert_eq!(format_exact(&rat(0, 1)), "0");
        assert_eq!(format_exact(&rat(1, 1 << 20)), "0.00000095367431640625");
    }

    #[test]
    fn health_factors_are_cut_not_rounded_up_to_one() {
        let big = |digits: &str| digits.parse::<BigInt>().unwrap();
        // 1 - 1/1.45e20 (a Maker vault at 1.44999999999999999999 against mat 1.45):
        // nearest rounding prints 1.
        let just_under = BigRational::new(big("144999999999999999999"), big("145000000000000000000"));
        assert_eq!(format_exact(&just_under), "1.0000000000000000");
        assert_eq!(format_exact_toward_zero(&just_under), "0.9999999999999999");
        assert_eq!(format_exact_toward_zero(&rat(2, 3)), "0.6666666666666666");
        assert_eq!(format_exact_toward_zero(&rat(-2, 3)), "-0.6666666666666666");
        // Terminating values stay exact.
        assert_eq!(format_exact_toward_zero(&rat(40001, 20)), "2000.05");
    }

    /// format_exact as first written: powers of ten tried one after another.
    /// The integer version must print every value digit for digit the same.
    fn format_exact_by_search(r: &BigRational) -> String {
        let magnitude = r.abs();
        let mut d = magnitude.denom().clone();
        for p in [BigInt::from(2u8), BigInt::from(5u8)] {
            while d.is_multiple_of(&p) {
                d /= &p;
            }
        }
        let body = if d.is_one() {
            let mut k = 0u32;
            loop {
                let scaled = &magnitude * BigRational::from_integer(BigInt::from(pow10(k)));
                if scaled.is_integer() {
                    break digits_with_point(scaled.to_integer().magnitude(), k);
                }
                k += 1;
            }
        } else {
            let decimals = if magnitude >= BigRational::one() {
                16
            } else {
                let ten = BigRational::from_integer(BigInt::from(10u8));
                let (mut z, mut scaled) = (0u32, &magnitude * &ten);
                while scaled < BigRational::one() {
                    scaled *= &ten;
                    z += 1;
                }
                z + 16
            };
            let scaled = &magnitude * BigRational::from_integer(BigInt::from(pow10(decimals)));
            let (q, rem) = scaled.numer().div_rem(scaled.denom());
            let units = if rem * 2 >= *scaled.denom() { q + 1 } else { q };
            digits_with_point(units.magnitude(), decimals)
        };
        if r.is_negative() {
            format!("-{body}")
        } else {
            body
        }
    }

    #[test]
    fn prints_wad_ray_and_mixed_denominators_as_the_search_did() {
        let big = |digits: &str| digits.parse::<BigInt>().unwrap();
        let cases = [
            BigRational::new(big("1234567890123456789012345678901"), big("1000000000000000000000000000")),
            BigRational::new(big("3299670032996700329967"), big("1000000000000000000000")),
            BigRational::new(big("7"), BigInt::from(2u8).pow(118u32)),
            BigRational::new(big("-13"), big("5").pow(60u32) * big("2").pow(3u32)),
            BigRational::new(big("5000500000"), big("825") * big("10").pow(6u32)),
            BigRational::new(big("1"), big("3") * big("5").pow(30u32)),
            BigRational::new(big("-999999999999999999"), big("1000000000000000000")),
        ];
        assert_eq!(format_exact(&cases[0]), "1234.567890123456789012345678901");
        for r in &cases {
            assert_eq!(format_exact(r), format_exact_by_search(r), "{r}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn prints_any_rational_as_the_search_did(
            numer in proptest::num::i128::ANY,
            twos in 0u32..130,
            fives in 0u32..70,
            other in proptest::sample::select(vec![1u64, 1, 1, 3, 7, 9, 11, 13, 21, 999_999_937]),
        ) {
            let denom = BigInt::from(2u8).pow(twos) * BigInt::from(5u8).pow(fives) * BigInt::from(other);
            let r = BigRational::new(BigInt::from(numer), denom);
            proptest::prop_assert_eq!(format_exact(&r), format_exact_by_search(&r));
        }
    }

    #[test]
    fn rounds_non_terminating_values_to_at_least_16_significant_digits() {
        // The spec's worked liquidation price: 5000.5 / 8.25.
        assert_eq!(format_exact(&rat(500050, 825)), "606.1212121212121212");
        assert_eq!(format_exact(&rat(2, 3)), "0.6666666666666667");
        assert_eq!(format_exact(&rat(1, 3000)), "0.0003333333333333333");
        assert_eq!(format_exact(&rat(-2, 3)), "-0.6666666666666667");
    }
}
