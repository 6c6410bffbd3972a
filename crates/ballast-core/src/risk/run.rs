//! One risk run from plain JSON: a scenario, the market inputs the user
//! sees and may override, and run options in; every figure of the Risk page
//! out. The web worker, the command line and the tests all go through
//! [`RiskRun`], so the page shows exactly what `ballast risk` prints.
//!
//! A run can be done in chunks ([`RiskRun::advance`]) so a worker can report
//! progress; path k always draws from stream k of the seed, so the chunking
//! never changes a result.

use serde::{Deserialize, Serialize};

use super::correlation::CorrelationMatrix;
use super::exposure::RiskPosition;
use super::history::{
    default_volatility, demo_correlation, estimate, synthetic_demo_history, HistoryEstimate, PriceHistory,
};
use super::liquidity::{assess, LiquidityReport, MarketDepth};
use super::loss::{self, LossSummary};
use super::market::{AssetDynamics, MarketModel, Tails};
use super::monte_carlo::{
    simulate_paths, PathOutcome, Simulation, SimulationSettings, SimulationSummary, MAX_HORIZON_DAYS, MAX_PATHS,
};
use super::quality::{quality_index, CollateralInputs, QualityIndex, DEFAULT_MODEL};
use super::stats::Estimate;
use super::{finite, RiskError};
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;

/// One asset's market inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetInputs {
    pub symbol: String,
    /// Annualised σ, a fraction (0.7 = 70 %).
    pub volatility: f64,
    /// Annual drift μ of the price; 0 = no view.
    #[serde(default)]
    pub drift: f64,
    /// How deep its market is, for the liquidity-adjusted figures; `None`
    /// takes its collateral at the oracle price (and is named).
    #[serde(default)]
    pub depth: Option<MarketDepth>,
    /// The quality index's other inputs (its `volatility` is this asset's
    /// `volatility`, and its 2 % depth comes from `depth` when that is set).
    #[serde(default)]
    pub quality: CollateralInputs,
}

/// The market the run assumes, as shown and overridable on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketInputs {
    pub assets: Vec<AssetInputs>,
    /// Correlation of the assets' daily shocks, rows in the order of
    /// `assets`; repaired to positive semi-definite if it is not.
    pub correlation: Vec<Vec<f64>>,
    /// Where these numbers come from, shown with them.
    pub source: String,
}

/// How much to simulate and how.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunOptions {
    pub horizon_days: u32,
    pub paths: u32,
    pub seed: u64,
    #[serde(default = "normal_tails")]
    pub tails: Tails,
}

fn normal_tails() -> Tails {
    Tails::Normal
}

/// Everything a run needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskRequest {
    pub scenario: Scenario,
    pub market: MarketInputs,
    pub options: RunOptions,
}

/// P(liquidated by day d) for d = 0…horizon: the first d days of a path
/// are the same whatever the horizon, so this is what a run of horizon d
/// with the same seed gives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HorizonPoint {
    pub day: u32,
    pub probability: Estimate,
}

/// Every figure of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    pub options: RunOptions,
    /// The correlation simulated (after any repair) and whether it was repaired.
    pub correlation: Vec<Vec<f64>>,
    pub correlation_repaired: bool,
    pub simulation: SimulationSummary,
    pub probability_by_day: Vec<HorizonPoint>,
    pub loss: LossSummary,
    pub liquidity: LiquidityReport,
    /// Each collateral asset's quality index, in the position's order.
    pub quality: Vec<QualityIndex>,
}

/// Progress of a chunked run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

/// A run under way.
pub struct RiskRun {
    position: RiskPosition,
    market: MarketModel,
    settings: SimulationSettings,
    request: RiskRequest,
    correlation_repaired: bool,
    /// Worked out before any path, so a bad depth or quality input is
    /// refused at once rather than after a million paths.
    liquidity: LiquidityReport,
    quality: Vec<QualityIndex>,
    outcomes: Vec<PathOutcome>,
}

impl RiskRun {
    /// Checks the request and prepares the run; nothing is simulated yet.
    pub fn new(request: RiskRequest) -> Result<Self, RiskError> {
        let RunOptions { horizon_days, paths, seed, tails } = request.options;
        if paths == 0 || paths > MAX_PATHS {
            return Err(RiskError::new("options.paths", format!("is {paths}; 1 to {MAX_PATHS} are allowed")));
        }
        if horizon_days == 0 || horizon_days > MAX_HORIZON_DAYS {
            return Err(RiskError::new(
                "options.horizon_days",
                format!("is {horizon_days}; 1 to {MAX_HORIZON_DAYS} days are allowed"),
            ));
        }
        let position = RiskPosition::from_scenario(&request.scenario)?;
        let (market, correlation_repaired) = request.market.model(tails)?;
        // Fails early, naming an asset the position needs but the market lacks.
        simulate_paths(&position, &market, &SimulationSettings { horizon_days, paths, seed }, 0..0)?;
        let depths: Vec<(String, MarketDepth)> =
            request.market.assets.iter().filter_map(|a| a.depth.map(|d| (a.symbol.clone(), d))).collect();
        let liquidity = assess(&position, &depths, None)?;
        let quality = position
            .assets
            .iter()
            .filter(|a| a.collateral > 0.0)
            .map(|a| {
                let inputs = request.market.assets.iter().find(|m| m.symbol == a.asset);
                quality_index(
                    &a.asset,
                    &inputs.map_or_else(CollateralInputs::default, |m| m.quality_inputs(a.price)),
                    &DEFAULT_MODEL,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            position,
            market,
            settings: SimulationSettings { horizon_days, paths, seed },
            request,
            correlation_repaired,
            liquidity,
            quality,
            outcomes: Vec::with_capacity(paths as usize),
        })
    }

    pub fn progress(&self) -> Progress {
        Progress { done: self.outcomes.len() as u32, total: self.settings.paths }
    }

    /// Simulates up to `paths` more paths.
    pub fn advance(&mut self, paths: u32) -> Result<Progress, RiskError> {
        let start = self.outcomes.len() as u32;
        let end = start.saturating_add(paths).min(self.settings.paths);
        let chunk = simulate_paths(&self.position, &self.market, &self.settings, start..end)?;
        self.outcomes.extend(chunk);
        Ok(self.progress())
    }

    /// Simulates what is left and summarises.
    pub fn finish(mut self) -> Result<RiskReport, RiskError> {
        self.advance(u32::MAX)?;
        let simulation = Simulation {
            settings: self.settings,
            starting_health_factor: self.position.health_ratio(),
            starting_net_value: self.position.net_value(),
            outcomes: self.outcomes,
        };
        let n = simulation.outcomes.len();
        let mut by_day = vec![0usize; self.settings.horizon_days as usize + 1];
        for day in simulation.outcomes.iter().filter_map(|o| o.liquidation_day) {
            by_day[day as usize] += 1;
        }
        let mut hits = 0;
        let probability_by_day = by_day
            .iter()
            .enumerate()
            .map(|(day, count)| {
                hits += count;
                HorizonPoint { day: day as u32, probability: Estimate::proportion(hits, n) }
            })
            .collect();
        Ok(RiskReport {
            options: self.request.options,
            correlation: self.market.correlation().rows(),
            correlation_repaired: self.correlation_repaired,
            simulation: simulation.summary(),
            probability_by_day,
            loss: loss::summary(&simulation)?,
            liquidity: self.liquidity,
            quality: self.quality,
        })
    }
}

/// A whole run at once.
pub fn run(request: RiskRequest) -> Result<RiskReport, RiskError> {
    RiskRun::new(request)?.finish()
}

impl AssetInputs {
    /// The quality index's inputs: this asset's volatility, and its 2 %
    /// depth from `depth` when set.
    pub fn quality_inputs(&self, price: f64) -> CollateralInputs {
        CollateralInputs {
            volatility: Some(self.volatility),
            two_percent_depth: self.depth.map(|d| d.two_percent_depth(price)).or(self.quality.two_percent_depth),
            ..self.quality
        }
    }
}

impl MarketInputs {
    /// The inputs for the assets whose price moves in `scenario`'s
    /// position, in the order listed here, with their correlations: a run
    /// draws shocks for every market asset, so leaving the others out saves
    /// time. (The draws then differ from a run over the whole market, so
    /// the simulated figures differ within their sampling error.)
    pub fn for_position(&self, scenario: &Scenario) -> Result<Self, RiskError> {
        let position = RiskPosition::from_scenario(scenario)?;
        let keep: Vec<usize> = (0..self.assets.len())
            .filter(|&i| position.assets.iter().any(|a| a.price_moves && a.asset == self.assets[i].symbol))
            .collect();
        let row = |i: usize| {
            self.correlation.get(i).ok_or_else(|| {
                RiskError::new(
                    "market.correlation",
                    format!("has {} rows for {} assets", self.correlation.len(), self.assets.len()),
                )
            })
        };
        let correlation = keep
            .iter()
            .map(|&i| {
                let r = row(i)?;
                keep.iter()
                    .map(|&j| {
                        r.get(j)
                            .copied()
                            .ok_or_else(|| RiskError::new(format!("market.correlation[{i}]"), "is too short"))
                    })
                    .collect()
            })
            .collect::<Result<Vec<Vec<f64>>, RiskError>>()?;
        Ok(Self {
            assets: keep.iter().map(|&i| self.assets[i].clone()).collect(),
            correlation,
            source: self.source.clone(),
        })
    }

    /// The simulation's market: the correlation repaired to positive
    /// semi-definite when needed (and whether it was).
    pub fn model(&self, tails: Tails) -> Result<(MarketModel, bool), RiskError> {
        let dynamics = self
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let at = |what: &str| format!("market.assets[{i}] ({}).{what}", a.symbol);
                if finite(a.volatility, || at("volatility"))? < 0.0 {
                    return Err(RiskError::new(
                        at("volatility"),
                        format!("is {}; it must not be negative", a.volatility),
                    ));
                }
                Ok(AssetDynamics {
                    symbol: a.symbol.clone(),
                    volatility: a.volatility,
                    drift: finite(a.drift, || at("drift"))?,
                })
            })
            .collect::<Result<Vec<_>, RiskError>>()?;
        for (i, row) in self.correlation.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                finite(*v, || format!("market.correlation[{i}][{j}]"))?;
            }
        }
        let matrix = CorrelationMatrix::from_rows(&self.correlation)
            .map_err(|e| RiskError::new(format!("market.{}", e.input), e.problem))?;
        let repair = matrix.positive_semidefinite()?;
        Ok((MarketModel::new(dynamics, repair.matrix, tails)?, repair.adjusted))
    }
}

/// Example market depth and oracle figures for the demo assets: orders of
/// magnitude for illustration, not measurements.
struct DemoMarketFacts {
    symbol: &'static str,
    /// USD that moves the price 2 %.
    two_percent_depth: f64,
    oracle_heartbeat: f64,
    oracle_deviation: f64,
    oracle_sources: f64,
    top_holders_share: f64,
}

const DEMO_MARKET_FACTS: [DemoMarketFacts; 8] = [
    DemoMarketFacts {
        symbol: "WETH",
        two_percent_depth: 40e6,
        oracle_heartbeat: 3600.0,
        oracle_deviation: 0.005,
        oracle_sources: 15.0,
        top_holders_share: 0.35,
    },
    DemoMarketFacts {
        symbol: "ETH",
        two_percent_depth: 40e6,
        oracle_heartbeat: 3600.0,
        oracle_deviation: 0.005,
        oracle_sources: 15.0,
        top_holders_share: 0.35,
    },
    DemoMarketFacts {
        symbol: "wstETH",
        two_percent_depth: 8e6,
        oracle_heartbeat: 86_400.0,
        oracle_deviation: 0.005,
        oracle_sources: 10.0,
        top_holders_share: 0.6,
    },
    DemoMarketFacts {
        symbol: "WBTC",
        two_percent_depth: 15e6,
        oracle_heartbeat: 3600.0,
        oracle_deviation: 0.005,
        oracle_sources: 15.0,
        top_holders_share: 0.5,
    },
    DemoMarketFacts {
        symbol: "LINK",
        two_percent_depth: 2e6,
        oracle_heartbeat: 3600.0,
        oracle_deviation: 0.01,
        oracle_sources: 12.0,
        top_holders_share: 0.7,
    },
    DemoMarketFacts {
        symbol: "USDC",
        two_percent_depth: 100e6,
        oracle_heartbeat: 86_400.0,
        oracle_deviation: 0.0025,
        oracle_sources: 12.0,
        top_holders_share: 0.45,
    },
    DemoMarketFacts {
        symbol: "USDT",
        two_percent_depth: 100e6,
        oracle_heartbeat: 86_400.0,
        oracle_deviation: 0.0025,
        oracle_sources: 12.0,
        top_holders_share: 0.45,
    },
    DemoMarketFacts {
        symbol: "DAI",
        two_percent_depth: 20e6,
        oracle_heartbeat: 3600.0,
        oracle_deviation: 0.0025,
        oracle_sources: 12.0,
        top_holders_share: 0.5,
    },
];

/// The demo's market, offline: every snapshot asset's synthetic history,
/// what it estimates, and the inputs the page starts from (the documented
/// default volatilities and correlations, with example depth and oracle
/// figures).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoMarket {
    pub histories: Vec<PriceHistory>,
    pub estimate: HistoryEstimate,
    pub inputs: MarketInputs,
}

/// The demo market for a snapshot's assets (its Aave market's, plus the
/// Maker and Liquity collateral).
pub fn demo_market(snapshot: &Snapshot) -> Result<DemoMarket, RiskError> {
    let mut assets: Vec<(String, f64)> = Vec::new();
    let mut add = |symbol: &str, usd: &crate::exact::PlainDecimal| -> Result<(), RiskError> {
        if assets.iter().all(|(s, _)| s != symbol) {
            let price = finite(crate::exact::to_f64_lossy(&usd.to_rational()), || format!("snapshot.{symbol}.price"))?;
            assets.push((symbol.to_owned(), price));
        }
        Ok(())
    };
    for a in &snapshot.aave_v3.assets {
        add(&a.symbol, &a.price.usd)?;
    }
    for ilk in &snapshot.maker.ilks {
        add(&ilk.collateral, &ilk.price.usd)?;
    }
    add(&snapshot.liquity_v1.collateral, &snapshot.liquity_v1.price.usd)?;
    let last_date = snapshot.taken_at.get(..10).unwrap_or(&snapshot.taken_at);
    let pairs: Vec<(&str, f64)> = assets.iter().map(|(s, p)| (s.as_str(), *p)).collect();
    let histories = synthetic_demo_history(&pairs, last_date)?;
    let estimate = estimate(&histories)?;
    let symbols: Vec<&str> = pairs.iter().map(|(s, _)| *s).collect();
    let inputs = MarketInputs {
        assets: pairs
            .iter()
            .map(|(symbol, _)| {
                let volatility = default_volatility(symbol).map_or(0.0, |d| d.volatility);
                let facts = DEMO_MARKET_FACTS.iter().find(|f| f.symbol == *symbol);
                AssetInputs {
                    symbol: (*symbol).to_owned(),
                    volatility,
                    drift: 0.0,
                    depth: facts.map(|f| MarketDepth::from_two_percent_depth(f.two_percent_depth)),
                    quality: facts.map_or_else(CollateralInputs::default, |f| CollateralInputs {
                        volatility: None,
                        two_percent_depth: None,
                        oracle_heartbeat: Some(f.oracle_heartbeat),
                        oracle_deviation: Some(f.oracle_deviation),
                        oracle_sources: Some(f.oracle_sources),
                        top_holders_share: Some(f.top_holders_share),
                    }),
                }
            })
            .collect(),
        correlation: demo_correlation(&symbols)?.rows(),
        source: "demo defaults: assumed volatilities and correlations (docs/risk.md), example market depth and oracle \
                 figures; not market data"
            .to_owned(),
    };
    Ok(DemoMarket { histories, estimate, inputs })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNAPSHOT: &str = include_str!("../../../../public/snapshot.json");

    fn request(position: &str, paths: u32, horizon_days: u32) -> RiskRequest {
        let snapshot = Snapshot::parse(SNAPSHOT).unwrap();
        RiskRequest {
            scenario: snapshot.scenario(position).unwrap(),
            market: demo_market(&snapshot).unwrap().inputs,
            options: RunOptions { horizon_days, paths, seed: 7, tails: Tails::Normal },
        }
    }

    #[test]
    fn chunked_runs_equal_whole_runs_and_the_horizon_curve_ends_at_the_probability() {
        let whole = run(request("aave-demo", 3000, 30)).unwrap();
        let mut chunked = RiskRun::new(request("aave-demo", 3000, 30)).unwrap();
        assert_eq!(chunked.advance(1000).unwrap(), Progress { done: 1000, total: 3000 });
        assert_eq!(chunked.advance(1500).unwrap(), Progress { done: 2500, total: 3000 });
        let chunked = chunked.finish().unwrap();
        assert_eq!(chunked, whole);
        assert_eq!(whole.probability_by_day.len(), 31);
        assert_eq!(whole.probability_by_day.last().unwrap().probability, whole.simulation.liquidation_probability);
        // Cumulative: never falls with the horizon.
        assert!(whole.probability_by_day.windows(2).all(|w| w[0].probability.value <= w[1].probability.value));
        // The aave demo starts healthy (HF ≈ 1.4), so some but not all paths liquidate in 30 days at 55–95 % vol.
        let p = whole.simulation.liquidation_probability.value;
        assert!(p > 0.0 && p < 0.5, "{p}");
        // A run of horizon 7 with the same seed is the curve's day 7.
        let week = run(request("aave-demo", 3000, 7)).unwrap();
        assert_eq!(week.simulation.liquidation_probability, whole.probability_by_day[7].probability);
        // Three collateral assets scored, each with six components.
        let scored: Vec<&str> = whole.quality.iter().map(|q| q.asset.as_str()).collect();
        assert_eq!(scored, ["WETH", "wstETH", "WBTC"]);
        assert!(whole.quality.iter().all(|q| q.components.len() == 6));
        // wstETH's 24 h heartbeat is the scale's worst: 0, not −0.
        let heartbeat = &whole.quality[1].components[2];
        assert_eq!((heartbeat.key.as_str(), heartbeat.score.to_string()), ("oracle_heartbeat", "0".to_owned()));
    }

    #[test]
    fn the_report_round_trips_through_json_with_its_infinities() {
        // A debt-free position: health factor +∞, written as null, read back as +∞.
        let mut r = request("aave-demo", 200, 3);
        r.scenario.debt.clear();
        let report = run(r).unwrap();
        assert_eq!(report.simulation.starting_health_factor, f64::INFINITY);
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains("\"starting_health_factor\":null"), "{json}");
        let back: RiskReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
        // Every f64 comes back bit for bit (serde_json's float_roundtrip), debt or not.
        let with_debt = run(request("aave-demo", 200, 3)).unwrap();
        let back: RiskReport = serde_json::from_str(&serde_json::to_string(&with_debt).unwrap()).unwrap();
        assert_eq!(back, with_debt);
        assert_eq!(report.simulation.liquidation_probability.value, 0.0);
    }

    #[test]
    fn every_demo_position_runs_and_bad_requests_name_their_field() {
        for id in ["aave-demo", "aave-emode-demo", "maker-demo", "liquity-demo"] {
            run(request(id, 100, 7)).unwrap_or_else(|e| panic!("{id}: {e}"));
        }
        let mut r = request("aave-demo", 0, 7);
        assert_eq!(RiskRun::new(r.clone()).err().unwrap().input, "options.paths");
        r.options.paths = 10;
        r.options.horizon_days = 0;
        assert_eq!(RiskRun::new(r.clone()).err().unwrap().input, "options.horizon_days");
        r.options.horizon_days = 7;
        let weth = r.market.assets.iter().position(|a| a.symbol == "WETH").unwrap();
        // A quality input out of range is refused before a single path, not after a million.
        let mut concentrated = r.clone();
        concentrated.options.paths = MAX_PATHS;
        concentrated.market.assets[weth].quality.top_holders_share = Some(35.0);
        assert_eq!(RiskRun::new(concentrated).err().unwrap().input, "WETH.top_holders_share");
        r.market.assets[weth].volatility = -0.1;
        assert!(RiskRun::new(r.clone()).err().unwrap().input.contains("(WETH).volatility"));
        r.market.assets.remove(weth);
        r.market.correlation.remove(weth);
        r.market.correlation.iter_mut().for_each(|row| _ = row.remove(weth));
        let e = RiskRun::new(r).err().unwrap();
        assert_eq!(e.input, "market.WETH", "{e}");
    }

    #[test]
    fn a_correlation_typed_by_hand_is_repaired_and_said_so() {
        let mut r = request("aave-demo", 100, 7);
        let index = |s: &str| r.market.assets.iter().position(|a| a.symbol == s).unwrap();
        let (weth, wbtc, link) = (index("WETH"), index("WBTC"), index("LINK"));
        // WETH ~ WBTC and WETH ~ LINK strongly, but WBTC and LINK opposed: not a correlation matrix.
        for (i, j, v) in [(weth, wbtc, 0.9), (weth, link, 0.9), (wbtc, link, -0.9)] {
            r.market.correlation[i][j] = v;
            r.market.correlation[j][i] = v;
        }
        let report = run(r).unwrap();
        assert!(report.correlation_repaired);
        assert!(report.correlation[wbtc][link] > -0.9);
    }

    #[test]
    fn inputs_for_a_position_keep_its_moving_assets_and_change_no_figure() {
        let full = request("aave-demo", 500, 10);
        let mut narrow = full.clone();
        narrow.market = full.market.for_position(&full.scenario).unwrap();
        let symbols: Vec<&str> = narrow.market.assets.iter().map(|a| a.symbol.as_str()).collect();
        assert_eq!(symbols, ["WETH", "wstETH", "WBTC", "USDC", "DAI"]);
        assert_eq!(narrow.market.correlation[0], [1.0, 0.95, 0.75, 0.0, 0.0]);
        // The draws differ from the whole market's (each day draws one normal per asset), so
        // the simulated figures are the narrowed market's own: reproducible, and the
        // figures that do not simulate are the same.
        let (a, b) = (run(full).unwrap(), run(narrow.clone()).unwrap());
        assert_eq!(run(narrow).unwrap(), b);
        assert_eq!(a.liquidity, b.liquidity);
        assert_eq!(a.quality, b.quality);
        // Maker's DAI is held at par: only ETH moves.
        let maker = request("maker-demo", 10, 1);
        let m = maker.market.for_position(&maker.scenario).unwrap();
        assert_eq!((m.assets.len(), m.assets[0].symbol.as_str(), m.correlation.clone()), (1, "ETH", vec![vec![1.0]]));
    }

    #[test]
    fn the_demo_market_covers_every_snapshot_asset_and_labels_itself() {
        let demo = demo_market(&Snapshot::parse(SNAPSHOT).unwrap()).unwrap();
        let symbols: Vec<&str> = demo.inputs.assets.iter().map(|a| a.symbol.as_str()).collect();
        assert_eq!(symbols, ["WETH", "wstETH", "WBTC", "LINK", "USDC", "USDT", "DAI", "ETH"]);
        assert!(demo.histories.iter().all(|h| h.synthetic && h.last_date == "2026-11-20"));
        assert!(demo.inputs.source.contains("not market data"));
        assert_eq!(demo.inputs.assets[0].volatility, 0.70);
        // 2 % depth of $40M: the linear model's D is $2B, and it reads back as $40M.
        assert_eq!(demo.inputs.assets[0].quality_inputs(3000.0).two_percent_depth, Some(40e6));
    }
}
