#![cfg(not(target_arch = "wasm32"))]
//! Properties of the engine over random Aave V3 positions (proptest).

use alloy_primitives::U256;
use ballast_core::aave_v3::actions::Action;
use ballast_core::aave_v3::solvers::max_borrow;
use ballast_core::aave_v3::{apply_actions, Position};
use ballast_core::exact::PlainDecimal;
use ballast_core::liquidation::Direction;
use ballast_core::{evaluate, evaluate_json, Scenario};
use num_rational::BigRational;
use num_traits::{One, Signed};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
struct AssetSpec {
    decimals: u32,
    price_units: u64, // price × 1e8
    ltv: u32,
    lt: u32,
    collateral_units: u64,
    debt_units: u64,
}

fn decimal(units: u64, scale: u32) -> String {
    let s = format!("{:0>width$}", units, width = scale as usize + 1);
    let (i, f) = s.split_at(s.len() - scale as usize);
    let f = f.trim_end_matches('0');
    if f.is_empty() {
        i.to_owned()
    } else {
        format!("{i}.{f}")
    }
}

fn asset_spec() -> impl Strategy<Value = AssetSpec> {
    (
        0u32..=24,
        1u64..=10_000_000_000_000,
        0u32..=9_000,
        0u32..=1_000,
        0u64..=1_000_000_000,
        0u64..=1_000_000_000,
        any::<bool>(),
    )
        .prop_map(|(decimals, price_units, lt_base, ltv_gap, c, d, has_debt)| {
            let lt = lt_base.max(1_000);
            AssetSpec {
                decimals,
                price_units,
                ltv: lt.saturating_sub(ltv_gap),
                lt,
                collateral_units: c,
                debt_units: if has_debt { d } else { 0 },
            }
        })
}

/// A scenario whose amounts have at most min(decimals, 6) decimals.
fn scenario_json(assets: &[AssetSpec]) -> Value {
    let assets_json: Vec<Value> = assets
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({ "symbol": format!("A{i}"), "decimals": a.decimals, "price": decimal(a.price_units, 8),
                    "ltv_bps": a.ltv, "liquidation_threshold_bps": a.lt, "liquidation_bonus_bps": 10_500u32.min(100_000_000 / a.lt.max(1)) })
        })
        .collect();
    let amount = |units: u64, decimals: u32| decimal(units, decimals.min(6));
    let collateral: Vec<Value> = assets
        .iter()
        .enumerate()
        .filter(|(_, a)| a.collateral_units > 0)
        .map(|(i, a)| json!({ "asset": format!("A{i}"), "amount": amount(a.collateral_units, a.decimals) }))
        .collect();
    let debt: Vec<Value> = assets
        .iter()
        .enumerate()
        .filter(|(_, a)| a.debt_units > 0)
        .map(|(i, a)| json!({ "asset": format!("A{i}"), "amount": amount(a.debt_units, a.decimals) }))
        .collect();
    json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3", "assets": assets_json,
            "collateral": collateral, "debt": debt })
}

fn parse(v: &Value) -> Scenario {
    Scenario::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

fn hf_wad(v: &Value) -> U256 {
    evaluate(&parse(v)).unwrap().aave_v3.unwrap().health_factor
}

/// The exact health ratio Σ c·p·lt / Σ d·p with one asset's price replaced.
fn exact_ratio(s: &Scenario, asset: &str, price: &BigRational) -> BigRational {
    let position = Position::from_scenario(s).unwrap();
    let mut num = BigRational::from_integer(0.into());
    let mut den = BigRational::from_integer(0.into());
    for e in position.price_exposures() {
        let p = if e.asset == asset { price.clone() } else { e.price.clone() };
        num += &e.collateral_weight * &p;
        den += &e.debt_weight * &p;
    }
    num / den
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The exact health ratio falls with a collateral price. (The Pool's own
    /// wad can rise by a hair, since it floors the average threshold to basis
    /// points: see `the_pools_floored_threshold_can_lift_the_health_factor`.)
    #[test]
    fn health_factor_falls_as_a_collateral_price_falls(assets in prop::collection::vec(asset_spec(), 1..5), cut in 1u64..=99) {
        let s = scenario_json(&assets);
        let Some(i) = assets.iter().position(|a| a.collateral_units > 0 && a.debt_units == 0) else { return Ok(()) };
        if hf_wad(&s) == U256::MAX { return Ok(()) }
        let asset = format!("A{i}");
        let price = (assets[i].price_units * (100 - cut) / 100).max(1);
        let lower = BigRational::new(price.into(), 100_000_000u64.into());
        let parsed = parse(&s);
        let before = exact_ratio(&parsed, &asset, &Position::from_scenario(&parsed).unwrap().price_exposures()
            .into_iter().find(|e| e.asset == asset).unwrap().price);
        prop_assert!(exact_ratio(&parsed, &asset, &lower) < before);
    }

    #[test]
    fn at_a_reported_liquidation_price_the_exact_ratio_is_one(assets in prop::collection::vec(asset_spec(), 1..5)) {
        let s = parse(&scenario_json(&assets));
        let report = evaluate(&s).unwrap();
        let tolerance = BigRational::new(1.into(), 1_000_000_000_000_000i64.into());
        for line in &report.liquidation_prices {
            // The exact line gives exactly 1; the printed one within 1e-15.
            prop_assert_eq!(exact_ratio(&s, &line.asset, &line.exact), BigRational::one());
            let printed = PlainDecimal::parse(&line.price).unwrap().to_rational();
            let error = (exact_ratio(&s, &line.asset, &printed) - BigRational::one()).abs();
            prop_assert!(error < tolerance, "{} at {}: off by {}", line.asset, line.price, error);
            // And the direction says which side is liquidatable.
            let nudge = &line.exact / BigRational::from_integer(1000.into());
            let below = exact_ratio(&s, &line.asset, &(&line.exact - &nudge)) < BigRational::one();
            prop_assert_eq!(below, line.direction == Direction::Below);
        }
    }

    #[test]
    fn supply_then_withdraw_and_borrow_then_repay_restore_the_report(
        assets in prop::collection::vec(asset_spec(), 1..5), pick in 0usize..4, units in 1u64..1_000_000,
    ) {
        let s = parse(&scenario_json(&assets));
        let asset = format!("A{}", pick % assets.len());
        let amount = decimal(units, assets[pick % assets.len()].decimals.min(6));
        let before = evaluate(&s).unwrap();
        let action = |kind: &str| -> Action { serde_json::from_value(json!({"action": kind, "asset": asset, "amount": amount})).unwrap() };
        if let Ok(after) = apply_actions(&s, &[action("supply"), action("withdraw")]) {
            prop_assert_eq!(evaluate(&after).unwrap(), before.clone());
        }
        if let Ok(after) = apply_actions(&s, &[action("borrow"), action("repay")]) {
            prop_assert_eq!(evaluate(&after).unwrap(), before);
        }
    }

    #[test]
    fn max_borrow_is_allowed_and_one_more_unit_is_not(assets in prop::collection::vec(asset_spec(), 1..5), pick in 0usize..4) {
        let s = parse(&scenario_json(&assets));
        let p = Position::from_scenario(&s).unwrap();
        let asset = format!("A{}", pick % assets.len());
        if let Ok(max) = max_borrow(&p, &asset) {
            let borrow = |raw: U256| {
                let mut next = p.clone();
                let r = next.reserve_mut(&asset).unwrap();
                let tokens = r.tokens_text(raw);
                apply_actions(&next.to_scenario(&s), &[serde_json::from_value(json!({"action": "borrow", "asset": asset, "amount": tokens})).unwrap()])
            };
            prop_assert!(borrow(max).is_ok());
            prop_assert!(borrow(max + U256::from(1)).is_err());
        }
    }

    #[test]
    fn no_input_panics(text in ".{0,400}") {
        let _ = evaluate_json(&text);
    }

    #[test]
    fn no_mutated_scenario_panics(assets in prop::collection::vec(asset_spec(), 0..4), key in "[a-z_]{1,12}", value in prop_oneof![
        Just(json!(null)), Just(json!(-1)), Just(json!("-1")), Just(json!("1e9")), Just(json!(1.5)),
        Just(json!("99999999999999999999999999999999999999999999999999999999999999999999999999999")),
        Just(json!([])), Just(json!({})), Just(json!(u64::MAX)), Just(json!("0")),
    ]) {
        let mut s = scenario_json(&assets);
        if let Some(a) = s["assets"].get_mut(0) { a[&key] = value.clone(); }
        s[&key] = value;
        let _ = evaluate_json(&s.to_string());
    }
}
