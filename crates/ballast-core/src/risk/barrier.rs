//! Closed forms for one asset under geometric Brownian motion: the
//! probability that the price touches a barrier below it within a horizon.
//! They check the simulation, and give a quick answer for a single-asset
//! position.

use super::elementary::{exp, ln};
use super::normal::cdf;

/// Broadie, Glasserman and Kou's constant, −ζ(1/2)/√(2π) ≈ 0.5826.
pub const BGK_BETA: f64 = 0.582_597_157_939_010_7;

/// P(min over [0, T] of S falls to `barrier` or below) for continuous
/// monitoring, S₀ = `start`, log price drifting by `log_drift` (μ − σ²/2) a
/// year with volatility `volatility`, over `years`. With b = ln(B/S₀) < 0 and
/// ν the log drift (the reflection principle with drift):
///
/// P = Φ((b − νT)/(σ√T)) + (B/S₀)^(2ν/σ²) · Φ((b + νT)/(σ√T))
///
/// 1 when the barrier is at or above the start.
pub fn hitting_probability(start: f64, barrier: f64, volatility: f64, log_drift: f64, years: f64) -> f64 {
    if barrier >= start {
        return 1.0;
    }
    if barrier <= 0.0 || years <= 0.0 {
        return 0.0;
    }
    let b = ln(barrier / start);
    let spread = volatility * years.sqrt();
    if spread == 0.0 {
        // No noise: the price follows its drift, and reaches b only by it.
        return if log_drift * years <= b { 1.0 } else { 0.0 };
    }
    let nu_t = log_drift * years;
    let reflected = exp(2.0 * log_drift * b / (volatility * volatility));
    cdf((b - nu_t) / spread) + reflected * cdf((b + nu_t) / spread)
}

/// The same probability when the price is only looked at every `step_years`
/// (daily: 1/365), by Broadie–Glasserman–Kou's continuity correction: the
/// continuous formula with the barrier moved away by exp(−β σ √Δt). Discrete
/// monitoring misses touches between looks, so it hits less often.
pub fn discrete_hitting_probability(
    start: f64,
    barrier: f64,
    volatility: f64,
    log_drift: f64,
    years: f64,
    step_years: f64,
) -> f64 {
    let shifted = barrier * exp(-BGK_BETA * volatility * step_years.sqrt());
    hitting_probability(start, shifted, volatility, log_drift, years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driftless_hitting_is_twice_the_terminal_probability() {
        // ν = 0: by reflection, P(hit) = 2·P(S_T ≤ B) = 2Φ(b/(σ√T)).
        let p = hitting_probability(100.0, 80.0, 0.6, 0.0, 0.25);
        let terminal = cdf((0.8f64).ln() / (0.6 * 0.5));
        assert!((p - 2.0 * terminal).abs() < 1e-15, "{p}");
        assert!((p - 0.456_990_3).abs() < 1e-6, "{p}");
    }

    #[test]
    fn martingale_price_hitting_probability() {
        // ν = −σ²/2 (no drift in the price): (B/S₀)^(2ν/σ²) = S₀/B.
        let (sigma, t) = (0.8f64, 30.0f64 / 365.0);
        let b = 0.75f64.ln();
        let s = sigma * t.sqrt();
        let expected = cdf((b + sigma * sigma * t / 2.0) / s) + cdf((b - sigma * sigma * t / 2.0) / s) / 0.75;
        let p = hitting_probability(1.0, 0.75, sigma, -sigma * sigma / 2.0, t);
        assert!((p - expected).abs() < 1e-15);
        // Daily looks hit less often than continuous ones.
        assert!(discrete_hitting_probability(1.0, 0.75, sigma, -sigma * sigma / 2.0, t, 1.0 / 365.0) < p);
        assert_eq!(hitting_probability(1.0, 1.0, sigma, 0.0, t), 1.0);
    }
}
