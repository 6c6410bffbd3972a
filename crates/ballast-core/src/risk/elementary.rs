//! `exp` and `ln` computed the same way on every platform.
//!
//! `f64::exp` and `f64::ln` call the platform's libm (glibc natively, a musl
//! port on wasm32), and those may differ in the last bit. The simulation
//! calls them millions of times, so a one-bit difference would make the
//! browser and the CLI disagree on a seeded run. These are fdlibm's
//! algorithms (as in musl), using only `+ − × ÷`, which IEEE 754 rounds
//! identically everywhere: under 1 ulp of error, bit-identical results.
//! (`f64::sqrt` is correctly rounded by IEEE 754, so it is used as is.)
//! The coefficients are fdlibm's, given by their bits as fdlibm lists them.

const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 6.93147180369123816490e-01
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76); // 1.90821492927058770002e-10
const INV_LN2: f64 = std::f64::consts::LOG2_E; // 0x3ff71547_652b82fe

/// e^x, fdlibm's `__ieee754_exp`: x = k·ln2 + r with |r| ≤ ln2/2, then a
/// Remez rational approximation of e^r, scaled by 2^k.
pub fn exp(x: f64) -> f64 {
    const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e); // 1.66666666666666019037e-01
    const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93); // -2.77777777770155933842e-03
    const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c); // 6.61375632143793436117e-05
    const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1); // -1.65339022054652515390e-06
    const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0); // 4.13813679705723846039e-08
    const OVERFLOW: f64 = f64::from_bits(0x4086_2e42_fefa_39ef); // 709.782712893383973096
    const UNDERFLOW: f64 = f64::from_bits(0xc087_4910_d52d_3051); // -745.133219101941108420

    if x.is_nan() {
        return x;
    }
    if x > OVERFLOW {
        return f64::INFINITY;
    }
    if x < UNDERFLOW {
        return 0.0;
    }
    let high = ((x.to_bits() >> 32) as u32) & 0x7fff_ffff;
    let (k, hi, lo) = if high > 0x3fd6_2e42 {
        // |x| > ln2/2: reduce. k·LN2_HI is exact (LN2_HI has trailing zeros).
        let k = if high >= 0x3ff0_a2b2 {
            (INV_LN2 * x + 0.5f64.copysign(x)) as i32
        } else if x > 0.0 {
            1
        } else {
            -1
        };
        let kf = f64::from(k);
        (k, x - kf * LN2_HI, kf * LN2_LO)
    } else if high > 0x3e30_0000 {
        (0, x, 0.0)
    } else {
        // |x| < 2^-28: e^x rounds to 1 + x.
        return 1.0 + x;
    };
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    let y = 1.0 + (r * c / (2.0 - c) - lo + hi);
    if k == 0 {
        y
    } else {
        scale_by_power_of_two(y, k)
    }
}

/// The natural logarithm, fdlibm's `__ieee754_log`: x = 2^k·(1 + f) with
/// √2/2 ≤ 1 + f < √2, then ln(1 + f) from an odd series in s = f/(2 + f).
/// ln(0) is −∞; a negative x or NaN gives NaN.
pub fn ln(x: f64) -> f64 {
    const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593); // 6.666666666666735130e-01
    const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04); // 3.999999999940941908e-01
    const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359); // 2.857142874366239149e-01
    const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af); // 2.222219843214978396e-01
    const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de); // 1.818357216161805012e-01
    const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f); // 1.531383769920937332e-01
    const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244); // 1.479819860511658591e-01

    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x == f64::INFINITY {
        return x;
    }
    let mut bits = x.to_bits();
    let mut k: i32 = 0;
    if bits < 0x0010_0000_0000_0000 {
        // Subnormal: scale into the normal range first.
        k -= 54;
        bits = (x * f64::from_bits(0x4350_0000_0000_0000)).to_bits(); // × 2^54
    }
    if bits == 1f64.to_bits() {
        return 0.0;
    }
    // Split off the exponent so the mantissa lies in [√2/2, √2).
    let mut high = (bits >> 32) as u32;
    high += 0x3ff0_0000 - 0x3fe6_a09e;
    k += (high >> 20) as i32 - 0x3ff;
    high = (high & 0x000f_ffff) + 0x3fe6_a09e;
    let m = f64::from_bits((u64::from(high) << 32) | (bits & 0xffff_ffff));

    let f = m - 1.0;
    let half_f_squared = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let dk = f64::from(k);
    s * (half_f_squared + r) + dk * LN2_LO - half_f_squared + f + dk * LN2_HI
}

/// y · 2^n, musl's `scalbn`: in up to three exact steps so the result is
/// rounded once even when it is subnormal.
fn scale_by_power_of_two(mut y: f64, mut n: i32) -> f64 {
    let two_1023 = f64::from_bits(0x7fe0_0000_0000_0000);
    // 2^-1022 · 2^53: stepping down stops above the subnormals, rounding once at the end.
    let two_minus_969 = f64::from_bits(0x0360_0000_0000_0000);
    if n > 1023 {
        y *= two_1023;
        n -= 1023;
        if n > 1023 {
            y *= two_1023;
            n = (n - 1023).min(1023);
        }
    } else if n < -1022 {
        y *= two_minus_969;
        n += 1022 - 53;
        if n < -1022 {
            y *= two_minus_969;
            n = (n + 1022 - 53).max(-1022);
        }
    }
    y * f64::from_bits(((0x3ff + n) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many representable doubles apart two finite values are.
    fn ulps(a: f64, b: f64) -> u64 {
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    #[test]
    fn exp_and_ln_match_known_values() {
        assert_eq!(exp(0.0), 1.0);
        // fdlibm is faithful (< 1 ulp), not correctly rounded: e comes out 1 ulp high.
        assert_eq!(ulps(exp(1.0), std::f64::consts::E), 1);
        assert_eq!(ln(std::f64::consts::E), 1.0);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(2.0), std::f64::consts::LN_2);
        assert_eq!(ln(10.0), std::f64::consts::LN_10);
        assert_eq!(exp(std::f64::consts::LN_2), 2.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan() && exp(f64::NAN).is_nan());
        assert_eq!(exp(710.0), f64::INFINITY);
        assert_eq!(exp(-746.0), 0.0);
        // e^-740 is subnormal (4.19e-322 to 4 digits); ln of the smallest subnormal.
        assert!(ulps(exp(-740.0), 4.2e-322) <= 1, "{:e}", exp(-740.0));
        assert!(ulps(ln(f64::from_bits(1)), -744.440_071_921_381_2) <= 1);
    }

    #[test]
    fn exp_and_ln_are_within_an_ulp_of_the_platform() {
        // The platform's libm is also < 1 ulp from the truth, so the two may
        // be at most 2 ulps apart; mostly they agree exactly.
        let mut x = -700.0;
        while x < 700.0 {
            assert!(ulps(exp(x), x.exp()) <= 2, "exp({x}) = {} vs {}", exp(x), x.exp());
            x += 0.123_456_789;
        }
        let mut y = 1e-300;
        while y < 1e300 {
            assert!(ulps(ln(y), y.ln()) <= 2, "ln({y}) = {} vs {}", ln(y), y.ln());
            y *= 1.618_033_988_7;
        }
    }
}
