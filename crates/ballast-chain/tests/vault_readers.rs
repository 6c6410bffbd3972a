//! The Maker and Liquity v1 readers on return data encoded by ethers
//! (`e2e/encode-vault-fixtures.mjs`): decoding recovers the encoded values,
//! and the scenarios built from them give, through the engine, exactly the
//! ratios the contracts check (the Vat's `ink × spot` against `art × rate`,
//! Liquity's ICR against MCR and TCR).

use alloy_primitives::{address, hex, Address, U256};
use ballast_chain::liquity_reader::{
    decode_borrowing_rate_with_decay, decode_entire_debt_and_coll, decode_entire_system_coll,
    decode_entire_system_debt, decode_last_good_price, decode_tcr, decode_trove_status, liquity_dashboard_input,
    liquity_scenario, read_trove, LiquityContracts, LiquityReadError, LiquityReads, TroveStatus,
};
use ballast_chain::maker_reader::{
    decode_cdp_ilk, decode_cdp_urn, decode_cdps, decode_dog_chop, decode_jug, decode_proxy, decode_spotter_ilks,
    decode_spotter_par, decode_vat_ilks, decode_vat_urns, get_cdps_asc_calldata, ilk_id, ilk_name,
    maker_dashboard_input, maker_scenario, read_vault, yearly_stability_fee, MakerContracts, MakerReadError,
    MakerReads, RAY,
};
use ballast_chain::multicall::{CallOutcome, MULTICALL3};
use num_bigint::BigInt;
use num_rational::BigRational;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/vaults");

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}.json")).expect("fixture present");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn bytes(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("hex string")).expect("hex")
}

fn u256(value: &Value) -> U256 {
    value.as_str().expect("decimal string").parse().expect("a uint256")
}

fn ratio(expected: &Value) -> BigRational {
    let int = |key: &str| expected[key].as_str().expect(key).parse::<BigInt>().expect("an integer");
    BigRational::new(int("health_factor_numerator"), int("health_factor_denominator"))
}

fn maker_reads(f: &Value) -> MakerReads {
    MakerReads {
        ilk: ilk_name(decode_cdp_ilk(&bytes(&f["cdp_ilk"])).expect("ilk decodes")).expect("an ilk name"),
        urn: decode_vat_urns(&bytes(&f["vat_urns"])).expect("urn decodes"),
        vat: decode_vat_ilks(&bytes(&f["vat_ilks"])).expect("ilk decodes"),
        spotter: decode_spotter_ilks(&bytes(&f["spotter_ilks"])).expect("spotter decodes"),
        par: decode_spotter_par(&bytes(&f["spotter_par"])).expect("par decodes"),
        jug: Some(decode_jug(&bytes(&f["jug_ilks"]), &bytes(&f["jug_base"])).expect("jug decodes")),
        chop: Some(decode_dog_chop(&bytes(&f["dog_ilks"])).expect("dog decodes")),
        timestamp: f["timestamp"].as_u64().expect("timestamp"),
    }
}

#[test]
fn maker_reads_decode_to_the_encoded_values() {
    let f = fixture("maker-eth-a");
    let r = maker_reads(&f);
    let e = &f["expected"];
    assert_eq!(r.ilk, "ETH-A");
    assert_eq!(r.urn.ink, u256(&e["ink"]));
    assert_eq!(r.urn.art, u256(&e["art"]));
    assert_eq!(r.vat.rate, "1087654321098765432109876543".parse::<U256>().unwrap());
    assert_eq!(r.vat.spot, u256(&e["spot"]));
    assert_eq!(r.vat.dust, U256::from(7500) * U256::from(10).pow(U256::from(45)));
    assert_eq!(r.spotter.mat, U256::from(145) * RAY / U256::from(100));
    assert_eq!(r.spotter.pip, address!("81FE72B5A8d1A857d176C3E7d5Bd2679A9B85763"));
    assert_eq!(r.par, RAY);
    let jug = r.jug.expect("jug read");
    assert_eq!(jug.rho, U256::from(1_760_000_000u64 - 86_400));
    assert_eq!(r.chop, Some(U256::from(1_130_000_000_000_000_000u64)));
    assert_eq!(decode_cdp_urn(&bytes(&f["cdp_urn"])).unwrap(), address!("00000000000000000000000000000000000001f5"));
}

#[test]
fn the_jug_brings_the_rate_to_the_block_as_drip_does() {
    let f = fixture("maker-eth-a");
    let r = maker_reads(&f);
    let e = &f["expected"];
    assert_eq!(r.rate_now().unwrap(), u256(&e["rate_now"]));
    assert_eq!(r.debt_rad().unwrap(), u256(&e["debt_rad"]));
    let fee = yearly_stability_fee(&r.jug.unwrap()).unwrap();
    assert_eq!(fee, u256(&e["yearly_stability_fee_ray"]));
    // ~6 % a year, as the duty was chosen.
    assert!(fee > U256::from(599) * RAY / U256::from(10_000) && fee < U256::from(601) * RAY / U256::from(10_000));
    // Without the Jug, the Vat's stored rate.
    let mut undripped = r.clone();
    undripped.jug = None;
    assert_eq!(undripped.rate_now().unwrap(), r.vat.rate);
}

#[test]
fn a_maker_vault_scenario_gives_the_vats_own_safety_ratio() {
    let f = fixture("maker-eth-a");
    let s = maker_scenario(&maker_reads(&f)).expect("a scenario");
    assert_eq!(s.protocol.as_str(), "maker");
    assert_eq!(s.collateral[0].asset, "ETH-A");
    assert_eq!(s.collateral[0].amount.as_str(), "100.5");
    // art × rate_now, all 45 decimals of the rad kept.
    let debt = f["expected"]["debt_rad"].as_str().unwrap();
    let (int, frac) = debt.split_at(debt.len() - 45);
    assert_eq!(s.debt[0].amount.as_str(), format!("{int}.{}", frac.trim_end_matches('0')));
    let (_, eth) = s.asset("ETH-A").expect("listed");
    assert_eq!(eth.liquidation_ratio.as_ref().map(|m| m.as_str()), Some("1.45"));
    assert_eq!(eth.dust.as_ref().map(|d| d.as_str()), Some("7500"));
    assert_eq!(eth.chop.as_ref().map(|c| c.as_str()), Some("1.13"));
    assert_eq!(s.par.as_ref().map(|p| p.as_str()), Some("1"));
    // The price the Vat sees, spot × mat: within 1e-27 × mat below the OSM's 2500.123456789012345678.
    let price = eth.price.as_ref().expect("price").to_rational();
    let osm = BigRational::new(BigInt::from(2_500_123_456_789_012_345_678u128), BigInt::from(10u128.pow(18)));
    assert!(price <= osm && &osm - &price < BigRational::new(BigInt::from(2), BigInt::from(10).pow(27)));

    let report = ballast_core::evaluate(&s).expect("evaluates");
    assert_eq!(report.health_factor_exact, Some(ratio(&f["expected"])), "ink × spot / (art × rate)");
    assert!(!report.liquidatable);
    let details = report.maker.expect("vault details with dust and chop");
    assert_eq!(details.dust_ok, Some(true));
}

#[test]
fn maker_reads_that_cannot_be_a_vault_are_refused() {
    let f = fixture("maker-eth-a");
    let mut r = maker_reads(&f);
    r.vat.spot = U256::ZERO;
    assert!(matches!(maker_scenario(&r), Err(MakerReadError::NotInitialised { field: "Vat.ilks.spot", .. })));
    let mut r = maker_reads(&f);
    r.timestamp = 1_000;
    let err = maker_scenario(&r).expect_err("a drip after the block");
    assert!(matches!(err, MakerReadError::DripInFuture { .. }), "{err}");
    assert!(decode_vat_urns(&bytes(&f["vat_urns"])[..32]).is_err());
    assert!(decode_vat_ilks(&[]).is_err());
}

fn liquity_reads(f: &Value) -> LiquityReads {
    LiquityReads {
        status: decode_trove_status(&bytes(&f["trove_status"])).expect("status decodes"),
        trove: decode_entire_debt_and_coll(&bytes(&f["entire_debt_and_coll"])).expect("trove decodes"),
        system_coll: decode_entire_system_coll(&bytes(&f["entire_system_coll"])).expect("coll decodes"),
        system_debt: decode_entire_system_debt(&bytes(&f["entire_system_debt"])).expect("debt decodes"),
        price: decode_last_good_price(&bytes(&f["last_good_price"])).expect("price decodes"),
        borrowing_rate: Some(decode_borrowing_rate_with_decay(&bytes(&f["borrowing_rate_with_decay"])).expect("rate")),
    }
}

#[test]
fn liquity_reads_decode_to_the_encoded_values() {
    let f = fixture("liquity-normal");
    let r = liquity_reads(&f);
    assert_eq!(r.status, TroveStatus::Active);
    assert_eq!(r.trove.debt, U256::from(12_345_678_901_234_567_890_123u128));
    assert_eq!(r.trove.coll, U256::from(8_500_000_000_000_000_000u128));
    assert_eq!(r.trove.pending_lusd_debt_reward, U256::from(45_678_901_234_567_890u128));
    assert_eq!(r.trove.pending_eth_reward, U256::from(12_345_678_901_234_567u128));
    assert_eq!(r.price, U256::from(1_987_654_321_000_000_000_000u128));
    assert_eq!(r.borrowing_rate, Some(U256::from(7_340_000_000_000_000u128)));
    let chain_tcr = decode_tcr(&bytes(&f["tcr"])).expect("tcr decodes");
    assert_eq!(chain_tcr, u256(&f["expected"]["tcr"]));
    assert_eq!(r.check_tcr(chain_tcr), Ok(()));
    let off = chain_tcr + U256::from(1);
    assert!(matches!(r.check_tcr(off), Err(LiquityReadError::Inconsistent { .. })));
}

#[test]
fn a_trove_in_normal_mode() {
    let f = fixture("liquity-normal");
    let s = liquity_scenario(&liquity_reads(&f)).expect("a scenario");
    assert_eq!(s.protocol.as_str(), "liquity-v1");
    assert_eq!(s.collateral[0].amount.as_str(), "8.5");
    assert_eq!(s.debt[0].amount.as_str(), "12345.678901234567890123");
    assert_eq!(s.asset("ETH").and_then(|(_, a)| a.price.as_ref()).map(|p| p.as_str()), Some("1987.654321"));
    assert_eq!(s.base_rate.as_ref().map(|b| b.as_str()), Some("0.00234"), "0.734 % less the 0.5 % floor");
    let system = s.system.as_ref().expect("system totals");
    assert_eq!((system.total_collateral.as_str(), system.total_debt.as_str()), ("500000.123", "300000000"));
    let report = ballast_core::evaluate(&s).expect("evaluates");
    assert_eq!(report.health_factor_exact, Some(ratio(&f["expected"])), "ICR / 1.1");
    assert_eq!(report.recovery_mode, Some(false));
    assert!(!report.liquidatable, "ICR ≈ 1.3685 > MCR");
    let details = report.liquity_v1.expect("details with a base rate");
    assert_eq!(details.borrowing_fee_rate, "0.00734", "the contract's getBorrowingRateWithDecay");
}

#[test]
fn a_trove_under_the_tcr_in_recovery_mode_is_liquidatable() {
    let f = fixture("liquity-recovery");
    let r = liquity_reads(&f);
    assert_eq!(r.check_tcr(decode_tcr(&bytes(&f["tcr"])).unwrap()), Ok(()));
    let report = ballast_core::evaluate(&liquity_scenario(&r).expect("a scenario")).expect("evaluates");
    assert_eq!(report.recovery_mode, Some(true), "TCR ≈ 1.4197 < CCR 1.5");
    assert!(report.liquidatable, "ICR ≈ 1.3685 < TCR");
    assert_eq!(report.health_factor_exact, Some(ratio(&f["expected"])));
}

#[test]
fn a_closed_trove_is_no_position() {
    let f = fixture("liquity-normal");
    let mut r = liquity_reads(&f);
    r.status = TroveStatus::ClosedByLiquidation;
    let err = liquity_scenario(&r).expect_err("a closed trove");
    assert_eq!(err.to_string(), "the address had its trove liquidated: there is no open trove to show");
    let mut r = liquity_reads(&f);
    r.price = U256::ZERO;
    assert_eq!(liquity_scenario(&r), Err(LiquityReadError::NoPrice));
}

#[test]
fn a_users_vaults_are_listed_through_their_proxy() {
    let f = fixture("maker-eth-a");
    assert_eq!(
        decode_proxy(&bytes(&f["proxies"])).unwrap(),
        Some(address!("00000000000000000000000000000000000000f0"))
    );
    assert_eq!(decode_proxy(&[0u8; 32]).unwrap(), None, "no DSProxy");
    let vaults = decode_cdps(&bytes(&f["cdps_asc"])).expect("vaults decode");
    assert_eq!(vaults.len(), 2);
    assert_eq!((vaults[0].id, vaults[0].ilk.as_str()), (U256::from(501), "ETH-A"));
    assert_eq!(vaults[0].urn, address!("00000000000000000000000000000000000001f5"));
    assert_eq!((vaults[1].id, vaults[1].ilk.as_str()), (U256::from(31_337), "WSTETH-B"));
    let call = get_cdps_asc_calldata(Address::ZERO, Address::ZERO);
    assert_eq!(call.len(), 4 + 64);
}

#[test]
fn the_mainnet_addresses_are_checksummed_and_distinct() {
    use ballast_chain::vault_addresses::{liquity, maker};
    let all = [
        maker::VAT,
        maker::SPOTTER,
        maker::JUG,
        maker::CDP_MANAGER,
        maker::GET_CDPS,
        maker::PROXY_REGISTRY,
        liquity::TROVE_MANAGER,
        liquity::PRICE_FEED,
    ];
    for a in all {
        assert!(Address::parse_checksummed(a, None).is_ok(), "{a} is not EIP-55");
    }
    let distinct: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(distinct.len(), all.len());
    assert_eq!(maker::VAT, "0x35D1b3F3D7966A1DFe207aa4514C12a259A0492B", "the Vat everyone knows");
}

fn ok(value: &Value) -> CallOutcome {
    CallOutcome::Success(bytes(value).into())
}

#[test]
fn a_vault_read_in_one_batch_gives_the_same_reads() {
    let c = MakerContracts::mainnet();
    let urn = address!("00000000000000000000000000000000000001f5");
    let calls = c.vault_calls(ilk_id("ETH-A").unwrap(), urn);
    let targets: Vec<Address> = calls.iter().map(|c| c.target).collect();
    assert_eq!(targets, [c.vat, c.vat, c.spotter, c.spotter, c.jug, c.jug, MULTICALL3]);
    assert!(calls.iter().all(|c| !c.allow_failure));
    let f = fixture("maker-eth-a");
    let timestamp = U256::from(f["timestamp"].as_u64().unwrap()).to_be_bytes::<32>().to_vec();
    let mut outcomes = vec![
        ok(&f["vat_urns"]),
        ok(&f["vat_ilks"]),
        ok(&f["spotter_ilks"]),
        ok(&f["spotter_par"]),
        ok(&f["jug_ilks"]),
        ok(&f["jug_base"]),
        CallOutcome::Success(timestamp.into()),
    ];
    let mut expected = maker_reads(&f);
    expected.chop = None;
    assert_eq!(read_vault("ETH-A", &outcomes).expect("reads"), expected);
    outcomes[2] = CallOutcome::Reverted(Default::default());
    let err = read_vault("ETH-A", &outcomes).expect_err("a reverted Spotter");
    assert_eq!(err.to_string(), "Spotter.ilks reverted: is the Spotter address right for this chain?");
    assert_eq!(read_vault("ETH-A", &outcomes[..6]), Err(MakerReadError::Count { expected: 7, got: 6 }));
    let discovery = c.discovery_calls(urn);
    assert_eq!((discovery[0].target, discovery[1].target), (c.proxy_registry, c.get_cdps));
}

#[test]
fn a_trove_read_in_one_batch_gives_the_same_reads() {
    let c = LiquityContracts::mainnet();
    let calls = c.trove_calls(Address::ZERO);
    assert_eq!(calls.len(), 6);
    assert_eq!(calls[4].target, c.price_feed);
    assert!(calls.iter().enumerate().all(|(i, call)| i == 4 || call.target == c.trove_manager));
    let f = fixture("liquity-normal");
    let outcomes = [
        ok(&f["trove_status"]),
        ok(&f["entire_debt_and_coll"]),
        ok(&f["entire_system_coll"]),
        ok(&f["entire_system_debt"]),
        ok(&f["last_good_price"]),
        ok(&f["borrowing_rate_with_decay"]),
    ];
    assert_eq!(read_trove(&outcomes).expect("reads"), liquity_reads(&f));
    assert_eq!(read_trove(&outcomes[..5]), Err(LiquityReadError::Count { expected: 6, got: 5 }));
}

#[test]
fn a_read_vault_is_a_dashboard_row_with_its_stability_fee() {
    let f = fixture("maker-eth-a");
    let input = maker_dashboard_input(&maker_reads(&f), "Ethereum").expect("an input");
    assert_eq!((input.chain.as_str(), input.market.as_str()), ("Ethereum", "ETH-A"));
    let fee = u256(&f["expected"]["yearly_stability_fee_ray"]);
    let fee = BigRational::new(fee.to_string().parse::<BigInt>().unwrap(), BigInt::from(10).pow(27));
    assert_eq!(input.vault_borrow_apy, Some(fee.clone()));
    let d = ballast_core::dashboard::dashboard(&[input]);
    let row = &d.rows[0];
    assert_eq!(row.borrow_apy, Some(fee), "the Jug's fee is the vault's borrow APY");
    assert_eq!(row.health_factor, Some(ratio(&f["expected"])));
    assert!(row.warnings.is_empty(), "{:?}", row.warnings);
}

#[test]
fn a_read_trove_is_a_dashboard_row_flagged_in_recovery_mode() {
    let f = fixture("liquity-recovery");
    let input = liquity_dashboard_input(&liquity_reads(&f), "Ethereum").expect("an input");
    let d = ballast_core::dashboard::dashboard(&[input]);
    let row = &d.rows[0];
    assert!(row.flags.recovery_mode && row.liquidatable);
    assert_eq!(row.borrow_apy, Some(BigRational::from_integer(BigInt::from(0))), "no interest on a trove");
    assert_eq!(row.health_factor, Some(ratio(&f["expected"])));
}
