//! A 0–100 collateral quality index per asset.
//!
//! Each component maps one input onto 0–100 by a linear scale between a
//! worst and a best value (on log₁₀ of the input where orders of magnitude
//! matter), clamped; the index is the weighted mean of the components. The
//! scales and weights are data ([`DEFAULT_MODEL`]) so the UI can show every
//! formula, and an unknown input scores 0: an asset is not presumed good.
//!
//! | component | input | worst → best | scale | weight |
//! |---|---|---|---|---|
//! | volatility | annualised σ | 150 % → 20 % | linear | 30 |
//! | liquidity | USD that moves the price 2 % | $100k → $100M | log | 30 |
//! | oracle heartbeat | seconds between forced updates | 24 h → 1 h | log | 8 |
//! | oracle deviation | deviation threshold, fraction | 5 % → 0.5 % | log | 7 |
//! | oracle sources | independent agreeing sources | 1 → 7 | linear | 5 |
//! | concentration | supply share of the 10 largest holders | 80 % → 20 % | linear | 20 |
//!
//! Volatility and liquidity carry the most weight because they decide
//! whether a liquidation happens in time and at a price that covers the
//! debt; the oracle (20 in all) decides whether the protocol sees the price
//! at all; concentration is the risk that one holder's sale is the market.

use serde::{Deserialize, Serialize};

use super::elementary::ln;
use super::RiskError;

/// Which input a component reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    Volatility,
    TwoPercentDepth,
    OracleHeartbeat,
    OracleDeviation,
    OracleSources,
    TopHoldersShare,
}

impl Input {
    /// The [`CollateralInputs`] field it is read from, as a request spells it.
    fn field(self) -> &'static str {
        match self {
            Input::Volatility => "volatility",
            Input::TwoPercentDepth => "two_percent_depth",
            Input::OracleHeartbeat => "oracle_heartbeat",
            Input::OracleDeviation => "oracle_deviation",
            Input::OracleSources => "oracle_sources",
            Input::TopHoldersShare => "top_holders_share",
        }
    }

    /// Why `x` (finite, ≥ 0) is not a value of this input, if it is not: a
    /// share over 1 or a heartbeat of 0 would otherwise score as a perfect or
    /// a worst asset without a word.
    fn out_of_range(self, x: f64) -> Option<&'static str> {
        match self {
            Input::TopHoldersShare if x > 1.0 => Some("a fraction from 0 to 1 is needed (0.35 = 35 %)"),
            Input::OracleDeviation if x == 0.0 || x > 1.0 => {
                Some("a fraction over 0 and at most 1 is needed (0.005 = 0.5 %)")
            }
            Input::OracleHeartbeat if x == 0.0 => Some("seconds, more than 0, are needed"),
            _ => None,
        }
    }
}

/// What is known about one collateral asset; `None` scores 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CollateralInputs {
    /// Annualised volatility, a fraction.
    pub volatility: Option<f64>,
    /// USD of sales that move the price 2 % (summed over the main venues).
    pub two_percent_depth: Option<f64>,
    /// The oracle's heartbeat, seconds.
    pub oracle_heartbeat: Option<f64>,
    /// The oracle's deviation threshold, a fraction (0.005 = 0.5 %).
    pub oracle_deviation: Option<f64>,
    /// Independent sources that must agree (nodes or venues aggregated).
    pub oracle_sources: Option<f64>,
    /// Share of the supply held by the 10 largest holders, a fraction
    /// (protocol contracts and bridges left out where the data allows).
    pub top_holders_share: Option<f64>,
}

impl CollateralInputs {
    pub fn get(&self, input: Input) -> Option<f64> {
        match input {
            Input::Volatility => self.volatility,
            Input::TwoPercentDepth => self.two_percent_depth,
            Input::OracleHeartbeat => self.oracle_heartbeat,
            Input::OracleDeviation => self.oracle_deviation,
            Input::OracleSources => self.oracle_sources,
            Input::TopHoldersShare => self.top_holders_share,
        }
    }
}

/// A linear map of the input (or its log₁₀) from `worst` (0) to `best`
/// (100), clamped. `best` may be below `worst` (lower is better).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scale {
    pub worst: f64,
    pub best: f64,
    pub logarithmic: bool,
}

impl Scale {
    /// 100 × clamp((g(x) − g(worst)) / (g(best) − g(worst)), 0, 1), g = log₁₀ or identity.
    pub fn score(&self, x: f64) -> f64 {
        // Natural logs: the ratio of logarithms is the same in any base.
        let g = |v: f64| if self.logarithmic { ln(v) } else { v };
        let t = (g(x) - g(self.worst)) / (g(self.best) - g(self.worst));
        // A log input of 0 gives ±∞, which clamps to the right end.
        // + 0.0 turns the −0 of a worst-value input into 0.
        100.0 * t.clamp(0.0, 1.0) + 0.0
    }

    /// The formula in words, for the UI.
    pub fn formula(&self, input: &str) -> String {
        if self.logarithmic {
            format!(
                "100 × clamp((log₁₀ {input} − log₁₀ {w}) / (log₁₀ {b} − log₁₀ {w}), 0, 1)",
                w = self.worst,
                b = self.best
            )
        } else {
            format!("100 × clamp(({input} − {w}) / ({b} − {w}), 0, 1)", w = self.worst, b = self.best)
        }
    }
}

/// One component of the index.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Component {
    pub key: &'static str,
    /// Components of one group (the oracle's three) are shown together.
    pub group: &'static str,
    pub input: Input,
    /// The input's symbol in the formula.
    pub symbol: &'static str,
    pub weight: f64,
    pub scale: Scale,
}

/// The default model: see the module docs for the reasoning.
pub const DEFAULT_MODEL: [Component; 6] = [
    Component {
        key: "volatility",
        group: "volatility",
        input: Input::Volatility,
        symbol: "σ",
        weight: 30.0,
        scale: Scale { worst: 1.5, best: 0.2, logarithmic: false },
    },
    Component {
        key: "liquidity",
        group: "liquidity",
        input: Input::TwoPercentDepth,
        symbol: "depth₂%",
        weight: 30.0,
        scale: Scale { worst: 1e5, best: 1e8, logarithmic: true },
    },
    Component {
        key: "oracle_heartbeat",
        group: "oracle",
        input: Input::OracleHeartbeat,
        symbol: "heartbeat",
        weight: 8.0,
        scale: Scale { worst: 86_400.0, best: 3_600.0, logarithmic: true },
    },
    Component {
        key: "oracle_deviation",
        group: "oracle",
        input: Input::OracleDeviation,
        symbol: "deviation",
        weight: 7.0,
        scale: Scale { worst: 0.05, best: 0.005, logarithmic: true },
    },
    Component {
        key: "oracle_sources",
        group: "oracle",
        input: Input::OracleSources,
        symbol: "sources",
        weight: 5.0,
        scale: Scale { worst: 1.0, best: 7.0, logarithmic: false },
    },
    Component {
        key: "concentration",
        group: "concentration",
        input: Input::TopHoldersShare,
        symbol: "top10",
        weight: 20.0,
        scale: Scale { worst: 0.8, best: 0.2, logarithmic: false },
    },
];

/// One component's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentScore {
    pub key: String,
    pub group: String,
    pub weight: f64,
    /// The input, `None` when unknown (scored 0).
    pub input: Option<f64>,
    pub score: f64,
    /// weight × score / Σ weights: its points in the index.
    pub contribution: f64,
    pub formula: String,
}

/// An asset's index with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityIndex {
    pub asset: String,
    /// 0–100, the weighted mean of the component scores.
    pub score: f64,
    pub components: Vec<ComponentScore>,
}

/// The index of `asset` under `model` (e.g. [`DEFAULT_MODEL`]).
pub fn quality_index(asset: &str, inputs: &CollateralInputs, model: &[Component]) -> Result<QualityIndex, RiskError> {
    let total_weight: f64 = model.iter().map(|c| c.weight).sum();
    if model.iter().any(|c| !c.weight.is_finite() || c.weight < 0.0) || total_weight <= 0.0 {
        return Err(RiskError::new("model", "weights must be finite, not negative, and not all 0"));
    }
    let mut components = Vec::with_capacity(model.len());
    for c in model {
        let input = inputs.get(c.input);
        if let Some(x) = input {
            if !(x.is_finite() && x >= 0.0) {
                return Err(RiskError::new(
                    format!("{asset}.{}", c.input.field()),
                    format!("is {x}; a finite number ≥ 0 is needed"),
                ));
            }
            if let Some(problem) = c.input.out_of_range(x) {
                return Err(RiskError::new(format!("{asset}.{}", c.input.field()), format!("is {x}; {problem}")));
            }
        }
        let score = input.map_or(0.0, |x| c.scale.score(x));
        components.push(ComponentScore {
            key: c.key.to_owned(),
            group: c.group.to_owned(),
            weight: c.weight,
            input,
            score,
            contribution: c.weight * score / total_weight,
            formula: c.scale.formula(c.symbol),
        });
    }
    let score = components.iter().map(|c| c.contribution).sum();
    Ok(QualityIndex { asset: asset.to_owned(), score, components })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worked_example() {
        // σ 65 %: (0.65 − 1.5)/(0.2 − 1.5) = 0.653 846 → 65.3846.
        // $20M depth: (log 2e7 − 5)/(8 − 5) = 0.767 010 → 76.7010.
        // Heartbeat 1 h, deviation 0.5 %, 31 sources: 100 each (clamped).
        // Top-10 share 35 %: (0.35 − 0.8)/(0.2 − 0.8) = 0.75 → 75.
        // Index: (30·65.3846 + 30·76.7010 + 8·100 + 7·100 + 5·100 + 20·75)/100 = 77.6257.
        let inputs = CollateralInputs {
            volatility: Some(0.65),
            two_percent_depth: Some(2e7),
            oracle_heartbeat: Some(3_600.0),
            oracle_deviation: Some(0.005),
            oracle_sources: Some(31.0),
            top_holders_share: Some(0.35),
        };
        let q = quality_index("WETH", &inputs, &DEFAULT_MODEL).unwrap();
        let scores: Vec<f64> = q.components.iter().map(|c| c.score).collect();
        let expected = [0.85 / 1.3 * 100.0, (2e7f64.log10() - 5.0) / 3.0 * 100.0, 100.0, 100.0, 100.0, 75.0];
        for (got, want) in scores.iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{scores:?}");
        }
        assert!((q.score - 77.625_7).abs() < 1e-4, "{}", q.score);
        assert_eq!(q.components[0].formula, "100 × clamp((σ − 1.5) / (0.2 − 1.5), 0, 1)");
        assert_eq!(
            q.components[1].formula,
            "100 × clamp((log₁₀ depth₂% − log₁₀ 100000) / (log₁₀ 100000000 − log₁₀ 100000), 0, 1)"
        );
    }

    #[test]
    fn unknown_inputs_score_zero_and_bad_ones_are_refused() {
        let q = quality_index("NEW", &CollateralInputs { volatility: Some(0.2), ..Default::default() }, &DEFAULT_MODEL)
            .unwrap();
        assert!((q.score - 30.0).abs() < 1e-9, "only volatility counts: {}", q.score);
        let bad = CollateralInputs { two_percent_depth: Some(f64::NAN), ..Default::default() };
        assert!(quality_index("X", &bad, &DEFAULT_MODEL).is_err());
        // Out of range: a share over 1 scored 0, a heartbeat or deviation of 0 scored 100.
        let refused = |inputs: CollateralInputs| quality_index("X", &inputs, &DEFAULT_MODEL).unwrap_err().to_string();
        assert_eq!(
            refused(CollateralInputs { top_holders_share: Some(35.0), ..Default::default() }),
            "X.top_holders_share: is 35; a fraction from 0 to 1 is needed (0.35 = 35 %)"
        );
        assert_eq!(
            refused(CollateralInputs { oracle_heartbeat: Some(0.0), ..Default::default() }),
            "X.oracle_heartbeat: is 0; seconds, more than 0, are needed"
        );
        assert!(refused(CollateralInputs { oracle_deviation: Some(0.0), ..Default::default() })
            .starts_with("X.oracle_deviation: is 0; a fraction over 0"));
        assert_eq!(DEFAULT_MODEL.iter().map(|c| c.weight).sum::<f64>(), 100.0);
    }
}
