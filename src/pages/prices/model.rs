//! The Prices page's state, apart from its view: each reserve's last good
//! reading, the fault that hides a newer one, and the badge a price gets at
//! any moment (ages keep running between refreshes).

use alloy_primitives::Address;
use ballast_chain::aave_prices::{FeedReading, MarketOracles, Refresh, SequencerReading, SourceKind};
use ballast_chain::chainlink::SentinelGate;
use ballast_chain::decimal::Decimal;
use ballast_chain::feeds::{self, Chain, Sourced};
use ballast_chain::jsonrpc::BlockHeader;
use ballast_chain::price_status::{
    deviation, pyth_status, stale_after, Clock, Deviation, PriceStatus, PYTH_DEFAULT_MAX_AGE_SECS,
};
use ballast_chain::pyth::{FeedId, PythPrice};

use crate::chain::settings::ChainSettings;

use crate::data_source::{human_duration, node_behind};

/// A heartbeat and whom it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat {
    pub secs: Option<u64>,
    /// "Chainlink data", "unverified: …", "set in your settings" or why it is unknown.
    pub source: String,
    pub verified: bool,
}

/// The heartbeat of a reserve's source: Chainlink's published figure for a
/// known feed, else the user's, else unknown (and the price is never fresh).
pub fn heartbeat_for(chain_id: u64, source: Address, symbol: &str, settings: &ChainSettings) -> Heartbeat {
    let known = Chain::from_chain_id(chain_id).and_then(|chain| feeds::chainlink_feed(chain, source));
    match known.map(|f| f.heartbeat_secs) {
        Some(Sourced::Verified { value, .. }) => {
            Heartbeat { secs: Some(value), source: "Chainlink data".into(), verified: true }
        }
        Some(Sourced::Unverified { value: Some(value), note }) => {
            Heartbeat { secs: Some(value), source: format!("unverified: {note}"), verified: false }
        }
        _ => match settings.heartbeats.get(symbol) {
            Some(&secs) => Heartbeat { secs: Some(secs), source: "set in your settings".into(), verified: false },
            None => Heartbeat { secs: None, source: "not in Ballast's table".into(), verified: false },
        },
    }
}

/// The deviation threshold (basis points) of a reserve's source, like [`heartbeat_for`].
pub fn deviation_bps_for(
    chain_id: u64,
    source: Address,
    symbol: &str,
    settings: &ChainSettings,
) -> Option<(u32, bool)> {
    let known = Chain::from_chain_id(chain_id).and_then(|chain| feeds::chainlink_feed(chain, source));
    match known.map(|f| f.deviation_threshold_bps) {
        Some(Sourced::Verified { value, .. }) => Some((value, true)),
        Some(Sourced::Unverified { value: Some(value), .. }) => Some((value, false)),
        _ => settings.deviation_bps.get(symbol).map(|&bps| (bps, false)),
    }
}

/// A reading and when it arrived (wall clock, ms since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    pub value: T,
    pub read_at_ms: u64,
}

/// One reserve on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    pub symbol: String,
    pub source: Address,
    pub description: String,
    pub adapter: bool,
    pub heartbeat: Heartbeat,
    /// AaveOracle's price, last read.
    pub aave_price: Option<Result<Decimal, String>>,
    /// The last good reading of the source.
    pub last_good: Option<Dated<FeedReading>>,
    /// Why the latest refresh did not replace it.
    pub fault: Option<String>,
    /// The Pyth feed for this reserve, when one is known.
    pub pyth_id: Option<FeedId>,
    /// Pyth's last good price, and why the latest Hermes read did not replace it.
    pub pyth: Option<Dated<PythPrice>>,
    pub pyth_fault: Option<String>,
    /// The deviation threshold (basis points) and whether it is Chainlink's published one.
    pub deviation_bps: Option<(u32, bool)>,
}

/// The whole board: the market's rows, the block and the sequencer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Board {
    pub rows: Vec<PriceRow>,
    pub block: Option<Dated<BlockHeader>>,
    pub block_fault: Option<String>,
    pub sequencer: Option<Result<Dated<SequencerReading>, String>>,
    /// Refreshes applied, for the page (and its tests) to tell one from the next.
    pub refreshes: u64,
    /// Hermes reads applied.
    pub pyth_reads: u64,
    /// The chain read, for [`node_behind`] (the local development chain keeps its own clock).
    pub chain_id: u64,
}

/// Why no price of a board is live, whatever its age at the latest block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotLive {
    /// The L2's sequencer is down: no new rounds can land, and Chainlink's own guidance is not to
    /// use its prices.
    SequencerDown,
    /// The sequencer is back but its grace period runs: prices may still be catching up, and Aave
    /// refuses borrows and liquidations until it ends.
    SequencerGracePeriod,
    /// The sequencer's status could not be read, so it may be down.
    SequencerUnknown,
    /// The latest block is this far behind the wall clock: a stalled node, or a chain that makes
    /// no blocks. Ages measured at that block understate how old the prices are now.
    NodeBehind { lag_secs: u64 },
}

impl Board {
    /// Rows for a freshly discovered market, nothing read yet.
    pub fn new(chain_id: u64, market: &MarketOracles, settings: &ChainSettings) -> Self {
        let rows = market
            .reserves
            .iter()
            .map(|r| PriceRow {
                symbol: r.symbol.clone(),
                source: r.source,
                description: r.description.clone(),
                adapter: matches!(r.kind, SourceKind::AnswerOnly { .. }),
                heartbeat: heartbeat_for(chain_id, r.source, &r.symbol, settings),
                aave_price: None,
                last_good: None,
                fault: None,
                pyth_id: pyth_id_for(&r.symbol, &r.description, settings),
                pyth: None,
                pyth_fault: None,
                deviation_bps: deviation_bps_for(chain_id, r.source, &r.symbol, settings),
            })
            .collect();
        Self { rows, chain_id, ..Self::default() }
    }

    /// Why the board's prices are not live at `now_ms`, if they are not.
    pub fn not_live(&self) -> Option<NotLive> {
        match &self.sequencer {
            Some(Ok(reading)) => match reading.value.gate {
                SentinelGate::SequencerDown { .. } => return Some(NotLive::SequencerDown),
                SentinelGate::GracePeriod { .. } => return Some(NotLive::SequencerGracePeriod),
                SentinelGate::Open => {}
            },
            Some(Err(_)) => return Some(NotLive::SequencerUnknown),
            None => {}
        }
        // How far behind the block was when it was read: between refreshes the read itself ages, and
        // each price's age runs on with it (a long poll is not a stalled node).
        let block = self.block.as_ref()?;
        node_behind(self.chain_id, block.value.timestamp, block.read_at_ms as f64)
            .map(|lag_secs| NotLive::NodeBehind { lag_secs })
    }

    /// `row`'s badge at `now_ms`, where a price that is fresh by its age is not called fresh when the
    /// board's prices are not live (a stalled node's prices look young at its old block).
    pub fn badge(&self, row: &PriceRow, now_ms: u64) -> Badge {
        let badge = row.badge(now_ms);
        if badge.kind != "fresh" {
            return badge;
        }
        let age = human_duration(badge.age_secs.unwrap_or_default());
        let (kind, text) = match self.not_live() {
            None => return badge,
            Some(NotLive::SequencerDown) => {
                ("sequencer-down", format!("not usable: the sequencer is down ({age} old at the latest block)"))
            }
            Some(NotLive::SequencerGracePeriod) => (
                "sequencer-grace",
                format!("not usable yet: the sequencer's grace period is running ({age} old at the latest block)"),
            ),
            Some(NotLive::SequencerUnknown) => (
                "sequencer-unknown",
                format!("not known to be live: the sequencer's status could not be read ({age} old at the latest block)"),
            ),
            Some(NotLive::NodeBehind { lag_secs }) => (
                "node-behind",
                format!(
                    "not known to be live: {age} old at the node's latest block, which was {} behind your clock when read",
                    human_duration(lag_secs)
                ),
            ),
        };
        Badge { kind, text, ..badge }
    }

    /// Applies a refresh: good readings replace the old, a failed one keeps
    /// the last good value beside the fault. A refresh that failed whole
    /// (`Err`) faults every row.
    pub fn apply(&mut self, refresh: Result<Refresh, String>, now_ms: u64) {
        self.refreshes += 1;
        let refresh = match refresh {
            Ok(refresh) => refresh,
            Err(fault) => {
                for row in &mut self.rows {
                    row.fault = Some(fault.clone());
                }
                self.block_fault = Some(fault.clone());
                if self.sequencer.is_some() {
                    self.sequencer = Some(Err(fault));
                }
                return;
            }
        };
        match refresh.block {
            Ok(block) => {
                self.block = Some(Dated { value: block, read_at_ms: now_ms });
                self.block_fault = None;
            }
            Err(fault) => self.block_fault = Some(fault),
        }
        for (row, reading) in self.rows.iter_mut().zip(refresh.reserves) {
            row.aave_price = Some(reading.aave_price);
            match reading.feed {
                Ok(feed) => {
                    row.last_good = Some(Dated { value: feed, read_at_ms: now_ms });
                    row.fault = None;
                }
                Err(fault) => row.fault = Some(fault),
            }
        }
        self.sequencer = refresh.sequencer.map(|s| s.map(|value| Dated { value, read_at_ms: now_ms }));
    }
}

impl Board {
    /// The Pyth ids to ask Hermes for: each once, in row order.
    pub fn pyth_ids(&self) -> Vec<FeedId> {
        let mut ids: Vec<FeedId> = Vec::new();
        for id in self.rows.iter().filter_map(|r| r.pyth_id) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Applies a Hermes answer for [`Board::pyth_ids`]: a failed read keeps
    /// each row's last good Pyth price beside the fault.
    pub fn apply_pyth(&mut self, prices: Result<Vec<PythPrice>, String>, now_ms: u64) {
        self.pyth_reads += 1;
        for row in self.rows.iter_mut().filter(|r| r.pyth_id.is_some()) {
            match &prices {
                Ok(prices) => match prices.iter().find(|p| Some(p.id) == row.pyth_id) {
                    Some(price) => {
                        row.pyth = Some(Dated { value: price.clone(), read_at_ms: now_ms });
                        row.pyth_fault = None;
                    }
                    None => row.pyth_fault = Some("Hermes sent no price for this feed".into()),
                },
                Err(fault) => row.pyth_fault = Some(fault.clone()),
            }
        }
    }
}

/// The Pyth feed of a reserve: the user's id for its symbol, else the
/// built-in id of its Chainlink feed's pair ("ETH / USD" → "ETH/USD").
pub fn pyth_id_for(symbol: &str, description: &str, settings: &ChainSettings) -> Option<FeedId> {
    match settings.pyth_feed_id(symbol) {
        Some(id) => id.ok(),
        None => feeds::pyth_feed(&description.replace(' ', "")).and_then(feeds::PythFeed::feed_id),
    }
}

/// What the Pyth cell of a row shows at `now_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythView {
    pub price: Decimal,
    pub confidence: Decimal,
    pub badge: Badge,
    /// Deviation from the Chainlink price in %, and whether it is above the threshold.
    pub deviation: Option<Result<Deviation, String>>,
    pub threshold_percent: Decimal,
}

/// Used when a feed's own deviation threshold is not known: 1 %.
pub const DEFAULT_DEVIATION_BPS: u32 = 100;

impl PriceRow {
    pub fn pyth_view(&self, now_ms: u64) -> Option<PythView> {
        let good = self.pyth.as_ref()?;
        let price = &good.value;
        let now_unix = now_ms / 1000;
        let badge = if self.pyth_fault.is_some() {
            let age = now_unix.saturating_sub(u64::try_from(price.publish_time).unwrap_or(0));
            Badge {
                kind: "stale",
                text: format!("stale: last good value, {} old", human_duration(age)),
                age_secs: Some(age),
            }
        } else {
            status_badge(
                &pyth_status(&price.price, price.publish_time, now_unix, PYTH_DEFAULT_MAX_AGE_SECS),
                PYTH_DEFAULT_MAX_AGE_SECS,
            )
        };
        let threshold_percent = Decimal::from_bps(self.deviation_bps.map_or(DEFAULT_DEVIATION_BPS, |(bps, _)| bps));
        let deviation = self
            .last_good
            .as_ref()
            .filter(|g| {
                matches!(
                    g.value.status,
                    PriceStatus::Fresh(_)
                        | PriceStatus::Stale { .. }
                        | PriceStatus::HeartbeatUnknown(_)
                        | PriceStatus::AgeUnknown
                )
            })
            .map(|g| deviation(&g.value.price, &price.price, &threshold_percent).map_err(|e| e.to_string()));
        Some(PythView { price: price.price, confidence: price.confidence, badge, deviation, threshold_percent })
    }
}

fn status_badge(status: &PriceStatus, limit: u64) -> Badge {
    match status {
        PriceStatus::Fresh(age) => {
            Badge { kind: "fresh", text: format!("fresh: {} old", human_duration(age.secs)), age_secs: Some(age.secs) }
        }
        PriceStatus::Stale { age, .. } => Badge {
            kind: "stale",
            text: format!("stale: {} old, past {limit} s", human_duration(age.secs)),
            age_secs: Some(age.secs),
        },
        PriceStatus::Invalid(why) => Badge { kind: "invalid", text: format!("invalid: {why}"), age_secs: None },
        _ => Badge { kind: "no-data", text: "not judged".into(), age_secs: None },
    }
}

/// What a price's badge says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// fresh, stale, invalid, age-unknown, heartbeat-unknown, snapshot, what-if, no-data; and, for a
    /// price fresh by its age on a board that is not live ([`Board::badge`]), node-behind,
    /// sequencer-down, sequencer-grace, sequencer-unknown.
    pub kind: &'static str,
    pub text: String,
    /// The price's age now, when known.
    pub age_secs: Option<u64>,
}

fn elapsed_secs(read_at_ms: u64, now_ms: u64) -> u64 {
    now_ms.saturating_sub(read_at_ms) / 1000
}

impl PriceRow {
    /// The badge at `now_ms`: the reading's status with its age run on to
    /// now, re-judged against the heartbeat, so a price left unrefreshed goes
    /// stale on screen on time. A fault over a last good value is stale.
    pub fn badge(&self, now_ms: u64) -> Badge {
        let Some(good) = &self.last_good else {
            return Badge { kind: "no-data", text: "no price".into(), age_secs: None };
        };
        let elapsed = elapsed_secs(good.read_at_ms, now_ms);
        let status = &good.value.status;
        let aged = |secs: u64| secs.saturating_add(elapsed);
        if self.fault.is_some() {
            let age = match status {
                PriceStatus::Fresh(a) | PriceStatus::HeartbeatUnknown(a) => Some(aged(a.secs)),
                PriceStatus::Stale { age, .. } => Some(aged(age.secs)),
                _ => None,
            };
            let text = match age {
                Some(age) => format!("stale: last good value, {} old", human_duration(age)),
                None => format!("stale: last good value, read {} ago", human_duration(elapsed)),
            };
            return Badge { kind: "stale", text, age_secs: age };
        }
        match status {
            PriceStatus::Fresh(age) | PriceStatus::Stale { age, .. } => {
                let now = aged(age.secs);
                let limit = self.heartbeat.secs.map(stale_after).unwrap_or(0);
                if now > limit {
                    Badge {
                        kind: "stale",
                        text: format!("stale: {} old, past {} s", human_duration(now), limit),
                        age_secs: Some(now),
                    }
                } else {
                    Badge { kind: "fresh", text: format!("fresh: {} old", human_duration(now)), age_secs: Some(now) }
                }
            }
            PriceStatus::HeartbeatUnknown(age) => Badge {
                kind: "heartbeat-unknown",
                text: format!("{} old; heartbeat unknown, so not judged fresh", human_duration(aged(age.secs))),
                age_secs: Some(aged(age.secs)),
            },
            PriceStatus::Invalid(why) => Badge { kind: "invalid", text: format!("invalid: {why}"), age_secs: None },
            PriceStatus::AgeUnknown => {
                Badge { kind: "age-unknown", text: "age unknown: this source has no round data".into(), age_secs: None }
            }
            PriceStatus::Snapshot { taken_at } => {
                Badge { kind: "snapshot", text: format!("snapshot of {taken_at}"), age_secs: None }
            }
            PriceStatus::WhatIf => Badge { kind: "what-if", text: "what-if: a price you set".into(), age_secs: None },
        }
    }
}

/// How far the latest block trails the wall clock now (negative: ahead of it).
pub fn block_lag_secs(block: &Dated<BlockHeader>, now_ms: u64) -> i64 {
    let now_secs = i64::try_from(now_ms / 1000).unwrap_or(i64::MAX);
    now_secs.saturating_sub(i64::try_from(block.value.timestamp).unwrap_or(i64::MAX))
}

/// Whether a reading's age was measured on the chain's clock.
pub fn measured_on_chain(reading: &FeedReading) -> bool {
    matches!(
        reading.status,
        PriceStatus::Fresh(a) | PriceStatus::Stale { age: a, .. } | PriceStatus::HeartbeatUnknown(a)
            if matches!(a.clock, Clock::LatestBlock { .. })
    )
}

/// The circuit-breaker banner, if one is up, at `now_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// sequencer-down, grace-period.
    pub kind: &'static str,
    pub text: String,
}

pub fn sequencer_banner(reading: &Dated<SequencerReading>, now_ms: u64) -> Option<Banner> {
    match reading.value.gate {
        SentinelGate::Open => None,
        SentinelGate::SequencerDown { .. } => Some(Banner {
            kind: "sequencer-down",
            text: "Sequencer down: Aave refuses borrows and liquidations until it is back and the grace period has passed."
                .into(),
        }),
        SentinelGate::GracePeriod { remaining_secs } => {
            let left = remaining_secs.saturating_sub(elapsed_secs(reading.read_at_ms, now_ms));
            Some(Banner {
                kind: "grace-period",
                text: format!(
                    "Sequencer back up: borrows and liquidations paused — grace period ends in {}.",
                    human_duration(left)
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, B256, I256, U256};
    use ballast_chain::chainlink::{RoundData, SequencerStatus};
    use ballast_chain::price_status::{Invalid, PriceAge};

    const ETH_USD: Address = address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419");

    fn reading(status: PriceStatus) -> FeedReading {
        let round = RoundData {
            round_id: 1,
            answer: I256::ONE,
            started_at: U256::ZERO,
            updated_at: U256::from(1),
            answered_in_round: 1,
        };
        FeedReading { price: "3000".parse().unwrap(), round: Some(round), status, underlying: None }
    }

    fn row(status: PriceStatus, heartbeat: Option<u64>) -> PriceRow {
        PriceRow {
            symbol: "WETH".into(),
            source: ETH_USD,
            description: "ETH / USD".into(),
            adapter: false,
            heartbeat: Heartbeat { secs: heartbeat, source: "test".into(), verified: true },
            aave_price: None,
            last_good: Some(Dated { value: reading(status), read_at_ms: 1_000_000 }),
            fault: None,
            pyth_id: None,
            pyth: None,
            pyth_fault: None,
            deviation_bps: Some((50, true)),
        }
    }

    fn fresh(secs: u64) -> PriceStatus {
        PriceStatus::Fresh(PriceAge { secs, clock: Clock::LatestBlock { lag_secs: 0 } })
    }

    #[test]
    fn heartbeats_come_from_the_table_then_the_user() {
        let mut settings = ChainSettings::default();
        let eth = heartbeat_for(1, ETH_USD, "WETH", &settings);
        assert_eq!((eth.secs, eth.verified, eth.source.as_str()), (Some(3600), true, "Chainlink data"));
        let local = heartbeat_for(31_337, ETH_USD, "WETH", &settings);
        assert_eq!(local.secs, None);
        settings.heartbeats.insert("WETH".into(), 3600);
        let set = heartbeat_for(31_337, ETH_USD, "WETH", &settings);
        assert_eq!((set.secs, set.verified), (Some(3600), false));
        assert_eq!(deviation_bps_for(1, ETH_USD, "WETH", &settings), Some((50, true)));
    }

    #[test]
    fn a_fresh_price_goes_stale_on_screen_without_a_refresh() {
        let row = row(fresh(3700), Some(3600));
        assert_eq!(row.badge(1_000_000).kind, "fresh");
        assert_eq!(row.badge(1_080_999).age_secs, Some(3780));
        assert_eq!(row.badge(1_080_999).kind, "fresh");
        let later = row.badge(1_081_000);
        assert_eq!((later.kind, later.age_secs), ("stale", Some(3781)));
        assert_eq!(later.text, "stale: 1 h 3 min old, past 3780 s");
    }

    #[test]
    fn a_fault_keeps_the_last_value_marked_stale_with_its_age() {
        let mut board = Board { rows: vec![row(fresh(30), Some(3600))], ..Board::default() };
        board.apply(Err("rpc.example did not answer within 8 s".into()), 1_010_000);
        let row = &board.rows[0];
        assert_eq!(row.last_good.as_ref().unwrap().value.price.to_string(), "3000");
        assert_eq!(row.fault.as_deref(), Some("rpc.example did not answer within 8 s"));
        let badge = row.badge(1_010_000);
        assert_eq!((badge.kind, badge.text.as_str()), ("stale", "stale: last good value, 40 s old"));
        assert_eq!(board.refreshes, 1);
    }

    #[test]
    fn invalid_unknown_and_missing_are_never_fresh() {
        let invalid = row(PriceStatus::Invalid(Invalid::NonPositiveAnswer(I256::ZERO)), Some(3600));
        assert_eq!(invalid.badge(1_000_000).text, "invalid: the answer 0 is not above zero");
        assert_eq!(row(PriceStatus::AgeUnknown, Some(3600)).badge(1_000_000).kind, "age-unknown");
        let unknown = row(PriceStatus::HeartbeatUnknown(PriceAge { secs: 5, clock: Clock::WallClock }), None);
        assert_eq!(unknown.badge(1_000_000).kind, "heartbeat-unknown");
        // A fresh status with no heartbeat cannot happen, but would not be shown as fresh.
        assert_eq!(row(fresh(5), None).badge(1_000_000).kind, "stale");
        let empty = PriceRow { last_good: None, ..row(fresh(0), Some(3600)) };
        assert_eq!(empty.badge(0).kind, "no-data");
    }

    #[test]
    fn pyth_beside_chainlink_with_its_deviation_and_faults() {
        let eth: FeedId = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace".parse().unwrap();
        assert_eq!(pyth_id_for("WETH", "ETH / USD", &ChainSettings::default()), Some(eth));
        assert_eq!(pyth_id_for("wstETH", "Capped wstETH / ETH / USD", &ChainSettings::default()), None);
        let mut board =
            Board { rows: vec![PriceRow { pyth_id: Some(eth), ..row(fresh(10), Some(3600)) }], ..Board::default() };
        assert_eq!(board.pyth_ids(), vec![eth]);
        let pyth = |price: &str| PythPrice {
            id: eth,
            price: price.parse().unwrap(),
            confidence: "1.5".parse().unwrap(),
            publish_time: 1_000,
            ema_price: None,
        };
        // Chainlink says 3000; Pyth 3015 is 0.5 % off, at the 0.5 % threshold: no warning.
        board.apply_pyth(Ok(vec![pyth("3015")]), 1_000_000);
        let view = board.rows[0].pyth_view(1_030_000).unwrap();
        assert_eq!((view.badge.kind, view.badge.age_secs), ("fresh", Some(30)));
        let deviation = view.deviation.unwrap().unwrap();
        assert_eq!((deviation.percent.to_string(), deviation.warn), ("0.5000".into(), false));
        board.apply_pyth(Ok(vec![pyth("3015.01")]), 1_000_000);
        assert!(board.rows[0].pyth_view(1_030_000).unwrap().deviation.unwrap().unwrap().warn);
        // Past 60 s Pyth is stale; a failed read keeps the value, stale.
        assert_eq!(board.rows[0].pyth_view(1_061_000).unwrap().badge.kind, "stale");
        board.apply_pyth(Err("Hermes sent feed 0x… twice".into()), 1_040_000);
        let view = board.rows[0].pyth_view(1_040_000).unwrap();
        assert_eq!((view.price.to_string(), view.badge.kind), ("3015.01".into(), "stale"));
        assert_eq!(board.rows[0].pyth_fault.as_deref(), Some("Hermes sent feed 0x… twice"));
    }

    #[test]
    fn the_grace_period_counts_down() {
        let reading = SequencerReading {
            status: SequencerStatus::Up { since: 100 },
            gate: SentinelGate::GracePeriod { remaining_secs: 3001 },
            borrow_allowed: Ok(false),
            liquidation_allowed: Ok(false),
        };
        let dated = Dated { value: reading, read_at_ms: 0 };
        let banner = sequencer_banner(&dated, 61_000).unwrap();
        assert_eq!(banner.kind, "grace-period");
        assert!(banner.text.ends_with("grace period ends in 49 min 0 s."), "{}", banner.text);
        let block =
            Dated { value: BlockHeader { number: 1, timestamp: 1_767_225_600, hash: B256::ZERO }, read_at_ms: 0 };
        assert_eq!(block_lag_secs(&block, 1_767_225_700_000), 100);
        assert_eq!(human_duration(90_000), "1 d 1 h");
    }

    #[test]
    fn a_node_far_behind_the_clock_or_a_sequencer_not_up_makes_no_price_fresh() {
        // The price is 5 min old at the node's latest block, read when the wall clock was `lag` later.
        let at_block = 1_767_225_600u64;
        let read_ms = |lag_secs: u64| (at_block + lag_secs) * 1000;
        let board_at = |lag_secs: u64, local_chain: bool| Board {
            rows: vec![PriceRow {
                last_good: Some(Dated { value: reading(fresh(300)), read_at_ms: read_ms(lag_secs) }),
                ..row(fresh(300), Some(3600))
            }],
            block: Some(Dated {
                value: BlockHeader { number: 7, timestamp: at_block, hash: B256::ZERO },
                read_at_ms: read_ms(lag_secs),
            }),
            chain_id: if local_chain { 31_337 } else { 1 },
            ..Board::default()
        };
        // Seconds behind, as every chain is: fresh.
        let board = board_at(12, false);
        assert_eq!(board.badge(&board.rows[0], read_ms(12)).kind, "fresh");
        assert_eq!(board.not_live(), None);
        // Exactly the limit behind is still live; one second more is not.
        let board = board_at(300, false);
        assert_eq!(board.badge(&board.rows[0], read_ms(300)).kind, "fresh");
        assert_eq!(board_at(301, false).not_live(), Some(NotLive::NodeBehind { lag_secs: 301 }));
        // A read that merely ages between refreshes (a long poll) is not a node behind: the lag is the
        // block's when it was read, and the price's own age runs on instead.
        let board = board_at(12, false);
        let later = board.badge(&board.rows[0], read_ms(12) + 600_000);
        assert_eq!((later.kind, later.age_secs), ("fresh", Some(900)));
        // Two hours behind when read: a price "5 min old" at that block is not called fresh.
        let board = board_at(7200, false);
        let badge = board.badge(&board.rows[0], read_ms(7200));
        assert_eq!((badge.kind, badge.age_secs), ("node-behind", Some(300)));
        assert_eq!(
            badge.text,
            "not known to be live: 5 min 0 s old at the node's latest block, which was 2 h 0 min behind your clock when read"
        );
        // The local development chain keeps its own clock: judged at its block alone.
        let board = board_at(7200, true);
        assert_eq!(board.badge(&board.rows[0], read_ms(7200)).kind, "fresh");
        // A price stale by its age keeps its own, plainer reason on a node behind.
        let board = board_at(7200, false);
        assert_eq!(board.badge(&board.rows[0], read_ms(7200) + 3_481_000).kind, "stale");

        // The sequencer: down, in its grace period or unreadable, no L2 price is fresh, even on the
        // local chain; up and past its grace period, the board is live again.
        let sequencer = |gate: SentinelGate| {
            Some(Ok(Dated {
                value: SequencerReading {
                    status: SequencerStatus::Up { since: at_block },
                    gate,
                    borrow_allowed: Ok(false),
                    liquidation_allowed: Ok(false),
                },
                read_at_ms: read_ms(12),
            }))
        };
        let mut board = board_at(12, true);
        for (gate, kind, text) in [
            (
                sequencer(SentinelGate::SequencerDown { since: at_block }),
                "sequencer-down",
                "not usable: the sequencer is down (5 min 0 s old at the latest block)",
            ),
            (
                sequencer(SentinelGate::GracePeriod { remaining_secs: 600 }),
                "sequencer-grace",
                "not usable yet: the sequencer's grace period is running (5 min 0 s old at the latest block)",
            ),
            (
                Some(Err("the uptime feed did not answer".to_owned())),
                "sequencer-unknown",
                "not known to be live: the sequencer's status could not be read (5 min 0 s old at the latest block)",
            ),
            (sequencer(SentinelGate::Open), "fresh", "fresh: 5 min 0 s old"),
        ] {
            board.sequencer = gate;
            let badge = board.badge(&board.rows[0], read_ms(12));
            assert_eq!((badge.kind, badge.text.as_str()), (kind, text));
        }
    }
}
