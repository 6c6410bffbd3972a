//! A seeded simulation is bit-identical on every platform: the same
//! checksum of every path's outcome natively and in wasm32 (run in the
//! browser by wasm-bindgen-test, as tests/wasm.rs is). The checksums are
//! golden values: a deliberate change to the random streams or the path
//! arithmetic changes them, and they are then updated here, once, for both.

use ballast_core::risk::{
    loss, simulate, AssetDynamics, CorrelationMatrix, LiquidationTerms, MarketModel, RiskExposure, RiskPosition,
    SimulationSettings, Tails,
};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn fnv1a(hash: &mut u64, word: u64) {
    for byte in word.to_le_bytes() {
        *hash ^= u64::from(byte);
        *hash = hash.wrapping_mul(0x100_0000_01b3);
    }
}

/// FNV-1a over every outcome's bits and the 99 % VaR of a five-asset run.
fn checksum(tails: Tails) -> u64 {
    let exposure = |asset: &str, price: f64, collateral: f64, debt: f64| RiskExposure {
        asset: asset.into(),
        price,
        price_moves: true,
        collateral,
        liquidation_threshold: if collateral > 0.0 { 0.8 } else { 0.0 },
        debt,
        liquidation_bonus: 1.05,
        collateral_growth: 1.000_05,
        debt_growth: 1.000_15,
    };
    let mut usdc = exposure("USDC", 1.0, 0.0, 60_000.0);
    usdc.price_moves = false;
    let position = RiskPosition {
        assets: vec![
            exposure("WETH", 3000.0, 20.0, 0.0),
            exposure("WBTC", 60_000.0, 0.5, 0.0),
            exposure("LINK", 15.0, 1000.0, 0.0),
            exposure("AAVE", 100.0, 100.0, 0.0),
            exposure("UNI", 8.0, 0.0, 1000.0),
            usdc,
        ],
        liquidation: LiquidationTerms::AAVE_V3,
    };
    let dynamics = ["WETH", "WBTC", "LINK", "AAVE", "UNI"]
        .iter()
        .zip([0.65, 0.5, 0.9, 0.95, 1.0])
        .map(|(s, v)| AssetDynamics { symbol: (*s).into(), volatility: v, drift: 0.05 })
        .collect();
    let market = MarketModel::new(dynamics, CorrelationMatrix::uniform(5, 0.7).unwrap(), tails).unwrap();
    let sim = simulate(&position, &market, &SimulationSettings { horizon_days: 30, paths: 2000, seed: 42 }).unwrap();
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for o in &sim.outcomes {
        fnv1a(&mut hash, o.min_health_factor.to_bits());
        fnv1a(&mut hash, o.terminal_net_value.to_bits());
        fnv1a(&mut hash, o.liquidation_cost.to_bits());
        fnv1a(&mut hash, o.liquidation_day.map_or(u64::MAX, u64::from));
    }
    fnv1a(&mut hash, loss::summary(&sim).unwrap().tail[1].value_at_risk.to_bits());
    hash
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_seeded_run_has_the_same_bits_everywhere() {
    assert_eq!(checksum(Tails::Normal), 2_187_076_803_927_291_279);
    assert_eq!(checksum(Tails::StudentT { degrees_of_freedom: 4.0 }), 7_366_268_282_458_883_764);
}
