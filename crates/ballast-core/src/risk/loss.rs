//! Value at risk and expected shortfall of the position's net value
//! (collateral − debt, USD) over the simulated horizon.
//!
//! The loss on a path is today's net value less the path's terminal one,
//! so a liquidation's cost (the bonus the liquidator takes) is in it, as are
//! interest and price moves. Net value is not floored at zero: a negative
//! terminal value is debt the collateral no longer covers.
//!
//! Conventions over n simulated losses: VaR at confidence α is the
//! empirical α-quantile, the ⌈n·α⌉-th smallest loss; expected shortfall is
//! the mean of the worst n·(1 − α) losses, the boundary loss weighted by
//! the fractional part (Acerbi and Tasche, 2002), so ES ≥ VaR always.

use serde::{Deserialize, Serialize};

use super::monte_carlo::Simulation;
use super::stats::{quantile_of_sorted, snap_to_integer, Estimate};
use super::RiskError;

/// The confidence levels reported by default.
pub const CONFIDENCE_LEVELS: [f64; 2] = [0.95, 0.99];

/// Loss figures at one confidence level, USD (a positive number is a loss).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TailRisk {
    pub confidence: f64,
    pub value_at_risk: f64,
    pub expected_shortfall: f64,
}

/// What the UI shows of the loss distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LossSummary {
    pub starting_net_value: f64,
    /// Mean terminal net value.
    pub expected_net_value: Estimate,
    pub tail: Vec<TailRisk>,
    /// Mean cost of liquidations over all paths (0 on those not liquidated).
    pub expected_liquidation_cost: Estimate,
}

/// Each path's loss, today's net value less the terminal one.
pub fn losses(simulation: &Simulation) -> Vec<f64> {
    simulation.outcomes.iter().map(|o| simulation.starting_net_value - o.terminal_net_value).collect()
}

/// VaR and ES of `losses` at `confidence` (in (0, 1)).
pub fn tail_risk(losses: &[f64], confidence: f64) -> Result<TailRisk, RiskError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(RiskError::new("confidence", format!("is {confidence}; it must lie strictly between 0 and 1")));
    }
    if let Some(i) = losses.iter().position(|l| !l.is_finite()) {
        return Err(RiskError::new(format!("losses[{i}]"), "is not a finite number"));
    }
    let mut sorted = losses.to_vec();
    sorted.sort_by(f64::total_cmp);
    let value_at_risk =
        quantile_of_sorted(&sorted, confidence).ok_or_else(|| RiskError::new("losses", "there are none"))?;
    // The worst m = n(1 − α) losses: ⌊m⌋ whole, the next one by the fraction left.
    let tail_count = snap_to_integer(sorted.len() as f64 * (1.0 - confidence));
    let whole = tail_count.floor() as usize;
    let fraction = tail_count - whole as f64;
    let mut worst = sorted.iter().rev();
    let mut sum: f64 = worst.by_ref().take(whole).sum();
    if let Some(boundary) = worst.next() {
        sum += fraction * boundary;
    }
    let expected_shortfall = if tail_count > 0.0 { sum / tail_count } else { value_at_risk };
    Ok(TailRisk { confidence, value_at_risk, expected_shortfall })
}

/// The loss summary at [`CONFIDENCE_LEVELS`].
pub fn summary(simulation: &Simulation) -> Result<LossSummary, RiskError> {
    let losses = losses(simulation);
    let tail = CONFIDENCE_LEVELS.iter().map(|&c| tail_risk(&losses, c)).collect::<Result<Vec<_>, _>>()?;
    let terminal: Vec<f64> = simulation.outcomes.iter().map(|o| o.terminal_net_value).collect();
    let costs: Vec<f64> = simulation.outcomes.iter().map(|o| o.liquidation_cost).collect();
    let none = || RiskError::new("simulation", "has no paths");
    Ok(LossSummary {
        starting_net_value: simulation.starting_net_value,
        expected_net_value: Estimate::mean(&terminal).ok_or_else(none)?,
        tail,
        expected_liquidation_cost: Estimate::mean(&costs).ok_or_else(none)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_and_es_of_a_hand_worked_sample() {
        // Losses 1..=20: at 90 %, VaR is the ⌈18⌉-th = 18 and ES the mean of
        // the worst 2 = 19.5; at 95 %, VaR the 19th and ES the worst one, 20;
        // at 97.5 %, VaR the ⌈19.5⌉-th = 20 and ES = (0.5 × 20) / 0.5 = 20.
        let losses: Vec<f64> = (1..=20).map(f64::from).rev().collect();
        let at = |c| tail_risk(&losses, c).unwrap();
        assert_eq!((at(0.9).value_at_risk, at(0.9).expected_shortfall), (18.0, 19.5));
        assert_eq!((at(0.95).value_at_risk, at(0.95).expected_shortfall), (19.0, 20.0));
        assert_eq!((at(0.975).value_at_risk, at(0.975).expected_shortfall), (20.0, 20.0));
        // 85 %: m = 3, the worst three 20, 19, 18. 87.5 %: m = 2.5, (20 + 19 + 0.5·18)/2.5 = 19.2.
        assert!((at(0.85).expected_shortfall - 19.0).abs() < 1e-12);
        assert!((at(0.875).expected_shortfall - 19.2).abs() < 1e-12, "{}", at(0.875).expected_shortfall);
        assert!(tail_risk(&losses, 1.0).is_err());
        assert!(tail_risk(&[], 0.95).is_err());
    }
}
