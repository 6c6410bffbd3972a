//! Summaries of simulated samples: estimates with their standard errors,
//! empirical quantiles and histograms.

use serde::{Deserialize, Serialize};

use super::RiskError;

/// A Monte Carlo estimate and its standard error (one standard deviation of
/// the estimator; ±2 of them is roughly a 95 % interval).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub std_error: f64,
}

impl Estimate {
    /// A probability from `hits` out of `n` trials: p̂ and √(p̂(1 − p̂)/n).
    pub fn proportion(hits: usize, n: usize) -> Self {
        if n == 0 {
            return Self { value: f64::NAN, std_error: f64::NAN };
        }
        let p = hits as f64 / n as f64;
        Self { value: p, std_error: (p * (1.0 - p) / n as f64).sqrt() }
    }

    /// The exact (Clopper–Pearson) 95 % upper bound on a proportion of which
    /// no hit was seen in `n` trials: 1 − 0.05^(1/n), about 3/n. With no hit
    /// the standard error is 0, which claims a certainty the sample does not
    /// have ("0.00 % ± 0.00 %" after 10 000 paths). NaN for `n` = 0.
    pub fn no_hit_upper_bound_95(n: usize) -> f64 {
        if n == 0 {
            return f64::NAN;
        }
        1.0 - 0.05f64.powf(1.0 / n as f64)
    }

    /// A sample mean and its standard error s/√n (s with n − 1; 0 for one sample).
    pub fn mean(samples: &[f64]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        let n = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let variance =
            if samples.len() > 1 { samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
        Some(Self { value: mean, std_error: (variance / n).sqrt() })
    }
}

/// The empirical quantile of ascending `sorted` at probability `p`: the
/// inverse of the empirical distribution, the ⌈n·p⌉-th smallest value (the
/// smallest for p = 0), without interpolation, so ±∞ samples stay usable.
pub fn quantile_of_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let rank = snap_to_integer(p * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.saturating_sub(1).min(sorted.len() - 1)])
}

/// `n × p` for a count: 20 × (1 − 0.9) is 1.999…96 in binary, and means 2.
pub(crate) fn snap_to_integer(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() <= 1e-9 * nearest.abs().max(1.0) {
        nearest
    } else {
        x
    }
}

/// One quantile of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuantilePoint {
    pub probability: f64,
    /// `null` in JSON when infinite (a health factor without debt).
    #[serde(deserialize_with = "super::infinity_from_null")]
    pub value: f64,
}

/// One histogram bin, `from ≤ x < to` (the last bin also takes `x = to`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub from: f64,
    /// `null` in JSON when the bin is open-ended (+∞).
    #[serde(deserialize_with = "super::infinity_from_null")]
    pub to: f64,
    pub count: u32,
    /// count / all samples, those outside the edges included.
    pub share: f64,
}

/// Counts of samples between consecutive edges, and outside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub bins: Vec<Bin>,
    pub below: u32,
    pub above: u32,
}

/// A histogram over increasing `edges` (at least two; the last may be +∞).
pub fn histogram(values: &[f64], edges: &[f64]) -> Result<Histogram, RiskError> {
    if edges.len() < 2 || edges.windows(2).any(|w| w[0].partial_cmp(&w[1]) != Some(std::cmp::Ordering::Less)) {
        return Err(RiskError::new("edges", "need at least two edges, strictly increasing"));
    }
    let last = edges.len() - 1;
    let mut counts = vec![0u32; last];
    let (mut below, mut above) = (0u32, 0u32);
    for &v in values {
        if v < edges[0] {
            below += 1;
        } else if v > edges[last] || v.is_nan() {
            above += 1;
        } else {
            // The last edge ≤ v, capped to the last bin so x = last edge is in it.
            let i = edges.partition_point(|&e| e <= v).saturating_sub(1).min(last - 1);
            counts[i] += 1;
        }
    }
    let total = values.len().max(1) as f64;
    let bins = counts
        .iter()
        .enumerate()
        .map(|(i, &count)| Bin { from: edges[i], to: edges[i + 1], count, share: f64::from(count) / total })
        .collect();
    Ok(Histogram { bins, below, above })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empirical_quantiles_take_the_ceiling_rank() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        // ⌈10·0.95⌉ = 10th, ⌈10·0.5⌉ = 5th, ⌈10·0.01⌉ = 1st.
        assert_eq!(quantile_of_sorted(&sorted, 0.95), Some(10.0));
        assert_eq!(quantile_of_sorted(&sorted, 0.5), Some(5.0));
        assert_eq!(quantile_of_sorted(&sorted, 0.51), Some(6.0));
        assert_eq!(quantile_of_sorted(&sorted, 0.01), Some(1.0));
        assert_eq!(quantile_of_sorted(&sorted, 0.0), Some(1.0));
        assert_eq!(quantile_of_sorted(&[], 0.5), None);
    }

    #[test]
    fn histogram_counts_half_open_bins_and_the_closed_last_one() {
        let h = histogram(&[0.5, 1.0, 1.5, 2.0, f64::INFINITY, -1.0], &[0.0, 1.0, 2.0, f64::INFINITY]).unwrap();
        let counts: Vec<u32> = h.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 2, 2]);
        assert_eq!((h.below, h.above), (1, 0));
        assert!((h.bins[1].share - 2.0 / 6.0).abs() < 1e-15);
        assert!(histogram(&[1.0], &[1.0, 1.0]).is_err());
    }

    #[test]
    fn estimates_carry_standard_errors() {
        let p = Estimate::proportion(25, 100);
        assert_eq!(p.value, 0.25);
        assert!((p.std_error - (0.25f64 * 0.75 / 100.0).sqrt()).abs() < 1e-16);
        let m = Estimate::mean(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        // s² = 5/3, s/√4.
        assert_eq!(m.value, 2.5);
        assert!((m.std_error - (5.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-15);
        assert_eq!(Estimate::mean(&[]), None);
        // 10 000 paths, none liquidated: under 0.03 % at 95 % (the rule of three, 3/n).
        let bound = Estimate::no_hit_upper_bound_95(10_000);
        assert!((bound - 2.995_2e-4).abs() < 1e-7, "{bound}");
        assert!((0.05f64.ln() / (1.0 - bound).ln() - 10_000.0).abs() < 1e-6);
        assert!(Estimate::no_hit_upper_bound_95(0).is_nan());
    }
}
