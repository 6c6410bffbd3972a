//! What-ifs, solvers and liquidation previews on Aave V3.0 positions, with
//! values worked by hand from the Pool's code (ValidationLogic,
//! LiquidationLogic of @aave/core-v3 1.19.3).

use alloy_primitives::U256;
use ballast_core::aave_v3::actions::{Action, PoolError, WhatIfError};
use ballast_core::aave_v3::liquidation_call::{default_pair, liquidation_call};
use ballast_core::aave_v3::solvers::{
    less_margin, max_borrow, max_withdraw, repay_to_reach, supply_to_reach, SolveError,
};
use ballast_core::aave_v3::{apply_actions, Position};
use ballast_core::{evaluate, Scenario};
use serde_json::{json, Value};

fn scenario(v: Value) -> Scenario {
    Scenario::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn weth_usdc(weth: &str, weth_price: &str, usdc_debt: &str) -> Value {
    json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
        "assets": [
            { "symbol": "WETH", "decimals": 18, "price": weth_price, "ltv_bps": 8000,
              "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
            { "symbol": "USDC", "decimals": 6, "price": "1.0001", "ltv_bps": 7700,
              "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10450 } ],
        "collateral": [ { "asset": "WETH", "amount": weth } ],
        "debt": if usdc_debt == "0" { json!([]) } else { json!([ { "asset": "USDC", "amount": usdc_debt } ]) } })
}

fn action(v: Value) -> Action {
    serde_json::from_value(v).unwrap()
}

fn wad(s: &str) -> U256 {
    s.parse().unwrap()
}

#[test]
fn max_borrow_is_the_pools_exact_limit() {
    // 1 WETH at 2000, LTV 80 %: collateral needed = (debt + amount).percentDiv(8000)
    // ≤ 2000e8 gives amountBase ≤ 1600e8, and amountBase = floor(raw × 1.0001e8 / 1e6),
    // so the largest raw USDC amount is 1 599 840 016 (worked in integers).
    let p = Position::from_scenario(&scenario(weth_usdc("1", "2000", "0"))).unwrap();
    let max = max_borrow(&p, "USDC").unwrap();
    assert_eq!(max, U256::from(1_599_840_016u64));
    let borrow = |amount: &str| {
        apply_actions(
            &scenario(weth_usdc("1", "2000", "0")),
            &[action(json!({"action": "borrow", "asset": "USDC", "amount": amount}))],
        )
    };
    assert!(borrow("1599.840016").is_ok());
    assert_eq!(
        borrow("1599.840017").unwrap_err(),
        WhatIfError::Refused {
            action: "actions[0] (borrow 1599.840017 USDC)".into(),
            error: PoolError::CollateralCannotCoverNewBorrow
        }
    );
    // A UI offers 1 % less, rounded down.
    assert_eq!(less_margin(max, 100), U256::from(1_583_841_615u64));
}

#[test]
fn refusals_carry_the_pools_code_and_words() {
    let mut s = weth_usdc("1", "2000", "0");
    s["assets"][1]["frozen"] = json!(true);
    let e = apply_actions(&scenario(s), &[action(json!({"action": "borrow", "asset": "USDC", "amount": "10"}))])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "actions[0] (borrow 10 USDC): the Pool refuses with RESERVE_FROZEN (28): the reserve is frozen: no new supply or borrow"
    );
    let e = apply_actions(
        &scenario(weth_usdc("1", "2000", "0")),
        &[action(json!({"action": "withdraw", "asset": "WETH", "amount": "1.5"}))],
    )
    .unwrap_err();
    assert!(matches!(e, WhatIfError::Refused { error: PoolError::NotEnoughAvailableUserBalance, .. }));
    let e = apply_actions(
        &scenario(weth_usdc("1", "2000", "0")),
        &[action(json!({"action": "borrow", "asset": "USDC", "amount": "0.0000001"}))],
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "actions[0].amount: \"0.0000001\" has 7 decimals; USDC has 6");
}

#[test]
fn ltv_zero_collateral_blocks_withdrawing_other_collateral() {
    let s = json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
        "assets": [
            { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250 },
            { "symbol": "X", "decimals": 18, "price": "100", "ltv_bps": 0, "liquidation_threshold_bps": 7000 },
            { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000 } ],
        "collateral": [ { "asset": "WETH", "amount": "10" }, { "asset": "X", "amount": "100" } ],
        "debt": [ { "asset": "USDC", "amount": "1000" } ] });
    let s = scenario(s);
    let withdraw = |asset: &str| action(json!({"action": "withdraw", "asset": asset, "amount": "1"}));
    let e = apply_actions(&s, &[withdraw("WETH")]).unwrap_err();
    assert!(matches!(e, WhatIfError::Refused { error: PoolError::LtvValidationFailed, .. }), "{e}");
    // The LTV-0 asset itself may leave, and then WETH may too.
    let after =
        apply_actions(&s, &[action(json!({"action": "withdraw", "asset": "X", "amount": "max"})), withdraw("WETH")])
            .unwrap();
    assert_eq!(after.collateral.len(), 1);
    assert_eq!(after.collateral[0].amount.as_str(), "9");
    // Turning WETH off as collateral is refused for the same reason.
    let e = apply_actions(&s, &[action(json!({"action": "set_collateral", "asset": "WETH", "enabled": false}))])
        .unwrap_err();
    assert!(matches!(e, WhatIfError::Refused { error: PoolError::LtvValidationFailed, .. }));
    // And max_withdraw of WETH is 0 while X is held.
    let p = Position::from_scenario(&s).unwrap();
    assert_eq!(max_withdraw(&p, "WETH", wad("1000000000000000000")).unwrap(), U256::ZERO);
}

#[test]
fn liquidation_takes_half_the_debt_above_095_and_the_bonus_from_collateral() {
    // 10 WETH at 600 against 5000 USDC at 1.0001: HF 0.989901009899010099, above 0.95,
    // so 50 % (2500 USDC) may be repaid. Seized: floor(1.0001e8 × 2500e6 × 1e18 /
    // (600e8 × 1e6)) = 4.167083333333333333 WETH, × 105 % half up = 4.3754375 WETH.
    let p = Position::from_scenario(&scenario(weth_usdc("10", "600", "5000"))).unwrap();
    assert_eq!(p.account_data().unwrap().health_factor, wad("989901009899010099"));
    assert_eq!(default_pair(&p), Some(("WETH".to_owned(), "USDC".to_owned())));
    let out = liquidation_call(&p, "WETH", "USDC", None).unwrap();
    assert_eq!(out.close_factor_bps, 5000);
    assert_eq!(out.debt_repaid, U256::from(2_500_000_000u64));
    assert_eq!(out.collateral_to_liquidator, wad("4375437500000000000"));
    assert_eq!(out.protocol_fee, U256::ZERO);
    let after = &out.after;
    assert_eq!(after.reserve("WETH").unwrap().collateral, wad("5624562500000000000"));
    assert_eq!(after.reserve("USDC").unwrap().debt, U256::from(2_500_000_000u64));
    assert!(!after.account_data().unwrap().liquidatable());
}

#[test]
fn below_095_the_whole_debt_can_go_and_a_short_collateral_caps_the_repayment() {
    // At 500 the HF is 0.8249…: close factor 100 %. 10 WETH are worth 5000 USD, less
    // than 5000.5 × 1.05, so all 10 WETH go and the debt repaid is their value
    // without the bonus: (5e11 × 1e6 / 1.0001e8 / 1e18 …) percentDiv 10500.
    let p = Position::from_scenario(&scenario(weth_usdc("10", "500", "5000"))).unwrap();
    let out = liquidation_call(&p, "WETH", "USDC", None).unwrap();
    assert_eq!(out.close_factor_bps, 10_000);
    assert_eq!(out.collateral_to_liquidator, wad("10000000000000000000"));
    // floor(500e8 × 10e18 × 1e6 / (1.0001e8 × 1e18)) = 4999500049, percentDiv 10500 half up.
    assert_eq!(out.debt_repaid, U256::from(4_761_428_618u64));
    assert_eq!(out.after.reserve("WETH").unwrap().collateral, U256::ZERO);
    assert!(!out.after.reserve("WETH").unwrap().use_as_collateral);
}

#[test]
fn a_healthy_position_cannot_be_liquidated() {
    let p = Position::from_scenario(&scenario(weth_usdc("10", "2000", "5000"))).unwrap();
    let e = liquidation_call(&p, "WETH", "USDC", None).unwrap_err();
    assert_eq!(e.to_string(), "the Pool refuses the liquidation: HEALTH_FACTOR_NOT_BELOW_THRESHOLD (45): the health factor is not below 1, so no liquidation");
}

#[test]
fn repay_and_supply_solvers_land_on_their_target() {
    // HF 1.0998…; the smallest repayment reaching 1.5 is 4001.099891 USDC (worked in integers).
    let s = scenario(weth_usdc("10", "2000", "15000"));
    let p = Position::from_scenario(&s).unwrap();
    let target = wad("1500000000000000000");
    let repay = repay_to_reach(&p, "USDC", target).unwrap();
    assert_eq!(repay, U256::from(4_001_099_891u64));
    let after =
        apply_actions(&s, &[action(json!({"action": "repay", "asset": "USDC", "amount": "4001.099891"}))]).unwrap();
    let hf = evaluate(&after).unwrap().aave_v3.unwrap().health_factor;
    assert!(hf >= target);
    let short =
        apply_actions(&s, &[action(json!({"action": "repay", "asset": "USDC", "amount": "4001.09989"}))]).unwrap();
    assert!(evaluate(&short).unwrap().aave_v3.unwrap().health_factor < target);

    let supply = supply_to_reach(&p, "WETH", target, wad("1000000000000000000000")).unwrap();
    let mut more = p.clone();
    more.reserve_mut("WETH").unwrap().collateral += supply;
    assert!(more.account_data().unwrap().health_factor >= target);
    more.reserve_mut("WETH").unwrap().collateral -= U256::from(1);
    assert!(more.account_data().unwrap().health_factor < target);
}

#[test]
fn supply_then_withdraw_restores_the_scenario() {
    let s = scenario(weth_usdc("10", "2000", "5000"));
    let after = apply_actions(
        &s,
        &[
            action(json!({"action": "supply", "asset": "WETH", "amount": "2.5"})),
            action(json!({"action": "withdraw", "asset": "WETH", "amount": "2.5"})),
            action(json!({"action": "borrow", "asset": "USDC", "amount": "100"})),
            action(json!({"action": "repay", "asset": "USDC", "amount": "100"})),
        ],
    )
    .unwrap();
    assert_eq!(evaluate(&after).unwrap(), evaluate(&s).unwrap());
}

#[test]
fn governance_and_price_what_ifs_move_the_health_factor() {
    let s = scenario(weth_usdc("10", "2000", "5000"));
    let lower = apply_actions(
        &s,
        &[action(json!({"action": "set_liquidation_threshold", "asset": "WETH", "liquidation_threshold_bps": 8000}))],
    )
    .unwrap();
    // 2000e8 × 10 × 80 % / 5000.5 = 3.199680031996800320 (wadDiv half up).
    assert_eq!(evaluate(&lower).unwrap().health_factor.as_deref(), Some("3.19968003199680032"));
    let crash = apply_actions(&s, &[action(json!({"action": "set_price", "asset": "WETH", "price": "600"}))]).unwrap();
    assert!(evaluate(&crash).unwrap().liquidatable);
    assert_eq!(crash.assets[0].price.as_ref().unwrap().as_str(), "600");
}

#[test]
fn emode_switch_requires_every_borrow_in_the_category() {
    let s = json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
        "assets": [
            { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000, "emode_category": 1 },
            { "symbol": "DAI", "decimals": 18, "price": "1", "ltv_bps": 6300, "liquidation_threshold_bps": 7700, "emode_category": 1 },
            { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250 } ],
        "emode_categories": [ { "id": 1, "ltv_bps": 9300, "liquidation_threshold_bps": 9500, "liquidation_bonus_bps": 10100, "price": null } ],
        "collateral": [ { "asset": "USDC", "amount": "10000" } ],
        "debt": [ { "asset": "DAI", "amount": "7000" } ] });
    let s = scenario(s);
    let after = apply_actions(&s, &[action(json!({"action": "set_emode", "id": 1}))]).unwrap();
    // (10000 × 95 %) / 7000 = 1.357142857142857143 (half up).
    assert_eq!(evaluate(&after).unwrap().health_factor.as_deref(), Some("1.357142857142857143"));
    let e =
        apply_actions(&after, &[action(json!({"action": "borrow", "asset": "WETH", "amount": "0.1"}))]).unwrap_err();
    assert!(matches!(e, WhatIfError::Refused { error: PoolError::InconsistentEmodeCategory, .. }));
    // Governance removes the category: own parameters apply again.
    let removed = apply_actions(&after, &[action(json!({"action": "remove_emode_category", "id": 1}))]).unwrap();
    assert_eq!(evaluate(&removed).unwrap().aave_v3.unwrap().current_liquidation_threshold, U256::from(8000));
}

#[test]
fn isolation_mode_enforces_the_debt_ceiling_in_cents() {
    let s = json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
        "assets": [
            { "symbol": "ISO", "decimals": 18, "price": "10", "ltv_bps": 5000, "liquidation_threshold_bps": 6000,
              "debt_ceiling": "1000", "isolation_mode_total_debt": "900" },
            { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000,
              "borrowable_in_isolation": true },
            { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250 } ],
        "collateral": [ { "asset": "ISO", "amount": "1000" } ],
        "debt": [] });
    let s = scenario(s);
    let borrow = |asset: &str, amount: &str| {
        apply_actions(&s, &[action(json!({"action": "borrow", "asset": asset, "amount": amount}))])
    };
    // 900 + 100.00 = 1000.00 is at the ceiling: allowed; a cent more is not.
    let after = borrow("USDC", "100").unwrap();
    assert_eq!(after.assets[0].isolation_mode_total_debt.as_ref().unwrap().as_str(), "1000");
    assert!(matches!(
        borrow("USDC", "100.01").unwrap_err(),
        WhatIfError::Refused { error: PoolError::DebtCeilingExceeded, .. }
    ));
    assert!(matches!(
        borrow("WETH", "0.01").unwrap_err(),
        WhatIfError::Refused { error: PoolError::AssetNotBorrowableInIsolation, .. }
    ));
}

#[test]
fn basket_crash_moves_solve_the_exact_ratio() {
    use ballast_core::liquidation::crash_line;
    use num_rational::BigRational;
    // 10 WETH at 2000 (LT 82.5 %) and 1 WBTC at 60000 (LT 75 %) against 20000 USDC at 1.
    let s = scenario(json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
        "assets": [
            { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250 },
            { "symbol": "WBTC", "decimals": 8, "price": "60000", "ltv_bps": 7000, "liquidation_threshold_bps": 7500 },
            { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000 } ],
        "collateral": [ { "asset": "WETH", "amount": "10" }, { "asset": "WBTC", "amount": "1" } ],
        "debt": [ { "asset": "USDC", "amount": "20000" } ] }));
    let exposures = Position::from_scenario(&s).unwrap().price_exposures();
    let zero = BigRational::from_integer(0.into());
    let one = || BigRational::from_integer(1.into());
    // Together: (16500 + 45000)(1 + m) = 20000 → m = 20000/61500 − 1 = −83/123.
    let both = crash_line(&exposures, &[("WETH".into(), one()), ("WBTC".into(), one())], &zero, &zero).unwrap();
    assert_eq!(both.move_fraction, BigRational::new((-83).into(), 123.into()));
    assert_eq!(both.prices[0].1, BigRational::new(80000.into(), 123.into()));
    // WETH alone cannot do it: 45000 of WBTC covers the debt at any WETH price.
    assert_eq!(crash_line(&exposures, &[("WETH".into(), one())], &zero, &zero), None);
    // Correlated: WBTC moves half as much as WETH. 16500(1+m) + 45000(1+m/2) = 20000
    // → m = −41500/39000 = −83/78, which would take WETH below 0: no line.
    let half = BigRational::new(1.into(), 2.into());
    assert_eq!(crash_line(&exposures, &[("WETH".into(), one()), ("WBTC".into(), half)], &zero, &zero), None);
}

/// A loop supplying WETH bought with borrowed USDC, 1 USDC buying 1/2000 WETH
/// less `slippage_bps`, each borrow 1 % under the Pool's limit.
fn weth_on_usdc_loop(
    slippage_bps: u32,
    target: ballast_core::aave_v3::looping::LoopTarget,
    floor: U256,
) -> ballast_core::aave_v3::looping::LoopParams {
    ballast_core::aave_v3::looping::LoopParams {
        collateral_asset: "WETH".into(),
        debt_asset: "USDC".into(),
        swap_rate: num_rational::BigRational::new(1.into(), 2000.into()),
        slippage_bps,
        target,
        borrow_margin_bps: 100,
        min_health_factor: floor,
    }
}

#[test]
fn a_loop_reaches_its_leverage_and_its_unwind_never_dips_under_the_floor() {
    use ballast_core::aave_v3::looping::{leverage, plan_loop, LoopTarget};
    use num_rational::BigRational;
    use num_traits::Signed;
    // 10 WETH at 2000 against 5000 USDC: leverage 20000 / 15000 = 1.33.
    let s = scenario(weth_usdc("10", "2000", "5000"));
    let p = Position::from_scenario(&s).unwrap();
    let floor = wad("1100000000000000000");
    // 0.3 % slippage.
    let params = weth_on_usdc_loop(30, LoopTarget::Leverage(BigRational::from_integer(3.into())), floor);
    let plan = plan_loop(&p, &params).unwrap();
    assert!(!plan.steps.is_empty());
    let three = BigRational::from_integer(3.into());
    let off = (&plan.leverage - &three) / &three;
    assert!(off.abs() < BigRational::new(1.into(), 1000.into()), "leverage {}", plan.leverage);
    assert_eq!(plan.leverage, leverage(&plan.looped).unwrap());
    assert!(plan.steps.iter().all(|s| s.health_factor_after_borrow >= floor && s.health_factor >= floor));
    // Looping brings the liquidation closer: the unlooped position survives a
    // 69.7 % fall (5000.5 / 16500 − 1); the looped one much less.
    let unlooped = plan.unlooped_liquidation.clone().unwrap().move_fraction;
    let looped = plan.looped_liquidation.clone().unwrap().move_fraction;
    assert_eq!(unlooped, BigRational::new(50_005.into(), 165_000.into()) - BigRational::from_integer(1.into()));
    assert!(looped > unlooped, "{looped} vs {unlooped}");
    // The unwind repays everything and keeps the floor at every step, the
    // withdrawal before each repayment included; no debt is left at the end.
    assert!(plan.unwind.iter().all(|s| s.health_factor_after_withdraw >= floor && s.health_factor >= floor));
    assert_eq!(plan.unwind.last().unwrap().health_factor, U256::MAX);
    let repaid: U256 = plan.unwind.iter().map(|s| s.repaid).fold(U256::ZERO, |a, b| a + b);
    assert_eq!(repaid, plan.looped.reserve("USDC").unwrap().debt);
}

#[test]
fn a_loop_keeps_the_floor_between_its_borrow_and_its_supply() {
    use ballast_core::aave_v3::looping::{plan_loop, LoopTarget};
    use num_rational::BigRational;
    // No debt, 10 WETH at 2000 (threshold 82.5 %), to 2x with a 1.1 floor.
    // The first round's borrow was sized on the HF after the supply: 15838.42
    // USDC left the position at HF 1.04 until the swapped WETH was supplied.
    let p = Position::from_scenario(&scenario(weth_usdc("10", "2000", "0"))).unwrap();
    let floor = wad("1100000000000000000");
    let params = weth_on_usdc_loop(30, LoopTarget::Leverage(BigRational::from_integer(2.into())), floor);
    let plan = plan_loop(&p, &params).unwrap();
    let first = &plan.steps[0];
    // 20000 USD × 0.825 / 1.1 = 15000 USD of debt at most after the borrow,
    // USDC at 1.0001: 14998.500149 USDC, under the Pool's limit less 1 %
    // (15838.42), so the borrow is that cap, to within a base-currency unit.
    assert!(first.health_factor_after_borrow >= floor, "{}", first.health_factor_after_borrow);
    let cap = U256::from(14_998_500_149u64);
    assert!(first.borrowed <= cap && cap - first.borrowed < U256::from(10), "{}", first.borrowed);
    assert!(plan.steps.iter().all(|s| s.health_factor_after_borrow >= floor));
}

#[test]
fn a_fixed_number_of_loops_stops_there() {
    use ballast_core::aave_v3::looping::{plan_loop, LoopTarget};
    let p = Position::from_scenario(&scenario(weth_usdc("10", "2000", "0"))).unwrap();
    let params = weth_on_usdc_loop(0, LoopTarget::Loops(2), wad("1000000000000000000"));
    let plan = plan_loop(&p, &params).unwrap();
    assert_eq!(plan.steps.len(), 2);
    // Round 1 borrows 99 % of the Pool's limit on 20000 USD at 80 %: 15840 USDC
    // at 1.0001 → floor(16000e8 / 1.0001 …) less 1 %, then buys it as WETH at 2000.
    let first = &plan.steps[0];
    let max_first = max_borrow(&p, "USDC").unwrap();
    assert_eq!(first.borrowed, less_margin(max_first, 100));
    assert_eq!(first.supplied, first.borrowed * U256::from(1_000_000_000_000u64) / U256::from(2000));
}

#[test]
fn a_loop_is_refused_on_parameters_that_cannot_be_planned() {
    use ballast_core::aave_v3::looping::{plan_loop, LoopParams, LoopTarget};
    use num_rational::BigRational;
    let p = Position::from_scenario(&scenario(weth_usdc("10", "2000", "0"))).unwrap();
    let params =
        weth_on_usdc_loop(0, LoopTarget::Leverage(BigRational::from_integer(3.into())), wad("1000000000000000000"));
    let refusal = |params: LoopParams| plan_loop(&p, &params).unwrap_err().to_string();
    assert_eq!(
        refusal(LoopParams { debt_asset: "WETH".into(), ..params.clone() }),
        "the collateral and the debt asset must differ"
    );
    assert_eq!(
        refusal(LoopParams { target: LoopTarget::Leverage(BigRational::from_integer(1.into())), ..params.clone() }),
        "the target leverage must be more than 1 (collateral over equity)"
    );
    // A floor a wei under 1 would let a step end liquidatable.
    assert_eq!(
        refusal(LoopParams { min_health_factor: wad("999999999999999999"), ..params.clone() }),
        "the health factor floor must be at least 1"
    );
    assert!(plan_loop(&p, &params).is_ok());
}

#[test]
fn interest_alone_liquidates_on_the_day_the_pools_compounding_says() {
    use ballast_core::aave_v3::projection::{days_until_liquidation, project_health};
    // 10 WETH at 2000 (LT 82.5 %) against 16000 USDC at 1 borrowed at 10 % a year:
    // HF 1.03125 today. With the Pool's 3-term compounding applied daily, the
    // debt passes 16500 on day 113 (worked in integers: HF 0.999812772151740619).
    let mut s = weth_usdc("10", "2000", "16000");
    s["assets"][1]["price"] = json!("1");
    s["assets"][1]["variable_borrow_rate"] = json!("0.1");
    let p = Position::from_scenario(&scenario(s)).unwrap();
    assert_eq!(days_until_liquidation(&p, 365).unwrap(), Some(113));
    let path = project_health(&p, 113).unwrap();
    assert_eq!(path[0].health_factor, wad("1031250000000000000"));
    assert_eq!(path[113].health_factor, wad("999812772151740619"));
    assert!(path.windows(2).all(|w| w[1].health_factor <= w[0].health_factor));
    assert_eq!(days_until_liquidation(&p, 100).unwrap(), None);
}

#[test]
fn supply_interest_is_linear_between_daily_updates() {
    use ballast_core::aave_v3::projection::accrue;
    // 10 WETH earning 5 %: a year of daily updates of the linear index gives
    // 10.512674964674625505 WETH (worked in integers).
    let mut s = weth_usdc("10", "2000", "0");
    s["assets"][0]["supply_rate"] = json!("0.05");
    let p = Position::from_scenario(&scenario(s)).unwrap();
    assert_eq!(accrue(&p, 365).unwrap().reserve("WETH").unwrap().collateral, wad("10512674964674625505"));
}

mod review_fixes {
    use super::*;

    fn iso() -> Scenario {
        scenario(json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
            "assets": [
                { "symbol": "ISO", "decimals": 18, "price": "10", "ltv_bps": 5000, "liquidation_threshold_bps": 6000,
                  "liquidation_bonus_bps": 10500, "debt_ceiling": "1000", "isolation_mode_total_debt": "900" },
                { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000,
                  "liquidation_bonus_bps": 10450, "borrowable_in_isolation": true } ],
            "collateral": [ { "asset": "ISO", "amount": "1000" } ], "debt": [] }))
    }

    #[test]
    fn a_repayment_lowers_the_isolated_debt_as_the_pool_does() {
        // 900 + 100 borrowed, 100 repaid: back to 900, so 50 more fits the 1000 ceiling.
        let after = apply_actions(
            &iso(),
            &[
                action(json!({"action": "borrow", "asset": "USDC", "amount": "100"})),
                action(json!({"action": "repay", "asset": "USDC", "amount": "100"})),
                action(json!({"action": "borrow", "asset": "USDC", "amount": "50"})),
            ],
        )
        .unwrap();
        assert_eq!(after.assets[0].isolation_mode_total_debt.as_ref().unwrap().as_str(), "950");
    }

    #[test]
    fn a_token_with_fewer_than_2_decimals_cannot_be_borrowed_in_isolation_mode() {
        // The Pool divides by 10 ** (decimals - 2): with 1 decimal that underflows and reverts.
        let mut s = iso();
        s.assets[1].decimals = Some(1);
        let e = apply_actions(&s, &[action(json!({"action": "borrow", "asset": "USDC", "amount": "100"}))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("USDC has 1 decimals") && e.contains("underflows"), "{e}");
        // Outside isolation mode the same token borrows normally.
        s.assets[0].debt_ceiling = None;
        s.assets[0].isolation_mode_total_debt = None;
        assert!(apply_actions(&s, &[action(json!({"action": "borrow", "asset": "USDC", "amount": "100"}))]).is_ok());
    }

    #[test]
    fn supply_to_reach_refuses_collateral_the_pool_would_not_turn_on() {
        // CRV-like: LTV 0, threshold 45 %. A first supply does not turn it on.
        let s = scenario(json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
            "assets": [
                { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
                { "symbol": "CRV", "decimals": 18, "price": "0.5", "ltv_bps": 0, "liquidation_threshold_bps": 4500, "liquidation_bonus_bps": 10800 },
                { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10450 } ],
            "collateral": [ { "asset": "WETH", "amount": "1" } ],
            "debt": [ { "asset": "USDC", "amount": "1500" } ] }));
        let p = Position::from_scenario(&s).unwrap();
        let target = wad("1200000000000000000");
        let cap = wad("1000000000000000000000000");
        assert_eq!(supply_to_reach(&p, "CRV", target, cap), Err(SolveError::Unreachable));
        // And an asset the user turned off stays off when more is supplied.
        let mut off = s.clone();
        off.collateral[0].use_as_collateral = Some(false);
        off.debt.clear();
        let p = Position::from_scenario(&off).unwrap();
        assert_eq!(supply_to_reach(&p, "WETH", target, cap), Err(SolveError::Unreachable));
    }

    #[test]
    fn a_liquidation_needs_collateral_held_and_a_bonus() {
        let s = scenario(weth_usdc("10", "600", "5000"));
        let p = Position::from_scenario(&s).unwrap();
        // USDC is owed, not held: it cannot be seized.
        let e = liquidation_call(&p, "USDC", "USDC", None).unwrap_err();
        assert!(e.to_string().contains("COLLATERAL_CANNOT_BE_LIQUIDATED"), "{e}");
        let mut no_bonus = weth_usdc("10", "600", "5000");
        no_bonus["assets"][0].as_object_mut().unwrap().remove("liquidation_bonus_bps");
        let p = Position::from_scenario(&scenario(no_bonus)).unwrap();
        let e = liquidation_call(&p, "WETH", "USDC", None).unwrap_err();
        assert_eq!(e.to_string(), "liquidation_bonus_bps: is needed for WETH (above 10000) to preview a liquidation");
    }

    #[test]
    fn a_cap_without_the_reserve_total_is_not_guessed() {
        let mut s = weth_usdc("1", "2000", "0");
        s["assets"][1]["borrow_cap"] = json!("1000000");
        let e = apply_actions(
            &scenario(s.clone()),
            &[action(json!({"action": "borrow", "asset": "USDC", "amount": "10"}))],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "actions[0].total_borrowed: is needed for USDC: its borrow cap is checked against the reserve's total over all users"
        );
        s["assets"][1]["total_borrowed"] = json!("999995");
        let e = apply_actions(&scenario(s), &[action(json!({"action": "borrow", "asset": "USDC", "amount": "10"}))])
            .unwrap_err();
        assert!(matches!(e, WhatIfError::Refused { error: PoolError::BorrowCapExceeded, .. }));
    }

    #[test]
    fn what_ifs_are_refused_for_revisions_they_do_not_model() {
        let mut s = weth_usdc("1", "2000", "0");
        s["protocol"] = json!("aave-v3.3");
        let e = apply_actions(&scenario(s), &[action(json!({"action": "borrow", "asset": "USDC", "amount": "10"}))])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "protocol: what-if actions follow Aave V3.0's checks; they are not modelled for aave-v3.3 yet"
        );
    }

    #[test]
    fn the_configurators_bonus_rules_are_checked() {
        let mut s = weth_usdc("1", "2000", "0");
        s["assets"][0]["liquidation_bonus_bps"] = json!(10000);
        assert!(Scenario::parse(&s.to_string()).unwrap_err().to_string().contains("must be above it"));
        s["assets"][0]["liquidation_bonus_bps"] = json!(0);
        assert_eq!(
            Scenario::parse(&s.to_string()).unwrap_err().to_string(),
            "assets[0].liquidation_bonus_bps: is 0 with threshold 8250; collateral needs a bonus above 10000"
        );
    }
}

#[test]
fn a_rate_strategy_with_the_reserve_totals_gives_the_rates() {
    // Optimal 80 %, slopes 4 % and 75 %, half used: 4 % × 0.5 / 0.8 = 2.5 % to
    // borrowers, 2.5 % × 0.5 × 90 % = 1.125 % to suppliers.
    let mut s = weth_usdc("10", "2000", "5000");
    s["assets"][1]["rate_strategy"] = json!({ "optimal_usage_ratio": "0.8", "base_variable_borrow_rate": "0",
        "variable_rate_slope1": "0.04", "variable_rate_slope2": "0.75" });
    s["assets"][1]["reserve_factor_bps"] = json!(1000);
    let missing = Scenario::parse(&s.to_string()).and_then(|s| Position::from_scenario(&s).map(|_| ()));
    assert_eq!(
        missing.unwrap_err().to_string(),
        "assets[1].rate_strategy: needs total_supplied and total_borrowed to know the utilisation"
    );
    s["assets"][1]["total_supplied"] = json!("1000000");
    s["assets"][1]["total_borrowed"] = json!("500000");
    let p = Position::from_scenario(&scenario(s.clone())).unwrap();
    let usdc = p.reserve("USDC").unwrap();
    assert_eq!(usdc.variable_borrow_rate, wad("25000000000000000000000000"));
    assert_eq!(usdc.supply_rate, wad("11250000000000000000000000"));
    // A stated rate wins over the strategy's.
    s["assets"][1]["variable_borrow_rate"] = json!("0.07");
    let p = Position::from_scenario(&scenario(s)).unwrap();
    assert_eq!(p.reserve("USDC").unwrap().variable_borrow_rate, wad("70000000000000000000000000"));
}
