//! The Aave V3 reader's aave-v3-origin data-provider layouts (3.2, 3.3, 3.4+)
//! on test vectors encoded by ethers (`e2e/encode-reader-origin-fixtures.mjs`):
//! one market in each layout, with the Pool revision it comes with. The
//! decoder must recover the encoded values exactly, and the scenario built
//! from them must give, under that revision's rules, the `getUserAccountData`
//! worked out in that script.

use alloy_primitives::{address, hex, Address, I256, U256};
use ballast_chain::aave_reader::{
    decode_pool_revision, decode_reserves_count, decode_user_account_data, decode_user_emode,
    periphery_origin::{decode_emodes, decode_reserves_data, decode_reserves_data_in, decode_user_reserves_data},
    scenario_from_chain, EModeBitmaps, EModeCategory, MarketReserves, OriginLayout, PeripheryLayout, ReaderError,
    UserReserves,
};
use ballast_core::Scenario;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aave_reader_origin");
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

/// The revisions' layouts, as named in the fixtures.
const LAYOUTS: [(&str, u64, OriginLayout); 3] =
    [("3.2", 6, OriginLayout::V3_2), ("3.3", 7, OriginLayout::V3_3), ("3.5", 9, OriginLayout::V3_4)];

fn market_in(name: &str) -> Market {
    let m = fixture(&format!("market-{name}"));
    let revision = decode_pool_revision(&bytes(&m["pool_revision"])).expect("revision decodes");
    let layout = PeripheryLayout::for_pool_revision(revision).expect("a layout");
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

/// The 3.5 market (the 3.4+ layout).
fn market() -> Market {
    market_in("3.5")
}

struct Account {
    user: UserReserves,
    emode: u8,
    chain: ballast_core::aave_v3::AccountData,
}

fn account(name: &str) -> Account {
    account_in(name, "3.5")
}

/// The account, with the account data the chain gives under `layout`'s revision.
fn account_in(name: &str, layout: &str) -> Account {
    let a = fixture(name);
    Account {
        user: PeripheryLayout::Origin(OriginLayout::V3_4)
            .decode_user_reserves_data(&bytes(&a["user_reserves_data"]))
            .expect("user decodes"),
        emode: decode_user_emode(&bytes(&a["user_emode"])).expect("e-mode decodes"),
        chain: decode_user_account_data(&bytes(&a["user_account_data"][layout])).expect("account data decodes"),
    }
}

fn scenario(m: &Market, a: &Account) -> Result<Scenario, ReaderError> {
    scenario_from_chain(&m.reserves, &a.user, &m.categories, m.revision, m.timestamp)
}

/// The scenario, evaluated by the engine, gives the chain's account data digit for digit.
fn assert_matches_the_chain(name: &str) -> Scenario {
    assert_matches_the_chain_in(name, "3.5")
}

fn assert_matches_the_chain_in(name: &str, layout: &str) -> Scenario {
    let m = market_in(layout);
    let a = account_in(name, layout);
    assert_eq!(a.user.emode_category, a.emode);
    let s = scenario(&m, &a).expect("a scenario");
    let report = ballast_core::evaluate(&s).expect("the scenario evaluates");
    assert_eq!(report.aave_v3, Some(a.chain), "{name} in {layout}: {}", s.to_json());
    s
}

fn amount<'a>(holdings: &'a [ballast_core::scenario::Holding], symbol: &str) -> &'a str {
    holdings.iter().find(|h| h.asset == symbol).map(|h| h.amount.as_str()).unwrap_or_else(|| panic!("no {symbol}"))
}

#[test]
fn every_encoded_reserve_field_is_recovered() {
    let m = market();
    assert_eq!(m.revision, U256::from(9));
    assert_eq!(m.reserves.reserves_count, Some(6));
    assert_eq!(m.reserves.base_currency.unit, U256::from(100_000_000u64));
    assert_eq!(m.reserves.base_currency.price_in_usd, I256::try_from(100_000_000i64).unwrap());
    let symbols: Vec<&str> = m.reserves.reserves.iter().map(|r| r.symbol.as_str()).collect();
    assert_eq!(symbols, ["WETH", "wstETH", "USDC", "CRV", "SNX", "GHO"]);

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
    assert_eq!(weth.unbacked, U256::ZERO, "3.4 has no unbacked aTokens");

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
    assert_eq!(a.user.reserves.len(), 6, "one entry per reserve");
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
    for (_, revision, origin) in LAYOUTS {
        assert_eq!(layout(revision), Ok(PeripheryLayout::Origin(origin)));
    }
    assert_eq!(layout(8), Ok(PeripheryLayout::Origin(OriginLayout::V3_4)), "3.4");
    for r in [4, 5] {
        let err = layout(r).expect_err("3.1 is not decoded");
        assert_eq!(err, ReaderError::UnsupportedLayout(U256::from(r)));
        assert!(err.to_string().contains("3.1"), "{err}");
    }
    assert_eq!(layout(10), Err(ReaderError::UnknownRevision(U256::from(10))));
    assert_eq!(layout(0), Err(ReaderError::UnknownRevision(U256::from(0))));
}

#[test]
fn every_layout_gives_the_chains_account_data_under_its_revisions_rules() {
    for (name, _, _) in LAYOUTS {
        let s = assert_matches_the_chain_in("account-emode", name);
        assert_eq!(s.protocol.as_str(), format!("aave-v{name}"));
        assert_eq!(amount(&s.debt, "WETH"), "5");
        let s = assert_matches_the_chain_in("account-ltv-zero", name);
        assert_eq!(amount(&s.collateral, "USDC"), "20000");
    }
}

#[test]
fn layouts_before_3_4_carry_unbacked_and_the_virtual_accounting_switch() {
    let weth = |name| market_in(name).reserves.reserves[0].clone();
    let gho = |name| market_in(name).reserves.reserves[5].clone();
    let (w32, w33, w35) = (weth("3.2"), weth("3.3"), weth("3.5"));
    assert_eq!((w32.unbacked, w33.unbacked), (U256::from(E18), U256::from(E18)));
    assert_eq!((w32.deficit, w33.deficit), (None, Some(U256::from(2 * E18))), "deficit came with 3.3");
    assert_eq!(w32.virtual_underlying_balance, Some(U256::from(1000 * E18)));
    // Everything else decodes alike in the three layouts.
    let same = |r: &ballast_chain::aave_reader::Reserve| {
        (r.isolation_mode_total_debt, r.debt_ceiling, r.borrow_cap, r.supply_cap, r.borrowable_in_isolation)
    };
    assert_eq!(same(&w32), same(&w35));
    assert_eq!(same(&w33), same(&w35));
    // GHO runs without virtual accounting up to 3.3: its aToken balance stands in.
    assert_eq!(gho("3.3").virtual_underlying_balance, None);
    assert_eq!(gho("3.5").virtual_underlying_balance, Some(U256::ZERO));
    // What the aTokens are claims on: virtual balance 1,000 + debt 500 + deficit + unbacked.
    let total = |layout| {
        let s = assert_matches_the_chain_in("account-emode", layout);
        let supplied = s.asset("WETH").and_then(|(_, a)| a.total_supplied.clone()).expect("a total");
        supplied.as_str().to_owned()
    };
    assert_eq!(total("3.2"), "1501", "+ 1 unbacked, no deficit yet");
    assert_eq!(total("3.3"), "1503", "+ 2 deficit + 1 unbacked");
    assert_eq!(total("3.5"), "1502", "+ 2 deficit");
}

#[test]
fn data_in_another_layout_is_refused_not_misread() {
    let raw = |name: &str| bytes(&fixture(&format!("market-{name}"))["reserves_data"]);
    let err = decode_reserves_data_in(OriginLayout::V3_4, &raw("3.3")).expect_err("3.3 data as 3.4");
    assert!(err.to_string().contains("a 42-word struct where this layout has 40"), "{err}");
    let err = decode_reserves_data_in(OriginLayout::V3_3, &raw("3.2")).expect_err("3.2 data as 3.3");
    assert!(err.to_string().contains("a 41-word struct where this layout has 42"), "{err}");
    assert!(decode_reserves_data_in(OriginLayout::V3_2, &raw("3.5")).is_err());
    assert!(ballast_chain::aave_reader::periphery_v3_0_1::decode_reserves_data(&raw("3.5")).is_err());
}

#[test]
fn bitmaps_need_gapless_reserve_ids() {
    let mut m = market();
    let a = account("account-emode");
    m.reserves.reserves_count = Some(7);
    assert_eq!(scenario(&m, &a), Err(ReaderError::ReserveIdGap { count: 7, listed: 6 }));
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
    let raw = bytes(&fixture("market-3.5")["reserves_data"]);
    for len in [0, 31, 160, raw.len() / 2, raw.len() - 1] {
        let err = decode_reserves_data(&raw[..len]).expect_err("truncated data decodes");
        assert!(err.to_string().contains("getReservesData(address)"), "{len}: {err}");
    }
    let emodes = bytes(&fixture("market-3.5")["emodes"]);
    assert!(decode_emodes(&emodes[..emodes.len() - 32]).is_err());
    assert!(decode_user_reserves_data(&[]).is_err());
}
