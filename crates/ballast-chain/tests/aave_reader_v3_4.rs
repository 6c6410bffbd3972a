//! The Aave V3 reader's 3.4+ data-provider layout on test vectors encoded by
//! ethers (`e2e/encode-reader-v3_4-fixtures.mjs`): the decoder must recover
//! the encoded values exactly, and the scenario built from them must give,
//! under the 3.5 rules, the `getUserAccountData` worked out in that script.

use alloy_primitives::{address, hex, Address, I256, U256};
use ballast_chain::aave_reader::{
    decode_pool_revision, decode_reserves_count, decode_user_account_data, decode_user_emode,
    periphery_v3_4::{decode_emodes, decode_reserves_data, decode_user_reserves_data},
    scenario_from_chain, EModeBitmaps, EModeCategory, MarketReserves, PeripheryLayout, ReaderError, UserReserves,
};
use ballast_core::Scenario;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aave_reader_v3_4");
const E18: u128 = 1_000_000_000_000_000_000;
const RAY: u128 = 1_000_000_000_000_000_000_000_000_000;

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}.json")).expect("fixture present");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn bytes(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("hex string")).expect("hex")
}

struct Market {
    reserves: MarketReserves,
    categories: Vec<EModeCategory>,
    revision: U256,
    timestamp: u64,
}

fn market() -> Market {
    let m = fixture("market");
    let revision = decode_pool_revision(&bytes(&m["pool_revision"])).expect("revision decodes");
    let layout = PeripheryLayout::for_pool_revision(revision).expect("a layout");
    assert_eq!(layout, PeripheryLayout::V3_4);
    assert!(layout.emodes_from_provider());
    let count = decode_reserves_count(&bytes(&m["reserves_count"])).expect("count decodes");
    Market {
        reserves: layout
            .decode_reserves_data(&bytes(&m["reserves_data"]))
            .expect("reserves decode")
            .with_reserves_count(count),
        categories: decode_emodes(&bytes(&m["emodes"])).expect("e-modes decode"),
        revision,
        timestamp: m["timestamp"].as_u64().expect("timestamp"),
    }
}

struct Account {
    user: UserReserves,
    emode: u8,
    chain: ballast_core::aave_v3::AccountData,
}

fn account(name: &str) -> Account {
    let a = fixture(name);
    Account {
        user: PeripheryLayout::V3_4.decode_user_reserves_data(&bytes(&a["user_reserves_data"])).expect("user decodes"),
        emode: decode_user_emode(&bytes(&a["user_emode"])).expect("e-mode decodes"),
        chain: decode_user_account_data(&bytes(&a["user_account_data"])).expect("account data decodes"),
    }
}

fn scenario(m: &Market, a: &Account) -> Result<Scenario, ReaderError> {
    scenario_from_chain(&m.reserves, &a.user, &m.categories, m.revision, m.timestamp)
}

/// The scenario, evaluated by the engine, gives the chain's account data digit for digit.
fn assert_matches_the_chain(name: &str) -> Scenario {
    let m = market();
    let a = account(name);
    assert_eq!(a.user.emode_category, a.emode);
    let s = scenario(&m, &a).expect("a scenario");
    let report = ballast_core::evaluate(&s).expect("the scenario evaluates");
    assert_eq!(report.aave_v3, Some(a.chain), "{name}: {}", s.to_json());
    s
}

fn amount<'a>(holdings: &'a [ballast_core::scenario::Holding], symbol: &str) -> &'a str {
    holdings.iter().find(|h| h.asset == symbol).map(|h| h.amount.as_str()).unwrap_or_else(|| panic!("no {symbol}"))
}

#[test]
fn every_encoded_reserve_field_is_recovered() {
    let m = market();
    assert_eq!(m.revision, U256::from(9));
    assert_eq!(m.reserves.reserves_count, Some(5));
    assert_eq!(m.reserves.base_currency.unit, U256::from(100_000_000u64));
    assert_eq!(m.reserves.base_currency.price_in_usd, I256::try_from(100_000_000i64).unwrap());
    let symbols: Vec<&str> = m.reserves.reserves.iter().map(|r| r.symbol.as_str()).collect();
    assert_eq!(symbols, ["WETH", "wstETH", "USDC", "CRV", "SNX"]);

    let weth = &m.reserves.reserves[0];
    assert_eq!(weth.underlying, address!("00000000000000000000000000000000000000a1"));
    assert_eq!(weth.decimals, U256::from(18));
    assert_eq!(
        (weth.ltv, weth.liquidation_threshold, weth.liquidation_bonus),
        (U256::from(8050), U256::from(8300), U256::from(10500))
    );
    assert_eq!(weth.reserve_factor, U256::from(1500));
    assert!(weth.borrowing_enabled && weth.active && !weth.frozen && !weth.paused);
    assert_eq!(weth.liquidity_index, U256::from(RAY / 4 * 5));
    assert_eq!(weth.variable_borrow_index, U256::from(RAY / 4 * 5));
    assert_eq!(weth.liquidity_rate, U256::from(RAY / 50), "2 %");
    assert_eq!(weth.variable_borrow_rate, U256::from(RAY / 1000 * 35), "3.5 %");
    assert_eq!(weth.last_update_timestamp, 1_760_000_000);
    assert_eq!(weth.available_liquidity, U256::from(1007 * E18));
    assert_eq!(weth.total_scaled_variable_debt, U256::from(400 * E18));
    assert_eq!(weth.price, U256::from(300_000_000_000u64));
    assert_eq!(weth.variable_rate_slope1, U256::from(RAY / 25));
    assert_eq!(weth.variable_rate_slope2, U256::from(RAY / 10 * 8));
    assert_eq!(weth.base_variable_borrow_rate, U256::ZERO);
    assert_eq!(weth.optimal_usage_ratio, U256::from(RAY / 10 * 9));
    assert_eq!((weth.borrow_cap, weth.supply_cap), (U256::from(1_000_000), U256::from(2_000_000)));
    assert_eq!(weth.virtual_underlying_balance, Some(U256::from(1000 * E18)));
    assert_eq!(weth.deficit, Some(U256::from(2 * E18)));
    assert_eq!(weth.emode.id, 0, "3.4 reserves carry no e-mode of their own");
    assert_eq!(weth.total_principal_stable_debt, U256::ZERO);

    let usdc = &m.reserves.reserves[2];
    assert_eq!(usdc.decimals, U256::from(6));
    assert_eq!(usdc.price, U256::from(99_990_000u64));
    assert!(usdc.borrowable_in_isolation);
    let crv = &m.reserves.reserves[3];
    assert!(crv.frozen && !crv.borrowing_enabled && crv.ltv.is_zero());
    let snx = &m.reserves.reserves[4];
    assert!(snx.paused);
    assert_eq!((snx.debt_ceiling, snx.debt_ceiling_decimals), (U256::from(50_000_000u64), U256::from(2)));
    assert_eq!(snx.isolation_mode_total_debt, U256::from(1_234_567u64));
}

#[test]
fn emodes_decode_with_their_bitmaps() {
    let m = market();
    assert_eq!(m.categories.len(), 2);
    let eth = &m.categories[0];
    assert_eq!((eth.id, eth.ltv, eth.liquidation_threshold, eth.liquidation_bonus), (1, 9300, 9500, 10100));
    assert_eq!(eth.label, "ETH correlated");
    assert_eq!(eth.price_source, Address::ZERO);
    assert_eq!(eth.bitmaps, Some(EModeBitmaps { collateral: 0b11, borrowable: 0b01 }));
    assert_eq!(m.categories[1].bitmaps, Some(EModeBitmaps { collateral: 0b100, borrowable: 0b100 }));
}

#[test]
fn user_reserves_decode_without_stable_debt() {
    let a = account("account-ltv-zero");
    assert_eq!(a.user.emode_category, 0);
    assert_eq!(a.user.reserves.len(), 5, "one entry per reserve");
    let weth = &a.user.reserves[0];
    assert_eq!(weth.scaled_a_token_balance, U256::from(E18 / 10 * 8));
    assert!(!weth.usage_as_collateral_enabled);
    assert_eq!(weth.scaled_variable_debt, U256::from(E18 / 10 * 16));
    assert_eq!(weth.principal_stable_debt, U256::ZERO);
    assert!(a.user.reserves[3].usage_as_collateral_enabled, "CRV");
}

#[test]
fn emode_user_matches_the_worked_example() {
    let s = assert_matches_the_chain("account-emode");
    assert_eq!(s.protocol.as_str(), "aave-v3.5", "POOL_REVISION 9 is 3.5");
    assert_eq!(amount(&s.collateral, "wstETH"), "10", "8 scaled × index 1.25");
    assert_eq!(amount(&s.debt, "WETH"), "5", "4 scaled × index 1.25");
    let emode = s.emode.as_ref().expect("in e-mode");
    assert_eq!(
        (emode.id, emode.ltv_bps, emode.liquidation_threshold_bps, emode.liquidation_bonus_bps),
        (1, 9300, 9500, 10100)
    );
    assert_eq!(emode.collateral_assets.as_deref(), Some(&["WETH".to_owned(), "wstETH".to_owned()][..]));
    assert_eq!(emode.borrowable_assets.as_deref(), Some(&["WETH".to_owned()][..]));
    assert_eq!(s.emode_categories.len(), 2);
    assert_eq!(s.emode_categories[1].collateral_assets.as_deref(), Some(&["USDC".to_owned()][..]));
}

#[test]
fn ltv_zero_frozen_and_collateral_off_match_the_worked_example() {
    let s = assert_matches_the_chain("account-ltv-zero");
    assert_eq!(amount(&s.collateral, "USDC"), "20000");
    assert_eq!(amount(&s.collateral, "CRV"), "1000");
    assert_eq!(amount(&s.collateral, "WETH"), "1", "0.8 scaled × 1.25");
    let weth = s.collateral.iter().find(|h| h.asset == "WETH").expect("WETH");
    assert_eq!(weth.use_as_collateral, Some(false));
    assert_eq!(amount(&s.debt, "WETH"), "2");
    let (_, crv) = s.asset("CRV").expect("listed");
    assert_eq!((crv.ltv_bps, crv.frozen, crv.borrowing_enabled), (Some(0), Some(true), Some(false)));
    let (_, snx) = s.asset("SNX").expect("listed");
    assert_eq!(snx.paused, Some(true));
    assert_eq!(snx.debt_ceiling.as_ref().map(|d| d.as_str()), Some("500000"));
    assert_eq!(snx.isolation_mode_total_debt.as_ref().map(|d| d.as_str()), Some("12345.67"));
    let (_, usdc) = s.asset("USDC").expect("listed");
    assert_eq!(usdc.price.as_ref().map(|p| p.as_str()), Some("0.9999"));
}

#[test]
fn total_supplied_is_the_pools_books_not_the_atoken_balance() {
    let s = assert_matches_the_chain("account-emode");
    let (_, weth) = s.asset("WETH").expect("listed");
    // Virtual balance 1,000 + debt 500 + deficit 2; the 7 WETH donated to the aToken are not counted.
    assert_eq!(weth.total_supplied.as_ref().map(|t| t.as_str()), Some("1502"));
    assert_eq!(weth.total_borrowed.as_ref().map(|t| t.as_str()), Some("500"));
    assert_eq!(weth.supply_rate.as_ref().map(|r| r.as_str()), Some("0.02"));
    assert_eq!(weth.variable_borrow_rate.as_ref().map(|r| r.as_str()), Some("0.035"));
}

#[test]
fn the_layout_follows_the_pool_revision() {
    let layout = |r: u64| PeripheryLayout::for_pool_revision(U256::from(r));
    for r in 1..=3 {
        assert_eq!(layout(r), Ok(PeripheryLayout::V3_0_1), "revision {r}");
    }
    assert_eq!(layout(8), Ok(PeripheryLayout::V3_4));
    assert_eq!(layout(9), Ok(PeripheryLayout::V3_4));
    for r in [4, 5, 6, 7] {
        let err = layout(r).expect_err("3.1-3.3 are not decoded");
        assert_eq!(err, ReaderError::UnsupportedLayout(U256::from(r)));
        assert!(err.to_string().contains("3.1 to 3.3"), "{err}");
    }
    assert_eq!(layout(10), Err(ReaderError::UnknownRevision(U256::from(10))));
    assert_eq!(layout(0), Err(ReaderError::UnknownRevision(U256::from(0))));
}

#[test]
fn bitmaps_need_gapless_reserve_ids() {
    let mut m = market();
    let a = account("account-emode");
    m.reserves.reserves_count = Some(6);
    assert_eq!(scenario(&m, &a), Err(ReaderError::ReserveIdGap { count: 6, listed: 5 }));
    m.reserves.reserves_count = None;
    assert_eq!(scenario(&m, &a), Err(ReaderError::MissingReservesCount(1)));
}

#[test]
fn the_other_layouts_data_does_not_decode_as_this_one() {
    // 3.0.1 data (the recorded harness market) is refused by the 3.4 decoder, not misread.
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aave_reader/market.json"))
        .expect("3.0.1 fixture");
    let old: Value = serde_json::from_str(&text).expect("JSON");
    assert!(decode_reserves_data(&bytes(&old["reserves_data"])).is_err());
    // And truncations of the 3.4 data are errors naming the call.
    let raw = bytes(&fixture("market")["reserves_data"]);
    for len in [0, 31, 160, raw.len() / 2, raw.len() - 1] {
        let err = decode_reserves_data(&raw[..len]).expect_err("truncated data decodes");
        assert!(err.to_string().contains("getReservesData(address)"), "{len}: {err}");
    }
    let emodes = bytes(&fixture("market")["emodes"]);
    assert!(decode_emodes(&emodes[..emodes.len() - 32]).is_err());
    assert!(decode_user_reserves_data(&[]).is_err());
}
