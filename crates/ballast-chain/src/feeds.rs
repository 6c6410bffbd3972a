//! What is not on chain: each known feed's heartbeat and deviation threshold,
//! the L2 sequencer-uptime feeds and Pyth feed ids, each figure with where it
//! was read. A figure that could not be confirmed from a public source says so.
//!
//! Chainlink changes these parameters from time to time (USDC / USD on
//! Ethereum went from 86400 s to 82800 s): the table is a default to check
//! against data.chain.link, not a promise.

use alloy_primitives::{address, b256, Address, B256};

use crate::pyth::FeedId;

/// Chainlink's own data behind docs.chain.link's Ethereum page: the
/// `heartbeat`, `threshold` (percent) and `decimals` of each proxy.
const CHAINLINK_ETHEREUM_DATA: &str = "smartcontractkit/documentation, public/files/json/feeds-mainnet.json \
     at commit 211224bb5baf2fd712ea61b8a46987c11cbfff9b";

/// Chainlink's page listing the sequencer-uptime proxies.
const CHAINLINK_SEQUENCER_PAGE: &str = "smartcontractkit/documentation, src/content/data-feeds/l2-sequencer-feeds.mdx \
     at commit 1dd940b5999f5973314ba15b8f1e31c7e9f6aa48 (docs.chain.link/data-feeds/l2-sequencer-feeds)";

/// Pyth's push-feed list for HyperEVM, which names each id's pair.
const PYTH_DOCS_DATA: &str =
    "pyth-network/documentation, pages/price-feeds/core/push-feeds/data/evm/hyperevm_mainnet.json \
     at commit 053eebc5daac23c4ab1014d84fe5c12ba2710ec9";

/// A figure and how far it can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sourced<T> {
    /// Read from the cited public source.
    Verified { value: T, source: &'static str },
    /// Not confirmed from a public source: the value seen (if any) and why it is doubtful.
    Unverified { value: Option<T>, note: &'static str },
}

impl<T: Copy> Sourced<T> {
    /// The value only when it was confirmed.
    pub fn verified(&self) -> Option<T> {
        match self {
            Self::Verified { value, .. } => Some(*value),
            Self::Unverified { .. } => None,
        }
    }

    pub fn is_verified(&self) -> bool {
        matches!(self, Self::Verified { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chain {
    Ethereum,
    Arbitrum,
    Optimism,
    Base,
}

impl Chain {
    pub fn chain_id(self) -> u64 {
        match self {
            Self::Ethereum => 1,
            Self::Optimism => 10,
            Self::Base => 8453,
            Self::Arbitrum => 42161,
        }
    }

    pub fn from_chain_id(id: u64) -> Option<Self> {
        [Self::Ethereum, Self::Arbitrum, Self::Optimism, Self::Base].into_iter().find(|c| c.chain_id() == id)
    }
}

/// A Chainlink price feed: its proxy and the off-chain parameters that say
/// when it must update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainlinkFeed {
    pub chain: Chain,
    /// As Chainlink writes it, e.g. "ETH / USD".
    pub pair: &'static str,
    pub proxy: Address,
    pub decimals: Sourced<u8>,
    /// A new round is written at least this often.
    pub heartbeat_secs: Sourced<u64>,
    /// …or when the price moves more than this, in basis points (50 = 0.5 %).
    pub deviation_threshold_bps: Sourced<u32>,
}

const fn verified<T>(value: T) -> Sourced<T> {
    Sourced::Verified { value, source: CHAINLINK_ETHEREUM_DATA }
}

const L2_PARAMETERS_UNVERIFIED: &str = "not in any Chainlink data read for this table; \
     check data.chain.link before relying on it";

pub const CHAINLINK_FEEDS: &[ChainlinkFeed] = &[
    ChainlinkFeed {
        chain: Chain::Ethereum,
        pair: "ETH / USD",
        proxy: address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"),
        decimals: verified(8),
        heartbeat_secs: verified(3600),
        deviation_threshold_bps: verified(50),
    },
    ChainlinkFeed {
        chain: Chain::Ethereum,
        pair: "BTC / USD",
        proxy: address!("F4030086522a5bEEa4988F8cA5B36dbC97BeE88c"),
        decimals: verified(8),
        heartbeat_secs: verified(3600),
        deviation_threshold_bps: verified(50),
    },
    ChainlinkFeed {
        chain: Chain::Ethereum,
        pair: "USDC / USD",
        proxy: address!("8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"),
        decimals: verified(8),
        // 23 hours, not the 24 that audits of older code quote.
        heartbeat_secs: verified(82_800),
        deviation_threshold_bps: verified(25),
    },
    ChainlinkFeed {
        chain: Chain::Ethereum,
        pair: "DAI / USD",
        proxy: address!("Aed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9"),
        decimals: verified(8),
        heartbeat_secs: verified(3600),
        deviation_threshold_bps: verified(25),
    },
    ChainlinkFeed {
        chain: Chain::Ethereum,
        pair: "USDT / USD",
        proxy: address!("3E7d1eAB13ad0104d2750B8863b489D65364e32D"),
        decimals: verified(8),
        heartbeat_secs: verified(86_400),
        deviation_threshold_bps: verified(25),
    },
    ChainlinkFeed {
        chain: Chain::Ethereum,
        pair: "LINK / USD",
        proxy: address!("2c1d072e956AFFC0D435Cb7AC38EF18d24d9127c"),
        decimals: verified(8),
        heartbeat_secs: verified(3600),
        deviation_threshold_bps: verified(50),
    },
    ChainlinkFeed {
        chain: Chain::Arbitrum,
        pair: "ETH / USD",
        proxy: address!("639Fe6ab55C921f74e7fac1ee960C0B6293ba612"),
        decimals: Sourced::Unverified {
            value: Some(8),
            note: "8 in a third-party fork test on Arbitrum One; not in Chainlink data read for this table",
        },
        heartbeat_secs: Sourced::Unverified {
            value: None,
            note: "secondary sources disagree: ~24 h and 1 h in one 2024 audit thread, \
                   1,755 s in a 2026 project citing Chainlink's reference data",
        },
        deviation_threshold_bps: Sourced::Unverified {
            value: Some(5),
            note: "0.05 % in an Aave docs table of Arbitrum feeds; not confirmed from Chainlink data",
        },
    },
    ChainlinkFeed {
        chain: Chain::Base,
        pair: "ETH / USD",
        proxy: address!("71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70"),
        decimals: Sourced::Unverified { value: Some(8), note: L2_PARAMETERS_UNVERIFIED },
        heartbeat_secs: Sourced::Unverified { value: None, note: L2_PARAMETERS_UNVERIFIED },
        deviation_threshold_bps: Sourced::Unverified { value: None, note: L2_PARAMETERS_UNVERIFIED },
    },
];

/// The known feed at `proxy` on `chain`.
pub fn chainlink_feed(chain: Chain, proxy: Address) -> Option<&'static ChainlinkFeed> {
    CHAINLINK_FEEDS.iter().find(|f| f.chain == chain && f.proxy == proxy)
}

/// A Chainlink L2 sequencer-uptime feed (answer 0 up, 1 down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequencerUptimeFeed {
    pub chain: Chain,
    pub proxy: Address,
    pub source: &'static str,
}

pub const SEQUENCER_UPTIME_FEEDS: &[SequencerUptimeFeed] = &[
    SequencerUptimeFeed {
        chain: Chain::Arbitrum,
        proxy: address!("FdB631F5EE196F0ed6FAa767959853A9F217697D"),
        source: CHAINLINK_SEQUENCER_PAGE,
    },
    SequencerUptimeFeed {
        chain: Chain::Optimism,
        proxy: address!("371EAD81c9102C9BF4874A9075FFFf170F2Ee389"),
        source: CHAINLINK_SEQUENCER_PAGE,
    },
    SequencerUptimeFeed {
        chain: Chain::Base,
        proxy: address!("BCF85224fc0756B9Fa45aA7892530B47e10b6433"),
        source: CHAINLINK_SEQUENCER_PAGE,
    },
];

pub fn sequencer_uptime_feed(chain: Chain) -> Option<&'static SequencerUptimeFeed> {
    SEQUENCER_UPTIME_FEEDS.iter().find(|f| f.chain == chain)
}

/// A Pyth price feed; the same id on every chain and on Hermes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PythFeed {
    pub pair: &'static str,
    pub id: Sourced<B256>,
}

impl PythFeed {
    /// The id, confirmed or not; the caller decides whether an unverified one will do.
    pub fn feed_id(&self) -> Option<FeedId> {
        match self.id {
            Sourced::Verified { value, .. } | Sourced::Unverified { value: Some(value), .. } => Some(FeedId(value)),
            Sourced::Unverified { value: None, .. } => None,
        }
    }
}

const PYTH_SECONDARY_ONLY: &str = "not in the Pyth docs data read for this table; \
     the same id appears in several unrelated projects' Pyth integrations";

pub const PYTH_FEEDS: &[PythFeed] = &[
    PythFeed {
        pair: "ETH/USD",
        id: Sourced::Verified {
            value: b256!("ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"),
            source: PYTH_DOCS_DATA,
        },
    },
    PythFeed {
        pair: "BTC/USD",
        id: Sourced::Verified {
            value: b256!("e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43"),
            source: PYTH_DOCS_DATA,
        },
    },
    PythFeed {
        pair: "USDC/USD",
        id: Sourced::Verified {
            value: b256!("eaa020c61cc479712813461ce153894a96a6c00b21ed0cfc2798d1f9a9e9c94a"),
            source: PYTH_DOCS_DATA,
        },
    },
    PythFeed {
        pair: "USDT/USD",
        id: Sourced::Verified {
            value: b256!("2b89b9dc8fdf9f34709a5b106b472f0f39bb6ca9ce04b0fd7f2e971688e2e53b"),
            source: PYTH_DOCS_DATA,
        },
    },
    PythFeed {
        pair: "DAI/USD",
        id: Sourced::Unverified {
            value: Some(b256!("b0948a5e5313200c632b51bb5ca32f6de0d36e9950a942d19751e833f70dabfd")),
            note: PYTH_SECONDARY_ONLY,
        },
    },
    PythFeed {
        pair: "LINK/USD",
        id: Sourced::Unverified {
            value: Some(b256!("8ac0c70fff57e9aefdf5edf44b51d62c2d433653cbb2cf5cc06bb115af04d221")),
            note: PYTH_SECONDARY_ONLY,
        },
    },
];

/// The Pyth feed for `pair`, written as Pyth does ("ETH/USD").
pub fn pyth_feed(pair: &str) -> Option<&'static PythFeed> {
    PYTH_FEEDS.iter().find(|f| f.pair.eq_ignore_ascii_case(pair))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn lookups_find_the_published_parameters() {
        let eth = chainlink_feed(Chain::Ethereum, address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419")).unwrap();
        assert_eq!((eth.heartbeat_secs.verified(), eth.deviation_threshold_bps.verified()), (Some(3600), Some(50)));
        let usdc = chainlink_feed(Chain::Ethereum, address!("8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6")).unwrap();
        assert_eq!(usdc.heartbeat_secs.verified(), Some(82_800));
        // The same proxy address on another chain is not the same feed.
        assert!(chainlink_feed(Chain::Base, eth.proxy).is_none());
        assert_eq!(
            sequencer_uptime_feed(Chain::Base).unwrap().proxy,
            address!("BCF85224fc0756B9Fa45aA7892530B47e10b6433")
        );
        assert!(sequencer_uptime_feed(Chain::Ethereum).is_none());
        assert_eq!(Chain::from_chain_id(42161), Some(Chain::Arbitrum));
        assert_eq!(Chain::from_chain_id(137), None);
    }

    #[test]
    fn l2_parameters_are_marked_unverified() {
        for feed in CHAINLINK_FEEDS.iter().filter(|f| f.chain != Chain::Ethereum) {
            assert!(!feed.heartbeat_secs.is_verified(), "{} on {:?}", feed.pair, feed.chain);
            assert_eq!(feed.heartbeat_secs.verified(), None);
        }
        for feed in CHAINLINK_FEEDS.iter().filter(|f| f.chain == Chain::Ethereum) {
            assert!(feed.heartbeat_secs.is_verified() && feed.deviation_threshold_bps.is_verified());
        }
    }

    #[test]
    fn entries_are_unique() {
        let feeds: HashSet<_> = CHAINLINK_FEEDS.iter().map(|f| (f.chain, f.proxy)).collect();
        assert_eq!(feeds.len(), CHAINLINK_FEEDS.len());
        let ids: HashSet<_> = PYTH_FEEDS.iter().filter_map(PythFeed::feed_id).collect();
        assert_eq!(ids.len(), PYTH_FEEDS.len());
    }

    #[test]
    fn pyth_ids_match_hermes_form() {
        let eth = pyth_feed("eth/usd").and_then(PythFeed::feed_id).unwrap();
        assert_eq!(eth, "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace".parse().unwrap());
        assert!(!pyth_feed("DAI/USD").unwrap().id.is_verified());
    }
}
