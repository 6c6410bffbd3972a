//! The status of a price: fresh, stale, invalid, of unknown age, from a
//! snapshot, or set by the user. Pure functions; every time is passed in.
//!
//! A Chainlink price's age is measured against the latest block, not the
//! wall clock: on chain, `block.timestamp − updatedAt` is what a protocol
//! sees. How far that block trails the wall clock is reported beside it,
//! since a lagging node makes every feed look younger than it is.

use std::cmp::Ordering;

use alloy_primitives::{I256, U256};

use crate::chainlink::RoundData;
use crate::decimal::{narrow, wide_pow10, Decimal, DecimalError};
use crate::jsonrpc::BlockHeader;

/// A price is stale once its age passes the heartbeat plus this much slack:
/// rounds land on chain some seconds after the heartbeat fires.
pub const MIN_HEARTBEAT_SLACK_SECS: u64 = 60;

/// Pyth prices are pulled, not pushed; past a minute one is stale by default.
pub const PYTH_DEFAULT_MAX_AGE_SECS: u64 = 60;

/// Deviation percentages are given to this many decimals (rounded half up).
pub const DEVIATION_DECIMALS: u8 = 4;

/// The age past which a feed with this heartbeat is stale:
/// heartbeat + max(60 s, 5 % of the heartbeat). 3600 s → 3780 s; 86400 s → 90720 s.
pub fn stale_after(heartbeat_secs: u64) -> u64 {
    heartbeat_secs.saturating_add(MIN_HEARTBEAT_SLACK_SECS.max(heartbeat_secs / 20))
}

/// What a price's age was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The latest block's timestamp, which was `lag_secs` behind the wall
    /// clock when read (negative when the user's clock is behind the chain).
    LatestBlock {
        lag_secs: i64,
    },
    WallClock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceAge {
    pub secs: u64,
    pub clock: Clock,
}

/// Why a reported price must not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("the answer {0} is not above zero")]
    NonPositiveAnswer(I256),
    #[error("updatedAt is 0: the round never completed")]
    NeverUpdated,
    #[error("updatedAt {updated_at} is after the block's own time {block_timestamp}")]
    UpdatedInFuture { updated_at: U256, block_timestamp: u64 },
    #[error("round {round_id} carries an answer from the earlier round {answered_in_round}")]
    CarriedOver { round_id: u128, answered_in_round: u128 },
    #[error("the price {0} is not above zero")]
    NonPositivePrice(Decimal),
    #[error("publish time {0} is not a time")]
    NoPublishTime(i64),
}

/// The status of a price, as the issue "Oracle feeds" defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceStatus {
    Fresh(PriceAge),
    Stale {
        age: PriceAge,
        stale_after_secs: u64,
    },
    Invalid(Invalid),
    /// Round data says how old the price is, but the feed's heartbeat is not
    /// known, so there is nothing to judge it by. Never fresh.
    HeartbeatUnknown(PriceAge),
    /// A source without round data (an adapter with only `latestAnswer`). Never fresh.
    AgeUnknown,
    /// Read from a saved snapshot taken at this time (RFC 3339).
    Snapshot {
        taken_at: String,
    },
    /// A price the user set.
    WhatIf,
}

impl PriceStatus {
    /// Only a fresh price may be shown without a warning.
    pub fn is_fresh(&self) -> bool {
        matches!(self, Self::Fresh(_))
    }
}

/// A Chainlink round judged at the latest block, read at `now_unix`.
/// `heartbeat_secs` comes from [`crate::feeds`]; `None` when unknown.
pub fn chainlink_status(
    round: &RoundData,
    heartbeat_secs: Option<u64>,
    block: &BlockHeader,
    now_unix: u64,
) -> PriceStatus {
    if let Some(invalid) = invalid_round(round, block.timestamp) {
        return PriceStatus::Invalid(invalid);
    }
    // updatedAt ≤ block timestamp here, so it fits in u64.
    let updated_at = round.updated_at.saturating_to::<u64>();
    let lag = i128::from(now_unix) - i128::from(block.timestamp);
    let lag_secs = i64::try_from(lag).unwrap_or(if lag < 0 { i64::MIN } else { i64::MAX });
    let age = PriceAge { secs: block.timestamp.saturating_sub(updated_at), clock: Clock::LatestBlock { lag_secs } };
    match heartbeat_secs {
        None => PriceStatus::HeartbeatUnknown(age),
        Some(heartbeat) => judge(age, stale_after(heartbeat)),
    }
}

fn invalid_round(round: &RoundData, block_timestamp: u64) -> Option<Invalid> {
    if !round.answer.is_positive() {
        return Some(Invalid::NonPositiveAnswer(round.answer));
    }
    if round.updated_at.is_zero() {
        return Some(Invalid::NeverUpdated);
    }
    if round.updated_at > U256::from(block_timestamp) {
        return Some(Invalid::UpdatedInFuture { updated_at: round.updated_at, block_timestamp });
    }
    if round.answered_in_round < round.round_id {
        return Some(Invalid::CarriedOver { round_id: round.round_id, answered_in_round: round.answered_in_round });
    }
    None
}

/// A Pyth price: age is wall clock − publish time, stale past `max_age_secs`
/// ([`PYTH_DEFAULT_MAX_AGE_SECS`] unless the market says otherwise). A
/// publish time ahead of the user's clock counts as age 0: that is the
/// user's clock skew, not the feed's fault.
pub fn pyth_status(price: &Decimal, publish_time: i64, now_unix: u64, max_age_secs: u64) -> PriceStatus {
    if !price.is_positive() {
        return PriceStatus::Invalid(Invalid::NonPositivePrice(*price));
    }
    let published = match u64::try_from(publish_time) {
        Ok(t) if t > 0 => t,
        _ => return PriceStatus::Invalid(Invalid::NoPublishTime(publish_time)),
    };
    judge(PriceAge { secs: now_unix.saturating_sub(published), clock: Clock::WallClock }, max_age_secs)
}

/// Fresh up to and including the limit; stale one second past it.
fn judge(age: PriceAge, stale_after_secs: u64) -> PriceStatus {
    if age.secs > stale_after_secs {
        PriceStatus::Stale { age, stale_after_secs }
    } else {
        PriceStatus::Fresh(age)
    }
}

/// How far one source's price is from another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// |other − reference| / reference × 100, to [`DEVIATION_DECIMALS`] places.
    pub percent: Decimal,
    /// Whether the exact deviation is above the threshold (not the rounded one).
    pub warn: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeviationError {
    #[error("the reference price {0} is not above zero")]
    NonPositiveReference(Decimal),
    #[error("the deviation is too large to express")]
    TooLarge,
}

impl From<DecimalError> for DeviationError {
    fn from(_: DecimalError) -> Self {
        Self::TooLarge
    }
}

/// The deviation of `other` from `reference` (e.g. Pyth against the Chainlink
/// price the protocol uses), and whether it is above `warn_above_percent`.
pub fn deviation(
    reference: &Decimal,
    other: &Decimal,
    warn_above_percent: &Decimal,
) -> Result<Deviation, DeviationError> {
    if !reference.is_positive() {
        return Err(DeviationError::NonPositiveReference(*reference));
    }
    let scale = reference.scale().max(other.scale());
    let (_, r) = reference.wide_at(scale);
    let (other_negative, o) = other.wide_at(scale);
    let diff = match (other_negative, o.cmp(&r)) {
        (true, _) => o + r,
        (false, Ordering::Less) => r - o,
        (false, _) => o - r,
    };
    // diff / r × 100 > t / 10^ts  ⟺  diff × 100 × 10^ts > t × r, all exact.
    let (threshold_negative, t) = warn_above_percent.wide_at(warn_above_percent.scale());
    let lhs = diff * wide_pow10(2 + u32::from(warn_above_percent.scale()));
    let warn = threshold_negative || lhs > t * r;

    let scaled = diff * wide_pow10(2 + u32::from(DEVIATION_DECIMALS));
    let rounded = (scaled + r / crate::decimal::Wide::from(2u8)) / r;
    let units = narrow(rounded).and_then(|u| I256::try_from(u).ok()).ok_or(DeviationError::TooLarge)?;
    Ok(Deviation { percent: Decimal::new(units, DEVIATION_DECIMALS)?, warn })
}

/// What a health verdict (safe / at risk) rests on. A verdict over a price
/// that is stale, invalid, of unknown age or missing is not given at all,
/// as the protocols refuse such prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictBasis {
    /// Every price fresh.
    Live,
    /// At least one saved price (and no what-if): the snapshot's time.
    Snapshot { taken_at: String },
    /// At least one price the user set.
    WhatIf,
    /// No verdict: these assets' prices cannot be trusted.
    NoVerdict { untrusted: Vec<String> },
}

/// The basis of a verdict over `prices` (asset, status). Untrusted prices
/// win over everything; then what-ifs; then snapshots.
pub fn verdict_basis<'a>(prices: impl IntoIterator<Item = (&'a str, &'a PriceStatus)>) -> VerdictBasis {
    let mut untrusted = Vec::new();
    let (mut what_if, mut snapshot) = (false, None);
    for (asset, status) in prices {
        match status {
            PriceStatus::Fresh(_) => {}
            PriceStatus::WhatIf => what_if = true,
            PriceStatus::Snapshot { taken_at } => snapshot = Some(taken_at.clone()),
            PriceStatus::Stale { .. }
            | PriceStatus::Invalid(_)
            | PriceStatus::HeartbeatUnknown(_)
            | PriceStatus::AgeUnknown => untrusted.push(asset.to_owned()),
        }
    }
    match (untrusted.is_empty(), what_if, snapshot) {
        (false, _, _) => VerdictBasis::NoVerdict { untrusted },
        (true, true, _) => VerdictBasis::WhatIf,
        (true, false, Some(taken_at)) => VerdictBasis::Snapshot { taken_at },
        (true, false, None) => VerdictBasis::Live,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::B256;

    const BLOCK_TIME: u64 = 1_732_640_000;

    fn block() -> BlockHeader {
        BlockHeader { number: 21_000_000, timestamp: BLOCK_TIME, hash: B256::ZERO }
    }

    fn round(answer: i64, updated_at: u64) -> RoundData {
        RoundData {
            round_id: 100,
            answer: I256::try_from(answer).unwrap(),
            started_at: U256::from(updated_at),
            updated_at: U256::from(updated_at),
            answered_in_round: 100,
        }
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn stale_limit_is_heartbeat_plus_the_larger_slack() {
        assert_eq!(stale_after(3600), 3780);
        assert_eq!(stale_after(86_400), 90_720);
        assert_eq!(stale_after(82_800), 86_940);
        assert_eq!(stale_after(1200), 1260);
        assert_eq!(stale_after(27), 87);
        assert_eq!(stale_after(u64::MAX), u64::MAX);
    }

    #[test]
    fn fresh_exactly_at_the_limit_and_stale_one_second_past() {
        // ETH / USD on Ethereum: heartbeat 3600 s, so stale past 3780 s.
        let at_limit =
            chainlink_status(&round(335_231_000_000, BLOCK_TIME - 3780), Some(3600), &block(), BLOCK_TIME + 12);
        let age = PriceAge { secs: 3780, clock: Clock::LatestBlock { lag_secs: 12 } };
        assert_eq!(at_limit, PriceStatus::Fresh(age));
        let past = chainlink_status(&round(335_231_000_000, BLOCK_TIME - 3781), Some(3600), &block(), BLOCK_TIME + 12);
        let age = PriceAge { secs: 3781, clock: Clock::LatestBlock { lag_secs: 12 } };
        assert_eq!(past, PriceStatus::Stale { age, stale_after_secs: 3780 });
    }

    #[test]
    fn block_lag_is_reported_separately_from_age() {
        // The node's latest block is 10 minutes old; the feed updated 30 s before it.
        let status = chainlink_status(&round(1, BLOCK_TIME - 30), Some(3600), &block(), BLOCK_TIME + 600);
        assert_eq!(status, PriceStatus::Fresh(PriceAge { secs: 30, clock: Clock::LatestBlock { lag_secs: 600 } }));
        let behind = chainlink_status(&round(1, BLOCK_TIME), Some(3600), &block(), BLOCK_TIME - 5);
        assert_eq!(behind, PriceStatus::Fresh(PriceAge { secs: 0, clock: Clock::LatestBlock { lag_secs: -5 } }));
    }

    #[test]
    fn each_invalid_round() {
        let status = |r: RoundData| chainlink_status(&r, Some(3600), &block(), BLOCK_TIME);
        assert_eq!(status(round(0, BLOCK_TIME)), PriceStatus::Invalid(Invalid::NonPositiveAnswer(I256::ZERO)));
        assert_eq!(status(round(-1, BLOCK_TIME)), PriceStatus::Invalid(Invalid::NonPositiveAnswer(I256::MINUS_ONE)));
        assert_eq!(status(round(1, 0)), PriceStatus::Invalid(Invalid::NeverUpdated));
        assert_eq!(
            status(round(1, BLOCK_TIME + 1)),
            PriceStatus::Invalid(Invalid::UpdatedInFuture {
                updated_at: U256::from(BLOCK_TIME + 1),
                block_timestamp: BLOCK_TIME
            })
        );
        let huge = RoundData { updated_at: U256::MAX, ..round(1, 0) };
        assert!(matches!(status(huge), PriceStatus::Invalid(Invalid::UpdatedInFuture { .. })));
        let carried = RoundData { answered_in_round: 99, ..round(1, BLOCK_TIME) };
        assert_eq!(
            status(carried),
            PriceStatus::Invalid(Invalid::CarriedOver { round_id: 100, answered_in_round: 99 })
        );
        // An invalid round is invalid whatever its age or heartbeat.
        assert!(matches!(chainlink_status(&round(0, BLOCK_TIME), None, &block(), BLOCK_TIME), PriceStatus::Invalid(_)));
    }

    #[test]
    fn unknown_heartbeat_or_round_data_is_never_fresh() {
        let status = chainlink_status(&round(1, BLOCK_TIME - 10), None, &block(), BLOCK_TIME);
        assert_eq!(
            status,
            PriceStatus::HeartbeatUnknown(PriceAge { secs: 10, clock: Clock::LatestBlock { lag_secs: 0 } })
        );
        assert!(!status.is_fresh());
        assert!(!PriceStatus::AgeUnknown.is_fresh());
        assert!(!PriceStatus::Snapshot { taken_at: "2025-01-15T12:00:00Z".into() }.is_fresh());
        assert!(!PriceStatus::WhatIf.is_fresh());
    }

    #[test]
    fn pyth_age_is_against_the_wall_clock() {
        let price = d("1956.56091864");
        let now = 1_785_143_430;
        assert_eq!(
            pyth_status(&price, 1_785_143_370, now, 60),
            PriceStatus::Fresh(PriceAge { secs: 60, clock: Clock::WallClock })
        );
        assert_eq!(
            pyth_status(&price, 1_785_143_369, now, PYTH_DEFAULT_MAX_AGE_SECS),
            PriceStatus::Stale { age: PriceAge { secs: 61, clock: Clock::WallClock }, stale_after_secs: 60 }
        );
        assert_eq!(
            pyth_status(&price, now as i64 + 3, now, 60),
            PriceStatus::Fresh(PriceAge { secs: 0, clock: Clock::WallClock })
        );
        assert_eq!(pyth_status(&d("-1"), 1, now, 60), PriceStatus::Invalid(Invalid::NonPositivePrice(d("-1"))));
        assert_eq!(pyth_status(&price, 0, now, 60), PriceStatus::Invalid(Invalid::NoPublishTime(0)));
        assert_eq!(pyth_status(&price, -5, now, 60), PriceStatus::Invalid(Invalid::NoPublishTime(-5)));
    }

    #[test]
    fn deviation_in_percent_with_an_exact_threshold() {
        // Chainlink at 3352.31, Pyth at 3369.07155: 0.5 % off, exactly.
        let chainlink = d("3352.31000000");
        let at = deviation(&chainlink, &d("3369.071550"), &d("0.5")).unwrap();
        assert_eq!((at.percent.to_string(), at.warn), ("0.5000".into(), false));
        let above = deviation(&chainlink, &d("3369.07155001"), &d("0.5")).unwrap();
        // Rounds to 0.5000 %, but the exact value is above the threshold.
        assert_eq!((above.percent.to_string(), above.warn), ("0.5000".into(), true));
        let below = deviation(&chainlink, &d("3335.5484500"), &Decimal::from_bps(50)).unwrap();
        assert_eq!((below.percent.to_string(), below.warn), ("0.5000".into(), false));
        let far = deviation(&d("1.00"), &d("0.97"), &d("0.25")).unwrap();
        assert_eq!((far.percent.to_string(), far.warn), ("3.0000".into(), true));
        let rounding = deviation(&d("3"), &d("4"), &d("50")).unwrap();
        assert_eq!(rounding.percent.to_string(), "33.3333");
        assert_eq!(deviation(&d("3"), &d("5"), &d("50")).unwrap().percent.to_string(), "66.6667");
        assert_eq!(deviation(&d("2"), &d("-2"), &d("50")).unwrap().percent.to_string(), "200.0000");
    }

    #[test]
    fn no_verdict_over_an_untrusted_price() {
        let fresh = PriceStatus::Fresh(PriceAge { secs: 10, clock: Clock::WallClock });
        let stale =
            PriceStatus::Stale { age: PriceAge { secs: 4000, clock: Clock::WallClock }, stale_after_secs: 3780 };
        let saved = PriceStatus::Snapshot { taken_at: "2026-11-20T12:00:00Z".into() };
        assert_eq!(verdict_basis([("WETH", &fresh), ("USDC", &fresh)]), VerdictBasis::Live);
        assert_eq!(
            verdict_basis([("WETH", &fresh), ("USDC", &saved)]),
            VerdictBasis::Snapshot { taken_at: "2026-11-20T12:00:00Z".into() }
        );
        assert_eq!(verdict_basis([("WETH", &PriceStatus::WhatIf), ("USDC", &saved)]), VerdictBasis::WhatIf);
        assert_eq!(
            verdict_basis([("WETH", &stale), ("wstETH", &PriceStatus::AgeUnknown), ("USDC", &PriceStatus::WhatIf)]),
            VerdictBasis::NoVerdict { untrusted: vec!["WETH".into(), "wstETH".into()] }
        );
    }

    #[test]
    fn deviation_needs_a_positive_reference() {
        assert_eq!(deviation(&d("0"), &d("1"), &d("1")), Err(DeviationError::NonPositiveReference(d("0"))));
        let tiny = Decimal::new(I256::ONE, 76).unwrap();
        let huge = Decimal::new(I256::MAX, 0).unwrap();
        assert_eq!(deviation(&tiny, &huge, &d("1")), Err(DeviationError::TooLarge));
    }
}
