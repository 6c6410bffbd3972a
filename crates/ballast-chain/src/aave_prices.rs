//! An Aave V3 market's prices and where they come from, read the way the
//! Pool reads them: AaveOracle's price of each reserve, the source behind it
//! (`getSourceOfAsset`), that source's round data, or, for an adapter with
//! only `latestAnswer`, its answer and the round data of the feed it wraps.
//!
//! [`discover`] walks from the PoolAddressesProvider to every source, a few
//! batches once per market. [`RefreshPlan`] is then one JSON-RPC batch per
//! refresh, whatever the number of reserves, with the latest block in it, and
//! [`RefreshPlan::read`] turns the answers into a [`PriceStatus`] per price.
//! The transport is the caller's: nothing here does IO.

use std::future::Future;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use serde_json::Value;

use crate::chainlink::{
    self, base_currency_price, AggregatorV3Interface, IAaveOracle, IPriceCapAdapter, IPriceCapAdapterStable,
    IPriceOracleSentinel, RoundData, SentinelGate, SequencerStatus,
};
use crate::decimal::Decimal;
use crate::jsonrpc::{self, BlockHeader, BlockTag, Request, RpcError};
use crate::price_status::{chainlink_status, PriceStatus};
use crate::{calldata, decode_return};

sol! {
    /// The getters of Aave V3's PoolAddressesProvider used here.
    interface IPoolAddressesProvider {
        function getPool() external view returns (address);
        function getPriceOracle() external view returns (address);
        function getPriceOracleSentinel() external view returns (address);
    }

    interface IPoolReserveList {
        function getReservesList() external view returns (address[] memory);
    }

    interface IERC20Symbol {
        function symbol() external view returns (string memory);
    }
}

/// Most reserves read; Aave's largest market has under 70.
pub const MAX_RESERVES: usize = 90;

/// What one answer in a batch was, or why it is not usable, in words.
type Answer = Result<Value, RpcError>;

/// How a reserve's price is produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A Chainlink-style feed with `latestRoundData`.
    RoundData,
    /// An adapter with only `latestAnswer` (CAPO and the like): its age is
    /// unknown. `underlying` is the feed it names, when it names one.
    AnswerOnly { underlying: Option<Address> },
}

/// A reserve and its price source, found at discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveSource {
    pub asset: Address,
    pub symbol: String,
    pub source: Address,
    pub kind: SourceKind,
    pub decimals: u8,
    pub description: String,
    /// The wrapped feed's decimals, when there is one with round data.
    pub underlying_decimals: Option<u8>,
}

/// The market's PriceOracleSentinel and the sequencer feed it watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentinelConfig {
    pub sentinel: Address,
    pub sequencer_feed: Address,
    pub grace_period_secs: u64,
}

/// Everything a refresh reads, found once from the PoolAddressesProvider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketOracles {
    pub pool: Address,
    pub oracle: Address,
    pub base_currency_unit: U256,
    pub sentinel: Option<SentinelConfig>,
    pub reserves: Vec<ReserveSource>,
}

/// Why the market could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError<E> {
    #[error(transparent)]
    Transport(E),
    #[error("{what}: {reason}")]
    Read { what: String, reason: String },
    #[error("the market lists {0} reserves, more than the {MAX_RESERVES} read")]
    TooManyReserves(usize),
}

fn eth_call(id: u64, to: Address, call: &impl SolCall) -> Request {
    Request::eth_call(id, to, &calldata(call), BlockTag::Latest)
}

/// One call's return value, or its failure in words.
fn returned<C: SolCall>(answer: &Answer) -> Result<C::Return, String> {
    let value = answer.as_ref().map_err(ToString::to_string)?;
    let data = jsonrpc::decode_call_result(value).map_err(|e| e.to_string())?;
    decode_return::<C>(&data).map_err(|e| e.to_string())
}

fn read_err<E>(what: impl Into<String>) -> impl FnOnce(String) -> DiscoveryError<E> {
    let what = what.into();
    move |reason| DiscoveryError::Read { what, reason }
}

/// Finds the market's oracle, sentinel, reserves and their sources from its
/// PoolAddressesProvider, in four batches through `batch` (which sends
/// requests and returns one answer each, in order).
pub async fn discover<E, F, Fut>(provider: Address, mut batch: F) -> Result<MarketOracles, DiscoveryError<E>>
where
    F: FnMut(Vec<Request>) -> Fut,
    Fut: Future<Output = Result<Vec<Answer>, E>>,
{
    // One batch, refused whole when the transport lost or invented answers.
    macro_rules! send {
        ($requests:expr) => {{
            let requests: Vec<Request> = $requests;
            let sent = requests.len();
            let answers = batch(requests).await.map_err(DiscoveryError::Transport)?;
            if answers.len() != sent {
                return Err(DiscoveryError::Read {
                    what: "the node".into(),
                    reason: format!("{} answers to {sent} requests", answers.len()),
                });
            }
            answers
        }};
    }

    let first = send!(vec![
        eth_call(1, provider, &IPoolAddressesProvider::getPoolCall {}),
        eth_call(2, provider, &IPoolAddressesProvider::getPriceOracleCall {}),
        eth_call(3, provider, &IPoolAddressesProvider::getPriceOracleSentinelCall {}),
    ]);
    let at = |what: &str| format!("PoolAddressesProvider {provider}: {what}");
    let pool = returned::<IPoolAddressesProvider::getPoolCall>(&first[0]).map_err(read_err(at("getPool()")))?;
    let oracle =
        returned::<IPoolAddressesProvider::getPriceOracleCall>(&first[1]).map_err(read_err(at("getPriceOracle()")))?;
    // A market without a sentinel (L1s) returns the zero address; an old provider may revert.
    let sentinel =
        returned::<IPoolAddressesProvider::getPriceOracleSentinelCall>(&first[2]).ok().filter(|a| !a.is_zero());

    let mut second = vec![
        eth_call(1, pool, &IPoolReserveList::getReservesListCall {}),
        eth_call(2, oracle, &IAaveOracle::BASE_CURRENCY_UNITCall {}),
    ];
    if let Some(sentinel) = sentinel {
        second.push(eth_call(3, sentinel, &IPriceOracleSentinel::getSequencerOracleCall {}));
        second.push(eth_call(4, sentinel, &IPriceOracleSentinel::getGracePeriodCall {}));
    }
    let second = send!(second);
    let assets = returned::<IPoolReserveList::getReservesListCall>(&second[0])
        .map_err(read_err(format!("Pool {pool}: getReservesList()")))?;
    if assets.len() > MAX_RESERVES {
        return Err(DiscoveryError::TooManyReserves(assets.len()));
    }
    let base_currency_unit = returned::<IAaveOracle::BASE_CURRENCY_UNITCall>(&second[1])
        .map_err(read_err(format!("AaveOracle {oracle}: BASE_CURRENCY_UNIT()")))?;
    let sentinel = match sentinel {
        None => None,
        Some(sentinel) => {
            let what = |call: &str| format!("PriceOracleSentinel {sentinel}: {call}");
            let sequencer_feed = returned::<IPriceOracleSentinel::getSequencerOracleCall>(&second[2])
                .map_err(read_err(what("getSequencerOracle()")))?;
            let grace = second[3].as_ref().map_err(ToString::to_string).and_then(|v| {
                let data = jsonrpc::decode_call_result(v).map_err(|e| e.to_string())?;
                chainlink::decode_grace_period(&data).map_err(|e| e.to_string())
            });
            let grace_period_secs = grace.map_err(read_err(what("getGracePeriod()")))?;
            Some(SentinelConfig { sentinel, sequencer_feed, grace_period_secs })
        }
    };

    let mut third = Vec::with_capacity(assets.len() * 2);
    for (i, asset) in assets.iter().enumerate() {
        let id = 2 * i as u64 + 1;
        third.push(eth_call(id, *asset, &IERC20Symbol::symbolCall {}));
        third.push(eth_call(id + 1, oracle, &IAaveOracle::getSourceOfAssetCall { asset: *asset }));
    }
    let third = if assets.is_empty() { Vec::new() } else { send!(third) };
    let mut found = Vec::with_capacity(assets.len());
    for (i, asset) in assets.iter().enumerate() {
        // A token without a readable symbol is still priced; its address names it.
        let symbol = returned::<IERC20Symbol::symbolCall>(&third[2 * i])
            .ok()
            .filter(|s| !s.is_empty() && s.len() <= 32)
            .unwrap_or_else(|| asset.to_string());
        let source = returned::<IAaveOracle::getSourceOfAssetCall>(&third[2 * i + 1])
            .map_err(read_err(format!("AaveOracle {oracle}: getSourceOfAsset({symbol})")))?;
        found.push((*asset, symbol, source));
    }

    // Each source: what it is, and whether it has round data or wraps a feed that does.
    const PER_SOURCE: usize = 5;
    let mut fourth = Vec::with_capacity(found.len() * PER_SOURCE);
    for (i, (_, _, source)) in found.iter().enumerate() {
        let id = (PER_SOURCE * i) as u64 + 1;
        fourth.push(eth_call(id, *source, &AggregatorV3Interface::decimalsCall {}));
        fourth.push(eth_call(id + 1, *source, &AggregatorV3Interface::descriptionCall {}));
        fourth.push(eth_call(id + 2, *source, &AggregatorV3Interface::latestRoundDataCall {}));
        fourth.push(eth_call(id + 3, *source, &IPriceCapAdapter::BASE_TO_USD_AGGREGATORCall {}));
        fourth.push(eth_call(id + 4, *source, &IPriceCapAdapterStable::ASSET_TO_USD_AGGREGATORCall {}));
    }
    let fourth = if found.is_empty() { Vec::new() } else { send!(fourth) };
    let mut reserves = Vec::with_capacity(found.len());
    for (i, (asset, symbol, source)) in found.into_iter().enumerate() {
        let answers = &fourth[PER_SOURCE * i..PER_SOURCE * (i + 1)];
        let decimals = answers[0]
            .as_ref()
            .map_err(ToString::to_string)
            .and_then(|v| {
                let data = jsonrpc::decode_call_result(v).map_err(|e| e.to_string())?;
                chainlink::decode_decimals(&data).map_err(|e| e.to_string())
            })
            .map_err(read_err(format!("{symbol}'s price source {source}: decimals()")))?;
        let description = returned::<AggregatorV3Interface::descriptionCall>(&answers[1])
            .ok()
            .filter(|d| d.len() <= 256)
            .unwrap_or_default();
        let kind = if returned::<AggregatorV3Interface::latestRoundDataCall>(&answers[2]).is_ok() {
            SourceKind::RoundData
        } else {
            let underlying = returned::<IPriceCapAdapter::BASE_TO_USD_AGGREGATORCall>(&answers[3])
                .or_else(|_| returned::<IPriceCapAdapterStable::ASSET_TO_USD_AGGREGATORCall>(&answers[4]))
                .ok()
                .filter(|a| !a.is_zero());
            SourceKind::AnswerOnly { underlying }
        };
        reserves.push(ReserveSource { asset, symbol, source, kind, decimals, description, underlying_decimals: None });
    }

    // The wrapped feeds' decimals: one more small batch, only if any adapter names one.
    let wrapped: Vec<(usize, Address)> = reserves
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.kind {
            SourceKind::AnswerOnly { underlying: Some(feed) } => Some((i, feed)),
            _ => None,
        })
        .collect();
    if !wrapped.is_empty() {
        let requests = wrapped
            .iter()
            .enumerate()
            .map(|(n, (_, feed))| eth_call(n as u64 + 1, *feed, &AggregatorV3Interface::decimalsCall {}))
            .collect();
        let answers = send!(requests);
        for ((i, _), answer) in wrapped.iter().zip(&answers) {
            reserves[*i].underlying_decimals = returned::<AggregatorV3Interface::decimalsCall>(answer).ok();
        }
    }

    Ok(MarketOracles { pool, oracle, base_currency_unit, sentinel, reserves })
}

/// What each request of a refresh batch reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Block,
    AssetsPrices,
    Round(usize),
    Answer(usize),
    UnderlyingRound(usize),
    Sequencer,
    BorrowAllowed,
    LiquidationAllowed,
}

/// The one batch a refresh sends.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshPlan {
    pub requests: Vec<Request>,
    slots: Vec<Slot>,
}

/// A price read from its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReading {
    pub price: Decimal,
    /// The source's round, when it has round data.
    pub round: Option<RoundData>,
    pub status: PriceStatus,
    /// For an adapter: the wrapped feed's round and price, or why it is not there.
    pub underlying: Option<Result<(RoundData, Decimal), String>>,
}

/// One reserve's reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveReading {
    /// AaveOracle's price, in the market's base currency: what the Pool uses.
    pub aave_price: Result<Decimal, String>,
    pub feed: Result<FeedReading, String>,
}

/// The sequencer and what the sentinel lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequencerReading {
    pub status: SequencerStatus,
    pub gate: SentinelGate,
    /// The sentinel's own answers, read in the same batch.
    pub borrow_allowed: Result<bool, String>,
    pub liquidation_allowed: Result<bool, String>,
}

/// Everything one refresh read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    pub block: Result<BlockHeader, String>,
    pub reserves: Vec<ReserveReading>,
    pub sequencer: Option<Result<SequencerReading, String>>,
}

impl RefreshPlan {
    /// The batch for `market`: the latest block, AaveOracle's prices, each
    /// source's round (or answer, and its wrapped feed's round), and the
    /// sequencer and sentinel. Ids start at 1.
    pub fn new(market: &MarketOracles) -> Self {
        let mut plan = Self { requests: vec![Request::latest_block(1)], slots: vec![Slot::Block] };
        let assets: Vec<Address> = market.reserves.iter().map(|r| r.asset).collect();
        plan.add(Slot::AssetsPrices, market.oracle, &IAaveOracle::getAssetsPricesCall { assets });
        for (i, reserve) in market.reserves.iter().enumerate() {
            match reserve.kind {
                SourceKind::RoundData => {
                    plan.add(Slot::Round(i), reserve.source, &AggregatorV3Interface::latestRoundDataCall {})
                }
                SourceKind::AnswerOnly { underlying } => {
                    plan.add(Slot::Answer(i), reserve.source, &AggregatorV3Interface::latestAnswerCall {});
                    if let Some(feed) = underlying {
                        plan.add(Slot::UnderlyingRound(i), feed, &AggregatorV3Interface::latestRoundDataCall {});
                    }
                }
            }
        }
        if let Some(s) = market.sentinel {
            plan.add(Slot::Sequencer, s.sequencer_feed, &AggregatorV3Interface::latestRoundDataCall {});
            plan.add(Slot::BorrowAllowed, s.sentinel, &IPriceOracleSentinel::isBorrowAllowedCall {});
            plan.add(Slot::LiquidationAllowed, s.sentinel, &IPriceOracleSentinel::isLiquidationAllowedCall {});
        }
        plan
    }

    fn add(&mut self, slot: Slot, to: Address, call: &impl SolCall) {
        let id = self.slots.len() as u64 + 1;
        self.requests.push(eth_call(id, to, call));
        self.slots.push(slot);
    }

    /// Reads the answers (one per request, in order). `heartbeat(i)` is the
    /// heartbeat of reserve `i`'s source in seconds, `None` when unknown;
    /// `now_unix` is the wall clock when the answer arrived.
    pub fn read(
        &self,
        market: &MarketOracles,
        answers: &[Answer],
        heartbeat: impl Fn(usize) -> Option<u64>,
        now_unix: u64,
    ) -> Refresh {
        let answer =
            |slot: Slot| -> Option<&Answer> { self.slots.iter().position(|s| *s == slot).and_then(|i| answers.get(i)) };
        let missing = || Err(RpcError::Missing(0));
        let block = answer(Slot::Block)
            .cloned()
            .unwrap_or_else(missing)
            .and_then(|v| jsonrpc::decode_block(&v))
            .map_err(|e| format!("the latest block could not be read: {e}"));

        let count = market.reserves.len();
        let aave_prices: Result<Vec<U256>, String> = answer(Slot::AssetsPrices)
            .ok_or_else(|| "no answer".to_owned())
            .and_then(|a| a.as_ref().map_err(ToString::to_string))
            .and_then(|v| jsonrpc::decode_call_result(v).map_err(|e| e.to_string()))
            .and_then(|data| chainlink::decode_assets_prices(&data, count).map_err(|e| e.to_string()))
            .map_err(|e| format!("AaveOracle getAssetsPrices: {e}"));

        let round_at = |slot: Slot| -> Result<RoundData, String> {
            let value = answer(slot).ok_or("no answer")?.as_ref().map_err(ToString::to_string)?;
            let data = jsonrpc::decode_call_result(value).map_err(|e| e.to_string())?;
            chainlink::decode_latest_round_data(&data).map_err(|e| e.to_string())
        };

        let reserves = market
            .reserves
            .iter()
            .enumerate()
            .map(|(i, reserve)| {
                let aave_price = aave_prices
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|p| base_currency_price(p[i], market.base_currency_unit).map_err(|e| e.to_string()));
                let feed = match reserve.kind {
                    SourceKind::RoundData => round_at(Slot::Round(i)).and_then(|round| {
                        let block = block.as_ref().map_err(Clone::clone)?;
                        let price = round.price(reserve.decimals).map_err(|e| e.to_string())?;
                        let status = chainlink_status(&round, heartbeat(i), block, now_unix);
                        Ok(FeedReading { price, round: Some(round), status, underlying: None })
                    }),
                    SourceKind::AnswerOnly { underlying } => answer(Slot::Answer(i))
                        .ok_or_else(|| "no answer".to_owned())
                        .and_then(|a| a.as_ref().map_err(ToString::to_string))
                        .and_then(|v| jsonrpc::decode_call_result(v).map_err(|e| e.to_string()))
                        .and_then(|data| {
                            chainlink::decode_latest_answer(&data, reserve.decimals).map_err(|e| e.to_string())
                        })
                        .map(|price| {
                            let status = if price.is_positive() {
                                PriceStatus::AgeUnknown
                            } else {
                                PriceStatus::Invalid(crate::price_status::Invalid::NonPositivePrice(price))
                            };
                            let underlying = underlying.map(|_| {
                                let round = round_at(Slot::UnderlyingRound(i))?;
                                let decimals = reserve.underlying_decimals.unwrap_or(reserve.decimals);
                                let price = round.price(decimals).map_err(|e| e.to_string())?;
                                Ok((round, price))
                            });
                            FeedReading { price, round: None, status, underlying }
                        }),
                };
                let feed = feed.map_err(|e| format!("{} ({}): {e}", reserve.description_or_symbol(), reserve.source));
                ReserveReading { aave_price, feed }
            })
            .collect();

        let sequencer = market.sentinel.map(|config| {
            let round = round_at(Slot::Sequencer).map_err(|e| format!("the sequencer uptime feed: {e}"))?;
            let status = chainlink::sequencer_status(&round).map_err(|e| e.to_string())?;
            let block = block.as_ref().map_err(Clone::clone)?;
            let gate = chainlink::sentinel_gate(status, config.grace_period_secs, block.timestamp);
            let flag = |slot: Slot| -> Result<bool, String> {
                let value = answer(slot).ok_or("no answer")?.as_ref().map_err(ToString::to_string)?;
                let data = jsonrpc::decode_call_result(value).map_err(|e| e.to_string())?;
                decode_return::<IPriceOracleSentinel::isBorrowAllowedCall>(&data).map_err(|e| e.to_string())
            };
            Ok(SequencerReading {
                status,
                gate,
                borrow_allowed: flag(Slot::BorrowAllowed),
                liquidation_allowed: flag(Slot::LiquidationAllowed),
            })
        });

        Refresh { block, reserves, sequencer }
    }
}

impl ReserveSource {
    fn description_or_symbol(&self) -> &str {
        if self.description.is_empty() {
            &self.symbol
        } else {
            &self.description
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonrpc::{ErrorData, NodeError};
    use crate::price_status::{Clock, Invalid, PriceAge};
    use alloy_primitives::{address, hex, Bytes, B256, I256};
    use alloy_sol_types::SolValue;
    use std::collections::HashMap;
    use std::task::{Context, Poll, Waker};

    const PROVIDER: Address = address!("59b670e9fA9D0A427751Af201D676719a970857b");
    const POOL: Address = address!("Ce85503De9399D4dECa3c0b2bb3e9e7CFCBf9C6B");
    const ORACLE: Address = address!("99bbA657f2BbC93c02D617f8bA121cB8Fc104Acf");
    const SENTINEL: Address = address!("36C02dA8a0983159322a80FFE9F24b1acfF8B570");
    const SEQUENCER: Address = address!("5eb3Bc0a489C5A8288765d2336659EbCA68FCd00");
    const WETH: Address = address!("1111111111111111111111111111111111111111");
    const WSTETH: Address = address!("2222222222222222222222222222222222222222");
    const ETH_FEED: Address = address!("610178dA211FEF7D417bC0e6FeD39F05609AD788");
    const ADAPTER: Address = address!("3Aa5ebB10DC797CAC828524e59A333d0A371443c");
    /// 2026-01-01T01:00:00Z, an hour into the test chain.
    const BLOCK_TIME: u64 = 1_767_229_200;

    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    fn round(id: u64, answer: i64, updated_at: u64) -> Vec<u8> {
        (
            U256::from(id),
            I256::try_from(answer).unwrap(),
            U256::from(updated_at),
            U256::from(updated_at),
            U256::from(id),
        )
            .abi_encode()
    }

    fn revert() -> Answer {
        Err(RpcError::Node(NodeError {
            code: 3,
            message: "execution reverted".into(),
            data: ErrorData::Revert(Bytes::new()),
        }))
    }

    /// A node that answers `eth_call`s from a table and reverts anything else.
    struct FakeNode {
        calls: HashMap<(Address, Vec<u8>), Vec<u8>>,
        block: Value,
        batches: usize,
    }

    impl FakeNode {
        fn market() -> Self {
            let mut calls = HashMap::new();
            let mut on = |to: Address, call: &dyn Fn() -> Bytes, ret: Vec<u8>| calls.insert((to, call().to_vec()), ret);
            on(PROVIDER, &|| calldata(&IPoolAddressesProvider::getPoolCall {}), POOL.abi_encode());
            on(PROVIDER, &|| calldata(&IPoolAddressesProvider::getPriceOracleCall {}), ORACLE.abi_encode());
            on(PROVIDER, &|| calldata(&IPoolAddressesProvider::getPriceOracleSentinelCall {}), SENTINEL.abi_encode());
            on(POOL, &|| calldata(&IPoolReserveList::getReservesListCall {}), vec![WETH, WSTETH].abi_encode());
            on(ORACLE, &|| calldata(&IAaveOracle::BASE_CURRENCY_UNITCall {}), U256::from(100_000_000u64).abi_encode());
            on(SENTINEL, &|| calldata(&IPriceOracleSentinel::getSequencerOracleCall {}), SEQUENCER.abi_encode());
            on(SENTINEL, &|| calldata(&IPriceOracleSentinel::getGracePeriodCall {}), U256::from(3600).abi_encode());
            on(WETH, &|| calldata(&IERC20Symbol::symbolCall {}), "WETH".to_string().abi_encode());
            on(WSTETH, &|| calldata(&IERC20Symbol::symbolCall {}), "wstETH".to_string().abi_encode());
            let source = |asset| calldata(&IAaveOracle::getSourceOfAssetCall { asset });
            on(ORACLE, &|| source(WETH), ETH_FEED.abi_encode());
            on(ORACLE, &|| source(WSTETH), ADAPTER.abi_encode());
            for feed in [ETH_FEED, ADAPTER] {
                on(feed, &|| calldata(&AggregatorV3Interface::decimalsCall {}), U256::from(8).abi_encode());
            }
            let description = || calldata(&AggregatorV3Interface::descriptionCall {});
            on(ETH_FEED, &description, "ETH / USD".to_string().abi_encode());
            on(ADAPTER, &description, "Capped wstETH / ETH / USD".to_string().abi_encode());
            let latest_round = || calldata(&AggregatorV3Interface::latestRoundDataCall {});
            // ETH / USD at $3,000.00, updated 600 s before the block.
            on(ETH_FEED, &latest_round, round(7, 300_000_000_000, BLOCK_TIME - 600));
            // The sequencer came back up 10 minutes before the block.
            on(SEQUENCER, &latest_round, round(2, 0, BLOCK_TIME - 600));
            let answer = || calldata(&AggregatorV3Interface::latestAnswerCall {});
            on(ADAPTER, &answer, I256::try_from(354_000_000_000i64).unwrap().abi_encode());
            on(ADAPTER, &|| calldata(&IPriceCapAdapter::BASE_TO_USD_AGGREGATORCall {}), ETH_FEED.abi_encode());
            let prices = || calldata(&IAaveOracle::getAssetsPricesCall { assets: vec![WETH, WSTETH] });
            on(ORACLE, &prices, vec![U256::from(300_000_000_000u64), U256::from(354_000_000_000u64)].abi_encode());
            for flag in [
                calldata(&IPriceOracleSentinel::isBorrowAllowedCall {}),
                calldata(&IPriceOracleSentinel::isLiquidationAllowedCall {}),
            ] {
                calls.insert((SENTINEL, flag.to_vec()), false.abi_encode());
            }
            let block = serde_json::json!({
                "number": "0x12c", "timestamp": format!("{BLOCK_TIME:#x}"), "hash": B256::repeat_byte(1).to_string()
            });
            Self { calls, block, batches: 0 }
        }

        fn answer(&self, request: &Request) -> Answer {
            match request.method {
                "eth_getBlockByNumber" => Ok(self.block.clone()),
                "eth_call" => {
                    let call = &request.params[0];
                    let to: Address = call["to"].as_str().unwrap().parse().unwrap();
                    let data = hex::decode(call["data"].as_str().unwrap()).unwrap();
                    match self.calls.get(&(to, data)) {
                        Some(ret) => Ok(Value::from(hex::encode_prefixed(ret))),
                        None => revert(),
                    }
                }
                other => panic!("unexpected {other}"),
            }
        }

        fn batch(&mut self, requests: &[Request]) -> Vec<Answer> {
            self.batches += 1;
            requests.iter().map(|r| self.answer(r)).collect()
        }
    }

    fn discovered(node: &mut FakeNode) -> MarketOracles {
        block_on(discover(PROVIDER, |requests| {
            let answers = node.batch(&requests);
            async move { Ok::<_, ()>(answers) }
        }))
        .unwrap()
    }

    #[test]
    fn discovery_finds_feeds_adapters_and_the_sentinel() {
        let mut node = FakeNode::market();
        let market = discovered(&mut node);
        assert_eq!((market.pool, market.oracle, market.base_currency_unit), (POOL, ORACLE, U256::from(100_000_000u64)));
        assert_eq!(
            market.sentinel,
            Some(SentinelConfig { sentinel: SENTINEL, sequencer_feed: SEQUENCER, grace_period_secs: 3600 })
        );
        let symbols: Vec<_> = market.reserves.iter().map(|r| r.symbol.as_str()).collect();
        assert_eq!(symbols, ["WETH", "wstETH"]);
        assert_eq!(market.reserves[0].kind, SourceKind::RoundData);
        assert_eq!(market.reserves[0].description, "ETH / USD");
        assert_eq!(market.reserves[1].kind, SourceKind::AnswerOnly { underlying: Some(ETH_FEED) });
        assert_eq!(market.reserves[1].underlying_decimals, Some(8));
        assert_eq!(node.batches, 5);
    }

    #[test]
    fn one_batch_reads_every_price_the_block_and_the_sentinel() {
        let mut node = FakeNode::market();
        let market = discovered(&mut node);
        let plan = RefreshPlan::new(&market);
        // Block, getAssetsPrices, WETH's round, the adapter's answer and wrapped round, sequencer, two gates.
        assert_eq!(plan.requests.len(), 8);
        let answers = node.batch(&plan.requests);
        let now = BLOCK_TIME + 30;
        let refresh = plan.read(&market, &answers, |i| (i == 0).then_some(3600), now);

        assert_eq!(refresh.block.as_ref().unwrap().timestamp, BLOCK_TIME);
        let weth = &refresh.reserves[0];
        assert_eq!(weth.aave_price.as_ref().unwrap().to_string(), "3000.00000000");
        let feed = weth.feed.as_ref().unwrap();
        assert_eq!(feed.price.to_string(), "3000.00000000");
        assert_eq!(feed.round.unwrap().round_id, 7);
        assert_eq!(feed.status, PriceStatus::Fresh(PriceAge { secs: 600, clock: Clock::LatestBlock { lag_secs: 30 } }));

        let wsteth = refresh.reserves[1].feed.as_ref().unwrap();
        assert_eq!((wsteth.price.to_string(), &wsteth.status), ("3540.00000000".into(), &PriceStatus::AgeUnknown));
        let (underlying_round, underlying_price) = wsteth.underlying.clone().unwrap().unwrap();
        assert_eq!((underlying_round.round_id, underlying_price.to_string()), (7, "3000.00000000".into()));

        let sequencer = refresh.sequencer.unwrap().unwrap();
        assert_eq!(sequencer.status, SequencerStatus::Up { since: BLOCK_TIME - 600 });
        assert_eq!(sequencer.gate, SentinelGate::GracePeriod { remaining_secs: 3001 });
        assert_eq!((sequencer.borrow_allowed, sequencer.liquidation_allowed), (Ok(false), Ok(false)));
    }

    #[test]
    fn a_reverting_feed_fails_only_its_own_price() {
        let mut node = FakeNode::market();
        let market = discovered(&mut node);
        let plan = RefreshPlan::new(&market);
        let mut answers = node.batch(&plan.requests);
        answers[2] = revert();
        let refresh = plan.read(&market, &answers, |_| Some(3600), BLOCK_TIME);
        let error = refresh.reserves[0].feed.as_ref().unwrap_err();
        assert!(error.starts_with("ETH / USD (0x610178dA211FEF7D417bC0e6FeD39F05609AD788): node error 3"), "{error}");
        assert!(refresh.reserves[0].aave_price.is_ok());
        assert!(refresh.reserves[1].feed.is_ok());
    }

    #[test]
    fn zero_negative_and_stale_rounds_are_judged() {
        let mut node = FakeNode::market();
        let market = discovered(&mut node);
        let plan = RefreshPlan::new(&market);
        let latest_round = calldata(&AggregatorV3Interface::latestRoundDataCall {}).to_vec();
        let mut judge = |answer: i64, updated_at: u64| {
            node.calls.insert((ETH_FEED, latest_round.clone()), round(8, answer, updated_at));
            let answers = node.batch(&plan.requests);
            let refresh = plan.read(&market, &answers, |_| Some(3600), BLOCK_TIME);
            (refresh.reserves[0].feed.clone().unwrap().status, refresh.reserves[1].feed.clone().unwrap())
        };
        assert_eq!(judge(0, BLOCK_TIME).0, PriceStatus::Invalid(Invalid::NonPositiveAnswer(I256::ZERO)));
        assert_eq!(
            judge(-5, BLOCK_TIME).0,
            PriceStatus::Invalid(Invalid::NonPositiveAnswer(I256::try_from(-5).unwrap()))
        );
        let (stale, _) = judge(1, BLOCK_TIME - 3781);
        assert!(matches!(stale, PriceStatus::Stale { stale_after_secs: 3780, .. }), "{stale:?}");
        // The adapter's own answer at 0 is invalid too, whatever its wrapped feed says.
        let answer = calldata(&AggregatorV3Interface::latestAnswerCall {}).to_vec();
        node.calls.insert((ADAPTER, answer), I256::ZERO.abi_encode());
        let answers = node.batch(&plan.requests);
        let refresh = plan.read(&market, &answers, |_| Some(3600), BLOCK_TIME);
        assert!(matches!(refresh.reserves[1].feed.as_ref().unwrap().status, PriceStatus::Invalid(_)));
    }
}
