//! Aave V3.0 account data from scaled balances, worked by hand with the
//! Pool's rounding (`MathUtils`, `ReserveLogic`, `GenericLogic` of
//! `@aave/core-v3` 1.19.3).

use alloy_primitives::U256;
use ballast_core::aave_v3::user_summary::{user_account_data, UserReserve};
use ballast_core::aave_v3::AccountData;
use ballast_core::evaluate_json;

const NOW: u64 = 1_735_689_600;
const DAY: u64 = 86_400;

fn u(digits: &str) -> U256 {
    digits.parse().expect("test constant")
}

/// `whole × 10^exp` as a U256.
fn e(whole: u64, exp: u8) -> U256 {
    U256::from(whole) * U256::from(10).pow(U256::from(exp))
}

/// A percentage as a ray (5 → 0.05e27).
fn rate(percent: u64) -> U256 {
    e(percent, 25)
}

/// A reserve with indexes at 1.0, stored now, no balances.
fn reserve(decimals: u8, price_usd: u64, ltv: u16, liquidation_threshold: u16) -> UserReserve {
    UserReserve {
        liquidity_index: e(1, 27),
        variable_borrow_index: e(1, 27),
        last_update_timestamp: NOW,
        decimals,
        price_in_market_reference_currency: e(price_usd, 8),
        ltv,
        liquidation_threshold,
        usage_as_collateral_enabled_on_user: true,
        ..UserReserve::default()
    }
}

fn at(reserves: &[UserReserve], timestamp: u64) -> AccountData {
    user_account_data(reserves, None, timestamp).unwrap_or_else(|e| panic!("refused: {e}"))
}

#[test]
fn a_day_of_interest_on_both_sides() {
    // 10 scaled aWETH at index 1.02, supply rate 3 %, stored a day ago:
    //   income = 1.02 × (1 + 0.03 / 365) = 1.020083835616438356164383562 (ray, half up)
    //   balance = 10 × that = 10.200838356164383562 WETH → 20 401.67671232 USD at 2000.
    let mut weth = reserve(18, 2000, 8000, 8250);
    weth.scaled_a_token_balance = e(10, 18);
    weth.liquidity_index = e(102, 25);
    weth.liquidity_rate = rate(3);
    weth.last_update_timestamp = NOW - DAY;
    // 12 000 scaled USDC debt at index 1.05, borrow rate 5 %, a day ago:
    //   debt index = 1.05 × (1 + 0.05/365 + 9.38e-9 + …) = 1.050143845468417480102816442
    //   debt = 12 601.726146 USDC.
    let mut usdc = reserve(6, 1, 7700, 8000);
    usdc.scaled_variable_debt = e(12_000, 6);
    usdc.variable_borrow_index = e(105, 25);
    usdc.variable_borrow_rate = rate(5);
    usdc.last_update_timestamp = NOW - DAY;

    assert_eq!(weth.a_token_balance(NOW), Ok(u("10200838356164383562")));
    assert_eq!(usdc.variable_debt(NOW), Ok(u("12601726146")));
    let a = at(&[weth, usdc], NOW);
    // 10.200838356164383562 × 2000e8 / 1e18, floored.
    assert_eq!(a.total_collateral_base, u("2040167671232"));
    assert_eq!(a.total_debt_base, u("1260172614600"));
    assert_eq!((a.ltv, a.current_liquidation_threshold), (U256::from(8000), U256::from(8250)));
    // percentMul(2 040 167 671 232, 8250) = 1 683 138 328 766.4 → …766 (half up),
    // wadDiv by 1 260 172 614 600 = 1.335641093343594391.
    assert_eq!(a.health_factor, u("1335641093343594391"));
    // 80 % of the collateral minus the debt.
    assert_eq!(a.available_borrows_base, u("371961522386"));
}

#[test]
fn a_healthy_position_becomes_liquidatable_as_debt_compounds() {
    // 5 WETH at 3000 earning 2 %, 12 300 USDC borrowed at 25 %: HF 1.0061 now,
    // under 1 thirty days on, with no price moving.
    let mut weth = reserve(18, 3000, 8000, 8250);
    weth.scaled_a_token_balance = e(5, 18);
    weth.liquidity_rate = rate(2);
    let mut usdc = reserve(6, 1, 7700, 8000);
    usdc.scaled_variable_debt = e(12_300, 6);
    usdc.variable_borrow_rate = rate(25);

    let now = at(&[weth, usdc], NOW);
    assert_eq!(now.health_factor, u("1006097560975609756"));
    assert!(!now.liquidatable());

    let later = at(&[weth, usdc], NOW + 30 * DAY);
    // Collateral 5.008219178082191781 WETH (linear), debt 12 555.354144 USDC
    // (the Pool's truncated binomial for 30 days at 25 %).
    assert_eq!(later.total_collateral_base, u("1502465753424"));
    assert_eq!(later.total_debt_base, u("1255535414400"));
    assert_eq!(later.health_factor, u("987255502599544993"));
    assert!(later.liquidatable());
    assert_eq!(later.available_borrows_base, U256::ZERO);
}

#[test]
fn what_counts_as_collateral_follows_the_pool() {
    // WETH 1 @ 3000 (80 / 82.5 %); X 10 @ 100 with LTV 0 but threshold 70 %
    // (counts, dilutes the LTV); Y 4 @ 50 with threshold 0 (not collateral);
    // Z 100 @ 1 supplied with the user's collateral switch off; 1000 USDC debt.
    let mut weth = reserve(18, 3000, 8000, 8250);
    weth.scaled_a_token_balance = e(1, 18);
    let mut x = reserve(18, 100, 0, 7000);
    x.scaled_a_token_balance = e(10, 18);
    let mut y = reserve(18, 50, 0, 0);
    y.scaled_a_token_balance = e(4, 18);
    let mut z = reserve(6, 1, 8000, 8500);
    z.scaled_a_token_balance = e(100, 6);
    z.usage_as_collateral_enabled_on_user = false;
    let mut usdc = reserve(6, 1, 7700, 8000);
    usdc.scaled_variable_debt = e(1000, 6);

    let a = at(&[weth, x, y, z, usdc], NOW);
    assert_eq!(a.total_collateral_base, e(4000, 8));
    // LTV (3000·8000 + 1000·0) / 4000 = 6000; threshold 7937.5 floored to 7937,
    // so the health factor is 3.1748, not the exact 3.175.
    assert_eq!(a.ltv, U256::from(6000));
    assert_eq!(a.current_liquidation_threshold, U256::from(7937));
    assert_eq!(a.health_factor, u("3174800000000000000"));
    assert_eq!(a.available_borrows_base, e(1400, 8));
}

#[test]
fn without_debt_the_health_factor_is_uint_max_and_all_borrowing_power_is_available() {
    let mut dai = reserve(18, 1, 7500, 8000);
    dai.scaled_a_token_balance = e(1000, 18);
    let a = at(&[dai], NOW);
    assert_eq!(a.health_factor, U256::MAX);
    assert_eq!(a.available_borrows_base, e(750, 8));
    assert_eq!(at(&[], NOW).health_factor, U256::MAX);
}

#[test]
fn with_indexes_at_one_and_no_time_it_matches_the_scenario_engine() {
    // The spec's worked example through both paths: 10 WETH @ 2000, 5000 USDC @ 1.0001.
    let mut weth = reserve(18, 2000, 8000, 8250);
    weth.scaled_a_token_balance = e(10, 18);
    let mut usdc = reserve(6, 1, 7700, 8000);
    usdc.price_in_market_reference_currency = U256::from(100_010_000u64);
    usdc.scaled_variable_debt = e(5000, 6);
    let from_scaled = at(&[weth, usdc], NOW);

    let scenario = r#"{ "schema": "ballast.scenario/1", "protocol": "aave-v3",
      "assets": [
        { "symbol": "WETH", "decimals": 18, "price": "2000",
          "ltv_bps": 8000, "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
        { "symbol": "USDC", "decimals": 6, "price": "1.0001",
          "ltv_bps": 7700, "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10450 } ],
      "collateral": [ { "asset": "WETH", "amount": "10" } ],
      "debt": [ { "asset": "USDC", "amount": "5000" } ] }"#;
    let report = evaluate_json(scenario).expect("valid scenario");
    assert_eq!(report.aave_v3, Some(from_scaled));
    assert_eq!(from_scaled.health_factor, u("3299670032996700330"));
}
