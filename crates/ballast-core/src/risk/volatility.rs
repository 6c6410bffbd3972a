//! Volatility from a series of daily closes.
//!
//! Conventions: returns are log returns `ln(Pₜ / Pₜ₋₁)` of consecutive daily
//! closes; a daily figure is annualised by √365 (crypto trades every day, see
//! [`DAYS_PER_YEAR`]). Results are annualised fractions: 0.65 is 65 %.

use std::collections::BTreeMap;

use super::elementary::ln;
use super::{RiskError, DAYS_PER_YEAR};

/// RiskMetrics' decay for daily data (J.P. Morgan, 1996): a return's weight
/// falls by 6 % a day, so the last month carries about 84 % of it.
pub const RISKMETRICS_LAMBDA: f64 = 0.94;

/// The log returns of consecutive closes, which must be positive and finite.
pub fn log_returns(closes: &[f64]) -> Result<Vec<f64>, RiskError> {
    for (i, &c) in closes.iter().enumerate() {
        if !(c.is_finite() && c > 0.0) {
            return Err(RiskError::new(format!("closes[{i}]"), format!("is {c}; a close must be a positive price")));
        }
    }
    Ok(closes.windows(2).map(|w| ln(w[1] / w[0])).collect())
}

/// The sample standard deviation of the daily log returns (mean
/// subtracted, n − 1 in the denominator), annualised by √365. Needs at
/// least three closes (two returns).
pub fn simple_volatility(closes: &[f64]) -> Result<f64, RiskError> {
    let returns = log_returns(closes)?;
    if returns.len() < 2 {
        return Err(RiskError::new("closes", format!("has {} closes; at least 3 are needed", closes.len())));
    }
    let n = returns.len() as f64;
    let mean = returns.iter().sum::<f64>() / n;
    let variance = returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Ok((variance * DAYS_PER_YEAR).sqrt())
}

/// Exponentially weighted volatility, RiskMetrics style, annualised by √365:
/// the i-th most recent return (i = 0 for the last) weighs λⁱ, the mean is
/// taken as zero, and the weights are normalised to sum to 1:
///
/// σ² = Σᵢ λⁱ·r²ₙ₋ᵢ / Σᵢ λⁱ
///
/// Over a long series this is the familiar recursion
/// σ²ₜ = λ·σ²ₜ₋₁ + (1 − λ)·r²ₜ; normalising the finite sum keeps a short
/// series from reading low. λ must lie in (0, 1); see [`RISKMETRICS_LAMBDA`].
pub fn ewma_volatility(closes: &[f64], lambda: f64) -> Result<f64, RiskError> {
    if !(lambda > 0.0 && lambda < 1.0) {
        return Err(RiskError::new("lambda", format!("is {lambda}; the decay must lie strictly between 0 and 1")));
    }
    let returns = log_returns(closes)?;
    if returns.is_empty() {
        return Err(RiskError::new("closes", format!("has {} closes; at least 2 are needed", closes.len())));
    }
    let (mut weighted, mut weights, mut weight) = (0.0, 0.0, 1.0);
    for r in returns.iter().rev() {
        weighted += weight * r * r;
        weights += weight;
        weight *= lambda;
    }
    Ok((weighted / weights * DAYS_PER_YEAR).sqrt())
}

/// Several assets' closes lined up on the days they all have, oldest
/// first, for correlations: `series[k]` is asset k's `(day, close)` pairs in
/// any order, `day` any increasing day number (e.g. days since the epoch).
/// A day listed twice for one asset is an error.
pub fn align_by_day(series: &[&[(i64, f64)]]) -> Result<Vec<Vec<f64>>, RiskError> {
    let mut by_day: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (k, closes) in series.iter().enumerate() {
        for &(day, close) in closes.iter() {
            let row = by_day.entry(day).or_default();
            if row.len() == k {
                row.push(close);
            } else if row.len() > k {
                return Err(RiskError::new(format!("series[{k}]"), format!("lists day {day} twice")));
            }
            // A day some earlier asset lacks stays short and is dropped below.
        }
    }
    let mut aligned = vec![Vec::new(); series.len()];
    for row in by_day.into_values().filter(|row| row.len() == series.len()) {
        for (k, close) in row.into_iter().enumerate() {
            aligned[k].push(close);
        }
    }
    Ok(aligned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Up 10 %, down 10 %, up 10 %: log returns u, d, u with u = ln 1.1,
    /// d = ln 0.9.
    const CLOSES: [f64; 4] = [100.0, 110.0, 99.0, 108.9];

    #[test]
    fn simple_volatility_of_a_hand_worked_series() {
        // Mean (2u + d)/3; deviations (u − d)/3, −2(u − d)/3, (u − d)/3; their
        // squares sum to (2/3)(u − d)², over n − 1 = 2: daily σ = ln(11/9)/√3
        // = 0.115 857 3…, × √365 = 2.213 450 2…
        let daily = (11.0f64 / 9.0).ln() / 3f64.sqrt();
        let annual = simple_volatility(&CLOSES).unwrap();
        assert!((annual - daily * 365f64.sqrt()).abs() < 1e-14, "{annual}");
        assert!((annual - 2.213_450_2).abs() < 1e-7, "{annual}");
    }

    #[test]
    fn ewma_volatility_of_a_hand_worked_series() {
        // σ² = (u² + 0.94·d² + 0.94²·u²) / (1 + 0.94 + 0.8836), last return first.
        let (u, d) = (1.1f64.ln(), 0.9f64.ln());
        let daily_variance = (u * u + 0.94 * d * d + 0.8836 * u * u) / 2.8236;
        let annual = ewma_volatility(&CLOSES, RISKMETRICS_LAMBDA).unwrap();
        assert!((annual - (daily_variance * 365.0).sqrt()).abs() < 1e-14, "{annual}");
        assert!((annual - 1.886_991_4).abs() < 1e-7, "{annual}");
        // Zero mean: a steady 1 % a day is not "no volatility" to EWMA, as it is to the sample formula.
        let steady: Vec<f64> = (0..30).map(|i| 100.0 * 1.01f64.powi(i)).collect();
        assert!((ewma_volatility(&steady, 0.94).unwrap() - 1.01f64.ln() * 365f64.sqrt()).abs() < 1e-12);
        assert!(simple_volatility(&steady).unwrap() < 1e-12);
    }

    #[test]
    fn refuses_bad_closes_and_short_series() {
        assert_eq!(
            log_returns(&[1.0, 0.0]).unwrap_err().to_string(),
            "closes[1]: is 0; a close must be a positive price"
        );
        assert!(log_returns(&[1.0, f64::NAN]).is_err());
        assert_eq!(
            simple_volatility(&[1.0, 2.0]).unwrap_err().to_string(),
            "closes: has 2 closes; at least 3 are needed"
        );
        assert!(ewma_volatility(&CLOSES, 1.0).is_err());
    }

    #[test]
    fn aligns_series_on_common_days() {
        let a = [(1, 10.0), (2, 11.0), (4, 12.0), (3, 13.0)];
        let b = [(2, 20.0), (3, 21.0), (5, 22.0)];
        assert_eq!(align_by_day(&[&a, &b]).unwrap(), vec![vec![11.0, 13.0], vec![20.0, 21.0]]);
        assert!(align_by_day(&[&a, &[(2, 1.0), (2, 2.0)]]).is_err());
    }
}
