//! A seeded simulation is bit-identical on every platform: the same
//! checksum of every path's outcome natively and in wasm32 (run in the
//! browser by wasm-bindgen-test, as tests/wasm.rs is). The checksums are
//! golden values: a deliberate change to the random streams or the path
//! arithmetic changes them, and they are then updated here, once, for both.

use ballast_core::risk::{loss, simulate, AssetDynamics, CorrelationMatrix, MarketModel, SimulationSettings, Tails};

mod common;

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
    let position = common::five_asset_position();
    let dynamics = common::FIVE_ASSETS
        .iter()
        .zip(common::FIVE_VOLATILITIES)
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
