//! Aave V3 revisions after 3.0 against the same positions: what 3.2, 3.3 and 3.5
//! compute differently from 3.0, worked by hand from aave-dao/aave-v3-origin's code.
//!
//! The worked examples follow Aave's own tests and docs where they state numbers or
//! outcomes: `docs/3.3/Aave-v3.3-features.md` §2.2 and §2.3 (with every value doubled,
//! as the doc assumes a 1000e8 threshold where the code has 2000e8),
//! `tests/protocol/pool/Pool.Liquidations.CloseFactor.t.sol`, `Pool.Deficit.sol` and
//! `Pool.EMode.sol`. Those tests run on the testnet market's prices and parameters; the
//! prices and parameters here are ours, chosen so every figure can be checked by hand.

use alloy_primitives::U256;
use ballast_core::aave_v3::actions::PoolError;
use ballast_core::aave_v3::liquidation_call::liquidation_call as liquidation_call_v3_0;
use ballast_core::aave_v3::revisions::{
    account_data, account_data_with, liquidation_call, liquidation_call_with, AaveRevision, Deficit, EModeAssets,
    RevisionLiquidationError, MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, MIN_LEFTOVER_BASE,
};
use ballast_core::aave_v3::Position;
use ballast_core::Scenario;
use serde_json::{json, Value};

use AaveRevision::{V3_0, V3_2, V3_3, V3_5};

fn u(n: u128) -> U256 {
    U256::from(n)
}

fn big(s: &str) -> U256 {
    s.parse().unwrap()
}

fn asset(symbol: &str, decimals: u32, price: &str, ltv: u32, threshold: u32, bonus: u32) -> Value {
    json!({ "symbol": symbol, "decimals": decimals, "price": price, "ltv_bps": ltv,
            "liquidation_threshold_bps": threshold, "liquidation_bonus_bps": bonus })
}

fn holdings(list: &[(&str, &str)]) -> Value {
    list.iter().map(|(a, amount)| json!({ "asset": a, "amount": amount })).collect()
}

fn scenario(assets: Vec<Value>, collateral: &[(&str, &str)], debt: &[(&str, &str)]) -> Value {
    json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3", "assets": assets,
            "collateral": holdings(collateral), "debt": holdings(debt) })
}

fn position(s: &Value) -> Position {
    let s = Scenario::parse(&s.to_string()).unwrap_or_else(|e| panic!("{e}"));
    Position::from_scenario(&s).unwrap_or_else(|e| panic!("{e}"))
}

fn emode(id: u32, ltv: u32, threshold: u32, bonus: u32) -> Value {
    json!({ "id": id, "ltv_bps": ltv, "liquidation_threshold_bps": threshold, "liquidation_bonus_bps": bonus })
}

fn hf(p: &Position, revision: AaveRevision) -> U256 {
    account_data(p, revision).unwrap().health_factor
}

fn dust(e: RevisionLiquidationError) -> (U256, U256) {
    match e {
        RevisionLiquidationError::MustNotLeaveDust { debt_left_base, collateral_left_base, .. } => {
            (debt_left_base, collateral_left_base)
        }
        other => panic!("expected MUST_NOT_LEAVE_DUST, got {other}"),
    }
}

#[test]
fn names_and_pool_revisions() {
    for r in AaveRevision::ALL {
        assert_eq!(AaveRevision::from_name(r.name()), Some(r));
        assert_eq!(r.to_string().parse::<AaveRevision>(), Ok(r));
    }
    assert_eq!(V3_3.name(), "aave-v3.3");
    // 3.1 and 3.4 compute what 3.0 and 3.3 do.
    assert_eq!(AaveRevision::from_name("aave-v3"), Some(V3_0));
    assert_eq!(AaveRevision::from_name("aave-v3.1"), Some(V3_0));
    assert_eq!(AaveRevision::from_name("aave-v3.4"), Some(V3_3));
    assert!("aave-v3.6".parse::<AaveRevision>().is_err());
    // POOL_REVISION: 1–4 are 3.0.x and 3.1, 6 is 3.2, 7 and 8 are 3.3 and 3.4, 9 is 3.5;
    // 5 is unconfirmed, 10 (3.6) and 11 (3.7) are not modelled.
    let by_pool: Vec<_> = (0..=11).map(AaveRevision::from_pool_revision).collect();
    let expected = [None, Some(V3_0), Some(V3_0), Some(V3_0), Some(V3_0), None, Some(V3_2), Some(V3_3)];
    assert_eq!(by_pool[..8], expected);
    assert_eq!(by_pool[8..], [Some(V3_3), Some(V3_5), None, None]);
    // LiquidationLogic.sol (3.3 to 3.5): 2000e8 and 2000e8 / 2.
    assert_eq!(MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, u(200_000_000_000));
    assert_eq!(MIN_LEFTOVER_BASE, u(100_000_000_000));
}

/// 10 WETH at 600 against 5000 USDC: the V3.0 liquidation test of `aave_v3_what_ifs.rs`.
fn weth_usdc() -> Position {
    position(&scenario(
        vec![asset("WETH", 18, "600", 8000, 8250, 10500), asset("USDC", 6, "1.0001", 7700, 8000, 10450)],
        &[("WETH", "10")],
        &[("USDC", "5000")],
    ))
}

#[test]
fn v3_0_is_the_engines_own_code() {
    let p = weth_usdc();
    assert_eq!(account_data(&p, V3_0).unwrap(), p.account_data().unwrap());
    assert_eq!(
        liquidation_call(&p, "WETH", "USDC", None, V3_0).unwrap(),
        liquidation_call_v3_0(&p, "WETH", "USDC", None).unwrap()
    );
    // Without e-mode and with one collateral and one debt, 3.2 computes the same.
    assert_eq!(account_data(&p, V3_2).unwrap(), p.account_data().unwrap());
    assert_eq!(
        liquidation_call(&p, "WETH", "USDC", None, V3_2).unwrap(),
        liquidation_call_v3_0(&p, "WETH", "USDC", None).unwrap()
    );
}

// ---------------------------------------------------------------- 3.2: liquid e-modes

/// 100 000 USDX (own LT 85 %, legacy e-mode category 1) against 3 WBTC at 27 000 (81 000 USD):
/// Pool.EMode.sol `test_setUserEmode_shouldAllowSwitchingWhenAssetIsBorrowableInEmode` lists
/// USDX as collateral in category 1 (90 / 92 / 100.5 %) and category 2 (90 / 97 / 100.5 %).
fn usdx_wbtc(category: Value) -> Position {
    let mut s = scenario(
        vec![asset("USDX", 6, "1", 8000, 8500, 10500), asset("WBTC", 8, "27000", 7000, 7500, 10650)],
        &[("USDX", "100000")],
        &[("WBTC", "3")],
    );
    s["assets"][0]["emode_category"] = json!(1);
    s["emode"] = category;
    position(&s)
}

#[test]
fn liquid_emodes_put_one_asset_in_several_categories() {
    let both = EModeAssets::new(["USDX"], ["WBTC"]);
    // Category 1: HF = 100 000 × 92 % / 81 000 = 1.135802469135802469 (wadDiv half up).
    let cat1 = usdx_wbtc(emode(1, 9000, 9200, 10050));
    let data = account_data_with(&cat1, V3_2, &both).unwrap();
    assert_eq!(data.health_factor, u(1_135_802_469_135_802_469));
    assert_eq!((data.ltv, data.current_liquidation_threshold), (u(9000), u(9200)));
    // Category 2 with USDX on its collateral bitmap: 97 %, a higher HF (the Pool test's
    // assertLt(hfBefore, hfAfter)).
    let cat2 = usdx_wbtc(emode(2, 9000, 9700, 10050));
    assert_eq!(account_data_with(&cat2, V3_2, &both).unwrap().health_factor, u(1_197_530_864_197_530_864));
    // 3.0 knew one category per asset: USDX's is 1, so in category 2 it keeps its own 85 %.
    // So does 3.2 with the category as the migration left it (members of category 2 only).
    assert_eq!(hf(&cat2, V3_0), u(1_049_382_716_049_382_716));
    assert_eq!(hf(&cat2, V3_2), u(1_049_382_716_049_382_716));
    // Borrowable-only does not make an asset e-mode collateral.
    let borrowable_only = EModeAssets::new(Vec::<String>::new(), ["USDX", "WBTC"]);
    assert_eq!(account_data_with(&cat2, V3_2, &borrowable_only).unwrap().health_factor, u(1_049_382_716_049_382_716));
}

#[test]
fn the_emode_price_source_is_gone_from_3_2() {
    // A 3.0 category with a price: every USDX valued at 1.01 under 3.0.
    let mut s = scenario(vec![asset("USDX", 6, "1", 8000, 8500, 10500)], &[("USDX", "100")], &[]);
    s["assets"][0]["emode_category"] = json!(1);
    s["emode"] = json!({ "id": 1, "ltv_bps": 9000, "liquidation_threshold_bps": 9300,
                         "liquidation_bonus_bps": 10100, "price": "1.01" });
    let p = position(&s);
    assert_eq!(account_data(&p, V3_0).unwrap().total_collateral_base, u(10_100_000_000));
    for r in [V3_2, V3_3, V3_5] {
        let e = account_data(&p, r).unwrap_err();
        assert_eq!(e.field, "emode.price");
    }
}

/// Pool.EMode.sol `test_liquidations_shouldApplyEModeLBForEmodeAssets`: USDX collateral in
/// category 1 (bonus 100.5 %), WBTC borrowed for the whole collateral value:
/// floor(1e13 × 1e8 / 27000e8) = 370370370 sat, worth 99 999.9999 USD.
fn emode_liquidation() -> Position {
    let mut s = scenario(
        vec![asset("USDX", 6, "1", 8000, 8500, 10500), asset("WBTC", 8, "27000", 7000, 7500, 10650)],
        &[("USDX", "100000")],
        &[("WBTC", "3.7037037")],
    );
    s["assets"][0]["emode_category"] = json!(1);
    s["emode"] = emode(1, 9000, 9200, 10050);
    position(&s)
}

#[test]
fn the_emode_bonus_follows_the_collateral_bitmap() {
    let p = emode_liquidation();
    // HF = 92 000 / 99 999.9999 = 0.920000000920000001, under 0.95: the whole debt may go.
    assert_eq!(hf(&p, V3_2), u(920_000_000_920_000_001));
    let out = liquidation_call(&p, "USDX", "WBTC", None, V3_2).unwrap();
    assert_eq!(out.liquidation_bonus_bps, 10050);
    // 370370370 sat × 100.5 % is more USDX than there is: all 1e11 go, and the debt
    // repaid is their value percentDiv 10050: floor(1e27 / 27e17) = 370370370 → 368527731.
    assert_eq!(out.collateral_to_liquidator, u(100_000_000_000));
    assert_eq!(out.debt_repaid, u(368_527_731));
    assert_eq!(out.after.reserve("WBTC").unwrap().debt, u(1_842_639));
    // Off the collateral bitmap, USDX liquidates with its own 105 % and counts at its own 85 %.
    let off = EModeAssets::new(Vec::<String>::new(), ["WBTC"]);
    assert_eq!(account_data_with(&p, V3_2, &off).unwrap().health_factor, u(850_000_000_850_000_001));
    let own = liquidation_call_with(&p, "USDX", "WBTC", None, V3_2, &off).unwrap();
    assert_eq!(own.outcome.liquidation_bonus_bps, 10500);
    assert_eq!(own.outcome.debt_repaid, u(352_733_686));
}

// ------------------------------------------------------- 3.3: close factor, dust, deficit

/// docs/3.3/Aave-v3.3-features.md §2.2, doubled: 4600 collateral A, 1600 collateral B,
/// 1800 debt A, 2200 debt B, HF 0.961. Tokens at 1 USD with 8 decimals, so raw = base.
fn close_factor_example() -> Position {
    position(&scenario(
        vec![asset("A", 8, "1", 6000, 6200, 10500), asset("B", 8, "1", 6000, 6200, 10500)],
        &[("A", "4600"), ("B", "1600")],
        &[("A", "1800"), ("B", "2200")],
    ))
}

#[test]
fn the_close_factor_covers_the_position_and_small_reserves_go_whole() {
    let p = close_factor_example();
    assert_eq!(hf(&p, V3_3), u(961_000_000_000_000_000));
    let e8 = |n: u128| u(n * 100_000_000);

    // Debt A (1800 USD) is under 2000 USD: 3.3 lets all of it go; 3.0 and 3.2 half.
    let a = liquidation_call_with(&p, "A", "A", None, V3_3, &EModeAssets::default()).unwrap();
    assert_eq!((a.max_liquidatable_debt, a.outcome.debt_repaid), (e8(1800), e8(1800)));
    assert_eq!(a.outcome.close_factor_bps, 10_000);
    assert_eq!(liquidation_call(&p, "A", "A", None, V3_2).unwrap().debt_repaid, e8(900));

    // Collateral B (1600 USD) is under 2000 USD: any debt may take all of it. 2200 B × 105 %
    // exceeds it, so B's 1600 go for 1600 percentDiv 10500 = 1523.80952381 B of debt.
    let b = liquidation_call(&p, "B", "B", None, V3_3).unwrap();
    assert_eq!(b.collateral_to_liquidator, e8(1600));
    assert_eq!(b.debt_repaid, u(152_380_952_381));

    // Collateral A and debt B are both over 2000 USD at HF > 0.95: the cap is half the
    // position's debt (2000 USD), not half of B's (1100 as 3.0 and 3.2 have it).
    let cap = liquidation_call_with(&p, "A", "B", Some(e8(1200)), V3_3, &EModeAssets::default()).unwrap();
    assert_eq!((cap.max_liquidatable_debt, cap.outcome.close_factor_bps), (e8(2000), 5000));
    assert_eq!(cap.outcome.debt_repaid, e8(1200));
    assert_eq!(cap.outcome.collateral_to_liquidator, e8(1260));
    let old = liquidation_call_with(&p, "A", "B", None, V3_2, &EModeAssets::default()).unwrap();
    assert_eq!((old.max_liquidatable_debt, old.outcome.debt_repaid), (e8(1100), e8(1100)));
    // Taking the whole cap would leave 200 B of debt: under 1000 USD, so the dust rule
    // refuses it (the doc's two rules together: at most 1200 B in one call).
    let (debt_left, collateral_left) = dust(liquidation_call(&p, "A", "B", None, V3_3).unwrap_err());
    assert_eq!((debt_left, collateral_left), (e8(200), e8(2500)));
}

/// docs/3.3/Aave-v3.3-features.md §2.3, doubled: 800 collateral A, 2000 collateral B,
/// 1800 debt A, 800 debt B, HF 0.9477 (under 0.95, so the close factor is 100 %).
fn dust_example() -> Position {
    position(&scenario(
        vec![asset("A", 8, "1", 8000, 8800, 10500), asset("B", 8, "1", 8000, 8800, 10500)],
        &[("A", "800"), ("B", "2000")],
        &[("A", "1800"), ("B", "800")],
    ))
}

#[test]
fn a_liquidation_clears_a_reserve_or_leaves_1000_usd_of_each() {
    let p = dust_example();
    let e8 = |n: u128| u(n * 100_000_000);
    assert_eq!(hf(&p, V3_3), u(947_692_307_692_307_692));
    // "liquidate 100% of debt B".
    let all_b = liquidation_call(&p, "B", "B", None, V3_3).unwrap();
    assert_eq!((all_b.debt_repaid, all_b.collateral_to_liquidator), (e8(800), e8(840)));
    // "liquidate up to 400e8 [here 800] of debt A": 1000 A of debt stays, 1160 B of collateral.
    let part = liquidation_call(&p, "B", "A", Some(e8(800)), V3_3).unwrap();
    assert_eq!(part.after.reserve("A").unwrap().debt, e8(1000));
    assert_eq!(part.after.reserve("B").unwrap().collateral, e8(1160));
    // One base unit more leaves 999.99999999 USD of debt: refused, where 3.2 takes it.
    let (debt_left, collateral_left) = dust(liquidation_call(&p, "B", "A", Some(e8(800) + u(1)), V3_3).unwrap_err());
    assert_eq!((debt_left, collateral_left), (e8(1000) - u(1), u(115_999_999_999)));
    assert!(liquidation_call(&p, "B", "A", Some(e8(800) + u(1)), V3_2).is_ok());
    // "or liquidate 100% of debt A": the collateral left (110 B) no longer matters.
    let whole = liquidation_call(&p, "B", "A", None, V3_3).unwrap();
    assert_eq!(whole.debt_repaid, e8(1800));
    assert_eq!(whole.after.reserve("B").unwrap().collateral, e8(110));
    // Collateral leftover: 960 A of debt takes 1008 B, leaving 992 B and 840 A.
    let (debt_left, collateral_left) = dust(liquidation_call(&p, "B", "A", Some(e8(960)), V3_3).unwrap_err());
    assert_eq!((debt_left, collateral_left), (e8(840), e8(992)));
}

/// Pool.Liquidations.CloseFactor.t.sol: 0.5 WETH at 2000 (1000 USD of collateral, under the
/// threshold) against 850 USDC, HF 0.97. `test_hf_gt_095_supply_lt_threshold_closeFactorShouldBe100`.
#[test]
fn a_small_collateral_lifts_the_close_factor_to_100_above_095() {
    let p = position(&scenario(
        vec![asset("WETH", 18, "2000", 8000, 8250, 10500), asset("USDC", 6, "1", 7700, 8000, 10450)],
        &[("WETH", "0.5")],
        &[("USDC", "850")],
    ));
    assert_eq!(hf(&p, V3_3), u(970_588_235_294_117_647));
    let v33 = liquidation_call(&p, "WETH", "USDC", None, V3_3).unwrap();
    assert_eq!((v33.close_factor_bps, v33.debt_repaid), (10_000, u(850_000_000)));
    // 850 USD / 2000 = 0.425 WETH, × 105 % = 0.44625.
    assert_eq!(v33.collateral_to_liquidator, big("446250000000000000"));
    let v32 = liquidation_call(&p, "WETH", "USDC", None, V3_2).unwrap();
    assert_eq!((v32.close_factor_bps, v32.debt_repaid), (5000, u(425_000_000)));
    assert_eq!(v32.collateral_to_liquidator, big("223125000000000000"));
}

/// Pool.Liquidations.CloseFactor.t.sol `test_hf_gt_095_supply_gt_threshold_closeFactorShouldBe50`
/// and `test_hf_lte_095_supply_gt_threshold_closeFactorShouldBe100`: 10 WETH against 17 000
/// USDC (HF 0.97, half may go) and against 17 600 (HF 0.9375, all may go).
#[test]
fn above_the_threshold_the_close_factor_is_50_down_to_095() {
    let at = |usdc: &str| {
        position(&scenario(
            vec![asset("WETH", 18, "2000", 8000, 8250, 10500), asset("USDC", 6, "1", 7700, 8000, 10450)],
            &[("WETH", "10")],
            &[("USDC", usdc)],
        ))
    };
    let half = liquidation_call_with(&at("17000"), "WETH", "USDC", None, V3_3, &EModeAssets::default()).unwrap();
    assert_eq!((half.outcome.close_factor_bps, half.max_liquidatable_debt), (5000, u(8_500_000_000)));
    let low = at("17600");
    assert_eq!(hf(&low, V3_3), u(937_500_000_000_000_000));
    let all = liquidation_call_with(&low, "WETH", "USDC", None, V3_3, &EModeAssets::default()).unwrap();
    assert_eq!((all.outcome.close_factor_bps, all.max_liquidatable_debt), (10_000, u(17_600_000_000)));
}

/// Pool.Deficit.sol `_createReserveDeficit`: WBTC collateral borrowed against, then the WBTC
/// price falls to 20 % and the liquidator takes all of it. Here 1 WBTC (27 000 → 5400, LT 78 %,
/// bonus 105 %, protocol fee 10 %) against 15 000 USDX and 1 WETH at 2000.
fn bad_debt() -> Position {
    let mut s = scenario(
        vec![
            asset("WBTC", 8, "5400", 7300, 7800, 10500),
            asset("USDX", 6, "1", 8000, 8500, 10500),
            asset("WETH", 18, "2000", 8000, 8250, 10500),
        ],
        &[("WBTC", "1")],
        &[("USDX", "15000"), ("WETH", "1")],
    );
    s["assets"][0]["liquidation_protocol_fee_bps"] = json!(1000);
    position(&s)
}

#[test]
fn debt_left_without_collateral_becomes_deficit() {
    let p = bad_debt();
    assert_eq!(hf(&p, V3_3), u(247_764_705_882_352_941));
    let l = liquidation_call_with(&p, "WBTC", "USDX", None, V3_3, &EModeAssets::default()).unwrap();
    // All the WBTC goes (5400 USD < 15 000 × 105 %): 5400 USDX percentDiv 10500 is repaid.
    // Fee: (1e8 − percentDiv(1e8, 10500)) × 10 % = 476191 sat; the liquidator gets the rest.
    assert_eq!(l.outcome.debt_repaid, u(5_142_857_143));
    assert_eq!((l.outcome.collateral_to_liquidator, l.outcome.protocol_fee), (u(99_523_809), u(476_191)));
    // The seized 5400 USD are all the collateral there was: the USDX left and the whole WETH
    // debt are burned into their reserves' deficits, the liquidated reserve first.
    assert_eq!(
        l.deficit,
        [
            Deficit { asset: "USDX".into(), amount: u(9_857_142_857) },
            Deficit { asset: "WETH".into(), amount: big("1000000000000000000") }
        ]
    );
    assert!(l.outcome.after.reserves.iter().all(|r| r.debt.is_zero() && r.collateral.is_zero()));
    assert_eq!(hf(&l.outcome.after, V3_3), U256::MAX);
    // 3.2 liquidates the same amounts and leaves the debt in place.
    let old = liquidation_call_with(&p, "WBTC", "USDX", None, V3_2, &EModeAssets::default()).unwrap();
    assert_eq!(old.outcome.debt_repaid, u(5_142_857_143));
    assert!(old.deficit.is_empty());
    assert_eq!(old.outcome.after.reserve("USDX").unwrap().debt, u(9_857_142_857));
    assert_eq!(old.outcome.after.reserve("WETH").unwrap().debt, big("1000000000000000000"));
}

#[test]
fn the_emode_position_of_pool_emode_sol_ends_in_deficit_from_3_3() {
    // Same call as `the_emode_bonus_follows_the_collateral_bitmap`: all the USDX goes, so
    // from 3.3 the 1842639 sat of WBTC left are written off.
    let l =
        liquidation_call_with(&emode_liquidation(), "USDX", "WBTC", None, V3_3, &EModeAssets::new(["USDX"], ["WBTC"]))
            .unwrap();
    assert_eq!(l.outcome.debt_repaid, u(368_527_731));
    assert_eq!(l.deficit, [Deficit { asset: "WBTC".into(), amount: u(1_842_639) }]);
}

// ------------------------------------------------------------------- 3.5: rounding

#[test]
fn any_debt_is_worth_at_least_one_base_unit_from_3_5() {
    // 1 wei of WETH at 2000 is 2e-15 USD: 0 base units floored, 1 rounded up.
    let p = position(&scenario(
        vec![asset("WETH", 18, "2000", 8000, 8250, 10500)],
        &[("WETH", "1")],
        &[("WETH", "0.000000000000000001")],
    ));
    let v33 = account_data(&p, V3_3).unwrap();
    assert_eq!((v33.total_debt_base, v33.health_factor), (U256::ZERO, U256::MAX));
    let v35 = account_data(&p, V3_5).unwrap();
    assert_eq!(v35.total_debt_base, u(1));
    // Σ value × threshold = 2000e8 × 8250 = 1.65e15, wadDiv 1, / 1e4.
    assert_eq!(v35.health_factor, big("165000000000000000000000000000"));
}

#[test]
fn the_3_5_health_factor_does_not_floor_the_average_threshold() {
    // 1 USD at 80 % and 2 USD at 82.5 % against 2.45 USD: Σ = 2.45e12, the average 8166.67 %
    // floors to 8166 before 3.5, which puts the HF just under 1.
    let p = position(&scenario(
        vec![asset("A", 8, "1", 7000, 8000, 10500), asset("B", 8, "1", 7000, 8250, 10500), asset("C", 8, "1", 0, 0, 0)],
        &[("A", "1"), ("B", "2")],
        &[("C", "2.45")],
    ));
    assert_eq!(account_data(&p, V3_3).unwrap().current_liquidation_threshold, u(8166));
    // percentMul(3e8, 8166) = 244980000, wadDiv 2.45e8.
    assert_eq!(hf(&p, V3_3), u(999_918_367_346_938_776));
    assert_eq!(hf(&p, V3_0), u(999_918_367_346_938_776));
    // 3.5: wadDiv(2.45e12, 2.45e8) / 1e4 = exactly 1: not liquidatable any more.
    assert_eq!(hf(&p, V3_5), u(1_000_000_000_000_000_000));
    assert!(liquidation_call(&p, "B", "C", None, V3_3).is_ok());
    assert_eq!(
        liquidation_call(&p, "B", "C", None, V3_5).unwrap_err(),
        RevisionLiquidationError::Refused(PoolError::HealthFactorNotBelowThreshold)
    );
}

#[test]
fn available_borrows_round_down_from_3_5() {
    // 1.00000001 USD at 50 % = 0.500000005: half up before 3.5, floored from 3.5 (StErMi v3.5 I-16).
    let p = position(&scenario(vec![asset("A", 8, "1", 5000, 6000, 10500)], &[("A", "1.00000001")], &[]));
    assert_eq!(account_data(&p, V3_3).unwrap().available_borrows_base, u(50_000_001));
    assert_eq!(account_data(&p, V3_5).unwrap().available_borrows_base, u(50_000_000));
}

#[test]
fn a_collateral_capped_liquidation_owes_the_debt_rounded_up_from_3_5() {
    // 1000 C against 1000 D, both 1 USD with 6 decimals, HF 0.8, under 2000 USD: all may go.
    // 1000 D × 105 % > 1000 C, so all the C goes for 1e9 × 1e4 / 10500 = 952380952.38 D:
    // half up 952380952 before 3.5, up 952380953 from 3.5, and the deficit 1 less.
    let p = position(&scenario(
        vec![asset("C", 6, "1", 7500, 8000, 10500), asset("D", 6, "1", 0, 0, 0)],
        &[("C", "1000")],
        &[("D", "1000")],
    ));
    let none = EModeAssets::default();
    let v33 = liquidation_call_with(&p, "C", "D", None, V3_3, &none).unwrap();
    let v35 = liquidation_call_with(&p, "C", "D", None, V3_5, &none).unwrap();
    assert_eq!((v33.outcome.debt_repaid, v35.outcome.debt_repaid), (u(952_380_952), u(952_380_953)));
    assert_eq!(v33.deficit, [Deficit { asset: "D".into(), amount: u(47_619_048) }]);
    assert_eq!(v35.deficit, [Deficit { asset: "D".into(), amount: u(47_619_047) }]);
}

#[test]
fn the_dust_rule_values_the_debt_left_up_from_3_5() {
    // 10 000 USDC against 3000 X at 3 USD (HF 0.8889). Repaying all but
    // 333.333333333333333333 X leaves 999.999999999999999999 USD of debt: 99999999999 base
    // units floored (dust, refused by 3.3), 1e11 rounded up (accepted by 3.5, L-04).
    let p = position(&scenario(
        vec![asset("USDC", 6, "1", 7500, 8000, 10500), asset("X", 18, "3", 0, 0, 0)],
        &[("USDC", "10000")],
        &[("X", "3000")],
    ));
    let cover = Some(big("2666666666666666666667"));
    let (debt_left, collateral_left) = dust(liquidation_call(&p, "USDC", "X", cover, V3_3).unwrap_err());
    assert_eq!((debt_left, collateral_left), (u(99_999_999_999), u(160_000_000_000)));
    let ok = liquidation_call(&p, "USDC", "X", cover, V3_5).unwrap();
    assert_eq!(ok.collateral_to_liquidator, u(8_400_000_000));
    assert_eq!(ok.after.reserve("X").unwrap().debt, big("333333333333333333333"));
}

#[test]
fn refusals_keep_the_pools_reasons() {
    let p = weth_usdc();
    let healthy = position(&scenario(
        vec![asset("WETH", 18, "2000", 8000, 8250, 10500), asset("USDC", 6, "1", 7700, 8000, 10450)],
        &[("WETH", "10")],
        &[("USDC", "5000")],
    ));
    for r in AaveRevision::ALL {
        assert_eq!(
            liquidation_call(&healthy, "WETH", "USDC", None, r).unwrap_err(),
            RevisionLiquidationError::Refused(PoolError::HealthFactorNotBelowThreshold)
        );
        assert!(matches!(liquidation_call(&p, "DAI", "USDC", None, r), Err(RevisionLiquidationError::Input(_))));
    }
    // USDC is not held as collateral. (The V3.0 engine lets this through as a zero
    // liquidation: a scenario's collateral flag defaults to on even without a balance.)
    for r in [V3_2, V3_3, V3_5] {
        assert_eq!(
            liquidation_call(&p, "USDC", "USDC", None, r).unwrap_err(),
            RevisionLiquidationError::Refused(PoolError::CollateralCannotBeLiquidated)
        );
    }
    let e = dust(liquidation_call(&dust_example(), "B", "A", Some(u(96_000_000_000)), V3_3).unwrap_err());
    assert_eq!(e.0, u(84_000_000_000));
    let text = liquidation_call(&dust_example(), "B", "A", Some(u(96_000_000_000)), V3_3).unwrap_err().to_string();
    assert_eq!(
        text,
        "the Pool refuses the liquidation: MUST_NOT_LEAVE_DUST (103): it would leave 840 USD of A debt and 992 USD of B collateral; without clearing one of them, both must stay at least 1000 USD"
    );
}

mod scenario_names {
    use ballast_core::{evaluate_json, Scenario};
    use serde_json::{json, Value};

    fn spec_example(protocol: &str) -> Value {
        json!({ "schema": "ballast.scenario/1", "protocol": protocol,
            "assets": [
                { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
                { "symbol": "USDC", "decimals": 6, "price": "1.0001", "ltv_bps": 7700, "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10450 } ],
            "collateral": [ { "asset": "WETH", "amount": "10" } ],
            "debt": [ { "asset": "USDC", "amount": "5000" } ] })
    }

    fn report(s: &Value) -> Value {
        serde_json::from_str(&evaluate_json(&s.to_string()).unwrap().to_json()).unwrap()
    }

    #[test]
    fn a_later_revision_is_named_in_the_scenario_and_the_report() {
        // 3.5 divides Σ value × threshold by the debt before taking basis points out:
        // wadDiv(2e12 × 8250, 500050000000) / 1e4 = 3299670032996700329, one wei
        // under 3.0's 3299670032996700330.
        let r = report(&spec_example("aave-v3.5"));
        assert_eq!(r["aave_v3"]["health_factor"], "3299670032996700329");
        assert_eq!(r["rules"], "aave-v3.5");
        let r = report(&spec_example("aave-v3"));
        assert_eq!(r["aave_v3"]["health_factor"], "3299670032996700330");
        assert!(r.get("rules").is_none(), "the spec's protocol keeps the spec's report");
        // 3.4 shares 3.3's arithmetic, and says so.
        let s = Scenario::parse(&spec_example("aave-v3.4").to_string()).unwrap();
        assert!(s.to_json().contains(r#""protocol":"aave-v3.3""#));
    }

    #[test]
    fn liquid_emodes_take_membership_lists_and_refuse_a_category_price() {
        let mut s = json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3.2",
            "assets": [
                { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000, "emode_category": 1 },
                { "symbol": "DAI", "decimals": 18, "price": "1", "ltv_bps": 6300, "liquidation_threshold_bps": 7700, "emode_category": 1 } ],
            "emode": { "id": 1, "ltv_bps": 9300, "liquidation_threshold_bps": 9500, "liquidation_bonus_bps": 10100, "price": null },
            "collateral": [ { "asset": "USDC", "amount": "1000" }, { "asset": "DAI", "amount": "1000" } ],
            "debt": [] });
        // Migrated 3.0 category: both are collateral in e-mode, 95 %.
        assert_eq!(report(&s)["aave_v3"]["current_liquidation_threshold"], 9500);
        // DAI taken off the collateral list: (1000 × 9500 + 1000 × 7700) / 2000 = 8600.
        s["emode"]["collateral_assets"] = json!(["USDC"]);
        assert_eq!(report(&s)["aave_v3"]["current_liquidation_threshold"], 8600);
        s["emode"]["price"] = json!("1");
        assert_eq!(
            evaluate_json(&s.to_string()).unwrap_err().to_string(),
            "emode.price: e-mode categories have no price source from Aave 3.2 on; leave it null"
        );
        s["protocol"] = json!("aave-v3");
        assert!(evaluate_json(&s.to_string())
            .unwrap_err()
            .to_string()
            .starts_with("emode.collateral_assets: is an aave-v3.2+ list"));
    }
}
