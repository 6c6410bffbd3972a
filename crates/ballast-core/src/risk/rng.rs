//! A small seeded random number generator: xoshiro256** (Blackman and
//! Vigna, 2018) seeded through SplitMix64, with normal, gamma and Student-t
//! draws built on it.
//!
//! Implemented here rather than taken from `rand` so nothing asks the
//! platform for entropy (no `getrandom` on wasm32) and the streams can never
//! change under a dependency upgrade: a seed is a complete description of a
//! run.

use super::elementary::{exp, ln};

/// SplitMix64: expands one 64-bit seed into a well-mixed sequence, the
/// seeding the xoshiro authors recommend.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.state)
    }
}

/// SplitMix64's finaliser, a bijection on u64.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// xoshiro256**, with a spare normal kept from the polar method's pairs.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    spare_normal: Option<f64>,
}

impl Rng {
    /// The generator with this exact state (not all zero, else it only
    /// yields zeros); for reference vectors. Use [`Rng::seeded`] otherwise.
    pub fn from_state(s: [u64; 4]) -> Self {
        Self { s, spare_normal: None }
    }

    /// A generator seeded from one number through SplitMix64.
    pub fn seeded(seed: u64) -> Self {
        let mut sm = SplitMix64::new(seed);
        // SplitMix64 never yields four zeros in a row, so the state is valid.
        Self::from_state([sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()])
    }

    /// Stream number `stream` of `seed`: the simulation gives every path its
    /// own stream, so a path's prices depend only on (seed, path) and a run
    /// split across workers merges into the same result.
    pub fn stream(seed: u64, stream: u64) -> Self {
        Self::seeded(seed ^ mix64(stream.wrapping_add(0x6a09_e667_f3bc_c909)))
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1): the top 53 bits, so every value is a multiple of 2^-53.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw, by Marsaglia's polar method: it needs only
    /// `ln` and `sqrt` (no trigonometry), and each accepted pair gives two
    /// draws, the second kept for the next call.
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * ln(s) / s).sqrt();
                self.spare_normal = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// A Gamma(shape, 1) draw, by Marsaglia and Tsang (2000); a shape under 1
    /// by their boost, Gamma(a + 1)·U^(1/a). NaN for a shape that is not positive.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape.is_nan() || shape <= 0.0 {
            return f64::NAN;
        }
        if shape < 1.0 {
            let boosted = self.gamma(shape + 1.0);
            return boosted * exp(ln(self.uniform()) / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.standard_normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            let x2 = x * x;
            // The squeeze accepts most draws without a logarithm.
            if u < 1.0 - 0.0331 * x2 * x2 || ln(u) < 0.5 * x2 + d * (1.0 - v + ln(v)) {
                return d * v;
            }
        }
    }

    /// A chi-squared draw with `dof` degrees of freedom: 2·Gamma(dof/2).
    pub fn chi_squared(&mut self, dof: f64) -> f64 {
        2.0 * self.gamma(0.5 * dof)
    }

    /// A Student-t draw with `dof` degrees of freedom: Z / √(χ²/ν).
    /// Its variance is ν/(ν − 2), not 1; see [`Rng::unit_variance_student_t`].
    pub fn student_t(&mut self, dof: f64) -> f64 {
        let z = self.standard_normal();
        z / (self.chi_squared(dof) / dof).sqrt()
    }

    /// A Student-t draw scaled to variance 1 (needs ν > 2): fat tails
    /// without changing the volatility.
    pub fn unit_variance_student_t(&mut self, dof: f64) -> f64 {
        self.student_t(dof) * ((dof - 2.0) / dof).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_and_splitmix_match_the_reference_vectors() {
        // Vigna's reference C code from state {1, 2, 3, 4} (also rand_xoshiro's test).
        let mut rng = Rng::from_state([1, 2, 3, 4]);
        let expected: [u64; 10] = [
            11520,
            0,
            1509978240,
            1215971899390074240,
            1216172134540287360,
            607988272756665600,
            16172922978634559625,
            8476171486693032832,
            10595114339597558777,
            2904607092377533576,
        ];
        for e in expected {
            assert_eq!(rng.next_u64(), e);
        }
        let mut sm = SplitMix64::new(1234567);
        for e in [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431] {
            assert_eq!(sm.next_u64(), e);
        }
    }

    #[test]
    fn a_seed_replays_and_streams_differ() {
        let draws = |mut r: Rng| (0..5).map(|_| r.standard_normal()).collect::<Vec<_>>();
        assert_eq!(draws(Rng::stream(7, 3)), draws(Rng::stream(7, 3)));
        assert_ne!(draws(Rng::stream(7, 3)), draws(Rng::stream(7, 4)));
        assert_ne!(draws(Rng::stream(7, 3)), draws(Rng::stream(8, 3)));
    }

    #[test]
    fn uniforms_stay_in_the_unit_interval_and_average_a_half() {
        let mut rng = Rng::seeded(1);
        let n = 100_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = rng.uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
        }
        // The mean's standard error is √(1/12/n) ≈ 0.0009.
        assert!((sum / f64::from(n) - 0.5).abs() < 0.004);
    }

    /// Mean, variance and the share of draws beyond `cut` in absolute value.
    fn moments(mut draw: impl FnMut() -> f64, n: u32, cut: f64) -> (f64, f64, f64) {
        let (mut sum, mut squares, mut beyond) = (0.0, 0.0, 0u32);
        for _ in 0..n {
            let x = draw();
            sum += x;
            squares += x * x;
            beyond += u32::from(x.abs() > cut);
        }
        let n = f64::from(n);
        let mean = sum / n;
        (mean, squares / n - mean * mean, f64::from(beyond) / n)
    }

    #[test]
    fn normals_have_unit_variance_and_normal_tails() {
        let mut rng = Rng::seeded(42);
        let (mean, variance, beyond) = moments(|| rng.standard_normal(), 200_000, 2.0);
        // Standard errors: mean 0.0022, variance 0.0032, P(|Z| > 2) = 0.0455 ± 0.0005.
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((variance - 1.0).abs() < 0.015, "{variance}");
        assert!((beyond - 0.045_500_26).abs() < 0.002, "{beyond}");
    }

    #[test]
    fn student_t_has_fat_tails_and_scales_to_unit_variance() {
        let mut rng = Rng::seeded(9);
        // ν = 4: P(|T| > 3) = 0.039 94 (mpmath), against 0.0027 for a normal.
        let (_, _, beyond) = moments(|| rng.student_t(4.0), 100_000, 3.0);
        assert!((beyond - 0.039_94).abs() < 0.002, "{beyond}");
        // ν = 6 scaled to variance 1 (its fourth moment exists, so the sample
        // variance settles): still P(|X| > 3) = 0.010 40, four times a normal's.
        let (mean, variance, beyond) = moments(|| rng.unit_variance_student_t(6.0), 200_000, 3.0);
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((variance - 1.0).abs() < 0.03, "{variance}");
        assert!((beyond - 0.010_40).abs() < 0.001, "{beyond}");
    }

    #[test]
    fn gamma_has_its_mean_and_variance() {
        let mut rng = Rng::seeded(5);
        // Gamma(k, 1): mean k, variance k; their standard errors √(k/n) and √((2k² + 6k)/n).
        for (shape, tolerance) in [(2.5, 0.06), (0.4, 0.02)] {
            let (mean, variance, _) = moments(|| rng.gamma(shape), 100_000, f64::INFINITY);
            assert!((mean - shape).abs() < 0.02, "{shape}: {mean}");
            assert!((variance - shape).abs() < tolerance, "{shape}: {variance}");
        }
        assert!(rng.gamma(0.0).is_nan());
    }
}
