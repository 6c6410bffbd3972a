//! The risk engine: how likely a position is to be liquidated, and what it
//! could lose, under simulated prices.
//!
//! Protocol math elsewhere in the engine is exact; this module is statistics
//! and works in `f64`. Its inputs come from the exact models
//! ([`RiskPosition::from_aave`] reads an [`crate::aave_v3::Position`]), and
//! every path values the position with the exact health *ratio*
//! `Σ collateral × threshold × price / Σ debt × price` in `f64`: the Pool's
//! integer rounding (a few wei, a floored basis point) is ignored in the
//! simulation.
//!
//! Every figure is reproducible: the same inputs and seed give bit-identical
//! results on every platform, the browser's wasm32 included, because the
//! random streams are defined here ([`rng`]) and `exp`/`ln` are computed by
//! this module's own routines ([`elementary`]) rather than the platform's libm.
//!
//! - [`volatility`]: volatility from daily closes (simple and EWMA).
//! - [`correlation`]: correlation of returns, repaired to positive
//!   semi-definite, and its Cholesky factor ([`linalg`] does the algebra).
//! - [`rng`]: a seeded PRNG, normal and Student-t draws; [`normal`] the
//!   normal distribution; [`elementary`] platform-independent `exp` and `ln`.
//! - [`barrier`]: closed-form barrier hitting for one asset.
//! - [`market`] and [`exposure`]: the price dynamics and the position.
//! - [`monte_carlo`]: correlated price paths; liquidation probability,
//!   minimum health factor, time to liquidation.
//! - [`loss`]: value at risk and expected shortfall of the net value.
//! - [`liquidity`]: what seized collateral fetches when sold.
//! - [`quality`]: a 0–100 collateral quality index.
//! - [`stats`]: estimates with standard errors, quantiles, histograms.
//! - [`history`]: price histories (the demo's are synthetic) and what they estimate.
//! - [`run`]: one run from JSON inputs to every figure the Risk page shows.
//!
//! See `docs/risk.md` for the models and their conventions.

pub mod barrier;
pub mod correlation;
pub mod elementary;
pub mod exposure;
pub mod history;
pub mod linalg;
pub mod liquidity;
pub mod loss;
pub mod market;
pub mod market_history;
pub mod monte_carlo;
pub mod normal;
pub mod quality;
pub mod rng;
pub mod run;
pub mod stats;
pub mod volatility;

pub use correlation::CorrelationMatrix;
pub use exposure::{LiquidationTerms, RiskExposure, RiskPosition, Seizure};
pub use market::{AssetDynamics, MarketModel, Tails};
pub use monte_carlo::{simulate, simulate_paths, PathOutcome, Simulation, SimulationSettings, SimulationSummary};

/// Days in a year for annualising: crypto markets trade every day, and Aave's
/// `SECONDS_PER_YEAR` is 365 days too.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// An input the risk engine cannot use, with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input}: {problem}")]
pub struct RiskError {
    /// Which input, e.g. `closes[3]` or `market.volatility[WETH]`.
    pub input: String,
    pub problem: String,
}

impl RiskError {
    pub fn new(input: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { input: input.into(), problem: problem.into() }
    }
}

impl From<crate::scenario::ScenarioError> for RiskError {
    fn from(e: crate::scenario::ScenarioError) -> Self {
        Self { input: e.field, problem: e.problem }
    }
}

/// Checks a number is finite (not NaN or ±∞), naming the input otherwise.
pub(crate) fn finite(value: f64, input: impl FnOnce() -> String) -> Result<f64, RiskError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(RiskError::new(input(), format!("is {value}; a finite number is needed")))
    }
}

/// Reads a number the engine wrote as `null` because it was infinite (a
/// health factor without debt, an open-ended bin): serde_json writes every
/// non-finite f64 as `null`, and the only infinity these fields hold is +∞.
pub(crate) fn infinity_from_null<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    use serde::Deserialize;
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::INFINITY))
}
