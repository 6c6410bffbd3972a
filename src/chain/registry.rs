//! The chains Ballast reads, with the public RPC endpoint each uses until the
//! user sets another, and which of ballast-chain's Aave V3 markets (generated
//! from npm `@aave-dao/aave-address-book`) is its main one.

use alloy_primitives::Address;
use ballast_chain::aave_markets::{self, AaveMarket};

/// A chain Ballast knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainInfo {
    pub chain_id: u64,
    pub name: &'static str,
    /// Used when the user has not set an endpoint of their own.
    pub default_rpc_url: &'static str,
    /// L2s behind a sequencer: Aave guards them with a PriceOracleSentinel.
    pub has_sequencer: bool,
    /// The address-book key of the chain's main Aave V3 market
    /// (`ballast_chain::aave_markets`); `None` where the user sets one.
    pub aave_v3_market_key: Option<&'static str>,
    /// The block explorer's base URL (a transaction is `{base}/tx/{hash}`); none for a local chain.
    pub explorer_url: Option<&'static str>,
}

impl ChainInfo {
    /// The chain's main Aave V3 market, from the generated address-book table.
    pub fn aave_v3_market(&self) -> Option<&'static AaveMarket> {
        self.aave_v3_market_key.and_then(aave_markets::market)
    }

    /// Aave V3's PoolAddressesProvider on this chain; everything else is read from it.
    pub fn aave_v3_addresses_provider(&self) -> Option<Address> {
        self.aave_v3_market().map(|m| m.addresses().pool_addresses_provider)
    }
}

/// anvil's and Hardhat's default chain id.
pub const LOCAL_CHAIN_ID: u64 = 31_337;

pub const CHAINS: &[ChainInfo] = &[
    ChainInfo {
        chain_id: 1,
        name: "Ethereum",
        default_rpc_url: "https://ethereum-rpc.publicnode.com",
        has_sequencer: false,
        aave_v3_market_key: Some("AaveV3Ethereum"),
        explorer_url: Some("https://etherscan.io"),
    },
    ChainInfo {
        chain_id: 42_161,
        name: "Arbitrum One",
        default_rpc_url: "https://arb1.arbitrum.io/rpc",
        has_sequencer: true,
        aave_v3_market_key: Some("AaveV3Arbitrum"),
        explorer_url: Some("https://arbiscan.io"),
    },
    ChainInfo {
        chain_id: 10,
        name: "Optimism",
        default_rpc_url: "https://mainnet.optimism.io",
        has_sequencer: true,
        aave_v3_market_key: Some("AaveV3Optimism"),
        explorer_url: Some("https://optimistic.etherscan.io"),
    },
    ChainInfo {
        chain_id: 8_453,
        name: "Base",
        default_rpc_url: "https://mainnet.base.org",
        has_sequencer: true,
        aave_v3_market_key: Some("AaveV3Base"),
        explorer_url: Some("https://basescan.org"),
    },
    ChainInfo {
        chain_id: 137,
        name: "Polygon",
        default_rpc_url: "https://polygon-rpc.com",
        has_sequencer: false,
        aave_v3_market_key: Some("AaveV3Polygon"),
        explorer_url: Some("https://polygonscan.com"),
    },
    ChainInfo {
        chain_id: 43_114,
        name: "Avalanche C-Chain",
        default_rpc_url: "https://api.avax.network/ext/bc/C/rpc",
        has_sequencer: false,
        aave_v3_market_key: Some("AaveV3Avalanche"),
        explorer_url: Some("https://snowtrace.io"),
    },
    ChainInfo {
        chain_id: LOCAL_CHAIN_ID,
        name: "Local (anvil)",
        default_rpc_url: "http://127.0.0.1:8545",
        // A local fork may be of an L2; the settings say whether it has a sentinel.
        has_sequencer: false,
        aave_v3_market_key: None,
        explorer_url: None,
    },
];

/// The chain with this id, if Ballast knows it.
pub fn chain(chain_id: u64) -> Option<&'static ChainInfo> {
    CHAINS.iter().find(|c| c.chain_id == chain_id)
}

/// The explorer's page for transaction `hash` on `chain_id`, where the chain has one.
pub fn tx_explorer_link(chain_id: u64, hash: &str) -> Option<String> {
    chain(chain_id)?.explorer_url.map(|base| format!("{base}/tx/{hash}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_links_to_its_chains_explorer_and_the_local_chain_to_none() {
        assert_eq!(tx_explorer_link(1, "0xab").as_deref(), Some("https://etherscan.io/tx/0xab"));
        assert_eq!(tx_explorer_link(8_453, "0xab").as_deref(), Some("https://basescan.org/tx/0xab"));
        assert_eq!(tx_explorer_link(LOCAL_CHAIN_ID, "0xab"), None);
        assert_eq!(tx_explorer_link(999_999, "0xab"), None);
        assert!(CHAINS.iter().filter(|c| c.chain_id != LOCAL_CHAIN_ID).all(|c| c.explorer_url.is_some()));
    }

    #[test]
    fn every_chain_is_listed_once_with_an_endpoint() {
        let ids: Vec<u64> = CHAINS.iter().map(|c| c.chain_id).collect();
        assert_eq!(ids, [1, 42_161, 10, 8_453, 137, 43_114, 31_337]);
        for c in CHAINS {
            let local = c.chain_id == LOCAL_CHAIN_ID;
            assert!(c.default_rpc_url.starts_with(if local { "http://127.0.0.1" } else { "https://" }), "{}", c.name);
        }
        assert_eq!(chain(8_453).map(|c| c.name), Some("Base"));
        assert!(chain(8_453).is_some_and(|c| c.has_sequencer));
        assert!(chain(1).is_some_and(|c| !c.has_sequencer));
        assert_eq!(chain(5), None);
    }

    /// Each chain's market is in the address-book table, on that same chain.
    #[test]
    fn every_chain_names_an_aave_market_of_its_own_from_the_address_book() {
        for c in CHAINS {
            match c.aave_v3_market_key {
                Some(key) => {
                    let market = c.aave_v3_market().unwrap_or_else(|| panic!("{key} is not in the table"));
                    assert_eq!(market.chain_id, c.chain_id, "{key}");
                }
                None => assert_eq!(c.chain_id, LOCAL_CHAIN_ID),
            }
        }
        let base = chain(8_453).and_then(ChainInfo::aave_v3_addresses_provider);
        assert_eq!(base.map(|a| a.to_checksum(None)).as_deref(), Some("0xe20fCBdBfFC4Dd138cE8b2E6FBb6CB49777ad64D"));
    }

    /// The L2 sequencer feeds in ballast-chain's table are for chains marked as having one.
    #[test]
    fn sequencer_feeds_exist_only_for_sequenced_chains() {
        for feed in ballast_chain::feeds::SEQUENCER_UPTIME_FEEDS {
            assert!(chain(feed.chain.chain_id()).is_some_and(|c| c.has_sequencer), "{:?}", feed.chain);
        }
    }
}
