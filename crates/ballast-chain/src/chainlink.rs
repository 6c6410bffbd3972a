//! Chainlink feeds and what Aave puts in front of them: the aggregator
//! interface, AaveOracle, CAPO price-cap adapters, the L2 sequencer-uptime
//! feed and Aave's PriceOracleSentinel.
//!
//! Calldata comes from [`crate::calldata`] on the call structs below; return
//! data is read with [`crate::decode_return`] or, where a raw value needs a
//! domain meaning, with the decoders here.

use alloy_primitives::{Address, Bytes, I256, U256};
use alloy_sol_types::sol;

use crate::decimal::{Decimal, DecimalError, MAX_SCALE};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// A Chainlink feed proxy (EACAggregatorProxy). `latestAnswer` is the V2
    /// getter: deprecated for price feeds, but CAPO adapters have nothing else.
    interface AggregatorV3Interface {
        function decimals() external view returns (uint8);
        function description() external view returns (string memory);
        function latestRoundData() external view returns (
            uint80 roundId,
            int256 answer,
            uint256 startedAt,
            uint256 updatedAt,
            uint80 answeredInRound
        );
        function latestAnswer() external view returns (int256);
    }

    /// Aave V3's AaveOracle: prices in the market's base currency.
    interface IAaveOracle {
        function getAssetsPrices(address[] calldata assets) external view returns (uint256[] memory);
        function getSourceOfAsset(address asset) external view returns (address);
        function BASE_CURRENCY_UNIT() external view returns (uint256);
    }

    /// CAPO (bgd-labs/aave-capo) adapter for a correlated asset (LST ratio × base price).
    interface IPriceCapAdapter {
        function BASE_TO_USD_AGGREGATOR() external view returns (address);
    }

    /// CAPO adapter for a stablecoin (price capped above).
    interface IPriceCapAdapterStable {
        function ASSET_TO_USD_AGGREGATOR() external view returns (address);
    }

    /// Aave V3's PriceOracleSentinel (aave-v3-origin, src/contracts/misc).
    interface IPriceOracleSentinel {
        function isBorrowAllowed() external view returns (bool);
        function isLiquidationAllowed() external view returns (bool);
        function getGracePeriod() external view returns (uint256);
        function getSequencerOracle() external view returns (address);
    }
}

/// Longest `description()` accepted; real ones are like "ETH / USD".
const MAX_DESCRIPTION_BYTES: usize = 256;

/// Why a feed's return data has no meaning here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Return(#[from] ReturnError),
    #[error(transparent)]
    Decimal(#[from] DecimalError),
    #[error("description() returned {0} bytes; a feed's description is short")]
    DescriptionTooLong(usize),
    #[error("getAssetsPrices returned {got} prices for {asked} assets")]
    PriceCount { asked: usize, got: usize },
    #[error("BASE_CURRENCY_UNIT {0} is not a power of ten")]
    BaseCurrencyUnit(U256),
    #[error("the sequencer feed's answer is {0}: neither 0 (up) nor 1 (down)")]
    SequencerAnswer(I256),
    #[error("the sequencer feed's round has startedAt 0, which Chainlink documents as an invalid round")]
    SequencerRoundInvalid,
    #[error("{what} {value} does not fit in 64 bits")]
    TooLarge { what: &'static str, value: U256 },
}

/// One `latestRoundData()` answer, as the feed returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundData {
    pub round_id: u128,
    pub answer: I256,
    pub started_at: U256,
    pub updated_at: U256,
    pub answered_in_round: u128,
}

impl RoundData {
    /// The answer as a price: `answer × 10^-decimals`, the feed's own decimals.
    pub fn price(&self, decimals: u8) -> Result<Decimal, DecimalError> {
        Decimal::new(self.answer, decimals)
    }
}

/// Calldata for `latestRoundData()`.
pub fn latest_round_data_calldata() -> Bytes {
    calldata(&AggregatorV3Interface::latestRoundDataCall {})
}

pub fn decode_latest_round_data(data: &[u8]) -> Result<RoundData, FeedError> {
    let r = decode_return::<AggregatorV3Interface::latestRoundDataCall>(data)?;
    Ok(RoundData {
        // uint80 always fits; saturating_to only spares an unwrap.
        round_id: r.roundId.saturating_to(),
        answer: r.answer,
        started_at: r.startedAt,
        updated_at: r.updatedAt,
        answered_in_round: r.answeredInRound.saturating_to(),
    })
}

/// `decimals()`, refused past the scale an exact price can carry.
pub fn decode_decimals(data: &[u8]) -> Result<u8, FeedError> {
    let decimals = decode_return::<AggregatorV3Interface::decimalsCall>(data)?;
    if decimals > MAX_SCALE {
        return Err(DecimalError::ScaleTooLarge(decimals.into()).into());
    }
    Ok(decimals)
}

/// `description()`, e.g. "ETH / USD", bounded in length.
pub fn decode_description(data: &[u8]) -> Result<String, FeedError> {
    let description = decode_return::<AggregatorV3Interface::descriptionCall>(data)?;
    if description.len() > MAX_DESCRIPTION_BYTES {
        return Err(FeedError::DescriptionTooLong(description.len()));
    }
    Ok(description)
}

/// `latestAnswer()` as a price. A source with only this getter (a CAPO
/// adapter) has no round data, so its age is unknown.
pub fn decode_latest_answer(data: &[u8], decimals: u8) -> Result<Decimal, FeedError> {
    Ok(Decimal::new(decode_return::<AggregatorV3Interface::latestAnswerCall>(data)?, decimals)?)
}

/// Calldata for `getAssetsPrices(assets)`.
pub fn assets_prices_calldata(assets: &[Address]) -> Bytes {
    calldata(&IAaveOracle::getAssetsPricesCall { assets: assets.to_vec() })
}

/// `getAssetsPrices`: one price per asset asked, in base-currency units.
pub fn decode_assets_prices(data: &[u8], asked: usize) -> Result<Vec<U256>, FeedError> {
    let prices = decode_return::<IAaveOracle::getAssetsPricesCall>(data)?;
    if prices.len() != asked {
        return Err(FeedError::PriceCount { asked, got: prices.len() });
    }
    Ok(prices)
}

/// An AaveOracle price in its base currency: `BASE_CURRENCY_UNIT` is `10^8`
/// on USD markets, so 8 decimals; `10^18` on the old ETH-based markets.
pub fn base_currency_price(price: U256, base_currency_unit: U256) -> Result<Decimal, FeedError> {
    let scale = (0..=MAX_SCALE)
        .find(|&s| U256::from(10u8).checked_pow(U256::from(s)) == Some(base_currency_unit))
        .ok_or(FeedError::BaseCurrencyUnit(base_currency_unit))?;
    let units = I256::try_from(price).map_err(|_| DecimalError::Overflow)?;
    Ok(Decimal::new(units, scale)?)
}

/// Whether the L2's sequencer is up, and since when (Chainlink's uptime feed:
/// answer 0 is up, 1 is down, startedAt is when the status last changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequencerStatus {
    Up { since: u64 },
    Down { since: u64 },
}

pub fn sequencer_status(round: &RoundData) -> Result<SequencerStatus, FeedError> {
    if round.started_at.is_zero() {
        return Err(FeedError::SequencerRoundInvalid);
    }
    let since = u64::try_from(round.started_at)
        .map_err(|_| FeedError::TooLarge { what: "startedAt", value: round.started_at })?;
    match round.answer {
        a if a.is_zero() => Ok(SequencerStatus::Up { since }),
        a if a == I256::ONE => Ok(SequencerStatus::Down { since }),
        other => Err(FeedError::SequencerAnswer(other)),
    }
}

/// What Aave's PriceOracleSentinel lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentinelGate {
    /// Up and past the grace period: borrowing and liquidations allowed.
    Open,
    /// Back up, but inside the grace period: both still refused.
    GracePeriod { remaining_secs: u64 },
    /// Down: both refused.
    SequencerDown { since: u64 },
}

/// The sentinel's rule, `answer == 0 && block.timestamp - startedAt > gracePeriod`,
/// for `isBorrowAllowed` and `isLiquidationAllowed` alike. Strictly greater:
/// at exactly the grace period the gate is still closed.
pub fn sentinel_gate(status: SequencerStatus, grace_period_secs: u64, block_timestamp: u64) -> SentinelGate {
    match status {
        SequencerStatus::Down { since } => SentinelGate::SequencerDown { since },
        SequencerStatus::Up { since } => {
            // A startedAt after the block would revert on chain; treat it as just started.
            let up_for = block_timestamp.saturating_sub(since);
            if up_for > grace_period_secs {
                SentinelGate::Open
            } else {
                SentinelGate::GracePeriod { remaining_secs: grace_period_secs - up_for + 1 }
            }
        }
    }
}

/// `getGracePeriod()` in seconds.
pub fn decode_grace_period(data: &[u8]) -> Result<u64, FeedError> {
    let value = decode_return::<IPriceOracleSentinel::getGracePeriodCall>(data)?;
    u64::try_from(value).map_err(|_| FeedError::TooLarge { what: "gracePeriod", value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, hex};
    use alloy_sol_types::SolValue;

    /// ABI words for the five `latestRoundData` values.
    fn round_words(round_id: u128, answer: i128, started_at: u64, updated_at: u64, answered_in_round: u128) -> Vec<u8> {
        let answer = I256::try_from(answer).unwrap();
        [
            U256::from(round_id),
            answer.into_raw(),
            U256::from(started_at),
            U256::from(updated_at),
            U256::from(answered_in_round),
        ]
        .iter()
        .flat_map(|w| w.to_be_bytes::<32>())
        .collect()
    }

    #[test]
    fn selectors_are_the_deployed_ones() {
        // Four-byte selectors as every block explorer shows them.
        assert_eq!(hex::encode(latest_round_data_calldata()), "feaf968c");
        assert_eq!(hex::encode(calldata(&AggregatorV3Interface::decimalsCall {})), "313ce567");
        assert_eq!(hex::encode(calldata(&AggregatorV3Interface::descriptionCall {})), "7284e416");
        assert_eq!(hex::encode(calldata(&AggregatorV3Interface::latestAnswerCall {})), "50d25bcd");
    }

    #[test]
    fn decodes_a_round_of_the_eth_usd_feed() {
        // A proxy's round id is phaseId << 64 | the aggregator's round. This one
        // was read live from ETH / USD on Ethereum (phase 7, aggregator round
        // 32284) in alchem-link's README; the answer there is shown as $1,929.60.
        let round_id = 129_127_208_515_966_893_596u128;
        assert_eq!((round_id >> 64, round_id & u128::from(u64::MAX)), (7, 32_284));
        let data = round_words(round_id, 192_960_000_000, 1_785_000_000, 1_785_000_011, round_id);
        let round = decode_latest_round_data(&data).unwrap();
        assert_eq!(round.round_id, round_id);
        assert_eq!(round.answered_in_round, round_id);
        assert_eq!((round.started_at, round.updated_at), (U256::from(1_785_000_000u64), U256::from(1_785_000_011u64)));
        assert_eq!(round.price(8).unwrap().to_string(), "1929.60000000");
        assert_eq!(round.price(8).unwrap().normalized().to_string(), "1929.6");
    }

    #[test]
    fn truncated_or_absent_round_data_is_an_error() {
        let data = round_words(1, 1, 1, 1, 1);
        assert!(matches!(decode_latest_round_data(&data[..159]), Err(FeedError::Return(ReturnError::Abi { .. }))));
        assert_eq!(
            decode_latest_round_data(&[]),
            Err(FeedError::Return(ReturnError::Empty { call: "latestRoundData()" }))
        );
        // A roundId word with bits above 80 does not pass strict decoding.
        let mut dirty = data.clone();
        dirty[0] = 0xff;
        assert!(decode_latest_round_data(&dirty).is_err());
    }

    #[test]
    fn decimals_description_and_latest_answer() {
        assert_eq!(decode_decimals(&U256::from(8).to_be_bytes::<32>()), Ok(8));
        assert_eq!(
            decode_decimals(&U256::from(77).to_be_bytes::<32>()),
            Err(FeedError::Decimal(DecimalError::ScaleTooLarge(77)))
        );
        assert_eq!(decode_description(&"ETH / USD".to_string().abi_encode()).unwrap(), "ETH / USD");
        assert_eq!(decode_description(&"x".repeat(300).abi_encode()), Err(FeedError::DescriptionTooLong(300)));
        // A CAPO USDT adapter capped at $1.04 (8 decimals).
        let answer = I256::try_from(104_000_000).unwrap().into_raw().to_be_bytes::<32>();
        assert_eq!(decode_latest_answer(&answer, 8).unwrap().to_string(), "1.04000000");
    }

    #[test]
    fn aave_oracle_prices_and_their_count() {
        let weth = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        let usdc = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
        let data = assets_prices_calldata(&[weth, usdc]);
        // keccak256("getAssetsPrices(address[])")[..4], then offset, length, two addresses.
        assert_eq!(hex::encode(&data[..4]), "9d23d9f2");
        assert_eq!(data.len(), 4 + 32 * 4);
        let prices = vec![U256::from(335_231_000_000u64), U256::from(99_990_000u64)].abi_encode();
        let decoded = decode_assets_prices(&prices, 2).unwrap();
        assert_eq!(base_currency_price(decoded[0], U256::from(100_000_000u64)).unwrap().to_string(), "3352.31000000");
        assert_eq!(decode_assets_prices(&prices, 3), Err(FeedError::PriceCount { asked: 3, got: 2 }));
        assert_eq!(
            base_currency_price(U256::from(1), U256::from(12)),
            Err(FeedError::BaseCurrencyUnit(U256::from(12)))
        );
        assert_eq!(base_currency_price(U256::from(5), U256::from(1)).unwrap().to_string(), "5");
    }

    #[test]
    fn capo_adapters_name_their_underlying_feed() {
        let feed = address!("3E7d1eAB13ad0104d2750B8863b489D65364e32D");
        let data = feed.abi_encode();
        assert_eq!(decode_return::<IPriceCapAdapterStable::ASSET_TO_USD_AGGREGATORCall>(&data), Ok(feed));
        assert_eq!(decode_return::<IPriceCapAdapter::BASE_TO_USD_AGGREGATORCall>(&data), Ok(feed));
        assert_eq!(decode_return::<IAaveOracle::getSourceOfAssetCall>(&data), Ok(feed));
    }

    #[test]
    fn sequencer_up_down_and_invalid() {
        let up = decode_latest_round_data(&round_words(5, 0, 1_700_000_000, 1_700_000_000, 5)).unwrap();
        assert_eq!(sequencer_status(&up), Ok(SequencerStatus::Up { since: 1_700_000_000 }));
        let down = decode_latest_round_data(&round_words(6, 1, 1_700_003_600, 1_700_003_600, 6)).unwrap();
        assert_eq!(sequencer_status(&down), Ok(SequencerStatus::Down { since: 1_700_003_600 }));
        let odd = decode_latest_round_data(&round_words(7, 2, 1, 1, 7)).unwrap();
        assert_eq!(sequencer_status(&odd), Err(FeedError::SequencerAnswer(I256::try_from(2).unwrap())));
        let unset = decode_latest_round_data(&round_words(0, 0, 0, 0, 0)).unwrap();
        assert_eq!(sequencer_status(&unset), Err(FeedError::SequencerRoundInvalid));
    }

    #[test]
    fn sentinel_waits_out_the_grace_period_strictly() {
        let up = SequencerStatus::Up { since: 1_700_000_000 };
        // Aave's sentinels on L2s use one hour.
        assert_eq!(sentinel_gate(up, 3600, 1_700_000_000), SentinelGate::GracePeriod { remaining_secs: 3601 });
        assert_eq!(sentinel_gate(up, 3600, 1_700_003_599), SentinelGate::GracePeriod { remaining_secs: 2 });
        assert_eq!(sentinel_gate(up, 3600, 1_700_003_600), SentinelGate::GracePeriod { remaining_secs: 1 });
        assert_eq!(sentinel_gate(up, 3600, 1_700_003_601), SentinelGate::Open);
        assert_eq!(sentinel_gate(up, 3600, 1_699_999_000), SentinelGate::GracePeriod { remaining_secs: 3601 });
        let down = SequencerStatus::Down { since: 1_700_000_000 };
        assert_eq!(sentinel_gate(down, 3600, 1_800_000_000), SentinelGate::SequencerDown { since: 1_700_000_000 });
    }

    #[test]
    fn sentinel_getters_decode() {
        assert_eq!(decode_grace_period(&U256::from(3600).to_be_bytes::<32>()), Ok(3600));
        assert!(matches!(decode_grace_period(&U256::MAX.to_be_bytes::<32>()), Err(FeedError::TooLarge { .. })));
        assert_eq!(decode_return::<IPriceOracleSentinel::isBorrowAllowedCall>(&true.abi_encode()), Ok(true));
        assert_eq!(decode_return::<IPriceOracleSentinel::isLiquidationAllowedCall>(&false.abi_encode()), Ok(false));
        // A bool word other than 0 or 1 is not a bool.
        assert!(decode_return::<IPriceOracleSentinel::isBorrowAllowedCall>(&U256::from(2).to_be_bytes::<32>()).is_err());
    }
}
