//! The two-batch read plan of an Aave position, fed the answers of the
//! recorded harness market (V3.0) and of the ethers-encoded origin markets:
//! the plan picks the layout from the revision, and its read gives a scenario
//! the engine values exactly as the chain's `getUserAccountData`.

use alloy_primitives::{address, hex, Address, Bytes, U256};
use ballast_chain::aave_markets::{market, MarketAddresses};
use ballast_chain::aave_position::{plan, revision_calls, PositionReadError};
use ballast_chain::aave_reader::{OriginLayout, PeripheryLayout};
use ballast_chain::multicall::{CallOutcome, MULTICALL3};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{path}.json")).expect("fixture present");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn ok(value: &Value) -> CallOutcome {
    CallOutcome::Success(Bytes::from(hex::decode(value.as_str().expect("hex")).expect("hex")))
}

fn word(n: u64) -> CallOutcome {
    CallOutcome::Success(Bytes::from(U256::from(n).to_be_bytes::<32>().to_vec()))
}

fn reverted() -> CallOutcome {
    CallOutcome::Reverted(Bytes::new())
}

const USER: Address = address!("0000000000000000000000000000000000000001");

fn addresses() -> MarketAddresses {
    market("AaveV3Ethereum").expect("listed").addresses()
}

#[test]
fn batch_one_asks_the_pool_its_revision_and_reserve_count() {
    let m = addresses();
    let calls = revision_calls(&m);
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.target == m.pool));
    assert_eq!(hex::encode(&calls[0].call_data[..4]), "0148170e");
    assert_eq!(hex::encode(&calls[1].call_data[..4]), "72218d04");
    assert!(!calls[0].allow_failure && calls[1].allow_failure, "V3.0 Pools have no getReservesCount");
}

#[test]
fn the_revision_picks_the_layout_and_batch_two() {
    let m = addresses();
    let p = plan(&[word(9), word(6)], USER).expect("a plan");
    assert_eq!(p.layout, PeripheryLayout::Origin(OriginLayout::V3_4));
    assert_eq!(p.reserves_count, Some(6));
    let calls = p.calls(&m);
    let targets: Vec<Address> = calls.iter().map(|c| c.target).collect();
    let ui = m.ui_pool_data_provider;
    assert_eq!(targets, [ui, ui, ui, m.pool, MULTICALL3]);
    let selectors: Vec<String> = calls.iter().map(|c| hex::encode(&c.call_data[..4])).collect();
    assert_eq!(selectors, ["ec489c21", "51974cc0", "6f90b9d1", "bf92857c", "0f28c97d"]);
    assert!(calls.iter().all(|c| !c.allow_failure));

    let old = plan(&[word(1), reverted()], USER).expect("a V3.0 plan");
    assert_eq!((old.layout, old.reserves_count), (PeripheryLayout::V3_0_1, None));
    assert_eq!(old.calls(&m).len(), 4, "no getEModes before 3.2");

    assert!(matches!(plan(&[word(9), reverted()], USER), Err(PositionReadError::Reverted { .. })));
    assert!(plan(&[reverted(), word(6)], USER).unwrap_err().to_string().contains("is this address a Pool?"));
    assert!(plan(&[word(4), word(6)], USER).is_err(), "3.1 is not decoded");
    assert_eq!(plan(&[word(9)], USER), Err(PositionReadError::Count { expected: 2, got: 1 }));
}

#[test]
fn origin_answers_read_into_a_position_the_engine_agrees_with() {
    for (name, revision) in [("3.2", 6), ("3.3", 7), ("3.5", 9)] {
        let m = fixture(&format!("aave_reader_origin/market-{name}"));
        let a = fixture("aave_reader_origin/account-emode");
        let p = plan(&[word(revision), ok(&m["reserves_count"])], USER).expect("a plan");
        let timestamp = m["timestamp"].as_u64().unwrap();
        let outcomes = [
            ok(&m["reserves_data"]),
            ok(&a["user_reserves_data"]),
            ok(&m["emodes"]),
            ok(&a["user_account_data"][name]),
            word(timestamp),
        ];
        let read = p.read(&outcomes).expect("a position");
        assert_eq!(read.timestamp, timestamp);
        assert_eq!(read.chain_account.health_factor, U256::from(2_280_000_000_000_000_000u128));
        let report = ballast_core::evaluate(&read.scenario).expect("evaluates");
        assert_eq!(report.aave_v3, Some(read.chain_account), "{name}");
        assert_eq!(read.scenario.protocol.as_str(), format!("aave-v{name}"));
    }
}

#[test]
fn recorded_v3_0_answers_read_with_e_modes_from_the_reserves() {
    let m = fixture("aave_reader/market");
    let a = fixture("aave_reader/account-2");
    let p = plan(&[ok(&m["pool_revision"]), reverted()], USER).expect("a plan");
    let outcomes = [
        ok(&m["reserves_data"]),
        ok(&a["user_reserves_data"]),
        ok(&a["user_account_data"]),
        word(m["timestamp"].as_u64().unwrap()),
    ];
    let read = p.read(&outcomes).expect("a position");
    assert_eq!(read.scenario.emode.as_ref().map(|e| e.id), Some(1), "the e-mode user");
    let report = ballast_core::evaluate(&read.scenario).expect("evaluates");
    assert_eq!(report.aave_v3, Some(read.chain_account));
}

#[test]
fn a_reverted_or_missing_answer_is_a_clear_error() {
    let m = fixture("aave_reader_origin/market-3.5");
    let a = fixture("aave_reader_origin/account-emode");
    let p = plan(&[word(9), word(6)], USER).unwrap();
    let mut outcomes =
        vec![reverted(), ok(&a["user_reserves_data"]), ok(&m["emodes"]), ok(&a["user_account_data"]["3.5"]), word(1)];
    let err = p.read(&outcomes).expect_err("a reverted read");
    assert!(err.to_string().starts_with("getReservesData reverted: is the UiPoolDataProvider the market's"), "{err}");
    outcomes.pop();
    assert_eq!(p.read(&outcomes), Err(PositionReadError::Count { expected: 5, got: 4 }));
}

#[test]
fn a_read_position_is_a_dashboard_row_showing_the_chains_figures() {
    let m = fixture("aave_reader_origin/market-3.5");
    let a = fixture("aave_reader_origin/account-emode");
    let p = plan(&[word(9), word(6)], USER).unwrap();
    let outcomes = [
        ok(&m["reserves_data"]),
        ok(&a["user_reserves_data"]),
        ok(&m["emodes"]),
        ok(&a["user_account_data"]["3.5"]),
        word(1_760_000_000),
    ];
    let read = p.read(&outcomes).expect("a position");
    let d = ballast_core::dashboard::dashboard(&[read.dashboard_input("Ethereum", "Core")]);
    let row = &d.rows[0];
    assert_eq!(row.health_source, ballast_core::dashboard::HealthSource::Chain);
    assert_eq!(row.flags.emode, Some(1));
    assert!(row.warnings.is_empty(), "engine and chain agree: {:?}", row.warnings);
    assert_eq!(row.collateral_usd.to_string(), "36000");
    assert_eq!(row.debt_usd.to_string(), "15000");
}
