//! The dashboard model on a worked example: an Aave position read from chain,
//! a hand-entered isolated Aave position, a Maker vault and a Liquity trove.

use alloy_primitives::U256;
use ballast_core::aave_v3::AccountData;
use ballast_core::dashboard::{dashboard, Dashboard, HealthSource, PositionInput};
use ballast_core::Scenario;
use num_bigint::BigInt;
use num_rational::BigRational;

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(d))
}

fn input(chain: &str, market: &str, json: &str) -> PositionInput {
    PositionInput {
        chain: chain.into(),
        market: market.into(),
        scenario: Scenario::parse(json).expect("scenario parses"),
        chain_account: None,
        vault_borrow_apy: None,
    }
}

/// 10 WETH at 3000 (LT 82.5 %, LTV 80 %) against 8000 USDC:
/// HF = 30,000 × 0.825 / 8,000 = 3.09375.
const AAVE: &str = r#"{ "schema": "ballast.scenario/1", "protocol": "aave-v3",
  "assets": [
    { "symbol": "WETH", "decimals": 18, "price": "3000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250,
      "liquidation_bonus_bps": 10500, "supply_rate": "0.02", "variable_borrow_rate": "0.03" },
    { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000,
      "liquidation_bonus_bps": 10450, "supply_rate": "0.04", "variable_borrow_rate": "0.05" } ],
  "collateral": [ { "asset": "WETH", "amount": "10" } ],
  "debt": [ { "asset": "USDC", "amount": "8000" } ] }"#;

/// 1000 UNI at 5, isolated (LT 70 %), the only collateral, against 1000 frozen USDC
/// with no rates read: HF = 5,000 × 0.7 / 1,000 = 3.5.
const ISOLATED: &str = r#"{ "schema": "ballast.scenario/1", "protocol": "aave-v3",
  "assets": [
    { "symbol": "UNI", "decimals": 18, "price": "5", "ltv_bps": 6500, "liquidation_threshold_bps": 7000,
      "liquidation_bonus_bps": 11000, "debt_ceiling": "1000000" },
    { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700, "liquidation_threshold_bps": 8000,
      "liquidation_bonus_bps": 10450, "frozen": true, "borrowable_in_isolation": true } ],
  "collateral": [ { "asset": "UNI", "amount": "1000" } ],
  "debt": [ { "asset": "USDC", "amount": "1000" } ] }"#;

/// 10 ETH at 2000, mat 1.45, 5000 DAI: HF = 20,000 / (5,000 × 1.45) = 80/29; line at 725.
const MAKER: &str = r#"{ "schema": "ballast.scenario/1", "protocol": "maker",
  "assets": [ { "symbol": "ETH-A", "price": "2000", "liquidation_ratio": "1.45" }, { "symbol": "DAI" } ],
  "collateral": [ { "asset": "ETH-A", "amount": "10" } ],
  "debt": [ { "asset": "DAI", "amount": "5000" } ] }"#;

/// 10 ETH at 2000, 12,000 LUSD; TCR 500,000 × 2000 / 700,000,000 ≈ 1.43 < 1.5: recovery mode.
/// ICR 5/3 > TCR, so not liquidatable; HF = ICR / 1.1 = 50/33.
const LIQUITY: &str = r#"{ "schema": "ballast.scenario/1", "protocol": "liquity-v1",
  "assets": [ { "symbol": "ETH", "price": "2000" }, { "symbol": "LUSD" } ],
  "system": { "total_collateral": "500000", "total_debt": "700000000" },
  "collateral": [ { "asset": "ETH", "amount": "10" } ],
  "debt": [ { "asset": "LUSD", "amount": "12000" } ] }"#;

fn chain_account(hf_wad: u128) -> AccountData {
    AccountData {
        total_collateral_base: U256::from(3_000_000_000_000u64),
        total_debt_base: U256::from(800_000_000_000u64),
        ltv: U256::from(8000),
        current_liquidation_threshold: U256::from(8250),
        health_factor: U256::from(hf_wad),
        available_borrows_base: U256::from(1_600_000_000_000u64),
    }
}

fn example(chain_hf: u128) -> Dashboard {
    let mut aave = input("Ethereum", "Core", AAVE);
    aave.chain_account = Some(chain_account(chain_hf));
    let mut maker = input("Ethereum", "ETH-A", MAKER);
    maker.vault_borrow_apy = Some(q(5, 100));
    dashboard(&[aave, input("Base", "Main", ISOLATED), maker, input("Ethereum", "Liquity", LIQUITY)])
}

/// What the Pool's calculateCompoundedInterest gives over a year: its binomial
/// terms r + r²/2·(1 − 1/N) + r³/6·…, N seconds a year, in rays. At a one-year
/// horizon the cubic term's ray, r³/N³, is a few units and floors (to 0 at
/// 2 %, to 3 of 3.98 at 5 %), as in `@aave/math-utils`' APY. So the APY is
/// between r + r²/2 (less 1e-9 of rounding) and r + r²/2 + r³/6, and is not
/// the APR r.
fn compounded_within_the_pools_terms(apy: &BigRational, r: BigRational) {
    let two_terms = &r + &r * &r / q(2, 1);
    let three_terms = &two_terms + &r * &r * &r / q(6, 1);
    assert!(apy > &(&two_terms - q(1, 1_000_000_000)) && apy <= &three_terms, "{apy} vs {two_terms}");
}

#[test]
fn rows_are_sorted_by_risk_with_their_health_factors() {
    let d = example(3_093_750_000_000_000_000);
    let order: Vec<&str> = d.rows.iter().map(|r| r.market.as_str()).collect();
    assert_eq!(order, ["Liquity", "ETH-A", "Core", "Main"], "HF 1.515…, 2.758…, 3.09375, 3.5");
    assert_eq!(d.rows[0].health_factor, Some(q(50, 33)));
    assert_eq!(d.rows[1].health_factor, Some(q(80, 29)));
    assert_eq!(d.rows[2].health_factor, Some(q(309_375, 100_000)));
    assert_eq!(d.rows[2].health_source, HealthSource::Chain);
    assert_eq!(d.rows[3].health_factor, Some(q(35, 10)));
    assert_eq!(d.rows[3].health_source, HealthSource::Engine);
    assert!(d.rows.iter().all(|r| !r.liquidatable));
    assert!(d.failed.is_empty());
}

#[test]
fn totals_of_the_worked_example() {
    let d = example(3_093_750_000_000_000_000);
    let t = &d.totals;
    assert_eq!(t.collateral_usd, q(75_000, 1), "30,000 + 5,000 + 20,000 + 20,000");
    assert_eq!(t.debt_usd, q(26_000, 1), "8,000 + 1,000 + 5,000 + 12,000");
    assert_eq!(t.net_worth, q(49_000, 1));
    assert_eq!(t.lowest_health_factor, Some(q(50, 33)));

    let aave = d.rows.iter().find(|r| r.market == "Core").unwrap();
    let weth_apy = aave.collateral[0].apy.clone().expect("a supply rate");
    compounded_within_the_pools_terms(&weth_apy, q(2, 100));
    let usdc_apy = aave.debt[0].apy.clone().expect("a borrow rate");
    compounded_within_the_pools_terms(&usdc_apy, q(5, 100));
    // UNI's supply and the isolated USDC debt have no rate: no average passes for the whole.
    assert_eq!((t.supply_apy.clone(), t.borrow_apy.clone()), (None, None));
    let main = d.rows.iter().find(|r| r.market == "Main").unwrap();
    assert_eq!((main.supply_apy.clone(), main.borrow_apy.clone()), (None, None));

    // Without that position every line's APY is known.
    let mut aave = input("Ethereum", "Core", AAVE);
    aave.chain_account = Some(chain_account(3_093_750_000_000_000_000));
    let mut maker = input("Ethereum", "ETH-A", MAKER);
    maker.vault_borrow_apy = Some(q(5, 100));
    let t = dashboard(&[aave, maker, input("Ethereum", "Liquity", LIQUITY)]).totals;
    // Supply: WETH's 30,000 at its APY, the vaults' 40,000 of collateral at 0.
    assert_eq!(t.supply_apy, Some(q(30_000, 1) * &weth_apy / q(70_000, 1)));
    // Borrow: 8,000 USDC at its APY, 5,000 DAI at the 5 % fee, 12,000 LUSD at 0.
    assert_eq!(t.borrow_apy, Some((q(8_000, 1) * &usdc_apy + q(250, 1)) / q(25_000, 1)));
}

#[test]
fn ltv_and_the_distance_to_liquidation() {
    let d = example(3_093_750_000_000_000_000);
    let maker = d.rows.iter().find(|r| r.market == "ETH-A").unwrap();
    assert_eq!(maker.ltv_used, Some(q(1, 4)), "5,000 / 20,000");
    assert_eq!(maker.ltv_max, Some(q(20, 29)), "1 / 1.45");
    let distance = maker.riskiest.as_ref().expect("a liquidation line");
    assert_eq!((distance.asset.as_str(), &distance.liquidation_price), ("ETH-A", &q(725, 1)));
    assert_eq!(distance.change, q(-6375, 10_000), "a 63.75 % fall");
    assert_eq!(maker.borrow_apy, Some(q(5, 100)));

    let aave = d.rows.iter().find(|r| r.market == "Core").unwrap();
    assert_eq!(aave.ltv_used, Some(q(8, 30)), "8,000 / 30,000 from the chain's totals");
    assert_eq!((aave.ltv_max.clone(), aave.liquidation_threshold.clone()), (Some(q(8, 10)), Some(q(825, 1000))));
    // WETH liquidates at 8,000 / (10 × 0.825) = 969.69…: a fall of 1 − 969.69…/3000.
    let distance = aave.riskiest.as_ref().expect("a line");
    assert_eq!(distance.liquidation_price, q(8_000 * 1000, 10 * 825));
    assert_eq!(distance.change, q(8_000 * 1000, 10 * 825 * 3000) - q(1, 1));

    let liquity = d.rows.iter().find(|r| r.market == "Liquity").unwrap();
    assert_eq!(liquity.ltv_max, Some(q(10, 11)));
    assert_eq!(liquity.ltv_used, Some(q(12_000, 20_000)));
}

#[test]
fn flags_show_isolation_frozen_and_recovery_mode() {
    let d = example(3_093_750_000_000_000_000);
    let isolated = d.rows.iter().find(|r| r.market == "Main").unwrap();
    assert_eq!(isolated.flags.isolation.as_deref(), Some("UNI"));
    assert_eq!(isolated.flags.frozen, ["USDC"]);
    assert_eq!(isolated.warnings.len(), 2, "no rates for UNI and USDC: {:?}", isolated.warnings);
    assert!(isolated.supply_apy.is_none());
    let liquity = d.rows.iter().find(|r| r.market == "Liquity").unwrap();
    assert!(liquity.flags.recovery_mode);
    let aave = d.rows.iter().find(|r| r.market == "Core").unwrap();
    assert_eq!(aave.flags.isolation, None);
    assert!(aave.warnings.is_empty(), "the chain agrees with the engine: {:?}", aave.warnings);
}

#[test]
fn a_chain_engine_difference_is_a_warning_and_the_chain_is_shown() {
    let d = example(3_093_740_000_000_000_000);
    let aave = d.rows.iter().find(|r| r.market == "Core").unwrap();
    assert_eq!(aave.health_factor, Some(q(309_374, 100_000)), "the chain's");
    assert_eq!(aave.engine_health_factor, Some(q(309_375, 100_000)));
    assert_eq!(
        aave.warnings,
        ["the engine's health factor (3.09375) differs from the chain's (3.09374): the chain's is shown"]
    );
}

#[test]
fn ltv_zero_collateral_and_failed_positions() {
    let ltv_zero = r#"{ "schema": "ballast.scenario/1", "protocol": "aave-v3",
      "assets": [
        { "symbol": "WETH", "decimals": 18, "price": "3000", "ltv_bps": 8000, "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
        { "symbol": "CRV", "decimals": 18, "price": "0.5", "ltv_bps": 0, "liquidation_threshold_bps": 3500, "liquidation_bonus_bps": 10800, "paused": true } ],
      "collateral": [ { "asset": "WETH", "amount": "1" }, { "asset": "CRV", "amount": "100" } ],
      "debt": [] }"#;
    let mut broken = input("Ethereum", "Core", MAKER);
    broken.scenario.assets[0].price = None;
    let d = dashboard(&[input("Arbitrum", "Main", ltv_zero), broken]);
    assert_eq!(d.rows.len(), 1);
    let row = &d.rows[0];
    assert_eq!(row.flags.ltv_zero_collateral, ["CRV"]);
    assert_eq!(row.flags.paused, ["CRV"]);
    assert_eq!(row.health_factor, None, "no debt");
    assert_eq!(row.collateral_usd, q(3050, 1));
    assert_eq!(d.totals.lowest_health_factor, None);
    assert_eq!(d.failed.len(), 1, "one broken position does not blank the others");
    assert!(d.failed[0].error.contains("price"), "{}", d.failed[0].error);
}
