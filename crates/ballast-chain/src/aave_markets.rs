//! The Aave V3 markets Ballast reads, per chain, generated from npm
//! `@aave-dao/aave-address-book` (version in [`ADDRESS_BOOK_VERSION`]) by
//! `scripts/update-aave-markets.mjs`: data with a source, not typed by hand.
//!
//! Listed: Ethereum (Core, Prime/Lido, EtherFi), Arbitrum, Optimism, Base,
//! Polygon and Avalanche. The address book gives no `PRICE_ORACLE_SENTINEL`
//! for any of them (it does for Metis and Soneium); an L2 market's sentinel is
//! read at run time with [`get_price_oracle_sentinel_calldata`] to the
//! PoolAddressesProvider, zero meaning none, then checked with
//! [`crate::chainlink`]'s sentinel and sequencer reads.

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::sol;

use crate::{calldata, decode_return, ReturnError};

mod table;

pub use table::{ADDRESS_BOOK_VERSION, MARKETS};

/// One Aave V3 market (one Pool) on one chain. Addresses are EIP-55 strings
/// exactly as the address book has them; the accessors parse them (the tests
/// parse every one with its checksum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AaveMarket {
    /// The address book's name for the market, e.g. `AaveV3EthereumLido`.
    pub key: &'static str,
    pub chain: &'static str,
    pub chain_id: u64,
    /// The market's name on its chain, e.g. `Core`, `Prime (Lido)`.
    pub name: &'static str,
    pub pool_addresses_provider: &'static str,
    pub pool: &'static str,
    /// AaveOracle.
    pub oracle: &'static str,
    /// UiPoolDataProviderV3 (the address book's current one, so the layout of
    /// the market's own revision).
    pub ui_pool_data_provider: &'static str,
    /// AaveProtocolDataProvider.
    pub pool_data_provider: &'static str,
    pub price_oracle_sentinel: Option<&'static str>,
}

/// A market's addresses, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarketAddresses {
    pub pool_addresses_provider: Address,
    pub pool: Address,
    pub oracle: Address,
    pub ui_pool_data_provider: Address,
    pub pool_data_provider: Address,
    pub price_oracle_sentinel: Option<Address>,
}

impl AaveMarket {
    /// The market's addresses. The table is generated and every entry is
    /// parsed with its checksum by the tests, so this cannot fail at run time.
    pub fn addresses(&self) -> MarketAddresses {
        MarketAddresses {
            pool_addresses_provider: parse(self.pool_addresses_provider),
            pool: parse(self.pool),
            oracle: parse(self.oracle),
            ui_pool_data_provider: parse(self.ui_pool_data_provider),
            pool_data_provider: parse(self.pool_data_provider),
            price_oracle_sentinel: self.price_oracle_sentinel.map(parse),
        }
    }

    /// `Ethereum Core`, `Arbitrum Main`: what a person reads.
    pub fn label(&self) -> String {
        format!("{} {}", self.chain, self.name)
    }
}

fn parse(checksummed: &'static str) -> Address {
    #[allow(clippy::expect_used)]
    Address::parse_checksummed(checksummed, None).expect("the generated table holds checksummed addresses")
}

/// The listed markets on a chain, in display order.
pub fn markets_on(chain_id: u64) -> impl Iterator<Item = &'static AaveMarket> {
    MARKETS.iter().filter(move |m| m.chain_id == chain_id)
}

/// The market with this address-book key.
pub fn market(key: &str) -> Option<&'static AaveMarket> {
    MARKETS.iter().find(|m| m.key == key)
}

sol! {
    /// The PoolAddressesProvider's reads (aave-v3-origin `IPoolAddressesProvider`).
    interface IPoolAddressesProvider {
        function getPool() external view returns (address);
        function getPriceOracle() external view returns (address);
        function getPriceOracleSentinel() external view returns (address);
    }
}

/// Calldata for `PoolAddressesProvider.getPriceOracleSentinel()`.
pub fn get_price_oracle_sentinel_calldata() -> Bytes {
    calldata(&IPoolAddressesProvider::getPriceOracleSentinelCall {})
}

/// Decodes `getPriceOracleSentinel()`: `None` for the zero address (no sentinel).
pub fn decode_price_oracle_sentinel(data: &[u8]) -> Result<Option<Address>, ReturnError> {
    let sentinel = decode_return::<IPoolAddressesProvider::getPriceOracleSentinelCall>(data)?;
    Ok((sentinel != Address::ZERO).then_some(sentinel))
}

/// Calldata for `PoolAddressesProvider.getPool()`, to check a table entry against the chain.
pub fn get_pool_calldata() -> Bytes {
    calldata(&IPoolAddressesProvider::getPoolCall {})
}

/// Decodes `getPool()`.
pub fn decode_pool(data: &[u8]) -> Result<Address, ReturnError> {
    decode_return::<IPoolAddressesProvider::getPoolCall>(data)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn all_addresses(m: &AaveMarket) -> Vec<&'static str> {
        let mut a = vec![m.pool_addresses_provider, m.pool, m.oracle, m.ui_pool_data_provider, m.pool_data_provider];
        a.extend(m.price_oracle_sentinel);
        a
    }

    #[test]
    fn every_address_is_checksummed() {
        for m in MARKETS {
            for a in all_addresses(m) {
                let parsed = Address::parse_checksummed(a, None);
                assert!(parsed.is_ok(), "{}: {a} is not an EIP-55 address", m.key);
                assert_ne!(parsed.ok(), Some(Address::ZERO), "{}", m.key);
            }
            let _ = m.addresses();
        }
    }

    #[test]
    fn chain_ids_are_the_chains() {
        let expected = [
            ("Ethereum", 1),
            ("Arbitrum", 42161),
            ("Optimism", 10),
            ("Base", 8453),
            ("Polygon", 137),
            ("Avalanche", 43114),
        ];
        for (chain, id) in expected {
            assert!(markets_on(id).count() >= 1, "no market on {chain}");
            assert!(markets_on(id).all(|m| m.chain == chain), "chain id {id} is not only {chain}");
        }
        assert!(MARKETS.iter().all(|m| expected.iter().any(|(c, id)| *c == m.chain && *id == m.chain_id)));
        assert_eq!(
            markets_on(1).map(|m| m.key).collect::<Vec<_>>(),
            ["AaveV3Ethereum", "AaveV3EthereumLido", "AaveV3EthereumEtherFi"]
        );
    }

    #[test]
    fn no_market_is_listed_twice() {
        let keys: HashSet<_> = MARKETS.iter().map(|m| m.key).collect();
        assert_eq!(keys.len(), MARKETS.len());
        // A Pool and a provider belong to one market per chain (Pools share an
        // address across chains, deployed from the same deployer nonce).
        let pools: HashSet<_> = MARKETS.iter().map(|m| (m.chain_id, m.pool)).collect();
        assert_eq!(pools.len(), MARKETS.len());
        let providers: HashSet<_> = MARKETS.iter().map(|m| (m.chain_id, m.pool_addresses_provider)).collect();
        assert_eq!(providers.len(), MARKETS.len());
        let labels: HashSet<_> = MARKETS.iter().map(AaveMarket::label).collect();
        assert_eq!(labels.len(), MARKETS.len());
    }

    #[test]
    fn the_main_ethereum_market_has_its_well_known_pool() {
        let core = market("AaveV3Ethereum").expect("listed");
        assert_eq!(core.addresses().pool, alloy_primitives::address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"));
        assert_eq!(core.label(), "Ethereum Core");
        assert!(market("AaveV2Ethereum").is_none());
        assert!(!ADDRESS_BOOK_VERSION.is_empty());
    }

    #[test]
    fn the_sentinel_read_maps_zero_to_none() {
        assert_eq!(alloy_primitives::hex::encode(&get_price_oracle_sentinel_calldata()[..4]), "5eb88d3d");
        assert_eq!(alloy_primitives::hex::encode(&get_pool_calldata()[..4]), "026b1d5f");
        assert_eq!(decode_price_oracle_sentinel(&[0u8; 32]), Ok(None));
        let mut word = [0u8; 32];
        word[31] = 0xaa;
        assert_eq!(decode_price_oracle_sentinel(&word), Ok(Some(Address::with_last_byte(0xaa))));
        assert!(decode_price_oracle_sentinel(&[]).is_err());
        assert!(decode_pool(&[0xffu8; 32]).is_err(), "dirty high bits of an address");
    }
}
