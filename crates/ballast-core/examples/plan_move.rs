//! What one slider move on the Plan page asks of the engine, piece by piece,
//! on the 10-asset scenario of e2e/bench.mjs: native timings, printed.
//!
//!     cargo run --release -p ballast-core --example plan_move
use std::hint::black_box;
use std::time::Instant;

use ballast_core::aave_v3::liquidation_call::{default_pair, liquidation_call};
use ballast_core::aave_v3::solvers::max_borrow;
use ballast_core::aave_v3::Position;
use ballast_core::exact::format_exact;
use ballast_core::oracle_lag::health_at_oracle_lag;
use ballast_core::what_if::price_after_move;
use ballast_core::Scenario;
use num_rational::BigRational;

const TEN_ASSETS: &str = r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[
{"symbol":"WETH","decimals":18,"price":"1800","ltv_bps":8000,"liquidation_threshold_bps":8250,"liquidation_bonus_bps":10500},
{"symbol":"WBTC","decimals":8,"price":"60000","ltv_bps":7300,"liquidation_threshold_bps":7800,"liquidation_bonus_bps":10500},
{"symbol":"wstETH","decimals":18,"price":"3500","ltv_bps":7100,"liquidation_threshold_bps":7600,"liquidation_bonus_bps":10600},
{"symbol":"LINK","decimals":18,"price":"15","ltv_bps":5300,"liquidation_threshold_bps":6800,"liquidation_bonus_bps":10700},
{"symbol":"AAVE","decimals":18,"price":"90","ltv_bps":6600,"liquidation_threshold_bps":7300,"liquidation_bonus_bps":10750},
{"symbol":"UNI","decimals":18,"price":"7","ltv_bps":6500,"liquidation_threshold_bps":7700,"liquidation_bonus_bps":11000},
{"symbol":"USDC","decimals":6,"price":"1","ltv_bps":7700,"liquidation_threshold_bps":8000,"liquidation_bonus_bps":10450},
{"symbol":"DAI","decimals":18,"price":"1.0001","ltv_bps":6300,"liquidation_threshold_bps":7700,"liquidation_bonus_bps":10500},
{"symbol":"USDT","decimals":6,"price":"0.9998","ltv_bps":7500,"liquidation_threshold_bps":7800,"liquidation_bonus_bps":10450},
{"symbol":"GHO","decimals":18,"price":"1","ltv_bps":0,"liquidation_threshold_bps":0,"liquidation_bonus_bps":0}],
"collateral":[{"asset":"WETH","amount":"6.5"},{"asset":"WBTC","amount":"0.4"},{"asset":"wstETH","amount":"3"},
{"asset":"LINK","amount":"800"},{"asset":"AAVE","amount":"40"},{"asset":"UNI","amount":"1500"}],
"debt":[{"asset":"USDC","amount":"12000"},{"asset":"DAI","amount":"8000"},{"asset":"USDT","amount":"5000"},{"asset":"GHO","amount":"3000"}]}"#;

/// The best of 5 batches of `runs` (the least disturbed by other work on the machine), per call.
fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) {
    black_box(f());
    let best = (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..runs {
                black_box(f());
            }
            start.elapsed().as_secs_f64() / f64::from(runs)
        })
        .fold(f64::INFINITY, f64::min);
    println!("{:>10.1} µs  {label}", best * 1e6);
}

fn main() {
    let s = Scenario::parse(TEN_ASSETS).expect("the bench scenario parses");
    let symbols: Vec<String> = s.assets.iter().map(|a| a.symbol.clone()).collect();
    let runs = 100;
    time("evaluate", runs, || ballast_core::evaluate(&s));
    time("validate", runs, || s.validate());
    time("Position::from_scenario", runs, || Position::from_scenario(&s));
    let p = Position::from_scenario(&s).expect("aave position");
    time("totals", runs, || p.totals());
    time("price_exposures", runs, || p.price_exposures());
    time("max_borrow × 10 (one Position)", runs, || {
        symbols.iter().map(|a| max_borrow(&p, a).ok()).collect::<Vec<_>>()
    });
    time("max_borrow × 10 tokens_text", runs, || {
        symbols.iter().filter_map(|a| Some(p.reserve(a)?.tokens_text(max_borrow(&p, a).ok()?))).collect::<Vec<_>>()
    });
    time("liquidation preview (pair + call)", runs, || {
        let (c, d) = default_pair(&p)?;
        liquidation_call(&p, &c, &d, None).ok()
    });
    let thresholds: Vec<(&str, BigRational)> = ["WETH", "WBTC", "LINK", "AAVE", "UNI", "USDC", "DAI", "USDT", "GHO"]
        .iter()
        .map(|a| (*a, BigRational::new(50.into(), 10_000.into())))
        .collect();
    time("health_at_oracle_lag (9 feeds)", runs, || health_at_oracle_lag(&s, &thresholds));
    let minus_ten = BigRational::new((-10).into(), 100.into());
    time("price_after_move (slider)", runs, || price_after_move(&s, "WETH", &minus_ten));
    let report = ballast_core::evaluate(&s).expect("report");
    let hf = report.health_factor_exact.clone().expect("debt");
    time("format_exact(health factor)", runs, || format_exact(&hf));
    let cv = ballast_core::exact::PlainDecimal::parse(&report.collateral_value).expect("decimal").to_rational();
    time("format_exact(collateral value)", runs, || format_exact(&cv));
    time("format_fixed(health factor, 2, down)", runs, || {
        ballast_core::display::format_fixed(&hf, 2, ballast_core::display::Rounding::Down)
    });
    time("scenario clone + eq", runs, || {
        let c = s.clone();
        c == s
    });
}
