//! Monte Carlo over correlated price paths: how likely the position is to
//! be liquidated within a horizon, how low its health factor goes, and when.
//!
//! Each path moves every market asset's price by daily geometric Brownian
//! steps, ln Sₜ₊₁ = ln Sₜ + (μ − σ²/2)Δt + σ√Δt·zₜ with Δt = 1/365 and z
//! correlated through the Cholesky factor of the correlation (normal, or
//! Student-t with unit variance). Interest grows each reserve's collateral
//! and debt by its daily factor. Every day the exact health ratio
//! Σ collateral × threshold × price / Σ debt × price is evaluated in `f64`;
//! the Pool's integer rounding is ignored.
//!
//! The first day the ratio is below 1 the position is liquidated once, as
//! [`LiquidationTerms`] say: the close-factor share of every debt is repaid
//! and collateral worth that times the bonus is seized, pro rata to the
//! seizable collateral's value; the position then carries on to the
//! horizon (later liquidations are not modelled). The minimum health factor
//! and the liquidation probability are of the position as if nobody
//! liquidated it; the terminal net value is after the liquidation.
//!
//! Path k draws from its own stream of the seed ([`Rng::stream`]), so a run
//! is bit-identical for a seed, whichever machine or how many workers run it.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::correlation::CholeskyFactor;
use super::elementary::exp;
use super::exposure::{LiquidationTerms, RiskPosition, Seizure};
use super::market::{MarketModel, Tails};
use super::rng::Rng;
use super::stats::{histogram, quantile_of_sorted, Estimate, Histogram, QuantilePoint};
use super::{RiskError, DAYS_PER_YEAR};

/// Most paths one run may ask for (the outcomes are kept: 32 bytes each).
pub const MAX_PATHS: u32 = 1_000_000;
/// Longest horizon, ten years of days.
pub const MAX_HORIZON_DAYS: u32 = 3_650;

/// Health-factor edges for the minimum's histogram: fine around 1.
pub const HEALTH_FACTOR_EDGES: [f64; 12] = [0.0, 0.5, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.25, 1.5, 2.0, f64::INFINITY];
/// Probabilities at which the minimum health factor is summarised.
pub const SUMMARY_PROBABILITIES: [f64; 9] = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

/// How much to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationSettings {
    pub horizon_days: u32,
    pub paths: u32,
    pub seed: u64,
}

/// What happened on one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathOutcome {
    /// The lowest health ratio from day 0 to the horizon, had nobody liquidated.
    pub min_health_factor: f64,
    /// The first day the health ratio was under 1 (0: liquidatable today).
    pub liquidation_day: Option<u32>,
    /// Collateral less debt at the horizon, after the liquidation, USD.
    pub terminal_net_value: f64,
    /// What the liquidation cost the owner: collateral seized less debt
    /// repaid, USD at that day's prices (0 without one).
    pub liquidation_cost: f64,
}

/// Every path's outcome, in path order.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub settings: SimulationSettings,
    pub starting_health_factor: f64,
    pub starting_net_value: f64,
    pub outcomes: Vec<PathOutcome>,
}

/// The minimum health factor's distribution over paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub histogram: Histogram,
    pub quantiles: Vec<QuantilePoint>,
}

/// What the UI shows of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationSummary {
    pub settings: SimulationSettings,
    /// `null` in JSON without debt (+∞).
    #[serde(deserialize_with = "super::infinity_from_null")]
    pub starting_health_factor: f64,
    pub liquidation_probability: Estimate,
    pub min_health_factor: Distribution,
    /// Mean day of liquidation among the paths liquidated, with its
    /// standard error; `None` when no path was.
    pub days_to_liquidation: Option<Estimate>,
}

/// Simulates `settings.paths` price paths over `settings.horizon_days` days.
/// Every asset of the position whose price moves needs dynamics in `market`.
pub fn simulate(
    position: &RiskPosition,
    market: &MarketModel,
    settings: &SimulationSettings,
) -> Result<Simulation, RiskError> {
    if settings.paths == 0 || settings.paths > MAX_PATHS {
        return Err(RiskError::new("settings.paths", format!("is {}; 1 to {MAX_PATHS} are allowed", settings.paths)));
    }
    if settings.horizon_days == 0 || settings.horizon_days > MAX_HORIZON_DAYS {
        return Err(RiskError::new(
            "settings.horizon_days",
            format!("is {}; 1 to {MAX_HORIZON_DAYS} are allowed", settings.horizon_days),
        ));
    }
    let (model, outcomes) = run_paths(position, market, settings.horizon_days, settings.seed, 0..settings.paths)?;
    Ok(Simulation {
        settings: *settings,
        starting_health_factor: model.health_ratio(0, &model.start_prices),
        starting_net_value: model.net_value(0, &model.start_prices, Scale::UNTOUCHED),
        outcomes,
    })
}

/// Paths `paths` of a run with `settings.seed` and `settings.horizon_days`
/// (`settings.paths` is ignored): what one of several workers computes.
/// Concatenating the outcomes of consecutive ranges gives exactly the
/// outcomes of [`simulate`] over their union.
pub fn simulate_paths(
    position: &RiskPosition,
    market: &MarketModel,
    settings: &SimulationSettings,
    paths: Range<u32>,
) -> Result<Vec<PathOutcome>, RiskError> {
    if settings.horizon_days == 0 || settings.horizon_days > MAX_HORIZON_DAYS {
        return Err(RiskError::new(
            "settings.horizon_days",
            format!("is {}; 1 to {MAX_HORIZON_DAYS} are allowed", settings.horizon_days),
        ));
    }
    if paths.len() > MAX_PATHS as usize {
        return Err(RiskError::new("paths", format!("has {} paths; at most {MAX_PATHS} are allowed", paths.len())));
    }
    Ok(run_paths(position, market, settings.horizon_days, settings.seed, paths)?.1)
}

fn run_paths(
    position: &RiskPosition,
    market: &MarketModel,
    horizon: u32,
    seed: u64,
    paths: Range<u32>,
) -> Result<(PathModel, Vec<PathOutcome>), RiskError> {
    position.validate()?;
    let model = PathModel::new(position, market, horizon)?;
    let mut scratch = Scratch::new(&model);
    let outcomes = paths.map(|path| model.run(&mut Rng::stream(seed, u64::from(path)), &mut scratch)).collect();
    Ok((model, outcomes))
}

impl Simulation {
    /// P(health factor < 1 on some day from 0 to the horizon), with its
    /// binomial standard error.
    pub fn liquidation_probability(&self) -> Estimate {
        let hits = self.outcomes.iter().filter(|o| o.liquidation_day.is_some()).count();
        Estimate::proportion(hits, self.outcomes.len())
    }

    /// The minimum health factor's histogram over `edges` and its quantiles
    /// at `probabilities` (empirical, see [`quantile_of_sorted`]).
    pub fn min_health_factor_distribution(
        &self,
        edges: &[f64],
        probabilities: &[f64],
    ) -> Result<Distribution, RiskError> {
        let mut minima: Vec<f64> = self.outcomes.iter().map(|o| o.min_health_factor).collect();
        minima.sort_by(f64::total_cmp);
        let quantiles = probabilities
            .iter()
            .filter_map(|&p| quantile_of_sorted(&minima, p).map(|value| QuantilePoint { probability: p, value }))
            .collect();
        Ok(Distribution { histogram: histogram(&minima, edges)?, quantiles })
    }

    /// The mean first day of liquidation among the paths that liquidate.
    pub fn days_to_liquidation(&self) -> Option<Estimate> {
        let days: Vec<f64> = self.outcomes.iter().filter_map(|o| o.liquidation_day.map(f64::from)).collect();
        Estimate::mean(&days)
    }

    /// The figures the UI shows, with the default edges and probabilities.
    pub fn summary(&self) -> SimulationSummary {
        SimulationSummary {
            settings: self.settings,
            starting_health_factor: self.starting_health_factor,
            liquidation_probability: self.liquidation_probability(),
            min_health_factor: self
                .min_health_factor_distribution(&HEALTH_FACTOR_EDGES, &SUMMARY_PROBABILITIES)
                .unwrap_or_else(|e| unreachable!("the default edges are increasing: {e}")),
            days_to_liquidation: self.days_to_liquidation(),
        }
    }
}

/// The scale a liquidation leaves on the seizable collateral and the debt.
#[derive(Debug, Clone, Copy)]
struct Scale {
    seizable: f64,
    debt: f64,
}

impl Scale {
    const UNTOUCHED: Self = Self { seizable: 1.0, debt: 1.0 };
}

/// Everything fixed across paths, precomputed once.
struct PathModel {
    factor: CholeskyFactor,
    tails: Tails,
    /// Per market asset: the log price's daily drift and shock scale.
    drift: Vec<f64>,
    shock: Vec<f64>,
    /// Per exposure: its market asset, or `None` when its price is held.
    market_of: Vec<Option<usize>>,
    start_prices: Vec<f64>,
    seizable: Vec<bool>,
    bonus: Vec<f64>,
    terms: LiquidationTerms,
    /// Per day and exposure (`day × exposures + a`): risk-adjusted
    /// collateral (× threshold), collateral and debt in tokens, interest included.
    risk_collateral: Vec<f64>,
    collateral: Vec<f64>,
    debt: Vec<f64>,
    exposures: usize,
    horizon: u32,
}

/// Per-path working memory, allocated once.
struct Scratch {
    independent: Vec<f64>,
    correlated: Vec<f64>,
    log_moves: Vec<f64>,
    moves: Vec<f64>,
    prices: Vec<f64>,
}

impl Scratch {
    fn new(model: &PathModel) -> Self {
        let n = model.drift.len();
        Self {
            independent: vec![0.0; n],
            correlated: vec![0.0; n],
            log_moves: vec![0.0; n],
            moves: vec![1.0; n],
            prices: model.start_prices.clone(),
        }
    }
}

impl PathModel {
    fn new(position: &RiskPosition, market: &MarketModel, horizon: u32) -> Result<Self, RiskError> {
        let dt = 1.0 / DAYS_PER_YEAR;
        let drift = market.assets().iter().map(|a| (a.drift - 0.5 * a.volatility * a.volatility) * dt).collect();
        let shock = market.assets().iter().map(|a| a.volatility * dt.sqrt()).collect();
        let assets = &position.assets;
        let market_of = assets
            .iter()
            .map(|a| {
                if !a.price_moves {
                    return Ok(None);
                }
                market.index_of(&a.asset).map(Some).ok_or_else(|| {
                    RiskError::new(
                        format!("market.{}", a.asset),
                        "has no volatility; the position holds or owes it, so its price dynamics are needed",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let exposures = assets.len();
        let days = horizon as usize + 1;
        let (mut risk_collateral, mut collateral, mut debt) = (
            Vec::with_capacity(days * exposures),
            Vec::with_capacity(days * exposures),
            Vec::with_capacity(days * exposures),
        );
        // Growth by repeated multiplication (not powi) so every platform rounds alike.
        let mut growth: Vec<(f64, f64)> = vec![(1.0, 1.0); exposures];
        for _ in 0..days {
            for (a, (gc, gd)) in assets.iter().zip(&mut growth) {
                collateral.push(a.collateral * *gc);
                risk_collateral.push(a.collateral * a.liquidation_threshold * *gc);
                debt.push(a.debt * *gd);
                *gc *= a.collateral_growth;
                *gd *= a.debt_growth;
            }
        }
        Ok(Self {
            factor: market.factor().clone(),
            tails: market.tails(),
            drift,
            shock,
            market_of,
            start_prices: assets.iter().map(|a| a.price).collect(),
            seizable: assets.iter().map(|a| a.liquidation_threshold > 0.0 && a.collateral > 0.0).collect(),
            bonus: assets.iter().map(|a| a.liquidation_bonus).collect(),
            terms: position.liquidation,
            risk_collateral,
            collateral,
            debt,
            exposures,
            horizon,
        })
    }

    fn day(&self, day: u32) -> Range<usize> {
        let start = day as usize * self.exposures;
        start..start + self.exposures
    }

    fn health_ratio(&self, day: u32, prices: &[f64]) -> f64 {
        let row = self.day(day);
        let collateral: f64 = self.risk_collateral[row.clone()].iter().zip(prices).map(|(c, p)| c * p).sum();
        let debt: f64 = self.debt[row].iter().zip(prices).map(|(d, p)| d * p).sum();
        if debt > 0.0 {
            collateral / debt
        } else {
            f64::INFINITY
        }
    }

    fn net_value(&self, day: u32, prices: &[f64], scale: Scale) -> f64 {
        let row = self.day(day);
        let mut value = 0.0;
        for (((c, d), p), &seizable) in
            self.collateral[row.clone()].iter().zip(&self.debt[row]).zip(prices).zip(&self.seizable)
        {
            let kept = if seizable { scale.seizable } else { 1.0 };
            value += c * kept * p - d * scale.debt * p;
        }
        value
    }

    /// One liquidation at `health_ratio`: the scale it leaves and its cost.
    fn liquidate(&self, day: u32, prices: &[f64], health_ratio: f64) -> (Scale, f64) {
        let row = self.day(day);
        let (mut seizable_value, mut bonus_weighted, mut debt_value) = (0.0, 0.0, 0.0);
        for (a, ((c, d), p)) in self.collateral[row.clone()].iter().zip(&self.debt[row]).zip(prices).enumerate() {
            if self.seizable[a] {
                seizable_value += c * p;
                bonus_weighted += c * p * self.bonus[a];
            }
            debt_value += d * p;
        }
        if seizable_value <= 0.0 || debt_value <= 0.0 {
            return (Scale::UNTOUCHED, 0.0);
        }
        let mut repaid = self.terms.close_factor_at(health_ratio) * debt_value;
        let seized = match self.terms.seizure {
            Seizure::Everything => seizable_value,
            Seizure::Bonus => {
                // Pro rata over the collateral, so the bonus is their value-weighted mean.
                let bonus = bonus_weighted / seizable_value;
                let seized = (repaid * bonus).min(seizable_value);
                // Collateral short of debt × bonus repays only its share,
                // unless the protocol takes the whole debt anyway (Maker).
                if !(self.terms.takes_whole_debt && repaid >= debt_value) {
                    repaid = seized / bonus;
                }
                seized
            }
        };
        let scale = Scale { seizable: 1.0 - seized / seizable_value, debt: 1.0 - repaid / debt_value };
        (scale, seized - repaid)
    }

    fn run(&self, rng: &mut Rng, s: &mut Scratch) -> PathOutcome {
        s.log_moves.fill(0.0);
        s.prices.copy_from_slice(&self.start_prices);
        let mut min_health_factor = self.health_ratio(0, &s.prices);
        let mut liquidation_day = None;
        let (mut scale, mut liquidation_cost) = (Scale::UNTOUCHED, 0.0);
        if min_health_factor < 1.0 {
            liquidation_day = Some(0);
            (scale, liquidation_cost) = self.liquidate(0, &s.prices, min_health_factor);
        }
        for day in 1..=self.horizon {
            for z in s.independent.iter_mut() {
                *z = rng.standard_normal();
            }
            let tail_scale = match self.tails {
                Tails::Normal => 1.0,
                // z·√(ν/χ²) is Student-t; × √((ν − 2)/ν) gives it unit variance.
                Tails::StudentT { degrees_of_freedom: nu } => ((nu - 2.0) / rng.chi_squared(nu)).sqrt(),
            };
            self.factor.correlate(&s.independent, &mut s.correlated);
            for m in 0..self.drift.len() {
                s.log_moves[m] += self.drift[m] + self.shock[m] * s.correlated[m] * tail_scale;
                s.moves[m] = exp(s.log_moves[m]);
            }
            for (a, market) in self.market_of.iter().enumerate() {
                if let Some(m) = *market {
                    s.prices[a] = self.start_prices[a] * s.moves[m];
                }
            }
            let health_factor = self.health_ratio(day, &s.prices);
            min_health_factor = min_health_factor.min(health_factor);
            if liquidation_day.is_none() && health_factor < 1.0 {
                liquidation_day = Some(day);
                (scale, liquidation_cost) = self.liquidate(day, &s.prices, health_factor);
            }
        }
        PathOutcome {
            min_health_factor,
            liquidation_day,
            terminal_net_value: self.net_value(self.horizon, &s.prices, scale),
            liquidation_cost,
        }
    }
}
