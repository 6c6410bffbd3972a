//! A Maker (Sky) vault read from chain, turned into a `maker` scenario.
//!
//! The reads, all `eth_call`s at one block (dss, `src/vat.sol`, `spot.sol`,
//! `jug.sol`, `dog.sol`; DssCdpManager for vault numbers):
//!
//! - `Vat.urns(ilk, urn)`: the vault's `ink` (collateral, wad) and `art`
//!   (normalised debt, wad);
//! - `Vat.ilks(ilk)`: `rate` (ray; debt is `art × rate`, a rad), `spot` (ray:
//!   the price over `mat` and `par`, what the Vat's safety check uses) and
//!   `dust` (rad);
//! - `Spotter.ilks(ilk)` for `mat` (ray) and `Spotter.par()` (ray);
//! - `Jug.ilks(ilk)` and `Jug.base()`: the stability fee, which brings `rate`
//!   to the block's time as `Jug.drip` would;
//! - optionally `Dog.ilks(ilk)` for `chop` (wad), the liquidation penalty.
//!
//! The OSM price itself is whitelisted (`peek` needs `kiss`), so the price in
//! the scenario is the one the Vat sees: `spot × mat × par`, exactly. With it
//! the engine's health factor, `ink × price / (debt × mat × par)`, is exactly
//! `ink × spot / (art × rate)`: the Vat's own `ink × spot ≥ art × rate` test.
//! Spotter's `rdiv` floors `spot`, so this price can sit up to 1e-27 below
//! the OSM's.

use alloy_primitives::{Address, Bytes, FixedBytes, Uint, B256, U256};
use alloy_sol_types::sol;
use ballast_core::dashboard::PositionInput;
use ballast_core::exact::PlainDecimal;
use ballast_core::{Scenario, ScenarioError};
use serde_json::{json, Value};

use crate::aave_position::{block_timestamp_call, decode_block_timestamp};
use crate::aave_reader::{units, units_of_digits};
use crate::multicall::{Call, CallOutcome};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// dss `Vat`.
    interface IVat {
        function urns(bytes32 ilk, address urn) external view returns (uint256 ink, uint256 art);
        function ilks(bytes32 ilk) external view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust);
    }
    /// dss `Spotter`.
    interface ISpotter {
        function ilks(bytes32 ilk) external view returns (address pip, uint256 mat);
        function par() external view returns (uint256);
    }
    /// dss `Jug`.
    interface IJug {
        function ilks(bytes32 ilk) external view returns (uint256 duty, uint256 rho);
        function base() external view returns (uint256);
    }
    /// dss `Dog` (liquidations 2.0).
    interface IDog {
        function ilks(bytes32 ilk) external view returns (address clip, uint256 chop, uint256 hole, uint256 dirt);
    }
    /// `GetCdps`: every vault a `DssCdpManager` lists for an owner (a user's DSProxy, mostly).
    interface IGetCdps {
        function getCdpsAsc(address manager, address guy) external view
            returns (uint256[] memory ids, address[] memory urns, bytes32[] memory ilks);
    }
    /// `ProxyRegistry`: the DSProxy a user's vaults are usually opened through.
    interface IProxyRegistry {
        function proxies(address owner) external view returns (address);
    }
    /// `DssCdpManager`: the vault numbers people know, and their urns.
    interface IDssCdpManager {
        function urns(uint256 cdp) external view returns (address);
        function ilks(uint256 cdp) external view returns (bytes32);
        function owns(uint256 cdp) external view returns (address);
    }
}

/// 10^27.
pub const RAY: U256 = U256::from_limbs([0x9fd0803ce8000000, 0x33b2e3c, 0, 0]);
/// Seconds in a year as Maker counts them (365 days).
pub const SECONDS_PER_YEAR: u64 = 365 * 86_400;
/// The scenario's debt asset.
pub const DAI: &str = "DAI";

/// Why Maker reads do not make a vault scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MakerReadError {
    #[error(transparent)]
    Return(#[from] ReturnError),
    #[error("{0:?} is not an ilk name: ilks are ASCII, 1 to 32 bytes (e.g. \"ETH-A\")")]
    IlkName(String),
    #[error("ilk {ilk}: {field} is 0, so the ilk is not initialised or its price is not set")]
    NotInitialised { ilk: String, field: &'static str },
    #[error("ilk {ilk}: the Jug's last drip (rho {rho}) is after the block time {timestamp}; the reads are not from one block")]
    DripInFuture { ilk: String, rho: U256, timestamp: u64 },
    #[error("ilk {ilk}: the stability fee overflows when brought forward")]
    Overflow { ilk: String },
    #[error("{call} reverted: is the {contract} address right for this chain?")]
    Reverted { call: &'static str, contract: &'static str },
    #[error("{expected} answers were expected from the batch, {got} came")]
    Count { expected: usize, got: usize },
    #[error("the block timestamp is not readable: {0}")]
    Timestamp(String),
    #[error("the vault scenario is not valid: {0}")]
    Scenario(#[from] ScenarioError),
}

/// The dss contracts a vault is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MakerContracts {
    pub vat: Address,
    pub spotter: Address,
    pub jug: Address,
    pub cdp_manager: Address,
    pub get_cdps: Address,
    pub proxy_registry: Address,
}

impl MakerContracts {
    /// Ethereum mainnet's, from [`crate::vault_addresses::maker`].
    pub fn mainnet() -> Self {
        use crate::vault_addresses::maker;
        #[allow(clippy::expect_used)]
        let parse = |a: &str| Address::parse_checksummed(a, None).expect("generated, checksummed and tested");
        Self {
            vat: parse(maker::VAT),
            spotter: parse(maker::SPOTTER),
            jug: parse(maker::JUG),
            cdp_manager: parse(maker::CDP_MANAGER),
            get_cdps: parse(maker::GET_CDPS),
            proxy_registry: parse(maker::PROXY_REGISTRY),
        }
    }

    /// One Multicall3 batch reading a vault and its ilk, with the block time,
    /// in the order [`read_vault`] expects.
    pub fn vault_calls(&self, ilk: B256, urn: Address) -> Vec<Call> {
        let strict = |target, call_data| Call { target, allow_failure: false, call_data };
        vec![
            strict(self.vat, vat_urns_calldata(ilk, urn)),
            strict(self.vat, vat_ilks_calldata(ilk)),
            strict(self.spotter, spotter_ilks_calldata(ilk)),
            strict(self.spotter, spotter_par_calldata()),
            strict(self.jug, jug_ilks_calldata(ilk)),
            strict(self.jug, jug_base_calldata()),
            block_timestamp_call(),
        ]
    }

    /// The calls that find an owner's vaults: its DSProxy, and the vaults the
    /// manager lists for the owner itself (then ask [`Self::cdps_call`] for the proxy's).
    pub fn discovery_calls(&self, owner: Address) -> Vec<Call> {
        vec![Call::tolerant(self.proxy_registry, proxies_calldata(owner)), self.cdps_call(owner)]
    }

    /// `GetCdps.getCdpsAsc(manager, owner)`.
    pub fn cdps_call(&self, owner: Address) -> Call {
        Call::tolerant(self.get_cdps, get_cdps_asc_calldata(self.cdp_manager, owner))
    }
}

/// Reads [`MakerContracts::vault_calls`]' outcomes, for the ilk named `ilk`.
pub fn read_vault(ilk: &str, outcomes: &[CallOutcome]) -> Result<MakerReads, MakerReadError> {
    let [urns, ilks, spot, par, jug, base, timestamp] = outcomes else {
        return Err(MakerReadError::Count { expected: 7, got: outcomes.len() });
    };
    let ok = |o: &'_ CallOutcome, call: &'static str, contract: &'static str| match o {
        CallOutcome::Success(data) => Ok(data.to_vec()),
        CallOutcome::Reverted(_) => Err(MakerReadError::Reverted { call, contract }),
    };
    let timestamp = decode_block_timestamp(&ok(timestamp, "getCurrentBlockTimestamp", "Multicall3")?)
        .map_err(|e| MakerReadError::Timestamp(e.to_string()))?;
    Ok(MakerReads {
        ilk: ilk.to_owned(),
        urn: decode_vat_urns(&ok(urns, "Vat.urns", "Vat")?)?,
        vat: decode_vat_ilks(&ok(ilks, "Vat.ilks", "Vat")?)?,
        spotter: decode_spotter_ilks(&ok(spot, "Spotter.ilks", "Spotter")?)?,
        par: decode_spotter_par(&ok(par, "Spotter.par", "Spotter")?)?,
        jug: Some(decode_jug(&ok(jug, "Jug.ilks", "Jug")?, &ok(base, "Jug.base", "Jug")?)?),
        chop: None,
        timestamp,
    })
}

/// An ilk name as the Vat keys it: ASCII, right-padded with zero bytes.
pub fn ilk_id(name: &str) -> Result<B256, MakerReadError> {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > 32 || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(MakerReadError::IlkName(name.to_owned()));
    }
    let mut id = [0u8; 32];
    id[..bytes.len()].copy_from_slice(bytes);
    Ok(FixedBytes(id))
}

/// The name of an ilk id (`DssCdpManager.ilks`): the bytes before the padding.
pub fn ilk_name(id: B256) -> Result<String, MakerReadError> {
    let end = id.iter().position(|b| *b == 0).unwrap_or(32);
    let name = std::str::from_utf8(&id[..end]).map_err(|_| MakerReadError::IlkName(format!("{id}")))?;
    if id[end..].iter().any(|b| *b != 0) {
        return Err(MakerReadError::IlkName(format!("{id}")));
    }
    ilk_id(name)?;
    Ok(name.to_owned())
}

/// A vault in the Vat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urn {
    /// Collateral, wad (the join adapts tokens of other decimals to 18).
    pub ink: U256,
    /// Normalised debt, wad: the DAI owed is `art × rate`.
    pub art: U256,
}

/// An ilk in the Vat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatIlk {
    /// All vaults' normalised debt, wad.
    pub total_art: U256,
    /// Accumulated stability fee, ray.
    pub rate: U256,
    /// Price over `mat` and `par`, ray.
    pub spot: U256,
    /// Debt ceiling, rad.
    pub line: U256,
    /// Smallest debt a vault may have, rad.
    pub dust: U256,
}

/// An ilk in the Spotter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpotterIlk {
    /// The OSM.
    pub pip: Address,
    /// Liquidation ratio, ray.
    pub mat: U256,
}

/// An ilk's stability fee in the Jug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JugIlk {
    /// Per-second fee, ray (1 + fee).
    pub duty: U256,
    /// Time of the last drip.
    pub rho: U256,
    /// `Jug.base()`, a global per-second fee added to `duty`, ray.
    pub base: U256,
}

pub fn vat_urns_calldata(ilk: B256, urn: Address) -> Bytes {
    calldata(&IVat::urnsCall { ilk, urn })
}
pub fn decode_vat_urns(data: &[u8]) -> Result<Urn, ReturnError> {
    let r = decode_return::<IVat::urnsCall>(data)?;
    Ok(Urn { ink: r.ink, art: r.art })
}
pub fn vat_ilks_calldata(ilk: B256) -> Bytes {
    calldata(&IVat::ilksCall { ilk })
}
pub fn decode_vat_ilks(data: &[u8]) -> Result<VatIlk, ReturnError> {
    let r = decode_return::<IVat::ilksCall>(data)?;
    Ok(VatIlk { total_art: r.Art, rate: r.rate, spot: r.spot, line: r.line, dust: r.dust })
}
pub fn spotter_ilks_calldata(ilk: B256) -> Bytes {
    calldata(&ISpotter::ilksCall { ilk })
}
pub fn decode_spotter_ilks(data: &[u8]) -> Result<SpotterIlk, ReturnError> {
    let r = decode_return::<ISpotter::ilksCall>(data)?;
    Ok(SpotterIlk { pip: r.pip, mat: r.mat })
}
pub fn spotter_par_calldata() -> Bytes {
    calldata(&ISpotter::parCall {})
}
pub fn decode_spotter_par(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<ISpotter::parCall>(data)
}
pub fn jug_ilks_calldata(ilk: B256) -> Bytes {
    calldata(&IJug::ilksCall { ilk })
}
pub fn jug_base_calldata() -> Bytes {
    calldata(&IJug::baseCall {})
}
/// Decodes `Jug.ilks(ilk)` and `Jug.base()` together.
pub fn decode_jug(ilks: &[u8], base: &[u8]) -> Result<JugIlk, ReturnError> {
    let r = decode_return::<IJug::ilksCall>(ilks)?;
    Ok(JugIlk { duty: r.duty, rho: r.rho, base: decode_return::<IJug::baseCall>(base)? })
}
pub fn dog_ilks_calldata(ilk: B256) -> Bytes {
    calldata(&IDog::ilksCall { ilk })
}
/// Decodes `Dog.ilks(ilk)` to its `chop`, wad (1.13e18 for 13 %).
pub fn decode_dog_chop(data: &[u8]) -> Result<U256, ReturnError> {
    Ok(decode_return::<IDog::ilksCall>(data)?.chop)
}
pub fn cdp_urn_calldata(cdp: U256) -> Bytes {
    calldata(&IDssCdpManager::urnsCall { cdp })
}
pub fn decode_cdp_urn(data: &[u8]) -> Result<Address, ReturnError> {
    decode_return::<IDssCdpManager::urnsCall>(data)
}
pub fn cdp_ilk_calldata(cdp: U256) -> Bytes {
    calldata(&IDssCdpManager::ilksCall { cdp })
}
pub fn decode_cdp_ilk(data: &[u8]) -> Result<B256, ReturnError> {
    decode_return::<IDssCdpManager::ilksCall>(data)
}

/// A vault a `DssCdpManager` lists: its number, urn and ilk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedVault {
    pub id: U256,
    pub urn: Address,
    pub ilk: String,
}

/// Calldata for `GetCdps.getCdpsAsc(manager, owner)`.
pub fn get_cdps_asc_calldata(manager: Address, owner: Address) -> Bytes {
    calldata(&IGetCdps::getCdpsAscCall { manager, guy: owner })
}

/// Decodes `getCdpsAsc`: the three arrays must be as long as each other.
pub fn decode_cdps(data: &[u8]) -> Result<Vec<ManagedVault>, MakerReadError> {
    let r = decode_return::<IGetCdps::getCdpsAscCall>(data)?;
    if r.urns.len() != r.ids.len() || r.ilks.len() != r.ids.len() {
        return Err(ReturnError::Abi {
            call: "getCdpsAsc(address,address)",
            reason: format!("{} ids, {} urns and {} ilks", r.ids.len(), r.urns.len(), r.ilks.len()),
        }
        .into());
    }
    r.ids
        .into_iter()
        .zip(r.urns)
        .zip(r.ilks)
        .map(|((id, urn), ilk)| Ok(ManagedVault { id, urn, ilk: ilk_name(ilk)? }))
        .collect()
}

/// Calldata for `ProxyRegistry.proxies(owner)`.
pub fn proxies_calldata(owner: Address) -> Bytes {
    calldata(&IProxyRegistry::proxiesCall { owner })
}

/// Decodes `proxies(owner)`: `None` for a user without a DSProxy.
pub fn decode_proxy(data: &[u8]) -> Result<Option<Address>, ReturnError> {
    let proxy = decode_return::<IProxyRegistry::proxiesCall>(data)?;
    Ok((proxy != Address::ZERO).then_some(proxy))
}

/// dss `rpow(x, n, b)`: `x^n` in base `b`, each product rounded half up, as
/// `Jug` computes it; `None` where the contract would revert on overflow.
pub fn rpow(x: U256, n: u64, b: U256) -> Option<U256> {
    if x.is_zero() {
        return Some(if n == 0 { b } else { U256::ZERO });
    }
    let half = b / U256::from(2);
    let mut z = if n.is_multiple_of(2) { b } else { x };
    let mut x = x;
    let mut n = n / 2;
    while n > 0 {
        x = x.checked_mul(x)?.checked_add(half)? / b;
        if n % 2 == 1 {
            z = z.checked_mul(x)?.checked_add(half)? / b;
        }
        n /= 2;
    }
    Some(z)
}

/// The ilk's `rate` after `Jug.drip` at `timestamp`:
/// `rmul(rpow(base + duty, timestamp − rho, RAY), rate)`, floored as `rmul` does.
pub fn dripped_rate(rate: U256, jug: &JugIlk, timestamp: u64) -> Option<U256> {
    let since = timestamp.checked_sub(u64::try_from(jug.rho).ok()?)?;
    let factor = rpow(jug.base.checked_add(jug.duty)?, since, RAY)?;
    Some(factor.checked_mul(rate)? / RAY)
}

/// The stability fee over a year, ray: `rpow(base + duty, 365 days) − 1`.
pub fn yearly_stability_fee(jug: &JugIlk) -> Option<U256> {
    rpow(jug.base.checked_add(jug.duty)?, SECONDS_PER_YEAR, RAY)?.checked_sub(RAY)
}

/// One vault's reads, from one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MakerReads {
    /// The ilk's name, e.g. `ETH-A`: the scenario's collateral symbol.
    pub ilk: String,
    pub urn: Urn,
    pub vat: VatIlk,
    pub spotter: SpotterIlk,
    /// `Spotter.par()`, ray.
    pub par: U256,
    /// With the Jug read, the debt is brought to `timestamp` as a drip would.
    pub jug: Option<JugIlk>,
    /// `Dog.ilks(ilk).chop`, wad.
    pub chop: Option<U256>,
    /// The block's timestamp.
    pub timestamp: u64,
}

impl MakerReads {
    /// The ilk's `rate` at the block time: dripped when the Jug was read.
    pub fn rate_now(&self) -> Result<U256, MakerReadError> {
        match &self.jug {
            None => Ok(self.vat.rate),
            Some(jug) => {
                if u64::try_from(jug.rho).map_or(true, |rho| rho > self.timestamp) {
                    return Err(MakerReadError::DripInFuture {
                        ilk: self.ilk.clone(),
                        rho: jug.rho,
                        timestamp: self.timestamp,
                    });
                }
                dripped_rate(self.vat.rate, jug, self.timestamp)
                    .ok_or_else(|| MakerReadError::Overflow { ilk: self.ilk.clone() })
            }
        }
    }

    /// The DAI owed, rad: `art × rate_now`.
    pub fn debt_rad(&self) -> Result<U256, MakerReadError> {
        self.urn.art.checked_mul(self.rate_now()?).ok_or_else(|| MakerReadError::Overflow { ilk: self.ilk.clone() })
    }
}

/// The vault as a `maker` scenario (see the module docs for the price).
/// Amounts are exact: `ink` a wad, debt `art × rate` a rad (45 decimals),
/// `mat` and `par` rays, the price `spot × mat × par` (81 decimals before
/// trailing zeros go), `dust` a rad, `chop` a wad.
pub fn maker_scenario(reads: &MakerReads) -> Result<Scenario, MakerReadError> {
    let not_set = |field| MakerReadError::NotInitialised { ilk: reads.ilk.clone(), field };
    ilk_id(&reads.ilk)?;
    if reads.vat.rate.is_zero() {
        return Err(not_set("Vat.ilks.rate"));
    }
    if reads.vat.spot.is_zero() {
        return Err(not_set("Vat.ilks.spot"));
    }
    if reads.spotter.mat.is_zero() {
        return Err(not_set("Spotter.ilks.mat"));
    }
    if reads.par.is_zero() {
        return Err(not_set("Spotter.par"));
    }
    type U512 = Uint<512, 8>;
    let price = U512::from(reads.vat.spot) * U512::from(reads.spotter.mat) * U512::from(reads.par);
    let mut collateral = json!({
        "symbol": reads.ilk,
        "price": units_of_digits(&price.to_string(), 81),
        "liquidation_ratio": units(reads.spotter.mat, 27),
        "dust": units(reads.vat.dust, 45),
    });
    if let Some(chop) = reads.chop {
        collateral["chop"] = json!(units(chop, 18));
    }
    let scenario = json!({
        "schema": "ballast.scenario/1",
        "protocol": "maker",
        "par": units(reads.par, 27),
        "assets": [collateral, { "symbol": DAI }],
        "collateral": [{ "asset": reads.ilk, "amount": units(reads.urn.ink, 18) }],
        "debt": [{ "asset": DAI, "amount": units(reads.debt_rad()?, 45) }],
    });
    Ok(parse_scenario(scenario)?)
}

/// The vault as a dashboard row's input, its borrow APY the Jug's yearly
/// stability fee when the Jug was read (exact, from the ray).
pub fn maker_dashboard_input(reads: &MakerReads, chain: &str) -> Result<PositionInput, MakerReadError> {
    let scenario = maker_scenario(reads)?;
    let fee = match &reads.jug {
        Some(jug) => {
            let ray = yearly_stability_fee(jug).ok_or_else(|| MakerReadError::Overflow { ilk: reads.ilk.clone() })?;
            let fee =
                PlainDecimal::parse(&units(ray, 27)).map_err(|e| ScenarioError::new("stability fee", e.to_string()))?;
            Some(fee.to_rational())
        }
        None => None,
    };
    Ok(PositionInput {
        chain: chain.to_owned(),
        market: reads.ilk.clone(),
        scenario,
        chain_account: None,
        vault_borrow_apy: fee,
    })
}

/// Through serde, so the result is exactly what a scenario file would parse to.
pub(crate) fn parse_scenario(scenario: Value) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario = serde_json::from_value(scenario)
        .map_err(|e| ScenarioError::new("scenario", ballast_core::scenario::strip_serde_position(&e.to_string())))?;
    scenario.validate()?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ilk_ids_are_right_padded_ascii() {
        let id = ilk_id("ETH-A").unwrap();
        assert_eq!(&id[..5], b"ETH-A");
        assert!(id[5..].iter().all(|b| *b == 0));
        assert_eq!(ilk_name(id).unwrap(), "ETH-A");
        assert!(ilk_id("").is_err());
        assert!(ilk_id(&"X".repeat(33)).is_err());
        assert!(ilk_id("ETH A").is_err());
        let mut dirty = id;
        dirty[20] = 1;
        assert!(ilk_name(dirty).is_err(), "bytes after the padding");
    }

    #[test]
    fn rpow_is_dss_rpow() {
        assert_eq!(rpow(RAY, 1_000_000, RAY), Some(RAY));
        assert_eq!(rpow(U256::from(2) * RAY, 10, RAY), Some(U256::from(1024) * RAY));
        assert_eq!(rpow(U256::ZERO, 0, RAY), Some(RAY));
        assert_eq!(rpow(U256::ZERO, 5, RAY), Some(U256::ZERO));
        // 1.5^3 = 3.375, exact in base 1000.
        assert_eq!(rpow(U256::from(1500), 3, U256::from(1000)), Some(U256::from(3375)));
        // Half up at each step, base 10: 1.5² = 2.25 is (15·15 + 5) / 10 = 23, i.e. 2.3.
        assert_eq!(rpow(U256::from(15), 2, U256::from(10)), Some(U256::from(23)));
        assert_eq!(rpow(U256::MAX, 2, RAY), None, "overflow reverts");
    }

    #[test]
    fn selectors_are_dss() {
        let sel = |b: Bytes| alloy_primitives::hex::encode(&b[..4]);
        assert_eq!(sel(vat_urns_calldata(B256::ZERO, Address::ZERO)), "2424be5c");
        assert_eq!(sel(vat_ilks_calldata(B256::ZERO)), "d9638d36");
        assert_eq!(sel(spotter_par_calldata()), "495d32cb");
        assert_eq!(sel(jug_base_calldata()), "5001f3b5");
    }
}
