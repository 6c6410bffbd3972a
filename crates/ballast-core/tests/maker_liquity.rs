//! Maker vaults and Liquity v1 troves: the spec's worked reports and the
//! rules around them (recovery mode, dust-free edge cases).

use ballast_core::evaluate_json;
use serde_json::{json, Value};

fn report(scenario: &Value) -> Value {
    let report = evaluate_json(&scenario.to_string()).unwrap_or_else(|e| panic!("refused: {e}"));
    serde_json::from_str(&report.to_json()).unwrap()
}

fn maker(price: &str, collateral: &str, debt: &str) -> Value {
    json!({ "schema": "ballast.scenario/1", "protocol": "maker", "par": "1",
            "assets": [ { "symbol": "ETH", "price": price, "liquidation_ratio": "1.45" }, { "symbol": "DAI" } ],
            "collateral": [ { "asset": "ETH", "amount": collateral } ],
            "debt": [ { "asset": "DAI", "amount": debt } ] })
}

fn liquity(collateral: &str, debt: &str, system: Option<(&str, &str)>) -> Value {
    let mut s = json!({ "schema": "ballast.scenario/1", "protocol": "liquity-v1",
            "assets": [ { "symbol": "ETH", "price": "2000" }, { "symbol": "LUSD" } ],
            "collateral": [ { "asset": "ETH", "amount": collateral } ],
            "debt": [ { "asset": "LUSD", "amount": debt } ] });
    if let Some((c, d)) = system {
        s["system"] = json!({ "total_collateral": c, "total_debt": d });
    }
    s
}

#[test]
fn maker_spec_example() {
    let r = report(&maker("2000", "10", "5000"));
    // 20000 / (5000 × 1.45) = 2.758620689655…
    assert_eq!(r["health_factor"], "2.7586206896551724");
    assert_eq!(r["liquidatable"], false);
    assert_eq!(r["collateral_value"], "20000");
    assert_eq!(r["debt_value"], "5000");
    assert_eq!(r["liquidation_prices"], json!([{ "asset": "ETH", "price": "725", "direction": "below" }]));
    assert!(r.get("aave_v3").is_none() && r.get("recovery_mode").is_none());
}

#[test]
fn maker_below_the_line_and_with_par_and_a_rad_sized_debt() {
    assert_eq!(report(&maker("700", "10", "5000"))["liquidatable"], true);
    // Exactly at the line is safe: liquidatable only under 1.
    assert_eq!(report(&maker("725", "10", "5000"))["liquidatable"], false);
    let mut s = maker("2000", "10", "5000.000000000000000000000000000000000000000000001");
    s["par"] = json!("1.02");
    let r = report(&s);
    assert_eq!(r["debt_value"], "5000.000000000000000000000000000000000000000000001");
    // 5000.000…001 × 1.45 × 1.02 / 10 terminates, so it is printed exactly.
    assert_eq!(r["liquidation_prices"][0]["price"], "739.5000000000000000000000000000000000000000000001479");
}

#[test]
fn maker_without_debt_has_no_health_factor_or_line() {
    let r = report(&maker("2000", "10", "0"));
    assert_eq!(r["health_factor"], Value::Null);
    assert_eq!(r["liquidation_prices"], json!([]));
}

#[test]
fn maker_debt_asset_is_listed_by_symbol_alone() {
    let mut s = maker("2000", "10", "5000");
    s["assets"][1]["price"] = json!("1");
    let e = evaluate_json(&s.to_string()).unwrap_err().to_string();
    assert!(e.starts_with("assets[1]: DAI is DAI owed at par"), "{e}");
}

#[test]
fn liquity_spec_example_in_recovery_mode() {
    let r = report(&liquity("10", "12000", Some(("500000", "700000000"))));
    assert_eq!(r["health_factor"], "1.5151515151515151"); // cut, not rounded up
    assert_eq!(r["recovery_mode"], true);
    assert_eq!(r["liquidatable"], false);
    assert_eq!(r["liquidation_prices"], json!([{ "asset": "ETH", "price": "1320", "direction": "below" }]));
}

#[test]
fn liquity_trove_under_the_system_ratio_is_liquidatable_from_the_recovery_line() {
    // 10 ETH / 15000 LUSD (1/1500) is under the system's 1/1400: ICR < TCR at
    // every price, so the line is where the system enters recovery mode,
    // 1.5 × 700000000 / 500000 = 2100, above the MCR line 1650.
    let r = report(&liquity("10", "15000", Some(("500000", "700000000"))));
    assert_eq!(r["recovery_mode"], true);
    assert_eq!(r["liquidatable"], true, "ICR 1.333 < TCR 1.4286 in recovery mode");
    assert_eq!(r["liquidation_prices"], json!([{ "asset": "ETH", "price": "2100", "direction": "below" }]));
    // Without system totals there is no recovery mode to judge: the MCR line.
    let r = report(&liquity("10", "15000", None));
    assert!(r.get("recovery_mode").is_none());
    assert_eq!(r["liquidatable"], false);
    assert_eq!(r["liquidation_prices"], json!([{ "asset": "ETH", "price": "1650", "direction": "below" }]));
}

#[test]
fn liquity_system_totals_must_include_the_trove() {
    let e = evaluate_json(&liquity("10", "12000", Some(("5", "700000000"))).to_string()).unwrap_err();
    assert_eq!(e.field, "system.total_collateral");
}

#[test]
fn maker_headroom_under_the_dust_cannot_be_drawn() {
    let headroom = |collateral: &str, debt: &str| {
        let mut s = maker("2000", collateral, debt);
        s["assets"][0]["dust"] = json!("7500");
        report(&s)["maker"]["max_additional_debt"].as_str().unwrap().to_owned()
    };
    // 1 ETH: 2000 / 1.45 = 1379.31 DAI of capacity, all under the 7500 dust:
    // the Vat refuses any draw (Vat/dust), so nothing can be generated.
    assert_eq!(headroom("1", "0"), "0");
    // A dusty vault that cannot reach the dust cannot draw either.
    assert_eq!(headroom("5", "100"), "0");
    // 10 ETH: 13793.10 of capacity; all of it may be drawn.
    assert_eq!(headroom("10", "0"), "13793.103448275862068965");
}

#[test]
fn maker_details_show_a_vault_doomed_by_the_next_price_and_below_dust() {
    let mut s = maker("2000", "10", "5000");
    s["assets"][0]["next_price"] = json!("700");
    s["assets"][0]["dust"] = json!("7500");
    s["assets"][0]["chop"] = json!("1.13");
    let r = report(&s);
    // Today 2.758…; at the OSM's next price 10 × 700 / (5000 × 1.45) = 0.9655…
    assert_eq!(r["liquidatable"], false);
    assert_eq!(
        r["maker"],
        json!({
            "next_price_health_factor": "0.9655172413793103",
            "survives_next_price": false,
            // 20000 / 1.45 − 5000, rounded down at 18 decimals.
            "max_additional_debt": "8793.103448275862068965",
            "min_collateral": "3.625",
            "dust_ok": false,
            // 5000 × 13 %.
            "liquidation_penalty": "650"
        })
    );
    // Without the extension fields the report is exactly the spec's.
    assert!(report(&maker("2000", "10", "5000")).get("maker").is_none());
}

#[test]
fn liquity_details_charge_the_fee_in_normal_mode_and_offer_nothing_in_recovery() {
    // Normal mode (TCR 2): (20000 / 1.1 − 12000) / 1.015, the trove's limit being
    // tighter than the system's; rounded down at 18 decimals.
    let mut s = liquity("10", "12000", Some(("500000", "500000000")));
    s["base_rate"] = json!("0.01");
    assert_eq!(
        report(&s)["liquity_v1"],
        json!({
            "net_debt": "11800",
            "meets_min_net_debt": true,
            "borrowing_fee_rate": "0.015",
            "max_additional_debt": "6090.461262875055978504"
        })
    );
    // Recovery mode: no fee, and a pure borrow (which lowers ICR) is refused.
    let mut s = liquity("10", "12000", Some(("500000", "700000000")));
    s["base_rate"] = json!("0.01");
    let d = &report(&s)["liquity_v1"];
    assert_eq!((d["borrowing_fee_rate"].as_str(), d["max_additional_debt"].as_str()), (Some("0"), Some("0")));
    // The fee is capped at 5 % and floored at 0.5 %.
    let mut s = liquity("10", "12000", Some(("500000", "500000000")));
    s["base_rate"] = json!("0.2");
    assert_eq!(report(&s)["liquity_v1"]["borrowing_fee_rate"], "0.05");
    s["base_rate"] = json!("0");
    assert_eq!(report(&s)["liquity_v1"]["borrowing_fee_rate"], "0.005");
}

#[test]
fn liquity_headroom_on_no_debt_opens_a_trove() {
    let headroom = |collateral: &str| {
        let mut s = liquity(collateral, "0", None);
        s["base_rate"] = json!("0");
        report(&s)["liquity_v1"]["max_additional_debt"].as_str().unwrap().to_owned()
    };
    // 1 ETH at 2000: 1818.18 of debt at MCR, less the 200 gas compensation, is
    // under the 1800 minimum net debt: no trove can be opened, nothing drawn.
    assert_eq!(headroom("1"), "0");
    // 10 ETH: (20000 / 1.1 − 200) / 1.005 (the 0.5 % floor fee), rounded down.
    assert_eq!(headroom("10"), "17892.35639981908638625");
    // And the engine's own borrow rules agree: that much opens the trove, a cent more does not.
    let mut s = liquity("10", "0", None);
    s["base_rate"] = json!("0");
    assert!(act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "17892.35" }])).is_ok());
    assert!(act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "17892.37" }])).is_err());
    // In recovery mode (system 1000 ETH against 1.5 M LUSD, TCR 133 %) a trove
    // still opens, with no fee, at ICR ≥ CCR: 10 × 2000 / 1.5 − 200 = 13133.33.
    let mut s = liquity("10", "0", Some(("1010", "1500000")));
    s["base_rate"] = json!("0");
    assert_eq!(report(&s)["liquity_v1"]["max_additional_debt"], "13133.333333333333333333");
    assert!(act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "13133.33" }])).is_ok());
    assert!(act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "13133.34" }])).is_err());
}

#[test]
fn maker_frob_refuses_an_unsafe_vault_and_dust() {
    let s = maker("2000", "10", "5000");
    // 10 × 2000 / 1.45 = 13793.10…: drawing to 13793.1 is safe, a cent more is not.
    let after = act(&s, json!([{ "action": "borrow", "asset": "DAI", "amount": "8793.1" }])).unwrap();
    assert_eq!(after["debt"][0]["amount"], "13793.1");
    assert_eq!(
        act(&s, json!([{ "action": "borrow", "asset": "DAI", "amount": "8793.11" }])).unwrap_err(),
        "actions[0] (borrow 8793.11 DAI): the Vat refuses: Vat/not-safe: the vault would be under its liquidation ratio"
    );
    // Freeing collateral that would make it unsafe is refused too; locking more never is.
    assert!(act(&s, json!([{ "action": "withdraw", "asset": "ETH", "amount": "6.4" }]))
        .unwrap_err()
        .contains("Vat/not-safe"));
    assert!(act(&s, json!([{ "action": "withdraw", "asset": "ETH", "amount": "6.375" }])).is_ok());
    // Repaying down to under the dust is refused; repaying all is fine.
    let mut dusty = maker("2000", "10", "10000");
    dusty["assets"][0]["dust"] = json!("7500");
    assert!(act(&dusty, json!([{ "action": "repay", "asset": "DAI", "amount": "3000" }]))
        .unwrap_err()
        .contains("Vat/dust"));
    let repaid = act(&dusty, json!([{ "action": "repay", "asset": "DAI", "amount": "max" }])).unwrap();
    assert_eq!(repaid["debt"][0]["amount"], "0");
    // A price crash is a what-if too, and then the vault is liquidatable.
    let crashed = act(&s, json!([{ "action": "set_price", "asset": "ETH", "price": "700" }])).unwrap();
    assert_eq!(report(&crashed)["liquidatable"], true);
    assert!(act(&s, json!([{ "action": "set_emode", "id": 1 }]))
        .unwrap_err()
        .contains("does not apply to a maker position"));
}

#[test]
fn liquity_adjustments_follow_borrower_operations() {
    // Normal mode (TCR 2): ICR must stay at least 110 %, and new debt carries the
    // 0.5 % fee: 12000 + x × 1.005 ≤ 20000 / 1.1 gives x ≤ 6151.0628…
    let s = liquity("10", "12000", Some(("500000", "500000000")));
    let after = act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "6151.06" }])).unwrap();
    assert_eq!(after["debt"][0]["amount"], "18181.8153");
    assert_eq!(
        act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "6151.07" }])).unwrap_err(),
        "actions[0] (borrow 6151.07 LUSD): Liquity's BorrowerOperations refuses: An operation that would result in ICR < MCR is not permitted"
    );
    // Net debt (debt less 200 gas compensation) must stay at least 1800.
    let small = liquity("10", "2100", Some(("500000", "500000000")));
    assert!(act(&small, json!([{ "action": "repay", "asset": "LUSD", "amount": "200" }]))
        .unwrap_err()
        .contains("net debt"));
    // Recovery mode (TCR 1.43): no collateral may leave, whatever the ICR.
    let recovery = liquity("10", "12000", Some(("500000", "700000000")));
    assert!(act(&recovery, json!([{ "action": "withdraw", "asset": "ETH", "amount": "0.1" }]))
        .unwrap_err()
        .contains("Collateral withdrawal not permitted Recovery Mode"));
    // …new debt needs ICR ≥ 150 % (20000 / 1.5 = 13333.33), and a borrow that lowers
    // ICR at all is refused in recovery mode.
    assert!(act(&recovery, json!([{ "action": "borrow", "asset": "LUSD", "amount": "1333.34" }]))
        .unwrap_err()
        .contains("ICR >= CCR"));
    assert!(act(&recovery, json!([{ "action": "borrow", "asset": "LUSD", "amount": "1333.33" }]))
        .unwrap_err()
        .contains("Cannot decrease your Trove's ICR in Recovery Mode"));
    // Closing (repay max) is not allowed in recovery mode either.
    assert!(act(&recovery, json!([{ "action": "repay", "asset": "LUSD", "amount": "max" }]))
        .unwrap_err()
        .contains("Operation not permitted during Recovery Mode"));
}

#[test]
fn liquity_repayments_leave_the_gas_compensation_and_max_closes_the_trove() {
    let s = liquity("10", "12000", Some(("500000", "500000000")));
    // Repaying into the 200 LUSD gas compensation is not an adjustment.
    assert!(act(&s, json!([{ "action": "repay", "asset": "LUSD", "amount": "11900" }]))
        .unwrap_err()
        .contains("must not be larger than the Trove's debt"));
    let closed = act(&s, json!([{ "action": "repay", "asset": "LUSD", "amount": "max" }])).unwrap();
    assert_eq!(
        (closed["collateral"][0]["amount"].as_str(), closed["debt"][0]["amount"].as_str()),
        (Some("0"), Some("0"))
    );
    // Adding collateral needs no minimum debt check; a no-op is refused.
    let small = liquity("10", "1500", None);
    assert!(act(&small, json!([{ "action": "supply", "asset": "ETH", "amount": "1" }])).is_ok());
    assert!(act(&small, json!([{ "action": "supply", "asset": "ETH", "amount": "0" }]))
        .unwrap_err()
        .contains("either a collateral change or a debt change"));
}

#[test]
fn liquity_borrowing_with_no_debt_opens_a_trove_with_the_gas_compensation() {
    // 2000 LUSD drawn: 2000 × 1.005 fee + 200 gas compensation = 2210 of debt.
    let s = liquity("10", "0", None);
    let opened = act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "2000" }])).unwrap();
    assert_eq!(opened["debt"][0]["amount"], "2210");
    // Net debt 1000 × 1.005 = 1005 is under the 1800 minimum.
    assert!(act(&s, json!([{ "action": "borrow", "asset": "LUSD", "amount": "1000" }]))
        .unwrap_err()
        .contains("net debt"));
}

fn act(s: &Value, actions: Value) -> Result<Value, String> {
    let scenario = ballast_core::Scenario::parse(&s.to_string()).unwrap();
    let actions: Vec<ballast_core::aave_v3::actions::Action> = serde_json::from_value(actions).unwrap();
    ballast_core::apply_actions(&scenario, &actions)
        .map(|after| serde_json::from_str(&after.to_json()).unwrap())
        .map_err(|e| e.to_string())
}
