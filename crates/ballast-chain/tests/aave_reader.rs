//! The Aave V3 position reader on responses recorded from the e2e harness
//! market (`e2e/record-reader-fixtures.mjs`): each seeded account's scenario,
//! valued by the engine, must give the Pool's `getUserAccountData` digit for digit.

use alloy_primitives::{hex, Address, U256};
use ballast_chain::aave_reader::{
    decode_emode_category_data, decode_pool_revision, decode_user_account_data, decode_user_emode,
    periphery_v3_0_1::{decode_reserves_data, decode_user_reserves_data},
    scenario_from_chain, EModeCategory, MarketReserves, ReaderError, UserReserves,
};
use ballast_chain::ReturnError;
use ballast_core::Scenario;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aave_reader");

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
    raw_reserves: Vec<u8>,
}

fn market() -> Market {
    let m = fixture("market");
    let categories = m["emode_categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            let id = u8::try_from(c["id"].as_u64().expect("id")).expect("u8 id");
            decode_emode_category_data(id, &bytes(&c["data"])).expect("category decodes")
        })
        .collect();
    let raw_reserves = bytes(&m["reserves_data"]);
    Market {
        reserves: decode_reserves_data(&raw_reserves).expect("reserves decode"),
        categories,
        revision: decode_pool_revision(&bytes(&m["pool_revision"])).expect("revision decodes"),
        timestamp: m["timestamp"].as_u64().expect("timestamp"),
        raw_reserves,
    }
}

struct Account {
    user: UserReserves,
    emode: u8,
    expected: ballast_core::aave_v3::AccountData,
}

fn account(index: u32) -> Account {
    let a = fixture(&format!("account-{index}"));
    Account {
        user: decode_user_reserves_data(&bytes(&a["user_reserves_data"])).expect("user reserves decode"),
        emode: decode_user_emode(&bytes(&a["user_emode"])).expect("user e-mode decodes"),
        expected: decode_user_account_data(&bytes(&a["user_account_data"])).expect("account data decodes"),
    }
}

fn scenario(market: &Market, account: &Account) -> Scenario {
    scenario_from_chain(&market.reserves, &account.user, &market.categories, market.revision, market.timestamp)
        .expect("a scenario")
}

fn holding<'a>(holdings: &'a [ballast_core::scenario::Holding], symbol: &str) -> &'a ballast_core::scenario::Holding {
    holdings.iter().find(|h| h.asset == symbol).unwrap_or_else(|| panic!("no {symbol} holding"))
}

/// Evaluates the account's scenario and compares with the recorded account data.
fn assert_matches_the_pool(index: u32) -> Scenario {
    let market = market();
    let account = account(index);
    assert_eq!(account.user.emode_category, account.emode, "both reads give the user's e-mode");
    let scenario = scenario(&market, &account);
    let report = ballast_core::evaluate(&scenario).expect("the scenario evaluates");
    assert_eq!(report.aave_v3, Some(account.expected), "account #{index}: {}", scenario.to_json());
    scenario
}

#[test]
fn the_market_decodes_with_its_real_values() {
    let market = market();
    assert_eq!(market.revision, U256::from(1), "POOL_REVISION of @aave/core-v3 1.19.3");
    assert_eq!(market.timestamp, 1_769_820_972);
    let r = &market.reserves;
    assert_eq!(r.base_currency.unit, U256::from(100_000_000u64));
    let symbols: Vec<&str> = r.reserves.iter().map(|r| r.symbol.as_str()).collect();
    assert_eq!(symbols, ["WETH", "WBTC", "USDC", "DAI", "USDT", "CRV", "UNI", "wstETH", "BAL", "SNX"]);
    let usdc = &r.reserves[2];
    assert_eq!(usdc.decimals, U256::from(6));
    assert_eq!((usdc.ltv, usdc.liquidation_threshold), (U256::from(7700), U256::from(8000)));
    assert_eq!(usdc.price, U256::from(100_000_000u64));
    assert_eq!(usdc.emode.id, 1);
    assert_eq!((usdc.emode.ltv, usdc.emode.liquidation_threshold, usdc.emode.liquidation_bonus), (9300, 9500, 10100));
    assert!(usdc.borrowable_in_isolation);
    let uni = &r.reserves[6];
    assert_eq!(uni.debt_ceiling, U256::from(100_000_000u64), "$1,000,000.00 in cents");
    assert!(r.reserves[8].frozen && !r.reserves[8].paused, "BAL is frozen");
    assert!(r.reserves[9].paused, "SNX is paused");
    assert_eq!(market.categories.len(), 1);
    assert_eq!(market.categories[0].label, "Stablecoins");
    assert_eq!(market.categories[0].price_source, Address::ZERO);
}

#[test]
fn weth_supplier_borrowing_usdc_matches_the_pool() {
    let s = assert_matches_the_pool(1);
    assert_eq!(s.protocol.as_str(), "aave-v3");
    assert_eq!(holding(&s.collateral, "WETH").amount.as_str(), "10", "nobody borrows WETH: its index stays 1");
    // 8,000 USDC borrowed, then 30 days of interest. At 1 USD and 6 decimals the
    // Pool's totalDebtBase (800024112200) is this amount × 100 exactly, so the
    // match above pins every digit of the balance.
    assert_eq!(holding(&s.debt, "USDC").amount.as_str(), "8000.241122");
    let (_, weth) = s.asset("WETH").expect("WETH listed");
    assert_eq!(weth.price.as_ref().map(|p| p.as_str()), Some("3000"));
    assert_eq!(
        (weth.ltv_bps, weth.liquidation_threshold_bps, weth.liquidation_bonus_bps),
        (Some(8000), Some(8250), Some(10500))
    );
    assert_eq!(s.assets.len(), 10);
}

#[test]
fn emode_user_matches_the_pool() {
    let s = assert_matches_the_pool(2);
    let emode = s.emode.as_ref().expect("the user is in e-mode");
    assert_eq!((emode.id, emode.ltv_bps, emode.liquidation_threshold_bps), (1, 9300, 9500));
    assert_eq!(emode.price, None);
    assert_eq!(s.emode_categories.len(), 1);
}

#[test]
fn isolated_user_matches_the_pool() {
    let s = assert_matches_the_pool(3);
    let (_, uni) = s.asset("UNI").expect("UNI listed");
    assert_eq!(uni.debt_ceiling.as_ref().map(|d| d.as_str()), Some("1000000"));
    assert!(uni.isolation_mode_total_debt.as_ref().is_some_and(|d| d.as_str() == "2000"));
    assert_eq!(holding(&s.collateral, "UNI").amount.as_str(), "1000");
}

#[test]
fn ltv_zero_frozen_and_paused_collateral_matches_the_pool() {
    let s = assert_matches_the_pool(4);
    let (_, crv) = s.asset("CRV").expect("CRV listed");
    assert_eq!(crv.ltv_bps, Some(0));
    assert_eq!(s.asset("BAL").and_then(|(_, a)| a.frozen), Some(true));
    assert_eq!(s.asset("SNX").and_then(|(_, a)| a.paused), Some(true));
    assert_eq!(s.collateral.len(), 4);
}

#[test]
fn a_scenario_read_from_chain_round_trips_through_json() {
    let s = assert_matches_the_pool(1);
    let again = Scenario::parse(&s.to_json()).expect("the exported scenario parses");
    assert_eq!(again, s);
}

// ---- malformed data ----

#[test]
fn truncated_reserves_data_is_an_error() {
    let raw = market().raw_reserves;
    for len in [0, 1, 31, 32, 160, raw.len() / 2, raw.len() - 1] {
        let err = decode_reserves_data(&raw[..len]).expect_err("truncated data decodes");
        let text = err.to_string();
        assert!(text.contains("getReservesData(address)"), "{len} bytes: {text}");
    }
    assert_eq!(decode_reserves_data(&[]), Err(ReturnError::Empty { call: "getReservesData(address)" }));
}

#[test]
fn garbage_offsets_and_lengths_are_errors() {
    let mut raw = market().raw_reserves;
    // The array's length word claims far more reserves than the data holds.
    let array = usize::try_from(U256::from_be_slice(&raw[..32])).unwrap();
    raw[array..array + 32].copy_from_slice(&U256::from(u64::MAX).to_be_bytes::<32>());
    assert!(decode_reserves_data(&raw).is_err());
    // An offset past the end.
    let mut raw = market().raw_reserves;
    raw[..32].copy_from_slice(&U256::MAX.to_be_bytes::<32>());
    assert!(decode_reserves_data(&raw).unwrap_err().to_string().contains("points past"));
    // A bool that is neither 0 nor 1, and a dirty address, in the first reserve.
    let raw = market().raw_reserves;
    let first = array + 32 + usize::try_from(U256::from_be_slice(&raw[array + 32..array + 64])).unwrap();
    let mut dirty = raw.clone();
    dirty[first + 9 * 32] = 0xff;
    assert!(decode_reserves_data(&dirty).unwrap_err().to_string().contains("uint1"));
    let mut dirty = raw;
    dirty[first] = 1;
    assert!(decode_reserves_data(&dirty).unwrap_err().to_string().contains("uint160"));
}

#[test]
fn truncated_user_and_pool_data_are_errors() {
    let a = fixture("account-1");
    let user = bytes(&a["user_reserves_data"]);
    assert!(decode_user_reserves_data(&user[..user.len() - 32]).is_err());
    assert!(decode_user_reserves_data(&[]).is_err());
    assert!(decode_user_emode(&[0u8; 31]).is_err());
    let too_big = U256::from(256).to_be_bytes::<32>();
    assert_eq!(decode_user_emode(&too_big), Err(ReaderError::UserEMode(U256::from(256))));
    assert!(decode_pool_revision(&[]).is_err());
    let m = fixture("market");
    let category = bytes(&m["emode_categories"][0]["data"]);
    assert!(decode_emode_category_data(1, &category[..64]).is_err());
}

#[test]
fn a_base_currency_other_than_usd_8_is_refused() {
    let mut market = market();
    let account = account(1);
    // What the data provider reports for an ETH-based oracle: unit 1e18, ETH/USD price.
    market.reserves.base_currency.unit = U256::from(10u64).pow(U256::from(18));
    let err =
        scenario_from_chain(&market.reserves, &account.user, &market.categories, market.revision, market.timestamp)
            .expect_err("an ETH market is read");
    assert!(matches!(err, ReaderError::BaseCurrency { .. }));
    assert!(err.to_string().contains("not USD with 8 decimals"), "{err}");
}

#[test]
fn inconsistent_reads_are_clear_errors() {
    let market = market();
    let mut account = account(2);
    let read = |m: &Market, a: &Account, revision: U256, timestamp: u64| {
        scenario_from_chain(&m.reserves, &a.user, &m.categories, revision, timestamp)
    };
    assert_eq!(
        read(&market, &account, U256::from(5), market.timestamp),
        Err(ReaderError::UnknownRevision(U256::from(5)))
    );
    // A timestamp before the reserves' last update: the reads are not from one block.
    assert!(matches!(read(&market, &account, market.revision, 1_000), Err(ReaderError::Interest(_))));
    account.user.emode_category = 7;
    assert_eq!(read(&market, &account, market.revision, market.timestamp), Err(ReaderError::MissingEModeCategory(7)));
    account.user.emode_category = 1;
    account.user.reserves[0].underlying = Address::repeat_byte(0xaa);
    assert_eq!(
        read(&market, &account, market.revision, market.timestamp),
        Err(ReaderError::UnknownReserve(Address::repeat_byte(0xaa)))
    );
}
