//! `aave_v3::apply_balance_changes`: the user's actions as balances, flags
//! and e-mode only, for the health factor after on every revision the engine
//! evaluates (the chain judges whether the Pool allows them).

use ballast_core::aave_v3::actions::{Action, PoolError, WhatIfError};
use ballast_core::aave_v3::{apply_actions, apply_balance_changes};
use ballast_core::{evaluate, Scenario};
use num_rational::BigRational;
use serde_json::{json, Value};

fn scenario(v: Value) -> Scenario {
    Scenario::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn action(v: Value) -> Action {
    serde_json::from_value(v).unwrap()
}

/// 1 wstETH and 1,000 USDC supplied, 1 WETH borrowed; category 1 ("ETH
/// correlated") with 3.2+ lists, or in V3.0 by the assets' own category.
fn position(protocol: &str) -> Scenario {
    let v3_0 = protocol == "aave-v3";
    let mut category = json!({ "id": 1, "ltv_bps": 9300, "liquidation_threshold_bps": 9500,
        "liquidation_bonus_bps": 10100, "price": null });
    if !v3_0 {
        category["collateral_assets"] = json!(["wstETH"]);
        category["borrowable_assets"] = json!(["WETH"]);
    }
    let member = if v3_0 { json!(1) } else { Value::Null };
    scenario(json!({ "schema": "ballast.scenario/1", "protocol": protocol,
        "assets": [
            { "symbol": "wstETH", "decimals": 18, "price": "2000", "ltv_bps": 7800,
              "liquidation_threshold_bps": 8100, "liquidation_bonus_bps": 10600, "emode_category": member },
            { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000,
              "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500, "emode_category": member },
            { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7500,
              "liquidation_threshold_bps": 7800, "liquidation_bonus_bps": 10450 } ],
        "emode_categories": [ category ],
        "collateral": [ { "asset": "wstETH", "amount": "1" }, { "asset": "USDC", "amount": "1000" } ],
        "debt": [ { "asset": "WETH", "amount": "1" } ] }))
}

fn hf(s: &Scenario) -> Option<BigRational> {
    evaluate(s).unwrap_or_else(|e| panic!("{e}")).health_factor_exact
}

#[test]
fn on_v3_0_allowed_actions_end_where_the_checked_what_ifs_end() {
    let s = position("aave-v3");
    let actions = [
        action(json!({ "action": "supply", "asset": "wstETH", "amount": "1" })),
        action(json!({ "action": "borrow", "asset": "WETH", "amount": "0.1" })),
        action(json!({ "action": "repay", "asset": "WETH", "amount": "0.05" })),
        action(json!({ "action": "withdraw", "asset": "USDC", "amount": "200" })),
        action(json!({ "action": "set_emode", "id": 1 })),
        action(json!({ "action": "set_collateral", "asset": "USDC", "enabled": false })),
    ];
    let checked = apply_actions(&s, &actions).unwrap();
    let changed = apply_balance_changes(&s, &actions).unwrap();
    assert_eq!(changed, checked);
    // 2 wstETH at 95 % against 1.05 WETH: 3800 / 2100 = 1.8095238…, a wad rounded half up.
    let wad = BigRational::new(1_809_523_809_523_809_524u128.into(), 1_000_000_000_000_000_000u128.into());
    assert_eq!(hf(&changed), Some(wad));
}

#[test]
fn on_3_2_a_new_category_brings_its_own_lists_and_no_v3_0_check_is_made() {
    let s = position("aave-v3.2");
    let enter = action(json!({ "action": "set_emode", "id": 1 }));
    // V3.0's checks are not modelled for 3.2: the checked path says so.
    assert!(matches!(apply_actions(&s, std::slice::from_ref(&enter)), Err(WhatIfError::Input(_))));
    let after = apply_balance_changes(&s, std::slice::from_ref(&enter)).unwrap();
    let emode = after.emode.as_ref().unwrap();
    assert_eq!(emode.collateral_assets.as_deref(), Some(&["wstETH".to_owned()][..]));
    assert_eq!(emode.borrowable_assets.as_deref(), Some(&["WETH".to_owned()][..]));
    // wstETH at 95 %, USDC (not the category's collateral) at its own 78 %, the average floored to 8933 bps.
    assert_eq!(hf(&after), Some(BigRational::new(26_799.into(), 20_000.into())));
    let left = apply_balance_changes(&after, &[action(json!({ "action": "set_emode", "id": 0 }))]).unwrap();
    assert_eq!(left.emode, None);
    assert_eq!(hf(&left), hf(&s));
}

#[test]
fn what_no_revision_allows_is_still_refused() {
    let s = position("aave-v3.3");
    let refused = |v: Value| match apply_balance_changes(&s, &[action(v)]) {
        Err(WhatIfError::Refused { error, .. }) => error,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        refused(json!({ "action": "withdraw", "asset": "USDC", "amount": "1000.000001" })),
        PoolError::NotEnoughAvailableUserBalance
    );
    assert_eq!(refused(json!({ "action": "repay", "asset": "USDC", "amount": "1" })), PoolError::NoDebtOfSelectedType);
    assert_eq!(
        refused(json!({ "action": "set_collateral", "asset": "WETH", "enabled": true })),
        PoolError::UnderlyingBalanceZero
    );
    assert_eq!(refused(json!({ "action": "borrow", "asset": "USDC", "amount": "0" })), PoolError::InvalidAmount);
    assert!(matches!(
        apply_balance_changes(&s, &[action(json!({ "action": "set_emode", "id": 7 }))]),
        Err(WhatIfError::Input(e)) if e.field == "actions[0].id"
    ));
}
