//! How long the Monte Carlo takes natively: 10 000 paths × 30 daily steps
//! × 5 correlated assets. Prints figures, asserts nothing about time.
//! Ignored by default; run it with the bench profile (opt-level 3; the
//! workspace's release profile is opt-level "z", for the wasm's size):
//!
//!     cargo test -p ballast-core --profile bench --test risk_benchmark -- --ignored --nocapture
#![cfg(not(target_arch = "wasm32"))]

use std::time::Instant;

use ballast_core::risk::{loss, simulate, AssetDynamics, CorrelationMatrix, MarketModel, SimulationSettings, Tails};

mod common;

#[test]
#[ignore = "a benchmark: run it with --profile bench -- --ignored --nocapture"]
fn monte_carlo_benchmark() {
    let position = common::five_asset_position();
    let symbols = common::FIVE_ASSETS;
    let volatilities = common::FIVE_VOLATILITIES;
    let dynamics: Vec<AssetDynamics> = symbols
        .iter()
        .zip(volatilities)
        .map(|(s, v)| AssetDynamics { symbol: (*s).into(), volatility: v, drift: 0.0 })
        .collect();
    let settings = SimulationSettings { horizon_days: 30, paths: 10_000, seed: 1 };
    let steps = f64::from(settings.paths) * f64::from(settings.horizon_days);
    println!(
        "{} paths × {} days × {} assets, health ratio {:.4}",
        settings.paths,
        settings.horizon_days,
        symbols.len(),
        position.health_ratio()
    );
    for (name, tails) in [("normal", Tails::Normal), ("student-t ν=4", Tails::StudentT { degrees_of_freedom: 4.0 })] {
        let market = MarketModel::new(dynamics.clone(), CorrelationMatrix::uniform(5, 0.7).unwrap(), tails).unwrap();
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..7 {
            let started = Instant::now();
            let sim = simulate(&position, &market, &settings).unwrap();
            times.push(started.elapsed().as_secs_f64());
            last = Some(sim);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let sim = last.unwrap();
        let started = Instant::now();
        let summary = sim.summary();
        let losses = loss::summary(&sim).unwrap();
        let summarising = started.elapsed().as_secs_f64();
        println!(
            "{name:>14}: median {:.1} ms (min {:.1}, max {:.1}) = {:.0} ns per path-day; summaries {:.1} ms; \
             P(liquidation) {:.4} ± {:.4}; VaR99 {:.0} USD",
            median * 1e3,
            times[0] * 1e3,
            times[times.len() - 1] * 1e3,
            median / steps * 1e9,
            summarising * 1e3,
            summary.liquidation_probability.value,
            summary.liquidation_probability.std_error,
            losses.tail[1].value_at_risk
        );
    }
}

/// The request the Risk page sends for the Aave demo position (five assets
/// whose prices move: WETH, wstETH, WBTC, USDC, DAI), whole: simulation and
/// every summary, as the worker runs it. `scripts/bench-risk` times the same
/// request in the browser's worker.
#[test]
#[ignore = "a benchmark: run it with --profile bench -- --ignored --nocapture"]
fn demo_request_benchmark() {
    use ballast_core::risk::run::{demo_market, run, RiskRequest, RunOptions};
    use ballast_core::Snapshot;

    let snapshot = Snapshot::parse(include_str!("../../../public/snapshot.json")).unwrap();
    let scenario = snapshot.scenario("aave-demo").unwrap();
    let market = demo_market(&snapshot).unwrap().inputs.for_position(&scenario).unwrap();
    let request = RiskRequest {
        scenario,
        market,
        options: RunOptions { horizon_days: 30, paths: 10_000, seed: 1, tails: Tails::Normal },
    };
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..7 {
        let started = Instant::now();
        last = Some(run(request.clone()).unwrap());
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let report = last.unwrap();
    println!(
        "native, the Risk page's aave-demo request ({} assets, 10 000 paths × 30 days, all summaries): \
         median {:.1} ms (min {:.1}, max {:.1}); P(liquidation) {:.4} ± {:.4}",
        request.market.assets.len(),
        times[times.len() / 2] * 1e3,
        times[0] * 1e3,
        times[times.len() - 1] * 1e3,
        report.simulation.liquidation_probability.value,
        report.simulation.liquidation_probability.std_error,
    );
}
