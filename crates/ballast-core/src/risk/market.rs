//! How prices move in the simulation: each asset's volatility and drift,
//! the correlation of their shocks, and the shape of the shocks' tails.

use serde::{Deserialize, Serialize};

use super::correlation::{CholeskyFactor, CorrelationMatrix};
use super::{finite, RiskError};
use crate::exact::to_f64_lossy;
use crate::scenario::Scenario;

/// One asset's price dynamics: geometric Brownian motion,
/// dS/S = μ dt + σ dW, so the log price drifts by μ − σ²/2 a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetDynamics {
    pub symbol: String,
    /// σ, annualised (0.65 = 65 %); 0 holds the price.
    pub volatility: f64,
    /// μ, the price's expected growth a year (0 = no view: the price is a
    /// martingale, its expectation staying S₀).
    pub drift: f64,
}

/// The distribution of the daily shocks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tails {
    /// Normal shocks: lognormal prices.
    Normal,
    /// Multivariate Student-t shocks scaled to unit variance: the same
    /// volatility and correlation, fatter tails. All assets share one
    /// chi-squared draw per day, so they crash together (a normal vector
    /// divided by √(χ²/ν)). ν must exceed 2; crypto daily returns fit ν ≈ 3–5.
    StudentT { degrees_of_freedom: f64 },
}

/// Assets' dynamics with the correlation of their shocks.
#[derive(Debug, Clone)]
pub struct MarketModel {
    assets: Vec<AssetDynamics>,
    correlation: CorrelationMatrix,
    factor: CholeskyFactor,
    tails: Tails,
}

impl MarketModel {
    /// `correlation` is over `assets` in their order and must be positive
    /// semi-definite (see [`CorrelationMatrix::positive_semidefinite`]).
    pub fn new(assets: Vec<AssetDynamics>, correlation: CorrelationMatrix, tails: Tails) -> Result<Self, RiskError> {
        if correlation.size() != assets.len() {
            return Err(RiskError::new(
                "market.correlation",
                format!("is {0}×{0} but the market has {1} assets", correlation.size(), assets.len()),
            ));
        }
        for (i, a) in assets.iter().enumerate() {
            let at = |what: &str| format!("market.assets[{i}] ({}).{what}", a.symbol);
            if assets[..i].iter().any(|b| b.symbol == a.symbol) {
                return Err(RiskError::new(at("symbol"), "is listed twice"));
            }
            if finite(a.volatility, || at("volatility"))? < 0.0 {
                return Err(RiskError::new(at("volatility"), "must not be negative"));
            }
            finite(a.drift, || at("drift"))?;
        }
        if let Tails::StudentT { degrees_of_freedom } = tails {
            if !(degrees_of_freedom > 2.0 && degrees_of_freedom.is_finite()) {
                return Err(RiskError::new(
                    "market.tails.degrees_of_freedom",
                    format!(
                        "is {degrees_of_freedom}; unit variance needs more than 2 (and finite; use normal tails for ∞)"
                    ),
                ));
            }
        }
        let factor = correlation.cholesky().map_err(|e| RiskError::new("market.correlation", e.problem))?;
        Ok(Self { assets, correlation, factor, tails })
    }

    /// Uncorrelated assets.
    pub fn independent(assets: Vec<AssetDynamics>, tails: Tails) -> Result<Self, RiskError> {
        let n = assets.len();
        Self::new(assets, CorrelationMatrix::identity(n), tails)
    }

    /// The dynamics a scenario's `volatility` fields give (drift 0), every
    /// pair of non-stable assets correlated by `common_correlation`. A
    /// `stable` asset without a volatility is held at its price; an asset
    /// without a price (Maker's DAI) or without a volatility is left out, and
    /// the simulation names it if the position needs it.
    pub fn from_scenario(s: &Scenario, common_correlation: f64, tails: Tails) -> Result<Self, RiskError> {
        let mut assets = Vec::new();
        let mut stable = Vec::new();
        for (i, a) in s.assets.iter().enumerate() {
            if a.price.is_none() {
                continue;
            }
            let volatility = match (&a.volatility, a.stable) {
                (Some(v), _) => finite(to_f64_lossy(&v.to_rational()), || format!("assets[{i}].volatility"))?,
                (None, Some(true)) => 0.0,
                (None, _) => continue,
            };
            stable.push(a.stable == Some(true));
            assets.push(AssetDynamics { symbol: a.symbol.clone(), volatility, drift: 0.0 });
        }
        let n = assets.len();
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        if i == j {
                            1.0
                        } else if stable[i] || stable[j] {
                            0.0
                        } else {
                            common_correlation
                        }
                    })
                    .collect()
            })
            .collect();
        let correlation = CorrelationMatrix::from_rows(&rows)?;
        Self::new(assets, correlation, tails)
    }

    pub fn assets(&self) -> &[AssetDynamics] {
        &self.assets
    }

    pub fn correlation(&self) -> &CorrelationMatrix {
        &self.correlation
    }

    pub fn tails(&self) -> Tails {
        self.tails
    }

    pub(crate) fn factor(&self) -> &CholeskyFactor {
        &self.factor
    }

    /// The index of `symbol`'s dynamics.
    pub fn index_of(&self, symbol: &str) -> Option<usize> {
        self.assets.iter().position(|a| a.symbol == symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dynamics(symbol: &str, volatility: f64) -> AssetDynamics {
        AssetDynamics { symbol: symbol.into(), volatility, drift: 0.0 }
    }

    #[test]
    fn refuses_mismatched_or_invalid_inputs() {
        let two = || vec![dynamics("A", 0.5), dynamics("B", 0.5)];
        assert!(MarketModel::new(two(), CorrelationMatrix::identity(3), Tails::Normal).is_err());
        assert!(MarketModel::independent(vec![dynamics("A", -0.1)], Tails::Normal).is_err());
        assert!(MarketModel::independent(vec![dynamics("A", 0.5), dynamics("A", 0.6)], Tails::Normal).is_err());
        let e = MarketModel::independent(two(), Tails::StudentT { degrees_of_freedom: 2.0 }).unwrap_err();
        assert!(e.to_string().starts_with("market.tails.degrees_of_freedom: is 2;"), "{e}");
        let bad =
            CorrelationMatrix::from_rows(&[vec![1.0, 1.0, 0.0], vec![1.0, 1.0, 1.0], vec![0.0, 1.0, 1.0]]).unwrap();
        let three = vec![dynamics("A", 0.5), dynamics("B", 0.5), dynamics("C", 0.5)];
        assert!(MarketModel::new(three, bad, Tails::Normal)
            .unwrap_err()
            .problem
            .contains("not positive semi-definite"));
    }

    #[test]
    fn reads_volatilities_from_a_scenario() {
        let s = Scenario::parse(
            r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[
              {"symbol":"WETH","decimals":18,"price":"2000","volatility":"0.7"},
              {"symbol":"WBTC","decimals":8,"price":"60000","volatility":"0.5"},
              {"symbol":"USDC","decimals":6,"price":"1","stable":true},
              {"symbol":"LINK","decimals":18,"price":"15"}],"collateral":[],"debt":[]}"#,
        )
        .unwrap();
        let m = MarketModel::from_scenario(&s, 0.8, Tails::Normal).unwrap();
        let symbols: Vec<&str> = m.assets().iter().map(|a| a.symbol.as_str()).collect();
        assert_eq!(symbols, ["WETH", "WBTC", "USDC"]);
        assert_eq!(m.assets()[2].volatility, 0.0);
        assert_eq!(m.correlation().rows(), vec![vec![1.0, 0.8, 0.0], vec![0.8, 1.0, 0.0], vec![0.0, 0.0, 1.0]]);
    }
}
