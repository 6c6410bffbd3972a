//! The chains Ballast reads, with the public RPC endpoint each uses until the
//! user sets another, and where Aave V3's market on it starts.

use alloy_primitives::{address, Address};

/// Where the Aave V3 market addresses below were read.
const AAVE_ADDRESS_BOOK: &str = "npm @aave-dao/aave-address-book (AaveV3<Chain>.POOL_ADDRESSES_PROVIDER)";

/// A chain Ballast knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainInfo {
    pub chain_id: u64,
    pub name: &'static str,
    /// Used when the user has not set an endpoint of their own.
    pub default_rpc_url: &'static str,
    /// L2s behind a sequencer: Aave guards them with a PriceOracleSentinel.
    pub has_sequencer: bool,
    /// Aave V3's PoolAddressesProvider; everything else is read from it.
    pub aave_v3_addresses_provider: Option<Address>,
    pub aave_addresses_source: &'static str,
}

/// anvil's and Hardhat's default chain id.
pub const LOCAL_CHAIN_ID: u64 = 31_337;

pub const CHAINS: &[ChainInfo] = &[
    ChainInfo {
        chain_id: 1,
        name: "Ethereum",
        default_rpc_url: "https://ethereum-rpc.publicnode.com",
        has_sequencer: false,
        aave_v3_addresses_provider: Some(address!("2f39d218133AFaB8F2B819B1066c7E434Ad94E9e")),
        aave_addresses_source: AAVE_ADDRESS_BOOK,
    },
    ChainInfo {
        chain_id: 42_161,
        name: "Arbitrum One",
        default_rpc_url: "https://arb1.arbitrum.io/rpc",
        has_sequencer: true,
        aave_v3_addresses_provider: Some(address!("a97684ead0e402dC232d5A977953DF7ECBaB3CDb")),
        aave_addresses_source: AAVE_ADDRESS_BOOK,
    },
    ChainInfo {
        chain_id: 10,
        name: "Optimism",
        default_rpc_url: "https://mainnet.optimism.io",
        has_sequencer: true,
        aave_v3_addresses_provider: Some(address!("a97684ead0e402dC232d5A977953DF7ECBaB3CDb")),
        aave_addresses_source: AAVE_ADDRESS_BOOK,
    },
    ChainInfo {
        chain_id: 8_453,
        name: "Base",
        default_rpc_url: "https://mainnet.base.org",
        has_sequencer: true,
        aave_v3_addresses_provider: Some(address!("e20fCBdBfFC4Dd138cE8b2E6FBb6CB49777ad64D")),
        aave_addresses_source: "unverified: from memory of the Aave address book; check before relying on it",
    },
    ChainInfo {
        chain_id: 137,
        name: "Polygon",
        default_rpc_url: "https://polygon-rpc.com",
        has_sequencer: false,
        aave_v3_addresses_provider: Some(address!("a97684ead0e402dC232d5A977953DF7ECBaB3CDb")),
        aave_addresses_source: AAVE_ADDRESS_BOOK,
    },
    ChainInfo {
        chain_id: 43_114,
        name: "Avalanche C-Chain",
        default_rpc_url: "https://api.avax.network/ext/bc/C/rpc",
        has_sequencer: false,
        aave_v3_addresses_provider: Some(address!("a97684ead0e402dC232d5A977953DF7ECBaB3CDb")),
        aave_addresses_source: AAVE_ADDRESS_BOOK,
    },
    ChainInfo {
        chain_id: LOCAL_CHAIN_ID,
        name: "Local (anvil)",
        default_rpc_url: "http://127.0.0.1:8545",
        // A local fork may be of an L2; the settings say whether it has a sentinel.
        has_sequencer: false,
        aave_v3_addresses_provider: None,
        aave_addresses_source: "set in the settings: a local chain has whatever was deployed on it",
    },
];

/// The chain with this id, if Ballast knows it.
pub fn chain(chain_id: u64) -> Option<&'static ChainInfo> {
    CHAINS.iter().find(|c| c.chain_id == chain_id)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The L2 sequencer feeds in ballast-chain's table are for chains marked as having one.
    #[test]
    fn sequencer_feeds_exist_only_for_sequenced_chains() {
        for feed in ballast_chain::feeds::SEQUENCER_UPTIME_FEEDS {
            assert!(chain(feed.chain.chain_id()).is_some_and(|c| c.has_sequencer), "{:?}", feed.chain);
        }
    }
}
