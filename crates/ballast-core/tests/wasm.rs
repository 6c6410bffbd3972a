//! The engine compiled to wasm32 gives the native engine's numbers, to the
//! byte (run in headless Chromium by wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn spec_example_is_byte_exact_in_wasm() {
    let scenario = include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json");
    let report = ballast_core::evaluate_json(scenario).unwrap();
    assert_eq!(
        report.to_json(),
        concat!(
            r#"{"health_factor":"3.29967003299670033","collateral_value":"20000","debt_value":"5000.5","liquidatable":false,"#,
            r#""liquidation_prices":[{"asset":"WETH","price":"606.1212121212121212","direction":"below"},{"asset":"USDC","price":"3.3","direction":"above"}],"#,
            r#""aave_v3":{"total_collateral_base":"2000000000000","total_debt_base":"500050000000","ltv":8000,"current_liquidation_threshold":8250,"health_factor":"3299670032996700330","available_borrows_base":"1099950000000"}}"#
        )
    );
}

#[wasm_bindgen_test]
fn liquity_recovery_mode_in_wasm() {
    let scenario = include_str!("../../ballast-cli/tests/fixtures/spec-liquity-v1.json");
    let report = ballast_core::evaluate_json(scenario).unwrap();
    assert_eq!(report.recovery_mode, Some(true));
    assert_eq!(report.liquidation_prices[0].price, "1320");
}

#[wasm_bindgen_test]
fn refusals_name_the_field_in_wasm() {
    let e = ballast_core::evaluate_json(
        r#"{"schema":"ballast.scenario/1","protocol":"maker","assets":[],"collateral":[],"debt":[]}"#,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "collateral: has 0 entries; a maker position has exactly one");
}
