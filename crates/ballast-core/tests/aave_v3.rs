//! Aave V3.0 account data worked by hand with the Pool's rounding
//! (GenericLogic.calculateUserAccountData, @aave/core-v3 1.19.3).

use ballast_core::{evaluate_json, Direction};
use serde_json::{json, Value};

fn report(scenario: Value) -> Value {
    let report = evaluate_json(&scenario.to_string()).unwrap_or_else(|e| panic!("refused: {e}"));
    serde_json::from_str(&report.to_json()).unwrap()
}

fn refusal(scenario: Value) -> String {
    evaluate_json(&scenario.to_string()).expect_err("accepted a bad scenario").to_string()
}

fn asset(symbol: &str, decimals: u32, price: &str, ltv: u32, lt: u32) -> Value {
    json!({ "symbol": symbol, "decimals": decimals, "price": price,
            "ltv_bps": ltv, "liquidation_threshold_bps": lt, "liquidation_bonus_bps": if lt == 0 { 0 } else { 10500 } })
}

fn scenario(assets: Vec<Value>, collateral: Value, debt: Value) -> Value {
    json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
            "assets": assets, "collateral": collateral, "debt": debt })
}

#[test]
fn spec_worked_example_is_byte_exact() {
    let s = scenario(
        vec![asset("WETH", 18, "2000", 8000, 8250), asset("USDC", 6, "1.0001", 7700, 8000)],
        json!([{ "asset": "WETH", "amount": "10" }]),
        json!([{ "asset": "USDC", "amount": "5000" }]),
    );
    let r = evaluate_json(&s.to_string()).unwrap();
    assert_eq!(
        serde_json::to_string(&r.aave_v3).unwrap(),
        r#"{"total_collateral_base":"2000000000000","total_debt_base":"500050000000","ltv":8000,"current_liquidation_threshold":8250,"health_factor":"3299670032996700330","available_borrows_base":"1099950000000"}"#
    );
    assert_eq!(r.health_factor.as_deref(), Some("3.29967003299670033"));
    assert_eq!(r.liquidation_prices[0].price, "606.1212121212121212");
    assert_eq!(r.liquidation_prices[1].direction, Direction::Above);
}

#[test]
fn threshold_average_is_floored_before_it_multiplies_and_ltv0_and_lt0_assets_count_as_the_pool_says() {
    // WETH 1 @ 3000 (80 / 82.5 %), X 10 @ 100 with LTV 0 but threshold 70 %,
    // Y 4 @ 50 with threshold 0 (not collateral at all), debt 1000 USDC.
    // Threshold average (3000·8250 + 1000·7000) / 4000 = 7937.5 → 7937, so the
    // Pool's HF is 3.1748, not the exact 3.175.
    let s = scenario(
        vec![
            asset("WETH", 18, "3000", 8000, 8250),
            asset("X", 18, "100", 0, 7000),
            asset("Y", 18, "50", 0, 0),
            asset("USDC", 6, "1", 7700, 8000),
        ],
        json!([{ "asset": "WETH", "amount": "1" }, { "asset": "X", "amount": "10" }, { "asset": "Y", "amount": "4" }]),
        json!([{ "asset": "USDC", "amount": "1000" }]),
    );
    let r = report(s);
    let a = &r["aave_v3"];
    assert_eq!(a["total_collateral_base"], "400000000000");
    assert_eq!(a["ltv"], 6000, "LTV-0 collateral dilutes the LTV average");
    assert_eq!(a["current_liquidation_threshold"], 7937);
    assert_eq!(a["health_factor"], "3174800000000000000");
    assert_eq!(a["available_borrows_base"], "140000000000");
    assert_eq!(r["health_factor"], "3.1748");
    assert_eq!(r["collateral_value"], "4000", "Y (threshold 0) is not collateral");
    // Exact ratio (2475 + 700) / 1000: WETH line (1000 − 700) / 0.825; X alone
    // cannot liquidate (its line would be negative); USDC owed: 3.175 above.
    assert_eq!(
        r["liquidation_prices"],
        json!([
            { "asset": "WETH", "price": "363.6363636363636364", "direction": "below" },
            { "asset": "USDC", "price": "3.175", "direction": "above" }
        ])
    );
}

#[test]
fn emode_applies_category_parameters_only_to_its_assets() {
    let mut usdc = asset("USDC", 6, "1.0001", 7700, 8000);
    usdc["emode_category"] = json!(1);
    let mut dai = asset("DAI", 18, "0.9998", 6300, 7700);
    dai["emode_category"] = json!(1);
    let mut s = scenario(
        vec![usdc, dai],
        json!([{ "asset": "USDC", "amount": "10000" }]),
        json!([{ "asset": "DAI", "amount": "9000" }]),
    );
    s["emode"] = json!({ "id": 1, "ltv_bps": 9300, "liquidation_threshold_bps": 9500,
                          "liquidation_bonus_bps": 10100, "price": null });
    let r = report(s.clone());
    let a = &r["aave_v3"];
    assert_eq!(a["total_collateral_base"], "1000100000000");
    assert_eq!(a["total_debt_base"], "899820000000");
    assert_eq!(a["ltv"], 9300);
    assert_eq!(a["current_liquidation_threshold"], 9500);
    // wadDiv(percentMul(1000100000000, 9500), 899820000000), half up.
    assert_eq!(a["health_factor"], "1055872285568224756");
    assert_eq!(a["available_borrows_base"], "30273000000");
    assert_eq!(
        r["liquidation_prices"],
        json!([
            { "asset": "USDC", "price": "0.9471789473684211", "direction": "below" },
            { "asset": "DAI", "price": "1.0556611111111111", "direction": "above" }
        ])
    );

    // A category price values both at 1 and takes them out of the price lines.
    s["emode"]["price"] = json!("1");
    let r = report(s);
    assert_eq!(r["aave_v3"]["total_collateral_base"], "1000000000000");
    assert_eq!(r["aave_v3"]["total_debt_base"], "900000000000");
    assert_eq!(r["collateral_value"], "10000");
    assert_eq!(r["liquidation_prices"], json!([]));
}

#[test]
fn no_debt_means_no_health_factor_and_the_uint256_maximum_on_chain() {
    let s =
        scenario(vec![asset("WETH", 18, "2000", 8000, 8250)], json!([{ "asset": "WETH", "amount": "1" }]), json!([]));
    let r = report(s);
    assert_eq!(r["health_factor"], Value::Null);
    assert_eq!(
        r["aave_v3"]["health_factor"],
        "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    );
    assert_eq!(r["liquidatable"], false);
    assert_eq!(r["liquidation_prices"], json!([]));
    assert_eq!(r["aave_v3"]["available_borrows_base"], "160000000000");
}

#[test]
fn each_assets_base_value_is_floored() {
    // 1 satoshi at 1.23456789 USD is worth 1.23456789e-8 USD: floored to 1 base unit.
    let s = scenario(
        vec![asset("WBTC", 8, "1.23456789", 7000, 7500), asset("USDC", 6, "1", 7700, 8000)],
        json!([{ "asset": "WBTC", "amount": "0.00000001" }, { "asset": "USDC", "amount": "0.000001" }]),
        json!([]),
    );
    assert_eq!(report(s)["aave_v3"]["total_collateral_base"], "101");
}

#[test]
fn a_liquidatable_position_still_gets_its_lines() {
    let s = scenario(
        vec![asset("WETH", 18, "1000", 8000, 8250), asset("USDC", 6, "1", 7700, 8000)],
        json!([{ "asset": "WETH", "amount": "1" }]),
        json!([{ "asset": "USDC", "amount": "900" }]),
    );
    let r = report(s);
    assert_eq!(r["liquidatable"], true);
    // The Pool's wad, half up: 825 / 900 → 0.916666666666666667.
    assert_eq!(r["health_factor"], "0.916666666666666667");
    assert_eq!(
        r["liquidation_prices"][0],
        json!({ "asset": "WETH", "price": "1090.9090909090909091", "direction": "below" })
    );
}

#[test]
fn refuses_what_the_pool_could_not_hold_naming_the_field() {
    let weth = || asset("WETH", 18, "2000", 8000, 8250);
    let one_weth = || json!([{ "asset": "WETH", "amount": "1" }]);
    let mut nine_decimals = weth();
    nine_decimals["price"] = json!("2000.123456789");
    assert_eq!(
        refusal(scenario(vec![nine_decimals], one_weth(), json!([]))),
        "assets[0].price: \"2000.123456789\" has 9 decimals; aave-v3 prices are in an 8-decimal base currency"
    );
    assert_eq!(
        refusal(scenario(vec![weth()], json!([{ "asset": "WETH", "amount": "0.0000000000000000001" }]), json!([]))),
        "collateral[0].amount: \"0.0000000000000000001\" has 19 decimals; WETH has 18"
    );
    let mut inverted = weth();
    inverted["ltv_bps"] = json!(9000);
    assert!(refusal(scenario(vec![inverted], one_weth(), json!([]))).starts_with("assets[0].ltv_bps: is 9000, above"));
    let mut no_threshold = weth();
    no_threshold.as_object_mut().unwrap().remove("liquidation_threshold_bps");
    assert_eq!(
        refusal(scenario(vec![no_threshold], one_weth(), json!([]))),
        "assets[0].liquidation_threshold_bps: is required for WETH held as collateral"
    );
    let mut maker_field = weth();
    maker_field["liquidation_ratio"] = json!("1.5");
    assert_eq!(
        refusal(scenario(vec![maker_field], one_weth(), json!([]))),
        "assets[0].liquidation_ratio: is not used by aave-v3; remove it"
    );
    // A reserve factor over 100 % is refused, with or without a rate strategy to use it.
    let mut greedy = weth();
    greedy["reserve_factor_bps"] = json!(10001);
    assert_eq!(
        refusal(scenario(vec![greedy], one_weth(), json!([]))),
        "assets[0].reserve_factor_bps: is 10001; at most 10000 basis points"
    );
}

#[test]
fn refuses_a_position_that_overflows_uint256_instead_of_wrapping() {
    // 10^50 WETH is 10^68 wei and 10^20 USD is 10^28 base units: each fits a
    // uint256, their product does not, so the Pool would revert.
    let amount = format!("1{}", "0".repeat(50));
    let price = format!("1{}", "0".repeat(20));
    let s = scenario(
        vec![asset("WETH", 18, &price, 8000, 8250)],
        json!([{ "asset": "WETH", "amount": amount }]),
        json!([]),
    );
    assert_eq!(
        refusal(s),
        "scenario: WETH amount × price overflows the Pool's uint256 arithmetic; the Pool would revert on this position"
    );
    let too_many_wei = format!("1{}", "0".repeat(60));
    let s = scenario(
        vec![asset("WETH", 18, "1", 8000, 8250)],
        json!([{ "asset": "WETH", "amount": too_many_wei }]),
        json!([]),
    );
    assert_eq!(refusal(s), "collateral[0].amount: is too large for a uint256 once scaled to the Pool's integer units");
}

#[test]
fn the_pools_floored_threshold_can_lift_the_health_factor_when_a_collateral_price_falls() {
    // Found by the property tests. A small low-threshold collateral (A, LT 10 %)
    // beside a large one (B, LT 33.93 %): A's price falling 32 % moves the
    // average threshold from 3391.5… (floored to 3391) to 3392.0… (3392), which
    // outweighs the 0.02 % of collateral lost. The exact ratio falls; the
    // Pool's wad, which decides liquidations, rises. Ballast reports the Pool's.
    let position = |price_a: &str| {
        scenario(
            vec![asset("A", 4, price_a, 1000, 1000), asset("B", 1, "27701.02049312", 3393, 3393)],
            json!([{ "asset": "A", "amount": "40313.2219" }, { "asset": "B", "amount": "48400619.3" }]),
            json!([{ "asset": "B", "amount": "0.1" }]),
        )
    };
    let before = report(position("20439.43646306"));
    let after = report(position("13898.81679488"));
    assert_eq!(before["aave_v3"]["current_liquidation_threshold"], 3391);
    assert_eq!(after["aave_v3"]["current_liquidation_threshold"], 3392);
    let hf = |r: &Value| r["aave_v3"]["health_factor"].as_str().unwrap().parse::<u128>().unwrap();
    assert!(hf(&after) > hf(&before), "{} vs {}", hf(&after), hf(&before));
}
